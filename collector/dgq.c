/*
 * collector/dgq.c -- single-producer single-consumer byte ring.
 *
 * Positions head (producer) and tail (consumer) count bytes since
 * creation and never wrap in practice (64 bits); the offset in the ring
 * is pos % cap.  Entries are 8-byte aligned: a header followed by the
 * datagram.  An entry never straddles the end of the ring: when it
 * does not fit before the end, the producer writes a wrap marker (or,
 * if not even a header fits, the consumer knows to skip) and starts
 * again at offset 0.
 *
 * Publication: the producer writes the bytes, then stores head with
 * release order in dgq_commit; the consumer loads head with acquire
 * order.  Sleeping: the consumer sets `waiting` under the mutex and
 * re-checks head before it waits; the producer, after storing head,
 * reads `waiting` and signals under the mutex.  Both accesses are
 * sequentially consistent, so one side always sees the other.
 */
#include "common/base/compat.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "collector/dgq.h"

#define ENT_WRAP	UINT32_MAX

struct ent_hdr {
	uint32_t	len;		/* datagram bytes, or ENT_WRAP */
	uint16_t	sport;
	uint16_t	pad;
	uint64_t	recv_ms;
	struct nf_addr	src;
};

struct dgq {
	uint8_t		*ring;		/* owned */
	size_t		 cap;
	_Atomic uint64_t head;		/* published end (consumer reads) */
	uint64_t	 phead;		/* producer's unpublished end */
	_Atomic uint64_t tail;		/* consumer's start */
	uint64_t	 ctail;		/* consumer's position after pop */
	_Atomic uint64_t drops;
	_Atomic uint64_t pushed;
	_Atomic int	 waiting;
	_Atomic int	 woken;
	pthread_mutex_t	 mtx;
	pthread_cond_t	 cond;
};

static size_t
align8(size_t n)
{
	return (n + 7) & ~(size_t)7;
}

struct dgq *
dgq_new(size_t bytes)
{
	struct dgq *q;
	pthread_condattr_t ca;

	if (bytes < DGQ_MIN_BYTES)
		bytes = DGQ_MIN_BYTES;
	if (bytes > DGQ_MAX_BYTES)
		bytes = DGQ_MAX_BYTES;
	bytes = align8(bytes);
	if ((q = calloc(1, sizeof(*q))) == NULL)
		return NULL;
	if ((q->ring = malloc(bytes)) == NULL) {
		free(q);
		return NULL;
	}
	q->cap = bytes;
	atomic_init(&q->head, 0);
	atomic_init(&q->tail, 0);
	atomic_init(&q->drops, 0);
	atomic_init(&q->pushed, 0);
	atomic_init(&q->waiting, 0);
	atomic_init(&q->woken, 0);
	pthread_mutex_init(&q->mtx, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&q->cond, &ca);
	pthread_condattr_destroy(&ca);
	return q;
}

void
dgq_free(struct dgq *q)
{
	if (q == NULL)
		return;
	pthread_mutex_destroy(&q->mtx);
	pthread_cond_destroy(&q->cond);
	free(q->ring);
	free(q);
}

bool
dgq_push(struct dgq *q, const void *data, size_t len,
    const struct nf_addr *src, uint16_t sport, uint64_t recv_ms)
{
	struct ent_hdr h;
	uint64_t tail = atomic_load_explicit(&q->tail, memory_order_acquire);
	size_t need = align8(sizeof(h) + len);
	size_t off = (size_t)(q->phead % q->cap);
	size_t waste = 0;

	if (len >= ENT_WRAP || need > q->cap / 2)
		goto drop;
	if (q->cap - off < need)
		waste = q->cap - off;		/* skip to the ring start */
	if (q->phead + waste + need - tail > q->cap)
		goto drop;
	if (waste > 0) {
		if (waste >= sizeof(h)) {
			memset(&h, 0, sizeof(h));
			h.len = ENT_WRAP;
			memcpy(q->ring + off, &h, sizeof(h));
		}
		q->phead += waste;
		off = 0;
	}
	memset(&h, 0, sizeof(h));
	h.len = (uint32_t)len;
	h.sport = sport;
	h.recv_ms = recv_ms;
	h.src = *src;
	memcpy(q->ring + off, &h, sizeof(h));
	memcpy(q->ring + off + sizeof(h), data, len);
	q->phead += need;
	atomic_fetch_add_explicit(&q->pushed, 1, memory_order_relaxed);
	return true;
drop:
	atomic_fetch_add_explicit(&q->drops, 1, memory_order_relaxed);
	return false;
}

void
dgq_commit(struct dgq *q)
{
	atomic_store(&q->head, q->phead);
	if (atomic_load(&q->waiting)) {
		pthread_mutex_lock(&q->mtx);
		pthread_cond_signal(&q->cond);
		pthread_mutex_unlock(&q->mtx);
	}
}

void
dgq_wake(struct dgq *q)
{
	pthread_mutex_lock(&q->mtx);
	atomic_store(&q->woken, 1);
	pthread_cond_signal(&q->cond);
	pthread_mutex_unlock(&q->mtx);
}

static void
sleep_for(struct dgq *q, int timeout_ms)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_sec += timeout_ms / 1000;
	ts.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&q->mtx);
	atomic_store(&q->waiting, 1);
	if (atomic_load(&q->head) == q->ctail && !atomic_load(&q->woken))
		(void)pthread_cond_timedwait(&q->cond, &q->mtx, &ts);
	atomic_store(&q->waiting, 0);
	atomic_store(&q->woken, 0);
	pthread_mutex_unlock(&q->mtx);
}

bool
dgq_pop(struct dgq *q, struct dgq_item *it, int timeout_ms)
{
	struct ent_hdr h;
	uint64_t head, pos;
	size_t off;

	pos = atomic_load_explicit(&q->tail, memory_order_relaxed);
	q->ctail = pos;
	head = atomic_load_explicit(&q->head, memory_order_acquire);
	if (head == pos && timeout_ms > 0) {
		sleep_for(q, timeout_ms);
		head = atomic_load_explicit(&q->head, memory_order_acquire);
	}
	for (;;) {
		if (head == pos)
			return false;
		off = (size_t)(pos % q->cap);
		if (q->cap - off < sizeof(h)) {
			pos += q->cap - off;
			continue;
		}
		memcpy(&h, q->ring + off, sizeof(h));
		if (h.len == ENT_WRAP) {
			pos += q->cap - off;
			continue;
		}
		break;
	}
	it->data = q->ring + off + sizeof(h);
	it->len = h.len;
	it->src = h.src;
	it->sport = h.sport;
	it->recv_ms = h.recv_ms;
	q->ctail = pos + align8(sizeof(h) + h.len);
	return true;
}

void
dgq_release(struct dgq *q)
{
	atomic_store_explicit(&q->tail, q->ctail, memory_order_release);
}

uint64_t
dgq_drops(const struct dgq *q)
{
	return atomic_load_explicit(&((struct dgq *)(uintptr_t)q)->drops,
	    memory_order_relaxed);
}

uint64_t
dgq_pushed(const struct dgq *q)
{
	return atomic_load_explicit(&((struct dgq *)(uintptr_t)q)->pushed,
	    memory_order_relaxed);
}

size_t
dgq_used(const struct dgq *q)
{
	struct dgq *m = (struct dgq *)(uintptr_t)q;

	return (size_t)(atomic_load(&m->head) - atomic_load(&m->tail));
}

size_t
dgq_capacity(const struct dgq *q)
{
	return q->cap;
}
