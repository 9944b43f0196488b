/*
 * common/enrich/natmap.h -- CGNAT mappings: which inside (private)
 * address was behind an outside (public) address and port, and when
 * (flowkit-sessions(5), "CGNAT").
 *
 * Carrier-grade NATs report their translations as IPFIX NAT events
 * (RFC 8158; natEvent, IE 230): a NAT44 session (4/5: inside address
 * and port to outside address and port, IEs 8, 7, 225, 227), a port
 * block (16/17: an inside address gets outside ports portRangeStart ..
 * portRangeEnd, IEs 361-364, in steps of portRangeStepSize), or an
 * address binding (14/15: the whole outside address).  A mapping covers
 * [start, stop); allocations without a de-allocation end timeout after
 * their start.  Where mappings overlap, the latest start wins.
 *
 * Layout: one open-addressing table of outside addresses (32 bytes a
 * slot), each with its mappings newest first (40 bytes each).  Memory:
 * 40 * max_maps + 64 * outside addresses.  Reaching max_maps returns
 * NFE_LIMIT and counts.  One thread; no global state.
 */
#ifndef COMMON_ENRICH_NATMAP_H
#define COMMON_ENRICH_NATMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/base/addr.h"

#define NATMAP_DEF_MAX_MAPS	(8u << 20)
#define NATMAP_DEF_TIMEOUT_MS	(UINT64_C(86400) * 1000)

/* natEvent values used (RFC 8158 / IANA "NAT Event Type") */
#define NATEV_CREATE		1	/* historic: translation create */
#define NATEV_DELETE		2	/* historic: translation delete */
#define NATEV_NAT44_CREATE	4
#define NATEV_NAT44_DELETE	5
#define NATEV_BIND_CREATE	14	/* address binding */
#define NATEV_BIND_DELETE	15
#define NATEV_BLOCK_ALLOC	16	/* port block allocation */
#define NATEV_BLOCK_FREE	17

struct natmap_event {
	bool		 create;	/* allocation; false: de-allocation */
	uint64_t	 time_ms;
	struct nf_addr	 inside;	/* private address */
	struct nf_addr	 outside;	/* public address */
	uint16_t	 port_lo, port_hi;	/* outside ports; 0..65535: all */
	uint16_t	 step;		/* 0 or 1: every port */
};

struct natmap_stats {
	uint64_t	 allocs, frees, frees_unknown, limit_drops, bad;
	uint64_t	 restored;	/* mappings put back by natmap_restore */
};

/* One mapping as it is kept (for the snapshot, natfile.h). */
struct natmap_entry {
	struct nf_addr	 outside;	/* public address */
	struct nf_addr	 inside;	/* private address */
	uint64_t	 start, stop;	/* [start, stop), ms */
	uint16_t	 port_lo, port_hi, step;
	bool		 open;		/* no de-allocation seen yet */
};

struct natmap;			/* opaque */

int	natmap_new(size_t max_maps, uint64_t timeout_ms, struct natmap **out);
void	natmap_free(struct natmap *nm);

/*
 * The mapping event of a NAT event record: natEvent nat_event, with
 * the record's inside (IE 8) and outside (IE 225) addresses and ports
 * (IE 7, 227) or port range (IE 361-364; start 0 and end 0 mean "not
 * sent").  Returns NFE_OK or NFE_UNSUPP (an event that maps nothing,
 * such as "addresses exhausted").
 */
int	natmap_event_of(uint8_t nat_event, uint64_t time_ms,
	    const struct nf_addr *inside, uint16_t inside_port,
	    const struct nf_addr *outside, uint16_t outside_port,
	    uint16_t range_start, uint16_t range_end, uint16_t range_step,
	    struct natmap_event *ev);

/* Apply one event.  NFE_OK, NFE_INVAL (bad range), NFE_LIMIT, NFE_NOMEM. */
int	natmap_apply(struct natmap *nm, const struct natmap_event *ev);

/*
 * The inside address behind outside:port at time t.  False if no
 * mapping covers it.
 */
bool	natmap_lookup(const struct natmap *nm, const struct nf_addr *outside,
	    uint16_t port, uint64_t t, struct nf_addr *inside);

/*
 * Put back a mapping as natmap_walk gave it (a snapshot being loaded).
 * One with the same outside address, start, first port and inside
 * address is replaced.  NFE_OK, NFE_INVAL (bad range or times),
 * NFE_LIMIT (max_maps reached: counted), NFE_NOMEM.
 */
int	natmap_restore(struct natmap *nm, const struct natmap_entry *e);

/*
 * Call fn for every mapping (outside addresses in table order, each
 * one's mappings newest first); a non-zero return stops the walk and
 * is returned.  The map must not change meanwhile.
 */
int	natmap_walk(const struct natmap *nm,
	    int (*fn)(void *arg, const struct natmap_entry *e), void *arg);

/* Drop mappings that ended before cutoff_ms. */
void	natmap_expire(struct natmap *nm, uint64_t cutoff_ms);

size_t	natmap_count(const struct natmap *nm);
const struct natmap_stats *natmap_stats(const struct natmap *nm);

#endif /* COMMON_ENRICH_NATMAP_H */
