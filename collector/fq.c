/*
 * collector/fq.c -- single-producer single-consumer ring of entries
 * written in place (collector/fq.h).
 *
 * Positions head (published end), phead (the producer's end, pushed
 * but maybe not published) and tail (the consumer's start) count bytes
 * since creation (64 bits: they never wrap in practice); the offset in
 * the ring is pos % cap.  An entry is an 8-byte header (its length, or
 * FQ_WRAP) and its bytes, padded to 8.  When an entry does not fit
 * before the end of the ring the producer writes a wrap marker there
 * (or, if not even a header fits, the consumer knows to skip the rest)
 * and starts again at offset 0.  When the ring is empty (the consumer
 * has taken everything) the producer also starts again at offset 0, to
 * stay near the start: it notes the skip in skip_from/skip_to rather
 * than in the ring, so that the skipped bytes are free at once (a
 * marker in the ring would keep them until the consumer read it); the
 * consumer, at position skip_from, goes on at skip_to.
 *
 * Publication: the producer writes the bytes, then stores head with
 * release order; the consumer loads head with acquire order.  Room:
 * the consumer stores tail with release order after it is done with an
 * entry; the producer loads it with acquire order before reusing the
 * bytes.  Sleeping (fq_bell): the consumer sets `waiting` and then
 * looks at the queues; a producer stores head and then looks at
 * `waiting`; both sequentially consistent, so one side always sees the
 * other.
 */
#include "common/base/compat.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "collector/fq.h"

#define FQ_WRAP		UINT32_MAX
#define HDR		8

struct fq {
	uint8_t		*ring;		/* owned */
	size_t		 cap;
	/* the producer's */
	uint64_t	 phead;
	uint64_t	 rsv;		/* where the reserved entry starts */
	_Atomic uint64_t skip_from;	/* the last skip to the start ... */
	_Atomic uint64_t skip_to;	/* ... and where it goes on */
	_Alignas(64) _Atomic uint64_t head;
	/* the consumer's, on a cache line of their own */
	_Alignas(64) uint64_t ctail;	/* after the peeked entry */
	_Atomic uint64_t tail;
};

static size_t
align8(size_t n)
{
	return (n + 7) & ~(size_t)7;
}

struct fq *
fq_new(size_t bytes)
{
	struct fq *q;

	if (bytes < FQ_MIN_BYTES)
		bytes = FQ_MIN_BYTES;
	if (bytes > FQ_MAX_BYTES)
		bytes = FQ_MAX_BYTES;
	bytes = align8(bytes);
	if ((q = aligned_alloc(64, (sizeof(*q) + 63) & ~(size_t)63)) == NULL)
		return NULL;
	memset(q, 0, sizeof(*q));
	if ((q->ring = malloc(bytes)) == NULL) {
		free(q);
		return NULL;
	}
	q->cap = bytes;
	atomic_init(&q->head, 0);
	atomic_init(&q->tail, 0);
	atomic_init(&q->skip_from, UINT64_MAX);
	atomic_init(&q->skip_to, 0);
	return q;
}

void
fq_free(struct fq *q)
{
	if (q == NULL)
		return;
	free(q->ring);
	free(q);
}

/* The consumer at tail has not passed the last skip: its bytes are free. */
static uint64_t
past_skip(const struct fq *q, uint64_t tail)
{
	struct fq *m = (struct fq *)(uintptr_t)q;

	if (tail == atomic_load_explicit(&m->skip_from, memory_order_relaxed))
		return atomic_load_explicit(&m->skip_to, memory_order_relaxed);
	return tail;
}

/* Mark the rest of the ring from off as skipped, and move past it. */
static void
skip_to_start(struct fq *q, size_t off)
{
	uint32_t mark = FQ_WRAP;

	if (q->cap - off >= HDR)
		memcpy(q->ring + off, &mark, sizeof(mark));
	q->phead += q->cap - off;
}

void *
fq_reserve(struct fq *q, size_t len)
{
	uint64_t tail = atomic_load_explicit(&q->tail, memory_order_acquire);
	size_t need = HDR + align8(len);
	size_t off = (size_t)(q->phead % q->cap);

	if (need > q->cap / 2)
		return NULL;
	/* empty: back to the start, where the cache is warm */
	if (tail == q->phead && off != 0) {
		atomic_store_explicit(&q->skip_to, q->phead + (q->cap - off),
		    memory_order_relaxed);
		atomic_store_explicit(&q->skip_from, q->phead,
		    memory_order_relaxed);
		q->phead += q->cap - off;
		off = 0;
	}
	tail = past_skip(q, tail);
	if (q->cap - off < need) {
		/* does not fit before the end: would the start have room? */
		if (q->phead + (q->cap - off) + need - tail > q->cap)
			return NULL;
		skip_to_start(q, off);
		off = 0;
	} else if (q->phead + need - tail > q->cap) {
		return NULL;
	}
	q->rsv = q->phead;
	return q->ring + off + HDR;
}

void
fq_push(struct fq *q, size_t len)
{
	uint32_t l = (uint32_t)len;

	memcpy(q->ring + q->rsv % q->cap, &l, sizeof(l));
	q->phead = q->rsv + HDR + align8(len);
}

void
fq_publish(struct fq *q)
{
	atomic_store(&q->head, q->phead);
}

void *
fq_peek(struct fq *q, size_t *len)
{
	uint64_t pos = atomic_load_explicit(&q->tail, memory_order_relaxed);
	uint64_t head = atomic_load_explicit(&q->head, memory_order_acquire);
	uint32_t l;
	size_t off;

	for (;;) {
		if (head == pos)
			return NULL;
		/* head is past it: the skip was stored before that head */
		if (pos == atomic_load_explicit(&q->skip_from,
		    memory_order_relaxed)) {
			pos = atomic_load_explicit(&q->skip_to,
			    memory_order_relaxed);
			continue;
		}
		off = (size_t)(pos % q->cap);
		if (q->cap - off < HDR) {
			pos += q->cap - off;
			continue;
		}
		memcpy(&l, q->ring + off, sizeof(l));
		if (l == FQ_WRAP) {
			pos += q->cap - off;
			continue;
		}
		break;
	}
	*len = l;
	q->ctail = pos + HDR + align8(l);
	return q->ring + off + HDR;
}

void
fq_pop(struct fq *q)
{
	atomic_store_explicit(&q->tail, q->ctail, memory_order_release);
}

bool
fq_empty(const struct fq *q)
{
	return fq_used(q) == 0;
}

size_t
fq_used(const struct fq *q)
{
	struct fq *m = (struct fq *)(uintptr_t)q;
	uint64_t tail = atomic_load(&m->tail);
	uint64_t head = atomic_load(&m->head);

	/* a skip published alone is not an entry */
	tail = past_skip(q, tail);
	return head > tail ? (size_t)(head - tail) : 0;
}

size_t
fq_capacity(const struct fq *q)
{
	return q->cap;
}

void
fq_bell_init(struct fq_bell *b)
{
	pthread_condattr_t ca;

	pthread_mutex_init(&b->mtx, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&b->cond, &ca);
	pthread_condattr_destroy(&ca);
	atomic_init(&b->waiting, 0);
	atomic_init(&b->rung, 0);
}

void
fq_bell_fini(struct fq_bell *b)
{
	pthread_mutex_destroy(&b->mtx);
	pthread_cond_destroy(&b->cond);
}

void
fq_bell_ring(struct fq_bell *b)
{
	if (!atomic_load(&b->waiting))
		return;
	pthread_mutex_lock(&b->mtx);
	atomic_store(&b->rung, 1);
	pthread_cond_signal(&b->cond);
	pthread_mutex_unlock(&b->mtx);
}

static bool
any_ready(struct fq *const *qs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!fq_empty(qs[i]))
			return true;
	return false;
}

void
fq_bell_wait(struct fq_bell *b, struct fq *const *qs, size_t n,
    int timeout_ms)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_sec += timeout_ms / 1000;
	ts.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&b->mtx);
	atomic_store(&b->waiting, 1);
	if (!any_ready(qs, n) && !atomic_load(&b->rung))
		(void)pthread_cond_timedwait(&b->cond, &b->mtx, &ts);
	atomic_store(&b->waiting, 0);
	atomic_store(&b->rung, 0);
	pthread_mutex_unlock(&b->mtx);
}
