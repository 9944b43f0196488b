/*
 * common/base/addr.c -- address and prefix parsing, formatting and matching.
 */
#include "common/base/compat.h"

#include <arpa/inet.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/base/addr.h"
#include "common/base/nferr.h"

static const uint8_t v4mapped[12] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff
};

void
addr_from_v4(struct nf_addr *a, uint32_t v4)
{
	memcpy(a->a, v4mapped, 12);
	a->a[12] = (uint8_t)(v4 >> 24);
	a->a[13] = (uint8_t)(v4 >> 16);
	a->a[14] = (uint8_t)(v4 >> 8);
	a->a[15] = (uint8_t)v4;
}

void
addr_from_v4_bytes(struct nf_addr *a, const uint8_t b[4])
{
	memcpy(a->a, v4mapped, 12);
	memcpy(a->a + 12, b, 4);
}

void
addr_from_v6(struct nf_addr *a, const uint8_t b[16])
{
	memcpy(a->a, b, 16);
}

bool
addr_is_v4(const struct nf_addr *a)
{
	return memcmp(a->a, v4mapped, 12) == 0;
}

uint32_t
addr_v4(const struct nf_addr *a)
{
	return (uint32_t)a->a[12] << 24 | (uint32_t)a->a[13] << 16 |
	    (uint32_t)a->a[14] << 8 | a->a[15];
}

bool
addr_is_zero(const struct nf_addr *a)
{
	static const uint8_t zero[16];

	if (addr_is_v4(a))
		return addr_v4(a) == 0;
	return memcmp(a->a, zero, 16) == 0;
}

int
addr_cmp(const struct nf_addr *a, const struct nf_addr *b)
{
	return memcmp(a->a, b->a, 16);
}

bool
addr_eq(const struct nf_addr *a, const struct nf_addr *b)
{
	return memcmp(a->a, b->a, 16) == 0;
}

int
addr_parse(const char *s, struct nf_addr *a)
{
	uint8_t b[16];

	memset(a, 0, sizeof(*a));
	if (s == NULL)
		return NFE_INVAL;
	if (inet_pton(AF_INET, s, b) == 1) {
		addr_from_v4_bytes(a, b);
		return NFE_OK;
	}
	if (inet_pton(AF_INET6, s, b) == 1) {
		addr_from_v6(a, b);
		return NFE_OK;
	}
	return NFE_INVAL;
}

char *
addr_format(const struct nf_addr *a, char *buf, size_t len)
{
	if (len == 0)
		return buf;
	if (addr_is_v4(a)) {
		if (inet_ntop(AF_INET, a->a + 12, buf, (socklen_t)len) == NULL)
			buf[0] = '\0';
	} else {
		if (inet_ntop(AF_INET6, a->a, buf, (socklen_t)len) == NULL)
			buf[0] = '\0';
	}
	return buf;
}

/* Clear every bit after the first abs_bits of the 128-bit form. */
static void
mask128(struct nf_addr *a, unsigned abs_bits)
{
	if (abs_bits >= 128)
		return;
	a->a[abs_bits / 8] &= (uint8_t)(0xff00 >> (abs_bits % 8));
	for (unsigned i = abs_bits / 8 + 1; i < 16; i++)
		a->a[i] = 0;
}

void
addr_mask(struct nf_addr *a, unsigned bits)
{
	if (addr_is_v4(a))
		mask128(a, 96 + (bits > 32 ? 32 : bits));
	else
		mask128(a, bits > 128 ? 128 : bits);
}

/* Expand nfdump's short IPv4 forms: "10" -> "10.0.0.0", "172.16" -> ... */
static bool
expand_short_v4(const char *s, char *out, size_t outlen)
{
	int dots = 0;

	for (const char *c = s; *c != '\0'; c++) {
		if (*c == '.')
			dots++;
		else if (*c < '0' || *c > '9')
			return false;
	}
	if (dots >= 3 || *s == '\0' || s[strlen(s) - 1] == '.')
		return false;
	snprintf(out, outlen, "%s%s", s,
	    dots == 0 ? ".0.0.0" : dots == 1 ? ".0.0" : ".0");
	return true;
}

int
prefix_parse(const char *s, bool allow_host, struct nf_prefix *p)
{
	char tmp[ADDR_STRLEN + 8], exp[ADDR_STRLEN + 16];
	const char *slash;
	struct nf_addr masked;
	unsigned long bits;
	unsigned maxbits;
	char *end;
	size_t n;

	memset(p, 0, sizeof(*p));
	if (s == NULL)
		return NFE_INVAL;
	slash = strchr(s, '/');
	n = slash != NULL ? (size_t)(slash - s) : strlen(s);
	if (n == 0 || n >= sizeof(tmp))
		return NFE_INVAL;
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	if (addr_parse(tmp, &p->addr) != NFE_OK) {
		if (slash == NULL || !expand_short_v4(tmp, exp, sizeof(exp)) ||
		    addr_parse(exp, &p->addr) != NFE_OK)
			return NFE_INVAL;
	}
	maxbits = addr_is_v4(&p->addr) ? 32 : 128;
	if (slash == NULL) {
		bits = maxbits;
	} else {
		if (slash[1] < '0' || slash[1] > '9')
			return NFE_INVAL;
		bits = strtoul(slash + 1, &end, 10);
		if (*end != '\0' || bits > maxbits)
			return NFE_INVAL;
	}
	masked = p->addr;
	addr_mask(&masked, (unsigned)bits);
	if (!allow_host && !addr_eq(&masked, &p->addr))
		return NFE_INVAL;
	p->addr = masked;
	p->len = (uint8_t)bits;
	return NFE_OK;
}

int
prefix_from_v4_mask(const struct nf_addr *a, const struct nf_addr *mask,
    struct nf_prefix *p)
{
	uint32_t m;
	unsigned bits = 0;

	memset(p, 0, sizeof(*p));
	if (!addr_is_v4(a) || !addr_is_v4(mask))
		return NFE_INVAL;
	m = addr_v4(mask);
	while (bits < 32 && (m & (UINT32_C(1) << (31 - bits))) != 0)
		bits++;
	if (bits < 32 && (m & (UINT32_MAX >> bits)) != 0)
		return NFE_INVAL;		/* not contiguous */
	p->addr = *a;
	addr_mask(&p->addr, bits);
	p->len = (uint8_t)bits;
	return NFE_OK;
}

bool
prefix_match(const struct nf_prefix *p, const struct nf_addr *a)
{
	unsigned abs_bits, full, rest;

	if (addr_is_v4(&p->addr) != addr_is_v4(a))
		return false;
	abs_bits = addr_is_v4(&p->addr) ? 96u + p->len : p->len;
	full = abs_bits / 8;
	rest = abs_bits % 8;
	if (memcmp(p->addr.a, a->a, full) != 0)
		return false;
	if (rest == 0)
		return true;
	return ((p->addr.a[full] ^ a->a[full]) & (0xff00 >> rest) & 0xff) == 0;
}

char *
prefix_format(const struct nf_prefix *p, char *buf, size_t len)
{
	char a[ADDR_STRLEN];

	addr_format(&p->addr, a, sizeof(a));
	snprintf(buf, len, "%s/%u", a, (unsigned)p->len);
	return buf;
}
