/*
 * tests/nfdgen.c -- test helper: write nfdump files (tests/nfdwrite.c).
 *
 *   nfdgen build LAYOUT COMP NREC SEED OUT [PER]
 *       NREC deterministic records (seed SEED, three exporters:
 *       192.0.2.1, 198.51.100.7, 2001:db8::99) in a layout 1 or 2 file,
 *       PER records per block (default 1000);
 *   nfdgen recompress IN COMP OUT
 *       the blocks of layout 2 file IN compressed with COMP instead.
 * COMP is none, lzo, bz2, lz4 or zstd.  Exits 2 if COMP is not built
 * in (the caller skips), 1 on any other failure.
 */
#include "common/base/compat.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/base/addr.h"
#include "common/nfdump/nfdzip.h"
#include "tests/nfdwrite.h"

static int
codec(const char *s)
{
	static const char *names[] = { "none", "lzo", "bz2", "lz4", "zstd" };

	for (int i = 0; i < NFDZ_NCODECS; i++)
		if (strcmp(s, names[i]) == 0) {
			if (!nfdzip_available(i)) {
				fprintf(stderr, "nfdgen: %s not built in\n", s);
				exit(2);
			}
			return i;
		}
	fprintf(stderr, "nfdgen: unknown compression %s\n", s);
	exit(1);
}

static int
put(const char *path, const uint8_t *p, size_t n)
{
	FILE *f = fopen(path, "wb");

	if (f == NULL || fwrite(p, 1, n, f) != n || fclose(f) != 0) {
		fprintf(stderr, "nfdgen: %s: %s\n", path, strerror(errno));
		return 1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	struct nf_addr xa[3];
	uint8_t *out, *in;
	size_t len, n = 0;
	FILE *f;

	if (argc >= 7 && strcmp(argv[1], "build") == 0) {
		struct nfdw_opts o = { (unsigned)atoi(argv[2]), codec(argv[3]),
		    argc > 7 ? (size_t)atol(argv[7]) : 0, "nfdgen" };
		struct nfdw_exporters x = { xa, 3 };
		size_t nrec = (size_t)atol(argv[4]);
		struct flowrec *recs = calloc(nrec ? nrec : 1, sizeof(*recs));

		addr_parse("192.0.2.1", &xa[0]);
		addr_parse("198.51.100.7", &xa[1]);
		addr_parse("2001:db8::99", &xa[2]);
		nfdw_sample_records(recs, nrec, (unsigned)atoi(argv[5]), 3);
		if (recs == NULL || nfdw_build(&o, &x, recs, nrec, &out,
		    &len) != 0) {
			fprintf(stderr, "nfdgen: cannot build the file\n");
			return 1;
		}
		free(recs);
		n = (size_t)put(argv[6], out, len);
		free(out);
		return (int)n;
	}
	if (argc == 5 && strcmp(argv[1], "recompress") == 0) {
		int z = codec(argv[3]);

		if ((f = fopen(argv[2], "rb")) == NULL ||
		    (in = malloc(64U << 20)) == NULL) {
			fprintf(stderr, "nfdgen: %s: %s\n", argv[2],
			    strerror(errno));
			return 1;
		}
		n = fread(in, 1, 64U << 20, f);
		fclose(f);
		if (nfdw_recompress(in, n, z, &out, &len) != 0) {
			fprintf(stderr, "nfdgen: %s: cannot recompress\n",
			    argv[2]);
			return 1;
		}
		free(in);
		n = (size_t)put(argv[4], out, len);
		free(out);
		return (int)n;
	}
	fprintf(stderr, "usage: nfdgen build LAYOUT COMP NREC SEED OUT [PER]\n"
	    "       nfdgen recompress IN COMP OUT\n");
	return 1;
}
