/*
 * common/enrich/geofill.h -- GeoIP and ASN fields of flow records
 * (flowcapd and flowq --geoip, --asn-db; flowkit-sessions(5), "GEOIP
 * AND ASN").
 *
 * For each record: the source and destination country (src_geo,
 * dst_geo: ISO 3166 codes) from the country database; from the ASN
 * database the AS organisations (src_as_org, dst_as_org) and, where the
 * exporter sent AS 0, the AS numbers.  Fields the databases know
 * nothing about are left as they are.
 *
 * Addresses repeat a lot in flows: answers are kept in a direct-mapped
 * cache of GEOFILL_CACHE entries (about 150 bytes each), so most
 * records cost two cache probes instead of up to four database walks.
 * The strings a record gets point into the geofill's arena: valid until
 * the next geofill_batch() call.  One geofill per thread; any number of
 * them may share one struct geoip.
 */
#ifndef COMMON_ENRICH_GEOFILL_H
#define COMMON_ENRICH_GEOFILL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/base/addr.h"
#include "common/base/fields.h"
#include "common/base/flowrec.h"
#include "common/enrich/geoip.h"

#define GEOFILL_CACHE	16384		/* entries, a power of two */

struct geofill_ent {
	struct nf_addr	 a;
	bool		 used;
	uint8_t		 cclen, orglen;
	char		 cc[2];
	uint32_t	 asn;		/* 0: unknown */
	char		 org[GEOIP_ORG_MAX];
};

struct geofill_stats {
	uint64_t	 lookups, hits;	/* addresses asked, answered by the
					   cache */
};

struct geofill {
	const struct geoip *g;		/* borrowed */
	struct geofill_ent *cache;	/* owned; GEOFILL_CACHE */
	char		*arena;		/* owned: this batch's strings */
	size_t		 cap;
	struct geofill_stats st;
};

/* NFE_OK or NFE_NOMEM. */
int	geofill_init(struct geofill *f, const struct geoip *g);
void	geofill_fini(struct geofill *f);

/* Fill the geo fields of n records (see above). */
void	geofill_batch(struct geofill *f, struct flowrec *recs, size_t n);

/* The columns geofill_batch() may set (the file writer's fcol_mask). */
#define GEOFILL_COLS	(FCOL_BIT(FCOL_SRC_GEO) | FCOL_BIT(FCOL_DST_GEO) | \
	FCOL_BIT(FCOL_SRC_AS_ORG) | FCOL_BIT(FCOL_DST_AS_ORG) | \
	FCOL_BIT(FCOL_SRC_AS) | FCOL_BIT(FCOL_DST_AS))

#endif /* COMMON_ENRICH_GEOFILL_H */
