/*
 * sink/chrow.c -- the ClickHouse table and its RowBinary rows
 * (sink/chrow.h).
 *
 * The column table drives the SQL (CREATE TABLE, the INSERT column
 * list); row() writes the same columns in the same order, and
 * t_sinkenc checks the two agree byte for byte.  RowBinary is
 * little-endian for integers, raw bytes for FixedString and IPv6
 * (network order), UInt16 days for Date and UInt32 seconds for
 * DateTime (ClickHouse's docs/en/interfaces/formats/RowBinary).
 */
#include "common/base/compat.h"

#include <stdio.h>
#include <string.h>

#include "common/base/nferr.h"
#include "sink/chrow.h"

static const struct chrow_col cols[] = {
	{ "date", "Date", 2, false, "day of the flow's start, UTC" },
	{ "time_start", "DateTime", 4, false, "first packet, UTC s" },
	{ "time_end", "DateTime", 4, false, "last packet, UTC s" },
	{ "first_ms", "UInt64", 8, false, "first packet, ms since 1970" },
	{ "last_ms", "UInt64", 8, false, "last packet, ms since 1970" },
	{ "exporter", NULL, 16, true, "exporter's address" },
	{ "nf_version", "UInt8", 1, false, "export protocol: 1 5 7 9 10" },
	{ "domain", "UInt32", 4, false, "source id / observation domain" },
	{ "af", "UInt8", 1, false, "4 or 6" },
	{ "src_addr", NULL, 16, true, "source address" },
	{ "dst_addr", NULL, 16, true, "destination address" },
	{ "next_hop", NULL, 16, true, "next hop; zero if unknown" },
	{ "src_port", "UInt16", 2, false, "" },
	{ "dst_port", "UInt16", 2, false, "ICMP: type * 256 + code" },
	{ "proto", "UInt8", 1, false, "IP protocol" },
	{ "tcp_flags", "UInt8", 1, false, "" },
	{ "tos", "UInt8", 1, false, "" },
	{ "packets", "UInt64", 8, false, "after sampling scale-up" },
	{ "bytes", "UInt64", 8, false, "after sampling scale-up" },
	{ "flows", "UInt32", 4, false, "records merged; 1 if raw" },
	{ "in_if", "UInt32", 4, false, "" },
	{ "out_if", "UInt32", 4, false, "" },
	{ "src_as", "UInt32", 4, false, "" },
	{ "dst_as", "UInt32", 4, false, "" },
	{ "src_mask", "UInt8", 1, false, "" },
	{ "dst_mask", "UInt8", 1, false, "" },
	{ "src_vlan", "UInt16", 2, false, "" },
	{ "dst_vlan", "UInt16", 2, false, "" },
	{ "direction", "UInt8", 1, false, "0 in, 1 out, 255 unknown" },
	{ "end_reason", "UInt8", 1, false, "IPFIX flowEndReason" },
	{ "sampling", "UInt32", 4, false, "1-in-N applied; 0/1 none" },
	{ "engine_type", "UInt8", 1, false, "" },
	{ "engine_id", "UInt8", 1, false, "" },
	{ "flowkit_batch", "UInt64", 8, false, "delivery this row came in" },
};

const struct chrow_col *
chrow_columns(size_t *n)
{
	*n = NF_NELEM(cols);
	return cols;
}

/* Append with snprintf; false once buf is full. */
static bool
cat(char *buf, size_t len, size_t *o, const char *s)
{
	int k = snprintf(buf + *o, len - *o, "%s", s);

	if (k < 0 || (size_t)k >= len - *o)
		return false;
	*o += (size_t)k;
	return true;
}

int
chrow_create_sql(const char *db, const char *table, unsigned major,
    unsigned minor, char *buf, size_t len)
{
	/* IPv6 arrived in 19.3 (ClickHouse changelog, PR 3669) */
	bool v6type = major > 19 || (major == 19 && minor >= 3);
	char head[512];
	size_t o = 0;
	bool ok;

	snprintf(head, sizeof(head), "CREATE TABLE IF NOT EXISTS %s.%s (",
	    db, table);
	ok = cat(buf, len, &o, head);
	for (size_t i = 0; i < NF_NELEM(cols) && ok; i++) {
		ok = cat(buf, len, &o, i > 0 ? ", " : "") &&
		    cat(buf, len, &o, cols[i].name) &&
		    cat(buf, len, &o, " ") &&
		    cat(buf, len, &o, !cols[i].addr ? cols[i].type :
		    v6type ? "IPv6" : "FixedString(16)");
	}
	ok = ok && cat(buf, len, &o, ") ENGINE = MergeTree PARTITION BY date "
	    "ORDER BY (toStartOfFiveMinute(time_start), src_addr, dst_addr)");
	return ok ? NFE_OK : NFE_LIMIT;
}

int
chrow_insert_sql(const char *db, const char *table, char *buf, size_t len)
{
	char head[512];
	size_t o = 0;
	bool ok;

	snprintf(head, sizeof(head), "INSERT INTO %s.%s (", db, table);
	ok = cat(buf, len, &o, head);
	for (size_t i = 0; i < NF_NELEM(cols) && ok; i++)
		ok = cat(buf, len, &o, i > 0 ? ", " : "") &&
		    cat(buf, len, &o, cols[i].name);
	ok = ok && cat(buf, len, &o, ") FORMAT RowBinary");
	return ok ? NFE_OK : NFE_LIMIT;
}

static uint32_t
clamp32(uint64_t v)
{
	return v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
}

/* One row, in the order of cols[]. */
static void
row(struct wbuf *w, const struct sink_batch *b, const struct flowrec *r)
{
	const struct ffile_exporter *x = sink_exporter(b, r);
	static const uint8_t zero[16];
	uint32_t day = chrow_day(r);

	wbuf_le16(w, day > UINT16_MAX ? UINT16_MAX : (uint16_t)day);
	wbuf_le32(w, clamp32(r->first_ms / 1000));
	wbuf_le32(w, clamp32(r->last_ms / 1000));
	wbuf_le64(w, r->first_ms);
	wbuf_le64(w, r->last_ms);
	wbuf_bytes(w, x != NULL ? x->addr.a : zero, 16);
	wbuf_u8(w, x != NULL ? (uint8_t)x->version : 0);
	wbuf_le32(w, x != NULL ? x->domain : 0);
	wbuf_u8(w, r->af);
	wbuf_bytes(w, r->src.a, 16);
	wbuf_bytes(w, r->dst.a, 16);
	wbuf_bytes(w, r->nexthop.a, 16);
	wbuf_le16(w, r->src_port);
	wbuf_le16(w, r->dst_port);
	wbuf_u8(w, r->proto);
	wbuf_u8(w, r->tcp_flags);
	wbuf_u8(w, r->tos);
	wbuf_le64(w, r->packets);
	wbuf_le64(w, r->bytes);
	wbuf_le32(w, r->flows);
	wbuf_le32(w, r->in_if);
	wbuf_le32(w, r->out_if);
	wbuf_le32(w, r->src_as);
	wbuf_le32(w, r->dst_as);
	wbuf_u8(w, r->src_mask);
	wbuf_u8(w, r->dst_mask);
	wbuf_le16(w, r->src_vlan);
	wbuf_le16(w, r->dst_vlan);
	wbuf_u8(w, r->direction);
	wbuf_u8(w, r->end_reason);
	wbuf_le32(w, r->sampling);
	wbuf_u8(w, r->engine_type);
	wbuf_u8(w, r->engine_id);
	wbuf_le64(w, b->id);
}

int
chrow_encode(const struct sink_batch *b, size_t from, size_t n,
    struct sbuf *out)
{
	struct wbuf w;
	int rc;

	if (n > SBUF_MAX / CHROW_LEN)
		return NFE_LIMIT;
	if ((rc = sbuf_reserve(out, n * CHROW_LEN)) != NFE_OK)
		return rc;
	sbuf_wbuf(out, &w);
	for (size_t i = from; i < from + n; i++)
		row(&w, b, &b->recs[i]);
	if (!wbuf_ok(&w) || wbuf_len(&w) != n * CHROW_LEN)
		return NFE_INTERNAL;	/* room was reserved: a bug */
	sbuf_commit(out, &w);
	return NFE_OK;
}
