/*
 * common/ffile/ffile_int.h -- flow file layout constants and helpers shared
 * by ffile_write.c and ffile_read.c.  Not for use outside ffile*.c.
 * The layouts are drawn in man/flowkit-file.5.
 */
#ifndef COMMON_FFILE_FFILE_INT_H
#define COMMON_FFILE_FFILE_INT_H

#include <stddef.h>
#include <stdint.h>

#include "common/ffile/ffile.h"

/* File header: 32 fixed bytes, ident, (future fields), CRC. */
#define FF_MAGIC		"\x89" "FLOWKIT"
#define FF_MAGIC_LEN		8
#define FF_HDR_FIXED		32
#define FF_HDR_MAX		65536

/* Section magics, 4 bytes each. */
#define FF_BLOCK_MAGIC		"FKBK"
#define FF_EXP_MAGIC		"FKEX"
#define FF_TRAILER_MAGIC	"FKTR"
#define FF_FOOTER_MAGIC		"FKND"

/* Block header: 40 fixed bytes, coldir, CRC. */
#define FF_BLK_FIXED		40U
#define FF_COLDIR_LEN		28U
#define FF_MAX_COLS		256
#define FF_BLK_HDR_LEN(ncol)	(FF_BLK_FIXED + FF_COLDIR_LEN * (uint32_t)(ncol) + 4)

/* Exporter section: 16 fixed bytes, entries, CRC. */
#define FF_EXP_FIXED		16
#define FF_EXP_ENTRY_LEN	104

/* Trailer: 168 fixed bytes, block index, CRC; then the footer. */
#define FF_TRL_FIXED		168
#define FF_IDX_ENTRY_V10	32	/* version 1.0's entries */
#define FF_IDX_ENTRY_LEN	48	/* 1.1: + the block's index column */
#define FF_FOOTER_LEN		16

/* Largest file header this writer makes (fixed part, ident, CRC). */
#define FF_HDR_BUF		(FF_HDR_FIXED + FFILE_IDENT_MAX + 4)

/* Serialise a file header for o; returns its length (0: a bug). */
size_t	ffile_enc_header(const struct ffile_wopts *o, uint8_t buf[FF_HDR_BUF]);

/* Serialise an exporter section into a malloc'd buffer. */
int	ffile_enc_exporters(const struct ffile_exporter *x, size_t n,
	    uint8_t **out, size_t *len);

/*
 * Serialise a trailer (whose first byte will be at trailer_off) and its
 * footer into a malloc'd buffer.
 */
int	ffile_enc_trailer(const struct ffile_totals *t, uint64_t exp_off,
	    const struct ffile_blockmeta *idx, size_t nidx,
	    uint64_t trailer_off, uint8_t **out, size_t *len);

/* Add the records of a decoded block (columns of ffile_totals_mask). */
#define FFILE_TOTALS_MASK (FCOL_BIT(FCOL_FIRST) | FCOL_BIT(FCOL_LAST) | \
	FCOL_BIT(FCOL_PACKETS) | FCOL_BIT(FCOL_BYTES) | \
	FCOL_BIT(FCOL_FLOWS) | FCOL_BIT(FCOL_PROTO))
void	ffile_totals_add(struct ffile_totals *t, const struct fcol *c);

/* Add the totals add to t (times: min of first, max of last). */
void	ffile_totals_merge(struct ffile_totals *t,
	    const struct ffile_totals *add);

/* Write len bytes at off, retrying short writes and EINTR. */
int	ffile_pwrite_all(int fd, const void *p, size_t len, uint64_t off);

#endif /* COMMON_FFILE_FFILE_INT_H */
