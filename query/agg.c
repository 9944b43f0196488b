/*
 * query/agg.c -- the aggregation hash table and -a/-A keys (agg.h).
 *
 * Open addressing with linear probing over a power-of-two slot array;
 * each slot is one 64-bit word holding an entry index and 32 bits of
 * the hash, so a probe is one load and most mismatches never touch the
 * key bytes.  Entries (keys and counters)
 * live in two arrays in insertion order; the table grows at half load.
 */
#include "common/base/compat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "common/base/nferr.h"
#include "common/base/timeutil.h"
#include "common/prog/xmalloc.h"
#include "query/agg.h"

struct aggtab {
	size_t		 keylen;
	uint64_t	 seed;
	uint64_t	*slots;		/* owned; low 32 bits: entry index + 1
					   (0: empty), high 32: the high hash
					   bits, so a probe is one load */
	size_t		 nslots;	/* power of two */
	uint8_t		*keys;		/* owned; count * keylen */
	struct aggval	*vals;		/* owned */
	uint64_t	*hashes;	/* owned: each entry's hash, so that
					   growing reads no key */
	size_t		 count, cap;
};

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

struct aggtab *
aggtab_new(size_t keylen)
{
	struct aggtab *t;

	t = xcalloc(1, sizeof(*t));
	t->keylen = keylen;
	if (getrandom(&t->seed, sizeof(t->seed), GRND_NONBLOCK) !=
	    (ssize_t)sizeof(t->seed))
		t->seed = time_now_ms() ^ (uint64_t)(uintptr_t)t;
	t->nslots = 1024;
	t->slots = xcalloc(t->nslots, sizeof(*t->slots));
	return t;
}

void
aggtab_free(struct aggtab *t)
{
	if (t == NULL)
		return;
	free(t->slots);
	free(t->keys);
	free(t->vals);
	free(t->hashes);
	free(t);
}

size_t
aggtab_count(const struct aggtab *t)
{
	return t->count;
}

size_t
aggtab_keylen(const struct aggtab *t)
{
	return t->keylen;
}

const uint8_t *
aggtab_key(const struct aggtab *t, size_t i)
{
	return t->keys + i * t->keylen;
}

const struct aggval *
aggtab_val(const struct aggtab *t, size_t i)
{
	return &t->vals[i];
}

/* A slot word: entry idx (0-based) under hash h. */
static inline uint64_t
slot_word(uint32_t idx, uint64_t h)
{
	return (h & UINT64_C(0xffffffff00000000)) | ((uint64_t)idx + 1);
}

static void
place(struct aggtab *t, uint32_t idx, uint64_t h)
{
	size_t mask = t->nslots - 1, s = (size_t)h & mask;

	while (t->slots[s] != 0)
		s = (s + 1) & mask;
	t->slots[s] = slot_word(idx, h);
}

static void
grow(struct aggtab *t)
{
	size_t n = t->nslots * 2;

	free(t->slots);
	t->nslots = n;
	t->slots = xcalloc(n, sizeof(*t->slots));
	for (size_t i = 0; i < t->count; i++)
		place(t, (uint32_t)i, t->hashes[i]);
}

/* Add v under key, whose hash is h. */
static inline void
add_h(struct aggtab *t, const uint8_t *key, uint64_t h, const struct aggval *v)
{
	uint64_t tag = h & UINT64_C(0xffffffff00000000), w;
	size_t mask = t->nslots - 1, s = (size_t)h & mask;
	struct aggval *e;
	uint32_t idx;

	for (;;) {
		w = t->slots[s];
		if (w == 0)
			break;
		idx = (uint32_t)w;
		if ((w & UINT64_C(0xffffffff00000000)) == tag &&
		    key_eq(t->keys + (size_t)(idx - 1) * t->keylen, key,
		    t->keylen)) {
			e = &t->vals[idx - 1];
			e->flows += v->flows;
			e->packets += v->packets;
			e->bytes += v->bytes;
			e->out_packets += v->out_packets;
			e->out_bytes += v->out_bytes;
			if (v->first_ms < e->first_ms)
				e->first_ms = v->first_ms;
			if (v->last_ms > e->last_ms)
				e->last_ms = v->last_ms;
			return;
		}
		s = (s + 1) & mask;
	}
	if (t->count == t->cap) {
		t->cap = t->cap == 0 ? 512 : t->cap * 2;
		t->keys = xreallocarray(t->keys, t->cap, t->keylen);
		t->vals = xreallocarray(t->vals, t->cap, sizeof(*t->vals));
		t->hashes = xreallocarray(t->hashes, t->cap,
		    sizeof(*t->hashes));
	}
	memcpy(t->keys + t->count * t->keylen, key, t->keylen);
	t->vals[t->count] = *v;
	t->hashes[t->count] = h;
	t->slots[s] = slot_word((uint32_t)t->count, h);
	t->count++;
	if (t->count * 2 > t->nslots)
		grow(t);
}

struct aggval *
aggtab_find(struct aggtab *t, const uint8_t *key)
{
	uint64_t h = hash_key(t->seed, key, t->keylen), w;
	uint64_t tag = h & UINT64_C(0xffffffff00000000);
	size_t mask = t->nslots - 1, s = (size_t)h & mask;
	uint32_t idx;

	while ((w = t->slots[s]) != 0) {
		idx = (uint32_t)w;
		if ((w & UINT64_C(0xffffffff00000000)) == tag &&
		    key_eq(t->keys + (size_t)(idx - 1) * t->keylen, key,
		    t->keylen))
			return &t->vals[idx - 1];
		s = (s + 1) & mask;
	}
	return NULL;
}

void
aggtab_add(struct aggtab *t, const uint8_t *key, const struct aggval *v)
{
	add_h(t, key, hash_key(t->seed, key, t->keylen), v);
}

/*
 * In a big table each add misses the cache twice (the slot, then the
 * entry).  For a batch, hash every key and prefetch its slot, then
 * prefetch the entries the slots name, then add: the misses of the
 * batch overlap instead of coming one after another.
 */
#define ADD_BATCH	16

void
aggtab_add_many(struct aggtab *t, const uint8_t *keys, size_t stride,
    const struct aggval *v, size_t n)
{
	uint64_t h[ADD_BATCH];

	for (size_t base = 0; base < n; base += ADD_BATCH) {
		size_t m = n - base < ADD_BATCH ? n - base : ADD_BATCH;
		size_t mask = t->nslots - 1;

		for (size_t j = 0; j < m; j++) {
			h[j] = hash_key(t->seed, keys + (base + j) * stride,
			    t->keylen);
			__builtin_prefetch(&t->slots[h[j] & mask]);
		}
		for (size_t j = 0; j < m; j++) {
			uint32_t idx = (uint32_t)t->slots[h[j] & mask];

			if (idx != 0) {
				__builtin_prefetch(t->keys + (size_t)(idx - 1) *
				    t->keylen);
				__builtin_prefetch(&t->vals[idx - 1], 1);
			}
		}
		for (size_t j = 0; j < m; j++)
			add_h(t, keys + (base + j) * stride, h[j], &v[base + j]);
	}
}

void
aggtab_merge(struct aggtab *dst, const struct aggtab *src)
{
	aggtab_add_many(dst, src->keys, src->keylen, src->vals, src->count);
}

void
aggtab_absorb(struct aggtab *dst, struct aggtab *src)
{
	struct aggtab tmp;

	if (dst->count == 0 && dst->keylen == src->keylen) {
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

	memset(diff, 0, t->keylen);
	for (size_t i = 1; i < t->count; i++) {
		const uint8_t *k = aggtab_key(t, i);

		for (size_t j = 0; j < t->keylen; j++)
			diff[j] |= k[j] ^ t->keys[j];
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
	size_t *h, k = 0;

	c.t = t;
	c.asc = o == AGG_ORDER_NONE || o == AGG_ORDER_TSTART ||
	    o == AGG_ORDER_TEND;
	if (limit == 0 || limit >= t->count) {
		/* everything: one sort of (value, index) pairs, a
		   descending order as the ascending order of ~value */
		rv = xreallocarray(NULL, t->count > 0 ? t->count : 1,
		    sizeof(*rv));
		for (size_t i = 0; i < t->count; i++) {
			rv[i].v = agg_order_value(&t->vals[i], o);
			if (!c.asc)
				rv[i].v = ~rv[i].v;
			rv[i].i = i;
		}
		radix_rank(t, rv, t->count);
		h = xreallocarray(NULL, t->count > 0 ? t->count : 1,
		    sizeof(*h));
		for (size_t i = 0; i < t->count; i++)
			h[i] = rv[i].i;
		free(rv);
		*n = t->count;
		return h;
	}
	/* the first limit: a bounded heap, the order values once */
	ov = xreallocarray(NULL, t->count, sizeof(*ov));
	for (size_t i = 0; i < t->count; i++)
		ov[i] = agg_order_value(&t->vals[i], o);
	c.ov = ov;
	h = xreallocarray(NULL, limit, sizeof(*h));
	for (size_t i = 0; i < t->count; i++) {
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

/* ---- -A keys ----------------------------------------------------- */

/*
 * The keys are the .agg slots of the field catalogue: the kind says
 * how the key bytes are made (fields.h, enum fld_ak).
 */
static const struct fld_agg *
key_of(const struct agg_spec *spec, size_t i)
{
	return &fld(spec->fields[i].fld)->agg[spec->fields[i].ak];
}

/* The partner of a key's token (AK_NET: the prefix length field). */
static const struct fld_desc *
net_partner(const struct fld_desc *d, const struct fld_agg *a)
{
	for (unsigned k = 0; k < FLD_MAX_TOKS; k++)
		if (d->toks[k].tok != NULL && strcmp(d->toks[k].tok, a->tok) == 0)
			return fld(d->toks[k].partner);
	return d;
}

static size_t
key_len(const struct fld_desc *d, const struct fld_agg *a)
{
	switch (a->kind) {
	case AK_ADDR:
	case AK_ADDRM:
		return 16;
	case AK_NET:
		return 17;
	case AK_STR:
		return 1 + FLOWREC_STR_MAX;
	default:
		return d->size;
	}
}

static bool
is_addr_key(const struct fld_agg *a)
{
	return a->kind == AK_ADDR || a->kind == AK_ADDRM || a->kind == AK_NET;
}

/* Find key name: its entry and slot; false if no entry has it. */
static bool
find_key(const char *name, unsigned *f, unsigned *k)
{
	for (unsigned i = 0; i < FLD_N; i++)
		for (unsigned j = 0; j < FLD_MAX_AGGS; j++)
			if (fld(i)->agg[j].name != NULL &&
			    strcmp(fld(i)->agg[j].name, name) == 0) {
				*f = i;
				*k = j;
				return true;
			}
	return false;
}

static int
add_field(struct agg_spec *spec, const char *tok, char *err, size_t errlen)
{
	const struct fld_agg *a;
	char name[32];
	const char *slash;
	size_t n, si;
	unsigned long bits = 0;
	unsigned f, k;
	int fam = 0;
	char *end;

	slash = strchr(tok, '/');
	n = slash != NULL ? (size_t)(slash - tok) : strlen(tok);
	if (n == 0 || n >= sizeof(name))
		goto bad;
	memcpy(name, tok, n);
	name[n] = '\0';
	if (slash != NULL) {
		/* srcip4/24, dstip6/64 */
		if (n < 6 || (name[n - 1] != '4' && name[n - 1] != '6'))
			goto bad;
		fam = name[n - 1] - '0';
		name[n - 1] = '\0';
		bits = strtoul(slash + 1, &end, 10);
		if (*end != '\0' || end == slash + 1 ||
		    bits > (fam == 4 ? 32u : 128u))
			goto bad;
	}
	if (!find_key(name, &f, &k))
		goto bad;
	a = &fld(f)->agg[k];
	if (fam != 0 && a->kind != AK_ADDRM)
		goto bad;
	for (si = 0; si < spec->nfields; si++)
		if (spec->fields[si].fld == f && spec->fields[si].ak == k)
			break;
	if (si == spec->nfields) {
		if (spec->nfields == AGG_MAX_FIELDS)
			goto bad;
		spec->fields[si].fld = (uint8_t)f;
		spec->fields[si].ak = (uint8_t)k;
		spec->fields[si].v4bits = 32;
		spec->fields[si].v6bits = 128;
		spec->nfields++;
		spec->keylen += key_len(fld(f), a);
		if (is_addr_key(a) && !spec->has_addr) {
			spec->has_addr = true;
			spec->keylen++;
		}
		strncat(spec->fmt, " ",
		    sizeof(spec->fmt) - strlen(spec->fmt) - 1);
		strncat(spec->fmt, a->tok,
		    sizeof(spec->fmt) - strlen(spec->fmt) - 1);
	} else if (fam == 0)
		goto bad;		/* the same key twice */
	if (fam == 4)
		spec->fields[si].v4bits = (uint8_t)bits;
	else if (fam == 6)
		spec->fields[si].v6bits = (uint8_t)bits;
	return NFE_OK;
bad:
	snprintf(err, errlen, "aggregation key error at '%s'", tok);
	return NFE_INVAL;
}

int
agg_parse(const char *list, bool five_tuple, struct agg_spec *spec,
    char *err, size_t errlen)
{
	char buf[512], *p, *tok;
	char keys[200];
	int r;

	memset(spec, 0, sizeof(*spec));
	if (five_tuple)
		list = "proto,srcip,srcport,dstip,dstport";
	if (strlen(list) >= sizeof(buf)) {
		snprintf(err, errlen, "aggregation key list too long");
		return NFE_INVAL;
	}
	snprintf(buf, sizeof(buf), "%s", list);
	for (p = buf; (tok = strsep(&p, ",")) != NULL;) {
		while (*tok == ' ')
			tok++;
		if ((r = add_field(spec, tok, err, errlen)) != NFE_OK)
			return r;
	}
	if (strlen(spec->fmt) >= sizeof(keys) || spec->keylen > AGG_KEY_MAX) {
		snprintf(err, errlen, "too many aggregation keys");
		return NFE_INVAL;
	}
	memcpy(keys, spec->fmt, strlen(spec->fmt) + 1);
	snprintf(spec->fmt, sizeof(spec->fmt),
	    "fmt:%%ts %%td %s  %%pkt %%byt %%bps %%bpp %%fl", keys);
	if (five_tuple)
		spec->fmt[0] = '\0';	/* -a lists in the -o format */
	return NFE_OK;
}

static uint8_t *
put_be(uint8_t *k, uint64_t v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		k[i] = (uint8_t)(v >> (8 * (n - 1 - i)));
	return k + n;
}

static uint64_t
get_be(const uint8_t **k, size_t n)
{
	uint64_t v = 0;

	for (size_t i = 0; i < n; i++)
		v = v << 8 | (*k)[i];
	*k += n;
	return v;
}

static uint8_t *
put_addr(uint8_t *k, const struct nf_addr *a, unsigned bits)
{
	struct nf_addr m = *a;

	addr_mask(&m, bits);
	memcpy(k, m.a, 16);
	return k + 16;
}

/* A string key: its length, its bytes, zeros to FLOWREC_STR_MAX. */
static uint8_t *
put_str(uint8_t *k, const struct nf_str *s)
{
	size_t n = s->len <= FLOWREC_STR_MAX ? s->len : FLOWREC_STR_MAX;

	k[0] = (uint8_t)n;
	if (n > 0)
		memcpy(k + 1, s->p, n);
	memset(k + 1 + n, 0, FLOWREC_STR_MAX - n);
	return k + 1 + FLOWREC_STR_MAX;
}

/* The address a key reads: a field, or the exporter's (FK_ROUTER). */
static const struct nf_addr *
key_addr(const struct fld_desc *d, const struct flowrec *r,
    const struct nf_addr *router)
{
	static const struct nf_addr zero;

	if (d->kind == FK_ROUTER)
		return router != NULL ? router : &zero;
	return fld_get_addr(d, r);
}

void
agg_key(const struct agg_spec *spec, const struct flowrec *r,
    const struct nf_addr *router, uint8_t *key)
{
	uint8_t *k = key;

	if (spec->has_addr)
		*k++ = r->af;
	for (size_t i = 0; i < spec->nfields; i++) {
		const struct fld_desc *d = fld(spec->fields[i].fld);
		const struct fld_agg *a = key_of(spec, i);
		const struct fld_desc *m;
		unsigned bits = r->af == 6 ? spec->fields[i].v6bits :
		    spec->fields[i].v4bits;

		switch (a->kind) {
		case AK_ADDRM:
			k = put_addr(k, key_addr(d, r, router), bits);
			break;
		case AK_ADDR:
			k = put_addr(k, key_addr(d, r, router), 128);
			break;
		case AK_NET:
			m = net_partner(d, a);
			k = put_addr(k, key_addr(d, r, router),
			    (unsigned)fld_get_u64(m, r));
			*k++ = (uint8_t)fld_get_u64(m, r);
			break;
		case AK_STR:
			k = put_str(k, fld_get_str(d, r));
			break;
		default:
			k = put_be(k, fld_get_u64(d, r), d->size);
			break;
		}
	}
}

/* ---- keys straight from a block's columns ------------------------- */

/* Value i of a column of w-byte integers. */
static inline uint64_t
load_w(const void *arr, unsigned w, size_t i)
{
	switch (w) {
	case 1:
		return ((const uint8_t *)arr)[i];
	case 2:
		return ((const uint16_t *)arr)[i];
	case 4:
		return ((const uint32_t *)arr)[i];
	default:
		return ((const uint64_t *)arr)[i];
	}
}

static bool
int_type(const struct fld_desc *d)
{
	return d->type == FT_U8 || d->type == FT_U16 || d->type == FT_U32 ||
	    d->type == FT_U64;
}

bool
agg_block_ok(const struct agg_spec *spec, const struct fcol *c)
{
	fcol_mask need = FCOL_BIT(FCOL_AF) | FCOL_BIT(FCOL_FLOWS) |
	    FCOL_BIT(FCOL_PACKETS) | FCOL_BIT(FCOL_BYTES) |
	    FCOL_BIT(FCOL_FIRST) | FCOL_BIT(FCOL_LAST);

	if (spec->keylen > AGG_BLOCK_KEY_MAX)
		return false;

	for (size_t i = 0; i < spec->nfields; i++) {
		const struct fld_desc *d = fld(spec->fields[i].fld);
		const struct fld_agg *a = key_of(spec, i);

		if (d->kind == FK_ROUTER) {
			need |= FCOL_BIT(FCOL_EXPORTER);
			continue;
		}
		if (d->col == 0)
			return false;	/* computed: from records */
		need |= FCOL_BIT(d->col);
		if (a->kind == AK_ADDRM || a->kind == AK_ADDR) {
			if (d->type != FT_ADDR)
				return false;
		} else if (a->kind == AK_NET) {
			const struct fld_desc *m = net_partner(d, a);

			if (d->type != FT_ADDR || m->col == 0 || !int_type(m))
				return false;
			need |= FCOL_BIT(m->col);
		} else if (!int_type(d))
			return false;
	}
	return (c->mask & need) == need;
}

/* The address field d of row i (the exporter's for FK_ROUTER). */
static const struct nf_addr *
col_addr(const struct fld_desc *d, const struct fcol *c, size_t i,
    const struct nf_addr *x, size_t nx)
{
	static const struct nf_addr zero;

	if (d->kind == FK_ROUTER)
		return c->exporter[i] < nx ? &x[c->exporter[i]] : &zero;
	return &((const struct nf_addr *)fcol_array(c, d->col))[i];
}

/* agg_key() of row i of c (agg_block_ok() said yes). */
static void
agg_key_col(const struct agg_spec *spec, const struct fcol *c, size_t i,
    const struct nf_addr *x, size_t nx, uint8_t *key)
{
	uint8_t *k = key, af = c->af[i];

	if (spec->has_addr)
		*k++ = af;
	for (size_t f = 0; f < spec->nfields; f++) {
		const struct fld_desc *d = fld(spec->fields[f].fld);
		const struct fld_agg *a = key_of(spec, f);
		const struct fld_desc *m;
		unsigned bits = af == 6 ? spec->fields[f].v6bits :
		    spec->fields[f].v4bits;
		uint64_t mv;

		switch (a->kind) {
		case AK_ADDRM:
			k = put_addr(k, col_addr(d, c, i, x, nx), bits);
			break;
		case AK_ADDR:
			k = put_addr(k, col_addr(d, c, i, x, nx), 128);
			break;
		case AK_NET:
			m = net_partner(d, a);
			mv = load_w(fcol_array(c, m->col), m->size, i);
			k = put_addr(k, col_addr(d, c, i, x, nx),
			    (unsigned)mv);
			*k++ = (uint8_t)mv;
			break;
		default:
			k = put_be(k, load_w(fcol_array(c, d->col), d->size,
			    i), d->size);
			break;
		}
	}
}

void
agg_add_block(const struct agg_spec *spec, struct aggtab *t,
    const struct fcol *c, const uint32_t *rows, size_t n,
    const struct nf_addr *x, size_t nx)
{
	enum { B = 64 };
	uint8_t keys[B][AGG_BLOCK_KEY_MAX];
	struct aggval v[B];
	size_t m = 0;

	for (size_t j = 0; j < n; j++) {
		size_t r = rows[j];

		agg_key_col(spec, c, r, x, nx, keys[m]);
		aggval_of_row(&v[m], c, r);
		if (++m == B || j + 1 == n) {
			aggtab_add_many(t, keys[0], AGG_BLOCK_KEY_MAX, v, m);
			m = 0;
		}
	}
}

void
agg_record(const struct agg_spec *spec, const uint8_t *key,
    const struct aggval *v, struct flowrec *r, struct nf_addr *router)
{
	const uint8_t *k = key;

	flowrec_init(r);
	addr_from_v4(router, 0);
	if (spec->has_addr) {
		r->af = *k++;
		if (r->af == 6)
			for (unsigned i = 0; i < FLD_N; i++)
				if (fld(i)->type == FT_ADDR)
					memset(fld_addr(fld(i), r), 0, 16);
	}
	for (size_t i = 0; i < spec->nfields; i++) {
		const struct fld_desc *d = fld(spec->fields[i].fld);
		const struct fld_agg *a = key_of(spec, i);
		struct nf_addr *ad = d->kind == FK_ROUTER ? router :
		    d->type == FT_ADDR ? fld_addr(d, r) : NULL;

		switch (a->kind) {
		case AK_ADDRM:
		case AK_ADDR:
			if (ad != NULL)
				memcpy(ad->a, k, 16);
			k += 16;
			break;
		case AK_NET:
			if (ad != NULL)
				memcpy(ad->a, k, 16);
			fld_set_u64(net_partner(d, a), r, k[16]);
			k += 17;
			break;
		case AK_STR:
			/* borrowed from the key, as long as the table lives */
			fld_str(d, r)->len = k[0];
			fld_str(d, r)->p = k[0] > 0 ? (const char *)k + 1 : NULL;
			k += 1 + FLOWREC_STR_MAX;
			break;
		default:
			fld_set_u64(d, r, get_be(&k, d->size));
			break;
		}
	}
	r->first_ms = v->first_ms;
	r->last_ms = v->last_ms;
	r->packets = v->packets;
	r->bytes = v->bytes;
	r->out_packets = v->out_packets;
	r->out_bytes = v->out_bytes;
	r->flows = v->flows > UINT32_MAX ? UINT32_MAX : (uint32_t)v->flows;
}

fcol_mask
agg_columns(const struct agg_spec *spec)
{
	fcol_mask m = FCOL_BIT(FCOL_AF);

	for (size_t i = 0; i < spec->nfields; i++) {
		const struct fld_desc *d = fld(spec->fields[i].fld);
		const struct fld_agg *a = key_of(spec, i);

		m |= fld_columns(spec->fields[i].fld);
		if (a->kind == AK_NET)
			m |= FCOL_BIT(net_partner(d, a)->col);
	}
	return m;
}
