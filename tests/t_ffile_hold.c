/*
 * tests/t_ffile_hold.c -- the flow file writer's hold mode (a collector
 * on a full disk), without root: a file size limit (RLIMIT_FSIZE, with
 * SIGXFSZ ignored, so writes fail with EFBIG) stands in for the full
 * disk, and raising it again for the space coming back.
 *
 * Covered: blocks held in file order and written by a retry; the
 * partial block kept while stalled; a file that cannot be created, or
 * whose header cannot be written, completed later; the shared limit
 * (exact drop counts, across two writers); an exporter table changed
 * while stalled lands before the next block; finishing while stalled,
 * giving up what is held and still writing the trailer, or leaving a
 * recoverable file; and that every record is written, held, dropped
 * or discarded.
 */
#include "common/base/compat.h"

#include <sys/resource.h>
#include <sys/stat.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/base/nferr.h"
#include "common/ffile/ffile.h"
#include "common/ffile/zcodec.h"
#include "ffcheck.h"
#include "ffgen.h"
#include "tap.h"

#define T0	UINT64_C(1700000000000)
#define BRECS	1000		/* records per block in these tests */
#define NRECS	8000

static struct flowrec *recs;
static struct rlimit fsize_old;

/* Let files grow to at most lim bytes (RLIM_INFINITY: as before). */
static void
fsize(rlim_t lim)
{
	struct rlimit r = fsize_old;

	if (lim != RLIM_INFINITY)
		r.rlim_cur = lim;
	if (setrlimit(RLIMIT_FSIZE, &r) != 0)
		tap_diag("setrlimit: %s", strerror(errno));
}

static struct ffile_writer *
open_hold(const char *name, struct ffile_hold *h)
{
	struct ffile_wopts o;
	struct ffile_writer *w = NULL;
	int rc;

	ffile_wopts_init(&o);
	o.block_recs = BRECS;
	o.codec = ZC_NONE;		/* block sizes do not depend on luck */
	o.created_ms = T0;
	o.hold = h;
	rc = ffile_writer_open(ffgen_path(name), &o, &w);
	if (rc != NFE_OK)
		tap_diag("%s: open: %s", name, nferr_str(rc));
	return w;
}

/* Every record handed over is written, held, dropped or discarded. */
static bool
balanced(const struct ffile_hold *h, uint64_t added, uint64_t pending)
{
	uint64_t sum = h->written + h->records + h->dropped + h->discarded +
	    pending;

	if (sum != added)
		tap_diag("added %llu, accounted %llu", (unsigned long long)added,
		    (unsigned long long)sum);
	return sum == added;
}

static void
test_stall_and_resume(void)
{
	struct ffile_hold h = { .limit = UINT64_MAX };
	struct ffile_wstate st;
	struct ffile_writer *w = open_hold("resume", &h);
	uint64_t good;
	int rc;

	ffile_writer_add(w, recs, 2 * BRECS);
	good = ffile_writer_bytes(w);
	ffile_writer_state(w, &st);
	tap_ok(!st.stalled && st.created && h.written == 2 * BRECS,
	    "two blocks written while there is room");

	fsize(good + 100);
	tap_is_int(ffile_writer_add(w, recs + 2 * BRECS, 3 * BRECS), NFE_OK,
	    "add while the disk refuses: NFE_OK");
	ffile_writer_state(w, &st);
	tap_ok(st.stalled && st.error == EFBIG, "stalled, error EFBIG");
	tap_ok(st.held_records == 3 * BRECS && h.records == 3 * BRECS &&
	    st.held_bytes == h.bytes && st.need_bytes == st.held_bytes &&
	    st.held_bytes > 0, "three blocks held (%llu bytes)",
	    (unsigned long long)st.held_bytes);
	tap_ok(ffile_writer_bytes(w) == good && ffile_writer_blocks(w) == 2,
	    "the file did not change");

	ffile_writer_add(w, recs + 5 * BRECS, 500);
	tap_ok(ffile_writer_flush(w) == NFE_OK &&
	    ffile_writer_pending(w) == 500,
	    "flush while stalled keeps filling the partial block");
	rc = ffile_writer_retry(w);
	tap_ok(rc == NFE_IO && errno == EFBIG && ffile_writer_blocks(w) == 2,
	    "retry while still full: NFE_IO, nothing written");

	fsize(RLIM_INFINITY);
	tap_is_int(ffile_writer_retry(w), NFE_OK, "retry once there is room");
	ffile_writer_state(w, &st);
	tap_ok(!st.stalled && st.error == 0 && st.held_bytes == 0 &&
	    h.bytes == 0 && h.records == 0 && ffile_writer_blocks(w) == 5 &&
	    h.written == 5 * BRECS, "the held blocks are written, in order");
	tap_ok(balanced(&h, 5 * BRECS + 500, ffile_writer_pending(w)),
	    "accounting balances");
	tap_is_int(ffile_writer_finish(w), NFE_OK, "finish");
	ffile_writer_abort(w);
	tap_ok(ffcheck_file(ffgen_path("resume"), recs, 5 * BRECS + 500,
	    true, "resume"), "the file is whole and clean, every record in "
	    "order");
}

static void
test_limit(void)
{
	struct ffile_hold h = { .limit = UINT64_MAX };
	struct ffile_wstate st;
	struct ffile_writer *w = open_hold("limit", &h);

	ffile_writer_add(w, recs, BRECS);
	fsize(ffile_writer_bytes(w) + 10);
	ffile_writer_add(w, recs + BRECS, BRECS);
	ffile_writer_state(w, &st);
	/* room for the held block and half another */
	h.limit = h.bytes + h.bytes / 2;
	ffile_writer_add(w, recs + 2 * BRECS, 3 * BRECS);
	ffile_writer_state(w, &st);
	tap_ok(h.dropped == 3 * BRECS && st.dropped == 3 * BRECS &&
	    h.limit_hit && st.held_records == BRECS,
	    "over the limit: 3 blocks dropped, exactly 3000 records counted");
	fsize(RLIM_INFINITY);
	tap_ok(ffile_writer_finish(w) == NFE_OK && balanced(&h, 5 * BRECS, 0),
	    "finish after the disk came back; accounting balances");
	ffile_writer_abort(w);
	tap_ok(ffcheck_file(ffgen_path("limit"), recs, 2 * BRECS, true,
	    "limit"), "the file holds the blocks written and held");
}

static void
test_shared_limit(void)
{
	struct ffile_hold h = { .limit = UINT64_MAX };
	struct ffile_wstate sa, sb;
	struct ffile_writer *a = open_hold("sharea", &h);
	struct ffile_writer *b = open_hold("shareb", &h);

	fsize(ffile_writer_bytes(a) + 10);
	ffile_writer_add(a, recs, BRECS);
	h.limit = h.bytes + h.bytes / 2;
	ffile_writer_add(b, recs, BRECS);
	ffile_writer_state(a, &sa);
	ffile_writer_state(b, &sb);
	tap_ok(sa.held_records == BRECS && sb.dropped == BRECS &&
	    h.dropped == BRECS, "two writers share one limit");
	fsize(RLIM_INFINITY);
	ffile_writer_close(a);
	ffile_writer_close(b);
	tap_ok(balanced(&h, 2 * BRECS, 0), "accounting balances");
}

static void
test_created_late(void)
{
	struct ffile_hold h = { .limit = UINT64_MAX };
	struct ffile_wstate st;
	struct ffile_writer *w = open_hold("late/f", &h);

	ffile_writer_state(w, &st);
	tap_ok(w != NULL && !st.created && st.stalled && st.error == ENOENT,
	    "a file that cannot be created: writer open, header held");
	ffile_writer_add(w, recs, BRECS + 500);
	mkdir(ffgen_path("late"), 0755);
	tap_is_int(ffile_writer_retry(w), NFE_OK, "created by the retry");
	tap_is_int(ffile_writer_flush(w), NFE_OK, "partial block written");
	ffile_writer_state(w, &st);
	tap_ok(st.created && !st.stalled && ffile_writer_blocks(w) == 2,
	    "header and both blocks on disk");
	tap_is_int(ffile_writer_close(w), NFE_OK, "close");
	tap_ok(ffcheck_file(ffgen_path("late/f"), recs, BRECS + 500, true,
	    "late"), "the late file is whole");

	fsize(10);			/* not even the header fits */
	w = open_hold("nohdr", &h);
	ffile_writer_state(w, &st);
	tap_ok(st.created && st.stalled && ffile_writer_bytes(w) == 0,
	    "header refused: held");
	ffile_writer_add(w, recs, BRECS);
	fsize(RLIM_INFINITY);
	tap_is_int(ffile_writer_close(w), NFE_OK, "completed afterwards");
	tap_ok(ffcheck_file(ffgen_path("nohdr"), recs, BRECS, true, "nohdr"),
	    "header and block written in order");
}

static void
test_exporters_in_order(void)
{
	struct ffile_hold h = { .limit = UINT64_MAX };
	struct ffile_exporter x[3];
	struct ffile_reader *r;
	struct ffile_writer *w = open_hold("xorder", &h);
	char err[256];
	int rc;

	memset(x, 0, sizeof(x));
	for (int i = 0; i < 3; i++) {
		addr_from_v4(&x[i].addr, 0x0a000001u + (uint32_t)i);
		x[i].version = 9;
	}
	ffile_writer_set_exporters(w, x, 2);
	ffile_writer_add(w, recs, BRECS);
	fsize(ffile_writer_bytes(w) + 10);
	ffile_writer_set_exporters(w, x, 3);	/* a new exporter */
	ffile_writer_add(w, recs + BRECS, BRECS);
	fsize(RLIM_INFINITY);
	ffile_writer_retry(w);
	ffile_writer_abort(w);			/* a crash: no trailer */
	rc = ffile_open(ffgen_path("xorder"), 0, &r, err, sizeof(err));
	tap_ok(rc == NFE_OK && !ffile_info(r)->clean &&
	    ffile_info(r)->nexporters == 3 && ffile_info(r)->records ==
	    2 * BRECS, "a table changed while stalled is written before the "
	    "block that needs it");
	ffile_close(r);
}

static void
test_exit_while_full(void)
{
	struct ffile_hold h = { .limit = UINT64_MAX };
	struct ffile_recovery res;
	struct ffile_wstate st;
	struct ffile_writer *w = open_hold("exit1", &h);
	char err[256];
	int rc;

	/* room for the trailer, not for another block */
	ffile_writer_add(w, recs, 2 * BRECS);
	fsize(ffile_writer_bytes(w) + 2000);
	ffile_writer_add(w, recs + 2 * BRECS, BRECS + 300);
	rc = ffile_writer_finish(w);
	ffile_writer_state(w, &st);
	tap_ok(rc == NFE_IO && st.stalled && st.held_records == BRECS + 300 &&
	    st.need_bytes > st.held_bytes,
	    "finish while full: the partial block is held too, and the "
	    "trailer counted in the space needed");
	tap_is_uint(ffile_writer_discard(w), BRECS + 300,
	    "discard gives up exactly the held records");
	tap_is_int(ffile_writer_finish(w), NFE_OK,
	    "the trailer still fits: file completed");
	ffile_writer_abort(w);
	fsize(RLIM_INFINITY);
	tap_ok(ffcheck_file(ffgen_path("exit1"), recs, 2 * BRECS, true,
	    "exit1") && balanced(&h, 3 * BRECS + 300, 0),
	    "clean file with the blocks on disk; accounting balances");

	/* no room at all: the file is left for recovery */
	w = open_hold("exit2", &h);
	ffile_writer_add(w, recs, 2 * BRECS);
	fsize(ffile_writer_bytes(w));
	ffile_writer_add(w, recs + 2 * BRECS, BRECS);
	ffile_writer_finish(w);
	ffile_writer_discard(w);
	rc = ffile_writer_finish(w);
	tap_ok(rc == NFE_IO && errno == EFBIG, "no room for the trailer");
	ffile_writer_abort(w);
	fsize(RLIM_INFINITY);
	rc = ffile_recover(ffgen_path("exit2"), &res, err, sizeof(err));
	tap_ok(rc == NFE_OK && res.blocks == 2 && res.records == 2 * BRECS &&
	    ffcheck_file(ffgen_path("exit2"), recs, 2 * BRECS, true, "exit2"),
	    "what is on disk is recovered whole");

	/* nothing ever reached the disk */
	fsize(0);
	w = open_hold("exit3", &h);
	ffile_writer_add(w, recs, 100);
	ffile_writer_finish(w);
	tap_is_uint(ffile_writer_discard(w), 100, "header and records given up");
	rc = ffile_writer_finish(w);
	ffile_writer_state(w, &st);
	tap_ok(rc == NFE_OK && st.done && ffile_writer_bytes(w) == 0,
	    "finish writes no trailer for an empty file");
	ffile_writer_abort(w);
	fsize(RLIM_INFINITY);
}

int
main(void)
{
	signal(SIGXFSZ, SIG_IGN);
	getrlimit(RLIMIT_FSIZE, &fsize_old);
	recs = calloc(NRECS, sizeof(*recs));
	ffgen_records(recs, NRECS, 7, FFGEN_MIXED, T0, 0);
	tap_no_plan();
	test_stall_and_resume();
	test_limit();
	test_shared_limit();
	test_created_late();
	test_exporters_in_order();
	test_exit_while_full();
	free(recs);
	unlink(ffgen_path("late/f"));
	rmdir(ffgen_path("late"));
	ffgen_cleanup();
	return tap_done();
}
