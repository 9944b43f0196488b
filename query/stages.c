/*
 * query/stages.c -- the listing, aggregation, statistic and writer
 * stages (stages.h), and the generic stage helpers of stage.h.
 */
#include "common/base/compat.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/base/nferr.h"
#include "common/ffile/ffile.h"
#include "common/prog/xmalloc.h"
#include "query/stages.h"
#include "query/xmerge.h"

struct stage *
stage_clone(const struct stage *s)
{
	return s->ops->clone != NULL ? s->ops->clone(s) : NULL;
}

void
stage_free(struct stage *s)
{
	if (s != NULL)
		s->ops->free(s);
}

/* Text buffered past this is written out before more is added. */
#define EMIT_AT	65536

/* ---- listing ------------------------------------------------------ */

/*
 * String bytes of records kept past their block (-m): a record's
 * strings point into its block's dictionaries, which the next block
 * overwrites (struct nf_str).
 */
struct strchunk {
	struct strchunk	*next;		/* owned */
	size_t		 used, cap;
	char		 data[];
};

#define STRCHUNK_BYTES	65536

struct list_stage {
	struct stage	 st;
	struct output	*o;		/* borrowed; a clone's: owned */
	bool		 own;
	bool		 time_order;
	struct flowrec	*sorted;	/* -m: owned */
	size_t		 nsorted, capsorted;
	struct strchunk	*strs;		/* -m: owned; the sorted records'
					   string bytes */
};

/* -o null lists nothing: it reads no column and takes whole blocks. */
static bool
list_null(const struct stage *s)
{
	const struct list_stage *l = (const struct list_stage *)s;

	return output_kind(l->o) == OUT_NULL && !l->time_order;
}

/* Copy r's strings into l, so that r outlives its block. */
static void
keep_strings(struct list_stage *l, struct flowrec *r)
{
	struct strchunk *k;
	struct nf_str *str;

	for (unsigned i = 0; i < FLD_N; i++) {
		if (fld(i)->type != FT_STR)
			continue;
		str = fld_str(fld(i), r);
		if (str->len == 0)
			continue;
		if ((k = l->strs) == NULL || k->cap - k->used < str->len) {
			k = xmalloc(sizeof(*k) + STRCHUNK_BYTES);
			k->used = 0;
			k->cap = STRCHUNK_BYTES;
			k->next = l->strs;
			l->strs = k;
		}
		memcpy(k->data + k->used, str->p, str->len);
		str->p = k->data + k->used;
		k->used += str->len;
	}
}

static fcol_mask
list_columns(const struct stage *s)
{
	return list_null(s) ? 0 : FCOL_ALL;
}

static bool
list_add_block(struct stage *s, const struct stage_block *b)
{
	(void)b;
	return list_null(s);
}

static void
list_add(struct stage *s, const struct flowrec *r, const struct stage_row *row)
{
	struct list_stage *l = (struct list_stage *)s;

	if (!l->time_order) {
		output_record(l->o, r, row->router, row->ob);
		return;
	}
	if (l->nsorted == l->capsorted) {
		l->capsorted = l->capsorted ? l->capsorted * 2 : 4096;
		l->sorted = xreallocarray(l->sorted, l->capsorted,
		    sizeof(*l->sorted));
	}
	l->sorted[l->nsorted] = *r;
	keep_strings(l, &l->sorted[l->nsorted++]);
}

static struct stage *
list_clone(const struct stage *s)
{
	const struct list_stage *l = (const struct list_stage *)s;
	struct list_stage *c;

	if (l->time_order)
		return NULL;		/* one sorted list: one thread */
	c = xcalloc(1, sizeof(*c));
	c->st = l->st;
	c->o = output_clone(l->o);
	c->own = true;
	return &c->st;
}

static int
list_emit(struct stage *s, struct obuf *b, FILE *f)
{
	return output_emit(((struct list_stage *)s)->o, b, f);
}

static int
by_first(const void *a, const void *b)
{
	const struct flowrec *ra = a, *rb = b;

	if (ra->first_ms != rb->first_ms)
		return ra->first_ms < rb->first_ms ? -1 : 1;
	return 0;
}

static int
list_end(struct stage *s, const struct stage_done *d)
{
	struct list_stage *l = (struct list_stage *)s;
	int r = NFE_OK;

	if (l->nsorted == 0)
		return NFE_OK;
	qsort(l->sorted, l->nsorted, sizeof(*l->sorted), by_first);
	for (size_t i = 0; i < l->nsorted; i++) {
		output_record(l->o, &l->sorted[i], NULL, d->b);
		if (d->b->len > EMIT_AT && output_emit(l->o, d->b, d->f) != 0)
			r = NFE_IO;
	}
	if (output_emit(l->o, d->b, d->f) != 0)
		r = NFE_IO;
	return r;
}

static void
list_free(struct stage *s)
{
	struct list_stage *l = (struct list_stage *)s;

	struct strchunk *k;

	if (l->own)
		output_free(l->o);
	free(l->sorted);
	while ((k = l->strs) != NULL) {
		l->strs = k->next;
		free(k);
	}
	free(l);
}

static const struct stage_ops list_ops = {
	.name = "listing",
	.columns = list_columns,
	.add = list_add,
	.add_block = list_add_block,
	.clone = list_clone,
	.emit = list_emit,
	.end = list_end,
	.free = list_free,
};

struct stage *
stage_list_new(struct output *o, bool time_order)
{
	struct list_stage *l = xcalloc(1, sizeof(*l));

	l->st.ops = &list_ops;
	l->o = o;
	l->time_order = time_order;
	return &l->st;
}

/* ---- aggregation (-a, -A) ----------------------------------------- */

struct agg_stage {
	struct stage	 st;
	const struct agg_spec *spec;	/* borrowed */
	struct aggtab	*tab;		/* owned */
	enum agg_order	 order;
	size_t		 limit;
	struct output	*o;		/* borrowed */
	struct stage	*writer;	/* borrowed; NULL: print */
};

static fcol_mask
agg_stage_columns(const struct stage *s)
{
	return agg_columns(((const struct agg_stage *)s)->spec);
}

static void
agg_stage_add(struct stage *s, const struct flowrec *r,
    const struct stage_row *row)
{
	struct agg_stage *a = (struct agg_stage *)s;
	uint8_t key[AGG_KEY_MAX];
	struct aggval v;

	v.flows = r->flows;
	v.packets = r->packets;
	v.bytes = r->bytes;
	v.out_packets = r->out_packets;
	v.out_bytes = r->out_bytes;
	v.first_ms = r->first_ms;
	v.last_ms = r->last_ms;
	if (a->spec->bidir != AGG_BIDIR_NONE) {
		agg_add_bidir(a->spec, a->tab, r, row->router, &v);
		return;
	}
	agg_key(a->spec, r, row->router, key);
	aggtab_add(a->tab, key, &v);
}

static bool
agg_stage_add_block(struct stage *s, const struct stage_block *b)
{
	struct agg_stage *a = (struct agg_stage *)s;

	/* -b/-B pair records one by one (query/bidir.c) */
	if (a->spec->bidir != AGG_BIDIR_NONE || !agg_block_ok(a->spec, b->col))
		return false;
	agg_add_block(a->spec, a->tab, b->col, b->rows, b->n, b->x, b->nx);
	return true;
}

static struct stage *
agg_stage_clone(const struct stage *s)
{
	const struct agg_stage *a = (const struct agg_stage *)s;
	struct agg_stage *c;

	if (a->spec->bidir != AGG_BIDIR_NONE)
		return NULL;	/* -b/-B: the first record seen leads */
	c = xcalloc(1, sizeof(*c));
	*c = *a;
	c->tab = aggtab_new_like(a->tab);
	return &c->st;
}

static void
agg_stage_merge(struct stage *dst, struct stage *src)
{
	aggtab_absorb(((struct agg_stage *)dst)->tab,
	    ((struct agg_stage *)src)->tab);
}

/* Text of the ranked entries idx[from..to) into b, through o. */
static void
agg_format(const struct agg_stage *a, const size_t *idx, size_t from,
    size_t to, struct output *o, struct obuf *b)
{
	struct flowrec r;
	struct nf_addr ra;

	for (size_t i = from; i < to; i++) {
		/* entries come in rank order, scattered over the table */
		if (i + 8 < to) {
			__builtin_prefetch(aggtab_key(a->tab, idx[i + 8]));
			__builtin_prefetch(aggtab_val(a->tab, idx[i + 8]));
		}
		agg_record(a->spec, aggtab_key(a->tab, idx[i]),
		    aggtab_val(a->tab, idx[i]), &r, &ra);
		output_record(o, &r, &ra, b);
	}
}

/*
 * A big listing is formatted on two threads: in each round this
 * thread formats a chunk of entries while a helper formats the next
 * one with its own copy of the output (it keeps caches), then both
 * are written in rank order.  Text is the same as from one thread.
 */
#define AGG_CHUNK	32768

struct agg_fmt_job {
	const struct agg_stage	*a;
	const size_t		*idx;
	size_t			 from, to;
	struct output		*o;	/* the helper's copy */
	struct obuf		 b;
};

static void *
agg_fmt_helper(void *arg)
{
	struct agg_fmt_job *j = arg;

	agg_format(j->a, j->idx, j->from, j->to, j->o, &j->b);
	return NULL;
}

static int
agg_stage_end(struct stage *s, const struct stage_done *d)
{
	struct agg_stage *a = (struct agg_stage *)s;
	struct agg_fmt_job job;
	size_t *idx, n, i = 0;
	struct flowrec r;
	struct nf_addr ra;
	pthread_t th;
	int rc = NFE_OK;

	idx = aggtab_rank(a->tab, a->order, a->limit, &n);
	if (a->writer != NULL) {
		for (; i < n; i++) {
			agg_record(a->spec, aggtab_key(a->tab, idx[i]),
			    aggtab_val(a->tab, idx[i]), &r, &ra);
			stage_write_put(a->writer, &r);
		}
		free(idx);
		return rc;
	}
	memset(&job, 0, sizeof(job));
	if (n > 2 * AGG_CHUNK) {
		job.a = a;
		job.idx = idx;
		job.o = output_clone(a->o);
		obuf_init(&job.b);
	}
	while (i < n) {
		size_t e = n - i > AGG_CHUNK ? i + AGG_CHUNK : n;
		bool helped = false;

		if (job.o != NULL && e < n) {
			job.from = e;
			job.to = n - e > AGG_CHUNK ? e + AGG_CHUNK : n;
			helped = pthread_create(&th, NULL, agg_fmt_helper,
			    &job) == 0;
		}
		agg_format(a, idx, i, e, a->o, d->b);
		if (output_emit(a->o, d->b, d->f) != 0)
			rc = NFE_IO;
		if (helped) {
			pthread_join(th, NULL);
			if (output_emit(a->o, &job.b, d->f) != 0)
				rc = NFE_IO;
			e = job.to;
		}
		i = e;
	}
	if (job.o != NULL) {
		obuf_fini(&job.b);
		output_free(job.o);
	}
	free(idx);
	return rc;
}

static void
agg_stage_free(struct stage *s)
{
	struct agg_stage *a = (struct agg_stage *)s;

	aggtab_free(a->tab);
	free(a);
}

static const struct stage_ops agg_ops = {
	.name = "aggregation",
	.columns = agg_stage_columns,
	.add = agg_stage_add,
	.add_block = agg_stage_add_block,
	.clone = agg_stage_clone,
	.merge = agg_stage_merge,
	.end = agg_stage_end,
	.free = agg_stage_free,
};

struct stage *
stage_agg_new(const struct agg_spec *spec, enum agg_order order,
    size_t limit, struct output *o, struct stage *writer)
{
	struct agg_stage *a = xcalloc(1, sizeof(*a));

	a->st.ops = &agg_ops;
	a->spec = spec;
	a->tab = aggtab_new(spec->keylen);
	a->order = order;
	a->limit = limit;
	a->o = o;
	a->writer = writer;
	return &a->st;
}

/* ---- one -s statistic --------------------------------------------- */

struct topn_stage {
	struct stage	 st;
	struct topn	*t;		/* owned */
	struct output	*o, *rec_out;	/* borrowed */
	size_t		 limit;
};

static fcol_mask
topn_stage_columns(const struct stage *s)
{
	return topn_columns(topn_stat_of(((const struct topn_stage *)s)->t));
}

static void
topn_stage_add(struct stage *s, const struct flowrec *r,
    const struct stage_row *row)
{
	topn_add(((struct topn_stage *)s)->t, r, row->router);
}

static bool
topn_stage_add_block(struct stage *s, const struct stage_block *b)
{
	return topn_add_block(((struct topn_stage *)s)->t, b->col, b->rows,
	    b->n, b->x, b->nx);
}

static struct stage *
topn_stage_clone(const struct stage *s)
{
	const struct topn_stage *t = (const struct topn_stage *)s;
	struct topn_stage *c = xcalloc(1, sizeof(*c));

	*c = *t;
	c->t = topn_new_like(t->t);
	return &c->st;
}

static void
topn_stage_merge(struct stage *dst, struct stage *src)
{
	topn_absorb(((struct topn_stage *)dst)->t,
	    ((struct topn_stage *)src)->t);
}

static int
topn_stage_end(struct stage *s, const struct stage_done *d)
{
	struct topn_stage *t = (struct topn_stage *)s;

	topn_print(t->t, t->o, t->rec_out, t->limit, d->sum, d->b);
	return NFE_OK;
}

static void
topn_stage_free(struct stage *s)
{
	struct topn_stage *t = (struct topn_stage *)s;

	topn_free(t->t);
	free(t);
}

static const struct stage_ops topn_ops = {
	.name = "statistic",
	.columns = topn_stage_columns,
	.add = topn_stage_add,
	.add_block = topn_stage_add_block,
	.clone = topn_stage_clone,
	.merge = topn_stage_merge,
	.end = topn_stage_end,
	.free = topn_stage_free,
};

struct stage *
stage_topn_new(const struct topn_stat *st, struct output *o,
    struct output *rec_out, size_t limit)
{
	struct topn_stage *t = xcalloc(1, sizeof(*t));

	t->st.ops = &topn_ops;
	t->t = topn_new(st);
	t->o = o;
	t->rec_out = rec_out;
	t->limit = limit;
	return &t->st;
}

/* ---- -w: the file writer ------------------------------------------ */

struct write_stage {
	struct stage	 st;
	struct ffile_writer *w;		/* owned until end() closes it */
	const char	*path;		/* borrowed */
	bool		 rows;
};

static fcol_mask
write_columns(const struct stage *s)
{
	return ((const struct write_stage *)s)->rows ? FCOL_ALL : 0;
}

static void
write_add(struct stage *s, const struct flowrec *r, const struct stage_row *row)
{
	struct write_stage *ws = (struct write_stage *)s;
	struct flowrec w;

	if (!ws->rows)
		return;
	w = *r;
	w.exporter = xmerge_index(row->wx, r->exporter);
	if (row->wx->grew) {
		(void)ffile_writer_set_exporters(ws->w, row->wx->x,
		    row->wx->n);
		row->wx->grew = false;
	}
	(void)ffile_writer_add(ws->w, &w, 1);
}

/* Records in scan order: one thread.  Fed by the aggregation: no rows. */
static struct stage *
write_clone(const struct stage *s)
{
	const struct write_stage *ws = (const struct write_stage *)s;
	struct write_stage *c;

	if (ws->rows)
		return NULL;
	c = xcalloc(1, sizeof(*c));
	c->st = ws->st;
	c->path = ws->path;
	return &c->st;
}

void
stage_write_put(struct stage *s, const struct flowrec *r)
{
	(void)ffile_writer_add(((struct write_stage *)s)->w, r, 1);
}

static int
write_end(struct stage *s, const struct stage_done *d)
{
	struct write_stage *ws = (struct write_stage *)s;
	int rc = NFE_OK;

	if (ws->w == NULL)
		return NFE_OK;
	if (d->nexporters > 0)
		(void)ffile_writer_set_exporters(ws->w, d->exporters,
		    d->nexporters);
	if (ffile_writer_close(ws->w) != NFE_OK) {
		fprintf(stderr, "flowq: %s: %s\n", ws->path, strerror(errno));
		rc = NFE_IO;
	}
	ws->w = NULL;
	return rc;
}

static void
write_free(struct stage *s)
{
	struct write_stage *ws = (struct write_stage *)s;

	if (ws->w != NULL)
		(void)ffile_writer_close(ws->w);
	free(ws);
}

static const struct stage_ops write_ops = {
	.name = "writer",
	.columns = write_columns,
	.add = write_add,
	.clone = write_clone,
	.end = write_end,
	.free = write_free,
};

struct stage *
stage_write_new(struct ffile_writer *w, const char *path, bool rows)
{
	struct write_stage *ws = xcalloc(1, sizeof(*ws));

	ws->st.ops = &write_ops;
	ws->w = w;
	ws->path = path;
	ws->rows = rows;
	return &ws->st;
}
