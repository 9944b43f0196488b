/*
 * probe/exportq.h -- flowprobe's export thread: finished flow records
 * go through a bounded queue to one thread that encodes and sends them
 * (probe/export.h), so the packet path never waits on the encoder, on
 * send(2) or on -Q pacing, and on two cores export runs beside metering.
 *
 * Everything the program asks of the exporter goes through the queue,
 * in order: start (boot time and first templates), record batches,
 * ticks (the timed template refresh) and forced templates.  Records
 * go in either copied (exportq_flows) or, without a copy, in buffers
 * the queue owns: the caller fills one (exportq_buffer) and hands it
 * over (exportq_handover), getting an empty one back, so the meter
 * writes each record once, where the export thread reads it.  The queue holds
 * EXPORTQ_SLOTS batches; a full queue makes the producer wait, so no
 * record is ever dropped, and a live capture that outruns its exporter
 * loses packets in the kernel buffer, where libpcap counts them, as it
 * did when export ran in the capture loop.
 *
 * The exporter (borrowed) belongs to the thread between exportq_new()
 * and exportq_free(); the caller may read its statistics or state only
 * after exportq_sync(), which returns once everything queued has been
 * done and the thread is idle, until the next call that queues work.
 *
 * Memory: (EXPORTQ_SLOTS + 1) * EXPORTQ_BATCH flow records (about 276 KB
 * with 216-byte records): one buffer per slot and one being filled.
 */
#ifndef PROBE_EXPORTQ_H
#define PROBE_EXPORTQ_H

#include <stddef.h>
#include <stdint.h>

#include "common/base/flowrec.h"
#include "probe/export.h"

#define EXPORTQ_SLOTS	4
#define EXPORTQ_BATCH	256	/* records per slot, at most */

struct exportq;			/* opaque */

/*
 * Start the thread for ex (borrowed; must outlive the queue).  Returns
 * NFE_OK, NFE_NOMEM or NFE_IO (no thread: errno is set).
 */
int	exportq_new(struct export *ex, struct exportq **out);

/* Finish everything queued, stop the thread, free the queue. */
void	exportq_free(struct exportq *q);

/* export_start(ex, boot_ms, now_ms), in order with the rest. */
void	exportq_start(struct exportq *q, uint64_t boot_ms, uint64_t now_ms);

/*
 * export_flows(ex, now_ms, recs, n) for recs[0..n) (borrowed for the
 * call only; copied), in slices of at most EXPORTQ_BATCH.
 */
void	exportq_flows(struct exportq *q, uint64_t now_ms,
	    const struct flowrec *recs, size_t n);

/*
 * An empty buffer of EXPORTQ_BATCH records, owned by the queue, for the
 * caller to fill and hand over; one at a time (the caller holds at most
 * one), valid until handed over or exportq_free().  NULL if the caller
 * already holds one.
 */
struct flowrec *exportq_buffer(struct exportq *q);

/*
 * export_flows(ex, now_ms, recs, n) for the buffer recs from
 * exportq_buffer() or the last handover, holding n (1..EXPORTQ_BATCH)
 * records, which the queue takes back; returns the next empty buffer.
 */
struct flowrec *exportq_handover(struct exportq *q, uint64_t now_ms,
	    struct flowrec *recs, size_t n);

/* export_tick(ex, now_ms), in order with the rest. */
void	exportq_tick(struct exportq *q, uint64_t now_ms);

/* export_force_templates(ex), in order with the rest. */
void	exportq_force_templates(struct exportq *q);

/* Wait until everything queued has been done. */
void	exportq_sync(struct exportq *q);

#endif /* PROBE_EXPORTQ_H */
