/*
 * tests/tap.c -- a tiny TAP producer (https://testanything.org).
 */
#include "common/base/compat.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "tap.h"

static int tap_planned = -1;
static int tap_count;
static int tap_failed;

void
tap_plan(int n)
{
	tap_planned = n;
	printf("1..%d\n", n);
	fflush(stdout);
}

void
tap_no_plan(void)
{
	tap_planned = -2;
}

bool
tap_ok(bool cond, const char *fmt, ...)
{
	va_list ap;

	tap_count++;
	if (!cond)
		tap_failed++;
	printf("%sok %d - ", cond ? "" : "not ", tap_count);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	return cond;
}

bool
tap_is_int(long long got, long long want, const char *name)
{
	if (!tap_ok(got == want, "%s", name)) {
		tap_diag("got:  %lld", got);
		tap_diag("want: %lld", want);
		return false;
	}
	return true;
}

bool
tap_is_uint(unsigned long long got, unsigned long long want, const char *name)
{
	if (!tap_ok(got == want, "%s", name)) {
		tap_diag("got:  %llu", got);
		tap_diag("want: %llu", want);
		return false;
	}
	return true;
}

bool
tap_is_str(const char *got, const char *want, const char *name)
{
	bool eq = got != NULL && want != NULL && strcmp(got, want) == 0;

	if (!tap_ok(eq, "%s", name)) {
		tap_diag("got:  \"%s\"", got ? got : "(null)");
		tap_diag("want: \"%s\"", want ? want : "(null)");
		return false;
	}
	return true;
}

bool
tap_is_mem(const void *got, const void *want, size_t n, const char *name)
{
	const unsigned char *g = got, *w = want;

	if (!tap_ok(memcmp(got, want, n) == 0, "%s", name)) {
		for (size_t i = 0; i < n; i++) {
			if (g[i] != w[i]) {
				tap_diag("first difference at byte %zu: "
				    "got 0x%02x want 0x%02x", i, g[i], w[i]);
				break;
			}
		}
		return false;
	}
	return true;
}

void
tap_skip(const char *why)
{
	tap_count++;
	printf("ok %d # SKIP %s\n", tap_count, why);
	fflush(stdout);
}

void
tap_diag(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

int
tap_done(void)
{
	if (tap_planned == -2) {
		printf("1..%d\n", tap_count);
		tap_planned = tap_count;
	}
	if (tap_planned >= 0 && tap_count != tap_planned) {
		tap_diag("planned %d tests but ran %d", tap_planned, tap_count);
		return 1;
	}
	return tap_failed == 0 ? 0 : 1;
}
