/*
 * tests/t_sinkfollow.c -- reading the data directory as a sink does
 * (collector/sinkfollow.h), with files written here by the flow file
 * writer: a *.current file followed block by block while it grows and
 * after its rename; the next file taken only once the current one is
 * complete, in name order across -S subdirectories; a start position
 * inside a block and at a block's end; the position after a block read
 * to its end; a file removed before delivery skipped and reported; an
 * unreadable completed file skipped; a file named before the one being
 * read but written after it reported as late; pending bytes (a later
 * file without records counts nothing).
 */
#include "common/base/compat.h"

#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collector/sinkfollow.h"
#include "common/base/nferr.h"
#include "common/base/timeutil.h"
#include "common/ffile/ffile.h"
#include "ffgen.h"
#include "tap.h"

#define T0	UINT64_C(1700000000000)
#define BRECS	40

static struct flowrec recs[400];
static char dir[4096];

static long long
size_of(const char *rel)
{
	char path[4200];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	return stat(path, &st) == 0 ? (long long)st.st_size : -1;
}

static struct ffile_writer *
writer(const char *rel)
{
	struct ffile_wopts o;
	struct ffile_writer *w = NULL;
	char path[4200], sub[4200], *slash;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	snprintf(sub, sizeof(sub), "%s", path);
	if ((slash = strrchr(sub, '/')) != NULL) {
		*slash = '\0';
		mkdir(sub, 0755);
	}
	ffile_wopts_init(&o);
	o.block_recs = BRECS;
	o.created_ms = T0;
	if (ffile_writer_open(path, &o, &w) != NFE_OK)
		tap_diag("cannot write %s", path);
	return w;
}

/* Write n records from recs[from] into a complete file rel. */
static void
file(const char *rel, size_t from, size_t n)
{
	struct ffile_writer *w = writer(rel);

	ffile_writer_add(w, recs + from, n);
	ffile_writer_close(w);
}

/* Read everything offered now; returns the count, checks the order. */
static size_t
drain(struct follow *f, size_t *next, bool *order_ok, bool *at_end)
{
	struct follow_view v;
	size_t got = 0;

	*at_end = false;
	for (;;) {
		if (follow_peek(f, time_now_ms(), &v) != NFE_OK || v.n == 0) {
			*at_end = v.at_end;
			return got;
		}
		for (size_t i = 0; i < v.n; i++)
			if (!flowrec_equal(&v.recs[i], &recs[*next + i]))
				*order_ok = false;
		*next += v.n;
		got += v.n;
		follow_consume(f, v.n);
	}
}

static void
test_live(void)
{
	struct sinkcursor start, pos;
	struct ffile_writer *w;
	struct follow *f;
	size_t next = 0, got;
	bool ok = true, end, moved;
	char cur[4200], fin[4200];

	memset(&start, 0, sizeof(start));
	w = writer("1/flows.202311141000.current");
	follow_new(dir, &start, &f);
	ffile_writer_add(w, recs, 100);		/* 2 blocks + 20 pending */
	got = drain(f, &next, &ok, &end);
	tap_ok(got == 80 && ok && !end, "the finished blocks of a *.current "
	    "file, in order");
	ffile_writer_flush(w);
	got = drain(f, &next, &ok, &end);
	tap_ok(got == 20 && ok && !end, "a flushed partial block follows");
	follow_position(f, &pos);
	tap_ok(pos.rec == 0 && pos.off == ffile_writer_bytes(w) &&
	    strcmp(pos.file, "1/flows.202311141000") == 0,
	    "after a block read to its end, the position is where the next "
	    "begins, under the final name");
	file("1/flows.202311141005", 150, 50);	/* the next, complete */
	got = drain(f, &next, &ok, &end);
	tap_ok(got == 0 && !end, "the next file waits until this one is "
	    "complete");
	ffile_writer_add(w, recs + 100, 50);
	ffile_writer_close(w);
	snprintf(cur, sizeof(cur), "%s/1/flows.202311141000.current", dir);
	snprintf(fin, sizeof(fin), "%s/1/flows.202311141000", dir);
	rename(cur, fin);
	got = drain(f, &next, &ok, &end);
	tap_ok(got == 50 && ok && end, "the rest after the rename; then the "
	    "file's end");
	follow_next_file(f, &moved);
	got = drain(f, &next, &ok, &end);
	tap_ok(moved && got == 50 && ok && end && next == 200,
	    "then the next file by name");
	follow_next_file(f, &moved);
	tap_ok(!moved, "no next file yet");
	follow_free(f);
}

static void
test_positions(void)
{
	struct sinkcursor start;
	struct follow *f;
	struct follow_view v;
	const struct ffile_blockmeta *m;
	struct ffile_reader *r;
	char path[4200], err[256];
	uint64_t off1, end1;
	size_t next;
	bool ok = true, end;

	snprintf(path, sizeof(path), "%s/1/flows.202311141000", dir);
	if (ffile_open(path, 0, &r, err, sizeof(err)) != NFE_OK) {
		tap_ok(false, "open %s: %s", path, err);
		return;
	}
	m = ffile_block(r, 1);
	off1 = m->offset;
	end1 = m->offset + m->length;
	ffile_close(r);

	memset(&start, 0, sizeof(start));
	snprintf(start.file, sizeof(start.file), "1/flows.202311141000");
	start.slot_s = 1699956000;
	start.off = off1;
	start.rec = 7;
	follow_new(dir, &start, &f);
	follow_peek(f, time_now_ms(), &v);
	tap_ok(v.n == BRECS - 7 && v.pos.off == off1 && v.pos.rec == 7 &&
	    flowrec_equal(&v.recs[0], &recs[BRECS + 7]),
	    "a start inside a block skips the delivered records");
	follow_free(f);

	start.off = end1;
	start.rec = 0;
	follow_new(dir, &start, &f);
	next = 2 * BRECS;
	(void)drain(f, &next, &ok, &end);
	tap_ok(ok && next == 150 && end, "a start at a block's end goes on "
	    "with the next block");
	follow_free(f);
}

static void
test_gone(void)
{
	struct sinkcursor start;
	struct follow *f;
	struct follow_view v;
	const struct follow_stats *st;
	char path[4200];
	uint64_t pend;

	/* the cursor's file is gone: skipped, reported */
	memset(&start, 0, sizeof(start));
	snprintf(start.file, sizeof(start.file), "1/flows.202311140955");
	start.slot_s = 1699955700;
	start.off = 4096;
	follow_new(dir, &start, &f);
	follow_peek(f, time_now_ms(), &v);
	st = follow_stats(f);
	tap_ok(v.n == BRECS && v.pos.off != 4096 &&
	    strcmp(v.pos.file, "1/flows.202311141000") == 0 &&
	    st->vanished == 1 && strstr(st->problem, "flows.202311140955 was "
	    "removed before it was delivered") != NULL,
	    "a removed file: the next one, reported as lost to the sink");
	follow_free(f);

	/* an unreadable completed file is skipped */
	snprintf(path, sizeof(path), "%s/1/flows.202311140950", dir);
	ffgen_spit(path, "not a flow file", 15);
	memset(&start, 0, sizeof(start));
	snprintf(start.file, sizeof(start.file), "1/flows.202311140950");
	start.slot_s = 1699955400;
	follow_new(dir, &start, &f);
	follow_peek(f, time_now_ms(), &v);
	st = follow_stats(f);
	tap_ok(v.n == BRECS && st->vanished == 1 &&
	    strstr(st->problem, "cannot be delivered") != NULL,
	    "an unreadable file is skipped and reported");
	follow_free(f);
	unlink(path);

	memset(&start, 0, sizeof(start));
	snprintf(start.file, sizeof(start.file), "1/flows.202311141000");
	start.slot_s = 1699956000;
	follow_pending_bytes(dir, &start, false, &pend);
	tap_ok(pend > 0 && pend == (uint64_t)size_of("1/flows.202311141000") +
	    (uint64_t)size_of("1/flows.202311141005"),
	    "pending bytes: this file and the next");
	follow_pending_bytes(dir, &start, true, &pend);
	tap_ok(pend == (uint64_t)size_of("1/flows.202311141005"),
	    "pending bytes with this file delivered: the next only");

	/* a later file without records (a rotation with no traffic) holds
	   nothing to deliver, even while the cursor cannot move */
	file("1/flows.202311141007", 0, 0);
	snprintf(path, sizeof(path), "%s/1/flows.202311141007", dir);
	follow_pending_bytes(dir, &start, false, &pend);
	tap_ok(size_of("1/flows.202311141007") > 0 &&
	    pend == (uint64_t)size_of("1/flows.202311141000") +
	    (uint64_t)size_of("1/flows.202311141005"),
	    "pending bytes: a later file without records counts nothing");
	unlink(path);
}

static void
test_late(void)
{
	struct sinkcursor start;
	struct follow *f;
	const struct follow_stats *st;
	size_t next = 150;
	bool ok = true, end, moved;

	memset(&start, 0, sizeof(start));
	snprintf(start.file, sizeof(start.file), "1/flows.202311141005");
	start.slot_s = 1699956300;
	follow_new(dir, &start, &f);
	(void)drain(f, &next, &ok, &end);
	usleep(20000);
	/* written now, named before the file being read */
	file("1/flows.202311141002", 300, 10);
	file("2/flows.202311141010", 200, 30);
	follow_next_file(f, &moved);
	st = follow_stats(f);
	tap_ok(moved && st->late == 1 &&
	    strstr(st->problem, "flows.202311141002") != NULL,
	    "a file named before the one read but written after it is "
	    "reported as not delivered");
	next = 200;
	(void)drain(f, &next, &ok, &end);
	tap_ok(ok && next == 230 && end, "and the next file by name (another "
	    "subdirectory) follows");
	follow_next_file(f, &moved);
	tap_ok(follow_stats(f)->late == 1, "it is reported once");
	follow_free(f);
}

int
main(void)
{
	tap_plan(17);
	ffgen_records(recs, NF_NELEM(recs), 3, FFGEN_MIXED, T0, 0);
	snprintf(dir, sizeof(dir), "%s", ffgen_tmpdir());
	test_live();
	test_positions();
	test_gone();
	test_late();
	ffgen_cleanup();
	return tap_done();
}
