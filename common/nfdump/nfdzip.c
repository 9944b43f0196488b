/*
 * common/nfdump/nfdzip.c -- block decompression for nfdump files
 * (nfdzip.h).  Each codec goes through its own library's one-shot
 * "safe" decoder, which bounds its output by the capacity given; the
 * optional ones are compiled only when configure found the library
 * (HAVE_LZO2, HAVE_BZ2, HAVE_ZSTD in config.h).
 */
#include "common/base/compat.h"

#include <limits.h>
#include <string.h>

#include <lz4.h>
#ifdef HAVE_LZO2
#include <lzo/lzo1x.h>
#endif
#ifdef HAVE_BZ2
#include <bzlib.h>
#endif
#ifdef HAVE_ZSTD
#include <zstd.h>
#endif

#include "common/base/nferr.h"
#include "common/nfdump/nfdzip.h"

const char *
nfdzip_name(int z)
{
	switch (z) {
	case NFDZ_NONE:
		return "none";
	case NFDZ_LZO:
		return "LZO";
	case NFDZ_BZ2:
		return "BZ2";
	case NFDZ_LZ4:
		return "LZ4";
	case NFDZ_ZSTD:
		return "ZSTD";
	default:
		return "unknown";
	}
}

const char *
nfdzip_library(int z)
{
	switch (z) {
	case NFDZ_LZO:
		return "liblzo2";
	case NFDZ_BZ2:
		return "libbz2";
	case NFDZ_ZSTD:
		return "libzstd";
	default:
		return "";
	}
}

bool
nfdzip_available(int z)
{
	switch (z) {
	case NFDZ_NONE:
	case NFDZ_LZ4:
		return true;
#ifdef HAVE_LZO2
	case NFDZ_LZO:
		return true;
#endif
#ifdef HAVE_BZ2
	case NFDZ_BZ2:
		return true;
#endif
#ifdef HAVE_ZSTD
	case NFDZ_ZSTD:
		return true;
#endif
	default:
		return false;
	}
}

int
nfdzip_decompress(int z, const uint8_t *src, size_t n, uint8_t *dst,
    size_t cap, size_t *outlen)
{
	*outlen = 0;
	if (!nfdzip_available(z))
		return NFE_UNSUPP;
	if (n > INT_MAX || cap > INT_MAX)
		return NFE_CORRUPT;
	switch (z) {
	case NFDZ_NONE:
		if (n > cap)
			return NFE_CORRUPT;
		if (n > 0)
			memcpy(dst, src, n);
		*outlen = n;
		return NFE_OK;
	case NFDZ_LZ4: {
		int r = LZ4_decompress_safe((const char *)src, (char *)dst,
		    (int)n, (int)cap);

		if (r < 0)
			return NFE_CORRUPT;
		*outlen = (size_t)r;
		return NFE_OK;
	}
#ifdef HAVE_LZO2
	case NFDZ_LZO: {
		lzo_uint len = (lzo_uint)cap;

		/* lzo_init only checks the library matches its header */
		if (lzo_init() != LZO_E_OK)
			return NFE_UNSUPP;
		if (lzo1x_decompress_safe(src, (lzo_uint)n, dst, &len, NULL) !=
		    LZO_E_OK || len > cap)
			return NFE_CORRUPT;
		*outlen = (size_t)len;
		return NFE_OK;
	}
#endif
#ifdef HAVE_BZ2
	case NFDZ_BZ2: {
		unsigned int len = (unsigned int)cap;

		/* the API takes non-const buffers; it only reads src */
		if (BZ2_bzBuffToBuffDecompress((char *)dst, &len,
		    (char *)(uintptr_t)src, (unsigned int)n, 0, 0) != BZ_OK ||
		    len > cap)
			return NFE_CORRUPT;
		*outlen = len;
		return NFE_OK;
	}
#endif
#ifdef HAVE_ZSTD
	case NFDZ_ZSTD: {
		size_t r = ZSTD_decompress(dst, cap, src, n);

		if (ZSTD_isError(r) || r > cap)
			return NFE_CORRUPT;
		*outlen = r;
		return NFE_OK;
	}
#endif
	default:
		return NFE_UNSUPP;
	}
}
