/*
 * tests/gen_pcap.c -- deterministic capture generator for flowprobe's
 * tests and benchmark.  Writes classic pcap files (microsecond, little
 * endian) directly; no libpcap needed.
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
 *   gen_pcap bulk FILE PACKETS FLOWS SEED
 *               Ethernet, PACKETS packets over FLOWS concurrent flows
 *               (one in four IPv6, TCP and UDP), 10 us apart; a flow
 *               ends (TCP: with FIN) and is replaced by a new one with
 *               probability 1/64 per packet.  Frames are cut to their
 *               headers (caplen) but keep their full length on the wire.
 *
 * Every case starts at 2023-11-14 22:13:20 UTC (1700000000 s).
 */
#include "common/compat.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"

#define T0		UINT64_C(1700000000000000)	/* us */
#define SEC		UINT64_C(1000000)

#define LT_NULL		0
#define LT_EN10MB	1
#define LT_PPP		9
#define LT_PPP_HDLC	50	/* DLT_PPP_SERIAL */
#define LT_PPP_ETHER	51
#define LT_RAW		101
#define LT_C_HDLC	104
#define LT_LOOP		108
#define LT_SLL		113
#define LT_IPV4		228
#define LT_IPV6		229
#define LT_SLL2		276

static FILE *out;
static int linktype;

static void
put32(uint32_t v)
{
	uint8_t b[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16),
	    (uint8_t)(v >> 24) };

	fwrite(b, 1, 4, out);
}

static void
pcap_header(int lt)
{
	linktype = lt;
	put32(0xa1b2c3d4);
	put32(2 | 4u << 16);		/* version 2.4 */
	put32(0);
	put32(0);
	put32(65535);
	put32((uint32_t)lt);
}

static void
pcap_record(uint64_t ts_us, const uint8_t *p, size_t caplen, size_t wirelen)
{
	put32((uint32_t)(ts_us / SEC));
	put32((uint32_t)(ts_us % SEC));
	put32((uint32_t)caplen);
	put32((uint32_t)wirelen);
	fwrite(p, 1, caplen, out);
}

/* ---- frame building ---- */

struct frame {
	uint8_t		buf[2048];
	struct wbuf	w;
	size_t		l3;		/* offset of the IP header */
};

static const uint8_t mac_a[6] = { 2, 0, 0, 0, 0, 1 };
static const uint8_t mac_b[6] = { 2, 0, 0, 0, 0, 2 };

/* Link header for the file's link type; af 4 or 6 (0: ARP, Ethernet). */
static void
link_hdr(struct frame *f, int af, const uint16_t *vids, int ntags)
{
	uint16_t et = af == 4 ? 0x0800 : af == 6 ? 0x86dd : 0x0806;

	wbuf_init(&f->w, f->buf, sizeof(f->buf));
	switch (linktype) {
	case LT_EN10MB:
		wbuf_bytes(&f->w, mac_b, 6);
		wbuf_bytes(&f->w, mac_a, 6);
		for (int i = 0; i < ntags; i++) {
			wbuf_be16(&f->w, i == 0 && ntags > 1 ? 0x88a8 : 0x8100);
			wbuf_be16(&f->w, vids[i]);
		}
		wbuf_be16(&f->w, et);
		break;
	case LT_SLL:
		wbuf_be16(&f->w, 0);		/* to us */
		wbuf_be16(&f->w, 1);		/* ARPHRD_ETHER */
		wbuf_be16(&f->w, 6);
		wbuf_bytes(&f->w, mac_a, 6);
		wbuf_zero(&f->w, 2);
		wbuf_be16(&f->w, et);
		break;
	case LT_SLL2:
		wbuf_be16(&f->w, et);
		wbuf_zero(&f->w, 2);
		wbuf_be32(&f->w, 3);		/* ifindex */
		wbuf_be16(&f->w, 1);
		wbuf_u8(&f->w, 0);
		wbuf_u8(&f->w, 6);
		wbuf_bytes(&f->w, mac_a, 6);
		wbuf_zero(&f->w, 2);
		break;
	case LT_NULL:
		wbuf_le32(&f->w, af == 4 ? 2 : 30);
		break;
	case LT_LOOP:
		wbuf_be32(&f->w, af == 4 ? 2 : 24);
		break;
	default:
		break;
	}
	f->l3 = wbuf_len(&f->w);
}

static void
ip4_hdr(struct frame *f, uint32_t src, uint32_t dst, uint8_t proto,
    uint8_t tos, uint16_t totlen, uint16_t id, uint16_t fragoff,
    size_t optlen)
{
	wbuf_u8(&f->w, (uint8_t)(0x40 | (20 + optlen) / 4));
	wbuf_u8(&f->w, tos);
	wbuf_be16(&f->w, totlen);
	wbuf_be16(&f->w, id);
	wbuf_be16(&f->w, fragoff);
	wbuf_u8(&f->w, 64);
	wbuf_u8(&f->w, proto);
	wbuf_be16(&f->w, 0);
	wbuf_be32(&f->w, src);
	wbuf_be32(&f->w, dst);
	for (size_t i = 0; i < optlen; i++)	/* NOPs, then EOL */
		wbuf_u8(&f->w, i + 1 < optlen ? 1 : 0);
}

static void
ip6_addr(uint8_t a[16], uint32_t net, uint32_t host)
{
	memset(a, 0, 16);
	a[0] = 0x20;
	a[1] = 0x01;
	a[2] = 0x0d;
	a[3] = 0xb8;
	a[4] = (uint8_t)(net >> 24);
	a[5] = (uint8_t)(net >> 16);
	a[6] = (uint8_t)(net >> 8);
	a[7] = (uint8_t)net;
	a[12] = (uint8_t)(host >> 24);
	a[13] = (uint8_t)(host >> 16);
	a[14] = (uint8_t)(host >> 8);
	a[15] = (uint8_t)host;
}

static void
ip6_hdr(struct frame *f, uint32_t src, uint32_t dst, uint8_t nh,
    uint8_t tc, uint16_t plen)
{
	uint8_t a[16];

	wbuf_be32(&f->w, 6u << 28 | (uint32_t)tc << 20);
	wbuf_be16(&f->w, plen);
	wbuf_u8(&f->w, nh);
	wbuf_u8(&f->w, 64);
	ip6_addr(a, 0, src);
	wbuf_bytes(&f->w, a, 16);
	ip6_addr(a, 0, dst);
	wbuf_bytes(&f->w, a, 16);
}

static void
tcp_hdr(struct frame *f, uint16_t sp, uint16_t dp, uint8_t flags)
{
	wbuf_be16(&f->w, sp);
	wbuf_be16(&f->w, dp);
	wbuf_be32(&f->w, 1);
	wbuf_be32(&f->w, 0);
	wbuf_u8(&f->w, 0x50);
	wbuf_u8(&f->w, flags);
	wbuf_be16(&f->w, 65535);
	wbuf_be32(&f->w, 0);
}

static void
ports_hdr(struct frame *f, uint16_t sp, uint16_t dp, uint16_t len)
{
	wbuf_be16(&f->w, sp);
	wbuf_be16(&f->w, dp);
	wbuf_be16(&f->w, len);		/* UDP length / SCTP tag half */
	wbuf_be16(&f->w, 0);
}

/* Pad the frame to the IP packet's full length and write it. */
static void
emit(struct frame *f, uint64_t ts, size_t iplen)
{
	size_t have = wbuf_len(&f->w) - f->l3;

	if (iplen > have)
		wbuf_zero(&f->w, iplen - have);
	if (!wbuf_ok(&f->w)) {
		fprintf(stderr, "gen_pcap: frame too large\n");
		exit(1);
	}
	pcap_record(ts, f->buf, wbuf_len(&f->w), wbuf_len(&f->w));
}

#define A4(x)	(UINT32_C(0x0a000000) | (x))	/* 10.0.0.x */

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

/* ---- PPP, HDLC, PPPoE and MPLS ---- */

#define PPP_IPV4	0x0021
#define PPP_IPV6	0x0057
#define PPP_MPLS	0x0281
#define PPP_LCP		0xc021
#define PPP_IPCP	0x8021

static void
frame_begin(struct frame *f)
{
	wbuf_init(&f->w, f->buf, sizeof(f->buf));
}

/* PPP: address 0xff and control 0x03 unless acfc; one-octet protocol if pfc. */
static void
ppp_hdr(struct frame *f, bool acfc, bool pfc, uint16_t proto)
{
	if (!acfc) {
		wbuf_u8(&f->w, 0xff);
		wbuf_u8(&f->w, 0x03);
	}
	if (pfc)
		wbuf_u8(&f->w, (uint8_t)proto);
	else
		wbuf_be16(&f->w, proto);
}

/* Cisco HDLC: address (0x0f unicast, 0x8f broadcast), control 0, type. */
static void
chdlc_hdr(struct frame *f, uint8_t addr, uint16_t etype)
{
	wbuf_u8(&f->w, addr);
	wbuf_u8(&f->w, 0);
	wbuf_be16(&f->w, etype);
}

/* Ethernet MACs, 802.1Q tags (802.1ad first when several), ethertype. */
static void
eth_hdr(struct frame *f, const uint16_t *vids, int ntags, uint16_t etype)
{
	wbuf_bytes(&f->w, mac_b, 6);
	wbuf_bytes(&f->w, mac_a, 6);
	for (int i = 0; i < ntags; i++) {
		wbuf_be16(&f->w, i == 0 && ntags > 1 ? 0x88a8 : 0x8100);
		wbuf_be16(&f->w, vids[i]);
	}
	wbuf_be16(&f->w, etype);
}

/*
 * The Ethernet frame inside a pseudowire.  Its MACs carry a registered
 * OUI (00:00:0c) because Wireshark tells a control word from none by
 * looking the MACs up in its vendor table; tshark judges these files.
 */
static void
pw_eth_hdr(struct frame *f, const uint16_t *vids, int ntags, uint16_t etype)
{
	static const uint8_t da[6] = { 0, 0, 0x0c, 0, 0, 2 };
	static const uint8_t sa[6] = { 0, 0, 0x0c, 0, 0, 1 };

	wbuf_bytes(&f->w, da, 6);
	wbuf_bytes(&f->w, sa, 6);
	for (int i = 0; i < ntags; i++) {
		wbuf_be16(&f->w, 0x8100);
		wbuf_be16(&f->w, vids[i]);
	}
	wbuf_be16(&f->w, etype);
}

/* PPPoE session header (RFC 2516 4) and the PPP protocol; plen: after it. */
static void
pppoe_hdr(struct frame *f, bool pfc, uint16_t proto, size_t plen)
{
	wbuf_u8(&f->w, 0x11);
	wbuf_u8(&f->w, 0x00);
	wbuf_be16(&f->w, 0x1234);		/* session id */
	wbuf_be16(&f->w, (uint16_t)(plen + (pfc ? 1 : 2)));
	ppp_hdr(f, true, pfc, proto);
}

/* n label stack entries, EXP 1 + i, TTL 64 - i, S on the last. */
static void
mpls_hdr(struct frame *f, const uint32_t *labels, int n)
{
	for (int i = 0; i < n; i++)
		wbuf_be32(&f->w, labels[i] << 12 | (uint32_t)((1 + i) & 7) << 9 |
		    (i == n - 1 ? 0x100u : 0) | (uint32_t)(64 - i));
}

/* IP packets after whatever link bytes the frame already holds. */
static void
udp4_after(struct frame *f, uint64_t ts, uint32_t s, uint16_t sp,
    uint32_t d, uint16_t dp, uint16_t len)
{
	f->l3 = wbuf_len(&f->w);
	ip4_hdr(f, A4(s), A4(d), 17, 0, len, 7, 0, 0);
	ports_hdr(f, sp, dp, (uint16_t)(len - 20));
	emit(f, ts, len);
}

static void
tcp4_after(struct frame *f, uint64_t ts, uint32_t s, uint16_t sp,
    uint32_t d, uint16_t dp, uint8_t flags, uint16_t len)
{
	f->l3 = wbuf_len(&f->w);
	ip4_hdr(f, A4(s), A4(d), 6, 0, len, 8, 0x4000, 0);
	tcp_hdr(f, sp, dp, flags);
	emit(f, ts, len);
}

static void
tcp6_after(struct frame *f, uint64_t ts, uint32_t s, uint16_t sp,
    uint32_t d, uint16_t dp, uint8_t flags, uint16_t plen)
{
	f->l3 = wbuf_len(&f->w);
	ip6_hdr(f, s, d, 6, 0, plen);
	tcp_hdr(f, sp, dp, flags);
	emit(f, ts, 40 + (size_t)plen);
}

/* A non-IP frame: the link bytes so far and n bytes of payload. */
static void
other_after(struct frame *f, uint64_t ts, size_t n)
{
	wbuf_zero(&f->w, n);
	pcap_record(ts, f->buf, wbuf_len(&f->w), wbuf_len(&f->w));
}

/*
 * PPP (DLT_PPP): the same two flows with and without address/control
 * and with protocol field compression, MPLS over PPP, LCP and IPCP.
 */
static void
case_ppp(void)
{
	static const uint32_t lbl[2] = { 16, 1000 };
	struct frame f;

	pcap_header(LT_PPP);
	frame_begin(&f);
	ppp_hdr(&f, false, false, PPP_LCP);
	other_after(&f, T0, 10);
	frame_begin(&f);
	ppp_hdr(&f, false, false, PPP_IPCP);
	other_after(&f, T0 + 1000, 10);
	frame_begin(&f);
	ppp_hdr(&f, false, false, PPP_IPV4);
	udp4_after(&f, T0 + 2000, 1, 1000, 2, 53, 60);
	frame_begin(&f);
	ppp_hdr(&f, true, false, PPP_IPV6);
	tcp6_after(&f, T0 + 3000, 1, 3000, 2, 443, 0x02, 20);
	frame_begin(&f);
	ppp_hdr(&f, false, true, PPP_IPV4);
	udp4_after(&f, T0 + 4000, 1, 1000, 2, 53, 80);
	frame_begin(&f);
	ppp_hdr(&f, true, true, PPP_IPV6);
	tcp6_after(&f, T0 + 5000, 1, 3000, 2, 443, 0x10, 120);
	frame_begin(&f);
	ppp_hdr(&f, false, false, PPP_MPLS);
	mpls_hdr(&f, lbl, 2);
	tcp4_after(&f, T0 + 6000, 3, 4000, 4, 22, 0x18, 100);
}

/* PPP serial (DLT_PPP_SERIAL): PPP framing and Cisco HDLC framing. */
static void
case_pppserial(void)
{
	static const uint32_t lbl[1] = { 2 };		/* IPv6 explicit null */
	struct frame f;

	pcap_header(LT_PPP_HDLC);
	frame_begin(&f);
	ppp_hdr(&f, false, false, PPP_IPV4);
	udp4_after(&f, T0, 1, 1000, 2, 2000, 100);
	frame_begin(&f);
	chdlc_hdr(&f, 0x0f, 0x0800);
	udp4_after(&f, T0 + 1000, 1, 1000, 2, 2000, 200);
	frame_begin(&f);
	chdlc_hdr(&f, 0x8f, 0x86dd);
	tcp6_after(&f, T0 + 2000, 1, 3000, 2, 443, 0x02, 20);
	frame_begin(&f);
	chdlc_hdr(&f, 0x0f, 0x8847);
	mpls_hdr(&f, lbl, 1);
	tcp6_after(&f, T0 + 3000, 1, 3000, 2, 443, 0x10, 500);
	frame_begin(&f);
	chdlc_hdr(&f, 0x8f, 0x8035);			/* SLARP */
	other_after(&f, T0 + 4000, 18);
	frame_begin(&f);
	ppp_hdr(&f, false, false, PPP_LCP);
	other_after(&f, T0 + 5000, 8);
}

/* Cisco HDLC (DLT_C_HDLC): IPv4, IPv6, MPLS, SLARP and CDP. */
static void
case_chdlc(void)
{
	static const uint32_t lbl[3] = { 100, 200, 300 };
	struct frame f;

	pcap_header(LT_C_HDLC);
	frame_begin(&f);
	chdlc_hdr(&f, 0x0f, 0x0800);
	udp4_after(&f, T0, 1, 123, 2, 123, 76);
	frame_begin(&f);
	chdlc_hdr(&f, 0x0f, 0x86dd);
	tcp6_after(&f, T0 + 1000, 2, 22, 1, 50000, 0x18, 100);
	frame_begin(&f);
	chdlc_hdr(&f, 0x0f, 0x8847);
	mpls_hdr(&f, lbl, 3);
	tcp4_after(&f, T0 + 2000, 5, 443, 6, 50001, 0x18, 1500);
	frame_begin(&f);
	chdlc_hdr(&f, 0x8f, 0x8035);
	other_after(&f, T0 + 3000, 18);
	frame_begin(&f);
	chdlc_hdr(&f, 0x8f, 0x2000);			/* CDP */
	other_after(&f, T0 + 4000, 30);
}

/*
 * PPPoE in Ethernet: discovery (not IP), LCP in a session (not IP),
 * IPv4 and IPv6 sessions untagged, behind a tag and in QinQ, with
 * protocol field compression, and MPLS inside a session.
 */
static void
case_pppoe(void)
{
	static const uint16_t q[1] = { 100 }, qq[2] = { 200, 100 };
	static const uint32_t lbl[1] = { 5000 };
	struct frame f;

	pcap_header(LT_EN10MB);
	frame_begin(&f);
	eth_hdr(&f, NULL, 0, 0x8863);			/* PADI */
	wbuf_be32(&f.w, 0x11090000);
	wbuf_be16(&f.w, 4);
	wbuf_be32(&f.w, 0x01010000);
	pcap_record(T0, f.buf, wbuf_len(&f.w), wbuf_len(&f.w));
	frame_begin(&f);
	eth_hdr(&f, NULL, 0, 0x8864);
	pppoe_hdr(&f, false, PPP_LCP, 10);
	other_after(&f, T0 + 1000, 10);
	frame_begin(&f);
	eth_hdr(&f, NULL, 0, 0x8864);
	pppoe_hdr(&f, false, PPP_IPV4, 100);
	udp4_after(&f, T0 + 2000, 1, 1000, 2, 2000, 100);
	frame_begin(&f);
	eth_hdr(&f, q, 1, 0x8864);
	pppoe_hdr(&f, false, PPP_IPV6, 60);
	tcp6_after(&f, T0 + 3000, 1, 3000, 2, 443, 0x02, 20);
	frame_begin(&f);
	eth_hdr(&f, q, 1, 0x8864);
	pppoe_hdr(&f, true, PPP_IPV6, 60);
	tcp6_after(&f, T0 + 4000, 1, 3000, 2, 443, 0x10, 20);
	frame_begin(&f);
	eth_hdr(&f, qq, 2, 0x8864);
	pppoe_hdr(&f, false, PPP_IPV4, 100);
	udp4_after(&f, T0 + 5000, 1, 1000, 2, 2000, 100);
	frame_begin(&f);
	eth_hdr(&f, NULL, 0, 0x8864);
	pppoe_hdr(&f, false, PPP_MPLS, 4 + 52);
	mpls_hdr(&f, lbl, 1);
	tcp4_after(&f, T0 + 6000, 7, 5000, 8, 80, 0x18, 52);
}

/* PPPoE as the link type (DLT_PPP_ETHER). */
static void
case_pppether(void)
{
	struct frame f;

	pcap_header(LT_PPP_ETHER);
	frame_begin(&f);
	wbuf_be32(&f.w, 0x11070000);			/* PADO */
	wbuf_be16(&f.w, 0);
	pcap_record(T0, f.buf, wbuf_len(&f.w), wbuf_len(&f.w));
	frame_begin(&f);
	pppoe_hdr(&f, false, PPP_IPV4, 64);
	udp4_after(&f, T0 + 1000, 1, 1000, 2, 2000, 64);
	frame_begin(&f);
	pppoe_hdr(&f, true, PPP_IPV6, 60);
	tcp6_after(&f, T0 + 2000, 1, 3000, 2, 443, 0x02, 20);
}

/*
 * MPLS in Ethernet: one label, three labels (IPv6 guessed by its
 * version), explicit null in 0x8848 behind a tag, a pseudowire with and
 * without control word (Ethernet, tag, IPv4), an OAM frame (associated
 * channel), a stack deeper than the decoder walks, and a frame cut
 * inside the stack.
 */
static void
case_mpls(void)
{
	static const uint16_t q[1] = { 10 }, cq[1] = { 300 };
	static const uint32_t one[1] = { 100 }, three[3] = { 100, 200, 300 };
	static const uint32_t null4[1] = { 0 }, pw[2] = { 16001, 24000 };
	uint32_t deep[17];
	struct frame f;

	for (int i = 0; i < 17; i++)
		deep[i] = 1000 + (uint32_t)i;
	pcap_header(LT_EN10MB);
	frame_begin(&f);
	eth_hdr(&f, NULL, 0, 0x8847);
	mpls_hdr(&f, one, 1);
	udp4_after(&f, T0, 1, 1000, 2, 2000, 100);
	frame_begin(&f);
	eth_hdr(&f, NULL, 0, 0x8847);
	mpls_hdr(&f, three, 3);
	tcp6_after(&f, T0 + 1000, 1, 3000, 2, 443, 0x02, 20);
	frame_begin(&f);
	eth_hdr(&f, q, 1, 0x8848);
	mpls_hdr(&f, null4, 1);
	udp4_after(&f, T0 + 2000, 1, 1000, 2, 2000, 100);
	frame_begin(&f);
	eth_hdr(&f, NULL, 0, 0x8847);
	mpls_hdr(&f, pw, 2);
	wbuf_be32(&f.w, 0x00000001);			/* control word */
	pw_eth_hdr(&f, cq, 1, 0x0800);
	tcp4_after(&f, T0 + 3000, 9, 40000, 10, 80, 0x02, 60);
	frame_begin(&f);
	eth_hdr(&f, NULL, 0, 0x8847);
	mpls_hdr(&f, pw, 2);
	pw_eth_hdr(&f, cq, 1, 0x0800);			/* no control word */
	tcp4_after(&f, T0 + 3500, 9, 40000, 10, 80, 0x10, 52);
	frame_begin(&f);
	eth_hdr(&f, NULL, 0, 0x8847);
	mpls_hdr(&f, pw, 2);
	wbuf_be32(&f.w, 0x10000007);			/* ACH, BFD */
	other_after(&f, T0 + 4000, 24);
	frame_begin(&f);
	eth_hdr(&f, NULL, 0, 0x8847);
	mpls_hdr(&f, deep, 17);
	udp4_after(&f, T0 + 5000, 1, 1000, 2, 2000, 100);
	frame_begin(&f);
	eth_hdr(&f, NULL, 0, 0x8847);
	mpls_hdr(&f, three, 3);
	f.l3 = wbuf_len(&f.w);
	ip4_hdr(&f, A4(1), A4(2), 17, 0, 100, 9, 0, 0);
	pcap_record(T0 + 6000, f.buf, 14 + 8, 14 + 12 + 100);
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

	if (argc < 3) {
		fprintf(stderr, "usage: gen_pcap case file | "
		    "gen_pcap bulk file packets flows seed\n");
		return 2;
	}
	c = argv[1];
	if ((out = fopen(argv[2], "wb")) == NULL) {
		perror(argv[2]);
		return 1;
	}
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
	else if (strcmp(c, "bulk") == 0 && argc == 6)
		case_bulk(num(argv[3]), num(argv[4]), num(argv[5]));
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
