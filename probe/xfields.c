/*
 * probe/xfields.c -- the -x groups and the catalogue fields each names
 * (probe/xfields.h).
 */
#include "common/base/compat.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "common/base/fields.h"
#include "common/base/nferr.h"
#include "probe/xfields.h"

#define XF_MAX_FIELDS	3

static const struct {
	const char	*name;
	uint8_t		 af;		/* 0 both templates, 6 IPv6 only */
	uint16_t	 fld[XF_MAX_FIELDS];
	size_t		 n;
} groups[] = {
	{ "mac", 0, { FLD_IN_SRC_MAC, FLD_IN_DST_MAC }, 2 },
	{ "vlan", 0, { FLD_VLAN_PRIO, FLD_SRC_CVLAN }, 2 },
	{ "ttl", 0, { FLD_MIN_TTL, FLD_MAX_TTL }, 2 },
	{ "flowlabel", 6, { FLD_FLOW_LABEL }, 1 },
	{ "mpls", 0, { FLD_MPLS1, FLD_MPLS2, FLD_MPLS3 }, 3 },
};

_Static_assert(NF_NELEM(groups) * XF_MAX_FIELDS <= NF_ENC_MAX_EXTRA,
    "every group fits the encoder's extra fields");

int
xfields_parse(const char *s, unsigned *mask, char *err, size_t errlen)
{
	const char *p = s, *end;
	unsigned m = 0;
	size_t len, i;

	if (strcmp(s, "none") == 0) {
		*mask = 0;
		return NFE_OK;
	}
	for (;;) {
		end = strchr(p, ',');
		len = end != NULL ? (size_t)(end - p) : strlen(p);
		if (len == 3 && strncmp(p, "all", 3) == 0)
			m |= (1u << NF_NELEM(groups)) - 1;
		else {
			for (i = 0; i < NF_NELEM(groups); i++)
				if (strlen(groups[i].name) == len &&
				    strncmp(p, groups[i].name, len) == 0)
					break;
			if (i == NF_NELEM(groups)) {
				snprintf(err, errlen, "%s: unknown field group "
				    "\"%.*s\" (mac, vlan, ttl, flowlabel, "
				    "mpls, all, none)", s, (int)len, p);
				return NFE_INVAL;
			}
			m |= 1u << i;
		}
		if (end == NULL)
			break;
		p = end + 1;
	}
	*mask = m;
	return NFE_OK;
}

size_t
xfields_enc(unsigned mask, struct nf_enc_extra *out, size_t cap)
{
	size_t n = 0;

	for (size_t i = 0; i < NF_NELEM(groups); i++) {
		if (!(mask & (1u << i)))
			continue;
		for (size_t k = 0; k < groups[i].n && n < cap; k++) {
			out[n].fld = groups[i].fld[k];
			out[n].af = groups[i].af;
			n++;
		}
	}
	return n;
}

void
xfields_print(unsigned mask, FILE *out)
{
	const char *sep = "";

	if (mask == 0) {
		fputs("none", out);
		return;
	}
	for (size_t i = 0; i < NF_NELEM(groups); i++)
		if (mask & (1u << i)) {
			fprintf(out, "%s%s", sep, groups[i].name);
			sep = ",";
		}
}
