/*
 * common/pkt/pktdecode.c -- frame to struct pkt (see pktdecode.h for what
 * is decoded, what is rejected and how fragments are accounted).
 *
 * The link layer and the encapsulations above it (tags, PPP, PPPoE,
 * MPLS) are pktlink.c's; this file starts at the IP header.
 *
 * References: RFC 791 (IPv4), RFC 8200 4 (IPv6 extension headers), RFC
 * 4302 2 (AH length), RFC 9293 3.1 (TCP header), RFC 768, RFC 3828,
 * RFC 9260 3.1 (SCTP common header).  Never reads a byte except
 * through struct rbuf.
 */
#include "common/base/compat.h"

#include <stdlib.h>
#include <string.h>

#include "common/base/buf.h"
#include "common/base/nferr.h"
#include "common/pkt/pktdecode.h"
#include "common/pkt/pktlink.h"

#define ETH_IPV4	PKTLINK_ETH_IPV4
#define ETH_IPV6	PKTLINK_ETH_IPV6

#define IPPROTO_HOPOPTS_	0
#define IPPROTO_ICMP_		1
#define IPPROTO_TCP_		6
#define IPPROTO_UDP_		17
#define IPPROTO_ROUTING_	43
#define IPPROTO_FRAGMENT_	44
#define IPPROTO_AH_		51
#define IPPROTO_ICMPV6_		58
#define IPPROTO_DSTOPTS_	60
#define IPPROTO_SCTP_		132
#define IPPROTO_MH_		135
#define IPPROTO_UDPLITE_	136
#define IPPROTO_HIP_		139
#define IPPROTO_SHIM6_		140

struct frag_ent {
	struct nf_addr	src, dst;
	uint64_t	ts_ms;		/* when the first fragment was seen */
	uint32_t	id;
	uint16_t	sport, dport;
	uint8_t		proto;
	uint8_t		used;
};

/* The hashed part of a fragment's identity, with no implicit padding. */
struct frag_hkey {
	struct nf_addr	src, dst;
	uint32_t	id;
	uint8_t		proto;
	uint8_t		pad[3];
};

struct pktdecode {
	int		dlt;
	uint32_t	ifindex;
	struct sipkey	key;
	struct pktdecode_stats st;
	struct frag_ent	frags[PKTDECODE_FRAG_SLOTS];
};

bool
pktdecode_dlt_supported(int dlt)
{
	return pktlink_supported(dlt);
}

int
pktdecode_new(int dlt, uint32_t ifindex, const struct sipkey *key,
    struct pktdecode **out)
{
	struct pktdecode *pd;

	*out = NULL;
	if (!pktdecode_dlt_supported(dlt))
		return NFE_UNSUPP;
	if ((pd = calloc(1, sizeof(*pd))) == NULL)
		return NFE_NOMEM;
	pd->dlt = dlt;
	pd->ifindex = ifindex;
	pd->key = *key;
	*out = pd;
	return NFE_OK;
}

void
pktdecode_free(struct pktdecode *pd)
{
	free(pd);
}

const struct pktdecode_stats *
pktdecode_stats(const struct pktdecode *pd)
{
	return &pd->st;
}

static struct frag_ent *
frag_slot(struct pktdecode *pd, const struct nf_addr *src,
    const struct nf_addr *dst, uint32_t id, uint8_t proto)
{
	struct frag_hkey hk;

	memset(&hk, 0, sizeof(hk));
	hk.src = *src;
	hk.dst = *dst;
	hk.id = id;
	hk.proto = proto;
	return &pd->frags[siphash13(&pd->key, &hk, sizeof(hk)) &
	    (PKTDECODE_FRAG_SLOTS - 1)];
}

static bool
frag_live(const struct frag_ent *e, uint64_t now)
{
	return e->used && (now < e->ts_ms ||
	    now - e->ts_ms < PKTDECODE_FRAG_TTL_MS);
}

static void
frag_remember(struct pktdecode *pd, const struct pkt *p, uint32_t id)
{
	const struct flow_key *k = &p->key;
	struct frag_ent *e;

	if (pd == NULL)
		return;			/* pktdecode_one: no table */
	e = frag_slot(pd, &k->src, &k->dst, id, k->proto);
	if (frag_live(e, p->ts_ms) && !(e->id == id &&
	    e->proto == k->proto && addr_eq(&e->src, &k->src) &&
	    addr_eq(&e->dst, &k->dst)))
		pd->st.frag_evictions++;
	e->src = k->src;
	e->dst = k->dst;
	e->id = id;
	e->proto = k->proto;
	e->sport = k->sport;
	e->dport = k->dport;
	e->ts_ms = p->ts_ms;
	e->used = 1;
}

/* A later fragment: take the first fragment's ports if it was seen. */
static void
frag_later(struct pktdecode *pd, struct pkt *p, uint32_t id)
{
	struct flow_key *k = &p->key;
	struct frag_ent *e;

	p->frag = PKT_FRAG | PKT_FRAG_LATER;
	if (pd == NULL)
		return;			/* pktdecode_one: ports stay 0 */
	e = frag_slot(pd, &k->src, &k->dst, id, k->proto);
	if (frag_live(e, p->ts_ms) && e->id == id && e->proto == k->proto &&
	    addr_eq(&e->src, &k->src) && addr_eq(&e->dst, &k->dst)) {
		k->sport = e->sport;
		k->dport = e->dport;
		p->frag |= PKT_FRAG_MATCHED;
		pd->st.frags_matched++;
	} else
		pd->st.frags_unmatched++;
}

/*
 * Transport header.  complete: the whole IP packet was captured, so a
 * short header is the packet's own (ports 0), not the capture's.
 */
static int
decode_l4(struct pktdecode *pd, struct rbuf *r, bool complete, struct pkt *p)
{
	struct flow_key *k = &p->key;
	uint16_t sport = 0, dport = 0;
	uint8_t flags = 0, type, code;

	switch (k->proto) {
	case IPPROTO_TCP_:
		sport = rbuf_be16(r);
		dport = rbuf_be16(r);
		rbuf_skip(r, 9);		/* seq, ack, data offset */
		flags = rbuf_u8(r);
		break;
	case IPPROTO_UDP_:
	case IPPROTO_UDPLITE_:
	case IPPROTO_SCTP_:
		sport = rbuf_be16(r);
		dport = rbuf_be16(r);
		break;
	case IPPROTO_ICMP_:
	case IPPROTO_ICMPV6_:
		type = rbuf_u8(r);
		code = rbuf_u8(r);
		dport = (uint16_t)(type << 8 | code);
		break;
	default:
		return NFE_OK;
	}
	if (!rbuf_ok(r)) {
		if (!complete)
			return NFE_TRUNC;
		if (pd != NULL)
			pd->st.short_l4++;
		return NFE_OK;
	}
	k->sport = sport;
	k->dport = dport;
	p->tcp_flags = flags;
	return NFE_OK;
}

/* Layer-3 length from a length field, or from the wire when it is 0. */
static size_t
l3_length(size_t field, size_t wire_l3)
{
	return field != 0 ? field : wire_l3;
}

static int
decode_ip4(struct pktdecode *pd, struct rbuf *r, size_t wire_l3,
    struct pkt *p)
{
	struct flow_key *k = &p->key;
	struct rbuf l4;
	uint8_t vihl, a[4], b[4];
	uint16_t totlen, id, fragoff;
	size_t hl, len, avail;
	bool complete;
	int rc;

	avail = rbuf_remaining(r);
	vihl = rbuf_u8(r);
	k->tos = rbuf_u8(r);
	totlen = rbuf_be16(r);
	id = rbuf_be16(r);
	fragoff = rbuf_be16(r);
	rbuf_skip(r, 1);			/* TTL */
	k->proto = rbuf_u8(r);
	rbuf_skip(r, 2);			/* checksum */
	rbuf_bytes(r, a, 4);
	rbuf_bytes(r, b, 4);
	if (!rbuf_ok(r))
		return NFE_TRUNC;
	hl = (size_t)(vihl & 0x0f) * 4;
	len = l3_length(totlen, wire_l3);
	if (vihl >> 4 != 4 || hl < 20 || len < hl)
		return NFE_FORMAT;
	if (!rbuf_skip(r, hl - 20))		/* options */
		return NFE_TRUNC;
	k->af = 4;
	addr_from_v4_bytes(&k->src, a);
	addr_from_v4_bytes(&k->dst, b);
	p->bytes = len > UINT32_MAX ? UINT32_MAX : (uint32_t)len;
	complete = avail >= len;
	rbuf_sub(r, (complete ? len : avail) - hl, &l4);

	if ((fragoff & 0x1fff) != 0) {
		if (pd != NULL)
			pd->st.fragments++;
		frag_later(pd, p, id);
		return NFE_OK;
	}
	if ((rc = decode_l4(pd, &l4, complete, p)) != NFE_OK)
		return rc;
	if (fragoff & 0x2000) {
		p->frag = PKT_FRAG;
		if (pd != NULL)
			pd->st.fragments++;
		frag_remember(pd, p, id);
	}
	return NFE_OK;
}

static int
decode_ip6(struct pktdecode *pd, struct rbuf *r, size_t wire_l3,
    struct pkt *p)
{
	struct flow_key *k = &p->key;
	struct rbuf pl;
	uint8_t a[16], b[16], nh, hlen;
	uint32_t vtcfl, fragid = 0;
	uint16_t plen, offfl;
	size_t len, avail;
	bool complete, first_frag = false;
	int rc;

	avail = rbuf_remaining(r);
	vtcfl = rbuf_be32(r);
	plen = rbuf_be16(r);
	nh = rbuf_u8(r);
	rbuf_skip(r, 1);			/* hop limit */
	rbuf_bytes(r, a, 16);
	rbuf_bytes(r, b, 16);
	if (!rbuf_ok(r))
		return NFE_TRUNC;
	if (vtcfl >> 28 != 6)
		return NFE_FORMAT;
	len = plen != 0 ? 40 + (size_t)plen : wire_l3;
	if (len < 40)
		return NFE_FORMAT;
	k->af = 6;
	k->tos = (uint8_t)(vtcfl >> 20);
	addr_from_v6(&k->src, a);
	addr_from_v6(&k->dst, b);
	p->bytes = len > UINT32_MAX ? UINT32_MAX : (uint32_t)len;
	complete = avail >= len;
	rbuf_sub(r, (complete ? len : avail) - 40, &pl);

	for (int n = 0; n < PKTDECODE_MAX_EXTHDRS; n++) {
		switch (nh) {
		case IPPROTO_HOPOPTS_:
		case IPPROTO_ROUTING_:
		case IPPROTO_DSTOPTS_:
		case IPPROTO_MH_:
		case IPPROTO_HIP_:
		case IPPROTO_SHIM6_:
			nh = rbuf_u8(&pl);
			hlen = rbuf_u8(&pl);
			rbuf_skip(&pl, 6 + (size_t)hlen * 8);
			break;
		case IPPROTO_AH_:
			nh = rbuf_u8(&pl);
			hlen = rbuf_u8(&pl);
			rbuf_skip(&pl, ((size_t)hlen + 2) * 4 - 2);
			break;
		case IPPROTO_FRAGMENT_:
			nh = rbuf_u8(&pl);
			rbuf_skip(&pl, 1);
			offfl = rbuf_be16(&pl);
			fragid = rbuf_be32(&pl);
			if (!rbuf_ok(&pl))
				break;
			if ((offfl & 0xfff8) != 0) {
				k->proto = nh;
				if (pd != NULL)
					pd->st.fragments++;
				frag_later(pd, p, fragid);
				return NFE_OK;
			}
			first_frag = (offfl & 1) != 0;
			break;
		default:
			goto upper;
		}
		if (!rbuf_ok(&pl))
			return complete ? NFE_FORMAT : NFE_TRUNC;
	}
upper:
	/* Past PKTDECODE_MAX_EXTHDRS the walk stops: nh is the protocol. */
	k->proto = nh;
	if ((rc = decode_l4(pd, &pl, complete, p)) != NFE_OK)
		return rc;
	if (first_frag) {
		p->frag = PKT_FRAG;
		if (pd != NULL)
			pd->st.fragments++;
		frag_remember(pd, p, fragid);
	}
	return NFE_OK;
}

/*
 * pktdecode_frame_x: the IP header's TTL (hop limit) and IPv6 flow
 * label; r at the IP header, not consumed.  Only called once the whole
 * decode succeeded, so the bytes are there.
 */
static void
ip_extra(const struct rbuf *r, uint16_t etype, struct pkt_extra *x)
{
	struct rbuf peek = *r;
	uint32_t vtcfl;

	if (etype == ETH_IPV4) {
		rbuf_skip(&peek, 8);
		x->ttl = rbuf_u8(&peek);
	} else {
		vtcfl = rbuf_be32(&peek);
		rbuf_skip(&peek, 3);
		x->ttl = rbuf_u8(&peek);
		x->flow_label = vtcfl & 0xfffff;
	}
}

/*
 * Link, IP and transport headers; pd NULL: no fragment table; x NULL:
 * no extras.  Inlined into each entry point, so that the tests of x
 * fold away where it is NULL.
 */
static inline __attribute__((always_inline)) int
decode(struct pktdecode *pd, int dlt, const uint8_t *frame, size_t caplen,
    size_t wirelen, struct pkt *p, struct pkt_extra *x)
{
	struct rbuf r, ip;
	uint16_t etype = 0;
	size_t wire_l3;
	int rc;

	if (wirelen < caplen)
		wirelen = caplen;
	rbuf_init(&r, frame, caplen);
	rc = x != NULL ? pktlink_decode_x(dlt, &r, p, &etype, x) :
	    pktlink_decode(dlt, &r, p, &etype);
	if (rc == NFE_OK) {
		wire_l3 = wirelen - r.off;
		ip = r;
		if (etype == ETH_IPV4)
			rc = decode_ip4(pd, &r, wire_l3, p);
		else if (etype == ETH_IPV6)
			rc = decode_ip6(pd, &r, wire_l3, p);
		else
			rc = NFE_UNSUPP;
		if (x != NULL && rc == NFE_OK)
			ip_extra(&ip, etype, x);
	}
	return rc;
}

int
pktdecode_one(int dlt, const uint8_t *frame, size_t caplen, size_t wirelen,
    struct pkt *p)
{
	int rc;

	memset(p, 0, sizeof(*p));
	if (!pktdecode_dlt_supported(dlt))
		return NFE_UNSUPP;
	if ((rc = decode(NULL, dlt, frame, caplen, wirelen, p, NULL)) !=
	    NFE_OK)
		memset(p, 0, sizeof(*p));
	return rc;
}

/* pktdecode_frame and pktdecode_frame_x: x NULL or zeroed. */
static inline __attribute__((always_inline)) int
decode_counted(struct pktdecode *pd, uint64_t ts_ms, const uint8_t *frame,
    size_t caplen, size_t wirelen, struct pkt *p, struct pkt_extra *x)
{
	int rc;

	memset(p, 0, sizeof(*p));
	p->ts_ms = ts_ms;
	p->key.ifindex = pd->ifindex;
	pd->st.frames++;
	rc = decode(pd, pd->dlt, frame, caplen, wirelen, p, x);
	switch (rc) {
	case NFE_OK:
		if (p->key.af == 4)
			pd->st.ip4++;
		else
			pd->st.ip6++;
		return NFE_OK;
	case NFE_UNSUPP:
		pd->st.nonip++;
		break;
	case NFE_TRUNC:
		pd->st.truncated++;
		break;
	default:
		pd->st.malformed++;
		break;
	}
	memset(p, 0, sizeof(*p));
	if (x != NULL)
		memset(x, 0, sizeof(*x));
	return rc;
}

int
pktdecode_frame(struct pktdecode *pd, uint64_t ts_ms, const uint8_t *frame,
    size_t caplen, size_t wirelen, struct pkt *p)
{
	return decode_counted(pd, ts_ms, frame, caplen, wirelen, p, NULL);
}

int
pktdecode_frame_x(struct pktdecode *pd, uint64_t ts_ms, const uint8_t *frame,
    size_t caplen, size_t wirelen, struct pkt *p, struct pkt_extra *x)
{
	memset(x, 0, sizeof(*x));
	return decode_counted(pd, ts_ms, frame, caplen, wirelen, p, x);
}
