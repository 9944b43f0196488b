/*
 * tests/t_nfdecode.c -- the version dispatcher nf_decode(): short
 * input, each supported version reaching its decoder, unknown
 * versions, and info zeroed on every call.
 */
#include "common/compat.h"

#include <stdint.h>
#include <string.h>

#include "common/nf5.h"
#include "common/nfdecode.h"
#include "common/nferr.h"
#include "tap.h"

static int
count_cb(void *arg, const struct flowrec *rec)
{
	(void)rec;
	(*(size_t *)arg)++;
	return NFE_OK;
}

/* Smallest valid datagram of version v (1, 5 or 7): one zero record. */
static size_t
make_dgram(uint8_t *p, size_t cap, uint16_t v)
{
	size_t len;

	len = v == 1 ? NF1_HDR_LEN + NF1_REC_LEN :
	    v == 7 ? NF7_HDR_LEN + NF7_REC_LEN : NF5_HDR_LEN + NF5_REC_LEN;
	if (len > cap)
		return 0;
	memset(p, 0, len);
	p[1] = (uint8_t)v;
	p[3] = 1;				/* count */
	if (v != 1)
		p[19] = 9;			/* sequence */
	return len;
}

static int
run(const uint8_t *p, size_t len, size_t *n, struct nf_dgram_info *info)
{
	struct nf_decode_ctx ctx;

	memset(&ctx, 0, sizeof(ctx));
	ctx.sink = count_cb;
	ctx.arg = n;
	*n = 0;
	memset(info, 0xa5, sizeof(*info));	/* must be zeroed */
	return nf_decode(p, len, &ctx, info);
}

int
main(void)
{
	static const uint16_t unknown[] = { 0, 2, 3, 4, 6, 8, 11, 0x0500,
	    0xffff };
	uint8_t dg[128];
	struct nf_dgram_info info, zero;
	size_t n, len;
	int rc;

	tap_no_plan();
	memset(&zero, 0, sizeof(zero));

	rc = run(dg, 0, &n, &info);
	tap_ok(rc == NFE_TRUNC && memcmp(&info, &zero, sizeof(info)) == 0,
	    "empty datagram: NFE_TRUNC, info zeroed");
	dg[0] = 0;
	rc = run(dg, 1, &n, &info);
	tap_ok(rc == NFE_TRUNC && memcmp(&info, &zero, sizeof(info)) == 0,
	    "one byte: NFE_TRUNC, info zeroed");

	for (uint16_t v = 1; v <= 7; v++) {
		if (v != 1 && v != 5 && v != 7)
			continue;
		len = make_dgram(dg, sizeof(dg), v);
		rc = run(dg, len, &n, &info);
		tap_ok(rc == NFE_OK && n == 1 && info.version == v &&
		    info.records == 1, "v%u dispatched and decoded", v);
		tap_ok(info.has_seq == (v != 1) &&
		    info.seq == (v != 1 ? 9u : 0u),
		    "v%u sequence as the protocol has it", v);
		rc = run(dg, len - 1, &n, &info);
		tap_ok(rc == NFE_TRUNC && n == 0, "v%u short: NFE_TRUNC", v);
	}

	len = make_dgram(dg, sizeof(dg), 5);
	for (size_t i = 0; i < NF_NELEM(unknown); i++) {
		dg[0] = (uint8_t)(unknown[i] >> 8);
		dg[1] = (uint8_t)unknown[i];
		rc = run(dg, len, &n, &info);
		tap_ok(rc == NFE_UNSUPP && n == 0 &&
		    info.version == unknown[i] && info.records == 0,
		    "version %u: NFE_UNSUPP, version reported", unknown[i]);
	}
	return tap_done();
}
