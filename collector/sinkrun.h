/*
 * collector/sinkrun.h -- flowcapd's live sinks: one thread per --sink,
 * delivering from the data directory (collector/sinkfollow.h) through a
 * sink (sink/sink.h) and keeping its cursor (collector/sinkcursor.h).
 *
 * Files are the log: a sink thread only reads what the decode/write
 * thread has written, so a sink that is down, slow or misconfigured
 * never slows reception and never costs a flow; it resumes from its
 * cursor.  Sink threads run at a lower CPU priority (nice +10) than
 * reception and decoding.
 *
 * A batch is filled from the cursor on, up to the URL's batch rows,
 * and sent when full, at a file's end, at a day boundary (ClickHouse:
 * one partition per INSERT), or when interval ms have passed since the
 * previous delivery.  Once sent, a batch is frozen (same id, same
 * rows) until it is delivered.  After each delivered batch the cursor
 * is saved (atomically, fsynced).  After a lost answer, and once at
 * start, a ClickHouse sink asks how many rows of the batch landed and
 * skips them.  Failures are retried with backoff (200 ms doubling to
 * 30 s, or the Retry-After asked for).
 *
 * Operations: delivered, pending bytes, lag, retries and the last error
 * per sink, read by any thread through sinkrun_stats (a mutex guards
 * them).  Log lines: the first failure of an episode and the recovery;
 * once when the lag passes the URL's lag= (and when it is back under);
 * files removed before delivery (an error) and unreadable blocks.
 */
#ifndef COLLECTOR_SINKRUN_H
#define COLLECTOR_SINKRUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "sink/sinkurl.h"

#define SINKRUN_POLL_MS		100	/* looks for new blocks this often */
#define SINKRUN_BACKOFF_MIN_MS	200
#define SINKRUN_BACKOFF_MAX_MS	30000
#define SINKRUN_PENDING_MS	2000	/* pending bytes recomputed */
#define SINKRUN_NICE		10
#define SINKRUN_MAX		16	/* --sink options */

struct sinkrun;

struct sinkrun_stats {
	char		 name[SINKURL_NAME_MAX + 1];
	char		 url[SINKURL_MAX_LEN];
	bool		 up;		/* the last attempt succeeded */
	bool		 ready;		/* prepared (table made, brokers seen) */
	uint64_t	 delivered;	/* flows delivered since start */
	uint64_t	 delivered_total;	/* by this sink, ever (cursor) */
	uint64_t	 batches;	/* deliveries since start */
	uint64_t	 bytes;		/* bytes sent in delivered batches */
	uint64_t	 retries;	/* failed attempts since start */
	uint64_t	 skipped;	/* flows found already delivered */
	uint64_t	 pending_bytes;	/* on disk after the cursor */
	uint64_t	 lag_ms;	/* age of the oldest undelivered flow's
					   block on disk; 0 when caught up */
	bool		 lag_known;	/* false until the sink's first look
					   at the files (lag_ms means
					   nothing then) */
	uint64_t	 oldest_ms;	/* when the oldest undelivered block
					   was seen; 0: caught up (lag_ms is
					   computed from it when read) */
	uint64_t	 vanished;	/* files removed before delivery */
	uint64_t	 late;		/* files named out of order: not
					   delivered */
	uint64_t	 bad_blocks;	/* unreadable blocks skipped */
	char		 cursor_file[1100];	/* where the cursor stands */
	char		 last_error[512];	/* "" if none */
};

/*
 * Set up a sink for u on data directory dir (borrowed, outlives r):
 * open it (library present, secrets readable) and load its cursor.
 * Call before the daemon detaches, so a refusal reaches the terminal.
 * Returns NFE_OK, or an error with a message (NFE_UNSUPP: this build
 * lacks the library).
 */
int	sinkrun_new(const struct sinkurl *u, const char *dir,
	    struct sinkrun **out, char *err, size_t errlen);

/*
 * Start the thread, once the collector has opened its first file: a new
 * sink (no cursor yet) starts with the newest file of dir and saves its
 * cursor there.  Returns NFE_OK or NFE_NOMEM (no thread).
 */
int	sinkrun_start(struct sinkrun *r);

/*
 * Ask the thread to stop, delivering what is on disk until until_mono
 * (time_mono_ms clock); then wait for it.  Its cursor is saved.
 */
void	sinkrun_request_stop(struct sinkrun *r, uint64_t until_mono);
void	sinkrun_join(struct sinkrun *r);

/* Both, with drain_ms from now. */
void	sinkrun_stop(struct sinkrun *r, unsigned drain_ms);

/* A consistent copy of r's statistics. */
void	sinkrun_stats(struct sinkrun *r, struct sinkrun_stats *st);

/* Stop (without draining) if running, and free.  NULL is a no-op. */
void	sinkrun_free(struct sinkrun *r);

/*
 * The sinks of a flowcapd, and the three places an operator reads about
 * them: the rotation log (one line per sink), the control socket's
 * "sinks" command (and "statistics"), and the exit summary.
 */
struct sinkset {
	struct sinkrun	*v[SINKRUN_MAX];	/* owned */
	size_t		 n;
};

/* One INFO line per sink ("sink NAME: delivered ..."). */
void	sinkset_log(struct sinkset *s, const char *when);

/* The control socket's reply: every sink's statistics. */
void	sinkset_print(struct sinkset *s, FILE *out);

/* Stop every sink (draining for at most drain_ms), log the summary. */
void	sinkset_stop(struct sinkset *s, unsigned drain_ms);

void	sinkset_free(struct sinkset *s);

#endif /* COLLECTOR_SINKRUN_H */
