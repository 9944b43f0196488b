/*
 * query/nfdinfo.h -- flowq -I and -v for nfdump's files (the flowkit
 * file versions are in query/main.c).
 */
#ifndef QUERY_NFDINFO_H
#define QUERY_NFDINFO_H

/*
 * -I: the summary nfdump -I prints (the file's own statistics; totals
 * rebuilt by reading every block when the file has none), then
 * flowkit's extra lines: layout, compression, blocks, exporters.
 * Returns 0, or 1 with a message on stderr.
 */
int	nfdinfo_print(const char *path);

/*
 * -v: read every block.  Prints one line per damaged block and a
 * verdict line.  Returns 0 if every block is sound, else 1.
 */
int	nfdinfo_verify(const char *path);

#endif /* QUERY_NFDINFO_H */
