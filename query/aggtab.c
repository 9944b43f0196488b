/*
 * query/aggtab.c -- the aggregation hash table (agg.h) and its ranking.
 *
 * A table is two halves; a key's half is the top bit of its hash.  Each
 * half is open addressing with linear probing over a power-of-two slot
 * array; a slot is one 64-bit word holding an entry index and 32 bits
 * of the hash, so a probe is one load and most mismatches never touch
 * the key bytes.  A half's entries (keys, counters, hashes) live in
 * arrays in insertion order; a half grows at half load.  The halves are
 * what makes merging two big tables (one per scan thread) parallel:
 * tables of one family share their seed, so half k of one table merges
 * into half k of another, on two threads, with the stored hashes.
 */
#include "common/base/compat.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>

#include "common/base/nferr.h"
#include "common/base/timeutil.h"
#include "common/prog/xmalloc.h"
#include "query/agg.h"

struct half {
	uint64_t	*slots;		/* owned; low 32 bits: entry index + 1
					   (0: empty), high 32: the high hash
					   bits */
	size_t		 nslots;	/* power of two */
	uint8_t		*keys;		/* owned; count * keylen */
	struct aggval	*vals;		/* owned */
	uint64_t	*hashes;	/* owned: each entry's hash, so that
					   growing and merging read no key */
	size_t		 count, cap;
};

struct aggtab {
	size_t		 keylen;
	uint64_t	 seed;
	struct half	 h[2];		/* by the hash's top bit */
};

/* A merge of more source entries than this uses a second thread. */
#define PAR_MERGE_MIN	65536

static inline uint64_t
mix(uint64_t h)
{
	h ^= h >> 33;
	h *= UINT64_C(0xff51afd7ed558ccd);
	h ^= h >> 33;
	h *= UINT64_C(0xc4ceb9fe1a85ec53);
	h ^= h >> 33;
	return h;
}

/*
 * Seeded hash of a key: one multiply and rotate per 8-byte word (an
 * fxhash-style step) and one full avalanche at the end, which is what
 * spreads the bits; a per-word avalanche cost a quarter of a top-N run.
 */
static uint64_t
hash_key(uint64_t seed, const uint8_t *k, size_t n)
{
	uint64_t h = seed ^ (n * UINT64_C(0x9e3779b97f4a7c15)), w;

	while (n >= 8) {
		memcpy(&w, k, 8);
		h = (h ^ w) * UINT64_C(0x9e3779b97f4a7c15);
		h = h << 31 | h >> 33;
		k += 8;
		n -= 8;
	}
	w = 0;
	for (size_t i = 0; i < n; i++)
		w = w << 8 | k[i];
	h = (h ^ w) * UINT64_C(0x9e3779b97f4a7c15);
	return mix(h);
}

/* Key equality without a libc call: keys are short (1..~50 bytes). */
static inline bool
key_eq(const uint8_t *a, const uint8_t *b, size_t n)
{
	uint64_t x, y;

	while (n >= 8) {
		memcpy(&x, a, 8);
		memcpy(&y, b, 8);
		if (x != y)
			return false;
		a += 8;
		b += 8;
		n -= 8;
	}
	while (n > 0) {
		if (*a++ != *b++)
			return false;
		n--;
	}
	return true;
}


/*
 * Pages of a big table are faulted in one call instead of one fault per
 * 4 KiB page as the table fills (on this kind of virtual machine a
 * fault costs more than clearing its page).  [p, p + len) will be
 * written; where the kernel has no MADV_POPULATE_WRITE nothing changes.
 */
#define POPULATE_FROM	((size_t)1 << 20)

static void
populate(void *p, size_t len)
{
#ifdef MADV_POPULATE_WRITE
	uintptr_t a = ((uintptr_t)p + 4095) & ~(uintptr_t)4095;
	uintptr_t e = ((uintptr_t)p + len) & ~(uintptr_t)4095;

	if (len >= POPULATE_FROM && e > a)
		(void)madvise((void *)a, e - a, MADV_POPULATE_WRITE);
#else
	(void)p;
	(void)len;
#endif
}

static uint64_t
new_seed(const void *salt)
{
	uint64_t seed;

	if (getrandom(&seed, sizeof(seed), GRND_NONBLOCK) !=
	    (ssize_t)sizeof(seed))
		seed = time_now_ms() ^ (uint64_t)(uintptr_t)salt;
	return seed;
}

struct aggtab *
aggtab_new(size_t keylen)
{
	struct aggtab *t;

	t = xcalloc(1, sizeof(*t));
	t->keylen = keylen;
	t->seed = new_seed(t);
	for (int k = 0; k < 2; k++) {
		t->h[k].nslots = 512;
		t->h[k].slots = xcalloc(t->h[k].nslots, sizeof(uint64_t));
	}
	return t;
}

struct aggtab *
aggtab_new_like(const struct aggtab *like)
{
	struct aggtab *t = aggtab_new(like->keylen);

	t->seed = like->seed;
	return t;
}

static void
half_free(struct half *p)
{
	free(p->slots);
	free(p->keys);
	free(p->vals);
	free(p->hashes);
}

void
aggtab_free(struct aggtab *t)
{
	if (t == NULL)
		return;
	half_free(&t->h[0]);
	half_free(&t->h[1]);
	free(t);
}

size_t
aggtab_count(const struct aggtab *t)
{
	return t->h[0].count + t->h[1].count;
}

size_t
aggtab_keylen(const struct aggtab *t)
{
	return t->keylen;
}

const uint8_t *
aggtab_key(const struct aggtab *t, size_t i)
{
	if (i < t->h[0].count)
		return t->h[0].keys + i * t->keylen;
	return t->h[1].keys + (i - t->h[0].count) * t->keylen;
}

const struct aggval *
aggtab_val(const struct aggtab *t, size_t i)
{
	if (i < t->h[0].count)
		return &t->h[0].vals[i];
	return &t->h[1].vals[i - t->h[0].count];
}

/* The half of hash h. */
static inline struct half *
half_of(struct aggtab *t, uint64_t h)
{
	return &t->h[h >> 63];
}

/* A slot word: entry idx (0-based) under hash h. */
static inline uint64_t
slot_word(uint32_t idx, uint64_t h)
{
	return (h & UINT64_C(0xffffffff00000000)) | ((uint64_t)idx + 1);
}

static void
place(struct half *p, uint32_t idx, uint64_t h)
{
	size_t mask = p->nslots - 1, s = (size_t)h & mask;

	while (p->slots[s] != 0)
		s = (s + 1) & mask;
	p->slots[s] = slot_word(idx, h);
}

static void
grow(struct half *p)
{
	size_t n = p->nslots * 2;

	free(p->slots);
	p->nslots = n;
	p->slots = xcalloc(n, sizeof(*p->slots));
	populate(p->slots, n * sizeof(*p->slots));
	for (size_t i = 0; i < p->count; i++)
		place(p, (uint32_t)i, p->hashes[i]);
}

static inline void
acc(struct aggval *e, const struct aggval *v)
{
	e->flows += v->flows;
	e->packets += v->packets;
	e->bytes += v->bytes;
	e->out_packets += v->out_packets;
	e->out_bytes += v->out_bytes;
	if (v->first_ms < e->first_ms)
		e->first_ms = v->first_ms;
	if (v->last_ms > e->last_ms)
		e->last_ms = v->last_ms;
}

/* Add v under key, whose hash is h, to half p. */
static inline void
add_h(struct half *p, size_t keylen, const uint8_t *key, uint64_t h,
    const struct aggval *v)
{
	uint64_t tag = h & UINT64_C(0xffffffff00000000), w;
	size_t mask = p->nslots - 1, s = (size_t)h & mask;
	uint32_t idx;

	for (;;) {
		w = p->slots[s];
		if (w == 0)
			break;
		idx = (uint32_t)w;
		if ((w & UINT64_C(0xffffffff00000000)) == tag &&
		    key_eq(p->keys + (size_t)(idx - 1) * keylen, key, keylen)) {
			acc(&p->vals[idx - 1], v);
			return;
		}
		s = (s + 1) & mask;
	}
	if (p->count == p->cap) {
		p->cap = p->cap == 0 ? 256 : p->cap * 2;
		p->keys = xreallocarray(p->keys, p->cap, keylen);
		p->vals = xreallocarray(p->vals, p->cap, sizeof(*p->vals));
		p->hashes = xreallocarray(p->hashes, p->cap,
		    sizeof(*p->hashes));
		/* the new half of each array */
		populate(p->keys + p->cap / 2 * keylen, p->cap / 2 * keylen);
		populate(p->vals + p->cap / 2, p->cap / 2 * sizeof(*p->vals));
		populate(p->hashes + p->cap / 2,
		    p->cap / 2 * sizeof(*p->hashes));
	}
	memcpy(p->keys + p->count * keylen, key, keylen);
	p->vals[p->count] = *v;
	p->hashes[p->count] = h;
	p->slots[s] = slot_word((uint32_t)p->count, h);
	p->count++;
	if (p->count * 2 > p->nslots)
		grow(p);
}

struct aggval *
aggtab_find(struct aggtab *t, const uint8_t *key)
{
	uint64_t h = hash_key(t->seed, key, t->keylen), w;
	uint64_t tag = h & UINT64_C(0xffffffff00000000);
	struct half *p = half_of(t, h);
	size_t mask = p->nslots - 1, s = (size_t)h & mask;
	uint32_t idx;

	while ((w = p->slots[s]) != 0) {
		idx = (uint32_t)w;
		if ((w & UINT64_C(0xffffffff00000000)) == tag &&
		    key_eq(p->keys + (size_t)(idx - 1) * t->keylen, key,
		    t->keylen))
			return &p->vals[idx - 1];
		s = (s + 1) & mask;
	}
	return NULL;
}

void
aggtab_add(struct aggtab *t, const uint8_t *key, const struct aggval *v)
{
	uint64_t h = hash_key(t->seed, key, t->keylen);

	add_h(half_of(t, h), t->keylen, key, h, v);
}

/*
 * In a big table each add misses the cache twice (the slot, then the
 * entry).  For a batch, prefetch every key's slot, then the entries the
 * slots name, then add: the misses of the batch overlap instead of
 * coming one after another.  h[j]: key j's hash; only keys of half
 * only (0, 1; 2: both) are added.
 */
#define ADD_BATCH	16

static void
add_batch(struct aggtab *t, const uint8_t *keys, size_t stride,
    const uint64_t *h, const struct aggval *v, size_t m, int only)
{
	for (size_t j = 0; j < m; j++) {
		struct half *p = half_of(t, h[j]);

		__builtin_prefetch(&p->slots[h[j] & (p->nslots - 1)]);
	}
	for (size_t j = 0; j < m; j++) {
		struct half *p = half_of(t, h[j]);
		uint64_t w = p->slots[h[j] & (p->nslots - 1)];
		uint32_t idx = (uint32_t)w;

		if (idx != 0 && (only == 2 || (int)(h[j] >> 63) == only)) {
			__builtin_prefetch(p->keys + (size_t)(idx - 1) *
			    t->keylen);
			__builtin_prefetch(&p->vals[idx - 1], 1);
		}
	}
	for (size_t j = 0; j < m; j++)
		if (only == 2 || (int)(h[j] >> 63) == only)
			add_h(half_of(t, h[j]), t->keylen, keys + j * stride,
			    h[j], &v[j]);
}

void
aggtab_add_many(struct aggtab *t, const uint8_t *keys, size_t stride,
    const struct aggval *v, size_t n)
{
	uint64_t h[ADD_BATCH];

	for (size_t base = 0; base < n; base += ADD_BATCH) {
		size_t m = n - base < ADD_BATCH ? n - base : ADD_BATCH;

		for (size_t j = 0; j < m; j++)
			h[j] = hash_key(t->seed, keys + (base + j) * stride,
			    t->keylen);
		add_batch(t, keys + base * stride, stride, h, v + base, m, 2);
	}
}

/*
 * The entries of src into half k of dst.  With one seed, src's half k
 * holds exactly those, with their hashes; else every src entry is
 * hashed again and those of half k added.
 */
static void
merge_half(struct aggtab *dst, const struct aggtab *src, int k)
{
	uint64_t h[ADD_BATCH];

	for (int sk = 0; sk < 2; sk++) {
		const struct half *p = &src->h[sk];

		if (dst->seed == src->seed && sk != k)
			continue;
		for (size_t base = 0; base < p->count; base += ADD_BATCH) {
			size_t m = p->count - base < ADD_BATCH ?
			    p->count - base : ADD_BATCH;
			const uint8_t *keys = p->keys + base * dst->keylen;

			for (size_t j = 0; j < m; j++)
				h[j] = dst->seed == src->seed ?
				    p->hashes[base + j] : hash_key(dst->seed,
				    keys + j * dst->keylen, dst->keylen);
			add_batch(dst, keys, dst->keylen, h, p->vals + base, m,
			    k);
		}
	}
}

struct merge_job {
	struct aggtab		*dst;
	const struct aggtab	*src;
};

static void *
merge_helper(void *arg)
{
	struct merge_job *j = arg;

	merge_half(j->dst, j->src, 1);
	return NULL;
}

void
aggtab_merge(struct aggtab *dst, const struct aggtab *src)
{
	struct merge_job j = { dst, src };
	pthread_t th;
	bool helped = false;

	/* the halves are disjoint: half 1 on a helper thread */
	if (aggtab_count(src) >= PAR_MERGE_MIN)
		helped = pthread_create(&th, NULL, merge_helper, &j) == 0;
	merge_half(dst, src, 0);
	if (helped)
		pthread_join(th, NULL);
	else
		merge_half(dst, src, 1);
}

void
aggtab_absorb(struct aggtab *dst, struct aggtab *src)
{
	struct aggtab tmp;

	if (aggtab_count(dst) == 0 && dst->keylen == src->keylen) {
		/* the first worker's table becomes the result as it is */
		tmp = *dst;
		*dst = *src;
		*src = tmp;
		return;
	}
	aggtab_merge(dst, src);
}

/* ---- ranking ----------------------------------------------------- */

int
agg_order_parse(const char *s, enum agg_order *o)
{
	static const struct {
		const char	*name;
		enum agg_order	 o;
	} names[] = {
		{ "flows", AGG_ORDER_FLOWS }, { "packets", AGG_ORDER_PACKETS },
		{ "ipkg", AGG_ORDER_PACKETS }, { "bytes", AGG_ORDER_BYTES },
		{ "ibyte", AGG_ORDER_BYTES }, { "pps", AGG_ORDER_PPS },
		{ "ipps", AGG_ORDER_PPS }, { "bps", AGG_ORDER_BPS },
		{ "ibps", AGG_ORDER_BPS }, { "bpp", AGG_ORDER_BPP },
		{ "ibpp", AGG_ORDER_BPP }, { "tstart", AGG_ORDER_TSTART },
		{ "tend", AGG_ORDER_TEND },
	};

	for (size_t i = 0; i < NF_NELEM(names); i++)
		if (strcmp(s, names[i].name) == 0) {
			*o = names[i].o;
			return NFE_OK;
		}
	return NFE_INVAL;
}

const char *
agg_order_name(enum agg_order o)
{
	switch (o) {
	case AGG_ORDER_FLOWS:	return "flows";
	case AGG_ORDER_PACKETS:	return "packets";
	case AGG_ORDER_BYTES:	return "bytes";
	case AGG_ORDER_PPS:	return "pps";
	case AGG_ORDER_BPS:	return "bps";
	case AGG_ORDER_BPP:	return "bpp";
	case AGG_ORDER_TSTART:	return "tstart";
	case AGG_ORDER_TEND:	return "tend";
	default:		return "none";
	}
}

uint64_t
agg_order_value(const struct aggval *v, enum agg_order o)
{
	uint64_t d = v->last_ms > v->first_ms ? v->last_ms - v->first_ms : 0;
	uint64_t pk = v->packets + v->out_packets;	/* biflows: both */
	uint64_t by = v->bytes + v->out_bytes;		/* directions */

	switch (o) {
	case AGG_ORDER_FLOWS:	return v->flows;
	case AGG_ORDER_PACKETS:	return pk;
	case AGG_ORDER_BYTES:	return by;
	case AGG_ORDER_PPS:
		return d == 0 ? 0 :
		    (uint64_t)((double)pk / ((double)d / 1000.0));
	case AGG_ORDER_BPS:
		return d == 0 ? 0 :
		    (uint64_t)((double)(by * 8) / ((double)d / 1000.0));
	case AGG_ORDER_BPP:
		return pk == 0 ? 0 : by / pk;
	case AGG_ORDER_TEND:	return v->last_ms;
	default:		return v->first_ms;
	}
}

struct rankctx {
	const struct aggtab	*t;
	const uint64_t		*ov;	/* each entry's order value */
	bool			 asc;
};

/* < 0 if entry a ranks before entry b. */
static int
rank_cmp(const void *pa, const void *pb, void *arg)
{
	const struct rankctx *c = arg;
	size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
	uint64_t va = c->ov[a], vb = c->ov[b];

	if (va != vb)
		return (va < vb) == c->asc ? -1 : 1;
	return memcmp(aggtab_key(c->t, a), aggtab_key(c->t, b),
	    c->t->keylen);
}

static void
sift_down(size_t *h, size_t n, size_t i, struct rankctx *c)
{
	/* max-heap on rank: the root is the entry that ranks last */
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i, tmp;

		if (l < n && rank_cmp(&h[l], &h[m], c) > 0)
			m = l;
		if (r < n && rank_cmp(&h[r], &h[m], c) > 0)
			m = r;
		if (m == i)
			return;
		tmp = h[i];
		h[i] = h[m];
		h[m] = tmp;
		i = m;
	}
}

static void
sift_up(size_t *h, size_t i, struct rankctx *c)
{
	while (i > 0) {
		size_t p = (i - 1) / 2, tmp;

		if (rank_cmp(&h[i], &h[p], c) <= 0)
			return;
		tmp = h[i];
		h[i] = h[p];
		h[p] = tmp;
		i = p;
	}
}

/* An entry's order value next to its index: sorting touches only these. */
struct rankv {
	uint64_t	v;
	uint64_t	tk;	/* full ranking: the tie key */
	size_t		i;
};


/*
 * Ties: each entry's tie key holds its key bytes at the first 8
 * positions where keys differ at all (positions where every key has
 * the same byte do not change memcmp's order), read in one sequential
 * pass, so most ties are told apart without reading a key again.
 */
struct tiectx {
	const struct aggtab	*t;
	unsigned		 pos[8];	/* the varying positions */
	unsigned		 npos;
};

static int
rankv_tie_cmp(const void *pa, const void *pb, void *arg)
{
	const struct aggtab *t = ((const struct tiectx *)arg)->t;
	const struct rankv *a = pa, *b = pb;

	if (a->tk != b->tk)
		return a->tk < b->tk ? -1 : 1;
	return memcmp(aggtab_key(t, a->i), aggtab_key(t, b->i), t->keylen);
}

/* The first 8 key positions where some key differs from the first. */
static void
tie_positions(struct tiectx *tc)
{
	const struct aggtab *t = tc->t;
	uint8_t diff[AGG_KEY_MAX];

	const uint8_t *k0 = aggtab_key(t, 0);

	memset(diff, 0, t->keylen);
	for (size_t i = 1; i < aggtab_count(t); i++) {
		const uint8_t *k = aggtab_key(t, i);

		for (size_t j = 0; j < t->keylen; j++)
			diff[j] |= k[j] ^ k0[j];
	}
	tc->npos = 0;
	for (size_t j = 0; j < t->keylen && tc->npos < 8; j++)
		if (diff[j] != 0)
			tc->pos[tc->npos++] = (unsigned)j;
}

static inline uint64_t
tie_key(const struct tiectx *tc, const uint8_t *k)
{
	uint64_t v = 0;

	for (unsigned j = 0; j < 8; j++)
		v = v << 8 | (j < tc->npos ? k[tc->pos[j]] : 0);
	return v;
}

/*
 * Sort rv[0..n) by v ascending, equal v by key bytes: an LSD radix
 * sort on the bytes of v that differ somewhere (a sort by comparison
 * of millions of entries spent most of its time in the key compares
 * of ties, on keys scattered over the table), then each run of equal
 * v sorted by key (tie keys first).  Keys are distinct, so the order
 * is total: the same as a comparison sort by (v, key bytes).  rv[i].i
 * must be i on entry (the tie keys are read in table order).
 */
static void
radix_rank(const struct aggtab *t, struct rankv *rv, size_t n)
{
	struct rankv *tmp, *a = rv, *b, *sw;
	struct tiectx tc = { .t = t };
	uint64_t diff = 0;
	size_t cnt[256], run;

	if (n < 2)
		return;
	tie_positions(&tc);
	for (size_t i = 0; i < n; i++)
		rv[i].tk = tie_key(&tc, aggtab_key(t, rv[i].i));
	for (size_t i = 1; i < n; i++)
		diff |= rv[i].v ^ rv[0].v;
	tmp = xreallocarray(NULL, n, sizeof(*tmp));
	b = tmp;
	for (unsigned sh = 0; sh < 64; sh += 8) {
		if (((diff >> sh) & 0xff) == 0)
			continue;
		memset(cnt, 0, sizeof(cnt));
		for (size_t i = 0; i < n; i++)
			cnt[(a[i].v >> sh) & 0xff]++;
		for (size_t d = 0, sum = 0; d < 256; d++) {
			size_t c = cnt[d];

			cnt[d] = sum;
			sum += c;
		}
		for (size_t i = 0; i < n; i++)
			b[cnt[(a[i].v >> sh) & 0xff]++] = a[i];
		sw = a;
		a = b;
		b = sw;
	}
	if (a != rv)
		memcpy(rv, a, n * sizeof(*rv));
	free(tmp);
	for (size_t i = 0; i < n; i += run) {
		for (run = 1; i + run < n && rv[i + run].v == rv[i].v; run++)
			;
		if (run > 1)
			qsort_r(rv + i, run, sizeof(*rv), rankv_tie_cmp,
			    &tc);
	}
}

size_t *
aggtab_rank(const struct aggtab *t, enum agg_order o, size_t limit,
    size_t *n)
{
	struct rankctx c;
	struct rankv *rv;
	uint64_t *ov;
	size_t *h, k = 0, count = aggtab_count(t);

	c.t = t;
	c.asc = o == AGG_ORDER_NONE || o == AGG_ORDER_TSTART ||
	    o == AGG_ORDER_TEND;
	if (limit == 0 || limit >= count) {
		/* everything: one sort of (value, index) pairs, a
		   descending order as the ascending order of ~value */
		rv = xreallocarray(NULL, count > 0 ? count : 1,
		    sizeof(*rv));
		for (size_t i = 0; i < count; i++) {
			rv[i].v = agg_order_value(aggtab_val(t, i), o);
			if (!c.asc)
				rv[i].v = ~rv[i].v;
			rv[i].i = i;
		}
		radix_rank(t, rv, count);
		h = xreallocarray(NULL, count > 0 ? count : 1,
		    sizeof(*h));
		for (size_t i = 0; i < count; i++)
			h[i] = rv[i].i;
		free(rv);
		*n = count;
		return h;
	}
	/* the first limit: a bounded heap, the order values once */
	ov = xreallocarray(NULL, count, sizeof(*ov));
	for (size_t i = 0; i < count; i++)
		ov[i] = agg_order_value(aggtab_val(t, i), o);
	c.ov = ov;
	h = xreallocarray(NULL, limit, sizeof(*h));
	for (size_t i = 0; i < count; i++) {
		if (k < limit) {
			h[k] = i;
			sift_up(h, k, &c);
			k++;
		} else if (rank_cmp(&i, &h[0], &c) < 0) {
			h[0] = i;
			sift_down(h, k, 0, &c);
		}
	}
	qsort_r(h, k, sizeof(*h), rank_cmp, &c);
	free(ov);
	*n = k;
	return h;
}

