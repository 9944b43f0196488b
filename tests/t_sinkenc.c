/*
 * tests/t_sinkenc.c -- the sinks' encoders: ClickHouse RowBinary (a
 * golden row written out by hand, the column table and the row writer
 * in agreement, the CREATE TABLE for 18.16 and for servers with an
 * IPv6 type, the INSERT column list), NDJSON (a golden line, ICMP and
 * IPv6 rules, and byte for byte what flowq -o ndjson writes for records
 * with every catalogue field random, set or at its default), goflow2's protobuf framing (the varint prefix matches
 * the length that follows; tests/sink_kafka.sh decodes the messages with
 * python3-protobuf), gzip bodies (inflated again by zlib), and secrets
 * from the environment and from files.
 */
#include "common/base/compat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <zlib.h>

#include "common/base/fields.h"
#include "common/base/nferr.h"
#include "query/obuf.h"
#include "query/output.h"
#include "sink/chrow.h"
#include "sink/httpc.h"
#include "sink/ndjson.h"
#include "sink/pbenc.h"
#ifdef HAVE_PROTOBUF_C
#include "sink/flow.pb-c.h"
#endif
#include "sink/secret.h"
#include "tap.h"

static struct flowrec rec;
static struct ffile_exporter xp;
static struct sink_batch batch;

static void
setup(void)
{
	flowrec_init(&rec);
	rec.first_ms = UINT64_C(1714557600123);	/* 2024-05-01 10:00:00.123 */
	rec.last_ms = UINT64_C(1714557605500);
	rec.packets = 10;
	rec.bytes = 15000;
	addr_from_v4(&rec.src, 0x0a000001);
	addr_from_v4(&rec.dst, 0xc000020a);
	addr_from_v4(&rec.nexthop, 0x0a0000fe);
	rec.in_if = 3;
	rec.out_if = 7;
	rec.src_as = 64500;
	rec.dst_as = 65000;
	rec.src_port = 1234;
	rec.dst_port = 80;
	rec.proto = 6;
	rec.tcp_flags = 0x1b;
	rec.tos = 4;
	rec.src_mask = 24;
	rec.dst_mask = 16;
	rec.src_vlan = 10;
	rec.dst_vlan = 20;
	rec.direction = 0;
	rec.end_reason = 2;
	rec.sampling = 0;
	rec.engine_type = 1;
	rec.engine_id = 2;
	rec.exporter = 0;
	memset(&xp, 0, sizeof(xp));
	addr_from_v4(&xp.addr, 0xc0000201);
	xp.version = 9;
	xp.domain = 77;
	batch.recs = &rec;
	batch.n = 1;
	batch.xs = &xp;
	batch.nxs = 1;
	batch.id = UINT64_C(0x123456) << 40 | 9;
}

static void
test_rowbinary(void)
{
	static const uint8_t v4m[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff,
	    0xff };
	uint8_t want[CHROW_CORE_LEN], *p = want;
	static struct chrow_schema sc;
	bool have[CHROW_MAX_COLS];
	size_t sum = 0, ncore = 0, nextra = 0, nstored = 0;
	struct sbuf out;
	char sql[8192];

#define LE(v, w) do {						\
	for (int k_ = 0; k_ < (w); k_++)			\
		*p++ = (uint8_t)((uint64_t)(v) >> (8 * k_));	\
} while (0)
#define V4(a) do {						\
	memcpy(p, v4m, 12);					\
	p += 12;						\
	LE(0, 0);						\
	*p++ = (uint8_t)((a) >> 24);				\
	*p++ = (uint8_t)((a) >> 16);				\
	*p++ = (uint8_t)((a) >> 8);				\
	*p++ = (uint8_t)(a);					\
} while (0)
	LE(19844, 2);			/* 2024-05-01 */
	LE(1714557600, 4);
	LE(1714557605, 4);
	LE(UINT64_C(1714557600123), 8);
	LE(UINT64_C(1714557605500), 8);
	V4(0xc0000201U);		/* exporter */
	*p++ = 9;
	LE(77, 4);
	*p++ = 4;
	V4(0x0a000001U);
	V4(0xc000020aU);
	V4(0x0a0000feU);
	LE(1234, 2);
	LE(80, 2);
	*p++ = 6;
	*p++ = 0x1b;
	*p++ = 4;
	LE(10, 8);
	LE(15000, 8);
	LE(1, 4);
	LE(3, 4);
	LE(7, 4);
	LE(64500, 4);
	LE(65000, 4);
	*p++ = 24;
	*p++ = 16;
	LE(10, 2);
	LE(20, 2);
	*p++ = 0;
	*p++ = 2;
	LE(0, 4);
	*p++ = 1;
	*p++ = 2;
	LE(batch.id, 8);
#undef LE
#undef V4
	sbuf_init(&out);
	chrow_schema_init(&sc);
	memset(have, 0, sizeof(have));
	chrow_schema_write(&sc, have);		/* the core columns only */
	tap_ok((size_t)(p - want) == CHROW_CORE_LEN && chrow_encode(&sc,
	    &batch, 0, 1, &out) == NFE_OK && out.len == CHROW_CORE_LEN &&
	    memcmp(out.p, want, CHROW_CORE_LEN) == 0,
	    "a RowBinary row of the core columns, golden");
	for (size_t i = 0; i < sc.n; i++) {
		if (sc.cols[i].core) {
			ncore++;
			sum += sc.cols[i].width;
		} else if (sc.cols[i].fld >= 0 && !fld_is_computed(
		    fld((unsigned)sc.cols[i].fld)))
			nextra++;
	}
	for (unsigned f = 0; f < FLD_N; f++)
		nstored += !fld_is_computed(fld(f));
	tap_ok(ncore == 34 && sum == CHROW_CORE_LEN && nextra == sc.n - 34 &&
	    nstored - nextra == 28, "34 core columns of %zu bytes, one column "
	    "for each of the other %zu stored catalogue fields", sum, nextra);
	sbuf_reset(&out);
	tap_ok(chrow_encode(&sc, &batch, 0, 1, &out) == NFE_OK &&
	    chrow_encode(&sc, &batch, 0, 1, &out) == NFE_OK &&
	    out.len == 2 * CHROW_CORE_LEN, "rows append");

	/* every column: the catalogue's after the core, as their types */
	chrow_schema_write(&sc, NULL);
	rec.in_src_mac = UINT64_C(0x0011223344ff);
	rec.mpls1 = 100 << 4 | 3 << 1 | 1;
	rec.min_ttl = 63;
	addr_from_v4(&rec.nat_src, 0xcb007107);
	flowrec_str_set(&rec.user, "alice", 5);
	flowrec_str_set(&rec.src_geo, "FR", 2);
	sbuf_reset(&out);
	tap_ok(chrow_encode(&sc, &batch, 0, 1, &out) == NFE_OK &&
	    memcmp(out.p, want, CHROW_CORE_LEN) == 0,
	    "with every column: the core part is the same");
	{
		const uint8_t *q = out.p + CHROW_CORE_LEN;
		size_t seen = 0, left = out.len - CHROW_CORE_LEN;
		bool good = true;

		for (size_t k = 0; k < sc.nextra && good; k++) {
			const struct chrow_col *c = &sc.cols[sc.extra[k]];
			const struct fld_desc *d = fld((unsigned)c->fld);
			size_t w = c->width;
			uint64_t v = 0;

			if (w == 0) {		/* String: length, bytes */
				const struct nf_str *sv = fld_get_str(d, &rec);

				good = left >= 1 && q[0] == sv->len &&
				    left >= 1 + sv->len && (sv->len == 0 ||
				    memcmp(q + 1, sv->p, sv->len) == 0);
				seen += strcmp(c->name, "user") == 0 ||
				    strcmp(c->name, "src_geo") == 0;
				q += 1 + sv->len;
				left -= good ? 1 + sv->len : left;
				continue;
			}
			if (left < w) {
				good = false;
				break;
			}
			if (c->addr) {
				good = memcmp(q, fld_get_addr(d, &rec)->a, 16)
				    == 0;
				seen += strcmp(c->name, "nat_src") == 0;
			} else {
				for (size_t b = 0; b < w; b++)
					v |= (uint64_t)q[b] << (8 * b);
				good = v == fld_get_u64(d, &rec);
				seen += strcmp(c->name, "in_src_mac") == 0 ||
				    strcmp(c->name, "mpls1") == 0 ||
				    strcmp(c->name, "min_ttl") == 0;
			}
			q += w;
			left -= w;
		}
		tap_ok(good && left == 0 && seen == 6, "the catalogue columns "
		    "follow, each little-endian or raw as its type (MAC, "
		    "MPLS entry, TTL, NAT address, user, country seen)");
	}
	flowrec_init(&rec);
	setup();
	sbuf_fini(&out);

	tap_ok(chrow_create_sql(&sc, "fk", "flows", 18, 16, sql, sizeof(sql))
	    == NFE_OK && strstr(sql, "CREATE TABLE IF NOT EXISTS fk.flows "
	    "(date Date, time_start DateTime") == sql &&
	    strstr(sql, "src_addr FixedString(16)") != NULL &&
	    strstr(sql, "nat_src FixedString(16)") != NULL &&
	    strstr(sql, "in_src_mac UInt64") != NULL &&
	    strstr(sql, "mpls1 UInt32") != NULL &&
	    strstr(sql, "user String") != NULL &&
	    strstr(sql, "src_geo String") != NULL &&
	    strstr(sql, "IPv6") == NULL &&
	    strstr(sql, "ENGINE = MergeTree PARTITION BY date ORDER BY "
	    "(toStartOfFiveMinute(time_start), src_addr, dst_addr)") != NULL,
	    "CREATE TABLE for 18.16: FixedString(16) addresses, the "
	    "catalogue's columns");
	tap_ok(chrow_create_sql(&sc, "fk", "flows", 19, 3, sql, sizeof(sql))
	    == NFE_OK && strstr(sql, "src_addr IPv6") != NULL &&
	    strstr(sql, "exporter IPv6") != NULL &&
	    chrow_create_sql(&sc, "fk", "flows", 23, 8, sql, sizeof(sql)) ==
	    NFE_OK && strstr(sql, "next_hop IPv6") != NULL &&
	    strstr(sql, "bgp_nexthop IPv6") != NULL,
	    "from 19.3 on: the IPv6 type");
	tap_ok(chrow_insert_sql(&sc, "fk", "flows", sql, sizeof(sql)) ==
	    NFE_OK && strncmp(sql, "INSERT INTO fk.flows (date, time_start, ",
	    40) == 0 && strstr(sql, "flowkit_batch, ") != NULL &&
	    strstr(sql, ", user, ") != NULL &&
	    strstr(sql, ") FORMAT RowBinary") != NULL,
	    "INSERT names every column, FORMAT RowBinary");
	memset(have, 0, sizeof(have));
	have[chrow_col_index(&sc, "user", 4)] = true;
	have[chrow_col_index(&sc, "in_src_mac", 10)] = true;
	tap_ok(chrow_alter_sql(&sc, have, "fk", "flows", 18, 16, sql,
	    sizeof(sql)) == NFE_OK && strcmp(sql, "ALTER TABLE fk.flows ADD "
	    "COLUMN user String, ADD COLUMN in_src_mac UInt64") == 0,
	    "ALTER TABLE adds the missing columns (%s)", sql);
	chrow_schema_write(&sc, have);
	tap_ok(chrow_insert_sql(&sc, "fk", "flows", sql, sizeof(sql)) ==
	    NFE_OK && strstr(sql, "engine_id, flowkit_batch, user, "
	    "in_src_mac) FORMAT RowBinary") != NULL && sc.nextra == 2,
	    "a table with some catalogue columns: INSERT writes those only");
	memset(have, 0, sizeof(have));
	tap_ok(chrow_alter_sql(&sc, have, "fk", "flows", 18, 16, sql,
	    sizeof(sql)) == NFE_EOF, "nothing to add: NFE_EOF");
	tap_ok(chrow_create_sql(&sc, "fk", "flows", 18, 16, sql, 100) ==
	    NFE_LIMIT, "a short buffer is NFE_LIMIT");
}

static void
test_ndjson(void)
{
	static const char want[] = "{\"flowStartMilliseconds\": "
	    "\"2024-05-01T10:00:00.123+00:00\", \"flowEndMilliseconds\": "
	    "\"2024-05-01T10:00:05.500+00:00\", \"flowDurationMilliseconds\": "
	    "5377, \"protocolIdentifier\": 6, \"sourceIPv4Address\": "
	    "\"10.0.0.1\", \"destinationIPv4Address\": \"192.0.2.10\", "
	    "\"sourceTransportPort\": 1234, \"destinationTransportPort\": 80, "
	    "\"tcpControlBits\": 27, \"ipClassOfService\": 4, "
	    "\"packetDeltaCount\": 10, \"octetDeltaCount\": 15000, "
	    "\"deltaFlowCount\": 1, \"ingressInterface\": 3, "
	    "\"egressInterface\": 7, \"bgpSourceAsNumber\": 64500, "
	    "\"bgpDestinationAsNumber\": 65000, \"sourceIPv4PrefixLength\": "
	    "24, \"destinationIPv4PrefixLength\": 16, "
	    "\"ipNextHopIPv4Address\": \"10.0.0.254\", \"vlanId\": 10, "
	    "\"postVlanId\": 20, \"flowDirection\": 0, \"flowEndReason\": 2, "
	    "\"samplingInterval\": 0, \"engineType\": 1, \"engineId\": 2, "
	    "\"exporterIPv4Address\": \"192.0.2.1\"}\n";
	struct flowrec save = rec;
	struct sbuf out;
	uint8_t a6[16] = { 0x20, 0x01, 0x0d, 0xb8 };
	char *line;

	sbuf_init(&out);
	tap_ok(ndjson_record(&batch, 0, true, &out) == NFE_OK &&
	    out.len == strlen(want) && memcmp(out.p, want, out.len) == 0,
	    "an NDJSON line, golden");
	if (out.len != strlen(want))
		tap_diag("got %.*s", (int)out.len, (const char *)out.p);
	sbuf_reset(&out);
	rec.proto = 58;
	rec.af = 6;
	a6[15] = 1;
	addr_from_v6(&rec.src, a6);
	a6[15] = 2;
	addr_from_v6(&rec.dst, a6);
	memset(&rec.nexthop, 0, sizeof(rec.nexthop));
	rec.dst_port = 128 << 8;
	rec.direction = FLOWDIR_UNKNOWN;
	batch.nxs = 0;
	tap_ok(ndjson_record(&batch, 0, false, &out) == NFE_OK &&
	    sbuf_put(&out, "", 1) == NFE_OK, "an ICMPv6 record");
	line = (char *)out.p;
	tap_ok(strstr(line, "\"sourceIPv6Address\": \"2001:db8::1\"") != NULL &&
	    strstr(line, "\"icmpTypeIPv6\": 128, \"icmpCodeIPv6\": 0") !=
	    NULL && strstr(line, "\"ipNextHopIPv6Address\": \"::\"") != NULL &&
	    strstr(line, "flowDirection") == NULL &&
	    strstr(line, "exporter") == NULL && line[strlen(line) - 1] == '}',
	    "IPv6 names, ICMP type and code, no direction or exporter when "
	    "unknown, no newline when not asked");
	rec = save;
	batch.nxs = 1;

	/* times: the date arithmetic against gmtime_r, 1970 to 2199 */
	{
		size_t bad = 0;
		uint64_t x = 88172645463325252ULL;

		for (int i = 0; i < 20000 && bad < 5; i++) {
			char want2[160], *p;
			struct tm tm;
			time_t t;

			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			rec.first_ms = i < 4 ? (uint64_t)i * 86399999 :
			    x % UINT64_C(7258118400000);
			t = (time_t)(rec.first_ms / 1000);
			gmtime_r(&t, &tm);
			snprintf(want2, sizeof(want2), "\"flowStartMilliseconds\": "
			    "\"%04d-%02d-%02dT%02d:%02d:%02d.%03u+00:00\"",
			    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
			    tm.tm_hour, tm.tm_min, tm.tm_sec,
			    (unsigned)(rec.first_ms % 1000));
			sbuf_reset(&out);
			ndjson_record(&batch, 0, false, &out);
			sbuf_put(&out, "", 1);
			p = (char *)out.p;
			if (strncmp(p + 1, want2, strlen(want2)) != 0) {
				tap_diag("%s vs %.60s", want2, p + 1);
				bad++;
			}
		}
		tap_ok(bad == 0, "times as gmtime_r gives them, 1970 to 2199 "
		    "(20000 of them, leap years included)");
	}
	rec = save;
	sbuf_fini(&out);
}

#ifdef HAVE_PROTOBUF_C
/*
 * Every top-level field of a message is goflow2's (pb/flow.proto v2.2:
 * its number with its wire type: 0 varint, 2 length-delimited,
 * repeated scalars packed) or flowkit's own, numbered from 3001 on, far
 * from goflow2's; a decoder built from goflow2's file skips those.
 */
static bool
goflow2_wire_ok(const uint8_t *p, size_t len)
{
	static const uint16_t len_fields[] = { 6, 7, 11, 12, 80, 81, 82, 100,
	    101, 102, 103, 104, 105 };
	static const uint16_t varint_fields[] = { 1, 3, 4, 9, 10, 13, 14, 15,
	    16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31,
	    32, 33, 34, 35, 36, 37, 38, 70, 71, 106, 110, 111, 112 };
	size_t o = 0, nown = 0;

	while (o < len) {
		uint64_t key = 0, v = 0;
		int sh = 0;
		bool known = false;

		do {
			key |= (uint64_t)(p[o] & 0x7f) << sh;
			sh += 7;
		} while (p[o++] & 0x80 && o < len);
		if ((key & 7) == 0) {
			for (size_t i = 0; i < NF_NELEM(varint_fields); i++)
				known |= key >> 3 == varint_fields[i];
			while (o < len && p[o++] & 0x80)
				;
		} else if ((key & 7) == 2) {
			for (size_t i = 0; i < NF_NELEM(len_fields); i++)
				known |= key >> 3 == len_fields[i];
			sh = 0;
			do {
				v |= (uint64_t)(p[o] & 0x7f) << sh;
				sh += 7;
			} while (p[o++] & 0x80 && o < len);
			o += (size_t)v;
		} else {
			return false;
		}
		if (!known && key >> 3 >= 3001 && key >> 3 <= 3026) {
			known = true;
			nown++;
		}
		if (!known)
			return false;
	}
	return o == len && nown > 0;
}
#endif

static void
test_protobuf(void)
{
	struct sbuf out;
	size_t len, off = 0;
	int shift = 0;

	if (!pbenc_available()) {
		for (int k = 0; k < 5; k++)
			tap_skip("built without protobuf-c");
		return;
	}
	sbuf_init(&out);
	tap_ok(pbenc_record(&batch, 0, true, &out) == NFE_OK && out.len > 40,
	    "a delimited FlowMessage");
	len = 0;
	do {
		len |= (size_t)(out.p[off] & 0x7f) << shift;
		shift += 7;
	} while (out.p[off++] & 0x80 && off < out.len);
	/* field 1 (type) varint 3 = NETFLOW_V9 comes first */
	tap_ok(off + len == out.len && out.p[off] == 0x08 &&
	    out.p[off + 1] == 3, "the varint prefix is the message's length; "
	    "type NETFLOW_V9 first");
#ifdef HAVE_PROTOBUF_C
	{
		struct flowrec save = rec;
		Flowpb__FlowMessage *m;

		rec.in_src_mac = UINT64_C(0x0200deadbeef);
		rec.in_dst_mac = UINT64_C(0x020012345678);
		rec.fwd_status = 64;
		rec.flow_label = 0xabcde;
		rec.received_ms = rec.last_ms + 1234;
		addr_from_v4(&rec.bgp_nexthop, 0xc0000263);
		sbuf_reset(&out);
		pbenc_record(&batch, 0, false, &out);
		m = flowpb__flow_message__unpack(NULL, out.len, out.p);
		tap_ok(m != NULL && m->src_mac == rec.in_src_mac &&
		    m->dst_mac == rec.in_dst_mac &&
		    m->forwarding_status == 64 &&
		    m->ipv6_flow_label == 0xabcde &&
		    m->time_received_ns == (rec.last_ms + 1234) * 1000000U &&
		    m->bgp_next_hop.len == 4 &&
		    memcmp(m->bgp_next_hop.data, "\xc0\x00\x02\x63", 4) == 0,
		    "MACs, forwarding status, flow label, BGP next hop and the "
		    "received time in goflow2's fields");
		if (m != NULL)
			flowpb__flow_message__free_unpacked(m, NULL);

		/* flowkit's fields (3001 on) and the rest of goflow2's */
		flowrec_str_set(&rec.user, "alice", 5);
		flowrec_str_set(&rec.src_geo, "FR", 2);
		flowrec_str_set(&rec.dst_as_org, "Caf\xc3\xa9 \xff", 7);
		rec.mpls1 = 100 << 4 | 2;
		rec.mpls2 = 200 << 4 | 1;
		rec.min_ttl = 60;
		rec.max_ttl = 64;
		rec.in_vrf = 7;
		rec.nat_event = 4;
		addr_from_v4(&rec.nat_src, 0xcb007107);
		rec.nat_src_port = 40000;
		rec.out_src_mac = UINT64_C(0x02000000beef);
		rec.direction = 1;
		sbuf_reset(&out);
		pbenc_record(&batch, 0, false, &out);
		m = flowpb__flow_message__unpack(NULL, out.len, out.p);
		tap_ok(m != NULL && m->user.len == 5 &&
		    memcmp(m->user.data, "alice", 5) == 0 &&
		    m->src_country.len == 2 && m->dst_country.len == 0 &&
		    m->dst_as_org.len == 9 && memcmp(m->dst_as_org.data,
		    "Caf\xc3\xa9 \xef\xbf\xbd", 9) == 0 &&
		    m->n_mpls_label == 2 && m->mpls_label[0] == 100 &&
		    m->mpls_label[1] == 200 && m->ip_ttl == 60 &&
		    m->ip_ttl_max == 64 && m->ingress_vrf_id == 7 &&
		    m->nat_event == 4 && m->post_nat_src_addr.len == 4 &&
		    memcmp(m->post_nat_src_addr.data, "\xcb\x00\x71\x07", 4)
		    == 0 && m->post_nat_src_port == 40000 &&
		    m->out_src_mac == rec.out_src_mac &&
		    m->flow_direction == 1,
		    "user, country, AS organisation (U+FFFD for a byte that is "
		    "not UTF-8), MPLS labels, TTLs, VRF, NAT, outgoing MAC, "
		    "direction");
		if (m != NULL)
			flowpb__flow_message__free_unpacked(m, NULL);
		tap_ok(goflow2_wire_ok(out.p, out.len),
		    "on the wire: goflow2's numbers with goflow2's wire types, "
		    "and flowkit's own from 3001 on (an unchanged goflow2 "
		    "consumer skips those)");
		rec = save;
	}
#else
	tap_skip("built without protobuf-c");
	tap_skip("built without protobuf-c");
	tap_skip("built without protobuf-c");
#endif
	sbuf_fini(&out);
}

static void
test_gzip(void)
{
	static const char text[] = "{\"a\": 1}\n{\"a\": 2}\n{\"a\": 3}\n";
	char back[256];
	uLongf n = sizeof(back);
	struct sbuf gz;
	z_stream z;
	int rc;

	sbuf_init(&gz);
	rc = httpc_gzip(text, strlen(text), 1, &gz);
	memset(&z, 0, sizeof(z));
	inflateInit2(&z, 15 + 16);
	z.next_in = gz.p;
	z.avail_in = (uInt)gz.len;
	z.next_out = (Bytef *)back;
	z.avail_out = (uInt)n;
	tap_ok(rc == NFE_OK && gz.p[0] == 0x1f && gz.p[1] == 0x8b &&
	    inflate(&z, Z_FINISH) == Z_STREAM_END &&
	    z.total_out == strlen(text) && memcmp(back, text, z.total_out) ==
	    0, "gzip bodies inflate to what was sent");
	inflateEnd(&z);
	sbuf_fini(&gz);
}

static void
test_secrets(void)
{
	char path[] = "/tmp/t_sinkenc.XXXXXX", err[256], *s = NULL;
	FILE *f;
	int fd, rc;

	setenv("T_SINKENC_PW", "hunter2", 1);
	rc = secret_read("T_SINKENC_PW", NULL, &s, err, sizeof(err));
	tap_ok(rc == NFE_OK && s != NULL && strcmp(s, "hunter2") == 0,
	    "a secret from the environment");
	secret_free(s);
	rc = secret_read("T_SINKENC_UNSET", NULL, &s, err, sizeof(err));
	tap_ok(rc == NFE_INVAL && strstr(err, "T_SINKENC_UNSET is not set") !=
	    NULL, "an unset variable is named");
	if ((fd = mkstemp(path)) == -1 || (f = fdopen(fd, "w")) == NULL) {
		tap_ok(false, "mkstemp");
		return;
	}
	fputs("s3cret\n", f);
	fclose(f);
	rc = secret_read(NULL, path, &s, err, sizeof(err));
	tap_ok(rc == NFE_OK && strcmp(s, "s3cret") == 0, "a secret from a "
	    "file, its newline dropped");
	secret_free(s);
	f = fopen(path, "w");
	fclose(f);
	rc = secret_read(NULL, path, &s, err, sizeof(err));
	tap_ok(rc == NFE_INVAL && strstr(err, "is empty") != NULL &&
	    strstr(err, path) != NULL, "an empty secret file is named");
	unlink(path);
	rc = secret_read(NULL, path, &s, err, sizeof(err));
	tap_ok(rc == NFE_INVAL && strstr(err, path) != NULL && s == NULL,
	    "a missing secret file is named");
	rc = secret_read(NULL, NULL, &s, err, sizeof(err));
	tap_ok(rc == NFE_OK && s == NULL, "no secret asked: none");
}

static uint64_t
rnd(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

/*
 * A record with every stored integer and address field of the
 * catalogue random, at its default or zero (so that KNOWN members come
 * and go), IPv4 or IPv6, ICMP now and then.
 */
static void
random_record(struct flowrec *r, uint64_t *x)
{
	static const uint8_t protos[] = { 6, 17, 1, 58, 47 };

	flowrec_init(r);
	for (unsigned i = 0; i < FLD_N; i++) {
		const struct fld_desc *d = fld(i);
		uint64_t v = rnd(x);

		if (d->type == FT_ADDR) {
			switch (v % 4) {
			case 0:
				memset(fld_addr(d, r), 0,
				    sizeof(struct nf_addr));
				break;
			case 1: {
				uint8_t a6[16];

				for (int k = 0; k < 16; k++)
					a6[k] = (uint8_t)rnd(x);
				addr_from_v6(fld_addr(d, r), a6);
				break;
			}
			default:
				addr_from_v4(fld_addr(d, r),
				    (uint32_t)(v >> 8));
				break;
			}
		} else if (d->type >= FT_U8 && d->type <= FT_U64 &&
		    d->kind != FK_XINDEX && d->kind != FK_FAMILY)
			fld_set_u64(d, r, v % 3 == 0 ? d->def : v >> (v % 40));
	}
	r->af = rnd(x) % 2 ? 6 : 4;
	r->proto = protos[rnd(x) % sizeof(protos)];
	r->first_ms = rnd(x) % UINT64_C(4102444800000);
	r->last_ms = r->first_ms + rnd(x) % 3 * (rnd(x) % 600000);
	if (rnd(x) % 4 == 0)
		r->received_ms = 0;
	else
		r->received_ms = r->last_ms + rnd(x) % 5000;
	r->exporter = (uint16_t)(rnd(x) % 3);	/* 2: past the table */
}

/* ndjson_record and flowq's -o ndjson (TZ=UTC) agree on every record. */
static void
test_ndjson_flowq(void)
{
	struct ffile_exporter xs[2];
	struct flowrec r;
	struct sink_batch b = { &r, 1, xs, 2, 0 };
	struct out_opts oo;
	struct output *o;
	struct obuf ob;
	struct sbuf out;
	uint64_t x = 0x9e3779b97f4a7c15ULL;
	size_t bad = 0, n;
	char err[256];

	memset(xs, 0, sizeof(xs));
	addr_from_v4(&xs[0].addr, 0xc0000201);
	addr_from_v6(&xs[1].addr, (const uint8_t[16]){ 0x20, 0x01, 0x0d,
	    0xb8, [15] = 9 });
	setenv("TZ", "UTC", 1);
	tzset();
	memset(&oo, 0, sizeof(oo));
	if (output_new("ndjson", &oo, &o, err, sizeof(err)) != NFE_OK) {
		tap_ok(false, "flowq's ndjson output: %s", err);
		return;
	}
	obuf_init(&ob);
	sbuf_init(&out);
	for (n = 0; n < 20000 && bad < 5; n++) {
		random_record(&r, &x);
		sbuf_reset(&out);
		ndjson_record(&b, 0, true, &out);
		obuf_reset(&ob);
		output_record(o, &r, r.exporter < 2 ? &xs[r.exporter].addr :
		    NULL, &ob);
		if (out.len != ob.len || memcmp(out.p, ob.p, ob.len) != 0) {
			tap_diag("sink:  %.*s", (int)out.len,
			    (const char *)out.p);
			tap_diag("flowq: %.*s", (int)ob.len, ob.p);
			bad++;
		}
	}
	tap_ok(bad == 0, "%zu random records: each line is flowq -o ndjson's "
	    "(every catalogue member, set and unset)", n);
	sbuf_fini(&out);
	obuf_fini(&ob);
	output_free(o);
}

int
main(void)
{
	tap_plan(29);
	setup();
	test_rowbinary();
	test_ndjson();
	test_ndjson_flowq();
	test_protobuf();
	test_gzip();
	test_secrets();
	return tap_done();
}
