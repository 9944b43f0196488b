/*
 * tests/t_fq.c -- collector/fq: entries written in place (reserve a
 * batch's room, keep what was used), visibility only after publish,
 * order and contents across many ring wraps, a full ring refuses
 * without waiting, an empty ring starts again at its beginning, the
 * bell wakes a sleeping consumer and does not let it sleep past an
 * entry, and a producer thread racing the consumer (both give up at a
 * deadline, so a lost entry fails the test instead of hanging it).
 */
#include "common/base/compat.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "collector/fq.h"
#include "common/base/timeutil.h"
#include "tap.h"

#define THREADS_DEADLINE_MS	60000	/* the run takes well under 1 s */
#define BIG			4096	/* reserved per entry */

static void
fill(uint8_t *b, size_t len, uint32_t seq)
{
	for (size_t i = 0; i < len; i++)
		b[i] = (uint8_t)(seq * 31 + i);
}

static bool
check(const uint8_t *p, size_t got, uint32_t seq, size_t len)
{
	uint8_t b[BIG];

	fill(b, len, seq);
	return got == len && memcmp(p, b, len) == 0;
}

/* Reserve BIG, write len bytes of seq, push len. */
static bool
put(struct fq *q, uint32_t seq, size_t len)
{
	uint8_t *p = fq_reserve(q, BIG);

	if (p == NULL)
		return false;
	fill(p, len, seq);
	fq_push(q, len);
	return true;
}

static void
test_basic(void)
{
	struct fq *q = fq_new(0);
	uint8_t *p, *first;
	size_t len;
	bool ok = true;
	uint32_t seq = 0, got = 0;
	int pushed = 0;

	tap_is_uint(fq_capacity(q), FQ_MIN_BYTES, "minimum capacity");
	tap_ok(put(q, 1, 100), "room reserved");
	tap_ok(fq_peek(q, &len) == NULL && fq_empty(q),
	    "not visible before publish");
	fq_publish(q);
	tap_ok((first = fq_peek(q, &len)) != NULL && check(first, len, 1,
	    100) && !fq_empty(q), "visible after publish, intact, with the "
	    "length pushed (not the one reserved)");
	fq_pop(q);
	tap_ok(fq_empty(q) && fq_used(q) == 0, "empty after pop");
	/* many wraps with sizes that do not divide the ring */
	seq = 1;
	got = 1;
	for (int round = 0; round < 2000; round++) {
		for (int k = 0; k < 7; k++) {
			seq++;
			if (!put(q, seq, (seq * 37) % 1500 + 1))
				ok = false;
		}
		fq_publish(q);
		/* leave one behind, so the ring does wrap */
		while (got + 1 < seq && (p = fq_peek(q, &len)) != NULL) {
			got++;
			if (!check(p, len, got, (got * 37) % 1500 + 1))
				ok = false;
			fq_pop(q);
		}
	}
	while ((p = fq_peek(q, &len)) != NULL) {
		got++;
		if (!check(p, len, got, (got * 37) % 1500 + 1))
			ok = false;
		fq_pop(q);
	}
	tap_ok(ok && got == seq, "14000 entries through the ring in order "
	    "and intact");
	/* empty again: the next entry starts at the beginning */
	p = fq_reserve(q, 100);
	tap_ok(p == first, "an empty ring starts again at its beginning");
	fq_push(q, 0);
	/* fill up: no waiting, just no room */
	while (put(q, 0, 1000))
		pushed++;
	fq_publish(q);
	tap_ok(pushed > 10 && pushed < (int)(FQ_MIN_BYTES / 1000) &&
	    fq_used(q) <= fq_capacity(q), "a full ring refuses (%d entries "
	    "of 1000 bytes in %zu)", pushed, fq_capacity(q));
	tap_ok(fq_reserve(q, FQ_MIN_BYTES / 2) == NULL,
	    "an entry larger than half the ring is refused");
	while (fq_peek(q, &len) != NULL)
		fq_pop(q);
	tap_is_uint(fq_used(q), 0, "drained");
	fq_free(q);
}

struct prod {
	struct fq	*q;
	struct fq_bell	*bell;
	uint32_t	 n;
	atomic_bool	 stop;		/* set by the consumer at its deadline */
};

static void *
producer(void *arg)
{
	struct prod *p = arg;
	uint32_t seq = 0;

	while (seq < p->n) {
		seq++;
		while (!put(p->q, seq, seq % 1400 + 1)) {
			if (atomic_load(&p->stop))
				return NULL;
			fq_publish(p->q);	/* full: let the consumer run */
			fq_bell_ring(p->bell);
		}
		if (seq % 16 == 0) {
			fq_publish(p->q);
			fq_bell_ring(p->bell);
		}
	}
	fq_publish(p->q);
	fq_bell_ring(p->bell);
	return NULL;
}

static void
test_threads(void)
{
	struct fq_bell bell;
	struct prod p;
	pthread_t th;
	uint64_t deadline, t0;
	uint32_t got = 0;
	uint8_t *e;
	size_t len;
	bool ok = true;

	fq_bell_init(&bell);
	p.q = fq_new(FQ_MIN_BYTES);
	p.bell = &bell;
	p.n = 200000;
	atomic_init(&p.stop, false);
	deadline = time_mono_ms() + THREADS_DEADLINE_MS;
	pthread_create(&th, NULL, producer, &p);
	while (got < p.n) {
		if (time_mono_ms() > deadline) {
			tap_diag("deadline: %u of %u entries after %d ms",
			    (unsigned)got, (unsigned)p.n, THREADS_DEADLINE_MS);
			break;
		}
		if ((e = fq_peek(p.q, &len)) == NULL) {
			fq_bell_wait(&bell, &p.q, 1, 100);
			continue;
		}
		got++;
		if (!check(e, len, got, got % 1400 + 1))
			ok = false;
		fq_pop(p.q);
	}
	atomic_store(&p.stop, true);
	pthread_join(th, NULL);
	tap_ok(ok && got == p.n, "200000 entries across threads, in order "
	    "and intact");
	tap_ok(fq_peek(p.q, &len) == NULL, "then empty");
	/* a queue with an entry: the consumer does not sleep */
	put(p.q, 1, 10);
	fq_publish(p.q);
	t0 = time_mono_ms();
	fq_bell_wait(&bell, &p.q, 1, 2000);
	tap_ok(time_mono_ms() - t0 < 1000, "no sleep past a waiting entry");
	fq_bell_fini(&bell);
	fq_free(p.q);
}

int
main(void)
{
	tap_plan(13);
	test_basic();
	test_threads();
	return tap_done();
}
