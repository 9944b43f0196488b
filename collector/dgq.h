/*
 * collector/dgq.h -- the bounded datagram queue between flowcapd's
 * receive thread (one producer) and its decode/write thread (one
 * consumer).
 *
 * A byte ring of fixed capacity holding variable-length entries, so a
 * burst of small datagrams does not waste fixed-size slots.  The
 * producer never waits: a datagram that does not fit is dropped and
 * counted (dgq_drops).  Entries become visible to the consumer at
 * dgq_commit(), once per receive batch, which is also the only point
 * where the producer may take the mutex (to wake a sleeping consumer).
 * Memory: the capacity given to dgq_new, nothing else.
 */
#ifndef COLLECTOR_DGQ_H
#define COLLECTOR_DGQ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/base/addr.h"

#define DGQ_MIN_BYTES	(256 * 1024)
#define DGQ_MAX_BYTES	((size_t)1 << 32)

struct dgq;			/* opaque */

struct dgq_item {
	const uint8_t	*data;		/* borrowed until dgq_release */
	size_t		 len;
	struct nf_addr	 src;
	uint16_t	 sport;
	uint64_t	 recv_ms;
};

/* bytes is rounded to a multiple of 8 and clamped to the limits above. */
struct dgq *dgq_new(size_t bytes);
void	dgq_free(struct dgq *q);

/*
 * Producer: copy one datagram in.  Returns false (and counts a drop) if
 * it does not fit.  Not visible to the consumer before dgq_commit().
 */
bool	dgq_push(struct dgq *q, const void *data, size_t len,
	    const struct nf_addr *src, uint16_t sport, uint64_t recv_ms);
void	dgq_commit(struct dgq *q);

/*
 * Consumer: take the oldest datagram, waiting up to timeout_ms for one.
 * Returns true with *it filled, false on timeout or after dgq_wake().
 * The item stays valid until dgq_release(), which must come before the
 * next dgq_pop.
 */
bool	dgq_pop(struct dgq *q, struct dgq_item *it, int timeout_ms);
void	dgq_release(struct dgq *q);

/* Wake a consumer sleeping in dgq_pop (e.g. on shutdown). */
void	dgq_wake(struct dgq *q);

uint64_t dgq_drops(const struct dgq *q);	/* datagrams dropped, total */
uint64_t dgq_pushed(const struct dgq *q);	/* datagrams queued, total */
size_t	dgq_used(const struct dgq *q);		/* bytes in the ring now */
size_t	dgq_capacity(const struct dgq *q);

#endif /* COLLECTOR_DGQ_H */
