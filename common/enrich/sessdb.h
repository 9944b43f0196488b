/*
 * common/enrich/sessdb.h -- the session store: who held an address or a
 * prefix, and when (flowkit-sessions(5)).
 *
 * A session says that user U held prefix P (IPv4 or IPv6, any length)
 * over [start, stop).  The store answers "who held address A during the
 * flow [first, last]": among the prefixes holding A that have a session
 * overlapping the flow, the longest prefix wins; within one prefix,
 * where sessions overlap the latest start wins at each instant, and the
 * flow goes to the session that held the address for the largest part
 * of it (a flow that starts before a session and ends after it still
 * goes to that session).
 *
 * Sessions come as events (sessdb_apply): Start, Interim-Update and
 * Stop of a RADIUS session (keyed by a session id, sessdb_sid()),
 * Accounting-On/Off of a NAS (closes its open sessions), and complete
 * sessions from CDR files.  An open session ends timeout after its last
 * Start or Interim-Update unless one arrives in time; sessdb_expire()
 * drops closed sessions older than keep.
 *
 * Layout: one open-addressing table of prefixes (24 bytes a slot, load
 * at most 1/2), each with a list of its sessions newest first (32 bytes
 * a session), a table of open sessions by id (32 bytes a slot, load at
 * most 1/2) and interned user names (strtab.h).  Worst-case memory:
 *   32 * max_sessions + 48 * max_prefixes + 64 * open sessions
 *   + max_user_bytes + 40 bytes per distinct user
 * With the defaults (16M sessions, 4M prefixes, 64 MiB of names) that is
 * at most about 850 MB; 1M subscribers with 10M sessions a day and 2M
 * prefixes use about 530 MB (bench/bench_sessions.sh measures it).
 * Reaching a limit returns NFE_LIMIT and counts; it never aborts.
 *
 * Not thread-safe: one store belongs to one thread.  No global state.
 */
#ifndef COMMON_ENRICH_SESSDB_H
#define COMMON_ENRICH_SESSDB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/base/addr.h"
#include "common/enrich/strtab.h"

#define SESSDB_MAX_PFX		4	/* prefixes of one session (v4, v6, delegated, ifid) */
#define SESSDB_DEF_MAX_SESSIONS	(16u << 20)
#define SESSDB_DEF_MAX_PREFIXES	(4u << 20)
#define SESSDB_DEF_MAX_USER_BYTES ((size_t)64 << 20)
#define SESSDB_DEF_MAX_NAS	4096
#define SESSDB_DEF_TIMEOUT_MS	(UINT64_C(86400) * 1000)	/* 1 day */
#define SESSDB_KEEP_ALL		UINT64_MAX
#define SESSDB_NIL		UINT32_MAX

struct sessdb_conf {
	size_t		 max_sessions;
	size_t		 max_prefixes;
	size_t		 max_user_bytes;
	uint32_t	 max_nas;	/* at most 65535 */
	uint64_t	 timeout_ms;	/* open session without news ends then */
	uint64_t	 keep_ms;	/* closed sessions kept so long after stop */
};

enum sessdb_kind {
	SESSDB_START = 1,
	SESSDB_INTERIM,
	SESSDB_STOP,
	SESSDB_NAS_ON,		/* Accounting-On: close the NAS's sessions */
	SESSDB_NAS_OFF,		/* Accounting-Off: likewise */
	SESSDB_SESSION,		/* a whole session [start_ms, stop_ms) */
};

struct sessdb_event {
	int		 kind;		/* enum sessdb_kind */
	uint64_t	 time_ms;	/* when it happened (not SESSION) */
	uint64_t	 start_ms;	/* SESSION; INTERIM/STOP: start if known, else 0 */
	uint64_t	 stop_ms;	/* SESSION only */
	uint64_t	 sid;		/* sessdb_sid(); 0: derived from NAS and prefix */
	struct nf_addr	 nas;		/* all zero: unknown */
	uint32_t	 timeout_s;	/* 0: the store's timeout */
	size_t		 npfx;
	struct nf_prefix pfx[SESSDB_MAX_PFX];
	const char	*user;		/* borrowed; NULL or user_len 0: no name */
	size_t		 user_len;
};

struct sessdb_stats {
	uint64_t	 starts, interims, stops, sessions;	/* events applied */
	uint64_t	 nas_closes;	/* sessions closed by Accounting-On/Off */
	uint64_t	 interim_new;	/* Interim-Update of an unknown session */
	uint64_t	 stop_unknown;	/* Stop of an unknown session, no start */
	uint64_t	 no_address;	/* events without any prefix */
	uint64_t	 timeouts;	/* open sessions ended by the timeout */
	uint64_t	 expired;	/* closed sessions dropped after keep */
	uint64_t	 limit_drops;	/* refused at a limit */
	uint64_t	 bad;		/* refused: bad times or names */
};

struct sessdb;			/* opaque */

/* Fill c with the defaults above (keep_ms: SESSDB_KEEP_ALL). */
void	sessdb_conf_default(struct sessdb_conf *c);

/* Returns NFE_OK or NFE_NOMEM (*out NULL).  conf is copied. */
int	sessdb_new(const struct sessdb_conf *conf, struct sessdb **out);
void	sessdb_free(struct sessdb *db);

/*
 * Session id of (NAS, Acct-Session-Id bytes): a 64-bit hash, never 0.
 */
uint64_t sessdb_sid(const struct nf_addr *nas, const void *id, size_t len);

/*
 * Apply one event.  Returns NFE_OK, NFE_INVAL (no prefix, a stop before
 * its start, a bad user name), NFE_LIMIT or NFE_NOMEM; every outcome is
 * also counted in the stats.
 */
int	sessdb_apply(struct sessdb *db, const struct sessdb_event *ev);

/*
 * The user who held a over the flow [first_ms, last_ms] (rules above):
 * a user id for sessdb_user(), or 0 if nobody did.
 */
uint32_t sessdb_lookup(const struct sessdb *db, const struct nf_addr *a,
	    uint64_t first_ms, uint64_t last_ms);

/* Start loading the memory sessdb_lookup(a) will read first. */
void	sessdb_prefetch(const struct sessdb *db, const struct nf_addr *a);

/*
 * sessdb_lookup() of n flows, user[i] for q[i], with the memory of later
 * flows loaded while earlier ones are answered (faster for many flows
 * of random addresses).  q[i].addr NULL gives 0.
 */
struct sessdb_q {
	const struct nf_addr *addr;	/* borrowed */
	uint64_t	 first_ms, last_ms;
};
void	sessdb_lookup_batch(const struct sessdb *db, const struct sessdb_q *q,
	    size_t n, uint32_t *user);

/* The name of a user id (valid until the next apply or expire). */
const char *sessdb_user(const struct sessdb *db, uint32_t id);

/*
 * End open sessions whose timeout passed before now_ms and drop closed
 * sessions that stopped more than keep_ms before it.
 */
void	sessdb_expire(struct sessdb *db, uint64_t now_ms);

/*
 * The same, a part at a time: the next slots slots of each table, from
 * where the last step stopped.  sessdb_slots() steps of one slot, or
 * fewer larger ones, make a whole sweep; a writer that holds a lock
 * against readers keeps each step short this way (a whole pass over
 * 1M subscribers' sessions takes about 1.5 s).
 */
void	sessdb_expire_step(struct sessdb *db, uint64_t now_ms, size_t slots);
size_t	sessdb_slots(const struct sessdb *db);

struct sessdb_info {
	size_t		 sessions, open, prefixes, users, nas;
	size_t		 mem_bytes;	/* heap held, estimated */
};
void	sessdb_info(const struct sessdb *db, struct sessdb_info *inf);
const struct sessdb_stats *sessdb_stats(const struct sessdb *db);

/*
 * Walking and restoring every session, for persistence (sessfile.c).
 * The walk calls fn once per prefix with its sessions oldest first;
 * open sessions come with their session id, NAS and timeout.
 */
struct sessdb_rec {
	uint64_t	 start_ms, stop_ms;	/* stop: planned end if open */
	const char	*user;			/* borrowed; NULL: none */
	bool		 open;
	uint64_t	 sid;			/* open only */
	struct nf_addr	 nas;			/* open only */
	uint32_t	 timeout_s;		/* open only */
};
typedef int sessdb_walk_fn(void *arg, const struct nf_prefix *p,
	    const struct sessdb_rec *recs, size_t n);
int	sessdb_walk(const struct sessdb *db, sessdb_walk_fn *fn, void *arg);

/*
 * Put one session back as the walk gave it (an open one joins the open
 * session of its id, or starts it).  Returns as sessdb_apply().
 */
int	sessdb_restore(struct sessdb *db, const struct nf_prefix *p,
	    const struct sessdb_rec *rec);

#endif /* COMMON_ENRICH_SESSDB_H */
