/*
 * tests/gen_pcap_demo.c -- the capture behind demo.sh: five minutes of
 * a small office (10.1.0.0/24, 2001:db8:1::/64) and the Internet on one
 * uplink, built so that flowq's first answers tell a story:
 *
 *   - the backup elephant: the NAS 10.1.0.20 copies about 130 MB over
 *     SSH to the offsite store 203.0.113.50, the heaviest talker;
 *   - video: 10.1.0.15 streams about 40 MB from 198.51.100.80:443;
 *   - 40 desktops (10.1.0.100-139, 13 of them also on IPv6) browse
 *     HTTPS servers in 192.0.2.100-159 and 2001:db8:200::/64; each
 *     page load first asks the resolver 10.1.0.53, which
 *     forwards one query in three to 192.0.2.53;
 *   - every host polls NTP on the gateway 10.1.0.1 every 64 s;
 *   - an admin (10.1.0.10) types in SSH sessions to 10.1.0.20 and .21;
 *   - a SYN scanner, 198.51.100.66, sweeps 10.1.0.1-254 on eight ports,
 *     opening more flows than anyone; six ports answer with SYN-ACK,
 *     among them RDP on 10.1.0.15.
 *
 * About 210,000 packets and 8,400 flows, deterministic (fixed seed).
 * Packets are built per actor, then sorted by time and written; frames
 * are cut to their headers and keep their full length on the wire.
 * Starts at 2023-11-15 09:00:00 UTC.
 */
#include "common/base/compat.h"

#include <stdlib.h>
#include <string.h>

#include "tests/pcapgen.h"

#define DT0		(UINT64_C(1700038800) * SEC)
#define MS		UINT64_C(1000)
#define DEMO_SECS	300
#define DEMO_CAP	80		/* bytes kept of a frame: headers */

#define IP(a, b, c, d)	((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | \
			 (uint32_t)(c) << 8 | (uint32_t)(d))
#define LAN(x)		IP(10, 1, 0, x)
#define LAN6		UINT32_C(0x00010000)	/* 2001:db8:1:: */
#define WEB6		UINT32_C(0x02000000)	/* 2001:db8:200:: */

#define SYN	0x02
#define FIN	0x01
#define RST	0x04
#define PSH	0x08
#define ACK	0x10

/* An endpoint: IPv4 address, or IPv6 2001:db8:<net6>::<addr>. */
struct ep {
	uint32_t	addr;
	uint32_t	net6;
	uint16_t	port;
	bool		v6;
};

struct dpkt {
	uint64_t	ts;
	uint32_t	seq;		/* tie-break: generation order */
	uint16_t	caplen, wirelen;
	uint8_t		b[DEMO_CAP];
};

static struct dpkt *pkts;
static size_t npkts, cappkts;
static uint64_t rng_state;

static uint64_t
rng(void)
{
	uint64_t z = (rng_state += UINT64_C(0x9e3779b97f4a7c15));

	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

/* Uniform in [lo, hi). */
static uint64_t
between(uint64_t lo, uint64_t hi)
{
	return lo + rng() % (hi - lo);
}

static void
keep(const struct frame *f, uint64_t ts, size_t iplen)
{
	struct dpkt *d;
	size_t n = wbuf_len(&f->w);

	if (npkts == cappkts) {
		cappkts = cappkts ? cappkts * 2 : 65536;
		if ((pkts = realloc(pkts, cappkts * sizeof(*pkts))) == NULL)
			exit(1);
	}
	if (n > DEMO_CAP || !wbuf_ok(&f->w))
		abort();
	d = &pkts[npkts];
	d->ts = ts;
	d->seq = (uint32_t)npkts++;
	d->caplen = (uint16_t)n;
	d->wirelen = (uint16_t)(f->l3 + iplen);
	memcpy(d->b, f->buf, n);
}

static void
ip_hdrs(struct frame *f, const struct ep *a, const struct ep *b,
    uint8_t proto, uint16_t iplen)
{
	uint8_t x[16];

	link_hdr(f, a->v6 ? 6 : 4, NULL, 0);
	if (!a->v6) {
		ip4_hdr(f, a->addr, b->addr, proto, 0, iplen, 1, 0x4000, 0);
		return;
	}
	wbuf_be32(&f->w, 6u << 28);
	wbuf_be16(&f->w, (uint16_t)(iplen - 40));
	wbuf_u8(&f->w, proto);
	wbuf_u8(&f->w, 64);
	ip6_addr(x, a->net6, a->addr);
	wbuf_bytes(&f->w, x, 16);
	ip6_addr(x, b->net6, b->addr);
	wbuf_bytes(&f->w, x, 16);
}

/* One TCP segment from a to b; iplen is the IP packet's whole length. */
static void
tcp(uint64_t ts, const struct ep *a, const struct ep *b, uint8_t flags,
    uint16_t iplen)
{
	struct frame f;

	ip_hdrs(&f, a, b, 6, iplen);
	tcp_hdr(&f, a->port, b->port, flags);
	keep(&f, ts, iplen);
}

static void
udp(uint64_t ts, const struct ep *a, const struct ep *b, uint16_t iplen)
{
	struct frame f;

	ip_hdrs(&f, a, b, 17, iplen);
	ports_hdr(&f, a->port, b->port, (uint16_t)(iplen - (a->v6 ? 40 : 20)));
	keep(&f, ts, iplen);
}

static void
handshake(uint64_t t, const struct ep *c, const struct ep *s)
{
	uint16_t h = c->v6 ? 60 : 40;

	tcp(t, c, s, SYN, (uint16_t)(h + 4));
	tcp(t + 1 * MS, s, c, SYN | ACK, (uint16_t)(h + 4));
	tcp(t + 2 * MS, c, s, ACK, h);
}

static void
teardown(uint64_t t, const struct ep *c, const struct ep *s)
{
	uint16_t h = c->v6 ? 60 : 40;

	tcp(t, c, s, FIN | ACK, h);
	tcp(t + 1 * MS, s, c, FIN | ACK, h);
	tcp(t + 2 * MS, c, s, ACK, h);
}

/*
 * A bulk transfer from src to dst between t0 and t1: full segments every
 * gap us, an ACK back every ackevery segments.
 */
static void
bulk(const struct ep *src, const struct ep *dst, uint64_t t0, uint64_t t1,
    uint64_t gap, unsigned ackevery, uint16_t seg)
{
	unsigned n = 0;

	for (uint64_t t = t0; t < t1; t += gap, n++) {
		tcp(t, src, dst, ACK | PSH, seg);
		if (n % ackevery == ackevery - 1)
			tcp(t + 200, dst, src, ACK, 52);
	}
}

static void
backup_elephant(void)
{
	struct ep nas = { LAN(20), 0, 41822, false };
	struct ep offsite = { IP(203, 0, 113, 50), 0, 22, false };

	handshake(DT0 + 20 * SEC, &nas, &offsite);
	bulk(&nas, &offsite, DT0 + 20 * SEC + 5 * MS, DT0 + 280 * SEC, 2900,
	    2, 1500);
	teardown(DT0 + 280 * SEC + 10 * MS, &nas, &offsite);
}

static void
video(void)
{
	struct ep pc = { LAN(15), 0, 52114, false };
	struct ep cdn = { IP(198, 51, 100, 80), 0, 443, false };

	handshake(DT0 + 5 * SEC, &pc, &cdn);
	tcp(DT0 + 5 * SEC + 3 * MS, &pc, &cdn, ACK | PSH, 517);
	bulk(&cdn, &pc, DT0 + 5 * SEC + 40 * MS, DT0 + 295 * SEC, 9700, 3,
	    1400);
	teardown(DT0 + 295 * SEC + 10 * MS, &pc, &cdn);
}

/* DNS for one page load; returns when the answer reaches the client. */
static uint64_t
dns_lookup(uint64_t t, const struct ep *host)
{
	struct ep c = { host->addr, 0, (uint16_t)between(30000, 60000), false };
	struct ep res = { LAN(53), 0, 53, false };
	struct ep fwd = { LAN(53), 0, (uint16_t)between(40000, 60000), false };
	struct ep up = { IP(192, 0, 2, 53), 0, 53, false };
	uint64_t done = t + 500;

	udp(t, &c, &res, 70);
	if (rng() % 3 == 0) {			/* not in the resolver's cache */
		done = t + between(15, 40) * MS;
		udp(t + 300, &fwd, &up, 70);
		udp(done - 200, &up, &fwd, 190);
	}
	udp(done, &res, &c, 180);
	return done;
}

/* HTTPS page loads of the 40 desktops (the first 13 dual-stack). */
static void
browsing(void)
{
	for (uint32_t i = 0; i < 40; i++) {
		uint16_t port = 49152;

		for (int load = 0; load < 30; load++) {
			struct ep c = { LAN(100 + i), 0, port++, false };
			struct ep s = { IP(192, 0, 2, 100 + rng() % 60), 0, 443,
			    false };
			uint64_t t, n;

			t = dns_lookup(DT0 + between(0, 290 * SEC), &c);
			if (i < 13 && rng() % 2 == 0) {
				c.v6 = s.v6 = true;
				c.net6 = LAN6;
				c.addr = 100 + i;
				s.net6 = WEB6;
				s.addr = 0x10 + (uint32_t)(rng() % 20);
			}
			t += 1 * MS;
			handshake(t, &c, &s);
			t += 3 * MS;
			tcp(t, &c, &s, ACK | PSH,
			    (uint16_t)between(400, 700));
			n = between(3, 21);
			for (uint64_t k = 0; k < n; k++) {
				t += between(1, 4) * MS;
				tcp(t, &s, &c, ACK | PSH, k + 1 < n ? 1400 :
				    (uint16_t)between(200, 1400));
				if (k % 2 == 1)
					tcp(t + 100, &c, &s, ACK,
					    c.v6 ? 60 : 40);
			}
			teardown(t + 20 * MS, &c, &s);
		}
	}
}

static void
ntp(void)
{
	static const uint8_t servers[] = { 10, 15, 20, 21, 53 };
	struct ep gw = { LAN(1), 0, 123, false };

	for (int i = 0; i < 45; i++) {
		struct ep c = { LAN(i < 40 ? 100 + i : servers[i - 40]), 0,
		    123, false };

		for (uint64_t t = DT0 + between(0, 64 * SEC);
		    t < DT0 + DEMO_SECS * SEC; t += 64 * SEC) {
			udp(t, &c, &gw, 76);
			udp(t + 400, &gw, &c, 76);
		}
	}
}

/* An interactive session: keystrokes, echoes, now and then output. */
static void
ssh_session(uint16_t port, uint32_t server, uint64_t t0, uint64_t t1)
{
	struct ep admin = { LAN(10), 0, port, false };
	struct ep srv = { server, 0, 22, false };
	uint64_t t = t0;

	handshake(t, &admin, &srv);
	while ((t += between(200, 3000) * MS) < t1) {
		tcp(t, &admin, &srv, ACK | PSH, 88);
		tcp(t + 2 * MS, &srv, &admin, ACK | PSH, 88);
		if (rng() % 8 == 0)
			for (int k = 1; k <= 5; k++)
				tcp(t + (uint64_t)k * 3 * MS, &srv, &admin,
				    ACK | PSH, 600);
	}
	teardown(t1, &admin, &srv);
}

static bool
live(uint32_t h)
{
	return h == 1 || h == 10 || h == 15 || h == 20 || h == 21 ||
	    h == 53 || (h >= 100 && h < 140);
}

static bool
open_port(uint32_t h, uint16_t port)
{
	return (h == 1 && port == 443) || (h == 20 && port == 22) ||
	    (h == 21 && (port == 22 || port == 80 || port == 443)) ||
	    (h == 15 && port == 3389);
}

/* A SYN scan: open ports answer SYN-ACK (and get a RST), closed RST. */
static void
scanner(void)
{
	static const uint16_t ports[] = { 22, 23, 80, 443, 445, 3389, 5900,
	    8080 };
	struct ep scan = { IP(198, 51, 100, 66), 0, 61234, false };
	uint64_t t = DT0 + 120 * SEC;

	for (uint32_t h = 1; h <= 254; h++)
		for (size_t i = 0; i < NF_NELEM(ports); i++) {
			struct ep dst = { LAN(h), 0, ports[i], false };

			t += 1500;
			tcp(t, &scan, &dst, SYN, 44);
			if (!live(h))
				continue;
			if (open_port(h, ports[i])) {
				tcp(t + 300, &dst, &scan, SYN | ACK, 44);
				tcp(t + 600, &scan, &dst, RST, 40);
			} else
				tcp(t + 300, &dst, &scan, RST | ACK, 40);
		}
}

static int
by_time(const void *a, const void *b)
{
	const struct dpkt *x = a, *y = b;

	if (x->ts != y->ts)
		return x->ts < y->ts ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

void
case_demo(void)
{
	rng_state = 2023;
	pcap_header(LT_EN10MB);
	backup_elephant();
	video();
	browsing();
	ntp();
	ssh_session(50514, LAN(20), DT0 + 30 * SEC, DT0 + 150 * SEC);
	ssh_session(50522, LAN(21), DT0 + 160 * SEC, DT0 + 240 * SEC);
	scanner();
	qsort(pkts, npkts, sizeof(*pkts), by_time);
	for (size_t i = 0; i < npkts; i++)
		pcap_record(pkts[i].ts, pkts[i].b, pkts[i].caplen,
		    pkts[i].wirelen);
	free(pkts);
	pkts = NULL;
	npkts = cappkts = 0;
}
