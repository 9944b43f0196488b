/*
 * common/enrich/geofill.c -- GeoIP and ASN fields of flow records
 * through a direct-mapped cache of answers (geofill.h).
 */
#include "common/base/compat.h"

#include <stdlib.h>
#include <string.h>

#include "common/base/nferr.h"
#include "common/enrich/geofill.h"

/* Bytes of strings one record can need: two codes, two organisations. */
#define REC_BYTES	(2 * 2 + 2 * GEOIP_ORG_MAX)

int
geofill_init(struct geofill *f, const struct geoip *g)
{
	memset(f, 0, sizeof(*f));
	f->g = g;
	if ((f->cache = calloc(GEOFILL_CACHE, sizeof(*f->cache))) == NULL)
		return NFE_NOMEM;
	return NFE_OK;
}

void
geofill_fini(struct geofill *f)
{
	free(f->cache);
	free(f->arena);
	memset(f, 0, sizeof(*f));
}

static uint32_t
slot_of(const struct nf_addr *a)
{
	uint64_t lo, hi;

	memcpy(&hi, a->a, 8);
	memcpy(&lo, a->a + 8, 8);
	lo ^= hi * 0x9e3779b97f4a7c15ULL;
	lo *= 0xff51afd7ed558ccdULL;
	return (uint32_t)(lo >> 40) & (GEOFILL_CACHE - 1);
}

/* The answers for a, from the cache or the databases. */
static const struct geofill_ent *
lookup(struct geofill *f, const struct nf_addr *a)
{
	struct geofill_ent *e = &f->cache[slot_of(a)];
	char cc[3];

	f->st.lookups++;
	if (e->used && addr_eq(&e->a, a)) {
		f->st.hits++;
		return e;
	}
	e->a = *a;
	e->used = true;
	e->cclen = e->orglen = 0;
	e->asn = 0;
	if (geoip_has_country(f->g) && geoip_country(f->g, a, cc)) {
		memcpy(e->cc, cc, 2);
		e->cclen = cc[1] != '\0' ? 2 : 1;
	}
	if (geoip_has_asn(f->g) && geoip_asn(f->g, a, &e->asn, e->org,
	    sizeof(e->org)))
		e->orglen = (uint8_t)strnlen(e->org, sizeof(e->org) - 1);
	else
		e->asn = 0;
	return e;
}

/* s = len bytes at p, copied into the arena at *used. */
static void
put(struct geofill *f, size_t *used, struct nf_str *s, const char *p,
    size_t len)
{
	if (len == 0)
		return;
	memcpy(f->arena + *used, p, len);
	flowrec_str_set(s, f->arena + *used, len);
	*used += len;
}

void
geofill_batch(struct geofill *f, struct flowrec *recs, size_t n)
{
	const struct geofill_ent *e;
	size_t used = 0;
	char *p;

	if (n > f->cap / REC_BYTES) {
		if ((p = realloc(f->arena, n * REC_BYTES)) == NULL)
			return;		/* no memory: records left as they are */
		f->arena = p;
		f->cap = n * REC_BYTES;
	}
	for (size_t i = 0; i < n; i++) {
		struct flowrec *r = &recs[i];

		e = lookup(f, &r->src);
		put(f, &used, &r->src_geo, e->cc, e->cclen);
		put(f, &used, &r->src_as_org, e->org, e->orglen);
		if (r->src_as == 0)
			r->src_as = e->asn;
		e = lookup(f, &r->dst);
		put(f, &used, &r->dst_geo, e->cc, e->cclen);
		put(f, &used, &r->dst_as_org, e->org, e->orglen);
		if (r->dst_as == 0)
			r->dst_as = e->asn;
	}
}
