/*
 * tests/t_output.c -- query/output: every -o format against text
 * produced by nfdump 1.7.1 from the same records (tests/qrecs.h), number
 * scaling, IPv6 condensing, JSON validity details and the summary.
 */
#include "common/base/compat.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <string.h>

#include "common/base/addr.h"
#include "common/base/nferr.h"
#include "query/output.h"
#include "qrecs.h"
#include "tap.h"

static struct flowrec recs[QRECS_N];

static char *
render(const char *spec, bool plain, bool v6full, size_t n)
{
	static char out[8192];
	struct out_opts oo = { v6full, plain };
	struct output *o;
	struct obuf b;
	char err[128];
	struct nf_addr ra;

	addr_parse("127.0.0.1", &ra);
	if (output_new(spec, &oo, &o, err, sizeof(err)) != NFE_OK) {
		snprintf(out, sizeof(out), "ERR %s", err);
		return out;
	}
	obuf_init(&b);
	output_begin(o, &b);
	for (size_t i = 0; i < n; i++)
		output_record(o, &recs[i], &ra, &b);
	output_end(o, &b);
	snprintf(out, sizeof(out), "%s", b.p != NULL ? b.p : "");
	obuf_fini(&b);
	output_free(o);
	return out;
}

static const char *
lastline(const char *s)
{
	const char *p = s + strlen(s);

	if (p > s)
		p--;		/* the final newline */
	while (p > s && p[-1] != '\n')
		p--;
	return p;
}

static void
test_line(void)
{
	tap_is_str(render("line", false, false, 5),
"Date first seen             Duration     Proto      Src IP Addr:Port          Dst IP Addr:Port   Packets    Bytes Flows\n"
"2026-11-23 09:39:19.000     00:00:00.000 TCP           10.0.0.1:1234  ->       192.0.2.10:80          10    15000     1\n"
"2026-11-23 09:39:20.000     00:00:05.500 UDP           10.0.0.2:40000 ->       192.0.2.10:53           1       60     1\n"
"2026-11-23 09:39:21.000     00:00:11.000 TCP           10.0.0.1:5555  ->     198.51.100.7:443       2000    2.5 M     1\n"
"2026-11-23 09:39:22.000     00:00:16.500 ICMP        172.16.5.9:0     ->         10.0.0.1:8.0          3      252     1\n"
"2026-11-23 09:39:23.000     00:00:22.000 TCP           10.0.0.3:1000  ->       192.0.2.11:22      123456  987.7 M     1\n",
	    "-o line as nfdump");
	tap_is_str(render("extended", false, false, 5),
"Date first seen             Duration     Proto      Src IP Addr:Port          Dst IP Addr:Port     Flags Tos  Packets    Bytes      pps      bps    Bpp Flows\n"
"2026-11-23 09:39:19.000     00:00:00.000 TCP           10.0.0.1:1234  ->       192.0.2.10:80    ...AP.SF   0       10    15000        0        0   1500     1\n"
"2026-11-23 09:39:20.000     00:00:05.500 UDP           10.0.0.2:40000 ->       192.0.2.10:53    ........   0        1       60        0       87     60     1\n"
"2026-11-23 09:39:21.000     00:00:11.000 TCP           10.0.0.1:5555  ->     198.51.100.7:443   ...A..S.   4     2000    2.5 M      181    1.8 M   1250     1\n"
"2026-11-23 09:39:22.000     00:00:16.500 ICMP        172.16.5.9:0     ->         10.0.0.1:8.0   ........   0        3      252        0      122     84     1\n"
"2026-11-23 09:39:23.000     00:00:22.000 TCP           10.0.0.3:1000  ->       192.0.2.11:22    ...AP...  32   123456  987.7 M     5611  359.1 M   8000     1\n",
	    "-o extended as nfdump");
	tap_is_str(render("long", false, false, 1),
"Date first seen             Duration     Proto      Src IP Addr:Port          Dst IP Addr:Port     Flags Tos  Packets    Bytes Flows\n"
"2026-11-23 09:39:19.000     00:00:00.000 TCP           10.0.0.1:1234  ->       192.0.2.10:80    ...AP.SF   0       10    15000     1\n",
	    "-o long as nfdump");
}

static void
test_fmt(void)
{
	tap_is_str(render("fmt:%td|%pr|%bps|%pps|%sp|%dp|%flg|%dir|%tos",
	    true, false, 5),
"    Duration     Proto      bps      pps Src Pt Dst Pt    Flags Dir Tos\n"
"           0.000|6    |       0|       0|  1234|    80|...AP.SF|  I|  0\n"
"           5.500|17   |      87|       0| 40000|    53|........|  I|  0\n"
"          11.000|6    | 1818181|     181|  5555|   443|...A..S.|  I|  4\n"
"          16.500|1    |     122|       0|     0|   8.0|........|  I|  0\n"
"          22.000|6    |359147025|    5611|  1000|    22|...AP...|  I| 32\n",
	    "fmt: with -N as nfdump");
	tap_is_str(render("fmt:%sa->%da XY %pr", false, false, 1),
"     Src IP Addr       Dst IP Addr    Proto\n"
"        10.0.0.1->      192.0.2.10 XY TCP  \n", "literal text in fmt");
	tap_is_str(lastline(render("fmt:%in|%out|%sas|%das|%nh|%ra|%eng|%it",
	    false, false, 4)),
"     3|     7| 64503| 65000|      10.0.0.254|       127.0.0.1|  1/2  |     8\n",
	    "routing, engine and icmp tokens");
	tap_ok(strncmp(render("fmt:%bogus", false, false, 1), "ERR ", 4) == 0,
	    "an unknown token is an error");
	tap_ok(strncmp(render("linex", false, false, 1), "ERR ", 4) == 0,
	    "an unknown format is an error");
}

static void
test_v6(void)
{
	struct flowrec save = recs[0];

	addr_parse("2001:db8:1000:cafe:20e:35ff:fec0:fed5", &recs[0].src);
	addr_parse("fe80::1", &recs[0].dst);
	recs[0].af = 6;
	tap_is_str(lastline(render("fmt:%sap|%da", false, false, 1)),
	    "2001:db..c0:fed5.1234 |         fe80::1\n", "IPv6 condensed, "
	    "'.' before the port");
	tap_is_str(lastline(render("fmt:%sa", false, true, 1)),
	    "  2001:db8:1000:cafe:20e:35ff:fec0:fed5\n", "-6: 39 columns");
	tap_is_str(render("fmt:%sa", false, true, 1),
	    "                            Src IP Addr\n"
	    "  2001:db8:1000:cafe:20e:35ff:fec0:fed5\n", "-6 header");
	recs[0] = save;
}

/* The next hop of an IPv6 flow, unset or set, in JSON. */
static void
json_nexthop(void)
{
	struct flowrec save = recs[0];
	char *s;

	addr_parse("2001:db8::1", &recs[0].src);
	addr_parse("2001:db8::2", &recs[0].dst);
	recs[0].af = 6;
	addr_from_v4(&recs[0].nexthop, 0);	/* as flowrec_init leaves it */
	s = render("ndjson", false, false, 1);
	tap_ok(strstr(s, "\"ipNextHopIPv6Address\": \"::\", ") != NULL &&
	    strstr(s, "0.0.0.0") == NULL, "json: an IPv6 flow without next "
	    "hop says ipNextHopIPv6Address \"::\", never 0.0.0.0");
	addr_parse("fe80::1", &recs[0].nexthop);
	s = render("ndjson", false, false, 1);
	tap_ok(strstr(s, "\"ipNextHopIPv6Address\": \"fe80::1\", ") != NULL,
	    "json: IPv6 next hop");
	addr_parse("192.0.2.1", &recs[0].nexthop);
	s = render("ndjson", false, false, 1);
	tap_ok(strstr(s, "\"ipNextHopIPv4Address\": \"192.0.2.1\", ") != NULL &&
	    strstr(s, "\"sourceIPv6Address\"") != NULL, "json: an IPv4 next "
	    "hop of an IPv6 flow keeps its IPv4 name");
	recs[0] = save;
	addr_from_v4(&recs[0].nexthop, 0);
	s = render("ndjson", false, false, 1);
	tap_ok(strstr(s, "\"ipNextHopIPv4Address\": \"0.0.0.0\", ") != NULL,
	    "json: an IPv4 flow without next hop is unchanged");
	recs[0] = save;
}

/* A biflow's reverse counters: CSV, fmt: tokens, JSON (only when set). */
static void
biflow(void)
{
	struct flowrec save = recs[0];
	char *s;

	recs[0].out_packets = 7;
	recs[0].out_bytes = 12345678;
	s = render("csv", false, false, 1);
	tap_ok(strstr(s, ",...AP.SF,0,0,10,15000,7,12345678,3,7,") != NULL,
	    "csv: opkt, obyt of a biflow");
	tap_is_str(render("fmt:%ipkt %opkt %ibyt %obyt", false, false, 1),
	    "  In Pkt  Out Pkt  In Byte Out Byte\n"
	    "      10        7    15000   12.3 M\n", "fmt: %opkt %obyt, scaled "
	    "as %ibyt");
	s = render("ndjson", false, false, 1);
	tap_ok(strstr(s, "\"postPacketDeltaCount\": 7, "
	    "\"postOctetDeltaCount\": 12345678, ") != NULL,
	    "json: out counters as post*DeltaCount");
	recs[0] = save;
}

static void
test_csv_json(void)
{
	char *s;

	tap_is_str(render("csv", false, false, 1),
	    "ts,te,td,sa,da,sp,dp,pr,flg,fwd,stos,ipkt,ibyt,opkt,obyt,in,out,"
	    "sas,das,smk,dmk,dtos,dir,nh,svln,dvln,ra,eng,fl\n"
	    "2026-11-23T09:39:19.000+00:00,2026-11-23T09:39:19.000+00:00,"
	    "0.000,10.0.0.1,192.0.2.10,1234,80,TCP,...AP.SF,0,0,10,15000,0,0,"
	    "3,7,64500,65000,0,0,0,0,10.0.0.254,0,0,127.0.0.1,1/2,1\n",
	    "csv header and row");
	s = render("ndjson", false, false, 2);
	tap_is_str(s,
	    "{\"flowStartMilliseconds\": \"2026-11-23T09:39:19.000+00:00\", "
	    "\"flowEndMilliseconds\": \"2026-11-23T09:39:19.000+00:00\", "
	    "\"flowDurationMilliseconds\": 0, \"protocolIdentifier\": 6, "
	    "\"sourceIPv4Address\": \"10.0.0.1\", "
	    "\"destinationIPv4Address\": \"192.0.2.10\", "
	    "\"sourceTransportPort\": 1234, \"destinationTransportPort\": 80, "
	    "\"tcpControlBits\": 27, \"ipClassOfService\": 0, "
	    "\"packetDeltaCount\": 10, \"octetDeltaCount\": 15000, "
	    "\"deltaFlowCount\": 1, \"ingressInterface\": 3, "
	    "\"egressInterface\": 7, \"bgpSourceAsNumber\": 64500, "
	    "\"bgpDestinationAsNumber\": 65000, "
	    "\"sourceIPv4PrefixLength\": 0, "
	    "\"destinationIPv4PrefixLength\": 0, "
	    "\"ipNextHopIPv4Address\": \"10.0.0.254\", \"vlanId\": 0, "
	    "\"postVlanId\": 0, \"flowDirection\": 0, \"flowEndReason\": 0, "
	    "\"samplingInterval\": 0, \"engineType\": 1, \"engineId\": 2, "
	    "\"exporterIPv4Address\": \"127.0.0.1\"}\n"
	    "{\"flowStartMilliseconds\": \"2026-11-23T09:39:20.000+00:00\", "
	    "\"flowEndMilliseconds\": \"2026-11-23T09:39:25.500+00:00\", "
	    "\"flowDurationMilliseconds\": 5500, \"protocolIdentifier\": 17, "
	    "\"sourceIPv4Address\": \"10.0.0.2\", "
	    "\"destinationIPv4Address\": \"192.0.2.10\", "
	    "\"sourceTransportPort\": 40000, \"destinationTransportPort\": 53, "
	    "\"tcpControlBits\": 0, \"ipClassOfService\": 0, "
	    "\"packetDeltaCount\": 1, \"octetDeltaCount\": 60, "
	    "\"deltaFlowCount\": 1, \"ingressInterface\": 3, "
	    "\"egressInterface\": 7, \"bgpSourceAsNumber\": 64501, "
	    "\"bgpDestinationAsNumber\": 65000, "
	    "\"sourceIPv4PrefixLength\": 0, "
	    "\"destinationIPv4PrefixLength\": 0, "
	    "\"ipNextHopIPv4Address\": \"10.0.0.254\", \"vlanId\": 0, "
	    "\"postVlanId\": 0, \"flowDirection\": 0, \"flowEndReason\": 0, "
	    "\"samplingInterval\": 0, \"engineType\": 1, \"engineId\": 2, "
	    "\"exporterIPv4Address\": \"127.0.0.1\"}\n",
	    "ndjson: IE names, one object per line");
	s = render("json", false, false, 0);
	tap_is_str(s, "[\n\n]\n", "empty json array");
	json_nexthop();
	biflow();
	s = render("json", false, false, 4);
	tap_ok(s[0] == '[' && strstr(s, "\"icmpTypeIPv4\": 8, "
	    "\"icmpCodeIPv4\": 0") != NULL && strstr(s, "},\n{") != NULL,
	    "json array with ICMP type/code");
}

static void
test_emit(void)
{
	struct out_opts oo = { false, false };
	struct output *o;
	struct obuf b;
	char err[64], *buf = NULL;
	size_t len = 0;
	FILE *f;

	f = open_memstream(&buf, &len);
	output_new("json", &oo, &o, err, sizeof(err));
	obuf_init(&b);
	output_begin(o, &b);
	output_emit(o, &b, f);
	output_record(o, &recs[0], NULL, &b);
	output_emit(o, &b, f);
	output_record(o, &recs[1], NULL, &b);
	output_end(o, &b);
	output_emit(o, &b, f);
	fclose(f);
	tap_ok(strncmp(buf, "[\n{", 3) == 0 && strstr(buf, "},\n{") != NULL &&
	    strcmp(buf + len - 4, "}\n]\n") == 0,
	    "emit drops the first separator only");
	free(buf);
	obuf_fini(&b);
	output_free(o);
}

static void
test_numbers(void)
{
	char b[OUT_NUMLEN], d[48];

	tap_is_str(out_number(999999, false, b, sizeof(b)), "999999", "<1M");
	tap_is_str(out_number(1000000, false, b, sizeof(b)), "  1.0 M", "1M");
	tap_is_str(out_number(2500000000ULL, false, b, sizeof(b)), "  2.5 G",
	    "G");
	tap_is_str(out_number(7100000000000ULL, false, b, sizeof(b)),
	    "  7.1 T", "T");
	tap_is_str(out_number(7100000000000ULL, true, b, sizeof(b)),
	    "7100000000000", "-N");
	tap_is_str(out_duration(90061001, false, d, sizeof(d)),
	    " 1d 01:01:01.001", "duration with days");
	tap_is_uint(out_bps(100, 0), 0, "bps of a zero duration is 0");
	tap_is_uint(out_pps(2000, 11000), 181, "pps truncates");
}

static uint64_t
xs(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

/*
 * out_number formats "%5.1f M/G/T" and out_addr IPv6 text itself: both
 * must be what printf and inet_ntop write, for boundaries, exact ties
 * and a few hundred thousand values.
 */
static void
test_against_libc(void)
{
	static const uint64_t edge[] = { 1000000, 1049999, 1050000, 1150000,
	    1250000, 1350000, 9950000, 99950000, 999949999, 999950000,
	    999999999, 1000000000, 1250000000, 999950000000ULL,
	    1000000000000ULL, 2250000000000ULL, UINT64_MAX };
	static const char *const addrs[] = { "::", "::1", "1::", "::ffff:1.2.3.4",
	    "::1.2.3.4", "::0.0.1.2", "::ffff:0:1.2.3.4", "1:0:0:1:0:0:0:1",
	    "1:0:0:1:0:0:1:1", "0:0:1::1", "1:2:3:4:5:6:7:8", "1::8",
	    "fe80::a:b:c:d", "2001:db8::1:0:0:1", "0:1:0:1:0:1:0:1",
	    "ffff::", "::ffff:0:0", "0:0:0:0:0:ffff:0:1", "1:0::",
	    "::fffe:1.2.3.4" };
	char b[OUT_NUMLEN], ref[64], t[ADDR_STRLEN], r6[ADDR_STRLEN];
	uint64_t x = 0x2545f4914f6cdd1dULL, v;
	size_t bad = 0, nbad = 0, n = 0;
	struct nf_addr a;

	for (size_t i = 0; i < sizeof(edge) / sizeof(edge[0]) + 400000; i++) {
		double f;

		if (i < sizeof(edge) / sizeof(edge[0]))
			v = edge[i];
		else if (i % 4 == 0)	/* exact ties: x.x5 M, G, T */
			v = (xs(&x) % 100000 * 10 + 5) * (i % 8 == 0 ?
			    50000 : 50000000);
		else
			v = 1000000 + xs(&x) % (UINT64_C(1) << (20 +
			    (unsigned)(i % 44)));
		f = (double)v;
		snprintf(ref, sizeof(ref), "%5.1f %c", f >= 1e12 ? f / 1e12 :
		    f >= 1e9 ? f / 1e9 : f / 1e6, f >= 1e12 ? 'T' :
		    f >= 1e9 ? 'G' : 'M');
		if (v >= 1000000 && strcmp(out_number(v, false, b, sizeof(b)),
		    ref) != 0 && nbad++ < 5)
			tap_diag("%llu: %s, printf %s", (unsigned long long)v,
			    b, ref);
		n++;
	}
	tap_ok(nbad == 0, "out_number = printf's %%5.1f for %zu values", n);
	n = 0;
	for (size_t i = 0; i < sizeof(addrs) / sizeof(addrs[0]) + 300000;
	    i++) {
		if (i < sizeof(addrs) / sizeof(addrs[0])) {
			if (addr_parse(addrs[i], &a) != NFE_OK) {
				tap_diag("cannot parse %s", addrs[i]);
				bad++;
				continue;
			}
		} else {
			/* groups zero, small or full, so runs of zeros of
			 * every length and place come up */
			uint64_t r = xs(&x);

			for (int g = 0; g < 8; g++) {
				unsigned k = (unsigned)(r >> (4 * g)) & 3;
				unsigned w = k == 0 ? 0 : k == 1 ?
				    (unsigned)(xs(&x) & 0xf) :
				    (unsigned)(xs(&x) & 0xffff);

				a.a[2 * g] = (uint8_t)(w >> 8);
				a.a[2 * g + 1] = (uint8_t)w;
			}
			if (i % 16 == 0) {	/* the dotted tails */
				memset(a.a, 0, 10);
				a.a[10] = a.a[11] = i % 32 == 0 ? 0xff : 0;
			}
		}
		if (addr_is_v4(&a))
			continue;
		out_addr(&a, true, t, sizeof(t));
		addr_format(&a, r6, sizeof(r6));
		if (strcmp(t, r6) != 0 && bad++ < 5)
			tap_diag("%s, inet_ntop %s", t, r6);
		n++;
	}
	tap_ok(bad == 0 && n > 250000, "out_addr = inet_ntop for %zu IPv6 "
	    "addresses", n);
}

static void
test_summary(void)
{
	struct out_opts oo = { false, false };
	struct out_summary s = { 5, 125470, 990169633, QRECS_T0,
	    QRECS_T0 + 26000, 5, 5, 0, 0, 684, QRECS_T0, QRECS_T0 + 26000 };
	struct output *o;
	struct obuf b;
	char err[64];

	output_new("line", &oo, &o, err, sizeof(err));
	obuf_init(&b);
	s.pass_first_ms = QRECS_T0;
	s.pass_last_ms = QRECS_T0 + 26000;
	output_summary(o, &s, &b);
	tap_is_str(b.p,
"Summary: total flows: 5, total bytes: 990.2 M, total packets: 125470, avg bps: 304.7 M, avg pps: 4825, avg bpp: 7891\n"
"Time window: 2026-11-23 09:39:19 - 2026-11-23 09:39:45\n"
"Total records processed: 5, passed: 5, Blocks skipped: 0, Bytes read: 684\n",
	    "summary as nfdump");
	obuf_reset(&b);
	/*
	 * nfdump 1.7.1: the rates of a filtered summary are over the
	 * passed records' own time span (here 10 s of the 26 s), and
	 * pps is scaled like bps.
	 */
	s.pass_first_ms = QRECS_T0 + 6000;
	s.pass_last_ms = QRECS_T0 + 16000;
	s.packets = 31400000;
	output_summary(o, &s, &b);
	tap_ok(strncmp(b.p, "Summary: total flows: 5, total bytes: 990.2 M, "
	    "total packets: 31.4 M, avg bps: 792.1 M, avg pps: 3.1 M, ", 104)
	    == 0, "filtered summary: rates over the passed records' span, "
	    "pps scaled (%.*s)", 110, b.p);
	s.packets = 125470;
	s.pass_first_ms = QRECS_T0;
	s.pass_last_ms = QRECS_T0 + 26000;
	obuf_reset(&b);
	s.flows = s.packets = s.bytes = s.passed = 0;
	output_summary(o, &s, &b);
	tap_ok(strncmp(b.p, "No matching flows\nSummary: total flows: 0, "
	    "total bytes: 0, total packets: 0, avg bps: 0, avg pps: 0, "
	    "avg bpp: 0\n", 100) == 0, "no matching flows");
	output_free(o);
	output_new("csv", &oo, &o, err, sizeof(err));
	obuf_reset(&b);
	s.flows = 5;
	s.packets = 125470;
	s.bytes = 990169633;
	output_summary(o, &s, &b);
	tap_is_str(b.p, "Summary\nflows,bytes,packets,avg_bps,avg_pps,"
	    "avg_bpp\n5,990169633,125470,304667579,4825,7891\n",
	    "csv summary as nfdump");
	obuf_fini(&b);
	output_free(o);
}

/* Zone offsets, half hours and a DST change, from POSIX TZ strings. */
static void
test_zones(void)
{
	struct out_opts oo = { false, false };
	struct output *o;
	struct obuf b;
	char err[64];
	/* 2026-03-08 06:59:59.500 and 07:00:00.250 UTC: EST -> EDT */
	uint64_t t1 = UINT64_C(1772953199500), t2 = UINT64_C(1772953200250);

	output_new("csv", &oo, &o, err, sizeof(err));
	obuf_init(&b);
	setenv("TZ", "IST-5:30", 1);
	tzset();
	out_time(o, QRECS_T0, true, &b);
	obuf_putc(&b, ' ');
	out_time(o, QRECS_T0, false, &b);
	tap_is_str(b.p, "2026-11-23T15:09:19.000+05:30 2026-11-23 15:09:19.000",
	    "half-hour zone");
	output_free(o);
	output_new("csv", &oo, &o, err, sizeof(err));
	obuf_reset(&b);
	setenv("TZ", "EST5EDT,M3.2.0,M11.1.0", 1);
	tzset();
	out_time(o, t1, true, &b);
	obuf_putc(&b, ' ');
	out_time(o, t2, true, &b);
	obuf_putc(&b, ' ');
	out_time(o, t1, false, &b);
	tap_is_str(b.p, "2026-03-08T01:59:59.500-05:00 "
	    "2026-03-08T03:00:00.250-04:00 2026-03-08 01:59:59.500",
	    "daylight saving change");
	setenv("TZ", "UTC", 1);
	tzset();
	obuf_fini(&b);
	output_free(o);
}

/*
 * The fields routers send: tokens (nfdump's widths), JSON members by
 * their IANA names, CSV's "fwd"; records without them are the goldens
 * above.
 */
static void
test_router_fields(void)
{
	struct flowrec *r = &recs[0];
	const char *s;

	r->fwd_status = 64;
	addr_parse("192.0.2.1", &r->bgp_nexthop);
	r->min_ttl = 60;
	r->max_ttl = 64;
	r->flow_label = 12345;
	r->in_vrf = 5;
	r->out_vrf = 6;
	r->vlan_prio = 3;
	r->src_cvlan = 100;
	r->dst_cvlan = 200;
	r->nat_event = 4;
	addr_parse("198.51.100.7", &r->nat_src);
	addr_parse("2001:db8::9", &r->nat_dst);
	r->nat_src_port = 40000;
	r->nat_dst_port = 443;
	r->pb_start = 1024;
	r->pb_end = 2047;
	r->pb_step = 1;
	r->pb_size = 1024;
	r->received_ms = r->last_ms + 1500;
	r->in_src_mac = UINT64_C(0x001b210a0b01);
	r->out_dst_mac = UINT64_C(0xfeedfacecafe);
	r->mpls1 = 16000 << 4 | 5 << 1;
	r->mpls2 = 300 << 4 | 1 << 1 | 1;
	r->mpls_top_type = 3;
	addr_parse("192.0.2.5", &r->mpls_top_addr);
	tap_is_str(lastline(render("fmt:%fwd|%nhb|%minttl|%maxttl|%flabel|"
	    "%ivrf|%vrf|%evrf|%vpri|%scvln|%dcvln", false, false, 1)),
	    " 64|       192.0.2.1|    60|    64|  12345|         5|"
	    "         5|         6|   3|   100|   200\n",
	    "fmt: forwarding, BGP next hop, TTLs, flow label, VRFs, VLANs");
	tap_is_str(lastline(render("fmt:%nevt|%nsa|%nda|%nsp|%ndp|%nsap|"
	    "%pbstart|%pbend|%pbstep|%pbsize|%tr|%trr", false, false, 1)),
	    "  ADD44|    198.51.100.7|     2001:db8::9| 40000|   443|"
	    "    198.51.100.7:40000|   1024|   2047|      1|   1024|"
	    "2026-11-23 09:39:20.500|1795426760.500\n",
	    "fmt: NAT event, addresses, ports, port block, received");
	tap_is_str(lastline(render("fmt:%ismc|%odmc|%idmc|%osmc", false,
	    false, 1)), "00:1b:21:0a:0b:01|fe:ed:fa:ce:ca:fe|"
	    "00:00:00:00:00:00|00:00:00:00:00:00\n", "fmt: MAC addresses");
	tap_is_str(lastline(render("fmt:%mpls1|%mpls2|%mpls3|%mpls10|"
	    "%mplstype|%mplsaddr", false, false, 1)),
	    "   16000-5-0|     300-1-1|       0-0-0|       0-0-0|        3|"
	    "       192.0.2.5\n", "fmt: MPLS labels as nfdump");
	r->app_id = UINT64_C(13) << 56 | 80;
	tap_is_str(lastline(render("fmt:%nbid|", false, false, 1)),
	    "13..80|\n", "fmt: application id as nfdump's %nbid");
	s = render("ndjson", false, false, 1);
	tap_ok(strstr(s, "\"applicationId\": \"13..80\", ") != NULL,
	    "json: applicationId as engine..selector");
	r->app_id = 0;
	{
		static const struct { unsigned v; const char *s; } ev[] = {
			{ 0, "INVALID|" }, { 1, "    ADD|" },
			{ 2, " DELETE|" }, { 16, "ADDPBLK|" },
			{ 17, "DELPBLK|" }, { 18, "THRESHLD|" },
			{ 19, "19-Unknown|" },
		};
		bool ok = true;

		for (size_t i = 0; i < NF_NELEM(ev); i++) {
			r->nat_event = (uint8_t)ev[i].v;
			s = lastline(render("fmt:%nevt|", false, false, 1));
			if (strcmp(s, ev[i].s) != 0 &&
			    !(strncmp(s, ev[i].s, strlen(ev[i].s)) == 0 &&
			    strcmp(s + strlen(ev[i].s), "\n") == 0)) {
				tap_diag("event %u: '%s'", ev[i].v, s);
				ok = false;
			}
		}
		tap_ok(ok, "fmt: %%nevt by nfdump's event names");
		r->nat_event = 4;
	}
	s = render("csv", false, false, 1);
	tap_ok(strstr(s, ",...AP.SF,64,0,") != NULL, "csv: fwd");
	s = render("ndjson", false, false, 1);
	tap_ok(strstr(s, "\"tcpControlBits\": 27, \"forwardingStatus\": 64, "
	    "\"ipClassOfService\": 0, ") != NULL &&
	    strstr(s, "\"exporterIPv4Address\": \"127.0.0.1\", "
	    "\"bgpNextHopIPv4Address\": \"192.0.2.1\", "
	    "\"minimumTTL\": 60, \"maximumTTL\": 64, "
	    "\"flowLabelIPv6\": 12345, \"ingressVRFID\": 5, "
	    "\"egressVRFID\": 6, \"dot1qPriority\": 3, "
	    "\"dot1qCustomerVlanId\": 100, "
	    "\"postDot1qCustomerVlanId\": 200, \"natEvent\": 4, "
	    "\"postNATSourceIPv4Address\": \"198.51.100.7\", "
	    "\"postNATDestinationIPv6Address\": \"2001:db8::9\", "
	    "\"postNAPTSourceTransportPort\": 40000, "
	    "\"postNAPTDestinationTransportPort\": 443, "
	    "\"portRangeStart\": 1024, \"portRangeEnd\": 2047, "
	    "\"portRangeStepSize\": 1, \"portRangeNumPorts\": 1024, "
	    "\"collectionTimeMilliseconds\": "
	    "\"2026-11-23T09:39:20.500+00:00\", "
	    "\"sourceMacAddress\": \"00:1b:21:0a:0b:01\", "
	    "\"postDestinationMacAddress\": \"fe:ed:fa:ce:ca:fe\", "
	    "\"mplsTopLabelStackSection\": \"16000-5-0\", "
	    "\"mplsLabelStackSection2\": \"300-1-1\", "
	    "\"mplsTopLabelType\": 3, "
	    "\"mplsTopLabelIPv4Address\": \"192.0.2.5\"}\n") != NULL,
	    "json: the new members, named by their elements");
	if (strstr(s, "forwardingStatus") == NULL || strstr(s, "natEvent") ==
	    NULL)
		tap_diag("%s", s);
	qrecs_fill(recs);
}

int
main(void)
{
	qrecs_fill(recs);
	tap_no_plan();
	test_line();
	test_fmt();
	test_v6();
	test_csv_json();
	test_emit();
	test_numbers();
	test_against_libc();
	test_summary();
	test_zones();
	test_router_fields();
	return tap_done();
}
