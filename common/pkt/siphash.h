/*
 * common/pkt/siphash.h -- SipHash (Aumasson and Bernstein, 2012), a keyed
 * hash for the flow and fragment tables.
 *
 * The tables are keyed with a random per-run secret (main.c reads it
 * from getrandom()), so traffic crafted to collide in one run does not
 * collide in another.  siphash13() is SipHash-1-3 (one compression and
 * three finalization rounds, as Rust's HashMap uses), fast enough for
 * per-packet use; siphash24() is the reference variant the tests check
 * against the paper's vector.
 */
#ifndef COMMON_PKT_SIPHASH_H
#define COMMON_PKT_SIPHASH_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct sipkey {
	uint64_t	k0, k1;
};

#define SIP_ROTL(x, b)	(uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))

#define SIP_ROUND(v0, v1, v2, v3) do {					\
	v0 += v1; v1 = SIP_ROTL(v1, 13); v1 ^= v0; v0 = SIP_ROTL(v0, 32);	\
	v2 += v3; v3 = SIP_ROTL(v3, 16); v3 ^= v2;				\
	v0 += v3; v3 = SIP_ROTL(v3, 21); v3 ^= v0;				\
	v2 += v1; v1 = SIP_ROTL(v1, 17); v1 ^= v2; v2 = SIP_ROTL(v2, 32);	\
} while (0)

/* Little-endian 64-bit load, independent of host byte order. */
static inline uint64_t
sip_le64(const uint8_t *p)
{
	return (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 |
	    (uint64_t)p[3] << 24 | (uint64_t)p[4] << 32 |
	    (uint64_t)p[5] << 40 | (uint64_t)p[6] << 48 |
	    (uint64_t)p[7] << 56;
}

/* SipHash-c-d of len bytes at data (our own structs, not wire bytes). */
static inline uint64_t
siphash_cd(const struct sipkey *key, const void *data, size_t len, int c,
    int d)
{
	const uint8_t *in = data;
	uint64_t v0 = UINT64_C(0x736f6d6570736575) ^ key->k0;
	uint64_t v1 = UINT64_C(0x646f72616e646f6d) ^ key->k1;
	uint64_t v2 = UINT64_C(0x6c7967656e657261) ^ key->k0;
	uint64_t v3 = UINT64_C(0x7465646279746573) ^ key->k1;
	uint64_t m, b = (uint64_t)len << 56;
	size_t i, full = len & ~(size_t)7;

	for (i = 0; i < full; i += 8) {
		m = sip_le64(in + i);
		v3 ^= m;
		for (int r = 0; r < c; r++)
			SIP_ROUND(v0, v1, v2, v3);
		v0 ^= m;
	}
	for (size_t j = 0; i + j < len; j++)
		b |= (uint64_t)in[i + j] << (8 * j);
	v3 ^= b;
	for (int r = 0; r < c; r++)
		SIP_ROUND(v0, v1, v2, v3);
	v0 ^= b;
	v2 ^= 0xff;
	for (int r = 0; r < d; r++)
		SIP_ROUND(v0, v1, v2, v3);
	return v0 ^ v1 ^ v2 ^ v3;
}

static inline uint64_t
siphash13(const struct sipkey *key, const void *data, size_t len)
{
	return siphash_cd(key, data, len, 1, 3);
}

static inline uint64_t
siphash24(const struct sipkey *key, const void *data, size_t len)
{
	return siphash_cd(key, data, len, 2, 4);
}

/*
 * siphash13() of exactly nwords * 8 bytes, written out for that case
 * (no byte-wise tail, one round per word), for the flow table's hash
 * of every packet.
 */
static inline uint64_t
siphash13_words(const struct sipkey *key, const void *data, size_t nwords)
{
	const uint8_t *in = data;
	uint64_t v0 = UINT64_C(0x736f6d6570736575) ^ key->k0;
	uint64_t v1 = UINT64_C(0x646f72616e646f6d) ^ key->k1;
	uint64_t v2 = UINT64_C(0x6c7967656e657261) ^ key->k0;
	uint64_t v3 = UINT64_C(0x7465646279746573) ^ key->k1;
	uint64_t m, b = (uint64_t)(nwords * 8) << 56;

	for (size_t i = 0; i < nwords; i++) {
		m = sip_le64(in + 8 * i);
		v3 ^= m;
		SIP_ROUND(v0, v1, v2, v3);
		v0 ^= m;
	}
	v3 ^= b;
	SIP_ROUND(v0, v1, v2, v3);
	v0 ^= b;
	v2 ^= 0xff;
	SIP_ROUND(v0, v1, v2, v3);
	SIP_ROUND(v0, v1, v2, v3);
	SIP_ROUND(v0, v1, v2, v3);
	return v0 ^ v1 ^ v2 ^ v3;
}

#endif /* COMMON_PKT_SIPHASH_H */
