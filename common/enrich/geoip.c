/*
 * common/enrich/geoip.c -- MaxMind DB lookups (geoip.h).
 */
#include "common/base/compat.h"

#include <sys/socket.h>

#include <netinet/in.h>

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef HAVE_MAXMINDDB
#include <maxminddb.h>
#endif

#include "common/base/nferr.h"
#include "common/enrich/geoip.h"

#ifdef HAVE_MAXMINDDB
struct geoip {
	MMDB_s		 cc, as;
	bool		 have_cc, have_as;
};

static int
open_one(const char *path, MMDB_s *db, char *err, size_t errlen)
{
	int st = MMDB_open(path, MMDB_MODE_MMAP, db);

	if (st == MMDB_SUCCESS)
		return NFE_OK;
	if (st == MMDB_IO_ERROR) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NFE_IO;
	}
	snprintf(err, errlen, "%s: not a MaxMind DB: %s", path,
	    MMDB_strerror(st));
	return NFE_FORMAT;
}

int
geoip_open(const char *country_db, const char *asn_db, struct geoip **out,
    char *err, size_t errlen)
{
	struct geoip *g;
	int r;

	*out = NULL;
	if ((g = calloc(1, sizeof(*g))) == NULL)
		return NFE_NOMEM;
	if (country_db != NULL) {
		if ((r = open_one(country_db, &g->cc, err, errlen)) != NFE_OK) {
			free(g);
			return r;
		}
		g->have_cc = true;
	}
	if (asn_db != NULL) {
		if ((r = open_one(asn_db, &g->as, err, errlen)) != NFE_OK) {
			geoip_close(g);
			return r;
		}
		g->have_as = true;
	}
	*out = g;
	return NFE_OK;
}

void
geoip_close(struct geoip *g)
{
	if (g == NULL)
		return;
	if (g->have_cc)
		MMDB_close(&g->cc);
	if (g->have_as)
		MMDB_close(&g->as);
	free(g);
}

static bool
lookup(const MMDB_s *db, const struct nf_addr *a, MMDB_lookup_result_s *res)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
	int merr = 0;

	memset(&ss, 0, sizeof(ss));
	if (addr_is_v4(a)) {
		sin->sin_family = AF_INET;
		memcpy(&sin->sin_addr, a->a + 12, 4);
	} else {
		sin6->sin6_family = AF_INET6;
		memcpy(&sin6->sin6_addr, a->a, 16);
	}
	/* MMDB_lookup_sockaddr takes a non-const handle but only reads */
	*res = MMDB_lookup_sockaddr((MMDB_s *)(uintptr_t)db,
	    (const struct sockaddr *)&ss, &merr);
	return merr == MMDB_SUCCESS && res->found_entry;
}

bool
geoip_country(const struct geoip *g, const struct nf_addr *a, char cc[3])
{
	MMDB_lookup_result_s res;
	MMDB_entry_data_s d;

	if (g == NULL || !g->have_cc || !lookup(&g->cc, a, &res))
		return false;
	if ((MMDB_get_value(&res.entry, &d, "country", "iso_code", NULL) !=
	    MMDB_SUCCESS || !d.has_data) &&
	    (MMDB_get_value(&res.entry, &d, "registered_country", "iso_code",
	    NULL) != MMDB_SUCCESS || !d.has_data))
		return false;
	if (d.type != MMDB_DATA_TYPE_UTF8_STRING || d.data_size != 2 ||
	    !isalpha((unsigned char)d.utf8_string[0]) ||
	    !isalpha((unsigned char)d.utf8_string[1]))
		return false;
	cc[0] = (char)toupper((unsigned char)d.utf8_string[0]);
	cc[1] = (char)toupper((unsigned char)d.utf8_string[1]);
	cc[2] = '\0';
	return true;
}

bool
geoip_asn(const struct geoip *g, const struct nf_addr *a, uint32_t *asn,
    char *org, size_t orglen)
{
	MMDB_lookup_result_s res;
	MMDB_entry_data_s d;

	if (org != NULL && orglen > 0)
		org[0] = '\0';
	if (g == NULL || !g->have_as || !lookup(&g->as, a, &res))
		return false;
	if (MMDB_get_value(&res.entry, &d, "autonomous_system_number", NULL) !=
	    MMDB_SUCCESS || !d.has_data)
		return false;
	if (d.type == MMDB_DATA_TYPE_UINT32)
		*asn = d.uint32;
	else if (d.type == MMDB_DATA_TYPE_UINT16)
		*asn = d.uint16;
	else if (d.type == MMDB_DATA_TYPE_UINT64 && d.uint64 <= UINT32_MAX)
		*asn = (uint32_t)d.uint64;
	else
		return false;
	if (org != NULL && orglen > 0 &&
	    MMDB_get_value(&res.entry, &d, "autonomous_system_organization",
	    NULL) == MMDB_SUCCESS && d.has_data &&
	    d.type == MMDB_DATA_TYPE_UTF8_STRING) {
		size_t n = d.data_size < orglen - 1 ? d.data_size : orglen - 1;

		memcpy(org, d.utf8_string, n);
		org[n] = '\0';
		if (memchr(org, '\0', n) != NULL)
			org[0] = '\0';	/* a NUL inside: not a name */
	}
	return true;
}

#else /* !HAVE_MAXMINDDB */

int
geoip_open(const char *country_db, const char *asn_db, struct geoip **out,
    char *err, size_t errlen)
{
	(void)country_db;
	(void)asn_db;
	*out = NULL;
	snprintf(err, errlen, "built without libmaxminddb (configure found "
	    "no libmaxminddb-dev): no GeoIP or ASN lookups");
	return NFE_UNSUPP;
}

void
geoip_close(struct geoip *g)
{
	(void)g;
}

bool
geoip_country(const struct geoip *g, const struct nf_addr *a, char cc[3])
{
	(void)g;
	(void)a;
	(void)cc;
	return false;
}

bool
geoip_asn(const struct geoip *g, const struct nf_addr *a, uint32_t *asn,
    char *org, size_t orglen)
{
	(void)g;
	(void)a;
	(void)asn;
	if (org != NULL && orglen > 0)
		org[0] = '\0';
	return false;
}
#endif

bool
geoip_has_country(const struct geoip *g)
{
#ifdef HAVE_MAXMINDDB
	return g != NULL && g->have_cc;
#else
	(void)g;
	return false;
#endif
}

bool
geoip_has_asn(const struct geoip *g)
{
#ifdef HAVE_MAXMINDDB
	return g != NULL && g->have_as;
#else
	(void)g;
	return false;
#endif
}
