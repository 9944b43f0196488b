/*
 * sink/sink.h -- one destination of flows: ClickHouse, Kafka or an HTTP
 * endpoint, behind one small interface that flowcapd's live sinks
 * (collector/sinkrun.c) and flowq's backfill (query/qsink.c) both
 * drive (flowkit-sink(7)).
 *
 *   sink_open      check the build has the library, read secrets, set
 *                  up the client; no network
 *   sink_prepare   reach the destination (ClickHouse: server version,
 *                  CREATE TABLE); may fail, try again later
 *   sink_deliver   send one batch; the answer says whether it landed
 *   sink_landed    after an answer of "unknown": how many rows of that
 *                  batch the destination already holds (ClickHouse)
 *
 * What is guaranteed (the caller keeps its cursor and retries):
 *   ClickHouse  one INSERT per batch, all rows in one partition (the
 *               caller splits batches at day boundaries) and fewer
 *               than max_insert_block_size, so it lands whole or not
 *               at all; each row carries the batch id (flowkit_batch),
 *               and after a lost answer the count of that id says
 *               which: exactly once, on every server version (18.16
 *               has no insert_deduplication_token).
 *   Kafka       one message per flow; a batch is delivered when every
 *               message's delivery report is a success; only failed
 *               messages are produced again (idempotent producer with
 *               acks=all: no duplicates within a session); after a
 *               timeout or a restart at most that batch is repeated.
 *   HTTP        one POST per batch; 2xx is delivered; at least once,
 *               at most that batch repeated.
 *
 * A sink belongs to one thread.  No logging: every failure comes back
 * with a message in err, anything else worth a log line through
 * sink_take_notice.
 */
#ifndef SINK_SINK_H
#define SINK_SINK_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sink/sbuf.h"
#include "sink/sinkurl.h"

struct sink;

/* sink_deliver results */
enum sink_result {
	SINK_DELIVERED,		/* every record landed */
	SINK_RETRY,		/* nothing (or, Kafka, not all) landed:
				   send again later */
	SINK_UNKNOWN,		/* the answer was lost after the whole
				   batch went out: ask sink_landed */
	SINK_REFUSED,		/* the destination refuses this batch (4xx,
				   bad table): sending it again unchanged
				   fails the same way */
};

/*
 * Set up a sink for u (borrowed; copied).  cancel (borrowed, may be
 * NULL) cuts short a request or a wait when set.  Returns NFE_OK,
 * NFE_UNSUPP (this build lacks the library the sink needs: err names
 * it), NFE_INVAL (a secret cannot be read: err names the variable or
 * file) or NFE_NOMEM.
 */
int	sink_open(const struct sinkurl *u, const atomic_bool *cancel,
	    struct sink **out, char *err, size_t errlen);

/*
 * Reach the destination and make it ready.  Returns NFE_OK, NFE_IO
 * (unreachable, or an answer that says it cannot work yet; err says)
 * or NFE_FORMAT (it can never work as configured: a table with other
 * columns; err says).
 */
int	sink_prepare(struct sink *s, char *err, size_t errlen);

/* Deliver b; returns an enum sink_result, with err set unless
 * SINK_DELIVERED. */
int	sink_deliver(struct sink *s, const struct sink_batch *b, char *err,
	    size_t errlen);

/*
 * How many rows of batch b (same id and records as a delivery whose
 * answer was lost) the destination holds: 0 (send it again) or b->n
 * (it landed).  Returns NFE_OK with *rows, NFE_UNSUPP (this kind of
 * sink cannot tell: send again) or NFE_IO (ask again later).
 */
int	sink_landed(struct sink *s, const struct sink_batch *b, uint64_t *rows,
	    char *err, size_t errlen);

/*
 * Seconds the destination asked to wait before the next attempt
 * (HTTP Retry-After of the last answer), or 0.
 */
unsigned sink_retry_after(const struct sink *s);

/* The URL the sink was opened with. */
const struct sinkurl *sink_url(const struct sink *s);

/* True if every batch must stay within one day (ClickHouse partition). */
bool	sink_split_days(const struct sink *s);

/* Bytes of the last batch as sent (after compression). */
uint64_t sink_last_bytes(const struct sink *s);

/*
 * What the last sink_prepare changed or left out that the operator
 * should know (ClickHouse: columns added to an older table, or not
 * written); copied into buf and cleared.  False if there is nothing.
 */
bool	sink_take_notice(struct sink *s, char *buf, size_t len);

/* NULL is a no-op. */
void	sink_close(struct sink *s);

#endif /* SINK_SINK_H */
