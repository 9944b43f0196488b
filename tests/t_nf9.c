/*
 * tests/t_nf9.c -- NetFlow v9 decoder and encoder: a golden datagram
 * written by hand, encode/decode round trips of every field (IPv4 and
 * IPv6), a truncation sweep, hostile input, data before its template,
 * changed templates, sysUpTime wrap-around and sampling options.
 */
#include "common/base/compat.h"

#include <stdio.h>
#include <string.h>

#include "common/base/nferr.h"
#include "common/codec/ie.h"
#include "common/codec/nf9.h"
#include "common/codec/tmpl.h"
#include "nfcollect.h"
#include "tap.h"

#define EXPORTER	0xc0000201	/* 192.0.2.1 */
#define NOW_MS		UINT64_C(1700000000123)

/*
 * Hand-written datagram: one template (id 256, 9 fields, record 29
 * bytes) and one data record, padded to 4 bytes.
 */
static const uint8_t golden[] = {
	0x00, 0x09, 0x00, 0x02,		/* version 9, count 2 */
	0x00, 0x00, 0x27, 0x10,		/* sysUpTime 10000 ms */
	0x5f, 0x5e, 0x10, 0x00,		/* unix secs 1600000000 */
	0x00, 0x00, 0x00, 0x07,		/* sequence 7 */
	0x00, 0x00, 0x00, 0x2a,		/* source id 42 */
	/* template flowset: id 0, length 44 */
	0x00, 0x00, 0x00, 0x2c,
	0x01, 0x00, 0x00, 0x09,		/* template 256, 9 fields */
	0x00, 0x08, 0x00, 0x04,		/* IPV4_SRC_ADDR 4 */
	0x00, 0x0c, 0x00, 0x04,		/* IPV4_DST_ADDR 4 */
	0x00, 0x07, 0x00, 0x02,		/* L4_SRC_PORT 2 */
	0x00, 0x0b, 0x00, 0x02,		/* L4_DST_PORT 2 */
	0x00, 0x04, 0x00, 0x01,		/* PROTOCOL 1 */
	0x00, 0x02, 0x00, 0x04,		/* IN_PKTS 4 */
	0x00, 0x01, 0x00, 0x04,		/* IN_BYTES 4 */
	0x00, 0x16, 0x00, 0x04,		/* FIRST_SWITCHED 4 */
	0x00, 0x15, 0x00, 0x04,		/* LAST_SWITCHED 4 */
	/* data flowset: id 256, length 36 (29 + 3 padding) */
	0x01, 0x00, 0x00, 0x24,
	0x0a, 0x00, 0x00, 0x01,		/* 10.0.0.1 */
	0xc0, 0xa8, 0x01, 0x02,		/* 192.168.1.2 */
	0x04, 0xd2, 0x00, 0x50,		/* 1234 -> 80 */
	0x06,				/* TCP */
	0x00, 0x00, 0x00, 0x0a,		/* 10 packets */
	0x00, 0x00, 0x05, 0xdc,		/* 1500 bytes */
	0x00, 0x00, 0x1f, 0x40,		/* first: uptime 8000 */
	0x00, 0x00, 0x23, 0x28,		/* last: uptime 9000 */
	0x00, 0x00, 0x00,		/* padding */
};

static struct tmpl_cache *
fresh_cache(void)
{
	return tmpl_cache_new(NULL);
}

static void
test_golden(void)
{
	struct tmpl_cache *tc = fresh_cache();
	struct nf_decode_ctx ctx;
	struct nf_dgram_info info;
	struct collect c;
	struct flowrec *r;
	char buf[ADDR_STRLEN];
	int rc;

	collect_ctx(&ctx, &c, tc, EXPORTER);
	rc = nf9_decode(golden, sizeof(golden), &ctx, &info);
	tap_is_int(rc, NFE_OK, "golden: decodes");
	tap_is_uint(c.n, 1, "golden: one record");
	tap_is_uint(info.version, 9, "golden: version");
	tap_is_uint(info.domain, 42, "golden: source id");
	tap_is_uint(info.seq, 7, "golden: sequence");
	tap_is_uint(info.seq_step, 1, "golden: v9 counts packets");
	tap_is_uint(info.export_ms, UINT64_C(1600000000000), "golden: export");
	tap_is_uint(info.sys_uptime_ms, 10000, "golden: uptime");
	tap_is_uint(info.templates, 1, "golden: one template");
	r = &c.recs[0];
	tap_is_str(addr_format(&r->src, buf, sizeof(buf)), "10.0.0.1",
	    "golden: src");
	tap_is_str(addr_format(&r->dst, buf, sizeof(buf)), "192.168.1.2",
	    "golden: dst");
	tap_ok(r->src_port == 1234 && r->dst_port == 80 && r->proto == 6 &&
	    r->af == 4, "golden: ports, proto, af");
	tap_ok(r->packets == 10 && r->bytes == 1500, "golden: counters");
	tap_is_uint(r->first_ms, UINT64_C(1599999998000), "golden: first");
	tap_is_uint(r->last_ms, UINT64_C(1599999999000), "golden: last");
	tmpl_cache_free(tc);
}

/* Encode recs (all of them, over as many datagrams as needed). */
static size_t
encode_all(struct nf_enc *e, uint64_t now, const struct flowrec *recs,
    size_t n, uint8_t dg[][1500], size_t *lens, size_t maxdg)
{
	size_t i = 0, nd = 0, len, used;

	while ((i < n || nd == 0) && nd < maxdg) {
		if (nf9_encode(e, now, recs + i, n - i, dg[nd], 1500, &len,
		    &used) != NFE_OK)
			break;
		lens[nd++] = len;
		i += used;
	}
	return nd;
}

static void
test_roundtrip(void)
{
	static struct flowrec in[40];
	static uint8_t dg[8][1500];
	struct tmpl_cache *tc = fresh_cache();
	struct nf_decode_ctx ctx;
	struct nf_dgram_info info;
	struct collect c;
	struct nf_enc e;
	size_t lens[8], nd, same = 0;
	bool ok = true, fit = true;
	char b1[512], b2[512];

	for (unsigned i = 0; i < NF_NELEM(in); i++)
		sample_flow(&in[i], i, i % 3 == 1, NOW_MS);
	in[5].proto = 1;			/* ICMP echo reply type/code */
	in[5].src_port = 0;
	in[5].dst_port = 0x0000;
	in[7].proto = 1;
	in[7].src_port = 0;
	in[7].dst_port = 0x0303;		/* port unreachable */
	nf_enc_init(&e, 99, NOW_MS - 3600000);
	nd = encode_all(&e, NOW_MS, in, NF_NELEM(in), dg, lens, 8);
	tap_ok(nd >= 3, "roundtrip: 40 records need several datagrams (%zu)",
	    nd);
	collect_ctx(&ctx, &c, tc, EXPORTER);
	for (size_t d = 0; d < nd; d++) {
		int rc = nf9_decode(dg[d], lens[d], &ctx, &info);

		if (rc != NFE_OK || info.seq != d)
			ok = false;
		if (lens[d] > NF9_DEF_SIZE)
			fit = false;
	}
	tap_ok(ok, "roundtrip: every datagram decodes, sequence 0, 1, ...");
	tap_ok(fit, "roundtrip: no datagram above 1400 bytes");
	tap_is_uint(c.n, NF_NELEM(in), "roundtrip: every record back");
	for (size_t i = 0; i < c.n && i < NF_NELEM(in); i++) {
		if (flowrec_equal(&c.recs[i], &in[i]))
			same++;
		else if (same + 1 == i + 1)
			tap_diag("rec %zu:\n#  got  %s\n#  want %s", i,
			    flowrec_dump(&c.recs[i], b1, sizeof(b1)),
			    flowrec_dump(&in[i], b2, sizeof(b2)));
	}
	tap_is_uint(same, NF_NELEM(in),
	    "roundtrip: every field equal (IPv4, IPv6, ICMP)");
	tap_is_uint(e.seq, nd, "encoder: sequence counts datagrams");
	tap_is_uint(e.records, NF_NELEM(in), "encoder: records counted");
	tmpl_cache_free(tc);
}

static void
test_encoder_limits(void)
{
	struct flowrec r[100];
	uint8_t buf[1500];
	struct nf_enc e;
	size_t len, used, total = 0, ndg = 0, tmpl_dg = 0;
	int rc;

	for (unsigned i = 0; i < 100; i++)
		sample_flow(&r[i], i, 0, NOW_MS);
	nf_enc_init(&e, 1, NOW_MS - 1000);
	e.max_size = 300;
	e.tmpl_pkts = 4;
	while (total < 100) {
		rc = nf9_encode(&e, NOW_MS, r + total, 100 - total, buf,
		    sizeof(buf), &len, &used);
		if (rc != NFE_OK || len > 300 || (len - NF9_HDR_LEN) == 0)
			break;
		if (buf[20] == 0 && buf[21] == 0)	/* template flowset */
			tmpl_dg++;
		total += used;
		ndg++;
	}
	tap_is_uint(total, 100, "encoder: all records consumed at 300 bytes");
	tap_ok(tmpl_dg == (ndg + 3) / 4, "encoder: templates every 4th "
	    "datagram (%zu of %zu)", tmpl_dg, ndg);
	e.max_size = 60;
	rc = nf9_encode(&e, NOW_MS, r, 1, buf, sizeof(buf), &len, &used);
	tap_ok(rc == NFE_LIMIT && used == 0, "encoder: record larger than "
	    "the size limit is NFE_LIMIT");
	nf_enc_init(&e, 1, NOW_MS - 1000);
	rc = nf9_encode(&e, NOW_MS, r, 0, buf, sizeof(buf), &len, &used);
	tap_ok(rc == NFE_OK && len > NF9_HDR_LEN, "encoder: templates alone "
	    "when due and no records");
	rc = nf9_encode(&e, NOW_MS + 1, r, 0, buf, sizeof(buf), &len, &used);
	tap_ok(rc == NFE_OK && len == 0, "encoder: nothing to send");
	tap_ok(nf_enc_templates_due(&e, NOW_MS + NF9_DEF_TMPL_MS),
	    "encoder: templates due after T ms");
}

static void
test_truncation(void)
{
	struct flowrec r[6];
	uint8_t dg[1500];
	struct nf_enc e;
	struct nf_decode_ctx ctx;
	struct nf_dgram_info info;
	struct collect c;
	struct tmpl_cache *tc;
	size_t len, used;
	bool clean = true;
	int rc;

	for (unsigned i = 0; i < 6; i++)
		sample_flow(&r[i], i, i >= 3, NOW_MS);
	nf_enc_init(&e, 5, NOW_MS - 1000);
	e.sampling = 10;
	nf9_encode(&e, NOW_MS, r, 6, dg, sizeof(dg), &len, &used);
	tap_is_uint(used, 6, "sweep: fixture holds 6 records");
	for (size_t cut = 0; cut < len; cut++) {
		tc = fresh_cache();
		collect_ctx(&ctx, &c, tc, EXPORTER);
		rc = nf9_decode(dg, cut, &ctx, &info);
		if (rc != NFE_TRUNC && rc != NFE_FORMAT) {
			tap_diag("prefix %zu: %s", cut, nferr_str(rc));
			clean = false;
		}
		tmpl_cache_free(tc);
	}
	tap_ok(clean, "sweep: every proper prefix is NFE_TRUNC/NFE_FORMAT");
	tc = fresh_cache();
	collect_ctx(&ctx, &c, tc, EXPORTER);
	tap_is_int(nf9_decode(dg, len, &ctx, &info), NFE_OK,
	    "sweep: the whole datagram decodes");
	tap_is_uint(info.sampling, 10, "sampling: options data announces 10");
	tap_ok(c.n == 6 && c.recs[0].sampling == 10 && c.recs[5].sampling == 10,
	    "sampling: records carry the rate");
	tmpl_cache_free(tc);
}

/* Build a datagram: header + the given flowset bytes. */
static size_t
mkdg(uint8_t *out, uint16_t count, const uint8_t *sets, size_t setlen)
{
	static const uint8_t hdr[] = {
		0x00, 0x09, 0x00, 0x00, 0x00, 0x00, 0x27, 0x10,
		0x5f, 0x5e, 0x10, 0x00, 0x00, 0x00, 0x00, 0x01,
		0x00, 0x00, 0x00, 0x2a,
	};

	memcpy(out, hdr, sizeof(hdr));
	out[2] = (uint8_t)(count >> 8);
	out[3] = (uint8_t)count;
	memcpy(out + sizeof(hdr), sets, setlen);
	return sizeof(hdr) + setlen;
}

static int
decode_sets(uint16_t count, const uint8_t *sets, size_t setlen,
    struct tmpl_cache *tc, struct collect *c, struct nf_dgram_info *info)
{
	uint8_t dg[4096];
	struct nf_decode_ctx ctx;
	size_t len = mkdg(dg, count, sets, setlen);

	collect_ctx(&ctx, c, tc, EXPORTER);
	return nf9_decode(dg, len, &ctx, info);
}

static void
test_hostile(void)
{
	static const uint8_t tmpl_low_id[] = {
		0x00, 0x00, 0x00, 0x0c, 0x00, 0xff, 0x00, 0x01,
		0x00, 0x08, 0x00, 0x04,
	};
	static const uint8_t tmpl_no_fields[] = {
		0x00, 0x00, 0x00, 0x08, 0x01, 0x00, 0x00, 0x00,
	};
	static const uint8_t tmpl_zero_len[] = {
		0x00, 0x00, 0x00, 0x10, 0x01, 0x00, 0x00, 0x02,
		0x00, 0x08, 0x00, 0x00, 0x00, 0x0c, 0x00, 0x00,
	};
	static const uint8_t tmpl_past_end[] = {
		0x00, 0x00, 0x00, 0x10, 0x01, 0x00, 0x00, 0x05,
		0x00, 0x08, 0x00, 0x04, 0x00, 0x0c, 0x00, 0x04,
	};
	static const uint8_t set_len0[] = { 0x01, 0x00, 0x00, 0x00 };
	static const uint8_t set_len3[] = { 0x00, 0x00, 0x00, 0x03, 0, 0 };
	static const uint8_t set_past[] = { 0x01, 0x00, 0x01, 0x00, 0, 0 };
	static const uint8_t one_tmpl[] = {
		0x00, 0x00, 0x00, 0x0c, 0x01, 0x00, 0x00, 0x01,
		0x00, 0x08, 0x00, 0x04,
	};
	uint8_t big[4 + 4 + 3 * 4];
	struct tmpl_cache *tc = fresh_cache();
	struct nf_dgram_info info;
	struct collect c;
	struct tmpl_key k;

	tap_is_int(decode_sets(1, tmpl_low_id, sizeof(tmpl_low_id), tc, &c,
	    &info), NFE_FORMAT, "hostile: template id below 256");
	tap_is_int(decode_sets(1, tmpl_no_fields, sizeof(tmpl_no_fields), tc,
	    &c, &info), NFE_FORMAT, "hostile: template with no fields");
	tap_is_int(decode_sets(1, tmpl_zero_len, sizeof(tmpl_zero_len), tc, &c,
	    &info), NFE_FORMAT, "hostile: zero-length template");
	tap_is_int(decode_sets(1, tmpl_past_end, sizeof(tmpl_past_end), tc, &c,
	    &info), NFE_FORMAT, "hostile: field specifiers past the set end");
	/* three fields of 65535 bytes: record length above the bound */
	memcpy(big, "\x00\x00\x00\x14\x01\x00\x00\x03", 8);
	for (int i = 0; i < 3; i++)
		memcpy(big + 8 + 4 * i, "\x00\x08\xff\xfe", 4);
	tap_is_int(decode_sets(1, big, sizeof(big), tc, &c, &info), NFE_FORMAT,
	    "hostile: oversized template");
	tap_is_int(decode_sets(1, set_len0, sizeof(set_len0), tc, &c, &info),
	    NFE_FORMAT, "hostile: flowset length 0");
	tap_is_int(decode_sets(1, set_len3, sizeof(set_len3), tc, &c, &info),
	    NFE_FORMAT, "hostile: flowset length 3");
	tap_is_int(decode_sets(1, set_past, sizeof(set_past), tc, &c, &info),
	    NFE_TRUNC, "hostile: flowset longer than the datagram");
	tap_is_int(decode_sets(40, one_tmpl, sizeof(one_tmpl), tc, &c, &info),
	    NFE_TRUNC, "hostile: count larger than the datagram holds");
	tap_is_int(decode_sets(1, one_tmpl, sizeof(one_tmpl), tc, &c, &info),
	    NFE_OK, "hostile: the same template with a true count");
	memset(&k, 0, sizeof(k));
	addr_from_v4(&k.exporter, EXPORTER);
	k.version = 9;
	k.domain = 42;
	k.id = 256;
	tap_ok(tmpl_get(tc, &k) != NULL, "hostile: only the good template "
	    "was learned");
	tmpl_cache_free(tc);
}

static void
test_mismatch(void)
{
	/* template 300: 5 fields, 20 bytes; a data set of 8 bytes */
	static const uint8_t sets[] = {
		0x00, 0x00, 0x00, 0x1c, 0x01, 0x2c, 0x00, 0x05,
		0x00, 0x08, 0x00, 0x04, 0x00, 0x0c, 0x00, 0x04,
		0x00, 0x0a, 0x00, 0x04, 0x00, 0x0e, 0x00, 0x04,
		0x00, 0x02, 0x00, 0x04,
		0x01, 0x2c, 0x00, 0x0c, 1, 2, 3, 4, 5, 6, 7, 8,
	};
	struct tmpl_cache *tc = fresh_cache();
	struct nf_dgram_info info;
	struct tmpl_stats st;
	struct collect c;

	tap_is_int(decode_sets(2, sets, sizeof(sets), tc, &c, &info),
	    NFE_FORMAT, "mismatch: short data set is an error");
	tmpl_get_stats(tc, &st);
	tap_ok(st.mismatched == 1 && st.templates == 0 && c.n == 0,
	    "mismatch: template dropped, not applied, and counted");
	tmpl_cache_free(tc);
}

static void
test_notmpl_and_change(void)
{
	static const uint8_t tmpl_a[] = {	/* 256: src, dst */
		0x00, 0x00, 0x00, 0x10, 0x01, 0x00, 0x00, 0x02,
		0x00, 0x08, 0x00, 0x04, 0x00, 0x0c, 0x00, 0x04,
	};
	static const uint8_t tmpl_b[] = {	/* 256: dst, src, proto */
		0x00, 0x00, 0x00, 0x14, 0x01, 0x00, 0x00, 0x03,
		0x00, 0x0c, 0x00, 0x04, 0x00, 0x08, 0x00, 0x04,
		0x00, 0x04, 0x00, 0x01,
	};
	static const uint8_t data_a[] = {
		0x01, 0x00, 0x00, 0x0c, 10, 1, 1, 1, 10, 2, 2, 2,
	};
	static const uint8_t data_b[] = {
		0x01, 0x00, 0x00, 0x10, 10, 2, 2, 2, 10, 1, 1, 1, 17, 0, 0, 0,
	};
	struct tmpl_cache *tc = fresh_cache();
	struct nf_decode_ctx ctx;
	struct nf_dgram_info info;
	struct tmpl_stats st;
	struct collect c;
	int rc;

	rc = decode_sets(1, data_a, sizeof(data_a), tc, &c, &info);
	tap_is_int(rc, NFE_NOTMPL, "notmpl: data before template");
	tap_ok(info.no_template == 1 && c.nheld == 1 && c.n == 0,
	    "notmpl: callback got the set, no record");
	tap_ok(c.held[0].len == 8 && c.held[0].template_id == 256 &&
	    c.held[0].domain == 42 && c.held[0].version == 9 &&
	    c.held[0].sys_uptime_ms == 10000,
	    "notmpl: held set body, id, domain, version, uptime");
	collect_ctx(&ctx, &c, tc, EXPORTER);
	collect_notmpl(&c, 9, 42, 256, data_a + 4, 8, UINT64_C(1600000000000),
	    10000);
	rc = nf9_decode_held(&ctx, 42, 256, c.held[0].bytes, c.held[0].len,
	    c.held[0].export_ms, c.held[0].sys_uptime_ms, &info);
	tap_ok(rc == NFE_NOTMPL && info.no_template == 1 && c.nheld == 1,
	    "held: still unknown, callback not called again");
	(void)decode_sets(1, tmpl_a, sizeof(tmpl_a), tc, &c, &info);
	collect_ctx(&ctx, &c, tc, EXPORTER);
	rc = nf9_decode_held(&ctx, 42, 256, data_a + 4, 8,
	    UINT64_C(1600000000000), 10000, &info);
	tap_ok(rc == NFE_OK && c.n == 1 && addr_v4(&c.recs[0].src) ==
	    0x0a010101 && addr_v4(&c.recs[0].dst) == 0x0a020202,
	    "held: decoded once the template came");
	(void)decode_sets(1, tmpl_b, sizeof(tmpl_b), tc, &c, &info);
	tmpl_get_stats(tc, &st);
	tap_is_uint(st.replaced, 1, "change: template replaced");
	rc = decode_sets(1, data_b, sizeof(data_b), tc, &c, &info);
	tap_ok(rc == NFE_OK && c.n == 1 && addr_v4(&c.recs[0].src) ==
	    0x0a010101 && c.recs[0].proto == 17,
	    "change: new layout applied");
	tmpl_cache_free(tc);
}

static void
test_uptime_wrap(void)
{
	/* template 256: FIRST_SWITCHED, LAST_SWITCHED; header uptime 1000 */
	static const uint8_t sets[] = {
		0x00, 0x00, 0x00, 0x10, 0x01, 0x00, 0x00, 0x02,
		0x00, 0x16, 0x00, 0x04, 0x00, 0x15, 0x00, 0x04,
		0x01, 0x00, 0x00, 0x0c,
		0xff, 0xff, 0xff, 0x00,		/* first: 2^32 - 256 */
		0x00, 0x00, 0x01, 0xf4,		/* last: 500 */
	};
	uint8_t dg[64];
	struct tmpl_cache *tc = fresh_cache();
	struct nf_decode_ctx ctx;
	struct nf_dgram_info info;
	struct collect c;
	size_t len = mkdg(dg, 2, sets, sizeof(sets));

	dg[6] = 0x03;				/* sysUpTime 1000 */
	dg[7] = 0xe8;
	collect_ctx(&ctx, &c, tc, EXPORTER);
	tap_is_int(nf9_decode(dg, len, &ctx, &info), NFE_OK, "wrap: decodes");
	tap_is_uint(c.recs[0].first_ms, UINT64_C(1600000000000) - 1256,
	    "wrap: first before the wrap");
	tap_is_uint(c.recs[0].last_ms, UINT64_C(1600000000000) - 500,
	    "wrap: last after the wrap");
	tmpl_cache_free(tc);
}

/*
 * Sampling announced per sampler (FLOW_SAMPLER_ID 48 + RANDOM_INTERVAL
 * 50) and for the whole source (SAMPLING_INTERVAL 34): a record naming
 * a known sampler gets its rate, others the source's rate.
 */
static void
test_sampler_ids(void)
{
	static const uint8_t sets[] = {
		0x00, 0x01, 0x00, 0x28,		/* options templates 600, 601 */
		0x02, 0x58, 0x00, 0x04, 0x00, 0x08,
		0x00, 0x01, 0x00, 0x04, 0x00, 0x30, 0x00, 0x01,
		0x00, 0x32, 0x00, 0x04,
		0x02, 0x59, 0x00, 0x04, 0x00, 0x08,
		0x00, 0x01, 0x00, 0x04, 0x00, 0x22, 0x00, 0x04,
		0x00, 0x23, 0x00, 0x01,
		0x02, 0x58, 0x00, 0x10,		/* sampler 3: 1-in-100 */
		0x00, 0x00, 0x00, 0x2a, 0x03, 0x00, 0x00, 0x00, 0x64,
		0x00, 0x00, 0x00,
		0x02, 0x59, 0x00, 0x10,		/* source: 1-in-10 */
		0x00, 0x00, 0x00, 0x2a, 0x00, 0x00, 0x00, 0x0a, 0x01,
		0x00, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x18,		/* templates 256, 257 */
		0x01, 0x00, 0x00, 0x02, 0x00, 0x08, 0x00, 0x04,
		0x00, 0x30, 0x00, 0x01,
		0x01, 0x01, 0x00, 0x01, 0x00, 0x08, 0x00, 0x04,
		0x01, 0x00, 0x00, 0x10,		/* sampler 3, sampler 9 */
		10, 0, 0, 1, 3, 10, 0, 0, 2, 9, 0, 0,
		0x01, 0x01, 0x00, 0x08,		/* no sampler id */
		10, 0, 0, 3,
	};
	struct tmpl_cache *tc = fresh_cache();
	struct nf_dgram_info info;
	struct collect c;
	int rc;

	rc = decode_sets(9, sets, sizeof(sets), tc, &c, &info);
	tap_ok(rc == NFE_OK && c.n == 3 && info.options == 2,
	    "sampler ids: decodes, two options records");
	tap_ok(c.recs[0].sampling == 100 && c.recs[1].sampling == 10 &&
	    c.recs[2].sampling == 10, "sampler ids: known sampler 1-in-100, "
	    "unknown sampler and no sampler id 1-in-10 (%u %u %u)",
	    c.recs[0].sampling, c.recs[1].sampling, c.recs[2].sampling);
	tmpl_cache_free(tc);
}

/* Unknown, vendor-range and reserved things are skipped by length. */
static void
test_skip_unknown(void)
{
	static const uint8_t sets[] = {
		/* template 256: src addr, vendor field 40000 (3 bytes), proto */
		0x00, 0x00, 0x00, 0x14, 0x01, 0x00, 0x00, 0x03,
		0x00, 0x08, 0x00, 0x04, 0x9c, 0x40, 0x00, 0x03,
		0x00, 0x04, 0x00, 0x01,
		/* reserved flowset id 7: skipped */
		0x00, 0x07, 0x00, 0x08, 0xde, 0xad, 0xbe, 0xef,
		/* data: two records of 8 bytes */
		0x01, 0x00, 0x00, 0x14,
		10, 0, 0, 9, 0xaa, 0xbb, 0xcc, 6,
		10, 0, 0, 10, 0xaa, 0xbb, 0xcc, 17,
	};
	struct tmpl_cache *tc = fresh_cache();
	struct nf_dgram_info info;
	struct collect c;
	int rc;

	rc = decode_sets(3, sets, sizeof(sets), tc, &c, &info);
	tap_ok(rc == NFE_OK && c.n == 2 && addr_v4(&c.recs[0].src) ==
	    0x0a000009 && c.recs[0].proto == 6 && c.recs[1].proto == 17,
	    "skip: vendor element (type >= 32768) and reserved flowset "
	    "skipped by length");
	tmpl_cache_free(tc);
}

static void
test_flood(void)
{
	struct tmpl_limits lim = { 64, 32, 8 };
	struct tmpl_cache *tc = tmpl_cache_new(&lim);
	struct tmpl_stats st;
	struct nf_dgram_info info;
	struct collect c;
	uint8_t sets[12];
	bool ok = true;

	for (unsigned id = 256; id < 256 + 1000; id++) {
		memcpy(sets, "\x00\x00\x00\x0c\x00\x00\x00\x01\x00\x08\x00\x04",
		    12);
		sets[4] = (uint8_t)(id >> 8);
		sets[5] = (uint8_t)id;
		if (decode_sets(1, sets, sizeof(sets), tc, &c, &info) != NFE_OK)
			ok = false;
	}
	tmpl_get_stats(tc, &st);
	tap_ok(ok, "flood: 1000 distinct templates decode");
	tap_ok(st.templates == 32 && st.evicted == 1000 - 32,
	    "flood: held at the per-exporter bound, the rest evicted (%llu "
	    "held, %llu evicted)", (unsigned long long)st.templates,
	    (unsigned long long)st.evicted);
	tmpl_cache_free(tc);
}

int
main(void)
{
	tap_no_plan();
	test_golden();
	test_roundtrip();
	test_encoder_limits();
	test_truncation();
	test_hostile();
	test_mismatch();
	test_notmpl_and_change();
	test_uptime_wrap();
	test_skip_unknown();
	test_sampler_ids();
	test_flood();
	return tap_done();
}
