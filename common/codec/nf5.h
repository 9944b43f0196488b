/*
 * common/codec/nf5.h -- NetFlow v5 encoder, and v1/v5/v7 decoder.
 *
 * Wire layouts (Cisco "NetFlow Export Datagram Format"; all fields
 * big-endian, offsets in bytes):
 *
 *   v1 header (16)            v5 header (24)           v7 header (24)
 *    0 version = 1             0 version = 5            0 version = 7
 *    2 count 1..24             2 count 1..30            2 count 1..28
 *    4 sysUptime (ms)          4 sysUptime              4 sysUptime
 *    8 unix_secs               8 unix_secs              8 unix_secs
 *   12 unix_nsecs             12 unix_nsecs            12 unix_nsecs
 *                             16 flow_sequence         16 flow_sequence
 *                             20 engine_type           20 reserved (4)
 *                             21 engine_id
 *                             22 sampling: mode << 14 | interval
 *
 *   record (v1, v5: 48; v7: 52)
 *    0 srcaddr   4 dstaddr   8 nexthop   12 input (16 bit)  14 output
 *   16 dPkts    20 dOctets  24 First (sysUptime at first packet)
 *   28 Last     32 srcport  34 dstport
 *   v1: 36 pad (2)  38 prot  39 tos  40 tcp_flags  41 pad (7)
 *   v5: 36 pad  37 tcp_flags  38 prot  39 tos  40 src_as (16)  42 dst_as
 *       44 src_mask  45 dst_mask  46 pad (2)
 *   v7: as v5, but 36 flags (fields invalid), 46 flags2 (2),
 *       48 router_sc (4): both ignored
 *
 * Length rule: a datagram shorter than header + count * record is
 * NFE_TRUNC; a count of 0 or above the version's maximum is NFE_FORMAT.
 * Bytes after the last record are tolerated, as nfcapd does: the count
 * records are decoded and the number of ignored bytes is reported in
 * info->trailing (a collector may count it as malformed).  Nothing is
 * passed to the sink unless the whole datagram passed these checks.
 *
 * The decoder never logs, never allocates and keeps no pointer into the
 * datagram.  Worst-case memory: none beyond the stack.
 */
#ifndef COMMON_CODEC_NF5_H
#define COMMON_CODEC_NF5_H

#include <stddef.h>
#include <stdint.h>

#include "common/base/flowrec.h"
#include "common/codec/codec.h"
#include "common/codec/nfdecode.h"
#include "common/codec/nfenc.h"

#define NF1_HDR_LEN	16
#define NF1_REC_LEN	48
#define NF1_MAX_RECS	24
#define NF5_HDR_LEN	24
#define NF5_REC_LEN	48
#define NF5_MAX_RECS	30
#define NF7_HDR_LEN	24
#define NF7_REC_LEN	52
#define NF7_MAX_RECS	28

/* Largest v5 datagram: 24 + 30 * 48 = 1464 bytes. */
#define NF5_MAX_DGRAM	(NF5_HDR_LEN + NF5_MAX_RECS * NF5_REC_LEN)

/* v5 header sampling field: top 2 bits mode, low 14 bits interval */
#define NF5_SAMPLING_NONE		0	/* mode 0 */
#define NF5_SAMPLING_DETERMINISTIC	1	/* mode 1: 1-in-N packets */
#define NF5_SAMPLING_RANDOM		2	/* mode 2 */
#define NF5_SAMPLING_INTERVAL_MAX	0x3fff

/* AS_TRANS (RFC 6793): written for 32-bit AS numbers v5 cannot carry */
#define NF5_AS_TRANS	23456

/*
 * Split the v5 header's 16-bit sampling field.  Returns the interval
 * (low 14 bits); *mode (may be NULL) gets the top 2 bits.
 */
static inline uint16_t
nf5_sampling_split(uint16_t raw, unsigned *mode)
{
	if (mode != NULL)
		*mode = raw >> 14;
	return raw & NF5_SAMPLING_INTERVAL_MAX;
}

/*
 * The peek operation of v1, v5 and v7 (common/codec/codec.h): the
 * exporter key is the version alone for v1 and v7 (2 bytes), engine
 * type and id for v5 (22 bytes); seq and count when the header is
 * whole.
 */
int	nf5_peek(const uint8_t *p, size_t len, struct nf_peek *pk);

/*
 * Decode one NetFlow v1, v5 or v7 datagram (the version is read from
 * its first two bytes).  Puts each record into ctx->batch (or hands it
 * to ctx->sink), filled as follows:
 *   - first_ms/last_ms: from the record's sysUptime stamps, relative to
 *     the header's sysUptime and export time (time_from_uptime(), so a
 *     sysUptime that wrapped in between is handled);
 *   - af 4; src, dst, nexthop; in_if, out_if; packets and bytes exactly
 *     as on the wire (not scaled by the sampling interval);
 *   - ports as on the wire (for ICMP the exporter puts type << 8 | code
 *     in the destination port); proto, tos, tcp_flags;
 *   - v5/v7: src_as, dst_as, src_mask, dst_mask;
 *   - v5: engine_type, engine_id, and sampling = the header's interval
 *     (low 14 bits; whatever the mode bits say, since exporters set the
 *     interval with mode 0 too); 0 when the interval is 0;
 *   - direction unknown, end_reason unknown, exporter 0 (the caller
 *     owns the exporter table).
 * info is zeroed and filled: version, export_ms (unix_secs * 1000 +
 * unix_nsecs / 10^6), sys_uptime_ms, records, trailing; v5/v7: has_seq,
 * seq, seq_step = count (these versions count flows); v5: domain =
 * engine_type << 8 | engine_id and sampling (as rec->sampling).  v1
 * has no sequence number: has_seq is false.
 * Returns NFE_OK; NFE_TRUNC if the datagram is shorter than its header
 * or than its count says; NFE_FORMAT for a count of 0 or above the
 * version's maximum; NFE_UNSUPP for another version; or the first
 * non-zero value returned by the batch's full (or the sink; records
 * then counts those delivered before it).  ctx is borrowed; ctx->tmpl
 * is not used.
 */
int	nf5_decode(const uint8_t *p, size_t len,
	    const struct nf_decode_ctx *ctx, struct nf_dgram_info *info);

/* Header fields for one encoded v5 datagram. */
struct nf5_enc_params {
	uint64_t	boot_ms;	/* exporter start, UTC ms (uptime 0) */
	uint64_t	export_ms;	/* export time, UTC ms */
	uint32_t	flow_seq;	/* flows exported before this one */
	uint8_t		engine_type;
	uint8_t		engine_id;
	uint8_t		sampling_mode;	/* NF5_SAMPLING_*: 0..3 */
	uint16_t	sampling_interval; /* 0..NF5_SAMPLING_INTERVAL_MAX */
};

struct nf5_enc_result {
	size_t		len;		/* datagram bytes; 0: none to send */
	size_t		consumed;	/* input records used up */
	size_t		written;	/* IPv4 records in the datagram */
};

/*
 * Encode recs[0..n) into one v5 datagram in buf (cap bytes, at least
 * NF5_HDR_LEN + NF5_REC_LEN; NF5_MAX_DGRAM always suffices).
 * Records are taken in order: IPv4 records (af 4) are written, IPv6
 * records cannot be carried by v5 and are skipped, until 30 are written,
 * buf is full or recs run out.  res->consumed counts written and skipped
 * records, so consumed - written IPv6 records were dropped; the caller
 * continues at recs + consumed and adds written to its flow sequence.
 * consumed is at least 1 whenever n > 0.  If no record was written
 * (all skipped, or n == 0), res->len is 0 and there is nothing to send:
 * a v5 datagram needs at least one record.
 *
 * The header's sysUptime is export_ms - boot_ms and each record's
 * First/Last is its time - boot_ms, all modulo 2^32, so the decoder's
 * time_from_uptime() gives the times back exactly.  A first or last
 * time more than 2^31 - 1 ms (24.8 days) before or after export_ms is
 * clamped into that window (the probe's active timeout keeps flows far
 * inside it).  Values v5 cannot hold are
 * clamped, never wrapped: packets and bytes above 2^32 - 1 are written
 * as 2^32 - 1; AS numbers above 65535 as AS_TRANS (23456); ifIndex
 * above 65535 as 0 (unknown).  A non-IPv4 next hop is written as
 * 0.0.0.0.  Returns NFE_OK, or NFE_INVAL (buf too small, sampling mode
 * or interval out of range) with res zeroed.
 */
int	nf5_encode(const struct nf5_enc_params *prm,
	    const struct flowrec *recs, size_t n, uint8_t *buf, size_t cap,
	    struct nf5_enc_result *res);

/*
 * The v5 encode operation (common/codec/codec.h) over the shared
 * encoder state: nf5_encode() with boot_ms, e->seq as flow sequence,
 * engine type and id from e->domain, and e->sampling announced as
 * deterministic 1-in-N (clamped to NF5_SAMPLING_INTERVAL_MAX).  IPv6
 * records are consumed and counted in e->skipped.  max_size is not
 * used: NF5_MAX_DGRAM bytes (cap must allow them) hold 30 records.
 */
int	nf5_enc_encode(struct nf_enc *e, uint64_t now_ms,
	    const struct flowrec *recs, size_t n, uint8_t *buf, size_t cap,
	    size_t *len, size_t *used);

#endif /* COMMON_CODEC_NF5_H */
