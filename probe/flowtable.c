/*
 * probe/flowtable.c -- pool, open-addressing index under a keyed,
 * nearly symmetric hash, and intrusive lists of the probe's active
 * flows (see flowtable.h).
 */
#include "common/base/compat.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "common/base/nferr.h"
#include "probe/flowtable.h"

struct list {
	uint32_t	head, tail;
};

struct flowtable {
	struct flow	*pool;		/* max + 1 entries, [0] unused */
	void		*pool_mem;	/* owned; pool before alignment */
	uint64_t	*slots;		/* owned; tag << 32 | index, 0 empty */
	uint32_t	 mask;		/* number of slots - 1 */
	uint32_t	 max_slots;	/* what the index may grow to */
	uint32_t	 max;
	uint32_t	 count;
	uint32_t	 free_head;	/* recycled entries */
	uint32_t	 hiwater;	/* next never-used entry */
	struct list	 lists[FLOWTABLE_NLISTS];
	struct list	 age;
	uint32_t	 ahead[FLOWTABLE_NLISTS];  /* flowtable_prefetch_lru */
	uint32_t	 ahead_n[FLOWTABLE_NLISTS]; /* steps past the head */
	struct sipkey	 key;
};

#define IDX(ft, f)	((uint32_t)((f) - (ft)->pool))

#define SLOT(tag, i)	((uint64_t)(tag) << 32 | (i))
#define SLOT_TAG(s)	((uint32_t)((s) >> 32))
#define SLOT_IDX(s)	((uint32_t)(s))

/*
 * The index starts at INDEX_START slots (or the table's whole index if
 * smaller) and doubles whenever it would pass half full, up to twice
 * max_flows: a table that never fills (long flows: a few thousand at a
 * time) keeps a small index, since slots are spread over all of it and
 * every page of an index is soon resident.  Doubling reads the slots
 * only: a slot's new position comes from its own tag.
 */
#define INDEX_START	4096

/*
 * Double the index.  Returns false if there is no memory (the index
 * stays as it is, and is still usable up to half full).
 */
static bool
grow(struct flowtable *ft)
{
	uint32_t n = (ft->mask + 1) * 2, p;
	uint64_t *ns, s;

	if ((ns = calloc(n, sizeof(*ns))) == NULL)
		return false;
	for (uint32_t j = 0; j <= ft->mask; j++) {
		if ((s = ft->slots[j]) == 0)
			continue;
		for (p = SLOT_TAG(s) & (n - 1); ns[p] != 0; p = (p + 1) & (n - 1))
			;
		ns[p] = s;
	}
	free(ft->slots);
	ft->slots = ns;
	ft->mask = n - 1;
	return true;
}

int
flowtable_new(uint32_t max_flows, const struct sipkey *key,
    struct flowtable **out)
{
	struct flowtable *ft;
	uint32_t n = 16, max_slots;

	*out = NULL;
	if (max_flows < 1 || max_flows > FLOWTABLE_MAX_FLOWS)
		return NFE_INVAL;
	while (n < 2 * max_flows)	/* load <= 1/2: probes stay short */
		n <<= 1;
	max_slots = n;
	if (n > INDEX_START)		/* grows with the flows (insert) */
		n = INDEX_START;
	if ((ft = calloc(1, sizeof(*ft))) == NULL)
		return NFE_NOMEM;
	/* one spare entry pays for putting entries on line boundaries */
	ft->pool_mem = calloc((size_t)max_flows + 2, sizeof(struct flow));
	ft->slots = calloc(n, sizeof(*ft->slots));
	if (ft->pool_mem == NULL || ft->slots == NULL) {
		flowtable_free(ft);
		return NFE_NOMEM;
	}
	ft->pool = (struct flow *)(((uintptr_t)ft->pool_mem + 63) &
	    ~(uintptr_t)63);
	ft->mask = n - 1;
	ft->max_slots = max_slots;
	ft->max = max_flows;
	ft->hiwater = 1;
	ft->key = *key;
	*out = ft;
	return NFE_OK;
}

void
flowtable_free(struct flowtable *ft)
{
	if (ft == NULL)
		return;
	free(ft->pool_mem);
	free(ft->slots);
	free(ft);
}

/* ---- hashing ---- */

/*
 * The hashed words: the two endpoints in a fixed order (so a flow and
 * its reverse agree), then the rest of the key; IPv4 endpoints as their
 * 4 bytes, so most keys take 3 SipHash words instead of 6.  Words are
 * built in host order: the hash is the table's own, never stored or
 * sent, so it may differ between hosts.
 */
uint64_t
flowtable_hash(const struct flowtable *ft, const struct flow_key *k)
{
	uint64_t s[2], d[2], t, w[6];
	uint16_t ps = k->sport, pd = k->dport, pt;
	bool swap;

	w[5] = (uint64_t)k->ifindex | (uint64_t)k->proto << 32 |
	    (uint64_t)k->tos << 40 | (uint64_t)k->af << 48;
	if (k->af == 4) {
		/* the usual case: two 4-byte addresses, one word */
		uint32_t a4, b4, t4;

		memcpy(&a4, k->src.a + 12, 4);
		memcpy(&b4, k->dst.a + 12, 4);
		swap = a4 != b4 ? a4 > b4 : ps > pd;
		if (swap) {
			t4 = a4, a4 = b4, b4 = t4;
			pt = ps, ps = pd, pd = pt;
		}
		w[3] = (uint64_t)a4 | (uint64_t)b4 << 32;
		w[4] = (uint64_t)ps | (uint64_t)pd << 16 |
		    (uint64_t)k->vlan << 32 | (uint64_t)k->vlan_inner << 48;
		return (siphash13_words(&ft->key, w + 3, 3) & ~FLOWTABLE_DIR) |
		    (swap ? FLOWTABLE_DIR : 0);
	}
	memcpy(s, k->src.a, 16);
	memcpy(d, k->dst.a, 16);
	swap = s[0] != d[0] ? s[0] > d[0] : s[1] != d[1] ? s[1] > d[1] :
	    ps > pd;
	if (swap) {
		t = s[0], s[0] = d[0], d[0] = t;
		t = s[1], s[1] = d[1], d[1] = t;
		pt = ps, ps = pd, pd = pt;
	}
	w[4] = (uint64_t)ps | (uint64_t)pd << 16 | (uint64_t)k->vlan << 32 |
	    (uint64_t)k->vlan_inner << 48;
	w[0] = s[0], w[1] = s[1], w[2] = d[0], w[3] = d[1];
	return (siphash13_words(&ft->key, w, 6) & ~FLOWTABLE_DIR) |
	    (swap ? FLOWTABLE_DIR : 0);
}

uint64_t
flowtable_hash_reverse(const struct flow_key *k, uint64_t h)
{
	/* equal endpoints: the key is its own reverse */
	if (k->sport == k->dport &&
	    memcmp(k->src.a, k->dst.a, sizeof(k->src.a)) == 0)
		return h;
	return h ^ FLOWTABLE_DIR;
}

/* ---- lookup ---- */

static bool
key_eq(const struct flow_key *a, const struct flow_key *b)
{
	return memcmp(a, b, sizeof(*a)) == 0;
}


/*
 * Slot position of the flow with key k (hashed to hash): its pool index
 * is SLOT_IDX(ft->slots[*pos]), or *pos is the empty slot that ended
 * the probe (returns false).
 */
static inline bool
probe(const struct flowtable *ft, const struct flow_key *k, uint64_t hash,
    uint32_t *pos)
{
	uint32_t tag = (uint32_t)hash, p = tag & ft->mask;
	uint64_t s;

	for (;; p = (p + 1) & ft->mask) {
		s = ft->slots[p];
		if (s == 0)
			break;
		if (SLOT_TAG(s) == tag &&
		    key_eq(&ft->pool[SLOT_IDX(s)].key, k)) {
			*pos = p;
			return true;
		}
	}
	*pos = p;
	return false;
}

/* Pool index of the flow with key k (hashed to hash), or 0. */
static inline uint32_t
lookup(const struct flowtable *ft, const struct flow_key *k, uint64_t hash)
{
	uint32_t p;

	return probe(ft, k, hash, &p) ? SLOT_IDX(ft->slots[p]) : 0;
}

struct flow *
flowtable_find_in(struct flowtable *ft, const struct flow_key *k,
    uint64_t hash)
{
	uint32_t i = lookup(ft, k, hash);

	return i != 0 ? &ft->pool[i] : NULL;
}

struct flow *
flowtable_find(struct flowtable *ft, const struct flow_key *k,
    uint64_t *hash)
{
	*hash = flowtable_hash(ft, k);
	return flowtable_find_in(ft, k, *hash);
}

struct flow *
flowtable_find_reverse(struct flowtable *ft, const struct flow *f)
{
	struct flow_key r = f->key;

	r.src = f->key.dst;
	r.dst = f->key.src;
	r.sport = f->key.dport;
	r.dport = f->key.sport;
	return flowtable_find_in(ft, &r, flowtable_hash_reverse(&f->key,
	    f->hash));
}

void
flowtable_prefetch_slot(const struct flowtable *ft, uint64_t hash)
{
	__builtin_prefetch(&ft->slots[(uint32_t)hash & ft->mask]);
}

void
flowtable_prefetch_flow(const struct flowtable *ft, uint64_t hash)
{
	uint32_t tag = (uint32_t)hash, p = tag & ft->mask;
	uint64_t s;

	/*
	 * The first slot with the tag: almost always the flow (the reverse
	 * has another tag); a wrong guess costs a useless hint only.
	 */
	for (;; p = (p + 1) & ft->mask) {
		s = ft->slots[p];
		if (s == 0)
			return;
		if (SLOT_TAG(s) == tag) {
			__builtin_prefetch(&ft->pool[SLOT_IDX(s)].key, 1);
			__builtin_prefetch(&ft->pool[SLOT_IDX(s)].last_ms, 1);
			return;
		}
	}
}

void
flowtable_prefetch_links(const struct flowtable *ft, const struct flow_key *k,
    uint64_t hash)
{
	const struct flow *f;
	uint32_t i;

	if ((i = lookup(ft, k, hash)) == 0)
		return;
	f = &ft->pool[i];
	if (f->lprev != 0)
		__builtin_prefetch(&ft->pool[f->lprev].lnext, 1);
	if (f->lnext != 0)
		__builtin_prefetch(&ft->pool[f->lnext].lprev, 1);
}

/* Both lines of entry i, if any. */
static inline void
prefetch_entry(const struct flowtable *ft, uint32_t i)
{
	if (i != 0) {
		__builtin_prefetch(&ft->pool[i].key, 1);
		__builtin_prefetch(&ft->pool[i].last_ms, 1);
	}
}

void
flowtable_prefetch_remove(const struct flowtable *ft, const struct flow *f)
{
	/* the flow's slot is at or soon after its home */
	__builtin_prefetch(&ft->slots[f->hash & ft->mask], 1);
	/* neighbours: their links are in the second line */
	if (f->lprev != 0)
		__builtin_prefetch(&ft->pool[f->lprev].last_ms, 1);
	if (f->aprev != 0)
		__builtin_prefetch(&ft->pool[f->aprev].last_ms, 1);
	/* the next flows of both lists, which a walk reads whole */
	prefetch_entry(ft, f->lnext);
	prefetch_entry(ft, f->anext);
}

/*
 * Evictions take list heads one after another, each a flow last seen
 * long ago and out of the cache.  Each list keeps a hint pointer that
 * runs PREFETCH_AHEAD flows in front of its head: every eviction moves
 * it one flow on (two while it catches up) and hints at the flow it
 * reaches, so the victims of later evictions are in the cache when
 * their turn comes, and hints at the next victim's slot.  The pointer
 * is only ever a hint: if its flow left the list (touched to the tail,
 * ended, or its entry reused) it restarts from the head.
 */
#define PREFETCH_AHEAD	8

void
flowtable_prefetch_lru(struct flowtable *ft, const struct flow *f)
{
	unsigned l = f->list;
	uint32_t a, n, step;

	if (l >= FLOWTABLE_NLISTS || ft->lists[l].head != IDX(ft, f))
		return;
	if (f->lnext != 0) {	/* the next victim: its entry came before */
		const struct flow *v = &ft->pool[f->lnext];

		/* what removing it touches: its slot, its age neighbours */
		__builtin_prefetch(&ft->slots[v->hash & ft->mask], 1);
		if (v->aprev != 0)
			__builtin_prefetch(&ft->pool[v->aprev].last_ms, 1);
		if (v->anext != 0)
			__builtin_prefetch(&ft->pool[v->anext].last_ms, 1);
	}
	/* a: n flows behind f; once f leaves, n - 1 behind the new head */
	a = ft->ahead[l];
	n = ft->ahead_n[l];
	if (a == 0 || n <= 1 || ft->pool[a].list != l) {
		a = f->lnext;	/* restart at the new head */
		n = 0;
	} else
		n--;
	for (step = n < PREFETCH_AHEAD ? 2 : 1; step > 0 && a != 0; step--) {
		if (ft->pool[a].lnext == 0)
			break;
		a = ft->pool[a].lnext;
		n++;
		__builtin_prefetch(&ft->pool[a].key, 1);
		__builtin_prefetch(&ft->pool[a].last_ms, 1);
	}
	ft->ahead[l] = a;
	ft->ahead_n[l] = n;
}

/* ---- lists, insert, remove ---- */

/* Doubly linked list operations over pool indices; field names vary. */
#define LIST_APPEND(ft, l, i, prev, next) do {				\
	(ft)->pool[i].prev = (l)->tail;					\
	(ft)->pool[i].next = 0;						\
	if ((l)->tail != 0)						\
		(ft)->pool[(l)->tail].next = (i);			\
	else								\
		(l)->head = (i);					\
	(l)->tail = (i);						\
} while (0)

#define LIST_UNLINK(ft, l, i, prev, next) do {				\
	uint32_t p_ = (ft)->pool[i].prev, n_ = (ft)->pool[i].next;	\
	if (p_ != 0)							\
		(ft)->pool[p_].next = n_;				\
	else								\
		(l)->head = n_;						\
	if (n_ != 0)							\
		(ft)->pool[n_].prev = p_;				\
	else								\
		(l)->tail = p_;						\
} while (0)

int
flowtable_insert(struct flowtable *ft, const struct flow_key *k,
    uint64_t hash, unsigned list, uint64_t now, struct flow **out)
{
	struct flow *f;
	uint32_t i, p = (uint32_t)hash & ft->mask;

	*out = NULL;
	if (ft->count == ft->max)
		return NFE_LIMIT;
	if ((ft->count + 1) * 2 > ft->mask + 1) {
		/* no memory to grow: as full (the caller evicts a flow) */
		if (ft->mask + 1 >= ft->max_slots || !grow(ft))
			return NFE_LIMIT;
		p = (uint32_t)hash & ft->mask;
	}
	if (ft->free_head != 0) {
		i = ft->free_head;
		ft->free_head = ft->pool[i].lnext;
	} else
		i = ft->hiwater++;
	/* the first empty slot from the home: load <= 1/2, there is one */
	while (ft->slots[p] != 0)
		p = (p + 1) & ft->mask;
	ft->slots[p] = SLOT((uint32_t)hash, i);
	f = &ft->pool[i];
	memset(f, 0, sizeof(*f));
	f->key = *k;
	f->hash = (uint32_t)hash;
	f->first_ms = f->last_ms = now;
	f->list = (uint8_t)list;
	LIST_APPEND(ft, &ft->lists[list], i, lprev, lnext);
	LIST_APPEND(ft, &ft->age, i, aprev, anext);
	ft->count++;
	*out = f;
	return NFE_OK;
}

/*
 * Empty slot p, then close the gap (linear probing's backward shift):
 * each later slot of the run whose home does not lie after the gap
 * (cyclically) moves into it, so that every probe still reaches its
 * flow before an empty slot.
 */
static void
slot_clear(struct flowtable *ft, uint32_t p)
{
	uint32_t j = p, home;
	uint64_t s;

	for (;;) {
		j = (j + 1) & ft->mask;
		if ((s = ft->slots[j]) == 0)
			break;
		home = SLOT_TAG(s) & ft->mask;
		if (((j - home) & ft->mask) >= ((j - p) & ft->mask)) {
			ft->slots[p] = s;
			p = j;
		}
	}
	ft->slots[p] = 0;
}

void
flowtable_remove(struct flowtable *ft, struct flow *f)
{
	uint32_t i = IDX(ft, f), p = f->hash & ft->mask;

	while (SLOT_IDX(ft->slots[p]) != i)
		p = (p + 1) & ft->mask;
	slot_clear(ft, p);
	LIST_UNLINK(ft, &ft->lists[f->list], i, lprev, lnext);
	LIST_UNLINK(ft, &ft->age, i, aprev, anext);
	f->list = 0xff;
	f->lnext = ft->free_head;
	ft->free_head = i;
	ft->count--;
}

void
flowtable_touch(struct flowtable *ft, struct flow *f, unsigned list)
{
	uint32_t i = IDX(ft, f);

	if (f->list == list && ft->lists[list].tail == i)
		return;
	LIST_UNLINK(ft, &ft->lists[f->list], i, lprev, lnext);
	f->list = (uint8_t)list;
	LIST_APPEND(ft, &ft->lists[list], i, lprev, lnext);
}

struct flow *
flowtable_list_head(const struct flowtable *ft, unsigned list)
{
	uint32_t i = ft->lists[list].head;

	return i != 0 ? &ft->pool[i] : NULL;
}

struct flow *
flowtable_list_next(const struct flowtable *ft, const struct flow *f)
{
	return f->lnext != 0 ? &ft->pool[f->lnext] : NULL;
}

struct flow *
flowtable_lru(const struct flowtable *ft)
{
	struct flow *best = NULL, *f;

	for (unsigned l = 0; l < FLOWTABLE_NLISTS; l++) {
		f = flowtable_list_head(ft, l);
		if (f != NULL && (best == NULL || f->last_ms < best->last_ms))
			best = f;
	}
	return best;
}

struct flow *
flowtable_first(const struct flowtable *ft)
{
	return ft->age.head != 0 ? &ft->pool[ft->age.head] : NULL;
}

struct flow *
flowtable_next(const struct flowtable *ft, const struct flow *f)
{
	return f->anext != 0 ? &ft->pool[f->anext] : NULL;
}

uint32_t
flowtable_index(const struct flowtable *ft, const struct flow *f)
{
	return IDX(ft, f);
}

size_t
flowtable_count(const struct flowtable *ft)
{
	return ft->count;
}

uint32_t
flowtable_max(const struct flowtable *ft)
{
	return ft->max;
}

size_t
flowtable_memory(const struct flowtable *ft)
{
	return sizeof(*ft) + ((size_t)ft->max + 2) * sizeof(struct flow) +
	    (size_t)ft->max_slots * sizeof(*ft->slots);
}

size_t
flowtable_slots(const struct flowtable *ft)
{
	return (size_t)ft->mask + 1;
}

size_t
flowtable_max_probe(const struct flowtable *ft)
{
	size_t best = 0, n;
	uint64_t s;

	for (uint32_t p = 0; p <= ft->mask; p++) {
		if ((s = ft->slots[p]) == 0)
			continue;
		n = ((p - SLOT_TAG(s)) & ft->mask) + 1;
		if (n > best)
			best = n;
	}
	return best;
}
