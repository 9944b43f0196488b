/*
 * common/prog/version.h -- what -V prints for every flowkit program: the
 * version and the features built in.  The feature list is configure's
 * (FK_FEATURE in configure.ac writes FK_FEATURES into config.h), so a
 * feature added at configure time shows up here with no other change.
 */
#ifndef COMMON_PROG_VERSION_H
#define COMMON_PROG_VERSION_H

#include <stdio.h>

/*
 * "PROG (flowkit) VERSION" and "features: lz4 zlib ..." on out, one
 * line each.
 */
void	version_print(FILE *out, const char *prog);

#endif /* COMMON_PROG_VERSION_H */
