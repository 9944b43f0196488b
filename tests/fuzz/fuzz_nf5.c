/*
 * tests/fuzz/fuzz_nf5.c -- libFuzzer target for the NetFlow v1/v5/v7
 * decoder.  Checks the decoder's promises beyond "no crash": the sink
 * sees exactly info.records records, never more than the version's
 * maximum, and only when the datagram is long enough to hold them.
 */
#include "common/base/compat.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/base/nferr.h"
#include "common/codec/nf5.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
sink(void *arg, const struct flowrec *rec)
{
	size_t *n = arg;

	if (rec->af != 4)
		abort();
	(*n)++;
	return NFE_OK;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nf_decode_ctx ctx;
	struct nf_dgram_info info;
	size_t n = 0, hdr, rec;
	int rc;

	memset(&ctx, 0, sizeof(ctx));
	ctx.sink = sink;
	ctx.arg = &n;
	rc = nf5_decode(data, size, &ctx, &info);
	if (n != info.records)
		abort();
	if (rc != NFE_OK) {
		if (n != 0)
			abort();
		return 0;
	}
	hdr = info.version == 1 ? NF1_HDR_LEN : NF5_HDR_LEN;
	rec = info.version == 7 ? NF7_REC_LEN : NF5_REC_LEN;
	if (n == 0 || n > NF5_MAX_RECS ||
	    size != hdr + n * rec + info.trailing)
		abort();
	return 0;
}
