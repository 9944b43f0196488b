/*
 * collector/capstats.h -- what flowcapd tells the operator about lost
 * and refused data, in one place for the three places an operator
 * looks: the rotation log line, the "statistics" control command
 * (flowctl -c), and the exit summary.  Every loss is named with its
 * cause and the knob that cures it:
 *
 *   kernel (socket) drops   receive buffer full: -B, net.core.rmem_max
 *   queue drops             decoder behind the receiver: -Q
 *   refused exporters       exporter table full: --max-exporters
 *   flows dropped (-H)      disk refused writes longer than the hold
 *                           limit lasts: free disk space, raise -H
 *   flows not written       still refused at exit
 *
 * Reads the writer's counters and the workers' atomics; call from the
 * writer's thread.
 */
#ifndef COLLECTOR_CAPSTATS_H
#define COLLECTOR_CAPSTATS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct collect;

/* Datagrams and flows not stored, by cause (totals or a difference). */
struct capstats_loss {
	uint64_t	kdrops;			/* socket buffer full */
	uint64_t	qdrops;			/* datagrams: queue to the
						   writer full */
	uint64_t	qdrop_flows;		/* their flows */
	uint64_t	acl;			/* outside -A (by request) */
	uint64_t	refused_datagrams;	/* exporter table full */
	uint64_t	refused_flows;
	uint64_t	hold_dropped;		/* flows: disk full, -H reached */
	uint64_t	unwritten;		/* flows: still refused at exit */
	uint64_t	nofile;			/* flows: no file could be set up */
};

/* Totals over every exporter since start. */
struct capstats_totals {
	uint64_t	datagrams;	/* decoded */
	uint64_t	records;	/* flows decoded and handed to the
					   writer (see spool for where they
					   went) */
	uint64_t	malformed;	/* datagrams, incl. unknown sources */
	uint64_t	refused_datagrams; /* from new exporters, bound
					   reached */
	uint64_t	refused_flows;
};

/* Malformed datagrams from no known exporter, and bad headers. */
uint64_t capstats_unknown(const struct collect *c);

/* Datagrams the workers received. */
uint64_t capstats_received(const struct collect *c);

void	capstats_loss_now(const struct collect *c, struct capstats_loss *l);

/* d = a - b, counter by counter. */
void	capstats_loss_diff(const struct capstats_loss *a,
	    const struct capstats_loss *b, struct capstats_loss *d);

/*
 * If l holds any loss, log one warning "WHERE: data lost: ..." naming
 * each cause with its cure.  Returns true if it logged.
 */
bool	capstats_loss_warn(const struct collect *c, const char *where,
	    const struct capstats_loss *l);

void	capstats_totals(const struct collect *c, struct capstats_totals *t);

/* The "statistics" reply: totals, losses with cures, every exporter. */
void	capstats_print(const struct collect *c, FILE *out);

#endif /* COLLECTOR_CAPSTATS_H */
