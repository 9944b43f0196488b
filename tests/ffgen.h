/*
 * tests/ffgen.h -- deterministic flow records and file helpers for the
 * flow file tests and benchmark (tests/t_ffile*.c).
 */
#ifndef TESTS_FFGEN_H
#define TESTS_FFGEN_H

#include <stddef.h>
#include <stdint.h>

#include "common/base/flowrec.h"

/* Address families of generated records. */
enum { FFGEN_V4, FFGEN_V6, FFGEN_MIXED };

/*
 * Fill n records from seed: realistic values (few exporters, ports,
 * protocols, times rising through a 5-minute window from t0) with some
 * extremes (UINT64_MAX counters, zero next hops) sprinkled in when
 * extremes is set.
 */
void	ffgen_records(struct flowrec *r, size_t n, uint64_t seed, int fam,
	    uint64_t t0, int extremes);

/* A fresh temporary directory (static buffer) and paths inside it. */
const char *ffgen_tmpdir(void);
char	*ffgen_path(const char *name);	/* static buffer */

/* Read a whole file into a malloc'd buffer; NULL on error. */
uint8_t	*ffgen_slurp(const char *path, size_t *len);

/* Write len bytes to path; 0 on success. */
int	ffgen_spit(const char *path, const void *p, size_t len);

/* Remove the temporary directory and what is in it. */
void	ffgen_cleanup(void);

#endif /* TESTS_FFGEN_H */
