/*
 * collector/fq.h -- a bounded queue of variable-length entries between
 * one producer thread and one consumer thread, written in place.
 *
 * flowcapd's workers decode straight into the queue that takes their
 * flows to the writer (fq_reserve gives room for a full batch, the
 * decoder fills it, fq_push keeps what it used), so a flow is written
 * once by the decoder and read once by the writer, never copied in
 * between.  The same queue carries datagrams that one worker hands to
 * another (collector/worker.c; producers then take a lock around their
 * side).
 *
 * A byte ring of fixed capacity: entries are 8-byte aligned, never
 * straddle the end, and an entry may take at most half the ring.  The
 * producer never waits: fq_reserve returns NULL when the room is not
 * there.  Pushed entries become visible to the consumer at
 * fq_publish().  When the consumer has taken everything, the producer
 * starts again at the beginning of the ring, so a consumer that keeps
 * up works in the first few hundred kilobytes (warm in the cache, no
 * fresh pages) however large the ring is.
 *
 * struct fq_bell: the consumer sleeps on it when its queues are empty;
 * producers ring it after publishing, which costs a system call only
 * when the consumer is asleep.
 *
 * Memory: the capacity given to fq_new, nothing else.
 */
#ifndef COLLECTOR_FQ_H
#define COLLECTOR_FQ_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FQ_MIN_BYTES	(256 * 1024)
#define FQ_MAX_BYTES	((size_t)1 << 32)

struct fq;			/* opaque */

/* bytes is rounded to a multiple of 8 and clamped to the limits above. */
struct fq *fq_new(size_t bytes);
void	fq_free(struct fq *q);

/*
 * Producer: room for one entry of up to len bytes (8-byte aligned), or
 * NULL if the ring does not have it now (or len exceeds half of it).
 * The room is the producer's until fq_push or the next fq_reserve.
 */
void	*fq_reserve(struct fq *q, size_t len);

/* Producer: the entry last reserved holds len bytes (at most those
 * reserved); it becomes visible at the next fq_publish. */
void	fq_push(struct fq *q, size_t len);

/* Producer: make every pushed entry visible to the consumer. */
void	fq_publish(struct fq *q);

/*
 * Consumer: the oldest published entry (*len its bytes), or NULL if
 * there is none.  It stays valid, and the consumer's to change, until
 * fq_pop.
 */
void	*fq_peek(struct fq *q, size_t *len);

/* Consumer: done with the entry fq_peek returned; its room is free. */
void	fq_pop(struct fq *q);

/* True if nothing is published and not yet popped (either side). */
bool	fq_empty(const struct fq *q);

size_t	fq_used(const struct fq *q);		/* bytes taken now */
size_t	fq_capacity(const struct fq *q);

struct fq_bell {
	pthread_mutex_t	 mtx;
	pthread_cond_t	 cond;
	atomic_int	 waiting;	/* the consumer sleeps or is about to */
	atomic_int	 rung;
};

void	fq_bell_init(struct fq_bell *b);
void	fq_bell_fini(struct fq_bell *b);

/* Producer, after fq_publish (or anyone, to wake the consumer). */
void	fq_bell_ring(struct fq_bell *b);

/*
 * Consumer: sleep up to timeout_ms unless one of the n queues has an
 * entry or the bell was rung since the last wait.
 */
void	fq_bell_wait(struct fq_bell *b, struct fq *const *qs, size_t n,
	    int timeout_ms);

#endif /* COLLECTOR_FQ_H */
