/*
 * tests/tap.h -- a tiny TAP producer for the unit tests.
 */
#ifndef TESTS_TAP_H
#define TESTS_TAP_H

#include <stdbool.h>
#include <stddef.h>

#include "common/base/compat.h"

void	tap_plan(int n);			/* prints "1..n" */
void	tap_no_plan(void);			/* plan printed by tap_done() */
bool	tap_ok(bool cond, const char *fmt, ...) NF_PRINTF(2, 3);
bool	tap_is_int(long long got, long long want, const char *name);
bool	tap_is_uint(unsigned long long got, unsigned long long want,
	    const char *name);
bool	tap_is_str(const char *got, const char *want, const char *name);
bool	tap_is_mem(const void *got, const void *want, size_t n,
	    const char *name);
void	tap_skip(const char *why);
void	tap_diag(const char *fmt, ...) NF_PRINTF(1, 2);	/* "# ..." */
int	tap_done(void);		/* 0 iff all ok and count == plan */

#endif /* TESTS_TAP_H */
