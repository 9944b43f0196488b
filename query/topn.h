/*
 * query/topn.h -- nfdump -s statistics: top N keys by flows, packets,
 * bytes, pps, bps or bpp.
 *
 * A statistic counts every passing record under its key (srcip, dstport,
 * ...: the .stat names of the field catalogue, common/base/fieldlist.h);
 * the two-sided types (ip, port, as, if, vlan, ...: the .stat pairs)
 * count a record under its source and under its destination value, as
 * nfdump does.
 * ":p" adds the protocol to the key.  "record" ranks aggregated records
 * (the -A keys, or the 5-tuple).  The top N are picked with a bounded
 * heap (agg.h) and printed in nfdump's layout or as csv / json.
 * Keys of at most 16 bits (ports, protocol, ...) are counted in an array
 * indexed by the key; others (addresses) in the hash table.  A block's
 * records can be counted straight from its columns (topn_add_block).
 */
#ifndef QUERY_TOPN_H
#define QUERY_TOPN_H

#include <stdbool.h>
#include <stddef.h>

#include "common/base/flowrec.h"
#include "common/ffile/fcol.h"
#include "query/agg.h"
#include "query/obuf.h"
#include "query/output.h"

#define TOPN_MAX_ORDERS	8

struct topn_stat {
	const char	*name;		/* "srcip", "port", "record", ... */
	const char	*title;		/* "Src IP Addr", ... */
	int		 f1, f2;	/* FLD_* counted (f2: the other side of
					   a two-sided statistic, or -1) */
	bool		 by_proto;	/* ":p" */
	bool		 record;	/* "record": uses agg */
	enum agg_order	 orders[TOPN_MAX_ORDERS];
	size_t		 norders;	/* >= 1 (default: flows) */
	struct agg_spec	 agg;		/* record only: the -A / -a keys */
};

/*
 * Parse "TYPE[:p][/ORDER[/ORDER...]]".  For "record", agg is the
 * aggregation spec to rank (copied).  Returns NFE_OK or NFE_INVAL with
 * a message in err.
 */
int	topn_parse(const char *arg, const struct agg_spec *agg,
	    struct topn_stat *st, char *err, size_t errlen);

struct topn;				/* opaque; one per statistic */

struct topn *topn_new(const struct topn_stat *st);
/* An empty copy of like (a scan thread's), merged back cheaply. */
struct topn *topn_new_like(const struct topn *like);
void	topn_free(struct topn *t);
/* Count one record (router: exporter address, may be NULL). */
void	topn_add(struct topn *t, const struct flowrec *r,
	    const struct nf_addr *router);
/*
 * Count the records rows[0..n) of a decoded block straight from its
 * columns (x, nx: the file's exporter addresses by exporter index).
 * Returns false, counting nothing, if it cannot: a key that is not a
 * stored integer or address, or a column absent from c.
 */
bool	topn_add_block(struct topn *t, const struct fcol *c,
	    const uint32_t *rows, size_t n, const struct nf_addr *x,
	    size_t nx);
void	topn_merge(struct topn *dst, const struct topn *src);
/* The same, but src may be emptied (cheaper: tables change hands). */
void	topn_absorb(struct topn *dst, struct topn *src);
size_t	topn_count(struct topn *t);
const struct topn_stat *topn_stat_of(const struct topn *t);

/*
 * Print the statistic once per order: limit rows (0: all), percentages
 * against tot.  o selects the layout (text formats: nfdump's; csv;
 * json / ndjson rows).  For "record", rec_out formats the records.
 */
void	topn_print(struct topn *t, struct output *o, struct output *rec_out,
	    size_t limit, const struct out_summary *tot, struct obuf *b);

/* The columns the statistic reads (FCOL_BITs). */
fcol_mask topn_columns(const struct topn_stat *st);

#endif /* QUERY_TOPN_H */
