/*
 * tests/fuzz/fuzz_tmplcodec.c -- the libFuzzer harness shared by the
 * template-driven decoders (fuzz_nf9, fuzz_ipfix).  The template cache
 * persists across inputs (bounded by small limits), so templates learned
 * from one input apply to later ones; data sets handed to the notmpl
 * callback are decoded again with the decoder's *_decode_held().
 */
#include "common/base/compat.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "common/codec/nfdecode.h"
#include "common/codec/tmpl.h"
#include "tests/fuzz/fuzz_tmplcodec.h"

static uint8_t held[65536];
static size_t heldlen;
static uint16_t held_id;
static uint32_t held_domain;
static volatile uint64_t sum;

static int
sink(void *arg, const struct flowrec *r)
{
	(void)arg;
	sum += r->packets + r->bytes + r->first_ms + r->last_ms + r->src.a[3];
	return 0;
}

static void
notmpl(void *arg, uint16_t version, uint32_t domain, uint16_t template_id,
    const uint8_t *set, size_t len, uint64_t export_ms, uint32_t uptime)
{
	(void)arg;
	(void)version;
	(void)export_ms;
	(void)uptime;
	if (len > sizeof(held))
		return;
	memcpy(held, set, len);
	heldlen = len;
	held_id = template_id;
	held_domain = domain;
}

int
fuzz_tmplcodec(const uint8_t *data, size_t size, fuzz_decode_fn *decode,
    fuzz_held_fn *decode_held)
{
	static struct tmpl_cache *tc;
	static const struct tmpl_limits lim = { 64, 32, 16 };
	struct nf_decode_ctx ctx;
	struct nf_dgram_info info;

	if (tc == NULL && (tc = tmpl_cache_new(&lim)) == NULL)
		return 0;
	memset(&ctx, 0, sizeof(ctx));
	addr_from_v4(&ctx.exporter, 0x7f000001);
	ctx.tmpl = tc;
	ctx.sink = sink;
	ctx.notmpl = notmpl;
	heldlen = 0;
	(void)decode(data, size, &ctx, &info);
	if (heldlen > 0)
		(void)decode_held(&ctx, held_domain, held_id, held, heldlen,
		    info.export_ms, info.sys_uptime_ms, &info);
	return 0;
}
