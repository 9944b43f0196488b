/*
 * tests/t_meter.c -- probe/meter: each flowEndReason at its exact
 * time (idle, active, end of flow after RST and after FIN from both
 * sides or from a one-way flow, forced, lack of resources), per-class
 * timeouts, -T levels, clock going backwards, batching, export errors,
 * dump iteration, statistics, and -t parsing.
 */
#include "common/base/compat.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/base/nferr.h"
#include "probe/meter.h"
#include "tap.h"

#define MAXREC	4096

struct sink {
	struct flowrec	recs[MAXREC];
	size_t		n;
	size_t		calls;
	size_t		max_batch;
	int		ret;
};

static struct sink sink;

static int
collect(void *arg, const struct flowrec *recs, size_t n)
{
	struct sink *s = arg;

	s->calls++;
	if (n > s->max_batch)
		s->max_batch = n;
	for (size_t i = 0; i < n && s->n < MAXREC; i++)
		s->recs[s->n++] = recs[i];
	return s->ret;
}

/* A packet from 10.0.0.a:sp to 10.0.0.b:dp. */
static struct pkt
mkpkt(uint64_t ts, uint8_t proto, uint8_t a, uint16_t sp, uint8_t b,
    uint16_t dp, uint8_t flags, uint32_t bytes)
{
	struct pkt p;

	memset(&p, 0, sizeof(p));
	addr_from_v4(&p.key.src, 0x0a000000 | a);
	addr_from_v4(&p.key.dst, 0x0a000000 | b);
	p.key.sport = sp;
	p.key.dport = dp;
	p.key.proto = proto;
	p.key.af = 4;
	p.ts_ms = ts;
	p.tcp_flags = flags;
	p.bytes = bytes;
	return p;
}

static struct meter *
setup(struct meter_conf *c)
{
	struct sipkey sk = { 5, 6 };
	struct meter *mt;

	memset(&sink, 0, sizeof(sink));
	if (meter_new(c, &sk, collect, &sink, &mt) != NFE_OK)
		abort();
	return mt;
}

static void
feed(struct meter *mt, uint64_t ts, uint8_t proto, uint8_t a, uint16_t sp,
    uint8_t b, uint16_t dp, uint8_t flags, uint32_t bytes)
{
	struct pkt p = mkpkt(ts, proto, a, sp, b, dp, flags, bytes);

	meter_packet(mt, &p);
}

/* Record i is from 10.0.0.a:sp with these times, counts and reason. */
static bool
rec_is(size_t i, uint8_t a, uint16_t sp, uint64_t first, uint64_t last,
    uint64_t pkts, uint64_t bytes, uint8_t flags, uint8_t reason)
{
	const struct flowrec *r = &sink.recs[i];

	if (i >= sink.n) {
		tap_diag("record %zu missing (%zu records)", i, sink.n);
		return false;
	}
	if (addr_v4(&r->src) != (0x0a000000u | a) || r->src_port != sp ||
	    r->first_ms != first || r->last_ms != last ||
	    r->packets != pkts || r->bytes != bytes ||
	    r->tcp_flags != flags || r->end_reason != reason) {
		char buf[512];

		tap_diag("record %zu: %s", i, flowrec_dump(r, buf,
		    sizeof(buf)));
		return false;
	}
	return true;
}

static void
test_idle(void)
{
	struct meter_conf c;
	struct meter *mt;

	meter_conf_init(&c);
	mt = setup(&c);
	feed(mt, 1000, 17, 1, 53, 2, 5353, 0, 100);
	feed(mt, 2000, 17, 1, 53, 2, 5353, 0, 50);
	meter_expire(mt, 16999);
	tap_is_uint(sink.n, 0, "idle: nothing before last + 15 s");
	meter_expire(mt, 17000);
	tap_ok(sink.n == 1 && rec_is(0, 1, 53, 1000, 2000, 2, 150, 0,
	    FLOWEND_IDLE), "idle: expired at last + 15 s exactly");
	tap_ok(sink.recs[0].af == 4 && sink.recs[0].proto == 17 &&
	    sink.recs[0].dst_port == 5353 && sink.recs[0].sampling == 1 &&
	    addr_v4(&sink.recs[0].dst) == 0x0a000002, "idle: record fields");
	tap_is_uint(meter_active(mt), 0, "idle: table empty");

	/* a packet exactly at the deadline starts a new flow */
	feed(mt, 20000, 17, 1, 53, 2, 5353, 0, 10);
	feed(mt, 35000, 17, 1, 53, 2, 5353, 0, 20);
	tap_ok(sink.n == 2 && rec_is(1, 1, 53, 20000, 20000, 1, 10, 0,
	    FLOWEND_IDLE), "idle: packet at the deadline ends the old flow");
	meter_expire_all(mt, FLOWEND_FORCED);
	tap_ok(sink.n == 3 && rec_is(2, 1, 53, 35000, 35000, 1, 20, 0,
	    FLOWEND_FORCED), "forced: the new flow at shutdown");
	meter_free(mt);
}

static void
test_active(void)
{
	struct meter_conf c;
	struct meter *mt;
	char err[128];

	meter_conf_init(&c);
	meter_conf_set(&c, "active=10", err, sizeof(err));
	mt = setup(&c);
	for (uint64_t t = 0; t <= 12000; t += 1000)
		feed(mt, t, 6, 1, 1000, 2, 22, TCPF_ACK, 40);
	tap_ok(sink.n == 1 && rec_is(0, 1, 1000, 0, 9000, 10, 400, TCPF_ACK,
	    FLOWEND_ACTIVE), "active: long flow cut at first + 10 s");
	meter_expire(mt, 19999);
	tap_is_uint(sink.n, 1, "active: second part not yet due");
	meter_expire(mt, 20000);
	tap_ok(sink.n == 2 && rec_is(1, 1, 1000, 10000, 12000, 3, 120,
	    TCPF_ACK, FLOWEND_ACTIVE), "active: second part at its first + "
	    "10 s, before its idle deadline");
	meter_free(mt);
}

static void
test_rst_fin(void)
{
	struct meter_conf c;
	struct meter *mt;

	meter_conf_init(&c);
	mt = setup(&c);
	feed(mt, 0, 6, 1, 1111, 2, 80, TCPF_SYN, 60);
	feed(mt, 1000, 6, 1, 1111, 2, 80, TCPF_RST, 40);
	meter_expire(mt, 5999);
	tap_is_uint(sink.n, 0, "rst: not before last + tcp.rst");
	meter_expire(mt, 6000);
	tap_ok(sink.n == 1 && rec_is(0, 1, 1111, 0, 1000, 2, 100,
	    TCPF_SYN | TCPF_RST, FLOWEND_EOF), "rst: end of flow at last + 5 s");
	meter_free(mt);

	/* FIN from both sides: each direction moves once both have FIN */
	mt = setup(&c);
	feed(mt, 0, 6, 1, 2222, 2, 80, TCPF_SYN, 60);
	feed(mt, 100, 6, 2, 80, 1, 2222, TCPF_SYN | TCPF_ACK, 60);
	feed(mt, 1000, 6, 1, 2222, 2, 80, TCPF_FIN | TCPF_ACK, 40);
	feed(mt, 1100, 6, 2, 80, 1, 2222, TCPF_FIN | TCPF_ACK, 40);
	feed(mt, 1200, 6, 1, 2222, 2, 80, TCPF_ACK, 40);
	meter_expire(mt, 6099);
	tap_is_uint(sink.n, 0, "fin: nothing before last + tcp.fin");
	meter_expire(mt, 6100);
	tap_ok(sink.n == 1 && rec_is(0, 2, 80, 100, 1100, 2, 100,
	    TCPF_SYN | TCPF_ACK | TCPF_FIN, FLOWEND_EOF),
	    "fin: server side ends at its last + 5 s");
	meter_expire(mt, 6200);
	tap_ok(sink.n == 2 && rec_is(1, 1, 2222, 0, 1200, 3, 140,
	    TCPF_SYN | TCPF_ACK | TCPF_FIN, FLOWEND_EOF),
	    "fin: client side ends at its last + 5 s");
	meter_free(mt);

	/* one FIN, reverse direction never seen: tcp.fin at once */
	mt = setup(&c);
	feed(mt, 0, 6, 3, 3333, 4, 80, TCPF_FIN, 40);
	meter_expire(mt, 5000);
	tap_ok(sink.n == 1 && rec_is(0, 3, 3333, 0, 0, 1, 40, TCPF_FIN,
	    FLOWEND_EOF), "fin: one-way flow ends 5 s after its FIN");
	meter_free(mt);

	/* FIN one way, reverse alive without FIN: tcp idle, then EOF */
	mt = setup(&c);
	feed(mt, 100, 6, 2, 80, 1, 4444, TCPF_ACK, 40);
	feed(mt, 1000, 6, 1, 4444, 2, 80, TCPF_FIN, 40);
	meter_expire(mt, 15999);
	tap_ok(sink.n == 1 && rec_is(0, 2, 80, 100, 100, 1, 40, TCPF_ACK,
	    FLOWEND_IDLE), "half close: the silent side idles out");
	meter_expire(mt, 16000);
	tap_ok(sink.n == 2 && rec_is(1, 1, 4444, 1000, 1000, 1, 40, TCPF_FIN,
	    FLOWEND_EOF), "half close: the FIN side ends as end of flow "
	    "after the tcp timeout");
	meter_free(mt);
}

static void
test_classes(void)
{
	struct meter_conf c;
	struct meter *mt;
	char err[128];

	meter_conf_init(&c);
	tap_is_int(meter_conf_set(&c, "udp=5", err, sizeof(err)), NFE_OK,
	    "udp=5");
	tap_is_int(meter_conf_set(&c, "idle=30s", err, sizeof(err)), NFE_OK,
	    "idle=30s after udp=5");
	mt = setup(&c);
	feed(mt, 0, 17, 1, 1, 2, 2, 0, 10);
	feed(mt, 0, 6, 1, 1, 2, 2, 0, 10);
	feed(mt, 0, 1, 1, 0, 2, 0x0800, 0, 10);
	feed(mt, 0, 47, 1, 0, 2, 0, 0, 10);
	meter_expire(mt, 5000);
	tap_ok(sink.n == 1 && sink.recs[0].proto == 17,
	    "udp flow at its own 5 s");
	meter_expire(mt, 29999);
	tap_is_uint(sink.n, 1, "others not before 30 s");
	meter_expire(mt, 30000);
	tap_ok(sink.n == 4 && sink.recs[1].proto == 6 &&
	    sink.recs[2].proto == 1 && sink.recs[3].proto == 47,
	    "tcp, icmp, general at 30 s, in class order");
	tap_ok(meter_stats(mt)->by_class[EXP_UDP] == 1 &&
	    meter_stats(mt)->by_class[EXP_GENERAL] == 1 &&
	    meter_stats(mt)->by_reason[FLOWEND_IDLE] == 4,
	    "counted by class and reason");
	meter_free(mt);
}

static void
test_lack(void)
{
	struct meter_conf c;
	struct meter *mt;

	meter_conf_init(&c);
	c.max_flows = 3;
	mt = setup(&c);
	feed(mt, 100, 17, 1, 1, 9, 9, 0, 10);
	feed(mt, 200, 6, 2, 2, 9, 9, 0, 10);
	feed(mt, 300, 17, 3, 3, 9, 9, 0, 10);
	feed(mt, 400, 17, 1, 1, 9, 9, 0, 10);
	feed(mt, 500, 6, 4, 4, 9, 9, 0, 10);
	tap_is_uint(meter_active(mt), 3, "table stays at its limit");
	meter_expire(mt, 500);
	tap_ok(sink.n == 1 && rec_is(0, 2, 2, 200, 200, 1, 10, 0,
	    FLOWEND_LACK), "least recently seen flow evicted, lack of "
	    "resources");
	feed(mt, 600, 17, 5, 5, 9, 9, 0, 10);
	meter_expire(mt, 600);
	tap_ok(sink.n == 2 && rec_is(1, 3, 3, 300, 300, 1, 10, 0,
	    FLOWEND_LACK), "next eviction takes the next least recent");
	tap_is_uint(meter_stats(mt)->by_reason[FLOWEND_LACK], 2,
	    "evictions counted");
	meter_expire_all(mt, FLOWEND_FORCED);
	tap_ok(sink.n == 5 && rec_is(2, 1, 1, 100, 400, 2, 20, 0,
	    FLOWEND_FORCED) && rec_is(3, 4, 4, 500, 500, 1, 10, 0,
	    FLOWEND_FORCED) && rec_is(4, 5, 5, 600, 600, 1, 10, 0,
	    FLOWEND_FORCED), "forced: oldest first");
	meter_free(mt);
}

static int
count_dump(void *arg, const struct flowrec *r)
{
	uint64_t *sum = arg;

	*sum = *sum * 10 + (addr_v4(&r->src) & 0xff);
	return r->end_reason;
}

static void
test_misc(void)
{
	struct meter_conf c;
	struct meter *mt;
	uint64_t order = 0;

	meter_conf_init(&c);
	c.level = FLOWKEY_PROTO;
	c.sampling = 10;
	mt = setup(&c);
	feed(mt, 5000, 6, 1, 1000, 2, 80, TCPF_SYN, 60);
	feed(mt, 4000, 6, 1, 1001, 2, 443, TCPF_ACK, 40);
	feed(mt, 5500, 17, 3, 1, 2, 2, 0, 40);
	tap_is_int(meter_foreach(mt, count_dump, &order), NFE_OK,
	    "dump iterates");
	tap_is_uint(order, 13, "dump: oldest first");
	meter_expire_all(mt, FLOWEND_FORCED);
	tap_ok(sink.n == 2 && rec_is(0, 1, 0, 5000, 5000, 2, 100,
	    TCPF_SYN | TCPF_ACK, FLOWEND_FORCED), "-T proto: ports ignored; "
	    "time going back counts as the latest");
	tap_ok(sink.recs[0].dst_port == 0 && sink.recs[0].sampling == 10,
	    "record: no ports, sampling rate");
	meter_free(mt);

	/* batches of at most METER_BATCH; export errors counted */
	meter_conf_init(&c);
	mt = setup(&c);
	sink.ret = NFE_IO;
	for (uint32_t i = 0; i < 600; i++)
		feed(mt, 0, 17, (uint8_t)(i & 0xff), (uint16_t)i, 2, 2, 0, 1);
	meter_expire_all(mt, FLOWEND_FORCED);
	tap_ok(sink.n == 600 && sink.calls == 3 &&
	    sink.max_batch == METER_BATCH, "600 records in 3 batches");
	tap_ok(meter_stats(mt)->export_errors == 3 &&
	    meter_stats(mt)->records == 600 &&
	    meter_stats(mt)->created == 600 &&
	    meter_stats(mt)->packets == 600 &&
	    meter_stats(mt)->peak_flows == 600,
	    "statistics: errors, records, created, packets, peak");
	meter_free(mt);
	meter_free(NULL);
}

/* meter_packets() must give exactly what meter_packet() gives. */
static void
test_batch_equal(void)
{
	static struct flowrec one[MAXREC];
	static struct pkt pk[3000];
	struct meter_conf c;
	struct meter *mt;
	uint32_t x = 12345;
	size_t n1;

	for (size_t i = 0; i < NF_NELEM(pk); i++) {
		x = x * 1103515245 + 12345;
		pk[i] = mkpkt(i * 37, (x >> 8) % 3 == 0 ? 17 : 6,
		    (uint8_t)((x >> 16) % 40), (uint16_t)((x >> 24) % 3), 2, 80,
		    (x >> 4) % 50 == 0 ? TCPF_FIN : (x >> 4) % 61 == 0 ?
		    TCPF_RST : TCPF_ACK, 40 + (x % 1000));
	}
	meter_conf_init(&c);
	c.max_flows = 100;
	c.idle_ms[EXP_UDP] = 1000;
	mt = setup(&c);
	for (size_t i = 0; i < NF_NELEM(pk); i++)
		meter_packet(mt, &pk[i]);
	meter_expire_all(mt, FLOWEND_FORCED);
	n1 = sink.n;
	memcpy(one, sink.recs, sizeof(one));
	meter_free(mt);
	mt = setup(&c);
	meter_packets(mt, pk, 7);
	meter_packets(mt, pk + 7, NF_NELEM(pk) - 7);
	meter_expire_all(mt, FLOWEND_FORCED);
	tap_ok(n1 > 500 && n1 == sink.n &&
	    memcmp(one, sink.recs, n1 * sizeof(one[0])) == 0,
	    "batched accounting gives the same %zu records", n1);
	tap_ok(meter_stats(mt)->by_reason[FLOWEND_LACK] > 0 &&
	    meter_stats(mt)->by_reason[FLOWEND_EOF] > 0 &&
	    meter_stats(mt)->by_reason[FLOWEND_IDLE] > 0,
	    "and the stream exercised evictions, end of flow and idle");
	meter_free(mt);
}

static void
test_conf(void)
{
	struct meter_conf c;
	uint64_t ms;
	char err[256];

	tap_ok(meter_parse_time("1h30m", &ms) == NFE_OK && ms == 5400000,
	    "1h30m");
	tap_ok(meter_parse_time("90", &ms) == NFE_OK && ms == 90000,
	    "bare number is seconds");
	tap_ok(meter_parse_time("1w1d1h1m1s", &ms) == NFE_OK &&
	    ms == UINT64_C(694861000), "all units summed");
	tap_ok(meter_parse_time("", &ms) == NFE_INVAL &&
	    meter_parse_time("5x", &ms) == NFE_INVAL &&
	    meter_parse_time("m", &ms) == NFE_INVAL &&
	    meter_parse_time("-5", &ms) == NFE_INVAL &&
	    meter_parse_time("99999999999999999999", &ms) == NFE_INVAL,
	    "bad times refused");
	meter_conf_init(&c);
	tap_ok(c.idle_ms[EXP_TCP] == 15000 && c.idle_ms[EXP_GENERAL] ==
	    15000 && c.idle_ms[EXP_TCP_FIN] == 5000 && c.active_ms ==
	    1800000 && c.max_flows == 65536, "defaults");
	meter_conf_set(&c, "tcp=1h", err, sizeof(err));
	meter_conf_set(&c, "idle=60", err, sizeof(err));
	meter_conf_set(&c, "tcp.rst=0", err, sizeof(err));
	meter_conf_set(&c, "tcp.fin=2m", err, sizeof(err));
	meter_conf_set(&c, "icmp=7", err, sizeof(err));
	meter_conf_set(&c, "general=8", err, sizeof(err));
	meter_conf_set(&c, "maxlife=0", err, sizeof(err));
	meter_conf_set(&c, "expint=10", err, sizeof(err));
	tap_ok(c.idle_ms[EXP_TCP] == 3600000 && c.idle_ms[EXP_UDP] == 60000 &&
	    c.idle_ms[EXP_TCP_RST] == 0 && c.idle_ms[EXP_TCP_FIN] == 120000 &&
	    c.idle_ms[EXP_ICMP] == 7000 && c.idle_ms[EXP_GENERAL] == 8000 &&
	    c.active_ms == 0 && c.interval_ms == 10000,
	    "softflowd names and ours");
	tap_ok(meter_conf_set(&c, "bogus=1", err, sizeof(err)) ==
	    NFE_INVAL && strstr(err, "bogus") != NULL, "unknown name: %s",
	    err);
	tap_ok(meter_conf_set(&c, "udp", err, sizeof(err)) == NFE_INVAL &&
	    strstr(err, "name=time") != NULL, "no '=': %s", err);
	tap_ok(meter_conf_set(&c, "udp=5y", err, sizeof(err)) == NFE_INVAL &&
	    strstr(err, "5y") != NULL, "bad time: %s", err);
}

/* -b: both directions in one flow; the FIN rule over both; due flows. */
static void
test_biflow(void)
{
	struct meter_conf c;
	struct meter *mt;
	const struct flowrec *r = &sink.recs[0];

	meter_conf_init(&c);
	c.biflow = true;
	mt = setup(&c);
	feed(mt, 0, 6, 1, 2222, 2, 80, TCPF_SYN, 60);
	feed(mt, 100, 6, 2, 80, 1, 2222, TCPF_SYN | TCPF_ACK, 60);
	feed(mt, 200, 6, 1, 2222, 2, 80, TCPF_ACK, 40);
	feed(mt, 300, 6, 2, 80, 1, 2222, TCPF_ACK, 1500);
	feed(mt, 1000, 6, 1, 2222, 2, 80, TCPF_FIN | TCPF_ACK, 40);
	feed(mt, 1100, 6, 2, 80, 1, 2222, TCPF_FIN | TCPF_ACK, 40);
	meter_expire(mt, 6099);
	tap_is_uint(sink.n, 0, "biflow: nothing before last + tcp.fin");
	meter_expire(mt, 6100);
	tap_ok(sink.n == 1 && rec_is(0, 1, 2222, 0, 1100, 3, 140,
	    TCPF_SYN | TCPF_ACK | TCPF_FIN, FLOWEND_EOF) &&
	    r->out_packets == 3 && r->out_bytes == 1600,
	    "biflow: one record, the first sender's direction forward, the "
	    "other's counters as out, ended 5 s after the second FIN");
	tap_ok(meter_stats(mt)->packets == 6 && meter_stats(mt)->created == 1,
	    "biflow: six packets, one flow");
	meter_free(mt);

	/* a FIN one way while the other side still talks: not the end */
	mt = setup(&c);
	feed(mt, 0, 6, 1, 3333, 2, 80, TCPF_SYN, 60);
	feed(mt, 100, 6, 2, 80, 1, 3333, TCPF_SYN | TCPF_ACK, 60);
	feed(mt, 1000, 6, 1, 3333, 2, 80, TCPF_FIN | TCPF_ACK, 40);
	meter_expire(mt, 6000);
	tap_is_uint(sink.n, 0, "biflow: one FIN of two directions is not "
	    "the end");
	meter_free(mt);

	/* a reverse flow that is already due ends; the packet starts one */
	mt = setup(&c);
	feed(mt, 0, 17, 1, 5353, 2, 53, 0, 80);
	feed(mt, 20000, 17, 2, 53, 1, 5353, 0, 120);
	meter_expire_all(mt, FLOWEND_EOF);
	tap_ok(sink.n == 2 && rec_is(0, 1, 5353, 0, 0, 1, 80, 0,
	    FLOWEND_IDLE) && sink.recs[0].out_packets == 0 &&
	    rec_is(1, 2, 53, 20000, 20000, 1, 120, 0, FLOWEND_EOF),
	    "biflow: an idle reverse flow ends, the late answer is a flow");
	meter_free(mt);

	/* without -b: two flows, no out counters (as before) */
	c.biflow = false;
	mt = setup(&c);
	feed(mt, 0, 17, 1, 5353, 2, 53, 0, 80);
	feed(mt, 10, 17, 2, 53, 1, 5353, 0, 120);
	meter_expire_all(mt, FLOWEND_EOF);
	tap_ok(sink.n == 2 && sink.recs[0].out_packets == 0 &&
	    sink.recs[1].out_packets == 0, "no -b: two unidirectional flows");
	meter_free(mt);
}

/*
 * -x: a flow's record carries its first packet's MACs, priority, inner
 * VID, flow label and MPLS entries and the TTL range of all of them;
 * without conf.extras, none of it (meter_packets_x then ignores x).
 */
static void
test_extras(void)
{
	struct meter_conf c;
	struct meter *mt;
	struct pkt p[3];
	struct pkt_extra x[3];
	const struct flowrec *r;
	static const uint8_t ttls[3] = { 60, 64, 12 };

	for (int i = 0; i < 3; i++) {
		p[i] = mkpkt(1000 + (uint64_t)i, 17, 1, 500, 2, 53, 0, 100);
		p[i].key.vlan = 10;
		p[i].key.vlan_inner = 20;
		p[i].mpls[0] = 0x0642f - (uint32_t)i;	/* later ones differ */
		p[i].mpls[1] = 0x00c85;
		p[i].mpls_depth = 2;
		memset(&x[i], 0, sizeof(x[i]));
		x[i].src_mac = 0x020000000001 + (uint64_t)i;
		x[i].dst_mac = 0x0a0000000002;
		x[i].flow_label = 0x12345 + (uint32_t)i;
		x[i].ttl = ttls[i];
		x[i].vlan_prio = (uint8_t)(5 + i);
		x[i].has = PKTX_MACS | PKTX_PRIO;
	}
	meter_conf_init(&c);
	c.extras = true;
	mt = setup(&c);
	meter_packets_x(mt, p, x, 3);
	meter_expire_all(mt, FLOWEND_FORCED);
	r = &sink.recs[0];
	tap_ok(sink.n == 1 && r->packets == 3, "extras: one flow of 3 packets");
	tap_ok(r->in_src_mac == 0x020000000001 &&
	    r->in_dst_mac == 0x0a0000000002, "extras: first packet's MACs");
	tap_ok(r->min_ttl == 12 && r->max_ttl == 64, "extras: TTL range");
	tap_ok(r->flow_label == 0x12345 && r->vlan_prio == 5 &&
	    r->src_cvlan == 20 && r->src_vlan == 10,
	    "extras: flow label, priority, inner VID");
	tap_ok(r->mpls1 == 0x0642f && r->mpls2 == 0x00c85 && r->mpls3 == 0,
	    "extras: MPLS entries");
	meter_free(mt);

	meter_conf_init(&c);
	mt = setup(&c);
	meter_packets_x(mt, p, x, 3);
	meter_expire_all(mt, FLOWEND_FORCED);
	r = &sink.recs[0];
	tap_ok(sink.n == 1 && r->packets == 3 && r->in_src_mac == 0 &&
	    r->min_ttl == 0 && r->max_ttl == 0 && r->flow_label == 0 &&
	    r->mpls1 == 0 && r->src_cvlan == 0,
	    "extras: none without conf.extras");
	meter_free(mt);
}

int
main(void)
{
	tap_no_plan();
	test_idle();
	test_active();
	test_rst_fin();
	test_classes();
	test_lack();
	test_misc();
	test_batch_equal();
	test_conf();
	test_biflow();
	test_extras();
	return tap_done();
}
