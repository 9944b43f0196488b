/*
 * common/codec/ipfix.c -- IPFIX decoder (RFC 7011).
 *
 *   message header (RFC 7011 3.1), 16 bytes:
 *    0 u16 version (10)   2 u16 length (whole message)
 *    4 u32 export time (s)   8 u32 sequence (data records)
 *   12 u32 observation domain id
 *   then sets: u16 set id, u16 length (header included), body.
 *
 * Each set is carved into its own rbuf; a set length below 4 is an
 * error, so the walk always advances.  Template records (3.4.1),
 * options template records (3.4.2.2) and withdrawals (8.1) change the
 * cache; data sets go through the template codec shared with v9
 * (common/codec/tfield.c).  Never logs.
 */
#include "common/base/compat.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "common/base/buf.h"
#include "common/base/nferr.h"
#include "common/codec/ipfix.h"
#include "common/codec/tfield.h"
#include "common/codec/tmpl.h"

struct ixdg {
	const struct nf_decode_ctx *ctx;
	struct nf_dgram_info *info;
	struct nf_out	 out;		/* where records go */
	struct tmpl_key	 key;		/* exporter, version 10, domain */
	struct tf_clock	 clk;
	struct tmpl	 t;		/* scratch */
};

/* A field count of 0: withdraw one template, or all of them (8.1). */
static int
withdraw(struct ixdg *d, uint16_t set_id, uint16_t tid)
{
	struct tmpl_key k = d->key;

	if (tid == set_id) {
		d->info->withdrawn += (uint32_t)tmpl_withdraw_all(d->ctx->tmpl,
		    &k, set_id == IPFIX_SET_OPTIONS);
		return NFE_OK;
	}
	if (tid < TMPL_ID_MIN)
		return NFE_FORMAT;
	k.id = tid;
	if (tmpl_withdraw(d->ctx->tmpl, &k))
		d->info->withdrawn++;
	return NFE_OK;
}

/* Template set (2) or options template set (3). */
static int
template_set(struct ixdg *d, uint16_t set_id, struct rbuf *r)
{
	bool opt = set_id == IPFIX_SET_OPTIONS;
	uint16_t count, scope = 0;
	int rc;

	while (rbuf_remaining(r) >= 4 && !rbuf_rest_is_zero(r)) {
		memset(&d->t, 0, offsetof(struct tmpl, fields));
		d->t.id = rbuf_be16(r);
		count = rbuf_be16(r);
		if (count == 0) {
			if ((rc = withdraw(d, set_id, d->t.id)) != NFE_OK)
				return rc;
			continue;
		}
		if (opt)
			scope = rbuf_be16(r);
		if (!rbuf_ok(r) || d->t.id < TMPL_ID_MIN)
			return NFE_FORMAT;
		if (opt && (scope == 0 || scope > count))
			return NFE_FORMAT;
		if ((size_t)count * 4 > rbuf_remaining(r))
			return NFE_FORMAT;	/* fields past the set end */
		if ((rc = tf_parse_fields(r, count, true, &d->t)) != NFE_OK)
			return rc;
		d->t.options = opt;
		d->t.scope_count = scope;
		if ((rc = tmpl_finish(&d->t, IPFIX_VERSION)) != NFE_OK)
			return rc;
		if ((rc = tmpl_put(d->ctx->tmpl, &d->key, &d->t, NULL)) !=
		    NFE_OK)
			return rc;
		d->info->templates++;
	}
	return NFE_OK;
}

static int
data_set(struct ixdg *d, uint16_t id, struct rbuf *r, bool held)
{
	struct tf_set s;

	s.ctx = d->ctx;
	s.info = d->info;
	s.out = &d->out;
	s.key = d->key;
	s.key.id = id;
	s.clk = d->clk;
	s.held = held;
	return tf_data_set(&s, r);
}

/* False if ctx has nowhere to put records. */
static bool
setup(struct ixdg *d, const struct nf_decode_ctx *ctx,
    struct nf_dgram_info *info, uint32_t domain, uint64_t export_ms)
{
	memset(info, 0, sizeof(*info));
	info->version = IPFIX_VERSION;
	info->domain = domain;
	info->export_ms = export_ms;
	d->ctx = ctx;
	d->info = info;
	memset(&d->key, 0, sizeof(d->key));
	d->key.exporter = ctx->exporter;
	d->key.version = IPFIX_VERSION;
	d->key.domain = domain;
	memset(&d->clk, 0, sizeof(d->clk));
	d->clk.export_ms = export_ms;
	return nf_out_init(&d->out, ctx);
}

int
ipfix_peek(const uint8_t *p, size_t len, struct nf_peek *pk)
{
	struct rbuf r;

	/* version length export-time | seq | domain */
	rbuf_init(&r, p, len);
	rbuf_skip(&r, 8);
	pk->seq = rbuf_be32(&r);
	pk->domain = rbuf_be32(&r);
	if (!rbuf_ok(&r)) {
		pk->seq = pk->domain = 0;
		return NFE_TRUNC;
	}
	pk->whole = pk->has_seq = true;
	return NFE_OK;
}

int
ipfix_decode(const uint8_t *p, size_t len, const struct nf_decode_ctx *ctx,
    struct nf_dgram_info *info)
{
	struct ixdg d;
	struct rbuf r, set;
	uint16_t version, msglen, id, setlen;
	uint32_t secs, seq, domain;
	int rc, err = NFE_OK;
	bool missing = false;

	memset(info, 0, sizeof(*info));
	rbuf_init(&r, p, len);
	version = rbuf_be16(&r);
	msglen = rbuf_be16(&r);
	secs = rbuf_be32(&r);
	seq = rbuf_be32(&r);
	domain = rbuf_be32(&r);
	if (!rbuf_ok(&r))
		return NFE_TRUNC;
	if (version != IPFIX_VERSION || msglen < IPFIX_HDR_LEN)
		return NFE_FORMAT;
	if (msglen > len)
		return NFE_TRUNC;
	if (ctx->tmpl == NULL ||
	    !setup(&d, ctx, info, domain, (uint64_t)secs * 1000)) {
		memset(info, 0, sizeof(*info));
		return NFE_INTERNAL;
	}
	rbuf_init(&r, p + IPFIX_HDR_LEN, msglen - IPFIX_HDR_LEN);
	info->has_seq = true;
	info->seq = seq;

	while (rbuf_remaining(&r) > 0) {
		id = rbuf_be16(&r);
		setlen = rbuf_be16(&r);
		if (!rbuf_ok(&r))
			return NFE_TRUNC;
		if (setlen < IPFIX_SET_HDR_LEN)		/* stops 0-length loops */
			return NFE_FORMAT;
		if (!rbuf_sub(&r, setlen - IPFIX_SET_HDR_LEN, &set))
			return NFE_TRUNC;
		if (id == IPFIX_SET_TEMPLATE || id == IPFIX_SET_OPTIONS)
			rc = template_set(&d, id, &set);
		else if (id < IPFIX_SET_DATA_MIN)
			rc = NFE_OK;			/* reserved: skip */
		else
			rc = data_set(&d, id, &set, false);
		if (rc == NFE_NOTMPL) {
			missing = true;
		} else if (rc == NFE_FORMAT || rc == NFE_LIMIT) {
			if (id < IPFIX_SET_DATA_MIN)
				info->bad_sets++;
			if (err == NFE_OK)
				err = rc;
		} else if (rc != NFE_OK) {
			info->seq_step = info->records + info->options +
		    info->rate_held_records;
			return rc;			/* sink stop, NOMEM */
		}
	}
	info->seq_step = info->records + info->options +
	    info->rate_held_records;
	if (err != NFE_OK)
		return err;
	return missing ? NFE_NOTMPL : NFE_OK;
}

int
ipfix_decode_held(const struct nf_decode_ctx *ctx, uint32_t domain,
    uint16_t template_id, const uint8_t *set, size_t len, uint64_t export_ms,
    uint32_t sys_uptime_ms, struct nf_dgram_info *info)
{
	struct ixdg d;
	struct rbuf r;

	(void)sys_uptime_ms;
	if (ctx->tmpl == NULL || !setup(&d, ctx, info, domain, export_ms)) {
		memset(info, 0, sizeof(*info));
		return NFE_INTERNAL;
	}
	if (template_id < IPFIX_SET_DATA_MIN)
		return NFE_FORMAT;
	rbuf_init(&r, set, len);
	return data_set(&d, template_id, &r, true);
}
