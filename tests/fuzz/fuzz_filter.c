/*
 * tests/fuzz/fuzz_filter.c -- libFuzzer target for the filter language:
 * compile arbitrary text; when it compiles, evaluate it on fixed
 * records both per record and column-wise, and require the two to
 * agree.  Errors must come with a message and no filter.
 */
#include "common/base/compat.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/base/addr.h"
#include "common/base/flowrec.h"
#include "common/base/nferr.h"
#include "common/ffile/fcol.h"
#include "common/ffile/ffile.h"
#include "query/filter.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NREC	4

static struct flowrec recs[NREC];
static struct fcol block;
static struct ffile_exporter exporters[1];
static const struct filter_env env = { exporters, 1 };

/* application names: string filters match some records */
static const char *const names[NREC] = {
	"", "http", "caf\xc3\xa9", "http"
};

static void
setup(void)
{
	for (int i = 0; i < NREC; i++) {
		struct flowrec *r = &recs[i];

		flowrec_init(r);
		r->first_ms = 1000u * (unsigned)i;
		r->last_ms = r->first_ms + 500u * (unsigned)(i % 3);
		r->packets = 3u * (unsigned)i;
		r->bytes = 1000u * (unsigned)i;
		addr_from_v4(&r->src, 0x0a000001u + (unsigned)i);
		addr_from_v4(&r->dst, 0xc0a80102u);
		r->src_port = (uint16_t)(1024 + i);
		r->dst_port = i == 3 ? 0x0800 : 80;
		r->proto = i == 3 ? 1 : 6;
		r->tcp_flags = (uint8_t)(0x12 << (i % 2));
		r->exporter = (uint16_t)(i % 2);
		r->in_if = (uint32_t)i;
		r->src_as = 64496u + (unsigned)i;
		flowrec_str_set(&r->app_name, names[i], strlen(names[i]));
	}
	(void)addr_parse("2001:db8::1", &recs[2].src);
	recs[2].af = 6;
	(void)addr_parse("10.1.1.1", &exporters[0].addr);
	if (fcol_init(&block, NREC) != NFE_OK ||
	    fcol_put(&block, recs, NREC) != NREC)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	struct filter *f = NULL;
	uint8_t sel[NREC];
	char err[256];
	char *src;
	int rc;

	if (!ready) {
		setup();
		ready = 1;
	}
	if ((src = malloc(size + 1)) == NULL)
		return 0;
	memcpy(src, data, size);
	src[size] = '\0';
	rc = filter_compile(src, &f, err, sizeof(err));
	if (rc != NFE_OK) {
		if (f != NULL || err[0] == '\0')
			abort();
	} else {
		filter_eval_block(f, &block, &env, sel, NREC);
		for (int i = 0; i < NREC; i++)
			if (sel[i] != (uint8_t)filter_match(f, &recs[i], &env))
				abort();
		filter_free(f);
	}
	free(src);
	return 0;
}
