/*
 * tests/t_nf5.c -- NetFlow v1/v5/v7 decoder and v5 encoder: golden
 * byte-literal datagrams with hand-computed values, an encode -> decode
 * round trip of every field v5 carries, the encoder's limits (30
 * records, IPv6 skipped, buffer room, clamping), a truncation sweep,
 * hostile headers, sysUptime wrap-around and sampling-field decoding.
 */
#include "common/base/compat.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "common/base/addr.h"
#include "common/base/flowrec.h"
#include "common/base/nferr.h"
#include "common/codec/nf5.h"
#include "tap.h"

#define MAXREC	64

/* Collects decoded records; stops with stop_rc after stop_after. */
struct collect {
	struct flowrec	rec[MAXREC];
	size_t		n;
	size_t		stop_after;	/* 0: never stop */
	int		stop_rc;
};

static int
collect_cb(void *arg, const struct flowrec *rec)
{
	struct collect *c = arg;

	if (c->n < MAXREC)
		c->rec[c->n] = *rec;
	c->n++;
	if (c->stop_after != 0 && c->n >= c->stop_after)
		return c->stop_rc;
	return NFE_OK;
}

static int
decode(const uint8_t *p, size_t len, struct collect *c,
    struct nf_dgram_info *info)
{
	struct nf_decode_ctx ctx;

	memset(&ctx, 0, sizeof(ctx));
	ctx.sink = collect_cb;
	ctx.arg = c;
	c->n = 0;
	return nf5_decode(p, len, &ctx, info);
}

static uint32_t
v4(const char *s)
{
	struct nf_addr a;

	if (addr_parse(s, &a) != NFE_OK || !addr_is_v4(&a))
		return 0;
	return addr_v4(&a);
}

/*
 * v5: 2 records.  sysUptime 1000000, export 1600000000 s + 500 ms,
 * sequence 100, engine 1/2, sampling mode 1 interval 100.
 */
static const uint8_t golden_v5[] = {
	0x00, 0x05, 0x00, 0x02, 0x00, 0x0f, 0x42, 0x40,
	0x5f, 0x5e, 0x10, 0x00, 0x1d, 0xcd, 0x65, 0x00,
	0x00, 0x00, 0x00, 0x64, 0x01, 0x02, 0x40, 0x64,
	/* 10.0.0.1:12345 -> 192.168.1.2:80 via 10.0.0.254, if 3 -> 4 */
	0x0a, 0x00, 0x00, 0x01, 0xc0, 0xa8, 0x01, 0x02,
	0x0a, 0x00, 0x00, 0xfe, 0x00, 0x03, 0x00, 0x04,
	0x00, 0x00, 0x00, 0x0a, 0x00, 0x00, 0x05, 0x78,	/* 10 p 1400 B */
	0x00, 0x0f, 0x3e, 0x58, 0x00, 0x0f, 0x41, 0x78,	/* -1000, -200 */
	0x30, 0x39, 0x00, 0x50, 0x00, 0x1b, 0x06, 0x10,
	0xfd, 0xe8, 0x3b, 0x41, 0x18, 0x10, 0x00, 0x00,
	/* ICMP echo 172.16.0.1 -> 8.8.8.8, if 1 -> 2, 1 pkt 84 B */
	0xac, 0x10, 0x00, 0x01, 0x08, 0x08, 0x08, 0x08,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x02,
	0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x54,
	0x00, 0x0f, 0x42, 0x40, 0x00, 0x0f, 0x42, 0x40,
	0x00, 0x00, 0x08, 0x00, 0x00, 0x00, 0x01, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};

/* v1: 1 record, sysUptime 10000, export 1600000000 s + 0 ns */
static const uint8_t golden_v1[] = {
	0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x27, 0x10,
	0x5f, 0x5e, 0x10, 0x00, 0x00, 0x00, 0x00, 0x00,
	/* 10.1.1.1:53 -> 10.2.2.2:50000, if 5 -> 6, 3 pkts 180 B */
	0x0a, 0x01, 0x01, 0x01, 0x0a, 0x02, 0x02, 0x02,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x05, 0x00, 0x06,
	0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0xb4,
	0x00, 0x00, 0x1f, 0x40, 0x00, 0x00, 0x23, 0x28,	/* 8000, 9000 */
	0x00, 0x35, 0xc3, 0x50, 0x00, 0x00, 0x06, 0x08,	/* tcp, tos 8 */
	0x12, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,	/* flags SA */
};

/*
 * v7: 1 record, sysUptime 100, export 1600000000 s + 1000000 ns,
 * sequence 7, reserved 01020304 (ignored), router_sc 192.0.2.99.
 */
static const uint8_t golden_v7[] = {
	0x00, 0x07, 0x00, 0x01, 0x00, 0x00, 0x00, 0x64,
	0x5f, 0x5e, 0x10, 0x00, 0x00, 0x0f, 0x42, 0x40,
	0x00, 0x00, 0x00, 0x07, 0x01, 0x02, 0x03, 0x04,
	/* 192.0.2.1:443 -> 198.51.100.2:54321 via 192.0.2.254, if 7 -> 8 */
	0xc0, 0x00, 0x02, 0x01, 0xc6, 0x33, 0x64, 0x02,
	0xc0, 0x00, 0x02, 0xfe, 0x00, 0x07, 0x00, 0x08,
	0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x64,	/* 2 p 100 B */
	0x00, 0x00, 0x00, 0x32, 0x00, 0x00, 0x00, 0x50,	/* 50, 80 */
	0x01, 0xbb, 0xd4, 0x31, 0xff, 0x18, 0x06, 0x00,	/* flags1 ff */
	0x00, 0x01, 0x00, 0x02, 0x1c, 0x18, 0xab, 0xcd,
	0xc0, 0x00, 0x02, 0x63,
};

static void
test_golden_v5(void)
{
	struct collect c;
	struct nf_dgram_info info;
	const struct flowrec *r;
	unsigned mode;
	int rc;

	memset(&c, 0, sizeof(c));
	rc = decode(golden_v5, sizeof(golden_v5), &c, &info);
	tap_is_int(rc, NFE_OK, "v5 golden: decodes");
	tap_is_uint(c.n, 2, "v5 golden: 2 records to the sink");
	tap_is_uint(info.version, 5, "v5 golden: version");
	tap_is_uint(info.records, 2, "v5 golden: info.records");
	tap_ok(info.has_seq, "v5 golden: has_seq");
	tap_is_uint(info.seq, 100, "v5 golden: seq");
	tap_is_uint(info.seq_step, 2, "v5 golden: seq_step = count");
	tap_is_uint(info.domain, 0x0102, "v5 golden: domain = type<<8|id");
	tap_is_uint(info.sampling, 100, "v5 golden: sampling interval");
	tap_is_uint(info.export_ms, UINT64_C(1600000000500),
	    "v5 golden: export_ms");
	tap_is_uint(info.sys_uptime_ms, 1000000, "v5 golden: sys_uptime");
	tap_is_uint(info.trailing, 0, "v5 golden: no trailing bytes");
	tap_is_uint(nf5_sampling_split(0x4064, &mode), 100,
	    "v5 golden: raw sampling interval");
	tap_is_uint(mode, NF5_SAMPLING_DETERMINISTIC, "v5 golden: mode 1");

	r = &c.rec[0];
	tap_is_uint(r->first_ms, UINT64_C(1599999999500), "v5 r0 first");
	tap_is_uint(r->last_ms, UINT64_C(1600000000300), "v5 r0 last");
	tap_is_uint(r->af, 4, "v5 r0 af");
	tap_is_uint(addr_v4(&r->src), v4("10.0.0.1"), "v5 r0 src");
	tap_is_uint(addr_v4(&r->dst), v4("192.168.1.2"), "v5 r0 dst");
	tap_is_uint(addr_v4(&r->nexthop), v4("10.0.0.254"), "v5 r0 nexthop");
	tap_ok(addr_is_v4(&r->src) && addr_is_v4(&r->nexthop),
	    "v5 r0 addresses are v4-mapped");
	tap_is_uint(r->in_if, 3, "v5 r0 in_if");
	tap_is_uint(r->out_if, 4, "v5 r0 out_if");
	tap_is_uint(r->packets, 10, "v5 r0 packets (not scaled)");
	tap_is_uint(r->bytes, 1400, "v5 r0 bytes (not scaled)");
	tap_is_uint(r->src_port, 12345, "v5 r0 src_port");
	tap_is_uint(r->dst_port, 80, "v5 r0 dst_port");
	tap_is_uint(r->tcp_flags, 0x1b, "v5 r0 tcp_flags");
	tap_is_uint(r->proto, 6, "v5 r0 proto");
	tap_is_uint(r->tos, 0x10, "v5 r0 tos");
	tap_is_uint(r->src_as, 65000, "v5 r0 src_as");
	tap_is_uint(r->dst_as, 15169, "v5 r0 dst_as");
	tap_is_uint(r->src_mask, 24, "v5 r0 src_mask");
	tap_is_uint(r->dst_mask, 16, "v5 r0 dst_mask");
	tap_is_uint(r->engine_type, 1, "v5 r0 engine_type");
	tap_is_uint(r->engine_id, 2, "v5 r0 engine_id");
	tap_is_uint(r->sampling, 100, "v5 r0 sampling");
	tap_is_uint(r->flows, 1, "v5 r0 flows");
	tap_is_uint(r->direction, FLOWDIR_UNKNOWN, "v5 r0 direction");
	tap_is_uint(r->end_reason, FLOWEND_UNKNOWN, "v5 r0 end_reason");

	r = &c.rec[1];
	tap_is_uint(r->first_ms, UINT64_C(1600000000500), "v5 r1 first");
	tap_is_uint(r->last_ms, UINT64_C(1600000000500), "v5 r1 last");
	tap_is_uint(addr_v4(&r->src), v4("172.16.0.1"), "v5 r1 src");
	tap_is_uint(addr_v4(&r->dst), v4("8.8.8.8"), "v5 r1 dst");
	tap_ok(addr_is_v4(&r->nexthop) && addr_v4(&r->nexthop) == 0,
	    "v5 r1 nexthop 0.0.0.0");
	tap_is_uint(r->proto, 1, "v5 r1 proto icmp");
	tap_is_uint(r->src_port, 0, "v5 r1 src_port");
	tap_is_uint(flowrec_icmp_type(r), 8, "v5 r1 icmp type");
	tap_is_uint(flowrec_icmp_code(r), 0, "v5 r1 icmp code");
	tap_is_uint(r->packets, 1, "v5 r1 packets");
	tap_is_uint(r->bytes, 84, "v5 r1 bytes");
	tap_is_uint(r->in_if * 10 + r->out_if, 12, "v5 r1 interfaces");
}

static void
test_golden_v1(void)
{
	struct collect c;
	struct nf_dgram_info info;
	const struct flowrec *r = &c.rec[0];
	int rc;

	memset(&c, 0, sizeof(c));
	rc = decode(golden_v1, sizeof(golden_v1), &c, &info);
	tap_is_int(rc, NFE_OK, "v1 golden: decodes");
	tap_is_uint(c.n, 1, "v1 golden: 1 record");
	tap_is_uint(info.version, 1, "v1 golden: version");
	tap_ok(!info.has_seq, "v1 golden: no sequence number");
	tap_is_uint(info.seq_step, 0, "v1 golden: seq_step 0");
	tap_is_uint(info.domain, 0, "v1 golden: domain 0");
	tap_is_uint(info.sampling, 0, "v1 golden: no sampling");
	tap_is_uint(info.export_ms, UINT64_C(1600000000000),
	    "v1 golden: export_ms");
	tap_is_uint(info.sys_uptime_ms, 10000, "v1 golden: sys_uptime");
	tap_is_uint(r->first_ms, UINT64_C(1599999998000), "v1 first");
	tap_is_uint(r->last_ms, UINT64_C(1599999999000), "v1 last");
	tap_is_uint(addr_v4(&r->src), v4("10.1.1.1"), "v1 src");
	tap_is_uint(addr_v4(&r->dst), v4("10.2.2.2"), "v1 dst");
	tap_is_uint(r->src_port, 53, "v1 src_port");
	tap_is_uint(r->dst_port, 50000, "v1 dst_port");
	tap_is_uint(r->in_if, 5, "v1 in_if");
	tap_is_uint(r->out_if, 6, "v1 out_if");
	tap_is_uint(r->packets, 3, "v1 packets");
	tap_is_uint(r->bytes, 180, "v1 bytes");
	tap_is_uint(r->proto, 6, "v1 proto (offset 38)");
	tap_is_uint(r->tos, 8, "v1 tos (offset 39)");
	tap_is_uint(r->tcp_flags, 0x12, "v1 tcp_flags (offset 40)");
	tap_is_uint(r->src_as, 0, "v1 has no AS");
	tap_is_uint(r->src_mask, 0, "v1 has no mask");
	tap_is_uint(r->engine_type + r->engine_id + r->sampling, 0,
	    "v1 has no engine or sampling");
}

static void
test_golden_v7(void)
{
	struct collect c;
	struct nf_dgram_info info;
	const struct flowrec *r = &c.rec[0];
	int rc;

	memset(&c, 0, sizeof(c));
	rc = decode(golden_v7, sizeof(golden_v7), &c, &info);
	tap_is_int(rc, NFE_OK, "v7 golden: decodes");
	tap_is_uint(c.n, 1, "v7 golden: 1 record");
	tap_is_uint(info.version, 7, "v7 golden: version");
	tap_ok(info.has_seq, "v7 golden: has_seq");
	tap_is_uint(info.seq, 7, "v7 golden: seq");
	tap_is_uint(info.seq_step, 1, "v7 golden: seq_step");
	tap_is_uint(info.domain, 0, "v7 golden: reserved is not an engine");
	tap_is_uint(info.export_ms, UINT64_C(1600000000001),
	    "v7 golden: export_ms");
	tap_is_uint(r->first_ms, UINT64_C(1599999999951), "v7 first");
	tap_is_uint(r->last_ms, UINT64_C(1599999999981), "v7 last");
	tap_is_uint(addr_v4(&r->src), v4("192.0.2.1"), "v7 src");
	tap_is_uint(addr_v4(&r->dst), v4("198.51.100.2"), "v7 dst");
	tap_is_uint(addr_v4(&r->nexthop), v4("192.0.2.254"), "v7 nexthop");
	tap_is_uint(r->in_if, 7, "v7 in_if");
	tap_is_uint(r->out_if, 8, "v7 out_if");
	tap_is_uint(r->packets, 2, "v7 packets");
	tap_is_uint(r->bytes, 100, "v7 bytes");
	tap_is_uint(r->src_port, 443, "v7 src_port");
	tap_is_uint(r->dst_port, 54321, "v7 dst_port");
	tap_is_uint(r->tcp_flags, 0x18, "v7 tcp_flags");
	tap_is_uint(r->proto, 6, "v7 proto");
	tap_is_uint(r->tos, 0, "v7 tos");
	tap_is_uint(r->src_as, 1, "v7 src_as");
	tap_is_uint(r->dst_as, 2, "v7 dst_as");
	tap_is_uint(r->src_mask, 28, "v7 src_mask");
	tap_is_uint(r->dst_mask, 24, "v7 dst_mask");
	tap_is_uint(r->engine_type + r->engine_id + r->sampling, 0,
	    "v7 has no engine or sampling");
}

/* A record with every field v5 carries set to a distinct value. */
static void
make_rec(struct flowrec *r, unsigned i, uint64_t export_ms)
{
	flowrec_init(r);
	r->af = 4;
	addr_from_v4(&r->src, 0x0a000000 + i);
	addr_from_v4(&r->dst, 0xc0a80000 + i * 7);
	addr_from_v4(&r->nexthop, 0xac100000 + i * 3);
	r->in_if = 100 + i;
	r->out_if = 65535 - i;
	r->packets = 1000 + i;
	r->bytes = UINT32_MAX - i;
	r->first_ms = export_ms - 60000 - i * 1001;
	r->last_ms = export_ms - i * 13;
	r->src_port = (uint16_t)(1024 + i);
	r->dst_port = (uint16_t)(65535 - i);
	r->proto = (uint8_t)(i % 2 ? 6 : 17);
	r->tcp_flags = (uint8_t)(0x80 | i);
	r->tos = (uint8_t)(0xb8 - i);
	r->src_as = 64512 + i;
	r->dst_as = 65535 - i;
	r->src_mask = (uint8_t)(i % 33);
	r->dst_mask = (uint8_t)(32 - i % 33);
}

static void
test_roundtrip(void)
{
	struct nf5_enc_params prm;
	struct nf5_enc_result res;
	struct flowrec in[NF5_MAX_RECS], want;
	struct collect c;
	struct nf_dgram_info info;
	uint8_t buf[NF5_MAX_DGRAM];
	char a[512], b[512];
	bool same = true;
	int rc;

	memset(&prm, 0, sizeof(prm));
	prm.export_ms = UINT64_C(1700000000123);
	/* up for 50 days: sysUptime has wrapped past 2^32 ms once */
	prm.boot_ms = prm.export_ms - UINT64_C(50) * 86400 * 1000;
	prm.flow_seq = 0xfffffff0;
	prm.engine_type = 3;
	prm.engine_id = 250;
	prm.sampling_mode = NF5_SAMPLING_DETERMINISTIC;
	prm.sampling_interval = 512;
	for (unsigned i = 0; i < NF5_MAX_RECS; i++)
		make_rec(&in[i], i, prm.export_ms);

	rc = nf5_encode(&prm, in, NF5_MAX_RECS, buf, sizeof(buf), &res);
	tap_is_int(rc, NFE_OK, "roundtrip: encode");
	tap_is_uint(res.len, NF5_MAX_DGRAM, "roundtrip: 1464 bytes");
	tap_is_uint(res.written, 30, "roundtrip: 30 written");
	tap_is_uint(res.consumed, 30, "roundtrip: 30 consumed");
	tap_is_uint(buf[22], 0x42, "roundtrip: sampling mode 1 on the wire");
	tap_is_uint(buf[23], 0x00, "roundtrip: interval 512 on the wire");

	memset(&c, 0, sizeof(c));
	rc = decode(buf, res.len, &c, &info);
	tap_is_int(rc, NFE_OK, "roundtrip: decode");
	tap_is_uint(c.n, 30, "roundtrip: 30 decoded");
	tap_is_uint(info.seq, 0xfffffff0, "roundtrip: sequence");
	tap_is_uint(info.seq_step, 30, "roundtrip: seq_step");
	tap_is_uint(info.domain, 3 << 8 | 250, "roundtrip: domain");
	tap_is_uint(info.sampling, 512, "roundtrip: sampling");
	tap_is_uint(info.export_ms, prm.export_ms, "roundtrip: export ms");
	tap_is_uint(info.sys_uptime_ms,
	    (uint32_t)(UINT64_C(50) * 86400 * 1000),
	    "roundtrip: sysUptime modulo 2^32");
	for (unsigned i = 0; i < NF5_MAX_RECS && i < c.n; i++) {
		want = in[i];
		want.engine_type = 3;
		want.engine_id = 250;
		want.sampling = 512;
		if (!flowrec_equal(&c.rec[i], &want)) {
			tap_diag("record %u", i);
			tap_diag("got  %s",
			    flowrec_dump(&c.rec[i], a, sizeof(a)));
			tap_diag("want %s", flowrec_dump(&want, b, sizeof(b)));
			same = false;
		}
	}
	tap_ok(same, "roundtrip: every field of every record");
}

static void
test_encode_limits(void)
{
	struct nf5_enc_params prm;
	struct nf5_enc_result res;
	struct flowrec in[40], *r;
	struct collect c;
	struct nf_dgram_info info;
	uint8_t buf[NF5_MAX_DGRAM];
	uint8_t v6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
	size_t i, written = 0, skipped = 0, calls = 0;
	int rc;

	memset(&prm, 0, sizeof(prm));
	prm.export_ms = UINT64_C(1700000000000);
	prm.boot_ms = prm.export_ms - 3600000;

	/* 35 IPv4 records: 30 + 5 */
	for (i = 0; i < 35; i++)
		make_rec(&in[i], (unsigned)i, prm.export_ms);
	rc = nf5_encode(&prm, in, 35, buf, sizeof(buf), &res);
	tap_ok(rc == NFE_OK && res.written == 30 && res.consumed == 30,
	    "35 records: first datagram takes 30");
	rc = nf5_encode(&prm, in + 30, 5, buf, sizeof(buf), &res);
	tap_ok(rc == NFE_OK && res.written == 5 && res.consumed == 5 &&
	    res.len == NF5_HDR_LEN + 5 * NF5_REC_LEN,
	    "35 records: second datagram takes 5");

	/* every third record IPv6: skipped and counted */
	for (i = 0; i < 40; i++) {
		make_rec(&in[i], (unsigned)i, prm.export_ms);
		if (i % 3 == 1) {
			in[i].af = 6;
			addr_from_v6(&in[i].src, v6);
			addr_from_v6(&in[i].dst, v6);
		}
	}
	for (i = 0; i < 40 && calls < 10; calls++) {
		rc = nf5_encode(&prm, in + i, 40 - i, buf, sizeof(buf), &res);
		if (rc != NFE_OK || res.consumed == 0)
			break;
		memset(&c, 0, sizeof(c));
		if (decode(buf, res.len, &c, &info) != NFE_OK ||
		    c.n != res.written) {
			tap_diag("datagram %zu does not decode", calls);
			break;
		}
		i += res.consumed;
		written += res.written;
		skipped += res.consumed - res.written;
	}
	tap_is_uint(i, 40, "mixed: all 40 consumed");
	tap_is_uint(written, 27, "mixed: 27 IPv4 written");
	tap_is_uint(skipped, 13, "mixed: 13 IPv6 skipped");
	tap_is_uint(calls, 1, "mixed: one datagram (27 <= 30)");

	/* only IPv6: nothing to send, but progress */
	rc = nf5_encode(&prm, in + 1, 1, buf, sizeof(buf), &res);
	tap_ok(rc == NFE_OK && res.len == 0 && res.consumed == 1 &&
	    res.written == 0, "only IPv6: len 0, consumed 1");
	rc = nf5_encode(&prm, in, 0, buf, sizeof(buf), &res);
	tap_ok(rc == NFE_OK && res.len == 0 && res.consumed == 0,
	    "no records: len 0");

	/* buffer room for 2 records and a bit */
	make_rec(&in[1], 1, prm.export_ms);
	rc = nf5_encode(&prm, in, 5, buf,
	    NF5_HDR_LEN + 2 * NF5_REC_LEN + 10, &res);
	tap_ok(rc == NFE_OK && res.written == 2 && res.consumed == 2 &&
	    res.len == NF5_HDR_LEN + 2 * NF5_REC_LEN,
	    "small buffer: 2 whole records, no partial one");

	rc = nf5_encode(&prm, in, 5, buf, NF5_HDR_LEN + NF5_REC_LEN - 1,
	    &res);
	tap_is_int(rc, NFE_INVAL, "buffer below one record: NFE_INVAL");
	prm.sampling_interval = NF5_SAMPLING_INTERVAL_MAX + 1;
	rc = nf5_encode(&prm, in, 5, buf, sizeof(buf), &res);
	tap_is_int(rc, NFE_INVAL, "sampling interval 16384: NFE_INVAL");
	prm.sampling_interval = 0;
	prm.sampling_mode = 4;
	rc = nf5_encode(&prm, in, 5, buf, sizeof(buf), &res);
	tap_is_int(rc, NFE_INVAL, "sampling mode 4: NFE_INVAL");
	prm.sampling_mode = 0;

	/* clamping of what v5 cannot hold */
	r = &in[0];
	make_rec(r, 0, prm.export_ms);
	r->packets = UINT64_C(0x100000005);
	r->bytes = UINT64_MAX;
	r->src_as = 4200000000u;
	r->dst_as = 65536;
	r->in_if = 65536;
	r->out_if = 70000;
	addr_from_v6(&r->nexthop, v6);
	r->first_ms = prm.export_ms - UINT64_C(30) * 86400 * 1000;
	r->last_ms = prm.export_ms + UINT64_C(30) * 86400 * 1000;
	rc = nf5_encode(&prm, in, 1, buf, sizeof(buf), &res);
	memset(&c, 0, sizeof(c));
	rc = rc == NFE_OK ? decode(buf, res.len, &c, &info) : rc;
	tap_ok(rc == NFE_OK && c.n == 1, "clamp: encodes and decodes");
	r = &c.rec[0];
	tap_is_uint(r->packets, UINT32_MAX, "clamp: packets to 2^32-1");
	tap_is_uint(r->bytes, UINT32_MAX, "clamp: bytes to 2^32-1");
	tap_is_uint(r->src_as, NF5_AS_TRANS, "clamp: 32-bit AS to AS_TRANS");
	tap_is_uint(r->dst_as, NF5_AS_TRANS, "clamp: AS 65536 to AS_TRANS");
	tap_is_uint(r->in_if, 0, "clamp: ifIndex 65536 to 0");
	tap_is_uint(r->out_if, 0, "clamp: ifIndex 70000 to 0");
	tap_ok(addr_is_v4(&r->nexthop) && addr_v4(&r->nexthop) == 0,
	    "clamp: IPv6 next hop written as 0.0.0.0");
	tap_is_uint(r->first_ms, prm.export_ms - ((UINT64_C(1) << 31) - 1),
	    "clamp: first 30 days back to export - (2^31-1)");
	tap_is_uint(r->last_ms, prm.export_ms + ((UINT64_C(1) << 31) - 1),
	    "clamp: last 30 days ahead to export + (2^31-1)");
}

static void
sweep(const uint8_t *dg, size_t len, const char *name)
{
	struct collect c;
	struct nf_dgram_info info;
	bool clean = true;
	int rc;

	memset(&c, 0, sizeof(c));
	for (size_t cut = 0; cut < len; cut++) {
		rc = decode(dg, cut, &c, &info);
		if ((rc != NFE_TRUNC && rc != NFE_FORMAT) || c.n != 0) {
			tap_diag("%s prefix %zu: %s, %zu records", name, cut,
			    nferr_str(rc), c.n);
			clean = false;
		}
	}
	tap_ok(clean, "%s: every proper prefix rejected, sink not called",
	    name);
}

static void
test_truncation(void)
{
	struct nf5_enc_params prm;
	struct nf5_enc_result res;
	struct flowrec in[NF5_MAX_RECS];
	uint8_t buf[NF5_MAX_DGRAM];

	sweep(golden_v1, sizeof(golden_v1), "v1 golden");
	sweep(golden_v5, sizeof(golden_v5), "v5 golden");
	sweep(golden_v7, sizeof(golden_v7), "v7 golden");
	memset(&prm, 0, sizeof(prm));
	prm.export_ms = UINT64_C(1700000000000);
	for (unsigned i = 0; i < NF5_MAX_RECS; i++)
		make_rec(&in[i], i, prm.export_ms);
	if (nf5_encode(&prm, in, NF5_MAX_RECS, buf, sizeof(buf), &res) !=
	    NFE_OK)
		res.len = 0;
	tap_is_uint(res.len, NF5_MAX_DGRAM, "full v5 datagram encoded");
	sweep(buf, res.len, "v5 30 records");
}

static void
test_hostile(void)
{
	uint8_t dg[NF5_HDR_LEN + 32 * NF7_REC_LEN + 8];
	struct collect c;
	struct nf_dgram_info info;
	int rc;

	memset(&c, 0, sizeof(c));

	memset(dg, 0, sizeof(dg));
	memcpy(dg, golden_v5, sizeof(golden_v5));
	dg[3] = 0;
	rc = decode(dg, sizeof(golden_v5), &c, &info);
	tap_ok(rc == NFE_FORMAT && c.n == 0, "v5 count 0: NFE_FORMAT");
	dg[3] = 31;
	rc = decode(dg, NF5_HDR_LEN + 31 * NF5_REC_LEN, &c, &info);
	tap_ok(rc == NFE_FORMAT && c.n == 0,
	    "v5 count 31 with 31 records of bytes: NFE_FORMAT");
	dg[2] = 0xff;
	dg[3] = 0xff;
	rc = decode(dg, sizeof(dg), &c, &info);
	tap_ok(rc == NFE_FORMAT && c.n == 0, "v5 count 65535: NFE_FORMAT");
	dg[2] = 0;
	dg[3] = 3;
	rc = decode(dg, sizeof(golden_v5), &c, &info);
	tap_ok(rc == NFE_TRUNC && c.n == 0,
	    "v5 count 3, 2 records present: NFE_TRUNC, nothing delivered");

	memcpy(dg, golden_v5, sizeof(golden_v5));
	memset(dg + sizeof(golden_v5), 0xee, 5);
	rc = decode(dg, sizeof(golden_v5) + 5, &c, &info);
	tap_ok(rc == NFE_OK && c.n == 2 && info.records == 2,
	    "v5 trailing junk: count records decoded");
	tap_is_uint(info.trailing, 5, "v5 trailing junk: 5 bytes reported");
	rc = decode(dg, sizeof(golden_v5) + NF5_REC_LEN, &c, &info);
	tap_ok(rc == NFE_OK && c.n == 2 && info.trailing == NF5_REC_LEN,
	    "v5 a whole extra record beyond count: ignored, reported");

	memset(dg, 0, sizeof(dg));
	memcpy(dg, golden_v1, sizeof(golden_v1));
	dg[3] = 25;
	rc = decode(dg, NF1_HDR_LEN + 25 * NF1_REC_LEN, &c, &info);
	tap_ok(rc == NFE_FORMAT && c.n == 0, "v1 count 25: NFE_FORMAT");
	dg[3] = 24;
	rc = decode(dg, NF1_HDR_LEN + 24 * NF1_REC_LEN, &c, &info);
	tap_ok(rc == NFE_OK && c.n == 24, "v1 count 24: accepted");

	memset(dg, 0, sizeof(dg));
	memcpy(dg, golden_v7, sizeof(golden_v7));
	dg[3] = 29;
	rc = decode(dg, NF7_HDR_LEN + 29 * NF7_REC_LEN, &c, &info);
	tap_ok(rc == NFE_FORMAT && c.n == 0, "v7 count 29: NFE_FORMAT");
	dg[3] = 28;
	rc = decode(dg, NF7_HDR_LEN + 28 * NF7_REC_LEN, &c, &info);
	tap_ok(rc == NFE_OK && c.n == 28, "v7 count 28: accepted");
	dg[3] = 2;
	rc = decode(dg, NF7_HDR_LEN + 2 * NF7_REC_LEN - 4, &c, &info);
	tap_ok(rc == NFE_TRUNC && c.n == 0,
	    "v7 read with v5 record length would fit: NFE_TRUNC");

	memcpy(dg, golden_v5, sizeof(golden_v5));
	dg[1] = 6;
	rc = decode(dg, sizeof(golden_v5), &c, &info);
	tap_ok(rc == NFE_UNSUPP && c.n == 0, "version 6: NFE_UNSUPP");
	dg[1] = 9;
	rc = decode(dg, sizeof(golden_v5), &c, &info);
	tap_ok(rc == NFE_UNSUPP && c.n == 0,
	    "version 9 to nf5_decode: NFE_UNSUPP");
	dg[0] = 5;
	dg[1] = 0;
	rc = decode(dg, sizeof(golden_v5), &c, &info);
	tap_ok(rc == NFE_UNSUPP && c.n == 0,
	    "version 0x0500 (little-endian 5): NFE_UNSUPP");

	/* a sink that stops after the first record */
	c.stop_after = 1;
	c.stop_rc = 42;
	rc = decode(golden_v5, sizeof(golden_v5), &c, &info);
	tap_ok(rc == 42 && c.n == 1 && info.records == 0,
	    "sink stop: its value returned, no more records");
	c.stop_after = 0;
}

static void
test_wrap_and_sampling(void)
{
	uint8_t dg[sizeof(golden_v5)];
	struct collect c;
	struct nf_dgram_info info;
	unsigned mode;
	int rc;

	memcpy(dg, golden_v5, sizeof(dg));
	/* sysUptime 256 at export; record 0 started at 0xffffff00 */
	memcpy(dg + 4, (const uint8_t[]){ 0x00, 0x00, 0x01, 0x00 }, 4);
	memcpy(dg + 24 + 24, (const uint8_t[]){ 0xff, 0xff, 0xff, 0x00 }, 4);
	memcpy(dg + 24 + 28, (const uint8_t[]){ 0x00, 0x00, 0x00, 0x80 }, 4);
	memset(&c, 0, sizeof(c));
	rc = decode(dg, sizeof(dg), &c, &info);
	tap_is_int(rc, NFE_OK, "wrap: decodes");
	tap_is_uint(c.rec[0].first_ms, UINT64_C(1600000000500) - 512,
	    "wrap: first 512 ms before export across the wrap");
	tap_is_uint(c.rec[0].last_ms, UINT64_C(1600000000500) - 128,
	    "wrap: last 128 ms before export");
	/* record 1 stamped 1000000, 999744 ms after the export uptime */
	tap_is_uint(c.rec[1].first_ms, UINT64_C(1600000000500) + 999744,
	    "event after the header uptime is placed after export");

	tap_is_uint(nf5_sampling_split(0x8005, &mode), 5, "0x8005 interval 5");
	tap_is_uint(mode, NF5_SAMPLING_RANDOM, "0x8005 mode 2 (random)");
	tap_is_uint(nf5_sampling_split(0xffff, &mode), 0x3fff,
	    "0xffff interval 16383");
	tap_is_uint(mode, 3, "0xffff mode 3");
	tap_is_uint(nf5_sampling_split(0x0000, &mode), 0, "0 interval 0");
	tap_is_uint(mode, NF5_SAMPLING_NONE, "0 mode 0");

	dg[22] = 0x80;
	dg[23] = 0x05;
	rc = decode(dg, sizeof(dg), &c, &info);
	tap_ok(rc == NFE_OK && info.sampling == 5 && c.rec[0].sampling == 5,
	    "mode 2 interval 5: sampling 5, mode bits stripped");
	dg[22] = 0x00;
	dg[23] = 0xc8;
	rc = decode(dg, sizeof(dg), &c, &info);
	tap_ok(rc == NFE_OK && info.sampling == 200 &&
	    c.rec[1].sampling == 200,
	    "mode 0 with interval 200: interval still announced");
	dg[22] = 0x40;
	dg[23] = 0x00;
	rc = decode(dg, sizeof(dg), &c, &info);
	tap_ok(rc == NFE_OK && info.sampling == 0 && c.rec[0].sampling == 0,
	    "mode 1 interval 0: no sampling");
	tap_is_uint(c.rec[0].packets, 10,
	    "packets never scaled by the decoder");
}

int
main(void)
{
	tap_no_plan();
	test_golden_v5();
	test_golden_v1();
	test_golden_v7();
	test_roundtrip();
	test_encode_limits();
	test_truncation();
	test_hostile();
	test_wrap_and_sampling();
	return tap_done();
}
