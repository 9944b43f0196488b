/*
 * bench/ndjson_bench.c -- the NDJSON encoder alone (sink/ndjson.c), for
 * tuning: no reading, no sending.  Not a test.
 *
 *   ndjson_bench [-n N] [-6]
 *
 * Encodes N (default 2,000,000) records like bench/nfblast's edge-router
 * flows (IPv4, or every fourth IPv6 with -6: ports, protocol, flags,
 * counters, interfaces, AS numbers, masks, next hop, the exporter) in
 * batches of 100,000 into one growing buffer, as the Kafka and HTTP
 * sinks do, and prints records, bytes, CPU seconds of the encoding and
 * records per CPU second.  For instruction counts run it under
 * `perf stat -e instructions:u` (deterministic: fixed seed).
 */
#include "common/base/compat.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/base/nferr.h"
#include "sink/ndjson.h"

#define BATCH	100000

static uint64_t lcg = UINT64_C(0x9E3779B97F4A7C15);

static uint32_t
rnd(void)
{
	lcg = lcg * UINT64_C(6364136223846793005) + UINT64_C(1442695040888963407);
	return (uint32_t)(lcg >> 33);
}

static void
make(struct flowrec *r, uint64_t i, bool v6)
{
	uint32_t h = rnd();

	flowrec_init(r);
	if (v6 && i % 4 == 0) {
		uint8_t a[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0,
		    0, 0, 0, 0, 0, 0 };

		a[14] = (uint8_t)(h >> 8);
		a[15] = (uint8_t)h;
		memcpy(r->src.a, a, 16);
		a[13] = 1;
		memcpy(r->dst.a, a, 16);
		r->af = 6;
	} else {
		addr_from_v4(&r->src, 0x0a000000u | (h % 65536));
		addr_from_v4(&r->dst, 0x50000000u | rnd());
	}
	addr_from_v4(&r->nexthop, 0x0a0000feu);
	r->proto = h % 10 < 7 ? 6 : 17;
	r->src_port = (uint16_t)(1024 + rnd() % 60000);
	r->dst_port = (uint16_t)((const uint16_t[]){ 80, 443, 53, 22, 25, 123,
	    8080, 993 }[rnd() % 8]);
	r->packets = 1 + rnd() % 1000;
	r->bytes = r->packets * (40 + rnd() % 1400);
	r->first_ms = UINT64_C(1795426759000) + i / 4;
	r->last_ms = r->first_ms + rnd() % 60000;
	r->received_ms = r->last_ms + 1500;
	r->tcp_flags = r->proto == 6 ? (uint8_t)(rnd() & 0x3f) : 0;
	r->in_if = 1 + rnd() % 8;
	r->out_if = 1 + rnd() % 8;
	r->src_as = 64500 + rnd() % 100;
	r->dst_as = 65000 + rnd() % 100;
	r->src_mask = 24;
	r->dst_mask = 16;
	r->direction = 0;
}

static double
cpu_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
	static struct flowrec recs[BATCH];
	struct ffile_exporter x;
	struct sink_batch b;
	struct sbuf out;
	uint64_t n = 2000000, done = 0, bytes = 0;
	bool v6 = false;
	double t = 0, t0;
	int ch;

	while ((ch = getopt(argc, argv, "n:6")) != -1) {
		switch (ch) {
		case 'n':
			n = strtoull(optarg, NULL, 10);
			break;
		case '6':
			v6 = true;
			break;
		default:
			fprintf(stderr, "usage: ndjson_bench [-n N] [-6]\n");
			return 2;
		}
	}
	memset(&x, 0, sizeof(x));
	addr_from_v4(&x.addr, 0x7f000001);
	x.version = 9;
	b.recs = recs;
	b.xs = &x;
	b.nxs = 1;
	b.id = 1;
	sbuf_init(&out);
	while (done < n) {
		size_t k = n - done < BATCH ? (size_t)(n - done) : BATCH;

		for (size_t i = 0; i < k; i++)
			make(&recs[i], done + i, v6);
		b.n = k;
		sbuf_reset(&out);
		t0 = cpu_s();
		for (size_t i = 0; i < k; i++)
			if (ndjson_record(&b, i, true, &out) != NFE_OK)
				return 1;
		t += cpu_s() - t0;
		bytes += out.len;
		done += k;
	}
	printf("%" PRIu64 " records, %" PRIu64 " bytes (%.0f per record), "
	    "%.3f CPU s encoding: %.0f ns per record, %.2fM records per CPU "
	    "second\n", done, bytes, (double)bytes / (double)done, t,
	    t * 1e9 / (double)done, (double)done / t / 1e6);
	sbuf_fini(&out);
	return 0;
}
