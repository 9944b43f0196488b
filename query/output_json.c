/*
 * query/output_json.c -- -o csv, json and ndjson.
 *
 * CSV keeps nfdump 1.7.1's column names and order for the columns a
 * flow record carries (its MPLS, MAC, latency and received-time columns
 * are left out) and adds "fl", the flow count of aggregated records.
 * JSON field names are IPFIX information-element names (IANA registry;
 * each entry of the field catalogue names its element; man/flowq.1).  CSV and JSON times are
 * ISO 8601 in the local zone of TZ with an explicit offset.
 */
#include "common/base/compat.h"

#include <stdio.h>
#include <string.h>

#include "common/codec/ie.h"
#include "query/output.h"
#include "query/output_int.h"

/*
 * The JSON members and CSV columns are the entries of the field
 * catalogue (common/base/fieldlist.h) that have a .json or .csv: JSON
 * in table order, named by the IANA element their entry gives (looked
 * up in common/codec/ie.h), CSV in the order of their .csv.pos.
 */
static const char *
jname(unsigned id)
{
	const struct ie *e = ie_by_id((uint16_t)id);

	return e != NULL ? e->name : "unknown";
}

void
out_json_strn(struct obuf *b, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	const uint8_t *p = (const uint8_t *)s;
	size_t i = 0, k;

	obuf_putc(b, '"');
	while (i < len) {
		unsigned char c = p[i];

		if (c == '"' || c == '\\') {
			obuf_putc(b, '\\');
			obuf_putc(b, (char)c);
			i++;
		} else if (c < 0x20) {
			obuf_puts(b, "\\u00");
			obuf_putc(b, hex[c >> 4]);
			obuf_putc(b, hex[c & 15]);
			i++;
		} else if ((k = flowrec_utf8_char(p + i, len - i)) == 0) {
			obuf_puts(b, "\\ufffd");	/* not UTF-8: replaced */
			i++;
		} else {
			obuf_putn(b, s + i, k);
			i += k;
		}
	}
	obuf_putc(b, '"');
}

void
out_json_str(struct obuf *b, const char *s)
{
	static const char hex[] = "0123456789abcdef";

	obuf_putc(b, '"');
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\') {
			obuf_putc(b, '\\');
			obuf_putc(b, (char)c);
		} else if (c < 0x20) {
			obuf_puts(b, "\\u00");
			obuf_putc(b, hex[c >> 4]);
			obuf_putc(b, hex[c & 15]);
		} else
			obuf_putc(b, (char)c);
	}
	obuf_putc(b, '"');
}

/* How a CSV column prints (struct ocsv.op), from its entry's kind. */
enum {
	CSV_U8, CSV_U16, CSV_U32, CSV_U64, CSV_PAIR, CSV_ZERO, CSV_TIME,
	CSV_DUR, CSV_ADDR, CSV_ROUTER, CSV_PROTO, CSV_FLAGS, CSV_DIR,
	CSV_COMPUTED, CSV_STR,
};

/* The CSV columns in order (into o->csv), once per output. */
static void
csv_columns(struct output *o)
{
	o->ncsv = 0;
	for (unsigned pos = 0; pos < FLD_N; pos++) {
		for (unsigned i = 0; i < FLD_N; i++) {
			const struct fld_desc *d = fld(i);
			struct ocsv *c = &o->csv[o->ncsv];

			if (d->csv.name == NULL || d->csv.pos != pos)
				continue;
			memset(c, 0, sizeof(*c));
			c->d = d;
			c->off = d->off;
			c->size = d->size;
			switch (d->kind) {
			case FK_TSTART:
			case FK_TEND:
			case FK_TIME:	c->op = CSV_TIME; break;
			case FK_DURATION: c->op = CSV_DUR; break;
			case FK_ADDR:	c->op = CSV_ADDR; break;
			case FK_ROUTER:	c->op = CSV_ROUTER; break;
			case FK_PROTO:	c->op = CSV_PROTO; break;
			case FK_FLAGS:	c->op = CSV_FLAGS; break;
			case FK_DIR:	c->op = CSV_DIR; break;
			case FK_ABSENT:	c->op = CSV_ZERO; break;
			default:
				c->op = d->type == FT_NONE ? CSV_COMPUTED :
				    d->csv.partner != 0 ? CSV_PAIR :
				    d->size == 1 ? CSV_U8 : d->size == 2 ? CSV_U16 :
				    d->size == 4 ? CSV_U32 : CSV_U64;
				break;
			}
			if (d->csv.partner != 0) {
				c->poff = fld(d->csv.partner - 1u)->off;
				c->psize = fld(d->csv.partner - 1u)->size;
			}
			o->ncsv++;
		}
	}
	/*
	 * A query that joins (--sessions) adds the user as a last column,
	 * after nfdump's: empty for a flow without one.  Without a join the
	 * columns stay nfdump's.
	 */
	if (o->joined) {
		struct ocsv *c = &o->csv[o->ncsv++];

		memset(c, 0, sizeof(*c));
		c->d = fld(FLD_USER);
		c->op = CSV_STR;
	}
}

/* A string as a CSV field (RFC 4180: quoted if it holds , " or a newline). */
static void
csv_str(struct obuf *b, const char *p, size_t n)
{
	if (memchr(p, ',', n) == NULL && memchr(p, '"', n) == NULL &&
	    memchr(p, '\n', n) == NULL && memchr(p, '\r', n) == NULL) {
		obuf_putn(b, p, n);
		return;
	}
	obuf_putc(b, '"');
	for (size_t i = 0; i < n; i++) {
		if (p[i] == '"')
			obuf_putc(b, '"');
		obuf_putc(b, p[i]);
	}
	obuf_putc(b, '"');
}

/* An unsigned field of size bytes at off in r. */
static inline uint64_t
ld(const struct flowrec *r, uint16_t off, uint8_t size)
{
	const uint8_t *p = (const uint8_t *)r + off;

	switch (size) {
	case 1:
		return *p;
	case 2:
		return *(const uint16_t *)(const void *)p;
	case 4:
		return *(const uint32_t *)(const void *)p;
	default:
		return *(const uint64_t *)(const void *)p;
	}
}

void
out_json_begin(struct output *o, struct obuf *b)
{
	if (o->kind == OUT_CSV) {
		if (o->ncsv == 0)
			csv_columns(o);
		for (size_t k = 0; k < o->ncsv; k++) {
			if (k > 0)
				obuf_putc(b, ',');
			obuf_puts(b, o->csv[k].op == CSV_STR ?
			    o->csv[k].d->name : o->csv[k].d->csv.name);
		}
		obuf_putc(b, '\n');
	} else if (o->kind == OUT_JSON)
		obuf_puts(b, "[\n");
}

/*
 * An address as text: IPv4 digit by digit into one buffer (a listing
 * prints several per record), IPv6 through addr_format.
 */
static void
put_addr(struct obuf *b, const struct nf_addr *a)
{
	static const uint8_t v4mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	    0xff, 0xff };
	char buf[ADDR_STRLEN];
	size_t n = 0;
	unsigned v;

	if (memcmp(a->a, v4mapped, 12) != 0) {
		obuf_puts(b, addr_format(a, buf, sizeof(buf)));
		return;
	}
	for (int i = 12; i < 16; i++) {
		v = a->a[i];
		if (v >= 100) {
			buf[n++] = (char)('0' + v / 100);
			v %= 100;
			buf[n++] = (char)('0' + v / 10);
		} else if (v >= 10)
			buf[n++] = (char)('0' + v / 10);
		buf[n++] = (char)('0' + v % 10);
		buf[n++] = '.';
	}
	obuf_putn(b, buf, n - 1);
}

static void
csv_record(struct output *o, const struct flowrec *r,
    const struct nf_addr *router, struct obuf *b)
{
	char buf[16];
	uint64_t v;

	if (o->ncsv == 0)
		csv_columns(o);
	for (size_t k = 0; k < o->ncsv; k++) {
		const struct ocsv *c = &o->csv[k];

		if (k > 0)
			obuf_putc(b, ',');
		switch (c->op) {
		case CSV_U8:
			obuf_putu(b, ld(r, c->off, 1));
			break;
		case CSV_U16:
			obuf_putu(b, ld(r, c->off, 2));
			break;
		case CSV_U32:
			obuf_putu(b, ld(r, c->off, 4));
			break;
		case CSV_U64:
			obuf_putu(b, ld(r, c->off, 8));
			break;
		case CSV_PAIR:
			obuf_putu(b, ld(r, c->off, c->size));
			obuf_putc(b, '/');
			obuf_putu(b, ld(r, c->poff, c->psize));
			break;
		case CSV_ZERO:
			obuf_putc(b, '0');
			break;
		case CSV_TIME:
			out_time(o, ld(r, c->off, 8), true, b);
			break;
		case CSV_DUR:
			v = out_dur_ms(r);
			obuf_putu(b, v / 1000);
			buf[0] = '.';
			buf[1] = (char)('0' + v % 1000 / 100);
			buf[2] = (char)('0' + v % 100 / 10);
			buf[3] = (char)('0' + v % 10);
			obuf_putn(b, buf, 4);
			break;
		case CSV_ADDR:
		case CSV_ROUTER:
			put_addr(b, out_addr_of(c->d, r, router));
			break;
		case CSV_PROTO:
			obuf_puts(b, out_proto((uint8_t)ld(r, c->off, 1),
			    o->opts.plain, buf, sizeof(buf)));
			break;
		case CSV_FLAGS:
			obuf_puts(b, out_flags((uint8_t)ld(r, c->off, 1), buf,
			    sizeof(buf)));
			break;
		case CSV_DIR:
			obuf_putc(b, ld(r, c->off, 1) == FLOWDIR_EGRESS ? '1' :
			    '0');
			break;
		case CSV_STR: {
			const struct nf_str *str = fld_get_str(c->d, r);

			csv_str(b, str->p, str->len);
			break;
		}
		default:
			obuf_putu(b, out_value(c->d, r));
			break;
		}
	}
	obuf_putc(b, '\n');
}

static void
jkey(struct obuf *b, unsigned ie, bool *first)
{
	if (!*first)
		obuf_puts(b, ", ");
	*first = false;
	obuf_putc(b, '"');
	obuf_puts(b, jname(ie));
	obuf_puts(b, "\": ");
}

/* One JSON member of entry d (if its rule says so), by its kind. */
static void
json_value(struct output *o, const struct fld_desc *d, const struct flowrec *r,
    const struct nf_addr *router, bool *first, struct obuf *b)
{
	const struct fld_json *j = &d->json;
	const struct nf_addr *a;
	const struct nf_str *str;
	char buf[ADDR_STRLEN];
	bool v6 = r->af == 6, unset;
	uint64_t v;

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
		if (d->type == FT_ADDR ? addr_is_zero(fld_get_addr(d, r)) :
		    d->type != FT_STR && out_value(d, r) == d->def)
			return;
		break;
	default:
		break;
	}
	switch (d->kind) {
	case FK_TSTART:
	case FK_TEND:
	case FK_TIME:
		jkey(b, v6 ? j->ie6 : j->ie4, first);
		obuf_putc(b, '"');
		out_time(o, fld_get_u64(d, r), true, b);
		obuf_putc(b, '"');
		return;
	case FK_STR:
	case FK_STR_NONE:
		str = fld_get_str(d, r);
		if ((j->rule == JR_KNOWN || (j->rule == JR_JOINED &&
		    !o->joined)) && str->len == 0)
			return;
		jkey(b, v6 ? j->ie6 : j->ie4, first);
		if (str->len == 0 && j->rule == JR_JOINED)
			obuf_puts(b, "null");
		else
			out_json_strn(b, str->p, str->len);
		return;
	case FK_ADDR:
	case FK_ROUTER:
		a = out_addr_of(d, r, router);
		if (j->rule == JR_KNOWN) {	/* set: named by its family */
			jkey(b, addr_is_v4(a) ? j->ie4 : j->ie6, first);
			out_json_str(b, addr_format(a, buf, sizeof(buf)));
			return;
		}
		if (j->rule == JR_OWN_FAMILY) {
			/*
			 * Named by its own family: an IPv6 flow may have an
			 * IPv4 next hop (RFC 5549) and the reverse; an
			 * unset one by the flow's, "::" for IPv6 flows.
			 */
			unset = addr_is_zero(a);
			v6 = unset ? v6 : !addr_is_v4(a);
			jkey(b, v6 ? j->ie6 : j->ie4, first);
			if (unset)
				out_json_str(b, v6 ? "::" : "0.0.0.0");
			else
				out_json_str(b, addr_format(a, buf,
				    sizeof(buf)));
			return;
		}
		jkey(b, v6 ? j->ie6 : j->ie4, first);
		out_json_str(b, addr_format(a, buf, sizeof(buf)));
		return;
	case FK_MAC:
		jkey(b, j->ie4, first);
		out_json_str(b, out_mac(out_value(d, r), buf));
		return;
	case FK_APPID:			/* engine..selector, as %nbid */
		jkey(b, j->ie4, first);
		out_json_str(b, fld_appid_text(out_value(d, r), false, buf,
		    sizeof(buf)));
		return;
	case FK_MPLS:			/* label-EXP-S, as text tokens */
		v = out_value(d, r);
		snprintf(buf, sizeof(buf), "%u-%u-%u", (unsigned)(v >> 4),
		    (unsigned)(v >> 1 & 7), (unsigned)(v & 1));
		jkey(b, j->ie4, first);
		out_json_str(b, buf);
		return;
	default:
		v = out_value(d, r);
		jkey(b, v6 ? j->ie6 : j->ie4, first);
		obuf_putu(b, v);
		return;
	}
}

static void
json_record(struct output *o, const struct flowrec *r,
    const struct nf_addr *router, struct obuf *b)
{
	bool first = true;

	if (o->kind == OUT_JSON)
		obuf_puts(b, ",\n");
	obuf_putc(b, '{');
	for (unsigned i = 0; i < FLD_N; i++)
		if (fld(i)->json.rule != JR_NONE)
			json_value(o, fld(i), r, router, &first, b);
	obuf_putc(b, '}');
	if (o->kind == OUT_NDJSON)
		obuf_putc(b, '\n');
}

void
out_json_record(struct output *o, const struct flowrec *r,
    const struct nf_addr *router, struct obuf *b)
{
	if (o->kind == OUT_CSV)
		csv_record(o, r, router, b);
	else
		json_record(o, r, router, b);
}
