/*
 * sink/pbenc.h -- one flow as goflow2's FlowMessage (sink/flow.proto),
 * encoded with protobuf-c, for the Kafka sink's format=protobuf.
 *
 * What flowkit puts in each field (flowkit-sink(7), "protobuf"):
 *   type                 from the exporter's version: 5 NETFLOW_V5,
 *                        9 NETFLOW_V9, 10 IPFIX, others FLOWUNKNOWN
 *   time_received_ns     the flow's end (flowkit does not store the
 *                        datagram's arrival per flow)
 *   time_flow_start_ns, time_flow_end_ns   first_ms, last_ms in ns
 *   sampling_rate        the 1-in-N rate applied (0 if unsampled)
 *   bytes, packets       as the exporter counted them: flowkit's scaled
 *                        counters divided by the rate again, because
 *                        goflow2's consumers multiply by sampling_rate
 *   sampler_address      the exporter's address, 4 or 16 bytes
 *   src_addr, dst_addr, next_hop   4 bytes for IPv4, 16 for IPv6
 *   etype                0x800 / 0x86dd
 *   proto, src_port, dst_port, tcp_flags, ip_tos, in_if, out_if,
 *   src_as, dst_as, src_vlan, dst_vlan (vlan_id = src_vlan)
 *   src_net, dst_net     prefix lengths
 *   icmp_type, icmp_code for ICMP and ICMPv6 (also left in dst_port)
 *   observation_domain_id   v9 source id / IPFIX domain
 *
 * Only available when built with protobuf-c (HAVE_PROTOBUF_C).
 */
#ifndef SINK_PBENC_H
#define SINK_PBENC_H

#include <stdbool.h>
#include <stddef.h>

#include "sink/sbuf.h"

/*
 * Append record i of b to out as one message, preceded by its length
 * as a varint when delimited (goflow2 v2's -format=bin framing, which
 * ClickHouse's Protobuf format reads).  Returns NFE_OK, NFE_NOMEM,
 * NFE_LIMIT, or NFE_UNSUPP when built without protobuf-c.
 */
int	pbenc_record(const struct sink_batch *b, size_t i, bool delimited,
	    struct sbuf *out);

/* True when this build has protobuf-c. */
bool	pbenc_available(void);

#endif /* SINK_PBENC_H */
