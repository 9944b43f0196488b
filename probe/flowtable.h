/*
 * probe/flowtable.h -- the probe's table of active flows: storage, a
 * keyed hash index, and the intrusive lists expiry walks.
 *
 * Flows live in one pool of max_flows + 1 entries (entry 0 is the null
 * index), allocated once with calloc so that pages the table never
 * reaches are never touched; a free list recycles entries, so nothing
 * is allocated per packet.  Links are 32-bit pool indices.  The index
 * is a chained hash: a power-of-two array of chain heads, at least
 * max_flows long (load factor <= 1), hashed with SipHash-1-3 under a
 * per-run secret key, so traffic crafted to collide cannot be.
 *
 * Every flow is on two doubly linked lists: the first-seen list (in the
 * order flows were created; the active timeout walks it from the head)
 * and one of FLOWTABLE_NLISTS last-seen lists chosen by the caller
 * (meter.c keeps one per timeout class, so each list is ordered by
 * last-seen time and by deadline at once).  flowtable_touch() moves a
 * flow to the tail of a list in O(1); nothing ever scans the table per
 * packet.  Callers must touch with non-decreasing times for the lists
 * to stay ordered.
 *
 * Worst-case memory: (max_flows + 1) * sizeof(struct flow) (104 bytes)
 * + 4 bytes per hash bucket: about 7 MB for the default 65536 flows,
 * of which only the part ever used becomes resident.
 */
#ifndef PROBE_FLOWTABLE_H
#define PROBE_FLOWTABLE_H

#include <stddef.h>
#include <stdint.h>

#include "common/pkt/flowkey.h"
#include "common/pkt/siphash.h"

#define FLOWTABLE_DEFAULT_FLOWS	65536
#define FLOWTABLE_MAX_FLOWS	(UINT32_C(1) << 24)
#define FLOWTABLE_NLISTS	6	/* last-seen lists */

struct flow {
	struct flow_key	key;
	uint64_t	first_ms;	/* first packet, ms since epoch */
	uint64_t	last_ms;	/* last packet */
	uint64_t	packets;
	uint64_t	bytes;		/* layer-3 octets */
	uint32_t	hnext;		/* hash chain; free-list link when free */
	uint32_t	lprev, lnext;	/* last-seen list `list' */
	uint32_t	aprev, anext;	/* first-seen list */
	uint8_t		tcp_flags;	/* OR of every packet's flags */
	uint8_t		list;		/* which last-seen list */
	uint8_t		state;		/* free for the caller (meter.c) */
	uint8_t		pad;
};

struct flowtable;		/* opaque */

/*
 * New empty table for at most max_flows (1..FLOWTABLE_MAX_FLOWS) flows,
 * hashed under key.  Returns NFE_OK, NFE_INVAL (max_flows out of range)
 * or NFE_NOMEM; *out is NULL on failure.
 */
int	flowtable_new(uint32_t max_flows, const struct sipkey *key,
	    struct flowtable **out);
void	flowtable_free(struct flowtable *ft);

/*
 * The flow with key k, or NULL.  *bucket is set either way, for a
 * following flowtable_insert() of the same key.
 */
struct flow *flowtable_find(struct flowtable *ft, const struct flow_key *k,
	    uint32_t *bucket);

/*
 * For batches (meter_packets): the bucket of k, and hints that bring
 * the bucket, then the first flow of its chain and that flow's list
 * neighbours into the cache.  Hints only: nothing changes.
 */
uint32_t flowtable_bucket(const struct flowtable *ft, const struct flow_key *k);
void	flowtable_prefetch_bucket(const struct flowtable *ft, uint32_t bucket);
void	flowtable_prefetch_chain(const struct flowtable *ft, uint32_t bucket);
void	flowtable_prefetch_links(const struct flowtable *ft, uint32_t bucket);

/* As flowtable_find, with the bucket already known. */
struct flow *flowtable_find_in(struct flowtable *ft, const struct flow_key *k,
	    uint32_t bucket);

/*
 * Add a flow with key k (not already present; bucket from the
 * flowtable_find() that missed) at the tail of last-seen list `list'
 * and of the first-seen list, with first_ms = last_ms = now and zero
 * counters.  Returns NFE_OK, or NFE_LIMIT when the table is full (the
 * caller evicts and retries).  *out (owned by the table) stays valid
 * until the flow is removed.
 */
int	flowtable_insert(struct flowtable *ft, const struct flow_key *k,
	    uint32_t bucket, unsigned list, uint64_t now, struct flow **out);

/* Unlink f from the index and both lists and free its entry. */
void	flowtable_remove(struct flowtable *ft, struct flow *f);

/* Move f to the tail of last-seen list `list' (it was just seen). */
void	flowtable_touch(struct flowtable *ft, struct flow *f, unsigned list);

/* Head (least recently seen) of a last-seen list, or NULL. */
struct flow *flowtable_list_head(const struct flowtable *ft, unsigned list);

/* Least recently seen flow over all lists (ties: lowest list), or NULL. */
struct flow *flowtable_lru(const struct flowtable *ft);

/* First-seen order: the oldest flow, and the one created after f. */
struct flow *flowtable_first(const struct flowtable *ft);
struct flow *flowtable_next(const struct flowtable *ft,
	    const struct flow *f);

size_t	flowtable_count(const struct flowtable *ft);
uint32_t flowtable_max(const struct flowtable *ft);
/* Bytes reserved for the pool and the index (not all resident). */
size_t	flowtable_memory(const struct flowtable *ft);
/* Longest hash chain now (a diagnostic; walks the whole index). */
size_t	flowtable_max_chain(const struct flowtable *ft);

#endif /* PROBE_FLOWTABLE_H */
