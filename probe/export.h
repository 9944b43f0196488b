/*
 * probe/export.h -- flowprobe's exporter: batches of finished flow
 * records -> NetFlow v5, v9 or IPFIX datagrams (the encoders of the
 * codec table, common/codec/codec.h) -> UDP to every destination.
 *
 * Every destination gets every datagram (softflowd without -l); the
 * encoder state, and so the sequence number, is shared.  Sequence
 * numbers follow each protocol: v5 counts flows, v9 export packets,
 * IPFIX data records.  v5 cannot carry IPv6: such records are counted
 * (v6_dropped) and never sent.  v9 and IPFIX datagrams are filled up to
 * max_size bytes with whole records; the IPv4 and IPv6 templates (and
 * the options template with the sampling rate, and for IPFIX
 * systemInitTimeMilliseconds) go out in the first datagram and again
 * every tmpl_pkts datagrams and every tmpl_ms of the caller's clock
 * (the capture's clock with -r), also on a quiet link through
 * export_tick().
 *
 * Times: the exporter's "boot" (sysUpTime 0) is set by export_start()
 * -- main.c uses one second before the program start for live capture,
 * and before the first packet's second for a file -- so every record's
 * sysUpTime stamps are positive and consistent with the header's.  The caller's now_ms is the export time in the headers.
 *
 * Sockets are connected UDP sockets, one per destination, so an ICMP
 * port unreachable shows up as a send error.  Send errors are counted
 * (and logged, rate-limited), never fatal.  With rate > 0, datagrams are
 * paced to at most rate per second of real time (for -r into a
 * collector whose socket buffer would overflow otherwise).
 */
#ifndef PROBE_EXPORT_H
#define PROBE_EXPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "common/base/flowrec.h"
#include "common/codec/nfenc.h"

#define EXPORT_MAX_DESTS	16		/* as softflowd */
#define EXPORT_MIN_SIZE		512		/* -M bounds, bytes */
#define EXPORT_MAX_SIZE		65507		/* largest UDP/IPv4 payload */
#define EXPORT_DEF_SIZE		1400
#define EXPORT_DEF_TMPL_PKTS	20		/* datagrams */
#define EXPORT_DEF_TMPL_MS	60000		/* ms */
#define EXPORT_DEF_SNDBUF	(1 << 20)	/* SO_SNDBUF asked for */

struct export_conf {
	const char	*dests[EXPORT_MAX_DESTS];	/* borrowed */
	size_t		 ndests;
	int		 version;	/* 5, 9 or 10 */
	size_t		 max_size;	/* v9/IPFIX datagram size limit */
	uint32_t	 tmpl_pkts;	/* template refresh, datagrams, >= 1 */
	uint64_t	 tmpl_ms;	/* template refresh, ms, >= 1 */
	uint32_t	 domain;	/* v9 source id, IPFIX observation
					   domain, v5 engine type << 8 | id */
	uint32_t	 sampling;	/* 1-in-N announced; 0 or 1: none */
	uint32_t	 rate;		/* datagrams per second; 0: no limit */
	bool		 biflow;	/* IPFIX: RFC 5103 reverse counters */
	struct nf_enc_extra extra[NF_ENC_MAX_EXTRA];	/* -x: fields after
					   the usual ones (v9, IPFIX) */
	size_t		 nextra;
};

struct export_stats {
	uint64_t	datagrams;	/* encoded (sent to every destination) */
	uint64_t	records;	/* flow records in them */
	uint64_t	bytes;		/* datagram bytes, once per datagram */
	uint64_t	templates;	/* datagrams that carried templates */
	uint64_t	sends;		/* successful sendto()s, all dests */
	uint64_t	send_errors;	/* failed sendto()s, all dests */
	uint64_t	v6_dropped;	/* IPv6 records v5 cannot carry */
	uint64_t	encode_errors;	/* records the encoder refused */
};

struct export;			/* opaque */

/* Defaults: v9, EXPORT_DEF_*, domain 0, no sampling, no rate limit. */
void	export_conf_init(struct export_conf *c);

/*
 * Check the syntax of one -n argument: HOST:PORT, IPv4:PORT or
 * [IPv6]:PORT (PORT may be a service name).  host/port receive the
 * parts (NUL-terminated, truncated to their sizes).  Returns NFE_OK or
 * NFE_INVAL with a message in err.
 */
int	export_parse_dest(const char *s, char *host, size_t hostlen,
	    char *port, size_t portlen, char *err, size_t errlen);

/*
 * Resolve every destination (the first address getaddrinfo() gives),
 * open and connect one UDP socket each.  c is copied (its dests strings
 * are not needed afterwards).  Returns NFE_OK, NFE_INVAL (bad version,
 * size or destination; err says which) or NFE_IO (socket failure).
 * Nothing is sent before export_start().
 */
int	export_new(const struct export_conf *c, struct export **out,
	    char *err, size_t errlen);
void	export_free(struct export *ex);

/*
 * Set the exporter's boot time (sysUpTime 0, UTC ms) and send the
 * templates (v9/IPFIX) at now_ms.  Records handed over before
 * export_start() are exported with boot_ms = their first time.
 */
void	export_start(struct export *ex, uint64_t boot_ms, uint64_t now_ms);

/*
 * Encode recs[0..n) (borrowed) into as many datagrams as needed at
 * time now_ms and send each to every destination.  Returns NFE_OK, or
 * NFE_IO if any send failed (counted; the records are not retried).
 */
int	export_flows(struct export *ex, uint64_t now_ms,
	    const struct flowrec *recs, size_t n);

/* Send the templates alone if the time-based refresh is due. */
void	export_tick(struct export *ex, uint64_t now_ms);

/* Make the next datagram carry the templates (flowctl send-template). */
void	export_force_templates(struct export *ex);

/* True if the version sends templates (v9, IPFIX). */
bool	export_has_templates(const struct export *ex);

const struct export_stats *export_stats(const struct export *ex);
size_t	export_ndests(const struct export *ex);

/* Statistics lines for the summary and flowctl statistics. */
void	export_stats_print(const struct export *ex, FILE *fp);

#endif /* PROBE_EXPORT_H */
