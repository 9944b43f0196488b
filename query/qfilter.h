/*
 * query/qfilter.h -- flowq's bridge to the filter module (filter.h).
 *
 * XXX: query/filter.h and common/fcol.h both define enumerators named
 * FCOL_FIRST, FCOL_SRC, ... with different values, so no translation
 * unit can include both.  This bridge includes only filter.h; scan.c
 * includes only fcol.h.  Columns travel between them as QF_* bits (one
 * per flowrec field) and as struct qf_cols, a copy of filter_cols'
 * layout.
 */
#ifndef QUERY_QFILTER_H
#define QUERY_QFILTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/addr.h"
#include "common/flowrec.h"

enum qf_field {
	QF_FIRST, QF_LAST, QF_PACKETS, QF_BYTES, QF_SRC, QF_DST, QF_NEXTHOP,
	QF_IN_IF, QF_OUT_IF, QF_SRC_AS, QF_DST_AS, QF_FLOWS, QF_SRC_PORT,
	QF_DST_PORT, QF_SRC_VLAN, QF_DST_VLAN, QF_EXPORTER, QF_AF, QF_PROTO,
	QF_TCP_FLAGS, QF_TOS, QF_SRC_MASK, QF_DST_MASK, QF_ENGINE_TYPE,
	QF_ENGINE_ID, QF_NFIELDS
};

/* Decoded columns of a block: every pointer borrowed, NULL if absent. */
struct qf_cols {
	const uint64_t		*first_ms, *last_ms, *packets, *bytes;
	const struct nf_addr	*src, *dst, *nexthop;
	const uint32_t		*in_if, *out_if, *src_as, *dst_as, *flows;
	const uint16_t		*src_port, *dst_port, *src_vlan, *dst_vlan;
	const uint16_t		*exporter;
	const uint8_t		*af, *proto, *tcp_flags, *tos;
	const uint8_t		*src_mask, *dst_mask, *engine_type, *engine_id;
	const struct nf_addr	*exporters;	/* index -> router address */
	size_t			 nexporters;
};

struct filter;

/* filter_compile(); NULL *out and a message in err on failure. */
int	qf_compile(const char *src, struct filter **out, char *err,
	    size_t errlen);
void	qf_free(struct filter *f);
/* Columns the filter reads, as (1 << QF_*) bits. */
uint32_t qf_fields(const struct filter *f);
/* sel[i] = 1 if row i matches; returns the number of matches. */
size_t	qf_eval(const struct filter *f, const struct qf_cols *c, uint8_t *sel,
	    size_t n);

#endif /* QUERY_QFILTER_H */
