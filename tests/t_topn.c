/*
 * tests/t_topn.c -- query/topn: -s statistics against nfdump 1.7.1's
 * output for the same records (tests/qrecs.h): one- and two-sided keys,
 * :p, several orders, csv and json rows, parse errors; and the full
 * ranking under each order of six keys that each lead a different one.
 */
#include "common/base/compat.h"

#include <stdio.h>
#include <string.h>

#include "common/base/nferr.h"
#include "query/topn.h"
#include "qrecs.h"
#include "tap.h"

static struct flowrec recs[QRECS_N];

static char *
stat_text_of(const struct flowrec *in, size_t nin, const char *arg,
    const char *fmt, size_t limit, bool plain)
{
	static char out[8192];
	struct out_opts oo = { false, plain };
	struct out_summary tot = { 5, 125470, 990169633, 0, 0, 5, 5, 0, 0, 0,
	    0, 0 };
	struct topn_stat st;
	struct agg_spec sp;
	struct output *o, *ro;
	struct topn *t;
	struct obuf b;
	struct nf_addr ra;
	char err[128];

	addr_parse("127.0.0.1", &ra);
	agg_parse("srcip,dstport", false, &sp, err, sizeof(err));
	if (topn_parse(arg, &sp, &st, err, sizeof(err)) != NFE_OK) {
		snprintf(out, sizeof(out), "ERR %s", err);
		return out;
	}
	t = topn_new(&st);
	for (size_t i = 0; i < nin; i++)
		topn_add(t, &in[i], &ra);
	output_new(fmt, &oo, &o, err, sizeof(err));
	output_new(strcmp(fmt, "line") == 0 ? sp.fmt : fmt, &oo, &ro, err,
	    sizeof(err));
	obuf_init(&b);
	topn_print(t, o, ro, limit, &tot, &b);
	snprintf(out, sizeof(out), "%s", b.p != NULL ? b.p : "");
	obuf_fini(&b);
	output_free(o);
	output_free(ro);
	topn_free(t);
	return out;
}

static char *
stat_text(const char *arg, const char *fmt, size_t limit, bool plain)
{
	return stat_text_of(recs, QRECS_N, arg, fmt, limit, plain);
}

#define HDR(k) "Date first seen                 Duration Proto " k \
	"    Flows(%)     Packets(%)       Bytes(%)         pps      bps   bpp\n"

static void
test_text(void)
{
	tap_is_str(stat_text("srcip/bytes", "line", 10, false),
"Top 10 Src IP Addr ordered by bytes:\n"
HDR("      Src IP Addr")
"2026-11-23 09:39:23.000     00:00:22.000 any            10.0.0.3        1(20.0)   123456(98.4)  987.7 M(99.7)     5611  359.1 M  8000\n"
"2026-11-23 09:39:19.000     00:00:13.000 any            10.0.0.1        2(40.0)     2010( 1.6)    2.5 M( 0.3)      154    1.5 M  1251\n"
"2026-11-23 09:39:22.000     00:00:16.500 any          172.16.5.9        1(20.0)        3( 0.0)      252( 0.0)        0      122    84\n"
"2026-11-23 09:39:20.000     00:00:05.500 any            10.0.0.2        1(20.0)        1( 0.0)       60( 0.0)        0       87    60\n"
"\n", "-s srcip/bytes as nfdump");
	/* nfdump's own order of ties is its hash order; ours is by key */
	tap_is_str(stat_text("ip/flows/bytes", "line", 3, false),
"Top 3 IP Addr ordered by flows:\n"
HDR("          IP Addr")
"2026-11-23 09:39:19.000     00:00:19.500 any            10.0.0.1        3(60.0)     2013( 1.6)    2.5 M( 0.3)      103    1.0 M  1249\n"
"2026-11-23 09:39:19.000     00:00:06.500 any          192.0.2.10        2(40.0)       11( 0.0)    15060( 0.0)        1    18535  1369\n"
"2026-11-23 09:39:20.000     00:00:05.500 any            10.0.0.2        1(20.0)        1( 0.0)       60( 0.0)        0       87    60\n"
"\n"
"Top 3 IP Addr ordered by bytes:\n"
HDR("          IP Addr")
"2026-11-23 09:39:23.000     00:00:22.000 any            10.0.0.3        1(20.0)   123456(98.4)  987.7 M(99.7)     5611  359.1 M  8000\n"
"2026-11-23 09:39:23.000     00:00:22.000 any          192.0.2.11        1(20.0)   123456(98.4)  987.7 M(99.7)     5611  359.1 M  8000\n"
"2026-11-23 09:39:19.000     00:00:19.500 any            10.0.0.1        3(60.0)     2013( 1.6)    2.5 M( 0.3)      103    1.0 M  1249\n"
"\n", "-s ip/flows/bytes: both sides, two orders");
	tap_is_str(stat_text("dstport:p/bytes", "line", 10, false),
"Top 10 Dst Port ordered by bytes:\n"
HDR("         Dst Port")
"2026-11-23 09:39:23.000     00:00:22.000 TCP                  22        1(20.0)   123456(98.4)  987.7 M(99.7)     5611  359.1 M  8000\n"
"2026-11-23 09:39:21.000     00:00:11.000 TCP                 443        1(20.0)     2000( 1.6)    2.5 M( 0.3)      181    1.8 M  1250\n"
"2026-11-23 09:39:19.000     00:00:00.000 TCP                  80        1(20.0)       10( 0.0)    15000( 0.0)        0        0  1500\n"
"2026-11-23 09:39:22.000     00:00:16.500 ICMP               2048        1(20.0)        3( 0.0)      252( 0.0)        0      122    84\n"
"2026-11-23 09:39:20.000     00:00:05.500 UDP                  53        1(20.0)        1( 0.0)       60( 0.0)        0       87    60\n"
"\n", "-s dstport:p/bytes");
	tap_is_str(stat_text("proto", "line", 10, false),
"Top 10 Protocol ordered by flows:\n"
HDR("         Protocol")
"2026-11-23 09:39:19.000     00:00:26.000 TCP                   6        3(60.0)   125466(100.0)  990.2 M(100.0)     4825  304.7 M  7891\n"
"2026-11-23 09:39:22.000     00:00:16.500 ICMP                  1        1(20.0)        3( 0.0)      252( 0.0)        0      122    84\n"
"2026-11-23 09:39:20.000     00:00:05.500 UDP                  17        1(20.0)        1( 0.0)       60( 0.0)        0       87    60\n"
"\n", "-s proto (ties by key)");
	tap_is_str(stat_text("vlan", "line", 1, false),
"Top 1 Vlan ordered by flows:\n"
HDR("             Vlan")
"2026-11-23 09:39:19.000     00:00:26.000 any                   0       10(200.0)   250940(200.0)    2.0 G(200.0)     9651  609.3 M  7891\n"
"\n", "-s vlan counts both sides, as nfdump");
	tap_is_str(strchr(strchr(stat_text("srcip/pps", "line", 1, true),
	    '\n') + 1, '\n') + 1,
"2026-11-23 09:39:23.000           22.000 any            10.0.0.3        1(20.0)   123456(98.4) 987654321(99.7)     5611 359147025  8000\n"
"\n", "-s srcip/pps -N");
	tap_is_str(stat_text("record/bytes", "line", 2, false),
"Top 2 flows ordered by bytes:\n"
"Date first seen             Duration           Src IP Addr Dst Pt   Packets    Bytes      bps    Bpp Flows\n"
"2026-11-23 09:39:23.000     00:00:22.000          10.0.0.3     22    123456  987.7 M  359.1 M   8000     1\n"
"2026-11-23 09:39:21.000     00:00:11.000          10.0.0.1    443      2000    2.5 M    1.8 M   1250     1\n",
	    "-s record/bytes -A srcip,dstport as nfdump");
}

static void
test_orders(void)
{
	const char *s;

	s = stat_text("proto/bytes", "line", 0, false);
	tap_ok(strncmp(s, "Top 3 Protocol ordered by bytes:\n", 33) == 0 &&
	    strstr(s, "ICMP") != NULL && strstr(s, "UDP") != NULL,
	    "-n 0: every row, the title counts them");

	s = stat_text("dstip/packets", "line", 1, false);
	tap_ok(strstr(s, "192.0.2.11        1(20.0)   123456") != NULL,
	    "order packets");
	s = stat_text("dstip/bpp", "line", 1, false);
	tap_ok(strstr(s, "192.0.2.11") != NULL, "order bpp");
	s = stat_text("srcport/bps", "line", 1, false);
	tap_ok(strstr(s, "      1000        1") != NULL, "order bps");
	s = stat_text("srcas/pps", "line", 1, false);
	tap_ok(strstr(s, "       64504        1") != NULL, "order pps");
	s = stat_text("inif/flows", "line", 1, false);
	tap_ok(strstr(s, "           3        5(100.0)") != NULL,
	    "order flows, inif");
	s = stat_text("flags/bytes", "line", 1, false);
	tap_ok(strstr(s, "Top 1 Flags ordered by bytes:") != NULL &&
	    strstr(s, "   ...AP...        1") != NULL, "flags as text");
}

/*
 * Eight records under six source ports; each port leads exactly one
 * order, and every order ranks all six differently:
 *
 *   port  records packets  bytes  duration  pps     bps   bpp
 *   1001     1        1     9000    100 s     0     720  9000
 *   1002     1      100   100000      1 s   100  800000  1000
 *   1003     1      500    20000      1 s   500  160000    40
 *   1004     1      120   150000    100 s     1   12000  1250
 *   1005     1     1000    42000    100 s    10    3360    42
 *   1006     3        3      300      1 s     3    2400   100
 */
#define ORECS_N	8

static void
orecs_fill(struct flowrec o[ORECS_N])
{
	static const struct {
		uint16_t	port;
		uint64_t	packets, bytes, dur_ms;
	} d[ORECS_N] = {
		{ 1001, 1, 9000, 100000 },
		{ 1002, 100, 100000, 1000 },
		{ 1003, 500, 20000, 1000 },
		{ 1004, 120, 150000, 100000 },
		{ 1005, 1000, 42000, 100000 },
		{ 1006, 1, 100, 1000 },
		{ 1006, 1, 100, 1000 },
		{ 1006, 1, 100, 1000 },
	};

	for (int i = 0; i < ORECS_N; i++) {
		flowrec_init(&o[i]);
		addr_parse("10.0.0.1", &o[i].src);
		addr_parse("10.0.0.2", &o[i].dst);
		o[i].proto = 17;
		o[i].src_port = d[i].port;
		o[i].dst_port = 53;
		o[i].packets = d[i].packets;
		o[i].bytes = d[i].bytes;
		o[i].first_ms = QRECS_T0;
		o[i].last_ms = QRECS_T0 + d[i].dur_ms;
	}
}

/* The keys of "-s srcport/ORDER -n limit" over orecs, in rank order. */
static const char *
order_keys(const char *order, size_t limit)
{
	static char keys[128];
	struct flowrec o[ORECS_N];
	char arg[64], *s, *line, *save = NULL;
	size_t len = 0;

	orecs_fill(o);
	snprintf(arg, sizeof(arg), "srcport/%s", order);
	s = stat_text_of(o, ORECS_N, arg, "csv", limit, false);
	keys[0] = '\0';
	/* csv: a header line, then ts,te,td,pr,val,... per row */
	for (line = strtok_r(s, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		const char *f = line;

		if (strncmp(line, "ts,", 3) == 0)
			continue;
		for (int i = 0; i < 4 && f != NULL; i++)
			if ((f = strchr(f, ',')) != NULL)
				f++;
		if (f == NULL)
			return "ERR bad csv row";
		len += (size_t)snprintf(keys + len, sizeof(keys) - len,
		    "%s%.*s", len > 0 ? " " : "", (int)strcspn(f, ","), f);
		if (len >= sizeof(keys))
			return "ERR too many rows";
	}
	return keys;
}

static void
test_order_ranks(void)
{
	static const struct {
		const char	*order, *ranking;
	} c[] = {
		{ "flows",	"1006 1001 1002 1003 1004 1005" },
		{ "packets",	"1005 1003 1004 1002 1006 1001" },
		{ "bytes",	"1004 1002 1005 1003 1001 1006" },
		{ "pps",	"1003 1002 1005 1006 1004 1001" },
		{ "bps",	"1002 1003 1004 1005 1006 1001" },
		{ "bpp",	"1001 1004 1002 1006 1005 1003" },
	};
	char top3[32], name[64];

	for (size_t i = 0; i < NF_NELEM(c); i++) {
		snprintf(name, sizeof(name), "-s srcport/%s: full ranking",
		    c[i].order);
		tap_is_str(order_keys(c[i].order, 0), c[i].ranking, name);
		/* the first three, picked by the bounded heap */
		snprintf(name, sizeof(name), "-s srcport/%s -n 3: top three",
		    c[i].order);
		snprintf(top3, sizeof(top3), "%.14s", c[i].ranking);
		tap_is_str(order_keys(c[i].order, 3), top3, name);
	}
}

/* Keys printed as text: MAC addresses, MPLS entries, application ids. */
static void
test_text_keys(void)
{
	static struct flowrec r[3];
	const char *s;

	for (int i = 0; i < 3; i++) {
		r[i] = recs[i];
		r[i].in_src_mac = i < 2 ? UINT64_C(0x001b210a0b01) : 0xaa;
		r[i].out_src_mac = UINT64_C(0x001b210a0b01);
		r[i].mpls1 = i == 0 ? 16000 << 4 | 5 << 1 : 0;
		r[i].app_id = UINT64_C(13) << 56 | 80;
	}
	s = stat_text_of(r, 3, "insrcmac", "line", 1, false);
	tap_ok(strstr(s, "Top 1 In Src MAC Addr ordered by flows:\n") != NULL &&
	    strstr(s, " 00:1b:21:0a:0b:01        2(40.0) ") != NULL,
	    "-s insrcmac: the key as a MAC address");
	s = stat_text_of(r, 3, "srcmac", "line", 1, false);
	tap_ok(strstr(s, " 00:1b:21:0a:0b:01        5(100.0) ") != NULL,
	    "-s srcmac: in and out source MACs, as nfdump");
	s = stat_text_of(r, 3, "mpls1/bytes", "line", 2, false);
	tap_ok(strstr(s, "Top 2 MPLS label 1 ordered by bytes:") != NULL &&
	    strstr(s, "        16000-5-0 ") != NULL &&
	    strstr(s, "            0-0-0 ") != NULL, "-s mpls1: label-EXP-S");
	s = stat_text_of(r, 3, "nbar", "ndjson", 1, false);
	tap_ok(strstr(s, "\"stat\": \"nbar\"") != NULL &&
	    strstr(s, "\"value\": \"13..80\", \"deltaFlowCount\": 3") != NULL,
	    "-s nbar: the application id as text in JSON");
	if (strstr(s, "13..80") == NULL)
		tap_diag("%s", s);
}

static void
test_csv_json(void)
{
	tap_is_str(stat_text("srcip/bytes", "csv", 1, false),
	    "ts,te,td,pr,val,fl,flP,ipkt,ipktP,ibyt,ibytP,ipps,ibps,ibpp\n"
	    "2026-11-23T09:39:23.000+00:00,2026-11-23T09:39:45.000+00:00,"
	    "22.000,any,10.0.0.3,1,20.0,123456,98.4,987654321,99.7,5611,"
	    "359147025,8000\n\n", "csv rows in nfdump's stat columns");
	tap_is_str(stat_text("dstport:p/bytes", "ndjson", 1, false),
	    "{\"stat\": \"dstport\", \"order\": \"bytes\", \"rank\": 1, "
	    "\"flowStartMilliseconds\": \"2026-11-23T09:39:23.000+00:00\", "
	    "\"flowEndMilliseconds\": \"2026-11-23T09:39:45.000+00:00\", "
	    "\"flowDurationMilliseconds\": 22000, \"protocol\": \"6\", "
	    "\"value\": 22, \"deltaFlowCount\": 1, \"flowsPercent\": 20.0, "
	    "\"packetDeltaCount\": 123456, \"packetsPercent\": 98.4, "
	    "\"octetDeltaCount\": 987654321, \"octetsPercent\": 99.7, "
	    "\"pps\": 5611, \"bps\": 359147025, \"bpp\": 8000}\n",
	    "ndjson rows");
}

static void
test_parse(void)
{
	tap_is_str(stat_text("bogus/bytes", "line", 1, false),
	    "ERR unknown statistic 'bogus'", "unknown statistic");
	tap_is_str(stat_text("srcip/tstart", "line", 1, false),
	    "ERR unknown order 'tstart' in 'srcip/tstart' (flows, packets, "
	    "bytes, pps, bps or bpp)", "tstart is not a stat order");
	tap_is_str(stat_text("srcip:x", "line", 1, false),
	    "ERR statistic syntax error in 'srcip:x'", "bad suffix");
}

int
main(void)
{
	qrecs_fill(recs);
	tap_no_plan();
	test_text();
	test_orders();
	test_order_ranks();
	test_text_keys();
	test_csv_json();
	test_parse();
	return tap_done();
}
