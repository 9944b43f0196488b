/*
 * common/pkt/pktlink.c -- link headers and encapsulations down to the IP
 * header (see pktlink.h for what is walked and the limits).
 *
 * References: IEEE 802.1Q (tags), RFC 1042 (SNAP), RFC 1661 2 and 6.5
 * (PPP protocol field and its compression), RFC 1662 3.1 (address
 * 0xff, control 0x03), RFC 1547 4.3.1 and libpcap's LINKTYPE_C_HDLC
 * page (Cisco HDLC: address 0x0f / 0x8f, control, ethertype), RFC 2516
 * 4 (PPPoE header; its section 7 forbids address/control compression,
 * so a PPPoE payload starts with the protocol), RFC 3032 2.1 (label
 * stack entry, explicit null labels), RFC 4385 3 (pseudowire control
 * word: first nibble 0), RFC 4448 (Ethernet over MPLS), libpcap's
 * LINKTYPE_LINUX_SLL / LINUX_SLL2 / NULL / PPP / PPP_HDLC / PPP_ETHER
 * pages.  Every byte is read through struct rbuf.
 */
#include "common/base/compat.h"

#include "common/base/nferr.h"
#include "common/pkt/pktlink.h"

#define ETH_IPV4	PKTLINK_ETH_IPV4
#define ETH_IPV6	PKTLINK_ETH_IPV6
#define ETH_8021Q	0x8100
#define ETH_8021AD	0x88a8
#define ETH_QINQ_OLD	0x9100
#define ETH_MPLS_UC	0x8847
#define ETH_MPLS_MC	0x8848
#define ETH_PPPOE_SESS	0x8864
#define ETH_TEB		0x6558	/* an Ethernet frame follows (RFC 1701) */
#define ETH_MIN_TYPE	0x0600	/* below: 802.3 length field */

#define PPP_ADDRESS	0xff	/* RFC 1662 3.1 */
#define PPP_CONTROL	0x03
#define PPP_IPV4	0x0021	/* RFC 1332 */
#define PPP_IPV6	0x0057	/* RFC 5072 */
#define PPP_MPLS_UC	0x0281	/* RFC 3032 4.3 */
#define PPP_MPLS_MC	0x0283
#define CHDLC_UNICAST	0x0f
#define CHDLC_BCAST	0x8f
#define PPPOE_VERTYPE	0x11	/* RFC 2516 4: version 1, type 1 */
#define PPPOE_SESSION	0x00	/* code of session-stage frames */

#define ARPHRD_ETHER_	1	/* Linux cooked headers' hardware type */

#define MPLS_BOS	0x100	/* bottom-of-stack bit of an entry */
#define MPLS_V4_NULL	0	/* RFC 3032 2.1 reserved labels */
#define MPLS_V6_NULL	2

/* What one frame's walk has met so far. */
struct walk {
	struct pkt	*p;
	struct pkt_extra *x;		/* pktlink_decode_x; else NULL */
	int		 ntags;		/* VLAN tags, whole frame */
	bool		 stack_seen;	/* p->mpls holds the first stack */
	bool		 inner_eth;	/* an Ethernet-over-MPLS frame opened */
	bool		 ether;		/* in an Ethernet header or its tags:
					   a type below 0x600 is a length */
};

bool
pktlink_supported(int dlt)
{
	switch (dlt) {
	case PKT_DLT_NULL:
	case PKT_DLT_EN10MB:
	case PKT_DLT_PPP:
	case PKT_DLT_RAW:
	case PKT_DLT_RAW_BSD:
	case PKT_DLT_PPP_SERIAL:
	case PKT_DLT_PPP_ETHER:
	case PKT_DLT_RAW_LT:
	case PKT_DLT_C_HDLC:
	case PKT_DLT_LOOP:
	case PKT_DLT_LINUX_SLL:
	case PKT_DLT_IPV4:
	case PKT_DLT_IPV6:
	case PKT_DLT_LINUX_SLL2:
		return true;
	default:
		return false;
	}
}

/* The version nibble of what follows, without consuming it. */
static int
peek_version(const struct rbuf *r, unsigned *nibble)
{
	struct rbuf peek = *r;
	uint8_t v;

	v = rbuf_u8(&peek);
	if (!rbuf_ok(&peek))
		return NFE_TRUNC;
	*nibble = v >> 4;
	return NFE_OK;
}

/*
 * The walk takes x in a struct walk that pktlink_decode sets to NULL:
 * inlined into both entry points, every "if (w->x != NULL)" folds
 * away in the ordinary one.
 */
#define WALK_INLINE	static inline __attribute__((always_inline))

/* One VLAN tag (the ethertype that named it has been read). */
WALK_INLINE int
vlan_tag(struct walk *w, struct rbuf *r, uint16_t *etype)
{
	uint16_t tci;

	if (w->ntags == PKTDECODE_MAX_TAGS)
		return NFE_UNSUPP;
	tci = rbuf_be16(r);
	*etype = rbuf_be16(r);
	if (!rbuf_ok(r))
		return NFE_TRUNC;
	if (w->ntags == 0) {
		w->p->key.vlan = tci & 0x0fff;
		if (w->x != NULL) {
			w->x->vlan_prio = (uint8_t)(tci >> 13);
			w->x->has |= PKTX_PRIO;
		}
	} else if (w->ntags == 1)
		w->p->key.vlan_inner = tci & 0x0fff;
	w->ntags++;
	return NFE_OK;
}

/* Ethernet: MAC addresses, then an ethertype or an 802.3 length. */
static int
ether_header(struct rbuf *r, uint16_t *etype)
{
	rbuf_skip(r, 12);			/* destination, source MAC */
	*etype = rbuf_be16(r);
	return rbuf_ok(r) ? NFE_OK : NFE_TRUNC;
}

/* After an 802.3 length: only LLC/SNAP with OUI 0 carries an ethertype. */
static int
llc_snap(struct rbuf *r, uint16_t *etype)
{
	uint8_t llc[6];

	rbuf_bytes(r, llc, sizeof(llc));
	*etype = rbuf_be16(r);
	if (!rbuf_ok(r))
		return NFE_TRUNC;
	if (llc[0] != 0xaa || llc[1] != 0xaa || llc[2] != 0x03 ||
	    llc[3] != 0 || llc[4] != 0 || llc[5] != 0)
		return NFE_UNSUPP;
	return NFE_OK;
}

/*
 * PPP protocol field: two octets, or one when protocol field
 * compression is on (RFC 1661 6.5: an odd first octet is a whole
 * field; only protocols below 0x100, IPv4 and IPv6 among ours, can be
 * compressed).  The protocols under which IP travels map to their
 * ethertypes; any other (LCP, IPCP, CHAP, VJ-compressed TCP, multilink
 * fragments...) is not IP.
 */
static int
ppp_protocol(struct rbuf *r, uint16_t *etype)
{
	uint16_t proto;
	uint8_t b;

	b = rbuf_u8(r);
	if (!rbuf_ok(r))
		return NFE_TRUNC;
	proto = b;
	if ((b & 1) == 0) {
		proto = (uint16_t)(b << 8 | rbuf_u8(r));
		if (!rbuf_ok(r))
			return NFE_TRUNC;
	}
	switch (proto) {
	case PPP_IPV4:
		*etype = ETH_IPV4;
		return NFE_OK;
	case PPP_IPV6:
		*etype = ETH_IPV6;
		return NFE_OK;
	case PPP_MPLS_UC:
		*etype = ETH_MPLS_UC;
		return NFE_OK;
	case PPP_MPLS_MC:
		*etype = ETH_MPLS_MC;
		return NFE_OK;
	default:
		return NFE_UNSUPP;
	}
}

/*
 * A PPP frame that may start with address 0xff and control 0x03, or
 * not (address-and-control-field compression, or a capture that
 * dropped them).  A protocol never starts with 0xff, so the first
 * octet tells them apart.
 */
static int
ppp_frame(struct rbuf *r, uint16_t *etype)
{
	struct rbuf peek = *r;
	uint8_t a;

	a = rbuf_u8(&peek);
	if (!rbuf_ok(&peek))
		return NFE_TRUNC;
	if (a == PPP_ADDRESS) {
		rbuf_skip(r, 1);
		a = rbuf_u8(r);
		if (!rbuf_ok(r))
			return NFE_TRUNC;
		if (a != PPP_CONTROL)
			return NFE_UNSUPP;
	}
	return ppp_protocol(r, etype);
}

/* Cisco HDLC: address, control, then an ethertype. */
static int
chdlc_frame(struct rbuf *r, uint16_t *etype)
{
	rbuf_skip(r, 2);
	*etype = rbuf_be16(r);
	return rbuf_ok(r) ? NFE_OK : NFE_TRUNC;
}

/*
 * PPPoE header (version/type, code, session, length) and the PPP
 * protocol.  Discovery-stage codes and other versions are not IP.
 */
static int
pppoe_header(struct rbuf *r, uint16_t *etype)
{
	uint8_t vt, code;

	vt = rbuf_u8(r);
	code = rbuf_u8(r);
	rbuf_skip(r, 4);			/* session id, length */
	if (!rbuf_ok(r))
		return NFE_TRUNC;
	if (vt != PPPOE_VERTYPE || code != PPPOE_SESSION)
		return NFE_UNSUPP;
	return ppp_protocol(r, etype);
}

/* True if an Ethernet frame of this type is one walk_ethertype opens. */
static bool
walked_type(uint16_t etype)
{
	switch (etype) {
	case ETH_IPV4:
	case ETH_IPV6:
	case ETH_8021Q:
	case ETH_8021AD:
	case ETH_QINQ_OLD:
	case ETH_PPPOE_SESS:
	case ETH_MPLS_UC:
	case ETH_MPLS_MC:
		return true;
	default:
		return false;
	}
}

/*
 * An Ethernet pseudowire (RFC 4448) after the bottom label, without or
 * with the control word of RFC 4385 (first nibble 0).  Nothing on the
 * wire says which: an ethertype we walk 12 bytes in means no control
 * word; failing that, with a first nibble of 0, one 16 bytes in means a
 * control word.  In that order because a tagged frame without control
 * word also has a walked ethertype 16 bytes in, while a control word
 * puts source MAC bytes 12 bytes in.  Any other payload is not ours.
 */
static int
pseudowire(struct rbuf *r, bool maybe_cw, uint16_t *etype)
{
	struct rbuf peek;
	uint16_t t;

	peek = *r;
	rbuf_skip(&peek, 12);
	t = rbuf_be16(&peek);
	if (!rbuf_ok(&peek))
		return NFE_TRUNC;
	if (walked_type(t)) {
		*etype = ETH_TEB;
		return NFE_OK;
	}
	if (!maybe_cw)
		return NFE_UNSUPP;
	peek = *r;
	rbuf_skip(&peek, 4 + 12);
	t = rbuf_be16(&peek);
	if (!rbuf_ok(&peek))
		return NFE_TRUNC;
	if (!walked_type(t))
		return NFE_UNSUPP;
	rbuf_skip(r, 4);
	*etype = ETH_TEB;
	return NFE_OK;
}

/*
 * An MPLS label stack, then a guess at what follows it.  The first
 * stack of the frame is kept: its top PKT_MPLS_LABELS entries (without
 * TTL) and its depth.
 */
static int
mpls_stack(struct walk *w, struct rbuf *r, uint16_t *etype)
{
	struct pkt *p = w->p;
	uint32_t e = 0;
	unsigned nibble;
	int n, rc;

	for (n = 0; (e & MPLS_BOS) == 0; n++) {
		if (n == PKTDECODE_MAX_LABELS)
			return NFE_UNSUPP;
		e = rbuf_be32(r);
		if (!rbuf_ok(r))
			return NFE_TRUNC;
		if (w->stack_seen)
			continue;
		if (n < PKT_MPLS_LABELS)
			p->mpls[n] = e >> 8;
		p->mpls_depth = (uint8_t)(n + 1);
	}
	w->stack_seen = true;
	switch (e >> 12) {
	case MPLS_V4_NULL:
		*etype = ETH_IPV4;
		return NFE_OK;
	case MPLS_V6_NULL:
		*etype = ETH_IPV6;
		return NFE_OK;
	}
	if ((rc = peek_version(r, &nibble)) != NFE_OK)
		return rc;
	switch (nibble) {
	case 4:
		*etype = ETH_IPV4;
		return NFE_OK;
	case 6:
		*etype = ETH_IPV6;
		return NFE_OK;
	case 1:				/* associated channel, RFC 5586 */
		return NFE_UNSUPP;
	default:
		if (w->inner_eth)	/* a pseudowire in a pseudowire */
			return NFE_UNSUPP;
		return pseudowire(r, nibble == 0, etype);
	}
}

/*
 * From an ethertype to IP.  Each step consumes at least four bytes and
 * the chain is finite by construction: tags are bounded, PPP protocols
 * never name PPPoE, a label stack is followed by IP or one Ethernet
 * frame at most, so the loop needs no counter of its own.
 */
WALK_INLINE int
walk_ethertype(struct walk *w, struct rbuf *r, uint16_t *etype)
{
	int rc;

	for (;;) {
		switch (*etype) {
		case ETH_IPV4:
		case ETH_IPV6:
			return NFE_OK;
		case ETH_8021Q:
		case ETH_8021AD:
		case ETH_QINQ_OLD:
			rc = vlan_tag(w, r, etype);
			break;
		case ETH_PPPOE_SESS:
			w->ether = false;
			rc = pppoe_header(r, etype);
			break;
		case ETH_MPLS_UC:
		case ETH_MPLS_MC:
			w->ether = false;
			rc = mpls_stack(w, r, etype);
			break;
		case ETH_TEB:
			if (w->inner_eth)
				return NFE_UNSUPP;
			w->inner_eth = w->ether = true;
			rc = ether_header(r, etype);
			break;
		default:
			if (*etype >= ETH_MIN_TYPE || !w->ether)
				return NFE_UNSUPP;
			w->ether = false;
			rc = llc_snap(r, etype);
			break;
		}
		if (rc != NFE_OK)
			return rc;
	}
}

/* BSD loopback: AF_INET is 2 everywhere; AF_INET6 is 10, 24, 28 or 30. */
static int
link_null(struct rbuf *r, bool net_order, uint16_t *etype)
{
	uint32_t af;

	af = net_order ? rbuf_be32(r) : rbuf_le32(r);
	if (!rbuf_ok(r))
		return NFE_TRUNC;
	if (af > 0xffff)			/* written in the other order */
		af = (af >> 24) | ((af >> 8) & 0xff00);
	switch (af) {
	case 2:
		*etype = ETH_IPV4;
		return NFE_OK;
	case 10:
	case 24:
	case 28:
	case 30:
		*etype = ETH_IPV6;
		return NFE_OK;
	default:
		return NFE_UNSUPP;
	}
}

static int
link_raw(struct rbuf *r, uint16_t *etype)
{
	unsigned v;
	int rc;

	if ((rc = peek_version(r, &v)) != NFE_OK)
		return rc;
	if (v == 4)
		*etype = ETH_IPV4;
	else if (v == 6)
		*etype = ETH_IPV6;
	else
		return NFE_UNSUPP;
	return NFE_OK;
}

/* DLT_PPP_SERIAL: PPP in HDLC-like framing, or Cisco HDLC. */
static int
link_ppp_serial(struct rbuf *r, uint16_t *etype)
{
	struct rbuf peek = *r;
	uint8_t a;

	a = rbuf_u8(&peek);
	if (!rbuf_ok(&peek))
		return NFE_TRUNC;
	if (a == CHDLC_UNICAST || a == CHDLC_BCAST)
		return chdlc_frame(r, etype);
	return ppp_frame(r, etype);
}

/* Six bytes of a MAC address as the low 48 bits of an integer. */
static uint64_t
mac_of(struct rbuf *r)
{
	uint64_t m = (uint64_t)rbuf_be16(r) << 32;

	return m | rbuf_be32(r);
}

/* pktlink_decode_x: an Ethernet header's addresses, not consumed. */
static void
ether_macs(const struct rbuf *r, struct pkt_extra *x)
{
	struct rbuf peek = *r;

	x->dst_mac = mac_of(&peek);
	x->src_mac = mac_of(&peek);
	if (rbuf_ok(&peek))
		x->has |= PKTX_MACS;
	else
		x->dst_mac = x->src_mac = 0;
}

/*
 * pktlink_decode_x: a Linux cooked header's link-layer address (the
 * sender's) when it is an Ethernet one (ARPHRD_ETHER, length 6); r at
 * the header, not consumed.  Offsets: v1 ARPHRD 2, length 4 (16 bits),
 * address 6; v2 ARPHRD 8, length 11 (8 bits), address 12.
 */
static void
cooked_mac(const struct rbuf *r, bool v2, struct pkt_extra *x)
{
	struct rbuf peek = *r;
	uint16_t arphrd, halen;
	uint64_t m;

	rbuf_skip(&peek, v2 ? 8 : 2);
	arphrd = rbuf_be16(&peek);
	if (v2) {
		rbuf_skip(&peek, 1);
		halen = rbuf_u8(&peek);
	} else
		halen = rbuf_be16(&peek);
	m = mac_of(&peek);
	if (rbuf_ok(&peek) && arphrd == ARPHRD_ETHER_ && halen == 6) {
		x->src_mac = m;
		x->has |= PKTX_SRC_MAC;
	}
}

WALK_INLINE int
link_header(int dlt, struct rbuf *r, struct walk *w, uint16_t *etype)
{
	uint32_t ifindex;

	switch (dlt) {
	case PKT_DLT_EN10MB:
		if (w->x != NULL)
			ether_macs(r, w->x);
		return ether_header(r, etype);
	case PKT_DLT_LINUX_SLL:
		if (w->x != NULL)
			cooked_mac(r, false, w->x);
		/* type, ARPHRD, address length, 8 address bytes, protocol */
		rbuf_skip(r, 14);
		*etype = rbuf_be16(r);
		return rbuf_ok(r) ? NFE_OK : NFE_TRUNC;
	case PKT_DLT_LINUX_SLL2:
		if (w->x != NULL)
			cooked_mac(r, true, w->x);
		/* protocol, reserved, ifindex, ARPHRD, type, addr len, addr */
		*etype = rbuf_be16(r);
		rbuf_skip(r, 2);
		ifindex = rbuf_be32(r);
		rbuf_skip(r, 12);
		if (!rbuf_ok(r))
			return NFE_TRUNC;
		w->p->key.ifindex = ifindex;
		return NFE_OK;
	case PKT_DLT_NULL:
		return link_null(r, false, etype);
	case PKT_DLT_LOOP:
		return link_null(r, true, etype);
	case PKT_DLT_IPV4:
		*etype = ETH_IPV4;
		return NFE_OK;
	case PKT_DLT_IPV6:
		*etype = ETH_IPV6;
		return NFE_OK;
	case PKT_DLT_PPP:
		return ppp_frame(r, etype);
	case PKT_DLT_PPP_SERIAL:
		return link_ppp_serial(r, etype);
	case PKT_DLT_C_HDLC:
		return chdlc_frame(r, etype);
	case PKT_DLT_PPP_ETHER:
		return pppoe_header(r, etype);
	default:
		return link_raw(r, etype);
	}
}

WALK_INLINE int
walk_frame(int dlt, struct rbuf *r, struct pkt *p, uint16_t *etype,
    struct pkt_extra *x)
{
	struct walk w = { .p = p, .x = x, .ether = dlt == PKT_DLT_EN10MB };
	int rc;

	if ((rc = link_header(dlt, r, &w, etype)) != NFE_OK)
		return rc;
	return walk_ethertype(&w, r, etype);
}

int
pktlink_decode(int dlt, struct rbuf *r, struct pkt *p, uint16_t *etype)
{
	return walk_frame(dlt, r, p, etype, NULL);
}

int
pktlink_decode_x(int dlt, struct rbuf *r, struct pkt *p, uint16_t *etype,
    struct pkt_extra *x)
{
	return walk_frame(dlt, r, p, etype, x);
}
