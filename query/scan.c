/*
 * query/scan.c -- file selection and the block scan (scan.h).
 *
 * The scan is sequential per block: decode the
 * needed columns, filter the block column-wise into a selection, then
 * materialise the selected rows for the sinks.
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
#include "common/nfdump/nfdfile.h"
#include "common/prog/xmalloc.h"
#include "query/filter.h"
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
 * One lane of the scan: the buffers and sinks of one thread.  The
 * sequential scan has one lane writing into the caller's sinks; the
 * parallel scan gives each worker a lane with its own aggregation table,
 * statistics, output clone and partial summary, merged at the end.
 */
struct lane {
	const struct scan_conf	*conf;
	struct out_summary	*sum;		/* borrowed */
	struct aggtab		*aggtab;	/* borrowed or owned */
	struct topn		**stats;	/* borrowed or owned */
	struct output		*list;		/* borrowed or owned */
	struct obuf		*ob;		/* borrowed: current target */
	struct flowrec		*sorted;	/* -m: owned */
	size_t			 nsorted, capsorted;
	const struct nf_addr	*x;		/* this file's exporters */
	size_t			 nx;
	struct filter_env	 env;
	bool			 stop;
	struct xmerge		*wx;		/* borrowed: -w exporters */
	struct ffile_blockbuf	 bb;
	struct fcol		 col;
	uint8_t			*sel;		/* owned */
	/* parallel lanes only */
	struct out_summary	 own_sum;
	struct obuf		 own_ob;
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

static void
lane_init(struct lane *L, const struct scan_conf *c)
{
	memset(L, 0, sizeof(*L));
	L->conf = c;
	ffile_blockbuf_init(&L->bb);
	if (fcol_init(&L->col, FFILE_MAX_BLOCK_RECS) != NFE_OK) {
		fprintf(stderr, "flowq: out of memory\n");
		exit(1);
	}
	L->sel = xmalloc(FFILE_MAX_BLOCK_RECS);
	obuf_init(&L->own_ob);
}

static void
lane_fini(struct lane *L)
{
	free(L->sel);
	free(L->sorted);
	fcol_fini(&L->col);
	ffile_blockbuf_fini(&L->bb);
	obuf_fini(&L->own_ob);
}

static const struct nf_addr *
router_of(const struct lane *s, const struct flowrec *r)
{
	return r->exporter < s->nx ? &s->x[r->exporter] : NULL;
}

static void
sink(struct lane *s, const struct flowrec *r)
{
	const struct scan_conf *c = s->conf;
	struct out_summary *sum = s->sum;
	const struct nf_addr *ra = router_of(s, r);
	uint8_t key[AGG_KEY_MAX];
	struct aggval v;

	sum->passed++;
	if (sum->pass_first_ms == 0 || r->first_ms < sum->pass_first_ms)
		sum->pass_first_ms = r->first_ms;
	if (r->last_ms > sum->pass_last_ms)
		sum->pass_last_ms = r->last_ms;
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
		aggtab_add(s->aggtab, key, &v);
	} else if (c->writer != NULL) {
		struct flowrec w = *r;

		w.exporter = xmerge_index(s->wx, r->exporter);
		if (s->wx->grew) {
			(void)ffile_writer_set_exporters(c->writer, s->wx->x,
			    s->wx->n);
			s->wx->grew = false;
		}
		(void)ffile_writer_add(c->writer, &w, 1);
	}
	for (size_t i = 0; i < c->nstats; i++)
		topn_add(s->stats[i], r, ra);
	if (s->list != NULL) {
		if (c->time_order) {
			if (s->nsorted == s->capsorted) {
				s->capsorted = s->capsorted ? s->capsorted * 2 :
				    4096;
				s->sorted = xreallocarray(s->sorted,
				    s->capsorted, sizeof(*s->sorted));
			}
			s->sorted[s->nsorted++] = *r;
		} else
			output_record(s->list, r, ra, s->ob);
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

/* Filter and sink the decoded records in s->col.  Output goes to s->ob. */
static void
process_col(struct lane *s)
{
	const struct scan_conf *c = s->conf;
	struct out_summary *sum = s->sum;
	struct fcol *col = &s->col;
	struct flowrec rec;
	size_t nsel;
	uint8_t *sel = s->sel;

	sum->processed += col->n;
	for (size_t i = 0; i < col->n; i++) {
		if (sum->first_ms == 0 || col->first_ms[i] < sum->first_ms)
			sum->first_ms = col->first_ms[i];
		if (col->last_ms[i] > sum->last_ms)
			sum->last_ms = col->last_ms[i];
	}
	if (c->filter != NULL)
		nsel = filter_eval_block(c->filter, col, &s->env, sel, col->n);
	else {
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
}

/* Read, filter and sink block bi.  Output goes to s->ob. */
static void
process_block(struct lane *s, const struct ffile_reader *rd,
    const char *path, size_t bi, fcol_mask mask)
{
	const struct scan_conf *c = s->conf;
	const struct ffile_blockmeta *bm = ffile_block(rd, bi);
	struct out_summary *sum = s->sum;
	char err[256];

	if (c->window && !ffile_block_overlaps(rd, bi, c->from, c->to)) {
		sum->blocks_skipped++;
		return;
	}
	if (ffile_load_block(rd, bi, mask, &s->bb, &s->col, err,
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

/* Blocks of one file on nl lanes; listings emitted in block order. */
static int
scan_blocks_par(struct lane *lanes, size_t nl, const struct ffile_reader *rd,
    const char *path, size_t nblocks, fcol_mask mask, struct output *list,
    FILE *out)
{
	struct par p;
	int r = NFE_OK;

	memset(&p, 0, sizeof(p));
	p.rd = rd;
	p.path = path;
	p.nblocks = nblocks;
	p.window = 4 * nl;
	p.mask = mask;
	p.out = xcalloc(nblocks, sizeof(*p.out));
	p.done = xcalloc(nblocks, sizeof(*p.done));
	pthread_mutex_init(&p.mu, NULL);
	pthread_cond_init(&p.cv, NULL);
	for (size_t i = 0; i < nl; i++) {
		lanes[i].par = &p;
		if (pthread_create(&lanes[i].th, NULL, worker, &lanes[i]) != 0) {
			fprintf(stderr, "flowq: cannot start a thread\n");
			exit(1);
		}
	}
	for (size_t bi = 0; bi < nblocks; bi++) {
		pthread_mutex_lock(&p.mu);
		while (!p.done[bi])
			pthread_cond_wait(&p.cv, &p.mu);
		pthread_mutex_unlock(&p.mu);
		if (list != NULL && output_emit(list, &p.out[bi], out) != 0)
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

struct scan_state {
	const struct scan_conf	*conf;
	struct scan_result	*res;
	struct lane		 seq;		/* the sequential lane */
	struct lane		*lanes;		/* parallel lanes; owned */
	size_t			 nlanes;
	struct nf_addr		*x;		/* this file's exporters */
	size_t			 nx;
	struct xmerge		 wx;		/* -w: all files' exporters */
	fcol_mask		 mask;
	FILE			*out;
};

/* This file's exporter table, for every lane and the -w writer. */
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
		if (c->list != NULL && L->ob->len > 0)
			(void)output_emit(c->list, L->ob, s->out);
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
		if (scan_blocks_par(s->lanes, s->nlanes, rd, path,
		    info->nblocks, s->mask, c->list, s->out) != NFE_OK)
			s->res->write_failed = true;
	} else {
		for (size_t bi = 0; bi < info->nblocks && !L->stop; bi++) {
			progress(c, fi, bi, info->nblocks, plast);
			process_block(L, rd, path, bi, s->mask);
			if (c->list != NULL && L->ob->len > 0)
				(void)output_emit(c->list, L->ob, s->out);
		}
	}
	xmerge_end_file(&s->wx);
	ffile_close(rd);
}

int
scan_run(const struct scan_conf *c, struct scan_result *res, FILE *out)
{
	struct scan_state s;
	struct obuf ob;
	uint64_t last = time_mono_ms();
	size_t nl = c->threads;
	int r = NFE_OK;

	memset(res, 0, sizeof(*res));
	memset(&s, 0, sizeof(s));
	s.conf = c;
	s.res = res;
	s.out = out;
	obuf_init(&ob);
	/* what the summary and the sinks read */
	s.mask = FCOL_BIT(FCOL_FIRST) | FCOL_BIT(FCOL_LAST) |
	    FCOL_BIT(FCOL_PACKETS) | FCOL_BIT(FCOL_BYTES) |
	    FCOL_BIT(FCOL_FLOWS) | FCOL_BIT(FCOL_AF) | FCOL_BIT(FCOL_EXPORTER);
	if (c->agg != NULL)
		s.mask |= agg_columns(c->agg);
	for (size_t i = 0; i < c->nstats; i++)
		s.mask |= topn_columns(topn_stat_of(c->stats[i]));
	if (c->filter != NULL)
		s.mask |= filter_columns(c->filter);
	if (c->list != NULL || c->writer != NULL)
		s.mask = FCOL_ALL;
	xmerge_init(&s.wx);
	lane_init(&s.seq, c);
	s.seq.wx = &s.wx;
	s.seq.sum = &res->sum;
	s.seq.aggtab = c->aggtab;
	s.seq.stats = c->stats;
	s.seq.list = c->list;
	s.seq.ob = &ob;
	/* ordered side effects (-c, -m, -w of records) stay sequential */
	if (c->limit != 0 || c->time_order ||
	    (c->writer != NULL && c->agg == NULL))
		nl = 1;
	if (nl > 1) {
		s.nlanes = nl;
		s.lanes = xcalloc(nl, sizeof(*s.lanes));
		for (size_t i = 0; i < nl; i++) {
			struct lane *L = &s.lanes[i];

			lane_init(L, c);
			L->sum = &L->own_sum;
			if (c->agg != NULL)
				L->aggtab = aggtab_new(c->agg->keylen);
			L->stats = xcalloc(c->nstats + 1, sizeof(*L->stats));
			for (size_t k = 0; k < c->nstats; k++)
				L->stats[k] = topn_new(topn_stat_of(c->stats[k]));
			if (c->list != NULL)
				L->list = output_clone(c->list);
		}
	}
	for (size_t fi = 0; fi < c->files->n && !s.seq.stop; fi++)
		scan_file(&s, fi, &last);
	if (c->progress)
		fprintf(stderr, "\r%60s\r", "");
	for (size_t i = 0; i < s.nlanes; i++) {
		struct lane *L = &s.lanes[i];

		sum_add(&res->sum, &L->own_sum);
		if (c->agg != NULL)
			aggtab_merge(c->aggtab, L->aggtab);
		for (size_t k = 0; k < c->nstats; k++) {
			topn_merge(c->stats[k], L->stats[k]);
			topn_free(L->stats[k]);
		}
		free(L->stats);
		aggtab_free(L->aggtab);
		output_free(L->list);
		lane_fini(L);
	}
	free(s.lanes);
	if (c->time_order && s.seq.nsorted > 0) {
		qsort(s.seq.sorted, s.seq.nsorted, sizeof(*s.seq.sorted),
		    by_first);
		for (size_t i = 0; i < s.seq.nsorted; i++) {
			output_record(c->list, &s.seq.sorted[i], NULL, &ob);
			if (ob.len > 65536 && output_emit(c->list, &ob, out) != 0)
				r = NFE_IO;
		}
	}
	if (c->list != NULL && output_emit(c->list, &ob, out) != 0)
		r = NFE_IO;
	if (res->write_failed)
		r = NFE_IO;
	free(s.x);
	res->exporters = s.wx.x;	/* transferred */
	res->nexporters = s.wx.n;
	s.wx.x = NULL;
	xmerge_fini(&s.wx);
	lane_fini(&s.seq);
	obuf_fini(&ob);
	return r;
}
