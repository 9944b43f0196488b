/*
 * sink/chrow.h -- the ClickHouse table flowkit writes (its columns,
 * CREATE TABLE statement and INSERT column list) and the RowBinary
 * encoding of a batch into it (flowkit-sink(7), "ClickHouse").
 *
 * Every column is fixed-width, so a row is always CHROW_LEN bytes:
 *
 *   date Date, time_start DateTime, time_end DateTime,
 *   first_ms UInt64, last_ms UInt64, exporter ADDR, nf_version UInt8,
 *   domain UInt32, af UInt8, src_addr ADDR, dst_addr ADDR,
 *   next_hop ADDR, src_port UInt16, dst_port UInt16, proto UInt8,
 *   tcp_flags UInt8, tos UInt8, packets UInt64, bytes UInt64,
 *   flows UInt32, in_if UInt32, out_if UInt32, src_as UInt32,
 *   dst_as UInt32, src_mask UInt8, dst_mask UInt8, src_vlan UInt16,
 *   dst_vlan UInt16, direction UInt8, end_reason UInt8,
 *   sampling UInt32, engine_type UInt8, engine_id UInt8,
 *   flowkit_batch UInt64
 *
 * ADDR is FixedString(16) holding the IPv4-mapped address on servers
 * without an IPv6 type (Debian's 18.16), IPv6 from 19.3 on: the same
 * 16 big-endian bytes in RowBinary either way.  Times are UTC.  The
 * table is a MergeTree partitioned by day (date, of the flow's start)
 * and ordered by (toStartOfFiveMinute(time_start), src_addr, dst_addr),
 * so time ranges and addresses within them are found by the primary
 * index.  flowkit_batch identifies the delivery each row came in, for
 * the deduplication check (sink/clickhouse.c).
 */
#ifndef SINK_CHROW_H
#define SINK_CHROW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sink/sbuf.h"

#define CHROW_LEN	161	/* bytes of one RowBinary row */

struct chrow_col {
	const char	*name;
	const char	*type;		/* type on every server */
	uint8_t		 width;		/* RowBinary bytes */
	bool		 addr;		/* ADDR: FixedString(16) or IPv6 */
	const char	*comment;
};

/* The columns, in RowBinary order; *n gets their number. */
const struct chrow_col *chrow_columns(size_t *n);

/*
 * The CREATE TABLE IF NOT EXISTS statement for db.table on a server
 * whose version is (major, minor) (0, 0: unknown, the 18.16 forms).
 * Returns NFE_OK or NFE_LIMIT (buf too small).
 */
int	chrow_create_sql(const char *db, const char *table, unsigned major,
	    unsigned minor, char *buf, size_t len);

/*
 * "INSERT INTO db.table (col, ...) FORMAT RowBinary".  Returns NFE_OK
 * or NFE_LIMIT.
 */
int	chrow_insert_sql(const char *db, const char *table, char *buf,
	    size_t len);

/* Day (days since 1970-01-01, UTC) of a record's partition. */
static inline uint32_t
chrow_day(const struct flowrec *r)
{
	return (uint32_t)(r->first_ms / 86400000U);
}

/*
 * Append the RowBinary rows of b->recs[from, from + n) to out, each row
 * with batch id b->id.  Returns NFE_OK, NFE_NOMEM or NFE_LIMIT (out
 * unchanged on error).
 */
int	chrow_encode(const struct sink_batch *b, size_t from, size_t n,
	    struct sbuf *out);

#endif /* SINK_CHROW_H */
