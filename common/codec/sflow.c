/*
 * common/codec/sflow.c -- sFlow v5 decoder (sflow.h).
 *
 * Everything is XDR: big-endian 32-bit words; opaque<> is a u32 length
 * and the bytes padded to 4; an enterprise:format pair is one u32
 * (enterprise << 12 | format).
 *
 * Datagram: version 5, agent address (u32 type: 1 IPv4, 2 IPv6; then
 *   4 or 16 bytes), sub_agent_id, sequence, uptime (ms), n samples,
 *   then samples: {u32 format, u32 length, body}.
 * Flow sample (0:1): sequence, source_id, sampling_rate, sample_pool,
 *   drops, input, output (compact: 2-bit format, 30-bit value),
 *   n records.  Expanded (0:3): sequence, source_id type, index,
 *   sampling_rate, sample_pool, drops, input format, input value,
 *   output format, output value, n records.  Records: {u32 format,
 *   u32 length, body}.
 * Flow records read:
 *   0:1 raw packet header: header_protocol, frame_length, stripped,
 *       header opaque<>
 *   0:3 sampled IPv4: length, protocol, src, dst, src_port, dst_port,
 *       tcp_flags, tos
 *   0:4 sampled IPv6: the same with 16-byte addresses, priority
 *   0:1001 extended switch: src_vlan, src_priority, dst_vlan,
 *       dst_priority
 *   0:1002 extended router: next hop address, src_mask, dst_mask
 *   0:1003 extended gateway: next hop address, as, src_as, src_peer_as,
 *       dst_as_path<> of segments {type, n, n AS numbers}, ...
 * Counter samples are 0:2 and 0:4.
 *
 * Two passes: check() walks every length of the datagram (nothing is
 * delivered from a malformed one), then decode() reads the samples;
 * each sample and record is read through its own sub-reader carved from
 * its declared length, so nothing reads into its neighbour.
 */
#include "common/base/compat.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "common/base/addr.h"
#include "common/base/buf.h"
#include "common/base/nferr.h"
#include "common/codec/codec.h"
#include "common/codec/sampling.h"
#include "common/codec/sflow.h"
#include "common/pkt/pktdecode.h"

#define FMT(ent, fmt)		((uint32_t)(ent) << 12 | (fmt))
#define S_FLOW			FMT(0, 1)
#define S_COUNTERS		FMT(0, 2)
#define S_FLOW_X		FMT(0, 3)
#define S_COUNTERS_X		FMT(0, 4)
#define R_HEADER		FMT(0, 1)
#define R_IPV4			FMT(0, 3)
#define R_IPV6			FMT(0, 4)
#define R_SWITCH		FMT(0, 1001)
#define R_ROUTER		FMT(0, 1002)
#define R_GATEWAY		FMT(0, 1003)

#define SUB_HDR		8		/* {format, length} */
#define IF_VALUE	0x3fffffffu	/* compact input/output value */

/* header_protocol values with a link type pktdecode reads */
static int
header_dlt(uint32_t proto)
{
	switch (proto) {
	case 1:				/* ETHERNET-ISO88023 */
		return PKT_DLT_EN10MB;
	case 7:				/* PPP */
		return PKT_DLT_PPP;
	case 11:			/* IPv4 */
		return PKT_DLT_IPV4;
	case 12:			/* IPv6 */
		return PKT_DLT_IPV6;
	case 14:			/* POS: PPP in HDLC framing */
		return PKT_DLT_PPP_SERIAL;
	default:
		return -1;
	}
}

bool
sflow_is(const uint8_t *p, size_t len)
{
	return len >= 4 && p[0] == 0 && p[1] == 0 && p[2] == 0 &&
	    p[3] == SFLOW_VERSION;
}

/* An address: u32 type (0 none, 1 IPv4, 2 IPv6) and its bytes. */
static int
get_addr(struct rbuf *r, struct nf_addr *a)
{
	uint8_t b[16];
	uint32_t type = rbuf_be32(r);

	memset(a, 0, sizeof(*a));
	if (!rbuf_ok(r))
		return NFE_TRUNC;
	switch (type) {
	case 0:
		return NFE_OK;
	case 1:
		if (!rbuf_bytes(r, b, 4))
			return NFE_TRUNC;
		addr_from_v4_bytes(a, b);
		return NFE_OK;
	case 2:
		if (!rbuf_bytes(r, b, 16))
			return NFE_TRUNC;
		addr_from_v6(a, b);
		return NFE_OK;
	default:
		return NFE_FORMAT;
	}
}

static int
header(struct rbuf *r, struct sflow_peek *pk)
{
	int rc;

	memset(pk, 0, sizeof(*pk));
	if (rbuf_be32(r) != SFLOW_VERSION)
		return rbuf_ok(r) ? NFE_FORMAT : NFE_TRUNC;
	if ((rc = get_addr(r, &pk->agent)) != NFE_OK)
		return rc;
	pk->sub_agent = rbuf_be32(r);
	pk->seq = rbuf_be32(r);
	pk->uptime_ms = rbuf_be32(r);
	pk->nsamples = rbuf_be32(r);
	return rbuf_ok(r) ? NFE_OK : NFE_TRUNC;
}

int
sflow_peek(const uint8_t *p, size_t len, struct sflow_peek *pk)
{
	struct rbuf r;

	rbuf_init(&r, p, len);
	return header(&r, pk);
}

int
sflow_codec_peek(const uint8_t *p, size_t len, struct nf_peek *pk)
{
	struct sflow_peek h;
	int rc;

	if ((rc = sflow_peek(p, len, &h)) != NFE_OK)
		return rc;
	pk->domain = h.sub_agent;
	pk->has_agent = !addr_is_zero(&h.agent);	/* type 0: unknown */
	pk->agent = h.agent;
	pk->whole = true;
	pk->has_seq = true;
	pk->seq = h.seq;
	pk->count = h.nsamples;
	return NFE_OK;
}

/*
 * The next {format, length, body} of r, the body carved into *sub.
 * A count of n of them must fit in what is left (8 bytes each), which
 * bounds every loop by the datagram's size.
 */
static int
next_sub(struct rbuf *r, uint32_t *fmt, struct rbuf *sub)
{
	uint32_t len;

	*fmt = rbuf_be32(r);
	len = rbuf_be32(r);
	if (!rbuf_ok(r) || !rbuf_sub(r, len, sub))
		return NFE_TRUNC;
	return NFE_OK;
}

static bool
count_fits(const struct rbuf *r, uint32_t n, size_t each)
{
	return (uint64_t)n * each <= rbuf_remaining(r);
}

/* ---- check: every length inside its parent ---------------------------- */

static int
check_gateway(struct rbuf *r)
{
	struct nf_addr nh;
	uint32_t nseg, n;
	int rc;

	if ((rc = get_addr(r, &nh)) != NFE_OK)
		return rc;
	rbuf_skip(r, 12);			/* as, src_as, src_peer_as */
	nseg = rbuf_be32(r);
	if (!rbuf_ok(r))
		return NFE_TRUNC;
	if (!count_fits(r, nseg, 8))
		return NFE_FORMAT;
	for (uint32_t i = 0; i < nseg; i++) {
		rbuf_skip(r, 4);		/* segment type */
		n = rbuf_be32(r);
		if (!rbuf_ok(r))
			return NFE_TRUNC;
		if (!count_fits(r, n, 4))
			return NFE_FORMAT;
		rbuf_skip(r, (size_t)n * 4);
	}
	return NFE_OK;		/* communities and localpref: not read */
}

static int
check_record(uint32_t fmt, struct rbuf *r)
{
	struct nf_addr nh;
	uint32_t hlen;
	int rc;

	switch (fmt) {
	case R_HEADER:
		rbuf_skip(r, 12);
		hlen = rbuf_be32(r);
		if (!rbuf_ok(r))
			return NFE_TRUNC;
		if (hlen > rbuf_remaining(r))
			return NFE_TRUNC;
		return NFE_OK;
	case R_IPV4:
		return rbuf_skip(r, 32) ? NFE_OK : NFE_TRUNC;
	case R_IPV6:
		return rbuf_skip(r, 56) ? NFE_OK : NFE_TRUNC;
	case R_SWITCH:
		return rbuf_skip(r, 16) ? NFE_OK : NFE_TRUNC;
	case R_ROUTER:
		if ((rc = get_addr(r, &nh)) != NFE_OK)
			return rc;
		return rbuf_skip(r, 8) ? NFE_OK : NFE_TRUNC;
	case R_GATEWAY:
		return check_gateway(r);
	default:
		return NFE_OK;		/* skipped by its length */
	}
}

static int
check_flow_sample(uint32_t fmt, struct rbuf *s)
{
	struct rbuf rec;
	uint32_t n, rfmt;
	int rc;

	rbuf_skip(s, fmt == S_FLOW ? 28 : 40);
	n = rbuf_be32(s);
	if (!rbuf_ok(s))
		return NFE_TRUNC;
	if (!count_fits(s, n, SUB_HDR))
		return NFE_FORMAT;
	for (uint32_t i = 0; i < n; i++) {
		if ((rc = next_sub(s, &rfmt, &rec)) != NFE_OK ||
		    (rc = check_record(rfmt, &rec)) != NFE_OK)
			return rc;
	}
	return NFE_OK;
}

static int
check(struct rbuf r, uint32_t nsamples)
{
	struct rbuf s;
	uint32_t fmt;
	int rc;

	if (!count_fits(&r, nsamples, SUB_HDR))
		return NFE_FORMAT;
	for (uint32_t i = 0; i < nsamples; i++) {
		if ((rc = next_sub(&r, &fmt, &s)) != NFE_OK)
			return rc;
		if ((fmt == S_FLOW || fmt == S_FLOW_X) &&
		    (rc = check_flow_sample(fmt, &s)) != NFE_OK)
			return rc;
	}
	return NFE_OK;
}

/* ---- decode ---------------------------------------------------------- */

struct sample {
	struct flowrec	 rec;
	bool		 ip;		/* an IP packet was found */
};

static uint64_t
be48(const uint8_t *p)
{
	return (uint64_t)p[0] << 40 | (uint64_t)p[1] << 32 |
	    (uint64_t)p[2] << 24 | (uint64_t)p[3] << 16 | (uint64_t)p[4] << 8 |
	    p[5];
}

static void
rec_header(struct rbuf *r, struct sample *s)
{
	struct pkt p;
	uint32_t proto, frame_len, hlen;
	int dlt;

	proto = rbuf_be32(r);
	frame_len = rbuf_be32(r);
	rbuf_skip(r, 4);			/* stripped */
	hlen = rbuf_be32(r);
	if ((dlt = header_dlt(proto)) < 0 || !rbuf_need(r, hlen))
		return;
	if (pktdecode_one(dlt, rbuf_ptr(r), hlen, frame_len, &p) != NFE_OK)
		return;
	if (dlt == PKT_DLT_EN10MB && hlen >= 12) {	/* as it came in */
		const uint8_t *h = rbuf_ptr(r);

		s->rec.in_dst_mac = be48(h);
		s->rec.in_src_mac = be48(h + 6);
	}
	s->rec.mpls1 = p.mpls[0];
	s->rec.mpls2 = p.mpls[1];
	s->rec.mpls3 = p.mpls[2];
	s->ip = true;
	s->rec.af = p.key.af;
	s->rec.src = p.key.src;
	s->rec.dst = p.key.dst;
	s->rec.src_port = p.key.sport;
	s->rec.dst_port = p.key.dport;
	s->rec.proto = p.key.proto;
	s->rec.tos = p.key.tos;
	s->rec.tcp_flags = p.tcp_flags;
	s->rec.src_vlan = p.key.vlan;
	s->rec.bytes = frame_len;
}

static void
rec_ip(struct rbuf *r, bool v6, struct sample *s)
{
	uint8_t a[16], b[16];
	uint32_t len, proto, sport, dport, flags, tos;

	len = rbuf_be32(r);
	proto = rbuf_be32(r);
	rbuf_bytes(r, a, v6 ? 16 : 4);
	rbuf_bytes(r, b, v6 ? 16 : 4);
	sport = rbuf_be32(r);
	dport = rbuf_be32(r);
	flags = rbuf_be32(r);
	tos = rbuf_be32(r);
	if (!rbuf_ok(r))
		return;
	s->ip = true;
	s->rec.af = v6 ? 6 : 4;
	if (v6) {
		addr_from_v6(&s->rec.src, a);
		addr_from_v6(&s->rec.dst, b);
	} else {
		addr_from_v4_bytes(&s->rec.src, a);
		addr_from_v4_bytes(&s->rec.dst, b);
	}
	s->rec.proto = (uint8_t)proto;
	s->rec.src_port = (uint16_t)sport;
	s->rec.dst_port = (uint16_t)dport;
	s->rec.tcp_flags = (uint8_t)flags;
	s->rec.tos = (uint8_t)tos;
	s->rec.bytes = len;
}

static void
rec_gateway(struct rbuf *r, struct sample *s)
{
	struct nf_addr nh;
	uint32_t nseg, n, as, last = 0;
	bool any = false;

	if (get_addr(r, &nh) != NFE_OK)
		return;
	rbuf_skip(r, 4);			/* the router's own AS */
	as = rbuf_be32(r);
	rbuf_skip(r, 4);			/* src_peer_as */
	nseg = rbuf_be32(r);
	for (uint32_t i = 0; i < nseg && rbuf_ok(r); i++) {
		rbuf_skip(r, 4);
		n = rbuf_be32(r);
		for (uint32_t k = 0; k < n && rbuf_ok(r); k++) {
			last = rbuf_be32(r);
			any = true;
		}
	}
	if (!rbuf_ok(r))
		return;
	s->rec.src_as = as;
	if (any)
		s->rec.dst_as = last;
}

static void
decode_record(uint32_t fmt, struct rbuf *r, struct sample *s)
{
	struct nf_addr nh;

	switch (fmt) {
	case R_HEADER:
		rec_header(r, s);
		break;
	case R_IPV4:
	case R_IPV6:
		rec_ip(r, fmt == R_IPV6, s);
		break;
	case R_SWITCH:
		s->rec.src_vlan = (uint16_t)rbuf_be32(r);
		rbuf_skip(r, 4);
		s->rec.dst_vlan = (uint16_t)rbuf_be32(r);
		break;
	case R_ROUTER:
		if (get_addr(r, &nh) != NFE_OK)
			break;
		s->rec.nexthop = nh;
		s->rec.src_mask = (uint8_t)rbuf_be32(r);
		s->rec.dst_mask = (uint8_t)rbuf_be32(r);
		break;
	case R_GATEWAY:
		rec_gateway(r, s);
		break;
	default:
		break;
	}
}

static int
flow_sample(uint32_t fmt, struct rbuf *r, const struct nf_decode_ctx *ctx,
    struct nf_out *out, struct nf_dgram_info *info)
{
	struct flowrec *slot;
	struct sample s;
	struct rbuf rec;
	uint32_t rate, in, outif, n, rfmt;

	memset(&s, 0, sizeof(s));
	flowrec_init(&s.rec);
	rbuf_skip(r, 4);			/* sample sequence */
	if (fmt == S_FLOW) {
		rbuf_skip(r, 4);		/* source_id */
		rate = rbuf_be32(r);
		rbuf_skip(r, 8);		/* sample_pool, drops */
		in = rbuf_be32(r) & IF_VALUE;
		outif = rbuf_be32(r) & IF_VALUE;
	} else {
		rbuf_skip(r, 8);
		rate = rbuf_be32(r);
		rbuf_skip(r, 12);
		in = rbuf_be32(r);
		rbuf_skip(r, 4);
		outif = rbuf_be32(r);
	}
	n = rbuf_be32(r);
	for (uint32_t i = 0; i < n && rbuf_ok(r); i++)
		if (next_sub(r, &rfmt, &rec) == NFE_OK)
			decode_record(rfmt, &rec, &s);
	if (!s.ip) {
		info->no_ip++;
		return NFE_OK;
	}
	s.rec.first_ms = s.rec.last_ms = ctx->recv_ms;
	s.rec.packets = 1;
	s.rec.in_if = in;
	s.rec.out_if = outif;
	s.rec.sampling = rate;
	if (rate == 0 && info->samp_bad++ == 0) {
		info->samp_bad_first.why = SW_INTERVAL_ZERO;
		info->samp_bad_first.algorithm = 1;	/* count-based */
	}
	if (rate > 1)
		info->sampling = rate;
	if ((slot = nf_out_slot(out)) == NULL)
		return NFE_LIMIT;		/* a batch without full */
	*slot = s.rec;
	info->records++;
	return nf_out_keep(out);
}

int
sflow_decode(const uint8_t *p, size_t len, const struct nf_decode_ctx *ctx,
    struct nf_dgram_info *info)
{
	struct sflow_peek h;
	struct nf_out out;
	struct rbuf r, s;
	uint32_t fmt;
	int rc;

	memset(info, 0, sizeof(*info));
	info->version = SFLOW_EXPORTER_VERSION;
	rbuf_init(&r, p, len);
	if ((rc = header(&r, &h)) != NFE_OK)
		return rc;
	info->domain = h.sub_agent;
	info->agent = h.agent;
	info->has_seq = true;
	info->seq = h.seq;
	info->seq_step = 1;
	info->sys_uptime_ms = h.uptime_ms;
	info->export_ms = ctx->recv_ms;
	if ((rc = check(r, h.nsamples)) != NFE_OK)
		return rc;
	if (!nf_out_init(&out, ctx))
		return NFE_INTERNAL;
	nf_out_cols(&out, FCOL_ALL);	/* not narrowed: sFlow is not hot */
	for (uint32_t i = 0; i < h.nsamples; i++) {
		if (next_sub(&r, &fmt, &s) != NFE_OK)
			return NFE_INTERNAL;	/* checked: cannot happen */
		switch (fmt) {
		case S_FLOW:
		case S_FLOW_X:
			if ((rc = flow_sample(fmt, &s, ctx, &out, info)) !=
			    NFE_OK)
				return rc;
			break;
		case S_COUNTERS:
		case S_COUNTERS_X:
			info->counters++;
			break;
		default:
			break;		/* another enterprise's sample */
		}
	}
	info->trailing = (uint32_t)rbuf_remaining(&r);
	return NFE_OK;
}
