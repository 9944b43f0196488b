/*
 * common/nfdump/nfdfile.h -- reading nfdump's flow files (nfcapd,
 * sfcapd and nfdump -w output) in place, as blocks of flow columns for
 * flowq (flowq(1), "nfdump files").
 *
 * Layouts read:
 *   layout 2 (nfdump 1.7): 40-byte header, data blocks of V3 records
 *     (type 11) with their elements, exporter and sampler records, and
 *     an appendix block with the ident and the file's statistics;
 *   layout 1 (nfdump 1.6): 140-byte header and 136-byte statistics
 *     record, data blocks of extension maps (type 2) and common records
 *     (type 10) laid out by those maps.
 * Blocks may be uncompressed or compressed with LZO, BZ2, LZ4 or ZSTD
 * (nfdzip.h).  Files are in the byte order of the host that wrote them;
 * only little-endian files are read (a big-endian one is refused by
 * its magic number, as nfdump refuses it).
 *
 * Unlike flowkit's own files, nfdump files have no block index, no
 * per-block time range and no checksums, and their exporter records
 * and (layout 1) extension maps sit in the data blocks in front of the
 * records that use them.  So a reader is a sequential stream: nfd_open
 * finds the blocks by walking their 12-byte headers (no decompression)
 * and nfd_read hands out the flow records in file order, the exporter
 * table growing as exporter records pass by.
 *
 * Damage: a block whose size runs past the end of the file, that does
 * not decompress, or whose records do not fit it (a record or element
 * length past its end, a record naming an unknown extension map) is
 * skipped as a whole and counted; the blocks after it are still read.
 * Nothing here logs or exits; problems come back as NFE_* codes with
 * a message in the caller's buffer.
 *
 * Memory per reader: the block list (24 bytes per block, at most
 * NFD_MAX_BLOCKS), two block buffers (at most NFD_MAX_BLOCK bytes each),
 * the exporter table (at most NFD_MAX_EXPORTERS entries) and, for
 * layout 1, the extension maps (at most NFD_MAX_MAPS of at most
 * NFD_MAX_MAP_IDS ids each).
 */
#ifndef COMMON_NFDUMP_NFDFILE_H
#define COMMON_NFDUMP_NFDFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/ffile/fcol.h"
#include "common/ffile/ffile.h"

#define NFD_MAGIC		0xA50C
#define NFD_MAX_BLOCK		(5U << 20)	/* nfdump's read buffer */
#define NFD_MAX_BLOCKS		(1U << 24)
#define NFD_MAX_EXPORTERS	1024		/* distinct SysIDs in a file */
#define NFD_MAX_MAPS		1024		/* layout 1 extension maps */
#define NFD_MAX_MAP_IDS		64		/* extensions in one map */
#define NFD_IDENT_MAX		127

/* What the file says of itself (layout 1 header, layout 2 appendix). */
struct nfd_stat {
	uint64_t	flows, bytes, packets;
	uint64_t	proto_flows[FFILE_NPROTO];	/* tcp, udp, icmp, other */
	uint64_t	proto_bytes[FFILE_NPROTO];
	uint64_t	proto_packets[FFILE_NPROTO];
	uint64_t	first_ms, last_ms;
	uint64_t	seq_failures;
};

struct nfd_info {
	unsigned	layout;		/* 1 (nfdump 1.6) or 2 (1.7) */
	uint32_t	nfdversion;	/* layout 2: writer, 0x01070100 = 1.7.1 */
	uint64_t	created_ms;	/* layout 2; 0 for layout 1 */
	int		compression;	/* NFDZ_* */
	bool		anonymized;	/* layout 1 flag */
	char		ident[NFD_IDENT_MAX + 1];
	bool		have_stat;	/* stat holds the file's statistics */
	struct nfd_stat	stat;
	size_t		nblocks;	/* data blocks found by nfd_open */
	uint64_t	file_size;
	bool		cut;		/* the walk ended early: file cut or
					   a block header runs past its end */
	char		why_cut[128];
};

/* What nfd_read has met so far. */
struct nfd_counts {
	size_t		blocks;		/* data blocks read */
	size_t		damaged;	/* of those, skipped as damaged */
	size_t		other_blocks;	/* blocks of kinds not read (arrays) */
	uint64_t	records;	/* flow records handed out */
	uint64_t	skipped;	/* records of kinds flowkit does not read */
	uint64_t	bytes;		/* bytes of the blocks read, as stored */
};

struct nfd_reader;		/* opaque */

/*
 * Open an nfdump file and find its blocks.  Returns NFE_OK, NFE_IO
 * (errno set), NFE_FORMAT (not an nfdump file: magic or version),
 * NFE_TRUNC (header cut), NFE_UNSUPP (encrypted, or a compression this
 * build lacks: err names the library to install) or NFE_NOMEM, with a
 * message in err.  *out is NULL on failure.
 */
int	nfd_open(const char *path, struct nfd_reader **out, char *err,
	    size_t errlen);

/* As nfd_open over len bytes at p (borrowed; must outlive the reader). */
int	nfd_open_mem(const void *p, size_t len, struct nfd_reader **out,
	    char *err, size_t errlen);

/* NULL is a no-op. */
void	nfd_close(struct nfd_reader *rd);

/* Header facts; valid until nfd_close. */
const struct nfd_info *nfd_info(const struct nfd_reader *rd);

/* Counters of what nfd_read met; valid until nfd_close. */
const struct nfd_counts *nfd_counts(const struct nfd_reader *rd);

/*
 * The exporters met so far, indexed by flowrec.exporter (borrowed: the
 * pointer changes when the table grows, so take it again after every
 * nfd_read).  Each has the address, version (5, 9, 10; 9999 for sFlow,
 * as nfdump stores it), observation domain, sampling interval and the
 * sequence failures, packets and flows of nfdump's exporter statistics.
 */
const struct ffile_exporter *nfd_exporters(const struct nfd_reader *rd,
	    size_t *n);

/*
 * Read the next flow records into c (reset first; at most c->cap
 * records, all columns).  A large block is handed out over several
 * calls.  Returns NFE_OK (c->n > 0), NFE_EOF (no more records), or
 * NFE_CORRUPT / NFE_UNSUPP / NFE_IO for a block that was skipped (err
 * names the block and the fault; c->n is 0): call again to go on with
 * the next block.
 */
int	nfd_read(struct nfd_reader *rd, struct fcol *c, char *err,
	    size_t errlen);

/* True if the first bytes (at least 4) look like an nfdump file. */
bool	nfd_sniff(const uint8_t *p, size_t len);

#endif /* COMMON_NFDUMP_NFDFILE_H */
