/*
 * collector/worker.h -- flowcapd's workers: each receives on its own
 * sockets, decodes, and hands batches of decoded flows to the writer
 * (collector/collect.h), which alone writes the data directory.
 *
 * Data path of one datagram, all in the worker that received it:
 * recvmmsg into the worker's buffers; -A; -R; the codec's peek gives
 * the exporter key; a datagram whose exporter another worker owns
 * (collector/steer.h) goes to that worker's inbox; otherwise the
 * exporter is looked up in the worker's own table (created once the
 * datagram proves to be NetFlow: it decoded, or yielded a record or a
 * held set), and the decoder writes the flows straight into a message
 * reserved in the queue to the writer (collector/fq.h); a full batch,
 * and what is left at the end, is stamped (sampling scale-up) and
 * pushed with what the datagram changed in its exporter's counters
 * (struct exp_delta).  The writer gives the records their exporter's
 * index in the file.
 *
 * What a worker owns: its exporters (sequence, held sets, announced
 * rates), its share of the template cache, its counters.  Nothing is
 * locked on the data path; the writer only reads atomics (statistics)
 * and the messages.  Templates reach the template file as an image
 * the worker makes when its share changed (at most once per
 * COLLECT_TMPL_SAVE_MS); the writer merges and saves the images.
 *
 * Scheduling: a worker never waits for the writer (a message that
 * finds the queue full is dropped and counted: queue drops).  It runs
 * SCHED_FIFO at the lowest real-time priority where that is allowed
 * (root or CAP_SYS_NICE), so that it takes datagrams as soon as it
 * wants to even on a CPU the writer is using; after a round that found
 * datagrams it naps (at most WORKER_NAP_MAX_US, less with a small
 * socket buffer), so that the next round finds many: system calls,
 * wake-ups and the writer's wake-ups are paid per batch, not per
 * datagram.  The socket buffer holds what arrives meanwhile.
 */
#ifndef COLLECTOR_WORKER_H
#define COLLECTOR_WORKER_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "collector/exporter.h"
#include "collector/fq.h"
#include "collector/listen.h"
#include "common/base/addr.h"
#include "common/base/flowrec.h"
#include "common/codec/tmpl.h"
#include "common/prog/log.h"

#define WORKER_BATCH		256	/* records per message to the writer */
#define WORKER_RT_PRIORITY	1	/* SCHED_FIFO priority, the lowest */
#define WORKER_NAP_MAX_US	1000	/* nap between rounds, at most */
#define WORKER_MAX_BATCHES	64	/* recvmmsg calls per socket and
					   round */
#define WORKER_TICK_MS		100	/* periodic work at least this often */
#define WORKER_INBOX_BYTES	(4u << 20)	/* datagrams handed over */
#define WORKER_MAX_ACL		64	/* -A prefixes */
#define WORKER_MAX_REPEAT	8	/* -R targets */

/*
 * One message to the writer: flows of one exporter, and its counts.
 * The records' string values (struct nf_str) follow the records in the
 * same queue entry and live as long as it does.
 */
struct wmsg {
	struct exporter	*e;		/* borrowed */
	struct exp_delta d;		/* counts handed over (may be zero) */
	uint32_t	 n;		/* records that follow */
	uint64_t	 cols[2];	/* an fcol_mask: the columns they may
					   hold a non-default value in (struct
					   nf_batch); copied with memcpy, as
					   the queue aligns messages to 8 */
	struct flowrec	 rec[];
};

/*
 * What a worker counts, for statistics and loss reports: written by
 * the worker, read by the writer without a lock.
 */
struct worker_counters {
	_Atomic uint64_t datagrams;	/* received */
	_Atomic uint64_t kdrops;	/* kernel drops, its sockets */
	_Atomic uint64_t refused;	/* source outside -A */
	_Atomic uint64_t oversize;	/* truncated by the receive buffer */
	_Atomic uint64_t qdrops;	/* datagrams whose flows the queue to
					   the writer had no room for */
	_Atomic uint64_t qdrop_flows;	/* those flows */
	_Atomic uint64_t bad_header;	/* unknown version or too short */
	_Atomic uint64_t bad_unknown;	/* malformed, from no known exporter
					   (none created) */
	_Atomic uint64_t refused_datagrams; /* from new exporters, --max-
					   exporters reached */
	_Atomic uint64_t refused_flows;	/* the flows they held */
	_Atomic uint64_t repeat_errors;	/* -R sends that failed */
	_Atomic uint64_t handed;	/* datagrams given to their owner */
	_Atomic uint64_t hand_drops;	/* ... that its inbox had no room for */
	_Atomic uint64_t exporters;	/* exporters it owns */
	_Atomic uint64_t templates;	/* templates in its share */
	_Atomic uint64_t opts;		/* option states in its share */
};

/* What the workers share: set up before they start. */
struct worker_shared {
	size_t		 nworkers;
	struct worker	**w;		/* borrowed: all workers, by index */
	struct exporter_ids ids;	/* --max-exporters, all workers */
	/* -s: read by the workers; a reload (SIGHUP) changes them */
	_Atomic uint32_t sampling;	/* rate when none is announced */
	atomic_bool	 sampling_force; /* -s -N: overrides announced */
	const struct nf_prefix *acl;	/* borrowed: -A, nacl 0 accepts all */
	size_t		 nacl;
	const int	*repeat_fd;	/* borrowed: -R sockets, connected */
	size_t		 nrepeat;
	struct fq_bell	 bell;		/* the writer sleeps on it */
	/*
	 * Called when the queue to the writer is full, to empty it before
	 * trying again; NULL (threads running): drop and count instead.
	 * A program that runs the writer in the same thread sets it.
	 */
	void		(*drain)(void *arg);
	void		*drain_arg;
};

struct worker {
	unsigned	 index;
	struct worker_shared *sh;	/* borrowed */
	struct listener	*l;		/* borrowed: its sockets; NULL none */
	struct fq	*out;		/* owned: messages to the writer */
	struct fq	*inbox;		/* owned: datagrams other workers
					   hand over (they lock inbox_mtx) */
	pthread_mutex_t	 inbox_mtx;
	int		 inbox_fd;	/* owned eventfd: rung on a hand-over */
	struct exporter_table xt;	/* the exporters it owns */
	struct tmpl_cache *tmpl;	/* owned: their templates */
	struct worker_counters cnt;
	/* the template image, for the writer (under img_mtx) */
	pthread_mutex_t	 img_mtx;
	uint8_t		*img;		/* owned; NULL none yet */
	size_t		 imglen;
	uint64_t	 img_seq;	/* images made */
	uint64_t	 tmpl_imaged;	/* tmpl changes at the last image */
	uint64_t	 img_mono;	/* when it was made */
	bool		 tmpl_dirty;
	int		 tmpl_load_rc;	/* NFE_* of loading the file (no
					   file: NFE_OK) */
	size_t		 tmpl_loaded;	/* templates it kept from the file
					   (set before its thread starts) */
	/* the message being filled */
	struct wmsg	*msg;		/* reserved in out; NULL none */
	struct flowrec	*scratch;	/* owned: WORKER_BATCH records, when
					   out had no room */
	uint64_t	 mono_ms;
	uint64_t	 tick_mono;
	uint64_t	 held_mono;
	struct log_rl	 rl;
	/* the thread */
	pthread_t	 th;
	atomic_int	 stop;
	bool		 running;
	bool		 realtime;	/* got SCHED_FIFO */
	bool		 meminfo;	/* kernel drops read with SO_MEMINFO */
	long		 nap_us;
};

/*
 * Set up worker index of sh->nworkers (sh->w[index] must point at it)
 * with a queue of qbytes to the writer and the listener l (may be
 * NULL: datagrams are given with worker_datagram).  max_exporters is
 * the bound of its own table (the shared bound is in sh->ids).
 * Loads the template file tmpl_path (if there is one; the result in
 * w->tmpl_load_rc) and keeps the exporters it owns.  Returns NFE_OK
 * or an error with a message.
 */
int	worker_init(struct worker *w, unsigned index, struct worker_shared *sh,
	    struct listener *l, size_t qbytes, size_t max_exporters,
	    const char *tmpl_path, char *err, size_t errlen);

/* Free everything (after the writer is done with its messages). */
void	worker_fini(struct worker *w);

void	worker_shared_init(struct worker_shared *sh, size_t nworkers,
	    struct worker **w, size_t max_exporters);
void	worker_shared_fini(struct worker_shared *sh);

/* -s: the rate when none is announced, force: even then. */
void	worker_set_sampling(struct worker_shared *sh, uint32_t rate,
	    bool force);

/*
 * Decode and hand over one datagram (the thread's work; also what a
 * program without threads calls).  Then worker_publish() makes the
 * messages visible to the writer.
 */
void	worker_datagram(struct worker *w, const uint8_t *data, size_t len,
	    const struct nf_addr *src, uint16_t sport, uint64_t recv_ms);
void	worker_publish(struct worker *w);

/*
 * Decode the datagrams other workers handed over (they were checked
 * against -A and repeated by the worker that received them).  Returns
 * how many.
 */
size_t	worker_inbox(struct worker *w);

/*
 * Periodic work: held sets that waited too long, the template image,
 * kernel drop counts.  The thread does it every WORKER_TICK_MS.
 */
void	worker_tick(struct worker *w);

/*
 * Start the thread (with every signal blocked in it), SCHED_FIFO if
 * realtime and allowed; w->realtime says what it got.  Returns NFE_OK
 * or NFE_IO.
 */
int	worker_start(struct worker *w, bool realtime);

/* Ask the thread to stop: it takes what its sockets hold, then ends. */
void	worker_stop(struct worker *w);
void	worker_join(struct worker *w);

/*
 * After every worker's thread has ended: decode what other workers
 * handed over, then every held set (those waiting for a rate are
 * stored without one; those without template go), and make the last
 * template image.  Uses sh->drain when the queue is full, so the
 * writer must be draining (the same thread may set sh->drain).
 */
void	worker_finish(struct worker *w);

/*
 * The latest template image if it is newer than *seq (then *seq is
 * updated): a copy in *buf (owned by the caller) of *len bytes.
 * Returns false if there is none newer, or on allocation failure.
 */
bool	worker_image(struct worker *w, uint64_t *seq, uint8_t **buf,
	    size_t *len);

/* True if src is accepted by the -A list (an empty list accepts all). */
bool	worker_allowed(const struct nf_prefix *acl, size_t nacl,
	    const struct nf_addr *src);

#endif /* COLLECTOR_WORKER_H */
