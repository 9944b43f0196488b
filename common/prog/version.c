/*
 * common/prog/version.c -- -V for every program (common/prog/version.h).
 */
#include "common/base/compat.h"

#include "common/prog/version.h"

#ifndef FK_FEATURES
#error "config.h lacks FK_FEATURES: configure.ac must define it"
#endif

void
version_print(FILE *out, const char *prog)
{
	fprintf(out, "%s (%s) %s\nfeatures: %s\n", prog, PACKAGE_NAME,
	    PACKAGE_VERSION, FK_FEATURES);
}
