/*
 * common/ffile/fstr.c -- string columns: the per-block dictionary and
 * its encoding (fstr.h, flowkit-file(5)).  The writer finds a value's
 * entry through an open-addressing hash of the entries; the reader
 * checks every length and index before it keeps anything.
 */
#include "common/base/compat.h"

#include <stdlib.h>
#include <string.h>

#include "common/base/nferr.h"
#include "common/ffile/fcol.h"
#include "common/ffile/fstr.h"

#define FDICT_MIN_ENTRIES	16
#define FDICT_MIN_BYTES		256

static int
grow_entries(struct fcol_dict *d, uint32_t want)
{
	uint32_t cap = d->ncap ? d->ncap : FDICT_MIN_ENTRIES;
	uint32_t *off;
	uint8_t *len;

	if (want <= d->ncap)
		return NFE_OK;
	while (cap < want)
		cap *= 2;
	if ((off = realloc(d->off, cap * sizeof(*off))) == NULL)
		return NFE_NOMEM;
	d->off = off;
	if ((len = realloc(d->len, cap)) == NULL)
		return NFE_NOMEM;
	d->len = len;
	d->ncap = cap;
	return NFE_OK;
}

static int
grow_bytes(struct fcol_dict *d, size_t want)
{
	size_t cap = d->capbytes ? d->capbytes : FDICT_MIN_BYTES;
	char *p;

	if (want <= d->capbytes)
		return NFE_OK;
	while (cap < want)
		cap *= 2;
	if ((p = realloc(d->bytes, cap)) == NULL)
		return NFE_NOMEM;
	d->bytes = p;
	d->capbytes = cap;
	return NFE_OK;
}

int
fdict_init(struct fcol_dict *d, size_t cap)
{
	memset(d, 0, sizeof(*d));
	if ((d->idx = malloc((cap ? cap : 1) * sizeof(*d->idx))) == NULL ||
	    grow_entries(d, FDICT_MIN_ENTRIES) != NFE_OK ||
	    grow_bytes(d, FDICT_MIN_BYTES) != NFE_OK)
		return NFE_NOMEM;
	fdict_reset(d);
	return NFE_OK;
}

void
fdict_fini(struct fcol_dict *d)
{
	free(d->idx);
	free(d->off);
	free(d->len);
	free(d->bytes);
	free(d->hash);
	memset(d, 0, sizeof(*d));
}

void
fdict_reset(struct fcol_dict *d)
{
	d->n = 1;			/* entry 0: "" */
	d->off[0] = 0;
	d->len[0] = 0;
	d->nbytes = 0;
	if (d->hash != NULL)
		memset(d->hash, 0, (d->hmask + 1) * sizeof(*d->hash));
}

static uint32_t
str_hash(const char *s, size_t len)
{
	uint32_t h = 2166136261u;		/* FNV-1a */

	for (size_t i = 0; i < len; i++)
		h = (h ^ (uint8_t)s[i]) * 16777619u;
	return h;
}

/* Double the hash (or make it) and put every entry back. */
static int
rehash(struct fcol_dict *d)
{
	uint32_t slots = d->hmask ? 2 * (d->hmask + 1) : 64, h;
	uint32_t *t;

	if ((t = calloc(slots, sizeof(*t))) == NULL)
		return NFE_NOMEM;
	free(d->hash);
	d->hash = t;
	d->hmask = slots - 1;
	for (uint32_t e = 1; e < d->n; e++) {
		h = str_hash(d->bytes + d->off[e], d->len[e]) & d->hmask;
		while (t[h] != 0)
			h = (h + 1) & d->hmask;
		t[h] = e + 1;
	}
	return NFE_OK;
}

uint32_t
fdict_add(struct fcol_dict *d, const char *s, size_t len)
{
	uint32_t h, e;

	if (len == 0)
		return 0;
	if (len > FLOWREC_STR_MAX)
		len = FLOWREC_STR_MAX;
	if ((d->hmask == 0 || 2 * (d->n + 1) > d->hmask + 1) &&
	    rehash(d) != NFE_OK)
		return UINT32_MAX;
	h = str_hash(s, len) & d->hmask;
	while ((e = d->hash[h]) != 0) {
		e--;
		if (d->len[e] == len && memcmp(d->bytes + d->off[e], s, len) == 0)
			return e;
		h = (h + 1) & d->hmask;
	}
	if (grow_entries(d, d->n + 1) != NFE_OK ||
	    grow_bytes(d, d->nbytes + len) != NFE_OK)
		return UINT32_MAX;
	e = d->n++;
	d->off[e] = (uint32_t)d->nbytes;
	d->len[e] = (uint8_t)len;
	memcpy(d->bytes + d->nbytes, s, len);
	d->nbytes += len;
	d->hash[h] = e + 1;
	return e;
}

bool
fdict_used(const struct fcol_dict *d, size_t n)
{
	if (d->n <= 1)
		return false;		/* only entry 0, "" */
	for (size_t i = 0; i < n; i++)
		if (d->len[d->idx[i]] != 0)
			return true;
	return false;
}

/* Narrowest index width for entries 0..n-1. */
static unsigned
index_width(uint32_t n)
{
	return n <= 1 ? 0 : n <= 256 ? 1 : n <= 65536 ? 2 : 4;
}

size_t
fdict_enc_len(const struct fcol_dict *d, size_t n)
{
	return d->n + d->nbytes + n * index_width(d->n);
}

size_t
fdict_raw_bound(size_t n)
{
	/* "" and at most one more value per record */
	return (n + 1) * (1 + FLOWREC_STR_MAX) + 4 * n;
}

int
fdict_encode(const struct fcol_dict *d, size_t n, uint8_t *dst, size_t cap,
    struct fcol_enc *e)
{
	unsigned w = index_width(d->n);
	size_t pos;

	e->width = (uint8_t)w;
	e->flags = 0;
	e->base = d->n;
	e->raw_len = fdict_enc_len(d, n);
	if (cap < e->raw_len)
		return NFE_LIMIT;
	memcpy(dst, d->len, d->n);
	memcpy(dst + d->n, d->bytes, d->nbytes);
	pos = d->n + d->nbytes;
	for (size_t i = 0; i < n; i++)
		for (unsigned b = 0; b < w; b++)
			dst[pos++] = (uint8_t)(d->idx[i] >> (8 * b));
	return NFE_OK;
}

int
fdict_decode(struct fcol_dict *d, size_t n, const struct fcol_enc *e,
    const uint8_t *src, size_t len)
{
	uint64_t entries = e->base, total = 0;
	unsigned w = e->width;
	size_t pos;
	uint32_t v;

	if (e->flags != 0 || (w != 0 && w != 1 && w != 2 && w != 4))
		return NFE_UNSUPP;
	if (entries < 1 || entries > (uint64_t)n + 1 || len < entries)
		return NFE_CORRUPT;
	if (w == 0 ? entries != 1 : w < 4 && entries > (UINT64_C(1) << (8 * w)))
		return NFE_CORRUPT;
	for (uint64_t i = 0; i < entries; i++) {
#if FLOWREC_STR_MAX < 255
		if (src[i] > FLOWREC_STR_MAX)
			return NFE_CORRUPT;
#endif
		total += src[i];
	}
	if ((uint64_t)len != entries + total + (uint64_t)n * w)
		return NFE_CORRUPT;
	if (grow_entries(d, (uint32_t)entries) != NFE_OK ||
	    grow_bytes(d, (size_t)total) != NFE_OK)
		return NFE_NOMEM;
	pos = (size_t)entries;
	for (uint32_t i = 0; i < entries; i++) {
		d->off[i] = (uint32_t)(pos - entries);
		d->len[i] = src[i];
		pos += src[i];
	}
	memcpy(d->bytes, src + entries, (size_t)total);
	d->n = (uint32_t)entries;
	d->nbytes = (size_t)total;
	if (d->hash != NULL)		/* a read block is not added to */
		memset(d->hash, 0, (d->hmask + 1) * sizeof(*d->hash));
	for (size_t i = 0; i < n; i++) {
		v = 0;
		for (unsigned b = 0; b < w; b++)
			v |= (uint32_t)src[pos++] << (8 * b);
		if (v >= entries)
			return NFE_CORRUPT;
		d->idx[i] = v;
	}
	return NFE_OK;
}
