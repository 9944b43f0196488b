/*
 * common/ffile/crc32c.h -- CRC-32C (Castagnoli, polynomial 0x1EDC6F41,
 * reflected, as in iSCSI RFC 3720 B.4 and ext4/btrfs), the checksum of
 * every flow-file header, block and column.
 *
 * Uses the SSE4.2 crc32 instruction when the CPU has it, otherwise a
 * slicing-by-8 table.  Tables are built at compile time: no state, safe
 * from any thread.
 */
#ifndef COMMON_FFILE_CRC32C_H
#define COMMON_FFILE_CRC32C_H

#include <stddef.h>
#include <stdint.h>

/*
 * Continue a CRC-32C over n bytes of p.  Start with crc = 0; the result
 * of one call is the crc argument of the next, so
 * crc32c(crc32c(0, a, na), b, nb) == crc32c(0, ab, na + nb).
 * crc32c(0, "123456789", 9) == 0xE3069283.
 */
uint32_t	crc32c(uint32_t crc, const void *p, size_t n);

/* The portable path only, for tests that compare both. */
uint32_t	crc32c_sw(uint32_t crc, const void *p, size_t n);

#endif /* COMMON_FFILE_CRC32C_H */
