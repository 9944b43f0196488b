/*
 * query/stage.h -- the stages of a flowq query: what happens to the
 * records that pass the filter.
 *
 * Every consumer of records is a stage: the listing (-o), the
 * aggregation (-a / -A), one -s statistic each, the -w writer.  The scan
 * (query/scan.h) knows none of them by name: it decodes the columns the
 * stages ask for (columns), hands each passing record to every stage
 * (add), and when the scan runs on several threads gives each worker its
 * own copy of every stage (clone) and folds the copies back (merge).
 * After the scan, end() writes the stage's result.  A new consumer
 * (a delivery sink, say) is one more implementation of struct
 * stage_ops; neither the scan nor main() changes.
 *
 * Life of a stage:
 *   make (query/stages.h)  ->  begin  ->  add ... (per lane)  ->
 *   merge (each clone into the original)  ->  end  ->  free.
 *
 * Threads: add() on a clone runs on its worker thread; every other
 * operation runs on the thread that called scan_run(), on the original.
 */
#ifndef QUERY_STAGE_H
#define QUERY_STAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "common/base/addr.h"
#include "common/base/flowrec.h"
#include "common/ffile/fcol.h"
#include "common/ffile/ffile.h"
#include "query/obuf.h"
#include "query/output.h"

struct xmerge;

/* What add() gets with a record. */
struct stage_row {
	const struct nf_addr *router;	/* the exporter's address; NULL:
					   unknown */
	struct obuf	*ob;		/* text of the current block, written
					   out in block order (emit) */
	struct xmerge	*wx;		/* the exporters of every file as one
					   table (query/xmerge.h); set on the
					   sequential lane only */
};

/* What add_block() gets: the passing records of one decoded block. */
struct stage_block {
	const struct fcol *col;		/* the block's columns (those asked
					   for by columns(); col->mask says
					   which are present) */
	const uint32_t	*rows;		/* indexes of the passing records,
					   ascending */
	size_t		 n;
	const struct nf_addr *x;	/* the file's exporter addresses, by
					   col->exporter (router keys) */
	size_t		 nx;
	struct obuf	*ob;		/* as stage_row's */
};

/* What end() gets. */
struct stage_done {
	struct obuf	*b;		/* where results go */
	FILE		*f;		/* where b is written (by emit) */
	const struct out_summary *sum;	/* totals of the passing records */
	const struct ffile_exporter *exporters;	/* every file's exporters
					   as one table (the -w writer's) */
	size_t		 nexporters;
};

struct stage;

struct stage_ops {
	const char	*name;
	/* The columns add() reads (FCOL_BITs; FCOL_ALL: whole records). */
	fcol_mask	(*columns)(const struct stage *s);
	/* Before the first record (headers into b); may be NULL. */
	void		(*begin)(struct stage *s, struct obuf *b);
	/* One passing record. */
	void		(*add)(struct stage *s, const struct flowrec *r,
			    const struct stage_row *row);
	/*
	 * Optional: all passing records of a block at once, read from the
	 * columns without making records.  Returns false when it cannot
	 * take this block (a column it reads is absent, say): the records
	 * then come through add().  NULL: always add().
	 */
	bool		(*add_block)(struct stage *s,
			    const struct stage_block *b);
	/*
	 * An empty copy for a worker thread, or NULL when the stage must
	 * see every record in scan order on one thread (the scan then
	 * runs on one thread).  The op itself may be NULL: the same.
	 */
	struct stage	*(*clone)(const struct stage *s);
	/* Fold a clone's records into the original; may be NULL. */
	void		(*merge)(struct stage *dst, struct stage *src);
	/*
	 * Write one block's text (what add() put into row->ob), called in
	 * block order on the original; NULL for stages that write no
	 * text while scanning.  Returns 0 or -1 (write error, errno).
	 */
	int		(*emit)(struct stage *s, struct obuf *b, FILE *f);
	/* After the scan: the result.  NFE_OK or an error (reported). */
	int		(*end)(struct stage *s, const struct stage_done *d);
	void		(*free)(struct stage *s);
};

/* The head of every stage; implementations embed it first. */
struct stage {
	const struct stage_ops *ops;
	bool		 stop;		/* set by add(): the stage cannot go
					   on (flowq --sink gave up), the
					   scan stops */
};

static inline void
stage_add(struct stage *s, const struct flowrec *r,
    const struct stage_row *row)
{
	s->ops->add(s, r, row);
}

/* A clone, or NULL if s must run in order on one thread. */
struct stage	*stage_clone(const struct stage *s);
void	stage_free(struct stage *s);

#endif /* QUERY_STAGE_H */
