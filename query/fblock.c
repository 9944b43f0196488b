/*
 * query/fblock.c -- can a block hold a record the filter accepts?  Asked
 * of the block's index (common/ffile/fidx.h) before any column is read.
 *
 * Each test of the compiled program answers, from the index, YES (every
 * record of the block passes it), NO (none does) or MAYBE.  The program
 * is a graph of tests whose jumps all go forward (filter_int.h), so one
 * pass in program order finds every test some record can reach: from a
 * reachable test, YES reaches its true target, NO its false target,
 * MAYBE both.  A record's own path only takes branches its values
 * allow, so it is among the reached paths; if ACCEPT is not reached, no
 * record passes.  And, or and not need no special case: the compiler
 * already turned them into jumps (not swaps the targets).
 *
 * Only "no" from the whole filter skips a block, so every MAYBE is safe;
 * YES and NO must be exact.  tests/t_fblock checks this against a full
 * scan of random blocks and filters.
 */
#include "common/base/compat.h"

#include <stdlib.h>
#include <string.h>

#include "common/base/fields.h"
#include "common/ffile/fidx.h"
#include "query/filter_int.h"

enum tri { T_NO, T_YES, T_MAYBE };

/* Lists longer than this are not probed (MAYBE): bounded cost. */
#define FBLOCK_MAX_PROBES	4096

/* Range [lo, hi] against "v cmp want". */
static enum tri
cmp_range(int cmp, uint64_t lo, uint64_t hi, uint64_t want)
{
	switch (cmp) {
	case FC_GT:
		return lo > want ? T_YES : hi <= want ? T_NO : T_MAYBE;
	case FC_LT:
		return hi < want ? T_YES : lo >= want ? T_NO : T_MAYBE;
	case FC_GE:
		return lo >= want ? T_YES : hi < want ? T_NO : T_MAYBE;
	case FC_LE:
		return hi <= want ? T_YES : lo > want ? T_NO : T_MAYBE;
	default:
		if (want < lo || want > hi)
			return T_NO;
		return lo == hi ? T_YES : T_MAYBE;
	}
}

/* Any value of the sorted list in [lo, hi]? */
static enum tri
list_range(const struct flist *l, uint64_t lo, uint64_t hi)
{
	size_t a = 0, b = l->n;

	while (a < b) {			/* first value >= lo */
		size_t m = a + (b - a) / 2;

		if (l->vals[m] < lo)
			a = m + 1;
		else
			b = m;
	}
	if (a == l->n || l->vals[a] > hi)
		return T_NO;
	return lo == hi ? T_YES : T_MAYBE;
}

/*
 * The range of integer field field over the block, for stored fields
 * and the computed ones that are monotone in one column.
 */
static bool
field_range(const struct fidx *ix, int field, struct fidx_int *s)
{
	const struct fld_desc *d = fld((unsigned)field);

	switch (d->kind) {
	case FK_ICMP_TYPE:		/* dst_port >> 8 */
		if (!fidx_int_range(ix, FCOL_DST_PORT, s))
			return false;
		s->min >>= 8;
		s->max >>= 8;
		s->or_ = UINT64_MAX;	/* bit tests: unknown */
		s->and_ = 0;
		return true;
	default:
		break;
	}
	if (d->col == 0 || d->type == FT_ADDR || d->type == FT_STR)
		return false;
	switch (d->kind) {
	case FK_DURATION: case FK_BPS: case FK_PPS: case FK_BPP:
	case FK_ICMP_CODE: case FK_MPLS_LABEL: case FK_MPLS_EXP:
	case FK_MPLS_EOS: case FK_ROUTER:
		return false;
	default:
		break;
	}
	return fidx_int_range(ix, d->col, s);
}

static enum tri
int_tri(const struct finsn *t, const struct fidx *ix)
{
	struct fidx_int s;

	if (!field_range(ix, t->field, &s))
		return T_MAYBE;
	switch (t->op) {
	case FO_FLAGS:			/* (v & val) == val */
		if ((s.or_ & t->val) != t->val)
			return T_NO;
		return (s.and_ & t->val) == t->val ? T_YES : T_MAYBE;
	case FO_FLAGS_ANY:		/* (v & val) != 0 */
		if ((s.or_ & t->val) == 0)
			return T_NO;
		return (s.and_ & t->val) != 0 ? T_YES : T_MAYBE;
	case FO_INLIST:
		return list_range(t->list, s.min, s.max);
	case FO_CMP:
		return cmp_range(t->cmp, s.min, s.max, t->val);
	default:
		return T_MAYBE;
	}
}

static void
a128_bytes(const struct a128 *a, uint8_t out[16])
{
	for (int i = 0; i < 8; i++) {
		out[i] = (uint8_t)(a->hi >> (56 - 8 * i));
		out[8 + i] = (uint8_t)(a->lo >> (56 - 8 * i));
	}
}

static int
a128_cmp(const struct a128 *a, const struct a128 *b)
{
	if (a->hi != b->hi)
		return a->hi < b->hi ? -1 : 1;
	if (a->lo != b->lo)
		return a->lo < b->lo ? -1 : 1;
	return 0;
}

static int
mask_len(const struct a128 *m)
{
	return __builtin_popcountll(m->hi) + __builtin_popcountll(m->lo);
}

/*
 * May the source or destination column hold an address in net/len
 * (net already masked)?  From the Bloom filter: hosts by their element,
 * IPv4 nets of /16../32 by their /24s, other nets of /40../128 by their
 * /48s (at most 256 probes).  True when the filter cannot tell.
 */
static bool
bloom_may(const struct fidx *ix, const struct a128 *net, int len)
{
	static const uint8_t v4pfx[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	    0xff, 0xff };
	uint8_t a[16], p[16];
	int plen, base;
	unsigned n;

	a128_bytes(net, a);
	if (len == 128) {
		fidx_net_of(a, p);
		return fidx_may_hold(ix, a, FIDX_E_ADDR) &&
		    fidx_may_hold(ix, p, FIDX_E_NET);
	}
	if (len >= 96 && memcmp(a, v4pfx, 12) == 0) {
		plen = 96 + 24;		/* every match is IPv4-mapped */
		base = 14;		/* last byte of the /24 */
	} else if (len >= 16 && (a[0] | a[1]) != 0) {
		plen = 48;		/* not v4-mapped: top 16 bits set */
		base = 5;
	} else
		return true;
	if (len >= plen) {
		fidx_net_of(a, p);
		return fidx_may_hold(ix, p, FIDX_E_NET);
	}
	if (plen - len > 8)
		return true;
	n = 1U << (plen - len);		/* prefixes of plen bits in net */
	for (unsigned i = 0; i < n; i++) {
		memcpy(p, a, 16);
		memset(p + base + 1, 0, 16 - (size_t)base - 1);
		p[base] = (uint8_t)(p[base] | i);
		if (fidx_may_hold(ix, p, FIDX_E_NET))
			return true;
	}
	return false;
}

/*
 * Can an address of column col in the block fall into net/mask (v6:
 * only non-v4-mapped addresses match)?  false is exact.
 */
static bool
net_may(const struct fidx *ix, unsigned col, const struct a128 *net,
    const struct a128 *mask)
{
	uint8_t lo[16], hi[16];
	struct a128 top = { net->hi | ~mask->hi, net->lo | ~mask->lo };
	struct a128 l, h;

	if (fidx_addr_range(ix, col, lo, hi)) {
		l.hi = l.lo = h.hi = h.lo = 0;
		for (int i = 0; i < 8; i++) {
			l.hi = l.hi << 8 | lo[i];
			l.lo = l.lo << 8 | lo[8 + i];
			h.hi = h.hi << 8 | hi[i];
			h.lo = h.lo << 8 | hi[8 + i];
		}
		if (a128_cmp(&top, &l) < 0 || a128_cmp(net, &h) > 0)
			return false;
	}
	if (col == FCOL_SRC || col == FCOL_DST)
		return bloom_may(ix, net, mask_len(mask));
	return true;
}

/* Some exporter of the block's exporter range whose address passes. */
static enum tri
router_tri(const struct finsn *t, const struct fidx *ix,
    const struct filter_env *env)
{
	struct fidx_int s;
	size_t n = env != NULL ? env->nexporters : 0;

	if (!fidx_int_range(ix, FCOL_EXPORTER, &s))
		return T_MAYBE;
	if (s.max - s.min > FBLOCK_MAX_PROBES)
		return T_MAYBE;
	for (uint64_t e = s.min; e <= s.max && e < n; e++) {
		struct flowrec r;

		/* the per-record test decides: one record per exporter */
		flowrec_init(&r);
		r.exporter = (uint16_t)e;
		if (finsn_test_rec(t, &r, env))
			return T_MAYBE;
	}
	return T_NO;
}

static enum tri
addr_tri(const struct finsn *t, const struct fidx *ix,
    const struct filter_env *env)
{
	const struct fld_desc *d = fld(t->field);
	const struct flist *l = t->list;

	if (d->kind == FK_ROUTER)
		return router_tri(t, ix, env);
	if (d->col == 0 || d->type != FT_ADDR)
		return T_MAYBE;
	if (t->op == FO_NET)
		return net_may(ix, d->col, &t->net, &t->mask) ? T_MAYBE : T_NO;
	if (l == NULL || l->ents == NULL || l->n > FBLOCK_MAX_PROBES)
		return T_MAYBE;
	for (uint32_t i = 0; i < l->n; i++) {
		struct a128 m, net;

		a128_mask(&m, l->ents[i].abslen);
		net.hi = l->ents[i].net.hi & m.hi;
		net.lo = l->ents[i].net.lo & m.lo;
		if (net_may(ix, d->col, &net, &m))
			return T_MAYBE;
	}
	return T_NO;
}

static enum tri
test_tri(const struct finsn *t, const struct fidx *ix,
    const struct filter_env *env)
{
	switch (t->op) {
	case FO_NET:
	case FO_ADDRLIST:
		return addr_tri(t, ix, env);
	case FO_STRLIST:
		return T_MAYBE;
	default:
		return int_tri(t, ix);
	}
}

bool
filter_block_may_match(const struct filter *f, const struct fidx *ix,
    const struct filter_env *env)
{
	uint8_t small[1024], *reach;
	bool acc = false;
	enum tri v;

	if (f->entry < 0)
		return f->entry == FJ_ACCEPT;
	if (f->nprog <= sizeof(small))
		reach = small;
	else if ((reach = malloc(f->nprog)) == NULL)
		return true;		/* cannot tell: read the block */
	memset(reach, 0, f->nprog);
	reach[f->entry] = 1;
	for (size_t pc = (size_t)f->entry; pc < f->nprog && !acc; pc++) {
		const struct finsn *t = &f->prog[pc];

		if (!reach[pc])
			continue;
		v = test_tri(t, ix, env);
		if (v != T_NO) {
			if (t->jt == FJ_ACCEPT)
				acc = true;
			else if (t->jt >= 0)
				reach[t->jt] = 1;
		}
		if (v != T_YES) {
			if (t->jf == FJ_ACCEPT)
				acc = true;
			else if (t->jf >= 0)
				reach[t->jf] = 1;
		}
	}
	if (reach != small)
		free(reach);
	return acc;
}
