/*
 * tests/t_spool.c -- collector/spool while writes fail, without root: a
 * file size limit (RLIMIT_FSIZE, SIGXFSZ ignored) stands in for the
 * full disk.  Covered: rotation while stalled (the old file waits and
 * is completed under its own name once the disk takes data, the new
 * file gets the next name even though its header is not on disk),
 * retries only every SPOOL_RETRY_MS, the exit with the disk still full,
 * and that every record added is stored, left, dropped or discarded.
 * tests/flowcapd_diskfull.sh does the same end to end on a real tmpfs.
 */
#include "common/base/compat.h"

#include <sys/resource.h>
#include <sys/stat.h>

#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collector/spool.h"
#include "collector/spoolname.h"
#include "common/base/nferr.h"
#include "common/ffile/ffile.h"
#include "common/ffile/zcodec.h"
#include "common/prog/log.h"
#include "ffgen.h"
#include "tap.h"

#define T0	INT64_C(1795427251)	/* 09:47:31 UTC: slot 09:45 */
#define BRECS	1000
#define NRECS	10000

static struct flowrec *recs;
static struct rlimit fsize_old;

static void
fsize(rlim_t lim)
{
	struct rlimit r = fsize_old;

	if (lim != RLIM_INFINITY)
		r.rlim_cur = lim;
	(void)setrlimit(RLIMIT_FSIZE, &r);
}

/* Bytes of the current file so far. */
static rlim_t
cur_size(const struct spool *s)
{
	struct stat st;

	return stat(s->cur->tmp, &st) == 0 ? (rlim_t)st.st_size : 0;
}

static size_t
count_suffix(const char *dir, const char *suffix)
{
	struct dirent *d;
	size_t n = 0, sl = strlen(suffix);
	DIR *dp = opendir(dir);

	while (dp != NULL && (d = readdir(dp)) != NULL) {
		size_t l = strlen(d->d_name);

		if (l >= sl && strcmp(d->d_name + l - sl, suffix) == 0)
			n++;
	}
	if (dp != NULL)
		closedir(dp);
	return n;
}

static uint64_t
records_in(const char *path)
{
	struct ffile_reader *r;
	char err[256];
	uint64_t n = UINT64_MAX;

	if (ffile_open(path, 0, &r, err, sizeof(err)) == NFE_OK) {
		if (ffile_info(r)->clean)
			n = ffile_info(r)->records;
		ffile_close(r);
	} else {
		tap_diag("%s: %s", path, err);
	}
	return n;
}

static void
test_rotation_while_full(const struct spool_conf *c)
{
	struct spool s;
	struct spool_done d;
	char err[256], p1[4300], p2[4300], rel[256];
	uint64_t added = 0;

	spool_init(&s, c);
	tap_is_int(spool_open(&s, T0, 0, true, err, sizeof(err)), NFE_OK,
	    "open");
	spool_add(&s, recs, 1500, 0);
	spool_flush(&s, 0);
	added += 1500;

	fsize(cur_size(&s) + 10);
	spool_add(&s, recs + 1500, 2 * BRECS, 100);
	added += 2 * BRECS;
	tap_ok(s.stalled && s.hold.records == 2 * BRECS,
	    "the disk refuses: stalled, 2 blocks held");

	tap_ok(spool_close(&s, &d, err, sizeof(err)) == NFE_OK && d.waiting &&
	    d.records == 1500 && d.held == 2 * BRECS && !spool_is_open(&s) &&
	    s.waiting != NULL, "rotation while full: the file waits "
	    "(1500 written, 2000 held)");
	tap_is_int(spool_open(&s, T0 + 1, 200, false, err, sizeof(err)),
	    NFE_OK, "the next file is set up anyway");
	spool_relpath(spool_slot(T0, c->interval), c->interval, 0, rel,
	    sizeof(rel));
	snprintf(p1, sizeof(p1), "%s/%s", c->dir, rel);
	spool_relpath(T0 + 1, 1, 0, rel, sizeof(rel));
	snprintf(p2, sizeof(p2), "%s/%s", c->dir, rel);
	tap_is_str(s.cur->path, p2, "its name has seconds: the slot's name "
	    "belongs to the waiting file");
	spool_add(&s, recs + 3500, BRECS + 200, 300);
	added += BRECS + 200;

	fsize(RLIM_INFINITY);
	spool_tick(&s, 900);
	tap_ok(s.stalled && s.waiting != NULL,
	    "no retry before SPOOL_RETRY_MS");
	spool_tick(&s, 1200);
	tap_ok(!s.stalled && s.waiting == NULL && s.files == 1 &&
	    s.stored == 3500, "the retry writes everything and completes "
	    "the waiting file");
	tap_is_uint(records_in(p1), 3500, "under the slot's name, complete");
	tap_ok(spool_close(&s, &d, err, sizeof(err)) == NFE_OK && !d.waiting,
	    "the second file completes at once");
	tap_is_uint(records_in(p2), BRECS + 200, "under its own name");
	tap_ok(count_suffix(c->dir, SPOOL_TMP_SUFFIX) == 0,
	    "no temporary file left");
	tap_ok(s.stored == added && s.hold.written == added &&
	    s.hold.dropped + s.hold.discarded + s.left + s.nofile == 0,
	    "every record added is stored (%llu)", (unsigned long long)added);
	spool_shutdown(&s, 2000);
}

static void
test_exit_while_full(const struct spool_conf *c)
{
	struct spool s;
	char err[256];
	uint64_t added = 0;

	spool_init(&s, c);
	spool_open(&s, T0 + 7200, 0, true, err, sizeof(err));
	spool_add(&s, recs, 2 * BRECS, 0);
	added += 2 * BRECS;
	fsize(cur_size(&s));	/* not one byte more, not even a trailer */
	spool_add(&s, recs + 2 * BRECS, BRECS + 300, 10);
	added += BRECS + 300;
	spool_close(&s, NULL, err, sizeof(err));
	spool_shutdown(&s, 20);
	tap_ok(s.hold.discarded == BRECS + 300 && s.left == 2 * BRECS &&
	    s.stored == 0 && s.waiting == NULL,
	    "exit while full: 1300 not written, 2000 left on disk");
	tap_ok(count_suffix(c->dir, SPOOL_TMP_SUFFIX) == 1,
	    "the file stays for recovery at the next start");
	fsize(RLIM_INFINITY);
	tap_is_uint(spool_recover(c), 1, "and is recovered then");
	tap_ok(s.stored + s.left + s.hold.dropped + s.hold.discarded +
	    s.nofile == added, "accounting balances");
}

static void
test_limit_zero(const struct spool_conf *c0)
{
	struct spool_conf c = *c0;
	struct spool s;
	char err[256];

	c.hold_max = 0;
	spool_init(&s, &c);
	spool_open(&s, T0 + 14400, 0, true, err, sizeof(err));
	spool_add(&s, recs, BRECS, 0);
	fsize(cur_size(&s) + 10);
	spool_add(&s, recs, 3 * BRECS, 10);
	tap_ok(s.stalled && s.hold.dropped == 3 * BRECS && s.hold.bytes == 0,
	    "-H 0: blocks the disk refuses are dropped at once, counted");
	fsize(RLIM_INFINITY);
	spool_add(&s, recs, BRECS, 20);
	tap_ok(!s.stalled, "the next block written ends the stall");
	spool_close(&s, NULL, err, sizeof(err));
	spool_shutdown(&s, 30);
	tap_ok(s.stored == 2 * BRECS && s.hold.dropped == 3 * BRECS,
	    "stored 2000, dropped 3000");
}

int
main(void)
{
	struct spool_conf c;

	signal(SIGXFSZ, SIG_IGN);
	getrlimit(RLIMIT_FSIZE, &fsize_old);
	log_init("t_spool", LOG_DEST_STDERR, LOG_INFO);
	recs = calloc(NRECS, sizeof(*recs));
	ffgen_records(recs, NRECS, 3, FFGEN_V4, (uint64_t)T0 * 1000, 0);
	memset(&c, 0, sizeof(c));
	c.dir = ffgen_tmpdir();
	c.interval = 300;
	c.codec = ZC_NONE;
	c.block_recs = BRECS;
	c.hold_max = SPOOL_DEF_HOLD;
	tap_no_plan();
	test_rotation_while_full(&c);
	test_exit_while_full(&c);
	test_limit_zero(&c);
	free(recs);
	ffgen_cleanup();
	return tap_done();
}
