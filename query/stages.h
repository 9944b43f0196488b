/*
 * query/stages.h -- flowq's own stages (query/stage.h): the listing,
 * the aggregation, a -s statistic and the -w writer.
 *
 * Each constructor returns a stage that stage_free() releases.  Outputs
 * passed in are borrowed (they outlive the stage); what a stage makes
 * itself (a table, a clone's output) it owns.
 */
#ifndef QUERY_STAGES_H
#define QUERY_STAGES_H

#include <stdbool.h>
#include <stddef.h>

#include "query/agg.h"
#include "query/output.h"
#include "query/stage.h"
#include "query/topn.h"

struct ffile_writer;

/*
 * The listing: every record formatted by o into the block's text,
 * written in file and block order.  time_order (-m): kept and written
 * at the end sorted by first seen (then it runs on one thread).
 */
struct stage	*stage_list_new(struct output *o, bool time_order);

/*
 * -a / -A: records counted under their key; at the end ranked by order
 * (limit > 0: only the first limit) and written by o, or, if writer is
 * not NULL (-w), given to that write stage instead.
 */
struct stage	*stage_agg_new(const struct agg_spec *spec,
		    enum agg_order order, size_t limit, struct output *o,
		    struct stage *writer);

/* One -s statistic, printed by o (records: rec_out), limit rows. */
struct stage	*stage_topn_new(const struct topn_stat *st, struct output *o,
		    struct output *rec_out, size_t limit);

/*
 * -w: the file written by w (owned: closed by end(), path names it in
 * messages).  rows: every passing record is written in scan order;
 * false: only what stage_write_put() gives (the aggregation's result).
 * end() sets the file's exporter table to every input file's exporters
 * and closes it.
 */
struct stage	*stage_write_new(struct ffile_writer *w, const char *path,
		    bool rows);
/* Write one record (exporter index into the merged table). */
void	stage_write_put(struct stage *s, const struct flowrec *r);

#endif /* QUERY_STAGES_H */
