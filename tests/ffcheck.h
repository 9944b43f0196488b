/*
 * tests/ffcheck.h -- check a flow file against the records written
 * (tests/t_ffile*.c).
 */
#ifndef TESTS_FFCHECK_H
#define TESTS_FFCHECK_H

#include <stdbool.h>
#include <stddef.h>

#include "common/base/flowrec.h"
#include "common/ffile/ffile.h"

/* Totals of n records, computed by hand (not by the writer's code). */
void	ffcheck_totals(const struct flowrec *r, size_t n,
	    struct ffile_totals *t);

/*
 * Read path back and compare with want[0..n): every record in order,
 * the totals, the clean flag and the index.  what names the file in
 * the diagnostics.  True if all agree.
 */
bool	ffcheck_file(const char *path, const struct flowrec *want, size_t n,
	    bool clean, const char *what);

#endif /* TESTS_FFCHECK_H */
