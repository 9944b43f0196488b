/*
 * query/qfields.h -- names for the flow-record fields a sink reads
 * (agg.c and topn.c report theirs as (1 << QF_*) bits; scan.c turns
 * them into the file reader's column mask).  Kept apart from
 * common/ffile/fcol.h so that agg and topn do not depend on the file format.
 */
#ifndef QUERY_QFIELDS_H
#define QUERY_QFIELDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/base/addr.h"
#include "common/base/flowrec.h"

enum qf_field {
	QF_FIRST, QF_LAST, QF_PACKETS, QF_BYTES, QF_SRC, QF_DST, QF_NEXTHOP,
	QF_IN_IF, QF_OUT_IF, QF_SRC_AS, QF_DST_AS, QF_FLOWS, QF_SRC_PORT,
	QF_DST_PORT, QF_SRC_VLAN, QF_DST_VLAN, QF_EXPORTER, QF_AF, QF_PROTO,
	QF_TCP_FLAGS, QF_TOS, QF_SRC_MASK, QF_DST_MASK, QF_ENGINE_TYPE,
	QF_ENGINE_ID, QF_NFIELDS
};

#endif /* QUERY_QFIELDS_H */
