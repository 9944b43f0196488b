/*
 * probe/flowtable.c -- pool, keyed hash index and intrusive lists of
 * the probe's active flows (see flowtable.h).
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
	struct flow	*pool;		/* owned; max + 1 entries, [0] unused */
	uint32_t	*buckets;	/* owned; nbuckets chain heads */
	uint32_t	 mask;		/* nbuckets - 1 */
	uint32_t	 max;
	uint32_t	 count;
	uint32_t	 free_head;	/* recycled entries */
	uint32_t	 hiwater;	/* next never-used entry */
	struct list	 lists[FLOWTABLE_NLISTS];
	struct list	 age;
	struct sipkey	 key;
};

#define IDX(ft, f)	((uint32_t)((f) - (ft)->pool))

int
flowtable_new(uint32_t max_flows, const struct sipkey *key,
    struct flowtable **out)
{
	struct flowtable *ft;
	uint32_t n = 16;

	*out = NULL;
	if (max_flows < 1 || max_flows > FLOWTABLE_MAX_FLOWS)
		return NFE_INVAL;
	while (n < max_flows)
		n <<= 1;
	if ((ft = calloc(1, sizeof(*ft))) == NULL)
		return NFE_NOMEM;
	ft->pool = calloc((size_t)max_flows + 1, sizeof(*ft->pool));
	ft->buckets = calloc(n, sizeof(*ft->buckets));
	if (ft->pool == NULL || ft->buckets == NULL) {
		flowtable_free(ft);
		return NFE_NOMEM;
	}
	ft->mask = n - 1;
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
	free(ft->pool);
	free(ft->buckets);
	free(ft);
}

static uint32_t
bucket_of(const struct flowtable *ft, const struct flow_key *k)
{
	return (uint32_t)siphash13(&ft->key, k, sizeof(*k)) & ft->mask;
}

static bool
key_eq(const struct flow_key *a, const struct flow_key *b)
{
	return memcmp(a, b, sizeof(*a)) == 0;
}

struct flow *
flowtable_find_in(struct flowtable *ft, const struct flow_key *k,
    uint32_t bucket)
{
	uint32_t i;

	for (i = ft->buckets[bucket]; i != 0; i = ft->pool[i].hnext)
		if (key_eq(&ft->pool[i].key, k))
			return &ft->pool[i];
	return NULL;
}

struct flow *
flowtable_find(struct flowtable *ft, const struct flow_key *k,
    uint32_t *bucket)
{
	*bucket = bucket_of(ft, k);
	return flowtable_find_in(ft, k, *bucket);
}

uint32_t
flowtable_bucket(const struct flowtable *ft, const struct flow_key *k)
{
	return bucket_of(ft, k);
}

void
flowtable_prefetch_bucket(const struct flowtable *ft, uint32_t bucket)
{
	__builtin_prefetch(&ft->buckets[bucket]);
}

void
flowtable_prefetch_chain(const struct flowtable *ft, uint32_t bucket)
{
	uint32_t i = ft->buckets[bucket];

	if (i != 0) {
		__builtin_prefetch(&ft->pool[i]);
		__builtin_prefetch((const char *)&ft->pool[i] + 64);
	}
}

void
flowtable_prefetch_links(const struct flowtable *ft, uint32_t bucket)
{
	const struct flow *f;
	uint32_t i = ft->buckets[bucket];

	if (i == 0)
		return;
	f = &ft->pool[i];
	if (f->lprev != 0)
		__builtin_prefetch(&ft->pool[f->lprev].lnext, 1);
	if (f->lnext != 0)
		__builtin_prefetch(&ft->pool[f->lnext].lprev, 1);
}

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
    uint32_t bucket, unsigned list, uint64_t now, struct flow **out)
{
	struct flow *f;
	uint32_t i;

	*out = NULL;
	if (ft->count == ft->max)
		return NFE_LIMIT;
	if (ft->free_head != 0) {
		i = ft->free_head;
		ft->free_head = ft->pool[i].hnext;
	} else
		i = ft->hiwater++;
	f = &ft->pool[i];
	memset(f, 0, sizeof(*f));
	f->key = *k;
	f->first_ms = f->last_ms = now;
	f->list = (uint8_t)list;
	f->hnext = ft->buckets[bucket];
	ft->buckets[bucket] = i;
	LIST_APPEND(ft, &ft->lists[list], i, lprev, lnext);
	LIST_APPEND(ft, &ft->age, i, aprev, anext);
	ft->count++;
	*out = f;
	return NFE_OK;
}

void
flowtable_remove(struct flowtable *ft, struct flow *f)
{
	uint32_t i = IDX(ft, f), *pp;

	for (pp = &ft->buckets[bucket_of(ft, &f->key)]; *pp != i;
	    pp = &ft->pool[*pp].hnext)
		;
	*pp = f->hnext;
	LIST_UNLINK(ft, &ft->lists[f->list], i, lprev, lnext);
	LIST_UNLINK(ft, &ft->age, i, aprev, anext);
	f->list = 0xff;
	f->hnext = ft->free_head;
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
	return sizeof(*ft) + ((size_t)ft->max + 1) * sizeof(struct flow) +
	    ((size_t)ft->mask + 1) * sizeof(uint32_t);
}

size_t
flowtable_max_chain(const struct flowtable *ft)
{
	size_t best = 0, n;

	for (uint32_t b = 0; b <= ft->mask; b++) {
		n = 0;
		for (uint32_t i = ft->buckets[b]; i != 0; i = ft->pool[i].hnext)
			n++;
		if (n > best)
			best = n;
	}
	return best;
}
