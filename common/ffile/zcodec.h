/*
 * common/ffile/zcodec.h -- compression shim for flow-file columns: none, lz4
 * (default) and zlib with a level 1..9.
 *
 * Stateless and thread-safe.  Decompression always knows the exact raw
 * length (stored in the column directory) and fails unless the input
 * decodes to exactly that many bytes, so hostile input can neither
 * overrun the output nor leave part of it unwritten.
 */
#ifndef COMMON_FFILE_ZCODEC_H
#define COMMON_FFILE_ZCODEC_H

#include <stddef.h>
#include <stdint.h>

/* Codec numbers as stored on disk (flowkit-file(5)); never renumber. */
#define ZC_NONE		0
#define ZC_LZ4		1
#define ZC_ZLIB		2
#define ZC_NCODECS	3

#define ZC_ZLIB_DEFAULT_LEVEL	6

#define ZC_LZ4_MAX_LEVEL	12

/*
 * Parse "none", "lz4", "lz4:N" (N 0..12: 0 is the fast compressor,
 * 1..12 lz4hc levels; the format and read speed are the same), "zlib"
 * or "zlib:N" (N 1..9; "zlib" means level ZC_ZLIB_DEFAULT_LEVEL).
 * Returns NFE_OK or NFE_INVAL (codec and level untouched).
 */
int	zcodec_parse(const char *s, int *codec, int *level);

/* "none", "lz4", "zlib" or "unknown". */
const char *zcodec_name(int codec);

/* True for the codec numbers above. */
int	zcodec_known(int codec);

/*
 * Largest compressed size of n raw bytes with codec (0 for an unknown
 * codec).  n must be at most ZC_MAX_INPUT.
 */
#define ZC_MAX_INPUT	(64U << 20)
size_t	zcodec_bound(int codec, size_t n);

/*
 * Compress n bytes of src into dst (capacity cap, at least
 * zcodec_bound(codec, n)).  level: zlib 1..9 (0: the default); lz4
 * 0 (fast) or 1..12 (lz4hc); ignored for none.  Sets *outlen.  Returns NFE_OK, NFE_INVAL (unknown codec
 * or n > ZC_MAX_INPUT) or NFE_LIMIT (dst too small).
 */
int	zcodec_compress(int codec, int level, const void *src, size_t n,
	    void *dst, size_t cap, size_t *outlen);

/*
 * Decompress n bytes of src into exactly rawlen bytes at dst.  Returns
 * NFE_OK, NFE_UNSUPP (unknown codec) or NFE_CORRUPT (the input does not
 * decode to exactly rawlen bytes).  Never writes past dst + rawlen.
 */
int	zcodec_decompress(int codec, const void *src, size_t n, void *dst,
	    size_t rawlen);

#endif /* COMMON_FFILE_ZCODEC_H */
