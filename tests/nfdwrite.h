/*
 * tests/nfdwrite.h -- writes nfdump files (layouts 1 and 2, any
 * compression this build has) from flow records, for the tests of the
 * nfdump reader (common/nfdump/nfdfile.h).
 *
 * The layouts are nfdump's (see the comments of the sources in common/nfdump/);
 * Debian's nfdump 1.7.1 reads what this writes, which is how
 * tests/nfdump_files.sh judges it.  The writer is the test's, not the
 * reader's mirror image: it chooses element sets, extension maps,
 * counter widths and block splits of its own, so a round trip covers
 * what real files vary in.
 */
#ifndef TESTS_NFDWRITE_H
#define TESTS_NFDWRITE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/base/flowrec.h"

struct nfdw_opts {
	unsigned	layout;		/* 1 or 2 */
	int		compression;	/* NFDZ_* (common/nfdump/nfdzip.h) */
	size_t		per_block;	/* records per data block; 0: 1000 */
	const char	*ident;		/* NULL: "nfdwrite" */
};

/*
 * Exporters of the records: rec->exporter i is written as SysID i + 1,
 * with an exporter record naming address addrs[i] (v9, observation
 * domain i) in front of the first data record.
 */
struct nfdw_exporters {
	const struct nf_addr *addrs;
	size_t		 n;
};

/*
 * Build a whole file in memory: *out (malloc'ed; the caller frees) of
 * *len bytes.  Returns 0, or -1 if the compression is not built in or
 * a record cannot be written (exporter index out of range).
 */
int	nfdw_build(const struct nfdw_opts *o, const struct nfdw_exporters *x,
	    const struct flowrec *recs, size_t n, uint8_t **out, size_t *len);

/*
 * Rewrite the blocks of a layout 2 file (in, n bytes) with another
 * compression; the appendix offset follows.  Returns 0 or -1.
 */
int	nfdw_recompress(const uint8_t *in, size_t n, int compression,
	    uint8_t **out, size_t *len);

/* Deterministic records for the tests (seeded; n of them). */
void	nfdw_sample_records(struct flowrec *recs, size_t n, unsigned seed,
	    size_t nexporters);

#endif /* TESTS_NFDWRITE_H */
