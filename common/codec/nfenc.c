/*
 * common/codec/nfenc.c -- the encoder state shared by every version
 * (common/codec/nfenc.h): defaults and the template refresh rule.
 */
#include "common/base/compat.h"

#include <string.h>

#include "common/codec/nfenc.h"

void
nf_enc_init(struct nf_enc *e, uint32_t domain, uint64_t boot_ms)
{
	memset(e, 0, sizeof(*e));
	e->domain = domain;
	e->boot_ms = boot_ms;
	e->tmpl_pkts = NF_ENC_DEF_TMPL_PKTS;
	e->tmpl_ms = NF_ENC_DEF_TMPL_MS;
	e->max_size = NF_ENC_DEF_SIZE;
}

bool
nf_enc_templates_due(const struct nf_enc *e, uint64_t now_ms)
{
	return !e->tmpl_sent || e->since_tmpl >= e->tmpl_pkts ||
	    now_ms - e->tmpl_sent_ms >= e->tmpl_ms || now_ms < e->tmpl_sent_ms;
}

bool
nf_enc_no_templates(const struct nf_enc *e, uint64_t now_ms)
{
	(void)e;
	(void)now_ms;
	return false;
}

void
nf_enc_force_templates(struct nf_enc *e)
{
	e->tmpl_sent = false;
}

void
nf_enc_sent(struct nf_enc *e, uint64_t now_ms, bool with_templates,
    size_t records)
{
	if (with_templates) {
		e->tmpl_sent = true;
		e->tmpl_sent_ms = now_ms;
		e->since_tmpl = 0;
	}
	e->since_tmpl++;
	e->datagrams++;
	e->records += records;
}
