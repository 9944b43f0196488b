/*
 * sink/pbenc.c -- flows as goflow2 FlowMessages through protobuf-c
 * (sink/pbenc.h).  The message is filled on the stack and packed by
 * protobuf-c's generated code (sink/flow.pb-c.c, made from
 * sink/flow.proto by protoc-c at build time); proto3 leaves fields
 * that are zero out of the bytes.  goflow2's fields first, then
 * flowkit's own (3001 on: names, NAT, VRFs, ...; sink/flow.proto).
 */
#include "common/base/compat.h"

#include <string.h>

#include "common/base/nferr.h"
#include "sink/pbenc.h"

#ifdef HAVE_PROTOBUF_C
#include "sink/flow.pb-c.h"

/* A name's bytes: each byte of it at most 3 (U+FFFD) */
#define PBENC_STR_MAX	(3 * FLOWREC_STR_MAX)
#define PBENC_NSTR	6	/* string fields set */
#define PBENC_MAX	(1024 + PBENC_NSTR * (PBENC_STR_MAX + 4))
				/* bytes of one message, above what the
				   fields set here can take */

bool
pbenc_available(void)
{
	return true;
}

/* An address as goflow2 sends it: 4 bytes for IPv4, else 16. */
static void
addr_bytes(const struct nf_addr *a, ProtobufCBinaryData *d)
{
	d->data = (uint8_t *)(uintptr_t)a->a;
	d->len = 16;
	if (addr_is_v4(a)) {
		d->data += 12;
		d->len = 4;
	}
}

static uint64_t
unscale(uint64_t v, uint32_t rate)
{
	return rate > 1 ? v / rate : v;
}

/*
 * A name as a protobuf bytes field holding UTF-8: into buf
 * (PBENC_STR_MAX bytes), NULs and bytes that are not UTF-8 as U+FFFD,
 * as flowq's JSON writer does.
 */
static void
pb_str(const struct nf_str *v, char *buf, ProtobufCBinaryData *d)
{
	const uint8_t *p = (const uint8_t *)v->p;
	size_t i = 0, o = 0, k;

	while (i < v->len) {
		if (p[i] != 0 &&
		    (k = flowrec_utf8_char(p + i, v->len - i)) != 0) {
			memcpy(buf + o, p + i, k);
			o += k;
			i += k;
		} else {
			memcpy(buf + o, "\xef\xbf\xbd", 3);
			o += 3;
			i++;
		}
	}
	d->data = (uint8_t *)buf;
	d->len = o;
}

static Flowpb__FlowMessage__FlowType
flow_type(const struct ffile_exporter *x)
{
	switch (x != NULL ? x->version : 0) {
	case 5:
		return FLOWPB__FLOW_MESSAGE__FLOW_TYPE__NETFLOW_V5;
	case 9:
		return FLOWPB__FLOW_MESSAGE__FLOW_TYPE__NETFLOW_V9;
	case 10:
		return FLOWPB__FLOW_MESSAGE__FLOW_TYPE__IPFIX;
	default:
		return FLOWPB__FLOW_MESSAGE__FLOW_TYPE__FLOWUNKNOWN;
	}
}

int
pbenc_record(const struct sink_batch *b, size_t i, bool delimited,
    struct sbuf *out)
{
	const struct flowrec *r = &b->recs[i];
	const struct ffile_exporter *x = sink_exporter(b, r);
	Flowpb__FlowMessage m = FLOWPB__FLOW_MESSAGE__INIT;
	uint32_t rate = r->sampling > 1 ? r->sampling : 0;
	const uint32_t mpls[] = { r->mpls1, r->mpls2, r->mpls3, r->mpls4,
	    r->mpls5, r->mpls6, r->mpls7, r->mpls8, r->mpls9, r->mpls10 };
	uint32_t labels[NF_NELEM(mpls)];
	ProtobufCBinaryData mpls_ip;
	char strs[PBENC_NSTR][PBENC_STR_MAX];
	size_t len, n;
	uint64_t v;
	int rc;

	m.type = flow_type(x);
	/* when the collector had it; files from before the catalogue's
	 * received time say 0: the flow's end, as before */
	m.time_received_ns = (r->received_ms != 0 ? r->received_ms :
	    r->last_ms) * 1000000U;
	m.time_flow_start_ns = r->first_ms * 1000000U;
	m.time_flow_end_ns = r->last_ms * 1000000U;
	m.sampling_rate = rate;
	m.bytes = unscale(r->bytes, rate);
	m.packets = unscale(r->packets, rate);
	if (x != NULL) {
		addr_bytes(&x->addr, &m.sampler_address);
		m.observation_domain_id = x->domain;
	}
	addr_bytes(&r->src, &m.src_addr);
	addr_bytes(&r->dst, &m.dst_addr);
	if (!addr_is_zero(&r->nexthop))
		addr_bytes(&r->nexthop, &m.next_hop);
	if (!addr_is_zero(&r->bgp_nexthop))
		addr_bytes(&r->bgp_nexthop, &m.bgp_next_hop);
	m.etype = r->af == 6 ? 0x86dd : 0x800;
	m.proto = r->proto;
	m.src_port = r->src_port;
	m.dst_port = r->dst_port;
	if (r->proto == 1 || r->proto == 58) {
		m.icmp_type = flowrec_icmp_type(r);
		m.icmp_code = flowrec_icmp_code(r);
	}
	m.tcp_flags = r->tcp_flags;
	m.ip_tos = r->tos;
	m.in_if = r->in_if;
	m.out_if = r->out_if;
	m.src_as = r->src_as;
	m.dst_as = r->dst_as;
	m.src_net = r->src_mask;
	m.dst_net = r->dst_mask;
	m.src_vlan = r->src_vlan;
	m.dst_vlan = r->dst_vlan;
	m.vlan_id = r->src_vlan;
	/* catalogue fields goflow2's message has a place for */
	m.src_mac = r->in_src_mac;
	m.dst_mac = r->in_dst_mac;
	m.forwarding_status = r->fwd_status;
	m.ipv6_flow_label = r->flow_label;
	m.ip_ttl = r->min_ttl;
	for (size_t k = 0; k < NF_NELEM(mpls) && mpls[k] != 0; k++)
		labels[m.n_mpls_label++] = mpls[k] >> 4;
	m.mpls_label = labels;
	if (!addr_is_zero(&r->mpls_top_addr)) {
		addr_bytes(&r->mpls_top_addr, &mpls_ip);
		m.n_mpls_ip = 1;
		m.mpls_ip = &mpls_ip;
	}

	/* flowkit's own fields (3001 on) */
	pb_str(&r->user, strs[0], &m.user);
	pb_str(&r->src_geo, strs[1], &m.src_country);
	pb_str(&r->dst_geo, strs[2], &m.dst_country);
	pb_str(&r->src_as_org, strs[3], &m.src_as_org);
	pb_str(&r->dst_as_org, strs[4], &m.dst_as_org);
	pb_str(&r->app_name, strs[5], &m.app_name);
	m.ingress_vrf_id = r->in_vrf;
	m.egress_vrf_id = r->out_vrf;
	m.nat_event = r->nat_event;
	if (!addr_is_zero(&r->nat_src))
		addr_bytes(&r->nat_src, &m.post_nat_src_addr);
	if (!addr_is_zero(&r->nat_dst))
		addr_bytes(&r->nat_dst, &m.post_nat_dst_addr);
	m.post_nat_src_port = r->nat_src_port;
	m.post_nat_dst_port = r->nat_dst_port;
	m.ip_ttl_max = r->max_ttl;
	m.out_src_mac = r->out_src_mac;
	m.out_dst_mac = r->out_dst_mac;
	m.out_bytes = unscale(r->out_bytes, rate);
	m.out_packets = unscale(r->out_packets, rate);
	m.port_block_start = r->pb_start;
	m.port_block_end = r->pb_end;
	m.port_block_step = r->pb_step;
	m.port_block_size = r->pb_size;
	m.src_customer_vlan = r->src_cvlan;
	m.dst_customer_vlan = r->dst_cvlan;
	m.vlan_priority = r->vlan_prio;
	m.flow_direction = r->direction <= 1 ? r->direction : 0;

	/*
	 * One pass: pack behind room for a 2-byte length (a message of
	 * this schema holds well under 16384 bytes), then write the length
	 * in front and close the gap.  PBENC_MAX bounds every field set
	 * here (a dozen addresses and integers).
	 */
	if ((rc = sbuf_reserve(out, PBENC_MAX + 2)) != NFE_OK)
		return rc;
	len = flowpb__flow_message__pack(&m, out->p + out->len + 2);
	if (len > PBENC_MAX)
		return NFE_INTERNAL;
	if (!delimited) {
		memmove(out->p + out->len, out->p + out->len + 2, len);
		out->len += len;
		return NFE_OK;
	}
	/* the stream framing, not the message: base-128 length */
	n = 0;
	for (v = len; v >= 0x80; v >>= 7)
		out->p[out->len + n++] = (uint8_t)(v | 0x80);
	out->p[out->len + n++] = (uint8_t)v;
	if (n == 1)
		memmove(out->p + out->len + 1, out->p + out->len + 2, len);
	out->len += n + len;
	return NFE_OK;
}

#else /* !HAVE_PROTOBUF_C */

bool
pbenc_available(void)
{
	return false;
}

int
pbenc_record(const struct sink_batch *b, size_t i, bool delimited,
    struct sbuf *out)
{
	(void)b;
	(void)i;
	(void)delimited;
	(void)out;
	return NFE_UNSUPP;
}

#endif
