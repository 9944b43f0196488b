/*
 * query/obuf.h -- a growable text buffer for flowq's output.
 *
 * Records are formatted into an obuf rather than straight into a FILE,
 * so that worker threads can format one block each and the main thread
 * can emit the blocks' buffers in file order.  Allocation failure is
 * fatal (xmalloc): this is program code, not common/.
 */
#ifndef QUERY_OBUF_H
#define QUERY_OBUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "common/base/compat.h"

struct obuf {
	char		*p;	/* owned; NUL-terminated when len > 0 */
	size_t		 len;
	size_t		 cap;
};

void	obuf_init(struct obuf *b);
void	obuf_fini(struct obuf *b);
void	obuf_reset(struct obuf *b);		/* len = 0, keeps memory */
void	obuf_grow(struct obuf *b, size_t more);	/* room for more + NUL */
void	obuf_printf(struct obuf *b, const char *fmt, ...) NF_PRINTF(2, 3);
void	obuf_pad(struct obuf *b, char c, size_t n);	/* n copies of c */
/* s right-aligned (width > 0) or left-aligned (width < 0) in |width|. */
void	obuf_field(struct obuf *b, const char *s, int width);
/* Write the buffer to f and reset it.  Returns 0 or -1 (errno). */
int	obuf_flush(struct obuf *b, FILE *f);

static inline void
obuf_putn(struct obuf *b, const char *s, size_t n)
{
	if (b->cap - b->len <= n)
		obuf_grow(b, n);
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static inline void
obuf_puts(struct obuf *b, const char *s)
{
	obuf_putn(b, s, strlen(s));
}

static inline void
obuf_putc(struct obuf *b, char c)
{
	if (b->cap - b->len <= 1)
		obuf_grow(b, 1);
	b->p[b->len++] = c;
	b->p[b->len] = '\0';
}

/* Decimal text of v, without printf: the hot path of listings. */
static inline size_t
obuf_utoa(uint64_t v, char *buf)	/* buf: at least 21 bytes */
{
	char tmp[20];
	size_t n = 0, i;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	for (i = 0; i < n; i++)
		buf[i] = tmp[n - 1 - i];
	buf[n] = '\0';
	return n;
}

static inline void
obuf_putu(struct obuf *b, uint64_t v)
{
	char buf[21];

	obuf_putn(b, buf, obuf_utoa(v, buf));
}

#endif /* QUERY_OBUF_H */
