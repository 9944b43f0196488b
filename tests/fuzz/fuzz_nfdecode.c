/*
 * tests/fuzz/fuzz_nfdecode.c -- libFuzzer target for nf_decode(), the
 * version dispatcher, and through it every decoder (v1/v5/v7, v9,
 * IPFIX).  One small template cache is kept across inputs, so the
 * fuzzer can teach a template in one input and use, replace or
 * withdraw it in the next; its bound (FUZZ_MAX_TMPL) is checked after
 * every input.  Beyond "no crash", it checks the shared contract: the
 * sink sees exactly info.records records, each a v4 or v6 record, and
 * a held set handed to notmpl lies inside the input.
 */
#include "common/base/compat.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/base/addr.h"
#include "common/base/nferr.h"
#include "common/codec/nfdecode.h"
#include "common/codec/tmpl.h"

#define FUZZ_MAX_TMPL	64

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct fz {
	const uint8_t	*data;
	size_t		 size;
	size_t		 recs;
};

static struct tmpl_cache *cache;	/* kept across inputs on purpose */

static int
sink(void *arg, const struct flowrec *rec)
{
	struct fz *fz = arg;

	if (rec->af != 4 && rec->af != 6)
		abort();
	fz->recs++;
	return NFE_OK;
}

static void
notmpl(void *arg, uint16_t version, uint32_t domain, uint16_t template_id,
    const uint8_t *set, size_t len, uint64_t export_ms,
    uint32_t sys_uptime_ms)
{
	struct fz *fz = arg;

	(void)domain;
	(void)template_id;
	(void)export_ms;
	(void)sys_uptime_ms;
	if (version != 9 && version != 10)
		abort();
	if (len > 0 && (set < fz->data || set + len > fz->data + fz->size))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nf_decode_ctx ctx;
	struct nf_dgram_info info;
	struct tmpl_stats st;
	struct fz fz;

	if (cache == NULL) {
		struct tmpl_limits lim = {
			.max_total = FUZZ_MAX_TMPL,
			.max_per_exporter = FUZZ_MAX_TMPL / 2,
			.max_opts = 16,
		};

		if ((cache = tmpl_cache_new(&lim)) == NULL)
			abort();
	}
	memset(&fz, 0, sizeof(fz));
	fz.data = data;
	fz.size = size;
	memset(&ctx, 0, sizeof(ctx));
	addr_from_v4(&ctx.exporter, 0x7f000001);
	ctx.exporter_port = 2055;
	ctx.recv_ms = UINT64_C(1700000000000);
	ctx.tmpl = cache;
	ctx.sink = sink;
	ctx.notmpl = notmpl;
	ctx.arg = &fz;
	(void)nf_decode(data, size, &ctx, &info);
	if (fz.recs != info.records)
		abort();
	tmpl_get_stats(cache, &st);
	if (st.templates > FUZZ_MAX_TMPL)
		abort();
	return 0;
}
