/*
 * sink/chrow.h -- the ClickHouse table flowkit writes (its columns,
 * CREATE TABLE and ALTER TABLE statements, INSERT column list) and the
 * RowBinary encoding of a batch into it (flowkit-sink(7), "ClickHouse").
 *
 * The core columns, which every table must have, are fixed-width
 * (CHROW_CORE_LEN bytes of a row):
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
 * Then one column per stored field of the catalogue
 * (common/base/fieldlist.h) that no core column holds, named by its
 * member (in_src_mac, mpls1, nat_src, in_vrf, min_ttl, user, src_geo,
 * src_as_org, received_ms, ...), typed by its kind: UInt8..UInt64 for
 * integers (MACs as UInt64 in the low 48 bits, MPLS entries as the
 * 24-bit label << 4 | EXP << 1 | S), ADDR for addresses, String for
 * names ("" when there is none).  A field added to the catalogue gets
 * its column here without a second list.
 *
 * ADDR is FixedString(16) holding the IPv4-mapped address on servers
 * without an IPv6 type (Debian's 18.16), IPv6 from 19.3 on: the same
 * 16 big-endian bytes in RowBinary either way.  Times are UTC.  The
 * table is a MergeTree partitioned by day (date, of the flow's start)
 * and ordered by (toStartOfFiveMinute(time_start), src_addr, dst_addr),
 * so time ranges and addresses within them are found by the primary
 * index.  flowkit_batch identifies the delivery each row came in, for
 * the deduplication check (sink/clickhouse.c).
 *
 * A table made by an older flowkit lacks some catalogue columns: the
 * sink adds them (ALTER TABLE ... ADD COLUMN) or, with create=0,
 * writes only the columns the table has (chrow_schema_write).
 */
#ifndef SINK_CHROW_H
#define SINK_CHROW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sink/sbuf.h"

#define CHROW_CORE_LEN	161	/* bytes of the core columns of a row */
#define CHROW_MAX_COLS	128	/* core + catalogue columns */

struct chrow_col {
	const char	*name;
	const char	*type;		/* type on every server; NULL: ADDR */
	uint8_t		 width;		/* RowBinary bytes; 0: String */
	bool		 addr;		/* ADDR: FixedString(16) or IPv6 */
	bool		 core;		/* every table must have it */
	int16_t		 fld;		/* catalogue entry (FLD_*) of a
					   catalogue column; -1: core */
	const char	*comment;
};

/* The columns and which of them an INSERT writes. */
struct chrow_schema {
	struct chrow_col cols[CHROW_MAX_COLS];	/* core first */
	size_t		 n;
	bool		 write[CHROW_MAX_COLS];	/* the table has it */
	uint16_t	 extra[CHROW_MAX_COLS];	/* catalogue columns written */
	size_t		 nextra;
	size_t		 row_max;	/* bytes of one row at most */
};

/* Every column (core, then the catalogue's), all of them written. */
void	chrow_schema_init(struct chrow_schema *sc);

/*
 * Write only the columns with have[i] (indices of sc->cols; core
 * columns are always written: the caller refuses a table without
 * them).
 */
void	chrow_schema_write(struct chrow_schema *sc, const bool *have);

/* Index of the column called name, or -1. */
int	chrow_col_index(const struct chrow_schema *sc, const char *name,
	    size_t len);

/*
 * The CREATE TABLE IF NOT EXISTS statement for db.table on a server
 * whose version is (major, minor) (0, 0: unknown, the 18.16 forms).
 * Returns NFE_OK or NFE_LIMIT (buf too small).
 */
int	chrow_create_sql(const struct chrow_schema *sc, const char *db,
	    const char *table, unsigned major, unsigned minor, char *buf,
	    size_t len);

/*
 * "ALTER TABLE db.table ADD COLUMN c T, ..." for the columns with
 * add[i].  Returns NFE_OK, NFE_LIMIT, or NFE_EOF if none is to add.
 */
int	chrow_alter_sql(const struct chrow_schema *sc, const bool *add,
	    const char *db, const char *table, unsigned major, unsigned minor,
	    char *buf, size_t len);

/*
 * "INSERT INTO db.table (col, ...) FORMAT RowBinary" with the columns
 * written.  Returns NFE_OK or NFE_LIMIT.
 */
int	chrow_insert_sql(const struct chrow_schema *sc, const char *db,
	    const char *table, char *buf, size_t len);

/* Day (days since 1970-01-01, UTC) of a record's partition. */
static inline uint32_t
chrow_day(const struct flowrec *r)
{
	return (uint32_t)(r->first_ms / 86400000U);
}

/*
 * Append the RowBinary rows of b->recs[from, from + n) to out, the
 * columns sc writes, each row with batch id b->id.  Returns NFE_OK,
 * NFE_NOMEM or NFE_LIMIT (out unchanged on error).
 */
int	chrow_encode(const struct chrow_schema *sc, const struct sink_batch *b,
	    size_t from, size_t n, struct sbuf *out);

#endif /* SINK_CHROW_H */
