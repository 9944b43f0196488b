/*
 * bench/flowgen.c -- the benchmarks' synthetic flows (bench/flowgen.h):
 * one seeded generator per stream, the traffic mixes nfblast's -M
 * names, and the needles of -x.  A mix is a pure function of the seed,
 * so two runs (and two programs) given the same seed see the same flows.
 */
#include "common/base/compat.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "bench/flowgen.h"
#include "common/base/addr.h"
#include "common/base/flowrec.h"

/* The generator: a 64-bit LCG, upper bits (Knuth's MMIX constants). */
static uint32_t
rnd(struct flowgen *g)
{
	g->rs = g->rs * 6364136223846793005ULL + 1442695040888963407ULL;
	return (uint32_t)(g->rs >> 33);
}

static const uint16_t well[] = { 80, 443, 53, 22, 25, 123, 993, 8080 };

/* The edge mix (the default; its draws are those of earlier versions). */
static void
edge_flow(struct flowgen *g, struct flowrec *r, uint64_t now_ms)
{
	uint32_t in = 0x0a000000u | (rnd(g) % 20000);
	uint32_t out = 0x50000000u + (rnd(g) % 200000) * 97;
	uint32_t dur = rnd(g) % 60000;
	uint32_t sz = rnd(g) % 100;
	bool up = rnd(g) & 1;

	flowrec_init(r);
	addr_from_v4(&r->src, up ? in : out);
	addr_from_v4(&r->dst, up ? out : in);
	addr_from_v4(&r->nexthop, 0x0a0000fe);
	r->proto = (rnd(g) % 10) < 7 ? 6 : 17;
	r->src_port = up ? (uint16_t)(32768 + rnd(g) % 28000) :
	    well[rnd(g) % NF_NELEM(well)];
	r->dst_port = up ? well[rnd(g) % NF_NELEM(well)] :
	    (uint16_t)(32768 + rnd(g) % 28000);
	r->packets = sz < 60 ? 1 + rnd(g) % 4 : sz < 95 ? 5 + rnd(g) % 100 :
	    100 + rnd(g) % 100000;
	r->bytes = r->packets * (40 + rnd(g) % 1400);
	r->tcp_flags = r->proto == 6 ? (uint8_t)(0x10 | (rnd(g) & 0x1f)) : 0;
	r->tos = (rnd(g) % 8) == 0 ? 0xb8 : 0;
	r->in_if = 1 + rnd(g) % 4;
	r->out_if = 5 + rnd(g) % 4;
	r->src_as = up ? 64512 : 1000 + rnd(g) % 5000;
	r->dst_as = up ? 1000 + rnd(g) % 5000 : 64512;
	r->src_mask = 24;
	r->dst_mask = 16;
	r->last_ms = now_ms - rnd(g) % 1000;
	r->first_ms = r->last_ms - dur;
}

/* Many distinct addresses and ports. */
static void
wide_flow(struct flowgen *g, struct flowrec *r, uint64_t now_ms)
{
	uint32_t in = 0x0a000000u | (rnd(g) & 0xffffff);
	uint32_t out = rnd(g) | 0x01000000u;
	uint32_t sz = rnd(g) % 100, p = rnd(g) % 100;
	bool up = rnd(g) & 1;

	if ((out >> 24) == 10 || (out >> 24) >= 224)
		out ^= 0x40000000u;
	flowrec_init(r);
	addr_from_v4(&r->src, up ? in : out);
	addr_from_v4(&r->dst, up ? out : in);
	addr_from_v4(&r->nexthop, 0x0a000001u + rnd(g) % 16);
	r->proto = p < 70 ? 6 : p < 95 ? 17 : 1;
	if (r->proto == 1) {
		r->dst_port = (uint16_t)((rnd(g) % 2 ? 8 : 3) << 8 | rnd(g) % 4);
	} else {
		r->src_port = (uint16_t)(1 + rnd(g) % 65535);
		r->dst_port = rnd(g) % 2 ? well[rnd(g) % NF_NELEM(well)] :
		    (uint16_t)(1 + rnd(g) % 65535);
	}
	r->packets = sz < 60 ? 1 + rnd(g) % 4 : sz < 95 ? 5 + rnd(g) % 100 :
	    100 + rnd(g) % 100000;
	r->bytes = r->packets * (40 + rnd(g) % 1400);
	r->tcp_flags = r->proto == 6 ? (uint8_t)(rnd(g) & 0x3f) : 0;
	r->tos = (uint8_t)(rnd(g) % 4 * 8);
	r->in_if = 1 + rnd(g) % 64;
	r->out_if = 1 + rnd(g) % 64;
	r->src_as = rnd(g) % 400000;
	r->dst_as = rnd(g) % 400000;
	r->src_mask = (uint8_t)(8 + rnd(g) % 25);
	r->dst_mask = (uint8_t)(8 + rnd(g) % 25);
	r->last_ms = now_ms - rnd(g) % 1000;
	r->first_ms = r->last_ms - rnd(g) % 120000;
}

static void
v6_addr(struct flowgen *g, struct nf_addr *a, bool inside, uint32_t host)
{
	uint8_t b[16];

	for (int i = 0; i < 16; i++)
		b[i] = (uint8_t)rnd(g);
	if (inside) {
		memcpy(b, "\x20\x01\x0d\xb8", 4);
		b[4] = b[5] = 0;
		b[12] = (uint8_t)(host >> 24);
		b[13] = (uint8_t)(host >> 16);
		b[14] = (uint8_t)(host >> 8);
		b[15] = (uint8_t)host;
	} else
		b[0] = 0x2a;
	addr_from_v6(a, b);
}

/* Edge-like, a quarter IPv6. */
static void
mixed_flow(struct flowgen *g, struct flowrec *r, uint64_t now_ms)
{
	bool up;

	edge_flow(g, r, now_ms);
	if (rnd(g) % 4 != 0)
		return;
	up = r->src.a[12] == 10;	/* edge_flow: the inside host sent */
	r->af = 6;
	v6_addr(g, up ? &r->src : &r->dst, true, rnd(g) % 20000);
	v6_addr(g, up ? &r->dst : &r->src, false, 0);
	v6_addr(g, &r->nexthop, true, 0xfe);
	r->src_mask = 64;
	r->dst_mask = 48;
}

/* Long flows: few hosts, big counters, long durations. */
static void
long_flow(struct flowgen *g, struct flowrec *r, uint64_t now_ms)
{
	uint32_t in = 0x0a000000u | (rnd(g) % 2000);
	uint32_t out = 0x50000000u + (rnd(g) % 5000) * 97;
	bool up = rnd(g) & 1;

	flowrec_init(r);
	addr_from_v4(&r->src, up ? in : out);
	addr_from_v4(&r->dst, up ? out : in);
	addr_from_v4(&r->nexthop, 0x0a0000fe);
	r->proto = (rnd(g) % 10) < 8 ? 6 : 17;
	r->src_port = up ? (uint16_t)(32768 + rnd(g) % 28000) :
	    well[rnd(g) % NF_NELEM(well)];
	r->dst_port = up ? well[rnd(g) % NF_NELEM(well)] :
	    (uint16_t)(32768 + rnd(g) % 28000);
	r->packets = 1000 + rnd(g) % 1000000;
	r->bytes = r->packets * (500 + rnd(g) % 1000);
	r->tcp_flags = r->proto == 6 ? 0x1b : 0;
	r->in_if = 1 + rnd(g) % 4;
	r->out_if = 5 + rnd(g) % 4;
	r->src_as = up ? 64512 : 1000 + rnd(g) % 500;
	r->dst_as = up ? 1000 + rnd(g) % 500 : 64512;
	r->src_mask = 24;
	r->dst_mask = 16;
	r->last_ms = now_ms - rnd(g) % 1000;
	r->first_ms = r->last_ms - rnd(g) % 300000;
}

/* Flow i of n (i counts from 0; n is the stream's length, for the needles). */
void
flowgen_next(struct flowgen *g, struct flowrec *r, uint64_t now_ms,
    uint64_t i, uint64_t n)
{
	uint64_t q;

	switch (g->mix) {
	case FLOWGEN_WIDE:	wide_flow(g, r, now_ms); break;
	case FLOWGEN_MIXED:	mixed_flow(g, r, now_ms); break;
	case FLOWGEN_LONG:	long_flow(g, r, now_ms); break;
	default:	edge_flow(g, r, now_ms); break;
	}
	if (!g->needles || n < 4 * 3000)
		return;
	for (q = 1; q <= 3; q++)
		if (i >= n * q / 4 && i < n * q / 4 + 3000 &&
		    (i - n * q / 4) % 100 == 0)
			break;
	if (q > 3)
		return;
	r->af = 4;
	addr_from_v4(&r->src, 0x0a010203u);		/* 10.1.2.3 */
	addr_from_v4(&r->dst, 0xc0000200u | (rnd(g) % 256)); /* 192.0.2.x */
	addr_from_v4(&r->nexthop, 0x0a0000fe);
	r->src_mask = 24;
	r->dst_mask = 24;
}


static const char *const mix_names[] = {
	[FLOWGEN_EDGE] = "edge", [FLOWGEN_WIDE] = "wide",
	[FLOWGEN_MIXED] = "mixed", [FLOWGEN_LONG] = "long",
};

void
flowgen_init(struct flowgen *g, uint64_t seed, enum flowgen_mix mix,
    bool needles)
{
	g->rs = seed;
	g->mix = mix;
	g->needles = needles;
}

int
flowgen_mix_parse(const char *s, enum flowgen_mix *mix)
{
	for (size_t i = 0; i < NF_NELEM(mix_names); i++)
		if (strcmp(s, mix_names[i]) == 0) {
			*mix = (enum flowgen_mix)i;
			return 0;
		}
	return -1;
}
