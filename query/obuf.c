/*
 * query/obuf.c -- growable text buffer (see obuf.h).
 */
#include "common/base/compat.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/prog/xmalloc.h"
#include "query/obuf.h"

void
obuf_init(struct obuf *b)
{
	b->p = NULL;
	b->len = 0;
	b->cap = 0;
}

void
obuf_fini(struct obuf *b)
{
	free(b->p);
	obuf_init(b);
}

void
obuf_reset(struct obuf *b)
{
	b->len = 0;
	if (b->p != NULL)
		b->p[0] = '\0';
}

void
obuf_grow(struct obuf *b, size_t more)
{
	size_t want, ncap;

	want = b->len + more + 1;
	if (want <= b->cap)
		return;
	ncap = b->cap < 256 ? 256 : b->cap;
	while (ncap < want)
		ncap *= 2;
	b->p = xreallocarray(b->p, ncap, 1);
	b->cap = ncap;
}

void
obuf_printf(struct obuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (b->cap - b->len < 512)
		obuf_grow(b, 512);
	va_start(ap, fmt);
	n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= b->cap - b->len) {
		obuf_grow(b, (size_t)n);
		va_start(ap, fmt);
		n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
		va_end(ap);
		if (n < 0)
			return;
	}
	b->len += (size_t)n;
}

void
obuf_pad(struct obuf *b, char c, size_t n)
{
	if (b->cap - b->len <= n)
		obuf_grow(b, n);
	memset(b->p + b->len, c, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void
obuf_field(struct obuf *b, const char *s, int width)
{
	size_t n = strlen(s), w;

	w = (size_t)(width < 0 ? -width : width);
	if (width > 0 && n < w)
		obuf_pad(b, ' ', w - n);
	obuf_putn(b, s, n);
	if (width < 0 && n < w)
		obuf_pad(b, ' ', w - n);
}

int
obuf_flush(struct obuf *b, FILE *f)
{
	int r = 0;

	if (b->len > 0 && fwrite(b->p, 1, b->len, f) != b->len)
		r = -1;
	obuf_reset(b);
	return r;
}
