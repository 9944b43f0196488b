/*
 * common/enrich/sessjoin.h -- which user a flow belongs to: the
 * direction rule over the session store and the CGNAT mappings
 * (flowkit-sessions(5), "JOINING FLOWS").
 *
 * The inside prefixes (--inside) name the subscriber address space.
 * The flow's user is the user of its inside party:
 *   - the source, if it is inside (and has a user), else
 *   - the destination, if it is inside;
 *   - for a flow with neither party inside, a CGNAT mapping of its
 *     source address and port (the subscriber sending, seen after the
 *     NAT), else of its destination address and port (the subscriber
 *     receiving), gives the inside address whose user it is.
 * Without inside prefixes every address counts as inside: the source's
 * user if it has one, else the destination's.
 *
 * The result is a user id of the store (sessdb_user()); the caller
 * holds whatever lock guards the store while it uses the name.
 */
#ifndef COMMON_ENRICH_SESSJOIN_H
#define COMMON_ENRICH_SESSJOIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/base/addr.h"
#include "common/base/flowrec.h"
#include "common/enrich/natmap.h"
#include "common/enrich/sessdb.h"

#define SESSJOIN_MAX_INSIDE	64	/* --inside prefixes */
#define SESSJOIN_BATCH		1024	/* flows looked up together (41 KB of stack) */

/* An inside prefix as masked address words (IPv4 as v4-mapped /96+n). */
struct sessjoin_pfx {
	uint64_t	 lo, hi, mlo, mhi;
};

struct sessjoin {
	const struct sessdb *db;	/* borrowed */
	const struct natmap *nat;	/* borrowed; NULL: no CGNAT */
	struct nf_prefix inside[SESSJOIN_MAX_INSIDE];
	struct sessjoin_pfx in[SESSJOIN_MAX_INSIDE];
	size_t		 ninside;
};

/* Add an inside prefix.  NFE_OK or NFE_LIMIT. */
int	sessjoin_inside(struct sessjoin *j, const struct nf_prefix *p);

/* Is a in the subscriber space? */
bool	sessjoin_is_inside(const struct sessjoin *j, const struct nf_addr *a);

/* The user id of one flow, 0 if none. */
uint32_t sessjoin_flow(const struct sessjoin *j, const struct flowrec *r);

/*
 * The user ids of n flows (user[i] for recs[i]), faster than one at a
 * time for many flows: the store's memory is loaded ahead.
 */
void	sessjoin_batch(const struct sessjoin *j, const struct flowrec *recs,
	    size_t n, uint32_t *user);

#endif /* COMMON_ENRICH_SESSJOIN_H */
