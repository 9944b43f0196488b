/*
 * common/codec/tfield.c -- template-driven record codec shared by the v9 and
 * IPFIX decoders and encoders (RFC 3954 section 8 field types, RFC
 * 7011 sections 3.4.3 and 7 for reduced-size and variable-length
 * encoding, RFC 5102/7012 for the element semantics).
 *
 * Unknown elements and enterprise-specific ones are skipped by their
 * length, except the RFC 5103 reverse elements (enterprise 29305) of the
 * fields bound as FLD_IE_REVERSE in the catalogue.  A known element whose length makes no sense for its type
 * (an IPv4 address in 3 bytes, a counter in 9) is skipped as well.
 */
#include "common/base/compat.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/base/fields.h"
#include "common/base/nferr.h"
#include "common/base/timeutil.h"
#include "common/codec/ie.h"
#include "common/codec/nfenc.h"
#include "common/codec/sampling.h"
#include "common/codec/tfield.h"

static const uint8_t zero16[16];

/* Times and choices seen while walking one record. */
struct rec_acc {
	uint64_t	abs_start, abs_end;	/* UTC ms */
	uint64_t	dur_ms;
	uint32_t	up_start, up_end;
	uint32_t	dstart_us, dend_us;
	struct samp_fields sf;		/* sampling elements of the record */
	uint16_t	icmp;
	uint8_t		icmp_type, icmp_code;
	bool		has_abs_start, has_abs_end, has_dur;
	bool		has_up_start, has_up_end;
	bool		has_dstart, has_dend;
	bool		has_v4, has_v6, has_icmp, has_icmp_tc;
	uint8_t		won[FLD_N];	/* priority of the element a field
					   took its value from; 0: none */
};

int
tf_parse_fields(struct rbuf *r, size_t n, bool ipfix, struct tmpl *t)
{
	if (n > TMPL_MAX_FIELDS)
		return NFE_LIMIT;
	for (size_t i = 0; i < n; i++) {
		struct tmpl_field *f = &t->fields[i];

		f->id = rbuf_be16(r);
		f->len = rbuf_be16(r);
		f->pen = 0;
		if (ipfix && (f->id & 0x8000)) {
			f->id &= 0x7fff;
			f->pen = rbuf_be32(r);
		}
		if (!rbuf_ok(r))
			return NFE_FORMAT;
	}
	t->nfields = (uint16_t)n;
	return NFE_OK;
}

static uint64_t
ntp64_ms(uint64_t v)
{
	return time_from_ntp((uint32_t)(v >> 32), (uint32_t)v);
}

static uint64_t
uptime_ms(const struct tf_clock *clk, uint32_t up)
{
	if (clk->has_uptime)
		return time_from_uptime(clk->export_ms, clk->sys_uptime_ms, up);
	if (clk->sys_init_ms != 0)
		return clk->sys_init_ms + up;
	return clk->export_ms;	/* XXX: no systemInitTime known yet */
}

static uint64_t
delta_ms(const struct tf_clock *clk, uint32_t us)
{
	uint64_t d = us / 1000;

	return clk->export_ms > d ? clk->export_ms - d : 0;
}

/*
 * May an element of priority prio set field f?  Priority 0 always
 * may; otherwise the record's element of the lowest number wins,
 * whatever their order in the template (octetDeltaCount over
 * octetTotalCount over postOctetDeltaCount; vlanId over dot1qVlanId).
 */
static bool
take(struct rec_acc *a, unsigned f, uint8_t prio)
{
	if (prio == 0)
		return true;
	if (a->won[f] != 0 && prio > a->won[f])
		return false;
	a->won[f] = prio;
	return true;
}

/* A time element of field d, in ms since 1970 or as sysUpTime/delta. */
static void
put_time(const struct fld_desc *d, unsigned conv, uint64_t v,
    struct flowrec *rec, struct rec_acc *a, const struct tf_clock *clk)
{
	bool start = d->kind == FK_TSTART;

	if (d->kind != FK_TSTART && d->kind != FK_TEND) {
		/* another time: converted at once (no fallbacks) */
		if (conv == IEC_UPTIME)
			v = uptime_ms(clk, (uint32_t)v);
		else if (conv == IEC_DELTA_US)
			v = delta_ms(clk, (uint32_t)v);
		fld_set_u64(d, rec, v);
		return;
	}
	switch (conv) {
	case IEC_UPTIME:
		if (start) {
			a->up_start = (uint32_t)v;
			a->has_up_start = true;
		} else {
			a->up_end = (uint32_t)v;
			a->has_up_end = true;
		}
		break;
	case IEC_DELTA_US:
		if (start) {
			a->dstart_us = (uint32_t)v;
			a->has_dstart = true;
		} else {
			a->dend_us = (uint32_t)v;
			a->has_dend = true;
		}
		break;
	default:
		if (start) {
			a->abs_start = v;
			a->has_abs_start = true;
		} else {
			a->abs_end = v;
			a->has_abs_end = true;
		}
		break;
	}
}

/*
 * What to do with one field of a template: its catalogue binding
 * (common/base/fieldlist.h) resolved once per template, so that the
 * per-field hot path is one switch.  op is an enum fld_iec, or one of
 * the P_* below for an unsigned field (by its width), a sampling
 * element (common/codec/sampling.h) or an element nothing reads.
 */
struct fplan {
	uint8_t		op;
	uint8_t		prio;		/* fld_iebind.prio */
	uint8_t		fld;		/* FLD_* */
	uint8_t		size;		/* bytes of the member */
	uint16_t	off;		/* offset of the member in the record */
	uint16_t	id;		/* element id */
	uint16_t	pos;		/* fixed plan: offset in the data record */
	uint16_t	len;		/* fixed plan: the field's length */
};
enum {
	P_SKIP = 200, P_SAMP, P_U8, P_U16, P_U32, P_U64,
	/* fixed plan: member of size m from n bytes, P_Cmn */
	P_C11, P_C21, P_C22, P_C42, P_C44, P_C84, P_C88,
	/* fixed plan: IPv4 address (of the family: _AF), start and end
	   as sysUpTime in 4 bytes or ms in 8, ICMP type/code in 2 */
	P_A4, P_A4_AF, P_UP_START4, P_UP_END4, P_MS_START8, P_MS_END8,
	P_ICMP2
};

/*
 * A template's plan, made when its first data set arrives and kept with
 * it in the template cache (tmpl_set_aux; freed when the template
 * changes or goes).  A template without variable-length fields gets a
 * fixed plan: only the fields something reads, each at its offset in
 * the record, and a direct load of an unsigned field whose length is
 * the member's or a common narrower one (the exporters' 4-byte
 * counters, 2-byte interfaces).  Others keep one entry per template
 * field, walked with each field's length.  It depends on nothing but
 * the template and the catalogue.
 */
struct tplan {
	fcol_mask	 cols;		/* columns a record may set */
	size_t		 n;		/* entries in f */
	bool		 fixed;
	bool		 prio;		/* an entry has prio > 0: won[] used */
	struct fplan	 f[];		/* the template's nfields while
					   planning, then n */
};

/* The direct load of a fixed plan's field, or its own op. */
static uint8_t
fixed_op(const struct fplan *pl)
{
	const struct fld_desc *d = fld(pl->fld);
	bool start = d->kind == FK_TSTART, end = d->kind == FK_TEND;

	static const struct {
		uint8_t size, len, op;
	} direct[] = {
		{ 1, 1, P_C11 }, { 2, 1, P_C21 }, { 2, 2, P_C22 },
		{ 4, 2, P_C42 }, { 4, 4, P_C44 }, { 8, 4, P_C84 },
		{ 8, 8, P_C88 },
	};

	switch (pl->op) {
	case IEC_ADDR4:
		return pl->len == 4 ? P_A4 : pl->op;
	case IEC_ADDR4_AF:
		return pl->len == 4 ? P_A4_AF : pl->op;
	case IEC_UPTIME:
		return pl->len != 4 ? pl->op : start ? P_UP_START4 :
		    end ? P_UP_END4 : pl->op;
	case IEC_MS:
		return pl->len != 8 ? pl->op : start ? P_MS_START8 :
		    end ? P_MS_END8 : pl->op;
	case IEC_ICMP_TC:
		return pl->len == 2 ? P_ICMP2 : pl->op;
	default:
		break;
	}
	if (pl->op < P_U8 || pl->op > P_U64)
		return pl->op;
	for (size_t k = 0; k < sizeof(direct) / sizeof(direct[0]); k++)
		if (direct[k].size == pl->size && direct[k].len == pl->len)
			return direct[k].op;
	return pl->op;
}

/*
 * Plan t's fields into a new tplan (owned by the caller: free()), or
 * NULL if there is no memory; ->cols: the columns a record of t may
 * set, those of its bound fields and those finish() sets (all of
 * format 1.0: times, af, dst_port, sampling).
 */
static struct tplan *
plan_template(const struct tmpl *t)
{
	struct tplan *tp = malloc(offsetof(struct tplan, f) +
	    (t->nfields + 0u) * sizeof(struct fplan));
	struct fplan *pl;
	fcol_mask cols = FCOL_LEGACY;
	size_t pos = 0, n = 0;

	if (tp == NULL)
		return NULL;
	pl = tp->f;

	tp->fixed = !t->varlen && t->min_len <= UINT16_MAX;
	tp->prio = false;
	for (size_t i = 0; i < t->nfields; i++) {
		const struct tmpl_field *f = &t->fields[i];
		const struct fld_iebind *b = f->pen == 0 ? fld_by_ie(f->id) :
		    f->pen == FLD_PEN_REVERSE && f->id < FLD_IE_REV ?
		    fld_by_ie(FLD_IE_REVERSE(f->id)) : NULL;
		const struct fld_desc *d;

		memset(&pl[i], 0, sizeof(pl[i]));
		pl[i].id = f->id;
		if (b == NULL) {
			pl[i].op = f->pen == 0 && samp_is_field(f->id) ?
			    P_SAMP : P_SKIP;
			continue;
		}
		d = fld(b->fld - 1u);
		pl[i].op = b->conv;
		pl[i].prio = b->prio;
		pl[i].fld = (uint8_t)(b->fld - 1u);
		pl[i].size = d->size;
		pl[i].off = d->off;
		if (d->col != 0)
			cols |= FCOL_BIT(d->col);
		if (b->conv == IEC_UINT || b->conv == IEC_MAC ||
		    b->conv == IEC_MPLS)
			pl[i].op = d->size == 1 ? P_U8 : d->size == 2 ? P_U16 :
			    d->size == 4 ? P_U32 : P_U64;
	}
	/* a field with one element in the template takes it whatever its
	   priority: only rivals need won[] (and the walk record by record) */
	{
		uint8_t seen[FLD_N];

		memset(seen, 0, sizeof(seen));
		for (size_t i = 0; i < t->nfields; i++)
			if (pl[i].prio != 0 && seen[pl[i].fld] < 2)
				seen[pl[i].fld]++;
		for (size_t i = 0; i < t->nfields; i++) {
			if (pl[i].prio != 0 && seen[pl[i].fld] == 1)
				pl[i].prio = 0;
			tp->prio |= pl[i].prio != 0;
		}
	}
	tp->cols = cols;
	tp->n = t->nfields;
	if (!tp->fixed)
		return tp;
	/* compact: pl[n] <= pl[i] always, so entries move down in place */
	for (size_t i = 0; i < t->nfields; i++) {
		size_t len = t->fields[i].len;

		if (pl[i].op != P_SKIP) {
			pl[n] = pl[i];
			pl[n].pos = (uint16_t)pos;
			pl[n].len = (uint16_t)len;
			pl[n].op = fixed_op(&pl[n]);
			n++;
		}
		pos += len;
	}
	tp->n = n;
	return tp;
}

/*
 * The plan of key's template t: the one kept with it, else a new one
 * given to the cache.  NULL if there is no memory.
 */
static const struct tplan *
plan_of(struct tmpl_cache *c, const struct tmpl_key *key,
    const struct tmpl *t)
{
	struct tplan *tp = tmpl_aux(t);

	if (tp == NULL && (tp = plan_template(t)) != NULL)
		tmpl_set_aux(c, key, tp);
	return tp;
}

/*
 * Apply element id of len bytes (already bounds-checked) to rec, as
 * its plan says.  This is the per-field hot path.
 */
static void
apply(const struct fplan *pl, uint16_t id, const uint8_t *p, size_t len,
    struct flowrec *rec, struct rec_acc *a, const struct tf_clock *clk)
{
	uint8_t *m = (uint8_t *)rec + pl->off;
	uint64_t v = 0;

	switch (pl->op) {
	case P_SKIP:
		return;
	case P_SAMP:
		if (len >= 1 && len <= 8)
			samp_collect(&a->sf, id, p, len);
		return;
	case IEC_ADDR4:
	case IEC_ADDR4_AF:
		if (len == 4 && (pl->prio == 0 || take(a, pl->fld, pl->prio))) {
			addr_from_v4_bytes((struct nf_addr *)(void *)m, p);
			if (pl->op == IEC_ADDR4_AF)
				a->has_v4 = true;
		}
		return;
	case IEC_ADDR6:
	case IEC_ADDR6_AF:
	case IEC_ADDR6_NZ:
		if (len != 16 || (pl->op == IEC_ADDR6_NZ &&
		    memcmp(p, zero16, 16) == 0))	/* :: is "none" */
			return;
		if (pl->prio == 0 || take(a, pl->fld, pl->prio)) {
			addr_from_v6((struct nf_addr *)(void *)m, p);
			if (pl->op == IEC_ADDR6_AF)
				a->has_v6 = true;
		}
		return;
	case IEC_STR:
		/* borrowed from the datagram: flowrec.h, struct nf_str */
		if (pl->prio == 0 || take(a, pl->fld, pl->prio))
			flowrec_str_set((struct nf_str *)(void *)m, p, len);
		return;
	case IEC_APPID:
		/* RFC 6759: engine byte, selector (its last 7 bytes kept) */
		if (len == 0 || !(pl->prio == 0 || take(a, pl->fld, pl->prio)))
			return;
		for (size_t i = len > 8 ? len - 7 : 1; i < len; i++)
			v = v << 8 | p[i];
		*(uint64_t *)(void *)m = (uint64_t)p[0] << 56 | v;
		return;
	default:
		break;
	}
	if (len == 0 || len > 8)
		return;
	for (size_t i = 0; i < len; i++)
		v = v << 8 | p[i];
	switch (pl->op) {
	case P_U8:
		if (pl->prio == 0 || take(a, pl->fld, pl->prio))
			*m = (uint8_t)v;
		break;
	case P_U16:
		if (pl->prio == 0 || take(a, pl->fld, pl->prio))
			*(uint16_t *)(void *)m = (uint16_t)v;
		break;
	case P_U32:
		if (pl->prio == 0 || take(a, pl->fld, pl->prio))
			*(uint32_t *)(void *)m = (uint32_t)v;
		break;
	case P_U64:
		if (pl->prio == 0 || take(a, pl->fld, pl->prio))
			*(uint64_t *)(void *)m = v;
		break;
	case IEC_SEC:				/* dateTimeSeconds */
		put_time(fld(pl->fld), pl->op, v * 1000, rec, a, clk);
		break;
	case IEC_NTP:				/* RFC 7011 6.1.9 */
		if (len == 8)
			put_time(fld(pl->fld), pl->op, ntp64_ms(v), rec, a,
			    clk);
		break;
	case IEC_MS:
	case IEC_UPTIME:
	case IEC_DELTA_US:
		put_time(fld(pl->fld), pl->op, v, rec, a, clk);
		break;
	case IEC_DUR_MS:
		a->dur_ms = v;
		a->has_dur = true;
		break;
	case IEC_DUR_US:
		a->dur_ms = v / 1000;
		a->has_dur = true;
		break;
	case IEC_ICMP_TC:
		a->icmp = (uint16_t)v;
		a->has_icmp = true;
		break;
	case IEC_ICMP_T:
		a->icmp_type = (uint8_t)v;
		a->has_icmp_tc = true;
		break;
	case IEC_ICMP_C:
		a->icmp_code = (uint8_t)v;
		a->has_icmp_tc = true;
		break;
	default:
		break;
	}
}

/*
 * Rate of a data record that carries sampling elements.  Returns true
 * (and the sampler in *wait_id) if the record names a sampler whose
 * rate is not known yet and nothing else gives it one.
 */
static bool
record_rate(struct flowrec *rec, const struct samp_fields *sf,
    const struct tmpl_opts *so, uint64_t *wait_id)
{
	struct samp_result sr = samp_rate(sf);
	uint64_t id = 0;
	bool has_id;

	if (sr.verdict == SAMP_RATE) {
		rec->sampling = sr.rate;
		return false;
	}
	has_id = samp_id(sf, &id);
	rec->sampling = tmpl_opts_rate(so, has_id, id);
	if (has_id && tmpl_opts_rate_unknown(so, id)) {
		*wait_id = id;
		return true;
	}
	return false;
}

/*
 * Turn what one record carried into the record's final fields.  The
 * sampling rate is the record's own (its sampling elements, when they
 * give a rate by the rules of common/codec/sampling.h), else that of the
 * sampler it names (48, 302), else the domain's (so may be NULL).
 * Returns record_rate()'s answer: true if the rate must be waited for.
 */
static bool
finish(struct flowrec *rec, const struct rec_acc *a,
    const struct tf_clock *clk, const struct tmpl_opts *so, uint64_t *wait_id)
{
	bool fs = true, ls = true;

	if (a->has_abs_start)
		rec->first_ms = a->abs_start;
	else if (a->has_dstart)
		rec->first_ms = delta_ms(clk, a->dstart_us);
	else if (a->has_up_start)
		rec->first_ms = uptime_ms(clk, a->up_start);
	else
		fs = false;
	if (a->has_abs_end)
		rec->last_ms = a->abs_end;
	else if (a->has_dend)
		rec->last_ms = delta_ms(clk, a->dend_us);
	else if (a->has_up_end)
		rec->last_ms = uptime_ms(clk, a->up_end);
	else
		ls = false;
	if (fs && !ls)
		rec->last_ms = rec->first_ms + (a->has_dur ? a->dur_ms : 0);
	else if (!fs && ls)
		rec->first_ms = rec->last_ms -
		    (a->has_dur && a->dur_ms <= rec->last_ms ? a->dur_ms : 0);
	else if (!fs && !ls)
		rec->first_ms = rec->last_ms = clk->export_ms;
	rec->af = a->has_v6 && !a->has_v4 ? 6 : 4;
	if (fld_is_icmp(rec)) {
		if (a->has_icmp)
			rec->dst_port = a->icmp;
		else if (a->has_icmp_tc)
			rec->dst_port = (uint16_t)(a->icmp_type << 8 |
			    a->icmp_code);
	}
	if (a->sf.present != 0)
		return record_rate(rec, &a->sf, so, wait_id);
	rec->sampling = tmpl_opts_rate(so, false, 0);
	return false;
}

/*
 * Read the length of one field of a record: the template's, or for a
 * variable-length field the 1- or 3-byte prefix (RFC 7011 7).
 */
static bool
field_len(struct rbuf *r, const struct tmpl_field *f, size_t *len)
{
	if (f->len != IE_VARLEN) {
		*len = f->len;
		return true;
	}
	*len = rbuf_u8(r);
	if (*len == 255)
		*len = rbuf_be16(r);
	return rbuf_ok(r);
}

/* A big-endian value at p (bytes the caller has bounds-checked). */
static inline uint16_t
ld_be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t
ld_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

static inline uint64_t
ld_be64(const uint8_t *p)
{
	return (uint64_t)ld_be32(p) << 32 | ld_be32(p + 4);
}

/*
 * The fields of m records by a fixed plan, field by field (so that the
 * plan's switch is taken once per field of a run of records, not once
 * per field of each record): record j is the stride bytes at
 * p + j * stride, decoded into rec[j] with a[j].  Every record sees its
 * fields in template order, as a walk record by record would.
 */
#define EACH_REC(body) \
	for (size_t j = 0; j < m; j++) { \
		const uint8_t *v = p + j * stride + pl->pos; \
		uint8_t *mb = (uint8_t *)&rec[j] + pl->off; \
		(void)mb; \
		if (pl->prio != 0 && !take(&a[j], pl->fld, pl->prio)) \
			continue; \
		body; \
	}
#define EACH_ACC(body) \
	for (size_t j = 0; j < m; j++) { \
		const uint8_t *v = p + j * stride + pl->pos; \
		body; \
	}
static void
apply_fixed(const struct tplan *tp, const uint8_t *p, size_t stride,
    struct flowrec *rec, struct rec_acc *a, size_t m,
    const struct tf_clock *clk)
{
	for (size_t i = 0; i < tp->n; i++) {
		const struct fplan *pl = &tp->f[i];

		switch (pl->op) {
		case P_C11:
			EACH_REC(*mb = v[0])
			break;
		case P_C21:
			EACH_REC(*(uint16_t *)(void *)mb = v[0])
			break;
		case P_C22:
			EACH_REC(*(uint16_t *)(void *)mb = ld_be16(v))
			break;
		case P_C42:
			EACH_REC(*(uint32_t *)(void *)mb = ld_be16(v))
			break;
		case P_C44:
			EACH_REC(*(uint32_t *)(void *)mb = ld_be32(v))
			break;
		case P_C84:
			EACH_REC(*(uint64_t *)(void *)mb = ld_be32(v))
			break;
		case P_C88:
			EACH_REC(*(uint64_t *)(void *)mb = ld_be64(v))
			break;
		case P_A4:
			EACH_REC(addr_from_v4_bytes((struct nf_addr *)(void *)mb,
			    v))
			break;
		case P_A4_AF:
			EACH_REC(addr_from_v4_bytes((struct nf_addr *)(void *)mb,
			    v); a[j].has_v4 = true)
			break;
		case P_UP_START4:
			EACH_ACC(a[j].up_start = ld_be32(v);
			    a[j].has_up_start = true)
			break;
		case P_UP_END4:
			EACH_ACC(a[j].up_end = ld_be32(v); a[j].has_up_end = true)
			break;
		case P_MS_START8:
			EACH_ACC(a[j].abs_start = ld_be64(v);
			    a[j].has_abs_start = true)
			break;
		case P_MS_END8:
			EACH_ACC(a[j].abs_end = ld_be64(v);
			    a[j].has_abs_end = true)
			break;
		case P_ICMP2:
			EACH_ACC(a[j].icmp = ld_be16(v); a[j].has_icmp = true)
			break;
		default:
			EACH_ACC(apply(pl, pl->id, v, pl->len, &rec[j], &a[j],
			    clk))
			break;
		}
	}
}

/*
 * One data record into rec.  *wait is set if it names a sampler whose
 * rate is unknown (*wait_id: which).
 */
static int
decode_record(const struct tmpl *t, const struct tplan *tp, struct rbuf *r,
    const struct tf_clock *clk, const struct tmpl_opts *so,
    struct flowrec *rec, bool *wait, uint64_t *wait_id)
{
	struct rec_acc a;
	struct rbuf one;
	size_t len;

	/* won[] is read only for elements of a priority */
	memset(&a, 0, tp->prio ? sizeof(a) : offsetof(struct rec_acc, won));
	flowrec_init(rec);
	if (tp->fixed) {
		if (!rbuf_sub(r, t->min_len, &one))
			return NFE_TRUNC;
		apply_fixed(tp, rbuf_ptr(&one), t->min_len, rec, &a, 1, clk);
	} else {
		for (size_t i = 0; i < t->nfields; i++) {
			const struct tmpl_field *f = &t->fields[i];
			const uint8_t *p;

			if (!field_len(r, f, &len) ||
			    rbuf_remaining(r) < len)
				return NFE_TRUNC;
			p = rbuf_ptr(r);
			(void)rbuf_skip(r, len);
			apply(&tp->f[i], f->id, p, len, rec, &a, clk);
		}
	}
	*wait = finish(rec, &a, clk, so, wait_id);
	return NFE_OK;
}

/* Whole records in r (a copy): the template's walk, no decoding. */
static uint32_t
count_records(const struct tmpl *t, struct rbuf r)
{
	uint32_t n = 0;
	size_t len;

	while (rbuf_remaining(&r) >= t->min_len) {
		for (size_t i = 0; i < t->nfields; i++)
			if (!field_len(&r, &t->fields[i], &len) ||
			    !rbuf_skip(&r, len))
				return n;
		n++;
	}
	return n;
}

/* True if a record of r (a copy) waits for its sampler's rate. */
static bool
set_waits(const struct tmpl *t, const struct tplan *tp, struct rbuf r,
    const struct tf_clock *clk, const struct tmpl_opts *so)
{
	struct flowrec rec;
	uint64_t id;
	bool wait;

	while (rbuf_remaining(&r) >= t->min_len) {
		if (decode_record(t, tp, &r, clk, so, &rec, &wait, &id) !=
		    NFE_OK)
			return false;
		if (wait)
			return true;
	}
	return false;
}

/*
 * Remember sampler id as known without a rate, so that its records are
 * not held again; options data naming it later replaces that.
 */
static const struct tmpl_opts *
forget_wait(struct tf_set *s, uint64_t id)
{
	struct tmpl_opts o;

	memset(&o, 0, sizeof(o));
	o.samplers[0].id = id;
	o.nsamplers = 1;
	(void)tmpl_opts_update(s->ctx->tmpl, &s->key, &o);
	return tmpl_opts_get(s->ctx->tmpl, &s->key);
}

/* Offer the records from at on to ctx->norate; true if it kept them. */
static bool
hold_rest(struct tf_set *s, const struct tmpl *t, const struct rbuf *at)
{
	const struct nf_decode_ctx *ctx = s->ctx;

	if (!ctx->norate(ctx->arg, s->key.version, s->key.domain, s->key.id,
	    rbuf_ptr(at), rbuf_remaining(at), s->clk.export_ms,
	    s->clk.sys_uptime_ms))
		return false;
	s->info->rate_held++;
	s->info->rate_held_records += count_records(t, *at);
	return true;
}

/*
 * Options data record (RFC 3954 6.1 / RFC 7011 3.4.2.2) -> option state
 * update, by the rules of common/codec/sampling.h.  A record that announces
 * sampling sets the rate of the sampler it names (samplerId 48 /
 * selectorId 302), or the domain's without one (nfdump does the same);
 * an announcement without a usable rate (time-based, filtering,
 * nonsense values) sets it to 0: no scale-up from it.  *sr says what
 * the record meant (SAMP_NONE if it did not speak of sampling).
 */
static int
decode_options(const struct tmpl *t, struct rbuf *r, uint16_t version,
    struct tmpl_opts *o, struct samp_result *sr, struct nf_samp_note *note)
{
	struct samp_fields sf;
	uint64_t sid = 0;
	uint32_t rate;
	size_t len;
	struct rbuf v;

	memset(o, 0, sizeof(*o));
	memset(&sf, 0, sizeof(sf));
	for (size_t i = 0; i < t->nfields; i++) {
		const struct tmpl_field *f = &t->fields[i];

		if (!field_len(r, f, &len) || !rbuf_sub(r, len, &v))
			return NFE_TRUNC;
		/* v9 scope field types are not element ids (RFC 3954 6.1) */
		if (f->pen != 0 || (version == 9 && i < t->scope_count) ||
		    len == 0 || len > 8)
			continue;
		if (f->id == IE_SYSTEM_INIT_TIME_MILLISECONDS)
			o->sys_init_ms = rbuf_beN(&v, len);
		else if (samp_is_field(f->id))
			samp_collect(&sf, f->id, rbuf_ptr(&v), len);
	}
	*sr = samp_rate(&sf);
	if (sr->verdict == SAMP_NONE)
		return NFE_OK;
	rate = sr->verdict == SAMP_RATE ? sr->rate : 0;
	note->why = (uint8_t)sr->why;
	note->algorithm = sr->algorithm;
	note->has_id = samp_id(&sf, &sid);
	note->id = sid;
	if (note->has_id) {
		o->samplers[0].id = sid;
		o->samplers[0].rate = rate;
		o->nsamplers = 1;
	} else {
		o->sampling = rate;
		o->has_sampling = true;
	}
	return NFE_OK;
}

static int
notmpl(struct tf_set *s, struct rbuf *r)
{
	const struct nf_decode_ctx *ctx = s->ctx;

	s->info->no_template++;
	if (!s->held && ctx->notmpl != NULL)
		ctx->notmpl(ctx->arg, s->key.version, s->key.domain, s->key.id,
		    rbuf_ptr(r), rbuf_remaining(r), s->clk.export_ms,
		    s->clk.sys_uptime_ms);
	return NFE_NOTMPL;
}

/*
 * The records of a set by a fixed plan, in runs
 * of up to TF_RUN records decoded field by field into consecutive slots
 * of the batch (apply_fixed); then each is finished, offered to norate
 * if it waits for a rate, and kept, in order, as tf_data_set's walk
 * record by record does.  Slots after a record that goes to norate stay
 * scratch.
 */
#define TF_RUN	32
static int
decode_runs(struct tf_set *s, const struct tmpl *t, const struct tplan *tp,
    struct rbuf *r, const struct tmpl_opts *so)
{
	const struct nf_decode_ctx *ctx = s->ctx;
	struct rec_acc a[TF_RUN];
	struct flowrec *rec;
	size_t len = t->min_len, m;
	struct rbuf at;
	uint64_t wait_id = 0;
	bool wait;
	int rc;

	while (rbuf_remaining(r) >= len) {
		if ((rec = nf_out_slots(s->out, &m)) == NULL)
			return NFE_LIMIT;	/* a batch without full */
		if (m > rbuf_remaining(r) / len)
			m = rbuf_remaining(r) / len;
		if (m > TF_RUN)
			m = TF_RUN;
		for (size_t j = 0; j < m; j++) {
			memset(&a[j], 0, tp->prio ? sizeof(a[j]) :
			    offsetof(struct rec_acc, won));
			flowrec_init(&rec[j]);
		}
		apply_fixed(tp, rbuf_ptr(r), len, rec, a, m, &s->clk);
		for (size_t j = 0; j < m; j++) {
			at = *r;
			(void)rbuf_skip(r, len);
			wait = finish(&rec[j], &a[j], &s->clk, so, &wait_id);
			if (wait && !s->held && ctx->norate != NULL) {
				if (hold_rest(s, t, &at))
					return NFE_OK;
				so = forget_wait(s, wait_id);	/* no room */
			} else if (wait && s->held)
				so = forget_wait(s, wait_id);
			s->info->records++;
			/* a full batch is emptied only by its last slot,
			   rec[m - 1] */
			if ((rc = nf_out_keep(s->out)) != 0)
				return rc;
		}
	}
	return NFE_OK;
}

int
tf_data_set(struct tf_set *s, struct rbuf *r)
{
	const struct nf_decode_ctx *ctx = s->ctx;
	const struct tmpl *t;
	const struct tmpl_opts *so;
	struct tmpl_opts o;
	struct samp_result sr;
	struct nf_samp_note note;
	struct flowrec *rec;
	const struct tplan *tp;
	struct rbuf at;
	size_t body = rbuf_remaining(r);
	uint64_t wait_id = 0;
	bool wait;
	int rc;

	if ((t = tmpl_get(ctx->tmpl, &s->key)) == NULL)
		return notmpl(s, r);
	/* a set shorter than one record but longer than padding */
	if (body < t->min_len && body >= 4) {
		tmpl_drop_mismatch(ctx->tmpl, &s->key);
		s->info->bad_sets++;
		return NFE_FORMAT;
	}
	if (t->options) {
		while (rbuf_remaining(r) >= t->min_len) {
			if (decode_options(t, r, s->key.version, &o, &sr,
			    &note) != NFE_OK)
				goto mismatch;
			if ((rc = tmpl_opts_update(ctx->tmpl, &s->key, &o)) !=
			    NFE_OK)
				return rc;
			if (sr.verdict == SAMP_RATE)
				s->info->sampling = sr.rate;
			else if (sr.verdict == SAMP_BAD &&
			    s->info->samp_bad++ == 0)
				s->info->samp_bad_first = note;
			s->info->options++;
		}
		return NFE_OK;
	}
	so = tmpl_opts_get(ctx->tmpl, &s->key);
	if (so != NULL && so->sys_init_ms != 0 && !s->clk.has_uptime)
		s->clk.sys_init_ms = so->sys_init_ms;
	/* a held set waits whole until no record of it waits */
	if ((tp = plan_of(ctx->tmpl, &s->key, t)) == NULL)
		return NFE_NOMEM;
	if (s->held && !ctx->rate_final && set_waits(t, tp, *r, &s->clk, so))
		return NFE_NOTMPL;
	nf_out_cols(s->out, tp->cols);
	if (tp->fixed)
		return decode_runs(s, t, tp, r, so);
	while (rbuf_remaining(r) >= t->min_len) {
		at = *r;
		if ((rec = nf_out_slot(s->out)) == NULL)
			return NFE_LIMIT;	/* a batch without full */
		if (decode_record(t, tp, r, &s->clk, so, rec, &wait,
		    &wait_id) != NFE_OK)
			goto mismatch;
		if (wait && !s->held && ctx->norate != NULL) {
			if (hold_rest(s, t, &at))
				return NFE_OK;
			so = forget_wait(s, wait_id);	/* no room: go on */
		} else if (wait && s->held)
			so = forget_wait(s, wait_id);	/* waited long enough */
		s->info->records++;
		if ((rc = nf_out_keep(s->out)) != 0)
			return rc;
	}
	return NFE_OK;

mismatch:
	/* a variable-length record ran past the end of its set */
	s->info->bad_sets++;
	return NFE_FORMAT;
}

/* The time a time field of rec holds (the duration: its value). */
static uint64_t
time_of(const struct fld_desc *d, const struct flowrec *rec)
{
	if (d->kind == FK_DURATION)
		return fld_duration(rec->first_ms, rec->last_ms);
	return fld_get_u64(d, rec);
}

uint64_t
tf_value(uint16_t id, const struct flowrec *rec, const struct tf_clock *clk)
{
	const struct fld_iebind *b = fld_by_ie(id);
	const struct fld_desc *d;
	uint32_t sec, frac;
	uint64_t t;

	if (b == NULL)
		return 0;
	d = fld(b->fld - 1u);
	switch (b->conv) {
	case IEC_UINT:
	case IEC_MAC:
	case IEC_MPLS:
	case IEC_APPID:
		return fld_get_u64(d, rec);
	case IEC_SEC:
		return time_of(d, rec) / 1000;
	case IEC_MS:
		return time_of(d, rec);
	case IEC_NTP:
		time_to_ntp(time_of(d, rec), &sec, &frac);
		return (uint64_t)sec << 32 | frac;
	case IEC_UPTIME:
		return (uint32_t)(clk->sys_uptime_ms -
		    (uint32_t)(clk->export_ms - time_of(d, rec)));
	case IEC_DELTA_US:
		t = time_of(d, rec);
		t = clk->export_ms > t ? clk->export_ms - t : 0;
		return t > UINT32_MAX / 1000 ? UINT32_MAX : t * 1000;
	case IEC_DUR_MS:
		return time_of(d, rec);
	case IEC_DUR_US:
		return time_of(d, rec) * 1000;
	case IEC_ICMP_TC:
		return fld_is_icmp(rec) ? rec->dst_port : 0;
	case IEC_ICMP_T:
		return fld_is_icmp(rec) ? rec->dst_port >> 8 : 0;
	case IEC_ICMP_C:
		return fld_is_icmp(rec) ? rec->dst_port & 0xff : 0;
	default:
		return 0;
	}
}

void
tf_put(struct wbuf *w, uint16_t id, uint16_t len, const struct flowrec *rec,
    const struct tf_clock *clk)
{
	const struct fld_iebind *b = fld_by_ie(id);
	const struct nf_addr *addr;
	const struct nf_str *str;
	uint64_t v;
	size_t n;

	if (b == NULL) {
		wbuf_beN(w, 0, len);
		return;
	}
	switch (b->conv) {
	case IEC_ADDR4:
	case IEC_ADDR4_AF:
		wbuf_bytes(w, fld_get_addr(fld(b->fld - 1u), rec)->a + 12, 4);
		return;
	case IEC_ADDR6:
	case IEC_ADDR6_AF:
	case IEC_ADDR6_NZ:
		addr = fld_get_addr(fld(b->fld - 1u), rec);
		if (b->conv == IEC_ADDR6_NZ && addr_is_zero(addr))
			wbuf_zero(w, 16);	/* "none" */
		else
			wbuf_bytes(w, addr->a, 16);
		return;
	case IEC_APPID:
		/* the engine byte, then the selector in the rest */
		if (len == 0)
			return;
		v = tf_value(id, rec, clk);
		wbuf_u8(w, (uint8_t)(v >> 56));
		if (len > 8)
			wbuf_zero(w, len - 8u);
		n = len > 8 ? 7 : len - 1u;
		if (n > 0)
			wbuf_beN(w, v & UINT64_C(0x00ffffffffffffff), n);
		return;
	case IEC_STR:
		/* a fixed-length field: the bytes, cut or padded with NULs */
		str = fld_get_str(fld(b->fld - 1u), rec);
		n = str->len < len ? str->len : len;
		if (n > 0)
			wbuf_bytes(w, str->p, n);
		wbuf_zero(w, len - n);
		return;
	default:
		wbuf_beN(w, tf_value(id, rec, clk), len);
		return;
	}
}

int
tf_spec_of_field(unsigned fld_id, int af, struct tf_spec *out)
{
	const struct fld_iebind *b;
	const struct ie *ie;
	int best = -1, best_prio = 0;

	for (uint16_t id = 1; id < FLD_IE_REV; id++) {
		if ((b = fld_by_ie(id)) == NULL || b->fld != fld_id + 1u ||
		    (ie = ie_by_id(id)) == NULL || ie->len == IE_VARLEN)
			continue;
		switch (b->conv) {
		case IEC_UINT:
		case IEC_MAC:
		case IEC_MPLS:
			break;
		case IEC_ADDR4:
		case IEC_ADDR4_AF:
			if (af != 4)
				continue;
			break;
		case IEC_ADDR6:
		case IEC_ADDR6_AF:
		case IEC_ADDR6_NZ:
			if (af != 6)
				continue;
			break;
		default:
			continue;
		}
		if (best < 0 || b->prio < best_prio) {
			best = id;
			best_prio = b->prio;
		}
	}
	if (best < 0)
		return NFE_UNSUPP;
	out->id = (uint16_t)best;
	out->len = ie_by_id((uint16_t)best)->len;
	return NFE_OK;
}

/* e->extra as elements, per family, once. */
static void
resolve_extra(struct nf_enc *e)
{
	struct tf_spec sp;

	for (int f = 0; f < 2; f++) {
		e->nx[f] = 0;
		for (size_t i = 0; i < e->nextra && i < NF_ENC_MAX_EXTRA; i++) {
			if (e->extra[i].af != 0 && e->extra[i].af != (f ? 6 : 4))
				continue;
			if (tf_spec_of_field(e->extra[i].fld, f ? 6 : 4, &sp) !=
			    NFE_OK)
				continue;
			e->x[f][e->nx[f]].id = sp.id;
			e->x[f][e->nx[f]].len = sp.len;
			e->nx[f]++;
		}
	}
	e->xready = true;
}

int
tf_tmpl_extend(const struct tf_tmpl *base, struct nf_enc *e, int af,
    struct tf_spec *buf, size_t cap, struct tf_tmpl *out)
{
	int f = af == 6;

	if (!e->xready)
		resolve_extra(e);
	if (base->n + e->nx[f] > cap)
		return NFE_LIMIT;
	memcpy(buf, base->f, base->n * sizeof(*buf));
	for (size_t i = 0; i < e->nx[f]; i++) {
		buf[base->n + i].id = e->x[f][i].id;
		buf[base->n + i].len = e->x[f][i].len;
	}
	out->id = base->id;
	out->f = buf;
	out->n = base->n + e->nx[f];
	return NFE_OK;
}

size_t
tf_tmpl_len(const struct tf_tmpl *t)
{
	size_t len = 0;

	for (size_t i = 0; i < t->n; i++)
		len += t->f[i].len;
	return len;
}

void
tf_put_template(struct wbuf *w, const struct tf_tmpl *t)
{
	wbuf_be16(w, t->id);
	wbuf_be16(w, (uint16_t)t->n);
	for (size_t i = 0; i < t->n; i++) {
		if (t->f[i].id >= FLD_IE_REV) {	/* RFC 5103 reverse element */
			wbuf_be16(w, (uint16_t)(0x8000 |
			    (t->f[i].id - FLD_IE_REV)));
			wbuf_be16(w, t->f[i].len);
			wbuf_be32(w, FLD_PEN_REVERSE);
			continue;
		}
		wbuf_be16(w, t->f[i].id);
		wbuf_be16(w, t->f[i].len);
	}
}
