/*
 * common/nfdump/nfdzip.h -- decompression of nfdump file blocks: LZO,
 * BZ2, LZ4 and ZSTD, as nfdump 1.6 and 1.7 write them (REFERENCE:
 * nfdump's nffile.c; flowq(1), "nfdump files").
 *
 * LZ4 (a base dependency of flowkit) is always there; LZO (liblzo2),
 * BZ2 (libbz2) and ZSTD (libzstd) only when configure found their
 * library.  A block that needs a codec not built in is NFE_UNSUPP, and
 * nfdzip_library() names what to install.  Stateless and thread-safe;
 * never writes past the output buffer.
 */
#ifndef COMMON_NFDUMP_NFDZIP_H
#define COMMON_NFDUMP_NFDZIP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Compression numbers of nfdump's layout 2 file header. */
#define NFDZ_NONE	0
#define NFDZ_LZO	1	/* lzo1x_1 */
#define NFDZ_BZ2	2	/* one bzip2 stream */
#define NFDZ_LZ4	3	/* raw LZ4 block, not the frame format */
#define NFDZ_ZSTD	4	/* one ZSTD frame (nfdump 1.7.3 and later) */
#define NFDZ_NCODECS	5

/* "none", "LZO", "BZ2", "LZ4", "ZSTD", or "unknown". */
const char *nfdzip_name(int z);

/* Library that provides codec z ("liblzo2", ...); "" for none/LZ4. */
const char *nfdzip_library(int z);

/* True if codec z can be decompressed by this build. */
bool	nfdzip_available(int z);

/*
 * Decompress n bytes at src into dst (capacity cap).  Sets *outlen to
 * the bytes produced.  Returns NFE_OK, NFE_UNSUPP (codec unknown or not
 * built in) or NFE_CORRUPT (the input is not a valid stream of that
 * codec, or it would decode to more than cap bytes).
 */
int	nfdzip_decompress(int z, const uint8_t *src, size_t n, uint8_t *dst,
	    size_t cap, size_t *outlen);

#endif /* COMMON_NFDUMP_NFDZIP_H */
