/*
 * collector/spool.h -- flowcapd's current flow file and its life cycle:
 * open under a temporary name, append, flush every few seconds, close at
 * the interval boundary (trailer, fsync, rename to the final name, fsync
 * of the directory), run the -x command, and recover leftovers of a
 * crash at start.
 *
 * Naming (collector/spoolname.h): a file is named after the start of
 * the span it covers.  Normally that is the interval boundary.  When
 * the boundary's name is already taken (SIGHUP rotated within the
 * interval, or flowcapd restarted within an interval whose file it had
 * completed or recovered), the file is named after the second it was
 * opened, flows.YYYYMMDDhhmmss, so names never collide and still sort
 * by time.
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

#include "common/ffile.h"
#include "common/flowrec.h"

#define SPOOL_MAX_CHILDREN	16	/* -x commands running at once */

struct spool_conf {
	const char	*dir;		/* borrowed: -l */
	unsigned	 interval;	/* -t seconds */
	unsigned	 layout;	/* -S 0..8 */
	int		 codec;		/* ZC_* */
	int		 level;		/* zlib level, 0 default */
	const char	*ident;		/* borrowed: -I, may be NULL */
	const char	*xcmd;		/* borrowed: -x, may be NULL */
	uint32_t	 block_recs;	/* 0: FFILE_BLOCK_RECS */
};

struct spool {
	const struct spool_conf *conf;	/* borrowed; outlives the spool */
	struct ffile_writer *w;		/* owned; NULL between files */
	char		 path[4096];	/* final path of the current file */
	char		 tmp[4096];	/* its temporary path */
	int64_t		 start_s;	/* name time of the current file */
	int64_t		 end_s;		/* next interval boundary */
	uint64_t	 files;		/* files completed */
	uint64_t	 errors;	/* write/close failures */
	size_t		 children;	/* -x commands not yet reaped */
	uint64_t	 xskipped;	/* -x not run: too many running */
};

/* What one completed file held, for the rotation log line. */
struct spool_done {
	char		 path[4096];
	uint64_t	 records;
	uint64_t	 bytes_on_disk;
	size_t		 blocks;
};

void	spool_init(struct spool *s, const struct spool_conf *conf);

/*
 * Open a new file for the interval holding now_s (see the naming rules
 * above).  Creates subdirectories.  Returns NFE_OK, or NFE_IO /
 * NFE_NOMEM with a message in err.
 */
int	spool_open(struct spool *s, int64_t now_s, char *err, size_t errlen);

/* True if a file is open. */
bool	spool_is_open(const struct spool *s);

/* Append records to the current file (must be open). */
int	spool_add(struct spool *s, const struct flowrec *recs, size_t n);

/* Write the partial block now (crash safety: call every few seconds). */
int	spool_flush(struct spool *s);

/* Replace the current file's exporter table (see ffile_writer_set_exporters). */
int	spool_set_exporters(struct spool *s, const struct ffile_exporter *x,
	    size_t n);

/*
 * Complete the current file: trailer, fsync, rename, directory fsync,
 * then start the -x command.  *done (may be NULL) describes it.  On a
 * write error the temporary file is left for recovery at the next
 * start and NFE_IO is returned with a message.
 */
int	spool_close(struct spool *s, struct spool_done *done, char *err,
	    size_t errlen);

/* Reap finished -x commands without waiting; returns how many. */
size_t	spool_reap(struct spool *s);

/*
 * Find leftover *.current files below conf->dir (any -S layout depth),
 * repair each with ffile_recover() and rename it to its final name (or,
 * if that is taken, to the next free name with seconds), logging one
 * line per file.  A file that cannot be repaired (not a flow file) is
 * renamed to *.bad.  Returns the number of leftovers found.
 */
size_t	spool_recover(const struct spool_conf *conf);

#endif /* COLLECTOR_SPOOL_H */
