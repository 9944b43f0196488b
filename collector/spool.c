/*
 * collector/spool.c -- the flow files: temporary name, flush, trailer +
 * fsync + rename at the boundary, -x, crash recovery; and the files and
 * data that wait while the disk refuses writes (retries, the stop,
 * limit and resume log lines, the last attempt at exit).
 *
 * Durability order at close: ffile_writer_finish() writes the trailer
 * and fsyncs the file; rename(2) gives it its final name; an fsync of
 * the directory makes the rename itself durable.  A crash at any point
 * leaves either a *.current file (recovered at the next start) or the
 * complete final file, never a half-written file under a final name.
 * Data held in memory is lost by a crash, as the partial block always
 * was.
 *
 * The current file's exporter table maps exporter ids (order of
 * arrival in the collector's exporter table) to indexes in the file
 * through a flat array, so the lookup per batch is one load.
 */
#include "common/base/compat.h"

#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collector/spool.h"
#include "collector/spoolname.h"
#include "common/base/nferr.h"
#include "common/prog/log.h"

extern char **environ;

#define RECOVER_MAX_DEPTH	4	/* -S layouts nest at most 4 deep */

void
spool_init(struct spool *s, const struct spool_conf *conf)
{
	memset(s, 0, sizeof(*s));
	s->conf = conf;
	s->hold.limit = conf->hold_max;
}

bool
spool_is_open(const struct spool *s)
{
	return s->cur != NULL;
}

/* mkdir -p of the directories in path (the last component is a file). */
static int
make_parents(const char *path)
{
	char buf[4096];
	size_t n = strlen(path);

	if (n >= sizeof(buf))
		return NFE_LIMIT;
	memcpy(buf, path, n + 1);
	for (char *p = buf + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0755) == -1 && errno != EEXIST)
			return NFE_IO;
		*p = '/';
	}
	return NFE_OK;
}

static bool
exists(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

/* Full final path of the file named after start_s (seconds if forced). */
static int
make_path(const struct spool_conf *c, int64_t start_s, bool secs, char *buf,
    size_t len)
{
	char rel[256];
	int n;

	if (spool_relpath(start_s, secs ? 1 : c->interval, c->layout, rel,
	    sizeof(rel)) != NFE_OK)
		return NFE_INVAL;
	n = snprintf(buf, len, "%s/%s", c->dir, rel);
	return n > 0 && (size_t)n < len ? NFE_OK : NFE_LIMIT;
}

/* Given out to one of our files that is not complete yet? */
static bool
in_use(const struct spool *s, const char *path)
{
	if (s->cur != NULL && strcmp(s->cur->path, path) == 0)
		return true;
	for (const struct spool_file *f = s->waiting; f != NULL; f = f->next)
		if (strcmp(f->path, path) == 0)
			return true;
	return false;
}

static bool
taken(const struct spool *s, const char *path)
{
	char tmp[4200];

	snprintf(tmp, sizeof(tmp), "%s%s", path, SPOOL_TMP_SUFFIX);
	return exists(path) || exists(tmp) || in_use(s, path);
}

/*
 * Pick a free name: the slot's own, else slot start + k seconds named
 * with seconds, for the first k >= from that is free.
 */
static int
pick_name(const struct spool *s, int64_t slot, int64_t from, char *path,
    size_t len, int64_t *start)
{
	const struct spool_conf *c = s->conf;
	int r;

	if ((r = make_path(c, slot, c->interval < 60, path, len)) != NFE_OK)
		return r;
	*start = slot;
	if (!taken(s, path))
		return NFE_OK;
	for (int64_t t = from > slot ? from : slot + 1;
	    t < slot + (int64_t)c->interval + 3600; t++) {
		if ((r = make_path(c, t, true, path, len)) != NFE_OK)
			return r;
		if (!taken(s, path)) {
			*start = t;
			return NFE_OK;
		}
	}
	return NFE_LIMIT;
}

static void
free_file(struct spool_file *f)
{
	ffile_writer_abort(f->w);
	free(f);
}

/* Full disk or quota: conditions that pass; anything else at start is
 * a configuration problem. */
static bool
space_error(int e)
{
	return e == ENOSPC || e == EDQUOT;
}

/* Note f in the search below if its data waits for a write. */
static void
stall_of(const struct spool_file *f, const struct spool_file **first,
    int *err, uint64_t *need)
{
	struct ffile_wstate st;

	ffile_writer_state(f->w, &st);
	if (!st.stalled && f->rename_err == 0)
		return;
	*need += st.need_bytes;
	if (*first == NULL) {
		*first = f;
		*err = st.stalled ? st.error : f->rename_err;
	}
}

/*
 * The first file (waiting ones oldest first, then the current one)
 * whose data waits for a write; *need sums the space they all need.
 */
static const struct spool_file *
first_stalled(const struct spool *s, int *err, uint64_t *need)
{
	const struct spool_file *first = NULL;

	*need = 0;
	*err = 0;
	for (const struct spool_file *f = s->waiting; f != NULL; f = f->next)
		stall_of(f, &first, err, need);
	if (s->cur != NULL)
		stall_of(s->cur, &first, err, need);
	return first;
}

size_t
spool_pending(const struct spool *s)
{
	return s->cur != NULL ? ffile_writer_pending(s->cur->w) : 0;
}

size_t
spool_waiting(const struct spool *s)
{
	size_t n = 0;

	for (const struct spool_file *f = s->waiting; f != NULL; f = f->next)
		n++;
	return n;
}

bool
spool_stall_info(const struct spool *s, const char **path, int *err,
    uint64_t *need)
{
	const struct spool_file *f = first_stalled(s, err, need);

	*path = f != NULL ? f->tmp : NULL;
	return f != NULL;
}

/* Log the stop, limit and resume lines as the state changes. */
static void
check_stall(struct spool *s, uint64_t mono_ms)
{
	const struct spool_file *f;
	struct statvfs sv;
	char freebuf[64];
	uint64_t need;
	int e;

	f = first_stalled(s, &e, &need);
	if (f != NULL && !s->stalled) {
		if (statvfs(s->conf->dir, &sv) == 0)
			snprintf(freebuf, sizeof(freebuf), "%" PRIu64
			    " bytes free", (uint64_t)sv.f_bavail *
			    (uint64_t)sv.f_frsize);
		else
			snprintf(freebuf, sizeof(freebuf), "free space unknown");
		if (s->hold.limit > 0)
			log_msg(LOG_ERR, "%s: cannot write: %s (%s, %" PRIu64
			    " needed); holding flow data in memory, up to %"
			    PRIu64 " bytes (-H), and retrying every %u s",
			    f->tmp, strerror(e), freebuf, need, s->hold.limit,
			    SPOOL_RETRY_MS / 1000);
		else
			log_msg(LOG_ERR, "%s: cannot write: %s (%s, %" PRIu64
			    " needed); -H 0: flow blocks are dropped and "
			    "counted until writing resumes", f->tmp,
			    strerror(e), freebuf, need);
		s->stalled = true;
		s->stall_mono = mono_ms;
		s->stall_written = s->hold.written;
		s->stall_dropped = s->hold.dropped;
		s->next_retry = mono_ms + SPOOL_RETRY_MS;
	}
	if (s->stalled && s->hold.limit_hit && !s->limit_logged &&
	    s->hold.limit > 0) {
		log_msg(LOG_ERR, "hold limit of %" PRIu64 " bytes (-H) "
		    "reached: new flow blocks are dropped and counted until "
		    "writing resumes", s->hold.limit);
		s->limit_logged = true;
	}
	if (f == NULL && s->stalled) {
		log_msg(LOG_NOTICE, "writing resumed after %.1f s: %" PRIu64
		    " flows written since it stopped, %" PRIu64 " dropped "
		    "(hold limit)", (double)(mono_ms - s->stall_mono) / 1000,
		    s->hold.written - s->stall_written,
		    s->hold.dropped - s->stall_dropped);
		s->stalled = false;
		s->limit_logged = false;
		s->hold.limit_hit = false;
	}
}

/*
 * Hand the writer the exporter table with the exporters' counters as
 * they are now.  The writer writes it in front of the next block when
 * an exporter joined (ffile_writer_set_exporters), and with the trailer.
 * A file without exporters has no records either: its writer is left
 * with the empty table it started with.
 */
static void
sync_exporters(struct spool *s)
{
	for (size_t i = 0; i < s->nexporters; i++)
		exporter_file_entry(s->exporters[i], &s->xentries[i]);
	if (s->cur != NULL && s->nexporters > 0)
		(void)ffile_writer_set_exporters(s->cur->w, s->xentries, s->nexporters);
	s->x_dirty = false;
}

/* An empty table for a new file. */
static void
clear_exporters(struct spool *s)
{
	for (size_t i = 0; i < s->nexporters; i++)
		s->xindex[s->exporters[i]->id] = 0;
	s->nexporters = 0;
	s->x_dirty = false;
}

/* Add e to the table; its index, or -1 (full, out of memory). */
static int
join(struct spool *s, const struct exporter *e)
{
	if (s->nexporters >= FFILE_MAX_EXPORTERS)
		return -1;
	if (e->id >= s->nxindex) {
		size_t n = s->nxindex ? s->nxindex : 64;
		uint32_t *x;

		while (n <= e->id)
			n *= 2;
		if ((x = realloc(s->xindex, n * sizeof(*x))) == NULL)
			return -1;
		memset(x + s->nxindex, 0, (n - s->nxindex) * sizeof(*x));
		s->xindex = x;
		s->nxindex = n;
	}
	if (s->nexporters == s->xcap) {
		size_t n = s->xcap ? s->xcap * 2 : 16;
		const struct exporter **xs;
		struct ffile_exporter *xt;

		if ((xs = realloc(s->exporters, n * sizeof(*xs))) == NULL)
			return -1;
		s->exporters = xs;
		if ((xt = realloc(s->xentries, n * sizeof(*xt))) == NULL)
			return -1;
		s->xentries = xt;
		s->xcap = n;
	}
	s->exporters[s->nexporters] = e;
	s->xindex[e->id] = (uint32_t)++s->nexporters;
	s->x_dirty = true;		/* handed over before the next block */
	return (int)(s->nexporters - 1);
}

uint16_t
spool_exporter(struct spool *s, const struct exporter *e)
{
	int i;

	if (e->id < s->nxindex && s->xindex[e->id] != 0)
		return (uint16_t)(s->xindex[e->id] - 1);
	i = join(s, e);
	return i < 0 ? 0 : (uint16_t)i;
}

size_t
spool_nexporters(const struct spool *s)
{
	return s->nexporters;
}

const struct exporter *
spool_exporter_at(const struct spool *s, size_t i)
{
	return i < s->nexporters ? s->exporters[i] : NULL;
}

int
spool_open(struct spool *s, int64_t now_s, uint64_t mono_ms, bool strict,
    char *err, size_t errlen)
{
	const struct spool_conf *c = s->conf;
	struct ffile_wopts o;
	struct ffile_wstate st;
	struct spool_file *f;
	int64_t slot = spool_slot(now_s, c->interval), start;
	int r, e = 0;

	if (s->cur != NULL) {
		snprintf(err, errlen, "%s: a file is open", s->cur->tmp);
		return NFE_INTERNAL;
	}
	clear_exporters(s);
	if ((f = calloc(1, sizeof(*f))) == NULL) {
		snprintf(err, errlen, "out of memory for a new file");
		return NFE_NOMEM;
	}
	if ((r = pick_name(s, slot, now_s, f->path, sizeof(f->path),
	    &start)) != NFE_OK) {
		snprintf(err, errlen, "%s: no free file name for the "
		    "interval", c->dir);
		free(f);
		return r;
	}
	if ((size_t)snprintf(f->tmp, sizeof(f->tmp), "%s%s", f->path,
	    SPOOL_TMP_SUFFIX) >= sizeof(f->tmp)) {
		snprintf(err, errlen, "%s: path too long", f->path);
		free(f);
		return NFE_LIMIT;
	}
	/* a failure here shows up as the file's write error */
	if (make_parents(f->tmp) != NFE_OK)
		e = errno;
	ffile_wopts_init(&o);
	o.codec = c->codec;
	o.level = c->level;
	o.ident = c->ident;
	o.block_recs = c->block_recs;
	o.hold = &s->hold;
	if ((r = ffile_writer_open(f->tmp, &o, &f->w)) != NFE_OK) {
		snprintf(err, errlen, "%s: %s", f->tmp, nferr_str(r));
		free(f);
		return r;
	}
	ffile_writer_state(f->w, &st);
	if (strict && st.stalled && !space_error(e != 0 ? e : st.error)) {
		snprintf(err, errlen, "%s: %s%s", f->tmp, e != 0 ?
		    "cannot create directory: " : "", strerror(e != 0 ? e :
		    st.error));
		if (st.created)
			(void)unlink(f->tmp);
		free_file(f);
		return NFE_IO;
	}
	f->start_s = start;
	f->secs = start % (int64_t)c->interval != 0 || c->interval < 60;
	s->cur = f;
	s->end_s = slot + (int64_t)c->interval;
	check_stall(s, mono_ms);
	return NFE_OK;
}

void
spool_add(struct spool *s, const struct flowrec *recs, size_t n,
    uint64_t mono_ms)
{
	spool_add_cols(s, recs, n, FCOL_ALL, mono_ms);
}

void
spool_add_cols(struct spool *s, const struct flowrec *recs, size_t n,
    fcol_mask cols, uint64_t mono_ms)
{
	size_t brecs = s->conf->block_recs ? s->conf->block_recs :
	    FFILE_BLOCK_RECS;

	if (s->cur == NULL) {
		s->nofile += n;
		return;
	}
	/*
	 * The table must be in the writer before a block that names a new
	 * exporter is written; handing it over only then makes a burst of
	 * new exporters cost one copy of the table per block, not one per
	 * exporter.
	 */
	if (s->x_dirty && ffile_writer_pending(s->cur->w) + n >= brecs)
		sync_exporters(s);
	if (ffile_writer_add_cols(s->cur->w, recs, n, cols) != NFE_OK)
		s->nofile += n;		/* a bug: the file is finishing */
	check_stall(s, mono_ms);
}

void
spool_flush(struct spool *s, uint64_t mono_ms)
{
	if (s->cur == NULL)
		return;
	sync_exporters(s);
	(void)ffile_writer_flush(s->cur->w);
	check_stall(s, mono_ms);
}

static void
sync_dir_of(const char *path)
{
	char buf[4096];
	char *slash;
	int fd;

	snprintf(buf, sizeof(buf), "%s", path);
	if ((slash = strrchr(buf, '/')) == NULL)
		snprintf(buf, sizeof(buf), ".");
	else if (slash == buf)
		slash[1] = '\0';
	else
		*slash = '\0';
	if ((fd = open(buf, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return;
	(void)fsync(fd);
	close(fd);
}

static void
run_xcmd(struct spool *s, const char *path, int64_t start_s, bool secs)
{
	const struct spool_conf *c = s->conf;
	struct spool_vars v;
	char cmd[8192];
	char *argv[4];
	pid_t pid;

	if (c->xcmd == NULL)
		return;
	if (s->children >= SPOOL_MAX_CHILDREN) {
		s->xskipped++;
		return;
	}
	v.path = path;
	v.dir = c->dir;
	v.slot_s = start_s;
	v.interval = secs ? 1 : c->interval;
	v.ident = c->ident != NULL ? c->ident : "";
	if (spool_expand(c->xcmd, &v, cmd, sizeof(cmd)) != NFE_OK) {
		s->xskipped++;
		return;
	}
	argv[0] = (char *)(uintptr_t)"sh";
	argv[1] = (char *)(uintptr_t)"-c";
	argv[2] = cmd;
	argv[3] = NULL;
	if (posix_spawn(&pid, "/bin/sh", NULL, NULL, argv, environ) == 0)
		s->children++;
	else
		s->xskipped++;
}

static void
fill_done(const struct spool_file *f, bool waiting, struct spool_done *d)
{
	struct ffile_wstate st;

	if (d == NULL)
		return;
	ffile_writer_state(f->w, &st);
	snprintf(d->path, sizeof(d->path), "%s", waiting ? f->tmp : f->path);
	d->records = ffile_writer_totals(f->w)->records;
	d->blocks = ffile_writer_blocks(f->w);
	d->bytes_on_disk = ffile_writer_bytes(f->w);
	d->waiting = waiting;
	d->held = st.held_records;
	d->held_bytes = st.held_bytes;
	d->dropped = st.dropped;
}

/*
 * The file's data and trailer are on disk (ffile_writer_finish
 * succeeded): give it its final name and run -x.  A file that never
 * got anything on disk is removed instead.  NFE_IO: rename failed
 * (f->rename_err), try again later.
 */
static int
complete(struct spool *s, struct spool_file *f, struct spool_done *done)
{
	struct ffile_wstate st;

	ffile_writer_state(f->w, &st);
	if (ffile_writer_bytes(f->w) == 0) {
		if (st.created)
			(void)unlink(f->tmp);
		fill_done(f, false, done);
		return NFE_OK;
	}
	if (rename(f->tmp, f->path) == -1) {
		f->rename_err = errno;
		return NFE_IO;
	}
	f->rename_err = 0;
	sync_dir_of(f->path);
	s->files++;
	s->stored += ffile_writer_totals(f->w)->records;
	fill_done(f, false, done);
	run_xcmd(s, f->path, f->start_s, f->secs);
	return NFE_OK;
}

int
spool_close(struct spool *s, struct spool_done *done, char *err,
    size_t errlen)
{
	struct spool_file *f = s->cur, **pp;
	int r;

	if (f == NULL)
		return NFE_OK;
	sync_exporters(s);
	s->cur = NULL;
	if ((r = ffile_writer_finish(f->w)) == NFE_OK)
		r = complete(s, f, done);
	if (r == NFE_OK) {
		free_file(f);
		return NFE_OK;
	}
	if (r == NFE_IO) {		/* waits for the disk */
		fill_done(f, true, done);
		for (pp = &s->waiting; *pp != NULL; pp = &(*pp)->next)
			continue;
		*pp = f;
		return NFE_OK;
	}
	snprintf(err, errlen, "%s: %s (left for recovery)", f->tmp,
	    nferr_str(r));
	s->errors++;
	s->left += ffile_writer_totals(f->w)->records;
	free_file(f);
	return r;
}

/* Try to complete each waiting file, oldest first. */
static void
retry_waiting(struct spool *s)
{
	struct spool_file **pp = &s->waiting, *f;
	struct spool_done d;

	while ((f = *pp) != NULL) {
		if (ffile_writer_finish(f->w) != NFE_OK ||
		    complete(s, f, &d) != NFE_OK) {
			pp = &f->next;
			continue;
		}
		log_msg(LOG_NOTICE, "%s: completed once writing resumed: %"
		    PRIu64 " flows, %zu blocks, %" PRIu64 " bytes; %" PRIu64
		    " flows dropped (hold limit)", d.path, d.records, d.blocks,
		    d.bytes_on_disk, d.dropped);
		*pp = f->next;
		free_file(f);
	}
}

void
spool_tick(struct spool *s, uint64_t mono_ms)
{
	if ((s->stalled || s->waiting != NULL) && mono_ms >= s->next_retry) {
		s->next_retry = mono_ms + SPOOL_RETRY_MS;
		retry_waiting(s);
		if (s->cur != NULL)
			(void)ffile_writer_retry(s->cur->w);
	}
	check_stall(s, mono_ms);
}

void
spool_shutdown(struct spool *s, uint64_t mono_ms)
{
	struct spool_file *f;
	struct ffile_wstate st;
	uint64_t lost, on_disk;
	char why[4400];

	(void)mono_ms;
	free(s->exporters);
	free(s->xentries);
	free(s->xindex);
	s->exporters = NULL;
	s->xentries = NULL;
	s->xindex = NULL;
	s->nexporters = s->xcap = s->nxindex = 0;
	retry_waiting(s);			/* the last attempt */
	while ((f = s->waiting) != NULL) {
		s->waiting = f->next;
		ffile_writer_state(f->w, &st);
		snprintf(why, sizeof(why), "%s: still cannot write at exit "
		    "(%s)", f->tmp, strerror(st.error != 0 ? st.error :
		    f->rename_err));
		lost = ffile_writer_discard(f->w);
		if (ffile_writer_finish(f->w) == NFE_OK &&
		    complete(s, f, NULL) == NFE_OK) {
			on_disk = ffile_writer_totals(f->w)->records;
			if (ffile_writer_bytes(f->w) == 0)
				log_msg(LOG_ERR, "%s: %" PRIu64 " flows held in "
				    "memory are lost; the file was never "
				    "created", why, lost);
			else
				log_msg(LOG_ERR, "%s: %" PRIu64 " flows held in "
				    "memory are lost; file completed as %s "
				    "with the %" PRIu64 " flows on disk", why,
				    lost, f->path, on_disk);
		} else {
			on_disk = ffile_writer_totals(f->w)->records;
			s->left += on_disk;
			log_msg(LOG_ERR, "%s: %" PRIu64 " flows held in memory "
			    "are lost; the %" PRIu64 " flows on disk stay in "
			    "this file for recovery at the next start", why,
			    lost, on_disk);
		}
		free_file(f);
	}
}

size_t
spool_reap(struct spool *s)
{
	size_t n = 0;
	int status;

	while (s->children > 0 && waitpid(-1, &status, WNOHANG) > 0) {
		s->children--;
		n++;
	}
	return n;
}

static void
recover_one(const char *dir, const char *name,
    int64_t slot)
{
	struct ffile_recovery res;
	char tmp[4096], path[4096], msg[8800], err[512];
	int64_t start;
	char *dot;
	int r;

	snprintf(tmp, sizeof(tmp), "%s/%s", dir, name);
	r = ffile_recover(tmp, &res, err, sizeof(err));
	if (r == NFE_IO || r == NFE_NOMEM) {
		/* the file may be fine: the disk or memory is not */
		log_msg(LOG_WARNING, "%s: cannot recover now: %s; left for "
		    "the next start", tmp, err);
		return;
	}
	if (r != NFE_OK) {
		snprintf(msg, sizeof(msg), "%s: cannot recover: %s; "
		    "renamed to *.bad", tmp, err);
		log_msg(LOG_WARNING, "%s", msg);
		snprintf(path, sizeof(path), "%s", tmp);
		if ((dot = strrchr(path, '.')) != NULL)
			snprintf(dot, sizeof(path) - (size_t)(dot - path),
			    ".bad");
		(void)rename(tmp, path);
		return;
	}
	/* the final name goes in the same directory as the leftover */
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	path[strlen(path) - strlen(SPOOL_TMP_SUFFIX)] = '\0';
	start = slot;
	if (exists(path)) {
		char rel[256];

		for (start = slot + 1; ; start++) {
			spool_relpath(start, 1, 0, rel, sizeof(rel));
			snprintf(path, sizeof(path), "%s/%s", dir, rel);
			if (!exists(path))
				break;
		}
	}
	if (rename(tmp, path) == -1) {
		snprintf(msg, sizeof(msg), "rename %s: %s", tmp,
		    strerror(errno));
		log_msg(LOG_WARNING, "%s", msg);
		return;
	}
	sync_dir_of(path);
	if (res.was_clean)
		snprintf(msg, sizeof(msg), "%s: complete file under its "
		    "temporary name, renamed to %s", tmp, path);
	else
		snprintf(msg, sizeof(msg), "%s: not closed cleanly: recovered "
		    "%zu blocks, %" PRIu64 " flows (%zu bad blocks, %" PRIu64
		    " bytes cut) into %s", tmp, res.blocks, res.records,
		    res.bad_blocks, res.cut_bytes, path);
	log_msg(LOG_NOTICE, "%s", msg);
}

static size_t
recover_dir(const char *dir, int depth)
{
	DIR *d;
	struct dirent *de;
	char sub[4096];
	struct stat st;
	int64_t slot;
	bool tmp;
	size_t n = 0;

	if ((d = opendir(dir)) == NULL)
		return 0;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if (spool_parse_name(de->d_name, &slot, &tmp)) {
			if (tmp) {
				recover_one(dir, de->d_name, slot);
				n++;
			}
			continue;
		}
		if (depth >= RECOVER_MAX_DEPTH)
			continue;
		snprintf(sub, sizeof(sub), "%s/%s", dir, de->d_name);
		if (lstat(sub, &st) == 0 && S_ISDIR(st.st_mode))
			n += recover_dir(sub, depth + 1);
	}
	closedir(d);
	return n;
}

size_t
spool_recover(const struct spool_conf *conf)
{
	return recover_dir(conf->dir, 0);
}
