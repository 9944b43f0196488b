/*
 * common/codec/nf5.c -- NetFlow v1/v5/v7 decoder and v5 encoder.
 *
 * The layouts are drawn in common/codec/nf5.h.  The decoder checks the whole
 * datagram (header, count range, count * record length) before it
 * passes a single record to the sink, then reads each record through
 * its own sub-reader, so a record can never read into the next one.
 * It must never log, allocate or keep a pointer into the datagram.
 */
#include "common/base/compat.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "common/base/addr.h"
#include "common/base/buf.h"
#include "common/base/nferr.h"
#include "common/base/timeutil.h"
#include "common/codec/nf5.h"

struct nf5_hdr {
	uint16_t	version;
	uint16_t	count;
	uint32_t	uptime;
	uint32_t	secs;
	uint32_t	nsecs;
	uint32_t	seq;
	uint8_t		engine_type;
	uint8_t		engine_id;
	uint16_t	sampling;
	uint64_t	export_ms;
};

/* Per-version framing: header and record length, largest count. */
struct nf5_layout {
	size_t		hdr_len;
	size_t		rec_len;
	uint16_t	max_recs;
};

static const struct nf5_layout *
nf5_layout(uint16_t version)
{
	static const struct nf5_layout v1 = {
		NF1_HDR_LEN, NF1_REC_LEN, NF1_MAX_RECS
	};
	static const struct nf5_layout v5 = {
		NF5_HDR_LEN, NF5_REC_LEN, NF5_MAX_RECS
	};
	static const struct nf5_layout v7 = {
		NF7_HDR_LEN, NF7_REC_LEN, NF7_MAX_RECS
	};

	switch (version) {
	case 1:
		return &v1;
	case 5:
		return &v5;
	case 7:
		return &v7;
	default:
		return NULL;
	}
}

static void
read_addr(struct rbuf *r, struct nf_addr *a)
{
	addr_from_v4(a, rbuf_be32(r));
}

/*
 * Read one record from its own sub-reader r (exactly rec_len bytes)
 * into rec.  The caller has checked the length, so this cannot fail.
 */
static void
decode_record(struct rbuf *r, const struct nf5_hdr *h, struct flowrec *rec)
{
	uint32_t first, last;

	flowrec_init(rec);
	rec->af = 4;
	read_addr(r, &rec->src);
	read_addr(r, &rec->dst);
	read_addr(r, &rec->nexthop);
	rec->in_if = rbuf_be16(r);
	rec->out_if = rbuf_be16(r);
	rec->packets = rbuf_be32(r);
	rec->bytes = rbuf_be32(r);
	first = rbuf_be32(r);
	last = rbuf_be32(r);
	rec->first_ms = time_from_uptime(h->export_ms, h->uptime, first);
	rec->last_ms = time_from_uptime(h->export_ms, h->uptime, last);
	rec->src_port = rbuf_be16(r);
	rec->dst_port = rbuf_be16(r);

	if (h->version == 1) {
		rbuf_skip(r, 2);			/* pad */
		rec->proto = rbuf_u8(r);
		rec->tos = rbuf_u8(r);
		rec->tcp_flags = rbuf_u8(r);
		return;					/* 7 bytes pad */
	}
	rbuf_skip(r, 1);		/* v5 pad, v7 "fields invalid" flags */
	rec->tcp_flags = rbuf_u8(r);
	rec->proto = rbuf_u8(r);
	rec->tos = rbuf_u8(r);
	rec->src_as = rbuf_be16(r);
	rec->dst_as = rbuf_be16(r);
	rec->src_mask = rbuf_u8(r);
	rec->dst_mask = rbuf_u8(r);
	/* v5: 2 bytes pad; v7: flags2 and router_sc, no flowrec field */
	if (h->version == 5) {
		rec->engine_type = h->engine_type;
		rec->engine_id = h->engine_id;
		rec->sampling = nf5_sampling_split(h->sampling, NULL);
	}
}

int
nf5_peek(const uint8_t *p, size_t len, struct nf_peek *pk)
{
	const struct nf5_layout *lay;
	struct rbuf r;
	uint16_t version;
	uint8_t et, ei;

	rbuf_init(&r, p, len);
	version = rbuf_be16(&r);
	if (!rbuf_ok(&r))
		return NFE_TRUNC;
	if ((lay = nf5_layout(version)) == NULL)
		return NFE_UNSUPP;
	pk->domain = 0;
	if (version == 5) {
		/* version count uptime secs nsecs seq | type id */
		rbuf_skip(&r, 18);
		et = rbuf_u8(&r);
		ei = rbuf_u8(&r);
		if (!rbuf_ok(&r))
			return NFE_TRUNC;
		pk->domain = (uint32_t)et << 8 | ei;
	}
	if (len < lay->hdr_len)
		return NFE_OK;		/* the key is all there is */
	pk->whole = true;
	pk->count = (uint32_t)(p[2] << 8 | p[3]);
	if (version != 1) {
		rbuf_init(&r, p + 16, 4);
		pk->seq = rbuf_be32(&r);
		pk->has_seq = true;
	}
	return NFE_OK;
}

int
nf5_decode(const uint8_t *p, size_t len, const struct nf_decode_ctx *ctx,
    struct nf_dgram_info *info)
{
	const struct nf5_layout *lay;
	struct nf5_hdr h;
	struct nf_out out;
	struct flowrec *rec;
	struct rbuf r, sub;
	size_t need;
	int rc;

	memset(info, 0, sizeof(*info));
	memset(&h, 0, sizeof(h));
	rbuf_init(&r, p, len);
	h.version = rbuf_be16(&r);
	if (!rbuf_ok(&r))
		return NFE_TRUNC;
	if ((lay = nf5_layout(h.version)) == NULL)
		return NFE_UNSUPP;
	info->version = h.version;

	h.count = rbuf_be16(&r);
	h.uptime = rbuf_be32(&r);
	h.secs = rbuf_be32(&r);
	h.nsecs = rbuf_be32(&r);
	if (h.version != 1) {
		h.seq = rbuf_be32(&r);
		if (h.version == 5) {
			h.engine_type = rbuf_u8(&r);
			h.engine_id = rbuf_u8(&r);
			h.sampling = rbuf_be16(&r);
		} else
			rbuf_skip(&r, 4);	/* v7: reserved */
	}
	if (!rbuf_ok(&r))
		return NFE_TRUNC;
	if (h.count == 0 || h.count > lay->max_recs)
		return NFE_FORMAT;
	/* count <= 30: no overflow */
	need = (size_t)h.count * lay->rec_len;
	if (rbuf_remaining(&r) < need)
		return NFE_TRUNC;

	h.export_ms = (uint64_t)h.secs * 1000 + h.nsecs / 1000000;
	info->export_ms = h.export_ms;
	info->sys_uptime_ms = h.uptime;
	info->trailing = (uint32_t)(rbuf_remaining(&r) - need);
	if (h.version != 1) {
		info->has_seq = true;
		info->seq = h.seq;
		info->seq_step = h.count;
	}
	if (h.version == 5) {
		info->domain = (uint32_t)h.engine_type << 8 | h.engine_id;
		info->sampling = nf5_sampling_split(h.sampling, NULL);
	}

	if (!nf_out_init(&out, ctx))
		return NFE_INTERNAL;
	nf_out_cols(&out, FCOL_LEGACY);	/* decode_record: no newer field */
	for (uint16_t i = 0; i < h.count; i++) {
		if ((rec = nf_out_slot(&out)) == NULL)
			return NFE_LIMIT;	/* a batch without full */
		if (!rbuf_sub(&r, lay->rec_len, &sub))
			return NFE_INTERNAL;	/* length checked above */
		decode_record(&sub, &h, rec);
		if (!rbuf_ok(&sub))
			return NFE_INTERNAL;
		if ((rc = nf_out_keep(&out)) != 0)
			return rc;
		info->records++;
	}
	return NFE_OK;
}

static uint32_t
clamp32(uint64_t v)
{
	return v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
}

static uint16_t
as16(uint32_t as)
{
	return as > UINT16_MAX ? NF5_AS_TRANS : (uint16_t)as;
}

static uint16_t
if16(uint32_t ifindex)
{
	return ifindex > UINT16_MAX ? 0 : (uint16_t)ifindex;
}

/* ms clamped to export_ms +- (2^31 - 1), as sysUptime relative to boot */
static uint32_t
uptime_of(const struct nf5_enc_params *prm, uint64_t ms)
{
	const uint64_t win = (UINT64_C(1) << 31) - 1;

	if (prm->export_ms > win && ms < prm->export_ms - win)
		ms = prm->export_ms - win;
	else if (ms > prm->export_ms && ms - prm->export_ms > win)
		ms = prm->export_ms + win;
	return (uint32_t)(ms - prm->boot_ms);		/* mod 2^32 */
}

static void
encode_record(struct wbuf *w, const struct nf5_enc_params *prm,
    const struct flowrec *rec)
{
	wbuf_be32(w, addr_v4(&rec->src));
	wbuf_be32(w, addr_v4(&rec->dst));
	wbuf_be32(w, addr_is_v4(&rec->nexthop) ? addr_v4(&rec->nexthop) : 0);
	wbuf_be16(w, if16(rec->in_if));
	wbuf_be16(w, if16(rec->out_if));
	wbuf_be32(w, clamp32(rec->packets));
	wbuf_be32(w, clamp32(rec->bytes));
	wbuf_be32(w, uptime_of(prm, rec->first_ms));
	wbuf_be32(w, uptime_of(prm, rec->last_ms));
	wbuf_be16(w, rec->src_port);
	wbuf_be16(w, rec->dst_port);
	wbuf_u8(w, 0);				/* pad1 */
	wbuf_u8(w, rec->tcp_flags);
	wbuf_u8(w, rec->proto);
	wbuf_u8(w, rec->tos);
	wbuf_be16(w, as16(rec->src_as));
	wbuf_be16(w, as16(rec->dst_as));
	wbuf_u8(w, rec->src_mask);
	wbuf_u8(w, rec->dst_mask);
	wbuf_be16(w, 0);			/* pad2 */
}

int
nf5_encode(const struct nf5_enc_params *prm, const struct flowrec *recs,
    size_t n, uint8_t *buf, size_t cap, struct nf5_enc_result *res)
{
	struct wbuf w;
	size_t i, count_at;
	uint16_t count = 0;

	memset(res, 0, sizeof(*res));
	if (cap < NF5_HDR_LEN + NF5_REC_LEN || prm->sampling_mode > 3 ||
	    prm->sampling_interval > NF5_SAMPLING_INTERVAL_MAX)
		return NFE_INVAL;

	wbuf_init(&w, buf, cap);
	wbuf_be16(&w, 5);
	count_at = wbuf_mark(&w);
	wbuf_be16(&w, 0);			/* count, patched below */
	wbuf_be32(&w, (uint32_t)(prm->export_ms - prm->boot_ms));
	wbuf_be32(&w, (uint32_t)(prm->export_ms / 1000));
	wbuf_be32(&w, (uint32_t)(prm->export_ms % 1000) * 1000000);
	wbuf_be32(&w, prm->flow_seq);
	wbuf_u8(&w, prm->engine_type);
	wbuf_u8(&w, prm->engine_id);
	wbuf_be16(&w, (uint16_t)(prm->sampling_mode << 14 |
	    prm->sampling_interval));

	for (i = 0; i < n && count < NF5_MAX_RECS; i++) {
		if (recs[i].af != 4 || !addr_is_v4(&recs[i].src) ||
		    !addr_is_v4(&recs[i].dst))
			continue;		/* v5 cannot carry v6 */
		if (wbuf_room(&w) < NF5_REC_LEN)
			break;
		encode_record(&w, prm, &recs[i]);
		count++;
	}
	wbuf_patch_be16(&w, count_at, count);
	if (!wbuf_ok(&w))
		return NFE_INTERNAL;	/* room was checked: a bug */
	res->consumed = i;
	res->written = count;
	res->len = count > 0 ? wbuf_len(&w) : 0;
	return NFE_OK;
}

int
nf5_enc_encode(struct nf_enc *e, uint64_t now_ms, const struct flowrec *recs,
    size_t n, uint8_t *buf, size_t cap, size_t *len, size_t *used)
{
	struct nf5_enc_params prm;
	struct nf5_enc_result res;
	int rc;

	*len = 0;
	*used = 0;
	memset(&prm, 0, sizeof(prm));
	prm.boot_ms = e->boot_ms;
	prm.export_ms = now_ms;
	prm.flow_seq = e->seq;
	prm.engine_type = (uint8_t)(e->domain >> 8);
	prm.engine_id = (uint8_t)e->domain;
	if (e->sampling > 1) {
		prm.sampling_mode = NF5_SAMPLING_DETERMINISTIC;
		prm.sampling_interval = e->sampling > NF5_SAMPLING_INTERVAL_MAX ?
		    NF5_SAMPLING_INTERVAL_MAX : (uint16_t)e->sampling;
	}
	if ((rc = nf5_encode(&prm, recs, n, buf, cap, &res)) != NFE_OK)
		return rc;
	e->skipped += res.consumed - res.written;
	if (res.len > 0) {
		e->seq += (uint32_t)res.written;
		nf_enc_sent(e, now_ms, false, res.written);
	}
	*len = res.len;
	*used = res.consumed;
	return NFE_OK;
}
