/*
 * query/qjoin.h -- the join at query time (flowq --sessions, --inside,
 * --session-timeout; flowkit-sessions(5), "JOINING FLOWS").
 *
 * qjoin_open() reads every session file once, whole (as flowcapd
 * would have learnt them), into a session store of its own; the scan
 * then calls qjoin_block() on each decoded block before the filter and
 * the sinks see it, so every selection, filter, statistic and output
 * sees the user the join gives.  A flow the sessions give no user
 * keeps the one its file holds (joined at ingest, or sent by the
 * exporter as userName); one they give a user gets that user.
 *
 * The store is read-only once loaded: lanes of the scan share it, each
 * with its own scratch.
 *
 * qgeo_block() does the same for the GeoIP and ASN fields (flowq
 * --geoip, --asn-db; common/enrich/geofill.h): countries and AS
 * organisations the databases know replace those in the file, AS
 * numbers the exporter sent as 0 are filled in.
 */
#ifndef QUERY_QJOIN_H
#define QUERY_QJOIN_H

#include <stddef.h>
#include <stdint.h>

#include "common/base/addr.h"
#include "common/base/fields.h"

#define QJOIN_MAX_PATHS	16		/* --sessions options */
#define QJOIN_MAX_INSIDE 64		/* --inside options (SESSJOIN_MAX_INSIDE) */

struct fcol;
struct qjoin;
struct qjoin_scratch;

struct qjoin_conf {
	const char	*paths[QJOIN_MAX_PATHS];	/* borrowed */
	size_t		 npaths;
	struct nf_prefix inside[QJOIN_MAX_INSIDE];
	size_t		 ninside;
	uint64_t	 timeout_ms;	/* 0: the store's default */
};

/*
 * Load the sessions.  Lines that cannot be read are reported on stderr
 * as "flowq: PATH line N: message (line skipped)" and counted in
 * *bad_lines; the rest loads.  Returns NFE_OK; NFE_IO with a message in
 * err when a path cannot be read at all; NFE_NOMEM.
 */
int	qjoin_open(const struct qjoin_conf *c, struct qjoin **out,
	    uint64_t *bad_lines, char *err, size_t errlen);
void	qjoin_free(struct qjoin *j);

/*
 * CGNAT: read the NAT event records (natEvent set; flowkit-sessions(5),
 * "CGNAT") of the n flow files at paths (nfdump files are skipped) into
 * mappings the join then uses.  Only the NAT columns of blocks are
 * decoded.  Returns the events read; blocks that cannot be read are
 * reported on stderr and skipped (the scan reports them again).
 */
uint64_t qjoin_nat(struct qjoin *j, char *const *paths, size_t n);

/* Sessions loaded (for -v style summaries and tests). */
size_t	qjoin_sessions(const struct qjoin *j);

/* The columns qjoin_block() reads (and the user column it writes). */
fcol_mask qjoin_columns(void);

/* Per-lane scratch.  Never NULL (exits on no memory, as flowq does). */
struct qjoin_scratch *qjoin_scratch_new(void);
void	qjoin_scratch_free(struct qjoin_scratch *s);

/* Set the user column of the col->n records of a decoded block. */
void	qjoin_block(const struct qjoin *j, struct qjoin_scratch *s,
	    struct fcol *col);

struct geoip;
struct qgeo_scratch;

/* The columns qgeo_block() reads and writes. */
fcol_mask qgeo_columns(void);

/* Per-lane scratch over g (borrowed).  Never NULL. */
struct qgeo_scratch *qgeo_scratch_new(const struct geoip *g);
void	qgeo_scratch_free(struct qgeo_scratch *s);

/* Set the geo fields of the col->n records of a decoded block. */
void	qgeo_block(struct qgeo_scratch *s, struct fcol *col);

#endif /* QUERY_QJOIN_H */
