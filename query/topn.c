/*
 * query/topn.c -- -s statistics (topn.h), printed as nfdump 1.7.1 does:
 *
 *   Top 10 Src IP Addr ordered by bytes:
 *   Date first seen                 Duration Proto       Src IP Addr    Flows(%)  ...
 *   2026-11-23 09:39:23.000     00:00:22.000 any            10.0.0.3        1(20.0) ...
 *
 * and as csv (nfdump's stat columns ts,te,td,pr,val,fl,flP,...) or
 * json / ndjson rows.
 */
#include "common/base/compat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/base/nferr.h"
#include "common/prog/xmalloc.h"
#include "query/topn.h"

/* How a key is kept and printed, from the field's catalogue entry. */
enum kkind { K_NUM, K_ADDR, K_PROTO, K_FLAGS, K_STR, K_TEXT };

/* Room for a key as text: a string key, quoted for CSV. */
#define KEYTEXT_MAX	(2 * FLOWREC_STR_MAX + 8)

static enum kkind
kind_of(int f)
{
	const struct fld_desc *d = fld((unsigned)f);

	if (d->type == FT_ADDR || d->kind == FK_ROUTER)
		return K_ADDR;
	if (d->kind == FK_PROTO)
		return K_PROTO;
	if (d->kind == FK_FLAGS)
		return K_FLAGS;
	if (d->type == FT_STR)
		return K_STR;
	if (d->kind == FK_MAC || d->kind == FK_MPLS || d->kind == FK_APPID)
		return K_TEXT;		/* an integer printed as text */
	return K_NUM;
}

/*
 * Keys of at most DIRECT_BITS bits (ports, protocols, 16-bit interface
 * indexes, TOS, flags, masks ...) are counted in an array indexed by the
 * key instead of the hash table: one load and five adds per record.
 * The array is folded into the table before ranking.
 */
#define DIRECT_BITS	16

struct topn {
	struct topn_stat	 st;
	struct aggtab		*tab;	/* owned */
	size_t			 vlen;	/* value bytes */
	size_t			 off;	/* offset of the value in the key */
	struct aggval		*dv;	/* owned: direct counters, or NULL */
	uint8_t			*dused;	/* owned: dv[i] holds a key */
	size_t			 dn;	/* entries of dv */
};

/* A stored integer field: its value can index an array or be hashed. */
static bool
int_field(int f)
{
	const struct fld_desc *d = fld((unsigned)f);

	return d->col != 0 && kind_of(f) != K_ADDR && (d->type == FT_U8 ||
	    d->type == FT_U16 || d->type == FT_U32 || d->type == FT_U64);
}

static bool
direct_field(int f)
{
	return int_field(f) && fld((unsigned)f)->size <= 2;
}

static size_t
key_len(int f)
{
	switch (kind_of(f)) {
	case K_ADDR:
		return 17;			/* af + 16 */
	case K_STR:
		return 1 + FLOWREC_STR_MAX;	/* length + bytes, 0-padded */
	default:
		return fld((unsigned)f)->size;
	}
}

/*
 * The statistic called name: "record", an entry's own (.stat.name) or
 * a pair (.stat.pair: the first two entries that name it).
 */
static bool
find_stat(const char *name, struct topn_stat *st)
{
	if (strcmp(name, "record") == 0) {
		st->name = "record";
		st->title = "flows";
		st->record = true;
		st->f1 = st->f2 = -1;
		return true;
	}
	st->f1 = st->f2 = -1;
	for (unsigned i = 0; i < FLD_N; i++) {
		const struct fld_stat *s = &fld(i)->stat;

		if (s->name != NULL && strcmp(s->name, name) == 0) {
			st->name = s->name;
			st->title = s->title;
			st->f1 = (int)i;
			return true;
		}
		if (s->pair != NULL && strcmp(s->pair, name) == 0) {
			if (st->f1 < 0) {
				st->name = s->pair;
				st->title = s->pair_title;
				st->f1 = (int)i;
			} else if (st->f2 < 0)
				st->f2 = (int)i;
		}
	}
	return st->f1 >= 0;
}

int
topn_parse(const char *arg, const struct agg_spec *agg,
    struct topn_stat *st, char *err, size_t errlen)
{
	char buf[256], *p, *tok, *colon;

	memset(st, 0, sizeof(*st));
	if (strlen(arg) >= sizeof(buf))
		goto bad;
	snprintf(buf, sizeof(buf), "%s", arg);
	p = buf;
	tok = strsep(&p, "/");
	if ((colon = strchr(tok, ':')) != NULL) {
		if (strcmp(colon, ":p") != 0)
			goto bad;
		*colon = '\0';
		st->by_proto = true;
	}
	if (!find_stat(tok, st)) {
		snprintf(err, errlen, "unknown statistic '%s'", tok);
		return NFE_INVAL;
	}
	if (st->record)
		st->agg = *agg;
	while ((tok = strsep(&p, "/")) != NULL) {
		if (st->norders == TOPN_MAX_ORDERS)
			goto bad;
		if (agg_order_parse(tok, &st->orders[st->norders]) != NFE_OK ||
		    st->orders[st->norders] == AGG_ORDER_TSTART ||
		    st->orders[st->norders] == AGG_ORDER_TEND) {
			snprintf(err, errlen, "unknown order '%s' in '%s' "
			    "(flows, packets, bytes, pps, bps or bpp)", tok,
			    arg);
			return NFE_INVAL;
		}
		st->norders++;
	}
	if (st->norders == 0)
		st->orders[st->norders++] = AGG_ORDER_FLOWS;
	return NFE_OK;
bad:
	snprintf(err, errlen, "statistic syntax error in '%s'", arg);
	return NFE_INVAL;
}

struct topn *
topn_new(const struct topn_stat *st)
{
	struct topn *t = xcalloc(1, sizeof(*t));

	t->st = *st;
	if (st->record) {
		t->tab = aggtab_new(st->agg.keylen);
		return t;
	}
	t->off = st->by_proto ? 1 : 0;
	t->vlen = key_len(st->f1);
	t->tab = aggtab_new(t->off + t->vlen);
	if (direct_field(st->f1) && (st->f2 < 0 || (direct_field(st->f2) &&
	    fld((unsigned)st->f2)->size == fld((unsigned)st->f1)->size)) &&
	    8 * (t->off + t->vlen) <= DIRECT_BITS) {
		t->dn = (size_t)1 << (8 * (t->off + t->vlen));
		t->dv = xcalloc(t->dn, sizeof(*t->dv));
		t->dused = xcalloc(t->dn, 1);
	}
	return t;
}

struct topn *
topn_new_like(const struct topn *like)
{
	struct topn *t = topn_new(&like->st);

	aggtab_free(t->tab);
	t->tab = aggtab_new_like(like->tab);
	return t;
}

void
topn_free(struct topn *t)
{
	if (t == NULL)
		return;
	aggtab_free(t->tab);
	free(t->dv);
	free(t->dused);
	free(t);
}

const struct topn_stat *
topn_stat_of(const struct topn *t)
{
	return &t->st;
}

static void fold(struct topn *t);

size_t
topn_count(struct topn *t)
{
	fold(t);
	return aggtab_count(t->tab);
}

static void
put_be(uint8_t *k, uint64_t v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		k[i] = (uint8_t)(v >> (8 * (n - 1 - i)));
}

/* The key bytes of field f of r (router: the exporter's address). */
static void
key_value(int f, const struct flowrec *r, const struct nf_addr *ra,
    uint8_t *k)
{
	static const struct nf_addr zero;
	const struct fld_desc *d = fld((unsigned)f);
	const struct nf_addr *a;
	const struct nf_str *str;

	if (kind_of(f) == K_STR) {
		str = fld_get_str(d, r);
		k[0] = (uint8_t)(str->len <= FLOWREC_STR_MAX ? str->len :
		    FLOWREC_STR_MAX);
		if (k[0] > 0)
			memcpy(k + 1, str->p, k[0]);
		memset(k + 1 + k[0], 0, FLOWREC_STR_MAX - k[0]);
		return;
	}
	if (kind_of(f) != K_ADDR) {
		put_be(k, fld_get_u64(d, r), d->size);
		return;
	}
	if (d->kind == FK_ROUTER) {
		a = ra != NULL ? ra : &zero;
		k[0] = addr_is_v4(a) ? 4 : 6;
	} else {
		a = fld_get_addr(d, r);
		k[0] = r->af;
	}
	memcpy(k + 1, a->a, 16);
}

/* Counters of one record into an entry; a fresh entry takes them. */
static inline void
acc(struct aggval *e, uint8_t *used, const struct aggval *v)
{
	if (!*used) {
		*e = *v;
		*used = 1;
		return;
	}
	e->flows += v->flows;
	e->packets += v->packets;
	e->bytes += v->bytes;
	e->out_packets += v->out_packets;
	e->out_bytes += v->out_bytes;
	if (v->first_ms < e->first_ms)
		e->first_ms = v->first_ms;
	if (v->last_ms > e->last_ms)
		e->last_ms = v->last_ms;
}

/* The direct entries into the hash table (then empty again). */
static void
fold(struct topn *t)
{
	uint8_t key[AGG_KEY_MAX];

	if (t->dv == NULL)
		return;
	for (size_t i = 0; i < t->dn; i++) {
		if (!t->dused[i])
			continue;
		put_be(key, i, t->off + t->vlen);
		aggtab_add(t->tab, key, &t->dv[i]);
		t->dused[i] = 0;
	}
}

void
topn_add(struct topn *t, const struct flowrec *r,
    const struct nf_addr *router)
{
	uint8_t key[AGG_KEY_MAX];
	struct aggval v;
	size_t i;

	v.flows = r->flows;
	v.packets = r->packets;
	v.bytes = r->bytes;
	v.out_packets = r->out_packets;
	v.out_bytes = r->out_bytes;
	v.first_ms = r->first_ms;
	v.last_ms = r->last_ms;
	if (t->st.record) {
		agg_key(&t->st.agg, r, router, key);
		aggtab_add(t->tab, key, &v);
		return;
	}
	if (t->dv != NULL) {
		i = (size_t)fld_get_u64(fld((unsigned)t->st.f1), r);
		if (t->st.by_proto)
			i |= (size_t)r->proto << 8;
		acc(&t->dv[i], &t->dused[i], &v);
		if (t->st.f2 >= 0) {
			i = (size_t)fld_get_u64(fld((unsigned)t->st.f2), r);
			if (t->st.by_proto)
				i |= (size_t)r->proto << 8;
			acc(&t->dv[i], &t->dused[i], &v);
		}
		return;
	}
	if (t->st.by_proto)
		key[0] = r->proto;
	key_value(t->st.f1, r, router, key + t->off);
	aggtab_add(t->tab, key, &v);
	if (t->st.f2 >= 0) {
		key_value(t->st.f2, r, router, key + t->off);
		aggtab_add(t->tab, key, &v);
	}
}

/* Value i of a column of w-byte integers. */
static inline uint64_t
load_w(const void *arr, unsigned w, size_t i)
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

/* The columns field f reads in add_block (0: it cannot). */
static fcol_mask
block_cols(int f)
{
	const struct fld_desc *d = fld((unsigned)f);

	if (d->kind == FK_ROUTER)
		return FCOL_BIT(FCOL_EXPORTER);
	if (d->type == FT_ADDR && d->col != 0)
		return FCOL_BIT(d->col) | FCOL_BIT(FCOL_AF);
	return int_field(f) ? FCOL_BIT(d->col) : 0;
}

/* The key bytes of field f of row i (as key_value). */
static inline void
col_key(int f, const struct fcol *c, size_t i, const struct nf_addr *x,
    size_t nx, uint8_t *k)
{
	static const struct nf_addr zero;
	const struct fld_desc *d = fld((unsigned)f);
	const struct nf_addr *a;

	if (d->kind == FK_ROUTER) {
		a = c->exporter[i] < nx ? &x[c->exporter[i]] : &zero;
		k[0] = addr_is_v4(a) ? 4 : 6;
	} else if (d->type == FT_ADDR) {
		a = &((const struct nf_addr *)fcol_array(c, d->col))[i];
		k[0] = c->af[i];
	} else {
		put_be(k, load_w(fcol_array(c, d->col), d->size, i), d->size);
		return;
	}
	memcpy(k + 1, a->a, 16);
}

/* Count field f of the rows through the direct array. */
static void
add_direct(struct topn *t, int f, const struct fcol *c, const uint32_t *rows,
    size_t n)
{
	const struct fld_desc *d = fld((unsigned)f);
	const void *arr = fcol_array(c, d->col);
	struct aggval v;

	for (size_t j = 0; j < n; j++) {
		size_t r = rows[j], i = (size_t)load_w(arr, d->size, r);

		if (t->st.by_proto)
			i |= (size_t)c->proto[r] << 8;
		aggval_of_row(&v, c, r);
		acc(&t->dv[i], &t->dused[i], &v);
	}
}

/* Count field f of the rows through the hash table, a batch at a time. */
static void
add_hashed(struct topn *t, int f, const struct fcol *c, const uint32_t *rows,
    size_t n, const struct nf_addr *x, size_t nx)
{
	enum { B = 64 };
	uint8_t keys[B][AGG_BLOCK_KEY_MAX];	/* no string keys here */
	struct aggval v[B];
	size_t m = 0;

	for (size_t j = 0; j < n; j++) {
		size_t r = rows[j];

		if (t->st.by_proto)
			keys[m][0] = c->proto[r];
		col_key(f, c, r, x, nx, keys[m] + t->off);
		aggval_of_row(&v[m], c, r);
		if (++m == B || j + 1 == n) {
			aggtab_add_many(t->tab, keys[0], AGG_BLOCK_KEY_MAX, v,
			    m);
			m = 0;
		}
	}
}

bool
topn_add_block(struct topn *t, const struct fcol *c, const uint32_t *rows,
    size_t n, const struct nf_addr *x, size_t nx)
{
	fcol_mask need = FCOL_BIT(FCOL_FLOWS) | FCOL_BIT(FCOL_PACKETS) |
	    FCOL_BIT(FCOL_BYTES) | FCOL_BIT(FCOL_FIRST) | FCOL_BIT(FCOL_LAST);
	fcol_mask m1, m2 = 0;

	if (t->st.record) {
		if (!agg_block_ok(&t->st.agg, c))
			return false;
		agg_add_block(&t->st.agg, t->tab, c, rows, n, x, nx);
		return true;
	}
	if ((m1 = block_cols(t->st.f1)) == 0 ||
	    (t->st.f2 >= 0 && (m2 = block_cols(t->st.f2)) == 0))
		return false;
	need |= m1 | m2 | (t->st.by_proto ? FCOL_BIT(FCOL_PROTO) : 0);
	if ((c->mask & need) != need)
		return false;
	if (t->dv != NULL) {
		add_direct(t, t->st.f1, c, rows, n);
		if (t->st.f2 >= 0)
			add_direct(t, t->st.f2, c, rows, n);
		return true;
	}
	add_hashed(t, t->st.f1, c, rows, n, x, nx);
	if (t->st.f2 >= 0)
		add_hashed(t, t->st.f2, c, rows, n, x, nx);
	return true;
}

void
topn_merge(struct topn *dst, const struct topn *src)
{
	if (dst->dv != NULL && src->dv != NULL) {
		for (size_t i = 0; i < src->dn; i++)
			if (src->dused[i])
				acc(&dst->dv[i], &dst->dused[i], &src->dv[i]);
	}
	aggtab_merge(dst->tab, src->tab);
}

void
topn_absorb(struct topn *dst, struct topn *src)
{
	if (dst->dv != NULL && src->dv != NULL) {
		for (size_t i = 0; i < src->dn; i++)
			if (src->dused[i])
				acc(&dst->dv[i], &dst->dused[i], &src->dv[i]);
	}
	aggtab_absorb(dst->tab, src->tab);
}

/* The key as text (full addresses unless condensed). */
static void
key_text(const struct topn *t, const uint8_t *key, bool condense,
    bool v6full, char *buf, size_t len)
{
	const uint8_t *k = key + t->off;
	struct nf_addr a;
	uint64_t v = 0;

	switch (kind_of(t->st.f1)) {
	case K_ADDR:
		memcpy(a.a, k + 1, 16);
		if (condense)
			out_addr(&a, v6full, buf, len);
		else
			addr_format(&a, buf, len);
		return;
	case K_FLAGS:
		out_flags(k[0], buf, len);
		return;
	case K_STR:
		/* as text: control characters as '?' */
		for (size_t i = 0; i < k[0] && i + 1 < len; i++)
			buf[i] = k[1 + i] < 0x20 || k[1 + i] == 0x7f ? '?' :
			    (char)k[1 + i];
		buf[k[0] < len ? k[0] : len - 1] = '\0';
		return;
	default:
		for (size_t i = 0; i < t->vlen; i++)
			v = v << 8 | k[i];
		if (kind_of(t->st.f1) == K_TEXT)
			out_value_text(fld((unsigned)t->st.f1), v, buf, len);
		else
			snprintf(buf, len, "%llu", (unsigned long long)v);
		return;
	}
}

static double
pct(uint64_t part, uint64_t total)
{
	return total == 0 ? 0.0 : 100.0 * (double)part / (double)total;
}

static const char *
proto_col(const struct topn *t, const uint8_t *key, bool plain, char *buf,
    size_t len)
{
	if (t->st.by_proto)
		return out_proto(key[0], plain, buf, len);
	if (kind_of(t->st.f1) == K_PROTO)
		return out_proto(key[t->off], plain, buf, len);
	return "any";
}

static void
text_row(const struct topn *t, struct output *o, const uint8_t *key,
    const struct aggval *v, const struct out_summary *tot, struct obuf *b)
{
	const struct out_opts *op = output_opts(o);
	char kt[KEYTEXT_MAX], d[48], pr[8];
	char n1[OUT_NUMLEN], n2[OUT_NUMLEN], n3[OUT_NUMLEN];
	char n4[OUT_NUMLEN], n5[OUT_NUMLEN];
	uint64_t ms = v->last_ms > v->first_ms ? v->last_ms - v->first_ms : 0;
	bool wide = op->v6full && kind_of(t->st.f1) == K_ADDR;

	key_text(t, key, true, op->v6full, kt, sizeof(kt));
	out_time(o, v->first_ms, false, b);
	obuf_printf(b, " %s %-5s ", out_duration(ms, op->plain, d, sizeof(d)),
	    proto_col(t, key, op->plain, pr, sizeof(pr)));
	if (kind_of(t->st.f1) == K_STR && key[t->off] == 0 &&
	    fld((unsigned)t->st.f1)->kind == FK_STR_NONE)
		out_text(b, "-", 1, 17);	/* no value: "-" */
	else if (kind_of(t->st.f1) == K_STR)	/* padded by characters */
		out_text(b, (const char *)key + t->off + 1, key[t->off], 17);
	else
		obuf_printf(b, "%*s", wide ? 39 : 17, kt);
	obuf_printf(b, " %8s(%4.1f) %8s(%4.1f) %8s(%4.1f) %8s "
	    "%8s %5llu\n",
	    out_number(v->flows, op->plain, n1, sizeof(n1)),
	    pct(v->flows, tot->flows),
	    out_number(v->packets, op->plain, n2, sizeof(n2)),
	    pct(v->packets, tot->packets),
	    out_number(v->bytes, op->plain, n3, sizeof(n3)),
	    pct(v->bytes, tot->bytes),
	    out_number(out_pps(v->packets, ms), op->plain, n4, sizeof(n4)),
	    out_number(out_bps(v->bytes, ms), op->plain, n5, sizeof(n5)),
	    (unsigned long long)out_bpp(v->bytes, v->packets));
}

static void
csv_row(const struct topn *t, struct output *o, const uint8_t *key,
    const struct aggval *v, const struct out_summary *tot, struct obuf *b)
{
	char kt[KEYTEXT_MAX], q[KEYTEXT_MAX], pr[8];
	uint64_t ms = v->last_ms > v->first_ms ? v->last_ms - v->first_ms : 0;

	key_text(t, key, false, true, kt, sizeof(kt));
	if (kind_of(t->st.f1) == K_STR && strpbrk(kt, ",\"") != NULL) {
		/* RFC 4180: quoted, quotes doubled */
		size_t n = 0;

		q[n++] = '"';
		for (const char *c = kt; *c != '\0'; c++) {
			if (*c == '"')
				q[n++] = '"';
			q[n++] = *c;
		}
		q[n++] = '"';
		q[n] = '\0';
		memcpy(kt, q, n + 1);
	}
	out_time(o, v->first_ms, true, b);
	obuf_putc(b, ',');
	out_time(o, v->last_ms, true, b);
	obuf_printf(b, ",%llu.%03u,%s,%s,%llu,%.1f,%llu,%.1f,%llu,%.1f,"
	    "%llu,%llu,%llu\n", (unsigned long long)(ms / 1000),
	    (unsigned)(ms % 1000),
	    proto_col(t, key, output_opts(o)->plain, pr, sizeof(pr)), kt,
	    (unsigned long long)v->flows, pct(v->flows, tot->flows),
	    (unsigned long long)v->packets, pct(v->packets, tot->packets),
	    (unsigned long long)v->bytes, pct(v->bytes, tot->bytes),
	    (unsigned long long)out_pps(v->packets, ms),
	    (unsigned long long)out_bps(v->bytes, ms),
	    (unsigned long long)out_bpp(v->bytes, v->packets));
}

static void
json_row(const struct topn *t, struct output *o, enum agg_order ord,
    size_t rank, const uint8_t *key, const struct aggval *v,
    const struct out_summary *tot, struct obuf *b)
{
	char kt[KEYTEXT_MAX], pr[8];
	uint64_t ms = v->last_ms > v->first_ms ? v->last_ms - v->first_ms : 0;
	enum kkind kind = kind_of(t->st.f1);

	key_text(t, key, false, true, kt, sizeof(kt));
	if (output_kind(o) == OUT_JSON)
		obuf_puts(b, ",\n");
	obuf_printf(b, "{\"stat\": \"%s\", \"order\": \"%s\", \"rank\": %zu, "
	    "\"flowStartMilliseconds\": \"", t->st.name,
	    agg_order_name(ord), rank);
	out_time(o, v->first_ms, true, b);
	obuf_puts(b, "\", \"flowEndMilliseconds\": \"");
	out_time(o, v->last_ms, true, b);
	obuf_printf(b, "\", \"flowDurationMilliseconds\": %llu, "
	    "\"protocol\": ", (unsigned long long)ms);
	out_json_str(b, proto_col(t, key, true, pr, sizeof(pr)));
	obuf_puts(b, ", \"value\": ");
	if (kind == K_STR && key[t->off] == 0 &&
	    fld((unsigned)t->st.f1)->kind == FK_STR_NONE)
		obuf_puts(b, "null");		/* no value */
	else if (kind == K_STR)
		out_json_strn(b, (const char *)key + t->off + 1,
		    key[t->off]);
	else if (kind == K_ADDR || kind == K_FLAGS || kind == K_TEXT)
		out_json_str(b, kt);
	else
		obuf_puts(b, kt);
	obuf_printf(b, ", \"deltaFlowCount\": %llu, \"flowsPercent\": %.1f, "
	    "\"packetDeltaCount\": %llu, \"packetsPercent\": %.1f, "
	    "\"octetDeltaCount\": %llu, \"octetsPercent\": %.1f, "
	    "\"pps\": %llu, \"bps\": %llu, \"bpp\": %llu}",
	    (unsigned long long)v->flows, pct(v->flows, tot->flows),
	    (unsigned long long)v->packets, pct(v->packets, tot->packets),
	    (unsigned long long)v->bytes, pct(v->bytes, tot->bytes),
	    (unsigned long long)out_pps(v->packets, ms),
	    (unsigned long long)out_bps(v->bytes, ms),
	    (unsigned long long)out_bpp(v->bytes, v->packets));
	if (output_kind(o) == OUT_NDJSON)
		obuf_putc(b, '\n');
}

static void
print_records(struct topn *t, struct output *rec_out, const size_t *idx,
    size_t n, struct obuf *b)
{
	struct flowrec r;
	struct nf_addr ra;

	for (size_t i = 0; i < n; i++) {
		agg_record(&t->st.agg, aggtab_key(t->tab, idx[i]),
		    aggtab_val(t->tab, idx[i]), &r, &ra);
		output_record(rec_out, &r, &ra, b);
	}
}

void
topn_print(struct topn *t, struct output *o, struct output *rec_out,
    size_t limit, const struct out_summary *tot, struct obuf *b)
{
	enum out_kind k = output_kind(o);
	bool text = k == OUT_LINE || k == OUT_LONG || k == OUT_EXTENDED ||
	    k == OUT_FMT;
	const struct out_opts *op = output_opts(o);
	size_t *idx, n;

	fold(t);
	for (size_t oi = 0; oi < t->st.norders; oi++) {
		idx = aggtab_rank(t->tab, t->st.orders[oi], limit, &n);
		if (t->st.record) {
			if (text || k == OUT_CSV) {
				if (text)
					obuf_printf(b, "Top %zu flows ordered "
					    "by %s:\n", limit ? limit : n,
					    agg_order_name(t->st.orders[oi]));
				output_begin(rec_out, b);
			}
			print_records(t, rec_out, idx, n, b);
			free(idx);
			continue;
		}
		if (text) {
			obuf_printf(b, "Top %zu %s ordered by %s:\n",
			    limit ? limit : n,
			    t->st.title,
			    agg_order_name(t->st.orders[oi]));
			obuf_printf(b, "Date first seen                 Duration "
			    "Proto %*s    Flows(%%)     Packets(%%)       "
			    "Bytes(%%)         pps      bps   bpp\n",
			    op->v6full && kind_of(t->st.f1) == K_ADDR ?
			    39 : 17, t->st.title);
		} else if (k == OUT_CSV)
			obuf_puts(b, "ts,te,td,pr,val,fl,flP,ipkt,ipktP,ibyt,"
			    "ibytP,ipps,ibps,ibpp\n");
		for (size_t i = 0; i < n; i++) {
			const uint8_t *key = aggtab_key(t->tab, idx[i]);
			struct aggval both = *aggtab_val(t->tab, idx[i]);
			const struct aggval *v = &both;

			/* nfdump 1.7: a table ordered by flows shows the
			   forward counters, any other order both directions
			   of a biflow (flowq(1) "Biflows") */
			if (t->st.orders[oi] != AGG_ORDER_FLOWS) {
				both.packets += both.out_packets;
				both.bytes += both.out_bytes;
			}
			if (text)
				text_row(t, o, key, v, tot, b);
			else if (k == OUT_CSV)
				csv_row(t, o, key, v, tot, b);
			else if (k == OUT_JSON || k == OUT_NDJSON)
				json_row(t, o, t->st.orders[oi], i + 1, key,
				    v, tot, b);
		}
		if (text || k == OUT_CSV)
			obuf_putc(b, '\n');
		free(idx);
	}
}

fcol_mask
topn_columns(const struct topn_stat *st)
{
	fcol_mask m = FCOL_BIT(FCOL_AF) | FCOL_BIT(FCOL_OUT_PACKETS) |
	    FCOL_BIT(FCOL_OUT_BYTES);

	if (st->record)
		return agg_columns(&st->agg) | m;
	m |= fld_columns((unsigned)st->f1);
	if (st->f2 >= 0)
		m |= fld_columns((unsigned)st->f2);
	if (st->by_proto)
		m |= FCOL_BIT(FCOL_PROTO);
	return m;
}
