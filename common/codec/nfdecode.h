/*
 * common/codec/nfdecode.h -- what every NetFlow / IPFIX decoder shares: the
 * per-datagram context it is given, the batch it fills with flow
 * records, and the facts it reports back.
 *
 * Decoders (common/codec/: nf5.c for v1/v5/v7, nf9.c, ipfix.c; the table
 * of them is common/codec/codec.h) read only through struct rbuf, never
 * log, never keep a pointer into the datagram after returning, and
 * write each flow straight into the caller's batch (ctx->batch), which
 * they hand over whole when it fills.  Tools and tests that want one
 * record at a time set ctx->sink instead.  Counters in the record are
 * as on the wire: rec->sampling carries the rate the exporter announced
 * (v5 header, v9/IPFIX options data or a per-record sampling field, by
 * the rules of common/codec/sampling.h), and the caller decides whether
 * to scale packets and bytes by it.
 */
#ifndef COMMON_CODEC_NFDECODE_H
#define COMMON_CODEC_NFDECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/base/addr.h"
#include "common/base/fields.h"
#include "common/base/flowrec.h"

struct tmpl_cache;		/* common/codec/tmpl.h */

/*
 * Called with a data set whose template is not (yet) known, so that the
 * caller can keep a copy for a bounded time and decode it later with
 * the codec's decode_held (nf9_decode_held(), ipfix_decode_held()) once
 * the template arrives.
 * set/len cover the set's records (after the set header) and are
 * borrowed for the duration of the call only.
 */
typedef void nf_notmpl_fn(void *arg, uint16_t version, uint32_t domain,
	    uint16_t template_id, const uint8_t *set, size_t len,
	    uint64_t export_ms, uint32_t sys_uptime_ms);

/*
 * Called (arguments as for nf_notmpl_fn) with a data set whose template
 * is known but one of whose records names a sampler (samplerId 48 /
 * selectorId 302) whose rate no options data has announced yet, while
 * the domain has no rate to fall back on.  Returns true if the caller
 * kept a copy (to decode it with the codec's decode_held once options
 * data arrives); false makes the decoder decode the set at once,
 * without a rate for those records.
 */
typedef bool nf_norate_fn(void *arg, uint16_t version, uint32_t domain,
	    uint16_t template_id, const uint8_t *set, size_t len,
	    uint64_t export_ms, uint32_t sys_uptime_ms);

/*
 * Takes the n records of a full batch (recs is the batch's own array:
 * the callee may change them in place, e.g. to stamp them, and must
 * copy what it keeps).  The batch is empty afterwards.  A non-zero
 * return stops the decoder, which returns that value.
 */
typedef int nf_batch_full_fn(void *arg, struct flowrec *recs, size_t n);

/*
 * A caller-supplied batch of records.  The decoder writes each flow
 * into rec[n] and counts it; when n reaches cap it calls full (once per
 * cap records, never per record).  Records still in the batch when the
 * decoder returns are the caller's to take (and to empty: n = 0).
 */
struct nf_batch {
	struct flowrec	*rec;		/* borrowed: cap records */
	size_t		 n;		/* records in it */
	size_t		 cap;		/* >= 1 */
	nf_batch_full_fn *full;		/* NULL: a record that finds the
					   batch full stops the decoder
					   with NFE_LIMIT (the cap records
					   stay in it) */
	void		*arg;		/* passed to full */
	fcol_mask	 cols;		/* columns in which a record of it may
					   hold a value other than the field's
					   default (the decoder says, with
					   nf_out_cols()), so that the file
					   writer looks at no other
					   (fcol_put_cols()); full reads it,
					   and whoever takes what is left
					   after a decode sets it to 0 */
};

struct nf_decode_ctx {
	struct nf_addr	 exporter;	/* source address of the datagram */
	uint16_t	 exporter_port;	/* source port */
	uint64_t	 recv_ms;	/* arrival time, UTC ms */
	struct tmpl_cache *tmpl;	/* borrowed; required for v9 and IPFIX */
	struct nf_batch	*batch;		/* borrowed: where records go */
	flowrec_sink_fn	*sink;		/* without a batch: called once per
					   record, as a batch of one */
	void		*arg;		/* passed to sink, notmpl and norate */
	nf_notmpl_fn	*notmpl;	/* optional, may be NULL */
	nf_norate_fn	*norate;	/* optional; NULL: never wait for a rate */
	bool		 rate_final;	/* *_decode_held(): decode records
					   whose sampler's rate is still unknown
					   without one (and remember the sampler
					   as rate-less) instead of returning
					   NFE_NOTMPL to keep waiting */
};

/* What the first nonsensical sampling announcement of a datagram said. */
struct nf_samp_note {
	uint8_t		why;		/* enum samp_why (codec/sampling.h) */
	uint16_t	algorithm;	/* selectorAlgorithm, read or inferred */
	bool		has_id;		/* names a sampler */
	uint64_t	id;
};

struct nf_dgram_info {
	uint16_t	version;	/* 1, 5, 7, 9 or 10 */
	uint32_t	domain;		/* v9 source id / IPFIX observation
					   domain / v5: engine_type << 8 | id */
	bool		has_seq;	/* false for v1, which has none */
	uint32_t	seq;		/* header sequence number */
	uint32_t	seq_step;	/* units this datagram covers by the
					   protocol's rule: v5/v7 flow records,
					   v9 1 (packets), IPFIX data records */
	uint64_t	export_ms;	/* header export time, UTC ms */
	uint32_t	sys_uptime_ms;	/* v1/v5/v7/v9 header; 0 for IPFIX */
	uint32_t	sampling;	/* rate announced in this datagram
					   (v5 header or options data), 0 none */
	uint32_t	records;	/* flow records passed to the sink */
	uint32_t	no_template;	/* data sets skipped: template unknown */
	uint32_t	templates;	/* template records learned or replaced */
	uint32_t	withdrawn;	/* templates withdrawn */
	uint32_t	options;	/* options data records decoded */
	uint32_t	samp_bad;	/* of those, sampling values that make
					   no sense (no rate taken from them) */
	struct nf_samp_note samp_bad_first; /* the first such, if samp_bad */
	uint32_t	rate_held;	/* data sets given to ctx->norate and
					   kept there */
	uint32_t	rate_held_records; /* records in those sets */
	uint32_t	bad_sets;	/* sets skipped as malformed */
	uint32_t	trailing;	/* bytes after the last record or
					   message, ignored (v1/v5/v7) */
	/* sFlow (common/codec/sflow.h) */
	struct nf_addr	agent;		/* agent address: the exporter */
	uint32_t	counters;	/* counter samples: counted only */
	uint32_t	no_ip;		/* flow samples with no IP packet */
};

/*
 * Find the decoder by the datagram's first bytes (nf_codec_sniff(),
 * common/codec/codec.h) and call it.  Returns that decoder's result,
 * NFE_TRUNC for fewer than two bytes, NFE_INVAL for v9 or IPFIX when
 * ctx->tmpl is NULL, or NFE_UNSUPP for an unknown version.  info is
 * always filled (zeroed first; info->version is set even for an unknown
 * version: the first two bytes).
 */
int	nf_decode(const uint8_t *p, size_t len, const struct nf_decode_ctx *ctx,
	    struct nf_dgram_info *info);

/* ---- for the decoders ---- */

/*
 * Where one decoder call puts its records: ctx->batch, or, with
 * ctx->sink instead, a batch of one record whose full hands it to the
 * sink.  Lives on the decoder's stack for the call, and is not copied
 * after nf_out_init (one.arg points at it).
 */
struct nf_out {
	struct nf_batch	*b;		/* ctx->batch or &one */
	struct nf_batch	 one;
	struct flowrec	 rec;		/* one's storage */
	const struct nf_decode_ctx *ctx; /* borrowed */
	fcol_mask	 cols;		/* of the records being decoded now */
};

/* False if ctx has neither a batch nor a sink, or its batch is full. */
bool	nf_out_init(struct nf_out *o, const struct nf_decode_ctx *ctx);

/*
 * The record the next flow is decoded into (scratch until kept), or
 * NULL when the batch is full and has no full: the decoder then stops
 * with NFE_LIMIT.
 */
static inline struct flowrec *
nf_out_slot(struct nf_out *o)
{
	return o->b->n < o->b->cap ? &o->b->rec[o->b->n] : NULL;
}

/*
 * nf_out_slot for a run of records: the first of the *room slots left
 * in the batch (kept one by one with nf_out_keep, the batch's full
 * called when the last of them is kept), or NULL as nf_out_slot.
 */
static inline struct flowrec *
nf_out_slots(struct nf_out *o, size_t *room)
{
	*room = o->b->cap - o->b->n;
	return nf_out_slot(o);
}

/*
 * The columns the records decoded from now on may set (a superset:
 * every column a record holds a non-default value in must be named).
 * Said before the first record and again whenever it changes, e.g.
 * per template.
 */
static inline void
nf_out_cols(struct nf_out *o, fcol_mask cols)
{
	o->cols = cols;
	o->b->cols |= cols;
}

/*
 * Keep the record in the slot.  Returns 0, or what full returned when
 * this record filled the batch.
 */
static inline int
nf_out_keep(struct nf_out *o)
{
	struct nf_batch *b = o->b;
	int rc;

	if (++b->n < b->cap || b->full == NULL)
		return 0;
	rc = b->full(b->arg, b->rec, b->n);
	b->n = 0;
	b->cols = o->cols;	/* the rest of what is being decoded */
	return rc;
}

#endif /* COMMON_CODEC_NFDECODE_H */
