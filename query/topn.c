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
#include "query/qfields.h"
#include "query/topn.h"

enum kkind { K_ADDR, K_U16, K_U32, K_U8, K_PROTO, K_FLAGS };
enum getter {
	G_NONE, G_SRCIP, G_DSTIP, G_NH, G_ROUTER, G_SPORT, G_DPORT, G_PROTO,
	G_SAS, G_DAS, G_IN, G_OUT, G_SMASK, G_DMASK, G_TOS, G_SVLAN, G_DVLAN,
	G_FLAGS,
};

static const struct stype {
	const char	*name;
	const char	*title;
	enum kkind	 kind;
	enum getter	 g1, g2;	/* g2: second side, or G_NONE */
} types[] = {
	{ "record", "flows", K_U8, G_NONE, G_NONE },
	{ "srcip", "Src IP Addr", K_ADDR, G_SRCIP, G_NONE },
	{ "dstip", "Dst IP Addr", K_ADDR, G_DSTIP, G_NONE },
	{ "ip", "IP Addr", K_ADDR, G_SRCIP, G_DSTIP },
	{ "nhip", "Nexthop IP", K_ADDR, G_NH, G_NONE },
	{ "router", "Router IP", K_ADDR, G_ROUTER, G_NONE },
	{ "srcport", "Src Port", K_U16, G_SPORT, G_NONE },
	{ "dstport", "Dst Port", K_U16, G_DPORT, G_NONE },
	{ "port", "Port", K_U16, G_SPORT, G_DPORT },
	{ "proto", "Protocol", K_PROTO, G_PROTO, G_NONE },
	{ "srcas", "Src AS", K_U32, G_SAS, G_NONE },
	{ "dstas", "Dst AS", K_U32, G_DAS, G_NONE },
	{ "as", "AS", K_U32, G_SAS, G_DAS },
	{ "inif", "Input If", K_U32, G_IN, G_NONE },
	{ "outif", "Output If", K_U32, G_OUT, G_NONE },
	{ "if", "In/Out If", K_U32, G_IN, G_OUT },
	{ "srcmask", "Src Mask", K_U8, G_SMASK, G_NONE },
	{ "dstmask", "Dst Mask", K_U8, G_DMASK, G_NONE },
	{ "mask", "Mask", K_U8, G_SMASK, G_DMASK },
	{ "tos", "Tos", K_U8, G_TOS, G_NONE },
	{ "srcvlan", "Src Vlan", K_U16, G_SVLAN, G_NONE },
	{ "dstvlan", "Dst Vlan", K_U16, G_DVLAN, G_NONE },
	{ "vlan", "Vlan", K_U16, G_SVLAN, G_DVLAN },
	{ "flags", "Flags", K_FLAGS, G_FLAGS, G_NONE },
};

struct topn {
	struct topn_stat	 st;
	struct aggtab		*tab;	/* owned */
	size_t			 vlen;	/* value bytes */
	size_t			 off;	/* offset of the value in the key */
};

static size_t
kind_len(enum kkind k)
{
	switch (k) {
	case K_ADDR:	return 17;	/* af + 16 */
	case K_U16:	return 2;
	case K_U32:	return 4;
	default:	return 1;
	}
}

int
topn_parse(const char *arg, const struct agg_spec *agg,
    struct topn_stat *st, char *err, size_t errlen)
{
	char buf[256], *p, *tok, *colon;
	size_t i;

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
	for (i = 0; i < NF_NELEM(types); i++)
		if (strcmp(tok, types[i].name) == 0)
			break;
	if (i == NF_NELEM(types)) {
		snprintf(err, errlen, "unknown statistic '%s'", tok);
		return NFE_INVAL;
	}
	st->type = (int)i;
	st->record = i == 0;
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
	t->vlen = kind_len(types[st->type].kind);
	t->tab = aggtab_new(t->off + t->vlen);
	return t;
}

void
topn_free(struct topn *t)
{
	if (t == NULL)
		return;
	aggtab_free(t->tab);
	free(t);
}

const struct topn_stat *
topn_stat_of(const struct topn *t)
{
	return &t->st;
}

size_t
topn_count(const struct topn *t)
{
	return aggtab_count(t->tab);
}

static void
put_be(uint8_t *k, uint32_t v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		k[i] = (uint8_t)(v >> (8 * (n - 1 - i)));
}

static void
key_value(enum getter g, const struct flowrec *r, const struct nf_addr *ra,
    uint8_t *k)
{
	static const struct nf_addr zero;
	const struct nf_addr *a = NULL;

	switch (g) {
	case G_SRCIP:	a = &r->src; break;
	case G_DSTIP:	a = &r->dst; break;
	case G_NH:	a = &r->nexthop; break;
	case G_ROUTER:	a = ra != NULL ? ra : &zero; break;
	case G_SPORT:	put_be(k, r->src_port, 2); break;
	case G_DPORT:	put_be(k, r->dst_port, 2); break;
	case G_PROTO:	k[0] = r->proto; break;
	case G_SAS:	put_be(k, r->src_as, 4); break;
	case G_DAS:	put_be(k, r->dst_as, 4); break;
	case G_IN:	put_be(k, r->in_if, 4); break;
	case G_OUT:	put_be(k, r->out_if, 4); break;
	case G_SMASK:	k[0] = r->src_mask; break;
	case G_DMASK:	k[0] = r->dst_mask; break;
	case G_TOS:	k[0] = r->tos; break;
	case G_SVLAN:	put_be(k, r->src_vlan, 2); break;
	case G_DVLAN:	put_be(k, r->dst_vlan, 2); break;
	case G_FLAGS:	k[0] = r->tcp_flags; break;
	case G_NONE:	break;
	}
	if (a != NULL) {
		k[0] = g == G_ROUTER ? (addr_is_v4(a) ? 4 : 6) : r->af;
		memcpy(k + 1, a->a, 16);
	}
}

void
topn_add(struct topn *t, const struct flowrec *r,
    const struct nf_addr *router)
{
	const struct stype *ty = &types[t->st.type];
	uint8_t key[AGG_KEY_MAX];
	struct aggval v;

	v.flows = r->flows;
	v.packets = r->packets;
	v.bytes = r->bytes;
	v.first_ms = r->first_ms;
	v.last_ms = r->last_ms;
	if (t->st.record) {
		agg_key(&t->st.agg, r, router, key);
		aggtab_add(t->tab, key, &v);
		return;
	}
	if (t->st.by_proto)
		key[0] = r->proto;
	key_value(ty->g1, r, router, key + t->off);
	aggtab_add(t->tab, key, &v);
	if (ty->g2 != G_NONE) {
		key_value(ty->g2, r, router, key + t->off);
		aggtab_add(t->tab, key, &v);
	}
}

void
topn_merge(struct topn *dst, const struct topn *src)
{
	aggtab_merge(dst->tab, src->tab);
}

/* The key as text (full addresses unless condensed). */
static void
key_text(const struct topn *t, const uint8_t *key, bool condense,
    bool v6full, char *buf, size_t len)
{
	const uint8_t *k = key + t->off;
	struct nf_addr a;
	uint32_t v = 0;

	switch (types[t->st.type].kind) {
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
	default:
		for (size_t i = 0; i < t->vlen; i++)
			v = v << 8 | k[i];
		snprintf(buf, len, "%u", v);
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
	if (types[t->st.type].kind == K_PROTO)
		return out_proto(key[t->off], plain, buf, len);
	return "any";
}

static void
text_row(const struct topn *t, struct output *o, const uint8_t *key,
    const struct aggval *v, const struct out_summary *tot, struct obuf *b)
{
	const struct out_opts *op = output_opts(o);
	char kt[ADDR_STRLEN], d[48], pr[8];
	char n1[OUT_NUMLEN], n2[OUT_NUMLEN], n3[OUT_NUMLEN];
	char n4[OUT_NUMLEN], n5[OUT_NUMLEN];
	uint64_t ms = v->last_ms > v->first_ms ? v->last_ms - v->first_ms : 0;
	bool wide = op->v6full && types[t->st.type].kind == K_ADDR;

	key_text(t, key, true, op->v6full, kt, sizeof(kt));
	out_time(o, v->first_ms, false, b);
	obuf_printf(b, " %s %-5s %*s %8s(%4.1f) %8s(%4.1f) %8s(%4.1f) %8s "
	    "%8s %5llu\n", out_duration(ms, op->plain, d, sizeof(d)),
	    proto_col(t, key, op->plain, pr, sizeof(pr)), wide ? 39 : 17, kt,
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
	char kt[ADDR_STRLEN], pr[8];
	uint64_t ms = v->last_ms > v->first_ms ? v->last_ms - v->first_ms : 0;

	key_text(t, key, false, true, kt, sizeof(kt));
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
	char kt[ADDR_STRLEN], pr[8];
	uint64_t ms = v->last_ms > v->first_ms ? v->last_ms - v->first_ms : 0;
	enum kkind kind = types[t->st.type].kind;

	key_text(t, key, false, true, kt, sizeof(kt));
	if (output_kind(o) == OUT_JSON)
		obuf_puts(b, ",\n");
	obuf_printf(b, "{\"stat\": \"%s\", \"order\": \"%s\", \"rank\": %zu, "
	    "\"flowStartMilliseconds\": \"", types[t->st.type].name,
	    agg_order_name(ord), rank);
	out_time(o, v->first_ms, true, b);
	obuf_puts(b, "\", \"flowEndMilliseconds\": \"");
	out_time(o, v->last_ms, true, b);
	obuf_printf(b, "\", \"flowDurationMilliseconds\": %llu, "
	    "\"protocol\": ", (unsigned long long)ms);
	out_json_str(b, proto_col(t, key, true, pr, sizeof(pr)));
	obuf_puts(b, ", \"value\": ");
	if (kind == K_ADDR || kind == K_FLAGS)
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
			    types[t->st.type].title,
			    agg_order_name(t->st.orders[oi]));
			obuf_printf(b, "Date first seen                 Duration "
			    "Proto %*s    Flows(%%)     Packets(%%)       "
			    "Bytes(%%)         pps      bps   bpp\n",
			    op->v6full && types[t->st.type].kind == K_ADDR ?
			    39 : 17, types[t->st.type].title);
		} else if (k == OUT_CSV)
			obuf_puts(b, "ts,te,td,pr,val,fl,flP,ipkt,ipktP,ibyt,"
			    "ibytP,ipps,ibps,ibpp\n");
		for (size_t i = 0; i < n; i++) {
			const uint8_t *key = aggtab_key(t->tab, idx[i]);
			const struct aggval *v = aggtab_val(t->tab, idx[i]);

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

uint32_t
topn_fields(const struct topn_stat *st)
{
	static const unsigned qf[] = {
		[G_NONE] = QF_AF, [G_SRCIP] = QF_SRC, [G_DSTIP] = QF_DST,
		[G_NH] = QF_NEXTHOP, [G_ROUTER] = QF_EXPORTER,
		[G_SPORT] = QF_SRC_PORT, [G_DPORT] = QF_DST_PORT,
		[G_PROTO] = QF_PROTO, [G_SAS] = QF_SRC_AS, [G_DAS] = QF_DST_AS,
		[G_IN] = QF_IN_IF, [G_OUT] = QF_OUT_IF,
		[G_SMASK] = QF_SRC_MASK, [G_DMASK] = QF_DST_MASK,
		[G_TOS] = QF_TOS, [G_SVLAN] = QF_SRC_VLAN,
		[G_DVLAN] = QF_DST_VLAN, [G_FLAGS] = QF_TCP_FLAGS,
	};
	uint32_t m = 1u << QF_AF;

	if (st->record)
		return agg_fields(&st->agg);
	m |= 1u << qf[types[st->type].g1];
	m |= 1u << qf[types[st->type].g2];
	if (st->by_proto)
		m |= 1u << QF_PROTO;
	return m;
}
