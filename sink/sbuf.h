/*
 * sink/sbuf.h -- a growable byte buffer for encoded batches, and the
 * batch every encoder and transport takes.
 *
 * Encoders reserve room for whole records (sbuf_reserve) and then write
 * them through a struct wbuf over the reserved tail (sbuf_wbuf /
 * sbuf_commit), so the fixed-capacity checks of common/base/buf.h
 * still guard every byte.  Allocation failure is an error code, never
 * an exit: a sink that cannot get memory retries later.
 */
#ifndef SINK_SBUF_H
#define SINK_SBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/base/buf.h"
#include "common/base/flowrec.h"
#include "common/ffile/ffile.h"

#define SBUF_MAX	(1ULL << 31)	/* bytes in one encoded batch */

struct sbuf {
	uint8_t		*p;		/* owned */
	size_t		 len, cap;
};

/*
 * The records of one delivery.  A batch never spans two flow files, so
 * one exporter table names the exporter of every record.
 */
struct sink_batch {
	const struct flowrec *recs;	/* borrowed */
	size_t		 n;
	const struct ffile_exporter *xs;	/* borrowed; recs[i].exporter
						   indexes it (may be short) */
	size_t		 nxs;
	uint64_t	 id;		/* identity of this batch for
					   deduplication: sink id << 40 |
					   sequence number */
};

void	sbuf_init(struct sbuf *b);
void	sbuf_fini(struct sbuf *b);

static inline void
sbuf_reset(struct sbuf *b)
{
	b->len = 0;
}

/* Room for n more bytes.  Returns NFE_OK, NFE_NOMEM or NFE_LIMIT. */
int	sbuf_reserve(struct sbuf *b, size_t n);

/* Append n bytes (reserving).  Returns as sbuf_reserve. */
int	sbuf_put(struct sbuf *b, const void *p, size_t n);

/* A wbuf over the reserved free tail of b. */
static inline void
sbuf_wbuf(struct sbuf *b, struct wbuf *w)
{
	wbuf_init(w, b->p + b->len, b->cap - b->len);
}

/* Take what w wrote into b. */
static inline void
sbuf_commit(struct sbuf *b, const struct wbuf *w)
{
	b->len += wbuf_len(w);
}

/* The exporter of rec, or NULL when the table does not hold it. */
static inline const struct ffile_exporter *
sink_exporter(const struct sink_batch *b, const struct flowrec *rec)
{
	return rec->exporter < b->nxs ? &b->xs[rec->exporter] : NULL;
}

#endif /* SINK_SBUF_H */
