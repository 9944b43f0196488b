/*
 * tests/nfdwrite.c -- nfdump file writer for the tests (nfdwrite.h).
 *
 * Layout 2: V3 records whose element set depends on the record (IPv4
 * or IPv6, counters element only when flows != 1 or out counters are
 * set (biflows), VLAN/next hop only when set, a MAC element on every
 * third record), exporter records first, an appendix with ident and
 * statistics.
 * Layout 1: four extension maps (2- and 4-byte interfaces and AS
 * numbers, IPv4 and IPv6 next hops, 4- and 8-byte aggregated flows,
 * router address and id, out packets/bytes (biflows), and a MAC and a
 * received-time extension written from the record's own fields), 32- or
 * 64-bit counters as the values need, the statistics record after the
 * header.
 */
#include "common/base/compat.h"

#include <stdlib.h>
#include <string.h>

#include <lz4.h>
#ifdef HAVE_LZO2
#include <lzo/lzo1x.h>
#endif
#ifdef HAVE_BZ2
#include <bzlib.h>
#endif
#ifdef HAVE_ZSTD
#include <zstd.h>
#endif

#include "common/base/addr.h"
#include "common/base/buf.h"
#include "common/nfdump/nfdzip.h"
#include "tests/nfdwrite.h"

#define BLK_MAX		(5U << 20)
#define FILE_MAX	(64U << 20)

static int
compress_block(int z, const uint8_t *src, size_t n, uint8_t *dst, size_t cap,
    size_t *outlen)
{
	switch (z) {
	case NFDZ_NONE:
		if (n > cap)
			return -1;
		memcpy(dst, src, n);
		*outlen = n;
		return 0;
	case NFDZ_LZ4: {
		int r = LZ4_compress_default((const char *)src, (char *)dst,
		    (int)n, (int)cap);

		if (r <= 0)
			return -1;
		*outlen = (size_t)r;
		return 0;
	}
#ifdef HAVE_LZO2
	case NFDZ_LZO: {
		static uint8_t wrk[LZO1X_1_MEM_COMPRESS];
		lzo_uint len = cap;

		if (lzo_init() != LZO_E_OK || cap < n + n / 16 + 64 + 3 ||
		    lzo1x_1_compress(src, n, dst, &len, wrk) != LZO_E_OK)
			return -1;
		*outlen = len;
		return 0;
	}
#endif
#ifdef HAVE_BZ2
	case NFDZ_BZ2: {
		unsigned int len = (unsigned int)cap;

		if (BZ2_bzBuffToBuffCompress((char *)dst, &len,
		    (char *)(uintptr_t)src, (unsigned int)n, 9, 0, 0) != BZ_OK)
			return -1;
		*outlen = len;
		return 0;
	}
#endif
#ifdef HAVE_ZSTD
	case NFDZ_ZSTD: {
		size_t r = ZSTD_compress(dst, cap, src, n, 3);

		if (ZSTD_isError(r))
			return -1;
		*outlen = r;
		return 0;
	}
#endif
	default:
		return -1;
	}
}

/* nfdump's address forms: IPv4 one u32, IPv6 two u64, high half first */
static void
put_v4(struct wbuf *w, const struct nf_addr *a)
{
	wbuf_le32(w, addr_v4(a));
}

static void
put_v6(struct wbuf *w, const struct nf_addr *a)
{
	for (int h = 0; h < 2; h++) {
		uint64_t v = 0;

		for (int i = 0; i < 8; i++)
			v = v << 8 | a->a[8 * h + i];
		wbuf_le64(w, v);
	}
}

/* Exporter info record (32 bytes). */
static void
put_exporter(struct wbuf *w, const struct nf_addr *a, uint16_t sysid,
    uint32_t id)
{
	wbuf_le16(w, 7);
	wbuf_le16(w, 32);
	wbuf_le32(w, 9);
	if (addr_is_v4(a)) {
		wbuf_zero(w, 8);
		put_v4(w, a);
		wbuf_zero(w, 4);
		wbuf_le16(w, 2);		/* AF_INET */
	} else {
		put_v6(w, a);
		wbuf_le16(w, 10);		/* AF_INET6 */
	}
	wbuf_le16(w, sysid);
	wbuf_le32(w, id);
}

static void
elem(struct wbuf *w, uint16_t type, uint16_t len)
{
	wbuf_le16(w, type);
	wbuf_le16(w, len);
}

static void
put_v3(struct wbuf *w, const struct flowrec *r, const struct nf_addr *xaddr,
    size_t idx)
{
	size_t mark = wbuf_mark(w);
	uint16_t nel = 0;
	bool v6 = r->af == 6;

	wbuf_le16(w, 11);
	wbuf_le16(w, 0);			/* size, patched */
	wbuf_le16(w, 0);			/* numElements, patched */
	wbuf_u8(w, r->engine_type);
	wbuf_u8(w, r->engine_id);
	wbuf_le16(w, (uint16_t)(r->exporter + 1));
	wbuf_u8(w, 0);
	wbuf_u8(w, 9);
	elem(w, 1, 52);
	nel++;
	wbuf_le64(w, r->first_ms);
	wbuf_le64(w, r->last_ms);
	wbuf_le64(w, r->received_ms);	/* msecReceived */
	wbuf_le64(w, r->packets);
	wbuf_le64(w, r->bytes);
	wbuf_le16(w, r->src_port);
	wbuf_le16(w, r->dst_port);
	wbuf_u8(w, r->proto);
	wbuf_u8(w, r->tcp_flags);
	wbuf_u8(w, 0);
	wbuf_u8(w, r->tos);
	if (idx % 3 == 1) {			/* MAC addresses: skipped */
		elem(w, 15, 36);
		nel++;
		wbuf_zero(w, 32);
	}
	elem(w, v6 ? 3 : 2, v6 ? 36 : 12);
	nel++;
	if (v6) {
		put_v6(w, &r->src);
		put_v6(w, &r->dst);
	} else {
		put_v4(w, &r->src);
		put_v4(w, &r->dst);
	}
	elem(w, 4, 20);
	nel++;
	wbuf_le32(w, r->in_if);
	wbuf_le32(w, r->out_if);
	wbuf_u8(w, r->src_mask);
	wbuf_u8(w, r->dst_mask);
	wbuf_u8(w, r->direction);
	wbuf_u8(w, 0);
	wbuf_u8(w, 0);
	wbuf_u8(w, r->end_reason);
	wbuf_zero(w, 2);
	if (r->flows != 1 || r->out_packets != 0 || r->out_bytes != 0) {
		elem(w, 5, 28);
		nel++;
		wbuf_le64(w, r->flows);
		wbuf_le64(w, r->out_packets);
		wbuf_le64(w, r->out_bytes);
	}
	if (r->src_vlan != 0 || r->dst_vlan != 0) {
		elem(w, 6, 12);
		nel++;
		wbuf_le32(w, r->src_vlan);
		wbuf_le32(w, r->dst_vlan);
	}
	elem(w, 7, 12);
	nel++;
	wbuf_le32(w, r->src_as);
	wbuf_le32(w, r->dst_as);
	if (!addr_is_zero(&r->nexthop)) {
		bool nh6 = !addr_is_v4(&r->nexthop);

		elem(w, nh6 ? 11 : 10, nh6 ? 20 : 8);
		nel++;
		if (nh6)
			put_v6(w, &r->nexthop);
		else
			put_v4(w, &r->nexthop);
	}
	elem(w, addr_is_v4(xaddr) ? 12 : 13, addr_is_v4(xaddr) ? 8 : 20);
	nel++;
	if (addr_is_v4(xaddr))
		put_v4(w, xaddr);
	else
		put_v6(w, xaddr);
	w->p[mark + 2] = (uint8_t)(wbuf_len(w) - mark);
	w->p[mark + 3] = (uint8_t)((wbuf_len(w) - mark) >> 8);
	w->p[mark + 4] = (uint8_t)nel;
	w->p[mark + 5] = (uint8_t)(nel >> 8);
}

/*
 * Layout 1 extension maps (ids, 0-terminated).  Every map has masks and
 * direction (8), VLANs (13) and engine type/id (25); they differ in
 * interface and AS widths, next hop, flows, and extensions to skip.
 */
#define NMAPS	4
static const uint16_t map_ids[NMAPS][14] = {
	{ 4, 6, 8, 13, 25, 0 },			/* 2-byte, no next hop */
	{ 5, 7, 8, 10, 13, 18, 24, 25, 0 },	/* v6 next hop, flows */
	{ 5, 7, 8, 9, 13, 20, 19, 23, 25, 27, 14, 17, 0 }, /* v4 nh, MAC,
					   time, out packets/bytes */
	{ 5, 7, 8, 13, 18, 25, 0 },		/* 4-byte, no next hop */
};
static const uint8_t ext_sz[28] = { [4] = 4, [5] = 8, [6] = 4, [7] = 8,
    [8] = 4, [9] = 4, [10] = 16, [13] = 4, [14] = 4, [17] = 8,
    [18] = 4, [19] = 8,
    [20] = 16, [23] = 4, [24] = 16, [25] = 4, [27] = 8 };

static void
put_map(struct wbuf *w, uint16_t id)
{
	const uint16_t *ids = map_ids[id - 1];
	size_t n = 0, ext = 0, size;

	while (ids[n] != 0)
		ext += ext_sz[ids[n++]];
	size = 8 + 2 * (n + 1);
	size = (size + 3) & ~(size_t)3;
	wbuf_le16(w, 2);
	wbuf_le16(w, (uint16_t)size);
	wbuf_le16(w, id);
	wbuf_le16(w, (uint16_t)ext);
	for (size_t i = 0; i <= n; i++)
		wbuf_le16(w, ids[i]);
	wbuf_zero(w, size - 8 - 2 * (n + 1));
}

/* The map a record is written with: one that holds all of it. */
static uint16_t
map_for(const struct flowrec *r)
{
	bool narrow = r->in_if <= UINT16_MAX && r->out_if <= UINT16_MAX &&
	    r->src_as <= UINT16_MAX && r->dst_as <= UINT16_MAX;

	if (addr_is_zero(&r->nexthop))
		return narrow && r->flows == 1 ? 1 : 4;
	return addr_is_v4(&r->nexthop) ? 3 : 2;
}

static void
put_common(struct wbuf *w, const struct flowrec *r, uint16_t map,
    const struct nf_addr *xaddr)
{
	size_t mark = wbuf_mark(w);
	uint16_t flags = 0;
	bool pk64 = r->packets > UINT32_MAX, by64 = r->bytes > UINT32_MAX;

	if (r->af == 6)
		flags |= 0x01;
	if (pk64)
		flags |= 0x02;
	if (by64)
		flags |= 0x04;
	wbuf_le16(w, 10);
	wbuf_le16(w, 0);			/* size, patched */
	wbuf_le16(w, flags);
	wbuf_le16(w, map);
	wbuf_le16(w, (uint16_t)(r->first_ms % 1000));
	wbuf_le16(w, (uint16_t)(r->last_ms % 1000));
	wbuf_le32(w, (uint32_t)(r->first_ms / 1000));
	wbuf_le32(w, (uint32_t)(r->last_ms / 1000));
	wbuf_u8(w, 0);
	wbuf_u8(w, r->tcp_flags);
	wbuf_u8(w, r->proto);
	wbuf_u8(w, r->tos);
	wbuf_le16(w, r->src_port);
	wbuf_le16(w, r->dst_port);
	wbuf_le16(w, (uint16_t)(r->exporter + 1));
	wbuf_u8(w, 0);
	wbuf_u8(w, r->end_reason);
	if (r->af == 6) {
		put_v6(w, &r->src);
		put_v6(w, &r->dst);
	} else {
		put_v4(w, &r->src);
		put_v4(w, &r->dst);
	}
	if (pk64)
		wbuf_le64(w, r->packets);
	else
		wbuf_le32(w, (uint32_t)r->packets);
	if (by64)
		wbuf_le64(w, r->bytes);
	else
		wbuf_le32(w, (uint32_t)r->bytes);
	for (const uint16_t *id = map_ids[map - 1]; *id != 0; id++) {
		switch (*id) {
		case 4:
			wbuf_le16(w, (uint16_t)r->in_if);
			wbuf_le16(w, (uint16_t)r->out_if);
			break;
		case 5:
			wbuf_le32(w, r->in_if);
			wbuf_le32(w, r->out_if);
			break;
		case 6:
			wbuf_le16(w, (uint16_t)r->src_as);
			wbuf_le16(w, (uint16_t)r->dst_as);
			break;
		case 7:
			wbuf_le32(w, r->src_as);
			wbuf_le32(w, r->dst_as);
			break;
		case 8:
			wbuf_u8(w, 0);
			wbuf_u8(w, r->direction);
			wbuf_u8(w, r->src_mask);
			wbuf_u8(w, r->dst_mask);
			break;
		case 9:
			put_v4(w, &r->nexthop);
			break;
		case 10:
			put_v6(w, &r->nexthop);
			break;
		case 13:
			wbuf_le16(w, r->src_vlan);
			wbuf_le16(w, r->dst_vlan);
			break;
		case 14:
			wbuf_le32(w, (uint32_t)r->out_packets);
			break;
		case 17:
			wbuf_le64(w, r->out_bytes);
			break;
		case 18:
			wbuf_le32(w, r->flows);
			break;
		case 19:
			wbuf_le64(w, r->flows);
			break;
		case 20:
			wbuf_zero(w, 16);
			break;
		case 23:
			put_v4(w, xaddr);
			break;
		case 24:
			put_v6(w, xaddr);
			break;
		case 25:
			wbuf_zero(w, 2);
			wbuf_u8(w, r->engine_type);
			wbuf_u8(w, r->engine_id);
			break;
		case 27:
			wbuf_le64(w, r->received_ms);
			break;
		default:
			break;
		}
	}
	w->p[mark + 2] = (uint8_t)(wbuf_len(w) - mark);
	w->p[mark + 3] = (uint8_t)((wbuf_len(w) - mark) >> 8);
}

struct out {
	struct wbuf	 f;		/* the file */
	uint8_t		*zbuf;
	int		 z;
	unsigned	 layout;
};

/* Append one block (payload p/n holding nrec records) to the file. */
static int
put_block(struct out *o, const uint8_t *p, size_t n, uint32_t nrec)
{
	size_t zlen;

	if (compress_block(o->z, p, n, o->zbuf, BLK_MAX + BLK_MAX / 8,
	    &zlen) != 0)
		return -1;
	wbuf_le32(&o->f, nrec);
	wbuf_le32(&o->f, (uint32_t)zlen);
	wbuf_le16(&o->f, o->layout == 1 ? 2 : 3);
	wbuf_le16(&o->f, 0);
	wbuf_bytes(&o->f, o->zbuf, zlen);
	return wbuf_ok(&o->f) ? 0 : -1;
}

static unsigned
pclass(uint8_t proto)
{
	return proto == 6 ? 0 : proto == 17 ? 1 : proto == 1 || proto == 58 ?
	    2 : 3;
}

static void
put_stats(struct wbuf *w, const struct flowrec *recs, size_t n,
    unsigned layout)
{
	uint64_t t[3] = { 0, 0, 0 }, pf[4] = { 0 }, pb[4] = { 0 },
	    pp[4] = { 0 }, first = 0, last = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned c = pclass(recs[i].proto);

		t[0] += recs[i].flows;
		t[1] += recs[i].bytes;
		t[2] += recs[i].packets;
		pf[c] += recs[i].flows;
		pb[c] += recs[i].bytes;
		pp[c] += recs[i].packets;
		if (first == 0 || recs[i].first_ms < first)
			first = recs[i].first_ms;
		if (recs[i].last_ms > last)
			last = recs[i].last_ms;
	}
	for (int i = 0; i < 3; i++)
		wbuf_le64(w, t[i]);
	for (int i = 0; i < 4; i++)
		wbuf_le64(w, pf[i]);
	for (int i = 0; i < 4; i++)
		wbuf_le64(w, pb[i]);
	for (int i = 0; i < 4; i++)
		wbuf_le64(w, pp[i]);
	if (layout == 1) {
		wbuf_le32(w, (uint32_t)(first / 1000));
		wbuf_le32(w, (uint32_t)(last / 1000));
		wbuf_le16(w, (uint16_t)(first % 1000));
		wbuf_le16(w, (uint16_t)(last % 1000));
		wbuf_le32(w, 0);
	} else {
		wbuf_le64(w, first);
		wbuf_le64(w, last);
		wbuf_le64(w, 0);
	}
}

int
nfdw_build(const struct nfdw_opts *op, const struct nfdw_exporters *x,
    const struct flowrec *recs, size_t n, uint8_t **outp, size_t *lenp)
{
	struct out o;
	struct wbuf b;
	uint8_t *blk;
	const char *ident = op->ident != NULL ? op->ident : "nfdwrite";
	size_t per = op->per_block ? op->per_block : 1000, nb = 0, app;
	uint32_t nrec = 0;
	int rc = -1;

	memset(&o, 0, sizeof(o));
	o.z = op->compression;
	o.layout = op->layout;
	if (!nfdzip_available(o.z))
		return -1;
	blk = malloc(BLK_MAX);
	o.zbuf = malloc(BLK_MAX + BLK_MAX / 8);
	o.f.p = malloc(FILE_MAX);
	if (blk == NULL || o.zbuf == NULL || o.f.p == NULL)
		goto out;
	wbuf_init(&o.f, o.f.p, FILE_MAX);
	wbuf_init(&b, blk, BLK_MAX);
	wbuf_le16(&o.f, 0xA50C);
	wbuf_le16(&o.f, (uint16_t)op->layout);
	if (op->layout == 1) {
		char id[128];
		uint32_t flags = o.z == NFDZ_LZO ? 0x01 : o.z == NFDZ_BZ2 ?
		    0x08 : o.z == NFDZ_LZ4 ? 0x10 : o.z == NFDZ_ZSTD ? 0x20 : 0;

		wbuf_le32(&o.f, flags);
		wbuf_le32(&o.f, 0);		/* NumBlocks, patched */
		memset(id, 0, sizeof(id));
		strncpy(id, ident, sizeof(id) - 1);
		wbuf_bytes(&o.f, id, sizeof(id));
		put_stats(&o.f, recs, n, 1);
		for (uint16_t m = 1; m <= NMAPS; m++)
			put_map(&b, m);
		nrec = NMAPS;
	} else {
		wbuf_le32(&o.f, 0x01070100);
		wbuf_le64(&o.f, 1700000000);
		wbuf_u8(&o.f, (uint8_t)o.z);
		wbuf_u8(&o.f, 0);
		wbuf_le16(&o.f, 1);		/* appendix blocks */
		wbuf_le32(&o.f, 0);
		wbuf_le64(&o.f, 0);		/* offAppendix, patched */
		wbuf_le32(&o.f, BLK_MAX);
		wbuf_le32(&o.f, 0);		/* NumBlocks, patched */
	}
	for (size_t i = 0; i < x->n; i++) {
		put_exporter(&b, &x->addrs[i], (uint16_t)(i + 1), (uint32_t)i);
		nrec++;
	}
	for (size_t i = 0; i < n; i++) {
		const struct flowrec *r = &recs[i];

		if (r->exporter >= x->n)
			goto out;
		if (op->layout == 1)
			put_common(&b, r, map_for(r),
			    &x->addrs[r->exporter]);
		else
			put_v3(&b, r, &x->addrs[r->exporter], i);
		nrec++;
		if ((i + 1) % per == 0 || i + 1 == n) {
			if (put_block(&o, blk, wbuf_len(&b), nrec) != 0)
				goto out;
			nb++;
			wbuf_init(&b, blk, BLK_MAX);
			nrec = 0;
		}
	}
	if (nrec > 0) {			/* no records: exporters only */
		if (put_block(&o, blk, wbuf_len(&b), nrec) != 0)
			goto out;
		nb++;
	}
	if (op->layout == 1) {
		wbuf_patch_le32(&o.f, 8, (uint32_t)nb);
	} else {
		size_t il = strlen(ident) + 1;

		app = wbuf_len(&o.f);
		wbuf_init(&b, blk, BLK_MAX);
		wbuf_le16(&b, 0x8001);
		wbuf_le16(&b, (uint16_t)(4 + ((il + 1) & ~(size_t)1)));
		wbuf_bytes(&b, ident, il);
		if (il & 1)
			wbuf_u8(&b, 0);
		wbuf_le16(&b, 0x8002);
		wbuf_le16(&b, 4 + 144);
		put_stats(&b, recs, n, 2);
		if (put_block(&o, blk, wbuf_len(&b), 2) != 0)
			goto out;
		wbuf_patch_le32(&o.f, 24, (uint32_t)app);
		wbuf_patch_le32(&o.f, 28, (uint32_t)((uint64_t)app >> 32));
		wbuf_patch_le32(&o.f, 36, (uint32_t)nb);
	}
	if (!wbuf_ok(&o.f))
		goto out;
	*outp = o.f.p;
	*lenp = wbuf_len(&o.f);
	o.f.p = NULL;
	rc = 0;
out:
	free(blk);
	free(o.zbuf);
	free(o.f.p);
	return rc;
}

int
nfdw_recompress(const uint8_t *in, size_t n, int z, uint8_t **outp,
    size_t *lenp)
{
	struct rbuf r;
	struct out o;
	uint8_t *raw;
	uint64_t off_app, new_app = 0;
	size_t rawlen;
	int oz, rc = -1;

	memset(&o, 0, sizeof(o));
	o.z = z;
	o.layout = 2;
	if (n < 40 || !nfdzip_available(z))
		return -1;
	rbuf_init(&r, in, n);
	rbuf_skip(&r, 16);
	oz = rbuf_u8(&r);
	rbuf_skip(&r, 7);
	off_app = rbuf_le64(&r);
	raw = malloc(BLK_MAX);
	o.zbuf = malloc(BLK_MAX + BLK_MAX / 8);
	o.f.p = malloc(FILE_MAX);
	if (raw == NULL || o.zbuf == NULL || o.f.p == NULL)
		goto out;
	wbuf_init(&o.f, o.f.p, FILE_MAX);
	wbuf_bytes(&o.f, in, 40);
	o.f.p[16] = (uint8_t)z;
	rbuf_init(&r, in, n);
	rbuf_skip(&r, 40);
	while (rbuf_remaining(&r) >= 12) {
		uint32_t nrec, size;
		uint16_t flags;
		size_t at = r.off;

		nrec = rbuf_le32(&r);
		size = rbuf_le32(&r);
		rbuf_skip(&r, 2);
		flags = rbuf_le16(&r);
		if (!rbuf_ok(&r) || size > rbuf_remaining(&r))
			goto out;
		if (at == off_app)
			new_app = wbuf_len(&o.f);
		if (flags & 1) {
			rawlen = size;
			memcpy(raw, in + r.off, size);
		} else if (nfdzip_decompress(oz, in + r.off, size, raw, BLK_MAX,
		    &rawlen) != 0)
			goto out;
		rbuf_skip(&r, size);
		if (put_block(&o, raw, rawlen, nrec) != 0)
			goto out;
	}
	wbuf_patch_le32(&o.f, 24, (uint32_t)new_app);
	wbuf_patch_le32(&o.f, 28, (uint32_t)(new_app >> 32));
	if (!wbuf_ok(&o.f))
		goto out;
	*outp = o.f.p;
	*lenp = wbuf_len(&o.f);
	o.f.p = NULL;
	rc = 0;
out:
	free(raw);
	free(o.zbuf);
	free(o.f.p);
	return rc;
}

void
nfdw_sample_records(struct flowrec *recs, size_t n, unsigned seed,
    size_t nx)
{
	uint64_t s = seed * UINT64_C(6364136223846793005) + 1442695040888963407u;

	for (size_t i = 0; i < n; i++) {
		struct flowrec *r = &recs[i];
		uint8_t b[16];
		uint32_t v;

#define RND() (s = s * UINT64_C(6364136223846793005) + 1442695040888963407u, \
	(uint32_t)(s >> 33))
		flowrec_init(r);
		r->first_ms = UINT64_C(1700000000000) + i * 37 + RND() % 1000;
		r->last_ms = r->first_ms + RND() % 60000;
		r->packets = 1 + RND() % 1000;
		r->bytes = r->packets * (40 + RND() % 1460);
		if (i % 97 == 5) {
			r->packets += UINT64_C(5000000000);	/* 64-bit */
			r->bytes += UINT64_C(9000000000000);
		}
		r->proto = (uint8_t[]){ 6, 17, 1, 58, 47, 6, 17 }[RND() % 7];
		r->af = r->proto == 58 || i % 4 == 3 ? 6 : 4;
		if (r->proto == 1 && r->af == 6)
			r->proto = 58;
		if (r->af == 4) {
			addr_from_v4(&r->src, 0x0a000000 | (RND() & 0xffff));
			addr_from_v4(&r->dst, 0xc0a80000 | (RND() & 0xff));
		} else {
			memset(b, 0, sizeof(b));
			b[0] = 0x20;
			b[1] = 0x01;
			b[2] = 0x0d;
			b[3] = 0xb8;
			v = RND();
			memcpy(b + 12, &v, 4);
			addr_from_v6(&r->src, b);
			b[15] ^= 0x5a;
			b[7] = 1;
			addr_from_v6(&r->dst, b);
		}
		if (r->proto == 1 || r->proto == 58)
			r->dst_port = (uint16_t)((r->proto == 1 ? 8 : 128) << 8 |
			    RND() % 3);
		else if (r->proto == 6 || r->proto == 17) {
			r->src_port = (uint16_t)(1024 + RND() % 60000);
			r->dst_port = (uint16_t[]){ 22, 53, 80, 443, 8080 }
			    [RND() % 5];
		}
		if (r->proto == 6)
			r->tcp_flags = (uint8_t)(RND() & 0x3f);
		r->tos = (uint8_t)((RND() % 4) * 8);
		r->in_if = RND() % 8;
		r->out_if = RND() % 8;
		if (i % 5 == 2)
			r->in_if += 100000;		/* 4-byte interfaces */
		r->src_as = RND() % 3 == 0 ? 64500 + RND() % 10 : 0;
		r->dst_as = i % 7 == 0 ? 4200000000u : RND() % 65000;
		r->src_mask = (uint8_t)(RND() % 33);
		r->dst_mask = (uint8_t)(RND() % 33);
		r->direction = (uint8_t)(RND() % 2);
		if (i % 6 == 0) {
			r->src_vlan = (uint16_t)(1 + RND() % 4000);
			r->dst_vlan = (uint16_t)(RND() % 4000);
		}
		if (i % 3 == 0)
			addr_from_v4(&r->nexthop, 0x0afffe00 | (RND() & 0xff));
		else if (i % 3 == 1 && r->af == 6) {
			memset(b, 0, sizeof(b));
			b[0] = 0xfe;
			b[1] = 0x80;
			b[15] = (uint8_t)RND();
			addr_from_v6(&r->nexthop, b);
		}
		if (i % 11 == 4)
			r->flows = 2 + RND() % 9;
		if (i % 6 == 0) {	/* a biflow (layout 1: map 3) */
			r->out_packets = r->packets / 2 + i % 3;
			r->out_bytes = r->out_packets * 576 + i;
		}
		if (i % 13 == 3) {
			r->engine_type = 1;
			r->engine_id = (uint8_t)RND();
		}
		r->end_reason = (uint8_t)(RND() % 4);
		r->exporter = (uint16_t)(nx > 0 ? RND() % nx : 0);
#undef RND
	}
}
