/*
 * query/xmerge.h -- one exporter table for the records of many files,
 * for flowq -w.
 *
 * A record names its exporter by an index into the table of the file
 * it came from, and every file (flowkit's or nfdump's) has its own
 * table.  A file written by -w from several input files needs one
 * table for all of them: xmerge keeps it, merging exporters that agree
 * on address, port, version and observation domain, and maps each
 * input file's indexes to it.  The counters of an exporter met in
 * several files are added up (xmerge_end_file).
 *
 * Memory: the merged table (at most FFILE_MAX_EXPORTERS entries) and
 * one map entry per exporter of the current file.  One thread.
 */
#ifndef QUERY_XMERGE_H
#define QUERY_XMERGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/ffile/ffile.h"

#define XMERGE_NONE	UINT16_MAX	/* no exporter */

struct xmerge {
	struct ffile_exporter *x;	/* owned: the merged table */
	size_t		 n, cap;
	uint16_t	*map;		/* owned: current file's index ->
					   merged index, XMERGE_NONE: not yet */
	size_t		 nmap, mapcap;
	const struct ffile_exporter *local; /* borrowed: current table */
	bool		 grew;		/* entries added since last cleared */
};

void	xmerge_init(struct xmerge *m);
void	xmerge_fini(struct xmerge *m);

/*
 * The current file's exporter table (borrowed until the next call or
 * xmerge_end_file); call again whenever it grows (nfdump files).
 */
void	xmerge_table(struct xmerge *m, const struct ffile_exporter *x,
	    size_t n);

/* Merged index of the current file's exporter i (XMERGE_NONE if none). */
uint16_t xmerge_index(struct xmerge *m, uint16_t i);

/* Add the current file's exporter counters to the merged entries. */
void	xmerge_end_file(struct xmerge *m);

#endif /* QUERY_XMERGE_H */
