/*
 * common/codec/sflow.h -- sFlow version 5 decoder (sflow.org "sFlow
 * Version 5"; flowcapd(8), "sFlow").
 *
 * An sFlow agent does not keep flows: it samples 1 in N packets and
 * sends each sample's packet header (or the IP fields it read from it)
 * with the switch's and router's view of that packet.  Each flow sample
 * becomes one flow record:
 *   - packets 1 and bytes the sampled frame's length (frame_length of
 *     the raw packet header record: layer 2, FCS included; the IP
 *     length of a sampled IPv4/IPv6 record), with rec->sampling the
 *     sample's 1-in-N rate: the collector scales both by it (packets =
 *     N, bytes = length x N, as sfcapd stores them);
 *   - first and last seen are the datagram's arrival time (sFlow
 *     carries none);
 *   - the raw packet header record (Ethernet, IPv4, IPv6, PPP, POS) is
 *     dissected by common/pkt's pktdecode_one, the dissector flowprobe
 *     uses; the sampled IPv4 and IPv6 records give the same fields;
 *   - extended switch: source and destination VLAN; extended router:
 *     next hop and masks; extended gateway: source AS and destination
 *     AS (the last of the AS path);
 *   - input and output interfaces: the low 30 bits of the compact
 *     form, the value of the expanded form (as sfcapd).
 * A flow sample with no IPv4 or IPv6 packet in it (ARP, say) gives no
 * record and is counted in info->no_ip.  Counter samples (formats 2 and
 * 4) are counted in info->counters and not decoded further.  Samples
 * and flow records of other formats or enterprises are skipped by their
 * length.
 *
 * Exporter key: the agent address in the datagram (not the source of
 * the UDP datagram) and the sub-agent id (info->domain); the datagram
 * sequence number counts datagrams per agent and sub-agent
 * (info->seq_step 1).  info->version is SFLOW_EXPORTER_VERSION, the
 * number nfdump also gives sFlow exporters.
 *
 * The whole datagram is checked before any record is delivered (every
 * sample and record length inside its parent, counts bounded by the
 * bytes left), so a malformed datagram delivers nothing: NFE_TRUNC if a
 * length runs past the end, NFE_FORMAT for a wrong version, a count
 * that cannot fit, or an address type other than 1 and 2.  Never logs,
 * allocates, or keeps a pointer into the datagram.
 */
#ifndef COMMON_CODEC_SFLOW_H
#define COMMON_CODEC_SFLOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/base/addr.h"
#include "common/codec/nfdecode.h"

#define SFLOW_VERSION		5
#define SFLOW_EXPORTER_VERSION	9999	/* exporter tables: an sFlow agent */
#define SFLOW_PORT		6343
#define SFLOW_HDR_MIN		28	/* header with an IPv4 agent */

/* Header facts, read without decoding the samples. */
struct sflow_peek {
	struct nf_addr	agent;		/* v4 mapped; zero if type 0 */
	uint32_t	sub_agent;
	uint32_t	seq;
	uint32_t	uptime_ms;
	uint32_t	nsamples;
};

/* True if the datagram starts with the 32-bit version 5. */
bool	sflow_is(const uint8_t *p, size_t len);

/*
 * Read the datagram header.  Returns NFE_OK, NFE_TRUNC or NFE_FORMAT
 * (version or agent address type).
 */
int	sflow_peek(const uint8_t *p, size_t len, struct sflow_peek *pk);

/*
 * The codec table's peek (common/codec/codec.h): domain is the
 * sub-agent id, agent the agent address (has_agent), count the samples.
 * Returns as sflow_peek.
 */
struct nf_peek;
int	sflow_codec_peek(const uint8_t *p, size_t len, struct nf_peek *pk);

/*
 * Decode one datagram, putting one record per flow sample with an IP
 * packet into the caller's batch (ctx->batch, or ctx->sink; see
 * common/codec/nfdecode.h).  Fills info (version, domain,
 * sequence, records, counters, no_ip, samp_bad for samples with rate
 * 0).  Returns NFE_OK, NFE_TRUNC, NFE_FORMAT, or the first non-zero
 * value the batch's full (or the sink) returned.
 */
int	sflow_decode(const uint8_t *p, size_t len,
	    const struct nf_decode_ctx *ctx, struct nf_dgram_info *info);

#endif /* COMMON_CODEC_SFLOW_H */
