/*
 * common/ffile/ffile.h -- the flow file: writer and reader (flowkit-file(5)).
 *
 *   file := header (block | exporters)* exporters trailer footer
 *
 * A header (magic, major/minor version, creation time, ident, codec);
 * self-contained blocks of up to FFILE_BLOCK_RECS records stored column
 * by column, each column compressed on its own with its own CRC-32C,
 * each block with a header CRC and its time range; an exporter table;
 * a trailer with totals, per-exporter statistics and a block index; a
 * 16-byte footer holding the trailer's offset.  All integers are
 * fixed-width little-endian, written through wbuf and read through rbuf.
 *
 * A file without a valid trailer (collector killed, disk full) is still
 * readable: the reader walks the blocks from the header on, keeps every
 * complete one and reports how many it recovered.
 *
 * common/ never prints: every problem comes back as an NFE_* code plus
 * a message in the caller's err buffer naming the block and the fault.
 *
 * Threads: a writer belongs to one thread.  A reader is immutable after
 * ffile_open(); ffile_read_block() and ffile_decode_block() keep no
 * shared mutable state, so several threads may read and decode
 * different (or the same) blocks of one reader, each with its own
 * struct ffile_blockbuf and struct fcol.
 */
#ifndef COMMON_FFILE_FFILE_H
#define COMMON_FFILE_FFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/base/addr.h"
#include "common/base/flowrec.h"
#include "common/ffile/fcol.h"

#define FFILE_MAJOR		1
#define FFILE_MINOR		1	/* 1: block index columns */

#define FFILE_BLOCK_RECS	32768	/* default records per block */
#define FFILE_MAX_BLOCK_RECS	65536	/* readers refuse larger blocks */
#define FFILE_MAX_BLOCK_BYTES	(64U << 20) /* one block, stored or raw */
#define FFILE_IDENT_MAX		255	/* bytes, without NUL */
#define FFILE_MAX_EXPORTERS	65536	/* flowrec.exporter is 16 bits */
#define FFILE_MAX_BLOCKS	(1U << 24)

/* Protocol classes of the per-protocol totals. */
enum {
	FFILE_P_TCP,
	FFILE_P_UDP,
	FFILE_P_ICMP,		/* ICMP and ICMPv6 */
	FFILE_P_OTHER,
	FFILE_NPROTO
};

struct ffile_ptotals {
	uint64_t	flows;		/* sum of flowrec.flows */
	uint64_t	packets;
	uint64_t	bytes;
};

struct ffile_totals {
	uint64_t	records;	/* records stored */
	uint64_t	flows;		/* sum of flowrec.flows */
	uint64_t	packets;
	uint64_t	bytes;
	struct ffile_ptotals proto[FFILE_NPROTO];
	uint64_t	first_ms;	/* min first_ms; 0 if no records */
	uint64_t	last_ms;	/* max last_ms; 0 if no records */
};

/*
 * Per-exporter counters, filled by the collector and stored as they
 * are; the file format gives them no meaning beyond their names.
 */
struct ffile_xstats {
	uint64_t	datagrams;	/* datagrams received */
	uint64_t	records;	/* flow records decoded */
	uint64_t	seq_gaps;	/* datagrams that followed a gap */
	uint64_t	seq_lost;	/* units lost, by the protocol's rule */
	uint64_t	seq_resets;	/* sequence went backwards */
	uint64_t	malformed;	/* datagrams rejected as malformed */
	uint64_t	no_template;	/* records/sets without template */
	uint64_t	socket_drops;	/* kernel drops attributed here */
	uint64_t	dropped;	/* records dropped (queue, held data) */
};

struct ffile_exporter {
	struct nf_addr	addr;		/* v4 mapped */
	uint16_t	port;
	uint16_t	version;	/* 1, 5, 7, 9, 10 */
	uint32_t	domain;		/* source id / observation domain */
	uint32_t	sampling;	/* 1-in-N announced; 0 unknown */
	struct ffile_xstats stats;
};

/* Block index entry (from the trailer, or found by a recovery scan). */
struct ffile_blockmeta {
	uint64_t	offset;		/* of the block header in the file */
	uint32_t	length;		/* header + payload bytes */
	uint32_t	nrec;
	uint64_t	min_first_ms;
	uint64_t	max_last_ms;
	/* the block's index column (fidx.h), 0s if it has none */
	uint32_t	idx_pos;	/* offset from the block's start */
	uint32_t	idx_len;	/* bytes */
	uint32_t	idx_crc;	/* CRC-32C of those bytes */
};

/* ------------------------------------------------------------------ */
/* Writer */

struct ffile_writer;		/* opaque */

/*
 * Hold mode (a collector on a disk that may fill up).  A writer given a
 * struct ffile_hold never fails on a write error: the section that
 * could not be written (file header, exporter table or block, already
 * encoded and compressed) is kept in memory with every section after
 * it, in file order, and nothing touches the disk again until
 * ffile_writer_retry().  A file that cannot even be created is created
 * by the first retry that succeeds.  Blocks stay in their own file and
 * keep their place in it, so a file completed after the disk came back
 * is the file that would have been written.
 *
 * One struct ffile_hold is shared by all the writers of a collector
 * (one thread) and bounds the bytes they hold together: a block that
 * would go over the limit is dropped and its records counted.  Header
 * and exporter sections are always kept (a few hundred bytes).  The
 * counters are exact: every record handed to a hold-mode writer ends up
 * written, held, dropped or discarded (records of the block being
 * filled are none of these until that block is written or held).
 */
struct ffile_hold {
	uint64_t	limit;		/* bytes of held sections, all writers */
	uint64_t	bytes;		/* held now */
	uint64_t	records;	/* records in held blocks now */
	uint64_t	written;	/* records in blocks written so far */
	uint64_t	dropped;	/* records of blocks refused: limit
					   reached or no memory to hold them */
	uint64_t	discarded;	/* records given up by
					   ffile_writer_discard/abort */
	bool		limit_hit;	/* set when a block is refused; the
					   owner clears it */
};

/* What a writer is waiting for (ffile_writer_state). */
struct ffile_wstate {
	bool		created;	/* the file exists on disk */
	bool		stalled;	/* a write failed; something waits */
	bool		done;		/* finished: trailer written, closed */
	int		error;		/* errno of the last failed write */
	uint64_t	held_records;	/* records in held blocks */
	uint64_t	held_bytes;	/* bytes of held sections */
	uint64_t	need_bytes;	/* free space the next retry needs to
					   write everything (held sections,
					   and the trailer once finishing) */
	uint64_t	dropped;	/* this file's records refused */
	uint64_t	discarded;	/* this file's records given up */
};

struct ffile_wopts {
	int		codec;		/* ZC_* (ffile/zcodec.h); default lz4 */
	int		level;		/* zlib 1..9 (0: default 6); lz4 0
					   fast, 1..12 lz4hc */
	const char	*ident;		/* borrowed; NULL: ""; cut at 255 */
	uint32_t	block_recs;	/* 0: FFILE_BLOCK_RECS; max
					   FFILE_MAX_BLOCK_RECS */
	uint64_t	created_ms;	/* 0: now */
	bool		no_shuffle;	/* store integers without byte
					   planes (for measurements) */
	struct ffile_hold *hold;	/* borrowed, outlives the writer;
					   non-NULL: hold mode (above) */
};

/* Fill o with the defaults (lz4, empty ident, FFILE_BLOCK_RECS). */
void	ffile_wopts_init(struct ffile_wopts *o);

/*
 * Create (or truncate) path and write the header.  o may be NULL for
 * defaults.  Returns NFE_OK, NFE_INVAL (bad options), NFE_NOMEM, or
 * NFE_IO (errno set).  *out is NULL on failure.  In hold mode an I/O
 * error is not a failure: the header is held, the file created later
 * (ffile_writer_state tells), and only NFE_INVAL/NFE_NOMEM remain.
 */
int	ffile_writer_open(const char *path, const struct ffile_wopts *o,
	    struct ffile_writer **out);

/*
 * Append n records (borrowed; copied into the current block).  Each
 * full block is compressed and written at once.  Returns NFE_OK or
 * NFE_IO (errno set)/NFE_NOMEM/NFE_LIMIT from writing a full block.  On
 * error the file still ends after the last complete block, and the
 * block that failed stays buffered (a later add/flush/close retries
 * it); records of this call that did not fit into it were not taken,
 * and ffile_writer_pending() tells how many records are buffered.
 * Records are taken as given; exporter indexes are not checked.
 * Hold mode: a full block is written, held or dropped, and the call
 * returns NFE_OK (NFE_INTERNAL after ffile_writer_finish).
 */
int	ffile_writer_add(struct ffile_writer *w, const struct flowrec *recs,
	    size_t n);

/*
 * ffile_writer_add() for records that hold their defaults in every
 * newer column not in cols (fcol_put_cols(): the file is the same,
 * made with less work).
 */
int	ffile_writer_add_cols(struct ffile_writer *w,
	    const struct flowrec *recs, size_t n, fcol_mask cols);

/*
 * Write the current partial block now (no-op if empty).  The collector
 * calls this every few seconds so a crash loses only seconds.  Does not
 * fsync; see ffile_writer_sync.  Returns NFE_OK, NFE_IO or NFE_NOMEM.
 * Hold mode: while sections are held the partial block keeps filling
 * (a block in memory gains nothing from being cut short) and NFE_OK is
 * returned.
 */
int	ffile_writer_flush(struct ffile_writer *w);

/*
 * Hold mode: write the held sections, oldest first, creating the file
 * first if needed; stop at the first failure.  Returns NFE_OK when
 * nothing is held any more, else NFE_IO (errno set).  A finishing
 * writer goes on with its trailer: see ffile_writer_finish.
 */
int	ffile_writer_retry(struct ffile_writer *w);

/* Fill *st (see struct ffile_wstate). */
void	ffile_writer_state(const struct ffile_writer *w,
	    struct ffile_wstate *st);

/* fsync(2) the file.  Returns NFE_OK or NFE_IO. */
int	ffile_writer_sync(struct ffile_writer *w);

/*
 * Replace the exporter table (copied; n <= FFILE_MAX_EXPORTERS).  The
 * table is written at close with the statistics last set, and also
 * before the next block whenever its exporters (not just their
 * statistics) changed, so a file recovered after a crash can name the
 * exporter of every record; its statistics are then those of the last
 * table written.  Cheap to call at every flush.  Returns NFE_OK,
 * NFE_LIMIT or NFE_NOMEM.
 */
int	ffile_writer_set_exporters(struct ffile_writer *w,
	    const struct ffile_exporter *x, size_t n);

/* Totals of the records written so far (blocks on disk only). */
const struct ffile_totals *ffile_writer_totals(const struct ffile_writer *w);

/* Records buffered, not yet in a written block. */
size_t	ffile_writer_pending(const struct ffile_writer *w);

/* Blocks written so far, and bytes in the file so far. */
size_t	ffile_writer_blocks(const struct ffile_writer *w);
uint64_t ffile_writer_bytes(const struct ffile_writer *w);

/*
 * Flush, write the exporter table, trailer and footer, fsync and close.
 * w is freed in every case.  Returns NFE_OK, NFE_IO (errno set) or
 * NFE_NOMEM; after a failure the file holds every block written before
 * it and no trailer (readers recover it).  Hold mode: what could not be
 * written is discarded (counted); use ffile_writer_finish to wait.
 */
int	ffile_writer_close(struct ffile_writer *w);

/*
 * Complete the file without freeing w: flush (no more records may be
 * added), write what is held, then the exporter table, trailer and
 * footer, fsync and close the descriptor.  Returns NFE_OK once the file
 * is complete, or NFE_IO (errno set), NFE_NOMEM.  Hold mode: on
 * NFE_IO the partial block is held too and the buffers for building
 * blocks are freed; call again later, each call picks up where the last
 * stopped.  Free w with ffile_writer_abort afterwards.  A hold-mode
 * writer that ends with nothing on disk (see ffile_writer_discard)
 * writes no trailer: ffile_writer_bytes() is then 0.
 */
int	ffile_writer_finish(struct ffile_writer *w);

/*
 * Hold mode, after ffile_writer_finish failed: give up the held
 * sections (a collector that must exit while the disk is still full)
 * so that the next finish writes only the trailer for the blocks on
 * disk.  Returns the records given up (counted in hold->discarded).
 */
uint64_t ffile_writer_discard(struct ffile_writer *w);

/*
 * Close without flushing or writing a trailer (the file is left as a
 * crash would leave it, minus the buffered records; held records are
 * counted as discarded).  Frees w.  NULL is a no-op.
 */
void	ffile_writer_abort(struct ffile_writer *w);

/* ------------------------------------------------------------------ */
/* Reader */

struct ffile_reader;		/* opaque */

struct ffile_info {
	uint16_t	major, minor;
	uint64_t	created_ms;
	int		codec;		/* writer's default codec, ZC_* */
	int		level;
	uint32_t	block_recs;	/* writer's block size */
	char		ident[FFILE_IDENT_MAX + 1];
	bool		clean;		/* trailer present and valid */
	bool		have_totals;	/* totals valid (trailer or rebuilt) */
	struct ffile_totals totals;
	size_t		nblocks;	/* blocks in the index */
	uint64_t	records;	/* sum of nrec over the index */
	uint64_t	file_size;
	uint64_t	data_end;	/* end of the last good section (not
					   clean: of the last one found) */
	size_t		damaged;	/* not clean: damaged or cut sections
					   met while walking the file */
	uint64_t	skipped_bytes;	/* not clean: bytes skipped over
					   between good sections */
	char		why_unclean[128]; /* not clean: the first problem */
	const struct ffile_exporter *exporters;	/* borrowed from reader */
	size_t		nexporters;
};

/* ffile_open flags */
#define FFILE_O_TOTALS	0x01	/* if not clean, rebuild totals by
				   decoding every block at open */
#define FFILE_O_NOCRC	0x02	/* skip every checksum test: only for
				   fuzzing, so that mutated input reaches
				   the parsers behind the checksums */
#define FFILE_O_FOLLOW	0x04	/* the file may still be written (a
				   collector's *.current file): a section
				   cut by the end of the file is taken as
				   not written yet, not as damage; see
				   ffile_refresh */

/*
 * Open a flow file and read its header and trailer (or, without a valid
 * trailer, find the blocks by walking the file: recovery).  Returns
 * NFE_OK (check ffile_info()->clean), NFE_IO (errno set), NFE_FORMAT
 * (not a flow file: bad magic, zero length), NFE_TRUNC (header cut),
 * NFE_CORRUPT (header checksum), NFE_VERSION (newer major version) or
 * NFE_NOMEM; err gets a message for every failure.  *out is NULL on
 * failure.
 */
int	ffile_open(const char *path, unsigned flags, struct ffile_reader **out,
	    char *err, size_t errlen);

/*
 * As ffile_open over len bytes at p (borrowed: must outlive the reader).
 * For fuzzing and tests.
 */
int	ffile_open_mem(const void *p, size_t len, unsigned flags,
	    struct ffile_reader **out, char *err, size_t errlen);

/* NULL is a no-op. */
void	ffile_close(struct ffile_reader *r);

/*
 * Follow a file that is still being written (opened with
 * FFILE_O_FOLLOW): take its size again and index the blocks and
 * exporter tables appended since ffile_open or the last refresh.
 * Blocks keep their index numbers, new ones are added after them.
 * Once the writer has completed the file (trailer and footer written,
 * whatever name it has now) the trailer is read, info.clean becomes
 * true and later refreshes do nothing; the trailer's index then
 * replaces the walk's (it lists the same blocks unless the walk met
 * damage).  *changed (may be NULL) tells whether anything was added or
 * the file completed.  Returns NFE_OK, NFE_IO (errno set) or NFE_NOMEM,
 * with a message in err.  Not while other threads use r.
 */
int	ffile_refresh(struct ffile_reader *r, bool *changed, char *err,
	    size_t errlen);

/* Header, trailer and exporter facts; valid until ffile_close. */
const struct ffile_info *ffile_info(const struct ffile_reader *r);

/* Block i's index entry (i < nblocks), borrowed until ffile_close. */
const struct ffile_blockmeta *ffile_block(const struct ffile_reader *r,
	    size_t i);

/*
 * True if block i may hold records with first_ms <= to and
 * last_ms >= from (inclusive window; use 0 and UINT64_MAX for open
 * ends).  Needs no I/O.
 */
bool	ffile_block_overlaps(const struct ffile_reader *r, size_t i,
	    uint64_t from, uint64_t to);

/*
 * Per-thread buffers for reading and decoding blocks.  Zero-initialise
 * or call ffile_blockbuf_init; ffile_blockbuf_fini frees.
 */
struct ffile_blockbuf {
	uint8_t		*raw;		/* owned: the block as stored */
	size_t		 raw_len, raw_cap;
	uint8_t		*tmp;		/* owned: one decompressed column */
	size_t		 tmp_cap;
	size_t		 index;		/* block number raw came from */
	bool		 nocrc;		/* reader opened with FFILE_O_NOCRC */
	uint8_t		*ixb;		/* owned: a block's index column */
	size_t		 ixb_cap;
};

void	ffile_blockbuf_init(struct ffile_blockbuf *b);
void	ffile_blockbuf_fini(struct ffile_blockbuf *b);

/*
 * Read block i's stored bytes into b (no decoding, header CRC checked).
 * Returns NFE_OK, NFE_IO, NFE_TRUNC, NFE_CORRUPT or NFE_NOMEM with a
 * message naming the block in err.
 */
int	ffile_read_block(const struct ffile_reader *r, size_t i,
	    struct ffile_blockbuf *b, char *err, size_t errlen);

/*
 * Read block i's index column alone (fidx.h; a few bytes per record,
 * no column of the block) into b and parse it into *ix, which borrows
 * b until the next call.  Returns NFE_OK; NFE_EOF if the block has
 * none (a version 1.0 file, or an index version this reader does not
 * know); NFE_CORRUPT, NFE_IO, NFE_TRUNC or NFE_NOMEM with a message
 * naming the block.  On any failure the caller reads the block.
 */
struct fidx;
int	ffile_block_index(const struct ffile_reader *r, size_t i,
	    struct ffile_blockbuf *b, struct fidx *ix, char *err,
	    size_t errlen);

/*
 * Decode the columns in mask (FCOL_BITs; FCOL_ALL for all) of the block
 * in b into c (fcol_init'ed; grown here if its cap is below the block's
 * record count, so any cap will do).  Each needed column's CRC is verified before
 * it is decompressed; columns not asked for are not touched, unknown
 * column ids are skipped.  Asking for FCOL_LAST (any column stored
 * relative to the first time) also decodes FCOL_FIRST.  On return c->n is the block's record count and c->mask
 * the columns present (a column the block lacks keeps its bit clear and
 * fcol_get() gives its default).  Returns NFE_OK, NFE_CORRUPT,
 * NFE_UNSUPP (unknown codec, width or flags in a needed column) or
 * NFE_NOMEM, with a message in err.  Does no I/O.
 */
int	ffile_decode_block(struct ffile_blockbuf *b, fcol_mask mask,
	    struct fcol *c, char *err, size_t errlen);

/*
 * After ffile_decode_block of the same block into c: decode the columns
 * of mask that c does not hold yet, keeping those it holds (a filter's
 * columns first, the others only if a record passes).  Same results as
 * ffile_decode_block.
 */
int	ffile_decode_more(struct ffile_blockbuf *b, fcol_mask mask,
	    struct fcol *c, char *err, size_t errlen);

/*
 * Read and decode block i in one call (ffile_read_block +
 * ffile_decode_block).
 */
int	ffile_load_block(const struct ffile_reader *r, size_t i, fcol_mask mask,
	    struct ffile_blockbuf *b, struct fcol *c, char *err, size_t errlen);

/*
 * Verify block i completely: header CRC, every column's CRC,
 * decompression and decoding.  For `flowq -v`.  Returns NFE_OK or the
 * error with its message, as ffile_load_block.
 */
int	ffile_verify_block(const struct ffile_reader *r, size_t i,
	    struct ffile_blockbuf *b, struct fcol *c, char *err, size_t errlen);

/*
 * Compute totals by decoding every block (FIRST, LAST, PACKETS, BYTES,
 * FLOWS, PROTO columns), e.g. for a file that was not closed cleanly.
 * Blocks that fail are skipped and counted in *bad (may be NULL); err
 * holds the first failure.  Returns NFE_OK or NFE_NOMEM.
 */
int	ffile_scan_totals(const struct ffile_reader *r, struct ffile_totals *t,
	    size_t *bad, char *err, size_t errlen);

/*
 * Call sink for every record of every block overlapping [from, to]
 * (see ffile_block_overlaps), in file order, with all columns.  Records
 * themselves are not filtered by time.  Corrupt blocks are skipped and
 * counted in *bad (may be NULL; err keeps the first message).  Returns
 * NFE_OK, NFE_NOMEM, or the first non-zero sink return.
 */
int	ffile_foreach(const struct ffile_reader *r, uint64_t from, uint64_t to,
	    flowrec_sink_fn *sink, void *arg, size_t *bad, char *err,
	    size_t errlen);

/* ------------------------------------------------------------------ */
/* Recovery (the collector's leftover temporary file) */

struct ffile_recovery {
	bool		was_clean;	/* trailer was fine: nothing done */
	size_t		blocks;		/* complete blocks kept */
	uint64_t	records;	/* records in them */
	size_t		bad_blocks;	/* framed blocks that failed their
					   checks and were left out */
	uint64_t	cut_bytes;	/* bytes dropped from the tail */
};

/*
 * Make a file without a valid trailer whole again in place: keep every
 * block that verifies, drop the tail after the last good section,
 * rebuild the totals and write the latest exporter table, a trailer and
 * a footer, then fsync.  A file with a valid trailer is left alone.
 * Fills *res ("not closed cleanly: recovered N blocks, M flows" is
 * res->blocks, res->records).  A file holding just a header gets an
 * empty trailer.  Returns NFE_OK, or the ffile_open error for an
 * unusable file: NFE_FORMAT or NFE_TRUNC if it is too short to hold a
 * header (nothing was ever stored in it), NFE_CORRUPT, NFE_VERSION;
 * NFE_IO (errno set), NFE_NOMEM.
 */
int	ffile_recover(const char *path, struct ffile_recovery *res, char *err,
	    size_t errlen);

#endif /* COMMON_FFILE_FFILE_H */
