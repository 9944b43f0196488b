/*
 * common/base/addr.h -- IPv4 and IPv6 addresses and prefixes.
 *
 * An address is always 16 bytes in network order.  IPv4 is held as an
 * IPv4-mapped IPv6 address (::ffff:a.b.c.d, RFC 4291 2.5.5.2), so one
 * comparison, hash or mask serves both families.  Prefix lengths are
 * given in the address's own family: 0..32 for IPv4, 0..128 for IPv6.
 */
#ifndef COMMON_BASE_ADDR_H
#define COMMON_BASE_ADDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct nf_addr {
	uint8_t		a[16];		/* network order; v4 mapped */
};

struct nf_prefix {
	struct nf_addr	addr;		/* host bits cleared */
	uint8_t		len;		/* bits, in the address's family */
};

/* Longest text addr_format() or prefix_format() can produce, with NUL. */
#define ADDR_STRLEN	48

void	addr_from_v4(struct nf_addr *a, uint32_t v4);	/* v4 in host order */
void	addr_from_v4_bytes(struct nf_addr *a, const uint8_t b[4]);
void	addr_from_v6(struct nf_addr *a, const uint8_t b[16]);
bool	addr_is_v4(const struct nf_addr *a);
uint32_t addr_v4(const struct nf_addr *a);		/* host order */
bool	addr_is_zero(const struct nf_addr *a);
int	addr_cmp(const struct nf_addr *a, const struct nf_addr *b);
bool	addr_eq(const struct nf_addr *a, const struct nf_addr *b);

/*
 * Parse dotted-quad IPv4 or RFC 4291 IPv6 text.  Returns NFE_OK or
 * NFE_INVAL; *a is zeroed on failure.
 */
int	addr_parse(const char *s, struct nf_addr *a);

/*
 * Format into buf (at least ADDR_STRLEN bytes for a full result):
 * dotted quad for IPv4-mapped addresses, RFC 5952 text otherwise.
 * Returns buf.
 */
char	*addr_format(const struct nf_addr *a, char *buf, size_t len);

/* Clear all but the first bits (family-relative) of a. */
void	addr_mask(struct nf_addr *a, unsigned bits);

/*
 * Parse "ADDR", "ADDR/LEN" or, for IPv4, a short form such as "10/8" or
 * "172.16/12" as nfdump accepts.  Host bits must be zero unless
 * allow_host is set, in which case they are cleared.  Returns NFE_OK or
 * NFE_INVAL.
 */
int	prefix_parse(const char *s, bool allow_host, struct nf_prefix *p);

/* Build a prefix from an IPv4 dotted netmask (must be contiguous). */
int	prefix_from_v4_mask(const struct nf_addr *a, const struct nf_addr *mask,
	    struct nf_prefix *p);

bool	prefix_match(const struct nf_prefix *p, const struct nf_addr *a);
char	*prefix_format(const struct nf_prefix *p, char *buf, size_t len);

#endif /* COMMON_BASE_ADDR_H */
