/*
 * query/scan.c -- file selection and the block scan (scan.h).
 *
 * The scan is sequential per block: decode the
 * needed columns, filter the block column-wise into a selection, then
 * materialise the selected rows for the sinks.
 */
#include "common/compat.h"

#include <sys/stat.h>
#include <sys/types.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/fcol.h"
#include "common/ffile.h"
#include "common/nferr.h"
#include "common/timeutil.h"
#include "common/xmalloc.h"
#include "query/filter.h"
#include "query/qfilter.h"
#include "query/scan.h"

/* ---- file selection ---------------------------------------------- */

static void
add_path(struct scan_files *f, const char *p)
{
	f->paths = xreallocarray(f->paths, f->n + 1, sizeof(*f->paths));
	f->paths[f->n++] = xstrdup(p);
}

static bool
wanted_name(const char *name, const char *first, const char *last)
{
	size_t n = strlen(name);

	if (name[0] == '.')
		return false;
	if (n >= 8 && strcmp(name + n - 8, ".current") == 0)
		return false;
	if (first != NULL && strcmp(name, first) < 0)
		return false;
	if (last != NULL && strcmp(name, last) > 0)
		return false;
	return true;
}

static int
walk(struct scan_files *f, const char *dir, const char *first,
    const char *last, char *err, size_t errlen)
{
	DIR *d;
	struct dirent *de;
	struct stat st;
	char path[4096];
	int r = NFE_OK;

	if ((d = opendir(dir)) == NULL) {
		snprintf(err, errlen, "%s", dir);
		return NFE_IO;
	}
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (stat(path, &st) == -1)
			continue;
		if (S_ISDIR(st.st_mode)) {
			if (de->d_name[0] != '.' &&
			    (r = walk(f, path, first, last, err, errlen)) !=
			    NFE_OK)
				break;
		} else if (S_ISREG(st.st_mode) &&
		    wanted_name(de->d_name, first, last))
			add_path(f, path);
	}
	closedir(d);
	return r;
}

static const char *
base_name(const char *p)
{
	const char *s = strrchr(p, '/');

	return s != NULL ? s + 1 : p;
}

static int
by_name(const void *a, const void *b)
{
	const char *pa = *(char *const *)a, *pb = *(char *const *)b;
	int c = strcmp(base_name(pa), base_name(pb));

	return c != 0 ? c : strcmp(pa, pb);
}

/* Split "DIR/first:last" (range in the last component) or "DIR". */
static int
select_range(struct scan_files *f, const char *arg, char *err, size_t errlen)
{
	char *buf = xstrdup(arg), *slash, *colon, *first, *last;
	struct stat st;
	int r;

	if (stat(buf, &st) == 0 && S_ISDIR(st.st_mode)) {
		r = walk(f, buf, NULL, NULL, err, errlen);
		free(buf);
		return r;
	}
	if (stat(buf, &st) == 0 && S_ISREG(st.st_mode)) {
		add_path(f, buf);
		free(buf);
		return NFE_OK;
	}
	slash = strrchr(buf, '/');
	first = slash != NULL ? slash + 1 : buf;
	if (slash != NULL)
		*slash = '\0';
	if ((colon = strchr(first, ':')) != NULL) {
		*colon = '\0';
		last = colon + 1;
	} else {
		/* neither a directory nor a range: a missing path */
		snprintf(err, errlen, "%s", arg);
		free(buf);
		errno = ENOENT;
		return NFE_IO;
	}
	r = walk(f, slash != NULL ? buf : ".", first, last, err, errlen);
	free(buf);
	return r;
}

int
scan_select(const char *rfile, const char *rarg, const char *marg,
    struct scan_files *f, char *err, size_t errlen)
{
	struct stat st;
	char *m, *p, *dir, *base, path[4096];
	int r = NFE_OK;

	f->paths = NULL;
	f->n = 0;
	if (rfile != NULL) {
		if (stat(rfile, &st) == -1) {
			snprintf(err, errlen, "%s", rfile);
			return NFE_IO;
		}
		if (S_ISDIR(st.st_mode))
			r = walk(f, rfile, NULL, NULL, err, errlen);
		else
			add_path(f, rfile);
	}
	if (r == NFE_OK && marg != NULL) {
		/* -M BASE/d1:d2: the directories BASE/d1 and BASE/d2 */
		m = xstrdup(marg);
		base = NULL;
		if ((p = strrchr(m, '/')) != NULL && strchr(p, ':') != NULL) {
			*p = '\0';
			base = m;
			p++;
		} else
			p = m;
		while (r == NFE_OK && (dir = strsep(&p, ":")) != NULL) {
			if (base != NULL)
				snprintf(path, sizeof(path), "%s/%s", base, dir);
			else
				snprintf(path, sizeof(path), "%s", dir);
			if (rarg != NULL) {
				char sub[4200];

				snprintf(sub, sizeof(sub), "%s/%s", path, rarg);
				r = select_range(f, sub, err, errlen);
			} else
				r = walk(f, path, NULL, NULL, err, errlen);
		}
		free(m);
	} else if (r == NFE_OK && rarg != NULL)
		r = select_range(f, rarg, err, errlen);
	if (r != NFE_OK) {
		scan_files_free(f);
		return r;
	}
	if (rarg != NULL || marg != NULL || (rfile != NULL && f->n > 1))
		qsort(f->paths, f->n, sizeof(*f->paths), by_name);
	return NFE_OK;
}

void
scan_files_free(struct scan_files *f)
{
	for (size_t i = 0; i < f->n; i++)
		free(f->paths[i]);
	free(f->paths);
	f->paths = NULL;
	f->n = 0;
}

/* ---- the scan ----------------------------------------------------- */

static const unsigned qf2fcol[QF_NFIELDS] = {
	[QF_FIRST] = FCOL_FIRST, [QF_LAST] = FCOL_LAST,
	[QF_PACKETS] = FCOL_PACKETS, [QF_BYTES] = FCOL_BYTES,
	[QF_SRC] = FCOL_SRC, [QF_DST] = FCOL_DST, [QF_NEXTHOP] = FCOL_NEXTHOP,
	[QF_IN_IF] = FCOL_IN_IF, [QF_OUT_IF] = FCOL_OUT_IF,
	[QF_SRC_AS] = FCOL_SRC_AS, [QF_DST_AS] = FCOL_DST_AS,
	[QF_FLOWS] = FCOL_FLOWS, [QF_SRC_PORT] = FCOL_SRC_PORT,
	[QF_DST_PORT] = FCOL_DST_PORT, [QF_SRC_VLAN] = FCOL_SRC_VLAN,
	[QF_DST_VLAN] = FCOL_DST_VLAN, [QF_EXPORTER] = FCOL_EXPORTER,
	[QF_AF] = FCOL_AF, [QF_PROTO] = FCOL_PROTO,
	[QF_TCP_FLAGS] = FCOL_TCP_FLAGS, [QF_TOS] = FCOL_TOS,
	[QF_SRC_MASK] = FCOL_SRC_MASK, [QF_DST_MASK] = FCOL_DST_MASK,
	[QF_ENGINE_TYPE] = FCOL_ENGINE_TYPE, [QF_ENGINE_ID] = FCOL_ENGINE_ID,
};

static uint64_t
fcol_mask(uint32_t qf)
{
	uint64_t m = 0;

	for (unsigned i = 0; i < QF_NFIELDS; i++)
		if (qf & (UINT32_C(1) << i))
			m |= FCOL_BIT(qf2fcol[i]);
	return m;
}

struct scan_state {
	const struct scan_conf	*conf;
	struct scan_result	*res;
	struct obuf		 ob;
	struct flowrec		*sorted;	/* -m: owned */
	size_t			 nsorted, capsorted;
	struct nf_addr		*x;		/* this file's exporters */
	size_t			 nx;
	struct filter_env	 env;
	bool			 stop;
	FILE			*out;
};

static const struct nf_addr *
router_of(const struct scan_state *s, const struct flowrec *r)
{
	return r->exporter < s->nx ? &s->x[r->exporter] : NULL;
}

static void
sink(struct scan_state *s, const struct flowrec *r)
{
	const struct scan_conf *c = s->conf;
	struct out_summary *sum = &s->res->sum;
	const struct nf_addr *ra = router_of(s, r);
	uint8_t key[AGG_KEY_MAX];
	struct aggval v;

	sum->passed++;
	sum->flows += r->flows;
	sum->packets += r->packets;
	sum->bytes += r->bytes;
	if (c->agg != NULL) {
		v.flows = r->flows;
		v.packets = r->packets;
		v.bytes = r->bytes;
		v.first_ms = r->first_ms;
		v.last_ms = r->last_ms;
		agg_key(c->agg, r, ra, key);
		aggtab_add(c->aggtab, key, &v);
	} else if (c->writer != NULL)
		(void)ffile_writer_add(c->writer, r, 1);
	for (size_t i = 0; i < c->nstats; i++)
		topn_add(c->stats[i], r, ra);
	if (c->list != NULL) {
		if (c->time_order) {
			if (s->nsorted == s->capsorted) {
				s->capsorted = s->capsorted ? s->capsorted * 2 :
				    4096;
				s->sorted = xreallocarray(s->sorted,
				    s->capsorted, sizeof(*s->sorted));
			}
			s->sorted[s->nsorted++] = *r;
		} else
			output_record(c->list, r, ra, &s->ob);
	}
	if (c->limit != 0 && sum->passed >= c->limit)
		s->stop = true;
}

static int
by_first(const void *a, const void *b)
{
	const struct flowrec *ra = a, *rb = b;

	if (ra->first_ms != rb->first_ms)
		return ra->first_ms < rb->first_ms ? -1 : 1;
	return 0;
}

static void
progress(const struct scan_conf *c, size_t fi, size_t bi, size_t nb,
    uint64_t *last)
{
	uint64_t now = time_mono_ms();

	if (!c->progress || now - *last < 500)
		return;
	*last = now;
	fprintf(stderr, "\rflowq: file %zu/%zu, block %zu/%zu ", fi + 1,
	    c->files->n, bi + 1, nb);
	fflush(stderr);
}

static void
scan_file(struct scan_state *s, size_t fi, struct ffile_blockbuf *bb,
    struct fcol *col, uint8_t *sel, uint64_t mask, uint64_t *plast)
{
	const struct scan_conf *c = s->conf;
	const char *path = c->files->paths[fi];
	struct out_summary *sum = &s->res->sum;
	struct ffile_reader *rd;
	const struct ffile_info *info;
	const struct ffile_blockmeta *bm;
	struct flowrec rec;
	char err[256];
	size_t nsel;
	int r;

	if ((r = ffile_open(path, 0, &rd, err, sizeof(err))) != NFE_OK) {
		if (r == NFE_FORMAT && c->quiet_warn)
			return;		/* -R: not a flow file */
		fprintf(stderr, "flowq: %s: %s\n", path, err);
		s->res->bad_files++;
		return;
	}
	info = ffile_info(rd);
	if (!info->clean)
		fprintf(stderr, "flowq: %s: not closed cleanly (%s): "
		    "reading %zu recovered blocks\n", path, info->why_unclean,
		    info->nblocks);
	s->nx = info->nexporters;
	s->x = xreallocarray(s->x, s->nx > 0 ? s->nx : 1, sizeof(*s->x));
	for (size_t i = 0; i < s->nx; i++)
		s->x[i] = info->exporters[i].addr;
	if (s->res->exporters == NULL && s->nx > 0) {
		s->res->exporters = xreallocarray(NULL, s->nx,
		    sizeof(*s->x));
		memcpy(s->res->exporters, s->x, s->nx * sizeof(*s->x));
		s->res->nexporters = s->nx;
	}
	for (size_t bi = 0; bi < info->nblocks && !s->stop; bi++) {
		progress(c, fi, bi, info->nblocks, plast);
		bm = ffile_block(rd, bi);
		if (c->window && !ffile_block_overlaps(rd, bi, c->from,
		    c->to)) {
			sum->blocks_skipped++;
			continue;
		}
		if ((r = ffile_load_block(rd, bi, mask, bb, col, err,
		    sizeof(err))) != NFE_OK) {
			fprintf(stderr, "flowq: %s: %s: block skipped\n",
			    path, err);
			sum->blocks_corrupt++;
			continue;
		}
		sum->bytes_read += bm->length;
		sum->processed += col->n;
		for (size_t i = 0; i < col->n; i++) {
			if (sum->first_ms == 0 || col->first_ms[i] <
			    sum->first_ms)
				sum->first_ms = col->first_ms[i];
			if (col->last_ms[i] > sum->last_ms)
				sum->last_ms = col->last_ms[i];
		}
		if (c->filter != NULL) {
			s->env.exporters = info->exporters;
			s->env.nexporters = info->nexporters;
			nsel = filter_eval_block(c->filter, col, &s->env, sel,
			    col->n);
		} else {
			memset(sel, 1, col->n);
			nsel = col->n;
		}
		for (size_t i = 0; i < col->n && nsel > 0 && !s->stop; i++) {
			if (!sel[i])
				continue;
			if (c->window && (col->first_ms[i] < c->from ||
			    col->last_ms[i] > c->to))
				continue;
			fcol_get(col, i, &rec);
			sink(s, &rec);
		}
		if (c->list != NULL && s->ob.len > 0)
			(void)output_emit(c->list, &s->ob, s->out);
	}
	ffile_close(rd);
}

int
scan_run(const struct scan_conf *c, struct scan_result *res, FILE *out)
{
	struct scan_state s;
	struct ffile_blockbuf bb;
	struct fcol col;
	uint8_t *sel;
	uint32_t qf;
	uint64_t mask, last = time_mono_ms();
	int r = NFE_OK;

	memset(res, 0, sizeof(*res));
	memset(&s, 0, sizeof(s));
	s.conf = c;
	s.res = res;
	s.out = out;
	obuf_init(&s.ob);
	qf = 1u << QF_FIRST | 1u << QF_LAST | 1u << QF_PACKETS |
	    1u << QF_BYTES | 1u << QF_FLOWS | 1u << QF_AF |
	    1u << QF_EXPORTER;
	if (c->agg != NULL)
		qf |= agg_fields(c->agg);
	for (size_t i = 0; i < c->nstats; i++)
		qf |= topn_fields(topn_stat_of(c->stats[i]));
	mask = fcol_mask(qf);
	if (c->filter != NULL)
		mask |= filter_columns(c->filter);
	if (c->list != NULL || c->writer != NULL)
		mask = FCOL_ALL;
	ffile_blockbuf_init(&bb);
	if (fcol_init(&col, FFILE_MAX_BLOCK_RECS) != NFE_OK) {
		fprintf(stderr, "flowq: out of memory\n");
		exit(1);
	}
	sel = xmalloc(FFILE_MAX_BLOCK_RECS);
	for (size_t fi = 0; fi < c->files->n && !s.stop; fi++)
		scan_file(&s, fi, &bb, &col, sel, mask, &last);
	if (c->progress)
		fprintf(stderr, "\r%60s\r", "");
	if (c->time_order && s.nsorted > 0) {
		qsort(s.sorted, s.nsorted, sizeof(*s.sorted), by_first);
		for (size_t i = 0; i < s.nsorted; i++) {
			output_record(c->list, &s.sorted[i], NULL, &s.ob);
			if (s.ob.len > 65536 &&
			    output_emit(c->list, &s.ob, out) != 0)
				r = NFE_IO;
		}
	}
	if (c->list != NULL && output_emit(c->list, &s.ob, out) != 0)
		r = NFE_IO;
	free(sel);
	free(s.sorted);
	free(s.x);
	fcol_fini(&col);
	ffile_blockbuf_fini(&bb);
	obuf_fini(&s.ob);
	return r;
}
