/*
 * tests/fuzz/fuzz_sflow.c -- libFuzzer target for the sFlow v5 decoder
 * (sflow_decode) over arbitrary bytes.  Beyond "no crash" it checks the
 * decoder's promises: a datagram that is refused delivers no record,
 * the records delivered are the ones info->records counts, and each is
 * one sampled packet (packets 1) of an IPv4 or IPv6 flow.
 */
#include "common/base/compat.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/base/nferr.h"
#include "common/codec/sflow.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
sink(void *arg, const struct flowrec *r)
{
	if (r->packets != 1 || (r->af != 4 && r->af != 6))
		abort();
	(*(size_t *)arg)++;
	return NFE_OK;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nf_decode_ctx ctx;
	struct nf_dgram_info info;
	size_t n = 0;
	int rc;

	memset(&ctx, 0, sizeof(ctx));
	ctx.recv_ms = 1700000000000;
	ctx.sink = sink;
	ctx.arg = &n;
	rc = sflow_decode(data, size, &ctx, &info);
	if (rc != NFE_OK && n != 0)
		abort();
	if (rc == NFE_OK && n != info.records)
		abort();
	return 0;
}
