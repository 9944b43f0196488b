/*
 * tests/t_colmask.c -- the decoders' column sets (struct nf_batch cols,
 * nf_out_cols()) and the writer that trusts them (fcol_put_cols(),
 * ffile_writer_add_cols()).
 *
 * The contract: a decoder names every column in which a record it
 * wrote may hold a value other than the field's default, and the
 * writer then neither copies nor scans the others.  Checked here:
 * - every record NetFlow v9 (two templates, with and without ~30 of
 *   the newer fields) and v5 decode to holds its default in every
 *   column outside the batch's set;
 * - a v9 stream whose blocks have the newer fields nowhere, from the
 *   middle on, throughout, and in a column that stays at its default,
 *   written through ffile_writer_add_cols() with the decoder's sets,
 *   is byte for byte the file ffile_writer_add() (every column
 *   scanned, the writer as it was before the sets) makes of it; a
 *   writer told only the legacy columns makes a different file (so the
 *   comparison can fail);
 * - fcol_put_cols() on its own: earlier rows of a column a block gains
 *   read as the default, a column outside the set is not in the mask
 *   and not wanted, one in the set but all default is not wanted.
 */
#include "common/base/compat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/base/buf.h"
#include "common/base/fields.h"
#include "common/base/nferr.h"
#include "common/codec/nfdecode.h"
#include "common/codec/tfield.h"
#include "common/codec/tmpl.h"
#include "common/ffile/fcol.h"
#include "common/ffile/ffile.h"
#include "ffgen.h"
#include "tap.h"

#define T0		UINT64_C(1700000000000)
#define NREC		3000		/* records in the v9 stream */
#define PER_DGRAM	20		/* records per data set */
#define BRECS		100		/* records per block */
#define BATCH		16		/* the decoder's batch */

/* The fields of template 256 (legacy only) and 257 (and newer ones). */
static const struct tf_spec legacy_f[] = {
	{ 152, 8 }, { 153, 8 }, { 8, 4 }, { 12, 4 }, { 7, 2 }, { 11, 2 },
	{ 4, 1 }, { 6, 1 }, { 5, 1 }, { 2, 8 }, { 1, 8 }, { 10, 4 },
	{ 14, 4 },
};
static const struct tf_spec rich_f[] = {
	{ 152, 8 }, { 153, 8 }, { 8, 4 }, { 12, 4 }, { 7, 2 }, { 11, 2 },
	{ 4, 1 }, { 6, 1 }, { 5, 1 }, { 2, 8 }, { 1, 8 }, { 10, 4 },
	{ 14, 4 },
	/* newer fields: MACs, MPLS, VRFs, forwarding status, TTLs, flow
	   label, VLANs, NAT, BGP next hop, out counters, a name */
	{ 56, 6 }, { 57, 6 }, { 80, 6 }, { 81, 6 }, { 70, 3 }, { 71, 3 },
	{ 72, 3 }, { 234, 4 }, { 235, 4 }, { 89, 1 }, { 52, 1 }, { 53, 1 },
	{ 31, 4 }, { 245, 2 }, { 254, 2 }, { 244, 1 }, { 225, 4 },
	{ 226, 4 }, { 227, 2 }, { 228, 2 }, { 230, 1 }, { 18, 4 },
	{ 23, 8 }, { 24, 8 }, { 96, 16 },
};
static const struct tf_tmpl legacy_t = { 256, legacy_f,
	sizeof(legacy_f) / sizeof(legacy_f[0]) };
static const struct tf_tmpl rich_t = { 257, rich_f,
	sizeof(rich_f) / sizeof(rich_f[0]) };

static struct flowrec recs[NREC];
static uint64_t rs = 42;

static uint32_t
rnd(void)
{
	rs = rs * 6364136223846793005ULL + 1442695040888963407ULL;
	return (uint32_t)(rs >> 33);
}

/*
 * The stream, in segments of records: legacy template only; then the
 * rich one with every newer field 0 but the MACs; then all of them,
 * some records with zeros; then legacy again.  Blocks of BRECS
 * therefore lack the newer columns, gain them in the middle, have them
 * throughout, and have columns that are present but all default.
 */
static bool
is_rich(size_t i)
{
	return (i >= 730 && i < 1400) || (i >= 1830 && i < 2600);
}

static void
make_records(void)
{
	static const char *apps[] = { "http", "dns", "ssh" };

	for (size_t i = 0; i < NREC; i++) {
		struct flowrec *r = &recs[i];
		bool all = i >= 1000;

		flowrec_init(r);
		r->first_ms = T0 + i * 10;
		r->last_ms = r->first_ms + rnd() % 5000;
		addr_from_v4(&r->src, 0x0a000000 | (rnd() % 5000));
		addr_from_v4(&r->dst, 0xc0a80000 | (rnd() % 300));
		r->src_port = (uint16_t)rnd();
		r->dst_port = (uint16_t)(rnd() % 1024);
		r->proto = (rnd() & 1) ? 6 : 17;
		r->tcp_flags = (uint8_t)rnd();
		r->tos = (uint8_t)(rnd() % 4);
		r->packets = 1 + rnd() % 100;
		r->bytes = r->packets * (40 + rnd() % 1400);
		r->in_if = rnd() % 8;
		r->out_if = rnd() % 8;
		if (!is_rich(i))
			continue;
		r->in_src_mac = 0x001122000000ULL | (rnd() & 0xffffff);
		r->in_dst_mac = 0x00aabb000000ULL | (rnd() & 0xffffff);
		if (!all || rnd() % 4 == 0)
			continue;		/* the rest at their defaults */
		r->out_src_mac = rnd() & 0xffffff;
		r->out_dst_mac = rnd() & 0xffffff;
		r->mpls1 = (rnd() & 0xfffff) << 4 | 1;
		r->mpls2 = rnd() & 0xffffff;
		r->in_vrf = rnd() % 3;
		r->out_vrf = rnd() % 3;
		r->fwd_status = 64;
		r->min_ttl = (uint8_t)rnd();
		r->max_ttl = (uint8_t)rnd();
		r->flow_label = rnd() & 0xfffff;
		r->src_cvlan = (uint16_t)(rnd() % 4096);
		r->vlan_prio = (uint8_t)(rnd() % 8);
		addr_from_v4(&r->nat_src, 0x64400000 | (rnd() % 100));
		r->nat_src_port = (uint16_t)rnd();
		r->nat_event = (uint8_t)(rnd() % 3);
		addr_from_v4(&r->bgp_nexthop, 0xc6336401);
		r->out_bytes = rnd() % 3 == 0 ? 0 : rnd();
		r->out_packets = rnd() % 50;
		flowrec_str_set(&r->app_name, apps[i % 3], strlen(apps[i % 3]));
		/* mpls3, post VLAN, NAT dst stay 0: in the set, not stored */
	}
}

/* One v9 datagram: both templates, then records [i, i + n). */
static size_t
make_dgram(uint8_t *buf, size_t cap, size_t i, size_t n, uint32_t seq)
{
	const struct tf_tmpl *t = is_rich(i) ? &rich_t : &legacy_t;
	struct tf_clock clk;
	struct wbuf w;
	size_t at, k;

	memset(&clk, 0, sizeof(clk));
	clk.export_ms = T0 + 100000;
	wbuf_init(&w, buf, cap);
	wbuf_be16(&w, 9);
	wbuf_be16(&w, 0);			/* count, below */
	wbuf_be32(&w, 100000);			/* sysUpTime */
	wbuf_be32(&w, (uint32_t)(clk.export_ms / 1000));
	wbuf_be32(&w, seq);
	wbuf_be32(&w, 7);			/* source id */
	at = wbuf_len(&w);
	wbuf_be16(&w, 0);			/* template flowset */
	wbuf_be16(&w, 0);
	tf_put_template(&w, &legacy_t);
	tf_put_template(&w, &rich_t);
	wbuf_patch_be16(&w, at + 2, (uint16_t)(wbuf_len(&w) - at));
	/* records of one template only: the segment does not change */
	for (k = 0; k < n && is_rich(i + k) == is_rich(i); k++)
		;
	k = tf_put_data_sets(&w, t, t, &recs[i], k, &clk, true);
	wbuf_patch_be16(&w, 2, (uint16_t)(2 + k));
	return wbuf_ok(&w) && k > 0 ? wbuf_len(&w) : 0;
}

/* Where decoded records go: the three writers, and the set checks. */
struct sink {
	struct nf_batch	 b;
	struct flowrec	 rec[BATCH];
	struct ffile_writer *all, *cols, *legacy;
	size_t		 n;		/* records taken */
	size_t		 outside;	/* of them, non-default outside b.cols */
	size_t		 with_new;	/* batches whose set has newer columns */
	int		 err;
};

/* Does r hold its default in every column outside cols? */
#define OUT_U8(m)	r->m == flowrec_defaults.m
#define OUT_U16(m)	r->m == flowrec_defaults.m
#define OUT_U32(m)	r->m == flowrec_defaults.m
#define OUT_U64(m)	r->m == flowrec_defaults.m
#define OUT_ADDR(m)	addr_eq(&r->m, &flowrec_defaults.m)
#define OUT_STR(m)	r->m.len == 0
#define OUT_F(ID, m, T, col, ...) \
	if (!(cols & FCOL_BIT(col)) && !(OUT_##T(m))) \
		return false;
#define OUT_SKIP_(...)
static bool
defaults_outside(const struct flowrec *r, fcol_mask cols)
{
	FLOW_FIELDS(OUT_F, OUT_SKIP_, OUT_SKIP_)
	return true;
}

static int
take(void *arg, struct flowrec *r, size_t n)
{
	struct sink *s = arg;

	for (size_t i = 0; i < n; i++)
		s->outside += !defaults_outside(&r[i], s->b.cols);
	s->with_new += (s->b.cols & ~FCOL_LEGACY) != 0;
	if (ffile_writer_add(s->all, r, n) != NFE_OK ||
	    ffile_writer_add_cols(s->cols, r, n, s->b.cols) != NFE_OK ||
	    ffile_writer_add_cols(s->legacy, r, n, FCOL_LEGACY) != NFE_OK)
		s->err++;
	s->n += n;
	return 0;
}

static struct ffile_writer *
open_w(const char *name)
{
	struct ffile_writer *w;
	struct ffile_wopts o;

	ffile_wopts_init(&o);
	o.block_recs = BRECS;
	o.created_ms = T0;
	return ffile_writer_open(ffgen_path(name), &o, &w) == NFE_OK ? w :
	    NULL;
}

static bool
same_file(const char *a, const char *b)
{
	uint8_t *pa, *pb;
	size_t la, lb;
	bool same;

	pa = ffgen_slurp(ffgen_path(a), &la);
	pb = ffgen_slurp(ffgen_path(b), &lb);
	same = pa != NULL && pb != NULL && la == lb && memcmp(pa, pb, la) == 0;
	free(pa);
	free(pb);
	return same;
}

static void
test_v9_stream(void)
{
	static uint8_t dg[8192];
	struct tmpl_cache *tc = tmpl_cache_new(NULL);
	struct nf_decode_ctx ctx;
	struct nf_dgram_info info;
	struct sink s;
	size_t i, len, bad = 0;
	uint32_t seq = 0;

	memset(&s, 0, sizeof(s));
	s.b.rec = s.rec;
	s.b.cap = BATCH;
	s.b.full = take;
	s.b.arg = &s;
	s.all = open_w("all");
	s.cols = open_w("cols");
	s.legacy = open_w("legacy");
	memset(&ctx, 0, sizeof(ctx));
	addr_from_v4(&ctx.exporter, 0xc0000201);
	ctx.exporter_port = 2055;
	ctx.tmpl = tc;
	ctx.batch = &s.b;
	make_records();
	tap_ok(tc != NULL && s.all != NULL && s.cols != NULL &&
	    s.legacy != NULL, "three writers");
	if (tc == NULL || s.all == NULL || s.cols == NULL || s.legacy == NULL)
		return;
	for (i = 0; i < NREC; i += info.records) {
		len = make_dgram(dg, sizeof(dg), i, PER_DGRAM, seq++);
		memset(&info, 0, sizeof(info));
		if (len == 0 || nf_decode(dg, len, &ctx, &info) != NFE_OK ||
		    info.records == 0) {
			bad++;
			break;
		}
		/* what is left in the batch, as the collector takes it */
		if (s.b.n > 0)
			(void)take(&s, s.b.rec, s.b.n);
		s.b.n = 0;
		s.b.cols = 0;
	}
	tap_ok(bad == 0, "every datagram encodes and decodes");
	tap_is_uint(s.n, NREC, "every record decoded");
	tap_is_uint(s.outside, 0, "no record holds a value outside its "
	    "batch's column set");
	tap_ok(s.with_new > 0 && s.with_new < (NREC + BATCH - 1) / BATCH,
	    "some batches name newer columns, others do not (%zu)",
	    s.with_new);
	tap_ok(s.err == 0 && ffile_writer_close(s.all) == NFE_OK &&
	    ffile_writer_close(s.cols) == NFE_OK &&
	    ffile_writer_close(s.legacy) == NFE_OK, "files written");
	tap_ok(same_file("all", "cols"), "writing by the decoder's column "
	    "sets gives the same file, byte for byte");
	tap_ok(!same_file("all", "legacy"), "a set without the newer "
	    "columns gives another file (the comparison can fail)");
	tmpl_cache_free(tc);
}

/* v5 records: the legacy columns only (nf5_decode says so). */
static void
test_v5(void)
{
	static uint8_t dg[24 + 30 * 48];
	struct nf_decode_ctx ctx;
	struct nf_dgram_info info;
	struct sink s;
	struct wbuf w;

	memset(&s, 0, sizeof(s));
	s.b.rec = s.rec;
	s.b.cap = BATCH;
	memset(&ctx, 0, sizeof(ctx));
	ctx.batch = &s.b;
	wbuf_init(&w, dg, sizeof(dg));
	wbuf_be16(&w, 5);
	wbuf_be16(&w, 10);
	wbuf_be32(&w, 100000);
	wbuf_be32(&w, 1700000000);
	wbuf_be32(&w, 0);
	wbuf_be32(&w, 1);
	wbuf_u8(&w, 1);				/* engine type, id */
	wbuf_u8(&w, 2);
	wbuf_be16(&w, 0x4064);			/* sampling 1:100 */
	for (int i = 0; i < 10; i++) {
		for (int k = 0; k < 48; k++)
			wbuf_u8(&w, (uint8_t)(rnd() | 1));
	}
	tap_ok(wbuf_ok(&w) && nf_decode(dg, wbuf_len(&w), &ctx, &info) ==
	    NFE_OK && s.b.n == 10, "v5: ten records of random bytes");
	for (size_t i = 0; i < s.b.n; i++)
		s.outside += !defaults_outside(&s.rec[i], s.b.cols);
	tap_ok(s.b.cols == FCOL_LEGACY && s.outside == 0,
	    "v5: the legacy columns, and nothing outside them");
}

static void
test_put_cols(void)
{
	struct flowrec r[20];
	struct flowrec g;
	struct fcol c;

	tap_ok(fcol_init(&c, 64) == NFE_OK, "fcol_init");
	for (size_t i = 0; i < 20; i++) {
		flowrec_init(&r[i]);
		r[i].packets = i + 1;
		if (i >= 10)
			r[i].in_src_mac = 0x0a0b0c0d0e00ULL + i;
	}
	/* leave stale values where the backfill must write defaults */
	memset(c.in_src_mac, 0x5a, 64 * sizeof(*c.in_src_mac));
	tap_is_uint(fcol_put_cols(&c, r, 10, FCOL_LEGACY), 10,
	    "ten legacy records");
	tap_ok(!(c.mask & FCOL_BIT(FCOL_IN_SRC_MAC)) &&
	    !fcol_wanted(&c, FCOL_IN_SRC_MAC), "a column outside the set: "
	    "not in the mask, not stored");
	fcol_get(&c, 3, &g);
	tap_ok(g.in_src_mac == 0 && g.packets == 4, "it reads as default");
	tap_is_uint(fcol_put_cols(&c, r + 10, 10, FCOL_LEGACY |
	    FCOL_BIT(FCOL_IN_SRC_MAC) | FCOL_BIT(FCOL_IN_VRF)), 10,
	    "ten with a MAC, VRF in the set but 0");
	fcol_get(&c, 3, &g);
	tap_ok(c.in_src_mac[3] == 0 && g.in_src_mac == 0,
	    "an earlier row of the gained column holds its default");
	fcol_get(&c, 15, &g);
	tap_ok(g.in_src_mac == 0x0a0b0c0d0e00ULL + 15 && g.packets == 16,
	    "a later row its value");
	tap_ok(fcol_wanted(&c, FCOL_IN_SRC_MAC), "the MAC column is stored");
	tap_ok(!fcol_wanted(&c, FCOL_IN_VRF), "in the set but all default: "
	    "not stored");
	tap_ok(!fcol_wanted(&c, FCOL_OUT_VRF), "outside the set: not "
	    "stored");
	fcol_reset(&c);
	tap_ok(c.mask == 0, "reset: no column");
	fcol_fini(&c);
}

int
main(void)
{
	tap_no_plan();
	test_v9_stream();
	test_v5();
	test_put_cols();
	ffgen_cleanup();
	return tap_done();
}
