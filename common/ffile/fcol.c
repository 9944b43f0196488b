/*
 * common/ffile/fcol.c -- column arrays of one block, and the per-column byte
 * encoding (frame of reference, narrowing, byte planes, IPv4 packing)
 * described in fcol.h and flowkit-file(5).
 */
#include "common/base/compat.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/base/nferr.h"
#include "common/base/fields.h"
#include "common/ffile/fcol.h"
#include "common/ffile/fstr.h"

static inline uint64_t load_val(const void *arr, unsigned w, size_t i);
static inline void store_val(void *arr, unsigned fw, size_t i, uint64_t v);

#define SKIP_(...)

/* How many string fields the catalogue has (0: no string code runs). */
#define STRCOUNT_U8
#define STRCOUNT_U16
#define STRCOUNT_U32
#define STRCOUNT_U64
#define STRCOUNT_ADDR
#define STRCOUNT_STR	+ 1
#define STRCOUNT_F(ID, m, T, ...)	STRCOUNT_##T
#define STR_FIELDS	(0 FLOW_FIELDS(STRCOUNT_F, SKIP_, SKIP_))

bool
fcol_known(unsigned id)
{
	return fld_by_col(id) != NULL;
}

const char *
fcol_name(unsigned id)
{
	const struct fld_desc *d = fld_by_col(id);

	return d != NULL ? d->colname : "unknown";
}

unsigned
fcol_field_width(unsigned id)
{
	const struct fld_desc *d = fld_by_col(id);

	return d != NULL ? d->size : 0;
}

size_t
fcol_raw_bound(size_t n)
{
	return 17 * n;
}

size_t
fcol_col_bound(unsigned id, size_t n)
{
	const struct fld_desc *d = fld_by_col(id);

	return d != NULL && d->type == FT_STR ? fdict_raw_bound(n) :
	    fcol_raw_bound(n);
}

size_t
fcol_enc_len(const struct fcol *c, unsigned id)
{
	const struct fld_desc *d = fld_by_col(id);

	if (d != NULL && d->type == FT_STR)
		return fdict_enc_len(fcol_array(c, id), c->n);
	return fcol_raw_bound(c->n);
}

/* The per-type pieces of the generated code below. */
#define ARRAY_U8(m)	return c->m;
#define ARRAY_U16(m)	return c->m;
#define ARRAY_U32(m)	return c->m;
#define ARRAY_U64(m)	return c->m;
#define ARRAY_ADDR(m)	return c->m;
#define ARRAY_STR(m)	return (void *)(uintptr_t)&c->m;
#define ARRAY_CASE(ID, m, T, ...)	case FCOL_##ID: ARRAY_##T(m)
void *
fcol_array(const struct fcol *c, unsigned id)
{
	switch (id) {
	FLOW_FIELDS(ARRAY_CASE, SKIP_, SKIP_)
	default:
		return NULL;
	}
}

#define SET_U8(m)	c->m = p;
#define SET_U16(m)	c->m = p;
#define SET_U32(m)	c->m = p;
#define SET_U64(m)	c->m = p;
#define SET_ADDR(m)	c->m = p;
#define SET_STR(m)	(void)p;
#define SET_CASE(ID, m, T, ...)	case FCOL_##ID: SET_##T(m) break;
static void
set_array(struct fcol *c, unsigned id, void *p)
{
	switch (id) {
	FLOW_FIELDS(SET_CASE, SKIP_, SKIP_)
	default:
		break;
	}
}

int
fcol_init(struct fcol *c, size_t cap)
{
	const struct fld_desc *d;
	void *p;

	memset(c, 0, sizeof(*c));
	if (cap == 0)
		cap = 1;
	if (cap > SIZE_MAX / sizeof(struct nf_addr))
		return NFE_NOMEM;
	for (unsigned id = 1; id < FCOL_NCOLS; id++) {
		if ((d = fld_by_col(id)) == NULL)
			continue;
		if (d->type == FT_STR) {
			if (fdict_init(fcol_array(c, id), cap) != NFE_OK) {
				fcol_fini(c);
				return NFE_NOMEM;
			}
			continue;
		}
		if ((p = malloc(cap * d->size)) == NULL) {
			fcol_fini(c);
			return NFE_NOMEM;
		}
		set_array(c, id, p);
	}
	c->cap = cap;
	return NFE_OK;
}

void
fcol_fini(struct fcol *c)
{
	const struct fld_desc *d;

	for (unsigned id = 1; id < FCOL_NCOLS; id++) {
		if ((d = fld_by_col(id)) == NULL)
			continue;
		if (d->type == FT_STR)
			fdict_fini(fcol_array(c, id));
		else
			free(fcol_array(c, id));
	}
	memset(c, 0, sizeof(*c));
}

#define RESET_U8(m)
#define RESET_U16(m)
#define RESET_U32(m)
#define RESET_U64(m)
#define RESET_ADDR(m)
#define RESET_STR(m)	if (c->m.idx != NULL) fdict_reset(&c->m);
#define RESET_F(ID, m, T, ...)	RESET_##T(m)

void
fcol_reset(struct fcol *c)
{
	c->n = 0;
	c->mask = 0;
	FLOW_FIELDS(RESET_F, SKIP_, SKIP_)
}

/*
 * Record member m of r into row i of its column, and back.  Strings go
 * through the column's dictionary; a record's string bytes are counted
 * against FCOL_STR_BLOCK_BYTES before it is taken.
 */
#define PUT_U8(m)	c->m[i] = r->m;
#define PUT_U16(m)	c->m[i] = r->m;
#define PUT_U32(m)	c->m[i] = r->m;
#define PUT_U64(m)	c->m[i] = r->m;
#define PUT_ADDR(m)	c->m[i] = r->m;
#define PUT_STR(m)
#define PUT_F(ID, m, T, ...)	PUT_##T(m)
#define PUTSTR_U8(m)
#define PUTSTR_U16(m)
#define PUTSTR_U32(m)
#define PUTSTR_U64(m)
#define PUTSTR_ADDR(m)
#define PUTSTR_STR(m) \
	if (r->m.len == 0) \
		e = 0;		/* "" is entry 0 */ \
	else if ((e = fdict_add(&c->m, r->m.p, r->m.len)) == UINT32_MAX) \
		return false; \
	c->m.idx[i] = e;
#define PUTSTR_F(ID, m, T, ...)	PUTSTR_##T(m)
#define SLEN_U8(m)
#define SLEN_U16(m)
#define SLEN_U32(m)
#define SLEN_U64(m)
#define SLEN_ADDR(m)
#define SLEN_STR(m)	+ (size_t)r->m.len
#define SLEN_F(ID, m, T, ...)	SLEN_##T(m)
#define GET_U8(m)	r->m = c->m[i];
#define GET_U16(m)	r->m = c->m[i];
#define GET_U32(m)	r->m = c->m[i];
#define GET_U64(m)	r->m = c->m[i];
#define GET_ADDR(m)	r->m = c->m[i];
#define GET_STR(m)	fdict_get(&c->m, i, &r->m);
#define GET_OLD_F(ID, m, T, col, ...) \
	if ((col) <= FCOL_LEGACY_LAST) { \
		GET_##T(m) \
	}
#define GET_NEW_F(ID, m, T, col, ...) \
	if ((col) > FCOL_LEGACY_LAST && (mk & FCOL_BIT(col))) { \
		GET_##T(m) \
	}
#define GET_ANY_F(ID, m, T, col, ...) \
	if (mk & FCOL_BIT(col)) { \
		GET_##T(m) \
	}

/* Bytes of string values the dictionaries of c hold. */
#define DBYTES_U8(m)
#define DBYTES_U16(m)
#define DBYTES_U32(m)
#define DBYTES_U64(m)
#define DBYTES_ADDR(m)
#define DBYTES_STR(m)	+ c->m.nbytes
#define DBYTES_F(ID, m, T, ...)	DBYTES_##T(m)
static size_t
str_bytes(const struct fcol *c)
{
	return (size_t)0 FLOW_FIELDS(DBYTES_F, SKIP_, SKIP_);
}

/* The strings of r into row i; false if there was no memory. */
static bool
put_strings(struct fcol *c, size_t i, const struct flowrec *r)
{
	uint32_t e;

	(void)c;
	(void)i;
	(void)r;
	(void)e;
	FLOW_FIELDS(PUTSTR_F, SKIP_, SKIP_)
	return true;
}

/*
 * Columns a record always fills on put: those of format 1.0, and the
 * string columns (their dictionaries take every record's index).
 */
#define STRCOL_U8(col)
#define STRCOL_U16(col)
#define STRCOL_U32(col)
#define STRCOL_U64(col)
#define STRCOL_ADDR(col)
#define STRCOL_STR(col)	| FCOL_BIT(col)
#define STRCOL_F(ID, m, T, col, ...)	STRCOL_##T(col)
#define ROWCOLS	(FCOL_LEGACY FLOW_FIELDS(STRCOL_F, SKIP_, SKIP_))

/* Legacy members record by record; newer ones column by column. */
#define PUTOLD_F(ID, m, T, col, ...) \
	if ((col) <= FCOL_LEGACY_LAST) { \
		PUT_##T(m) \
	}
#define COPYCOL_(m, col) \
	if ((col) > FCOL_LEGACY_LAST && (mk & FCOL_BIT(col))) \
		for (size_t j = 0; j < n; j++) \
			c->m[i0 + j] = recs[j].m;
#define COPYCOL_U8(m, col)	COPYCOL_(m, col)
#define COPYCOL_U16(m, col)	COPYCOL_(m, col)
#define COPYCOL_U32(m, col)	COPYCOL_(m, col)
#define COPYCOL_U64(m, col)	COPYCOL_(m, col)
#define COPYCOL_ADDR(m, col)	COPYCOL_(m, col)
#define COPYCOL_STR(m, col)
#define COPYCOL_F(ID, m, T, col, ...)	COPYCOL_##T(m, col)

static void fill_rows(struct fcol *c, unsigned id, size_t from, size_t to);

size_t
fcol_put(struct fcol *c, const struct flowrec *recs, size_t n)
{
	return fcol_put_cols(c, recs, n, FCOL_ALL);
}

size_t
fcol_put_cols(struct fcol *c, const struct flowrec *recs, size_t n,
    fcol_mask cols)
{
	const size_t i0 = c->n;
	size_t k, i, sb = 0, rb;
	fcol_mask add, mk;

	if (n > c->cap - c->n)
		n = c->cap - c->n;
	if (STR_FIELDS > 0)
		sb = str_bytes(c);
	for (k = 0; k < n; k++) {
		const struct flowrec *r = &recs[k];

		i = i0 + k;
		if (STR_FIELDS > 0) {
			rb = 0 FLOW_FIELDS(SLEN_F, SKIP_, SKIP_);
			if ((sb + rb > FCOL_STR_BLOCK_BYTES && i > 0) ||
			    !put_strings(c, i, r))
				break;
			sb += rb;
		}
		FLOW_FIELDS(PUTOLD_F, SKIP_, SKIP_)
	}
	n = k;
	if (n == 0)
		return 0;
	/* a newer column the block gains: its earlier rows hold defaults */
	cols = (cols | ROWCOLS) & FCOL_ALL;
	if ((add = cols & ~c->mask) != 0 && i0 > 0)
		for (unsigned id = FCOL_LEGACY_LAST + 1; id < FCOL_NCOLS; id++)
			if (add & FCOL_BIT(id))
				fill_rows(c, id, 0, i0);
	c->mask |= cols;
	mk = c->mask;
	FLOW_FIELDS(COPYCOL_F, SKIP_, SKIP_)
	c->n += n;
	c->deflt = 0;			/* every array in mask written */
	return n;
}

void
fcol_get(const struct fcol *c, size_t i, struct flowrec *r)
{
	const fcol_mask mk = c->mask;

	*r = flowrec_defaults;
	if ((mk & FCOL_LEGACY) == FCOL_LEGACY) {
		/* the common case: every column of 1.0, straight-line */
		FLOW_FIELDS(GET_OLD_F, SKIP_, SKIP_)
		FLOW_FIELDS(GET_NEW_F, SKIP_, SKIP_)
	} else {
		FLOW_FIELDS(GET_ANY_F, SKIP_, SKIP_)
	}
}

bool
fcol_wanted(const struct fcol *c, unsigned id)
{
	const struct fld_desc *d = fld_by_col(id);
	const void *arr = fcol_array(c, id);
	struct nf_addr def;

	if (d == NULL)
		return false;
	if (id <= FCOL_LEGACY_LAST)
		return true;
	if (!(c->mask & FCOL_BIT(id)))
		return false;		/* every record of it at the default */
	switch (d->type) {
	case FT_STR:
		return fdict_used(arr, c->n);
	case FT_ADDR:
		def = *fld_get_addr(d, &flowrec_defaults);
		for (size_t i = 0; i < c->n; i++)
			if (!addr_eq(&((const struct nf_addr *)arr)[i], &def))
				return true;
		return false;
	default:
		for (size_t i = 0; i < c->n; i++)
			if (load_val(arr, d->size, i) != d->def)
				return true;
		return false;
	}
}

/* Rows [from, to) of column id (a stored one) to the field's default. */
static void
fill_rows(struct fcol *c, unsigned id, size_t from, size_t to)
{
	const struct fld_desc *d = fld_by_col(id);
	void *arr = fcol_array(c, id);
	struct fcol_dict *dict;
	struct nf_addr def;

	switch (d->type) {
	case FT_STR:
		dict = arr;
		if (from == 0)
			fdict_reset(dict);		/* entry 0: "" */
		memset(dict->idx + from, 0, (to - from) * sizeof(*dict->idx));
		return;
	case FT_ADDR:
		def = *fld_get_addr(d, &flowrec_defaults);
		for (size_t i = from; i < to; i++)
			((struct nf_addr *)arr)[i] = def;
		return;
	default:
		/* most defaults are 0: one memset (listings ask for every
		   column, and most blocks lack most of the newer ones) */
		if (d->def == 0) {
			memset((uint8_t *)arr + from * d->size, 0,
			    (to - from) * d->size);
			return;
		}
		for (size_t i = from; i < to; i++)
			store_val(arr, d->size, i, d->def);
		return;
	}
}

void
fcol_fill_default(struct fcol *c, unsigned id)
{
	if (fld_by_col(id) == NULL)
		return;
	if (c->n > c->ndeflt) {		/* more rows than filled before */
		c->deflt = 0;
		c->ndeflt = c->n;
	}
	if (c->deflt & FCOL_BIT(id))
		return;
	c->deflt |= FCOL_BIT(id);
	fill_rows(c, id, 0, c->n);
}

/* ---- integer columns ---- */

static inline uint64_t
load_val(const void *arr, unsigned w, size_t i)
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

static unsigned
width_for(uint64_t range)
{
	if (range == 0)
		return 0;
	if (range <= UINT8_MAX)
		return 1;
	if (range <= UINT16_MAX)
		return 2;
	if (range <= UINT32_MAX)
		return 4;
	return 8;
}

/*
 * Values i0 .. i0 + k - 1 of an integer column of member width fw into
 * v, minus base (durations for FE_INT_DELTA): one loop per width, so
 * that the compiler sees each as a plain array walk.
 */
#define ENC_CHUNK	512
static void
#if defined(__GNUC__) && !defined(__clang__)
__attribute__((optimize("vect-cost-model=cheap")))
#endif
load_chunk(const struct fcol *c, bool delta, const void *arr, unsigned fw,
    size_t i0, size_t k, uint64_t base, uint64_t *v)
{
	if (delta) {
		for (size_t j = 0; j < k; j++)
			v[j] = load_val(arr, fw, i0 + j) - c->first_ms[i0 + j] -
			    base;
		return;
	}
	switch (fw) {
	case 1:
		for (size_t j = 0; j < k; j++)
			v[j] = (uint64_t)((const uint8_t *)arr)[i0 + j] - base;
		return;
	case 2:
		for (size_t j = 0; j < k; j++)
			v[j] = (uint64_t)((const uint16_t *)arr)[i0 + j] - base;
		return;
	case 4:
		for (size_t j = 0; j < k; j++)
			v[j] = (uint64_t)((const uint32_t *)arr)[i0 + j] - base;
		return;
	default:
		for (size_t j = 0; j < k; j++)
			v[j] = ((const uint64_t *)arr)[i0 + j] - base;
		return;
	}
}

/*
 * k values of width w (1, 2, 4 or 8 bytes, little-endian) as rows
 * i0 .. of n: byte b of row i at dst[b * n + i] (planes) or at
 * dst[i * w + b].
 */
#define PUT_PLANES(W) \
	for (size_t j = 0; j < k; j++) \
		for (unsigned b = 0; b < (W); b++) \
			dst[b * n + i0 + j] = (uint8_t)(v[j] >> (8 * b));
#define PUT_ROWS(W) \
	for (size_t j = 0; j < k; j++) \
		for (unsigned b = 0; b < (W); b++) \
			dst[(i0 + j) * (W) + b] = (uint8_t)(v[j] >> (8 * b));
static void
#if defined(__GNUC__) && !defined(__clang__)
__attribute__((optimize("vect-cost-model=cheap")))
#endif
put_chunk(uint8_t *dst, size_t n, size_t i0, size_t k, unsigned w,
    bool planes, const uint64_t *v)
{
	switch (w + (planes ? 16 : 0)) {
	case 1:
	case 17:
		for (size_t j = 0; j < k; j++)
			dst[i0 + j] = (uint8_t)v[j];
		return;
	case 2:
		PUT_ROWS(2)
		return;
	case 4:
		PUT_ROWS(4)
		return;
	case 8:
		PUT_ROWS(8)
		return;
	case 18:
		PUT_PLANES(2)
		return;
	case 20:
		PUT_PLANES(4)
		return;
	default:
		PUT_PLANES(8)
		return;
	}
}

/* min, max, OR and AND of n values of type T at arr, into s[0..3]. */
#define COL_STATS(T) do {						\
	const T *p = arr;						\
	T lo = (T)-1, hi = 0, o = 0, a = (T)-1;				\
	for (size_t i = 0; i < n; i++) {				\
		lo = p[i] < lo ? p[i] : lo;				\
		hi = p[i] > hi ? p[i] : hi;				\
		o |= p[i];						\
		a &= p[i];						\
	}								\
	s[0] = lo; s[1] = hi; s[2] = o; s[3] = a;			\
} while (0)

/*
 * The stats of a plain integer column (n > 0 values of member width fw)
 * in its own width, which the "cheap" cost model vectorises for 1, 2
 * and 4 bytes (see unpack_any).
 */
static void
#if defined(__GNUC__) && !defined(__clang__)
__attribute__((optimize("vect-cost-model=cheap")))
#endif
col_stats(const void *arr, unsigned fw, size_t n, uint64_t s[4])
{
	switch (fw) {
	case 1:
		COL_STATS(uint8_t);
		break;
	case 2:
		COL_STATS(uint16_t);
		break;
	case 4:
		COL_STATS(uint32_t);
		break;
	default:
		COL_STATS(uint64_t);
		break;
	}
}

static int
encode_int(const struct fcol *c, unsigned id, bool shuffle, uint8_t *dst,
    size_t cap, struct fcol_enc *e)
{
	const struct fld_desc *d = fld_by_col(id);
	const void *arr = fcol_array(c, id);
	unsigned fw = d->size, w;
	bool delta = d->enc == FE_INT_DELTA;
	uint64_t lo = UINT64_MAX, hi = 0, st[4], v[ENC_CHUNK];
	size_t n = c->n, k;

	if (n == 0)
		lo = hi = 0;
	else if (!delta) {
		col_stats(arr, fw, n, st);
		lo = st[0];
		hi = st[1];
		e->has_stats = true;
		e->vmin = lo;
		e->vmax = hi;
		e->vor = st[2];
		e->vand = st[3];
	} else {
		for (size_t i = 0; i < n; i += k) {
			k = n - i < ENC_CHUNK ? n - i : ENC_CHUNK;
			load_chunk(c, delta, arr, fw, i, k, 0, v);
			for (size_t j = 0; j < k; j++) {
				lo = v[j] < lo ? v[j] : lo;
				hi = v[j] > hi ? v[j] : hi;
			}
		}
	}
	w = width_for(hi - lo);
	e->width = (uint8_t)w;
	e->base = lo;
	e->flags = (shuffle && w > 1) ? FCOL_F_SHUFFLE : 0;
	e->raw_len = n * w;
	if (cap < e->raw_len)
		return NFE_LIMIT;
	if (w == 0)
		return NFE_OK;
	for (size_t i = 0; i < n; i += k) {
		k = n - i < ENC_CHUNK ? n - i : ENC_CHUNK;
		load_chunk(c, delta, arr, fw, i, k, lo, v);
		put_chunk(dst, n, i, k, w, e->flags & FCOL_F_SHUFFLE, v);
	}
	return NFE_OK;
}

static inline void
store_val(void *arr, unsigned fw, size_t i, uint64_t v)
{
	switch (fw) {
	case 1:
		((uint8_t *)arr)[i] = (uint8_t)v;
		break;
	case 2:
		((uint16_t *)arr)[i] = (uint16_t)v;
		break;
	case 4:
		((uint32_t *)arr)[i] = (uint32_t)v;
		break;
	default:
		((uint64_t *)arr)[i] = v;
		break;
	}
}

/*
 * The inner loops, written once and specialised by the compiler for
 * each constant (fw, w, shuf) at the call sites below.
 */
/*
 * Byte plane p (the bytes of weight 2^shift of every value) added to
 * the values in arr: one plane at a time, a loop the compiler
 * vectorises (a value at a time, the w loads of each value go w planes
 * apart and it does not).  Sums wrap modulo the field width as the
 * value-at-a-time "base + v" stored in fw bytes does.
 */
#define PLANE_LOOP(T) do {						\
	T *a = arr;							\
	if (first)							\
		for (size_t i = 0; i < n; i++)				\
			a[i] = (T)(base + p[i]);			\
	else								\
		for (size_t i = 0; i < n; i++)				\
			a[i] = (T)(a[i] + ((T)p[i] << shift));		\
} while (0)

static inline __attribute__((always_inline)) void
add_plane(void *arr, unsigned fw, const uint8_t *p, size_t n,
    unsigned shift, bool first, uint64_t base)
{
	switch (fw) {
	case 1:
		PLANE_LOOP(uint8_t);
		break;
	case 2:
		PLANE_LOOP(uint16_t);
		break;
	case 4:
		PLANE_LOOP(uint32_t);
		break;
	default:
		PLANE_LOOP(uint64_t);
		break;
	}
}

static inline __attribute__((always_inline)) void
unpack(void *arr, unsigned fw, const uint8_t *src, size_t n, unsigned w,
    bool shuf, uint64_t base)
{
	uint64_t v;

	if (shuf && w > 1) {
		for (unsigned b = 0; b < w; b++)
			add_plane(arr, fw, src + (size_t)b * n, n, 8 * b,
			    b == 0, base);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		v = 0;
		for (unsigned b = 0; b < w; b++)
			v |= (uint64_t)src[shuf ? b * n + i : i * w + b] <<
			    (8 * b);
		store_val(arr, fw, i, base + v);
	}
}

/* always inlined too: a copy per field width, without a switch per value */
static inline __attribute__((always_inline)) void
unpack_fw(void *arr, unsigned fw, const uint8_t *src, size_t n, unsigned w,
    bool shuf, uint64_t base)
{
	switch (w * 2 + shuf) {
	case 0:
	case 1:
		unpack(arr, fw, src, n, 0, false, base);
		break;
	case 2:
	case 3:
		unpack(arr, fw, src, n, 1, false, base);
		break;
	case 4:
		unpack(arr, fw, src, n, 2, false, base);
		break;
	case 5:
		unpack(arr, fw, src, n, 2, true, base);
		break;
	case 8:
		unpack(arr, fw, src, n, 4, false, base);
		break;
	case 9:
		unpack(arr, fw, src, n, 4, true, base);
		break;
	case 16:
		unpack(arr, fw, src, n, 8, false, base);
		break;
	default:
		unpack(arr, fw, src, n, 8, true, base);
		break;
	}
}

/*
 * Every (fw, w, shuf) loop lands here.  GCC's -O2 vectorises only
 * loops that need no scalar tail ("very cheap" cost model), which
 * leaves these byte-plane loops scalar: the "cheap" model vectorises
 * them (a quarter fewer instructions for a filtered count; clang
 * vectorises them at -O2 anyway).
 */
static void
#if defined(__GNUC__) && !defined(__clang__)
__attribute__((optimize("vect-cost-model=cheap")))
#endif
unpack_any(void *arr, unsigned fw, const uint8_t *src, size_t n, unsigned w,
    bool shuf, uint64_t base)
{
	switch (fw) {
	case 1:
		unpack_fw(arr, 1, src, n, w, shuf, base);
		break;
	case 2:
		unpack_fw(arr, 2, src, n, w, shuf, base);
		break;
	case 4:
		unpack_fw(arr, 4, src, n, w, shuf, base);
		break;
	default:
		unpack_fw(arr, 8, src, n, w, shuf, base);
		break;
	}
}

static int
decode_int(struct fcol *c, size_t n, const struct fcol_enc *e,
    const uint8_t *src, size_t len)
{
	unsigned fw = fld_by_col(e->id)->size, w = e->width;

	if ((w != 0 && w != 1 && w != 2 && w != 4 && w != 8) || w > fw ||
	    (e->flags & ~FCOL_F_SHUFFLE) != 0)
		return NFE_UNSUPP;
	if (len != n * w)
		return NFE_CORRUPT;
	unpack_any(fcol_array(c, e->id), fw, src, n, w,
	    (e->flags & FCOL_F_SHUFFLE) != 0 && w > 1, e->base);
	return NFE_OK;
}

/* ---- address columns ---- */

static const uint8_t v4pfx[12] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff
};

static inline unsigned
addr_tag(const struct nf_addr *a)
{
	static const uint8_t zero[16];

	if (memcmp(a->a, v4pfx, 12) == 0)
		return 4;
	if (memcmp(a->a, zero, 16) == 0)
		return 0;
	return 16;
}

static int
encode_addr(const struct fcol *c, unsigned id, bool shuffle, uint8_t *dst,
    size_t cap, struct fcol_enc *e)
{
	const struct nf_addr *arr = fcol_array(c, id);
	size_t n = c->n, nv4 = 0, nz = 0, off;
	unsigned t;

	for (size_t i = 0; i < n; i++) {
		t = addr_tag(&arr[i]);
		if (t == 4)
			nv4++;
		else if (t == 0)
			nz++;
	}
	e->base = 0;
	e->flags = 0;
	if (nv4 == n) {
		e->width = FCOL_AW_V4;
		e->raw_len = 4 * n;
		if (cap < e->raw_len)
			return NFE_LIMIT;
		if (shuffle) {
			e->flags = FCOL_F_SHUFFLE;
			for (size_t i = 0; i < n; i++)
				for (unsigned b = 0; b < 4; b++)
					dst[b * n + i] = arr[i].a[12 + b];
		} else {
			for (size_t i = 0; i < n; i++)
				memcpy(dst + 4 * i, arr[i].a + 12, 4);
		}
		return NFE_OK;
	}
	if (nv4 == 0 && nz == 0) {
		e->width = FCOL_AW_V6;
		e->raw_len = 16 * n;
		if (cap < e->raw_len)
			return NFE_LIMIT;
		for (size_t i = 0; i < n; i++)
			memcpy(dst + 16 * i, arr[i].a, 16);
		return NFE_OK;
	}
	e->width = FCOL_AW_TAGGED;
	e->raw_len = n + 4 * nv4 + 16 * (n - nv4 - nz);
	if (cap < e->raw_len)
		return NFE_LIMIT;
	off = n;
	for (size_t i = 0; i < n; i++) {
		t = addr_tag(&arr[i]);
		dst[i] = (uint8_t)t;
		if (t == 4)
			memcpy(dst + off, arr[i].a + 12, 4);
		else if (t == 16)
			memcpy(dst + off, arr[i].a, 16);
		off += t;
	}
	return NFE_OK;
}

static int
decode_addr(struct fcol *c, size_t n, const struct fcol_enc *e,
    const uint8_t *src, size_t len)
{
	struct nf_addr *arr = fcol_array(c, e->id);
	size_t off;
	unsigned t;

	switch (e->width) {
	case FCOL_AW_V4:
		if ((e->flags & ~FCOL_F_SHUFFLE) != 0)
			return NFE_UNSUPP;
		if (len != 4 * n)
			return NFE_CORRUPT;
		for (size_t i = 0; i < n; i++) {
			memcpy(arr[i].a, v4pfx, 12);
			if (e->flags & FCOL_F_SHUFFLE) {
				for (unsigned b = 0; b < 4; b++)
					arr[i].a[12 + b] = src[b * n + i];
			} else
				memcpy(arr[i].a + 12, src + 4 * i, 4);
		}
		return NFE_OK;
	case FCOL_AW_V6:
		if (e->flags != 0)
			return NFE_UNSUPP;
		if (len != 16 * n)
			return NFE_CORRUPT;
		for (size_t i = 0; i < n; i++)
			memcpy(arr[i].a, src + 16 * i, 16);
		return NFE_OK;
	case FCOL_AW_TAGGED:
		if (e->flags != 0)
			return NFE_UNSUPP;
		if (len < n)
			return NFE_CORRUPT;
		off = n;
		for (size_t i = 0; i < n; i++) {
			t = src[i];
			if ((t != 0 && t != 4 && t != 16) || len - off < t)
				return NFE_CORRUPT;
			if (t == 0)
				memset(arr[i].a, 0, 16);
			else if (t == 4) {
				memcpy(arr[i].a, v4pfx, 12);
				memcpy(arr[i].a + 12, src + off, 4);
			} else
				memcpy(arr[i].a, src + off, 16);
			off += t;
		}
		return off == len ? NFE_OK : NFE_CORRUPT;
	default:
		return NFE_UNSUPP;
	}
}

int
fcol_encode(const struct fcol *c, unsigned id, bool shuffle, uint8_t *dst,
    size_t cap, struct fcol_enc *e)
{
	memset(e, 0, sizeof(*e));
	if (!fcol_known(id))
		return NFE_INVAL;
	e->id = (uint16_t)id;
	if (fld_by_col(id)->enc == FE_STR)
		return fdict_encode(fcol_array(c, id), c->n, dst, cap, e);
	if (fld_by_col(id)->enc == FE_ADDR)
		return encode_addr(c, id, shuffle, dst, cap, e);
	return encode_int(c, id, shuffle, dst, cap, e);
}

int
fcol_decode(struct fcol *c, size_t n, const struct fcol_enc *e,
    const uint8_t *src, size_t len)
{
	int r;

	if (!fcol_known(e->id))
		return NFE_UNSUPP;
	if (n > c->cap)
		return NFE_LIMIT;
	c->deflt &= ~FCOL_BIT(e->id);	/* overwritten, even if it fails */
	if (fld_by_col(e->id)->enc == FE_STR)
		r = fdict_decode(fcol_array(c, e->id), n, e, src, len);
	else if (fld_by_col(e->id)->enc == FE_ADDR)
		r = decode_addr(c, n, e, src, len);
	else
		r = decode_int(c, n, e, src, len);
	if (r == NFE_OK) {
		c->n = n;
		c->mask |= FCOL_BIT(e->id);
	}
	return r;
}

int
fcol_decode_finish(struct fcol *c)
{
	return fcol_decode_finish_cols(c, c->mask);
}

int
fcol_decode_finish_cols(struct fcol *c, fcol_mask cols)
{
	const struct fld_desc *d;
	uint64_t *t;

	for (unsigned id = 1; id < FCOL_NCOLS; id++) {
		if (!(c->mask & cols & FCOL_BIT(id)) ||
		    (d = fld_by_col(id)) == NULL ||
		    d->enc != FE_INT_DELTA)
			continue;
		if (!(c->mask & FCOL_BIT(FCOL_FIRST)))
			return NFE_CORRUPT;
		t = fcol_array(c, id);
		for (size_t i = 0; i < c->n; i++)
			t[i] += c->first_ms[i];
	}
	return NFE_OK;
}
