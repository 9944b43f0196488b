/*
 * tests/fuzz/fuzz_tmpl_load.c -- libFuzzer target for the template
 * file loader: any bytes must give NFE_OK or an error code, and a
 * cache that loaded must stay usable.  For an input of odd length the
 * last byte is dropped and a correct CRC-32 is written into the last 4
 * bytes of the rest, so the fuzzer reaches the parser behind the
 * checksum; even-length inputs are loaded as they are.
 */
#include "common/base/compat.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "common/base/nferr.h"
#include "common/codec/tmpl.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct tmpl_limits lim = { 256, 64, 64 };
	struct tmpl_cache *tc;
	struct tmpl_stats st;
	struct tmpl_key k = { .version = 10, .domain = 0, .id = 256 };
	uint8_t *p;
	uint32_t crc;
	size_t n;

	if ((p = malloc(size + 1)) == NULL)
		return 0;
	memcpy(p, data, size);
	if (size % 2 == 1 && size > 5) {
		size--;
		crc = (uint32_t)crc32(0, p, (uInt)(size - 4));
		for (int i = 0; i < 4; i++)
			p[size - 4 + i] = (uint8_t)(crc >> (8 * i));
	}
	if ((tc = tmpl_cache_new(&lim)) != NULL) {
		if (tmpl_load_mem(tc, p, size, &n) == NFE_OK) {
			(void)tmpl_get(tc, &k);
			(void)tmpl_withdraw_all(tc, &k, false);
		}
		tmpl_get_stats(tc, &st);
		tmpl_cache_free(tc);
	}
	free(p);
	return 0;
}
