/*
 * tests/ffdump.c -- test helper: print what a flow file holds, through
 * the ffile reader only (independent of flowcapd and flowq).
 *
 *   ffdump [-q] file ...
 *
 * For each file: "# file PATH clean=0|1 records=N blocks=N exporters=N
 * ident=..." (after recovery when it has no trailer), one "# exporter"
 * line per exporter table entry with its statistics, then one "rec"
 * line per record in flowrec_dump() form, its exporter index replaced
 * by "from=ADDR/vVERSION/DOMAIN".  -q prints only the "#"
 * lines.  Exit status 1 if a file cannot be opened or a block is bad.
 */
#include "common/base/compat.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "common/base/nferr.h"
#include "common/ffile/ffile.h"

/*
 * One record: flowrec_dump() with its exporter index replaced by
 * "from=ADDR/vVERSION/DOMAIN" from the file's exporter table, so that
 * lines do not depend on the order exporters joined the file.
 */
static int
print_rec(void *arg, const struct flowrec *rec)
{
	const struct ffile_info *in = arg;
	char buf[1024], abuf[ADDR_STRLEN], *p;

	flowrec_dump(rec, buf, sizeof(buf));
	if ((p = strstr(buf, " exp=")) != NULL)
		*p = '\0';
	if (rec->exporter < in->nexporters)
		printf("rec %s from=%s/v%u/%" PRIu32 "\n", buf,
		    addr_format(&in->exporters[rec->exporter].addr, abuf,
		    sizeof(abuf)), (unsigned)in->exporters[rec->exporter].version,
		    in->exporters[rec->exporter].domain);
	else
		printf("rec %s from=?%u\n", buf, (unsigned)rec->exporter);
	return NFE_OK;
}

int
main(int argc, char **argv)
{
	struct ffile_reader *r;
	const struct ffile_info *in;
	char err[512], abuf[ADDR_STRLEN];
	bool quiet = false;
	size_t bad;
	int ch, status = 0;

	while ((ch = getopt(argc, argv, "q")) != -1) {
		if (ch != 'q') {
			fprintf(stderr, "usage: ffdump [-q] file ...\n");
			return 2;
		}
		quiet = true;
	}
	for (int i = optind; i < argc; i++) {
		if (ffile_open(argv[i], FFILE_O_TOTALS, &r, err,
		    sizeof(err)) != NFE_OK) {
			fprintf(stderr, "ffdump: %s\n", err);
			status = 1;
			continue;
		}
		in = ffile_info(r);
		printf("# file %s clean=%d records=%" PRIu64 " blocks=%zu "
		    "exporters=%zu ident=%s\n", argv[i], in->clean ? 1 : 0,
		    in->records, in->nblocks, in->nexporters, in->ident);
		for (size_t k = 0; k < in->nexporters; k++) {
			const struct ffile_exporter *x = &in->exporters[k];

			printf("# exporter %zu %s port=%u version=%u "
			    "domain=%" PRIu32 " sampling=%" PRIu32
			    " datagrams=%" PRIu64 " records=%" PRIu64
			    " gaps=%" PRIu64 " lost=%" PRIu64 " resets=%"
			    PRIu64 " malformed=%" PRIu64 " notmpl=%" PRIu64
			    " dropped=%" PRIu64 "\n", k,
			    addr_format(&x->addr, abuf, sizeof(abuf)),
			    (unsigned)x->port, (unsigned)x->version,
			    x->domain, x->sampling, x->stats.datagrams,
			    x->stats.records, x->stats.seq_gaps,
			    x->stats.seq_lost, x->stats.seq_resets,
			    x->stats.malformed, x->stats.no_template,
			    x->stats.dropped);
		}
		bad = 0;
		if (!quiet && ffile_foreach(r, 0, UINT64_MAX, print_rec,
		    (void *)(uintptr_t)in,
		    &bad, err, sizeof(err)) != NFE_OK)
			status = 1;
		if (bad > 0) {
			fprintf(stderr, "ffdump: %s: %zu bad blocks: %s\n",
			    argv[i], bad, err);
			status = 1;
		}
		ffile_close(r);
	}
	return status;
}
