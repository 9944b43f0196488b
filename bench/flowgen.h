/*
 * bench/flowgen.h -- synthetic flows for the benchmarks (bench/nfblast,
 * bench/capreplay).  Mixes:
 *   edge   an edge router: 20000 internal hosts talking to 200000
 *          external ones, mostly TCP and UDP on well-known and ephemeral
 *          ports, heavy-tailed packet and byte counts, times spread over
 *          the last minute;
 *   wide   many distinct addresses: internal hosts anywhere in 10/8,
 *          external ones anywhere in the IPv4 space, random ports on both
 *          sides, 5% ICMP, 64 interfaces, random AS numbers;
 *   mixed  edge-like, a quarter of the flows IPv6 (2001:db8::/32 inside,
 *          random global addresses outside);
 *   long   long-flow heavy: 2000 hosts, 10^3..10^6 packets, durations up
 *          to five minutes.
 * Needles: in three stretches of the stream (at 25%, 50% and 75%, 3000
 * flows each) every hundredth flow is host 10.1.2.3 talking to
 * 192.0.2.x, addresses no mix produces otherwise.
 */
#ifndef BENCH_FLOWGEN_H
#define BENCH_FLOWGEN_H

#include <stdbool.h>
#include <stdint.h>

struct flowrec;

enum flowgen_mix { FLOWGEN_EDGE, FLOWGEN_WIDE, FLOWGEN_MIXED, FLOWGEN_LONG };

struct flowgen {
	uint64_t		rs;	/* generator state */
	enum flowgen_mix	mix;
	bool			needles;
};

void	flowgen_init(struct flowgen *, uint64_t seed, enum flowgen_mix,
	    bool needles);
/* "edge", "wide", "mixed" or "long"; -1 for anything else. */
int	flowgen_mix_parse(const char *, enum flowgen_mix *);
/* Fills r with flow i of a stream of n flows ending about now_ms. */
void	flowgen_next(struct flowgen *, struct flowrec *r, uint64_t now_ms,
	    uint64_t i, uint64_t n);

#endif
