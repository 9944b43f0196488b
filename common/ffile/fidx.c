/*
 * common/ffile/fidx.c -- the per-block index (fidx.h, flowkit-file(5)
 * BLOCK INDEX): built by the writer from its column arrays, parsed by
 * the reader, probed by the query's filter.
 *
 * Layout (all little-endian):
 *    0  1  version (FIDX_VERSION)
 *    1  1  k: bits per Bloom element (FIDX_K)
 *    2  2  nint: integer column entries
 *    4  2  naddr: address column entries
 *    6  2  reserved 0
 *    8  4  nwords: Bloom filter words (0, or a power of two)
 *   12  4  nrec: records of the block
 *   16     nint x { id 2, reserved 6, min 8, max 8, or 8, and 8 }
 *          naddr x { id 2, reserved 6, min 16, max 16 } (big-endian)
 *          nwords x 8: the Bloom filter
 */
#include "common/base/compat.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/base/buf.h"
#include "common/base/nferr.h"
#include "common/ffile/fidx.h"

static const uint8_t v4pfx[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

static int NF_PRINTF(4, 5)
fail(int code, char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err != NULL && errlen > 0) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return code;
}

void
fidx_builder_fini(struct fidx_builder *b)
{
	free(b->words);
	memset(b, 0, sizeof(*b));
}

/* Words of the unfolded filter for nrec records: 64 bits a record. */
static size_t
words_for(size_t nrec)
{
	size_t w = 1;

	while (w < nrec)
		w <<= 1;
	return w;
}

size_t
fidx_bound(size_t nrec)
{
	return FIDX_FIXED + (size_t)FCOL_NCOLS * FIDX_INT_LEN +
	    8 * words_for(nrec);
}

static inline uint64_t
mix64(uint64_t z)
{
	z ^= z >> 30;
	z *= UINT64_C(0xbf58476d1ce4e5b9);
	z ^= z >> 27;
	z *= UINT64_C(0x94d049bb133111eb);
	z ^= z >> 31;
	return z;
}

static inline uint64_t
le64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	v = __builtin_bswap64(v);
#endif
	return v;
}

static inline uint64_t
hash_xy(uint64_t x, uint64_t y, unsigned kind)
{
	return mix64(x ^ mix64(y ^ kind));
}

uint64_t
fidx_hash(const uint8_t a[16], unsigned kind)
{
	return hash_xy(le64(a), le64(a + 8), kind);
}

void
fidx_net_of(const uint8_t a[16], uint8_t out[16])
{
	memset(out, 0, 16);
	if (memcmp(a, v4pfx, 12) == 0)
		memcpy(out, a, 15);		/* IPv4 /24 */
	else
		memcpy(out, a, 6);		/* IPv6 /48 */
}

/* The FIDX_K bits of hash h within its word. */
static inline uint64_t
bits_of(uint64_t h)
{
	uint64_t m = 0;

	for (unsigned j = 0; j < FIDX_K; j++)
		m |= UINT64_C(1) << (h >> (40 + 6 * j) & 63);
	return m;
}

/*
 * Add address a's two elements: itself and its /24 or /48 (as
 * fidx_net_of, on the two little-endian halves: an IPv4-mapped address
 * has x == 0 and bytes 8..11 00 00 ff ff).
 */
static inline void
add_addr(uint64_t *w, size_t mask, const uint8_t a[16])
{
	uint64_t x = le64(a), y = le64(a + 8), h;

	h = hash_xy(x, y, FIDX_E_ADDR);
	w[h & mask] |= bits_of(h);
	if (x == 0 && (uint32_t)y == 0xffff0000u)
		y &= UINT64_C(0x00ffffffffffffff);	/* IPv4 /24 */
	else {
		x &= UINT64_C(0x0000ffffffffffff);	/* IPv6 /48 */
		y = 0;
	}
	h = hash_xy(x, y, FIDX_E_NET);
	w[h & mask] |= bits_of(h);
}

/*
 * Bits set in x.  Written out because without -mpopcnt (the default
 * for x86-64) __builtin_popcountll is a call into libgcc.
 */
static inline unsigned
pop64(uint64_t x)
{
	x -= (x >> 1) & UINT64_C(0x5555555555555555);
	x = (x & UINT64_C(0x3333333333333333)) +
	    ((x >> 2) & UINT64_C(0x3333333333333333));
	x = (x + (x >> 4)) & UINT64_C(0x0f0f0f0f0f0f0f0f);
	return (unsigned)((x * UINT64_C(0x0101010101010101)) >> 56);
}

/* Build the filter over c's source and destination addresses. */
static int
build_bloom(struct fidx_builder *b, const struct fcol *c, size_t *nwords)
{
	size_t n = words_for(c->n), half, pop;
	uint64_t *w;

	if (b->cap < n) {
		free(b->words);
		b->cap = 0;
		if ((b->words = malloc(n * sizeof(*b->words))) == NULL)
			return NFE_NOMEM;
		b->cap = n;
	}
	w = b->words;
	memset(w, 0, n * sizeof(*w));
	for (size_t i = 0; i < c->n; i++) {
		add_addr(w, n - 1, c->src[i].a);
		add_addr(w, n - 1, c->dst[i].a);
	}
	/* fold: word i of the half-size filter is words i and i + half */
	while (n > 1) {
		half = n / 2;
		pop = 0;
		for (size_t i = 0; i < half; i++)
			pop += pop64(w[i] | w[i + half]);
		if (pop * 1000 > (size_t)FIDX_FILL_PERMILLE * 64 * half)
			break;
		for (size_t i = 0; i < half; i++)
			w[i] |= w[i + half];
		n = half;
	}
	*nwords = c->n > 0 ? n : 0;
	return NFE_OK;
}

/* min, max, or, and of n values of width fw at arr. */
#define STATS_LOOP(T) do {						\
	const T *v = arr;						\
	uint64_t lo = UINT64_MAX, hi = 0, o = 0, a = UINT64_MAX;	\
	for (size_t i = 0; i < n; i++) {				\
		uint64_t x = v[i];					\
		lo = x < lo ? x : lo;					\
		hi = x > hi ? x : hi;					\
		o |= x;							\
		a &= x;							\
	}								\
	s->min = lo; s->max = hi; s->or_ = o; s->and_ = a;		\
} while (0)

static void
int_stats(const void *arr, unsigned fw, size_t n, struct fidx_int *s)
{
	switch (fw) {
	case 1:
		STATS_LOOP(uint8_t);
		break;
	case 2:
		STATS_LOOP(uint16_t);
		break;
	case 4:
		STATS_LOOP(uint32_t);
		break;
	default:
		STATS_LOOP(uint64_t);
		break;
	}
}

static inline uint64_t
be64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
#if __BYTE_ORDER__ != __ORDER_BIG_ENDIAN__
	v = __builtin_bswap64(v);
#endif
	return v;
}

static void
addr_stats(const struct nf_addr *arr, size_t n, uint8_t lo[16],
    uint8_t hi[16])
{
	uint64_t lh = UINT64_MAX, ll = UINT64_MAX, hh = 0, hl = 0, x, y;
	size_t ilo = 0, ihi = 0;

	for (size_t i = 0; i < n; i++) {
		x = be64(arr[i].a);
		y = be64(arr[i].a + 8);
		if (x < lh || (x == lh && y < ll)) {
			lh = x;
			ll = y;
			ilo = i;
		}
		if (x > hh || (x == hh && y >= hl)) {
			hh = x;
			hl = y;
			ihi = i;
		}
	}
	memcpy(lo, arr[ilo].a, 16);
	memcpy(hi, arr[ihi].a, 16);
}

int
fidx_encode(struct fidx_builder *b, const struct fcol *c,
    const uint16_t *ids, const struct fcol_enc *encs, size_t ncol,
    uint8_t *dst, size_t cap, size_t *len)
{
	struct wbuf w;
	struct fidx_int s;
	uint8_t lo[16], hi[16];
	size_t nwords = 0, nint = 0, naddr = 0;
	int r;

	*len = 0;
	if (cap < fidx_bound(c->n))
		return NFE_LIMIT;
	for (size_t k = 0; k < ncol; k++) {
		const struct fld_desc *d = fld_by_col(ids[k]);

		if (d == NULL || d->enc == FE_STR)
			continue;
		if (d->enc == FE_ADDR)
			naddr++;
		else
			nint++;
	}
	if (c->n > 0 && (r = build_bloom(b, c, &nwords)) != NFE_OK)
		return r;
	wbuf_init(&w, dst, cap);
	wbuf_u8(&w, FIDX_VERSION);
	wbuf_u8(&w, FIDX_K);
	wbuf_le16(&w, (uint16_t)nint);
	wbuf_le16(&w, (uint16_t)naddr);
	wbuf_le16(&w, 0);
	wbuf_le32(&w, (uint32_t)nwords);
	wbuf_le32(&w, (uint32_t)c->n);
	for (size_t k = 0; k < ncol; k++) {
		const struct fld_desc *d = fld_by_col(ids[k]);

		if (d == NULL || d->enc == FE_STR || d->enc == FE_ADDR)
			continue;
		if (c->n > 0 && encs != NULL && encs[k].has_stats) {
			/* found by fcol_encode's pass over the values */
			s.min = encs[k].vmin;
			s.max = encs[k].vmax;
			s.or_ = encs[k].vor;
			s.and_ = encs[k].vand;
		} else if (c->n > 0 && encs != NULL && encs[k].width == 0 &&
		    d->enc == FE_INT)	/* one value: the column's base */
			s.min = s.max = s.or_ = s.and_ = encs[k].base;
		else if (c->n > 0)
			int_stats(fcol_array(c, ids[k]), d->size, c->n, &s);
		else
			memset(&s, 0, sizeof(s));
		wbuf_le16(&w, ids[k]);
		wbuf_zero(&w, 6);
		wbuf_le64(&w, s.min);
		wbuf_le64(&w, s.max);
		wbuf_le64(&w, s.or_);
		wbuf_le64(&w, s.and_);
	}
	for (size_t k = 0; k < ncol; k++) {
		const struct fld_desc *d = fld_by_col(ids[k]);

		if (d == NULL || d->enc != FE_ADDR)
			continue;
		if (c->n > 0)
			addr_stats(fcol_array(c, ids[k]), c->n, lo, hi);
		else {
			memset(lo, 0, 16);
			memset(hi, 0, 16);
		}
		wbuf_le16(&w, ids[k]);
		wbuf_zero(&w, 6);
		wbuf_bytes(&w, lo, 16);
		wbuf_bytes(&w, hi, 16);
	}
	for (size_t i = 0; i < nwords; i++)
		wbuf_le64(&w, b->words[i]);
	if (!wbuf_ok(&w))
		return NFE_LIMIT;
	*len = wbuf_len(&w);
	return NFE_OK;
}

int
fidx_parse(const uint8_t *p, size_t len, uint32_t nrec, struct fidx *ix,
    char *err, size_t errlen)
{
	struct rbuf b;
	unsigned ver, k, nint, naddr, id;
	uint32_t nwords, n;

	ix->ints = ix->addrs = 0;
	ix->bloom = NULL;
	ix->nwords = 0;
	rbuf_init(&b, p, len);
	ver = rbuf_u8(&b);
	k = rbuf_u8(&b);
	nint = rbuf_le16(&b);
	naddr = rbuf_le16(&b);
	rbuf_skip(&b, 2);
	nwords = rbuf_le32(&b);
	n = rbuf_le32(&b);
	if (!rbuf_ok(&b))
		return fail(NFE_CORRUPT, err, errlen, "index cut short");
	if (ver != FIDX_VERSION || k != FIDX_K)
		return fail(NFE_UNSUPP, err, errlen, "index version %u "
		    "(k %u) unknown", ver, k);
	if (n != nrec)
		return fail(NFE_CORRUPT, err, errlen, "index for %u records "
		    "in a block of %u", (unsigned)n, (unsigned)nrec);
	if (nwords > FIDX_MAX_WORDS || (nwords & (nwords - 1)) != 0 ||
	    (nwords == 0) != (nrec == 0))
		return fail(NFE_CORRUPT, err, errlen, "index: bad filter size "
		    "%u", (unsigned)nwords);
	if ((uint64_t)nint * FIDX_INT_LEN + (uint64_t)naddr * FIDX_ADDR_LEN +
	    (uint64_t)nwords * 8 != rbuf_remaining(&b))
		return fail(NFE_CORRUPT, err, errlen, "index: %zu bytes do "
		    "not hold %u + %u entries and %u words", len, nint, naddr,
		    (unsigned)nwords);
	for (unsigned i = 0; i < nint; i++) {
		const struct fld_desc *d;

		id = rbuf_le16(&b);
		rbuf_skip(&b, 6);
		d = fld_by_col(id);
		if (d == NULL || d->enc == FE_STR || d->enc == FE_ADDR) {
			rbuf_skip(&b, 32);	/* not ours: ignore */
			continue;
		}
		ix->iv[id].min = rbuf_le64(&b);
		ix->iv[id].max = rbuf_le64(&b);
		ix->iv[id].or_ = rbuf_le64(&b);
		ix->iv[id].and_ = rbuf_le64(&b);
		if ((ix->ints | ix->addrs) & FCOL_BIT(id) ||
		    ix->iv[id].min > ix->iv[id].max)
			return fail(NFE_CORRUPT, err, errlen, "index: bad "
			    "entry for column %u", id);
		ix->ints |= FCOL_BIT(id);
	}
	for (unsigned i = 0; i < naddr; i++) {
		const struct fld_desc *d;

		id = rbuf_le16(&b);
		rbuf_skip(&b, 6);
		d = fld_by_col(id);
		if (d == NULL || d->enc != FE_ADDR) {
			rbuf_skip(&b, 32);
			continue;
		}
		rbuf_bytes(&b, ix->amin[id], 16);
		rbuf_bytes(&b, ix->amax[id], 16);
		if ((ix->ints | ix->addrs) & FCOL_BIT(id) ||
		    memcmp(ix->amin[id], ix->amax[id], 16) > 0)
			return fail(NFE_CORRUPT, err, errlen, "index: bad "
			    "entry for column %u", id);
		ix->addrs |= FCOL_BIT(id);
	}
	if (!rbuf_ok(&b))
		return fail(NFE_CORRUPT, err, errlen, "index cut short");
	ix->bloom = nwords > 0 ? p + (len - (size_t)nwords * 8) : NULL;
	ix->nwords = nwords;
	ix->nrec = nrec;
	return NFE_OK;
}

bool
fidx_int_range(const struct fidx *ix, unsigned id, struct fidx_int *out)
{
	const struct fld_desc *d = fld_by_col(id);

	if (d == NULL || d->enc == FE_STR || d->enc == FE_ADDR)
		return false;
	if (ix->ints & FCOL_BIT(id)) {
		*out = ix->iv[id];
		return true;
	}
	out->min = out->max = out->or_ = out->and_ = d->def;
	return true;
}

bool
fidx_addr_range(const struct fidx *ix, unsigned id, uint8_t lo[16],
    uint8_t hi[16])
{
	const struct fld_desc *d = fld_by_col(id);

	if (d == NULL || d->enc != FE_ADDR)
		return false;
	if (ix->addrs & FCOL_BIT(id)) {
		memcpy(lo, ix->amin[id], 16);
		memcpy(hi, ix->amax[id], 16);
		return true;
	}
	/* the default address, ::ffff:0.0.0.0 */
	memset(lo, 0, 16);
	memcpy(lo, v4pfx, 12);
	memcpy(hi, lo, 16);
	return true;
}

bool
fidx_may_hold(const struct fidx *ix, const uint8_t a[16], unsigned kind)
{
	uint64_t h, m;

	if (ix->nwords == 0)
		return ix->nrec > 0;
	h = fidx_hash(a, kind);
	m = bits_of(h);
	return (le64(ix->bloom + 8 * (h & (ix->nwords - 1))) & m) == m;
}

static uint64_t
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

bool
fidx_agrees(const struct fidx *ix, const struct fcol *c)
{
	struct fidx_int s;
	uint8_t lo[16], hi[16], net[16];

	for (unsigned id = 1; id < FCOL_NCOLS; id++) {
		const struct fld_desc *d = fld_by_col(id);
		const void *arr = fcol_array(c, id);

		if (d == NULL || arr == NULL)
			continue;
		if (fidx_int_range(ix, id, &s)) {
			for (size_t i = 0; i < c->n; i++) {
				uint64_t v = load_w(arr, d->size, i);

				if (v < s.min || v > s.max || (v & ~s.or_) ||
				    (v & s.and_) != s.and_)
					return false;
			}
		} else if (fidx_addr_range(ix, id, lo, hi)) {
			const struct nf_addr *a = arr;

			for (size_t i = 0; i < c->n; i++)
				if (memcmp(a[i].a, lo, 16) < 0 ||
				    memcmp(a[i].a, hi, 16) > 0)
					return false;
		}
	}
	for (size_t i = 0; i < c->n; i++) {
		const uint8_t *ad[2] = { c->src[i].a, c->dst[i].a };

		for (int k = 0; k < 2; k++) {
			fidx_net_of(ad[k], net);
			if (!fidx_may_hold(ix, ad[k], FIDX_E_ADDR) ||
			    !fidx_may_hold(ix, net, FIDX_E_NET))
				return false;
		}
	}
	return true;
}
