/*
 * common/pkt/pktlink.h -- the link layer and the encapsulations under IP,
 * for pktdecode: from the first byte of a frame to the first byte of
 * its IPv4 or IPv6 header.
 *
 * Link types (PKT_DLT_* in pktdecode.h): Ethernet, Linux cooked v1/v2,
 * raw IP, BSD loopback, PPP (DLT_PPP), PPP in HDLC-like framing or
 * Cisco HDLC (DLT_PPP_SERIAL), Cisco HDLC (DLT_C_HDLC) and PPPoE
 * (DLT_PPP_ETHER).  Under any of them, wherever an ethertype (or a PPP
 * protocol mapped to one) says so:
 *   - 802.1Q / 802.1ad / 0x9100 tags, at most PKTDECODE_MAX_TAGS in a
 *     frame; the first two VIDs met go into the flow key;
 *   - 802.3 LLC/SNAP with OUI 0 (Ethernet only);
 *   - a PPPoE session header (ethertype 0x8864) and its PPP protocol;
 *   - an MPLS label stack (0x8847 / 0x8848, PPP 0x0281 / 0x0283), at
 *     most PKTDECODE_MAX_LABELS labels; after the bottom label: label 0
 *     (IPv4 explicit null) is IPv4, label 2 is IPv6, otherwise the
 *     first nibble decides as tcpdump does (4: IPv4, 6: IPv6, 0: a
 *     pseudowire control word and an Ethernet frame, RFC 4385 / 4448;
 *     anything else, e.g. 1 for an associated channel, is not IP).
 *     Only one Ethernet-over-MPLS frame is opened per frame.
 *
 * Outcomes as pktdecode_frame's: NFE_OK (r at the IP header, *etype
 * 0x0800 or 0x86dd), NFE_UNSUPP (not IP, or past a limit), NFE_TRUNC
 * (the capture ended inside a header).  Never reads past r.
 */
#ifndef COMMON_PKT_PKTLINK_H
#define COMMON_PKT_PKTLINK_H

#include <stdbool.h>
#include <stdint.h>

#include "common/base/buf.h"
#include "common/pkt/pktdecode.h"

#define PKTLINK_ETH_IPV4	0x0800
#define PKTLINK_ETH_IPV6	0x86dd

/* True if dlt is one of the PKT_DLT_* types. */
bool	pktlink_supported(int dlt);

/*
 * Walk the link headers of a frame of type dlt.  Fills p->key.vlan,
 * vlan_inner and (Linux cooked v2) ifindex, p->mpls and p->mpls_depth.
 */
int	pktlink_decode(int dlt, struct rbuf *r, struct pkt *p,
	    uint16_t *etype);

/*
 * As pktlink_decode, and also x's MAC addresses and VLAN priority (x
 * zeroed by the caller).  Separate so that the ordinary walk does not
 * test for x.
 */
int	pktlink_decode_x(int dlt, struct rbuf *r, struct pkt *p,
	    uint16_t *etype, struct pkt_extra *x);

#endif /* COMMON_PKT_PKTLINK_H */
