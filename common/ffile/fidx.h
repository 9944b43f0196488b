/*
 * common/ffile/fidx.h -- the per-block index of a flow file
 * (flowkit-file(5), BLOCK INDEX): what a query needs to decide that a
 * block cannot hold a matching record without reading its columns.
 *
 * A writer stores it as one extra column of every block (id
 * FIDX_COL_ID, never compressed, skipped by readers that do not know
 * it) and points at it from the trailer's block index, so a reader can
 * fetch it alone.  It holds:
 *   - per integer column the block stores: min, max, bitwise or and
 *     bitwise and of its values (a column the block does not store
 *     holds its default in every record);
 *   - per address column: the smallest and largest address (16 bytes
 *     compared as big-endian numbers);
 *   - a blocked Bloom filter over the source and destination
 *     addresses: each address, and its /24 (IPv4-mapped) or /48 (other)
 *     prefix, is one element; one 64-bit word per element, FIDX_K bits.
 *
 * Building: fidx_encode() from the writer's struct fcol; the filter
 * starts at 64 bits per record and is folded in halves (OR of the two
 * halves) while it stays at most FIDX_FILL_PERMILLE full, so its size
 * follows the number of distinct addresses, not of records.
 *
 * Reading: fidx_parse() checks every length and count before use and
 * borrows the bytes.  Answers are "may hold" (true) or "holds none"
 * (false); a false answer is exact, a true one may be a false positive.
 *
 * No global state; a struct fidx_builder belongs to one thread.
 */
#ifndef COMMON_FFILE_FIDX_H
#define COMMON_FFILE_FIDX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/base/fields.h"
#include "common/ffile/fcol.h"

#define FIDX_COL_ID		0xFF00	/* column id of the index */
#define FIDX_VERSION		1
#define FIDX_FIXED		16	/* bytes before the entries */
#define FIDX_INT_LEN		40	/* one integer column entry */
#define FIDX_ADDR_LEN		40	/* one address column entry */
#define FIDX_K			4	/* bits set per element */
#define FIDX_MAX_WORDS		(1U << 17)	/* Bloom words, readers' limit */
#define FIDX_FILL_PERMILLE	400	/* fold while at most this full */

/* Element kinds of the Bloom filter (hash input). */
#define FIDX_E_ADDR		1	/* a whole address */
#define FIDX_E_NET		2	/* its /24 (IPv4) or /48 (IPv6) */

struct fidx_int {
	uint64_t	min, max, or_, and_;
};

/* A parsed index; borrows the bytes it was parsed from. */
struct fidx {
	fcol_mask	 ints;		/* integer columns described */
	fcol_mask	 addrs;		/* address columns described */
	struct fidx_int	 iv[FCOL_NCOLS];
	uint8_t		 amin[FCOL_NCOLS][16], amax[FCOL_NCOLS][16];
	const uint8_t	*bloom;		/* nwords little-endian words */
	uint32_t	 nwords;	/* 0: no filter */
	uint32_t	 nrec;
};

/* Scratch space of a writer. */
struct fidx_builder {
	uint64_t	*words;		/* owned */
	size_t		 cap;		/* words allocated */
};

void	fidx_builder_fini(struct fidx_builder *b);

/* Most bytes fidx_encode() writes for a block of nrec records. */
size_t	fidx_bound(size_t nrec);

/*
 * Encode the index of the c->n records in c, describing the ncol
 * columns in ids (the columns the block stores), into dst (cap bytes,
 * at least fidx_bound(c->n)).  encs (NULL, or ncol entries matching
 * ids) are the columns' encodings if already made: an integer column
 * whose encoding carries its stats (has_stats), or of width 0 (only its
 * base), is not scanned again.  Returns
 * NFE_OK with *len, NFE_NOMEM or NFE_LIMIT (cap too small).
 */
int	fidx_encode(struct fidx_builder *b, const struct fcol *c,
	    const uint16_t *ids, const struct fcol_enc *encs, size_t ncol,
	    uint8_t *dst, size_t cap, size_t *len);

/*
 * Parse len bytes at p (borrowed: must outlive ix) for a block of nrec
 * records.  Returns NFE_OK, NFE_UNSUPP (a later index version: ignore
 * the index) or NFE_CORRUPT, with a message in err.
 */
int	fidx_parse(const uint8_t *p, size_t len, uint32_t nrec,
	    struct fidx *ix, char *err, size_t errlen);

/*
 * Integer column id's range in the block: false if the index does not
 * tell (not an integer column); a column the index does not describe
 * holds its default.
 */
bool	fidx_int_range(const struct fidx *ix, unsigned id,
	    struct fidx_int *out);

/* Address column id's range (16-byte big-endian bounds); false if
 * unknown. */
bool	fidx_addr_range(const struct fidx *ix, unsigned id, uint8_t lo[16],
	    uint8_t hi[16]);

/* The Bloom filter's hash of element kind (FIDX_E_*) over 16 bytes. */
uint64_t fidx_hash(const uint8_t a[16], unsigned kind);

/* The element of kind FIDX_E_NET for address a: a's /24 or /48. */
void	fidx_net_of(const uint8_t a[16], uint8_t out[16]);

/*
 * Whether the source or destination address column may hold element
 * (kind, a).  True if the index has no Bloom filter.
 */
bool	fidx_may_hold(const struct fidx *ix, const uint8_t a[16],
	    unsigned kind);

/*
 * Whether the index is true of the decoded records in c (all columns):
 * every value within its column's bounds, every source and destination
 * address and prefix in the filter.  For verification (flowq -v).
 */
bool	fidx_agrees(const struct fidx *ix, const struct fcol *c);

#endif /* COMMON_FFILE_FIDX_H */
