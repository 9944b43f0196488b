/*
 * tests/t_sflow.c -- the sFlow v5 decoder (common/codec/sflow.h):
 *   - golden bytes: a datagram pmacct 1.7.7's sfprobe sent (four flow
 *     samples of Ethernet frames, 1 in 4), each field as tshark 4.0
 *     decodes it;
 *   - a datagram built here from the sFlow v5 structures with every
 *     record the decoder reads (raw Ethernet header with a VLAN tag,
 *     sampled IPv6, extended switch, router and gateway), a counter
 *     sample, a flow sample without IP, an unknown sample and record;
 *   - every proper prefix of both: NFE_TRUNC or NFE_FORMAT, no record;
 *   - hostile datagrams: sample and record lengths past their parent,
 *     huge sample, record and AS-path counts, a zero sampling rate,
 *     bad address types, another version; a 32-bit version 5 is told
 *     from NetFlow v5's 16-bit one.
 */
#include "common/base/compat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/base/addr.h"
#include "common/base/buf.h"
#include "common/base/nferr.h"
#include "common/codec/sampling.h"
#include "common/codec/sflow.h"
#include "tap.h"

#define RECV_MS		UINT64_C(1700000000123)
#define MAXREC		16

/* pmacct sfprobe, agent 192.0.2.33, datagram 2: four flow samples */
static const char pmacct_hex[] =
	"0000000500000001c00002210000000000000002000000000000000400000001"
	"0000007c0000000a000000010000000400000023000000003fffffff3fffffff"
	"00000002000003e9000000100000000000000000000000000000000000000001"
	"0000003c0000000100000220000000040000002a020000000002020000000001"
	"08004500020e00224000401100002762eb21b92d397b2d4bd158020e00000000"
	"000000010000007c0000000b000000010000000400000026000000003fffffff"
	"3fffffff00000002000003e90000001000000000000000000000000000000000"
	"000000010000003c00000001000005c9000000040000002a0200000000020200"
	"000000010800450005b70025400040110000c2d1ce276f014327cab0123a05b7"
	"00002001000000010000007c0000000c00000001000000040000002c00000000"
	"3fffffff3fffffff00000002000003e900000010000000000000000000000000"
	"00000000000000010000003c00000001000003df000000040000002a02000000"
	"00020200000000010800450003cd002b400040110000212aa99a43ed7040a6b5"
	"4fbc03cd000001c1000000010000007c0000000d000000010000000400000033"
	"000000003fffffff3fffffff00000002000003e9000000100000000000000000"
	"0000000000000000000000010000003c0000000100000236000000040000002a"
	"0200000000020200000000010800450002240032400040110000b3388dc852bc"
	"f463e31b867a022400000485";

struct got {
	struct flowrec	rec[MAXREC];
	size_t		n;
};

static int
sink(void *arg, const struct flowrec *r)
{
	struct got *g = arg;

	if (g->n < MAXREC)
		g->rec[g->n] = *r;
	g->n++;
	return NFE_OK;
}

static int
decode(const uint8_t *p, size_t len, struct got *g, struct nf_dgram_info *info)
{
	struct nf_decode_ctx ctx;

	memset(&ctx, 0, sizeof(ctx));
	memset(g, 0, sizeof(*g));
	ctx.recv_ms = RECV_MS;
	ctx.sink = sink;
	ctx.arg = g;
	return sflow_decode(p, len, &ctx, info);
}

static size_t
unhex(const char *h, uint8_t *out, size_t cap)
{
	size_t n = 0;

	for (; h[0] != '\0' && h[1] != '\0' && n < cap; h += 2) {
		unsigned v;

		sscanf(h, "%2x", &v);
		out[n++] = (uint8_t)v;
	}
	return n;
}

static bool
is_addr(const struct nf_addr *a, const char *text)
{
	struct nf_addr b;

	return addr_parse(text, &b) == NFE_OK && addr_eq(a, &b);
}

static void
test_pmacct(void)
{
	static const struct {
		const char	*src, *dst;
		uint16_t	 sport, dport;
		uint64_t	 bytes;
	} want[4] = {
		{ "39.98.235.33", "185.45.57.123", 11595, 53592, 544 },
		{ "194.209.206.39", "111.1.67.39", 51888, 4666, 1481 },
		{ "33.42.169.154", "67.237.112.64", 42677, 20412, 991 },
		{ "179.56.141.200", "82.188.244.99", 58139, 34426, 566 },
	};
	uint8_t d[1024];
	size_t len = unhex(pmacct_hex, d, sizeof(d));
	struct nf_dgram_info info;
	struct sflow_peek pk;
	struct got g;
	bool ok = true;
	int rc;

	tap_ok(sflow_is(d, len), "pmacct: a 32-bit version 5");
	rc = sflow_peek(d, len, &pk);
	tap_ok(rc == NFE_OK && is_addr(&pk.agent, "192.0.2.33") &&
	    pk.sub_agent == 0 && pk.seq == 2 && pk.nsamples == 4,
	    "pmacct: header as tshark shows it");
	rc = decode(d, len, &g, &info);
	tap_ok(rc == NFE_OK && g.n == 4 && info.records == 4 &&
	    info.version == SFLOW_EXPORTER_VERSION && info.has_seq &&
	    info.seq == 2 && info.seq_step == 1 && info.domain == 0 &&
	    is_addr(&info.agent, "192.0.2.33") && info.sampling == 4 &&
	    info.counters == 0 && info.no_ip == 0 && info.trailing == 0,
	    "pmacct: 4 records, datagram facts (%s, %zu)", nferr_str(rc), g.n);
	for (size_t i = 0; i < 4 && i < g.n; i++) {
		const struct flowrec *r = &g.rec[i];

		if (!(r->af == 4 && is_addr(&r->src, want[i].src) &&
		    is_addr(&r->dst, want[i].dst) &&
		    r->src_port == want[i].sport &&
		    r->dst_port == want[i].dport && r->proto == 17 &&
		    r->packets == 1 && r->bytes == want[i].bytes &&
		    r->sampling == 4 && r->first_ms == RECV_MS &&
		    r->last_ms == RECV_MS && r->in_if == 0x3fffffff &&
		    r->out_if == 0x3fffffff && r->flows == 1)) {
			char b[1024];

			tap_diag("sample %zu: %s", i, flowrec_dump(r, b,
			    sizeof(b)));
			ok = false;
		}
	}
	tap_ok(ok, "pmacct: every sample's fields as tshark shows them");
	ok = g.n == 4;
	for (size_t i = 0; i < 4 && i < g.n; i++)
		ok = ok && g.rec[i].in_dst_mac == UINT64_C(0x020000000002) &&
		    g.rec[i].in_src_mac == UINT64_C(0x020000000001) &&
		    g.rec[i].mpls1 == 0;
	tap_ok(ok, "pmacct: the sampled frames' MACs (eth.dst "
	    "02:00:00:00:00:02, eth.src 02:00:00:00:00:01), no MPLS");
}

/* ---- datagrams built from the sFlow v5 structures ------------------- */

struct dg {
	uint8_t		buf[2048];
	struct wbuf	w;
	size_t		mark[8];	/* length fields to patch */
	int		depth;
};

static void
open_len(struct dg *d, uint32_t fmt)
{
	wbuf_be32(&d->w, fmt);
	d->mark[d->depth++] = wbuf_mark(&d->w);
	wbuf_be32(&d->w, 0);
}

static void
close_len(struct dg *d)
{
	size_t m = d->mark[--d->depth];

	wbuf_patch_be32(&d->w, m, (uint32_t)(wbuf_len(&d->w) - m - 4));
}

static void
dg_header(struct dg *d, uint32_t nsamples)
{
	wbuf_init(&d->w, d->buf, sizeof(d->buf));
	d->depth = 0;
	wbuf_be32(&d->w, 5);
	wbuf_be32(&d->w, 1);
	wbuf_bytes(&d->w, "\xc0\x00\x02\x0a", 4);	/* 192.0.2.10 */
	wbuf_be32(&d->w, 3);			/* sub-agent */
	wbuf_be32(&d->w, 77);			/* sequence */
	wbuf_be32(&d->w, 123456);		/* uptime */
	wbuf_be32(&d->w, nsamples);
}

static void
flow_sample(struct dg *d, uint32_t rate, uint32_t in, uint32_t out,
    uint32_t nrec)
{
	open_len(d, 1);
	wbuf_be32(&d->w, 1);			/* sequence */
	wbuf_be32(&d->w, 5);			/* source_id */
	wbuf_be32(&d->w, rate);
	wbuf_be32(&d->w, 1000);			/* pool */
	wbuf_be32(&d->w, 0);			/* drops */
	wbuf_be32(&d->w, in);
	wbuf_be32(&d->w, out);
	wbuf_be32(&d->w, nrec);
}

/* Ethernet, 802.1Q VID 10, IPv4 10.1.2.3:40000 -> 192.0.2.80:443 TCP */
static const char eth_hex[] =
	"020000000002" "020000000001" "8100000a" "0800"
	"4520" "05dc" "1234" "4000" "4006" "0000" "0a010203" "c0000250"
	"9c40" "01bb" "00000001" "00000000" "5012" "ffff" "0000" "0000";

static void
rec_header(struct dg *d)
{
	uint8_t f[128];
	size_t n = unhex(eth_hex, f, sizeof(f));

	open_len(d, 1);
	wbuf_be32(&d->w, 1);			/* Ethernet */
	wbuf_be32(&d->w, 1518);			/* frame length */
	wbuf_be32(&d->w, 4);			/* stripped (FCS) */
	wbuf_be32(&d->w, (uint32_t)n);
	wbuf_bytes(&d->w, f, n);
	wbuf_zero(&d->w, (4 - n % 4) % 4);
	close_len(d);
}

static void
build_rich(struct dg *d)
{
	struct nf_addr a;

	dg_header(d, 5);
	/* 1: compact flow sample, rate 512, out "dropped by ACL" (1) */
	flow_sample(d, 512, 3, 0x40000001, 4);
	rec_header(d);
	open_len(d, 1001);			/* switch */
	wbuf_be32(&d->w, 10);
	wbuf_be32(&d->w, 0);
	wbuf_be32(&d->w, 20);
	wbuf_be32(&d->w, 0);
	close_len(d);
	open_len(d, 1002);			/* router */
	wbuf_be32(&d->w, 1);
	wbuf_bytes(&d->w, "\x0a\x00\x00\x01", 4);
	wbuf_be32(&d->w, 24);
	wbuf_be32(&d->w, 16);
	close_len(d);
	open_len(d, 1003);			/* gateway */
	wbuf_be32(&d->w, 1);
	wbuf_bytes(&d->w, "\x0a\x00\x00\x02", 4);
	wbuf_be32(&d->w, 65000);		/* own AS */
	wbuf_be32(&d->w, 64512);		/* src AS */
	wbuf_be32(&d->w, 64513);		/* src peer AS */
	wbuf_be32(&d->w, 1);			/* one segment */
	wbuf_be32(&d->w, 2);			/* AS_SEQUENCE */
	wbuf_be32(&d->w, 3);
	wbuf_be32(&d->w, 64513);
	wbuf_be32(&d->w, 3356);
	wbuf_be32(&d->w, 15169);
	wbuf_be32(&d->w, 0);			/* communities */
	wbuf_be32(&d->w, 100);			/* localpref */
	close_len(d);
	close_len(d);
	/* 2: a counters sample */
	open_len(d, 2);
	wbuf_be32(&d->w, 9);
	wbuf_be32(&d->w, 5);
	wbuf_be32(&d->w, 1);
	open_len(d, 1);				/* generic interface counters */
	wbuf_zero(&d->w, 88);
	close_len(d);
	close_len(d);
	/* 3: expanded flow sample, sampled IPv6, an enterprise record */
	open_len(d, 3);
	wbuf_be32(&d->w, 2);			/* sequence */
	wbuf_be32(&d->w, 0);			/* source type */
	wbuf_be32(&d->w, 7);			/* source index */
	wbuf_be32(&d->w, 1000);			/* rate */
	wbuf_be32(&d->w, 5000);
	wbuf_be32(&d->w, 0);
	wbuf_be32(&d->w, 0);
	wbuf_be32(&d->w, 7);			/* input */
	wbuf_be32(&d->w, 0);
	wbuf_be32(&d->w, 70000000);		/* output, above 2^24 */
	wbuf_be32(&d->w, 2);
	open_len(d, 4);				/* sampled IPv6 */
	wbuf_be32(&d->w, 1280);
	wbuf_be32(&d->w, 17);
	addr_parse("2001:db8::1", &a);
	wbuf_bytes(&d->w, a.a, 16);
	addr_parse("2001:db8::2", &a);
	wbuf_bytes(&d->w, a.a, 16);
	wbuf_be32(&d->w, 53);
	wbuf_be32(&d->w, 5353);
	wbuf_be32(&d->w, 0);
	wbuf_be32(&d->w, 0xb8);			/* priority (traffic class) */
	close_len(d);
	open_len(d, 4413u << 12 | 5);		/* vendor record: skipped */
	wbuf_zero(&d->w, 12);
	close_len(d);
	close_len(d);
	/* 4: a flow sample whose only record is sampled Ethernet (ARP) */
	flow_sample(d, 512, 3, 4, 1);
	open_len(d, 2);
	wbuf_be32(&d->w, 64);
	wbuf_zero(&d->w, 16);
	wbuf_be32(&d->w, 0x0806);
	close_len(d);
	close_len(d);
	/* 5: another enterprise's sample */
	open_len(d, 9u << 12 | 1);
	wbuf_be32(&d->w, 0xdeadbeef);
	close_len(d);
}

static void
test_rich(void)
{
	struct dg d;
	struct nf_dgram_info info;
	struct got g;
	const struct flowrec *r = &g.rec[0], *r6 = &g.rec[1];
	int rc;

	build_rich(&d);
	rc = decode(d.buf, wbuf_len(&d.w), &g, &info);
	tap_ok(rc == NFE_OK && g.n == 2 && info.counters == 1 &&
	    info.no_ip == 1 && info.records == 2 && info.domain == 3 &&
	    info.seq == 77 && info.sys_uptime_ms == 123456 &&
	    is_addr(&info.agent, "192.0.2.10"), "built: 2 records, a "
	    "counter sample, a sample without IP (%s, %zu)", nferr_str(rc),
	    g.n);
	tap_ok(r->af == 4 && is_addr(&r->src, "10.1.2.3") &&
	    is_addr(&r->dst, "192.0.2.80") && r->src_port == 40000 &&
	    r->dst_port == 443 && r->proto == 6 && r->tcp_flags == 0x12 &&
	    r->tos == 0x20, "built: the raw header dissected");
	tap_ok(r->packets == 1 && r->bytes == 1518 && r->sampling == 512 &&
	    r->in_if == 3 && r->out_if == 1, "built: frame length, rate, "
	    "compact interfaces");
	tap_ok(r->src_vlan == 10 && r->dst_vlan == 20, "built: VLANs of "
	    "the extended switch");
	tap_ok(is_addr(&r->nexthop, "10.0.0.1") && r->src_mask == 24 &&
	    r->dst_mask == 16, "built: next hop and masks of the extended "
	    "router");
	tap_ok(r->src_as == 64512 && r->dst_as == 15169, "built: source AS "
	    "and the AS path's last AS of the extended gateway");
	tap_ok(r6->af == 6 && is_addr(&r6->src, "2001:db8::1") &&
	    is_addr(&r6->dst, "2001:db8::2") && r6->proto == 17 &&
	    r6->src_port == 53 && r6->dst_port == 5353 && r6->tos == 0xb8 &&
	    r6->bytes == 1280 && r6->sampling == 1000 && r6->in_if == 7 &&
	    r6->out_if == 70000000, "built: sampled IPv6, expanded sample");
}

static void
sweep(const char *name, const uint8_t *d, size_t len)
{
	struct nf_dgram_info info;
	struct got g;
	bool clean = true;
	int rc;

	for (size_t cut = 0; cut < len; cut++) {
		rc = decode(d, cut, &g, &info);
		if ((rc != NFE_TRUNC && rc != NFE_FORMAT) || g.n != 0) {
			tap_diag("%s: prefix %zu: %s, %zu records", name, cut,
			    nferr_str(rc), g.n);
			clean = false;
		}
	}
	tap_ok(clean, "%s: every proper prefix refused, nothing delivered",
	    name);
}

/* Patch a big-endian u32 at off of a copy of the built datagram. */
static int
hostile(const struct dg *d, size_t off, uint32_t v, struct got *g,
    struct nf_dgram_info *info)
{
	uint8_t b[2048];
	size_t len = wbuf_len(&d->w);

	memcpy(b, d->buf, len);
	b[off] = (uint8_t)(v >> 24);
	b[off + 1] = (uint8_t)(v >> 16);
	b[off + 2] = (uint8_t)(v >> 8);
	b[off + 3] = (uint8_t)v;
	return decode(b, len, g, info);
}

static void
test_hostile(void)
{
	struct nf_dgram_info info;
	struct got g;
	struct dg d;
	uint8_t nf5[24] = { 0, 5, 0, 1 };
	size_t s1 = 28;			/* first sample's format word */
	size_t r1 = s1 + 8 + 32;	/* its first record's format word */
	int rc;

	build_rich(&d);
	rc = hostile(&d, 24, 0xffffffff, &g, &info);
	tap_ok(rc == NFE_FORMAT && g.n == 0, "4 billion samples: refused "
	    "(%s)", nferr_str(rc));
	rc = hostile(&d, 24, 6, &g, &info);
	tap_ok(rc == NFE_TRUNC && g.n == 0, "one sample more than the "
	    "datagram holds: refused, nothing delivered (%s)", nferr_str(rc));
	rc = hostile(&d, s1 + 4, 0x7ffffff0, &g, &info);
	tap_ok(rc == NFE_TRUNC && g.n == 0, "sample length past the end "
	    "(%s)", nferr_str(rc));
	rc = hostile(&d, s1 + 8 + 28, 0xffffffff, &g, &info);
	tap_ok(rc == NFE_FORMAT && g.n == 0, "4 billion flow records in a "
	    "sample (%s)", nferr_str(rc));
	rc = hostile(&d, r1 + 4, 4000, &g, &info);
	tap_ok(rc == NFE_TRUNC && g.n == 0, "record length past its sample "
	    "(%s)", nferr_str(rc));
	rc = hostile(&d, r1 + 8 + 12, 2000, &g, &info);
	tap_ok(rc == NFE_TRUNC && g.n == 0, "header length past its record "
	    "(%s)", nferr_str(rc));
	rc = hostile(&d, 4, 3, &g, &info);
	tap_ok(rc == NFE_FORMAT && g.n == 0, "agent address type 3 (%s)",
	    nferr_str(rc));
	rc = hostile(&d, 0, 4, &g, &info);
	tap_ok(rc == NFE_FORMAT && g.n == 0, "version 4 (%s)",
	    nferr_str(rc));
	rc = hostile(&d, s1 + 8 + 8, 0, &g, &info);
	tap_ok(rc == NFE_OK && g.n == 2 && g.rec[0].sampling == 0 &&
	    g.rec[0].packets == 1 && info.samp_bad == 1 &&
	    info.samp_bad_first.why == SW_INTERVAL_ZERO,
	    "sampling rate 0: the record kept unscaled, counted as nonsense");
	{
		/* the gateway's AS path: segment with 1 billion ASes */
		size_t gw = r1, len;

		for (int i = 0; i < 3; i++) {	/* header, switch, router */
			len = (size_t)d.buf[gw + 4] << 24 |
			    (size_t)d.buf[gw + 5] << 16 |
			    (size_t)d.buf[gw + 6] << 8 | d.buf[gw + 7];
			gw += 8 + len;
		}
		rc = hostile(&d, gw + 8 + 8 + 12 + 4 + 4, 1000000000, &g, &info);
		tap_ok(rc == NFE_FORMAT && g.n == 0, "an AS path segment of a "
		    "billion ASes (%s)", nferr_str(rc));
		rc = hostile(&d, gw + 8 + 8 + 12, 0x10000000, &g, &info);
		tap_ok(rc == NFE_FORMAT && g.n == 0, "268 million AS path "
		    "segments (%s)", nferr_str(rc));
	}
	tap_ok(!sflow_is(nf5, sizeof(nf5)), "NetFlow v5 is not sFlow");
	rc = decode(nf5, sizeof(nf5), &g, &info);
	tap_ok(rc == NFE_FORMAT, "a NetFlow v5 header is refused (%s)",
	    nferr_str(rc));
}

int
main(void)
{
	uint8_t d[1024];
	size_t len = unhex(pmacct_hex, d, sizeof(d));
	struct dg rich;

	tap_plan(5 + 7 + 2 + 13);
	test_pmacct();
	test_rich();
	sweep("pmacct", d, len);
	build_rich(&rich);
	sweep("built", rich.buf, wbuf_len(&rich.w));
	test_hostile();
	return tap_done();
}
