/*
 * common/ffile/fcol.c -- column arrays of one block, and the per-column byte
 * encoding (frame of reference, narrowing, byte planes, IPv4 packing)
 * described in fcol.h and flowkit-file(5).
 */
#include "common/base/compat.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/base/nferr.h"
#include "common/ffile/fcol.h"

enum { K_INT, K_ADDR };

struct coldef {
	const char	*name;
	unsigned	 width;		/* field width: 1, 2, 4, 8; 16 addr */
	unsigned	 kind;
};

static const struct coldef coldefs[FCOL_NCOLS] = {
	[FCOL_FIRST]		= { "first", 8, K_INT },
	[FCOL_LAST]		= { "last", 8, K_INT },
	[FCOL_PACKETS]		= { "packets", 8, K_INT },
	[FCOL_BYTES]		= { "bytes", 8, K_INT },
	[FCOL_SRC]		= { "srcaddr", 16, K_ADDR },
	[FCOL_DST]		= { "dstaddr", 16, K_ADDR },
	[FCOL_NEXTHOP]		= { "nexthop", 16, K_ADDR },
	[FCOL_IN_IF]		= { "inif", 4, K_INT },
	[FCOL_OUT_IF]		= { "outif", 4, K_INT },
	[FCOL_SRC_AS]		= { "srcas", 4, K_INT },
	[FCOL_DST_AS]		= { "dstas", 4, K_INT },
	[FCOL_FLOWS]		= { "flows", 4, K_INT },
	[FCOL_SAMPLING]		= { "sampling", 4, K_INT },
	[FCOL_SRC_PORT]		= { "srcport", 2, K_INT },
	[FCOL_DST_PORT]		= { "dstport", 2, K_INT },
	[FCOL_SRC_VLAN]		= { "srcvlan", 2, K_INT },
	[FCOL_DST_VLAN]		= { "dstvlan", 2, K_INT },
	[FCOL_EXPORTER]		= { "exporter", 2, K_INT },
	[FCOL_AF]		= { "af", 1, K_INT },
	[FCOL_PROTO]		= { "proto", 1, K_INT },
	[FCOL_TCP_FLAGS]	= { "tcpflags", 1, K_INT },
	[FCOL_TOS]		= { "tos", 1, K_INT },
	[FCOL_SRC_MASK]		= { "srcmask", 1, K_INT },
	[FCOL_DST_MASK]		= { "dstmask", 1, K_INT },
	[FCOL_DIRECTION]	= { "direction", 1, K_INT },
	[FCOL_END_REASON]	= { "endreason", 1, K_INT },
	[FCOL_ENGINE_TYPE]	= { "enginetype", 1, K_INT },
	[FCOL_ENGINE_ID]	= { "engineid", 1, K_INT },
};

bool
fcol_known(unsigned id)
{
	return id >= FCOL_FIRST && id < FCOL_NCOLS;
}

const char *
fcol_name(unsigned id)
{
	return fcol_known(id) ? coldefs[id].name : "unknown";
}

unsigned
fcol_field_width(unsigned id)
{
	return fcol_known(id) ? coldefs[id].width : 0;
}

size_t
fcol_raw_bound(size_t n)
{
	return 17 * n;
}

/* The array of column id, and its element width. */
static void *
col_array(const struct fcol *c, unsigned id)
{
	switch (id) {
	case FCOL_FIRST:	return c->first_ms;
	case FCOL_LAST:		return c->last_ms;
	case FCOL_PACKETS:	return c->packets;
	case FCOL_BYTES:	return c->bytes;
	case FCOL_SRC:		return c->src;
	case FCOL_DST:		return c->dst;
	case FCOL_NEXTHOP:	return c->nexthop;
	case FCOL_IN_IF:	return c->in_if;
	case FCOL_OUT_IF:	return c->out_if;
	case FCOL_SRC_AS:	return c->src_as;
	case FCOL_DST_AS:	return c->dst_as;
	case FCOL_FLOWS:	return c->flows;
	case FCOL_SAMPLING:	return c->sampling;
	case FCOL_SRC_PORT:	return c->src_port;
	case FCOL_DST_PORT:	return c->dst_port;
	case FCOL_SRC_VLAN:	return c->src_vlan;
	case FCOL_DST_VLAN:	return c->dst_vlan;
	case FCOL_EXPORTER:	return c->exporter;
	case FCOL_AF:		return c->af;
	case FCOL_PROTO:	return c->proto;
	case FCOL_TCP_FLAGS:	return c->tcp_flags;
	case FCOL_TOS:		return c->tos;
	case FCOL_SRC_MASK:	return c->src_mask;
	case FCOL_DST_MASK:	return c->dst_mask;
	case FCOL_DIRECTION:	return c->direction;
	case FCOL_END_REASON:	return c->end_reason;
	case FCOL_ENGINE_TYPE:	return c->engine_type;
	case FCOL_ENGINE_ID:	return c->engine_id;
	default:		return NULL;
	}
}

static void
set_array(struct fcol *c, unsigned id, void *p)
{
	switch (id) {
	case FCOL_FIRST:	c->first_ms = p; break;
	case FCOL_LAST:		c->last_ms = p; break;
	case FCOL_PACKETS:	c->packets = p; break;
	case FCOL_BYTES:	c->bytes = p; break;
	case FCOL_SRC:		c->src = p; break;
	case FCOL_DST:		c->dst = p; break;
	case FCOL_NEXTHOP:	c->nexthop = p; break;
	case FCOL_IN_IF:	c->in_if = p; break;
	case FCOL_OUT_IF:	c->out_if = p; break;
	case FCOL_SRC_AS:	c->src_as = p; break;
	case FCOL_DST_AS:	c->dst_as = p; break;
	case FCOL_FLOWS:	c->flows = p; break;
	case FCOL_SAMPLING:	c->sampling = p; break;
	case FCOL_SRC_PORT:	c->src_port = p; break;
	case FCOL_DST_PORT:	c->dst_port = p; break;
	case FCOL_SRC_VLAN:	c->src_vlan = p; break;
	case FCOL_DST_VLAN:	c->dst_vlan = p; break;
	case FCOL_EXPORTER:	c->exporter = p; break;
	case FCOL_AF:		c->af = p; break;
	case FCOL_PROTO:	c->proto = p; break;
	case FCOL_TCP_FLAGS:	c->tcp_flags = p; break;
	case FCOL_TOS:		c->tos = p; break;
	case FCOL_SRC_MASK:	c->src_mask = p; break;
	case FCOL_DST_MASK:	c->dst_mask = p; break;
	case FCOL_DIRECTION:	c->direction = p; break;
	case FCOL_END_REASON:	c->end_reason = p; break;
	case FCOL_ENGINE_TYPE:	c->engine_type = p; break;
	case FCOL_ENGINE_ID:	c->engine_id = p; break;
	default:		break;
	}
}

int
fcol_init(struct fcol *c, size_t cap)
{
	void *p;

	memset(c, 0, sizeof(*c));
	if (cap == 0)
		cap = 1;
	if (cap > SIZE_MAX / sizeof(struct nf_addr))
		return NFE_NOMEM;
	for (unsigned id = FCOL_FIRST; id < FCOL_NCOLS; id++) {
		if ((p = malloc(cap * coldefs[id].width)) == NULL) {
			fcol_fini(c);
			return NFE_NOMEM;
		}
		set_array(c, id, p);
	}
	c->cap = cap;
	return NFE_OK;
}

void
fcol_fini(struct fcol *c)
{
	for (unsigned id = FCOL_FIRST; id < FCOL_NCOLS; id++)
		free(col_array(c, id));
	memset(c, 0, sizeof(*c));
}

void
fcol_reset(struct fcol *c)
{
	c->n = 0;
	c->mask = 0;
}

size_t
fcol_put(struct fcol *c, const struct flowrec *recs, size_t n)
{
	size_t k, i;

	if (n > c->cap - c->n)
		n = c->cap - c->n;
	for (k = 0; k < n; k++) {
		const struct flowrec *r = &recs[k];

		i = c->n + k;
		c->first_ms[i] = r->first_ms;
		c->last_ms[i] = r->last_ms;
		c->packets[i] = r->packets;
		c->bytes[i] = r->bytes;
		c->src[i] = r->src;
		c->dst[i] = r->dst;
		c->nexthop[i] = r->nexthop;
		c->in_if[i] = r->in_if;
		c->out_if[i] = r->out_if;
		c->src_as[i] = r->src_as;
		c->dst_as[i] = r->dst_as;
		c->flows[i] = r->flows;
		c->sampling[i] = r->sampling;
		c->src_port[i] = r->src_port;
		c->dst_port[i] = r->dst_port;
		c->src_vlan[i] = r->src_vlan;
		c->dst_vlan[i] = r->dst_vlan;
		c->exporter[i] = r->exporter;
		c->af[i] = r->af;
		c->proto[i] = r->proto;
		c->tcp_flags[i] = r->tcp_flags;
		c->tos[i] = r->tos;
		c->src_mask[i] = r->src_mask;
		c->dst_mask[i] = r->dst_mask;
		c->direction[i] = r->direction;
		c->end_reason[i] = r->end_reason;
		c->engine_type[i] = r->engine_type;
		c->engine_id[i] = r->engine_id;
	}
	c->n += n;
	if (n > 0)
		c->mask = FCOL_ALL;
	return n;
}

void
fcol_get(const struct fcol *c, size_t i, struct flowrec *r)
{
	uint64_t m = c->mask;

	if (m == FCOL_ALL) {
		memset(r, 0, sizeof(*r));	/* padding too */
		r->first_ms = c->first_ms[i];
		r->last_ms = c->last_ms[i];
		r->packets = c->packets[i];
		r->bytes = c->bytes[i];
		r->src = c->src[i];
		r->dst = c->dst[i];
		r->nexthop = c->nexthop[i];
		r->in_if = c->in_if[i];
		r->out_if = c->out_if[i];
		r->src_as = c->src_as[i];
		r->dst_as = c->dst_as[i];
		r->flows = c->flows[i];
		r->sampling = c->sampling[i];
		r->src_port = c->src_port[i];
		r->dst_port = c->dst_port[i];
		r->src_vlan = c->src_vlan[i];
		r->dst_vlan = c->dst_vlan[i];
		r->exporter = c->exporter[i];
		r->af = c->af[i];
		r->proto = c->proto[i];
		r->tcp_flags = c->tcp_flags[i];
		r->tos = c->tos[i];
		r->src_mask = c->src_mask[i];
		r->dst_mask = c->dst_mask[i];
		r->direction = c->direction[i];
		r->end_reason = c->end_reason[i];
		r->engine_type = c->engine_type[i];
		r->engine_id = c->engine_id[i];
		return;
	}
	flowrec_init(r);
	if (m & FCOL_BIT(FCOL_FIRST))
		r->first_ms = c->first_ms[i];
	if (m & FCOL_BIT(FCOL_LAST))
		r->last_ms = c->last_ms[i];
	if (m & FCOL_BIT(FCOL_PACKETS))
		r->packets = c->packets[i];
	if (m & FCOL_BIT(FCOL_BYTES))
		r->bytes = c->bytes[i];
	if (m & FCOL_BIT(FCOL_SRC))
		r->src = c->src[i];
	if (m & FCOL_BIT(FCOL_DST))
		r->dst = c->dst[i];
	if (m & FCOL_BIT(FCOL_NEXTHOP))
		r->nexthop = c->nexthop[i];
	if (m & FCOL_BIT(FCOL_IN_IF))
		r->in_if = c->in_if[i];
	if (m & FCOL_BIT(FCOL_OUT_IF))
		r->out_if = c->out_if[i];
	if (m & FCOL_BIT(FCOL_SRC_AS))
		r->src_as = c->src_as[i];
	if (m & FCOL_BIT(FCOL_DST_AS))
		r->dst_as = c->dst_as[i];
	if (m & FCOL_BIT(FCOL_FLOWS))
		r->flows = c->flows[i];
	if (m & FCOL_BIT(FCOL_SAMPLING))
		r->sampling = c->sampling[i];
	if (m & FCOL_BIT(FCOL_SRC_PORT))
		r->src_port = c->src_port[i];
	if (m & FCOL_BIT(FCOL_DST_PORT))
		r->dst_port = c->dst_port[i];
	if (m & FCOL_BIT(FCOL_SRC_VLAN))
		r->src_vlan = c->src_vlan[i];
	if (m & FCOL_BIT(FCOL_DST_VLAN))
		r->dst_vlan = c->dst_vlan[i];
	if (m & FCOL_BIT(FCOL_EXPORTER))
		r->exporter = c->exporter[i];
	if (m & FCOL_BIT(FCOL_AF))
		r->af = c->af[i];
	if (m & FCOL_BIT(FCOL_PROTO))
		r->proto = c->proto[i];
	if (m & FCOL_BIT(FCOL_TCP_FLAGS))
		r->tcp_flags = c->tcp_flags[i];
	if (m & FCOL_BIT(FCOL_TOS))
		r->tos = c->tos[i];
	if (m & FCOL_BIT(FCOL_SRC_MASK))
		r->src_mask = c->src_mask[i];
	if (m & FCOL_BIT(FCOL_DST_MASK))
		r->dst_mask = c->dst_mask[i];
	if (m & FCOL_BIT(FCOL_DIRECTION))
		r->direction = c->direction[i];
	if (m & FCOL_BIT(FCOL_END_REASON))
		r->end_reason = c->end_reason[i];
	if (m & FCOL_BIT(FCOL_ENGINE_TYPE))
		r->engine_type = c->engine_type[i];
	if (m & FCOL_BIT(FCOL_ENGINE_ID))
		r->engine_id = c->engine_id[i];
}

/* ---- integer columns ---- */

static inline uint64_t
load_val(const void *arr, unsigned w, size_t i)
{
	switch (w) {
	case 1:
		return ((const uint8_t *)arr)[i];
	case 2:
		return ((const uint16_t *)arr)[i];
	case 4:
		return ((const uint32_t *)arr)[i];
	default:
		return ((const uint64_t *)arr)[i];
	}
}

/*
 * Values of an integer column as uint64 for encoding; FCOL_LAST yields
 * durations.
 */
static inline uint64_t
enc_val(const struct fcol *c, unsigned id, const void *arr, unsigned fw,
    size_t i)
{
	if (id == FCOL_LAST)
		return c->last_ms[i] - c->first_ms[i];
	return load_val(arr, fw, i);
}

static unsigned
width_for(uint64_t range)
{
	if (range == 0)
		return 0;
	if (range <= UINT8_MAX)
		return 1;
	if (range <= UINT16_MAX)
		return 2;
	if (range <= UINT32_MAX)
		return 4;
	return 8;
}

static int
encode_int(const struct fcol *c, unsigned id, bool shuffle, uint8_t *dst,
    size_t cap, struct fcol_enc *e)
{
	const void *arr = col_array(c, id);
	unsigned fw = coldefs[id].width, w;
	uint64_t lo = UINT64_MAX, hi = 0, v;
	size_t n = c->n;

	for (size_t i = 0; i < n; i++) {
		v = enc_val(c, id, arr, fw, i);
		if (v < lo)
			lo = v;
		if (v > hi)
			hi = v;
	}
	if (n == 0)
		lo = hi = 0;
	w = width_for(hi - lo);
	e->width = (uint8_t)w;
	e->base = lo;
	e->flags = (shuffle && w > 1) ? FCOL_F_SHUFFLE : 0;
	e->raw_len = n * w;
	if (cap < e->raw_len)
		return NFE_LIMIT;
	if (w == 0)
		return NFE_OK;
	if (e->flags & FCOL_F_SHUFFLE) {
		for (size_t i = 0; i < n; i++) {
			v = enc_val(c, id, arr, fw, i) - lo;
			for (unsigned b = 0; b < w; b++)
				dst[b * n + i] = (uint8_t)(v >> (8 * b));
		}
	} else {
		for (size_t i = 0; i < n; i++) {
			v = enc_val(c, id, arr, fw, i) - lo;
			for (unsigned b = 0; b < w; b++)
				dst[i * w + b] = (uint8_t)(v >> (8 * b));
		}
	}
	return NFE_OK;
}

static inline void
store_val(void *arr, unsigned fw, size_t i, uint64_t v)
{
	switch (fw) {
	case 1:
		((uint8_t *)arr)[i] = (uint8_t)v;
		break;
	case 2:
		((uint16_t *)arr)[i] = (uint16_t)v;
		break;
	case 4:
		((uint32_t *)arr)[i] = (uint32_t)v;
		break;
	default:
		((uint64_t *)arr)[i] = v;
		break;
	}
}

/*
 * The inner loops, written once and specialised by the compiler for
 * each constant (fw, w, shuf) at the call sites below.
 */
static inline __attribute__((always_inline)) void
unpack(void *arr, unsigned fw, const uint8_t *src, size_t n, unsigned w,
    bool shuf, uint64_t base)
{
	uint64_t v;

	for (size_t i = 0; i < n; i++) {
		v = 0;
		for (unsigned b = 0; b < w; b++)
			v |= (uint64_t)src[shuf ? b * n + i : i * w + b] <<
			    (8 * b);
		store_val(arr, fw, i, base + v);
	}
}

static void
unpack_fw(void *arr, unsigned fw, const uint8_t *src, size_t n, unsigned w,
    bool shuf, uint64_t base)
{
	switch (w * 2 + shuf) {
	case 0:
	case 1:
		unpack(arr, fw, src, n, 0, false, base);
		break;
	case 2:
	case 3:
		unpack(arr, fw, src, n, 1, false, base);
		break;
	case 4:
		unpack(arr, fw, src, n, 2, false, base);
		break;
	case 5:
		unpack(arr, fw, src, n, 2, true, base);
		break;
	case 8:
		unpack(arr, fw, src, n, 4, false, base);
		break;
	case 9:
		unpack(arr, fw, src, n, 4, true, base);
		break;
	case 16:
		unpack(arr, fw, src, n, 8, false, base);
		break;
	default:
		unpack(arr, fw, src, n, 8, true, base);
		break;
	}
}

static void
unpack_any(void *arr, unsigned fw, const uint8_t *src, size_t n, unsigned w,
    bool shuf, uint64_t base)
{
	switch (fw) {
	case 1:
		unpack_fw(arr, 1, src, n, w, shuf, base);
		break;
	case 2:
		unpack_fw(arr, 2, src, n, w, shuf, base);
		break;
	case 4:
		unpack_fw(arr, 4, src, n, w, shuf, base);
		break;
	default:
		unpack_fw(arr, 8, src, n, w, shuf, base);
		break;
	}
}

static int
decode_int(struct fcol *c, size_t n, const struct fcol_enc *e,
    const uint8_t *src, size_t len)
{
	unsigned fw = coldefs[e->id].width, w = e->width;

	if ((w != 0 && w != 1 && w != 2 && w != 4 && w != 8) || w > fw ||
	    (e->flags & ~FCOL_F_SHUFFLE) != 0)
		return NFE_UNSUPP;
	if (len != n * w)
		return NFE_CORRUPT;
	unpack_any(col_array(c, e->id), fw, src, n, w,
	    (e->flags & FCOL_F_SHUFFLE) != 0 && w > 1, e->base);
	return NFE_OK;
}

/* ---- address columns ---- */

static const uint8_t v4pfx[12] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff
};

static inline unsigned
addr_tag(const struct nf_addr *a)
{
	static const uint8_t zero[16];

	if (memcmp(a->a, v4pfx, 12) == 0)
		return 4;
	if (memcmp(a->a, zero, 16) == 0)
		return 0;
	return 16;
}

static int
encode_addr(const struct fcol *c, unsigned id, bool shuffle, uint8_t *dst,
    size_t cap, struct fcol_enc *e)
{
	const struct nf_addr *arr = col_array(c, id);
	size_t n = c->n, nv4 = 0, nz = 0, off;
	unsigned t;

	for (size_t i = 0; i < n; i++) {
		t = addr_tag(&arr[i]);
		if (t == 4)
			nv4++;
		else if (t == 0)
			nz++;
	}
	e->base = 0;
	e->flags = 0;
	if (nv4 == n) {
		e->width = FCOL_AW_V4;
		e->raw_len = 4 * n;
		if (cap < e->raw_len)
			return NFE_LIMIT;
		if (shuffle) {
			e->flags = FCOL_F_SHUFFLE;
			for (size_t i = 0; i < n; i++)
				for (unsigned b = 0; b < 4; b++)
					dst[b * n + i] = arr[i].a[12 + b];
		} else {
			for (size_t i = 0; i < n; i++)
				memcpy(dst + 4 * i, arr[i].a + 12, 4);
		}
		return NFE_OK;
	}
	if (nv4 == 0 && nz == 0) {
		e->width = FCOL_AW_V6;
		e->raw_len = 16 * n;
		if (cap < e->raw_len)
			return NFE_LIMIT;
		for (size_t i = 0; i < n; i++)
			memcpy(dst + 16 * i, arr[i].a, 16);
		return NFE_OK;
	}
	e->width = FCOL_AW_TAGGED;
	e->raw_len = n + 4 * nv4 + 16 * (n - nv4 - nz);
	if (cap < e->raw_len)
		return NFE_LIMIT;
	off = n;
	for (size_t i = 0; i < n; i++) {
		t = addr_tag(&arr[i]);
		dst[i] = (uint8_t)t;
		if (t == 4)
			memcpy(dst + off, arr[i].a + 12, 4);
		else if (t == 16)
			memcpy(dst + off, arr[i].a, 16);
		off += t;
	}
	return NFE_OK;
}

static int
decode_addr(struct fcol *c, size_t n, const struct fcol_enc *e,
    const uint8_t *src, size_t len)
{
	struct nf_addr *arr = col_array(c, e->id);
	size_t off;
	unsigned t;

	switch (e->width) {
	case FCOL_AW_V4:
		if ((e->flags & ~FCOL_F_SHUFFLE) != 0)
			return NFE_UNSUPP;
		if (len != 4 * n)
			return NFE_CORRUPT;
		for (size_t i = 0; i < n; i++) {
			memcpy(arr[i].a, v4pfx, 12);
			if (e->flags & FCOL_F_SHUFFLE) {
				for (unsigned b = 0; b < 4; b++)
					arr[i].a[12 + b] = src[b * n + i];
			} else
				memcpy(arr[i].a + 12, src + 4 * i, 4);
		}
		return NFE_OK;
	case FCOL_AW_V6:
		if (e->flags != 0)
			return NFE_UNSUPP;
		if (len != 16 * n)
			return NFE_CORRUPT;
		for (size_t i = 0; i < n; i++)
			memcpy(arr[i].a, src + 16 * i, 16);
		return NFE_OK;
	case FCOL_AW_TAGGED:
		if (e->flags != 0)
			return NFE_UNSUPP;
		if (len < n)
			return NFE_CORRUPT;
		off = n;
		for (size_t i = 0; i < n; i++) {
			t = src[i];
			if ((t != 0 && t != 4 && t != 16) || len - off < t)
				return NFE_CORRUPT;
			if (t == 0)
				memset(arr[i].a, 0, 16);
			else if (t == 4) {
				memcpy(arr[i].a, v4pfx, 12);
				memcpy(arr[i].a + 12, src + off, 4);
			} else
				memcpy(arr[i].a, src + off, 16);
			off += t;
		}
		return off == len ? NFE_OK : NFE_CORRUPT;
	default:
		return NFE_UNSUPP;
	}
}

int
fcol_encode(const struct fcol *c, unsigned id, bool shuffle, uint8_t *dst,
    size_t cap, struct fcol_enc *e)
{
	memset(e, 0, sizeof(*e));
	if (!fcol_known(id))
		return NFE_INVAL;
	e->id = (uint16_t)id;
	if (coldefs[id].kind == K_ADDR)
		return encode_addr(c, id, shuffle, dst, cap, e);
	return encode_int(c, id, shuffle, dst, cap, e);
}

int
fcol_decode(struct fcol *c, size_t n, const struct fcol_enc *e,
    const uint8_t *src, size_t len)
{
	int r;

	if (!fcol_known(e->id))
		return NFE_UNSUPP;
	if (n > c->cap)
		return NFE_LIMIT;
	if (coldefs[e->id].kind == K_ADDR)
		r = decode_addr(c, n, e, src, len);
	else
		r = decode_int(c, n, e, src, len);
	if (r == NFE_OK) {
		c->n = n;
		c->mask |= FCOL_BIT(e->id);
	}
	return r;
}

int
fcol_decode_finish(struct fcol *c)
{
	if (!(c->mask & FCOL_BIT(FCOL_LAST)))
		return NFE_OK;
	if (!(c->mask & FCOL_BIT(FCOL_FIRST)))
		return NFE_CORRUPT;
	for (size_t i = 0; i < c->n; i++)
		c->last_ms[i] += c->first_ms[i];
	return NFE_OK;
}
