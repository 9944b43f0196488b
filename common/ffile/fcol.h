/*
 * common/ffile/fcol.h -- one block of flow records as column arrays, and the
 * per-column byte encoding the flow file stores (flowkit-file(5)).
 *
 * struct fcol holds up to cap records, one host-order array per field
 * of struct flowrec.  The writer appends records (fcol_put); the reader
 * decodes only the columns a query asks for (a column mask) and either
 * works on the arrays directly (column-wise filtering) or materialises
 * selected rows into struct flowrec (fcol_get).
 *
 * Column encoding (before compression; all little-endian):
 *   integer columns: frame of reference.  base = the block's minimum,
 *     each value stored as value - base in the narrowest width w of
 *     0, 1, 2, 4 or 8 bytes that holds max - base (w 0: every value
 *     equals base; nothing stored).  With FCOL_F_SHUFFLE the bytes are
 *     stored as w planes (all byte-0s, then all byte-1s, ...), which
 *     makes slowly varying counters compress far better.
 *   FE_INT_DELTA columns (FCOL_LAST) are stored as value - first_ms
 *     (mod 2^64), so reading them needs FCOL_FIRST as well;
 *     fcol_decode_finish() adds it back.
 *   address columns: width 4: every address IPv4-mapped, 4 bytes each
 *     (shuffled as above if flagged); width 16: 16 raw bytes each;
 *     width 1 (tagged): n tag bytes (0 = all-zero address, 4 = IPv4-
 *     mapped, 16 = other) followed by 0, 4 or 16 bytes per record.
 * A stored width larger than the field's own is refused; values are
 * taken modulo the field's width.
 *
 * The columns, their ids, widths and encodings are those of the field
 * catalogue (common/base/fieldlist.h).  Columns 1..FCOL_LEGACY_LAST
 * are written in every block; newer ones only when a record of the
 * block holds a value other than the field's default.
 *
 * Thread safety: a struct fcol belongs to one thread; nothing here has
 * global mutable state.
 */
#ifndef COMMON_FFILE_FCOL_H
#define COMMON_FFILE_FCOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/base/addr.h"
#include "common/base/fields.h"
#include "common/base/flowrec.h"
#include "common/ffile/fstr.h"

/*
 * Column ids (FCOL_*), FCOL_NCOLS, the column set type fcol_mask,
 * FCOL_BIT() and FCOL_ALL come from the field catalogue
 * (common/base/fields.h): every stored field is one column.
 */

/* Column flags (coldir "flags" byte). */
#define FCOL_F_SHUFFLE	0x01	/* byte planes */

/* Address column widths. */
#define FCOL_AW_TAGGED	1
#define FCOL_AW_V4	4
#define FCOL_AW_V6	16

/*
 * One array per stored field, named as the record's member; a string
 * field has a dictionary (fstr.h) instead.
 */
#define FCOL_ARRAY_U8(m)	uint8_t *m;
#define FCOL_ARRAY_U16(m)	uint16_t *m;
#define FCOL_ARRAY_U32(m)	uint32_t *m;
#define FCOL_ARRAY_U64(m)	uint64_t *m;
#define FCOL_ARRAY_ADDR(m)	struct nf_addr *m;
#define FCOL_ARRAY_STR(m)	struct fcol_dict m;	/* fstr.h */
#define FCOL_ARRAY_F(ID, m, T, ...)	FCOL_ARRAY_##T(m)
#define FCOL_SKIP_(...)

struct fcol {
	size_t		 n;		/* records held */
	size_t		 cap;		/* capacity of every array */
	fcol_mask	 mask;		/* FCOL_BITs whose arrays hold data */
	fcol_mask	 deflt;		/* arrays holding their default in
					   the first ndeflt rows
					   (fcol_fill_default) */
	size_t		 ndeflt;
	/* owned, each; cap elements */
	FLOW_FIELDS(FCOL_ARRAY_F, FCOL_SKIP_, FCOL_SKIP_)
};

/* How one column was encoded (mirrors the on-disk column directory). */
struct fcol_enc {
	uint16_t	id;		/* enum fcol_id */
	uint8_t		width;		/* stored element width (see above) */
	uint8_t		flags;		/* FCOL_F_* */
	uint64_t	base;		/* frame of reference (integers) */
	size_t		raw_len;	/* encoded bytes before compression */
	/* set by fcol_encode for a plain integer column (FE_INT, not the
	   duration-coded FE_INT_DELTA): its values' min, max, OR and AND,
	   found in the pass that finds base, for the block index (fidx.h) */
	bool		has_stats;
	uint64_t	vmin, vmax, vor, vand;
};

/*
 * Allocate arrays for cap records (every column).  Returns NFE_OK or
 * NFE_NOMEM (c left empty; fcol_fini is still safe).
 */
int	fcol_init(struct fcol *c, size_t cap);
void	fcol_fini(struct fcol *c);

/* Forget the records (n = 0, mask = 0); keeps the arrays. */
void	fcol_reset(struct fcol *c);

/*
 * Append n records (all columns; strings are copied into the block's
 * dictionaries).  Returns the number appended, which is less than n
 * only when the block is full: c->n == c->cap, or the next record's
 * strings would take the block past FCOL_STR_BLOCK_BYTES, or there was
 * no memory for them (then none was appended to an empty block).
 */
size_t	fcol_put(struct fcol *c, const struct flowrec *recs, size_t n);

/*
 * fcol_put() for records that hold their defaults in every newer
 * column (past FCOL_LEGACY_LAST) not in cols: a column no record of
 * the block has in cols is neither copied nor scanned by fcol_wanted()
 * (it is not in c->mask; fcol_get() gives its default), and one the
 * block gains later has its earlier rows filled with the default.  The
 * block's columns, and so the file, are those fcol_put() would give.
 * FCOL_ALL: every column, as fcol_put().
 */
size_t	fcol_put_cols(struct fcol *c, const struct flowrec *recs, size_t n,
	    fcol_mask cols);

/*
 * Materialise row i into *r.  Columns not in c->mask get the defaults
 * of flowrec_init().  i must be < c->n.
 */
void	fcol_get(const struct fcol *c, size_t i, struct flowrec *r);

/* Known column id (one the catalogue stores)? */
bool	fcol_known(unsigned id);

/*
 * The array of column id (NULL if unknown): fld_by_col(id)->size bytes
 * per record, in record order; for a string column its struct
 * fcol_dict.  For column-wise readers.
 */
void	*fcol_array(const struct fcol *c, unsigned id);

/*
 * Whether a writer stores column id for the c->n records held: always
 * for columns up to FCOL_LEGACY_LAST, else only if a record holds a
 * value other than the field's default (never for a column not in
 * c->mask: fcol_put_cols()).
 */
bool	fcol_wanted(const struct fcol *c, unsigned id);

/*
 * Fill column id of the c->n records with the field's default: a
 * reader does so for a column a block lacks, so that column-wise
 * readers (the filter) see what fcol_get() gives.  A column still
 * holding its default for as many rows is left as it is.
 */
void	fcol_fill_default(struct fcol *c, unsigned id);

/* Short column name for messages ("first", "srcaddr", ...). */
const char *fcol_name(unsigned id);

/* Byte width of the field in struct flowrec (16 for addresses). */
unsigned fcol_field_width(unsigned id);

/*
 * Upper bound of the encoded size of any column of n records but a
 * string column (17 * n: a tagged address column).
 */
size_t	fcol_raw_bound(size_t n);

/* Upper bound of the encoded size of column id for n records. */
size_t	fcol_col_bound(unsigned id, size_t n);

/* Bytes fcol_encode() needs for column id of the c->n records. */
size_t	fcol_enc_len(const struct fcol *c, unsigned id);

/*
 * Encode column id of the c->n records into dst (capacity cap, at least
 * fcol_enc_len(c, id)), choosing width, base and flags; fills *e.
 * shuffle permits FCOL_F_SHUFFLE.  Returns NFE_OK, NFE_INVAL (unknown
 * id) or NFE_LIMIT (cap too small).
 */
int	fcol_encode(const struct fcol *c, unsigned id, bool shuffle,
	    uint8_t *dst, size_t cap, struct fcol_enc *e);

/*
 * Decode one column of n records (n <= c->cap) from src/len as described
 * by *e into c's arrays and set its bit in c->mask (c->n is set to n).
 * Returns NFE_OK, NFE_UNSUPP (unknown id, width or flags) or NFE_CORRUPT
 * (len does not match n, width and tags).  For FCOL_LAST the array holds
 * durations until fcol_decode_finish().
 */
int	fcol_decode(struct fcol *c, size_t n, const struct fcol_enc *e,
	    const uint8_t *src, size_t len);

/*
 * After all columns of a block are decoded: turn FE_INT_DELTA columns
 * (FCOL_LAST) back into times.  Returns NFE_CORRUPT if one was decoded
 * without FCOL_FIRST.
 */
int	fcol_decode_finish(struct fcol *c);
/* The same for the columns in cols only (those decoded since the last
 * finish, when a block's columns are decoded in two steps). */
int	fcol_decode_finish_cols(struct fcol *c, fcol_mask cols);

#endif /* COMMON_FFILE_FCOL_H */
