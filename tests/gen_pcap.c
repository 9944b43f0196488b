/*
 * tests/gen_pcap.c -- deterministic capture generator for flowprobe's
 * tests, benchmark and demo.  Writes classic pcap files (microsecond,
 * little endian) directly through tests/pcapgen.c; the link-type cases
 * are in gen_pcap_links.c, the demo in gen_pcap_demo.c, the
 * benchmark's mixes in gen_pcap_mix.c.
 *
 *   gen_pcap CASE FILE
 *     basic     Ethernet: TCP session closed by FIN from both sides, a
 *               TCP connection reset, UDP, ICMP, IPv6 UDP, ICMPv6, SCTP,
 *               an ARP frame, a truncated frame and an 802.3 LLC frame,
 *               and a UDP packet 60 s later
 *     vlan      Ethernet: the same UDP 5-tuple untagged, 802.1Q and QinQ
 *     sll sll2 raw null loop ipv4 ipv6
 *               one IPv4 UDP and one IPv6 TCP packet on each link type
 *     l3        Ethernet: IPv4 options, IPv4 fragments in order and out
 *               of order, IPv6 hop-by-hop + routing + destination
 *               options, IPv6 fragments, AH, an unknown next header
 *     timeouts  raw IP: flows cut by the idle, active and RST timeouts
 *     ppp       PPP: IPv4 and IPv6 with and without address/control and
 *               with protocol field compression, MPLS, LCP, IPCP
 *     pppserial PPP in HDLC-like framing and Cisco HDLC framing mixed:
 *               IPv4, IPv6, MPLS, SLARP, LCP
 *     chdlc     Cisco HDLC: IPv4, IPv6, MPLS, SLARP, CDP
 *     pppoe     Ethernet: PPPoE discovery, LCP, IPv4 and IPv6 sessions
 *               untagged, behind a tag and in QinQ, compressed
 *               protocol, MPLS in a session
 *     pppether  PPPoE link type: discovery, IPv4, IPv6
 *     mpls      Ethernet: MPLS stacks of 1 and 3 labels, explicit null
 *               behind a tag, pseudowires with and without control
 *               word, an OAM frame, a 17-label stack, a frame cut
 *               inside the stack
 *     demo      Ethernet: five minutes of a small office with a story
 *               for demo.sh (gen_pcap_demo.c tells it)
 *   gen_pcap bulk FILE PACKETS FLOWS SEED
 *               Ethernet, PACKETS packets over FLOWS concurrent flows
 *               (one in four IPv6, TCP and UDP), 10 us apart; a flow
 *               ends (TCP: with FIN) and is replaced by a new one with
 *               probability 1/64 per packet.  Frames are cut to their
 *               headers (caplen) but keep their full length on the wire.
 *   gen_pcap mix FILE PACKETS SEED [name=value ...]
 *               Ethernet, conversations in both directions with full
 *               frames: the benchmark's traffic mixes (gen_pcap_mix.c)
 *   gen_pcap variant FILE IN be|ns|bens|pcapng
 *               IN's packets in another file format (gen_pcap_variant.c)
 *
 * Every case but demo starts at 2023-11-14 22:13:20 UTC (1700000000 s).
 */
#include "common/base/compat.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/pcapgen.h"

static void
v4tcp(uint64_t ts, uint32_t s, uint16_t sp, uint32_t d, uint16_t dp,
    uint8_t flags, uint16_t len)
{
	struct frame f;

	link_hdr(&f, 4, NULL, 0);
	ip4_hdr(&f, A4(s), A4(d), 6, 0, len, 1, 0x4000, 0);
	tcp_hdr(&f, sp, dp, flags);
	emit(&f, ts, len);
}

static void
v4udp(uint64_t ts, uint32_t s, uint16_t sp, uint32_t d, uint16_t dp,
    uint16_t len, const uint16_t *vids, int ntags)
{
	struct frame f;

	link_hdr(&f, 4, vids, ntags);
	ip4_hdr(&f, A4(s), A4(d), 17, 0, len, 2, 0, 0);
	ports_hdr(&f, sp, dp, (uint16_t)(len - 20));
	emit(&f, ts, len);
}

static void
v6l4(uint64_t ts, uint32_t s, uint16_t sp, uint32_t d, uint16_t dp,
    uint8_t proto, uint8_t flags, uint16_t plen)
{
	struct frame f;

	link_hdr(&f, 6, NULL, 0);
	ip6_hdr(&f, s, d, proto, 0, plen);
	if (proto == 6)
		tcp_hdr(&f, sp, dp, flags);
	else if (proto == 58) {
		wbuf_u8(&f.w, (uint8_t)(dp >> 8));
		wbuf_u8(&f.w, (uint8_t)dp);
	} else
		ports_hdr(&f, sp, dp, plen);
	emit(&f, ts, 40 + (size_t)plen);
}

static void
case_basic(void)
{
	struct frame f;
	uint64_t t = T0;

	pcap_header(LT_EN10MB);
	/* TCP 10.0.0.1:40000 <-> 10.0.0.2:80, closed with FIN both ways */
	v4tcp(t, 1, 40000, 2, 80, 0x02, 60);
	v4tcp(t + 1000, 2, 80, 1, 40000, 0x12, 60);
	v4tcp(t + 2000, 1, 40000, 2, 80, 0x10, 52);
	v4tcp(t + 3000, 1, 40000, 2, 80, 0x18, 552);
	v4tcp(t + 4000, 2, 80, 1, 40000, 0x18, 1452);
	v4tcp(t + SEC, 1, 40000, 2, 80, 0x11, 52);
	v4tcp(t + SEC + 1000, 2, 80, 1, 40000, 0x11, 52);
	v4tcp(t + SEC + 2000, 1, 40000, 2, 80, 0x10, 52);
	/* TCP reset: 10.0.0.3:40001 -> 10.0.0.2:81 refused */
	v4tcp(t + 2 * SEC, 3, 40001, 2, 81, 0x02, 60);
	v4tcp(t + 2 * SEC + 500, 2, 81, 3, 40001, 0x14, 40);
	/* DNS over UDP, ICMP echo */
	v4udp(t + 3 * SEC, 1, 5353, 4, 53, 60, NULL, 0);
	v4udp(t + 3 * SEC + 20000, 4, 53, 1, 5353, 120, NULL, 0);
	link_hdr(&f, 4, NULL, 0);
	ip4_hdr(&f, A4(1), A4(4), 1, 0, 84, 3, 0, 0);
	wbuf_u8(&f.w, 8);
	wbuf_u8(&f.w, 0);
	emit(&f, t + 4 * SEC, 84);
	/* IPv6 UDP with traffic class, ICMPv6 echo, SCTP */
	link_hdr(&f, 6, NULL, 0);
	ip6_hdr(&f, 1, 2, 17, 0xb8, 108);
	ports_hdr(&f, 5004, 5006, 108);
	emit(&f, t + 5 * SEC, 148);
	v6l4(t + 5 * SEC + 1000, 2, 0, 1, 0x8000, 58, 0, 64);
	link_hdr(&f, 4, NULL, 0);
	ip4_hdr(&f, A4(5), A4(6), 132, 0, 64, 4, 0, 0);
	ports_hdr(&f, 2905, 2905, 0);
	emit(&f, t + 6 * SEC, 64);
	/* not IP: ARP; truncated: IPv4 TCP cut inside the TCP header */
	link_hdr(&f, 0, NULL, 0);
	wbuf_zero(&f.w, 28);
	pcap_record(t + 7 * SEC, f.buf, wbuf_len(&f.w), wbuf_len(&f.w));
	link_hdr(&f, 4, NULL, 0);
	ip4_hdr(&f, A4(7), A4(8), 6, 0, 40, 5, 0, 0);
	tcp_hdr(&f, 1, 2, 0x02);
	pcap_record(t + 7 * SEC + 1, f.buf, 14 + 20 + 10, 54);
	/* 802.3 LLC (spanning tree) */
	wbuf_init(&f.w, f.buf, sizeof(f.buf));
	wbuf_bytes(&f.w, mac_b, 6);
	wbuf_bytes(&f.w, mac_a, 6);
	wbuf_be16(&f.w, 38);
	wbuf_be32(&f.w, 0x42420300);
	wbuf_zero(&f.w, 34);
	pcap_record(t + 7 * SEC + 2, f.buf, wbuf_len(&f.w), wbuf_len(&f.w));
	/* a late packet: everything above times out before it */
	v4udp(t + 60 * SEC, 9, 9, 10, 10, 28, NULL, 0);
}

static void
case_vlan(void)
{
	static const uint16_t q[1] = { 0x2064 };	/* prio 1, VID 100 */
	static const uint16_t qq[2] = { 200, 100 };

	pcap_header(LT_EN10MB);
	v4udp(T0, 1, 1000, 2, 2000, 100, NULL, 0);
	v4udp(T0 + 1000, 1, 1000, 2, 2000, 100, q, 1);
	v4udp(T0 + 2000, 1, 1000, 2, 2000, 100, qq, 2);
	v4udp(T0 + 3000, 1, 1000, 2, 2000, 100, q, 1);
}

static void
case_link(int lt)
{
	pcap_header(lt);
	if (lt != LT_IPV6)
		v4udp(T0, 1, 1000, 2, 2000, 100, NULL, 0);
	if (lt != LT_IPV4)
		v6l4(T0 + 1000, 1, 3000, 2, 443, 6, 0x02, 20);
}

static void
case_l3(void)
{
	struct frame f;
	uint64_t t = T0;
	uint8_t a[16];

	pcap_header(LT_EN10MB);
	/* IPv4 with 8 bytes of options, UDP */
	link_hdr(&f, 4, NULL, 0);
	ip4_hdr(&f, A4(1), A4(2), 17, 0, 100, 10, 0, 8);
	ports_hdr(&f, 7000, 7001, 72);
	emit(&f, t, 100);
	/* datagram 0x1111: first fragment, then the last one */
	link_hdr(&f, 4, NULL, 0);
	ip4_hdr(&f, A4(1), A4(2), 17, 0, 1500, 0x1111, 0x2000, 0);
	ports_hdr(&f, 8000, 8001, 2000);
	emit(&f, t + 1000, 1500);
	link_hdr(&f, 4, NULL, 0);
	ip4_hdr(&f, A4(1), A4(2), 17, 0, 540, 0x1111, 185, 0);
	emit(&f, t + 1001, 540);
	/* datagram 0x2222: last fragment first (ports unknown), then first */
	link_hdr(&f, 4, NULL, 0);
	ip4_hdr(&f, A4(1), A4(2), 17, 0, 540, 0x2222, 185, 0);
	emit(&f, t + 2000, 540);
	link_hdr(&f, 4, NULL, 0);
	ip4_hdr(&f, A4(1), A4(2), 17, 0, 1500, 0x2222, 0x2000, 0);
	ports_hdr(&f, 8000, 8001, 2000);
	emit(&f, t + 2001, 1500);
	/* IPv6: hop-by-hop, routing (type 0, one address), dstopts, TCP */
	link_hdr(&f, 6, NULL, 0);
	ip6_hdr(&f, 1, 2, 0, 0, 8 + 24 + 8 + 20);
	wbuf_be16(&f.w, 43 << 8 | 0);
	wbuf_be16(&f.w, 0x0104);
	wbuf_be32(&f.w, 0);
	wbuf_be16(&f.w, 60 << 8 | 2);
	wbuf_be16(&f.w, 0);
	wbuf_be32(&f.w, 0);
	ip6_addr(a, 0, 3);
	wbuf_bytes(&f.w, a, 16);
	wbuf_be16(&f.w, 6 << 8 | 0);
	wbuf_be16(&f.w, 0x0104);
	wbuf_be32(&f.w, 0);
	tcp_hdr(&f, 9000, 22, 0x02);
	emit(&f, t + 3000, 100);
	/* IPv6 fragments of one UDP datagram, in order */
	link_hdr(&f, 6, NULL, 0);
	ip6_hdr(&f, 1, 2, 44, 0, 1448);
	wbuf_be32(&f.w, 17u << 24 | 1);		/* offset 0, M */
	wbuf_be32(&f.w, 0xabcdef01);
	ports_hdr(&f, 9100, 9101, 2000);
	emit(&f, t + 4000, 1488);
	link_hdr(&f, 6, NULL, 0);
	ip6_hdr(&f, 1, 2, 44, 0, 568);
	wbuf_be32(&f.w, 17u << 24 | 1440);		/* offset 1440 */
	wbuf_be32(&f.w, 0xabcdef01);
	emit(&f, t + 4001, 608);
	/* IPv6 AH then UDP */
	link_hdr(&f, 6, NULL, 0);
	ip6_hdr(&f, 1, 2, 51, 0, 24 + 8);
	wbuf_be16(&f.w, 17 << 8 | 4);
	wbuf_be16(&f.w, 0);
	wbuf_be32(&f.w, 0x100);
	wbuf_be32(&f.w, 1);
	wbuf_zero(&f.w, 12);
	ports_hdr(&f, 9200, 9201, 8);
	emit(&f, t + 5000, 72);
	/* IPv6 hop-by-hop then an unknown next header (253) */
	link_hdr(&f, 6, NULL, 0);
	ip6_hdr(&f, 1, 2, 0, 0, 16);
	wbuf_be16(&f.w, 253 << 8 | 0);
	wbuf_be16(&f.w, 0x0104);
	wbuf_be32(&f.w, 0);
	emit(&f, t + 6000, 56);
}

static void
case_timeouts(void)
{
	uint64_t t = T0;

	pcap_header(LT_RAW);
	/* UDP: packets at 0 s and 10 s, then 30 s (15 s idle apart) */
	v4udp(t, 1, 1000, 2, 53, 50, NULL, 0);
	v4udp(t + 10 * SEC, 1, 1000, 2, 53, 50, NULL, 0);
	/*
	 * TCP: one packet every 10 s from 20 s to 2420 s (active timeout);
	 * meanwhile a reset flow at 700 s, the same ports 2 s later (still
	 * the reset flow) and 20 s later (a new flow).
	 */
	for (uint64_t s = 20; s <= 2420; s += 10) {
		if (s == 30)
			v4udp(t + 30 * SEC, 1, 1000, 2, 53, 50, NULL, 0);
		if (s == 710)
			v4tcp(t + 702 * SEC, 5, 3000, 6, 80, 0x02, 40);
		if (s == 720)
			v4tcp(t + 720 * SEC, 5, 3000, 6, 80, 0x02, 40);
		v4tcp(t + s * SEC, 3, 2000, 4, 22, 0x10, 40);
		if (s == 700)
			v4tcp(t + 700 * SEC, 5, 3000, 6, 80, 0x04, 40);
	}
}

/* ---- bulk ---- */

static uint64_t rng_state;

static uint64_t
rng(void)
{
	uint64_t z = (rng_state += UINT64_C(0x9e3779b97f4a7c15));

	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

struct bflow {
	uint32_t	src, dst;
	uint16_t	sp, dp;
	uint8_t		v6, tcp;
};

static void
bulk_new(struct bflow *b)
{
	uint64_t r = rng();

	b->src = (uint32_t)r;
	b->dst = (uint32_t)(r >> 32);
	r = rng();
	b->sp = (uint16_t)(1024 + r % 60000);
	b->dp = (uint16_t)(r >> 16);
	b->v6 = (r >> 32) % 4 == 0;
	b->tcp = (r >> 40) % 3 != 0;
}

static void
case_bulk(uint64_t npkts, uint64_t nflows, uint64_t seed)
{
	struct bflow *fl;
	struct frame f;
	uint64_t r, i;
	uint16_t len;
	bool end;

	if (nflows == 0 || npkts == 0)
		exit(2);
	if ((fl = calloc(nflows, sizeof(*fl))) == NULL)
		exit(1);
	rng_state = seed;
	for (i = 0; i < nflows; i++)
		bulk_new(&fl[i]);
	pcap_header(LT_EN10MB);
	for (i = 0; i < npkts; i++) {
		struct bflow *b;

		r = rng();
		b = &fl[r % nflows];
		len = (uint16_t)(64 + (r >> 32) % 1400);
		end = (r >> 48) % 64 == 0;
		link_hdr(&f, b->v6 ? 6 : 4, NULL, 0);
		if (b->v6) {
			ip6_hdr(&f, b->src, b->dst, b->tcp ? 6 : 17, 0, len);
			len = (uint16_t)(len + 40);
		} else
			ip4_hdr(&f, b->src, b->dst, b->tcp ? 6 : 17, 0, len,
			    (uint16_t)i, 0x4000, 0);
		if (b->tcp)
			tcp_hdr(&f, b->sp, b->dp, end ? 0x11 : 0x18);
		else
			ports_hdr(&f, b->sp, b->dp, len);
		pcap_record(T0 + i * 10, f.buf, wbuf_len(&f.w),
		    f.l3 + (size_t)len);
		if (end)
			bulk_new(b);
	}
	free(fl);
}

static uint64_t
num(const char *s)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (*end != '\0' || errno != 0) {
		fprintf(stderr, "gen_pcap: bad number %s\n", s);
		exit(2);
	}
	return v;
}

int
main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int lt;
	} links[] = {
		{ "sll", LT_SLL }, { "sll2", LT_SLL2 }, { "raw", LT_RAW },
		{ "null", LT_NULL }, { "loop", LT_LOOP }, { "ipv4", LT_IPV4 },
		{ "ipv6", LT_IPV6 },
	};
	const char *c;
	FILE *out;

	if (argc < 3) {
		fprintf(stderr, "usage: gen_pcap case file | "
		    "gen_pcap bulk file packets flows seed |\n"
		    "       gen_pcap mix file packets seed [name=value ...] |\n"
		    "       gen_pcap variant file in be|ns|bens|pcapng\n");
		return 2;
	}
	c = argv[1];
	if ((out = fopen(argv[2], "wb")) == NULL) {
		perror(argv[2]);
		return 1;
	}
	pcapgen_open(out);
	if (strcmp(c, "basic") == 0)
		case_basic();
	else if (strcmp(c, "vlan") == 0)
		case_vlan();
	else if (strcmp(c, "l3") == 0)
		case_l3();
	else if (strcmp(c, "timeouts") == 0)
		case_timeouts();
	else if (strcmp(c, "ppp") == 0)
		case_ppp();
	else if (strcmp(c, "pppserial") == 0)
		case_pppserial();
	else if (strcmp(c, "chdlc") == 0)
		case_chdlc();
	else if (strcmp(c, "pppoe") == 0)
		case_pppoe();
	else if (strcmp(c, "pppether") == 0)
		case_pppether();
	else if (strcmp(c, "mpls") == 0)
		case_mpls();
	else if (strcmp(c, "demo") == 0)
		case_demo();
	else if (strcmp(c, "bulk") == 0 && argc == 6)
		case_bulk(num(argv[3]), num(argv[4]), num(argv[5]));
	else if (strcmp(c, "mix") == 0 && argc >= 5)
		case_mix(num(argv[3]), num(argv[4]), argc - 5, argv + 5);
	else if (strcmp(c, "variant") == 0 && argc == 5)
		case_variant(argv[3], out, argv[4]);
	else {
		for (size_t i = 0; i < NF_NELEM(links); i++)
			if (strcmp(c, links[i].name) == 0) {
				case_link(links[i].lt);
				goto done;
			}
		fprintf(stderr, "gen_pcap: unknown case %s\n", c);
		return 2;
	}
done:
	if (fclose(out) != 0) {
		perror(argv[2]);
		return 1;
	}
	return 0;
}
