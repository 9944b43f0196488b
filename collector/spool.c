/*
 * collector/spool.c -- the current flow file: temporary name, flush,
 * trailer + fsync + rename at the boundary, -x, crash recovery.
 *
 * Durability order at close: ffile_writer_close() writes the trailer
 * and fsyncs the file; rename(2) gives it its final name; an fsync of
 * the directory makes the rename itself durable.  A crash at any point
 * leaves either a *.current file (recovered at the next start) or the
 * complete final file, never a half-written file under a final name.
 */
#include "common/compat.h"

#include <sys/stat.h>
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
#include "common/log.h"
#include "common/nferr.h"

extern char **environ;

#define RECOVER_MAX_DEPTH	4	/* -S layouts nest at most 4 deep */

void
spool_init(struct spool *s, const struct spool_conf *conf)
{
	memset(s, 0, sizeof(*s));
	s->conf = conf;
}

bool
spool_is_open(const struct spool *s)
{
	return s->w != NULL;
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

/*
 * Pick a free name: the slot's own, else slot start + k seconds named
 * with seconds, for the first k >= from that is free.
 */
static int
pick_name(const struct spool_conf *c, int64_t slot, int64_t from, char *path,
    size_t len, int64_t *start)
{
	char tmp[4200];
	int r;

	if ((r = make_path(c, slot, c->interval < 60, path, len)) != NFE_OK)
		return r;
	snprintf(tmp, sizeof(tmp), "%s%s", path, SPOOL_TMP_SUFFIX);
	*start = slot;
	if (!exists(path) && !exists(tmp))
		return NFE_OK;
	for (int64_t t = from > slot ? from : slot + 1;
	    t < slot + (int64_t)c->interval + 3600; t++) {
		if ((r = make_path(c, t, true, path, len)) != NFE_OK)
			return r;
		snprintf(tmp, sizeof(tmp), "%s%s", path, SPOOL_TMP_SUFFIX);
		if (!exists(path) && !exists(tmp)) {
			*start = t;
			return NFE_OK;
		}
	}
	return NFE_LIMIT;
}

int
spool_open(struct spool *s, int64_t now_s, char *err, size_t errlen)
{
	const struct spool_conf *c = s->conf;
	struct ffile_wopts o;
	int64_t slot = spool_slot(now_s, c->interval), start;
	int r;

	if ((r = pick_name(c, slot, now_s, s->path, sizeof(s->path),
	    &start)) != NFE_OK) {
		snprintf(err, errlen, "%s: no free file name for the "
		    "interval", c->dir);
		return r;
	}
	if ((size_t)snprintf(s->tmp, sizeof(s->tmp), "%s%s", s->path,
	    SPOOL_TMP_SUFFIX) >= sizeof(s->tmp)) {
		snprintf(err, errlen, "%s: path too long", s->path);
		return NFE_LIMIT;
	}
	if (make_parents(s->tmp) != NFE_OK) {
		snprintf(err, errlen, "%s: cannot create directory: %s",
		    s->tmp, strerror(errno));
		return NFE_IO;
	}
	ffile_wopts_init(&o);
	o.codec = c->codec;
	o.level = c->level;
	o.ident = c->ident;
	o.block_recs = c->block_recs;
	if ((r = ffile_writer_open(s->tmp, &o, &s->w)) != NFE_OK) {
		snprintf(err, errlen, "%s: %s%s%s", s->tmp, nferr_str(r),
		    r == NFE_IO ? ": " : "", r == NFE_IO ? strerror(errno) :
		    "");
		s->w = NULL;
		return r;
	}
	s->start_s = start;
	s->end_s = slot + (int64_t)c->interval;
	return NFE_OK;
}

int
spool_add(struct spool *s, const struct flowrec *recs, size_t n)
{
	int r;

	if (s->w == NULL)
		return NFE_INTERNAL;
	if ((r = ffile_writer_add(s->w, recs, n)) != NFE_OK)
		s->errors++;
	return r;
}

int
spool_flush(struct spool *s)
{
	int r;

	if (s->w == NULL)
		return NFE_OK;
	if ((r = ffile_writer_flush(s->w)) != NFE_OK)
		s->errors++;
	return r;
}

int
spool_set_exporters(struct spool *s, const struct ffile_exporter *x, size_t n)
{
	if (s->w == NULL)
		return NFE_OK;
	return ffile_writer_set_exporters(s->w, x, n);
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

int
spool_close(struct spool *s, struct spool_done *done, char *err,
    size_t errlen)
{
	const struct ffile_totals *t;
	struct stat st;
	uint64_t records;
	size_t blocks;
	bool secs;
	int r;

	if (s->w == NULL)
		return NFE_OK;
	if ((r = ffile_writer_flush(s->w)) != NFE_OK) {
		snprintf(err, errlen, "%s: %s: %s", s->tmp, nferr_str(r),
		    strerror(errno));
		ffile_writer_abort(s->w);
		s->w = NULL;
		s->errors++;
		return r;
	}
	t = ffile_writer_totals(s->w);
	records = t->records;
	blocks = ffile_writer_blocks(s->w);
	r = ffile_writer_close(s->w);
	s->w = NULL;
	if (r != NFE_OK) {
		snprintf(err, errlen, "%s: %s: %s (left for recovery)", s->tmp,
		    nferr_str(r), strerror(errno));
		s->errors++;
		return r;
	}
	if (rename(s->tmp, s->path) == -1) {
		snprintf(err, errlen, "rename %s: %s (left for recovery)",
		    s->tmp, strerror(errno));
		s->errors++;
		return NFE_IO;
	}
	sync_dir_of(s->path);
	s->files++;
	if (done != NULL) {
		snprintf(done->path, sizeof(done->path), "%s", s->path);
		done->records = records;
		done->blocks = blocks;
		done->bytes_on_disk = stat(s->path, &st) == 0 ?
		    (uint64_t)st.st_size : 0;
	}
	secs = s->start_s % (int64_t)s->conf->interval != 0 ||
	    s->conf->interval < 60;
	run_xcmd(s, s->path, s->start_s, secs);
	return NFE_OK;
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
