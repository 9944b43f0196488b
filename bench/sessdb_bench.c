/*
 * bench/sessdb_bench.c -- the session store at ISP scale: N subscribers
 * (IPv4 /32 each, and an IPv6 /56 for every second one), S sessions over
 * one day (each address handed round: S/N sessions per address), then
 * the cost of looking up random flows one at a time and in batches with
 * prefetching, the join of whole flow records (sessjoin: --inside
 * 10.0.0.0/8 and 2001:db8::/32, subscriber as source or destination,
 * recent flows as at ingest), the store's memory, and a snapshot's
 * write and load time.
 *
 *   bench/sessdb_bench [subscribers [sessions [lookups]]]
 *
 * Prints one line per measure; bench/bench_sessions.sh runs it.
 */
#include "common/base/compat.h"

#include <sys/resource.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/base/addr.h"
#include "common/base/nferr.h"
#include "common/base/flowrec.h"
#include "common/enrich/sessdb.h"
#include "common/enrich/sessjoin.h"
#include "common/enrich/sessfile.h"

#define DAY_MS	(UINT64_C(86400) * 1000)

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static double
cpu_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static uint64_t
rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static void
sub_addr(uint32_t i, bool v6, struct nf_addr *a)
{
	if (!v6) {
		addr_from_v4(a, UINT32_C(0x0a000000) + i);	/* 10.0.0.0/8 */
		return;
	}
	memset(a->a, 0, 16);
	a->a[0] = 0x20;
	a->a[1] = 0x01;
	a->a[2] = 0x0d;
	a->a[3] = 0xb8;
	a->a[4] = (uint8_t)(i >> 16);
	a->a[5] = (uint8_t)(i >> 8);
	a->a[6] = (uint8_t)i;
}

int
main(int argc, char **argv)
{
	uint32_t nsub = argc > 1 ? (uint32_t)strtoul(argv[1], NULL, 10) : 1000000;
	uint64_t nsess = argc > 2 ? strtoull(argv[2], NULL, 10) : 10000000;
	uint32_t nlook = argc > 3 ? (uint32_t)strtoul(argv[3], NULL, 10) : 10000000;
	uint32_t per = (uint32_t)(nsess / nsub);
	struct sessdb_conf c;
	struct sessdb *db, *db2;
	struct sessdb_info inf;
	struct rusage ru;
	struct nf_addr *qa;
	struct sessdb_q *bq;
	uint64_t *qt, st = 88172645463325252u, hits = 0, hits2 = 0;
	uint32_t *out;
	double t0, c0, t1, c1;
	char name[32];
	size_t n;

	if (per == 0)
		per = 1;
	sessdb_conf_default(&c);
	c.max_sessions = nsess * 2 + nsub;
	if (sessdb_new(&c, &db) != NFE_OK)
		return 1;
	t0 = now_s();
	/* per address: per sessions back to back over the day, each a user */
	for (uint32_t k = 0; k < per; k++)
		for (uint32_t i = 0; i < nsub; i++) {
			struct sessdb_event ev;
			uint64_t len = DAY_MS / per;

			memset(&ev, 0, sizeof(ev));
			ev.kind = SESSDB_SESSION;
			ev.start_ms = 1 + k * len;
			ev.stop_ms = (k + 1) * len - 1000;
			sub_addr(i, false, &ev.pfx[0].addr);
			ev.pfx[0].len = 32;
			ev.npfx = 1;
			if (i % 2 == 0 && k % 4 == 0) {
				sub_addr(i, true, &ev.pfx[1].addr);
				ev.pfx[1].len = 56;
				ev.npfx = 2;
			}
			snprintf(name, sizeof(name), "user%u", (i * 7 + k) % nsub);
			ev.user = name;
			ev.user_len = strlen(name);
			int r;

			if ((r = sessdb_apply(db, &ev)) != NFE_OK) {
				fprintf(stderr, "apply failed at %u/%u: %s\n",
				    k, i, nferr_str(r));
				return 1;
			}
		}
	t1 = now_s();
	sessdb_info(db, &inf);
	getrusage(RUSAGE_SELF, &ru);
	printf("build: %zu sessions, %zu prefixes, %zu users in %.2f s "
	    "(%.0f ns/session)\n", inf.sessions, inf.prefixes, inf.users,
	    t1 - t0, (t1 - t0) * 1e9 / (double)inf.sessions);
	printf("memory: store %.1f MB (%.1f bytes/session), process max RSS "
	    "%.1f MB\n", inf.mem_bytes / 1e6,
	    (double)inf.mem_bytes / (double)inf.sessions, ru.ru_maxrss / 1e3);

	qa = malloc(nlook * sizeof(*qa));
	qt = malloc(nlook * sizeof(*qt));
	out = malloc(nlook * sizeof(*out));
	for (uint32_t q = 0; q < nlook; q++) {
		uint32_t i = (uint32_t)(rnd(&st) % (nsub + nsub / 10));

		sub_addr(i, rnd(&st) % 4 == 0, &qa[q]);	/* 10% outside */
		qt[q] = rnd(&st) % DAY_MS;
	}
	t0 = now_s();
	c0 = cpu_s();
	for (uint32_t q = 0; q < nlook; q++)
		hits += (out[q] = sessdb_lookup(db, &qa[q], qt[q],
		    qt[q] + 30000)) != 0;
	t1 = now_s();
	c1 = cpu_s();
	printf("lookup one at a time: %u flows, %.1f ns/flow wall, %.1f ns/flow "
	    "CPU, %.1f%% with a user\n", nlook, (t1 - t0) * 1e9 / nlook,
	    (c1 - c0) * 1e9 / nlook, 100.0 * (double)hits / nlook);
	bq = malloc(nlook * sizeof(*bq));
	for (uint32_t q = 0; q < nlook; q++) {
		bq[q].addr = &qa[q];
		bq[q].first_ms = qt[q];
		bq[q].last_ms = qt[q] + 30000;
	}
	t0 = now_s();
	c0 = cpu_s();
	sessdb_lookup_batch(db, bq, nlook, out);
	t1 = now_s();
	c1 = cpu_s();
	for (uint32_t q = 0; q < nlook; q++)
		hits2 += out[q] != 0;
	printf("lookup in batches (prefetch): %u flows, %.1f ns/flow wall, "
	    "%.1f ns/flow CPU%s\n", nlook, (t1 - t0) * 1e9 / nlook,
	    (c1 - c0) * 1e9 / nlook, hits2 == hits ? "" : " (MISMATCH)");
	/* at ingest: flows of the last minutes, so the newest session */
	for (uint32_t q = 0; q < nlook; q++) {
		bq[q].first_ms = DAY_MS - 2000000 + rnd(&st) % 600000;
		bq[q].last_ms = bq[q].first_ms + 30000;
	}
	t0 = now_s();
	c0 = cpu_s();
	sessdb_lookup_batch(db, bq, nlook, out);
	t1 = now_s();
	c1 = cpu_s();
	printf("lookup at ingest (recent flows, batches): %.1f ns/flow wall, "
	    "%.1f ns/flow CPU\n", (t1 - t0) * 1e9 / nlook,
	    (c1 - c0) * 1e9 / nlook);
	free(bq);

	/*
	 * The join of flow records as flowcapd does it at ingest: records
	 * arrive in batches of 256 (COLLECT_BATCH) that the decoder has just
	 * written (so they are in cache); only the join is timed.  Each call
	 * starts the lookahead afresh, which costs about 20 ns a flow over
	 * batches of 1024.
	 */
	{
		struct sessjoin j;
		struct nf_prefix p;
		struct flowrec fr[256];
		uint32_t u[256];
		uint64_t with = 0;
		double wall = 0, cpu = 0;

		memset(&j, 0, sizeof(j));
		j.db = db;
		prefix_parse("10.0.0.0/8", false, &p);
		sessjoin_inside(&j, &p);
		prefix_parse("2001:db8::/32", false, &p);
		sessjoin_inside(&j, &p);
		for (uint32_t q0 = 0; q0 < nlook; q0 += 256) {
			uint32_t m = nlook - q0 < 256 ? nlook - q0 : 256;

			for (uint32_t k = 0; k < m; k++) {
				struct flowrec *r = &fr[k];

				flowrec_init(r);
				r->first_ms = DAY_MS - 2000000 + rnd(&st) % 600000;
				r->last_ms = r->first_ms + rnd(&st) % 60000;
				if (rnd(&st) % 2 == 0) {
					r->src = qa[q0 + k];
					addr_from_v4(&r->dst, UINT32_C(0xc6336400) +
					    (uint32_t)(rnd(&st) % 256));
				} else {
					r->dst = qa[q0 + k];
					addr_from_v4(&r->src, UINT32_C(0xcb007100) +
					    (uint32_t)(rnd(&st) % 256));
				}
			}
			t0 = now_s();
			c0 = cpu_s();
			sessjoin_batch(&j, fr, m, u);
			t1 = now_s();
			c1 = cpu_s();
			wall += t1 - t0;
			cpu += c1 - c0;
			for (uint32_t k = 0; k < m; k++)
				with += u[k] != 0;
		}
		printf("join of flow records (sessjoin_batch of 256 just decoded, "
		    "recent flows): %.1f ns/flow wall, %.1f ns/flow CPU, %.1f%% "
		    "with a user\n", wall * 1e9 / nlook,
		    cpu * 1e9 / nlook, 100.0 * (double)with / nlook);
	}

	/* expiry with nothing to drop: the walk itself */
	t0 = now_s();
	sessdb_expire(db, DAY_MS / 2);
	t1 = now_s();
	printf("expire pass (timeouts and keep checked, store unchanged): "
	    "%.3f s\n", t1 - t0);
	t0 = now_s();
	for (int k = 0; k < 240; k++)
		sessdb_expire_step(db, DAY_MS / 2, sessdb_slots(db) / 240 + 1);
	t1 = now_s();
	printf("the same in 240 steps (flowcapd: one each 250 ms): %.1f ms a "
	    "step\n", (t1 - t0) * 1000 / 240);
	t0 = now_s();
	if (sessfile_save(db, "sessdb_bench.snapshot", 1) != NFE_OK) {
		perror("snapshot");
		return 1;
	}
	t1 = now_s();
	printf("snapshot write: %.2f s\n", t1 - t0);
	sessdb_free(db);	/* one store at a time in memory */
	db = NULL;
	if (sessdb_new(&c, &db2) != NFE_OK)
		return 1;
	t0 = now_s();
	if (sessfile_load(db2, "sessdb_bench.snapshot", &n) != NFE_OK) {
		fprintf(stderr, "load failed\n");
		return 1;
	}
	t1 = now_s();
	printf("snapshot load: %zu sessions in %.2f s\n", n, t1 - t0);
	remove("sessdb_bench.snapshot");
	sessdb_free(db2);
	sessdb_free(db);
	free(qa);
	free(qt);
	free(out);
	return 0;
}
