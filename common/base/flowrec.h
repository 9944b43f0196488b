/*
 * common/base/flowrec.h -- the normalized flow record every part of
 * flowkit speaks (docs/design.md, "The flow record").
 *
 * Host byte order throughout.  Times are UTC milliseconds since the
 * Unix epoch.  Addresses are 16 bytes with IPv4 mapped
 * (common/base/addr.h); af says which family the flow is.  The codecs
 * fill this record from any export version and the file format stores
 * it; nothing else keeps its own copy of flow fields.
 */
#ifndef COMMON_BASE_FLOWREC_H
#define COMMON_BASE_FLOWREC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/base/addr.h"

/* IPFIX flowEndReason values (IANA registry, RFC 5102 5.11.3) */
#define FLOWEND_UNKNOWN		0
#define FLOWEND_IDLE		1	/* idle timeout */
#define FLOWEND_ACTIVE		2	/* active timeout */
#define FLOWEND_EOF		3	/* end of flow detected (FIN/RST) */
#define FLOWEND_FORCED		4	/* forced end (shutdown, flush) */
#define FLOWEND_LACK		5	/* lack of resources (table full) */

/* flowDirection (IE 61) */
#define FLOWDIR_INGRESS		0
#define FLOWDIR_EGRESS		1
#define FLOWDIR_UNKNOWN		0xff

/* TCP flag bits as in the TCP header and NetFlow tcp_flags */
#define TCPF_FIN	0x01
#define TCPF_SYN	0x02
#define TCPF_RST	0x04
#define TCPF_PSH	0x08
#define TCPF_ACK	0x10
#define TCPF_URG	0x20
#define TCPF_ECE	0x40
#define TCPF_CWR	0x80

struct flowrec {
	uint64_t	first_ms;	/* first packet, ms since epoch, UTC */
	uint64_t	last_ms;	/* last packet, same clock */
	uint64_t	packets;	/* after sampling scale-up, if any */
	uint64_t	bytes;		/* layer-3 octets, likewise */
	struct nf_addr	src, dst;	/* v4 mapped; see af */
	struct nf_addr	nexthop;	/* zero if unknown */
	uint32_t	in_if, out_if;	/* SNMP ifIndex */
	uint32_t	src_as, dst_as;
	uint32_t	flows;		/* records merged into this one; 1 if raw */
	uint32_t	sampling;	/* 1-in-N rate applied; 0 or 1: unsampled */
	uint16_t	src_port, dst_port; /* ICMP: type << 8 | code in dst */
	uint16_t	src_vlan, dst_vlan;
	uint16_t	exporter;	/* index into the file's exporter table */
	uint8_t		af;		/* 4 or 6 */
	uint8_t		proto;		/* IP protocol number */
	uint8_t		tcp_flags;	/* OR over the flow's packets */
	uint8_t		tos;		/* IPv4 ToS / IPv6 traffic class */
	uint8_t		src_mask, dst_mask; /* prefix lengths, 0 if unknown */
	uint8_t		direction;	/* FLOWDIR_* */
	uint8_t		end_reason;	/* FLOWEND_* */
	uint8_t		engine_type, engine_id; /* v5 header; 0 otherwise */
};

/*
 * Called once per decoded or read record.  rec is borrowed for the
 * duration of the call only.  A non-zero return stops the producer,
 * which returns that value.
 */
typedef int flowrec_sink_fn(void *arg, const struct flowrec *rec);

/* Zero a record and set the defaults: flows 1, direction unknown, af 4. */
void	flowrec_init(struct flowrec *r);

/* True if every field of a and b is equal. */
bool	flowrec_equal(const struct flowrec *a, const struct flowrec *b);

/*
 * One-line debug text of every field, for test diagnostics.  Returns
 * buf.
 */
char	*flowrec_dump(const struct flowrec *r, char *buf, size_t len);

/* ICMP type/code as carried in dst_port (v5 convention). */
static inline uint8_t
flowrec_icmp_type(const struct flowrec *r)
{
	return (uint8_t)(r->dst_port >> 8);
}

static inline uint8_t
flowrec_icmp_code(const struct flowrec *r)
{
	return (uint8_t)r->dst_port;
}

#endif /* COMMON_BASE_FLOWREC_H */
