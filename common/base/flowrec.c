/*
 * common/base/flowrec.c -- initialise, compare and dump flow records.
 */
#include "common/base/compat.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "common/base/flowrec.h"

void
flowrec_init(struct flowrec *r)
{
	memset(r, 0, sizeof(*r));
	r->flows = 1;
	r->af = 4;
	r->direction = FLOWDIR_UNKNOWN;
	addr_from_v4(&r->src, 0);
	addr_from_v4(&r->dst, 0);
	addr_from_v4(&r->nexthop, 0);
}

bool
flowrec_equal(const struct flowrec *a, const struct flowrec *b)
{
	return a->first_ms == b->first_ms && a->last_ms == b->last_ms &&
	    a->packets == b->packets && a->bytes == b->bytes &&
	    addr_eq(&a->src, &b->src) && addr_eq(&a->dst, &b->dst) &&
	    addr_eq(&a->nexthop, &b->nexthop) &&
	    a->in_if == b->in_if && a->out_if == b->out_if &&
	    a->src_as == b->src_as && a->dst_as == b->dst_as &&
	    a->flows == b->flows && a->sampling == b->sampling &&
	    a->src_port == b->src_port && a->dst_port == b->dst_port &&
	    a->src_vlan == b->src_vlan && a->dst_vlan == b->dst_vlan &&
	    a->exporter == b->exporter && a->af == b->af &&
	    a->proto == b->proto && a->tcp_flags == b->tcp_flags &&
	    a->tos == b->tos && a->src_mask == b->src_mask &&
	    a->dst_mask == b->dst_mask && a->direction == b->direction &&
	    a->end_reason == b->end_reason &&
	    a->engine_type == b->engine_type && a->engine_id == b->engine_id;
}

char *
flowrec_dump(const struct flowrec *r, char *buf, size_t len)
{
	char s[ADDR_STRLEN], d[ADDR_STRLEN], n[ADDR_STRLEN];

	snprintf(buf, len,
	    "first=%" PRIu64 " last=%" PRIu64 " af=%u %s:%u -> %s:%u "
	    "proto=%u pkts=%" PRIu64 " bytes=%" PRIu64 " flags=0x%02x "
	    "tos=%u nh=%s if=%" PRIu32 "/%" PRIu32 " as=%" PRIu32 "/%" PRIu32
	    " mask=%u/%u vlan=%u/%u dir=%u end=%u flows=%" PRIu32
	    " samp=%" PRIu32 " eng=%u/%u exp=%u",
	    r->first_ms, r->last_ms, r->af, addr_format(&r->src, s, sizeof(s)),
	    r->src_port, addr_format(&r->dst, d, sizeof(d)), r->dst_port,
	    r->proto, r->packets, r->bytes, r->tcp_flags, r->tos,
	    addr_format(&r->nexthop, n, sizeof(n)), r->in_if, r->out_if,
	    r->src_as, r->dst_as, r->src_mask, r->dst_mask, r->src_vlan,
	    r->dst_vlan, r->direction, r->end_reason, r->flows, r->sampling,
	    r->engine_type, r->engine_id, r->exporter);
	return buf;
}
