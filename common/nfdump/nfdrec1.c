/*
 * common/nfdump/nfdrec1.c -- layout 1 (nfdump 1.6) records: extension
 * maps and the common flow record (type 10) laid out by them
 * (nfd_int.h; nfdump's compat_1_6_x/nfx.h).
 *
 * Extension map (type 2), little-endian:
 *   0 u16 type = 2   2 u16 size   4 u16 map_id   6 u16 extension_size
 *   8 u16 ex_id[] ending with 0, padded to a multiple of 4 bytes
 * Valid when every id is a known extension and extension_size is the
 * sum of their sizes (as nfdump's VerifyExtensionMap demands).
 *
 * Common record (type 10):
 *   0 u16 type   2 u16 size   4 u16 flags   6 u16 ext_map
 *   8 u16 msec_first   10 u16 msec_last   12 u32 first   16 u32 last
 *  20 u8 fwd_status  21 u8 tcp_flags  22 u8 proto  23 u8 tos
 *  24 u16 srcPort  26 u16 dstPort (ICMP: type << 8 | code)
 *  28 u16 exporter SysID  30 u8 biFlowDir  31 u8 flowEndReason
 *  32 addresses: 2 x u32 (IPv4) or 2 x two u64 (flags & 1: IPv6)
 *     packets: u32, or u64 (flags & 2); bytes: u32, or u64 (flags & 4)
 *     then the map's extensions, in the map's order.
 * Times are first * 1000 + msec_first (and likewise for last).
 */
#include "common/base/compat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/base/addr.h"
#include "common/base/buf.h"
#include "common/base/nferr.h"
#include "common/nfdump/nfd_int.h"

#define F_IPV6		0x01
#define F_PKG64		0x02
#define F_BYTES64	0x04

#define MAP_HDR		8
#define NEXT		50	/* extension ids 0..49 */

/* Extension sizes, by id (0-3 are the required parts, sized by flags). */
static const uint8_t ext_size[NEXT] = {
	[4] = 4, [5] = 8, [6] = 4, [7] = 8, [8] = 4, [9] = 4, [10] = 16,
	[11] = 4, [12] = 16, [13] = 4, [14] = 4, [15] = 8, [16] = 4,
	[17] = 8, [18] = 4, [19] = 8, [20] = 16, [21] = 16, [22] = 40,
	[23] = 4, [24] = 16, [25] = 4, [26] = 8, [27] = 8,
	[37] = 20, [38] = 4, [39] = 8, [40] = 32, [41] = 24, [42] = 24,
	[43] = 72, [45] = 24, [46] = 12, [48] = 8,
};

int
nfdrec1_map(struct nfd_ctx *x, struct rbuf *rec, char *err, size_t errlen)
{
	struct nfd_map m;
	uint16_t size, id, map_id;
	uint32_t sum = 0;
	size_t slot;

	memset(&m, 0, sizeof(m));
	rbuf_skip(rec, 2);
	size = rbuf_le16(rec);
	map_id = rbuf_le16(rec);
	m.ext_size = rbuf_le16(rec);
	if (!rbuf_ok(rec) || size < MAP_HDR + 2) {
		snprintf(err, errlen, "extension map shorter than its header");
		return NFE_CORRUPT;
	}
	for (;;) {
		id = rbuf_le16(rec);
		if (!rbuf_ok(rec)) {
			snprintf(err, errlen, "extension map %u has no end "
			    "marker", map_id);
			return NFE_CORRUPT;
		}
		if (id == 0)
			break;
		if (id < 4 || id >= NEXT || m.nids == NFD_MAX_MAP_IDS) {
			snprintf(err, errlen, "extension map %u: %s %u",
			    map_id, m.nids == NFD_MAX_MAP_IDS ?
			    "more extensions than" : "unknown extension", id);
			return NFE_CORRUPT;
		}
		m.ids[m.nids++] = id;
		sum += ext_size[id];
	}
	if (sum != m.ext_size) {
		snprintf(err, errlen, "extension map %u: its extensions take %u "
		    "bytes, it says %u", map_id, sum, m.ext_size);
		return NFE_CORRUPT;
	}
	if (x->map_idx == NULL &&
	    (x->map_idx = calloc(65536, sizeof(*x->map_idx))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NFE_NOMEM;
	}
	if (x->map_idx[map_id] != 0)
		slot = x->map_idx[map_id] - 1;	/* a map id may be reused */
	else {
		if (x->nmaps == NFD_MAX_MAPS) {
			snprintf(err, errlen, "more than %d extension maps",
			    NFD_MAX_MAPS);
			return NFE_LIMIT;
		}
		if (x->maps == NULL &&
		    (x->maps = calloc(NFD_MAX_MAPS, sizeof(*x->maps))) == NULL) {
			snprintf(err, errlen, "out of memory");
			return NFE_NOMEM;
		}
		slot = x->nmaps++;
		x->map_idx[map_id] = (uint16_t)(slot + 1);
	}
	x->maps[slot] = m;
	return NFE_OK;
}

/* Bytes of the required parts after the 32-byte head. */
static size_t
required_len(uint16_t flags)
{
	return (flags & F_IPV6 ? 32 : 8) + (flags & F_PKG64 ? 8 : 4) +
	    (flags & F_BYTES64 ? 8 : 4);
}

int
nfdrec1_check(const struct nfd_ctx *x, struct rbuf *rec, char *err,
    size_t errlen)
{
	const struct nfd_map *m;
	uint16_t flags, map_id;
	size_t need;

	rbuf_skip(rec, NFD_REC_HDR);
	flags = rbuf_le16(rec);
	map_id = rbuf_le16(rec);
	if (!rbuf_ok(rec) || rec->len < NFD_COMMON_HDR) {
		snprintf(err, errlen, "flow record shorter than its header");
		return NFE_CORRUPT;
	}
	if (x->map_idx == NULL || x->map_idx[map_id] == 0) {
		snprintf(err, errlen, "flow record names extension map %u, "
		    "which no map record defined", map_id);
		return NFE_CORRUPT;
	}
	m = &x->maps[x->map_idx[map_id] - 1];
	need = NFD_COMMON_HDR + required_len(flags) + m->ext_size;
	if (rec->len < need) {
		snprintf(err, errlen, "flow record of %zu bytes, its extension "
		    "map %u needs %zu", rec->len, map_id, need);
		return NFE_CORRUPT;
	}
	return NFE_OK;
}

static void
ext_decode(unsigned id, struct rbuf *b, struct flowrec *r,
    struct nf_addr *recv, bool *have_recv)
{
	uint64_t v;

	switch (id) {
	case 4:
		r->in_if = rbuf_le16(b);
		r->out_if = rbuf_le16(b);
		break;
	case 5:
		r->in_if = rbuf_le32(b);
		r->out_if = rbuf_le32(b);
		break;
	case 6:
		r->src_as = rbuf_le16(b);
		r->dst_as = rbuf_le16(b);
		break;
	case 7:
		r->src_as = rbuf_le32(b);
		r->dst_as = rbuf_le32(b);
		break;
	case 8:
		rbuf_skip(b, 1);		/* dst tos */
		r->direction = rbuf_u8(b);
		r->src_mask = rbuf_u8(b);
		r->dst_mask = rbuf_u8(b);
		break;
	case 9:
		nfd_get_v4(b, &r->nexthop);
		break;
	case 10:
		nfd_get_v6(b, &r->nexthop);
		break;
	case 11:
		nfd_get_v4(b, &r->bgp_nexthop);
		break;
	case 12:
		nfd_get_v6(b, &r->bgp_nexthop);
		break;
	case 20:
		r->in_src_mac = rbuf_le64(b);
		r->out_dst_mac = rbuf_le64(b);
		break;
	case 21:
		r->in_dst_mac = rbuf_le64(b);
		r->out_src_mac = rbuf_le64(b);
		break;
	case 22:
		nfd_get_mpls(b, r);
		break;
	case 27:
		r->received_ms = rbuf_le64(b);
		break;
	case 13:
		r->src_vlan = rbuf_le16(b);
		r->dst_vlan = rbuf_le16(b);
		break;
	case 14:			/* out packets, bytes (biflows) */
		r->out_packets = rbuf_le32(b);
		break;
	case 15:
		r->out_packets = rbuf_le64(b);
		break;
	case 16:
		r->out_bytes = rbuf_le32(b);
		break;
	case 17:
		r->out_bytes = rbuf_le64(b);
		break;
	case 18:
		v = rbuf_le32(b);
		r->flows = v == 0 ? 1 : (uint32_t)v;
		break;
	case 19:
		v = rbuf_le64(b);
		r->flows = v == 0 ? 1 : v > UINT32_MAX ? UINT32_MAX :
		    (uint32_t)v;
		break;
	case 23:
		nfd_get_v4(b, recv);
		*have_recv = true;
		break;
	case 24:
		nfd_get_v6(b, recv);
		*have_recv = true;
		break;
	case 25:
		rbuf_skip(b, 2);
		r->engine_type = rbuf_u8(b);
		r->engine_id = rbuf_u8(b);
		break;
	default:
		break;			/* not a flowkit field: skipped */
	}
}

int
nfdrec1_flow(struct nfd_ctx *x, struct rbuf *rec, struct flowrec *r)
{
	const struct nfd_map *m;
	struct rbuf b;
	struct nf_addr recv;
	bool have_recv = false;
	uint16_t flags, map_id, msf, msl, sysid;
	uint32_t first, last;
	int xi;

	flowrec_init(r);
	rbuf_skip(rec, NFD_REC_HDR);
	flags = rbuf_le16(rec);
	map_id = rbuf_le16(rec);
	if (x->map_idx == NULL || x->map_idx[map_id] == 0)
		return NFE_UNSUPP;
	m = &x->maps[x->map_idx[map_id] - 1];
	if (rec->len < NFD_COMMON_HDR + required_len(flags) + m->ext_size)
		return NFE_UNSUPP;
	msf = rbuf_le16(rec);
	msl = rbuf_le16(rec);
	first = rbuf_le32(rec);
	last = rbuf_le32(rec);
	rbuf_skip(rec, 1);			/* fwd_status */
	r->tcp_flags = rbuf_u8(rec);
	r->proto = rbuf_u8(rec);
	r->tos = rbuf_u8(rec);
	r->src_port = rbuf_le16(rec);
	r->dst_port = rbuf_le16(rec);
	sysid = rbuf_le16(rec);
	rbuf_skip(rec, 1);			/* biFlowDir */
	r->end_reason = rbuf_u8(rec);
	r->first_ms = (uint64_t)first * 1000 + msf;
	r->last_ms = (uint64_t)last * 1000 + msl;
	if (flags & F_IPV6) {
		r->af = 6;
		nfd_get_v6(rec, &r->src);
		nfd_get_v6(rec, &r->dst);
	} else {
		r->af = 4;
		nfd_get_v4(rec, &r->src);
		nfd_get_v4(rec, &r->dst);
	}
	r->packets = flags & F_PKG64 ? rbuf_le64(rec) : rbuf_le32(rec);
	r->bytes = flags & F_BYTES64 ? rbuf_le64(rec) : rbuf_le32(rec);
	for (unsigned i = 0; i < m->nids; i++) {
		rbuf_sub(rec, ext_size[m->ids[i]], &b);
		ext_decode(m->ids[i], &b, r, &recv, &have_recv);
	}
	xi = nfd_exporter_for(x, sysid, have_recv ? &recv : NULL);
	r->exporter = xi < 0 ? UINT16_MAX : (uint16_t)xi;
	/* the sampled flag can come before (or without) any sampler record */
	if ((flags & 0x80) && x->sampler != NULL && x->sampler[sysid] > 1)
		r->sampling = x->sampler[sysid];
	return rbuf_ok(rec) ? NFE_OK : NFE_UNSUPP;
}
