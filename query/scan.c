/*
 * query/scan.c -- file selection and the block scan (scan.h).
 *
 * The scan is sequential per block: decode the columns the filter and
 * the stages need, filter the block column-wise into a selection, then
 * materialise the selected rows for the stages (query/stage.h).
 */
#include "common/base/compat.h"

#include <sys/stat.h>
#include <sys/types.h>

#include <dirent.h>
#include <pthread.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/base/nferr.h"
#include "common/base/timeutil.h"
#include "common/ffile/fcol.h"
#include "common/ffile/ffile.h"
#include "common/ffile/fidx.h"
#include "common/nfdump/nfdfile.h"
#include "common/prog/xmalloc.h"
#include "query/filter.h"
#include "query/qjoin.h"
#include "query/scan.h"
#include "query/xmerge.h"

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
	if (strncmp(name, "nfcapd.current.", 15) == 0)
		return false;		/* nfcapd's and sfcapd's open file */
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

/*
 * One lane of the scan: the buffers and stages of one thread.  The
 * sequential scan has one lane feeding the caller's stages; the
 * parallel scan gives each worker a lane with its own clone of every
 * stage and a partial summary, merged at the end.
 */
struct lane {
	struct qjoin_scratch	*js;		/* --sessions: owned */
	struct qgeo_scratch	*gs;		/* --geoip: owned */
	const struct scan_conf	*conf;
	struct out_summary	*sum;		/* borrowed */
	struct stage		**st;		/* borrowed or owned clones */
	struct obuf		*ob;		/* borrowed: current target */
	const struct nf_addr	*x;		/* this file's exporters */
	size_t			 nx;
	struct filter_env	 env;
	bool			 stop;
	struct xmerge		*wx;		/* borrowed: sequential only */
	struct ffile_blockbuf	 bb;
	struct fidx		*ix;		/* owned: a block's index */
	uint32_t		 ix_read;	/* indexes read, none of which */
	bool			 ix_off;	/* ruled a block out: stop */
	struct fcol		 col;
	uint8_t			*sel;		/* owned */
	uint32_t		*rows;		/* owned: passing rows */
	fcol_mask		 rest;		/* columns still to decode for
					   the stages, if a row passes */
	const char		*path;		/* borrowed: the current file */
	const struct ffile_blockmeta *bm;	/* borrowed: the current block's
					   metadata, NULL for nfdump files */
	/* parallel lanes only */
	struct out_summary	 own_sum;
	pthread_t		 th;
	struct par		*par;		/* borrowed */
};

/* The shared state of one file in the parallel scan. */
struct par {
	const struct ffile_reader *rd;
	const char		*path;
	size_t			 nblocks;
	size_t			 next;		/* next block to take */
	size_t			 emitted;	/* blocks written out */
	size_t			 window;	/* max blocks ahead of emitted */
	fcol_mask		 mask;		/* columns to decode */
	struct obuf		*out;		/* per block; owned */
	bool			*done;		/* per block; owned */
	pthread_mutex_t		 mu;
	pthread_cond_t		 cv;
};

static int
lane_init(struct lane *L, const struct scan_conf *c)
{
	memset(L, 0, sizeof(*L));
	L->conf = c;
	ffile_blockbuf_init(&L->bb);
	if (fcol_init(&L->col, FFILE_MAX_BLOCK_RECS) != NFE_OK)
		return NFE_NOMEM;
	L->sel = xmalloc(FFILE_MAX_BLOCK_RECS);
	L->ix = xmalloc(sizeof(*L->ix));
	L->rows = xcalloc(FFILE_MAX_BLOCK_RECS, sizeof(*L->rows));
	if (c->join != NULL)
		L->js = qjoin_scratch_new();
	if (c->geo != NULL)
		L->gs = qgeo_scratch_new(c->geo);
	return NFE_OK;
}

static void
lane_fini(struct lane *L)
{
	qjoin_scratch_free(L->js);
	qgeo_scratch_free(L->gs);
	free(L->sel);
	free(L->ix);
	free(L->rows);
	fcol_fini(&L->col);
	ffile_blockbuf_fini(&L->bb);
}

/* Write block text b through the stages that write text; b is reset. */
static int
emit_text(const struct scan_conf *c, struct obuf *b, FILE *f)
{
	int r = 0;

	if (b->len == 0)
		return 0;
	for (size_t i = 0; i < c->nstages; i++) {
		const struct stage_ops *op = c->stages[i]->ops;

		if (op->emit != NULL && op->emit(c->stages[i], b, f) != 0)
			r = -1;
	}
	obuf_reset(b);
	return r;
}

/* The columns of the summary. */
#define SUM_COLS	(FCOL_BIT(FCOL_FIRST) | FCOL_BIT(FCOL_LAST) | \
	FCOL_BIT(FCOL_PACKETS) | FCOL_BIT(FCOL_BYTES) | FCOL_BIT(FCOL_FLOWS))
/* the time range of every record (the summary's time window) */
#define TIME_COLS	(FCOL_BIT(FCOL_FIRST) | FCOL_BIT(FCOL_LAST))

/*
 * The summary of the passing records rows[0..n) of col, after -c has
 * cut them to what is left of the count.  Returns the new n.
 */
static size_t
sum_rows(struct lane *s, const struct fcol *col, const uint32_t *rows,
    size_t n)
{
	const struct scan_conf *c = s->conf;
	struct out_summary *sum = s->sum;

	struct flowrec r;

	if (c->limit != 0 && n >= c->limit - sum->passed) {
		n = (size_t)(c->limit - sum->passed);
		s->stop = true;
	}
	if ((col->mask & SUM_COLS) != SUM_COLS) {
		/* a damaged block without them: the records' defaults */
		for (size_t k = 0; k < n; k++) {
			fcol_get(col, rows[k], &r);
			if (sum->pass_first_ms == 0 ||
			    r.first_ms < sum->pass_first_ms)
				sum->pass_first_ms = r.first_ms;
			if (r.last_ms > sum->pass_last_ms)
				sum->pass_last_ms = r.last_ms;
			sum->flows += r.flows;
			sum->packets += r.packets + r.out_packets;
			sum->bytes += r.bytes + r.out_bytes;
		}
		sum->passed += n;
		return n;
	}
	for (size_t k = 0; k < n; k++) {
		uint32_t i = rows[k];

		if (sum->pass_first_ms == 0 ||
		    col->first_ms[i] < sum->pass_first_ms)
			sum->pass_first_ms = col->first_ms[i];
		if (col->last_ms[i] > sum->pass_last_ms)
			sum->pass_last_ms = col->last_ms[i];
		sum->flows += col->flows[i];
		sum->packets += col->packets[i];
		sum->bytes += col->bytes[i];
	}
	/* biflows: the summary counts both directions, as nfdump's does
	   (blocks without biflows store no out columns) */
	if (col->mask & FCOL_BIT(FCOL_OUT_PACKETS))
		for (size_t k = 0; k < n; k++)
			sum->packets += col->out_packets[rows[k]];
	if (col->mask & FCOL_BIT(FCOL_OUT_BYTES))
		for (size_t k = 0; k < n; k++)
			sum->bytes += col->out_bytes[rows[k]];
	sum->passed += n;
	return n;
}

/*
 * Hand the passing records to the stages: a block at a time to those
 * that take one (add_block), as records to the others.
 */
static void
sink_rows(struct lane *s, const struct fcol *col, const uint32_t *rows,
    size_t n)
{
	const struct scan_conf *c = s->conf;
	struct stage_block blk;
	struct stage_row row;
	struct flowrec rec;
	bool byrow[SCAN_MAX_STAGES], any = false, gave_up = false;

	blk.col = col;
	blk.rows = rows;
	blk.n = n;
	blk.x = s->x;
	blk.nx = s->nx;
	blk.ob = s->ob;
	for (size_t k = 0; k < c->nstages; k++) {
		const struct stage_ops *op = s->st[k]->ops;

		byrow[k] = op->add_block == NULL ||
		    !op->add_block(s->st[k], &blk);
		any |= byrow[k];
	}
	if (!any)
		return;
	row.ob = s->ob;
	row.wx = s->wx;
	for (size_t j = 0; j < n && !gave_up; j++) {
		fcol_get(col, rows[j], &rec);
		row.router = rec.exporter < s->nx ? &s->x[rec.exporter] : NULL;
		for (size_t k = 0; k < c->nstages; k++) {
			if (!byrow[k])
				continue;
			stage_add(s->st[k], &rec, &row);
			/* a stage that cannot go on (--sink gave up) */
			gave_up |= s->st[k]->stop;
		}
	}
	if (gave_up)
		s->stop = true;
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

/*
 * Filter and sink the decoded records in s->col.  Output goes to s->ob.
 * If s->rest is set, only the filter's columns are decoded so far: the
 * others are decoded (from s->bb) only when a record passes.
 */
static void
process_col(struct lane *s)
{
	const struct scan_conf *c = s->conf;
	struct out_summary *sum = s->sum;
	struct fcol *col = &s->col;
	size_t nsel, n = 0;
	uint8_t *sel = s->sel;
	uint32_t *rows = s->rows;
	char err[256];

	if (s->stop)
		return;
	if (c->join != NULL)		/* before anything reads the user */
		qjoin_block(c->join, s->js, col);
	if (c->geo != NULL)
		qgeo_block(s->gs, col);
	if (c->filter != NULL)
		nsel = filter_eval_block(c->filter, col, &s->env, sel, col->n);
	else {
		memset(sel, 1, col->n);
		nsel = col->n;
	}
	for (size_t i = 0; i < col->n && nsel > 0; i++) {
		if (!sel[i])
			continue;
		if (c->window && (col->first_ms[i] < c->from ||
		    col->last_ms[i] > c->to))
			continue;
		rows[n++] = (uint32_t)i;
	}
	if (n > 0 && s->rest != 0 && ffile_decode_more(&s->bb, s->rest, col,
	    err, sizeof(err)) != NFE_OK) {
		fprintf(stderr, "flowq: %s: %s: block skipped\n", s->path, err);
		sum->blocks_corrupt++;
		return;
	}
	sum->processed += col->n;
	if (s->bm != NULL && s->bm->min_first_ms != 0 && col->n > 0) {
		/* the block's time range says the same as its rows (the
		   writer sets it from them, ffile_verify_block holds them
		   to it) without a pass over them, decoded or not (a
		   filter's first step decodes only its columns); a first
		   time of 0, which the loop below treats apart, has
		   process_block decode the columns */
		if (sum->first_ms == 0 || s->bm->min_first_ms < sum->first_ms)
			sum->first_ms = s->bm->min_first_ms;
		if (s->bm->max_last_ms > sum->last_ms)
			sum->last_ms = s->bm->max_last_ms;
	} else {
		for (size_t i = 0; i < col->n; i++) {
			if (sum->first_ms == 0 ||
			    col->first_ms[i] < sum->first_ms)
				sum->first_ms = col->first_ms[i];
			if (col->last_ms[i] > sum->last_ms)
				sum->last_ms = col->last_ms[i];
		}
	}
	if ((n = sum_rows(s, col, rows, n)) > 0)
		sink_rows(s, col, rows, n);
}

/*
 * Can block bi hold a record the filter passes?  Asks the block's index
 * (read alone: common/ffile/fidx.h) when the file has one; a damaged
 * index is reported and the block read.  Not with --sessions or
 * --geoip, which change columns before the filter sees them.  A lane
 * that has read SCAN_IX_TRY indexes without ruling out one block stops
 * reading them: the filter is not selective on this archive, and each
 * index would only add its bytes (about a tenth of a block).
 */
#define SCAN_IX_TRY	32
static bool
may_match(struct lane *s, const struct ffile_reader *rd, const char *path,
    size_t bi)
{
	const struct scan_conf *c = s->conf;
	char err[256];
	int rc;

	if (c->filter == NULL || c->join != NULL || c->geo != NULL ||
	    s->ix_off)
		return true;
	rc = ffile_block_index(rd, bi, &s->bb, s->ix, err, sizeof(err));
	if (rc == NFE_EOF)
		return true;		/* no index: a version 1.0 file */
	if (rc != NFE_OK) {
		fprintf(stderr, "flowq: %s: %s: index not used, block read\n",
		    path, err);
		return true;
	}
	s->sum->bytes_read += ffile_block(rd, bi)->idx_len;
	if (filter_block_may_match(c->filter, s->ix, &s->env)) {
		/* a filter no index has helped with (dst port 443 on
		   every block) stops costing an index read per block */
		if (s->ix_read != UINT32_MAX && ++s->ix_read >= SCAN_IX_TRY)
			s->ix_off = true;
		return true;
	}
	s->ix_read = UINT32_MAX;	/* it helps: keep asking */
	s->sum->blocks_skipped++;
	return false;
}

/* Read, filter and sink block bi.  Output goes to s->ob. */
static void
process_block(struct lane *s, const struct ffile_reader *rd,
    const char *path, size_t bi, fcol_mask mask)
{
	const struct scan_conf *c = s->conf;
	const struct ffile_blockmeta *bm = ffile_block(rd, bi);
	struct out_summary *sum = s->sum;
	fcol_mask first;
	char err[256];

	if (c->window && !ffile_block_overlaps(rd, bi, c->from, c->to)) {
		sum->blocks_skipped++;
		return;
	}
	if (!may_match(s, rd, path, bi))
		return;
	/*
	 * With a filter, decode its columns first; most blocks of a needle
	 * query have no passing record and need no other column.  The
	 * summary's counters are summed over passing rows only, so they
	 * wait too; its time window over every record comes from the
	 * block's time range (process_col), unless a first time of 0 is
	 * in the block (the window's loop treats it apart) or -t reads
	 * every row's times.
	 */
	first = mask;
	/* (not with a join or geo: a second decode would undo them) */
	if (c->filter != NULL && c->join == NULL && c->geo == NULL) {
		first = filter_columns(c->filter) |
		    FCOL_BIT(FCOL_AF) | FCOL_BIT(FCOL_EXPORTER);
		if (c->window || bm->min_first_ms == 0)
			first |= TIME_COLS;
		if ((mask & ~first) == 0)
			first = mask;
	}
	s->rest = first != mask ? mask : 0;
	s->path = path;
	s->bm = bm;
	if (ffile_load_block(rd, bi, first, &s->bb, &s->col, err,
	    sizeof(err)) != NFE_OK) {
		fprintf(stderr, "flowq: %s: %s: block skipped\n", path, err);
		sum->blocks_corrupt++;
		return;
	}
	sum->bytes_read += bm->length;
	process_col(s);
}

static void *
worker(void *arg)
{
	struct lane *L = arg;
	struct par *p = L->par;
	size_t bi;

	for (;;) {
		pthread_mutex_lock(&p->mu);
		while (p->next < p->nblocks &&
		    p->next - p->emitted >= p->window)
			pthread_cond_wait(&p->cv, &p->mu);
		bi = p->next < p->nblocks ? p->next++ : SIZE_MAX;
		pthread_mutex_unlock(&p->mu);
		if (bi == SIZE_MAX)
			return NULL;
		L->ob = &p->out[bi];
		process_block(L, p->rd, p->path, bi, p->mask);
		pthread_mutex_lock(&p->mu);
		p->done[bi] = true;
		pthread_cond_broadcast(&p->cv);
		pthread_mutex_unlock(&p->mu);
	}
}

static void
sum_add(struct out_summary *d, const struct out_summary *s)
{
	d->flows += s->flows;
	d->packets += s->packets;
	d->bytes += s->bytes;
	if (s->first_ms != 0 && (d->first_ms == 0 || s->first_ms < d->first_ms))
		d->first_ms = s->first_ms;
	if (s->last_ms > d->last_ms)
		d->last_ms = s->last_ms;
	if (s->pass_first_ms != 0 && (d->pass_first_ms == 0 ||
	    s->pass_first_ms < d->pass_first_ms))
		d->pass_first_ms = s->pass_first_ms;
	if (s->pass_last_ms > d->pass_last_ms)
		d->pass_last_ms = s->pass_last_ms;
	d->processed += s->processed;
	d->passed += s->passed;
	d->blocks_skipped += s->blocks_skipped;
	d->blocks_corrupt += s->blocks_corrupt;
	d->bytes_read += s->bytes_read;
}

struct scan_state {
	const struct scan_conf	*conf;
	struct scan_result	*res;
	struct lane		 seq;		/* the sequential lane */
	struct lane		*lanes;		/* parallel lanes; owned */
	size_t			 nlanes;
	struct nf_addr		*x;		/* this file's exporters */
	size_t			 nx;
	struct xmerge		 wx;		/* all files' exporters */
	fcol_mask		 mask;
	FILE			*out;
	int			 fail;		/* NFE_*: the scan stopped */
	char			*err;		/* its message */
	size_t			 errlen;
};

/*
 * Blocks of one file on the parallel lanes; block text written in
 * block order.  If not every thread starts, the started ones do the
 * work; if none does, the scan stops with NFE_INTERNAL.
 */
static int
scan_blocks_par(struct scan_state *s, const struct ffile_reader *rd,
    const char *path, size_t nblocks)
{
	const struct scan_conf *c = s->conf;
	struct lane *lanes = s->lanes;
	struct par p;
	size_t nl = 0;
	int r = NFE_OK, e = 0;

	memset(&p, 0, sizeof(p));
	p.rd = rd;
	p.path = path;
	p.nblocks = nblocks;
	p.window = 4 * s->nlanes;
	p.mask = s->mask;
	p.out = xcalloc(nblocks, sizeof(*p.out));
	p.done = xcalloc(nblocks, sizeof(*p.done));
	pthread_mutex_init(&p.mu, NULL);
	pthread_cond_init(&p.cv, NULL);
	for (size_t i = 0; i < s->nlanes; i++) {
		lanes[i].par = &p;
		if ((e = pthread_create(&lanes[i].th, NULL, worker,
		    &lanes[i])) != 0)
			break;
		nl++;
	}
	if (nl == 0) {
		snprintf(s->err, s->errlen, "cannot start a thread: %s",
		    strerror(e));
		s->fail = NFE_INTERNAL;
		nblocks = 0;
	}
	for (size_t bi = 0; bi < nblocks; bi++) {
		pthread_mutex_lock(&p.mu);
		while (!p.done[bi])
			pthread_cond_wait(&p.cv, &p.mu);
		pthread_mutex_unlock(&p.mu);
		if (emit_text(c, &p.out[bi], s->out) != 0)
			r = NFE_IO;
		obuf_fini(&p.out[bi]);
		pthread_mutex_lock(&p.mu);
		p.emitted = bi + 1;
		pthread_cond_broadcast(&p.cv);
		pthread_mutex_unlock(&p.mu);
	}
	for (size_t i = 0; i < nl; i++)
		pthread_join(lanes[i].th, NULL);
	pthread_mutex_destroy(&p.mu);
	pthread_cond_destroy(&p.cv);
	free(p.out);
	free(p.done);
	return r;
}

/* This file's exporter table, for every lane and the merged table. */
static void
set_exporters(struct scan_state *s, const struct ffile_exporter *x, size_t n)
{
	s->nx = n;
	s->x = xreallocarray(s->x, n > 0 ? n : 1, sizeof(*s->x));
	for (size_t i = 0; i < n; i++)
		s->x[i] = x[i].addr;
	for (size_t i = 0; i <= s->nlanes; i++) {
		struct lane *l = i < s->nlanes ? &s->lanes[i] : &s->seq;

		l->x = s->x;
		l->nx = s->nx;
		l->env.exporters = x;
		l->env.nexporters = n;
	}
	xmerge_table(&s->wx, x, n);
}

/*
 * An nfdump file: its records in file order on the sequential lane,
 * the exporter table growing as the file names new exporters.
 */
static void
scan_nfdump(struct scan_state *s, size_t fi, struct nfd_reader *rd,
    uint64_t *plast)
{
	const struct scan_conf *c = s->conf;
	const char *path = c->files->paths[fi];
	const struct nfd_info *in = nfd_info(rd);
	const struct ffile_exporter *x;
	struct lane *L = &s->seq;
	char err[256];
	size_t n;
	int r;

	if (in->cut) {
		fprintf(stderr, "flowq: %s: %s: the rest of the file is "
		    "skipped\n", path, in->why_cut);
		L->sum->blocks_corrupt++;
	}
	L->rest = 0;			/* every column comes decoded */
	L->path = path;
	L->bm = NULL;			/* no block metadata: times decoded */
	while (!L->stop) {
		progress(c, fi, nfd_counts(rd)->blocks, in->nblocks, plast);
		r = nfd_read(rd, &L->col, err, sizeof(err));
		if (r == NFE_EOF)
			break;
		if (r != NFE_OK) {
			fprintf(stderr, "flowq: %s: %s: block skipped\n", path,
			    err);
			L->sum->blocks_corrupt++;
			continue;
		}
		x = nfd_exporters(rd, &n);
		set_exporters(s, x, n);
		process_col(L);
		(void)emit_text(c, L->ob, s->out);
	}
	L->sum->bytes_read += nfd_counts(rd)->bytes;
	x = nfd_exporters(rd, &n);
	set_exporters(s, x, n);
	xmerge_end_file(&s->wx);
	nfd_close(rd);
}

/*
 * Not a flowkit file: an nfdump file?  Returns true if the file was
 * taken (read, or refused with a message); false leaves ffile's answer
 * to the caller.
 */
static bool
try_nfdump(struct scan_state *s, size_t fi, uint64_t *plast)
{
	const char *path = s->conf->files->paths[fi];
	struct nfd_reader *rd;
	char err[256];
	int r;

	r = nfd_open(path, &rd, err, sizeof(err));
	if (r == NFE_FORMAT && strncmp(err, "not an nfdump", 13) == 0)
		return false;
	if (r != NFE_OK) {
		fprintf(stderr, "flowq: %s: %s\n", path, err);
		s->res->bad_files++;
		return true;
	}
	scan_nfdump(s, fi, rd, plast);
	return true;
}

static void
scan_file(struct scan_state *s, size_t fi, uint64_t *plast)
{
	const struct scan_conf *c = s->conf;
	const char *path = c->files->paths[fi];
	struct ffile_reader *rd;
	const struct ffile_info *info;
	struct lane *L = &s->seq;
	char err[256];
	int r;

	if ((r = ffile_open(path, 0, &rd, err, sizeof(err))) != NFE_OK) {
		if (r == NFE_FORMAT && try_nfdump(s, fi, plast))
			return;
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
	set_exporters(s, info->exporters, info->nexporters);
	if (s->nlanes > 1 && info->nblocks > 1) {
		progress(c, fi, 0, info->nblocks, plast);
		if (scan_blocks_par(s, rd, path, info->nblocks) != NFE_OK)
			s->res->write_failed = true;
	} else {
		for (size_t bi = 0; bi < info->nblocks && !L->stop; bi++) {
			progress(c, fi, bi, info->nblocks, plast);
			process_block(L, rd, path, bi, s->mask);
			(void)emit_text(c, L->ob, s->out);
		}
	}
	xmerge_end_file(&s->wx);
	ffile_close(rd);
}

/*
 * The parallel lanes: a clone of every stage each.  False if a stage
 * cannot be cloned (it must see the records in order) or memory ran
 * out: the scan then runs on one thread.
 */
static bool
make_lanes(struct scan_state *s, size_t nl)
{
	const struct scan_conf *c = s->conf;
	bool ok = true;

	s->lanes = xcalloc(nl, sizeof(*s->lanes));
	for (size_t i = 0; i < nl && ok; i++) {
		struct lane *L = &s->lanes[i];

		if (lane_init(L, c) != NFE_OK) {
			lane_fini(L);
			break;
		}
		L->sum = &L->own_sum;
		L->st = xcalloc(c->nstages + 1, sizeof(*L->st));
		s->nlanes++;
		for (size_t k = 0; k < c->nstages && ok; k++)
			ok = (L->st[k] = stage_clone(c->stages[k])) != NULL;
	}
	return ok && s->nlanes > 1;
}

/* Fold every lane into the result and the caller's stages; free them. */
static void
drop_lanes(struct scan_state *s, bool merge)
{
	const struct scan_conf *c = s->conf;

	for (size_t i = 0; i < s->nlanes; i++) {
		struct lane *L = &s->lanes[i];

		if (merge)
			sum_add(&s->res->sum, &L->own_sum);
		for (size_t k = 0; k < c->nstages; k++) {
			const struct stage_ops *op = c->stages[k]->ops;

			if (merge && op->merge != NULL && L->st[k] != NULL)
				op->merge(c->stages[k], L->st[k]);
			stage_free(L->st[k]);
		}
		free(L->st);
		lane_fini(L);
	}
	free(s->lanes);
	s->lanes = NULL;
	s->nlanes = 0;
}

int
scan_run(const struct scan_conf *c, struct scan_result *res, FILE *out,
    char *err, size_t errlen)
{
	struct scan_state s;
	struct obuf ob;
	uint64_t last = time_mono_ms();
	size_t nl;
	int r = NFE_OK;

	memset(res, 0, sizeof(*res));
	if (c->nstages > SCAN_MAX_STAGES) {
		snprintf(err, errlen, "more than %d stages", SCAN_MAX_STAGES);
		return NFE_LIMIT;
	}
	memset(&s, 0, sizeof(s));
	s.conf = c;
	s.res = res;
	s.out = out;
	s.err = err;
	s.errlen = errlen;
	obuf_init(&ob);
	/* what the summary, the filter and the stages read */
	s.mask = SUM_COLS | FCOL_BIT(FCOL_AF) | FCOL_BIT(FCOL_EXPORTER) |
	    FCOL_BIT(FCOL_OUT_PACKETS) | FCOL_BIT(FCOL_OUT_BYTES);
	for (size_t i = 0; i < c->nstages; i++)
		s.mask |= c->stages[i]->ops->columns(c->stages[i]);
	if (c->filter != NULL)
		s.mask |= filter_columns(c->filter);
	if (c->join != NULL)
		s.mask |= qjoin_columns();
	if (c->geo != NULL)
		s.mask |= qgeo_columns();
	xmerge_init(&s.wx);
	if (lane_init(&s.seq, c) != NFE_OK) {
		snprintf(err, errlen, "out of memory");
		lane_fini(&s.seq);
		xmerge_fini(&s.wx);
		obuf_fini(&ob);
		return NFE_NOMEM;
	}
	s.seq.wx = &s.wx;
	s.seq.sum = &res->sum;
	s.seq.st = c->stages;
	s.seq.ob = &ob;
	/* -c stops at a count of records in scan order: one thread */
	nl = c->limit != 0 ? 1 : c->threads;
	if (nl > 1 && !make_lanes(&s, nl))
		drop_lanes(&s, false);
	for (size_t fi = 0; fi < c->files->n && !s.seq.stop && s.fail == 0;
	    fi++)
		scan_file(&s, fi, &last);
	if (c->progress)
		fprintf(stderr, "\r%60s\r", "");
	drop_lanes(&s, true);
	if (emit_text(c, &ob, out) != 0 || res->write_failed)
		r = NFE_IO;
	free(s.x);
	res->exporters = s.wx.x;	/* transferred */
	res->nexporters = s.wx.n;
	s.wx.x = NULL;
	xmerge_fini(&s.wx);
	lane_fini(&s.seq);
	obuf_fini(&ob);
	return s.fail != 0 ? s.fail : r;
}
