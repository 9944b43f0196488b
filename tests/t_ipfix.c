/*
 * tests/t_ipfix.c -- IPFIX decoder and encoder: a golden message
 * written by hand (IPv6, reduced-size counter, enterprise element,
 * variable-length fields in both length forms), every time form,
 * withdrawal, options templates, message and set length checks,
 * encode/decode round trips, a truncation sweep and hostile input.
 */
#include "common/base/compat.h"

#include <stdio.h>
#include <string.h>

#include "common/base/buf.h"
#include "common/base/nferr.h"
#include "common/base/timeutil.h"
#include "common/codec/ie.h"
#include "common/base/fields.h"
#include "common/codec/ipfix.h"
#include "common/codec/tmpl.h"
#include "nfcollect.h"
#include "tap.h"

#define EXPORTER	0xc0000202	/* 192.0.2.2 */
#define NOW_MS		UINT64_C(1700000000456)
#define EXP_MS		UINT64_C(1700000000000)

static const uint8_t golden[] = {
	0x00, 0x0a, 0x00, 0xb4,		/* version 10, length 180 */
	0x65, 0x53, 0xf1, 0x00,		/* export time 1700000000 */
	0x00, 0x00, 0x00, 0x64,		/* sequence 100 */
	0x00, 0x00, 0x00, 0x07,		/* observation domain 7 */
	/* template set, length 40: template 256, 7 fields */
	0x00, 0x02, 0x00, 0x28, 0x01, 0x00, 0x00, 0x07,
	0x00, 0x1b, 0x00, 0x10,		/* sourceIPv6Address 16 */
	0x00, 0x1c, 0x00, 0x10,		/* destinationIPv6Address 16 */
	0x00, 0x98, 0x00, 0x08,		/* flowStartMilliseconds 8 */
	0x00, 0x99, 0x00, 0x08,		/* flowEndMilliseconds 8 */
	0x80, 0x01, 0x00, 0x04,		/* enterprise element 1, 4 bytes, */
	0x00, 0x00, 0xa4, 0x1c,		/*   PEN 42012 */
	0x00, 0x52, 0xff, 0xff,		/* interfaceName, variable */
	0x00, 0x01, 0x00, 0x02,		/* octetDeltaCount in 2 bytes */
	/* data set 256, length 124: two records */
	0x01, 0x00, 0x00, 0x7c,
	0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01,
	0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02,
	0x00, 0x00, 0x01, 0x8b, 0xcf, 0xe5, 0x68, 0x00,	/* 1700000000000 */
	0x00, 0x00, 0x01, 0x8b, 0xcf, 0xe5, 0x6d, 0xdc,	/* 1700000001500 */
	0xde, 0xad, 0xbe, 0xef,		/* enterprise value: skipped */
	0x03, 'e', 't', 'h',		/* 1-byte length form */
	0x01, 0xf4,			/* 500 octets */
	0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02,
	0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01,
	0x00, 0x00, 0x01, 0x8b, 0xcf, 0xe5, 0x68, 0x00,
	0x00, 0x00, 0x01, 0x8b, 0xcf, 0xe5, 0x68, 0x00,
	0x01, 0x02, 0x03, 0x04,
	0xff, 0x00, 0x05, 'e', 't', 'h', '0', '1',	/* 3-byte form */
	0x00, 0x64,			/* 100 octets */
};

static void
test_golden(void)
{
	struct tmpl_cache *tc = tmpl_cache_new(NULL);
	struct nf_decode_ctx ctx;
	struct nf_dgram_info info;
	struct collect c;
	char buf[ADDR_STRLEN];

	collect_ctx(&ctx, &c, tc, EXPORTER);
	tap_is_int(ipfix_decode(golden, sizeof(golden), &ctx, &info), NFE_OK,
	    "golden: decodes");
	tap_ok(info.version == 10 && info.domain == 7 && info.seq == 100 &&
	    info.export_ms == EXP_MS, "golden: header");
	tap_is_uint(info.seq_step, 2, "golden: IPFIX counts data records");
	tap_is_uint(c.n, 2, "golden: two records");
	tap_ok(c.recs[0].af == 6 && c.recs[1].af == 6, "golden: IPv6");
	tap_is_str(addr_format(&c.recs[0].src, buf, sizeof(buf)),
	    "2001:db8::1", "golden: src");
	tap_is_str(addr_format(&c.recs[0].dst, buf, sizeof(buf)),
	    "2001:db8::2", "golden: dst");
	tap_ok(c.recs[0].first_ms == EXP_MS &&
	    c.recs[0].last_ms == EXP_MS + 1500, "golden: ms times");
	tap_is_uint(c.recs[0].bytes, 500, "golden: reduced-size counter, "
	    "after a 1-byte-length field");
	tap_is_uint(c.recs[1].bytes, 100, "golden: after a 3-byte-length "
	    "field");
	tap_is_str(addr_format(&c.recs[1].src, buf, sizeof(buf)),
	    "2001:db8::2", "golden: second record src");
	tap_is_int(ipfix_decode(golden, sizeof(golden) - 1, &ctx, &info),
	    NFE_TRUNC, "length: message longer than the datagram");
	{
		uint8_t g[sizeof(golden) + 8];

		memcpy(g, golden, sizeof(golden));
		memset(g + sizeof(golden), 0xee, 8);
		collect_ctx(&ctx, &c, tc, EXPORTER);
		tap_ok(ipfix_decode(g, sizeof(g), &ctx, &info) == NFE_OK &&
		    c.n == 2, "length: bytes after the message are ignored");
	}
	tmpl_cache_free(tc);
}

/* Message builder: header then sets written by the caller. */
struct mb {
	uint8_t		buf[2048];
	struct wbuf	w;
	size_t		set;
};

static void
mb_start(struct mb *m, uint32_t secs, uint32_t domain)
{
	wbuf_init(&m->w, m->buf, sizeof(m->buf));
	wbuf_be16(&m->w, 10);
	wbuf_be16(&m->w, 0);
	wbuf_be32(&m->w, secs);
	wbuf_be32(&m->w, 1);
	wbuf_be32(&m->w, domain);
}

static void
mb_set(struct mb *m, uint16_t id)
{
	m->set = wbuf_mark(&m->w);
	wbuf_be16(&m->w, id);
	wbuf_be16(&m->w, 0);
}

static void
mb_end_set(struct mb *m)
{
	wbuf_patch_be16(&m->w, m->set + 2, (uint16_t)(wbuf_len(&m->w) -
	    m->set));
}

static size_t
mb_end(struct mb *m)
{
	wbuf_patch_be16(&m->w, 2, (uint16_t)wbuf_len(&m->w));
	return wbuf_len(&m->w);
}

static void
mb_fields(struct mb *m, uint16_t id, const uint16_t *f, size_t n)
{
	wbuf_be16(&m->w, id);
	wbuf_be16(&m->w, (uint16_t)n);
	for (size_t i = 0; i < n; i++) {
		wbuf_be16(&m->w, f[2 * i]);
		wbuf_be16(&m->w, f[2 * i + 1]);
	}
}

static int
run(struct mb *m, struct tmpl_cache *tc, struct collect *c,
    struct nf_dgram_info *info)
{
	struct nf_decode_ctx ctx;
	size_t len = mb_end(m);

	collect_ctx(&ctx, c, tc, EXPORTER);
	return ipfix_decode(m->buf, len, &ctx, info);
}

static void
test_time_forms(void)
{
	static const uint16_t f_s[] = { 150, 4, 151, 4 };
	static const uint16_t f_us[] = { 154, 8, 155, 8 };
	static const uint16_t f_ns[] = { 156, 8, 157, 8 };
	static const uint16_t f_d[] = { 158, 4, 159, 4 };
	static const uint16_t f_up[] = { 22, 4, 21, 4 };
	static const uint16_t f_opt[] = { 149, 4, 160, 8 };
	struct tmpl_cache *tc = tmpl_cache_new(NULL);
	struct nf_dgram_info info;
	struct collect c;
	struct mb m;
	uint32_t ntp_s = 0xe8fe6f80;	/* 1700000000 + 2208988800 */

	mb_start(&m, 1700000010, 7);
	mb_set(&m, 2);
	mb_fields(&m, 300, f_s, 2);
	mb_fields(&m, 301, f_us, 2);
	mb_fields(&m, 302, f_ns, 2);
	mb_fields(&m, 303, f_d, 2);
	mb_fields(&m, 304, f_up, 2);
	mb_end_set(&m);
	mb_set(&m, 3);				/* options: scope 149; 160 */
	wbuf_be16(&m.w, 305);
	wbuf_be16(&m.w, 2);
	wbuf_be16(&m.w, 1);
	for (int i = 0; i < 4; i++)
		wbuf_be16(&m.w, f_opt[i]);
	mb_end_set(&m);
	mb_set(&m, 305);
	wbuf_be32(&m.w, 7);
	wbuf_be64(&m.w, UINT64_C(1699990000000));	/* system init */
	mb_end_set(&m);
	mb_set(&m, 300);
	wbuf_be32(&m.w, 1700000001);
	wbuf_be32(&m.w, 1700000002);
	mb_end_set(&m);
	mb_set(&m, 301);
	wbuf_be32(&m.w, ntp_s);
	wbuf_be32(&m.w, 0x80000000);		/* + 0.5 s */
	wbuf_be32(&m.w, ntp_s + 1);
	wbuf_be32(&m.w, 0x40000000);		/* + 1.25 s */
	mb_end_set(&m);
	mb_set(&m, 302);
	wbuf_be32(&m.w, ntp_s + 3);
	wbuf_be32(&m.w, 0);
	wbuf_be32(&m.w, ntp_s + 4);
	wbuf_be32(&m.w, 0xc0000000);		/* + 4.75 s */
	mb_end_set(&m);
	mb_set(&m, 303);
	wbuf_be32(&m.w, 9000000);		/* 9 s before export */
	wbuf_be32(&m.w, 250000);		/* 0.25 s before export */
	mb_end_set(&m);
	mb_set(&m, 304);
	wbuf_be32(&m.w, 10000000);		/* init + 10000 s */
	wbuf_be32(&m.w, 10000123);
	mb_end_set(&m);

	tap_is_int(run(&m, tc, &c, &info), NFE_OK, "times: decodes");
	tap_ok(info.options == 1 && info.records == 5 && info.seq_step == 6,
	    "times: 5 flows + 1 options record = sequence step 6");
	tap_ok(c.recs[0].first_ms == EXP_MS + 1000 &&
	    c.recs[0].last_ms == EXP_MS + 2000, "times: seconds (150/151)");
	tap_ok(c.recs[1].first_ms == EXP_MS + 500 &&
	    c.recs[1].last_ms == EXP_MS + 1250, "times: microseconds "
	    "(154/155, NTP)");
	tap_ok(c.recs[2].first_ms == EXP_MS + 3000 &&
	    c.recs[2].last_ms == EXP_MS + 4750, "times: nanoseconds "
	    "(156/157, NTP)");
	tap_ok(c.recs[3].first_ms == EXP_MS + 1000 &&
	    c.recs[3].last_ms == EXP_MS + 9750, "times: delta microseconds "
	    "(158/159)");
	tap_ok(c.recs[4].first_ms == UINT64_C(1700000000000) &&
	    c.recs[4].last_ms == UINT64_C(1700000000123),
	    "times: sysUpTime (22/21) + systemInitTimeMilliseconds (160)");
	tmpl_cache_free(tc);
}

static void
test_withdrawal(void)
{
	static const uint16_t f[] = { 8, 4, 12, 4 };
	struct tmpl_cache *tc = tmpl_cache_new(NULL);
	struct nf_dgram_info info;
	struct tmpl_stats st;
	struct collect c;
	struct mb m;
	int rc;

	mb_start(&m, 1700000000, 1);
	mb_set(&m, 2);
	mb_fields(&m, 400, f, 2);
	mb_fields(&m, 401, f, 2);
	mb_fields(&m, 402, f, 2);
	mb_end_set(&m);
	run(&m, tc, &c, &info);
	tap_is_uint(info.templates, 3, "withdraw: three templates learned");
	mb_start(&m, 1700000000, 1);
	mb_set(&m, 2);
	wbuf_be16(&m.w, 401);			/* withdraw 401 */
	wbuf_be16(&m.w, 0);
	mb_end_set(&m);
	mb_set(&m, 401);
	wbuf_be32(&m.w, 1);
	wbuf_be32(&m.w, 2);
	mb_end_set(&m);
	rc = run(&m, tc, &c, &info);
	tap_ok(rc == NFE_NOTMPL && info.withdrawn == 1 && c.n == 0,
	    "withdraw: one template gone, its data has no template");
	mb_start(&m, 1700000000, 1);
	mb_set(&m, 2);
	wbuf_be16(&m.w, 2);			/* withdraw all */
	wbuf_be16(&m.w, 0);
	mb_end_set(&m);
	rc = run(&m, tc, &c, &info);
	tmpl_get_stats(tc, &st);
	tap_ok(rc == NFE_OK && info.withdrawn == 2 && st.templates == 0,
	    "withdraw: all remaining templates of the domain");
	tmpl_cache_free(tc);
}

static void
test_hostile(void)
{
	static const uint16_t f[] = { 8, 4, 82, 0xffff };
	struct tmpl_cache *tc = tmpl_cache_new(NULL);
	struct nf_dgram_info info;
	struct collect c;
	struct mb m;
	uint8_t hdr[16];

	mb_start(&m, 1700000000, 1);
	mb_set(&m, 3);				/* scope count 0 */
	wbuf_be16(&m.w, 500);
	wbuf_be16(&m.w, 1);
	wbuf_be16(&m.w, 0);
	wbuf_be16(&m.w, 149);
	wbuf_be16(&m.w, 4);
	mb_end_set(&m);
	tap_is_int(run(&m, tc, &c, &info), NFE_FORMAT,
	    "hostile: options template with scope count 0");
	mb_start(&m, 1700000000, 1);
	mb_set(&m, 3);				/* scope count > field count */
	wbuf_be16(&m.w, 500);
	wbuf_be16(&m.w, 1);
	wbuf_be16(&m.w, 2);
	wbuf_be16(&m.w, 149);
	wbuf_be16(&m.w, 4);
	mb_end_set(&m);
	tap_is_int(run(&m, tc, &c, &info), NFE_FORMAT,
	    "hostile: scope count above field count");
	mb_start(&m, 1700000000, 1);
	mb_set(&m, 2);
	mb_fields(&m, 17, f, 2);
	mb_end_set(&m);
	tap_is_int(run(&m, tc, &c, &info), NFE_FORMAT,
	    "hostile: template id below 256");
	mb_start(&m, 1700000000, 1);
	mb_set(&m, 2);
	wbuf_be16(&m.w, 600);
	wbuf_be16(&m.w, 9);			/* 9 fields, 2 present */
	wbuf_be32(&m.w, 0x00080004);
	wbuf_be32(&m.w, 0x000c0004);
	mb_end_set(&m);
	tap_is_int(run(&m, tc, &c, &info), NFE_FORMAT,
	    "hostile: field specifiers past the set end");
	mb_start(&m, 1700000000, 1);
	wbuf_be16(&m.w, 2);
	wbuf_be16(&m.w, 0);			/* set length 0 */
	tap_is_int(run(&m, tc, &c, &info), NFE_FORMAT, "hostile: set "
	    "length 0");
	/* variable-length field claiming more than the set holds */
	mb_start(&m, 1700000000, 1);
	mb_set(&m, 2);
	mb_fields(&m, 700, f, 2);
	mb_end_set(&m);
	mb_set(&m, 700);
	wbuf_be32(&m.w, 0x01020304);
	wbuf_u8(&m.w, 200);
	wbuf_be32(&m.w, 0);
	mb_end_set(&m);
	tap_is_int(run(&m, tc, &c, &info), NFE_FORMAT,
	    "hostile: variable-length field past the set end");
	memcpy(hdr, "\x00\x0a\x00\x0c\x00\x00\x00\x00\x00\x00\x00\x00"
	    "\x00\x00\x00\x00", 16);
	tap_is_int(ipfix_decode(hdr, 16, &(struct nf_decode_ctx){ .tmpl = tc,
	    .sink = collect_sink, .arg = &c }, &info), NFE_FORMAT,
	    "hostile: message length below the header");
	hdr[1] = 9;
	hdr[3] = 16;
	tap_is_int(ipfix_decode(hdr, 16, &(struct nf_decode_ctx){ .tmpl = tc,
	    .sink = collect_sink, .arg = &c }, &info), NFE_FORMAT,
	    "hostile: wrong version");
	tmpl_cache_free(tc);
}

static void
test_roundtrip(void)
{
	static struct flowrec in[50];
	static uint8_t dg[10][1500];
	struct tmpl_cache *tc = tmpl_cache_new(NULL);
	struct nf_decode_ctx ctx;
	struct nf_dgram_info info;
	struct nf_enc e;
	struct collect c;
	struct tmpl_key k;
	const struct tmpl_opts *o;
	size_t lens[10], nd = 0, i = 0, used, same = 0;
	uint32_t want_seq = 0;
	bool ok = true;
	char b1[512], b2[512];

	for (unsigned j = 0; j < NF_NELEM(in); j++) {
		sample_flow(&in[j], j, j % 2, NOW_MS);
		in[j].sampling = 4;
	}
	nf_enc_init(&e, 77, NOW_MS - 86400000);
	e.sampling = 4;
	while (i < NF_NELEM(in) && nd < 10) {
		if (ipfix_encode(&e, NOW_MS, in + i, NF_NELEM(in) - i, dg[nd],
		    1500, &lens[nd], &used) != NFE_OK)
			break;
		i += used;
		nd++;
	}
	tap_ok(i == NF_NELEM(in) && nd >= 3, "roundtrip: encoded 50 records "
	    "in %zu messages", nd);
	collect_ctx(&ctx, &c, tc, EXPORTER);
	for (size_t d = 0; d < nd; d++) {
		if (ipfix_decode(dg[d], lens[d], &ctx, &info) != NFE_OK ||
		    info.seq != want_seq || lens[d] > IPFIX_DEF_SIZE)
			ok = false;
		want_seq += info.seq_step;
	}
	tap_ok(ok, "roundtrip: decodes; sequence counts data records");
	tap_is_uint(c.n, NF_NELEM(in), "roundtrip: all records back");
	for (size_t j = 0; j < c.n; j++) {
		if (flowrec_equal(&c.recs[j], &in[j]))
			same++;
		else if (same == j)
			tap_diag("rec %zu:\n#  got  %s\n#  want %s", j,
			    flowrec_dump(&c.recs[j], b1, sizeof(b1)),
			    flowrec_dump(&in[j], b2, sizeof(b2)));
	}
	tap_is_uint(same, NF_NELEM(in), "roundtrip: every field equal");
	memset(&k, 0, sizeof(k));
	addr_from_v4(&k.exporter, EXPORTER);
	k.version = 10;
	k.domain = 77;
	o = tmpl_opts_get(tc, &k);
	tap_ok(o != NULL && o->sampling == 4 &&
	    o->sys_init_ms == NOW_MS - 86400000,
	    "roundtrip: options state has sampling 4 and system init time");
	tap_is_uint(e.seq, want_seq, "encoder: sequence = data records sent");
	tmpl_cache_free(tc);
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
		sample_flow(&r[i], i, i & 1, NOW_MS);
	nf_enc_init(&e, 5, NOW_MS - 1000);
	e.sampling = 100;
	ipfix_encode(&e, NOW_MS, r, 6, dg, sizeof(dg), &len, &used);
	for (size_t cut = 0; cut < len; cut++) {
		tc = tmpl_cache_new(NULL);
		collect_ctx(&ctx, &c, tc, EXPORTER);
		rc = ipfix_decode(dg, cut, &ctx, &info);
		if (rc != NFE_TRUNC && rc != NFE_FORMAT) {
			tap_diag("prefix %zu: %s", cut, nferr_str(rc));
			clean = false;
		}
		tmpl_cache_free(tc);
	}
	tap_ok(clean && used == 6, "sweep: every proper prefix is "
	    "NFE_TRUNC/NFE_FORMAT");
	/*
	 * The golden message too, with its length patched to each prefix:
	 * only the set boundaries (16, 56) make valid, shorter messages.
	 */
	clean = true;
	for (size_t cut = 16; cut < sizeof(golden); cut++) {
		uint8_t g[sizeof(golden)];

		memcpy(g, golden, sizeof(g));
		g[2] = (uint8_t)(cut >> 8);
		g[3] = (uint8_t)cut;
		tc = tmpl_cache_new(NULL);
		collect_ctx(&ctx, &c, tc, EXPORTER);
		rc = ipfix_decode(g, cut, &ctx, &info);
		if (rc != NFE_TRUNC && rc != NFE_FORMAT && cut != 16 &&
		    cut != 56) {
			tap_diag("golden cut %zu: %s", cut, nferr_str(rc));
			clean = false;
		}
		tmpl_cache_free(tc);
	}
	tap_ok(clean, "sweep: golden cut at every set-internal point with a "
	    "consistent length is rejected");
	tc = tmpl_cache_new(NULL);
	collect_ctx(&ctx, &c, tc, EXPORTER);
	tap_is_int(ipfix_decode(dg, len, &ctx, &info), NFE_OK,
	    "sweep: whole message decodes");
	tap_ok(info.sampling == 100 && c.recs[0].sampling == 100,
	    "sampling: (interval + space) / interval = 100");
	tmpl_cache_free(tc);
}

static void
test_held(void)
{
	static const uint16_t f[] = { 8, 4, 12, 4, 1, 4 };
	struct tmpl_cache *tc = tmpl_cache_new(NULL);
	struct nf_decode_ctx ctx;
	struct nf_dgram_info info;
	struct collect c;
	struct held_set h;
	struct mb m;
	int rc;

	mb_start(&m, 1700000000, 3);
	mb_set(&m, 900);
	wbuf_be32(&m.w, 0x0a000001);
	wbuf_be32(&m.w, 0x0a000002);
	wbuf_be32(&m.w, 4242);
	mb_end_set(&m);
	rc = run(&m, tc, &c, &info);
	tap_ok(rc == NFE_NOTMPL && c.nheld == 1 && c.held[0].len == 12 &&
	    c.held[0].version == 10 && c.held[0].domain == 3 &&
	    c.held[0].export_ms == EXP_MS, "held: data before template");
	h = c.held[0];
	mb_start(&m, 1700000000, 3);
	mb_set(&m, 2);
	mb_fields(&m, 900, f, 3);
	mb_end_set(&m);
	run(&m, tc, &c, &info);
	collect_ctx(&ctx, &c, tc, EXPORTER);
	rc = ipfix_decode_held(&ctx, h.domain, h.template_id, h.bytes, h.len,
	    h.export_ms, h.sys_uptime_ms, &info);
	tap_ok(rc == NFE_OK && c.n == 1 && c.recs[0].bytes == 4242 &&
	    addr_v4(&c.recs[0].dst) == 0x0a000002 &&
	    c.recs[0].first_ms == EXP_MS, "held: decoded after the template");
	tmpl_cache_free(tc);
}

/*
 * The elements routers and CGNATs send beside the 5-tuple (forwarding
 * status, BGP next hop, TTLs, flow label, VRFs, 802.1Q priority and
 * customer VLANs, NAT44 event with post-NAT addresses, ports and a port
 * block) land in their fields; a 4-byte forwardingStatus (RFC 7270's
 * first encoding) as well.
 */
static void
test_router_elements(void)
{
	static const uint16_t f[] = { 8, 4, 12, 4, 7, 2, 11, 2, 4, 1,
	    89, 1, 18, 4, 52, 1, 53, 1, 31, 4, 234, 4, 235, 4, 244, 1,
	    245, 2, 255, 2, 230, 1, 225, 4, 226, 4, 227, 2, 228, 2,
	    361, 2, 362, 2, 363, 2, 364, 2, 282, 16, 56, 6, 80, 6, 81, 6,
	    57, 6, 70, 3, 71, 3, 72, 3, 46, 1, 47, 4 };
	static const uint16_t f6[] = { 27, 16, 28, 16, 89, 4, 63, 16,
	    281, 16 };
	static const uint8_t v6a[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0,
	    0, 0, 0, 0, 0, 0, 0, 0x99 };
	struct tmpl_cache *tc = tmpl_cache_new(NULL);
	struct nf_dgram_info info;
	struct collect c;
	struct flowrec *r;
	struct mb m;
	char a[ADDR_STRLEN], b[ADDR_STRLEN], n6[ADDR_STRLEN];

	mb_start(&m, 1700000010, 7);
	mb_set(&m, 2);
	mb_fields(&m, 400, f, NF_NELEM(f) / 2);
	mb_fields(&m, 401, f6, NF_NELEM(f6) / 2);
	mb_end_set(&m);
	mb_set(&m, 400);
	wbuf_be32(&m.w, 0x0a000001);		/* 10.0.0.1 */
	wbuf_be32(&m.w, 0xc6336401);		/* 198.51.100.1 */
	wbuf_be16(&m.w, 1234);
	wbuf_be16(&m.w, 80);
	wbuf_u8(&m.w, 6);
	wbuf_u8(&m.w, 0x42);			/* forwarded, 2 */
	wbuf_be32(&m.w, 0xc0000201);		/* BGP next hop 192.0.2.1 */
	wbuf_u8(&m.w, 60);
	wbuf_u8(&m.w, 64);
	wbuf_be32(&m.w, 0xabcde);		/* flow label */
	wbuf_be32(&m.w, 5);
	wbuf_be32(&m.w, 6);
	wbuf_u8(&m.w, 3);
	wbuf_be16(&m.w, 100);
	wbuf_be16(&m.w, 200);
	wbuf_u8(&m.w, 4);			/* NAT44 session create */
	wbuf_be32(&m.w, 0xcb007107);		/* 203.0.113.7 */
	wbuf_be32(&m.w, 0xc6336402);		/* 198.51.100.2 */
	wbuf_be16(&m.w, 40000);
	wbuf_be16(&m.w, 8080);
	wbuf_be16(&m.w, 1024);
	wbuf_be16(&m.w, 2047);
	wbuf_be16(&m.w, 1);
	wbuf_be16(&m.w, 1024);
	wbuf_zero(&m.w, 16);			/* :: is "none" */
	for (int i = 1; i <= 4; i++)		/* 00:1b:21:0a:0b:0i */
		wbuf_beN(&m.w, UINT64_C(0x001b210a0b00) | (unsigned)i, 6);
	wbuf_beN(&m.w, 16000 << 4 | 5 << 1, 3);	/* label 16000, EXP 5 */
	wbuf_beN(&m.w, 2 << 4, 3);
	wbuf_beN(&m.w, 300 << 4 | 1 << 1 | 1, 3);	/* bottom of stack */
	wbuf_u8(&m.w, 3);			/* VPN */
	wbuf_be32(&m.w, 0xc0000205);		/* 192.0.2.5 */
	mb_end_set(&m);
	mb_set(&m, 401);
	wbuf_bytes(&m.w, v6a, 16);
	wbuf_bytes(&m.w, v6a, 16);
	wbuf_be32(&m.w, 0x80);			/* dropped, 4 bytes */
	wbuf_bytes(&m.w, v6a, 16);
	wbuf_bytes(&m.w, v6a, 16);
	mb_end_set(&m);

	tap_is_int(run(&m, tc, &c, &info), NFE_OK, "router elements: decode");
	r = &c.recs[0];
	addr_format(&r->bgp_nexthop, a, sizeof(a));
	addr_format(&r->nat_src, b, sizeof(b));
	addr_format(&r->nat_dst, n6, sizeof(n6));
	tap_ok(c.n == 2 && r->fwd_status == 0x42 && strcmp(a, "192.0.2.1") ==
	    0 && r->min_ttl == 60 && r->max_ttl == 64 &&
	    r->flow_label == 0xabcde && r->in_vrf == 5 && r->out_vrf == 6 &&
	    r->vlan_prio == 3 && r->src_cvlan == 100 && r->dst_cvlan == 200,
	    "router elements: 89, 18, 52, 53, 31, 234, 235, 244, 245, 255");
	tap_ok(r->nat_event == 4 && strcmp(b, "203.0.113.7") == 0 &&
	    strcmp(n6, "198.51.100.2") == 0 && r->nat_src_port == 40000 &&
	    r->nat_dst_port == 8080 && r->pb_start == 1024 &&
	    r->pb_end == 2047 && r->pb_step == 1 && r->pb_size == 1024,
	    "router elements: NAT 230, 225-228, 361-364; :: in 282 is none");
	tap_ok(r->in_src_mac == UINT64_C(0x001b210a0b01) &&
	    r->in_dst_mac == UINT64_C(0x001b210a0b02) &&
	    r->out_src_mac == UINT64_C(0x001b210a0b03) &&
	    r->out_dst_mac == UINT64_C(0x001b210a0b04),
	    "router elements: MACs 56, 80, 81, 57");
	addr_format(&r->mpls_top_addr, a, sizeof(a));
	tap_ok(r->mpls1 == (16000 << 4 | 5 << 1) && r->mpls2 == 2 << 4 &&
	    r->mpls3 == (300 << 4 | 3) && r->mpls4 == 0 &&
	    r->mpls_top_type == 3 && strcmp(a, "192.0.2.5") == 0,
	    "router elements: MPLS stack 70-72, top label type 46, "
	    "address 47");
	r = &c.recs[1];
	addr_format(&r->bgp_nexthop, a, sizeof(a));
	addr_format(&r->nat_src, b, sizeof(b));
	tap_ok(r->af == 6 && r->fwd_status == 0x80 &&
	    strcmp(a, "2001:db8::99") == 0 && strcmp(b, "2001:db8::99") == 0,
	    "router elements: IPv6 63, 281; forwardingStatus in 4 bytes");
	tmpl_cache_free(tc);
}

/*
 * applicationId (95, RFC 6759): 4 bytes as Cisco NBAR sends it (engine
 * 13, selector 80), variable length (RFC 7011 7: one length byte) with
 * a PEN (engine 20, PEN 9, selector 0x000102), one byte (the engine
 * alone) and 12 bytes (the selector's last 7 bytes kept).
 */
static void
test_appid(void)
{
	static const uint16_t f4[] = { 8, 4, 95, 4 };
	static const uint16_t fv[] = { 8, 4, 95, 0xffff };
	static const uint8_t pen[] = { 20, 0, 0, 0, 9, 0, 1, 2 };
	static const uint8_t big[] = { 6, 0xaa, 0xbb, 0xcc, 0xdd, 0xee,
	    1, 2, 3, 4, 5, 6 };
	struct tmpl_cache *tc = tmpl_cache_new(NULL);
	struct nf_dgram_info info;
	struct collect c;
	struct mb m;
	char t[48];

	mb_start(&m, 1700000010, 7);
	mb_set(&m, 2);
	mb_fields(&m, 410, f4, 2);
	mb_fields(&m, 411, fv, 2);
	mb_end_set(&m);
	mb_set(&m, 410);
	wbuf_be32(&m.w, 0x0a000001);
	wbuf_be32(&m.w, 0x0d000050);		/* 13..80 */
	mb_end_set(&m);
	mb_set(&m, 411);
	wbuf_be32(&m.w, 0x0a000002);
	wbuf_u8(&m.w, sizeof(pen));
	wbuf_bytes(&m.w, pen, sizeof(pen));
	wbuf_be32(&m.w, 0x0a000003);
	wbuf_u8(&m.w, 1);
	wbuf_u8(&m.w, 3);			/* engine 3 alone */
	wbuf_be32(&m.w, 0x0a000004);
	wbuf_u8(&m.w, sizeof(big));
	wbuf_bytes(&m.w, big, sizeof(big));
	mb_end_set(&m);
	tap_is_int(run(&m, tc, &c, &info), NFE_OK, "applicationId: decode");
	tap_ok(c.n == 4 && c.recs[0].app_id == (UINT64_C(13) << 56 | 80) &&
	    strcmp(fld_appid_text(c.recs[0].app_id, true, t, sizeof(t)),
	    "13..80") == 0, "applicationId: 4 bytes, engine 13 selector 80: "
	    "%s", t);
	tap_ok(c.recs[1].app_id == (UINT64_C(20) << 56 | UINT64_C(9) << 24 |
	    0x102) && strcmp(fld_appid_text(c.recs[1].app_id, false, t,
	    sizeof(t)), "20..9..258") == 0,
	    "applicationId: variable length, engine 20: PEN and selector: %s",
	    t);
	tap_ok(c.recs[2].app_id == UINT64_C(3) << 56 &&
	    strcmp(fld_appid_text(c.recs[2].app_id, true, t, sizeof(t)),
	    " 3..0") == 0, "applicationId: the engine alone: %s", t);
	tap_ok(c.recs[3].app_id == (UINT64_C(6) << 56 |
	    UINT64_C(0xee010203040506)), "applicationId: 12 bytes: the "
	    "selector's last 7 kept");
	tmpl_cache_free(tc);
}

/*
 * Cut from a datagram softflowd 1.1 -b sent (IPFIX, bidirectional mode):
 * header, its template 1024 with four RFC 5103 reverse elements
 * (enterprise 29305) and its first data set.  tshark 4.0 reads
 * cflow.octets 357,8476,561,838, cflow.packets 5,8,3,3 (forward and
 * reverse of the two records), ports 41704/443 and 33401/443.
 */
static const uint8_t softflowd_b[] = {
	0x00, 0x0a, 0x00, 0xe4, 0x6b, 0x17, 0x18, 0xba,
	0x00, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x02, 0x00, 0x68, 0x04, 0x00, 0x00, 0x14,	/* template set, template 1024, 20 fields */
	0x00, 0x08, 0x00, 0x04,	/* 8, 4 bytes */
	0x00, 0x0c, 0x00, 0x04,	/* 12, 4 bytes */
	0x00, 0x16, 0x00, 0x04,	/* 22, 4 bytes */
	0x00, 0x15, 0x00, 0x04,	/* 21, 4 bytes */
	0x00, 0x01, 0x00, 0x04,	/* 1, 4 bytes */
	0x00, 0x02, 0x00, 0x04,	/* 2, 4 bytes */
	0x00, 0x0a, 0x00, 0x04,	/* 10, 4 bytes */
	0x00, 0x0e, 0x00, 0x04,	/* 14, 4 bytes */
	0x00, 0x3d, 0x00, 0x01,	/* 61, 1 bytes */
	0x00, 0x88, 0x00, 0x01,	/* 136, 1 bytes */
	0x00, 0x07, 0x00, 0x02,	/* 7, 2 bytes */
	0x00, 0x0b, 0x00, 0x02,	/* 11, 2 bytes */
	0x00, 0x04, 0x00, 0x01,	/* 4, 1 bytes */
	0x00, 0x06, 0x00, 0x01,	/* 6, 1 bytes */
	0x00, 0x3c, 0x00, 0x01,	/* 60, 1 bytes */
	0x00, 0x05, 0x00, 0x01,	/* 5, 1 bytes */
	0x80, 0x01, 0x00, 0x04, 0x00, 0x00, 0x72, 0x79,	/* reverse 1, 4 bytes, PEN 29305 */
	0x80, 0x02, 0x00, 0x04, 0x00, 0x00, 0x72, 0x79,	/* reverse 2, 4 bytes, PEN 29305 */
	0x80, 0x05, 0x00, 0x01, 0x00, 0x00, 0x72, 0x79,	/* reverse 5, 1 bytes, PEN 29305 */
	0x80, 0x06, 0x00, 0x01, 0x00, 0x00, 0x72, 0x79,	/* reverse 6, 1 bytes, PEN 29305 */
	0x04, 0x00, 0x00, 0x6c,	/* data set 1024, 2 records */
	0x0a, 0xca, 0x63, 0xbe, 0xac, 0x10, 0x08, 0x83, 0x7d, 0xac, 0xce, 0x7d,
	0x7d, 0xac, 0xce, 0x88, 0x00, 0x00, 0x01, 0x65, 0x00, 0x00, 0x00, 0x05,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0xa2, 0xe8,
	0x01, 0xbb, 0x06, 0x1a, 0x04, 0x00, 0x00, 0x00, 0x21, 0x1c, 0x00, 0x00,
	0x00, 0x08, 0x00, 0x1e, 0x0a, 0xae, 0x77, 0x82, 0xac, 0x10, 0x01, 0xa0,
	0x7d, 0xac, 0xce, 0x7e, 0x7d, 0xac, 0xce, 0x81, 0x00, 0x00, 0x02, 0x31,
	0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x03, 0x82, 0x79, 0x01, 0xbb, 0x06, 0x1a, 0x04, 0x00, 0x00, 0x00,
	0x03, 0x46, 0x00, 0x00, 0x00, 0x03, 0x00, 0x1e,
};

static void
test_biflow(void)
{
	struct tmpl_cache *tc = tmpl_cache_new(NULL);
	struct nf_decode_ctx ctx;
	struct nf_dgram_info info;
	static struct collect c;
	const struct flowrec *r = &c.recs[0], *q = &c.recs[1];

	memset(&c, 0, sizeof(c));
	collect_ctx(&ctx, &c, tc, EXPORTER);
	tap_is_int(ipfix_decode(softflowd_b, sizeof(softflowd_b), &ctx, &info),
	    NFE_OK, "softflowd -b: decodes");
	tap_ok(c.n == 2 && r->src_port == 41704 && r->dst_port == 443 &&
	    r->proto == 6 && r->tcp_flags == 0x1a && q->src_port == 33401,
	    "softflowd -b: two records, forward key and flags");
	tap_ok(r->bytes == 357 && r->packets == 5 && r->out_bytes == 8476 &&
	    r->out_packets == 8 && q->bytes == 561 && q->packets == 3 &&
	    q->out_bytes == 838 && q->out_packets == 3,
	    "softflowd -b: forward and reverse (29305/1, 29305/2) counters "
	    "as tshark reads them");
	tmpl_cache_free(tc);
}

int
main(void)
{
	tap_no_plan();
	test_golden();
	test_time_forms();
	test_withdrawal();
	test_hostile();
	test_roundtrip();
	test_truncation();
	test_held();
	test_router_elements();
	test_appid();
	test_biflow();
	return tap_done();
}
