/*
 * probe/meter.h -- packets into flows, flows out as NetFlow records:
 * the probe's accounting and timeout policy over probe/flowtable.
 *
 * Each decoded packet updates the flow of its key (reduced to the -T
 * level).  Flows end, with their IPFIX flowEndReason (RFC 5102
 * 5.11.3), when:
 *   - idle (1): no packet for the idle timeout of the flow's class --
 *     tcp, udp, icmp (ICMP and ICMPv6) or general; all default to
 *     idle, 15 s;
 *   - active (2): active (maxlife) after the flow's first packet,
 *     default 1800 s; 0 disables it;
 *   - end of flow (3): TCP, once a RST was seen (tcp.rst class, 5 s
 *     after the flow's last packet) or FIN was seen in both directions
 *     (tcp.fin class, 5 s); also a TCP flow that saw FIN or RST and
 *     then idled out;
 *   - forced (4): meter_expire_all() (end of file, shutdown, expire-all);
 *   - lack of resources (5): the table was full, and the least recently
 *     seen flow made room for a new one.
 * A flow is due once now >= deadline (last + idle, or first + active;
 * when both have passed, the earlier one names the reason, ties going
 * to idle).  A packet for a flow that is already due ends that flow
 * first and starts a new one, so the flows found never depend on when
 * the expiry scan runs; the scan (every expint, default 1 s of packet
 * time, and whenever the caller calls meter_expire) only decides when
 * records are handed over.
 *
 * Flows are unidirectional, as routers export them: A->B and B->A are
 * two flows.  (softflowd keeps one bidirectional flow and exports it as
 * two records.)  "FIN from both sides" looks up the reverse flow; when
 * it is not in the table at all (one-way capture), one FIN is enough.
 * With biflow (-b, for IPFIX) a packet whose flow is not in the table
 * but whose reverse flow is counts as that flow's reverse direction
 * (the record's out_packets/out_bytes): one flow per conversation, the
 * first packet's sender its source; the reverse counters live beside
 * the table, and nothing changes on the path of a packet whose flow is
 * found, nor anywhere without -b.
 *
 * Time is whatever the caller says: capture timestamps with -r, so a
 * file always gives the same flows in the same order.  A timestamp
 * earlier than one already seen counts as the latest time seen.
 *
 * Per packet: one hash computed and one lookup (after a FIN, a second
 * one for the reverse flow, from the same index slot), O(1) list moves; the
 * scan pops due flows from list heads only.  Records go out in batches
 * of up to METER_BATCH through the export callback.
 */
#ifndef PROBE_METER_H
#define PROBE_METER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "common/base/flowrec.h"
#include "common/pkt/flowkey.h"
#include "common/pkt/pktdecode.h"
#include "common/pkt/siphash.h"
#include "probe/flowtable.h"

/* Timeout classes; each is one last-seen list of the flow table. */
enum {
	EXP_TCP,
	EXP_TCP_RST,
	EXP_TCP_FIN,
	EXP_UDP,
	EXP_ICMP,
	EXP_GENERAL,
	EXP_NCLASS
};
_Static_assert(EXP_NCLASS <= FLOWTABLE_NLISTS, "one list per class");

#define METER_BATCH		256	/* records per export call, at most */
#define METER_DEFAULT_IDLE	15000	/* ms */
#define METER_DEFAULT_ACTIVE	1800000	/* ms */
#define METER_DEFAULT_FINRST	5000	/* ms */
#define METER_DEFAULT_INTERVAL	1000	/* ms */
#define METER_MAX_TIMEOUT	(UINT64_C(1) << 40)	/* ms, ~35 years */

struct meter_conf {
	uint64_t	idle_ms[EXP_NCLASS];	/* per class */
	uint64_t	active_ms;		/* 0: no active timeout */
	uint64_t	interval_ms;		/* scan interval (expint) */
	uint32_t	max_flows;
	uint32_t	sampling;		/* 1-in-N, for the records; 1 none */
	bool		biflow;			/* -b: one flow per conversation */
	bool		extras;			/* -x: keep per-flow extras
						   (meter_packets_x) */
	enum flowkey_level level;
	bool		idle_set[EXP_NCLASS];	/* explicitly set by -t */
};

/* Defaults: everything as documented above, FLOWTABLE_DEFAULT_FLOWS. */
void	meter_conf_init(struct meter_conf *c);

/*
 * Parse a time "N[s|m|h|d|w]..." (terms summed, e.g. 1h30m; a bare
 * number is seconds) into ms.  Returns NFE_OK or NFE_INVAL.
 */
int	meter_parse_time(const char *s, uint64_t *ms);

/*
 * Apply one -t name=value.  Names: tcp, tcp.rst, tcp.fin, udp, icmp,
 * general (per-class idle timeouts), idle (every per-protocol idle
 * timeout not set by name, whatever the order), maxlife or active
 * (active timeout; 0 disables), expint (scan interval).  Returns NFE_OK,
 * or NFE_INVAL with a message in err.
 */
int	meter_conf_set(struct meter_conf *c, const char *nameval, char *err,
	    size_t errlen);

/* Print the timeouts, one "name = N s" line each (flowctl timeouts). */
void	meter_conf_print(const struct meter_conf *c, FILE *fp);

/*
 * Export callback: n >= 1 finished records, borrowed for the call.  A
 * non-zero return is counted as an export error; nothing is retried.
 */
typedef int meter_export_fn(void *arg, const struct flowrec *recs,
	    size_t n);

/*
 * Hand-over callback (meter_set_handover): the n >= 1 finished records
 * in recs, which the callee takes; returns the buffer (room for
 * METER_BATCH records) the meter fills next.
 */
typedef struct flowrec *meter_handover_fn(void *arg, struct flowrec *recs,
	    size_t n);

struct meter_proto_stats {
	uint64_t	flows, packets, bytes;
	uint64_t	dur_sum_ms, dur_max_ms;
};

struct meter_stats {
	uint64_t	packets, bytes;		/* accounted to flows */
	uint64_t	created;		/* flows started */
	uint64_t	expired;		/* flows ended, all reasons */
	uint64_t	by_reason[6];		/* index FLOWEND_* */
	uint64_t	by_class[EXP_NCLASS];	/* idle/end-of-flow by class */
	uint64_t	records;		/* handed to the callback */
	uint64_t	export_calls, export_errors;
	uint64_t	peak_flows;
	uint64_t	min_bytes, max_bytes, min_packets, max_packets;
	uint64_t	min_dur_ms, max_dur_ms, sum_dur_ms;
	uint64_t	exp_bytes, exp_packets;	/* sums over expired flows */
	struct meter_proto_stats proto[256];
};

struct meter;			/* opaque */

/*
 * New engine with configuration c (copied), hashing under key, handing
 * records to fn(arg, ...) (fn may be NULL: records are counted only).
 * Returns NFE_OK, NFE_INVAL (max_flows) or NFE_NOMEM.
 */
int	meter_new(const struct meter_conf *c, const struct sipkey *key,
	    meter_export_fn *fn, void *arg, struct meter **out);
/*
 * Write finished records straight into buffers the caller owns instead
 * of the meter's own batch, handing each full batch (and whatever a
 * flush finds) to fn(arg, ...) in place of the export callback, which
 * is no longer called: first is the buffer to fill first (room for
 * METER_BATCH records).  fn NULL goes back to the meter's own batch and
 * the export callback; records not yet handed over are dropped, so
 * call it after a flush (meter_expire_all).  The records are the same
 * either way; only the copy the export callback's caller would make is
 * saved.
 */
void	meter_set_handover(struct meter *mt, meter_handover_fn *fn,
	    struct flowrec *first);

/* Frees without exporting anything still active. */
void	meter_free(struct meter *mt);

/* Account one decoded packet; may expire and export flows. */
void	meter_packet(struct meter *mt, const struct pkt *p);

/*
 * Account n packets, in order: the same result as n meter_packet()
 * calls, faster, because the table's memory for the whole batch is
 * fetched before the first packet is accounted.
 */
#define METER_PKT_BATCH	32
void	meter_packets(struct meter *mt, const struct pkt *p, size_t n);

/*
 * As meter_packets, with each packet's extras (x[i] for p[i], from
 * pktdecode_frame_x), for an engine made with conf.extras.  A flow's
 * record then also carries, from its first packet, the MAC addresses
 * (in_src_mac/in_dst_mac), the outer tag's priority (vlan_prio), the
 * inner tag's VID (src_cvlan), the IPv6 flow label and the top three
 * MPLS stack entries; and the smallest and largest TTL of all its
 * packets (min_ttl/max_ttl).  None of them is part of the flow key.
 * They live in an array beside the flow table, allocated only with
 * conf.extras; with -b, packets of the reverse direction leave them
 * alone (they describe the source's direction).
 */
void	meter_packets_x(struct meter *mt, const struct pkt *p,
	    const struct pkt_extra *x, size_t n);

/* Expire every flow due at now_ms and hand over all pending records. */
void	meter_expire(struct meter *mt, uint64_t now_ms);

/*
 * End every active flow with the given reason (normally FLOWEND_FORCED),
 * oldest first, and hand over all records.
 */
void	meter_expire_all(struct meter *mt, uint8_t reason);

/* The engine's clock: the latest time seen, ms. */
uint64_t meter_now(const struct meter *mt);
size_t	meter_active(const struct meter *mt);
const struct meter_conf *meter_conf(const struct meter *mt);

/*
 * Take the timeouts of c (idle per class, active, scan interval) while
 * running (SIGHUP): flows already in the table expire by the new
 * values from the next scan on.  The table size, sampling and flow key
 * stay as they were created.
 */
void	meter_set_timeouts(struct meter *mt, const struct meter_conf *c);
const struct meter_stats *meter_stats(const struct meter *mt);
const struct flowtable *meter_table(const struct meter *mt);

/*
 * Call sink once per active flow, oldest first, with a record as it
 * would be exported now (end_reason 0).  Stops at and returns the first
 * non-zero sink return; NFE_OK otherwise.
 */
int	meter_foreach(const struct meter *mt, flowrec_sink_fn *sink,
	    void *arg);

/* softflowd-style statistics block about flows (statistics command). */
void	meter_stats_print(const struct meter *mt, FILE *fp);

#endif /* PROBE_METER_H */
