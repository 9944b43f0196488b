/*
 * tests/t_dgq.c -- collector/dgq: order and contents across many ring
 * wraps, drops when full, visibility only after commit, and a producer
 * thread racing the consumer (both give up at a deadline, so a lost
 * datagram fails the test instead of hanging it).
 */
#include "common/base/compat.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "collector/dgq.h"
#include "common/base/timeutil.h"
#include "tap.h"

#define THREADS_DEADLINE_MS	60000	/* the run takes well under 1 s */

static void
fill(uint8_t *b, size_t len, uint32_t seq)
{
	for (size_t i = 0; i < len; i++)
		b[i] = (uint8_t)(seq * 31 + i);
}

static bool
check(const struct dgq_item *it, uint32_t seq, size_t len)
{
	uint8_t b[2000];

	fill(b, len, seq);
	return it->len == len && memcmp(it->data, b, len) == 0 &&
	    it->sport == (uint16_t)seq && it->recv_ms == seq;
}

static void
test_basic(void)
{
	struct dgq *q = dgq_new(0);
	struct dgq_item it;
	struct nf_addr a;
	uint8_t b[2000];
	bool ok = true;
	uint32_t seq = 0, got = 0;

	addr_parse("192.0.2.9", &a);
	tap_is_uint(dgq_capacity(q), DGQ_MIN_BYTES, "minimum capacity");
	fill(b, 100, 1);
	dgq_push(q, b, 100, &a, 1, 1);
	tap_ok(!dgq_pop(q, &it, 0), "not visible before commit");
	dgq_commit(q);
	tap_ok(dgq_pop(q, &it, 0) && check(&it, 1, 100) &&
	    addr_eq(&it.src, &a), "visible after commit, intact");
	dgq_release(q);
	/* many wraps with sizes that do not divide the ring */
	seq = 1;
	got = 1;
	for (int round = 0; round < 2000; round++) {
		for (int k = 0; k < 7; k++) {
			seq++;
			fill(b, (seq * 37) % 1500 + 1, seq);
			if (!dgq_push(q, b, (seq * 37) % 1500 + 1, &a,
			    (uint16_t)seq, seq))
				ok = false;
		}
		dgq_commit(q);
		while (dgq_pop(q, &it, 0)) {
			got++;
			if (!check(&it, got, (got * 37) % 1500 + 1))
				ok = false;
			dgq_release(q);
		}
	}
	tap_ok(ok && got == seq, "14000 datagrams through the ring in order");
	tap_is_uint(dgq_drops(q), 0, "no drops");
	/* fill up: pushes beyond capacity are dropped and counted */
	for (int k = 0; k < 300; k++)
		dgq_push(q, b, 1000, &a, 0, 0);
	dgq_commit(q);
	tap_ok(dgq_drops(q) > 0 && dgq_drops(q) < 300 &&
	    dgq_pushed(q) + dgq_drops(q) == 1 + 14000 + 300,
	    "full ring drops and counts");
	tap_ok(dgq_used(q) <= dgq_capacity(q), "used within capacity");
	while (dgq_pop(q, &it, 0))
		dgq_release(q);
	tap_is_uint(dgq_used(q), 0, "drained");
	tap_ok(!dgq_push(q, b, DGQ_MIN_BYTES, &a, 0, 0),
	    "a datagram larger than half the ring is refused");
	dgq_free(q);
}

struct prod {
	struct dgq	*q;
	uint32_t	 n;
	uint32_t	 pushed;
	atomic_bool	 stop;		/* set by the consumer at its deadline */
};

static void *
producer(void *arg)
{
	struct prod *p = arg;
	struct nf_addr a;
	uint8_t b[2000];
	uint32_t seq = 0;

	memset(&a, 0, sizeof(a));
	while (seq < p->n) {
		seq++;
		fill(b, seq % 1400 + 1, seq);
		while (!dgq_push(p->q, b, seq % 1400 + 1, &a, (uint16_t)seq,
		    seq)) {
			if (atomic_load(&p->stop))
				return NULL;
			dgq_commit(p->q);	/* full: let the consumer run */
		}
		if (seq % 16 == 0)
			dgq_commit(p->q);
	}
	dgq_commit(p->q);
	return NULL;
}

static void
test_threads(void)
{
	struct prod p;
	pthread_t th;
	struct dgq_item it;
	uint64_t deadline;
	uint32_t got = 0;
	bool ok = true;

	p.q = dgq_new(DGQ_MIN_BYTES);
	p.n = 200000;
	atomic_init(&p.stop, false);
	deadline = time_mono_ms() + THREADS_DEADLINE_MS;
	pthread_create(&th, NULL, producer, &p);
	while (got < p.n) {
		if (time_mono_ms() > deadline) {
			tap_diag("deadline: %u of %u datagrams after %d ms",
			    (unsigned)got, (unsigned)p.n, THREADS_DEADLINE_MS);
			break;
		}
		if (!dgq_pop(p.q, &it, 100))
			continue;
		got++;
		if (!check(&it, got, got % 1400 + 1))
			ok = false;
		dgq_release(p.q);
	}
	atomic_store(&p.stop, true);
	pthread_join(th, NULL);
	tap_ok(ok && got == p.n, "200000 datagrams across threads, in order "
	    "and intact");
	tap_ok(!dgq_pop(p.q, &it, 10), "then empty");
	dgq_free(p.q);
}

int
main(void)
{
	tap_plan(11);
	test_basic();
	test_threads();
	return tap_done();
}
