/*
 * common/base/compat.h -- first include of every flowkit source file.
 *
 * Pulls in config.h and defines the compiler attributes the tree uses.
 */
#ifndef COMMON_BASE_COMPAT_H
#define COMMON_BASE_COMPAT_H

#include "config.h"

#define NF_PRINTF(f, a)	__attribute__((format(printf, f, a)))
#define NF_NORETURN	__attribute__((noreturn))
#define NF_UNUSED	__attribute__((unused))

#define NF_NELEM(a)	(sizeof(a) / sizeof((a)[0]))

#endif /* COMMON_BASE_COMPAT_H */
