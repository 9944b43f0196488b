/*
 * common/enrich/geoip.h -- country and autonomous system of an address,
 * from MaxMind DB files (libmaxminddb; GeoLite2/GeoIP2 Country or City,
 * and ASN databases, or any database with the same fields).
 *
 * Country: "country" -> "iso_code", else "registered_country" ->
 * "iso_code" (an anycast or satellite address has only the latter).
 * AS: "autonomous_system_number" and "autonomous_system_organization".
 * Lookups only read the mapped files, so one struct geoip serves any
 * number of threads.  Without libmaxminddb (configure) geoip_open()
 * returns NFE_UNSUPP.
 */
#ifndef COMMON_ENRICH_GEOIP_H
#define COMMON_ENRICH_GEOIP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/base/addr.h"

#define GEOIP_ORG_MAX	128	/* AS organisation names are cut here */

struct geoip;			/* opaque */

/*
 * Open the country database and/or the AS database (either may be
 * NULL).  Returns NFE_OK, NFE_UNSUPP (no libmaxminddb), or NFE_IO /
 * NFE_FORMAT with a message naming the file in err.
 */
int	geoip_open(const char *country_db, const char *asn_db,
	    struct geoip **out, char *err, size_t errlen);
void	geoip_close(struct geoip *g);

bool	geoip_has_country(const struct geoip *g);
bool	geoip_has_asn(const struct geoip *g);

/* ISO 3166-1 alpha-2 code of a, in capitals, into cc.  False if unknown. */
bool	geoip_country(const struct geoip *g, const struct nf_addr *a,
	    char cc[3]);

/*
 * AS number of a, and its organisation into org (org may be NULL; an
 * empty string when the database has none).  False if unknown.
 */
bool	geoip_asn(const struct geoip *g, const struct nf_addr *a,
	    uint32_t *asn, char *org, size_t orglen);

#endif /* COMMON_ENRICH_GEOIP_H */
