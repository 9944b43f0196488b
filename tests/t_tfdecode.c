/*
 * tests/t_tfdecode.c -- the template decoder's fixed plans (common/codec/
 * tfield.c) decode exactly as its field-by-field walk does.
 *
 * A template without variable-length fields is decoded by a fixed
 * plan: each field at its offset, with direct loads for the common
 * widths, addresses, times and ICMP.  The same fields followed by one
 * variable-length element (an empty applicationName) are walked field
 * by field.  IPFIX messages carry random bytes in both layouts; every
 * record must decode the same.  The layouts cover each direct load
 * (member widths from 1, 2, 4 and 8 bytes), rival elements of a
 * priority (octetDeltaCount/octetTotalCount, vlanId/dot1qVlanId),
 * sysUpTime times (after systemInitTimeMilliseconds) alone and with
 * millisecond ones, IPv4 and IPv6 addresses
 * (the :: of "none"), ICMP type/code, MAC and MPLS lengths, sampling
 * elements, an element nothing reads, and lengths a field's type does
 * not take (skipped by both).
 */
#include "common/base/compat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/base/buf.h"
#include "common/base/flowrec.h"
#include "common/base/nferr.h"
#include "common/codec/ipfix.h"
#include "common/codec/tmpl.h"
#include "nfcollect.h"
#include "tap.h"

#define NREC		40		/* per message and layout */
#define ROUNDS		25

struct spec {
	uint16_t	id, len;
};

/* IPv4 layout. */
static const struct spec v4[] = {
	{ 8, 4 }, { 12, 4 }, { 15, 4 }, { 7, 2 }, { 11, 2 }, { 4, 1 },
	{ 6, 1 }, { 5, 1 }, { 2, 4 }, { 1, 8 }, { 86, 8 }, { 85, 4 },
	{ 10, 2 }, { 14, 4 }, { 22, 4 }, { 21, 4 },
	{ 16, 2 }, { 17, 4 }, { 9, 1 }, { 13, 1 }, { 58, 2 }, { 243, 2 },
	{ 59, 1 }, { 61, 1 }, { 136, 1 }, { 32, 2 }, { 56, 6 }, { 80, 6 },
	{ 70, 3 }, { 71, 4 }, { 89, 1 }, { 52, 1 }, { 53, 1 }, { 31, 4 },
	{ 234, 4 }, { 235, 2 }, { 225, 4 }, { 227, 2 }, { 230, 1 },
	{ 18, 4 }, { 34, 4 }, { 35, 1 }, { 400, 3 }, { 244, 1 }, { 245, 2 },
	{ 361, 2 }, { 362, 2 }, { 363, 2 }, { 364, 2 }, { 23, 8 },
	{ 24, 4 },
};

/* IPv6 layout: other lengths, ms times, 16-byte addresses. */
static const struct spec v6[] = {
	{ 27, 16 }, { 28, 16 }, { 62, 16 }, { 63, 16 }, { 281, 16 },
	{ 7, 2 }, { 11, 2 }, { 4, 1 }, { 6, 2 }, { 2, 8 }, { 1, 4 },
	{ 152, 8 }, { 153, 8 }, { 22, 4 }, { 10, 4 }, { 14, 2 },
	{ 139, 2 }, { 176, 1 }, { 177, 1 }, { 29, 1 }, { 30, 1 },
	{ 31, 3 }, { 57, 6 }, { 81, 8 }, { 72, 3 }, { 47, 16 }, { 46, 1 },
	{ 48, 2 }, { 16, 8 }, { 8, 3 }, { 161, 4 }, { 5, 2 },
};

static uint64_t rs = 7;

static uint8_t
rnd8(void)
{
	rs = rs * 6364136223846793005ULL + 1442695040888963407ULL;
	return (uint8_t)(rs >> 56);
}

static void
put_template(struct wbuf *w, uint16_t tid, const struct spec *f, size_t n,
    bool varlen)
{
	wbuf_be16(w, tid);
	wbuf_be16(w, (uint16_t)(n + varlen));
	for (size_t i = 0; i < n; i++) {
		wbuf_be16(w, f[i].id);
		wbuf_be16(w, f[i].len);
	}
	if (varlen) {
		wbuf_be16(w, 96);		/* applicationName */
		wbuf_be16(w, 0xffff);
	}
}

/*
 * One message: both templates, then NREC records of random bytes in
 * the fixed layout (set 256) and the same bytes, each followed by an
 * empty variable-length field, in the walked one (set 257).
 */
static size_t
make_msg(uint8_t *buf, size_t cap, const struct spec *f, size_t n,
    uint32_t seq)
{
	static uint8_t rec[NREC][512];
	struct wbuf w;
	size_t at, rl = 0;

	for (size_t i = 0; i < n; i++)
		rl += f[i].len;
	for (size_t r = 0; r < NREC; r++) {
		for (size_t k = 0; k < rl; k++)
			rec[r][k] = rnd8();
		if (r % 5 == 0 && rl >= 16)
			memset(rec[r], 0, 16);	/* :: and zeros too */
	}
	wbuf_init(&w, buf, cap);
	wbuf_be16(&w, 10);
	wbuf_be16(&w, 0);
	wbuf_be32(&w, 1700000000);
	wbuf_be32(&w, seq);
	wbuf_be32(&w, 3);
	at = wbuf_len(&w);
	wbuf_be16(&w, 2);
	wbuf_be16(&w, 0);
	put_template(&w, 256, f, n, false);
	put_template(&w, 257, f, n, true);
	wbuf_patch_be16(&w, at + 2, (uint16_t)(wbuf_len(&w) - at));
	/* systemInitTimeMilliseconds, so that sysUpTime times count */
	wbuf_be16(&w, 3);
	wbuf_be16(&w, 4 + 6 + 2 * 4);
	wbuf_be16(&w, 258);
	wbuf_be16(&w, 2);
	wbuf_be16(&w, 1);
	wbuf_be16(&w, 149);		/* scope: observationDomainId */
	wbuf_be16(&w, 4);
	wbuf_be16(&w, 160);
	wbuf_be16(&w, 8);
	wbuf_be16(&w, 258);
	wbuf_be16(&w, 4 + 12);
	wbuf_be32(&w, 3);
	wbuf_be64(&w, UINT64_C(1699990000000));
	for (uint16_t set = 256; set <= 257; set++) {
		at = wbuf_len(&w);
		wbuf_be16(&w, set);
		wbuf_be16(&w, 0);
		for (size_t r = 0; r < NREC; r++) {
			wbuf_bytes(&w, rec[r], rl);
			if (set == 257)
				wbuf_u8(&w, 0);
		}
		wbuf_patch_be16(&w, at + 2, (uint16_t)(wbuf_len(&w) - at));
	}
	wbuf_patch_be16(&w, 2, (uint16_t)wbuf_len(&w));
	return wbuf_ok(&w) ? wbuf_len(&w) : 0;
}

static void
test_layout(const char *what, const struct spec *f, size_t n)
{
	static uint8_t msg[65000];
	static struct collect c;
	struct tmpl_cache *tc = tmpl_cache_new(NULL);
	struct nf_decode_ctx ctx;
	struct nf_dgram_info info;
	char da[2048], db[2048];
	size_t len, differ = 0, bad = 0;

	for (int round = 0; round < ROUNDS; round++) {
		len = make_msg(msg, sizeof(msg), f, n, (uint32_t)round);
		collect_ctx(&ctx, &c, tc, 0xc0000201);
		if (len == 0 || ipfix_decode(msg, len, &ctx, &info) !=
		    NFE_OK || c.n != 2 * NREC) {
			bad++;
			continue;
		}
		for (size_t i = 0; i < NREC; i++) {
			if (flowrec_equal(&c.recs[i], &c.recs[NREC + i]))
				continue;
			if (differ++ == 0)
				tap_diag("%s: record %zu: fixed %s / walked %s",
				    what, i, flowrec_dump(&c.recs[i], da,
				    sizeof(da)), flowrec_dump(&c.recs[NREC + i],
				    db, sizeof(db)));
		}
	}
	tap_ok(bad == 0, "%s: %d messages of %d records in both layouts "
	    "decode", what, ROUNDS, 2 * NREC);
	tap_is_uint(differ, 0, what);
	tmpl_cache_free(tc);
}

int
main(void)
{
	tap_no_plan();
	test_layout("IPv4 layout: fixed plan = field walk", v4,
	    sizeof(v4) / sizeof(v4[0]));
	test_layout("IPv6 layout: fixed plan = field walk", v6,
	    sizeof(v6) / sizeof(v6[0]));
	return tap_done();
}
