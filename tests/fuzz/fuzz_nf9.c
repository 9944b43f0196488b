/*
 * tests/fuzz/fuzz_nf9.c -- libFuzzer target for the NetFlow v9 decoder
 * (harness shared with the other template decoder: fuzz_tmplcodec.c).
 */
#include "common/base/compat.h"

#include <stddef.h>
#include <stdint.h>

#include "common/codec/nf9.h"
#include "tests/fuzz/fuzz_tmplcodec.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_tmplcodec(data, size, nf9_decode, nf9_decode_held);
}
