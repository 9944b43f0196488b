/*
 * sink/ndjson.c -- flows as JSON objects (sink/ndjson.h).
 *
 * The members are the field catalogue's entries that have a JSON rule
 * (common/base/fieldlist.h), in table order, named by their IANA
 * element (common/codec/ie.h) and written under the same rules as
 * query/output_json.c (ICMP type and code only for ICMP, a KNOWN field
 * only when it is not its default, the next hop under its own family,
 * the exporter only when known).  What differs is speed: times in UTC
 * without gmtime_r, IPv4 addresses without inet_ntop.  t_sinkenc checks
 * every record kind against flowq's writer.  A record needs at most
 * NDJSON_MAX bytes, reserved before it is written.
 */
#include "common/base/compat.h"

#include <stdio.h>
#include <string.h>

#include "common/base/fields.h"
#include "common/base/nferr.h"
#include "common/codec/ie.h"
#include "sink/ndjson.h"

/*
 * Bytes of one object: per member at most ", " + a quoted element name
 * (IE names are under 64 bytes) + ": " + a value (an IPv6 address or a
 * time in quotes, under 64); braces and newline.
 */
#define NDJSON_MEMBER_MAX	(2 + 66 + 2 + 64)
/* A string member's value: quotes and up to 6 bytes per byte (\u00XX) */
#define NDJSON_STR_MAX		(2 + 6 * FLOWREC_STR_MAX)
#define NDJSON_NSTR_F(ID, m, T, ...)	NDJSON_NSTR_##T
#define NDJSON_NSTR_U8
#define NDJSON_NSTR_U16
#define NDJSON_NSTR_U32
#define NDJSON_NSTR_U64
#define NDJSON_NSTR_ADDR
#define NDJSON_NSTR_STR		+ 1
#define NDJSON_SKIP_(...)
#define NDJSON_NSTR	(0 FLOW_FIELDS(NDJSON_NSTR_F, NDJSON_SKIP_, NDJSON_SKIP_))
#define NDJSON_MAX	(FLD_N * NDJSON_MEMBER_MAX + \
			    NDJSON_NSTR * NDJSON_STR_MAX + 4)

/* The element name of id (v4) or id6 (v6 record), as flowq. */
static const char *
jname(unsigned id)
{
	const struct ie *e = ie_by_id((uint16_t)id);

	return e != NULL ? e->name : "unknown";
}

struct jw {
	char	*p;		/* borrowed: reserved room */
	size_t	 len;
	bool	 first;
};

static void
put(struct jw *w, const char *s)
{
	size_t n = strlen(s);

	memcpy(w->p + w->len, s, n);
	w->len += n;
}

static void
key(struct jw *w, unsigned id)
{
	if (!w->first)
		put(w, ", ");
	w->first = false;
	w->p[w->len++] = '"';
	put(w, jname(id));
	put(w, "\": ");
}

static void
u64(struct jw *w, unsigned id, uint64_t v)
{
	char tmp[21];
	size_t n = 0;

	key(w, id);
	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	while (n > 0)
		w->p[w->len++] = tmp[--n];
}

static void
digits(struct jw *w, unsigned v, int n)
{
	for (int i = n - 1; i >= 0; i--) {
		w->p[w->len + (size_t)i] = (char)('0' + v % 10);
		v /= 10;
	}
	w->len += (size_t)n;
}

static void
addr(struct jw *w, unsigned id, const struct nf_addr *a)
{
	char buf[ADDR_STRLEN];

	key(w, id);
	w->p[w->len++] = '"';
	if (addr_is_v4(a)) {
		/* the hot path: no inet_ntop */
		for (int i = 12; i < 16; i++) {
			unsigned b = a->a[i];

			if (b >= 100)
				w->p[w->len++] = (char)('0' + b / 100);
			if (b >= 10)
				w->p[w->len++] = (char)('0' + b / 10 % 10);
			w->p[w->len++] = (char)('0' + b % 10);
			if (i < 15)
				w->p[w->len++] = '.';
		}
	} else {
		put(w, addr_format(a, buf, sizeof(buf)));
	}
	w->p[w->len++] = '"';
}

/* A MAC address held in the low 48 bits of v: "aa:bb:cc:dd:ee:ff". */
static void
mac(struct jw *w, unsigned id, uint64_t v)
{
	static const char hex[] = "0123456789abcdef";

	key(w, id);
	w->p[w->len++] = '"';
	for (int i = 0; i < 6; i++) {
		unsigned o = (unsigned)(v >> (40 - 8 * i)) & 0xff;

		w->p[w->len++] = hex[o >> 4];
		w->p[w->len++] = hex[o & 15];
		if (i < 5)
			w->p[w->len++] = ':';
	}
	w->p[w->len++] = '"';
}

/*
 * ISO 8601 in UTC with milliseconds: 2024-05-01T10:00:00.000+00:00.
 * The civil date from the day number (H. Hinnant's days_from_civil,
 * inverted) instead of gmtime_r and snprintf, twice per flow.
 */
static void
utc(struct jw *w, unsigned id, uint64_t ms)
{
	uint64_t secs = ms / 1000;
	int64_t z = (int64_t)(secs / 86400) + 719468;
	int64_t era = z / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	unsigned d = doy - (153 * mp + 2) / 5 + 1;
	unsigned m = mp < 10 ? mp + 3 : mp - 9;
	int64_t y = (int64_t)yoe + era * 400 + (m <= 2);
	unsigned sod = (unsigned)(secs % 86400);

	key(w, id);
	w->p[w->len++] = '"';
	digits(w, (unsigned)(y % 10000), 4);
	w->p[w->len++] = '-';
	digits(w, m, 2);
	w->p[w->len++] = '-';
	digits(w, d, 2);
	w->p[w->len++] = 'T';
	digits(w, sod / 3600, 2);
	w->p[w->len++] = ':';
	digits(w, sod / 60 % 60, 2);
	w->p[w->len++] = ':';
	digits(w, sod % 60, 2);
	w->p[w->len++] = '.';
	digits(w, (unsigned)(ms % 1000), 3);
	put(w, "+00:00\"");
}

/* A string member: escaped, bytes that are not UTF-8 as U+FFFD. */
static void
str(struct jw *w, unsigned id, const struct nf_str *v)
{
	static const char hex[] = "0123456789abcdef";
	const uint8_t *p = (const uint8_t *)v->p;
	size_t i = 0, k;

	key(w, id);
	w->p[w->len++] = '"';
	while (i < v->len) {
		if (p[i] == '"' || p[i] == '\\') {
			w->p[w->len++] = '\\';
			w->p[w->len++] = (char)p[i++];
		} else if (p[i] < 0x20) {
			put(w, "\\u00");
			w->p[w->len++] = hex[p[i] >> 4];
			w->p[w->len++] = hex[p[i++] & 15];
		} else if ((k = flowrec_utf8_char(p + i, v->len - i)) == 0) {
			put(w, "\\ufffd");
			i++;
		} else {
			memcpy(w->p + w->len, p + i, k);
			w->len += k;
			i += k;
		}
	}
	w->p[w->len++] = '"';
}

/* Integer value of entry d, as flowq's out_value (query/output.c). */
static uint64_t
value(const struct fld_desc *d, const struct flowrec *r)
{
	if (!fld_is_computed(d))
		return fld_get_u64(d, r);
	switch (d->kind) {
	case FK_DURATION:
		return r->last_ms > r->first_ms ? r->last_ms - r->first_ms : 0;
	case FK_ICMP_TYPE:
		return fld_is_icmp(r) ? flowrec_icmp_type(r) : 0;
	case FK_ICMP_CODE:
		return fld_is_icmp(r) ? flowrec_icmp_code(r) : 0;
	default:
		/* rates have no JSON member; t_sinkenc compares with flowq */
		return 0;
	}
}

/* One member of entry d if its rule says so (query/output_json.c). */
static void
member(struct jw *w, const struct fld_desc *d, const struct flowrec *r,
    const struct nf_addr *router)
{
	static const struct nf_addr v4zero = { { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	    0xff, 0xff, 0, 0, 0, 0 } };
	const struct fld_json *j = &d->json;
	const struct nf_addr *a;
	bool v6 = r->af == 6;

	switch (j->rule) {
	case JR_ICMP:
		if (!fld_is_icmp(r))
			return;
		break;
	case JR_ROUTER:
		if (router == NULL)
			return;
		v6 = !addr_is_v4(router);
		break;
	case JR_KNOWN:
	case JR_JOINED:			/* a sink never joins: as KNOWN */
		if (d->type == FT_STR ? fld_get_str(d, r)->len == 0 :
		    d->type == FT_ADDR ? addr_is_zero(fld_get_addr(d, r)) :
		    value(d, r) == d->def)
			return;
		break;
	default:
		break;
	}
	switch (d->kind) {
	case FK_TSTART:
	case FK_TEND:
	case FK_TIME:
		utc(w, v6 ? j->ie6 : j->ie4, fld_get_u64(d, r));
		return;
	case FK_ADDR:
	case FK_ROUTER:
		a = d->kind == FK_ROUTER ? (router != NULL ? router : &v4zero) :
		    fld_get_addr(d, r);
		if (j->rule == JR_KNOWN)	/* named by its family */
			v6 = !addr_is_v4(a);
		else if (j->rule == JR_OWN_FAMILY) {
			/* an unset one by the flow's family, "::" for v6 */
			if (addr_is_zero(a)) {
				key(w, v6 ? j->ie6 : j->ie4);
				put(w, v6 ? "\"::\"" : "\"0.0.0.0\"");
				return;
			}
			v6 = !addr_is_v4(a);
		}
		addr(w, v6 ? j->ie6 : j->ie4, a);
		return;
	case FK_MAC:
		mac(w, j->ie4, value(d, r));
		return;
	case FK_STR:
	case FK_STR_NONE:
		str(w, v6 ? j->ie6 : j->ie4, fld_get_str(d, r));
		return;
	case FK_APPID: {		/* engine..selector, as flowq */
		char buf[48], q[52];

		snprintf(q, sizeof(q), "\"%s\"", fld_appid_text(value(d, r),
		    false, buf, sizeof(buf)));
		key(w, j->ie4);
		put(w, q);
		return;
	}
	case FK_MPLS: {			/* label-EXP-S, as flowq */
		uint64_t v = value(d, r);
		char buf[32];

		snprintf(buf, sizeof(buf), "\"%u-%u-%u\"",
		    (unsigned)(v >> 4), (unsigned)(v >> 1 & 7),
		    (unsigned)(v & 1));
		key(w, j->ie4);
		put(w, buf);
		return;
	}
	default:
		u64(w, v6 ? j->ie6 : j->ie4, value(d, r));
		return;
	}
}

int
ndjson_record(const struct sink_batch *b, size_t i, bool newline,
    struct sbuf *out)
{
	const struct flowrec *r = &b->recs[i];
	const struct ffile_exporter *x = sink_exporter(b, r);
	struct jw w;
	int rc;

	if ((rc = sbuf_reserve(out, NDJSON_MAX)) != NFE_OK)
		return rc;
	w.p = (char *)out->p + out->len;
	w.len = 0;
	w.first = true;
	w.p[w.len++] = '{';
	for (unsigned k = 0; k < FLD_N; k++)
		if (fld(k)->json.rule != JR_NONE)
			member(&w, fld(k), r, x != NULL ? &x->addr : NULL);
	w.p[w.len++] = '}';
	if (newline)
		w.p[w.len++] = '\n';
	out->len += w.len;
	return NFE_OK;
}
