/*
 * common/codec/tfplan.c -- encoder templates compiled into plans, and
 * the data sets written with them (see tfplan.h).
 *
 * Compiling resolves, once per template, what tf_put() works out per
 * field: the catalogue binding, the member's offset and width, the
 * field's place in the record.  The common cases (numbers of any
 * member width into 1, 2, 4 or 8 bytes, addresses, sysUpTime times,
 * ICMP type and code) then cost a load and a store each; anything else
 * goes through tf_put() into the field's own bytes, so a plan writes
 * exactly what tf_put() would.
 */
#include "common/base/compat.h"

#include <string.h>

#include "common/base/fields.h"
#include "common/codec/tfield.h"
#include "common/codec/tfplan.h"

/* Step rules.  S_NUM + 4 * m + l: an integer member of width index m
   into l (index 0..3: 1, 2, 4, 8 bytes), big-endian, cut or widened as
   wbuf_beN() does. */
enum {
	S_GENERAL,		/* tf_put() into the step's bytes */
	S_ADDR4,		/* IPv4 address: last 4 bytes of the nf_addr */
	S_ADDR16,		/* IPv6 address, 16 bytes */
	S_ADDR16_NZ,		/* ... all zero for a zero address ("none") */
	S_UPTIME4,		/* ms since 1970 as sysUpTime ms, 4 bytes */
	S_ICMP_TC2,		/* dst port of an ICMP flow, else 0; 2 bytes */
	S_NUM
};
#define S_NUMOP(m, l)	(S_NUM + 4 * (m) + (l))

/* Width index of 1, 2, 4 or 8 bytes; -1 for any other width. */
static int
width_idx(unsigned n)
{
	return n == 1 ? 0 : n == 2 ? 1 : n == 4 ? 2 : n == 8 ? 3 : -1;
}

static bool
is_int(const struct fld_desc *d)
{
	return d->type == FT_U8 || d->type == FT_U16 || d->type == FT_U32 ||
	    d->type == FT_U64;
}

/* The rule for one field; S_GENERAL unless a faster one is exact. */
static uint8_t
rule(const struct tf_spec *f, const struct fld_iebind *b,
    const struct fld_desc *d)
{
	int wl = width_idx(f->len), wm = is_int(d) ? width_idx(d->size) : -1;

	switch (b->conv) {
	case IEC_UINT:
	case IEC_MAC:
	case IEC_MPLS:
		break;
	case IEC_MS:
	case IEC_DUR_MS:
		if (d->kind == FK_DURATION)	/* computed: tf_value() */
			return S_GENERAL;
		break;
	case IEC_UPTIME:
		return d->type == FT_U64 && d->kind != FK_DURATION &&
		    f->len == 4 ? S_UPTIME4 : S_GENERAL;
	case IEC_ADDR4:
	case IEC_ADDR4_AF:
		return d->type == FT_ADDR && f->len == 4 ? S_ADDR4 : S_GENERAL;
	case IEC_ADDR6:
	case IEC_ADDR6_AF:
		return d->type == FT_ADDR && f->len == 16 ? S_ADDR16 :
		    S_GENERAL;
	case IEC_ADDR6_NZ:
		return d->type == FT_ADDR && f->len == 16 ? S_ADDR16_NZ :
		    S_GENERAL;
	case IEC_ICMP_TC:
		return f->len == 2 ? S_ICMP_TC2 : S_GENERAL;
	default:
		return S_GENERAL;
	}
	return wm >= 0 && wl >= 0 ? (uint8_t)S_NUMOP(wm, wl) : S_GENERAL;
}

/*
 * Is p compiled from t?  By content, (id, length) of every field:
 * encoders with extra fields build their templates anew per datagram
 * (tf_tmpl_extend), and this is much cheaper than compiling.
 */
static bool
plan_is(const struct tf_plan *p, const struct tf_tmpl *t)
{
	if (p->f == NULL || p->n != t->n || p->id != t->id)
		return false;
	for (size_t k = 0; k < t->n; k++)
		if (p->s[k].id != t->f[k].id || p->s[k].len != t->f[k].len)
			return false;
	return true;
}

bool
tf_plan_for(struct tf_plan *p, const struct tf_tmpl *t)
{
	size_t at = 0;

	if (plan_is(p, t))
		return true;
	p->f = NULL;
	if (t->n > TMPL_MAX_FIELDS)
		return false;
	for (size_t k = 0; k < t->n; k++) {
		const struct tf_spec *f = &t->f[k];
		const struct fld_iebind *b = fld_by_ie(f->id);
		struct tf_step *st = &p->s[k];

		st->at = (uint16_t)at;
		st->len = f->len;
		st->id = f->id;
		st->off = 0;
		st->op = S_GENERAL;
		if (b != NULL) {
			const struct fld_desc *d = fld(b->fld - 1u);

			st->off = d->off;
			st->op = rule(f, b, d);
		}
		at += f->len;
		if (at > UINT16_MAX)		/* no datagram holds it */
			return false;
	}
	p->rl = at;
	p->n = t->n;
	p->id = t->id;
	p->f = t->f;
	return true;
}

static inline void
st16(uint8_t *o, uint16_t v)
{
	o[0] = (uint8_t)(v >> 8);
	o[1] = (uint8_t)v;
}

static inline void
st32(uint8_t *o, uint32_t v)
{
	o[0] = (uint8_t)(v >> 24);
	o[1] = (uint8_t)(v >> 16);
	o[2] = (uint8_t)(v >> 8);
	o[3] = (uint8_t)v;
}

static inline void
st64(uint8_t *o, uint64_t v)
{
	st32(o, (uint32_t)(v >> 32));
	st32(o + 4, (uint32_t)v);
}

#define LD(T, m)	(*(const T *)(const void *)(m))
#define NUM_CASES(mi, T)						\
	case S_NUMOP(mi, 0): o[0] = (uint8_t)LD(T, m); break;		\
	case S_NUMOP(mi, 1): st16(o, (uint16_t)LD(T, m)); break;	\
	case S_NUMOP(mi, 2): st32(o, (uint32_t)LD(T, m)); break;	\
	case S_NUMOP(mi, 3): st64(o, (uint64_t)LD(T, m)); break;

/* tf_put() of one field into its own bytes; w's flag if it disagrees. */
static void
put_general(uint8_t *o, const struct tf_step *st, const struct flowrec *rec,
    const struct tf_clock *clk, struct wbuf *w)
{
	struct wbuf f;

	wbuf_init(&f, o, st->len);
	tf_put(&f, st->id, st->len, rec, clk);
	if (!wbuf_ok(&f) || wbuf_len(&f) != st->len)
		w->bad = true;
}

/* One record into q (p->rl bytes reserved). */
static void
put_record(uint8_t *q, const struct tf_plan *p, const struct flowrec *rec,
    const struct tf_clock *clk, struct wbuf *w)
{
	const uint8_t *r = (const uint8_t *)rec;

	for (size_t k = 0; k < p->n; k++) {
		const struct tf_step *st = &p->s[k];
		const uint8_t *m = r + st->off;
		uint8_t *o = q + st->at;

		switch (st->op) {
		case S_ADDR4:
			memcpy(o, m + 12, 4);
			break;
		case S_ADDR16:
			memcpy(o, m, 16);
			break;
		case S_ADDR16_NZ:
			if (addr_is_zero((const struct nf_addr *)(const void *)m))
				memset(o, 0, 16);
			else
				memcpy(o, m, 16);
			break;
		case S_UPTIME4:
			st32(o, (uint32_t)(clk->sys_uptime_ms -
			    (uint32_t)(clk->export_ms - LD(uint64_t, m))));
			break;
		case S_ICMP_TC2:
			st16(o, fld_is_icmp(rec) ? rec->dst_port : 0);
			break;
		NUM_CASES(0, uint8_t)
		NUM_CASES(1, uint16_t)
		NUM_CASES(2, uint32_t)
		NUM_CASES(3, uint64_t)
		default:
			put_general(o, st, rec, clk, w);
			break;
		}
	}
}

size_t
tf_put_planned_sets(struct wbuf *w, const struct tf_plan *v4,
    const struct tf_plan *v6, const struct flowrec *recs, size_t n,
    const struct tf_clock *clk, bool pad4)
{
	size_t i = 0, slack = pad4 ? 3 : 0;

	while (i < n) {
		bool is6 = recs[i].af == 6;
		const struct tf_plan *pl = is6 ? v6 : v4;
		size_t rl = pl->rl, mark;
		uint8_t *q;

		if (wbuf_room(w) < 4 + rl + slack)	/* set header + record */
			break;
		mark = wbuf_mark(w);
		wbuf_be16(w, pl->id);
		wbuf_be16(w, 0);			/* set length, patched */
		while (i < n && (recs[i].af == 6) == is6 &&
		    wbuf_room(w) >= rl + slack &&
		    (q = wbuf_reserve(w, rl)) != NULL) {
			put_record(q, pl, &recs[i], clk, w);
			i++;
		}
		if (pad4)
			while (wbuf_ok(w) && (wbuf_len(w) - mark) % 4 != 0)
				wbuf_u8(w, 0);
		wbuf_patch_be16(w, mark + 2, (uint16_t)(wbuf_len(w) - mark));
	}
	return i;
}

size_t
tf_put_data_sets(struct wbuf *w, const struct tf_tmpl *v4,
    const struct tf_tmpl *v6, const struct flowrec *recs, size_t n,
    const struct tf_clock *clk, bool pad4)
{
	struct tf_plan p4, p6;

	p4.f = p6.f = NULL;
	if (!tf_plan_for(&p4, v4) || !tf_plan_for(&p6, v6))
		return 0;
	return tf_put_planned_sets(w, &p4, &p6, recs, n, clk, pad4);
}
