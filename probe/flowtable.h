/*
 * probe/flowtable.h -- the probe's table of active flows: storage, a
 * keyed hash index, and the intrusive lists expiry walks.
 *
 * Flows live in one pool of max_flows + 1 entries (entry 0 is the null
 * index), allocated once with calloc so that pages the table never
 * reaches are never touched; a free list recycles entries, so nothing
 * is allocated per packet.  Links are 32-bit pool indices.  An entry
 * is two cache lines: what a lookup compares (key, hash) in the first,
 * what a packet updates and expiry reads (times, counters, list links)
 * in the second.
 *
 * Index: open addressing with linear probing over a power-of-two array
 * of 8-byte slots, kept at least twice as long as the flows in it
 * (load <= 1/2; it starts at 4096 slots and doubles as flows come, up
 * to twice max_flows, so a table that never fills keeps a small one), each
 * slot holding a flow's 32-bit hash (the tag) and its pool index; 0 is
 * an empty slot.  A lookup compares tags in the slots' line and reads
 * the entry of a matching tag only, so a hit touches one slot line and
 * the flow, a miss the slot line alone; insert and remove (backward
 * shift, no tombstones: a slot's home is its tag's low bits) touch the
 * slot line and no other flow.  The hash is SipHash-1-3 under a per-run
 * secret key (traffic crafted to collide in one run does not in the
 * next).  It is symmetric but for one bit: a flow and its reverse
 * (addresses and ports swapped) hash alike except FLOWTABLE_DIR, which
 * says which endpoint sorts first, so both probe from the same slot
 * (the reverse lookup is free) while their tags tell them apart.  The
 * hash is kept in the entry, so meter.c hashes each packet once
 * (flowtable_hash) for the prefetch, the lookup, the insert, the
 * reverse lookup and the removal.
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
 * Per-flow data that only some configurations need belongs in an array
 * beside the pool, indexed by flowtable_index(), so that the entry
 * stays two cache lines.
 *
 * Worst-case memory: (max_flows + 2) * sizeof(struct flow) (128 bytes)
 * + 8 bytes per index slot (2 to 4 slots per flow): about 9.4 MB for
 * the default 65536 flows (8.4 MB of entries, 1 MB of index), of which
 * only the part ever used becomes resident.
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
/* The hash bit that differs between a flow and its reverse. */
#define FLOWTABLE_DIR		(UINT64_C(1) << 31)

struct flow {
	/* first line: what a lookup reads */
	struct flow_key	key;
	uint32_t	hash;		/* low bits of flowtable_hash(key) */
	uint32_t	spare[3];
	/* second line: what a packet updates and expiry reads */
	uint64_t	first_ms;	/* first packet, ms since epoch */
	uint64_t	last_ms;	/* last packet */
	uint64_t	packets;
	uint64_t	bytes;		/* layer-3 octets */
	uint32_t	lprev, lnext;	/* last-seen list `list'; lnext links
					   the free list when free */
	uint32_t	aprev, anext;	/* first-seen list */
	uint8_t		tcp_flags;	/* OR of every packet's flags */
	uint8_t		list;		/* which last-seen list */
	uint8_t		state;		/* free for the caller (meter.c) */
} __attribute__((aligned(64)));

_Static_assert(sizeof(struct flow) == 128, "struct flow is two lines");

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
 * The table's hash of k: the same for k and for k with source and
 * destination (address and port) swapped, but for the FLOWTABLE_DIR
 * bit, which differs unless the two endpoints are equal.
 */
uint64_t flowtable_hash(const struct flowtable *ft, const struct flow_key *k);

/*
 * The flow with key k, or NULL.  *hash is set to flowtable_hash(k)
 * either way, for a following flowtable_insert() of the same key.
 */
struct flow *flowtable_find(struct flowtable *ft, const struct flow_key *k,
	    uint64_t *hash);

/* As flowtable_find, with the hash already known. */
struct flow *flowtable_find_in(struct flowtable *ft, const struct flow_key *k,
	    uint64_t hash);

/*
 * The reverse of flow f (addresses and ports swapped, everything else
 * equal), or NULL; no hashing, same probe sequence.
 */
struct flow *flowtable_find_reverse(struct flowtable *ft,
	    const struct flow *f);

/* The hash of k's reverse, from k and h = flowtable_hash(k). */
uint64_t flowtable_hash_reverse(const struct flow_key *k, uint64_t h);

/*
 * For batches (meter_packets), each stage called for the whole batch
 * before the next, so that the misses of one stage overlap and have
 * arrived by the next: hints that bring the index slots of hash into
 * the cache, then (both lines of) the flow whose tag matches, then
 * that flow's last-seen neighbours, which touching it relinks.  Hints
 * only: nothing changes.
 */
void	flowtable_prefetch_slot(const struct flowtable *ft, uint64_t hash);
void	flowtable_prefetch_flow(const struct flowtable *ft, uint64_t hash);
void	flowtable_prefetch_links(const struct flowtable *ft,
	    const struct flow_key *k, uint64_t hash);

/*
 * For expiry walks (meter.c): hints that bring into the cache what
 * flowtable_remove(f) touches besides f (its index slot and its
 * neighbours on both lists) and the whole of the flows after f on
 * both lists, the next ones a walk looks at.  f's links are read, so
 * f should be in the cache already: a walk hints at the flow after the
 * one it removes, whose entry the previous hint brought in.
 */
void	flowtable_prefetch_remove(const struct flowtable *ft,
	    const struct flow *f);

/*
 * For evictions (meter.c), with f the flow about to be evicted, the
 * head of its last-seen list: hints at the flows some way behind it on
 * the list, which later evictions take, and at the next one's index
 * slot.  Keeps a position per list; hints only, nothing else changes.
 */
void	flowtable_prefetch_lru(struct flowtable *ft, const struct flow *f);

/*
 * Add a flow with key k (not already present; hash from the
 * flowtable_find() that missed) at the tail of last-seen list `list'
 * and of the first-seen list, with first_ms = last_ms = now and zero
 * counters.  Returns NFE_OK, or NFE_LIMIT when the table is full, or
 * its index has to grow and there is no memory for it (either way the
 * caller evicts and retries).  *out (owned by the table) stays valid
 * until the flow is removed.
 */
int	flowtable_insert(struct flowtable *ft, const struct flow_key *k,
	    uint64_t hash, unsigned list, uint64_t now, struct flow **out);

/* Unlink f from the index and both lists and free its entry. */
void	flowtable_remove(struct flowtable *ft, struct flow *f);

/* Move f to the tail of last-seen list `list' (it was just seen). */
void	flowtable_touch(struct flowtable *ft, struct flow *f, unsigned list);

/* Head (least recently seen) of a last-seen list, or NULL. */
struct flow *flowtable_list_head(const struct flowtable *ft, unsigned list);

/* The flow seen after f on f's last-seen list, or NULL. */
struct flow *flowtable_list_next(const struct flowtable *ft,
	    const struct flow *f);

/* Least recently seen flow over all lists (ties: lowest list), or NULL. */
struct flow *flowtable_lru(const struct flowtable *ft);

/* First-seen order: the oldest flow, and the one created after f. */
struct flow *flowtable_first(const struct flowtable *ft);
struct flow *flowtable_next(const struct flowtable *ft,
	    const struct flow *f);

/* f's pool index, 1..max_flows, fixed while f lives. */
uint32_t flowtable_index(const struct flowtable *ft, const struct flow *f);

size_t	flowtable_count(const struct flowtable *ft);
uint32_t flowtable_max(const struct flowtable *ft);
/* Bytes the pool and the index take at most (not all resident). */
size_t	flowtable_memory(const struct flowtable *ft);
/*
 * Longest probe now: the most slots a lookup of a present flow reads
 * (a diagnostic; walks the whole index).
 */
size_t	flowtable_max_probe(const struct flowtable *ft);
/* Slots in the index (a power of two). */
size_t	flowtable_slots(const struct flowtable *ft);

#endif /* PROBE_FLOWTABLE_H */
