/*
 * sink/chrow.c -- the ClickHouse table and its RowBinary rows
 * (sink/chrow.h).
 *
 * The column table (the core columns, then one per stored catalogue
 * field no core column holds) drives the SQL (CREATE TABLE, ALTER
 * TABLE, the INSERT column list); row() writes the core columns and
 * extras() the catalogue's, in the same order, and t_sinkenc checks the
 * two agree byte for byte.  RowBinary is
 * little-endian for integers, raw bytes for FixedString and IPv6
 * (network order), UInt16 days for Date and UInt32 seconds for
 * DateTime (ClickHouse's docs/en/interfaces/formats/RowBinary).
 */
#include "common/base/compat.h"

#include <stdio.h>
#include <string.h>

#include "common/base/fields.h"
#include "common/base/nferr.h"
#include "sink/chrow.h"

/* The core columns: every table has them; row() writes them. */
static const struct chrow_col core[] = {
	{ "date", "Date", 2, false, true, -1, "day of the flow's start, UTC" },
	{ "time_start", "DateTime", 4, false, true, -1,
	    "first packet, UTC s" },
	{ "time_end", "DateTime", 4, false, true, -1, "last packet, UTC s" },
	{ "first_ms", "UInt64", 8, false, true, -1,
	    "first packet, ms since 1970" },
	{ "last_ms", "UInt64", 8, false, true, -1,
	    "last packet, ms since 1970" },
	{ "exporter", NULL, 16, true, true, -1, "exporter's address" },
	{ "nf_version", "UInt8", 1, false, true, -1,
	    "export protocol: 1 5 7 9 10" },
	{ "domain", "UInt32", 4, false, true, -1,
	    "source id / observation domain" },
	{ "af", "UInt8", 1, false, true, -1, "4 or 6" },
	{ "src_addr", NULL, 16, true, true, -1, "source address" },
	{ "dst_addr", NULL, 16, true, true, -1, "destination address" },
	{ "next_hop", NULL, 16, true, true, -1, "next hop; zero if unknown" },
	{ "src_port", "UInt16", 2, false, true, -1, "" },
	{ "dst_port", "UInt16", 2, false, true, -1,
	    "ICMP: type * 256 + code" },
	{ "proto", "UInt8", 1, false, true, -1, "IP protocol" },
	{ "tcp_flags", "UInt8", 1, false, true, -1, "" },
	{ "tos", "UInt8", 1, false, true, -1, "" },
	{ "packets", "UInt64", 8, false, true, -1, "after sampling scale-up" },
	{ "bytes", "UInt64", 8, false, true, -1, "after sampling scale-up" },
	{ "flows", "UInt32", 4, false, true, -1, "records merged; 1 if raw" },
	{ "in_if", "UInt32", 4, false, true, -1, "" },
	{ "out_if", "UInt32", 4, false, true, -1, "" },
	{ "src_as", "UInt32", 4, false, true, -1, "" },
	{ "dst_as", "UInt32", 4, false, true, -1, "" },
	{ "src_mask", "UInt8", 1, false, true, -1, "" },
	{ "dst_mask", "UInt8", 1, false, true, -1, "" },
	{ "src_vlan", "UInt16", 2, false, true, -1, "" },
	{ "dst_vlan", "UInt16", 2, false, true, -1, "" },
	{ "direction", "UInt8", 1, false, true, -1,
	    "0 in, 1 out, 255 unknown" },
	{ "end_reason", "UInt8", 1, false, true, -1, "IPFIX flowEndReason" },
	{ "sampling", "UInt32", 4, false, true, -1,
	    "1-in-N applied; 0/1 none" },
	{ "engine_type", "UInt8", 1, false, true, -1, "" },
	{ "engine_id", "UInt8", 1, false, true, -1, "" },
	{ "flowkit_batch", "UInt64", 8, false, true, -1,
	    "delivery this row came in" },
};

/* Catalogue entries the core columns already hold. */
static const unsigned in_core[] = {
	FLD_FIRST, FLD_LAST, FLD_EXPORTER, FLD_AF, FLD_SRC, FLD_DST,
	FLD_NEXTHOP, FLD_SRC_PORT, FLD_DST_PORT, FLD_PROTO, FLD_TCP_FLAGS,
	FLD_TOS, FLD_PACKETS, FLD_BYTES, FLD_FLOWS, FLD_IN_IF, FLD_OUT_IF,
	FLD_SRC_AS, FLD_DST_AS, FLD_SRC_MASK, FLD_DST_MASK, FLD_SRC_VLAN,
	FLD_DST_VLAN, FLD_DIRECTION, FLD_END_REASON, FLD_SAMPLING,
	FLD_ENGINE_TYPE, FLD_ENGINE_ID,
};

/* RowBinary bytes of a String of up to FLOWREC_STR_MAX bytes */
#define CHROW_STR_MAX	(2 + FLOWREC_STR_MAX)

static bool
held_by_core(unsigned f)
{
	for (size_t i = 0; i < NF_NELEM(in_core); i++)
		if (in_core[i] == f)
			return true;
	return false;
}

void
chrow_schema_init(struct chrow_schema *sc)
{
	static const char *const types[] = {
		[FT_U8] = "UInt8", [FT_U16] = "UInt16", [FT_U32] = "UInt32",
		[FT_U64] = "UInt64", [FT_ADDR] = NULL, [FT_STR] = "String",
	};
	static const uint8_t widths[] = {
		[FT_U8] = 1, [FT_U16] = 2, [FT_U32] = 4, [FT_U64] = 8,
		[FT_ADDR] = 16, [FT_STR] = 0,
	};

	memset(sc, 0, sizeof(*sc));
	for (size_t i = 0; i < NF_NELEM(core); i++)
		sc->cols[sc->n++] = core[i];
	for (unsigned f = 0; f < FLD_N && sc->n < CHROW_MAX_COLS; f++) {
		const struct fld_desc *d = fld(f);
		struct chrow_col *c;

		if (fld_is_computed(d) || held_by_core(f))
			continue;
		c = &sc->cols[sc->n++];
		c->name = d->name;
		c->type = types[d->type];
		c->width = widths[d->type];
		c->addr = d->type == FT_ADDR;
		c->core = false;
		c->fld = (int16_t)f;
		c->comment = d->doc;
	}
	chrow_schema_write(sc, NULL);
}

void
chrow_schema_write(struct chrow_schema *sc, const bool *have)
{
	sc->nextra = 0;
	sc->row_max = CHROW_CORE_LEN;
	for (size_t i = 0; i < sc->n; i++) {
		sc->write[i] = sc->cols[i].core || have == NULL || have[i];
		if (!sc->write[i] || sc->cols[i].core)
			continue;
		sc->extra[sc->nextra++] = (uint16_t)i;
		sc->row_max += sc->cols[i].width > 0 ? sc->cols[i].width :
		    CHROW_STR_MAX;
	}
}

int
chrow_col_index(const struct chrow_schema *sc, const char *name, size_t len)
{
	for (size_t i = 0; i < sc->n; i++)
		if (strlen(sc->cols[i].name) == len &&
		    memcmp(sc->cols[i].name, name, len) == 0)
			return (int)i;
	return -1;
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

/* "name Type" of column i for a server of version major.minor */
static bool
coldef(const struct chrow_schema *sc, size_t i, unsigned major,
    unsigned minor, char *buf, size_t len, size_t *o)
{
	/* IPv6 arrived in 19.3 (ClickHouse changelog, PR 3669) */
	bool v6type = major > 19 || (major == 19 && minor >= 3);
	const struct chrow_col *c = &sc->cols[i];

	return cat(buf, len, o, c->name) && cat(buf, len, o, " ") &&
	    cat(buf, len, o, !c->addr ? c->type : v6type ? "IPv6" :
	    "FixedString(16)");
}

int
chrow_create_sql(const struct chrow_schema *sc, const char *db,
    const char *table, unsigned major, unsigned minor, char *buf, size_t len)
{
	char head[512];
	size_t o = 0;
	bool ok;

	snprintf(head, sizeof(head), "CREATE TABLE IF NOT EXISTS %s.%s (",
	    db, table);
	ok = cat(buf, len, &o, head);
	for (size_t i = 0; i < sc->n && ok; i++)
		ok = cat(buf, len, &o, i > 0 ? ", " : "") &&
		    coldef(sc, i, major, minor, buf, len, &o);
	ok = ok && cat(buf, len, &o, ") ENGINE = MergeTree PARTITION BY date "
	    "ORDER BY (toStartOfFiveMinute(time_start), src_addr, dst_addr)");
	return ok ? NFE_OK : NFE_LIMIT;
}

int
chrow_alter_sql(const struct chrow_schema *sc, const bool *add,
    const char *db, const char *table, unsigned major, unsigned minor,
    char *buf, size_t len)
{
	char head[512];
	size_t o = 0, k = 0;
	bool ok;

	snprintf(head, sizeof(head), "ALTER TABLE %s.%s ", db, table);
	ok = cat(buf, len, &o, head);
	for (size_t i = 0; i < sc->n && ok; i++) {
		if (!add[i])
			continue;
		ok = cat(buf, len, &o, k++ > 0 ? ", ADD COLUMN " :
		    "ADD COLUMN ") && coldef(sc, i, major, minor, buf, len, &o);
	}
	if (!ok)
		return NFE_LIMIT;
	return k > 0 ? NFE_OK : NFE_EOF;
}

int
chrow_insert_sql(const struct chrow_schema *sc, const char *db,
    const char *table, char *buf, size_t len)
{
	char head[512];
	size_t o = 0, k = 0;
	bool ok;

	snprintf(head, sizeof(head), "INSERT INTO %s.%s (", db, table);
	ok = cat(buf, len, &o, head);
	/* the core columns first, in row() order, then the written rest */
	for (size_t i = 0; i < sc->n && ok; i++)
		if (sc->cols[i].core)
			ok = cat(buf, len, &o, k++ > 0 ? ", " : "") &&
			    cat(buf, len, &o, sc->cols[i].name);
	for (size_t i = 0; i < sc->nextra && ok; i++)
		ok = cat(buf, len, &o, ", ") &&
		    cat(buf, len, &o, sc->cols[sc->extra[i]].name);
	ok = ok && cat(buf, len, &o, ") FORMAT RowBinary");
	return ok ? NFE_OK : NFE_LIMIT;
}

static uint32_t
clamp32(uint64_t v)
{
	return v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
}

/* The core columns of one row, in the order of core[]. */
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

/* The catalogue columns sc writes, from each entry's member. */
static void
extras(struct wbuf *w, const struct chrow_schema *sc, const struct flowrec *r)
{
	for (size_t i = 0; i < sc->nextra; i++) {
		const struct fld_desc *d = fld((unsigned)
		    sc->cols[sc->extra[i]].fld);
		const struct nf_str *v;

		switch (d->type) {
		case FT_U8:
			wbuf_u8(w, (uint8_t)fld_get_u64(d, r));
			break;
		case FT_U16:
			wbuf_le16(w, (uint16_t)fld_get_u64(d, r));
			break;
		case FT_U32:
			wbuf_le32(w, (uint32_t)fld_get_u64(d, r));
			break;
		case FT_U64:
			wbuf_le64(w, fld_get_u64(d, r));
			break;
		case FT_ADDR:
			wbuf_bytes(w, fld_get_addr(d, r)->a, 16);
			break;
		case FT_STR:
			/* String: LEB128 length, then the bytes */
			v = fld_get_str(d, r);
			if (v->len >= 0x80) {
				wbuf_u8(w, (uint8_t)(v->len | 0x80));
				wbuf_u8(w, (uint8_t)(v->len >> 7));
			} else {
				wbuf_u8(w, (uint8_t)v->len);
			}
			if (v->len > 0)
				wbuf_bytes(w, v->p, v->len);
			break;
		default:
			break;
		}
	}
}

int
chrow_encode(const struct chrow_schema *sc, const struct sink_batch *b,
    size_t from, size_t n, struct sbuf *out)
{
	struct wbuf w;
	int rc;

	if (n > SBUF_MAX / sc->row_max)
		return NFE_LIMIT;
	if ((rc = sbuf_reserve(out, n * sc->row_max)) != NFE_OK)
		return rc;
	sbuf_wbuf(out, &w);
	for (size_t i = from; i < from + n; i++) {
		row(&w, b, &b->recs[i]);
		extras(&w, sc, &b->recs[i]);
	}
	if (!wbuf_ok(&w))
		return NFE_INTERNAL;	/* room was reserved: a bug */
	sbuf_commit(out, &w);
	return NFE_OK;
}
