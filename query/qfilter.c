/*
 * query/qfilter.c -- the filter bridge (qfilter.h): the only flowq
 * module that includes query/filter.h.
 */
#include "common/compat.h"

#include <string.h>

#include "query/filter.h"
#include "query/qfilter.h"

static const uint32_t fbits[QF_NFIELDS] = {
	[QF_FIRST] = FCOL_FIRST, [QF_LAST] = FCOL_LAST,
	[QF_PACKETS] = FCOL_PACKETS, [QF_BYTES] = FCOL_BYTES,
	[QF_SRC] = FCOL_SRC, [QF_DST] = FCOL_DST, [QF_NEXTHOP] = FCOL_NEXTHOP,
	[QF_IN_IF] = FCOL_IN_IF, [QF_OUT_IF] = FCOL_OUT_IF,
	[QF_SRC_AS] = FCOL_SRC_AS, [QF_DST_AS] = FCOL_DST_AS,
	[QF_FLOWS] = FCOL_FLOWS, [QF_SRC_PORT] = FCOL_SRC_PORT,
	[QF_DST_PORT] = FCOL_DST_PORT, [QF_SRC_VLAN] = FCOL_SRC_VLAN,
	[QF_DST_VLAN] = FCOL_DST_VLAN, [QF_EXPORTER] = FCOL_EXPORTER,
	[QF_AF] = FCOL_AF, [QF_PROTO] = FCOL_PROTO,
	[QF_TCP_FLAGS] = FCOL_TCP_FLAGS, [QF_TOS] = FCOL_TOS,
	[QF_SRC_MASK] = FCOL_SRC_MASK, [QF_DST_MASK] = FCOL_DST_MASK,
	[QF_ENGINE_TYPE] = FCOL_ENGINE_TYPE, [QF_ENGINE_ID] = FCOL_ENGINE_ID,
};

int
qf_compile(const char *src, struct filter **out, char *err, size_t errlen)
{
	return filter_compile(src, out, err, errlen);
}

void
qf_free(struct filter *f)
{
	filter_free(f);
}

uint32_t
qf_fields(const struct filter *f)
{
	uint32_t have = filter_columns(f), out = 0;

	for (unsigned i = 0; i < QF_NFIELDS; i++)
		if (have & fbits[i])
			out |= UINT32_C(1) << i;
	return out;
}

size_t
qf_eval(const struct filter *f, const struct qf_cols *c, uint8_t *sel,
    size_t n)
{
	struct filter_cols fc;

	fc.first_ms = c->first_ms;
	fc.last_ms = c->last_ms;
	fc.packets = c->packets;
	fc.bytes = c->bytes;
	fc.src = c->src;
	fc.dst = c->dst;
	fc.nexthop = c->nexthop;
	fc.in_if = c->in_if;
	fc.out_if = c->out_if;
	fc.src_as = c->src_as;
	fc.dst_as = c->dst_as;
	fc.flows = c->flows;
	fc.src_port = c->src_port;
	fc.dst_port = c->dst_port;
	fc.src_vlan = c->src_vlan;
	fc.dst_vlan = c->dst_vlan;
	fc.exporter = c->exporter;
	fc.af = c->af;
	fc.proto = c->proto;
	fc.tcp_flags = c->tcp_flags;
	fc.tos = c->tos;
	fc.src_mask = c->src_mask;
	fc.dst_mask = c->dst_mask;
	fc.engine_type = c->engine_type;
	fc.engine_id = c->engine_id;
	fc.exporters = c->exporters;
	fc.nexporters = c->nexporters;
	return filter_eval_block(f, &fc, sel, n);
}
