/*
 * common/codec/nf9.c -- NetFlow v9 decoder (RFC 3954).
 *
 *   header (RFC 3954 5.1), 20 bytes:
 *    0 u16 version (9)   2 u16 count (records of all kinds)
 *    4 u32 sysUpTime ms  8 u32 unix secs   12 u32 sequence (packets)
 *   16 u32 source id
 *   then flowsets: u16 id, u16 length (header included), body.
 *
 * Every flowset is carved into its own rbuf, and a length below 4 is
 * rejected, so the walk always advances.  Records are decoded by the
 * template codec shared with IPFIX (common/codec/tfield.c).  Never logs.
 */
#include "common/base/compat.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "common/base/buf.h"
#include "common/base/nferr.h"
#include "common/codec/nf9.h"
#include "common/codec/tfield.h"
#include "common/codec/tmpl.h"

struct v9dg {
	const struct nf_decode_ctx *ctx;
	struct nf_dgram_info *info;
	struct nf_out	 out;		/* where records go */
	struct tmpl_key	 key;		/* exporter, version 9, source id */
	struct tf_clock	 clk;
	uint32_t	 nrec;		/* records of every kind seen */
	struct tmpl	 t;		/* scratch for template parsing */
};

static int
learn(struct v9dg *d)
{
	int rc;

	if ((rc = tmpl_finish(&d->t, NF9_VERSION)) != NFE_OK)
		return rc;
	if ((rc = tmpl_put(d->ctx->tmpl, &d->key, &d->t, NULL)) != NFE_OK)
		return rc;
	d->info->templates++;
	d->nrec++;
	return NFE_OK;
}

/* Template flowset, id 0 (RFC 3954 5.2). */
static int
template_set(struct v9dg *d, struct rbuf *r)
{
	uint16_t count;
	int rc;

	while (rbuf_remaining(r) >= 4 && !rbuf_rest_is_zero(r)) {
		memset(&d->t, 0, offsetof(struct tmpl, fields));
		d->t.id = rbuf_be16(r);
		count = rbuf_be16(r);
		if (d->t.id < TMPL_ID_MIN || count == 0)
			return NFE_FORMAT;
		if ((size_t)count * 4 > rbuf_remaining(r))
			return NFE_FORMAT;	/* fields past the set end */
		if ((rc = tf_parse_fields(r, count, false, &d->t)) != NFE_OK)
			return rc;
		if ((rc = learn(d)) != NFE_OK)
			return rc;
	}
	return NFE_OK;
}

/* Options template flowset, id 1 (RFC 3954 6.1). */
static int
options_set(struct v9dg *d, struct rbuf *r)
{
	uint16_t slen, olen;
	size_t n;
	int rc;

	while (rbuf_remaining(r) >= 6 && !rbuf_rest_is_zero(r)) {
		memset(&d->t, 0, offsetof(struct tmpl, fields));
		d->t.id = rbuf_be16(r);
		slen = rbuf_be16(r);
		olen = rbuf_be16(r);
		if (d->t.id < TMPL_ID_MIN || slen % 4 != 0 || olen % 4 != 0 ||
		    slen + olen == 0)
			return NFE_FORMAT;
		if ((size_t)slen + olen > rbuf_remaining(r))
			return NFE_FORMAT;
		n = ((size_t)slen + olen) / 4;
		if ((rc = tf_parse_fields(r, n, false, &d->t)) != NFE_OK)
			return rc;
		d->t.options = true;
		d->t.scope_count = (uint16_t)(slen / 4);
		if ((rc = learn(d)) != NFE_OK)
			return rc;
	}
	return NFE_OK;
}

static int
data_set(struct v9dg *d, uint16_t id, struct rbuf *r, bool held)
{
	struct tf_set s;
	uint32_t before = d->info->records + d->info->options +
	    d->info->rate_held_records;
	int rc;

	s.ctx = d->ctx;
	s.info = d->info;
	s.out = &d->out;
	s.key = d->key;
	s.key.id = id;
	s.clk = d->clk;
	s.held = held;
	rc = tf_data_set(&s, r);
	d->nrec += d->info->records + d->info->options +
	    d->info->rate_held_records - before;
	return rc;
}

/* False if ctx has nowhere to put records. */
static bool
setup(struct v9dg *d, const struct nf_decode_ctx *ctx,
    struct nf_dgram_info *info, uint32_t domain, uint64_t export_ms,
    uint32_t uptime)
{
	memset(info, 0, sizeof(*info));
	info->version = NF9_VERSION;
	info->domain = domain;
	info->export_ms = export_ms;
	info->sys_uptime_ms = uptime;
	d->ctx = ctx;
	d->info = info;
	memset(&d->key, 0, sizeof(d->key));
	d->key.exporter = ctx->exporter;
	d->key.version = NF9_VERSION;
	d->key.domain = domain;
	d->clk.export_ms = export_ms;
	d->clk.sys_uptime_ms = uptime;
	d->clk.has_uptime = true;
	d->clk.sys_init_ms = 0;
	d->nrec = 0;
	return nf_out_init(&d->out, ctx);
}

int
nf9_peek(const uint8_t *p, size_t len, struct nf_peek *pk)
{
	struct rbuf r;

	/* version count uptime secs | seq | source id */
	rbuf_init(&r, p, len);
	rbuf_skip(&r, 2);
	pk->count = rbuf_be16(&r);
	rbuf_skip(&r, 8);
	pk->seq = rbuf_be32(&r);
	pk->domain = rbuf_be32(&r);
	if (!rbuf_ok(&r)) {
		pk->count = pk->seq = pk->domain = 0;
		return NFE_TRUNC;
	}
	pk->whole = pk->has_seq = true;
	return NFE_OK;
}

int
nf9_decode(const uint8_t *p, size_t len, const struct nf_decode_ctx *ctx,
    struct nf_dgram_info *info)
{
	struct v9dg d;
	struct rbuf r, set;
	uint16_t version, count, id, setlen;
	uint32_t uptime, secs, seq, source, nsets = 0;
	int rc, err = NFE_OK;
	bool missing = false;

	memset(info, 0, sizeof(*info));
	rbuf_init(&r, p, len);
	version = rbuf_be16(&r);
	count = rbuf_be16(&r);
	uptime = rbuf_be32(&r);
	secs = rbuf_be32(&r);
	seq = rbuf_be32(&r);
	source = rbuf_be32(&r);
	if (!rbuf_ok(&r))
		return NFE_TRUNC;
	if (version != NF9_VERSION)
		return NFE_FORMAT;
	if (ctx->tmpl == NULL ||
	    !setup(&d, ctx, info, source, (uint64_t)secs * 1000, uptime)) {
		memset(info, 0, sizeof(*info));
		return NFE_INTERNAL;
	}
	info->has_seq = true;
	info->seq = seq;
	info->seq_step = 1;

	while (rbuf_remaining(&r) > 0) {
		id = rbuf_be16(&r);
		setlen = rbuf_be16(&r);
		if (!rbuf_ok(&r))
			return NFE_TRUNC;
		if (setlen < NF9_SET_HDR_LEN)		/* stops 0-length loops */
			return NFE_FORMAT;
		if (!rbuf_sub(&r, setlen - NF9_SET_HDR_LEN, &set))
			return NFE_TRUNC;
		nsets++;
		if (id == NF9_SET_TEMPLATE)
			rc = template_set(&d, &set);
		else if (id == NF9_SET_OPTIONS)
			rc = options_set(&d, &set);
		else if (id < NF9_SET_DATA_MIN)
			rc = NFE_OK;			/* reserved: skip */
		else
			rc = data_set(&d, id, &set, false);
		if (rc == NFE_NOTMPL) {
			missing = true;
		} else if (rc == NFE_FORMAT || rc == NFE_LIMIT) {
			if (id < NF9_SET_DATA_MIN)
				info->bad_sets++;
			if (err == NFE_OK)
				err = rc;
		} else if (rc != NFE_OK)
			return rc;			/* sink stop, NOMEM */
	}
	if (err != NFE_OK)
		return err;
	/*
	 * Fewer records than the header count: the packet was cut short.
	 * Some exporters count flowsets instead of records; accept that.
	 * With a data flowset of unknown template the count is unknowable.
	 */
	if (!missing && d.nrec < count && nsets < count)
		return NFE_TRUNC;
	return missing ? NFE_NOTMPL : NFE_OK;
}

int
nf9_decode_held(const struct nf_decode_ctx *ctx, uint32_t domain,
    uint16_t template_id, const uint8_t *set, size_t len, uint64_t export_ms,
    uint32_t sys_uptime_ms, struct nf_dgram_info *info)
{
	struct v9dg d;
	struct rbuf r;

	if (ctx->tmpl == NULL ||
	    !setup(&d, ctx, info, domain, export_ms, sys_uptime_ms)) {
		memset(info, 0, sizeof(*info));
		return NFE_INTERNAL;
	}
	if (template_id < NF9_SET_DATA_MIN)
		return NFE_FORMAT;
	rbuf_init(&r, set, len);
	return data_set(&d, template_id, &r, true);
}
