/*
 * tests/fuzz/fuzz_nfdecode.c -- libFuzzer target for nf_decode(), the
 * version dispatcher, and through it every decoder (v1/v5/v7, v9,
 * IPFIX), on flowcapd's path: the codec table's peek, then records into
 * a batch (a small one, so that full runs often).  One small template
 * cache is kept across inputs, so the fuzzer can teach a template in
 * one input and use, replace or withdraw it in the next; its bound
 * (FUZZ_MAX_TMPL) is checked after every input.  Beyond "no crash", it
 * checks the shared contract: the batch gets exactly info.records
 * records, each a v4 or v6 record, full only ever with a full batch; a
 * held set handed to notmpl lies inside the input; and a datagram that
 * decodes was peeked as the same version, exporter key and sequence.
 * (fuzz_nf9 and fuzz_ipfix take the sink path.)
 */
#include "common/base/compat.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/base/addr.h"
#include "common/base/nferr.h"
#include "common/codec/codec.h"
#include "common/codec/nfdecode.h"
#include "common/codec/tmpl.h"

#define FUZZ_MAX_TMPL	64
#define FUZZ_BATCH	5

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct fz {
	const uint8_t	*data;
	size_t		 size;
	size_t		 recs;
};

static struct tmpl_cache *cache;	/* kept across inputs on purpose */

static void
check(struct fz *fz, const struct flowrec *recs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (recs[i].af != 4 && recs[i].af != 6)
			abort();
	fz->recs += n;
}

static int
full(void *arg, struct flowrec *recs, size_t n)
{
	if (n != FUZZ_BATCH)
		abort();
	check(arg, recs, n);
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
	struct flowrec recs[FUZZ_BATCH];
	struct nf_decode_ctx ctx;
	struct nf_dgram_info info;
	struct tmpl_stats st;
	struct nf_batch b;
	struct nf_peek pk;
	struct fz fz;
	int pr, rc;

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
	memset(&b, 0, sizeof(b));
	b.rec = recs;
	b.cap = FUZZ_BATCH;
	b.full = full;
	b.arg = &fz;
	ctx.tmpl = cache;
	ctx.batch = &b;
	ctx.notmpl = notmpl;
	ctx.arg = &fz;
	pr = nf_peek(data, size, &pk);
	rc = nf_decode(data, size, &ctx, &info);
	check(&fz, recs, b.n);
	if (fz.recs != info.records)
		abort();
	if ((rc == NFE_OK || rc == NFE_NOTMPL) && (pr != NFE_OK ||
	    pk.version != info.version || pk.domain != info.domain ||
	    pk.has_seq != info.has_seq || pk.seq != info.seq))
		abort();
	tmpl_get_stats(cache, &st);
	if (st.templates > FUZZ_MAX_TMPL)
		abort();
	return 0;
}
