/*
 * tests/t_stage.c -- the stage interface of the query scan
 * (query/stage.h, query/scan.h): a stage the scan has never heard of
 * gets every passing record; on several threads its clones see every
 * record once and merge to what one thread sees; a stage that cannot
 * be cloned gets the records in file order on one thread; -c stops at
 * the count; a stage that sets stop (flowq --sink giving up) ends the
 * scan there; end() sees the summary.  Runs in well under a second.
 */
#include "common/base/compat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/base/nferr.h"
#include "common/ffile/ffile.h"
#include "common/prog/xmalloc.h"
#include "query/filter.h"
#include "query/scan.h"
#include "query/stage.h"
#include "ffgen.h"
#include "tap.h"

#define NRECS	20000
#define BLOCK	1000		/* records per block: 20 blocks */

/* A stage that counts and checks order; not part of flowq. */
struct count_stage {
	struct stage	 st;
	bool		 ordered;	/* refuse clones */
	uint64_t	 stop_at;	/* set stop at this count; 0: never */
	uint64_t	 n, bytes;
	uint64_t	 last_first;	/* ordered: first_ms seen last */
	bool		 in_order;
	uint64_t	 merges, ends, sum_flows;
	uint32_t	 seen[NRECS];	/* per record (by packets - 1) */
};

static fcol_mask
count_columns(const struct stage *s)
{
	(void)s;
	return FCOL_BIT(FCOL_BYTES) | FCOL_BIT(FCOL_PACKETS);
}

static void
count_add(struct stage *s, const struct flowrec *r, const struct stage_row *row)
{
	struct count_stage *c = (struct count_stage *)s;

	(void)row;
	c->n++;
	c->bytes += r->bytes;
	if (r->packets >= 1 && r->packets <= NRECS)
		c->seen[r->packets - 1]++;
	if (r->first_ms < c->last_first)
		c->in_order = false;
	c->last_first = r->first_ms;
	if (c->stop_at != 0 && c->n >= c->stop_at)
		s->stop = true;
}

static struct stage *count_new(bool ordered);

static struct stage *
count_clone(const struct stage *s)
{
	const struct count_stage *c = (const struct count_stage *)s;

	return c->ordered ? NULL : count_new(false);
}

static void
count_merge(struct stage *dst, struct stage *src)
{
	struct count_stage *d = (struct count_stage *)dst;
	const struct count_stage *c = (const struct count_stage *)src;

	d->n += c->n;
	d->bytes += c->bytes;
	for (size_t i = 0; i < NRECS; i++)
		d->seen[i] += c->seen[i];
	d->merges++;
}

static int
count_end(struct stage *s, const struct stage_done *d)
{
	struct count_stage *c = (struct count_stage *)s;

	c->ends++;
	c->sum_flows = d->sum->flows;
	return NFE_OK;
}

static void
count_free(struct stage *s)
{
	free(s);
}

static const struct stage_ops count_ops = {
	.name = "count",
	.columns = count_columns,
	.add = count_add,
	.clone = count_clone,
	.merge = count_merge,
	.end = count_end,
	.free = count_free,
};

static struct stage *
count_new(bool ordered)
{
	struct count_stage *c = xcalloc(1, sizeof(*c));

	c->st.ops = &count_ops;
	c->ordered = ordered;
	c->in_order = true;
	return &c->st;
}

/* NRECS records, packets 1..NRECS (an identity), first_ms rising. */
static const char *
write_file(uint64_t *bytes)
{
	static struct flowrec r[NRECS];
	struct ffile_writer *w;
	struct ffile_wopts o;
	const char *path = ffgen_path("stage.flows");

	ffgen_records(r, NRECS, 7, FFGEN_MIXED, UINT64_C(1795426759000), 0);
	*bytes = 0;
	for (size_t i = 0; i < NRECS; i++) {
		r[i].packets = i + 1;
		r[i].flows = 1;
		r[i].first_ms = UINT64_C(1795426759000) + i;
		if (r[i].last_ms < r[i].first_ms)
			r[i].last_ms = r[i].first_ms;
		*bytes += r[i].bytes;
	}
	ffile_wopts_init(&o);
	o.block_recs = BLOCK;
	if (ffile_writer_open(path, &o, &w) != NFE_OK ||
	    ffile_writer_add(w, r, NRECS) != NFE_OK ||
	    ffile_writer_close(w) != NFE_OK)
		return NULL;
	return path;
}

static bool
each_once(const struct count_stage *c)
{
	for (size_t i = 0; i < NRECS; i++)
		if (c->seen[i] != 1)
			return false;
	return true;
}

/* Scan files with one stage; returns scan_run's code. */
static int
scan(struct scan_files *f, struct stage *st, size_t threads, uint64_t limit,
    const struct filter *flt, struct scan_result *res)
{
	struct scan_conf sc;
	struct stage_done d;
	struct obuf b;
	char err[128];
	int r;

	memset(&sc, 0, sizeof(sc));
	sc.files = f;
	sc.stages = &st;
	sc.nstages = 1;
	sc.threads = threads;
	sc.limit = limit;
	sc.filter = flt;
	r = scan_run(&sc, res, stdout, err, sizeof(err));
	obuf_init(&b);
	memset(&d, 0, sizeof(d));
	d.b = &b;
	d.f = stdout;
	d.sum = &res->sum;
	st->ops->end(st, &d);
	obuf_fini(&b);
	free(res->exporters);
	return r;
}

int
main(void)
{
	struct scan_files f;
	struct scan_result res;
	struct count_stage *c;
	struct stage *st;
	struct filter *flt;
	char *paths[1], err[128];
	uint64_t bytes;
	const char *path;
	char pathbuf[4096];

	tap_plan(19);
	path = write_file(&bytes);
	if (!tap_ok(path != NULL, "a file of %d records in %d blocks",
	    NRECS, NRECS / BLOCK))
		return tap_done();
	snprintf(pathbuf, sizeof(pathbuf), "%s", path);
	paths[0] = pathbuf;
	f.paths = paths;
	f.n = 1;

	/* one thread */
	st = count_new(false);
	c = (struct count_stage *)st;
	tap_is_int(scan(&f, st, 1, 0, NULL, &res), NFE_OK, "1 thread: scan ok");
	tap_ok(c->n == NRECS && each_once(c), "1 thread: every record once");
	tap_is_uint(c->bytes, bytes, "1 thread: bytes");
	tap_ok(c->in_order && c->merges == 0, "1 thread: in order, no merge");
	tap_ok(c->ends == 1 && c->sum_flows == NRECS,
	    "end() once, with the summary");
	stage_free(st);

	/* three threads: clones, merged */
	st = count_new(false);
	c = (struct count_stage *)st;
	tap_is_int(scan(&f, st, 3, 0, NULL, &res), NFE_OK, "3 threads: ok");
	tap_ok(c->n == NRECS && each_once(c),
	    "3 threads: every record once over the clones");
	tap_is_uint(c->bytes, bytes, "3 threads: bytes");
	tap_is_uint(c->merges, 3, "3 threads: each clone merged once");
	tap_is_uint(res.sum.passed, NRECS, "3 threads: summary passed");
	stage_free(st);

	/* a stage that refuses clones: one thread, in order */
	st = count_new(true);
	c = (struct count_stage *)st;
	tap_is_int(scan(&f, st, 3, 0, NULL, &res), NFE_OK, "ordered: ok");
	tap_ok(c->n == NRECS && c->in_order && c->merges == 0,
	    "ordered: in file order, on one thread");
	stage_free(st);

	/* a stage that cannot go on stops the scan, a block's records in */
	st = count_new(true);
	c = (struct count_stage *)st;
	c->stop_at = 1500;
	tap_is_int(scan(&f, st, 3, 0, NULL, &res), NFE_OK, "stop: ok");
	tap_ok(c->n == 1500 && res.sum.passed <= 2 * BLOCK,
	    "stop: no record after the stage set stop, no block after "
	    "its block (%llu records, %llu passed)",
	    (unsigned long long)c->n, (unsigned long long)res.sum.passed);
	stage_free(st);

	/* -c */
	st = count_new(false);
	c = (struct count_stage *)st;
	scan(&f, st, 3, 123, NULL, &res);
	tap_is_uint(c->n, 123, "-c 123 stops at 123 records");
	stage_free(st);

	/* a filter: only its records reach the stage */
	if (filter_compile("packets <= 100", &flt, err, sizeof(err)) !=
	    NFE_OK)
		tap_diag("filter: %s", err);
	st = count_new(false);
	c = (struct count_stage *)st;
	scan(&f, st, 2, 0, flt, &res);
	tap_is_uint(c->n, 100, "filter: 100 records reach the stage");
	/* packets rise with the record number: the block index rules out
	   every block but the first (flowkit-file(5), BLOCK INDEX) */
	tap_ok(res.sum.processed == BLOCK &&
	    res.sum.blocks_skipped == NRECS / BLOCK - 1,
	    "filter: the first block processed, the %llu others skipped "
	    "by their index", (unsigned long long)res.sum.blocks_skipped);
	stage_free(st);
	filter_free(flt);

	/* a missing file: counted, the scan goes on */
	snprintf(pathbuf, sizeof(pathbuf), "%s", ffgen_path("missing.flows"));
	st = count_new(false);
	scan(&f, st, 1, 0, NULL, &res);
	tap_is_uint(res.bad_files, 1, "a missing file is counted");
	stage_free(st);
	ffgen_cleanup();
	return tap_done();
}
