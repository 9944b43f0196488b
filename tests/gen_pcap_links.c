/*
 * tests/gen_pcap_links.c -- capture generator cases for the link types
 * of small routers and provider links: PPP, PPP serial, Cisco HDLC,
 * PPPoE (in Ethernet and as a link type) and MPLS (stacks,
 * pseudowires).  Each mixes IP packets in every framing variant with
 * the non-IP frames of that link (LCP, SLARP, CDP, discovery, OAM).
 */
#include "common/base/compat.h"

#include "tests/pcapgen.h"

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
void
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
void
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
void
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
void
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
void
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
void
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
