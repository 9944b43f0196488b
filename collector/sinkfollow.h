/*
 * collector/sinkfollow.h -- read flowcapd's data directory in order,
 * from a position on, the way a sink delivers it: the finished blocks
 * of the file being written (*.current, read with FFILE_O_FOLLOW), and
 * once it is complete, the next file by time (flowkit-sink(7)).
 *
 * Files are taken in the order of their names' times (the -S layout's
 * subdirectories, up to 4 deep, are searched); the file being read is
 * left only when the collector has completed it (its trailer is
 * written), so a file that waits for the disk (hold mode) holds the
 * sink back instead of being skipped.
 *
 * A file removed before it was delivered (expired, deleted by hand) is
 * skipped to the next one and counted in vanished, with its name in
 * problem: the sink's owner logs that loudly.  A block that fails its
 * checks is skipped and counted (bad_blocks): flowq cannot read it
 * either.
 *
 * One thread (a sink's).  Memory: one decoded block (at most
 * FFILE_MAX_BLOCK_RECS records) and one time per block of the open
 * file.
 */
#ifndef COLLECTOR_SINKFOLLOW_H
#define COLLECTOR_SINKFOLLOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "collector/sinkcursor.h"
#include "common/base/flowrec.h"
#include "common/ffile/ffile.h"

#define SINKFOLLOW_MAX_DEPTH	4	/* -S layouts nest at most 4 deep */
#define SINKFOLLOW_EMPTY_MAX	65536	/* later files up to this size are
					   opened: without records they are
					   not pending */

struct follow;

/* What follow_peek offers. */
struct follow_view {
	const struct flowrec *recs;	/* borrowed until the next call */
	size_t		 n;		/* 0: nothing new yet */
	struct sinkcursor pos;		/* position of recs[0] (file,
					   slot, off, rec only) */
	uint64_t	 seen_ms;	/* when recs' block was first seen
					   on disk (file mtime for blocks
					   already there when opened) */
	uint64_t	 blk_end;	/* offset just after recs' block */
	uint32_t	 blk_nrec;	/* records in recs' block */
	bool		 at_end;	/* n == 0 and the file is complete
					   and read: follow_next_file */
};

struct follow_stats {
	uint64_t	 vanished;	/* files removed before delivery */
	uint64_t	 bad_blocks;	/* blocks skipped as unreadable */
	uint64_t	 files;		/* files opened */
	uint64_t	 late;		/* files named before one already
					   read, written after it (not
					   delivered: see follow_next_file) */
	char		 problem[512];	/* the last of the above, or "" */
};

/*
 * Follow dir (borrowed, outlives f) from *start: its file (a final
 * name relative to dir; "" means the first file of slot >= start's
 * slot), block offset and record.  Nothing is opened yet.  Returns
 * NFE_OK or NFE_NOMEM.
 */
int	follow_new(const char *dir, const struct sinkcursor *start,
	    struct follow **out);

/* NULL is a no-op. */
void	follow_free(struct follow *f);

/*
 * The records after the read position, all from one block.  Opens,
 * refreshes and loads as needed.  Returns NFE_OK (v->n may be 0) or
 * NFE_NOMEM; unreadable files and blocks are skipped (see above).
 */
int	follow_peek(struct follow *f, uint64_t now_ms, struct follow_view *v);

/* Take n of the records the last peek offered. */
void	follow_consume(struct follow *f, size_t n);

/*
 * After a peek said at_end: go to the next file.  *moved is false when
 * there is none yet (the collector has not opened it).  A file named
 * before the current one but written after it was opened (flowcapd
 * restarted with another -t names files on another grid) can no longer
 * be delivered in order: it is counted in late, with its name in
 * problem.  Returns NFE_OK or NFE_NOMEM.
 */
int	follow_next_file(struct follow *f, bool *moved);

/*
 * The exporter table of the file being read (borrowed until the next
 * follow call; it only grows within a file).
 */
void	follow_exporters(const struct follow *f,
	    const struct ffile_exporter **xs, size_t *n);

/* The read position (after what was consumed). */
void	follow_position(const struct follow *f, struct sinkcursor *pos);

const struct follow_stats *follow_stats(const struct follow *f);

/*
 * Bytes on disk after position pos in dir: the rest of pos's file
 * (unless rest_done: everything readable in it was delivered, what is
 * left is its trailer or a block still being written) and every later
 * file that holds records (a small one without a complete block of
 * records, e.g. a rotation without traffic, counts nothing).  Walks the
 * directory.  Returns NFE_OK or NFE_NOMEM.
 */
int	follow_pending_bytes(const char *dir, const struct sinkcursor *pos,
	    bool rest_done, uint64_t *bytes);

/*
 * The relative path and slot of the newest flow file in dir (the one
 * flowcapd writes); false if there is none.
 */
bool	follow_newest(const char *dir, char *rel, size_t len, int64_t *slot);

#endif /* COLLECTOR_SINKFOLLOW_H */
