/*
 * query/qsink.h -- flowq --sink URL: deliver the flows a query selects
 * (files, -t window, filter, -c) once to ClickHouse, Kafka or an HTTP
 * endpoint (flowkit-sink(7)).  That is how last month goes into
 * ClickHouse, or a time window is replayed into Kafka.
 *
 * It is a stage of the query (query/stage.h) that cannot be cloned, so
 * records come from the scan in file order on one thread and are sent in batches of the URL's batch= rows (cut at
 * day boundaries for ClickHouse).  A batch that fails is sent again
 * with backoff (200 ms doubling to 30 s) for up to QSINK_GIVE_UP_MS;
 * a lost answer is resolved for ClickHouse by counting the batch id, as
 * flowcapd does, so a backfill inserts every flow exactly once.  A
 * refused batch (4xx, a table with other columns) or one that still
 * fails after that time ends the run: flowq says how many flows were
 * delivered, and exits 1.
 *
 * Program code: logs to stderr, allocation failure is fatal.
 */
#ifndef QUERY_QSINK_H
#define QUERY_QSINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "query/stage.h"

#define QSINK_GIVE_UP_MS	300000	/* a batch that fails this long */

struct qsink;

/*
 * Parse url and set up the sink (library, secrets).  Returns NFE_OK or
 * an error with a message in err (NFE_INVAL: the URL, NFE_UNSUPP: this
 * build lacks the library; flowq exits 255 on both).
 */
int	qsink_open(const char *url, struct qsink **out, char *err,
	    size_t errlen);

/*
 * q as a stage (owned by it from now on: stage_free() frees q).  add()
 * puts each record in the batch (its exporter index mapped into the
 * merged table of every file, row->wx) and delivers a full batch; when
 * delivery gives up it says why on stderr and sets the stage's stop.
 * end() delivers what is left, prints the summary line on stderr and
 * returns NFE_OK, or NFE_IO if not everything was delivered (exit 1).
 */
struct stage	*qsink_stage(struct qsink *q);

#endif /* QUERY_QSINK_H */
