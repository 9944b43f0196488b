/*
 * collector/radrecv.h -- flowcapd's RADIUS accounting server
 * (--radius-acct, --radius-secret; flowcapd(8), flowkit-sessions(5)).
 *
 * Receives Accounting-Requests (RFC 2866) on UDP sockets, finds the
 * shared secret of the sending NAS (per NAS or one for all, from the
 * secret file), checks the Request Authenticator, recognises
 * retransmissions, hands each new valid request to the caller to apply
 * and record, and answers with an Accounting-Response only once the
 * caller says the round is recorded (RFC 2866 2: a server replies only
 * to what it recorded).  A retransmitted request gets the same answer
 * again and is not applied twice.  Bad requests are counted and logged
 * (rate-limited) and get no answer.
 *
 * Runs in flowcapd's sessions thread (collector/sessions.h).
 * Memory: the duplicate cache is RADRECV_DUP_SLOTS * 40 bytes, the
 * receive batch LISTEN_BATCH * 64 KiB.
 */
#ifndef COLLECTOR_RADRECV_H
#define COLLECTOR_RADRECV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "collector/listen.h"
#include "common/base/addr.h"
#include "common/enrich/radius.h"
#include "common/prog/log.h"

#define RADRECV_MAX_SOCKS	4		/* --radius-acct options */
#define RADRECV_MAX_SECRETS	4096		/* lines of the secret file */
#define RADRECV_DUP_SLOTS	65536		/* requests remembered */
#define RADRECV_DUP_MS		30000		/* for this long */
#define RADRECV_DEF_PORT	1813

struct radrecv_secret {
	struct nf_prefix pfx;			/* NAS address or prefix */
	uint8_t		 secret[RADIUS_MAX_SECRET];
	size_t		 len;
};

struct radrecv_counters {
	uint64_t	 requests;	/* datagrams received */
	uint64_t	 accepted;	/* valid, new, recorded and answered */
	uint64_t	 duplicates;	/* retransmissions answered again */
	uint64_t	 bad_auth;	/* wrong Request Authenticator */
	uint64_t	 unknown_nas;	/* no secret for the source */
	uint64_t	 malformed;	/* not a valid Accounting-Request */
	uint64_t	 not_recorded;	/* recording failed: not answered */
	uint64_t	 ignored;	/* valid, but a status that changes nothing */
};

struct radrecv_dup {
	struct nf_addr	 src;
	uint64_t	 seen_ms;	/* 0: empty */
	uint16_t	 sport;
	uint8_t		 id;
	uint8_t		 auth[RADIUS_AUTH_LEN];
};

struct radrecv {
	struct listener	 l[RADRECV_MAX_SOCKS];
	size_t		 nl;
	struct radrecv_secret *secrets;	/* owned; longest prefix first */
	size_t		 nsecrets;
	struct radrecv_dup *dup;	/* owned; RADRECV_DUP_SLOTS */
	struct listen_batch batch;
	struct radrecv_counters cnt;
	struct log_rl	 rl;
};

/*
 * Read the secret file: each line "SECRET" (every NAS not named on
 * another line) or "ADDRESS[/LEN] SECRET"; '#' starts a comment.
 * Returns NFE_OK or NFE_INVAL / NFE_IO with a message naming the file
 * and line in err.
 */
int	radrecv_secrets(struct radrecv *r, const char *path, char *err,
	    size_t errlen);

/*
 * Bind a socket to spec, "[ADDR:]PORT" or "[V6ADDR]:PORT" (port 0 picks
 * a free one; no address: both families).  Returns NFE_OK or an error
 * with a message in err.
 */
int	radrecv_open(struct radrecv *r, const char *spec, char *err,
	    size_t errlen);

/* Port of socket i (the one bound, also for port 0). */
uint16_t radrecv_port(const struct radrecv *r, size_t i);

/*
 * Called for each new valid request; returns NFE_OK once it is applied
 * and queued for recording (the caller's commit makes it durable).
 */
typedef int radrecv_apply_fn(void *arg, const struct radius_acct *a,
	    const struct nf_addr *src, uint64_t arrival_ms);
/* Makes the round durable; NFE_OK lets the answers go out. */
typedef int radrecv_commit_fn(void *arg);

/*
 * Wait up to timeout_ms for requests, then handle what every socket
 * holds.  Returns the number of requests received.
 */
size_t	radrecv_round(struct radrecv *r, int timeout_ms, radrecv_apply_fn *apply,
	    radrecv_commit_fn *commit, void *arg);

void	radrecv_close(struct radrecv *r);

#endif /* COLLECTOR_RADRECV_H */
