/*
 * collector/collect.h -- flowcapd's decode/write side: takes datagrams
 * from the queue, decodes them (the codec table, common/codec/codec.h)
 * with per-exporter state, scales counters by the sampling rate,
 * appends the flows to the current file, keeps data sets that came
 * before their template, persists templates, and rotates files at the
 * interval boundary.
 *
 * Data path of one datagram: the codec's peek gives the exporter key;
 * the exporter is looked up once (created once the datagram proves to
 * be NetFlow: it decoded, or yielded a record or a held set); the
 * decoder writes the flows into a batch over c->recs; each full batch,
 * and what is left at the end, is stamped (sampling scale-up, the
 * exporter's index in the file, collector/spool.h) and handed to the
 * spool.
 *
 * Runs in one thread (the decode/write thread); the receive thread
 * only fills the queue, so nothing here can make reception wait.
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
#include "collector/dgq.h"
#include "collector/exporter.h"
#include "collector/rx.h"
#include "collector/sessions.h"
#include "collector/spool.h"
#include "common/prog/ctl.h"
#include "common/prog/log.h"

#define COLLECT_FLUSH_MS	5000	/* partial block written at least this often */
#define COLLECT_TMPL_SAVE_MS	1000	/* template file debounce */
#define COLLECT_MAX_REPEAT	8	/* -R targets */
#define COLLECT_TMPL_FILE	".flowcapd-templates"
#define COLLECT_BATCH		256	/* records handed to the writer at once */

struct collect_conf {
	struct spool_conf spool;
	uint32_t	 sampling;	/* -s N: rate when none is announced */
	bool		 sampling_force; /* -s -N: N overrides announced */
	unsigned	 flush_ms;	/* 0: COLLECT_FLUSH_MS */
	size_t		 max_exporters;	/* 0: EXPORTER_MAX */
	int		 repeat_fd[COLLECT_MAX_REPEAT];	/* -R sockets, connected */
	size_t		 nrepeat;
	/* facts about reception, for log lines and statistics only */
	uint16_t	 port;		/* bound UDP port */
	size_t		 nsock;		/* sockets */
	int		 rcvbuf;	/* SO_RCVBUF obtained, bytes */
	bool		 rx_realtime;	/* receive thread got SCHED_FIFO */
};

struct collect {
	const struct collect_conf *conf;	/* borrowed */
	struct dgq	*q;			/* borrowed */
	struct rx_counters *rx;			/* borrowed */
	struct exporter_table xt;
	struct tmpl_cache *tmpl;		/* owned */
	char		 tmpl_path[4096];
	bool		 tmpl_dirty;
	bool		 tmpl_failing;		/* last save failed (logged) */
	uint64_t	 tmpl_changes;		/* tmpl_changes() at last save */
	uint64_t	 tmpl_saved_mono;
	struct spool	 spool;			/* owns the file's exporter
						   table */
	struct flowrec	 recs[COLLECT_BATCH];	/* the decoders' batch: empty
						   between datagrams */
	uint64_t	 mono_ms;
	uint64_t	 flushed_mono;
	/* collector-wide counters */
	uint64_t	 bad_header;		/* unknown version or too short */
	uint64_t	 bad_unknown;		/* malformed, from no known
						   exporter (none created) */
	uint64_t	 refused_datagrams;	/* from new exporters, table
						   full */
	uint64_t	 refused_flows;		/* the flows they held */
	uint64_t	 repeat_errors;
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
	struct sessions	*sess;			/* borrowed: session store,
						   NULL for none */
	struct log_rl	 rl;			/* collector-wide warnings */
};

/*
 * Set up: exporter table, template cache (loaded from the data
 * directory when a file is there), leftover recovery, and the first
 * file.  Returns NFE_OK or an error with a message in err.
 */
int	collect_init(struct collect *c, const struct collect_conf *conf,
	    struct dgq *q, struct rx_counters *rx, char *err, size_t errlen);

/* Decode and store one datagram. */
void	collect_datagram(struct collect *c, const struct dgq_item *it);

/*
 * Periodic work: rotation at the boundary (or now, if rotate is set),
 * block flush, template save, held-set expiry, reaping -x commands,
 * control socket requests (c->ctl), a reload asked by *c->reload.
 */
void	collect_tick(struct collect *c, bool rotate);

/*
 * Complete the current file now and start the next one (flowctl
 * rotate); one line for the reply goes to out (borrowed).
 */
void	collect_rotate(struct collect *c, FILE *out);

/*
 * Run until *stop is set: pop, decode, tick; on *rotate rotate now (and
 * clear it).
 */
void	collect_run(struct collect *c, volatile sig_atomic_t *stop,
	    volatile sig_atomic_t *rotate);

/* Decode whatever is still queued (after the receive thread stopped). */
void	collect_drain(struct collect *c);

/* Complete the current file, save templates, free everything. */
void	collect_fini(struct collect *c);

#endif /* COLLECTOR_COLLECT_H */
