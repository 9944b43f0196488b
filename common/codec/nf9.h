/*
 * common/codec/nf9.h -- NetFlow v9 (RFC 3954) decoder and encoder.
 *
 * Decoder: nf9_decode() reads one export packet through the template
 * cache in ctx->tmpl and puts each flow into the caller's batch
 * (common/codec/nfdecode.h has the shared contract).  Template
 * (id 0) and options template (id 1) flowsets are learned into the
 * cache; options data updates the (exporter, source id) option state
 * (SAMPLING_INTERVAL for the whole source, or FLOW_SAMPLER_ID with
 * FLOW_SAMPLER_RANDOM_INTERVAL per sampler: records carrying that
 * sampler id get its rate in rec->sampling); data flowsets (id >= 256)
 * are decoded; reserved ids 2..255 are skipped.  Times:
 * FIRST/LAST_SWITCHED (22/21) are relative to the header sysUpTime and
 * become UTC ms wrap-safely; absolute flowStart/End* (150..157) and
 * delta (158/159) forms are read too.
 * The sequence number counts export packets: info->seq_step is 1.
 *
 * Encoder: struct nf_enc (common/codec/nfenc.h) holds one exporter's
 * state (source id, sequence, boot time, template refresh).
 * nf9_encode() fills one datagram with whole records and says how many
 * it consumed.  Both are reached through the codec table entry
 * nf_codec_v9 (common/codec/codec.h).
 */
#ifndef COMMON_CODEC_NF9_H
#define COMMON_CODEC_NF9_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/base/flowrec.h"
#include "common/codec/codec.h"
#include "common/codec/nfdecode.h"
#include "common/codec/nfenc.h"

#define NF9_VERSION		9
#define NF9_HDR_LEN		20	/* RFC 3954 5.1 */
#define NF9_SET_HDR_LEN		4	/* flowset id + length */
#define NF9_SET_TEMPLATE	0	/* RFC 3954 5.2 */
#define NF9_SET_OPTIONS		1	/* RFC 3954 6.1 */
#define NF9_SET_DATA_MIN	256	/* RFC 3954 5.3 */

/*
 * The peek operation (common/codec/codec.h): source id, sequence and
 * count from the 20-byte header; NFE_TRUNC if it is shorter.
 */
int	nf9_peek(const uint8_t *p, size_t len, struct nf_peek *pk);

/*
 * Decode one v9 export packet of len bytes.  ctx->tmpl is required.
 * info is zeroed and filled (version, source id as domain, sequence
 * with seq_step 1, export time, sysUpTime, counters).
 *
 * Returns:
 *   NFE_OK      everything decoded;
 *   NFE_NOTMPL  as NFE_OK, but at least one data flowset had no
 *               template (counted in info->no_template and handed to
 *               ctx->notmpl if set);
 *   NFE_TRUNC   the packet ends inside the header or a flowset, or it
 *               holds fewer records than the header count says;
 *   NFE_FORMAT  wrong version, a flowset length below 4, a malformed
 *               template (id < 256, no fields, zero or oversized record
 *               length, field specifiers past the flowset end) or a
 *               data flowset that disagrees with its template (which is
 *               then dropped from the cache);
 *   NFE_LIMIT   a template with more than TMPL_MAX_FIELDS fields;
 *   NFE_NOMEM;
 *   or the first non-zero value returned by the batch's full (or
 *   ctx->sink), which stops decoding at once.
 * On NFE_FORMAT / NFE_LIMIT the remaining flowsets are still decoded
 * (records already given to the sink stay given); the first such error
 * is returned.
 */
int	nf9_decode(const uint8_t *p, size_t len, const struct nf_decode_ctx *ctx,
	    struct nf_dgram_info *info);

/*
 * Decode a data flowset kept by the notmpl callback (set/len: the
 * records after the flowset header; domain, template_id, export_ms and
 * sys_uptime_ms as passed to the callback), now that its template may
 * be known.  info is zeroed and filled as by nf9_decode() (seq not
 * set).  Returns NFE_OK, NFE_NOTMPL (still unknown; notmpl is not
 * called again), NFE_FORMAT or full's (the sink's) non-zero value.
 */
int	nf9_decode_held(const struct nf_decode_ctx *ctx, uint32_t domain,
	    uint16_t template_id, const uint8_t *set, size_t len,
	    uint64_t export_ms, uint32_t sys_uptime_ms,
	    struct nf_dgram_info *info);

/* ---- encoder ---- */

#define NF9_DEF_SIZE		NF_ENC_DEF_SIZE
#define NF9_DEF_TMPL_PKTS	NF_ENC_DEF_TMPL_PKTS
#define NF9_DEF_TMPL_MS		NF_ENC_DEF_TMPL_MS
#define NF9_TMPL_V4		1024	/* template ids the encoder uses */
#define NF9_TMPL_V6		2048
#define NF9_TMPL_OPTIONS	256

/*
 * Encode one datagram at time now_ms into buf (cap bytes; at most
 * e->max_size are used): the templates (and the sampling options
 * record when e->sampling > 1) when nf_enc_templates_due(), then as
 * many whole records from recs[0..n) as fit, IPv4 and IPv6 records in
 * their own flowsets.  e->domain is the source id.  *len is the
 * datagram length (0 if there was nothing to send: n == 0 and no
 * templates due) and *used the number of records consumed.  Returns
 * NFE_OK, or NFE_LIMIT if the size limit cannot hold the templates or
 * a single record.  Record times must lie within 24 days of now_ms.
 */
int	nf9_encode(struct nf_enc *e, uint64_t now_ms,
	    const struct flowrec *recs, size_t n, uint8_t *buf, size_t cap,
	    size_t *len, size_t *used);

#endif /* COMMON_CODEC_NF9_H */
