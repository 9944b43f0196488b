/*
 * tests/fuzz/fuzz_radius.c -- libFuzzer target for the RADIUS
 * Accounting-Request parser and the session event of a request
 * (common/enrich/radius.h), applied to a session store.
 */
#include "common/base/compat.h"

#include <stddef.h>
#include <stdint.h>

#include "common/base/nferr.h"
#include "common/enrich/radius.h"
#include "common/enrich/sessdb.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct sessdb *db;
	struct radius_acct a;
	struct sessdb_event ev;
	struct nf_addr src;
	uint8_t resp[RADIUS_HDR_LEN];
	size_t rlen;

	if (db == NULL) {
		struct sessdb_conf c;

		sessdb_conf_default(&c);
		c.max_sessions = 4096;
		c.max_prefixes = 4096;
		if (sessdb_new(&c, &db) != NFE_OK)
			return 0;
	}
	addr_from_v4(&src, 0x7f000001);
	if (radius_parse(data, size, &a) != NFE_OK)
		return 0;
	(void)radius_verify(data, &a, (const uint8_t *)"secret", 6);
	(void)radius_response(&a, (const uint8_t *)"secret", 6, resp,
	    sizeof(resp), &rlen);
	if (radius_acct_event(&a, 1700000000000, &src, &ev) == NFE_OK)
		(void)sessdb_apply(db, &ev);
	(void)sessdb_lookup(db, &src, 1700000000000, 1700000001000);
	return 0;
}
