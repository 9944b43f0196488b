/*
 * tests/geoip_lookup.c -- print what common/enrich/geoip finds for each
 * address, for tests/geoip.sh to compare with mmdblookup(1):
 *   geoip_lookup COUNTRY.mmdb ASN.mmdb ADDR...
 * One line per address: "ADDR CC ASN ORG" ("-" for unknown).
 */
#include "common/base/compat.h"

#include <stdio.h>

#include "common/base/addr.h"
#include "common/base/nferr.h"
#include "common/enrich/geoip.h"

int
main(int argc, char **argv)
{
	struct geoip *g;
	char err[512], cc[3], org[GEOIP_ORG_MAX];
	uint32_t asn;

	if (argc < 3) {
		fprintf(stderr, "usage: geoip_lookup country.mmdb asn.mmdb "
		    "addr...\n");
		return 2;
	}
	if (geoip_open(argv[1], argv[2], &g, err, sizeof(err)) != NFE_OK) {
		fprintf(stderr, "geoip_lookup: %s\n", err);
		return 1;
	}
	for (int i = 3; i < argc; i++) {
		struct nf_addr a;

		if (addr_parse(argv[i], &a) != NFE_OK) {
			fprintf(stderr, "geoip_lookup: bad address %s\n", argv[i]);
			return 1;
		}
		if (!geoip_country(g, &a, cc))
			snprintf(cc, sizeof(cc), "-");
		if (geoip_asn(g, &a, &asn, org, sizeof(org)))
			printf("%s %s %u %s\n", argv[i], cc, asn,
			    org[0] != '\0' ? org : "-");
		else
			printf("%s %s - -\n", argv[i], cc);
	}
	geoip_close(g);
	return 0;
}
