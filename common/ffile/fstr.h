/*
 * common/ffile/fstr.h -- string columns of a block (flowkit-file(5),
 * ENCODING): a per-block dictionary of the distinct values and, per
 * record, the index of its value.
 *
 * In memory a struct fcol_dict holds the entries (entry 0 is always
 * the empty string) and one index per record.  The writer adds values
 * (fdict_add copies the bytes, so records' strings may be borrowed);
 * the reader decodes a column into it, and a record's string points
 * into the entries (valid until the next reset or decode).
 *
 * Encoding, before compression (the column directory's base is the
 * number of entries D, its width the index width w):
 *
 *   D bytes       the length of each entry (0..FLOWREC_STR_MAX)
 *   sum of them   the entries' bytes, in entry order
 *   n * w bytes   each record's entry, w-byte little-endian; w is 0
 *                 (every record has entry 0, D <= 1), 1, 2 or 4
 *
 * D is at least 1 and at most n + 1 (entry 0 need not be used); an
 * index must be < D.  Flags must be 0.
 *
 * Memory: the index array (4 bytes per record of capacity), the
 * entries (at most FCOL_STR_BLOCK_BYTES bytes of values per block, over
 * all string columns, plus 5 bytes per entry) and, for the writer, a
 * hash of 8 bytes per entry.
 */
#ifndef COMMON_FFILE_FSTR_H
#define COMMON_FFILE_FSTR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/base/flowrec.h"

/*
 * Bytes of string values one block may hold, over all its string
 * columns: a writer starts a new block before a record would pass it,
 * so a block stays well under FFILE_MAX_BLOCK_BYTES.
 */
#define FCOL_STR_BLOCK_BYTES	(16U << 20)

struct fcol_enc;

struct fcol_dict {
	uint32_t	*idx;		/* owned; cap: each record's entry */
	uint32_t	*off;		/* owned; entry i at bytes + off[i] */
	uint8_t		*len;		/* owned; entry i's length */
	char		*bytes;		/* owned */
	uint32_t	 n;		/* entries; 1 ("") after a reset */
	uint32_t	 ncap;		/* capacity of off and len */
	size_t		 nbytes, capbytes;
	uint32_t	*hash;		/* owned; writer: entry + 1, 0 empty */
	uint32_t	 hmask;		/* slots - 1; 0: no hash yet */
};

/* Room for cap records.  NFE_OK or NFE_NOMEM (fdict_fini is safe). */
int	fdict_init(struct fcol_dict *d, size_t cap);
void	fdict_fini(struct fcol_dict *d);

/* Forget every entry but the empty string. */
void	fdict_reset(struct fcol_dict *d);

/*
 * The entry holding s (len bytes, at most FLOWREC_STR_MAX), added if
 * new.  Returns its index, or UINT32_MAX if there is no memory.
 */
uint32_t fdict_add(struct fcol_dict *d, const char *s, size_t len);

/* Record i's value (borrowed from d). */
static inline void
fdict_get(const struct fcol_dict *d, size_t i, struct nf_str *s)
{
	uint32_t e = d->idx[i];

	s->len = d->len[e];
	s->p = d->bytes + d->off[e];
}

/* Does one of records 0..n-1 hold a non-empty value? */
bool	fdict_used(const struct fcol_dict *d, size_t n);

/* Encoded bytes of the column of n records. */
size_t	fdict_enc_len(const struct fcol_dict *d, size_t n);

/*
 * Encode the column of n records into dst (cap bytes); fills e's
 * width, base, flags and raw_len.  NFE_OK or NFE_LIMIT (cap too small).
 */
int	fdict_encode(const struct fcol_dict *d, size_t n, uint8_t *dst,
	    size_t cap, struct fcol_enc *e);

/*
 * Decode a column of n records (n <= the capacity) from src/len into
 * d.  NFE_OK, NFE_UNSUPP (flags, width), NFE_CORRUPT (lengths, entry
 * count or an index out of range) or NFE_NOMEM.
 */
int	fdict_decode(struct fcol_dict *d, size_t n, const struct fcol_enc *e,
	    const uint8_t *src, size_t len);

/* Largest encoded size of a string column of n records. */
size_t	fdict_raw_bound(size_t n);

#endif /* COMMON_FFILE_FSTR_H */
