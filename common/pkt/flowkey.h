/*
 * common/pkt/flowkey.h -- the key of one unidirectional flow in flowprobe.
 *
 * A flow is every packet with the same key: addresses, ports, protocol,
 * ToS, VLAN tags and input interface (the fields routers key NetFlow
 * on).  The key is a fixed 48-byte struct with no implicit padding, so
 * it is hashed and compared as bytes; whoever fills one starts from a
 * zeroed struct.  -T proto and -T ip clear fields (flowkey_reduce).
 */
#ifndef COMMON_PKT_FLOWKEY_H
#define COMMON_PKT_FLOWKEY_H

#include <stdint.h>

#include "common/base/addr.h"

struct flow_key {
	struct nf_addr	src, dst;	/* v4 mapped (base/addr.h) */
	uint16_t	sport, dport;	/* ICMP/ICMPv6: 0, type << 8 | code */
	uint16_t	vlan;		/* first (outer) 802.1Q/802.1ad VID, 0 none */
	uint16_t	vlan_inner;	/* second tag's VID (QinQ), 0 none */
	uint32_t	ifindex;	/* input interface, 0 if unknown */
	uint8_t		proto;		/* upper-layer protocol */
	uint8_t		tos;		/* IPv4 ToS / IPv6 traffic class */
	uint8_t		af;		/* 4 or 6 */
	uint8_t		pad;		/* always 0 */
};

_Static_assert(sizeof(struct flow_key) == 48, "flow_key has no padding");

/* Tracking levels (-T), as softflowd's full, proto and ip. */
enum flowkey_level {
	FLOWKEY_FULL,	/* everything above */
	FLOWKEY_PROTO,	/* ports and ToS cleared */
	FLOWKEY_IP,	/* ports, ToS and protocol cleared */
};

static inline void
flowkey_reduce(struct flow_key *k, enum flowkey_level level)
{
	if (level == FLOWKEY_FULL)
		return;
	k->sport = k->dport = 0;
	k->tos = 0;
	if (level == FLOWKEY_IP)
		k->proto = 0;
}

#endif /* COMMON_PKT_FLOWKEY_H */
