/*
 * common/prog/xmalloc.h -- allocation that exits on failure, for programs
 * only.  Library modules in common/ return NFE_NOMEM instead.
 */
#ifndef COMMON_PROG_XMALLOC_H
#define COMMON_PROG_XMALLOC_H

#include <stddef.h>

void	*xmalloc(size_t n);
void	*xcalloc(size_t nmemb, size_t size);
void	*xreallocarray(void *p, size_t nmemb, size_t size);
char	*xstrdup(const char *s);

#endif /* COMMON_PROG_XMALLOC_H */
