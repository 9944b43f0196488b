/*
 * sink/sbuf.c -- growable byte buffer (sink/sbuf.h).
 */
#include "common/base/compat.h"

#include <stdlib.h>
#include <string.h>

#include "common/base/nferr.h"
#include "sink/sbuf.h"

void
sbuf_init(struct sbuf *b)
{
	memset(b, 0, sizeof(*b));
}

void
sbuf_fini(struct sbuf *b)
{
	free(b->p);
	memset(b, 0, sizeof(*b));
}

int
sbuf_reserve(struct sbuf *b, size_t n)
{
	size_t cap;
	uint8_t *p;

	if (b->cap - b->len >= n)
		return NFE_OK;
	if (n > SBUF_MAX || b->len > SBUF_MAX - n)
		return NFE_LIMIT;
	cap = b->cap > 0 ? b->cap : 4096;
	while (cap - b->len < n)
		cap *= 2;
	if ((p = realloc(b->p, cap)) == NULL)
		return NFE_NOMEM;
	b->p = p;
	b->cap = cap;
	return NFE_OK;
}

int
sbuf_put(struct sbuf *b, const void *p, size_t n)
{
	int rc;

	if ((rc = sbuf_reserve(b, n)) != NFE_OK)
		return rc;
	if (n > 0)
		memcpy(b->p + b->len, p, n);
	b->len += n;
	return NFE_OK;
}
