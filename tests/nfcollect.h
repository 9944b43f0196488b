/*
 * tests/nfcollect.h -- test helpers for the v9 / IPFIX decoder tests:
 * a sink that keeps decoded records, a notmpl callback that keeps held
 * sets, and a record filled with distinct values in every field the
 * encoders carry.
 */
#ifndef TESTS_NFCOLLECT_H
#define TESTS_NFCOLLECT_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/base/addr.h"
#include "common/base/flowrec.h"
#include "common/codec/nfdecode.h"

#define COLLECT_MAX	256
#define HELD_MAX	8

struct held_set {
	uint16_t	version, template_id;
	uint32_t	domain;
	uint8_t		bytes[2048];
	size_t		len;
	uint64_t	export_ms;
	uint32_t	sys_uptime_ms;
};

struct collect {
	struct flowrec	recs[COLLECT_MAX];
	size_t		n;
	size_t		calls;		/* sink calls, even past COLLECT_MAX */
	int		stop_after;	/* >0: return 1 after this many */
	struct held_set	held[HELD_MAX];
	size_t		nheld;
};

static inline int
collect_sink(void *arg, const struct flowrec *rec)
{
	struct collect *c = arg;

	c->calls++;
	if (c->n < COLLECT_MAX)
		c->recs[c->n++] = *rec;
	if (c->stop_after > 0 && c->calls >= (size_t)c->stop_after)
		return 1;
	return 0;
}

static inline void
collect_notmpl(void *arg, uint16_t version, uint32_t domain,
    uint16_t template_id, const uint8_t *set, size_t len, uint64_t export_ms,
    uint32_t sys_uptime_ms)
{
	struct collect *c = arg;
	struct held_set *h;

	if (c->nheld >= HELD_MAX || len > sizeof(h->bytes))
		return;
	h = &c->held[c->nheld++];
	h->version = version;
	h->domain = domain;
	h->template_id = template_id;
	memcpy(h->bytes, set, len);
	h->len = len;
	h->export_ms = export_ms;
	h->sys_uptime_ms = sys_uptime_ms;
}

static inline void
collect_ctx(struct nf_decode_ctx *ctx, struct collect *c,
    struct tmpl_cache *tc, uint32_t exporter_v4)
{
	memset(ctx, 0, sizeof(*ctx));
	memset(c, 0, sizeof(*c));
	addr_from_v4(&ctx->exporter, exporter_v4);
	ctx->exporter_port = 2055;
	ctx->tmpl = tc;
	ctx->sink = collect_sink;
	ctx->notmpl = collect_notmpl;
	ctx->arg = c;
}

/*
 * A flow with a distinct value in every field the encoders carry;
 * seed varies them.  v6 selects an IPv6 flow.  Times are around base_ms.
 */
static inline void
sample_flow(struct flowrec *r, unsigned seed, int v6, uint64_t base_ms)
{
	uint8_t a[16];

	flowrec_init(r);
	if (v6) {
		r->af = 6;
		for (int i = 0; i < 16; i++)
			a[i] = (uint8_t)(0x20 + i + seed);
		addr_from_v6(&r->src, a);
		a[15] ^= 0x55;
		addr_from_v6(&r->dst, a);
		a[0] = 0xfe;
		a[1] = 0x80;
		addr_from_v6(&r->nexthop, a);
		r->src_mask = 48;
		r->dst_mask = 64;
	} else {
		addr_from_v4(&r->src, 0x0a000001 + seed);
		addr_from_v4(&r->dst, 0xc0a80102 + (seed << 8));
		addr_from_v4(&r->nexthop, 0xac100001 + seed);
		r->src_mask = 8;
		r->dst_mask = 24;
	}
	r->first_ms = base_ms - 5000 - seed * 7;
	r->last_ms = base_ms - 100 - seed;
	r->packets = UINT64_C(0x100000000) + seed * 3 + 1;
	r->bytes = UINT64_C(0x2540be400) + seed * 1500 + 40;
	r->in_if = 3 + seed;
	r->out_if = 70000 + seed;
	r->src_as = 64512 + seed;
	r->dst_as = 4200000000u + seed;
	r->src_port = (uint16_t)(1024 + seed);
	r->dst_port = 443;
	r->src_vlan = (uint16_t)(100 + seed % 4000);
	r->dst_vlan = 200;
	r->proto = 6;
	r->tcp_flags = 0x1b;
	r->tos = 0xb8;
	r->direction = FLOWDIR_EGRESS;
	r->end_reason = FLOWEND_EOF;
}

#endif /* TESTS_NFCOLLECT_H */
