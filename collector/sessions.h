/*
 * collector/sessions.h -- flowcapd's session store and its sources
 * (flowcapd(8): --radius-acct, --radius-secret, --sessions,
 * --session-timeout, --session-keep, --max-sessions; flowkit-sessions(5)).
 *
 * A thread of its own (the sessions thread) answers RADIUS accounting
 * (collector/radrecv.h), follows session files as they grow, ends timed
 * out sessions, drops old ones and keeps the store on disk next to the
 * data: a snapshot (.flowcapd-sessions) and a journal of what came
 * since (.flowcapd-sessions.journal), so a restart forgets nothing.  A
 * RADIUS request is answered only once its journal record is synced.
 *
 * The CGNAT mappings belong to the decode/write thread (they come from
 * the NAT event records it joins); it keeps them on disk the same way
 * (.flowcapd-nat and .flowcapd-nat.journal, natfile.h): each batch's
 * events are written to the journal before its flows are joined, the
 * journal is synced at every file rotation, and replaced by a snapshot
 * when it holds more records than the map has mappings (and at least
 * SESSIONS_NAT_JRN_MIN) and at a clean stop.
 *
 * The decode/write thread reads the store to join flows to users; a
 * reader-writer lock (writers preferred) keeps the two apart: lookups
 * share it, the sessions thread takes it alone for each change.
 */
#ifndef COLLECTOR_SESSIONS_H
#define COLLECTOR_SESSIONS_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "collector/radrecv.h"
#include "common/base/addr.h"
#include "common/base/fields.h"
#include "common/enrich/sessdb.h"
#include "common/enrich/sessfile.h"
#include "common/enrich/sessfollow.h"
#include "common/enrich/natmap.h"
#include "common/enrich/natfile.h"
#include "common/enrich/sessjoin.h"
#include "common/prog/log.h"

#define SESSIONS_MAX_FILES	16	/* --sessions options */
#define SESSIONS_SNAP_FILE	".flowcapd-sessions"
#define SESSIONS_JRN_FILE	".flowcapd-sessions.journal"
#define SESSIONS_SNAP_S		3600	/* snapshot at least this often */
#define SESSIONS_JRN_MAX	((uint64_t)64 << 20)	/* or when the journal is this big */
#define SESSIONS_EXPIRE_S	60	/* timeouts and keep: a sweep this long, */
#define SESSIONS_EXPIRE_STEP_MS	250	/* in steps this far apart */
#define SESSIONS_FOLLOW_MS	1000	/* session files read this often */
#define SESSIONS_DEF_KEEP_S	21600	/* closed sessions kept 6 hours */
#define SESSIONS_NAT_SNAP_FILE	".flowcapd-nat"
#define SESSIONS_NAT_JRN_FILE	".flowcapd-nat.journal"
#define SESSIONS_NAT_JRN_MIN	(1u << 20)	/* records (64 MB) before a
						   snapshot replaces them */

struct sessions_conf {
	const char	*radius[RADRECV_MAX_SOCKS];	/* --radius-acct specs */
	size_t		 nradius;
	const char	*secret_file;			/* --radius-secret */
	const char	*files[SESSIONS_MAX_FILES];	/* --sessions */
	size_t		 nfiles;
	struct sessdb_conf db;
	const char	*dir;				/* data directory, absolute */
	struct nf_prefix inside[SESSJOIN_MAX_INSIDE];	/* --inside */
	size_t		 ninside;
	size_t		 max_nat;		/* --max-nat-mappings */
};

/* Counters of the sessions thread, copied out under the lock. */
struct sessions_counters {
	struct radrecv_counters radius;
	uint64_t	 journal_errors;
	uint64_t	 snapshots;
	uint64_t	 file_events, file_errors;	/* session file lines */
};

struct sessions {
	struct sessions_conf conf;
	struct sessdb	*db;			/* owned */
	pthread_rwlock_t lock;
	struct sessjournal *j;			/* owned */
	char		 snap_path[4200], jrn_path[4200];
	struct radrecv	 rr;
	struct sessfollow follow;
	bool		 following;
	struct log_rl	 rl_files;		/* bad lines */
	uint64_t	 follow_mono;
	struct sessions_counters cnt;		/* written by the thread */
	struct sessions_counters pub;		/* copy, under the lock */
	pthread_t	 th;
	bool		 running;
	atomic_int	 stop;
	uint64_t	 snap_mono, expire_mono;
	/* the join (decode/write thread only, but for the totals) */
	struct sessjoin	 join;			/* over db, conf.inside, nat */
	struct natmap	*nat;			/* owned: CGNAT mappings from
						   the NAT events collected */
	struct natjournal *nat_j;		/* owned */
	char		 nat_snap_path[4200], nat_jrn_path[4200];
	struct log_rl	 rl_nat;		/* damaged records, errors */
	struct natfile_counts nat_loaded;	/* at start */
	uint64_t	 nat_pending;		/* events not yet written */
	uint64_t	 nat_retry_at;		/* journal records: a failed
						   snapshot's next try */
	_Atomic uint64_t nat_events, nat_maps;	/* for the control thread */
	_Atomic uint64_t nat_snapshots, nat_errors, nat_refused;
	char		*names;			/* owned: this batch's users */
	size_t		 names_cap;
	uint64_t	 file_with, file_without;	/* flows in this file */
	_Atomic uint64_t with, without;		/* since start (read by
						   the control thread) */
};

/* Anything to do?  (RADIUS, session files or --inside configured) */
bool	sessions_wanted(const struct sessions_conf *c);

/*
 * Open the sockets, read the secrets, load the snapshot and replay the
 * journal (before the daemon detaches, so refusals reach the terminal).
 * Returns NFE_OK or an error with a message in err.
 */
int	sessions_init(struct sessions *s, const struct sessions_conf *c,
	    char *err, size_t errlen);

/* Start the sessions thread.  NFE_OK or NFE_IO. */
int	sessions_start(struct sessions *s);

/*
 * The join at ingest (decode/write thread): NAT event records among the
 * n records (natEvent set) first become CGNAT mappings; then set the
 * user of each of the n records (flowkit-sessions(5), "JOINING FLOWS"), and count flows
 * with and without one.  A record whose exporter sent a user name
 * (userName, 371) keeps it when the store knows nobody.  The names are
 * copied out of the store: they stay valid until the next call, long
 * enough for the spool, which copies them into the file's block.
 */
void	sessions_join(struct sessions *s, struct flowrec *recs, size_t n);

/* The columns sessions_join() may set (the file writer's fcol_mask). */
#define SESSIONS_JOIN_COLS	FCOL_BIT(FCOL_USER)

/* Stop the thread, write the snapshot, free everything. */
void	sessions_fini(struct sessions *s);

/* One line for the rotation log, about the file just completed. */
void	sessions_rotation_line(struct sessions *s, char *buf, size_t len);

/* The "sessions" control command's text. */
void	sessions_print(struct sessions *s, FILE *out);

#endif /* COLLECTOR_SESSIONS_H */
