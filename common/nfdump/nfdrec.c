/*
 * common/nfdump/nfdrec.c -- the records of an nfdump data block: the
 * layout 2 flow record (V3, type 11) and the records both layouts
 * share (exporter info, exporter statistics, samplers); layout 1 flow
 * records and extension maps are nfdrec1.c's (nfd_int.h).
 *
 * V3 record (nfdump 1.7 nfxV3.h), little-endian:
 *
 *   0  u16 type = 11   2  u16 size   4  u16 numElements
 *   6  u8 engineType   7  u8 engineID   8  u16 exporterID (SysID)
 *  10  u8 flags (1 event, 2 sampled: counters scaled, 4 anonymised)
 *  11  u8 nfversion
 *  12  elements: {u16 type, u16 length incl. these 4 bytes} + body
 *
 * The elements flowkit has fields for (element: body bytes read):
 *   1 generic (48): msecFirst, msecLast, msecReceived, inPackets,
 *     inBytes (u64); srcPort, dstPort (u16; ICMP: type << 8 | code);
 *     proto, tcpFlags, fwdStatus, srcTos (u8)
 *   2 IPv4 (8): src, dst    3 IPv6 (32): src, dst (two u64 each)
 *   4 misc (14): input, output (u32); srcMask, dstMask, dir, dstTos,
 *     biFlowDir, flowEndReason (u8)
 *   5 counters (8): flows, then (when the element holds them, as
 *     nfdump 1.7 writes it: 24 bytes) outPackets, outBytes (u64)
 *   6 VLAN (8): src, dst (u32)      7 AS (8): src, dst (u32)
 *   10/11 IP next hop v4 (4) / v6 (16)
 *   12/13 IP of the exporter the flow came from, v4 (4) / v6 (16)
 * Every other element is skipped by its length; so are elements of
 * nfdump releases newer than flowkit knows.
 */
#include "common/base/compat.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/base/addr.h"
#include "common/base/buf.h"
#include "common/base/nferr.h"
#include "common/nfdump/nfd_int.h"

#define V3_FLAG_SAMPLED		0x02

/* V3 element ids and the body bytes read of each */
#define EX_GENERIC		1
#define EX_IPV4			2
#define EX_IPV6			3
#define EX_MISC			4
#define EX_CNT			5
#define EX_VLAN			6
#define EX_AS			7
#define EX_BGP4			8
#define EX_BGP6			9
#define EX_NH4			10
#define EX_NH6			11
#define EX_RECV4		12
#define EX_RECV6		13
#define EX_MPLS			14	/* ten u32 stack entries */
#define EX_MAC			15	/* in src, out dst, in dst, out src */
#define EX_XLATE4		20	/* post-NAT src, dst */
#define EX_XLATE6		21
#define EX_XLATE_PORT		22	/* post-NAPT src, dst ports */
#define EX_NEL			25	/* ms, [VRFs,] pool, natEvent */
#define EX_NEL_BLOCK		26	/* port block start, end, step, size */
#define EX_VRF			36	/* egress, ingress */

#define AF_INET6_LINUX		10	/* sa_family of an IPv6 exporter */

static const uint8_t elem_need[] = {
	[EX_GENERIC] = 48, [EX_IPV4] = 8, [EX_IPV6] = 32, [EX_MISC] = 14,
	[EX_CNT] = 8, [EX_VLAN] = 8, [EX_AS] = 8, [EX_NH4] = 4, [EX_NH6] = 16,
	[EX_RECV4] = 4, [EX_RECV6] = 16, [EX_BGP4] = 4, [EX_BGP6] = 16,
	[EX_MPLS] = 40, [EX_MAC] = 32, [EX_XLATE4] = 8, [EX_XLATE6] = 32,
	[EX_XLATE_PORT] = 4, [EX_NEL] = 16, [EX_NEL_BLOCK] = 8, [EX_VRF] = 8,
};

static int NF_PRINTF(4, 5)
fail(int code, char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err != NULL && errlen > 0) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return code;
}

int
nfd_ctx_init(struct nfd_ctx *x)
{
	memset(x, 0, sizeof(*x));
	x->sysid_idx = calloc(65536, sizeof(*x->sysid_idx));
	if (x->sysid_idx == NULL)
		return NFE_NOMEM;
	return NFE_OK;		/* sampler and map_idx: when first needed */
}

void
nfd_ctx_fini(struct nfd_ctx *x)
{
	free(x->xs);
	free(x->sysid_idx);
	free(x->sampler);
	free(x->maps);
	free(x->map_idx);
	memset(x, 0, sizeof(*x));
}

void
nfd_get_v4(struct rbuf *r, struct nf_addr *a)
{
	addr_from_v4(a, rbuf_le32(r));
}

void
nfd_get_mpls(struct rbuf *b, struct flowrec *r)
{
	r->mpls1 = rbuf_le32(b);
	r->mpls2 = rbuf_le32(b);
	r->mpls3 = rbuf_le32(b);
	r->mpls4 = rbuf_le32(b);
	r->mpls5 = rbuf_le32(b);
	r->mpls6 = rbuf_le32(b);
	r->mpls7 = rbuf_le32(b);
	r->mpls8 = rbuf_le32(b);
	r->mpls9 = rbuf_le32(b);
	r->mpls10 = rbuf_le32(b);
}

void
nfd_get_v6(struct rbuf *r, struct nf_addr *a)
{
	uint64_t hi = rbuf_le64(r), lo = rbuf_le64(r);
	uint8_t b[16];

	for (int i = 0; i < 8; i++) {
		b[i] = (uint8_t)(hi >> (56 - 8 * i));
		b[8 + i] = (uint8_t)(lo >> (56 - 8 * i));
	}
	addr_from_v6(a, b);
}

int
nfd_exporter_for(struct nfd_ctx *x, uint16_t sysid, const struct nf_addr *addr)
{
	struct ffile_exporter *e;

	if (x->sysid_idx[sysid] != 0) {
		e = &x->xs[x->sysid_idx[sysid] - 1];
		if (addr != NULL && addr_is_zero(&e->addr))
			e->addr = *addr;
		return x->sysid_idx[sysid] - 1;
	}
	if (x->nxs >= NFD_MAX_EXPORTERS)
		return -1;
	if (x->nxs == x->xcap) {
		size_t cap = x->xcap ? x->xcap * 2 : 8;
		struct ffile_exporter *p = realloc(x->xs, cap * sizeof(*p));

		if (p == NULL)
			return -1;
		x->xs = p;
		x->xcap = cap;
	}
	e = &x->xs[x->nxs];
	memset(e, 0, sizeof(*e));
	if (addr != NULL)
		e->addr = *addr;
	else
		addr_from_v4(&e->addr, 0);
	x->sysid_idx[sysid] = (uint16_t)(++x->nxs);
	return (int)x->nxs - 1;
}

/* ---- checking ------------------------------------------------------ */

static int
check_v3(struct rbuf *rec, char *err, size_t errlen)
{
	uint16_t nel, type, len;

	rbuf_skip(rec, NFD_REC_HDR);
	nel = rbuf_le16(rec);
	rbuf_skip(rec, NFD_V3_HDR - 6);
	if (!rbuf_ok(rec))
		return fail(NFE_CORRUPT, err, errlen, "V3 record shorter than "
		    "its header");
	for (unsigned i = 0; i < nel; i++) {
		type = rbuf_le16(rec);
		len = rbuf_le16(rec);
		if (!rbuf_ok(rec))
			return fail(NFE_CORRUPT, err, errlen, "V3 record: "
			    "element %u of %u past the record's end", i + 1,
			    nel);
		if (len < NFD_ELEM_HDR || !rbuf_skip(rec, len - NFD_ELEM_HDR))
			return fail(NFE_CORRUPT, err, errlen, "V3 record: "
			    "element %u (type %u) has length %u, past the "
			    "record's end", i + 1, type, len);
		if (type < sizeof(elem_need) && elem_need[type] != 0 &&
		    len - NFD_ELEM_HDR < elem_need[type])
			return fail(NFE_CORRUPT, err, errlen, "V3 record: "
			    "element type %u of %u bytes, too short", type,
			    len);
	}
	return NFE_OK;
}

int
nfdrec_check(struct nfd_ctx *x, struct rbuf *blk, uint32_t nrec, char *err,
    size_t errlen)
{
	struct rbuf rec;
	uint16_t type, size;
	int rc;

	for (uint32_t i = 0; i < nrec; i++) {
		type = rbuf_le16(blk);
		size = rbuf_le16(blk);
		if (!rbuf_ok(blk))
			return fail(NFE_CORRUPT, err, errlen, "record %u of %u "
			    "past the block's end", i + 1, nrec);
		if (size < NFD_REC_HDR || (size_t)size - NFD_REC_HDR >
		    rbuf_remaining(blk))
			return fail(NFE_CORRUPT, err, errlen, "record %u of %u "
			    "(type %u) has size %u, %s", i + 1, nrec, type,
			    size, size < NFD_REC_HDR ? "below its header" :
			    "past the block's end");
		blk->off -= NFD_REC_HDR;
		rbuf_sub(blk, size, &rec);
		rc = NFE_OK;
		switch (type) {
		case NFD_R_V3:
			rc = check_v3(&rec, err, errlen);
			break;
		case NFD_R_EXTMAP:
			rc = nfdrec1_map(x, &rec, err, errlen);
			break;
		case NFD_R_COMMON:
			rc = nfdrec1_check(x, &rec, err, errlen);
			break;
		default:
			break;
		}
		if (rc != NFE_OK) {
			char m[160];

			snprintf(m, sizeof(m), "%s", err);
			return fail(rc, err, errlen, "record %u of %u: %s",
			    i + 1, nrec, m);
		}
	}
	return NFE_OK;
}

/* ---- decoding ------------------------------------------------------ */

static void
v3_elem(uint16_t type, struct rbuf *b, struct flowrec *r, struct nf_addr *recv,
    bool *have_recv)
{
	uint64_t v;

	switch (type) {
	case EX_GENERIC:
		r->first_ms = rbuf_le64(b);
		r->last_ms = rbuf_le64(b);
		r->received_ms = rbuf_le64(b);
		r->packets = rbuf_le64(b);
		r->bytes = rbuf_le64(b);
		r->src_port = rbuf_le16(b);
		r->dst_port = rbuf_le16(b);
		r->proto = rbuf_u8(b);
		r->tcp_flags = rbuf_u8(b);
		r->fwd_status = rbuf_u8(b);
		r->tos = rbuf_u8(b);
		break;
	case EX_IPV4:
		r->af = 4;
		nfd_get_v4(b, &r->src);
		nfd_get_v4(b, &r->dst);
		break;
	case EX_IPV6:
		r->af = 6;
		nfd_get_v6(b, &r->src);
		nfd_get_v6(b, &r->dst);
		break;
	case EX_MISC:
		r->in_if = rbuf_le32(b);
		r->out_if = rbuf_le32(b);
		r->src_mask = rbuf_u8(b);
		r->dst_mask = rbuf_u8(b);
		r->direction = rbuf_u8(b);
		rbuf_skip(b, 2);		/* dstTos, biFlowDir */
		r->end_reason = rbuf_u8(b);
		break;
	case EX_CNT:
		v = rbuf_le64(b);
		r->flows = v == 0 ? 1 : v > UINT32_MAX ? UINT32_MAX :
		    (uint32_t)v;
		if (rbuf_remaining(b) >= 16) {	/* biflow: out counters */
			r->out_packets = rbuf_le64(b);
			r->out_bytes = rbuf_le64(b);
		}
		break;
	case EX_VLAN:
		r->src_vlan = (uint16_t)rbuf_le32(b);
		r->dst_vlan = (uint16_t)rbuf_le32(b);
		break;
	case EX_AS:
		r->src_as = rbuf_le32(b);
		r->dst_as = rbuf_le32(b);
		break;
	case EX_BGP4:
		nfd_get_v4(b, &r->bgp_nexthop);
		break;
	case EX_BGP6:
		nfd_get_v6(b, &r->bgp_nexthop);
		break;
	case EX_MPLS:
		nfd_get_mpls(b, r);
		break;
	case EX_MAC:
		r->in_src_mac = rbuf_le64(b);
		r->out_dst_mac = rbuf_le64(b);
		r->in_dst_mac = rbuf_le64(b);
		r->out_src_mac = rbuf_le64(b);
		break;
	case EX_XLATE4:
		nfd_get_v4(b, &r->nat_src);
		nfd_get_v4(b, &r->nat_dst);
		break;
	case EX_XLATE6:
		nfd_get_v6(b, &r->nat_src);
		nfd_get_v6(b, &r->nat_dst);
		break;
	case EX_XLATE_PORT:
		r->nat_src_port = rbuf_le16(b);
		r->nat_dst_port = rbuf_le16(b);
		break;
	case EX_NEL:
		rbuf_skip(b, 8);		/* msecEvent */
		if (rbuf_remaining(b) >= 16) {	/* older: with the VRFs */
			r->out_vrf = rbuf_le32(b);
			r->in_vrf = rbuf_le32(b);
		}
		rbuf_skip(b, 4);		/* natPoolID */
		r->nat_event = rbuf_u8(b);
		break;
	case EX_NEL_BLOCK:
		r->pb_start = rbuf_le16(b);
		r->pb_end = rbuf_le16(b);
		r->pb_step = rbuf_le16(b);
		r->pb_size = rbuf_le16(b);
		break;
	case EX_VRF:
		r->out_vrf = rbuf_le32(b);
		r->in_vrf = rbuf_le32(b);
		break;
	case EX_NH4:
		nfd_get_v4(b, &r->nexthop);
		break;
	case EX_NH6:
		nfd_get_v6(b, &r->nexthop);
		break;
	case EX_RECV4:
		nfd_get_v4(b, recv);
		*have_recv = true;
		break;
	case EX_RECV6:
		nfd_get_v6(b, recv);
		*have_recv = true;
		break;
	default:
		break;
	}
}

static void
decode_v3(struct nfd_ctx *x, struct rbuf *rec, struct flowrec *r)
{
	struct rbuf body;
	struct nf_addr recv;
	bool have_recv = false;
	uint16_t nel, sysid, type, len;
	uint8_t flags;
	int xi;

	flowrec_init(r);
	rbuf_skip(rec, NFD_REC_HDR);
	nel = rbuf_le16(rec);
	r->engine_type = rbuf_u8(rec);
	r->engine_id = rbuf_u8(rec);
	sysid = rbuf_le16(rec);
	flags = rbuf_u8(rec);
	rbuf_skip(rec, 1);			/* nfversion */
	for (unsigned i = 0; i < nel; i++) {
		type = rbuf_le16(rec);
		len = rbuf_le16(rec);
		if (!rbuf_ok(rec) || len < NFD_ELEM_HDR)
			break;			/* checked: cannot happen */
		rbuf_sub(rec, len - NFD_ELEM_HDR, &body);
		v3_elem(type, &body, r, &recv, &have_recv);
	}
	xi = nfd_exporter_for(x, sysid, have_recv ? &recv : NULL);
	r->exporter = xi < 0 ? UINT16_MAX : (uint16_t)xi;
	if ((flags & V3_FLAG_SAMPLED) && x->sampler != NULL &&
	    x->sampler[sysid] > 1)
		r->sampling = x->sampler[sysid];
}

/*
 * Exporter info: u32 version, 16-byte address (IPv4 as a u32 at offset
 * 8, IPv6 as two u64), u16 sa_family, u16 SysID, u32 id.
 */
static int
decode_exporter(struct nfd_ctx *x, struct rbuf *rec, char *err, size_t errlen)
{
	struct rbuf ip;
	struct nf_addr a;
	uint32_t version, id;
	uint16_t family, sysid;
	int xi;

	rbuf_skip(rec, NFD_REC_HDR);
	version = rbuf_le32(rec);
	rbuf_sub(rec, 16, &ip);
	family = rbuf_le16(rec);
	sysid = rbuf_le16(rec);
	id = rbuf_le32(rec);
	if (!rbuf_ok(rec)) {
		x->skipped++;		/* too short to be one: ignored */
		return NFE_OK;
	}
	if (family == AF_INET6_LINUX)
		nfd_get_v6(&ip, &a);
	else {
		rbuf_skip(&ip, 8);
		nfd_get_v4(&ip, &a);
	}
	if ((xi = nfd_exporter_for(x, sysid, NULL)) < 0)
		return fail(NFE_LIMIT, err, errlen, "more than %d exporters",
		    NFD_MAX_EXPORTERS);
	x->xs[xi].addr = a;
	x->xs[xi].version = version > UINT16_MAX ? UINT16_MAX :
	    (uint16_t)version;
	x->xs[xi].domain = id;
	return NFE_OK;
}

/* Exporter statistics: u32 count, then {u32 SysID, u32 sequence
 * failures, u64 packets, u64 flows} per exporter. */
static void
decode_xstat(struct nfd_ctx *x, struct rbuf *rec)
{
	uint32_t n, sysid, fail_seq;
	uint64_t pkts, flows;
	int xi;

	rbuf_skip(rec, NFD_REC_HDR);
	n = rbuf_le32(rec);
	for (uint32_t i = 0; i < n && rbuf_ok(rec); i++) {
		sysid = rbuf_le32(rec);
		fail_seq = rbuf_le32(rec);
		pkts = rbuf_le64(rec);
		flows = rbuf_le64(rec);
		if (!rbuf_ok(rec) || sysid > UINT16_MAX)
			break;
		if ((xi = nfd_exporter_for(x, (uint16_t)sysid, NULL)) < 0)
			break;
		x->xs[xi].stats.seq_gaps += fail_seq;
		x->xs[xi].stats.datagrams += pkts;
		x->xs[xi].stats.records += flows;
	}
}

/*
 * Samplers.  Type 9 (nfdump 1.6 to 1.7.1): i32 id, u32 interval, u16
 * mode, u16 SysID.  Type 15 (1.7.2 on): u16 SysID, u16 algorithm, i64
 * id, u32 packetInterval, u32 spaceInterval (1 in N: 1 and N - 1).
 */
static void
decode_sampler(struct nfd_ctx *x, uint16_t type, struct rbuf *rec)
{
	uint32_t rate, pi, si;
	uint16_t sysid;

	rbuf_skip(rec, NFD_REC_HDR);
	if (type == NFD_R_SAMPLER_OLD) {
		rbuf_skip(rec, 4);
		rate = rbuf_le32(rec);
		rbuf_skip(rec, 2);
		sysid = rbuf_le16(rec);
	} else {
		sysid = rbuf_le16(rec);
		rbuf_skip(rec, 2 + 8);
		pi = rbuf_le32(rec);
		si = rbuf_le32(rec);
		rate = pi == 0 ? 0 : (uint32_t)(((uint64_t)pi + si) / pi);
	}
	if (!rbuf_ok(rec) || rate == 0)
		return;
	if (x->sampler == NULL &&
	    (x->sampler = calloc(65536, sizeof(*x->sampler))) == NULL)
		return;			/* no memory: rate not recorded */
	x->sampler[sysid] = rate;
}

int
nfdrec_decode(struct nfd_ctx *x, struct rbuf *blk, struct flowrec *r,
    bool *flow, char *err, size_t errlen)
{
	struct rbuf rec;
	uint16_t type, size;
	int rc = NFE_OK;

	*flow = false;
	type = rbuf_le16(blk);
	size = rbuf_le16(blk);
	if (!rbuf_ok(blk) || size < NFD_REC_HDR)
		return fail(NFE_CORRUPT, err, errlen, "record past the block's "
		    "end");
	blk->off -= NFD_REC_HDR;
	if (!rbuf_sub(blk, size, &rec))
		return fail(NFE_CORRUPT, err, errlen, "record past the block's "
		    "end");
	switch (type) {
	case NFD_R_V3:
		decode_v3(x, &rec, r);
		*flow = true;
		break;
	case NFD_R_COMMON:
		if ((rc = nfdrec1_flow(x, &rec, r)) == NFE_OK)
			*flow = true;
		else if (rc == NFE_UNSUPP) {
			x->skipped++;	/* map replaced by a broken one */
			rc = NFE_OK;
		}
		break;
	case NFD_R_EXTMAP:
		rc = nfdrec1_map(x, &rec, err, errlen);
		break;
	case NFD_R_EXPORTER:
		rc = decode_exporter(x, &rec, err, errlen);
		break;
	case NFD_R_XSTAT:
		decode_xstat(x, &rec);
		break;
	case NFD_R_SAMPLER_OLD:
	case NFD_R_SAMPLER:
		decode_sampler(x, type, &rec);
		break;
	default:
		x->skipped++;
		break;
	}
	return rc;
}
