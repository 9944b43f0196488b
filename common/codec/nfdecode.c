/*
 * common/codec/nfdecode.c -- nf_decode(): find the decoder of a datagram
 * by its first bytes in the codec table (common/codec/codec.h) and call
 * it; and the output side every decoder shares (common/codec/nfdecode.h):
 * the caller's batch, or a batch of one record for a sink.
 *
 * Decoders that need a template cache (v9, IPFIX) are refused with
 * NFE_INVAL without ctx->tmpl rather than crashing in the decoder.  A
 * datagram no codec claims is NFE_UNSUPP.
 */
#include "common/base/compat.h"

#include <stdint.h>
#include <string.h>

#include "common/base/nferr.h"
#include "common/codec/codec.h"
#include "common/codec/nfdecode.h"

int
nf_decode(const uint8_t *p, size_t len, const struct nf_decode_ctx *ctx,
    struct nf_dgram_info *info)
{
	const struct nf_codec *c;

	memset(info, 0, sizeof(*info));
	if (len < 2)
		return NFE_TRUNC;
	if ((c = nf_codec_sniff(p, len)) == NULL) {
		info->version = (uint16_t)(p[0] << 8 | p[1]);
		return NFE_UNSUPP;
	}
	if (c->templates && ctx->tmpl == NULL) {
		info->version = c->version;
		return NFE_INVAL;
	}
	return c->decode(p, len, ctx, info);
}

/* The sink adapter: a batch of one record, handed to ctx->sink. */
static int
to_sink(void *arg, struct flowrec *recs, size_t n)
{
	const struct nf_out *o = arg;
	int rc;

	for (size_t i = 0; i < n; i++)
		if ((rc = o->ctx->sink(o->ctx->arg, &recs[i])) != 0)
			return rc;
	return 0;
}

bool
nf_out_init(struct nf_out *o, const struct nf_decode_ctx *ctx)
{
	o->ctx = ctx;
	o->cols = 0;
	if (ctx->batch != NULL) {
		o->b = ctx->batch;
		return ctx->batch->cap > 0 && ctx->batch->n < ctx->batch->cap;
	}
	o->one.rec = &o->rec;
	o->one.n = 0;
	o->one.cap = 1;
	o->one.full = to_sink;
	o->one.arg = o;
	o->one.cols = 0;
	o->b = &o->one;
	return ctx->sink != NULL;
}
