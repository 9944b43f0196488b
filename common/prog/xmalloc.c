/*
 * common/prog/xmalloc.c -- allocation that exits on failure (programs only).
 */
#include "common/base/compat.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/prog/log.h"
#include "common/prog/xmalloc.h"

void *
xmalloc(size_t n)
{
	void *p;

	if ((p = malloc(n == 0 ? 1 : n)) == NULL)
		log_fatalx("out of memory allocating %zu bytes", n);
	return p;
}

void *
xcalloc(size_t nmemb, size_t size)
{
	void *p;

	if ((p = calloc(nmemb == 0 ? 1 : nmemb, size == 0 ? 1 : size)) == NULL)
		log_fatalx("out of memory allocating %zu x %zu bytes", nmemb,
		    size);
	return p;
}

void *
xreallocarray(void *p, size_t nmemb, size_t size)
{
	void *q;

	if (size != 0 && nmemb > SIZE_MAX / size)
		log_fatalx("allocation overflow: %zu x %zu bytes", nmemb, size);
	if ((q = realloc(p, nmemb * size == 0 ? 1 : nmemb * size)) == NULL)
		log_fatalx("out of memory allocating %zu x %zu bytes", nmemb,
		    size);
	return q;
}

char *
xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;

	return memcpy(xmalloc(n), s, n);
}
