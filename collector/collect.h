/*
 * collector/collect.h -- flowcapd's writer: the one thread that writes
 * the data directory.  It takes the workers' messages (decoded flows of
 * one exporter and what that exporter counted, collector/worker.h),
 * gives each record its exporter's index in the current file's
 * exporter table, appends them to the current file (collector/spool.h),
 * keeps what the files and statistics show about each exporter
 * (exporter.h, "shown"), merges the workers' template images into the
 * template file, rotates files at the interval boundary, and serves
 * the control socket and the reload.
 *
 * The workers never wait for it: it takes their messages in place and
 * gives the room back.  It sleeps on the workers' bell when every
 * queue is empty, and ticks (rotation, flush, -x, templates) every
 * COLLECT_TICK_MS or when idle.
 * Crash bound: the partial block is written every flush_ms (default
 * COLLECT_FLUSH_MS), so a crash loses at most that much.
 */
#ifndef COLLECTOR_COLLECT_H
#define COLLECTOR_COLLECT_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "collector/capstats.h"
#include "collector/exporter.h"
#include "collector/fq.h"
#include "collector/sessions.h"
#include "common/enrich/geofill.h"
#include "collector/spool.h"
#include "collector/steer.h"
#include "collector/worker.h"
#include "common/prog/ctl.h"
#include "common/prog/log.h"

#define COLLECT_FLUSH_MS	5000	/* partial block written at least this often */
#define COLLECT_TICK_MS		100	/* periodic work at least this often */
#define COLLECT_TMPL_SAVE_MS	1000	/* template file debounce */
#define COLLECT_MAX_REPEAT	8	/* -R targets */
#define COLLECT_TMPL_FILE	".flowcapd-templates"
#define COLLECT_PUMP		256	/* messages taken between ticks */

struct sinkset;

struct collect_conf {
	struct spool_conf spool;
	uint32_t	 sampling;	/* -s N: rate when none is announced */
	bool		 sampling_force; /* -s -N: N overrides announced */
	unsigned	 flush_ms;	/* 0: COLLECT_FLUSH_MS */
	size_t		 max_exporters;	/* 0: EXPORTER_MAX */
	size_t		 nworkers;	/* -W */
	size_t		 queue;		/* -Q: bytes of the workers' queues
					   to the writer, all together */
	int		 repeat_fd[COLLECT_MAX_REPEAT];	/* -R sockets, connected */
	size_t		 nrepeat;
	/* facts about reception, for log lines and statistics only */
	uint16_t	 port;		/* bound UDP port */
	size_t		 nsock;		/* sockets */
	int		 rcvbuf;	/* SO_RCVBUF obtained, bytes */
	bool		 rx_realtime;	/* workers got SCHED_FIFO */
	int		 steer_err;	/* errno: steering program refused */
};

struct collect {
	const struct collect_conf *conf;	/* borrowed */
	struct worker_shared *sh;		/* borrowed: the workers */
	struct fq	*outs[STEER_MAX_WORKERS]; /* borrowed: their queues */
	size_t		 nw;
	/* the template file: every worker's latest image */
	char		 tmpl_path[4096];
	uint8_t		*img[STEER_MAX_WORKERS];	/* owned */
	size_t		 imglen[STEER_MAX_WORKERS];
	uint64_t	 img_seq[STEER_MAX_WORKERS];
	bool		 tmpl_dirty;		/* an image newer than the file */
	bool		 tmpl_failing;		/* last save failed (logged) */
	uint64_t	 tmpl_saved_mono;
	struct spool	 spool;			/* owns the file's exporter
						   table */
	/* every exporter the writer heard of, in that order (borrowed:
	   the workers own them) */
	struct exporter	**known;		/* owned array */
	size_t		 nknown, known_cap;
	uint64_t	 mono_ms;
	uint64_t	 flushed_mono;
	uint64_t	 ticked_mono;
	struct capstats_loss last;		/* loss totals at the last
						   rotation */
	uint64_t	 start_ms;		/* when collect_init ran, UTC */
	struct ctl	*ctl;			/* borrowed: served each tick;
						   NULL for none */
	/* SIGHUP: when *reload is set, on_reload(reload_arg) runs in this
	 * thread at the next tick (and *reload is cleared) */
	volatile sig_atomic_t *reload;		/* borrowed; NULL for none */
	void		(*on_reload)(void *arg);
	void		*reload_arg;		/* borrowed */
	struct geofill	*geo;			/* borrowed: --geoip/--asn-db,
						   or NULL */
	struct sessions	*sess;			/* borrowed: session store,
						   NULL for none */
	struct sinkset	*sinks;			/* borrowed: --sink; NULL or
						   empty for none */
	struct log_rl	 rl;			/* collector-wide warnings */
};

/*
 * Set up the writer for the workers of sh (initialised: their template
 * images are the template file as loaded): leftover recovery, and the
 * first file.  Returns NFE_OK or an error with a message in err.
 */
int	collect_init(struct collect *c, const struct collect_conf *conf,
	    struct worker_shared *sh, char *err, size_t errlen);

/*
 * Take up to max messages from the workers' queues (in turn) into the
 * current file.  Returns how many.
 */
size_t	collect_pump(struct collect *c, size_t max);

/* A worker_shared drain for programs that run the workers' code in
 * the writer's thread: takes every message (arg: the collect). */
void	collect_drain_cb(void *arg);

/*
 * Periodic work: rotation at the boundary (or now, if rotate is set),
 * block flush, the template file, reaping -x commands, control socket
 * requests (c->ctl), a reload asked by *c->reload.
 */
void	collect_tick(struct collect *c, bool rotate);

/*
 * Complete the current file now and start the next one (flowctl
 * rotate); one line for the reply goes to out (borrowed).
 */
void	collect_rotate(struct collect *c, FILE *out);

/*
 * Run until *stop is set: take messages, sleep when there are none,
 * tick; on *rotate rotate now (and clear it).
 */
void	collect_run(struct collect *c, volatile sig_atomic_t *stop,
	    volatile sig_atomic_t *rotate);

/*
 * After the workers' threads have ended: let each finish (worker_finish:
 * what was handed over, held sets, the last template image) and take
 * every message that is left.
 */
void	collect_drain(struct collect *c);

/* Complete the current file, save templates, free the writer's state
 * (the workers are freed afterwards, by their owner). */
void	collect_fini(struct collect *c);

#endif /* COLLECTOR_COLLECT_H */
