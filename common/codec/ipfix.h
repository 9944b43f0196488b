/*
 * common/codec/ipfix.h -- IPFIX (RFC 7011) decoder and encoder.
 *
 * Decoder: ipfix_decode() reads one message through the template cache
 * in ctx->tmpl and puts each flow into the caller's batch
 * (common/codec/nfdecode.h has the shared contract).  Template sets
 * (2), options template sets (3, with scope count) and template
 * withdrawals (field count 0; a template id equal to the set id
 * withdraws all) change the cache; options data updates the (exporter,
 * domain) option state (sampling rate from samplingInterval,
 * samplerRandomInterval, samplingPacketInterval/Space (rate =
 * (interval + space) / interval), samplingSize/Population; and
 * systemInitTimeMilliseconds; a rate next to a samplerId / selectorId
 * belongs to that sampler, and records naming it get its rate); data
 * sets (>= 256) are decoded.
 * Variable-length fields (1- and 3-byte length prefixes), enterprise
 * elements (skipped by length) and reduced-size integers are handled.
 * Every time form becomes UTC ms: flowStart/End Seconds, Milliseconds,
 * Microseconds and Nanoseconds (NTP format), Delta Microseconds
 * (relative to the export time) and SysUpTime (relative to
 * systemInitTimeMilliseconds from options data; if none is known yet,
 * the export time is used).  The sequence number counts data records:
 * info->seq_step is the number of data records (flow and options)
 * decoded from this message; records in a data set whose template is
 * unknown cannot be counted, so such a message can look like a gap.
 *
 * Encoder: struct nf_enc (common/codec/nfenc.h) holds one exporter's
 * state; ipfix_encode() fills one message with whole records
 * (flowStart/EndMilliseconds) and sends systemInitTimeMilliseconds and
 * the sampling configuration in an options template.  Both are reached
 * through the codec table entry nf_codec_ipfix (common/codec/codec.h).
 */
#ifndef COMMON_CODEC_IPFIX_H
#define COMMON_CODEC_IPFIX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/base/flowrec.h"
#include "common/codec/codec.h"
#include "common/codec/nfdecode.h"
#include "common/codec/nfenc.h"

#define IPFIX_VERSION		10
#define IPFIX_HDR_LEN		16	/* RFC 7011 3.1 */
#define IPFIX_SET_HDR_LEN	4	/* RFC 7011 3.3.2 */
#define IPFIX_SET_TEMPLATE	2	/* RFC 7011 3.3.2 */
#define IPFIX_SET_OPTIONS	3
#define IPFIX_SET_DATA_MIN	256

/*
 * The peek operation (common/codec/codec.h): observation domain and
 * sequence from the 16-byte header (count 0: IPFIX gives a length);
 * NFE_TRUNC if it is shorter.
 */
int	ipfix_peek(const uint8_t *p, size_t len, struct nf_peek *pk);

/*
 * Decode one IPFIX message of len bytes.  ctx->tmpl is required.  The
 * header length must be at least 16 and at most len; bytes after it are
 * ignored.  info is zeroed and filled.
 *
 * Returns NFE_OK; NFE_NOTMPL (as NFE_OK, but a data set had no
 * template: counted and handed to ctx->notmpl); NFE_TRUNC (message
 * length beyond the datagram, or a set running past the message);
 * NFE_FORMAT (wrong version, message length below 16, set length below
 * 4, a malformed template: id < 256, zero or oversized record length,
 * specifiers past the set end, options template with scope count 0 or
 * above its field count; or a data set that disagrees with its
 * template, which is then dropped); NFE_LIMIT (more than
 * TMPL_MAX_FIELDS fields); NFE_NOMEM; or the first non-zero value
 * returned by the batch's full (or ctx->sink), which stops decoding at
 * once.  After
 * NFE_FORMAT / NFE_LIMIT in one set the other sets are still decoded.
 */
int	ipfix_decode(const uint8_t *p, size_t len,
	    const struct nf_decode_ctx *ctx, struct nf_dgram_info *info);

/*
 * Decode a data set kept by the notmpl callback (arguments as passed to
 * it; sys_uptime_ms is unused for IPFIX).  info is zeroed and filled.
 * Returns NFE_OK, NFE_NOTMPL (still unknown; notmpl not called again),
 * NFE_FORMAT or full's (the sink's) non-zero value.
 */
int	ipfix_decode_held(const struct nf_decode_ctx *ctx, uint32_t domain,
	    uint16_t template_id, const uint8_t *set, size_t len,
	    uint64_t export_ms, uint32_t sys_uptime_ms,
	    struct nf_dgram_info *info);

/* ---- encoder ---- */

#define IPFIX_DEF_SIZE		NF_ENC_DEF_SIZE
#define IPFIX_DEF_TMPL_PKTS	NF_ENC_DEF_TMPL_PKTS
#define IPFIX_DEF_TMPL_MS	NF_ENC_DEF_TMPL_MS
#define IPFIX_TMPL_V4		1024
#define IPFIX_TMPL_V6		2048
#define IPFIX_TMPL_OPTIONS	256
#define IPFIX_TMPL_V4_BIFLOW	1025	/* with reverse counters */
#define IPFIX_TMPL_V6_BIFLOW	2049

/*
 * Encode one message at time now_ms into buf (cap bytes; at most
 * e->max_size used): when nf_enc_templates_due(), the IPv4/IPv6
 * templates, the options template and its record
 * (systemInitTimeMilliseconds = e->boot_ms, and
 * samplingPacketInterval/Space and selectorAlgorithm when sampling > 1);
 * then as many whole records of recs[0..n) as fit.  e->domain is the
 * observation domain.  *len is the message length (0 when n == 0 and
 * nothing is due), *used the records consumed.  Returns NFE_OK or
 * NFE_LIMIT (size limit too small).
 */
int	ipfix_encode(struct nf_enc *e, uint64_t now_ms,
	    const struct flowrec *recs, size_t n, uint8_t *buf, size_t cap,
	    size_t *len, size_t *used);

#endif /* COMMON_CODEC_IPFIX_H */
