/*
 * common/pkt/pktdecode.h -- one captured frame to one struct pkt: the flow
 * key, the layer-3 length, TCP flags and the time.
 *
 * Link types: Ethernet (with 802.3 LLC/SNAP), Linux cooked v1 and v2,
 * raw IP (DLT_RAW, LINKTYPE_IPV4, LINKTYPE_IPV6), BSD loopback (NULL,
 * host order; LOOP, network order), PPP (with or without address and
 * control, with or without protocol field compression), PPP in
 * HDLC-like framing or Cisco HDLC (PPP_SERIAL), Cisco HDLC (C_HDLC)
 * and PPPoE (PPP_ETHER).  Under them: up to PKTDECODE_MAX_TAGS VLAN
 * tags, PPPoE session frames (also behind tags), MPLS label stacks of
 * up to PKTDECODE_MAX_LABELS labels (IPv4 or IPv6 after the bottom
 * label, guessed as tcpdump does, or a pseudowire control word and an
 * Ethernet frame); pktlink.h tells the details.  Network: IPv4 with options and
 * fragments, IPv6 with hop-by-hop, routing, fragment, destination
 * options, AH, mobility, HIP and shim6 headers (at most
 * PKTDECODE_MAX_EXTHDRS; any other next-header value ends the walk and
 * becomes the flow's protocol, with ports 0).  Transport: TCP, UDP,
 * UDP-Lite and SCTP ports, ICMP and ICMPv6 type << 8 | code in the
 * destination port, TCP flags.
 *
 * Every byte is read through struct rbuf.  A frame is either decoded
 * whole or rejected and counted:
 *   - non-IP frames (another ethertype, address family or PPP protocol,
 *     e.g. ARP, LCP, IPCP, PPPoE discovery, MPLS OAM; or more tags or
 *     labels than the limits): NFE_UNSUPP;
 *   - frames cut short by the capture (caplen < what the headers need):
 *     NFE_TRUNC, never a guess at the missing fields;
 *   - malformed IP headers (bad version, header length below 20 or above
 *     the total length, extension header running past the packet):
 *     NFE_FORMAT.
 * A packet that is complete on the wire but too short to hold its
 * transport header (a tiny fragment, say) is accounted with ports 0.
 *
 * Bytes are the IP total length (IPv6: 40 + payload length), as NetFlow
 * counts them; when that field is 0 (TSO / jumbogram) the frame's wire
 * length less the link header is used instead.
 *
 * Fragments: every fragment is a packet of the flow.  The first
 * fragment (offset 0, more-fragments set) is decoded in full and its
 * ports are remembered in a small table keyed by (source, destination,
 * identification, protocol); later fragments found there are given
 * those ports and so join the first fragment's flow.  A later fragment
 * that is not found -- it came before its first fragment, the first was
 * lost or older than PKTDECODE_FRAG_TTL_MS, or its slot was taken by
 * another datagram -- is counted as unmatched and accounted with ports
 * 0, i.e. to the flow of the same addresses and protocol with no ports,
 * as a router without reassembly does.  The table is direct-mapped,
 * PKTDECODE_FRAG_SLOTS entries (about 64 KiB), indexed by a keyed hash.
 *
 * Worst-case memory: sizeof(struct pktdecode), about 64 KiB.
 */
#ifndef COMMON_PKT_PKTDECODE_H
#define COMMON_PKT_PKTDECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/pkt/flowkey.h"
#include "common/pkt/siphash.h"

/* Link-layer types, as pcap_datalink() returns them (libpcap DLT_*). */
#define PKT_DLT_NULL		0	/* BSD loopback, AF in host order */
#define PKT_DLT_EN10MB		1	/* Ethernet */
#define PKT_DLT_PPP		9	/* PPP, maybe with 0xff 0x03 */
#define PKT_DLT_RAW		12	/* raw IP (Linux, most systems) */
#define PKT_DLT_RAW_BSD		14	/* raw IP (OpenBSD, BSD/OS) */
#define PKT_DLT_PPP_SERIAL	50	/* PPP in HDLC framing, or Cisco HDLC */
#define PKT_DLT_PPP_ETHER	51	/* PPPoE header, then PPP */
#define PKT_DLT_RAW_LT		101	/* LINKTYPE_RAW as stored in files */
#define PKT_DLT_C_HDLC		104	/* Cisco HDLC */
#define PKT_DLT_LOOP		108	/* OpenBSD loopback, AF network order */
#define PKT_DLT_LINUX_SLL	113	/* Linux cooked v1 */
#define PKT_DLT_IPV4		228	/* raw IPv4 */
#define PKT_DLT_IPV6		229	/* raw IPv6 */
#define PKT_DLT_LINUX_SLL2	276	/* Linux cooked v2 */

#define PKTDECODE_MAX_TAGS	4	/* VLAN tags walked in one frame */
/*
 * MPLS labels walked in one stack: segment-routing stacks of 10 to 12
 * labels exist; 16 leaves room and keeps the headers inside
 * CAPTURE_SNAPLEN.
 */
#define PKTDECODE_MAX_LABELS	16
#define PKTDECODE_MAX_EXTHDRS	8	/* IPv6 extension headers walked */
#define PKTDECODE_FRAG_SLOTS	1024	/* power of two */
#define PKTDECODE_FRAG_TTL_MS	30000	/* as Linux ipfrag_time */

/* struct pkt frag bits */
#define PKT_FRAG		0x01	/* an IPv4 or IPv6 fragment */
#define PKT_FRAG_LATER		0x02	/* not the first fragment */
#define PKT_FRAG_MATCHED	0x04	/* later fragment, ports from the first */

#define PKT_MPLS_LABELS	3	/* label stack entries kept in struct pkt */

/*
 * MPLS labels are kept beside the key, not in it: they describe the
 * path (the top label changes hop by hop and with every reroute), and
 * a key with them would split one conversation into several flows.
 * Exporting them, and keying on the bottom (VPN) label where address
 * space overlaps between VPNs, is for the exporter to decide.
 */
struct pkt {
	struct flow_key	key;
	uint64_t	ts_ms;		/* capture time, ms since epoch, UTC */
	uint32_t	bytes;		/* layer-3 octets */
	/*
	 * Top entries of the frame's first MPLS label stack, as IPFIX
	 * mplsTopLabelStackSection carries them: label << 4 | EXP
	 * (traffic class) << 1 | bottom-of-stack bit; TTL dropped.
	 * Entries past mpls_depth are 0.
	 */
	uint32_t	mpls[PKT_MPLS_LABELS];
	uint8_t		mpls_depth;	/* labels in that stack, 0: none */
	uint8_t		tcp_flags;	/* this packet's flags, TCP only */
	uint8_t		frag;		/* PKT_FRAG_* */
};

/* struct pkt_extra has bits */
#define PKTX_MACS	0x01	/* src_mac, dst_mac: an Ethernet header */
#define PKTX_SRC_MAC	0x02	/* src_mac alone (Linux cooked) */
#define PKTX_PRIO	0x04	/* vlan_prio: a VLAN tag */

/*
 * What pktdecode_frame_x() adds to a struct pkt, for exporters asked
 * for more than the flow key (flowprobe -x): kept apart so that the
 * ordinary decode (pktdecode_frame) neither fills nor clears it.
 */
struct pkt_extra {
	uint64_t	src_mac, dst_mac;	/* low 48 bits: the outermost
						   Ethernet header's */
	uint32_t	flow_label;	/* IPv6 flow label; 0 for IPv4 */
	uint8_t		ttl;		/* IPv4 TTL, IPv6 hop limit */
	uint8_t		vlan_prio;	/* PCP of the first (outer) tag */
	uint8_t		has;		/* PKTX_* */
};

struct pktdecode_stats {
	uint64_t	frames;		/* everything offered */
	uint64_t	ip4, ip6;	/* decoded packets per family */
	uint64_t	nonip;		/* NFE_UNSUPP */
	uint64_t	truncated;	/* NFE_TRUNC */
	uint64_t	malformed;	/* NFE_FORMAT */
	uint64_t	short_l4;	/* complete packets too short for L4 */
	uint64_t	fragments;	/* all fragments */
	uint64_t	frags_matched;	/* later fragments given ports */
	uint64_t	frags_unmatched; /* later fragments left at ports 0 */
	uint64_t	frag_evictions;	/* live fragment entries overwritten */
};

struct pktdecode;		/* opaque */

/* True if dlt is one of the PKT_DLT_* types above. */
bool	pktdecode_dlt_supported(int dlt);

/*
 * New decoder for frames of link type dlt, arriving on interface ifindex
 * (0 if unknown; Linux cooked v2 frames carry their own).  key seeds the
 * fragment table's hash.  Returns NFE_OK, NFE_UNSUPP (link type) or
 * NFE_NOMEM; *out is NULL on failure.
 */
int	pktdecode_new(int dlt, uint32_t ifindex, const struct sipkey *key,
	    struct pktdecode **out);
void	pktdecode_free(struct pktdecode *pd);

/*
 * Decode one frame: caplen bytes at frame were captured of wirelen on
 * the wire, at ts_ms.  Returns NFE_OK with *p filled, or NFE_UNSUPP,
 * NFE_TRUNC or NFE_FORMAT as above, with *p zeroed.  Counts every
 * outcome in the decoder's statistics.  frame is borrowed for the call.
 */
int	pktdecode_frame(struct pktdecode *pd, uint64_t ts_ms,
	    const uint8_t *frame, size_t caplen, size_t wirelen,
	    struct pkt *p);

/*
 * As pktdecode_frame, and also fill *x (zeroed first, and zeroed again
 * unless NFE_OK).  The frames accepted, the counters and *p are exactly
 * pktdecode_frame's.
 */
int	pktdecode_frame_x(struct pktdecode *pd, uint64_t ts_ms,
	    const uint8_t *frame, size_t caplen, size_t wirelen,
	    struct pkt *p, struct pkt_extra *x);

/*
 * Decode one frame of link type dlt on its own: as pktdecode_frame,
 * with no decoder state, so a later fragment keeps ports 0 (no table
 * of first fragments), nothing is counted, and ts_ms and the key's
 * ifindex are 0.  For sampled packet headers (sFlow), where the frames
 * of one datagram are 1 in N.  Returns as pktdecode_frame, or
 * NFE_UNSUPP for a link type pktdecode_dlt_supported() refuses.
 */
int	pktdecode_one(int dlt, const uint8_t *frame, size_t caplen,
	    size_t wirelen, struct pkt *p);

/* Counters so far (borrowed; valid until pktdecode_free). */
const struct pktdecode_stats *pktdecode_stats(const struct pktdecode *pd);

#endif /* COMMON_PKT_PKTDECODE_H */
