/*
 * tests/fuzz/fuzz_ipfix.c -- libFuzzer target for the IPFIX decoder
 * (harness shared with the other template decoder: fuzz_tmplcodec.c).
 */
#include "common/base/compat.h"

#include <stddef.h>
#include <stdint.h>

#include "common/codec/ipfix.h"
#include "tests/fuzz/fuzz_tmplcodec.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_tmplcodec(data, size, ipfix_decode, ipfix_decode_held);
}
