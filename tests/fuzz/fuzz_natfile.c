/*
 * tests/fuzz/fuzz_natfile.c -- libFuzzer target for the CGNAT mapping
 * files (common/enrich/natfile.h): the input is read as a snapshot and
 * as a journal into a small mapping store, which is then asked about
 * an address the input names.
 */
#include "common/base/compat.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/base/nferr.h"
#include "common/enrich/natfile.h"
#include "common/enrich/natmap.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
err(void *arg, const char *path, uint64_t off, const char *msg)
{
	(void)arg;
	(void)path;
	(void)off;
	(void)msg;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct natfile_counts c;
	struct natmap *nm;
	struct nf_addr out, in;
	uint8_t *j;

	if (natmap_new(4096, 3600 * 1000, &nm) != NFE_OK)
		return 0;
	memset(&c, 0, sizeof(c));
	(void)natfile_read(nm, "fuzz", data, size, false, 1000, err, NULL, &c,
	    NULL);
	/* the same records under a journal's header */
	if (size >= 8 && (j = malloc(size)) != NULL) {
		memcpy(j, data, size);
		memcpy(j, "FKNJRN\0\1", 8);
		(void)natfile_read(nm, "fuzz", j, size, true, 1000, err, NULL,
		    &c, NULL);
		free(j);
	}
	if (size >= NATFILE_HDR + 40) {
		memcpy(out.a, data + NATFILE_HDR + 24, 16);
		(void)natmap_lookup(nm, &out, 1024, 5000, &in);
	}
	natmap_expire(nm, 2000);
	natmap_free(nm);
	return 0;
}
