/*
 * sink/ndjson.c -- flows as JSON objects (sink/ndjson.h).
 *
 * The members are the field catalogue's entries that have a JSON rule
 * (common/base/fieldlist.h), in table order, named by their IANA
 * element (common/codec/ie.h) and written under the same rules as
 * query/output_json.c (ICMP type and code only for ICMP, a KNOWN field
 * only when it is not its default, the next hop under its own family,
 * the exporter only when known).  What differs is speed: the catalogue
 * is walked once per process into a plan (the entries with a JSON rule,
 * each with its `, "name": ` text for IPv4 and IPv6 records already
 * made), numbers are written two digits at a time, IPv4 addresses from
 * a table of the 256 octets, times in UTC without gmtime_r (the date
 * part cached per thread, as consecutive flows share their day).
 * t_sinkenc checks every record kind against flowq's writer.  A record
 * needs at most NDJSON_MAX bytes, reserved before it is written.
 */
#include "common/base/compat.h"

#include <pthread.h>
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

/*
 * `, "name": `: a member's separator and key, made once.  Written as a
 * fixed JKEY_COPY bytes (one block move instead of a copy of its
 * length): what runs past the key is overwritten by the value, and a
 * record's reserve (NDJSON_MAX, for every catalogue member at its
 * longest) has room for it.
 */
#define JKEY_COPY	72
struct jkey {
	char		 s[JKEY_COPY + 2];
	uint8_t		 len;
};

/* How a member is written: the two common cases inline, the rest */
enum jop {
	JOP_INT,		/* a stored integer, as a number */
	JOP_TIME,		/* a stored time, ISO 8601 UTC */
	JOP_OTHER,		/* member(): rules and kinds in full */
};

/* One entry of the catalogue with a JSON rule, ready to write. */
struct jmember {
	const struct fld_desc *d;
	struct jkey	 k4, k6;	/* named for an IPv4 / IPv6 record */
	uint8_t		 op;		/* enum jop */
	uint8_t		 width;		/* JOP_INT/TIME: bytes of the member */
	bool		 known;		/* JOP_INT: left out at its default */
	uint16_t	 off;		/* offsetof(struct flowrec, member) */
	uint64_t	 def;
};

/* The plan: the members in table order; octets "0".."255". */
static struct {
	struct jmember	 m[FLD_N];
	size_t		 n;
	char		 oct[256][4];
	uint8_t		 octlen[256];
} plan;
static pthread_once_t plan_once = PTHREAD_ONCE_INIT;

static void
make_key(struct jkey *k, unsigned id)
{
	int n = snprintf(k->s, sizeof(k->s), ", \"%s\": ", jname(id));

	/* IE names are under 64 bytes: every key fits in JKEY_COPY */
	k->len = n > 0 && (size_t)n <= JKEY_COPY ? (uint8_t)n : 0;
}

static void
make_plan(void)
{
	for (unsigned i = 0; i < FLD_N; i++) {
		const struct fld_desc *d = fld(i);
		struct jmember *m;

		if (d->json.rule == JR_NONE)
			continue;
		m = &plan.m[plan.n++];
		m->d = d;
		make_key(&m->k4, d->json.ie4);
		make_key(&m->k6, d->json.ie6);
		m->op = JOP_OTHER;
		m->off = d->off;
		m->width = d->size;
		m->def = d->def;
		m->known = d->json.rule == JR_KNOWN ||
		    d->json.rule == JR_JOINED;
		if (fld_is_computed(d) || d->type == FT_ADDR ||
		    d->type == FT_STR || (d->json.rule != JR_ALWAYS &&
		    !m->known))
			continue;
		/* kinds written as plain numbers; any other (a new one
		   too) goes through member() */
		switch (d->kind) {
		case FK_TSTART:
		case FK_TEND:
		case FK_TIME:
			m->op = d->json.rule == JR_ALWAYS ? JOP_TIME :
			    JOP_OTHER;
			break;
		case FK_NUM:
		case FK_COUNT:
		case FK_PROTO:
		case FK_FLAGS:
		case FK_DIR:
		case FK_XINDEX:
		case FK_FAMILY:
			m->op = JOP_INT;
			break;
		default:
			break;
		}
	}
	for (unsigned b = 0; b < 256; b++)
		plan.octlen[b] = (uint8_t)snprintf(plan.oct[b],
		    sizeof(plan.oct[b]), "%u", b);
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

/* The key of member m for a v6 (or v4) record, after ", " unless first. */
static void
mkey(struct jw *w, const struct jmember *m, bool v6)
{
	const struct jkey *k = v6 ? &m->k6 : &m->k4;
	size_t skip = w->first ? 2 : 0;

	w->first = false;
	memcpy(w->p + w->len, k->s + skip, JKEY_COPY);
	w->len += k->len - skip;
}

/* Two digits at a time (the common itoa table). */
static const char dig2[201] =
    "00010203040506070809101112131415161718192021222324252627282930313233"
    "34353637383940414243444546474849505152535455565758596061626364656667"
    "68697071727374757677787980818283848586878889909192939495969798"
    "99";

static void
num(struct jw *w, uint64_t v)
{
	char tmp[20];
	size_t n = sizeof(tmp);

	if (v < 10) {			/* flags, masks, zeros: most numbers */
		w->p[w->len++] = (char)('0' + v);
		return;
	}
	if (v < 100) {
		memcpy(w->p + w->len, dig2 + v * 2, 2);
		w->len += 2;
		return;
	}

	while (v >= 100) {
		unsigned r = (unsigned)(v % 100) * 2;

		v /= 100;
		tmp[--n] = dig2[r + 1];
		tmp[--n] = dig2[r];
	}
	if (v >= 10) {
		tmp[--n] = dig2[v * 2 + 1];
		tmp[--n] = dig2[v * 2];
	} else {
		tmp[--n] = (char)('0' + v);
	}
	memcpy(w->p + w->len, tmp + n, sizeof(tmp) - n);
	w->len += sizeof(tmp) - n;
}

/* n digits of v, zero-padded (n <= 4). */
static void
pad(struct jw *w, unsigned v, int n)
{
	char *p = w->p + w->len;

	if (n == 2) {
		memcpy(p, dig2 + (v % 100) * 2, 2);
	} else {
		for (int i = n - 1; i >= 0; i--) {
			p[i] = (char)('0' + v % 10);
			v /= 10;
		}
	}
	w->len += (size_t)n;
}

/* An address in quotes: IPv4 from the octet table, IPv6 by inet_ntop. */
static void
addr(struct jw *w, const struct nf_addr *a)
{
	char buf[ADDR_STRLEN];

	w->p[w->len++] = '"';
	if (addr_is_v4(a)) {
		for (int i = 12; i < 16; i++) {
			unsigned b = a->a[i];

			/* 4 bytes copied, the octet's length kept */
			memcpy(w->p + w->len, plan.oct[b], 4);
			w->len += plan.octlen[b];
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
mac(struct jw *w, uint64_t v)
{
	static const char hex[] = "0123456789abcdef";

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

/* The last day written by this thread, as "YYYY-MM-DDT". */
static _Thread_local struct {
	uint64_t	 day;		/* + 1; 0: none yet */
	char		 s[11];
} day_cache;

/*
 * ISO 8601 in UTC with milliseconds: 2024-05-01T10:00:00.000+00:00.
 * The civil date from the day number (H. Hinnant's days_from_civil,
 * inverted) instead of gmtime_r and snprintf, once per day and thread.
 */
static void
utc(struct jw *w, uint64_t ms)
{
	uint64_t secs = ms / 1000, day = secs / 86400;
	unsigned sod = (unsigned)(secs % 86400);

	if (day_cache.day != day + 1) {
		int64_t z = (int64_t)day + 719468;
		int64_t era = z / 146097;
		unsigned doe = (unsigned)(z - era * 146097);
		unsigned yoe = (doe - doe / 1460 + doe / 36524 -
		    doe / 146096) / 365;
		unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
		unsigned mp = (5 * doy + 2) / 153;
		unsigned d = doy - (153 * mp + 2) / 5 + 1;
		unsigned m = mp < 10 ? mp + 3 : mp - 9;
		int64_t y = (int64_t)yoe + era * 400 + (m <= 2);
		struct jw dw = { day_cache.s, 0, false };

		pad(&dw, (unsigned)(y % 10000), 4);
		dw.p[dw.len++] = '-';
		pad(&dw, m, 2);
		dw.p[dw.len++] = '-';
		pad(&dw, d, 2);
		dw.p[dw.len++] = 'T';
		day_cache.day = day + 1;
	}
	w->p[w->len++] = '"';
	memcpy(w->p + w->len, day_cache.s, 11);
	w->len += 11;
	pad(w, sod / 3600, 2);
	w->p[w->len++] = ':';
	pad(w, sod / 60 % 60, 2);
	w->p[w->len++] = ':';
	pad(w, sod % 60, 2);
	w->p[w->len++] = '.';
	pad(w, (unsigned)(ms % 1000), 3);
	memcpy(w->p + w->len, "+00:00\"", 7);
	w->len += 7;
}

/* A string member: escaped, bytes that are not UTF-8 as U+FFFD. */
static void
str(struct jw *w, const struct nf_str *v)
{
	static const char hex[] = "0123456789abcdef";
	const uint8_t *p = (const uint8_t *)v->p;
	size_t i = 0, k;

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

/* Member m if its rule says so (query/output_json.c). */
static void
member(struct jw *w, const struct jmember *m, const struct flowrec *r,
    const struct nf_addr *router)
{
	static const struct nf_addr v4zero = { { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	    0xff, 0xff, 0, 0, 0, 0 } };
	const struct fld_desc *d = m->d;
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
		mkey(w, m, v6);
		utc(w, fld_get_u64(d, r));
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
				mkey(w, m, v6);
				put(w, v6 ? "\"::\"" : "\"0.0.0.0\"");
				return;
			}
			v6 = !addr_is_v4(a);
		}
		mkey(w, m, v6);
		addr(w, a);
		return;
	case FK_MAC:
		mkey(w, m, false);
		mac(w, value(d, r));
		return;
	case FK_STR:
	case FK_STR_NONE:
		mkey(w, m, v6);
		str(w, fld_get_str(d, r));
		return;
	case FK_APPID: {		/* engine..selector, as flowq */
		char buf[48];

		mkey(w, m, false);
		w->p[w->len++] = '"';
		put(w, fld_appid_text(value(d, r), false, buf, sizeof(buf)));
		w->p[w->len++] = '"';
		return;
	}
	case FK_MPLS: {			/* label-EXP-S, as flowq */
		uint64_t v = value(d, r);

		mkey(w, m, false);
		w->p[w->len++] = '"';
		num(w, v >> 4);
		w->p[w->len++] = '-';
		num(w, v >> 1 & 7);
		w->p[w->len++] = '-';
		num(w, v & 1);
		w->p[w->len++] = '"';
		return;
	}
	default:
		mkey(w, m, v6);
		num(w, value(d, r));
		return;
	}
}

int
ndjson_record(const struct sink_batch *b, size_t i, bool newline,
    struct sbuf *out)
{
	const struct flowrec *r = &b->recs[i];
	const struct ffile_exporter *x = sink_exporter(b, r);
	const struct nf_addr *router = x != NULL ? &x->addr : NULL;
	bool v6 = r->af == 6;
	struct jw w;
	int rc;

	(void)pthread_once(&plan_once, make_plan);
	if ((rc = sbuf_reserve(out, NDJSON_MAX)) != NFE_OK)
		return rc;
	w.p = (char *)out->p + out->len;
	w.len = 0;
	w.first = true;
	w.p[w.len++] = '{';
	for (size_t k = 0; k < plan.n; k++) {
		const struct jmember *m = &plan.m[k];
		const uint8_t *p = (const uint8_t *)r + m->off;
		uint64_t v;

		switch (m->op) {
		case JOP_INT:
			switch (m->width) {
			case 1:
				v = *p;
				break;
			case 2:
				v = *(const uint16_t *)(const void *)p;
				break;
			case 4:
				v = *(const uint32_t *)(const void *)p;
				break;
			default:
				v = *(const uint64_t *)(const void *)p;
				break;
			}
			if (m->known && v == m->def)
				continue;
			mkey(&w, m, v6);
			num(&w, v);
			break;
		case JOP_TIME:
			mkey(&w, m, v6);
			utc(&w, *(const uint64_t *)(const void *)p);
			break;
		default:
			member(&w, m, r, router);
			break;
		}
	}
	w.p[w.len++] = '}';
	if (newline)
		w.p[w.len++] = '\n';
	out->len += w.len;
	return NFE_OK;
}
