/*
 * tests/t_codec.c -- the codec table (common/codec/codec.h) and the
 * decoders' batch (common/codec/nfdecode.h).
 *
 * Every version goes through the same entry points: found by its first
 * bytes, its header peeked (exporter key, sequence, count), decoded into
 * a caller's batch, held data sets decoded later (v9, IPFIX), encoded
 * (v5, v9, IPFIX) with the shared encoder state, and every proper
 * prefix of a valid datagram refused by peek and decode alike.  sFlow v5
 * (decode only) is one more entry, found by its 32-bit version.  The
 * batch: full called once per cap records, the rest left to the caller,
 * a non-zero full stops the decoder, no full stops it at cap, and a sink
 * sees exactly what a batch gets.  Extra fields (nf_enc.extra,
 * flowprobe -x): the element each is sent as, from the catalogue, and
 * their round trip through v9 and IPFIX.
 */
#include "common/base/compat.h"

#include <stdio.h>
#include <string.h>

#include "common/base/buf.h"
#include "common/base/nferr.h"
#include "common/codec/codec.h"
#include "common/codec/nf5.h"
#include "common/base/fields.h"
#include "common/codec/tfield.h"
#include "common/codec/tmpl.h"
#include "nfcollect.h"
#include "tap.h"

#define EXPORTER	0xc0000201	/* 192.0.2.1 */
#define NOW_MS		UINT64_C(1700000000123)
#define DOMAIN		42
#define NREC		12		/* flows per stream */
#define MAXDG		8

/* The datagrams of one version, and what went into them. */
struct stream {
	const struct nf_codec *c;
	uint8_t		dg[MAXDG][1500];
	size_t		len[MAXDG];
	uint32_t	seq[MAXDG];	/* header sequence of each */
	size_t		recs[MAXDG];	/* records in each */
	size_t		nd;
	struct flowrec	in[NREC];	/* the records carried, in order */
	size_t		nin;
};

/*
 * v1 or v7 datagram (flowkit has no encoder for them): n records,
 * record i from 10.0.0.i to 192.0.2.i, i + 1 packets.
 */
static size_t
make_old(uint8_t *p, size_t cap, uint16_t v, unsigned n, uint32_t seq)
{
	size_t hl = v == 1 ? NF1_HDR_LEN : NF7_HDR_LEN;
	size_t rl = v == 1 ? NF1_REC_LEN : NF7_REC_LEN;
	size_t len = hl + n * rl;

	if (len > cap)
		return 0;
	memset(p, 0, len);
	p[1] = (uint8_t)v;
	p[3] = (uint8_t)n;
	p[8] = 0x65;				/* unix secs 0x65... */
	if (v == 7) {
		p[16] = (uint8_t)(seq >> 24);
		p[17] = (uint8_t)(seq >> 16);
		p[18] = (uint8_t)(seq >> 8);
		p[19] = (uint8_t)seq;
	}
	for (unsigned i = 0; i < n; i++) {
		uint8_t *r = p + hl + i * rl;

		r[0] = 10;
		r[3] = (uint8_t)i;
		r[4] = 192;
		r[6] = 2;
		r[7] = (uint8_t)i;
		r[19] = (uint8_t)(i + 1);	/* dPkts */
		r[38] = 17;			/* prot */
	}
	return len;
}

/*
 * sFlow v5 datagram (decode only): agent 192.0.2.1, sub-agent 0, n flow
 * samples of one sampled IPv4 record each, sample i from 10.0.0.i to
 * 192.0.2.i, an IP length of i + 1.
 */
static size_t
make_sflow(uint8_t *p, size_t cap, unsigned n, uint32_t seq)
{
	struct wbuf w;

	wbuf_init(&w, p, cap);
	wbuf_be32(&w, 5);
	wbuf_be32(&w, 1);
	wbuf_be32(&w, EXPORTER);
	wbuf_be32(&w, 0);			/* sub-agent */
	wbuf_be32(&w, seq);
	wbuf_be32(&w, 1000);			/* uptime */
	wbuf_be32(&w, n);
	for (unsigned i = 0; i < n; i++) {
		wbuf_be32(&w, 1);		/* flow sample */
		wbuf_be32(&w, 32 + 8 + 32);
		wbuf_be32(&w, i);		/* sequence */
		wbuf_be32(&w, 1);		/* source id */
		wbuf_be32(&w, 1);		/* 1 in 1 */
		wbuf_be32(&w, i + 1);		/* pool */
		wbuf_be32(&w, 0);		/* drops */
		wbuf_be32(&w, 1);		/* input */
		wbuf_be32(&w, 2);		/* output */
		wbuf_be32(&w, 1);		/* one record */
		wbuf_be32(&w, 3);		/* sampled IPv4 */
		wbuf_be32(&w, 32);
		wbuf_be32(&w, i + 1);		/* IP length */
		wbuf_be32(&w, 17);
		wbuf_be32(&w, 0x0a000000u | i);
		wbuf_be32(&w, 0xc0000200u | i);
		wbuf_be32(&w, 1000);
		wbuf_be32(&w, 53);
		wbuf_be32(&w, 0);
		wbuf_be32(&w, 0);
	}
	return wbuf_ok(&w) ? wbuf_len(&w) : 0;
}

/* Encode (or build) the stream of codec c: NREC flows. */
static bool
make_stream(struct stream *s, const struct nf_codec *c)
{
	struct flowrec all[NREC];
	struct nf_enc e;
	size_t i = 0, used;

	memset(s, 0, sizeof(*s));
	s->c = c;
	if (c->encode == NULL) {
		s->len[0] = c == &nf_codec_sflow ? make_sflow(s->dg[0],
		    sizeof(s->dg[0]), 3, 77) : make_old(s->dg[0],
		    sizeof(s->dg[0]), c->version, 3, 77);
		s->seq[0] = 77;
		s->recs[0] = 3;
		s->nd = 1;
		s->nin = 3;
		return s->len[0] > 0;
	}
	for (unsigned j = 0; j < NREC; j++)
		sample_flow(&all[j], j, !c->v4_only && j % 3 == 2, NOW_MS);
	c->enc_init(&e, DOMAIN, NOW_MS - 3600000);
	e.max_size = 400;		/* several datagrams */
	while (i < NREC && s->nd < MAXDG) {
		uint64_t before = e.records;

		s->seq[s->nd] = e.seq;
		if (c->encode(&e, NOW_MS, all + i, NREC - i, s->dg[s->nd],
		    sizeof(s->dg[s->nd]), &s->len[s->nd], &used) != NFE_OK ||
		    s->len[s->nd] == 0)
			return false;
		s->recs[s->nd] = (size_t)(e.records - before);
		for (size_t k = i; k < i + used; k++)
			if (!c->v4_only || all[k].af == 4)
				s->in[s->nin++] = all[k];
		i += used;
		s->nd++;
	}
	return i == NREC;
}

/* A batch over recs with no full: the decoder stops at cap. */
static void
batch_init(struct nf_batch *b, struct flowrec *recs, size_t cap)
{
	memset(b, 0, sizeof(*b));
	b->rec = recs;
	b->cap = cap;
}

static void
ctx_init(struct nf_decode_ctx *ctx, struct tmpl_cache *tc,
    struct nf_batch *b)
{
	memset(ctx, 0, sizeof(*ctx));
	addr_from_v4(&ctx->exporter, EXPORTER);
	ctx->exporter_port = 2055;
	ctx->tmpl = tc;
	ctx->batch = b;
}

/* The fields every version carries (v5 clamps counters, AS, ifIndex). */
static bool
same_flow(const struct nf_codec *c, const struct flowrec *got,
    const struct flowrec *want)
{
	if (c->templates)
		return flowrec_equal(got, want);
	return addr_eq(&got->src, &want->src) && addr_eq(&got->dst,
	    &want->dst) && got->src_port == want->src_port &&
	    got->dst_port == want->dst_port && got->proto == want->proto &&
	    got->tos == want->tos && got->tcp_flags == want->tcp_flags &&
	    got->first_ms == want->first_ms && got->last_ms == want->last_ms;
}

static void
test_table(void)
{
	static const uint8_t sflow5[4] = { 0, 0, 0, 5 };
	static const uint8_t v2[2] = { 0, 2 };
	const struct nf_codec *const *t;
	size_t n;
	bool ok = true, apart = true;

	t = nf_codec_table(&n);
	tap_is_uint(n, 6, "table: v1, v5, v7, v9, IPFIX, sFlow v5");
	for (size_t i = 0; i < n; i++) {
		const struct nf_codec *c = t[i];

		if (c->name == NULL || c->magic_len < 1 || c->magic_len > 4 ||
		    c->peek == NULL || c->decode == NULL ||
		    c->templates != (c->decode_held != NULL) ||
		    (c->encode != NULL && (c->enc_init == NULL ||
		    c->templates_due == NULL)) ||
		    nf_codec_by_version(c->version) != c ||
		    nf_codec_sniff(c->magic, c->magic_len) != c) {
			tap_diag("entry %zu (%s) is inconsistent", i, c->name);
			ok = false;
		}
		for (size_t j = 0; j < n; j++) {
			size_t m = c->magic_len < t[j]->magic_len ?
			    c->magic_len : t[j]->magic_len;

			if (i != j && memcmp(c->magic, t[j]->magic, m) == 0)
				apart = false;
		}
	}
	tap_ok(ok, "table: every entry complete, found by version and by "
	    "its magic");
	tap_ok(apart, "table: no magic is a prefix of another");
	tap_ok(nf_codec_sniff(v2, 2) == NULL && nf_codec_sniff(v2, 1) ==
	    NULL && nf_codec_by_version(8) == NULL,
	    "table: version 2, one byte, version 8: no entry");
	tap_ok(nf_codec_sniff(sflow5, 4) == &nf_codec_sflow &&
	    nf_codec_sniff(sflow5, 3) == NULL,
	    "table: an sFlow v5 start (00 00 00 05) is the sFlow entry");
	tap_ok(nf_codec_by_version(5)->encode != NULL &&
	    nf_codec_by_version(9)->encode != NULL &&
	    nf_codec_by_version(10)->encode != NULL &&
	    nf_codec_by_version(1)->encode == NULL &&
	    nf_codec_by_version(7)->encode == NULL,
	    "table: encoders for v5, v9, IPFIX only");
}

/* The exporter key read from headers (formerly collector exporter_peek). */
static void
test_peek(void)
{
	uint8_t v5[24] = { 0, 5, 0, 1 };
	uint8_t v9[20] = { 0, 9, 0, 1 };
	uint8_t v10[16] = { 0, 10, 0, 16 };
	uint8_t old[128];
	struct nf_peek pk;

	v5[20] = 3;
	v5[21] = 4;
	v5[19] = 9;
	v9[16] = 0x01; v9[17] = 0x02; v9[18] = 0x03; v9[19] = 0x04;
	v9[15] = 6;
	v10[12] = 0; v10[13] = 0; v10[14] = 1; v10[15] = 0;
	v10[11] = 8;
	tap_ok(nf_peek(v5, sizeof(v5), &pk) == NFE_OK && pk.version == 5 &&
	    pk.domain == 0x0304 && pk.codec == &nf_codec_v5,
	    "peek: v5 engine type/id");
	tap_ok(pk.whole && pk.has_seq && pk.seq == 9 && pk.count == 1,
	    "peek: v5 sequence and count");
	tap_ok(nf_peek(v9, sizeof(v9), &pk) == NFE_OK && pk.version == 9 &&
	    pk.domain == 0x01020304 && pk.seq == 6 && pk.count == 1,
	    "peek: v9 source id, sequence, count");
	tap_ok(nf_peek(v10, sizeof(v10), &pk) == NFE_OK && pk.version == 10 &&
	    pk.domain == 256 && pk.seq == 8 && pk.count == 0,
	    "peek: IPFIX domain and sequence");
	tap_ok(nf_peek(v9, 19, &pk) == NFE_TRUNC && pk.domain == 0,
	    "peek: short v9 header");
	tap_ok(nf_peek(v5, 21, &pk) == NFE_TRUNC && pk.version == 5 &&
	    pk.domain == 0, "peek: v5 cut inside engine id");
	tap_ok(nf_peek(v9, 1, &pk) == NFE_TRUNC, "peek: one byte");
	v9[1] = 8;
	tap_ok(nf_peek(v9, sizeof(v9), &pk) == NFE_UNSUPP && pk.version == 8,
	    "peek: version 8 unsupported");
	make_old(old, sizeof(old), 1, 1, 0);
	tap_ok(nf_peek(old, 2, &pk) == NFE_OK && pk.version == 1 &&
	    pk.domain == 0 && !pk.whole,
	    "peek: v1 key is the version alone");
	tap_ok(nf_peek(old, NF1_HDR_LEN, &pk) == NFE_OK && pk.whole &&
	    !pk.has_seq && pk.count == 1, "peek: v1 header has no sequence");
	make_old(old, sizeof(old), 7, 1, 0x01020304);
	tap_ok(nf_peek(old, NF7_HDR_LEN, &pk) == NFE_OK && pk.version == 7 &&
	    pk.has_seq && pk.seq == 0x01020304 && pk.domain == 0,
	    "peek: v7 sequence, no domain");
}

/* Each version: peek, decode into a batch, records back, in order. */
static void
test_versions(void)
{
	static struct stream s;
	const struct nf_codec *const *t;
	size_t n;

	t = nf_codec_table(&n);
	for (size_t i = 0; i < n; i++) {
		const struct nf_codec *c = t[i];
		struct tmpl_cache *tc = tmpl_cache_new(NULL);
		struct flowrec got[NREC];
		struct nf_decode_ctx ctx;
		struct nf_dgram_info info;
		struct nf_batch b;
		struct nf_peek pk;
		bool peek_ok = true, dec_ok = true;
		size_t same = 0;

		if (tc == NULL || !make_stream(&s, c)) {
			tap_ok(false, "%s: stream", c->name);
			continue;
		}
		batch_init(&b, got, NREC);
		ctx_init(&ctx, tc, &b);
		for (size_t d = 0; d < s.nd; d++) {
			size_t before = b.n;
			int rc;

			if (nf_peek(s.dg[d], s.len[d], &pk) != NFE_OK ||
			    pk.codec != c || pk.version != c->version ||
			    pk.domain != (c->encode != NULL ? DOMAIN : 0u) ||
			    !pk.whole || pk.has_seq != (c->version != 1) ||
			    (pk.has_seq && pk.seq != s.seq[d]))
				peek_ok = false;
			rc = pk.codec->decode(s.dg[d], s.len[d], &ctx, &info);
			if (rc != NFE_OK || info.version != c->version ||
			    info.records != s.recs[d] ||
			    b.n - before != s.recs[d])
				dec_ok = false;
		}
		tap_ok(peek_ok, "%s: peek: the table's entry, key and sequence "
		    "of every datagram", c->name);
		tap_ok(dec_ok && b.n == s.nin, "%s: decode through the table: "
		    "%zu datagrams, %zu records into the batch", c->name, s.nd,
		    b.n);
		for (size_t k = 0; k < b.n && k < s.nin; k++)
			if (c->encode == NULL ? addr_v4(&got[k].src) ==
			    (0x0a000000u | (uint32_t)k) &&
			    (c == &nf_codec_sflow ? got[k].packets == 1 &&
			    got[k].bytes == k + 1 : got[k].packets == k + 1) :
			    same_flow(c, &got[k], &s.in[k]))
				same++;
		tap_is_uint(same, s.nin, "records as sent, in order");
		tmpl_cache_free(tc);
	}
}

/* Every proper prefix: peek says OK or TRUNC, decode TRUNC or FORMAT. */
static void
test_truncation(void)
{
	static struct stream s;
	const struct nf_codec *const *t;
	size_t n;

	t = nf_codec_table(&n);
	for (size_t i = 0; i < n; i++) {
		const struct nf_codec *c = t[i];
		struct tmpl_cache *tc = tmpl_cache_new(NULL);
		struct flowrec got[NREC];
		struct nf_decode_ctx ctx;
		struct nf_dgram_info info;
		struct nf_batch b;
		struct nf_peek pk;
		bool clean = true;

		if (tc == NULL || !make_stream(&s, c)) {
			tap_ok(false, "%s: stream", c->name);
			continue;
		}
		ctx_init(&ctx, tc, &b);
		for (size_t d = 0; d < s.nd; d++) {
			/* templates known: the sweep reaches the data */
			batch_init(&b, got, NREC);
			(void)c->decode(s.dg[d], s.len[d], &ctx, &info);
			for (size_t cut = 0; cut < s.len[d]; cut++) {
				int pr = nf_peek(s.dg[d], cut, &pk);
				int rc;

				batch_init(&b, got, NREC);
				rc = c->decode(s.dg[d], cut, &ctx, &info);
				if ((pr != NFE_OK && pr != NFE_TRUNC) ||
				    (pr == NFE_OK && pk.codec != c) ||
				    (rc != NFE_TRUNC && rc != NFE_FORMAT)) {
					tap_diag("%s dgram %zu prefix %zu: "
					    "peek %s, decode %s", c->name, d,
					    cut, nferr_str(pr), nferr_str(rc));
					clean = false;
				}
			}
		}
		tap_ok(clean, "%s: every proper prefix refused by peek and "
		    "decode", c->name);
		tmpl_cache_free(tc);
	}
}

/* v9 and IPFIX: data before its template, decoded later by the table. */
static void
test_held(void)
{
	static struct stream s;
	const struct nf_codec *cs[] = { &nf_codec_v9, &nf_codec_ipfix };

	for (size_t i = 0; i < NF_NELEM(cs); i++) {
		const struct nf_codec *c = cs[i];
		struct tmpl_cache *tc = tmpl_cache_new(NULL);
		struct flowrec got[NREC];
		struct nf_decode_ctx ctx;
		struct nf_dgram_info info;
		struct nf_batch b;
		struct collect col;
		size_t first;
		int rc;

		if (tc == NULL || !make_stream(&s, c) || s.nd < 2) {
			tap_ok(false, "%s: stream of two datagrams", c->name);
			continue;
		}
		/* the second datagram (no templates) comes first */
		collect_ctx(&ctx, &col, tc, EXPORTER);
		ctx.sink = NULL;
		ctx.batch = &b;
		batch_init(&b, got, NREC);
		rc = c->decode(s.dg[1], s.len[1], &ctx, &info);
		tap_ok(rc == NFE_NOTMPL && b.n == 0 && col.nheld >= 1 &&
		    col.held[0].version == c->version &&
		    col.held[0].domain == DOMAIN,
		    "%s: data before its template is handed to notmpl", c->name);
		rc = c->decode(s.dg[0], s.len[0], &ctx, &info);
		first = b.n;
		tap_ok(rc == NFE_OK && first == s.recs[0],
		    "%s: the templates and the first records", c->name);
		for (size_t h = 0; h < col.nheld; h++) {
			struct held_set *hs = &col.held[h];

			rc = c->decode_held(&ctx, hs->domain, hs->template_id,
			    hs->bytes, hs->len, hs->export_ms,
			    hs->sys_uptime_ms, &info);
			if (rc != NFE_OK)
				break;
		}
		tap_ok(rc == NFE_OK && b.n == first + s.recs[1] &&
		    same_flow(c, &got[first], &s.in[first]) &&
		    same_flow(c, &got[b.n - 1], &s.in[b.n - 1]),
		    "%s: held sets decoded by the table's decode_held into the "
		    "batch", c->name);
		tmpl_cache_free(tc);
	}
}

/* What full saw. */
struct fulls {
	size_t		calls;
	size_t		sizes_bad;	/* calls with n != cap */
	size_t		cap;
	int		ret;		/* returned from the first call on */
	struct flowrec	recs[64];
	size_t		n;
};

static int
full_cb(void *arg, struct flowrec *recs, size_t n)
{
	struct fulls *f = arg;

	f->calls++;
	if (n != f->cap)
		f->sizes_bad++;
	for (size_t i = 0; i < n && f->n < NF_NELEM(f->recs); i++)
		f->recs[f->n++] = recs[i];
	return f->ret;
}

static void
test_batch(void)
{
	static struct stream s;
	static struct flowrec v5in[30];
	static struct collect col;
	struct tmpl_cache *tc = tmpl_cache_new(NULL);
	struct nf_decode_ctx ctx;
	struct nf_dgram_info info;
	struct flowrec store[8];
	struct nf_batch b;
	struct fulls f;
	struct nf_enc e;
	uint8_t dg[NF5_MAX_DGRAM];
	size_t len, used, same = 0;
	const struct nf_codec *const *t;
	size_t n;
	bool internal = true, equal = true;
	int rc;

	if (tc == NULL)
		return;
	/* v5: 30 records, batch of 8: three full calls, 6 left */
	for (unsigned i = 0; i < 30; i++)
		sample_flow(&v5in[i], i, 0, NOW_MS);
	nf_codec_v5.enc_init(&e, 1, NOW_MS - 1000);
	nf_codec_v5.encode(&e, NOW_MS, v5in, 30, dg, sizeof(dg), &len, &used);
	memset(&f, 0, sizeof(f));
	f.cap = 8;
	batch_init(&b, store, 8);
	b.full = full_cb;
	b.arg = &f;
	ctx_init(&ctx, tc, &b);
	rc = nf_decode(dg, len, &ctx, &info);
	tap_ok(rc == NFE_OK && info.records == 30 && f.calls == 3 &&
	    f.sizes_bad == 0 && b.n == 6, "batch: full once per 8 records, "
	    "6 left to the caller (%zu calls, %zu left)", f.calls, b.n);
	for (size_t i = 0; i < 6; i++)
		f.recs[f.n++] = store[i];
	for (size_t i = 0; i < 30; i++)
		if (same_flow(&nf_codec_v5, &f.recs[i], &v5in[i]))
			same++;
	tap_is_uint(same, 30, "batch: all 30 in order");

	/* a non-zero full stops the decoder with its value */
	memset(&f, 0, sizeof(f));
	f.cap = 8;
	f.ret = 77;
	batch_init(&b, store, 8);
	b.full = full_cb;
	b.arg = &f;
	rc = nf_decode(dg, len, &ctx, &info);
	tap_ok(rc == 77 && f.calls == 1 && b.n == 0,
	    "batch: full's non-zero return stops the decoder");

	/* no full: the decoder stops at cap, the records stay */
	batch_init(&b, store, 3);
	rc = nf_decode(dg, len, &ctx, &info);
	tap_ok(rc == NFE_LIMIT && b.n == 3 && same_flow(&nf_codec_v5,
	    &store[2], &v5in[2]), "batch: without full, NFE_LIMIT once full");

	/* template versions: the same, across sets and datagrams */
	if (make_stream(&s, &nf_codec_v9)) {
		memset(&f, 0, sizeof(f));
		f.cap = 4;
		batch_init(&b, store, 4);
		b.full = full_cb;
		b.arg = &f;
		for (size_t d = 0; d < s.nd; d++)
			(void)nf_decode(s.dg[d], s.len[d], &ctx, &info);
		for (size_t i = 0; i < b.n; i++)
			f.recs[f.n++] = store[i];
		same = 0;
		for (size_t i = 0; i < f.n && i < s.nin; i++)
			if (same_flow(&nf_codec_v9, &f.recs[i], &s.in[i]))
				same++;
		tap_ok(f.sizes_bad == 0 && f.n == NREC && same == NREC,
		    "batch: v9 records through a batch of 4, in order");
	}

	/* the sink sees what the batch gets; no batch and no sink: refused */
	t = nf_codec_table(&n);
	for (size_t i = 0; i < n; i++) {
		struct tmpl_cache *tc2 = tmpl_cache_new(NULL);
		struct flowrec got[NREC];

		if (tc2 == NULL || !make_stream(&s, t[i]))
			continue;
		batch_init(&b, got, NREC);
		ctx_init(&ctx, tc2, &b);
		for (size_t d = 0; d < s.nd; d++)
			(void)t[i]->decode(s.dg[d], s.len[d], &ctx, &info);
		tmpl_cache_free(tc2);
		tc2 = tmpl_cache_new(NULL);
		collect_ctx(&ctx, &col, tc2, EXPORTER);
		for (size_t d = 0; d < s.nd; d++)
			(void)t[i]->decode(s.dg[d], s.len[d], &ctx, &info);
		if (col.n != b.n)
			equal = false;
		for (size_t k = 0; k < col.n && k < b.n; k++)
			if (!flowrec_equal(&col.recs[k], &got[k]))
				equal = false;
		ctx.sink = NULL;
		ctx.batch = NULL;
		if (t[i]->decode(s.dg[0], s.len[0], &ctx, &info) !=
		    NFE_INTERNAL)
			internal = false;
		batch_init(&b, got, 2);
		b.n = 2;			/* already full */
		ctx.batch = &b;
		if (t[i]->decode(s.dg[0], s.len[0], &ctx, &info) !=
		    NFE_INTERNAL)
			internal = false;
		tmpl_cache_free(tc2);
	}
	tap_ok(equal, "batch: a sink gets the same records as a batch, every "
	    "version");
	tap_ok(internal, "batch: neither batch nor sink, or a full batch: "
	    "NFE_INTERNAL, every version");
	tmpl_cache_free(tc);
}

/* The shared encoder state through the table. */
static void
test_encoders(void)
{
	struct flowrec r[4];
	struct nf_enc e;
	uint8_t dg[NF5_MAX_DGRAM];
	size_t len, used;
	int rc;

	for (unsigned i = 0; i < 4; i++)
		sample_flow(&r[i], i, i == 2, NOW_MS);
	nf_codec_v5.enc_init(&e, 0x0102, NOW_MS - 1000);
	tap_ok(e.max_size == NF_ENC_DEF_SIZE && e.tmpl_pkts ==
	    NF_ENC_DEF_TMPL_PKTS && e.tmpl_ms == NF_ENC_DEF_TMPL_MS &&
	    e.domain == 0x0102 && e.boot_ms == NOW_MS - 1000 && e.seq == 0,
	    "encoder: defaults, domain and boot time");
	e.sampling = 100000;
	tap_ok(!nf_codec_v5.templates_due(&e, NOW_MS), "v5: never templates");
	rc = nf_codec_v5.encode(&e, NOW_MS, r, 4, dg, sizeof(dg), &len, &used);
	tap_ok(rc == NFE_OK && used == 4 && e.skipped == 1 && e.records == 3 &&
	    e.seq == 3 && e.datagrams == 1 && len == NF5_HDR_LEN +
	    3 * NF5_REC_LEN, "v5: the IPv6 record consumed and counted as "
	    "skipped; sequence counts flows");
	tap_ok(dg[20] == 0x01 && dg[21] == 0x02 && dg[22] == 0x7f &&
	    dg[23] == 0xff, "v5: engine type/id from the domain, rate "
	    "clamped to 16383, deterministic");
	rc = nf_codec_v5.encode(&e, NOW_MS, r + 2, 1, dg, sizeof(dg), &len,
	    &used);
	tap_ok(rc == NFE_OK && len == 0 && used == 1 && e.skipped == 2 &&
	    e.datagrams == 1, "v5: only IPv6: nothing to send");

	nf_codec_ipfix.enc_init(&e, 7, NOW_MS - 1000);
	tap_ok(nf_codec_ipfix.templates_due(&e, NOW_MS),
	    "IPFIX: templates due first");
	rc = nf_codec_ipfix.encode(&e, NOW_MS, r, 4, dg, sizeof(dg), &len,
	    &used);
	tap_ok(rc == NFE_OK && used == 4 && !nf_codec_ipfix.templates_due(&e,
	    NOW_MS + 1) && nf_codec_ipfix.templates_due(&e, NOW_MS +
	    NF_ENC_DEF_TMPL_MS) && nf_codec_ipfix.templates_due(&e,
	    NOW_MS - 1), "IPFIX: then after tmpl_ms, or a clock gone back");
	nf_enc_force_templates(&e);
	tap_ok(nf_codec_ipfix.templates_due(&e, NOW_MS + 1),
	    "IPFIX: forced");
	nf_codec_v9.enc_init(&e, 7, NOW_MS - 1000);
	e.tmpl_pkts = 2;
	for (int i = 0; i < 2; i++)
		(void)nf_codec_v9.encode(&e, NOW_MS, r, 1, dg, sizeof(dg),
		    &len, &used);
	tap_ok(nf_codec_v9.templates_due(&e, NOW_MS) && e.seq == 2 &&
	    e.records == 2, "v9: due again after tmpl_pkts datagrams");
}

/* The extra fields flowprobe -x names, in the order it sends them. */
static const struct {
	unsigned	fld;
	uint16_t	ie, len;
	uint8_t		af;
} extras[] = {
	{ FLD_IN_SRC_MAC, 56, 6, 0 }, { FLD_IN_DST_MAC, 80, 6, 0 },
	{ FLD_VLAN_PRIO, 244, 1, 0 }, { FLD_SRC_CVLAN, 245, 2, 0 },
	{ FLD_MIN_TTL, 52, 1, 0 }, { FLD_MAX_TTL, 53, 1, 0 },
	{ FLD_FLOW_LABEL, 31, 4, 6 }, { FLD_MPLS1, 70, 3, 0 },
	{ FLD_MPLS2, 71, 3, 0 }, { FLD_MPLS3, 72, 3, 0 },
};

static void
test_extra_fields(void)
{
	const struct nf_codec *const codecs[] = { &nf_codec_v9,
	    &nf_codec_ipfix };
	struct tf_spec sp;
	bool ok = true;

	for (size_t i = 0; i < NF_NELEM(extras); i++)
		if (tf_spec_of_field(extras[i].fld, 4, &sp) != NFE_OK ||
		    sp.id != extras[i].ie || sp.len != extras[i].len) {
			tap_diag("field %u: element %u/%u", extras[i].fld,
			    sp.id, sp.len);
			ok = false;
		}
	tap_ok(ok, "extras: each field's element and IANA length from the "
	    "catalogue");
	tap_ok(tf_spec_of_field(FLD_SRC_VLAN, 4, &sp) == NFE_OK &&
	    sp.id == 58 && sp.len == 2 && tf_spec_of_field(FLD_NAT_SRC, 6,
	    &sp) == NFE_OK && sp.id == 281 && sp.len == 16 &&
	    tf_spec_of_field(FLD_NAT_SRC, 4, &sp) == NFE_OK && sp.id == 225,
	    "extras: the best-ranked element; addresses by family");
	tap_ok(tf_spec_of_field(FLD_APP_NAME, 4, &sp) == NFE_UNSUPP &&
	    tf_spec_of_field(FLD_DURATION, 4, &sp) == NFE_UNSUPP &&
	    tf_spec_of_field(FLD_FLOWS, 4, &sp) == NFE_UNSUPP,
	    "extras: no element for a string, a computed or an unbound field");

	for (size_t c = 0; c < NF_NELEM(codecs); c++) {
		struct tmpl_cache *tc = tmpl_cache_new(NULL);
		struct flowrec in[4], got[4];
		struct nf_decode_ctx ctx;
		struct nf_dgram_info info;
		struct nf_batch b;
		struct nf_enc e;
		uint8_t dg[1500], plain[1500];
		size_t len, plen, used, same = 0;
		int rc;

		for (unsigned j = 0; j < 4; j++) {
			sample_flow(&in[j], j, j >= 2, NOW_MS);
			in[j].in_src_mac = UINT64_C(0x020000000010) + j;
			in[j].in_dst_mac = UINT64_C(0xfeedfacecafe) - j;
			in[j].vlan_prio = (uint8_t)(j + 3);
			in[j].src_cvlan = (uint16_t)(4000 + j);
			in[j].min_ttl = (uint8_t)(10 + j);
			in[j].max_ttl = 255;
			if (in[j].af == 6)
				in[j].flow_label = 0xfffff - j;
			in[j].mpls1 = 0x012c7 + (j << 8);
			in[j].mpls2 = 0xfffff0 + j * 2;
			in[j].mpls3 = j == 3 ? 0x000641 : 0;
		}
		codecs[c]->enc_init(&e, DOMAIN, NOW_MS - 1000);
		(void)codecs[c]->encode(&e, NOW_MS, in, 4, plain,
		    sizeof(plain), &plen, &used);
		codecs[c]->enc_init(&e, DOMAIN, NOW_MS - 1000);
		for (size_t i = 0; i < NF_NELEM(extras); i++) {
			e.extra[i].fld = (uint16_t)extras[i].fld;
			e.extra[i].af = extras[i].af;
		}
		e.nextra = NF_NELEM(extras);
		rc = codecs[c]->encode(&e, NOW_MS, in, 4, dg, sizeof(dg), &len,
		    &used);
		/*
		 * 9 + 10 (flow label: IPv6 only) more specifiers, 2 records
		 * of 26 more bytes and 2 of 30
		 */
		tap_ok(rc == NFE_OK && used == 4 && len == plen + 4 * 19 +
		    2 * 26 + 2 * 30, "%s: extras: 4 records, %zu bytes (%zu "
		    "without)", codecs[c]->name, len, plen);
		batch_init(&b, got, 4);
		ctx_init(&ctx, tc, &b);
		tap_ok(codecs[c]->decode(dg, len, &ctx, &info) == NFE_OK &&
		    b.n == 4, "%s: extras: decoded", codecs[c]->name);
		for (size_t j = 0; j < b.n; j++)
			if (flowrec_equal(&got[j], &in[j]))
				same++;
		tap_is_uint(same, 4, "extras: every field as sent");
		tmpl_cache_free(tc);
	}
}

int
main(void)
{
	tap_no_plan();
	test_table();
	test_peek();
	test_versions();
	test_truncation();
	test_held();
	test_batch();
	test_encoders();
	test_extra_fields();
	return tap_done();
}
