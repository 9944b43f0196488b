/*
 * tests/t_nfdecode.c -- the version dispatcher nf_decode(): short
 * input, each supported version reaching its decoder (v1/v5/v7 and,
 * through a template cache, v9 and IPFIX with hand-built datagrams),
 * v9/IPFIX refused without a cache, unknown versions, and info zeroed
 * on every call.
 */
#include "common/base/compat.h"

#include <stdint.h>
#include <string.h>

#include "common/base/nferr.h"
#include "common/codec/nf5.h"
#include "common/codec/nfdecode.h"
#include "common/codec/tmpl.h"
#include "tap.h"

/*
 * v9 (RFC 3954): header (source id 0x102, sequence 5), a template
 * flowset (id 256: IPV4_SRC_ADDR 4, IPV4_DST_ADDR 4, IN_PKTS 4) and a
 * data flowset with one record 10.0.0.1 -> 10.0.0.2, 7 packets.
 */
static const uint8_t v9_dgram[] = {
	0x00, 0x09, 0x00, 0x02, 0x00, 0x00, 0x10, 0x00,
	0x5f, 0x5e, 0x10, 0x00, 0x00, 0x00, 0x00, 0x05,
	0x00, 0x00, 0x01, 0x02,
	0x00, 0x00, 0x00, 0x14, 0x01, 0x00, 0x00, 0x03,
	0x00, 0x08, 0x00, 0x04, 0x00, 0x0c, 0x00, 0x04,
	0x00, 0x02, 0x00, 0x04,
	0x01, 0x00, 0x00, 0x10, 0x0a, 0x00, 0x00, 0x01,
	0x0a, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x07,
};

/*
 * IPFIX (RFC 7011): header (length 56, sequence 17, domain 3), a
 * template set (id 256: sourceIPv4Address 4, destinationIPv4Address 4,
 * packetDeltaCount 8) and a data set with one record, 9 packets.
 */
static const uint8_t ipfix_msg[] = {
	0x00, 0x0a, 0x00, 0x38, 0x5f, 0x5e, 0x10, 0x00,
	0x00, 0x00, 0x00, 0x11, 0x00, 0x00, 0x00, 0x03,
	0x00, 0x02, 0x00, 0x14, 0x01, 0x00, 0x00, 0x03,
	0x00, 0x08, 0x00, 0x04, 0x00, 0x0c, 0x00, 0x04,
	0x00, 0x02, 0x00, 0x08,
	0x01, 0x00, 0x00, 0x14, 0xc0, 0x00, 0x02, 0x01,
	0xc0, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x09,
};

/* The sink keeps the last record's packets and source address. */
struct last {
	size_t		n;
	uint64_t	packets;
	uint32_t	src;
};

static int
last_cb(void *arg, const struct flowrec *rec)
{
	struct last *l = arg;

	l->n++;
	l->packets = rec->packets;
	l->src = addr_v4(&rec->src);
	return NFE_OK;
}

static int
run_tmpl(const uint8_t *p, size_t len, struct tmpl_cache *tc,
    struct last *l, struct nf_dgram_info *info)
{
	struct nf_decode_ctx ctx;

	memset(&ctx, 0, sizeof(ctx));
	addr_from_v4(&ctx.exporter, 0x7f000001);
	ctx.tmpl = tc;
	ctx.sink = last_cb;
	ctx.arg = l;
	memset(l, 0, sizeof(*l));
	memset(info, 0xa5, sizeof(*info));
	return nf_decode(p, len, &ctx, info);
}

static void
test_templated(void)
{
	struct tmpl_cache *tc;
	struct nf_dgram_info info;
	struct last l;
	uint8_t early[20 + 16];
	int rc;

	if ((tc = tmpl_cache_new(NULL)) == NULL) {
		tap_ok(false, "template cache");
		return;
	}
	rc = run_tmpl(v9_dgram, sizeof(v9_dgram), NULL, &l, &info);
	tap_ok(rc == NFE_INVAL && l.n == 0 && info.version == 9,
	    "v9 without a template cache: NFE_INVAL");
	rc = run_tmpl(ipfix_msg, sizeof(ipfix_msg), NULL, &l, &info);
	tap_ok(rc == NFE_INVAL && l.n == 0 && info.version == 10,
	    "IPFIX without a template cache: NFE_INVAL");

	/* the data flowset alone, before its template */
	memcpy(early, v9_dgram, 20);
	early[3] = 1;
	memcpy(early + 20, v9_dgram + sizeof(v9_dgram) - 16, 16);
	rc = run_tmpl(early, sizeof(early), tc, &l, &info);
	tap_ok(rc == NFE_NOTMPL && l.n == 0 && info.no_template == 1,
	    "v9 data before its template: NFE_NOTMPL, counted");

	rc = run_tmpl(v9_dgram, sizeof(v9_dgram), tc, &l, &info);
	tap_is_int(rc, NFE_OK, "v9 dispatched and decoded");
	tap_ok(l.n == 1 && info.records == 1, "v9: one record");
	tap_is_uint(l.src, 0x0a000001, "v9: source address");
	tap_is_uint(l.packets, 7, "v9: packets");
	tap_ok(info.version == 9 && info.has_seq && info.seq == 5 &&
	    info.seq_step == 1 && info.domain == 0x102,
	    "v9: version, sequence 5 step 1 (packets), source id");
	tap_is_uint(info.templates, 1, "v9: one template learned");

	rc = run_tmpl(ipfix_msg, sizeof(ipfix_msg), tc, &l, &info);
	tap_is_int(rc, NFE_OK, "IPFIX dispatched and decoded");
	tap_ok(l.n == 1 && info.records == 1, "IPFIX: one record");
	tap_is_uint(l.src, 0xc0000201, "IPFIX: source address");
	tap_is_uint(l.packets, 9, "IPFIX: packets");
	tap_ok(info.version == 10 && info.has_seq && info.seq == 17 &&
	    info.seq_step == 1 && info.domain == 3,
	    "IPFIX: version, sequence 17 step 1 (records), domain");
	tap_is_uint(info.export_ms, UINT64_C(1600000000000),
	    "IPFIX: export time");

	rc = run_tmpl(ipfix_msg, sizeof(ipfix_msg) - 1, tc, &l, &info);
	tap_ok(rc == NFE_TRUNC && l.n == 0,
	    "IPFIX one byte short of its length: NFE_TRUNC");
	tmpl_cache_free(tc);
}

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
	test_templated();
	return tap_done();
}
