/*
 * collector/spool.h -- flowcapd's flow files and their life cycle:
 * open under a temporary name, append, flush every few seconds, close at
 * the interval boundary (trailer, fsync, rename to the final name, fsync
 * of the directory), run the -x command, and recover leftovers of a
 * crash at start.
 *
 * Naming (collector/spoolname.h): a file is named after the start of
 * the span it covers.  Normally that is the interval boundary.  When
 * the boundary's name is already taken (SIGUSR1 or flowctl rotate within the
 * interval, or flowcapd restarted within an interval whose file it had
 * completed or recovered), the file is named after the second it was
 * opened, flows.YYYYMMDDhhmmss, so names never collide and still sort
 * by time.  A name is taken as soon as the spool gives it out, whether
 * or not the file could be created yet.
 *
 * Disk full (and every other write error): the writers run in hold
 * mode (common/ffile/ffile.h).  Blocks that cannot be written stay in memory,
 * in their own file, up to conf->hold_max bytes for all files together;
 * spool_tick() retries every SPOOL_RETRY_MS.  A file whose interval ends
 * meanwhile waits in a list and is completed (trailer, rename, -x) once
 * its data is written; the next interval's file is opened at once, even
 * if it cannot be created yet.  One line is logged when writing stops
 * (path, error, space free and needed), one when the hold limit first
 * drops data, one when writing resumes.  spool_shutdown() makes the last
 * attempt at exit and says what could not be written.
 *
 * Exporter table: each record names its exporter by an index into the
 * exporter table of the file that holds it (flowrec.exporter).  The
 * spool owns the current file's table: spool_exporter() gives an
 * exporter its index the first time it is asked for it in this file,
 * and the table (identities and the exporters' per-file counters,
 * collector/exporter.h) is handed to the writer before the block that
 * first needs a new entry, at every flush and at close.  A new file
 * starts with an empty table.  Finding an exporter's index is one
 * array access (by exporter id).
 *
 * One thread only (flowcapd's decode/write thread).  The -x command is
 * started with posix_spawn and reaped by spool_reap(); the spool never
 * waits for it.
 */
#ifndef COLLECTOR_SPOOL_H
#define COLLECTOR_SPOOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "collector/exporter.h"
#include "common/base/flowrec.h"
#include "common/ffile/ffile.h"

#define SPOOL_MAX_CHILDREN	16	/* -x commands running at once */
#define SPOOL_RETRY_MS		1000	/* a write attempt a second while
					   writes fail */
#define SPOOL_DEF_HOLD		(256ULL << 20)	/* -H default, bytes */

struct spool_conf {
	const char	*dir;		/* borrowed: -l */
	unsigned	 interval;	/* -t seconds */
	unsigned	 layout;	/* -S 0..8 */
	int		 codec;		/* ZC_* */
	int		 level;		/* zlib level, 0 default */
	const char	*ident;		/* borrowed: -I, may be NULL */
	const char	*xcmd;		/* borrowed: -x, may be NULL */
	uint32_t	 block_recs;	/* 0: FFILE_BLOCK_RECS */
	uint64_t	 hold_max;	/* -H: bytes of compressed blocks held
					   in memory while writes fail (all
					   files together); 0 holds none */
};

/* A file being written, or one whose interval ended before its data
 * could be written (then it waits in spool.waiting). */
struct spool_file {
	struct spool_file *next;	/* owned: next (newer) waiting file */
	struct ffile_writer *w;		/* owned */
	char		 path[4096];	/* its final path */
	char		 tmp[4096];	/* its temporary path */
	int64_t		 start_s;	/* name time */
	bool		 secs;		/* named with seconds */
	int		 rename_err;	/* errno of a failed rename, 0 */
};

struct spool {
	const struct spool_conf *conf;	/* borrowed; outlives the spool */
	struct spool_file *cur;		/* owned; NULL if none could be set up */
	struct spool_file *waiting;	/* owned list, oldest first */
	int64_t		 end_s;		/* next interval boundary */
	struct ffile_hold hold;		/* shared by every file's writer */
	bool		 stalled;	/* writing stopped (logged) */
	bool		 limit_logged;	/* hold limit hit (logged) */
	uint64_t	 stall_mono;	/* when the stall began, ms */
	uint64_t	 stall_written;	/* hold.written then */
	uint64_t	 stall_dropped;	/* hold.dropped then */
	uint64_t	 next_retry;	/* monotonic ms */
	uint64_t	 files;		/* files completed */
	uint64_t	 stored;	/* records in completed files */
	uint64_t	 left;		/* records on disk in files left for
					   recovery at exit */
	uint64_t	 nofile;	/* records refused: no file at all */
	uint64_t	 errors;	/* files given up on an error */
	size_t		 children;	/* -x commands not yet reaped */
	uint64_t	 xskipped;	/* -x not run: too many running */
	/* the current file's exporter table (that of the file last
	   closed, until the next spool_open) */
	const struct exporter **exporters; /* owned array; items borrowed */
	struct ffile_exporter *xentries; /* owned: what the writer gets */
	size_t		 nexporters, xcap;
	bool		 x_dirty;	/* an exporter joined since the
					   writer last got the table */
	uint32_t	*xindex;	/* owned: by exporter id, index + 1
					   in the table, 0 not in it */
	size_t		 nxindex;
};

/* What one file held at rotation, for the rotation log line. */
struct spool_done {
	char		 path[4096];
	uint64_t	 records;	/* written to it */
	uint64_t	 bytes_on_disk;
	size_t		 blocks;
	bool		 waiting;	/* not complete: waits for the disk */
	uint64_t	 held;		/* its records held in memory */
	uint64_t	 held_bytes;
	uint64_t	 dropped;	/* its records dropped: hold limit */
};

void	spool_init(struct spool *s, const struct spool_conf *conf);

/*
 * Set up the file for the interval holding now_s (see the naming rules
 * above) as the current file; there must be none.  The file is created
 * with its subdirectories when the disk allows, else later.  Returns
 * NFE_OK, or NFE_NOMEM / NFE_LIMIT (no free name) with a message in
 * err.  strict (the first file, at start): also NFE_IO if the file
 * cannot be created for a reason other than a full disk or quota
 * (permissions, a read-only file system), so a wrong -l fails at once.
 */
int	spool_open(struct spool *s, int64_t now_s, uint64_t mono_ms,
	    bool strict, char *err, size_t errlen);

/* True if there is a current file. */
bool	spool_is_open(const struct spool *s);

/* Append records to the current file; without one they are counted in
 * nofile.  Records the disk refuses are held or dropped (counted). */
void	spool_add(struct spool *s, const struct flowrec *recs, size_t n,
	    uint64_t mono_ms);

/*
 * spool_add() for records that hold their defaults in every newer
 * column not in cols (ffile_writer_add_cols()).
 */
void	spool_add_cols(struct spool *s, const struct flowrec *recs, size_t n,
	    fcol_mask cols, uint64_t mono_ms);

/* Write the partial block now (crash safety: call every few seconds). */
void	spool_flush(struct spool *s, uint64_t mono_ms);

/*
 * The index of exporter e in the current file's exporter table (for
 * flowrec.exporter), adding it if it is not there yet.  e is borrowed
 * until the next spool_open (its counters are read at every flush and
 * at close).  Beyond FFILE_MAX_EXPORTERS exporters in one file, or out
 * of memory, the answer is 0.
 */
uint16_t spool_exporter(struct spool *s, const struct exporter *e);

/*
 * The exporters of the current file's table, in the order they joined
 * (after spool_close: of the file just closed, until spool_open).
 */
size_t	spool_nexporters(const struct spool *s);
const struct exporter *spool_exporter_at(const struct spool *s, size_t i);

/*
 * Complete the current file: trailer, fsync, rename, directory fsync,
 * then start the -x command; afterwards there is no current file.  If
 * its data cannot all be written now, it waits (done->waiting) and
 * spool_tick completes it later.  *done (may be NULL) describes it.
 * Returns NFE_OK, or an error other than a write error (out of memory)
 * with a message: the temporary file is then left for recovery at the
 * next start.
 */
int	spool_close(struct spool *s, struct spool_done *done, char *err,
	    size_t errlen);

/*
 * Periodic work: while writes fail, retry every SPOOL_RETRY_MS (waiting
 * files oldest first, then the current one), completing waiting files
 * whose data is written; log the stop/limit/resume lines.
 */
void	spool_tick(struct spool *s, uint64_t mono_ms);

/*
 * At exit, after spool_close: a last attempt for every waiting file.
 * What still cannot be written is given up (counted in
 * hold.discarded) and the file completed with what is on disk, or,
 * if not even its trailer fits, left under its temporary name for
 * recovery at the next start (counted in left).  One line per such
 * file.  Frees the exporter table.
 */
void	spool_shutdown(struct spool *s, uint64_t mono_ms);

/* Records in the current file's partial block (0 without a file). */
size_t	spool_pending(const struct spool *s);

/* Files whose interval ended and that wait for the disk. */
size_t	spool_waiting(const struct spool *s);

/*
 * While writes fail: true, with the first file waiting (*path, borrowed
 * until the next spool call), its errno and the bytes needed to write
 * everything held.  False when writing normally.
 */
bool	spool_stall_info(const struct spool *s, const char **path, int *err,
	    uint64_t *need);

/* Reap finished -x commands without waiting; returns how many. */
size_t	spool_reap(struct spool *s);

/*
 * Find leftover *.current files below conf->dir (any -S layout depth),
 * repair each with ffile_recover() and rename it to its final name (or,
 * if that is taken, to the next free name with seconds), logging one
 * line per file.  A file that cannot be repaired (not a flow file) is
 * renamed to *.bad; one that cannot be repaired now (a write error,
 * such as a full disk) stays for the next start.  Returns the number of
 * leftovers found.
 */
size_t	spool_recover(const struct spool_conf *conf);

#endif /* COLLECTOR_SPOOL_H */
