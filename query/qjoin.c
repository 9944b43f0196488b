/*
 * query/qjoin.c -- the join at query time (qjoin.h): session files read
 * once into a store, then the user column of each decoded block set
 * from it, a SESSJOIN_BATCH of records at a time.
 */
#include "common/base/compat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/base/flowrec.h"
#include "common/base/nferr.h"
#include "common/enrich/geofill.h"
#include "common/enrich/natmap.h"
#include "common/enrich/sessdb.h"
#include "common/enrich/sessfollow.h"
#include "common/enrich/sessjoin.h"
#include "common/ffile/fcol.h"
#include "common/ffile/ffile.h"
#include "common/prog/xmalloc.h"
#include "query/qjoin.h"

struct qjoin {
	struct sessdb	*db;		/* owned */
	struct natmap	*nat;		/* owned; NULL until qjoin_nat */
	uint64_t	 timeout_ms;	/* of an allocation never freed */
	struct sessjoin	 join;		/* over db */
};

struct qjoin_scratch {
	struct flowrec	 recs[SESSJOIN_BATCH];	/* the join's fields only */
	uint32_t	 users[SESSJOIN_BATCH];
	struct fcol_dict tmp;		/* the block's new user column */
	size_t		 cap;		/* tmp's records; 0: not made */
};

/* The geo string columns, in the order of struct qgeo_scratch's dicts. */
static const unsigned geo_cols[4] = {
	FCOL_SRC_GEO, FCOL_DST_GEO, FCOL_SRC_AS_ORG, FCOL_DST_AS_ORG
};

struct qgeo_scratch {
	struct geofill	 gf;
	struct flowrec	 recs[SESSJOIN_BATCH];
	struct fcol_dict tmp[4];	/* the block's new geo columns */
	size_t		 cap;		/* their records; 0: not made */
};

/* While loading: the store, and what went wrong. */
struct loading {
	struct sessdb	*db;
	uint64_t	 bad;
	char		*err;		/* the first unreadable path */
	size_t		 errlen;
	bool		 missing;
};

static int
on_event(void *arg, const struct sessdb_event *ev)
{
	struct loading *l = arg;

	(void)sessdb_apply(l->db, ev);	/* refusals counted by the store */
	return NFE_OK;
}

static void
on_error(void *arg, const char *path, unsigned line, const char *msg)
{
	struct loading *l = arg;

	if (line == 0) {		/* the path itself */
		if (!l->missing)
			snprintf(l->err, l->errlen, "--sessions %s: %s", path,
			    msg);
		l->missing = true;
		return;
	}
	l->bad++;
	fprintf(stderr, "flowq: %s line %u: %s (line skipped)\n", path, line,
	    msg);
}

int
qjoin_open(const struct qjoin_conf *c, struct qjoin **out,
    uint64_t *bad_lines, char *err, size_t errlen)
{
	struct sessdb_conf dc;
	struct sessfollow sf;
	struct loading l;
	struct qjoin *j;

	*out = NULL;
	*bad_lines = 0;
	j = xcalloc(1, sizeof(*j));
	sessdb_conf_default(&dc);
	if (c->timeout_ms != 0)
		dc.timeout_ms = c->timeout_ms;
	j->timeout_ms = c->timeout_ms != 0 ? c->timeout_ms :
	    NATMAP_DEF_TIMEOUT_MS;
	if (sessdb_new(&dc, &j->db) != NFE_OK) {
		free(j);
		snprintf(err, errlen, "--sessions: out of memory");
		return NFE_NOMEM;
	}
	j->join.db = j->db;
	for (size_t i = 0; i < c->ninside; i++)
		if (sessjoin_inside(&j->join, &c->inside[i]) != NFE_OK) {
			qjoin_free(j);
			snprintf(err, errlen, "--inside: at most %d prefixes",
			    SESSJOIN_MAX_INSIDE);
			return NFE_LIMIT;
		}
	memset(&l, 0, sizeof(l));
	l.db = j->db;
	l.err = err;
	l.errlen = errlen;
	if (sessfollow_init(&sf, c->paths, c->npaths, on_event, on_error,
	    &l) != NFE_OK) {
		qjoin_free(j);
		snprintf(err, errlen, "--sessions: out of memory");
		return NFE_NOMEM;
	}
	/* final: whole files, to their last line (SESSFOLLOW_MAX_READ a poll) */
	while (sessfollow_poll(&sf, true) > 0 && !l.missing)
		;
	sessfollow_fini(&sf);
	*bad_lines = l.bad;
	if (l.missing) {
		qjoin_free(j);
		return NFE_IO;
	}
	*out = j;
	return NFE_OK;
}

void
qjoin_free(struct qjoin *j)
{
	if (j == NULL)
		return;
	sessdb_free(j->db);
	natmap_free(j->nat);
	free(j);
}

/* The NAT events of one decoded block into j's mappings. */
static uint64_t
nat_block(struct qjoin *j, const struct fcol *c)
{
	struct natmap_event ev;
	uint64_t n = 0;

	if (!(c->mask & FCOL_BIT(FCOL_NAT_EVENT)))
		return 0;		/* no record of the block has one */
	for (size_t i = 0; i < c->n; i++) {
		if (c->nat_event[i] == 0 || natmap_event_of(c->nat_event[i],
		    c->first_ms[i] != 0 ? c->first_ms[i] : c->received_ms[i],
		    &c->src[i], c->src_port[i], &c->nat_src[i],
		    c->nat_src_port[i], c->pb_start[i], c->pb_end[i],
		    c->pb_step[i], &ev) != NFE_OK)
			continue;
		if (j->nat == NULL && natmap_new(NATMAP_DEF_MAX_MAPS,
		    j->timeout_ms, &j->nat) != NFE_OK) {
			fprintf(stderr, "flowq: out of memory\n");
			exit(1);
		}
		(void)natmap_apply(j->nat, &ev);	/* refusals counted */
		n++;
	}
	return n;
}

uint64_t
qjoin_nat(struct qjoin *j, char *const *paths, size_t n)
{
	const fcol_mask mask = FCOL_BIT(FCOL_NAT_EVENT) | FCOL_BIT(FCOL_FIRST) |
	    FCOL_BIT(FCOL_RECEIVED) | FCOL_BIT(FCOL_SRC) |
	    FCOL_BIT(FCOL_SRC_PORT) | FCOL_BIT(FCOL_NAT_SRC) |
	    FCOL_BIT(FCOL_NAT_SRC_PORT) | FCOL_BIT(FCOL_PB_START) |
	    FCOL_BIT(FCOL_PB_END) | FCOL_BIT(FCOL_PB_STEP);
	struct ffile_blockbuf bb;
	struct ffile_reader *rd;
	struct fcol col;
	uint64_t events = 0;
	char err[256];

	ffile_blockbuf_init(&bb);
	memset(&col, 0, sizeof(col));
	for (size_t f = 0; f < n; f++) {
		if (ffile_open(paths[f], 0, &rd, err, sizeof(err)) != NFE_OK)
			continue;	/* not ours, or reported by the scan */
		for (size_t b = 0; b < ffile_info(rd)->nblocks; b++)
			if (ffile_load_block(rd, b, mask, &bb, &col, err,
			    sizeof(err)) == NFE_OK)
				events += nat_block(j, &col);
		ffile_close(rd);
	}
	fcol_fini(&col);
	ffile_blockbuf_fini(&bb);
	j->join.nat = j->nat;
	return events;
}

size_t
qjoin_sessions(const struct qjoin *j)
{
	struct sessdb_info inf;

	sessdb_info(j->db, &inf);
	return inf.sessions;
}

fcol_mask
qjoin_columns(void)
{
	return FCOL_BIT(FCOL_SRC) | FCOL_BIT(FCOL_DST) |
	    FCOL_BIT(FCOL_SRC_PORT) | FCOL_BIT(FCOL_DST_PORT) |
	    FCOL_BIT(FCOL_FIRST) | FCOL_BIT(FCOL_LAST) | FCOL_BIT(FCOL_USER);
}

struct qjoin_scratch *
qjoin_scratch_new(void)
{
	return xcalloc(1, sizeof(struct qjoin_scratch));
}

void
qjoin_scratch_free(struct qjoin_scratch *s)
{
	if (s == NULL)
		return;
	if (s->cap > 0)
		fdict_fini(&s->tmp);
	free(s);
}

/* Entry of s (a value of len bytes at p) in d; exits on no memory. */
static uint32_t
add(struct fcol_dict *d, const char *p, size_t len)
{
	uint32_t e = fdict_add(d, p, len);

	if (e == UINT32_MAX) {
		fprintf(stderr, "flowq: out of memory\n");
		exit(1);
	}
	return e;
}

/* Make d hold room for n records (d->cap-style: *cap). */
static void
dict_room(struct fcol_dict *d, size_t *cap, size_t n, bool made)
{
	if (made)
		fdict_fini(d);
	if (fdict_init(d, n) != NFE_OK) {
		fprintf(stderr, "flowq: out of memory\n");
		exit(1);
	}
	(void)cap;
}

/* Column dst (n records) becomes a copy of src: entries in src's order. */
static void
dict_replace(struct fcol_dict *dst, const struct fcol_dict *src, size_t n)
{
	fdict_reset(dst);
	for (uint32_t e = 1; e < src->n; e++)
		(void)add(dst, src->bytes + src->off[e], src->len[e]);
	memcpy(dst->idx, src->idx, n * sizeof(*dst->idx));
}

void
qjoin_block(const struct qjoin *j, struct qjoin_scratch *s, struct fcol *col)
{
	bool stored = (col->mask & FCOL_BIT(FCOL_USER)) != 0;
	struct nf_str str;
	const char *name;
	size_t n = col->n, k;

	if (s->cap < n) {
		if (s->cap > 0)
			fdict_fini(&s->tmp);
		if (fdict_init(&s->tmp, n) != NFE_OK) {
			fprintf(stderr, "flowq: out of memory\n");
			exit(1);
		}
		s->cap = n;
	}
	fdict_reset(&s->tmp);
	for (size_t off = 0; off < n; off += k) {
		k = n - off < SESSJOIN_BATCH ? n - off : SESSJOIN_BATCH;
		for (size_t i = 0; i < k; i++) {
			struct flowrec *r = &s->recs[i];

			r->src = col->src[off + i];
			r->dst = col->dst[off + i];
			r->src_port = col->src_port[off + i];
			r->dst_port = col->dst_port[off + i];
			r->first_ms = col->first_ms[off + i];
			r->last_ms = col->last_ms[off + i];
		}
		sessjoin_batch(&j->join, s->recs, k, s->users);
		for (size_t i = 0; i < k; i++) {
			uint32_t e = 0;

			if (s->users[i] != 0) {
				name = sessdb_user(j->db, s->users[i]);
				flowrec_str_set(&str, name, strlen(name));
				e = add(&s->tmp, str.p, str.len);
			} else if (stored) {
				fdict_get(&col->user, off + i, &str);
				e = add(&s->tmp, str.p, str.len);
			}
			s->tmp.idx[off + i] = e;
		}
	}
	/* the new column replaces the block's: entries in the same order */
	dict_replace(&col->user, &s->tmp, n);
	col->mask |= FCOL_BIT(FCOL_USER);
}

fcol_mask
qgeo_columns(void)
{
	fcol_mask m = FCOL_BIT(FCOL_SRC) | FCOL_BIT(FCOL_DST) |
	    FCOL_BIT(FCOL_SRC_AS) | FCOL_BIT(FCOL_DST_AS);

	for (size_t k = 0; k < 4; k++)
		m |= FCOL_BIT(geo_cols[k]);
	return m;
}

struct qgeo_scratch *
qgeo_scratch_new(const struct geoip *g)
{
	struct qgeo_scratch *s = xcalloc(1, sizeof(*s));

	if (geofill_init(&s->gf, g) != NFE_OK) {
		fprintf(stderr, "flowq: out of memory\n");
		exit(1);
	}
	return s;
}

void
qgeo_scratch_free(struct qgeo_scratch *s)
{
	if (s == NULL)
		return;
	geofill_fini(&s->gf);
	for (size_t k = 0; s->cap > 0 && k < 4; k++)
		fdict_fini(&s->tmp[k]);
	free(s);
}

void
qgeo_block(struct qgeo_scratch *s, struct fcol *col)
{
	size_t n = col->n, k;

	if (s->cap < n) {
		for (size_t c = 0; c < 4; c++)
			dict_room(&s->tmp[c], &s->cap, n, s->cap > 0);
		s->cap = n;
	}
	for (size_t c = 0; c < 4; c++)
		fdict_reset(&s->tmp[c]);
	for (size_t off = 0; off < n; off += k) {
		k = n - off < SESSJOIN_BATCH ? n - off : SESSJOIN_BATCH;
		for (size_t i = 0; i < k; i++) {
			struct flowrec *r = &s->recs[i];

			r->src = col->src[off + i];
			r->dst = col->dst[off + i];
			r->src_as = col->src_as[off + i];
			r->dst_as = col->dst_as[off + i];
			/* what the file holds, kept where the databases
			   know nothing */
			for (size_t c = 0; c < 4; c++) {
				const struct fld_desc *d = fld_by_col(
				    geo_cols[c]);
				struct nf_str *v = fld_str(d, r);

				if (col->mask & FCOL_BIT(geo_cols[c]))
					fdict_get(fcol_array(col, geo_cols[c]),
					    off + i, v);
				else
					v->p = NULL, v->len = 0;
			}
		}
		geofill_batch(&s->gf, s->recs, k);
		for (size_t i = 0; i < k; i++) {
			struct flowrec *r = &s->recs[i];

			col->src_as[off + i] = r->src_as;
			col->dst_as[off + i] = r->dst_as;
			for (size_t c = 0; c < 4; c++) {
				const struct nf_str *v = fld_str(
				    fld_by_col(geo_cols[c]), r);

				s->tmp[c].idx[off + i] = add(&s->tmp[c], v->p,
				    v->len);
			}
		}
	}
	for (size_t c = 0; c < 4; c++) {
		dict_replace(fcol_array(col, geo_cols[c]), &s->tmp[c], n);
		col->mask |= FCOL_BIT(geo_cols[c]);
	}
}
