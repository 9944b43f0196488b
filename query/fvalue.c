/*
 * query/fvalue.c -- the values of the filter language: numbers with
 * k/m/g/t scaling (powers of 1000) or 0x hex, IPv4 and IPv6 addresses,
 * prefixes (with nfdump's short IPv4 forms such as 172.16/12), dotted
 * IPv4 netmasks, protocol names (nfdump's table) and TCP flag letters.
 * Each parser reports a bad value through fp_error() at the value's
 * token; none allocates.
 */
#include "common/base/compat.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/base/addr.h"
#include "common/base/fields.h"
#include "common/base/nferr.h"
#include "query/filter_int.h"

/*
 * Protocol names nfdump 1.7.1 accepts after "proto" (matched without
 * regard to case), with their IANA numbers.  Where nfdump lists a name
 * twice (ipip: 4 and 94), the first wins, as in nfdump.
 */
static const struct {
	const char	*name;
	uint8_t		 num;
} protos[] = {
	{ "icmp", 1 }, { "igmp", 2 }, { "ggp", 3 }, { "ipip", 4 },
	{ "st", 5 }, { "tcp", 6 }, { "cbt", 7 }, { "egp", 8 }, { "igp", 9 },
	{ "bbn", 10 }, { "nvpii", 11 }, { "pup", 12 }, { "argus", 13 },
	{ "encom", 14 }, { "xnet", 15 }, { "chaos", 16 }, { "udp", 17 },
	{ "mux", 18 }, { "dcn", 19 }, { "hmp", 20 }, { "prm", 21 },
	{ "xns", 22 }, { "trnk1", 23 }, { "trnk2", 24 }, { "leaf1", 25 },
	{ "leaf2", 26 }, { "rdp", 27 }, { "irtp", 28 }, { "iso-4", 29 },
	{ "netbk", 30 }, { "mfesp", 31 }, { "meinp", 32 }, { "dccp", 33 },
	{ "3pc", 34 }, { "idpr", 35 }, { "xtp", 36 }, { "ddp", 37 },
	{ "il", 40 }, { "sdrp", 42 }, { "rte6", 43 }, { "frag6", 44 },
	{ "idrp", 45 }, { "rsvp", 46 }, { "gre", 47 }, { "mhrp", 48 },
	{ "bna", 49 }, { "esp", 50 }, { "ah", 51 }, { "inlsp", 52 },
	{ "swipe", 53 }, { "narp", 54 }, { "mobil", 55 }, { "tlsp", 56 },
	{ "skip", 57 }, { "icmp6", 58 }, { "nohe6", 59 }, { "opts6", 60 },
	{ "cftp", 62 }, { "satnt", 64 }, { "klan", 65 }, { "rvd", 66 },
	{ "ippc", 67 }, { "fs", 68 }, { "satm", 69 }, { "visa", 70 },
	{ "ipcv", 71 }, { "cpnx", 72 }, { "cphb", 73 }, { "wsn", 74 },
	{ "pvp", 75 }, { "bsatm", 76 }, { "sunnd", 77 }, { "wbmon", 78 },
	{ "wbexp", 79 }, { "isoip", 80 }, { "vmtp", 81 }, { "svmtp", 82 },
	{ "vines", 83 }, { "ttp", 84 }, { "nsigp", 85 }, { "dgp", 86 },
	{ "tcf", 87 }, { "eigrp", 88 }, { "ospf", 89 }, { "s-rpc", 90 },
	{ "larp", 91 }, { "mtp", 92 }, { "ax.25", 93 }, { "micp", 95 },
	{ "sccsp", 96 }, { "ethip", 97 }, { "encap", 98 }, { "gmtp", 100 },
	{ "ifmp", 101 }, { "pnni", 102 }, { "pim", 103 }, { "aris", 104 },
	{ "scps", 105 }, { "qnx", 106 }, { "ipcmp", 108 }, { "snp", 109 },
	{ "cpqpp", 110 }, { "ipxip", 111 }, { "vrrp", 112 }, { "pgm", 113 },
	{ "0hop", 114 }, { "l2tp", 115 }, { "ddx", 116 }, { "iatp", 117 },
	{ "stp", 118 }, { "srp", 119 }, { "uti", 120 }, { "smp", 121 },
	{ "sm", 122 }, { "ptp", 123 }, { "isis4", 124 }, { "fire", 125 },
	{ "crtp", 126 }, { "crudp", 127 }, { "iplt", 129 }, { "sps", 130 },
	{ "pipe", 131 }, { "sctp", 132 }, { "fc", 133 }, { "mhead", 135 },
	{ "udp-l", 136 }, { "mpls", 137 },
};

bool
fv_number(struct fparse *fp, const char *s, const struct floc *loc,
    uint64_t max, const char *what, uint64_t *out)
{
	uint64_t v = 0, scale = 1;
	const char *p = s;
	unsigned d;

	*out = 0;
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		for (p += 2; *p != '\0'; p++) {
			d = (unsigned)(*p >= '0' && *p <= '9' ? *p - '0' :
			    (*p | 0x20) - 'a' + 10);
			if (v > (UINT64_MAX >> 4))
				goto range;
			v = v << 4 | d;
		}
	} else {
		for (; *p >= '0' && *p <= '9'; p++) {
			d = (unsigned)(*p - '0');
			if (v > (UINT64_MAX - d) / 10)
				goto range;
			v = v * 10 + d;
		}
		switch (*p | 0x20) {
		case 'k': scale = UINT64_C(1000); break;
		case 'm': scale = UINT64_C(1000000); break;
		case 'g': scale = UINT64_C(1000000000); break;
		case 't': scale = UINT64_C(1000000000000); break;
		default: break;
		}
		if (scale > 1 && v > UINT64_MAX / scale)
			goto range;
		v *= scale;
	}
	if (v > max)
		goto range;
	*out = v;
	return true;
range:
	fp_error(fp, loc, NFE_INVAL, "%s '%s' out of range 0..%llu", what, s,
	    (unsigned long long)max);
	return false;
}

/* Dotted-quad IPv4 with exactly four parts; leading zeros are decimal. */
static bool
parse_v4(const char *s, int want_parts, uint32_t *out)
{
	uint32_t v = 0;
	unsigned part, digits;
	int parts = 0;

	for (;;) {
		part = 0;
		digits = 0;
		while (*s >= '0' && *s <= '9' && digits < 4) {
			part = part * 10 + (unsigned)(*s++ - '0');
			digits++;
		}
		if (digits == 0 || digits > 3 || part > 255)
			return false;
		v = v << 8 | part;
		parts++;
		if (*s == '\0')
			break;
		if (*s != '.' || parts == 4)
			return false;
		s++;
	}
	if (want_parts == 4 ? parts != 4 : parts < 1)
		return false;
	*out = v << (8 * (4 - parts));
	return true;
}

static void
a128_from_v4(struct a128 *a, uint32_t v4)
{
	a->hi = 0;
	a->lo = UINT64_C(0xffff) << 32 | v4;
}

bool
fv_addr(struct fparse *fp, const char *s, const struct floc *loc,
    struct a128 *out)
{
	struct nf_addr a;
	uint32_t v4;

	if (strchr(s, ':') == NULL) {
		if (parse_v4(s, 4, &v4)) {
			a128_from_v4(out, v4);
			return true;
		}
	} else if (addr_parse(s, &a) == NFE_OK) {
		a128_from_addr(out, &a);
		return true;
	}
	fp_error(fp, loc, NFE_INVAL, "bad IP address '%s'", s);
	return false;
}

bool
fv_mac(struct fparse *fp, const char *s, const struct floc *loc,
    uint64_t *out)
{
	uint64_t v = 0;
	const char *p = s;

	for (int i = 0; i < 6; i++) {
		int n = 0;

		for (; n < 2 && isxdigit((unsigned char)*p); n++, p++)
			v = v << 4 | (uint64_t)(isdigit((unsigned char)*p) ?
			    *p - '0' : (tolower((unsigned char)*p) - 'a' + 10));
		if (n == 0 || (i < 5 && *p != ':' && *p != '-') ||
		    (i == 5 && *p != '\0'))
			goto bad;
		if (i < 5)
			p++;
	}
	*out = v;
	return true;
bad:
	fp_error(fp, loc, NFE_INVAL, "bad MAC address '%s'", s);
	return false;
}

/* One decimal number of s from *p on, at most max; false if none. */
static bool
dec_part(const char **p, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;
	const char *q = *p;

	for (; *q >= '0' && *q <= '9'; q++) {
		v = v * 10 + (uint64_t)(*q - '0');
		if (v > max)
			return false;
	}
	if (q == *p)
		return false;
	*p = q;
	*out = v;
	return true;
}

/* ".." or ':' between the parts of an application id. */
static bool
appid_sep(const char **p)
{
	if ((*p)[0] == '.' && (*p)[1] == '.') {
		*p += 2;
		return true;
	}
	if ((*p)[0] == ':') {
		*p += 1;
		return true;
	}
	return false;
}

bool
fv_appid(struct fparse *fp, const char *s, const struct floc *loc,
    uint64_t *out)
{
	const char *p = s;
	uint64_t engine, pen, sel;

	if (!dec_part(&p, 255, &engine) || !appid_sep(&p))
		goto bad;
	if (engine == FLD_APPID_ENGINE_PEN) {
		if (!dec_part(&p, UINT32_MAX, &pen) || !appid_sep(&p) ||
		    !dec_part(&p, 0xffffff, &sel) || *p != '\0')
			goto bad;
		*out = engine << 56 | pen << 24 | sel;
		return true;
	}
	if (!dec_part(&p, UINT64_C(0x00ffffffffffffff), &sel) || *p != '\0')
		goto bad;
	*out = engine << 56 | sel;
	return true;
bad:
	fp_error(fp, loc, NFE_INVAL, "bad application id '%s' (engine..selector, "
	    "e.g. 13..80; engine 20: 20..PEN..selector)", s);
	return false;
}

bool
fv_prefix(struct fparse *fp, const char *s, const struct floc *loc,
    struct a128 *net, int *abslen)
{
	char buf[64];
	const char *slash;
	struct a128 mask;
	uint64_t bits;
	uint32_t v4;
	struct nf_addr a;
	bool v6;
	size_t n;

	slash = strchr(s, '/');
	if (slash == NULL) {
		fp_error(fp, loc, NFE_INVAL, "bad prefix '%s': expected "
		    "ADDR/LEN, or ADDR MASK", s);
		return false;
	}
	n = (size_t)(slash - s);
	if (n == 0 || n >= sizeof(buf))
		goto bad;
	memcpy(buf, s, n);
	buf[n] = '\0';
	v6 = strchr(buf, ':') != NULL;
	if (v6) {
		if (addr_parse(buf, &a) != NFE_OK)
			goto bad;
		a128_from_addr(net, &a);
		v6 = !a128_is_v4(net);
	} else {
		if (!parse_v4(buf, 0, &v4))
			goto bad;
		a128_from_v4(net, v4);
	}
	if (slash[1] < '0' || slash[1] > '9' || strlen(slash + 1) > 3)
		goto bad;
	bits = strtoull(slash + 1, NULL, 10);
	if (strspn(slash + 1, "0123456789") != strlen(slash + 1))
		goto bad;
	if (bits > (v6 ? 128u : 32u)) {
		fp_error(fp, loc, NFE_INVAL, "prefix length %llu too long for "
		    "an %s address in '%s'", (unsigned long long)bits,
		    v6 ? "IPv6" : "IPv4", s);
		return false;
	}
	*abslen = (int)bits + (v6 ? 0 : 96);
	a128_mask(&mask, *abslen);
	net->hi &= mask.hi;
	net->lo &= mask.lo;
	return true;
bad:
	fp_error(fp, loc, NFE_INVAL, "bad prefix '%s'", s);
	return false;
}

bool
fv_v4mask(struct fparse *fp, const char *s, const struct floc *loc,
    struct a128 *mask)
{
	uint32_t v4;

	if (!parse_v4(s, 4, &v4)) {
		fp_error(fp, loc, NFE_INVAL, "bad IPv4 netmask '%s'", s);
		return false;
	}
	mask->hi = UINT64_MAX;
	mask->lo = UINT64_C(0xffffffff) << 32 | v4;
	return true;
}

bool
fv_proto(struct fparse *fp, const char *s, const struct floc *loc,
    uint64_t *out)
{
	if (s[0] >= '0' && s[0] <= '9')
		return fv_number(fp, s, loc, 255, "protocol", out);
	for (size_t i = 0; i < NF_NELEM(protos); i++) {
		if (strcasecmp(s, protos[i].name) == 0) {
			*out = protos[i].num;
			return true;
		}
	}
	fp_error(fp, loc, NFE_INVAL, "unknown protocol '%s'", s);
	return false;
}

bool
fv_flags(struct fparse *fp, const char *s, const struct floc *loc,
    uint64_t *out)
{
	static const char letters[] = "FSRPAUEC";
	const char *c;
	uint64_t v = 0, bit;

	for (const char *p = s; *p != '\0'; p++) {
		if ((*p | 0x20) == 'x') {
			bit = 0x3f;		/* nfdump: the six classic flags */
		} else if ((*p & ~0x20) != 0 &&
		    (c = strchr(letters, *p & ~0x20)) != NULL) {
			bit = UINT64_C(1) << (c - letters);
		} else {
			fp_error(fp, loc, NFE_INVAL, "bad TCP flag '%c' in "
			    "'%s': expected letters of FSRPAUECX", *p, s);
			return false;
		}
		if ((v & bit) == bit && (*p | 0x20) != 'x') {
			fp_error(fp, loc, NFE_INVAL, "TCP flag '%c' repeated "
			    "in '%s'", *p, s);
			return false;
		}
		v |= bit;
	}
	*out = v;
	return true;
}
