/*
 * collector/exporter.h -- flowcapd's per-exporter state: counters,
 * sequence tracking, the sampling rate announced, a log rate limiter,
 * and data sets held until their template (or the rate of the sampler
 * their records name) arrives.
 *
 * An exporter is keyed by (source address, protocol version, domain),
 * as nfcapd keys its exporter records (IP, version, ID): domain is the
 * v9 source id, the IPFIX observation domain, or engine_type << 8 |
 * engine_id for v5, as the codec table's peek reads them from the
 * header (common/codec/codec.h: nothing here parses a datagram).  An
 * sFlow agent is keyed by the agent address inside its datagrams and
 * its sub-agent id.  The
 * source port is recorded but is not part of the key, so an exporter
 * restarting on a new ephemeral port stays the same exporter (and its
 * sequence reset is counted).  Templates are kept by common/codec/tmpl
 * under the same address and domain.
 *
 * Limits: at most max exporters (EXPORTER_MAX by default); the next
 * new one is refused and counted.  Held data: at most held_max_bytes
 * and HELD_MAX_SETS sets per exporter, each kept at most held_max_ms.
 * A set waiting for a sampler's rate is never dropped: it is decoded
 * without a rate when it expires (or is not held when there is no
 * room), and making room for a set without template never evicts it.
 * Worst-case memory: max * (sizeof(struct exporter) + held_max_bytes).
 */
#ifndef COLLECTOR_EXPORTER_H
#define COLLECTOR_EXPORTER_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/base/addr.h"
#include "common/codec/nfdecode.h"
#include "common/codec/seq.h"
#include "common/ffile/ffile.h"
#include "common/prog/log.h"

#define EXPORTER_MAX		4096	/* default bound (--max-exporters) */
#define EXPORTER_MAX_LIMIT	65536	/* a file's exporter table holds no
					   more (flowrec.exporter is 16 bits) */
#define HELD_MAX_BYTES		(256 * 1024)
#define HELD_MAX_SETS		512
#define HELD_MAX_MS		10000

struct exp_counters {
	uint64_t	datagrams;	/* accepted for decoding */
	uint64_t	records;	/* flow records decoded and stored */
	uint64_t	bad_datagrams;	/* malformed, rejected by the decoder */
	uint64_t	bad_sets;	/* malformed sets skipped */
	uint64_t	no_template;	/* data sets that came before a template */
	uint64_t	held_decoded;	/* of those, decoded later */
	uint64_t	held_dropped;	/* of those, expired or over the limit */
	uint64_t	seq_lost;	/* units missing by the protocol's rule */
	uint64_t	seq_gaps;	/* datagrams that followed a gap */
	uint64_t	seq_resets;	/* datagrams that went backwards */
	uint64_t	templates;	/* template records learned */
	uint64_t	rate_held;	/* data sets held for a sampler's rate */
	uint64_t	rate_expired;	/* of those, stored without a rate */
	uint64_t	samp_bad;	/* sampling announcements that made no
					   sense (no rate taken) */
	uint64_t	counter_samples; /* sFlow counter samples: counted,
					   not stored (flowcapd(8), "sFlow") */
	uint64_t	no_ip_samples;	/* sFlow flow samples without an IP
					   packet (ARP, say): no record */
};

struct held_set {
	struct held_set	*next;		/* owned by the exporter's list */
	uint64_t	 arrival_ms;	/* monotonic */
	uint64_t	 export_ms;
	uint32_t	 sys_uptime_ms;
	uint32_t	 domain;
	uint16_t	 version;
	uint16_t	 template_id;
	bool		 rate_wait;	/* template known; waits for the rate
					   of a sampler its records name */
	bool		 no_tmpl;	/* came before its template: counted
					   in held_decoded / held_dropped */
	size_t		 len;
	uint8_t		 data[];
};

/*
 * One exporter.  Three owners, one per part, so that flowcapd's
 * threads never write the same memory (collector/worker.h):
 *  - identity: set when it is created, read-only afterwards;
 *  - the owner's: the worker that decodes its datagrams counts in pend
 *    (since it last handed the counts to the writer) and total, tracks
 *    the sequence, keeps held sets and the announced rate;
 *  - shown: the writer's copy, built from what the owner hands over
 *    with its flows (exporter_take, exporter_show): what a file's
 *    exporter table, the rotation log and the statistics say.
 * A program with one thread does both sides.
 */
struct exp_shown {
	struct exp_counters cur;	/* since the current file began */
	struct exp_counters total;	/* since start */
	uint32_t	 sampling;	/* last rate announced, 0 none */
	uint16_t	 port;		/* last source port seen */
	bool		 known;		/* the writer has listed it */
};

/* What an owner hands to the writer: counts since the last handing. */
struct exp_delta {
	struct exp_counters n;
	uint32_t	 sampling;
	uint16_t	 port;
};

struct exporter {
	/* identity */
	uint32_t	 id;		/* 0, 1, ...: order of arrival in the
					   collector, for tables indexed by
					   exporter */
	struct nf_addr	 addr;
	uint16_t	 version;
	uint32_t	 domain;
	char		 name[ADDR_STRLEN + 24]; /* "addr v9/domain" */
	/* the owner's */
	uint16_t	 port;		/* last source port seen */
	struct nf_seq	 seq;
	uint32_t	 sampling;	/* last rate announced, 0 none */
	struct exp_counters pend;	/* not yet handed to the writer */
	struct exp_counters total;	/* since start, for the owner's logs */
	struct log_rl	 rl;		/* per-datagram warnings */
	struct held_set	*held;		/* owned, oldest first */
	struct held_set	*held_last;	/* borrowed: tail of held */
	size_t		 held_bytes;
	size_t		 held_n;
	struct exporter	*hnext;		/* borrowed: hash chain */
	/* the writer's, on a cache line of its own */
	_Alignas(64) struct exp_shown shown;
};

/*
 * Exporter ids and the --max-exporters bound, shared by the tables of
 * all workers (each worker has its own table of the exporters it
 * owns).
 */
struct exporter_ids {
	_Atomic uint32_t next;		/* exporters created */
	size_t		 max;
};

struct exporter_table {
	struct exporter	**bucket;	/* owned array; chains borrowed */
	size_t		  nbucket;
	struct exporter	**all;		/* owned: every exporter, by arrival */
	size_t		  n;
	size_t		  max;
	struct exporter_ids *ids;	/* borrowed: shared ids and bound,
					   or own_ids */
	struct exporter_ids own_ids;
	uint64_t	  refused;	/* new exporters refused at max */
	size_t		  held_max_bytes;
	uint64_t	  held_max_ms;
	uint32_t	  seed;		/* keyed hash against crafted floods */
};

/*
 * max 0 means EXPORTER_MAX.  ids: shared with other tables (borrowed;
 * its max is then the bound of all of them together, and must be set),
 * or NULL for a table of its own.  Returns NFE_OK or NFE_NOMEM.
 */
int	exporter_table_init(struct exporter_table *t, size_t max,
	    struct exporter_ids *ids);

/* Ids and bound for tables that share them; max 0 means EXPORTER_MAX. */
void	exporter_ids_init(struct exporter_ids *ids, size_t max);
void	exporter_table_fini(struct exporter_table *t);

/* Find the exporter, or NULL if it is not known (never creates one). */
struct exporter *exporter_find(struct exporter_table *t,
	    const struct nf_addr *addr, uint16_t version, uint32_t domain);

/*
 * Find or create the exporter.  Returns NULL (and counts t->refused)
 * when the bound is reached (by all tables sharing the ids), or on
 * allocation failure.  The pointer stays
 * valid until exporter_table_fini.
 */
struct exporter *exporter_get(struct exporter_table *t,
	    const struct nf_addr *addr, uint16_t port, uint16_t version,
	    uint32_t domain);

/*
 * Account one decoded datagram: rc is nf_decode's result, info its
 * facts.  Updates counters and the sequence tracker (only for a
 * datagram decoded without error).  Returns the sequence result.
 */
enum seq_result exporter_account(struct exporter *e, int rc,
	    const struct nf_dgram_info *info, uint32_t *missing);

/*
 * Keep a copy of a data set whose template is unknown (rate_wait
 * false): the oldest such sets are dropped (and counted) to stay within
 * the limits.  Or of a data set waiting for a sampler's rate (rate_wait
 * true, counted in rate_held): nothing is evicted for it.  Returns
 * NFE_OK; NFE_LIMIT if the set does not fit (a set without template is
 * then counted as dropped; a rate-waiting one is the caller's to decode
 * now); or NFE_NOMEM.
 */
int	exporter_hold(struct exporter_table *t, struct exporter *e,
	    uint16_t version, uint32_t domain, uint16_t template_id,
	    const uint8_t *set, size_t len, uint64_t export_ms,
	    uint32_t sys_uptime_ms, uint64_t now_ms, bool rate_wait);

/*
 * Called with each held set.  By exporter_held_retry: returns
 * NFE_NOTMPL to keep the set (template or rate still missing; fn sets
 * h->rate_wait when it is the rate); any other value removes it (NFE_OK
 * counts a set that came before its template as decoded; an error
 * counts any set as dropped).  By exporter_held_expire: the last chance, same meaning,
 * but the set goes in any case.
 */
typedef int exporter_held_fn(void *arg, struct exporter *e,
	    struct held_set *h);

/*
 * Sets older than the table's limit (now_ms UINT64_MAX: all of them)
 * are offered to fn (may be NULL) one last time and removed: decoded
 * (rate-waiting sets: counted in rate_expired) or dropped.  Returns
 * how many were removed.
 */
size_t	exporter_held_expire(struct exporter_table *t, struct exporter *e,
	    uint64_t now_ms, exporter_held_fn *fn, void *arg);

/* Offer every held set to fn, oldest first.  Returns how many decoded. */
size_t	exporter_held_retry(struct exporter *e, exporter_held_fn *fn,
	    void *arg);

/*
 * Owner: what it counted since the last call, with the rate and port
 * now, into *d; pend starts again from zero.  Returns false (and
 * leaves *d zero but for rate and port) if nothing was counted.
 */
bool	exporter_take(struct exporter *e, struct exp_delta *d);

/* Writer: add what the owner handed over to the shown counters. */
void	exporter_show(struct exporter *e, const struct exp_delta *d);

/* Writer: a new file begins: clear the shown per-file (cur) counters. */
void	exporter_rotate(struct exporter *e);

/*
 * Writer: the exporter's entry in a file's exporter table: identity,
 * sampling and the shown per-file counters under their file names
 * (flowkit-file(5)).
 */
void	exporter_file_entry(const struct exporter *e,
	    struct ffile_exporter *x);

#endif /* COLLECTOR_EXPORTER_H */
