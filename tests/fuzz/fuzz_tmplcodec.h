/*
 * tests/fuzz/fuzz_tmplcodec.h -- shared libFuzzer harness for the v9 and
 * IPFIX decoders: one input is decoded with a template cache that lives
 * across inputs, then any held data set is decoded again.
 */
#ifndef TESTS_FUZZ_FUZZ_TMPLCODEC_H
#define TESTS_FUZZ_FUZZ_TMPLCODEC_H

#include <stddef.h>
#include <stdint.h>

#include "common/codec/nfdecode.h"

typedef int fuzz_decode_fn(const uint8_t *p, size_t len,
	    const struct nf_decode_ctx *ctx, struct nf_dgram_info *info);
typedef int fuzz_held_fn(const struct nf_decode_ctx *ctx, uint32_t domain,
	    uint16_t template_id, const uint8_t *set, size_t len,
	    uint64_t export_ms, uint32_t sys_uptime_ms,
	    struct nf_dgram_info *info);

int	fuzz_tmplcodec(const uint8_t *data, size_t size,
	    fuzz_decode_fn *decode, fuzz_held_fn *decode_held);

#endif /* TESTS_FUZZ_FUZZ_TMPLCODEC_H */
