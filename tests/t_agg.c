/*
 * tests/t_agg.c -- query/agg: the hash table (counting, merging, growth,
 * full 128-bit IPv6 keys), ranking with the bounded heap and the full
 * ranking (radix sort) against a comparison sort, the -A stage's
 * listing (formatted on two threads) against one thread's, -A key parsing
 * with masks, aggregated listings compared with nfdump 1.7.1's, and
 * -b/-B conversations.
 */
#include "common/base/compat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/base/nferr.h"
#include "query/agg.h"
#include "query/output.h"
#include "query/stages.h"
#include "qrecs.h"
#include "tap.h"

static struct flowrec recs[QRECS_N];

/* Aggregate recs by list, rank by ord, list with the agg fmt. */
static char *
agg_text(const char *list, bool five, enum agg_order ord, const char *fmt)
{
	static char out[4096];
	struct out_opts oo = { false, false };
	struct agg_spec sp;
	struct aggtab *t;
	struct output *o;
	struct obuf b;
	struct flowrec r;
	struct nf_addr ra;
	uint8_t key[AGG_KEY_MAX];
	char err[128];
	size_t *idx, n;

	if (agg_parse(list, five, &sp, err, sizeof(err)) != NFE_OK) {
		snprintf(out, sizeof(out), "ERR %s", err);
		return out;
	}
	t = aggtab_new(sp.keylen);
	for (int i = 0; i < QRECS_N; i++) {
		struct aggval v = { recs[i].flows, recs[i].packets,
		    recs[i].bytes, recs[i].first_ms, recs[i].last_ms, 0, 0 };

		agg_key(&sp, &recs[i], NULL, key);
		aggtab_add(t, key, &v);
	}
	output_new(fmt != NULL ? fmt : sp.fmt, &oo, &o, err, sizeof(err));
	obuf_init(&b);
	idx = aggtab_rank(t, ord, 0, &n);
	for (size_t i = 0; i < n; i++) {
		agg_record(&sp, aggtab_key(t, idx[i]), aggtab_val(t, idx[i]),
		    &r, &ra);
		output_record(o, &r, &ra, &b);
	}
	snprintf(out, sizeof(out), "%s", b.p != NULL ? b.p : "");
	free(idx);
	obuf_fini(&b);
	output_free(o);
	aggtab_free(t);
	return out;
}

static void
test_listings(void)
{
	/* nfdump -A srcip4/24,dstip4/16,proto -O bytes (rows as nfdump) */
	tap_is_str(agg_text("srcip4/24,dstip4/16,proto", false,
	    AGG_ORDER_BYTES, NULL),
"2026-11-23 09:39:19.000     00:00:26.000          10.0.0.0        192.0.0.0 TCP      123466  987.7 M  303.9 M   7999     2\n"
"2026-11-23 09:39:21.000     00:00:11.000          10.0.0.0       198.51.0.0 TCP        2000    2.5 M    1.8 M   1250     1\n"
"2026-11-23 09:39:22.000     00:00:16.500        172.16.5.0         10.0.0.0 ICMP          3      252      122     84     1\n"
"2026-11-23 09:39:20.000     00:00:05.500          10.0.0.0        192.0.0.0 UDP           1       60       87     60     1\n",
	    "-A with masks, -O bytes");
	tap_is_str(agg_text("srcip,dstport", false, AGG_ORDER_PACKETS, NULL),
"2026-11-23 09:39:23.000     00:00:22.000          10.0.0.3     22    123456  987.7 M  359.1 M   8000     1\n"
"2026-11-23 09:39:21.000     00:00:11.000          10.0.0.1    443      2000    2.5 M    1.8 M   1250     1\n"
"2026-11-23 09:39:19.000     00:00:00.000          10.0.0.1     80        10    15000        0   1500     1\n"
"2026-11-23 09:39:22.000     00:00:16.500        172.16.5.9   2048         3      252      122     84     1\n"
"2026-11-23 09:39:20.000     00:00:05.500          10.0.0.2     53         1       60       87     60     1\n",
	    "-A srcip,dstport: ICMP dst port raw without proto key");
	tap_is_str(agg_text("srcip4/8", false, AGG_ORDER_FLOWS, NULL),
"2026-11-23 09:39:19.000     00:00:26.000          10.0.0.0    125467  990.2 M  304.7 M   7891     4\n"
"2026-11-23 09:39:22.000     00:00:16.500         172.0.0.0         3      252      122     84     1\n",
	    "-A srcip4/8 -O flows");
	tap_is_str(agg_text("", true, AGG_ORDER_TSTART, "fmt:%pr %sap %dap %fl"),
	    "TCP           10.0.0.1:1234        192.0.2.10:80        1\n"
	    "UDP           10.0.0.2:40000       192.0.2.10:53        1\n"
	    "TCP           10.0.0.1:5555      198.51.100.7:443       1\n"
	    "ICMP        172.16.5.9:0             10.0.0.1:8.0       1\n"
	    "TCP           10.0.0.3:1000        192.0.2.11:22        1\n",
	    "-a keeps the 5-tuple, -O tstart");
	tap_is_str(agg_text("srcnet,dstas", false, AGG_ORDER_FLOWS,
	    "fmt:%sn %das %fl"),
	    "         0.0.0.0/0   65000     5\n", "srcnet uses the record's "
	    "mask (0 here)");
	/* keys of the fields routers send: values and addresses */
	recs[1].nat_event = recs[2].nat_event = 4;
	addr_parse("203.0.113.7", &recs[1].nat_src);
	addr_parse("203.0.113.7", &recs[2].nat_src);
	recs[2].in_vrf = 9;
	tap_is_str(agg_text("nevent,xsrcip,ivrf", false, AGG_ORDER_FLOWS,
	    "fmt:%nevt %nsa %ivrf %fl"),
	    "INVALID          0.0.0.0          0     3\n"
	    "  ADD44      203.0.113.7          0     1\n"
	    "  ADD44      203.0.113.7          9     1\n",
	    "-A nevent,xsrcip,ivrf");
	recs[0].in_src_mac = recs[3].in_src_mac = UINT64_C(0x001b210a0b01);
	tap_is_str(agg_text("insrcmac", false, AGG_ORDER_FLOWS,
	    "fmt:%ismc %fl"),
	    "00:00:00:00:00:00     3\n00:1b:21:0a:0b:01     2\n",
	    "-A insrcmac");
	recs[0].app_id = recs[3].app_id = UINT64_C(13) << 56 | 80;
	tap_is_str(agg_text("appid", false, AGG_ORDER_FLOWS, "fmt:%nbid %fl"),
	    " 0..0     3\n13..80     2\n", "-A appid");
	qrecs_fill(recs);
}

static void
test_parse(void)
{
	struct agg_spec sp;
	char err[128];

	tap_is_int(agg_parse("srcip,dstport", false, &sp, err, sizeof(err)),
	    NFE_OK, "srcip,dstport parses");
	tap_is_uint(sp.keylen, 1 + 16 + 2, "key length: af + addr + port");
	tap_is_str(sp.fmt, "fmt:%ts %td  %sa %dp  %pkt %byt %bps %bpp %fl",
	    "nfdump's -A format");
	tap_is_int(agg_parse("srcip4/24,srcip6/64", false, &sp, err,
	    sizeof(err)), NFE_OK, "v4 and v6 masks on one key");
	tap_ok(sp.nfields == 1 && sp.fields[0].v4bits == 24 &&
	    sp.fields[0].v6bits == 64, "both masks kept");
	tap_is_int(agg_parse("srcip4/33", false, &sp, err, sizeof(err)),
	    NFE_INVAL, "mask too long");
	tap_is_int(agg_parse("srcport4/3", false, &sp, err, sizeof(err)),
	    NFE_INVAL, "mask on a port");
	tap_is_int(agg_parse("bogus", false, &sp, err, sizeof(err)),
	    NFE_INVAL, "unknown key");
	tap_is_str(err, "aggregation key error at 'bogus'", "error text");
	tap_is_int(agg_parse("proto,proto", false, &sp, err, sizeof(err)),
	    NFE_INVAL, "a key twice");
	tap_is_int(agg_parse("srcip,dstip,next,router,srcnet,dstnet,srcport,"
	    "dstport,proto,srcas,dstas,inif,outif,tos,srcvlan,dstvlan,"
	    "srcmask,dstmask,flags", false, &sp, err, sizeof(err)), NFE_OK,
	    "every key name");
}

static void
test_table(void)
{
	struct aggtab *a, *b;
	uint8_t key[17];
	struct aggval one = { 1, 2, 100, 5000, 6000, 0, 0 };
	size_t *idx, n;
	bool ok = true;

	a = aggtab_new(sizeof(key));
	b = aggtab_new(sizeof(key));
	/* IPv6 keys that differ only in their last 64 bits */
	for (unsigned i = 0; i < 20000; i++) {
		memset(key, 0, sizeof(key));
		key[0] = 6;
		key[1] = 0x20;
		key[15] = (uint8_t)(i >> 8);
		key[16] = (uint8_t)i;
		aggtab_add(i % 2 ? a : b, key, &one);
		aggtab_add(a, key, &one);
	}
	tap_is_uint(aggtab_count(a), 20000, "low 64 bits distinguish keys");
	aggtab_merge(a, b);
	tap_is_uint(aggtab_count(a), 20000, "merge adds no new keys");
	for (size_t i = 0; i < aggtab_count(a); i++)
		if (aggtab_val(a, i)->flows != 2 || aggtab_val(a, i)->bytes !=
		    200)
			ok = false;
	tap_ok(ok, "every key counted twice after the merge");
	{
		/* absorb: into an empty table the source changes hands,
		 * into a filled one it adds as merge does */
		struct aggtab *e = aggtab_new(sizeof(key)), *f;

		aggtab_absorb(e, a);
		tap_ok(aggtab_count(e) == 20000 && aggtab_count(a) == 0,
		    "absorb into an empty table takes the entries over");
		uint8_t k0[sizeof(key)];

		f = aggtab_new(sizeof(key));
		memset(k0, 0, sizeof(k0));	/* the first key added */
		k0[0] = 6;
		k0[1] = 0x20;
		aggtab_add(f, k0, &one);
		aggtab_absorb(f, e);
		tap_ok(aggtab_count(f) == 20000 &&
		    aggtab_find(f, k0)->flows == 3,
		    "absorb into a filled table adds to its entries");
		aggtab_absorb(a, f);	/* back, for what follows */
		aggtab_free(e);
		aggtab_free(f);
	}
	key[16] = 7;
	key[15] = 0;
	one.flows = 10;
	one.first_ms = 1000;
	one.last_ms = 9000;
	aggtab_add(a, key, &one);
	idx = aggtab_rank(a, AGG_ORDER_FLOWS, 3, &n);
	tap_is_uint(n, 3, "bounded heap returns limit entries");
	tap_ok(memcmp(aggtab_key(a, idx[0]), key, sizeof(key)) == 0 &&
	    aggtab_val(a, idx[0])->flows == 12 &&
	    aggtab_val(a, idx[0])->first_ms == 1000 &&
	    aggtab_val(a, idx[0])->last_ms == 9000,
	    "top entry, with min first and max last");
	tap_ok(aggtab_key(a, idx[1])[16] == 0 && aggtab_key(a, idx[2])[16] == 1
	    && aggtab_key(a, idx[1])[15] == 0, "ties ranked by key bytes");
	free(idx);
	aggtab_free(a);
	aggtab_free(b);
}

/*
 * Merging big tables (two threads, one per half): tables of one family
 * (aggtab_new_like: one seed, stored hashes) and of two (hashed again),
 * by merge and by absorb, give every key the sum of both.
 */
static void
test_merge_big(void)
{
	for (int like = 0; like < 2; like++)
		for (int absorb = 0; absorb < 2; absorb++) {
			struct aggtab *a = aggtab_new(20), *b;
			uint8_t key[20];
			bool ok = true;

			b = like ? aggtab_new_like(a) : aggtab_new(20);
			memset(key, 0, sizeof(key));
			for (uint32_t i = 0; i < 210000; i++) {
				struct aggval v = { 1, i, 2 * (uint64_t)i,
				    1000 + i, 2000 + i, 0, i % 3 };

				memcpy(key + 3, &i, 4);
				/* a: keys 0..139999, b: 70000..209999 */
				if (i < 140000)
					aggtab_add(a, key, &v);
				if (i >= 70000)
					aggtab_add(b, key, &v);
			}
			if (absorb)
				aggtab_absorb(a, b);
			else
				aggtab_merge(a, b);
			for (uint32_t i = 0; i < 210000 && ok; i++) {
				const struct aggval *e;
				uint64_t twice = i >= 70000 && i < 140000 ?
				    2 : 1;

				memcpy(key + 3, &i, 4);
				e = aggtab_find(a, key);
				ok = e != NULL && e->flows == twice &&
				    e->packets == twice * i &&
				    e->bytes == 2 * twice * i &&
				    e->out_bytes == twice * (i % 3) &&
				    e->first_ms == 1000 + i &&
				    e->last_ms == 2000 + i;
			}
			tap_ok(ok && aggtab_count(a) == 210000,
			    "%s of tables %s: 210000 keys, each the sum of "
			    "both", absorb ? "absorb" : "merge",
			    like ? "of one family" : "with two seeds");
			aggtab_free(a);
			aggtab_free(b);
		}
}

/* The reference order: (value, key bytes), as aggtab_rank documents. */
static const struct aggtab *ref_t;
static enum agg_order ref_o;

static int
ref_cmp(const void *pa, const void *pb)
{
	size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
	uint64_t va = agg_order_value(aggtab_val(ref_t, a), ref_o);
	uint64_t vb = agg_order_value(aggtab_val(ref_t, b), ref_o);
	bool asc = ref_o == AGG_ORDER_NONE || ref_o == AGG_ORDER_TSTART ||
	    ref_o == AGG_ORDER_TEND;

	if (va != vb)
		return (va < vb) == asc ? -1 : 1;
	return memcmp(aggtab_key(ref_t, a), aggtab_key(ref_t, b),
	    aggtab_keylen(ref_t));
}

/*
 * The full ranking of a table with many ties, values spread over
 * several bytes (times in ms) and few (flows), in every order, is the
 * comparison sort's.
 */
static void
test_rank_full(void)
{
	static const enum agg_order ords[] = { AGG_ORDER_NONE,
	    AGG_ORDER_FLOWS, AGG_ORDER_PACKETS, AGG_ORDER_BYTES,
	    AGG_ORDER_PPS, AGG_ORDER_BPS, AGG_ORDER_BPP, AGG_ORDER_TSTART,
	    AGG_ORDER_TEND };
	struct aggtab *t = aggtab_new(19);
	uint64_t x = 88172645463325252ULL;
	uint8_t key[19];
	size_t *idx, *ref, n;
	bool ok = true;

	for (unsigned i = 0; i < 30000; i++) {
		struct aggval v;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		memset(key, 0, sizeof(key));
		key[0] = (x & 1) ? 6 : 4;
		memcpy(key + 13, &x, 4);	/* repeats now and then */
		key[13] &= 0x0f;
		key[17] = (uint8_t)(x >> 40);
		v.flows = 1 + (x >> 20) % 3;
		v.packets = 1 + (x >> 24) % 50;
		v.bytes = v.packets * (40 + (x >> 30) % 1400);
		v.first_ms = UINT64_C(1796000000000) + (x >> 33) % 5000;
		v.last_ms = v.first_ms + (x >> 45) % 70000;
		v.out_packets = (x >> 50) % 4 == 0 ? (x >> 52) % 9 : 0;
		v.out_bytes = v.out_packets * 60;
		aggtab_add(t, key, &v);
	}
	ref_t = t;
	for (size_t k = 0; k < sizeof(ords) / sizeof(ords[0]); k++) {
		ref_o = ords[k];
		idx = aggtab_rank(t, ords[k], 0, &n);
		ref = malloc(aggtab_count(t) * sizeof(*ref));
		for (size_t i = 0; i < aggtab_count(t); i++)
			ref[i] = i;
		qsort(ref, aggtab_count(t), sizeof(*ref), ref_cmp);
		if (n != aggtab_count(t) || memcmp(idx, ref, n *
		    sizeof(*ref)) != 0)
			ok = false;
		free(idx);
		free(ref);
	}
	tap_ok(ok && aggtab_count(t) > 20000, "full ranking in every order "
	    "= a comparison sort by value, then key (%zu entries)",
	    aggtab_count(t));
	aggtab_free(t);
}

/*
 * The -A stage writes a listing of more entries than one chunk on two
 * threads: its text must be what one thread formats entry by entry in
 * rank order.
 */
static void
test_stage_listing(void)
{
	static const char *const specs[] = {
	    "fmt:%ts %td %pr %sap -> %dap %pkt %byt %fl", "csv" };
	struct out_opts oo = { false, false };
	struct agg_spec sp;
	struct flowrec r;
	struct nf_addr ra;
	struct out_summary sum;
	char err[128];
	uint64_t x = 0x9e3779b97f4a7c15ULL;

	memset(&sum, 0, sizeof(sum));
	tap_is_int(agg_parse("srcip,dstport,proto", false, &sp, err,
	    sizeof(err)), NFE_OK, "stage listing: keys parse");
	for (size_t k = 0; k < sizeof(specs) / sizeof(specs[0]); k++) {
		struct output *o, *o1;
		struct stage *st;
		struct stage_row row = { NULL, NULL, NULL };
		struct stage_done d;
		struct aggtab *t = aggtab_new(sp.keylen);
		struct obuf b, b1;
		uint8_t key[AGG_KEY_MAX];
		char *text = NULL;
		size_t len = 0, *idx, n;
		FILE *f;

		output_new(specs[k], &oo, &o, err, sizeof(err));
		output_new(specs[k], &oo, &o1, err, sizeof(err));
		st = stage_agg_new(&sp, AGG_ORDER_NONE, 0, o, NULL);
		obuf_init(&b);
		obuf_init(&b1);
		row.ob = &b;
		for (unsigned i = 0; i < 150000; i++) {
			struct aggval v;

			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			flowrec_init(&r);
			r.af = 4;
			addr_from_v4(&r.src, 0x0a000000u | (uint32_t)(x & 0x3ffff));
			addr_from_v4(&r.dst, 0xc0000201u);
			r.proto = (x >> 20) & 1 ? 6 : 17;
			r.dst_port = (uint16_t)(x >> 24) & 0x3ff;
			r.packets = 1 + (x >> 40) % 20;
			r.bytes = r.packets * 100;
			r.first_ms = UINT64_C(1796000000000) + (x >> 44) % 9000;
			r.last_ms = r.first_ms + 500;
			stage_add(st, &r, &row);
			v = (struct aggval){ r.flows, r.packets, r.bytes,
			    r.first_ms, r.last_ms, 0, 0 };
			agg_key(&sp, &r, NULL, key);
			aggtab_add(t, key, &v);
		}
		f = open_memstream(&text, &len);
		d = (struct stage_done){ &b, f, &sum, NULL, 0 };
		tap_ok(st->ops->end(st, &d) == NFE_OK,
		    "stage listing %s: end", specs[k]);
		(void)output_emit(o, &b, f);
		fclose(f);
		idx = aggtab_rank(t, AGG_ORDER_NONE, 0, &n);
		for (size_t i = 0; i < n; i++) {
			agg_record(&sp, aggtab_key(t, idx[i]),
			    aggtab_val(t, idx[i]), &r, &ra);
			output_record(o1, &r, &ra, &b1);
		}
		tap_ok(n > 3 * 32768 && b1.len == len && text != NULL &&
		    memcmp(b1.p, text, len) == 0, "stage listing %s: %zu "
		    "entries, text = one thread's (%zu bytes)", specs[k], n,
		    len);
		free(idx);
		free(text);
		obuf_fini(&b);
		obuf_fini(&b1);
		stage_free(st);
		aggtab_free(t);
		output_free(o);
		output_free(o1);
	}
}

/* A TCP record a:ap -> b:bp with n packets, 100 bytes each. */
static void
conv_rec(struct flowrec *r, uint32_t a, uint16_t ap, uint32_t b, uint16_t bp,
    uint64_t n, uint8_t proto)
{
	flowrec_init(r);
	addr_from_v4(&r->src, a);
	addr_from_v4(&r->dst, b);
	r->src_port = ap;
	r->dst_port = bp;
	r->proto = proto;
	r->packets = n;
	r->bytes = n * 100;
	r->first_ms = 1000;
	r->last_ms = 2000;
}

/* -b / -B (query/bidir.c): pairing, the first record leads, -B's rule. */
static void
test_bidir(void)
{
	struct agg_spec sp;
	struct aggtab *t;
	struct flowrec r[5], out;
	struct nf_addr ra;
	char err[128];

	for (int mode = AGG_BIDIR; mode <= AGG_BIDIR_GUESS; mode++) {
		agg_parse("", true, &sp, err, sizeof(err));
		sp.bidir = (uint8_t)mode;
		t = aggtab_new(sp.keylen);
		/* the server's record first: 10.0.0.2:443 -> 10.0.0.1:40000 */
		conv_rec(&r[0], 0x0a000002, 443, 0x0a000001, 40000, 7, 6);
		conv_rec(&r[1], 0x0a000001, 40000, 0x0a000002, 443, 3, 6);
		conv_rec(&r[2], 0x0a000002, 443, 0x0a000001, 40000, 1, 6);
		conv_rec(&r[3], 0x0a000001, 0, 0x0a000002, 0, 5, 47);
		conv_rec(&r[4], 0x0a000002, 0, 0x0a000001, 0, 6, 47);
		for (int i = 0; i < 5; i++) {
			struct aggval v = { r[i].flows, r[i].packets,
			    r[i].bytes, r[i].first_ms, r[i].last_ms, 0, 0 };

			agg_add_bidir(&sp, t, &r[i], NULL, &v);
		}
		tap_ok(aggtab_count(t) == 3, "%s: 3 conversations (GRE "
		    "not paired)", mode == AGG_BIDIR ? "-b" : "-B");
		/* the TCP conversation: the one of 3 records */
		for (size_t i = 0; i < aggtab_count(t); i++)
			if (aggtab_val(t, i)->flows == 3)
				agg_record(&sp, aggtab_key(t, i),
				    aggtab_val(t, i), &out, &ra);
		if (mode == AGG_BIDIR)
			tap_ok(out.src_port == 443 && out.packets == 8 &&
			    out.out_packets == 3 && out.out_bytes == 300 &&
			    out.flows == 3, "-b: the first record is forward, "
			    "the reverse one's counters are out");
		else
			tap_ok(out.src_port == 40000 && out.packets == 3 &&
			    out.out_packets == 8 && out.bytes == 300 &&
			    out.flows == 3, "-B: 443 -> 40000 turned around, "
			    "the client leads");
		aggtab_free(t);
	}
}

int
main(void)
{
	qrecs_fill(recs);
	tap_no_plan();
	test_listings();
	test_parse();
	test_table();
	test_merge_big();
	test_rank_full();
	test_stage_listing();
	test_bidir();
	return tap_done();
}
