/*
 * common/ffile/zcodec.c -- none / lz4 / zlib behind one interface.
 *
 * lz4 uses LZ4_compress_default (level 0) or LZ4_compress_HC (levels
 * 1..12; same block format, slower to write, smaller) and
 * LZ4_decompress_safe (which never writes past its output bound); zlib uses a one-shot deflate with the
 * zlib wrapper (RFC 1950), and inflate must end exactly at rawlen.
 */
#include "common/base/compat.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <lz4.h>
#include <lz4hc.h>
#include <zlib.h>

#include "common/base/nferr.h"
#include "common/ffile/zcodec.h"

int
zcodec_parse(const char *s, int *codec, int *level)
{
	char *end;
	long v;

	if (strcmp(s, "none") == 0) {
		*codec = ZC_NONE;
		*level = 0;
		return NFE_OK;
	}
	if (strcmp(s, "lz4") == 0) {
		*codec = ZC_LZ4;
		*level = 0;
		return NFE_OK;
	}
	if (strncmp(s, "lz4:", 4) == 0) {
		v = strtol(s + 4, &end, 10);
		if (end == s + 4 || *end != '\0' || v < 0 ||
		    v > ZC_LZ4_MAX_LEVEL)
			return NFE_INVAL;
		*codec = ZC_LZ4;
		*level = (int)v;
		return NFE_OK;
	}
	if (strcmp(s, "zlib") == 0) {
		*codec = ZC_ZLIB;
		*level = ZC_ZLIB_DEFAULT_LEVEL;
		return NFE_OK;
	}
	if (strncmp(s, "zlib:", 5) == 0) {
		v = strtol(s + 5, &end, 10);
		if (end == s + 5 || *end != '\0' || v < 1 || v > 9)
			return NFE_INVAL;
		*codec = ZC_ZLIB;
		*level = (int)v;
		return NFE_OK;
	}
	return NFE_INVAL;
}

const char *
zcodec_name(int codec)
{
	switch (codec) {
	case ZC_NONE:
		return "none";
	case ZC_LZ4:
		return "lz4";
	case ZC_ZLIB:
		return "zlib";
	default:
		return "unknown";
	}
}

int
zcodec_known(int codec)
{
	return codec >= 0 && codec < ZC_NCODECS;
}

size_t
zcodec_bound(int codec, size_t n)
{
	if (n > ZC_MAX_INPUT)
		return 0;
	switch (codec) {
	case ZC_NONE:
		return n;
	case ZC_LZ4:
		return (size_t)LZ4_compressBound((int)n);
	case ZC_ZLIB:
		return (size_t)compressBound((uLong)n);
	default:
		return 0;
	}
}

int
zcodec_compress(int codec, int level, const void *src, size_t n, void *dst,
    size_t cap, size_t *outlen)
{
	uLongf zl;
	int r;

	*outlen = 0;
	if (!zcodec_known(codec) || n > ZC_MAX_INPUT)
		return NFE_INVAL;
	if (cap < zcodec_bound(codec, n))
		return NFE_LIMIT;
	switch (codec) {
	case ZC_NONE:
		if (n > 0)
			memcpy(dst, src, n);
		*outlen = n;
		return NFE_OK;
	case ZC_LZ4:
		if (level > 0)
			r = LZ4_compress_HC(src, dst, (int)n,
			    cap > INT_MAX ? INT_MAX : (int)cap,
			    level > ZC_LZ4_MAX_LEVEL ? ZC_LZ4_MAX_LEVEL : level);
		else
			r = LZ4_compress_default(src, dst, (int)n,
			    cap > INT_MAX ? INT_MAX : (int)cap);
		if (r <= 0 && n > 0)
			return NFE_LIMIT;
		*outlen = (size_t)r;
		return NFE_OK;
	default:
		if (level < 1 || level > 9)
			level = ZC_ZLIB_DEFAULT_LEVEL;
		zl = (uLongf)cap;
		if (compress2(dst, &zl, src, (uLong)n, level) != Z_OK)
			return NFE_LIMIT;
		*outlen = (size_t)zl;
		return NFE_OK;
	}
}

static int
zlib_inflate_exact(const void *src, size_t n, void *dst, size_t rawlen)
{
	z_stream zs;
	int r;
	uint8_t extra;

	memset(&zs, 0, sizeof(zs));
	if (inflateInit(&zs) != Z_OK)
		return NFE_NOMEM;
	zs.next_in = (Bytef *)(uintptr_t)src;
	zs.avail_in = (uInt)n;
	zs.next_out = dst;
	zs.avail_out = (uInt)rawlen;
	r = inflate(&zs, Z_FINISH);
	if (r == Z_BUF_ERROR && zs.avail_out == 0) {
		/* output full: there must be no more data */
		zs.next_out = &extra;
		zs.avail_out = 1;
		r = inflate(&zs, Z_FINISH);
		if (r != Z_STREAM_END || zs.avail_out == 0)
			r = Z_DATA_ERROR;
	}
	if (r != Z_STREAM_END || zs.total_out != rawlen || zs.avail_in != 0) {
		inflateEnd(&zs);
		return NFE_CORRUPT;
	}
	inflateEnd(&zs);
	return NFE_OK;
}

int
zcodec_decompress(int codec, const void *src, size_t n, void *dst,
    size_t rawlen)
{
	int r;

	if (!zcodec_known(codec))
		return NFE_UNSUPP;
	if (n > ZC_MAX_INPUT || rawlen > ZC_MAX_INPUT)
		return NFE_CORRUPT;
	switch (codec) {
	case ZC_NONE:
		if (n != rawlen)
			return NFE_CORRUPT;
		if (n > 0)
			memcpy(dst, src, n);
		return NFE_OK;
	case ZC_LZ4:
		if (rawlen == 0)
			return n == 0 ? NFE_OK : NFE_CORRUPT;
		r = LZ4_decompress_safe(src, dst, (int)n, (int)rawlen);
		if (r < 0 || (size_t)r != rawlen)
			return NFE_CORRUPT;
		return NFE_OK;
	default:
		return zlib_inflate_exact(src, n, dst, rawlen);
	}
}
