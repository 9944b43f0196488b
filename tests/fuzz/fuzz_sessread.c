/*
 * tests/fuzz/fuzz_sessread.c -- libFuzzer target for session files
 * (common/enrich/sessread.h): the input is split into lines and read as
 * a FreeRADIUS detail, CSV or JSON-lines file, whichever its first line
 * makes it; the events go to a session store.
 */
#include "common/base/compat.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "common/base/nferr.h"
#include "common/enrich/sessdb.h"
#include "common/enrich/sessread.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct sessdb *db;
	struct sessread r;
	struct sessdb_event ev;
	const char *p = (const char *)data, *end = p + size;
	unsigned line = 0;
	char err[256];
	bool have;

	if (db == NULL) {
		struct sessdb_conf c;

		sessdb_conf_default(&c);
		c.max_sessions = 4096;
		c.max_prefixes = 4096;
		if (sessdb_new(&c, &db) != NFE_OK)
			return 0;
	}
	sessread_init(&r);
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl != NULL ? (size_t)(nl - p) : (size_t)(end - p);

		if (sessread_line(&r, p, n, ++line, &ev, &have, err,
		    sizeof(err)) == NFE_OK && have)
			(void)sessdb_apply(db, &ev);
		p += n + 1;
	}
	if (sessread_end(&r, &ev, &have, err, sizeof(err)) == NFE_OK && have)
		(void)sessdb_apply(db, &ev);
	return 0;
}
