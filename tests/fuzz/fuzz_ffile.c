/*
 * tests/fuzz/fuzz_ffile.c -- libFuzzer target for the flow file reader
 * over arbitrary bytes (ffile_open_mem).  Each input is read twice:
 * as is, and with checksum tests off (FFILE_O_NOCRC) so that mutations
 * reach the framing, column directory, decompression and column
 * decoding behind the checksums.  Beyond "no crash" it checks the
 * reader's promises: the index never claims more records than
 * FFILE_MAX_BLOCK_RECS per block, a decoded block has exactly its
 * indexed record count, and rebuilt totals never count more records
 * than the index holds.  Each block's index column (fidx.h) is read
 * alone and parsed; a parsed index is probed and compared with the
 * records.
 */
#include "common/base/compat.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "common/base/nferr.h"
#include "common/ffile/fcol.h"
#include "common/ffile/ffile.h"
#include "common/ffile/fidx.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
read_all(const uint8_t *data, size_t size, unsigned flags)
{
	struct ffile_reader *r;
	struct ffile_blockbuf b;
	struct ffile_totals t;
	struct flowrec rec;
	struct fcol c;
	static struct fidx ix;
	static const uint8_t probe[16] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	    0xff, 0xff, 10, 1, 2, 3 };
	char err[256];
	uint64_t recs = 0;
	size_t bad;

	if (ffile_open_mem(data, size, flags, &r, err, sizeof(err)) != NFE_OK)
		return;
	ffile_blockbuf_init(&b);
	if (fcol_init(&c, 64) != NFE_OK)
		abort();
	for (size_t i = 0; i < ffile_info(r)->nblocks; i++) {
		const struct ffile_blockmeta *m = ffile_block(r, i);

		if (m->nrec > FFILE_MAX_BLOCK_RECS)
			abort();
		if (ffile_block_index(r, i, &b, &ix, err, sizeof(err)) ==
		    NFE_OK)
			(void)fidx_may_hold(&ix, probe, FIDX_E_ADDR);
		if (ffile_verify_block(r, i, &b, &c, err, sizeof(err)) !=
		    NFE_OK)
			continue;
		if (c.n != m->nrec)
			abort();
		recs += c.n;
		for (size_t k = 0; k < c.n; k++)
			fcol_get(&c, k, &rec);
		/* a subset decode of the same bytes must agree on n */
		if (ffile_decode_block(&b, FCOL_BIT(FCOL_BYTES), &c, err,
		    sizeof(err)) == NFE_OK && c.n != m->nrec)
			abort();
		/* and the rest in a second step (flowq with a filter) */
		if (ffile_decode_block(&b, FCOL_BIT(FCOL_PROTO) |
		    FCOL_BIT(FCOL_BYTES), &c, err, sizeof(err)) == NFE_OK &&
		    ffile_decode_more(&b, FCOL_ALL, &c, err, sizeof(err)) ==
		    NFE_OK) {
			if (c.n != m->nrec)
				abort();
			for (size_t k = 0; k < c.n; k++)
				fcol_get(&c, k, &rec);
		}
	}
	if (ffile_scan_totals(r, &t, &bad, err, sizeof(err)) == NFE_OK &&
	    (t.records > ffile_info(r)->records || recs >
	    ffile_info(r)->records))
		abort();
	fcol_fini(&c);
	ffile_blockbuf_fini(&b);
	ffile_close(r);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	read_all(data, size, 0);
	read_all(data, size, FFILE_O_NOCRC);
	return 0;
}
