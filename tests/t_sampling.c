/*
 * tests/t_sampling.c -- the sampling rule table (common/codec/sampling.c):
 * every rule of flowcapd(8) "Sampling" from element bytes as they come
 * off the wire (reduced-size integers, float64 and float32
 * probabilities), hostile values (zero size, zero or NaN probability,
 * rates past 32 bits, unknown algorithms), the option state that keeps
 * per-sampler rates (tmpl_opts_update with has_sampling, opts_changed,
 * tmpl_opts_rate_unknown), and the decoder's waiting for a sampler's
 * rate: an IPFIX data set naming an unannounced selectorId is offered
 * to ctx->norate, kept while it waits and decoded without a rate only
 * when told it waited long enough (ctx->rate_final).
 */
#include "common/base/compat.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "common/base/addr.h"
#include "common/base/buf.h"
#include "common/base/nferr.h"
#include "common/codec/ie.h"
#include "common/codec/ipfix.h"
#include "common/codec/sampling.h"
#include "common/codec/tmpl.h"
#include "tap.h"

/* One element as it is on the wire: id, length, big-endian value. */
struct el {
	uint16_t	id;
	uint8_t		len;
	uint64_t	v;	/* integer, or the bits of a float */
};

#define END	{ 0, 0, 0 }

static struct samp_result
run(const struct el *e)
{
	struct samp_fields f;
	uint8_t b[8];

	memset(&f, 0, sizeof(f));
	for (; e->id != 0; e++) {
		for (int i = 0; i < e->len; i++)
			b[i] = (uint8_t)(e->v >> (8 * (e->len - 1 - i)));
		samp_collect(&f, e->id, b, e->len);
	}
	return samp_rate(&f);
}

static uint64_t
f64(double d)
{
	uint64_t v;

	memcpy(&v, &d, sizeof(v));
	return v;
}

static uint64_t
f32(float d)
{
	uint32_t v;

	memcpy(&v, &d, sizeof(v));
	return v;
}

struct rule {
	const char	*name;
	struct el	 e[8];
	enum samp_verdict verdict;
	uint32_t	 rate;
	enum samp_why	 why;
};

static const struct rule rules[] = {
	/* an IOS-XR random sampler, as a router sends it */
	{ "IOS-XR: 304=3 309=1 310=256 305=1 -> 256",
	    { { 302, 8, 1 }, { 304, 2, 3 }, { 309, 4, 1 }, { 310, 4, 256 },
	      { 305, 4, 1 }, END }, SAMP_RATE, 256, SW_OK },
	{ "n-out-of-N 304=3 309=10 310=1000 -> 100",
	    { { 304, 1, 3 }, { 309, 2, 10 }, { 310, 2, 1000 }, END },
	    SAMP_RATE, 100, SW_OK },
	{ "n-out-of-N rounds half up: 3 of 10 -> 3",
	    { { 304, 2, 3 }, { 309, 4, 3 }, { 310, 4, 10 }, END },
	    SAMP_RATE, 3, SW_OK },
	{ "n-out-of-N 2 of 5 -> 3 (2.5 rounds up)",
	    { { 304, 2, 3 }, { 309, 4, 2 }, { 310, 4, 5 }, END },
	    SAMP_RATE, 3, SW_OK },
	{ "n-out-of-N size = population -> 1",
	    { { 304, 2, 3 }, { 309, 4, 7 }, { 310, 4, 7 }, END },
	    SAMP_RATE, 1, SW_OK },
	{ "count-based 304=1 305=1 306=99 -> 100",
	    { { 304, 2, 1 }, { 305, 4, 1 }, { 306, 4, 99 }, END },
	    SAMP_RATE, 100, SW_OK },
	{ "count-based 305=4 306=6 -> 3 (2.5 rounds up)",
	    { { 304, 2, 1 }, { 305, 4, 4 }, { 306, 4, 6 }, END },
	    SAMP_RATE, 3, SW_OK },
	{ "count-based without 306: every packet -> 1",
	    { { 304, 2, 1 }, { 305, 4, 5 }, END }, SAMP_RATE, 1, SW_OK },
	{ "probabilistic 304=4 311=0.01 (float64) -> 100",
	    { { 304, 2, 4 }, { 311, 8, 0 }, END }, SAMP_RATE, 100, SW_OK },
	{ "probabilistic 311=0.25 as float32 -> 4",
	    { { 304, 2, 4 }, { 311, 4, 0 }, END }, SAMP_RATE, 4, SW_OK },
	{ "probabilistic 311=1 -> 1",
	    { { 304, 2, 4 }, { 311, 8, 0 }, END }, SAMP_RATE, 1, SW_OK },
	{ "no 304: 309+310 win over 305 -> 256",
	    { { 305, 4, 1 }, { 309, 4, 1 }, { 310, 4, 256 }, END },
	    SAMP_RATE, 256, SW_OK },
	{ "no 304: 305/306 -> 50",
	    { { 305, 4, 1 }, { 306, 4, 49 }, END }, SAMP_RATE, 50, SW_OK },
	{ "no 304: 311 alone -> 8",
	    { { 311, 8, 0 }, END }, SAMP_RATE, 8, SW_OK },
	{ "v9 34=100 35=2 -> 100",
	    { { 34, 4, 100 }, { 35, 1, 2 }, END }, SAMP_RATE, 100, SW_OK },
	{ "v9 48=3 49=2 50=64 -> 64",
	    { { 48, 1, 3 }, { 49, 1, 2 }, { 50, 4, 64 }, END },
	    SAMP_RATE, 64, SW_OK },
	{ "34 and 50: 50 wins",
	    { { 34, 4, 10 }, { 50, 4, 20 }, END }, SAMP_RATE, 20, SW_OK },
	{ "304=3 without 309/310 falls back to 34",
	    { { 304, 2, 3 }, { 34, 4, 32 }, END }, SAMP_RATE, 32, SW_OK },
	{ "34=0: no rate, not an error",
	    { { 34, 4, 0 }, END }, SAMP_NORATE, 0, SW_INTERVAL_ZERO },
	{ "time-based 304=2: no packet rate",
	    { { 304, 2, 2 }, { 307, 4, 1000 }, { 308, 4, 9000 }, END },
	    SAMP_NORATE, 0, SW_TIME_BASED },
	{ "307/308 without 304: time-based",
	    { { 307, 4, 1000 }, { 308, 4, 9000 }, END },
	    SAMP_NORATE, 0, SW_TIME_BASED },
	{ "property match 304=5: filtering, no rate",
	    { { 304, 2, 5 }, END }, SAMP_NORATE, 0, SW_FILTERING },
	{ "hash-based 304=6: filtering, no rate even with 305",
	    { { 304, 2, 6 }, { 305, 4, 1 }, { 306, 4, 9 }, END },
	    SAMP_NORATE, 0, SW_FILTERING },
	{ "hash-based 304=8, flow-state 304=9 alike",
	    { { 304, 2, 9 }, END }, SAMP_NORATE, 0, SW_FILTERING },
	{ "35 / 49 alone say nothing",
	    { { 35, 1, 1 }, { 49, 1, 2 }, END }, SAMP_NONE, 0, SW_OK },
	{ "a sampler id alone says nothing",
	    { { 302, 4, 5 }, END }, SAMP_NONE, 0, SW_OK },
	/* hostile values */
	{ "hostile: samplingSize 0",
	    { { 304, 2, 3 }, { 309, 4, 0 }, { 310, 4, 256 }, END },
	    SAMP_BAD, 0, SW_SIZE_ZERO },
	{ "hostile: samplingPopulation 0",
	    { { 304, 2, 3 }, { 309, 4, 1 }, { 310, 4, 0 }, END },
	    SAMP_BAD, 0, SW_POP_ZERO },
	{ "hostile: population below size",
	    { { 309, 4, 10 }, { 310, 4, 9 }, END },
	    SAMP_BAD, 0, SW_POP_BELOW_SIZE },
	{ "hostile: samplingPacketInterval 0",
	    { { 304, 2, 1 }, { 305, 4, 0 }, { 306, 4, 99 }, END },
	    SAMP_BAD, 0, SW_PKT_IV_ZERO },
	{ "hostile: rate 2^32 (305=1, 306=2^32-1)",
	    { { 305, 4, 1 }, { 306, 4, UINT32_MAX }, END },
	    SAMP_BAD, 0, SW_RATE_RANGE },
	{ "hostile: 8-byte 309/310 saturate, no wrap",
	    { { 309, 8, UINT64_MAX }, { 310, 8, 1 }, END },
	    SAMP_BAD, 0, SW_POP_BELOW_SIZE },
	{ "hostile: samplingProbability 0",
	    { { 304, 2, 4 }, { 311, 8, 0 }, END },
	    SAMP_BAD, 0, SW_PROB_RANGE },
	{ "hostile: samplingProbability 2",
	    { { 311, 8, 0 }, END }, SAMP_BAD, 0, SW_PROB_RANGE },
	{ "hostile: samplingProbability NaN",
	    { { 311, 8, 0 }, END }, SAMP_BAD, 0, SW_PROB_RANGE },
	{ "hostile: samplingProbability -0.5",
	    { { 311, 8, 0 }, END }, SAMP_BAD, 0, SW_PROB_RANGE },
	{ "hostile: samplingProbability 1e-300 (rate past 32 bits)",
	    { { 311, 8, 0 }, END }, SAMP_BAD, 0, SW_RATE_RANGE },
	{ "hostile: selectorAlgorithm 0",
	    { { 304, 2, 0 }, { 305, 4, 1 }, END }, SAMP_BAD, 0, SW_UNKNOWN_ALG },
	{ "hostile: selectorAlgorithm 65535",
	    { { 304, 2, 65535 }, END }, SAMP_BAD, 0, SW_UNKNOWN_ALG },
	{ "hostile: 304=4 without 311 or 34",
	    { { 304, 2, 4 }, END }, SAMP_BAD, 0, SW_INCOMPLETE },
	{ "hostile: 306 alone",
	    { { 306, 4, 9 }, END }, SAMP_BAD, 0, SW_INCOMPLETE },
	{ "hostile: 310 alone",
	    { { 310, 4, 9 }, END }, SAMP_BAD, 0, SW_INCOMPLETE },
	{ "odd lengths ignored: 311 in 2 bytes",
	    { { 305, 4, 1 }, { 311, 2, 1 }, END }, SAMP_RATE, 1, SW_OK },
};

/* Float values of the rules above, patched in by index. */
static void
patch_floats(struct rule *r, size_t n)
{
	for (size_t i = 0; i < n; i++)
		for (struct el *e = r[i].e; e->id != 0; e++) {
			if (e->id != 311 || e->len < 4)
				continue;
			if (strstr(r[i].name, "0.01"))
				e->v = f64(0.01);
			else if (strstr(r[i].name, "0.25"))
				e->v = f32(0.25f);
			else if (strstr(r[i].name, "311=1 "))
				e->v = f64(1.0);
			else if (strstr(r[i].name, "alone -> 8"))
				e->v = f64(0.125);
			else if (strstr(r[i].name, "Probability 0"))
				e->v = f64(0.0);
			else if (strstr(r[i].name, "Probability 2"))
				e->v = f64(2.0);
			else if (strstr(r[i].name, "NaN"))
				e->v = f64(NAN);
			else if (strstr(r[i].name, "-0.5"))
				e->v = f64(-0.5);
			else if (strstr(r[i].name, "1e-300"))
				e->v = f64(1e-300);
		}
}

static void
test_rules(void)
{
	struct rule r[sizeof(rules) / sizeof(rules[0])];
	size_t n = sizeof(rules) / sizeof(rules[0]);

	memcpy(r, rules, sizeof(r));
	patch_floats(r, n);
	for (size_t i = 0; i < n; i++) {
		struct samp_result got = run(r[i].e);

		if (!tap_ok(got.verdict == r[i].verdict &&
		    got.rate == r[i].rate && got.why == r[i].why, "%s",
		    r[i].name))
			tap_diag("got verdict %d rate %u why %d (%s)",
			    (int)got.verdict, got.rate, (int)got.why,
			    samp_why_str(got.why));
	}
}

static void
test_ids_and_text(void)
{
	struct el both[] = { { 48, 1, 7 }, { 302, 4, 9 }, END };
	struct el v9[] = { { 48, 2, 300 }, END };
	struct samp_fields f;
	uint64_t id = 0;
	uint8_t b[8];

	memset(&f, 0, sizeof(f));
	for (struct el *e = both; e->id != 0; e++) {
		for (int i = 0; i < e->len; i++)
			b[i] = (uint8_t)(e->v >> (8 * (e->len - 1 - i)));
		samp_collect(&f, e->id, b, e->len);
	}
	tap_ok(samp_id(&f, &id) && id == 9, "selectorId wins over samplerId");
	memset(&f, 0, sizeof(f));
	b[0] = 1;
	b[1] = 44;
	samp_collect(&f, v9[0].id, b, 2);
	tap_ok(samp_id(&f, &id) && id == 300, "samplerId alone (2 bytes)");
	memset(&f, 0, sizeof(f));
	tap_ok(!samp_id(&f, &id), "no sampler id");
	tap_ok(!samp_is_field(IE_OCTET_DELTA_COUNT) && samp_is_field(311) &&
	    samp_is_field(48) && samp_is_field(35), "samp_is_field");
	tap_is_str(samp_alg_str(3), "random n-out-of-N", "algorithm name");
	tap_is_str(samp_alg_str(700), "unassigned algorithm",
	    "unassigned algorithm name");
	tap_is_str(samp_why_str(SW_SIZE_ZERO), "samplingSize is 0",
	    "reason text");
}

static struct tmpl_key
key(uint32_t domain)
{
	struct tmpl_key k;

	memset(&k, 0, sizeof(k));
	addr_from_v4(&k.exporter, 0x7f000001);
	k.version = 10;
	k.domain = domain;
	return k;
}

static void
test_state(void)
{
	struct tmpl_cache *c = tmpl_cache_new(NULL);
	struct tmpl_key k = key(1);
	struct tmpl_opts u;
	struct tmpl_stats st;
	const struct tmpl_opts *o;

	tap_ok(tmpl_opts_rate_unknown(NULL, 5), "nothing known: sampler 5 "
	    "must wait");
	memset(&u, 0, sizeof(u));
	u.samplers[0].id = 5;
	u.samplers[0].rate = 256;
	u.nsamplers = 1;
	tmpl_opts_update(c, &k, &u);
	o = tmpl_opts_get(c, &k);
	tap_ok(tmpl_opts_rate(o, true, 5) == 256 &&
	    !tmpl_opts_rate_unknown(o, 5) && tmpl_opts_rate_unknown(o, 6),
	    "sampler 5 known at 256, sampler 6 unknown");
	tmpl_get_stats(c, &st);
	tap_is_uint(st.opts_changed, 1, "new state counts as a change");
	tmpl_opts_update(c, &k, &u);
	tmpl_get_stats(c, &st);
	tap_is_uint(st.opts_changed, 1, "the same announcement again: no "
	    "change (nothing to save)");
	u.samplers[0].rate = 0;		/* e.g. now time-based */
	tmpl_opts_update(c, &k, &u);
	o = tmpl_opts_get(c, &k);
	tmpl_get_stats(c, &st);
	tap_ok(st.opts_changed == 2 && tmpl_opts_rate(o, true, 5) == 0 &&
	    !tmpl_opts_rate_unknown(o, 5), "sampler 5 now rate-less, still "
	    "known (no waiting)");
	memset(&u, 0, sizeof(u));
	u.sampling = 64;
	tmpl_opts_update(c, &k, &u);
	o = tmpl_opts_get(c, &k);
	tap_ok(tmpl_opts_rate(o, true, 5) == 0 &&
	    tmpl_opts_rate(o, true, 6) == 64 && !tmpl_opts_rate_unknown(o, 6),
	    "domain rate: unknown samplers fall back to it, a rate-less "
	    "known one does not");
	memset(&u, 0, sizeof(u));
	tmpl_opts_update(c, &k, &u);
	o = tmpl_opts_get(c, &k);
	tap_is_uint(o->sampling, 64, "an update without sampling keeps it");
	u.has_sampling = true;
	tmpl_opts_update(c, &k, &u);
	o = tmpl_opts_get(c, &k);
	tap_is_uint(o->sampling, 0, "has_sampling with 0 clears it (no "
	    "usable rate announced)");
	tmpl_cache_free(c);
}

/* ---- the decoder waiting for a rate (IPFIX, hand-built) ---- */

struct held {
	uint8_t		set[512];
	size_t		len;
	uint16_t	tid;
	int		offered;
	bool		keep;
	uint32_t	rates[16];
	size_t		n;
};

static int
sink(void *arg, const struct flowrec *rec)
{
	struct held *h = arg;

	if (h->n < 16)
		h->rates[h->n] = rec->sampling;
	h->n++;
	return 0;
}

static bool
norate(void *arg, uint16_t version, uint32_t domain, uint16_t tid,
    const uint8_t *set, size_t len, uint64_t export_ms, uint32_t up)
{
	struct held *h = arg;

	(void)version;
	(void)domain;
	(void)export_ms;
	(void)up;
	h->offered++;
	if (!h->keep || len > sizeof(h->set))
		return false;
	memcpy(h->set, set, len);
	h->len = len;
	h->tid = tid;
	return true;
}

static size_t
msg_begin(struct wbuf *w)
{
	wbuf_be16(w, 10);
	wbuf_be16(w, 0);		/* length, patched */
	wbuf_be32(w, 1795420800);
	wbuf_be32(w, 0);
	wbuf_be32(w, 1);		/* domain */
	return 0;
}

static size_t
msg_end(struct wbuf *w)
{
	wbuf_patch_be16(w, 2, (uint16_t)wbuf_len(w));
	return wbuf_len(w);
}

/* Template 300: sourceIPv4Address, packetDeltaCount(4), selectorId(4). */
static void
put_data_template(struct wbuf *w)
{
	wbuf_be16(w, 2);
	wbuf_be16(w, 4 + 4 + 12);
	wbuf_be16(w, 300);
	wbuf_be16(w, 3);
	wbuf_be16(w, 8);
	wbuf_be16(w, 4);
	wbuf_be16(w, 2);
	wbuf_be16(w, 4);
	wbuf_be16(w, 302);
	wbuf_be16(w, 4);
}

/* Data records naming the given selector ids, 10 packets each. */
static void
put_data(struct wbuf *w, const uint32_t *sel, size_t n)
{
	wbuf_be16(w, 300);
	wbuf_be16(w, (uint16_t)(4 + 12 * n));
	for (size_t i = 0; i < n; i++) {
		wbuf_be32(w, 0x0a000001 + (uint32_t)i);
		wbuf_be32(w, 10);
		wbuf_be32(w, sel[i]);
	}
}

/* Options template 301 + a record: selector sel is n-out-of-N 1/pop. */
static void
put_sampler(struct wbuf *w, uint32_t sel, uint32_t pop)
{
	wbuf_be16(w, 3);
	wbuf_be16(w, 4 + 6 + 4 * 4 + 2);
	wbuf_be16(w, 301);
	wbuf_be16(w, 4);
	wbuf_be16(w, 1);
	wbuf_be16(w, 302);
	wbuf_be16(w, 4);
	wbuf_be16(w, 304);
	wbuf_be16(w, 2);
	wbuf_be16(w, 309);
	wbuf_be16(w, 4);
	wbuf_be16(w, 310);
	wbuf_be16(w, 4);
	wbuf_be16(w, 0);		/* padding */
	wbuf_be16(w, 301);
	wbuf_be16(w, 4 + 14 + 2);
	wbuf_be32(w, sel);
	wbuf_be16(w, 3);
	wbuf_be32(w, 1);
	wbuf_be32(w, pop);
	wbuf_be16(w, 0);		/* padding */
}

static void
test_wait(void)
{
	static const uint32_t sel[] = { 1, 2, 1 };
	struct tmpl_cache *c = tmpl_cache_new(NULL);
	struct nf_decode_ctx ctx;
	struct nf_dgram_info info;
	struct held h;
	uint8_t buf[1024];
	struct wbuf w;
	size_t len;
	int r;

	memset(&h, 0, sizeof(h));
	memset(&ctx, 0, sizeof(ctx));
	addr_from_v4(&ctx.exporter, 0x7f000001);
	ctx.tmpl = c;
	ctx.sink = sink;
	ctx.arg = &h;
	ctx.norate = norate;
	h.keep = true;

	/* sampler 1 known (1/256), sampler 2 not: data 1, 2, 1 */
	wbuf_init(&w, buf, sizeof(buf));
	msg_begin(&w);
	put_data_template(&w);
	put_sampler(&w, 1, 256);
	put_data(&w, sel, 3);
	len = msg_end(&w);
	r = ipfix_decode(buf, len, &ctx, &info);
	tap_ok(r == NFE_OK && h.n == 1 && h.rates[0] == 256 && h.offered == 1 &&
	    info.rate_held == 1 && info.rate_held_records == 2 &&
	    info.seq_step == 4 && h.len == 24 && h.tid == 300,
	    "first record stored at 256; from the one naming unannounced "
	    "sampler 2 on, the set is held (2 records, counted in the "
	    "sequence step)");
	r = ipfix_decode_held(&ctx, 1, h.tid, h.set, h.len, 0, 0, &info);
	tap_ok(r == NFE_NOTMPL && h.n == 1, "held retry while sampler 2 is "
	    "still unknown: kept whole, nothing stored");
	wbuf_init(&w, buf, sizeof(buf));
	msg_begin(&w);
	put_sampler(&w, 2, 1000);
	len = msg_end(&w);
	r = ipfix_decode(buf, len, &ctx, &info);
	tap_ok(r == NFE_OK && info.sampling == 1000, "sampler 2 announced "
	    "1/1000 later");
	r = ipfix_decode_held(&ctx, 1, h.tid, h.set, h.len, 0, 0, &info);
	tap_ok(r == NFE_OK && h.n == 3 && h.rates[1] == 1000 &&
	    h.rates[2] == 256, "held records decoded with their samplers' "
	    "rates (1000, 256)");

	/* sampler 3 never announced: final decode without a rate */
	{
		static const uint32_t s3[] = { 3 };

		wbuf_init(&w, buf, sizeof(buf));
		msg_begin(&w);
		put_data(&w, s3, 1);
		len = msg_end(&w);
	}
	h.n = 0;
	r = ipfix_decode(buf, len, &ctx, &info);
	tap_ok(r == NFE_OK && h.n == 0 && info.rate_held == 1,
	    "sampler 3 unknown: held");
	ctx.rate_final = true;
	r = ipfix_decode_held(&ctx, 1, h.tid, h.set, h.len, 0, 0, &info);
	ctx.rate_final = false;
	tap_ok(r == NFE_OK && h.n == 1 && h.rates[0] == 0, "waited long "
	    "enough: stored without a rate, never dropped");
	h.offered = 0;
	r = ipfix_decode(buf, len, &ctx, &info);
	tap_ok(r == NFE_OK && h.n == 2 && h.offered == 0 && info.rate_held == 0,
	    "sampler 3 is now known as rate-less: its next records are not "
	    "held again");

	/* no room to hold: decoded at once */
	{
		static const uint32_t s4[] = { 4, 4 };

		wbuf_init(&w, buf, sizeof(buf));
		msg_begin(&w);
		put_data(&w, s4, 2);
		len = msg_end(&w);
	}
	h.keep = false;
	h.n = 0;
	h.offered = 0;
	r = ipfix_decode(buf, len, &ctx, &info);
	tap_ok(r == NFE_OK && h.n == 2 && h.offered == 1 && info.rate_held == 0,
	    "hold refused: both records stored now, offered once");

	/* nonsense announcement: counted, noted, no rate */
	wbuf_init(&w, buf, sizeof(buf));
	msg_begin(&w);
	put_sampler(&w, 1, 0);
	len = msg_end(&w);
	r = ipfix_decode(buf, len, &ctx, &info);
	tap_ok(r == NFE_OK && info.samp_bad == 1 && info.sampling == 0 &&
	    info.samp_bad_first.why == SW_POP_ZERO &&
	    info.samp_bad_first.has_id && info.samp_bad_first.id == 1 &&
	    info.samp_bad_first.algorithm == 3, "samplingPopulation 0 for "
	    "sampler 1: counted with its reason");
	{
		static const uint32_t s1[] = { 1 };

		wbuf_init(&w, buf, sizeof(buf));
		msg_begin(&w);
		put_data(&w, s1, 1);
		len = msg_end(&w);
	}
	h.n = 0;
	r = ipfix_decode(buf, len, &ctx, &info);
	tap_ok(r == NFE_OK && h.n == 1 && h.rates[0] == 0, "sampler 1's old "
	    "rate 256 no longer applies: no scale-up");
	tmpl_cache_free(c);
}

int
main(void)
{
	tap_no_plan();
	test_rules();
	test_ids_and_text();
	test_state();
	test_wait();
	return tap_done();
}
