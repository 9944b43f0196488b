/*
 * tests/t_ffile_follow.c -- reading a flow file while it is written
 * (FFILE_O_FOLLOW and ffile_refresh), as flowcapd's sinks do.
 *
 * Covered: blocks flushed by the writer appear at each refresh with
 * stable index numbers and the records written; an exporter table
 * written mid-file is seen; completing and renaming the file makes the
 * reader clean with the same blocks; and a sweep over every length the
 * file can have while it is written (each prefix of a finished file):
 * a follow reader opened at that length reports no damage and indexes
 * exactly the blocks complete in it, and after the rest arrives a
 * refresh finds every block and the trailer.  Without FFILE_O_FOLLOW
 * the same cut file is still reported as damaged (recovery unchanged).
 */
#include "common/base/compat.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/base/nferr.h"
#include "common/ffile/ffile.h"
#include "ffgen.h"
#include "tap.h"

#define T0	UINT64_C(1700000000000)
#define BRECS	50		/* records per block */
#define NRECS	230		/* 4 full blocks and a partial one */
#define SWEEP_RECS 20		/* 3 flushes: the sweep's file */

static struct flowrec recs[NRECS];

static struct ffile_writer *
open_writer(const char *path)
{
	struct ffile_wopts o;
	struct ffile_writer *w = NULL;

	ffile_wopts_init(&o);
	o.block_recs = BRECS;
	o.created_ms = T0;
	o.ident = "follow";
	if (ffile_writer_open(path, &o, &w) != NFE_OK)
		tap_diag("writer_open %s failed", path);
	return w;
}

static void
set_exporters(struct ffile_writer *w, size_t n)
{
	struct ffile_exporter x[3];

	memset(x, 0, sizeof(x));
	for (size_t i = 0; i < n; i++) {
		addr_from_v4(&x[i].addr, 0x0a000001U + (uint32_t)i);
		x[i].version = 9;
		x[i].port = (uint16_t)(2000 + i);
	}
	ffile_writer_set_exporters(w, x, n);
}

/* Records of blocks [0, nb) of r equal recs[0 ...]? */
static bool
blocks_match(const struct ffile_reader *r, size_t nb)
{
	struct ffile_blockbuf b;
	struct fcol c;
	struct flowrec got;
	char err[256];
	size_t k = 0;
	bool ok = true;

	ffile_blockbuf_init(&b);
	memset(&c, 0, sizeof(c));
	for (size_t i = 0; i < nb && ok; i++) {
		if (ffile_load_block(r, i, FCOL_ALL, &b, &c, err,
		    sizeof(err)) != NFE_OK) {
			tap_diag("block %zu: %s", i, err);
			ok = false;
			break;
		}
		for (size_t j = 0; j < c.n && ok; j++, k++) {
			fcol_get(&c, j, &got);
			if (k >= NRECS || !flowrec_equal(&got, &recs[k])) {
				tap_diag("block %zu record %zu differs", i, j);
				ok = false;
			}
		}
	}
	ffile_blockbuf_fini(&b);
	fcol_fini(&c);
	return ok;
}

static void
test_live(void)
{
	char cur[4096], fin[4096], err[256];
	struct ffile_writer *w;
	struct ffile_reader *r = NULL;
	const struct ffile_info *in;
	bool changed;
	int rc;

	snprintf(cur, sizeof(cur), "%s", ffgen_path("flows.1.current"));
	snprintf(fin, sizeof(fin), "%s", ffgen_path("flows.1"));
	w = open_writer(cur);
	rc = ffile_open(cur, FFILE_O_FOLLOW, &r, err, sizeof(err));
	tap_ok(rc == NFE_OK, "follow-open of a file holding only its header");
	if (rc != NFE_OK) {
		tap_diag("%s", err);
		ffile_writer_close(w);
		return;
	}
	in = ffile_info(r);
	tap_ok(in->nblocks == 0 && !in->clean && in->damaged == 0,
	    "no blocks, not clean, no damage");

	set_exporters(w, 1);
	ffile_writer_add(w, recs, 70);		/* one block + 20 pending */
	rc = ffile_refresh(r, &changed, err, sizeof(err));
	tap_ok(rc == NFE_OK && changed && in->nblocks == 1 &&
	    in->nexporters == 1, "refresh finds the full block and the "
	    "exporter table");
	ffile_writer_flush(w);			/* the partial block */
	rc = ffile_refresh(r, &changed, err, sizeof(err));
	tap_ok(rc == NFE_OK && changed && in->nblocks == 2 &&
	    in->records == 70, "a flushed partial block appears");
	rc = ffile_refresh(r, &changed, err, sizeof(err));
	tap_ok(rc == NFE_OK && !changed, "nothing new: not changed");

	set_exporters(w, 3);
	ffile_writer_add(w, recs + 70, NRECS - 70);
	ffile_writer_flush(w);
	rc = ffile_refresh(r, &changed, err, sizeof(err));
	tap_ok(rc == NFE_OK && changed && in->records == NRECS &&
	    in->nexporters == 3 && in->damaged == 0,
	    "later blocks and the grown exporter table");
	tap_ok(blocks_match(r, in->nblocks), "records read while written "
	    "are the records written");

	rc = ffile_writer_close(w);
	if (rc == NFE_OK && rename(cur, fin) != 0)
		rc = NFE_IO;
	tap_ok(rc == NFE_OK, "writer completes and renames the file");
	rc = ffile_refresh(r, &changed, err, sizeof(err));
	tap_ok(rc == NFE_OK && changed && in->clean && in->records == NRECS &&
	    in->have_totals && in->totals.records == NRECS,
	    "after rename the reader sees the trailer: clean");
	rc = ffile_refresh(r, &changed, err, sizeof(err));
	tap_ok(rc == NFE_OK && !changed, "a clean file does not change");
	tap_ok(blocks_match(r, in->nblocks), "same records from the "
	    "trailer's index");
	ffile_close(r);
}

/* Every length of the file while it was written, then the rest. */
static void
test_sweep(void)
{
	char full[4096], part[4096], err[256];
	struct ffile_writer *w;
	struct ffile_reader *r;
	const struct ffile_info *in;
	uint64_t ends[16], bound[32];
	uint8_t *all;
	size_t nbound = 0;
	size_t len, nends = 0, bad_open = 0, bad_damage = 0, bad_count = 0;
	size_t bad_end = 0, bad_plain = 0;
	int fd;

	snprintf(full, sizeof(full), "%s", ffgen_path("sweep.full"));
	snprintf(part, sizeof(part), "%s", ffgen_path("sweep.part"));
	w = open_writer(full);
	set_exporters(w, 2);
	for (size_t i = 0; i < SWEEP_RECS; i += 7) {
		ffile_writer_add(w, recs + i, SWEEP_RECS - i < 7 ?
		    SWEEP_RECS - i : 7);
		ffile_writer_flush(w);
		ends[nends++] = ffile_writer_bytes(w);
	}
	ffile_writer_close(w);
	if ((all = ffgen_slurp(full, &len)) == NULL ||
	    ffile_open(full, 0, &r, err, sizeof(err)) != NFE_OK) {
		tap_ok(false, "read the finished file");
		return;
	}
	/* section boundaries: where each block starts and ends */
	for (size_t i = 0; i < ffile_info(r)->nblocks && nbound + 3 <=
	    NF_NELEM(bound); i++) {
		bound[nbound++] = ffile_block(r, i)->offset;
		bound[nbound++] = ffile_block(r, i)->offset +
		    ffile_block(r, i)->length;
	}
	bound[nbound++] = ffile_info(r)->data_end;	/* the trailer */
	ffile_close(r);
	/*
	 * One file, cut with ftruncate and completed with pwrite: creating
	 * and truncating to zero thousands of times makes ext4 flush each
	 * one (auto_da_alloc), which takes seconds on a busy disk.
	 */
	if ((fd = open(part, O_RDWR | O_CREAT | O_TRUNC, 0644)) == -1 ||
	    pwrite(fd, all, len, 0) != (ssize_t)len) {
		tap_ok(false, "write %s", part);
		return;
	}
	for (size_t cut = 0; cut <= len; cut++) {
		size_t want = 0;
		bool changed;

		for (size_t k = 0; k < nends; k++)
			if (ends[k] <= cut)
				want = k + 1;
		if (pwrite(fd, all, len, 0) != (ssize_t)len ||
		    ftruncate(fd, (off_t)cut) != 0)
			tap_diag("cut: %s", strerror(errno));
		r = NULL;
		if (ffile_open(part, FFILE_O_FOLLOW, &r, err, sizeof(err)) !=
		    NFE_OK) {
			/* only a header not yet whole may be refused */
			if (cut >= 64 && bad_open++ == 0)
				tap_diag("cut %zu: %s", cut, err);
			continue;
		}
		in = ffile_info(r);
		if (in->damaged != 0 && cut < len)
			bad_damage++;
		if (in->nblocks != want && cut < len - 16)
			bad_count++;
		/* the rest arrives */
		if (pwrite(fd, all + cut, len - cut, (off_t)cut) !=
		    (ssize_t)(len - cut))
			tap_diag("pwrite: %s", strerror(errno));
		if (ffile_refresh(r, &changed, err, sizeof(err)) != NFE_OK ||
		    !in->clean || in->records != SWEEP_RECS ||
		    in->damaged != 0)
			bad_end++;
		ffile_close(r);
		/* recovery without follow still calls a cut file damaged
		 * when it ends inside a section */
		if (cut > 200 && cut < len - 16) {
			bool inside = true;

			for (size_t k = 0; k < nbound; k++)
				if (bound[k] == cut)
					inside = false;
			if (ftruncate(fd, (off_t)cut) != 0)
				tap_diag("ftruncate: %s", strerror(errno));
			if (inside && ffile_open(part, 0, &r, err,
			    sizeof(err)) == NFE_OK) {
				if (ffile_info(r)->damaged == 0 &&
				    bad_plain++ == 0)
					tap_diag("plain open, cut %zu of %zu: "
					    "no damage", cut, len);
				ffile_close(r);
			}
			if (pwrite(fd, all + cut, len - cut, (off_t)cut) !=
			    (ssize_t)(len - cut))
				tap_diag("pwrite: %s", strerror(errno));
		}
	}
	close(fd);
	free(all);
	tap_is_int((long long)bad_open, 0, "every prefix with a whole header "
	    "opens");
	tap_is_int((long long)bad_damage, 0, "no prefix counts as damage "
	    "when following");
	tap_is_int((long long)bad_count, 0, "each prefix indexes exactly its "
	    "complete blocks");
	tap_is_int((long long)bad_end, 0, "after the rest arrives, every "
	    "reader is clean with every record");
	tap_is_int((long long)bad_plain, 0, "without follow, a file cut "
	    "inside a section is still damaged");
}

int
main(void)
{
	tap_plan(16);
	ffgen_records(recs, NRECS, 7, FFGEN_MIXED, T0, 0);
	for (size_t i = 0; i < NRECS; i++)
		recs[i].exporter = (uint16_t)(i % 3);
	ffgen_tmpdir();
	test_live();
	test_sweep();
	ffgen_cleanup();
	return tap_done();
}
