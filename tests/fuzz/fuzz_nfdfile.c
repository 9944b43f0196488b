/*
 * tests/fuzz/fuzz_nfdfile.c -- libFuzzer target for the nfdump file
 * reader over arbitrary bytes (nfd_open_mem, then nfd_read to the end).
 * Beyond "no crash" it checks the reader's promises: a chunk never
 * holds more records than the column block's capacity, every record's
 * exporter index is in the table or UINT16_MAX, the damaged count
 * never exceeds the blocks read, and the reader always comes to an end.
 */
#include "common/base/compat.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "common/base/nferr.h"
#include "common/ffile/fcol.h"
#include "common/nfdump/nfdfile.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nfd_reader *rd;
	struct fcol c;
	char err[256];
	size_t nx, calls = 0;
	int r;

	if (nfd_open_mem(data, size, &rd, err, sizeof(err)) != NFE_OK)
		return 0;
	if (fcol_init(&c, 97) != NFE_OK)
		abort();
	for (;;) {
		r = nfd_read(rd, &c, err, sizeof(err));
		if (r == NFE_EOF)
			break;
		/* every call consumes a block or records: bounded */
		if (++calls > nfd_info(rd)->nblocks + size + 2)
			abort();
		if (r != NFE_OK)
			continue;
		if (c.n == 0 || c.n > c.cap)
			abort();
		(void)nfd_exporters(rd, &nx);
		for (size_t i = 0; i < c.n; i++)
			if (c.exporter[i] >= nx && c.exporter[i] != UINT16_MAX)
				abort();
	}
	if (nfd_counts(rd)->damaged > nfd_counts(rd)->blocks)
		abort();
	fcol_fini(&c);
	nfd_close(rd);
	return 0;
}
