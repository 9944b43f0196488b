/*
 * query/output.c -- nfdump-compatible text output: the fmt: token
 * engine behind -o line/long/extended/fmt:..., number scaling, and the
 * summary lines.  CSV and JSON live in output_json.c.
 *
 * Widths, headers and scaling are nfdump 1.7.1's (tests/t_output.c and
 * tests/nfdump_cross.sh hold nfdump's own output as the reference):
 * a header is the concatenation of the tokens' headers with literal
 * text replaced by blanks; addresses are 16 columns (IPv6 condensed to
 * "first7..last7") or 39 with -6.
 */
#include "common/base/compat.h"

#include <stdio.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>

#include "common/base/nferr.h"
#include "common/base/timeutil.h"
#include "common/prog/xmalloc.h"
#include "query/output.h"
#include "query/output_int.h"

#define FMT_LINE	"%ts %td %pr %sap -> %dap %pkt %byt %fl"
#define FMT_LONG	"%ts %td %pr %sap -> %dap %flg %tos %pkt %byt %fl"
#define FMT_EXTENDED	"%ts %td %pr %sap -> %dap %flg %tos %pkt %byt " \
			"%pps %bps %bpp %fl"


/* ---- helpers ---------------------------------------------------- */

/*
 * "%5.1f U" of f / div into buf (>= 32 bytes) as glibc's printf writes
 * it, without printf (a listing has two such numbers per large flow):
 * q = f / div is a double m * 2^e with e < 0 (1 <= q < 2^25), so 10 q
 * splits exactly into an integer part and a remainder, rounded to
 * nearest, ties to even, as printf rounds the exact binary value.
 */
static void
fmt_scaled(double f, double div, char unit, char *buf)
{
	double q = f / div;
	uint64_t bits, m, n, t, rem, half;
	unsigned s;
	char dig[24];
	size_t nd = 0, w, k = 0;

	memcpy(&bits, &q, sizeof(bits));
	m = (bits & ((UINT64_C(1) << 52) - 1)) | (UINT64_C(1) << 52);
	s = 1075u - (unsigned)((bits >> 52) & 0x7ff);	/* q = m / 2^s */
	n = m * 10;
	t = n >> s;
	rem = n & ((UINT64_C(1) << s) - 1);
	half = UINT64_C(1) << (s - 1);
	if (rem > half || (rem == half && (t & 1)))
		t++;
	dig[nd++] = (char)('0' + t % 10);
	dig[nd++] = '.';
	t /= 10;
	do {
		dig[nd++] = (char)('0' + t % 10);
		t /= 10;
	} while (t > 0);
	for (w = nd; w < 5; w++)
		buf[k++] = ' ';
	while (nd > 0)
		buf[k++] = dig[--nd];
	buf[k++] = ' ';
	buf[k++] = unit;
	buf[k] = '\0';
}

char *
out_number(uint64_t v, bool plain, char *buf, size_t len)
{
	double f = (double)v;

	if (plain || f < 1e6) {
		if (len >= 21)
			obuf_utoa(v, buf);
		else
			snprintf(buf, len, "%llu", (unsigned long long)v);
	} else if (len < 32)
		snprintf(buf, len, "%5.1f %c", f >= 1e12 ? f / 1e12 :
		    f >= 1e9 ? f / 1e9 : f / 1e6,
		    f >= 1e12 ? 'T' : f >= 1e9 ? 'G' : 'M');
	else if (f >= 1e12)
		fmt_scaled(f, 1e12, 'T', buf);
	else if (f >= 1e9)
		fmt_scaled(f, 1e9, 'G', buf);
	else
		fmt_scaled(f, 1e6, 'M', buf);
	return buf;
}

char *
out_duration(uint64_t ms, bool plain, char *buf, size_t len)
{
	uint64_t s = ms / 1000, days, h, m;

	if (plain) {
		snprintf(buf, len, "%16.3f", (double)ms / 1000.0);
		return buf;
	}
	days = s / 86400;
	h = (s % 86400) / 3600;
	m = (s % 3600) / 60;
	if (days == 0 && len >= 17) {
		/* "    hh:mm:ss.fff" without printf: every listed row has one */
		unsigned sx = (unsigned)(s % 60), f = (unsigned)(ms % 1000);

		memcpy(buf, "    00:00:00.000", 17);
		buf[4] = (char)('0' + h / 10);
		buf[5] = (char)('0' + h % 10);
		buf[7] = (char)('0' + m / 10);
		buf[8] = (char)('0' + m % 10);
		buf[10] = (char)('0' + sx / 10);
		buf[11] = (char)('0' + sx % 10);
		buf[13] = (char)('0' + f / 100);
		buf[14] = (char)('0' + f / 10 % 10);
		buf[15] = (char)('0' + f % 10);
	} else if (days == 0)
		snprintf(buf, len, "    %02u:%02u:%02u.%03u", (unsigned)h,
		    (unsigned)m, (unsigned)(s % 60), (unsigned)(ms % 1000));
	else
		snprintf(buf, len, "%2llud %02u:%02u:%02u.%03u",
		    (unsigned long long)days, (unsigned)h, (unsigned)m,
		    (unsigned)(s % 60), (unsigned)(ms % 1000));
	return buf;
}

const char *
out_proto(uint8_t proto, bool plain, char *buf, size_t len)
{
	static const struct {
		uint8_t		 num;
		const char	*name;
	} names[] = {
		{ 1, "ICMP" }, { 2, "IGMP" }, { 3, "GGP" }, { 4, "IPIP" },
		{ 6, "TCP" }, { 8, "EGP" }, { 9, "IGP" }, { 17, "UDP" },
		{ 41, "IPv6" }, { 46, "RSVP" }, { 47, "GRE" }, { 50, "ESP" },
		{ 51, "AH" }, { 58, "ICMP6" }, { 88, "EIGRP" }, { 89, "OSPF" },
		{ 103, "PIM" }, { 112, "VRRP" }, { 115, "L2TP" },
		{ 132, "SCTP" },
	};

	if (!plain)
		for (size_t i = 0; i < NF_NELEM(names); i++)
			if (names[i].num == proto)
				return names[i].name;
	snprintf(buf, len, "%u", proto);
	return buf;
}

/* a.b.c.d of the 4 bytes at p; returns the end. */
static char *
put_quad(char *p, const uint8_t *q)
{
	for (int i = 0; i < 4; i++) {
		unsigned v = q[i];

		if (v >= 100)
			*p++ = (char)('0' + v / 100);
		if (v >= 10)
			*p++ = (char)('0' + v / 10 % 10);
		*p++ = (char)('0' + v % 10);
		*p++ = '.';
	}
	p[-1] = '\0';
	return p - 1;
}

/*
 * An IPv6 address as glibc's inet_ntop writes it (its printf per
 * group was a quarter of a listing of mixed traffic): lower-case hex
 * groups, the longest run (the first of equal ones) of two or more
 * zero groups as "::", and ::a.b.c.d / ::ffff:a.b.c.d with the IPv4
 * tail dotted.  buf: at least ADDR_STRLEN bytes.
 */
static void
out_addr6(const uint8_t *a, char *buf)
{
	static const char hex[] = "0123456789abcdef";
	unsigned w[8];
	int best = -1, blen = 0, cur = -1, clen = 0;
	char *p = buf;

	for (int i = 0; i < 8; i++) {
		w[i] = (unsigned)a[2 * i] << 8 | a[2 * i + 1];
		if (w[i] == 0) {
			if (cur < 0)
				cur = i, clen = 0;
			clen++;
			continue;
		}
		if (cur >= 0 && (best < 0 || clen > blen))
			best = cur, blen = clen;
		cur = -1;
	}
	if (cur >= 0 && (best < 0 || clen > blen))
		best = cur, blen = clen;
	if (blen < 2)
		best = -1;
	for (int i = 0; i < 8; i++) {
		if (best >= 0 && i >= best && i < best + blen) {
			if (i == best)
				*p++ = ':';
			continue;
		}
		if (i != 0)
			*p++ = ':';
		if (i == 6 && best == 0 && (blen == 6 ||
		    (blen == 5 && w[5] == 0xffff))) {
			p = put_quad(p, a + 12);
			break;
		}
		for (int sh = 12, lead = 1; sh >= 0; sh -= 4) {
			unsigned d = (w[i] >> sh) & 0xf;

			if (d == 0 && lead && sh > 0)
				continue;
			lead = 0;
			*p++ = hex[d];
		}
	}
	if (best >= 0 && best + blen == 8)
		*p++ = ':';
	*p = '\0';
}

char *
out_addr(const struct nf_addr *a, bool v6full, char *buf, size_t len)
{
	size_t n;

	if (addr_is_v4(a) && len >= 16) {
		/* dotted quad without inet_ntop's printf: one per column */
		put_quad(buf, a->a + 12);
		return buf;
	}
	if (len >= ADDR_STRLEN)
		out_addr6(a->a, buf);
	else
		addr_format(a, buf, len);
	n = strlen(buf);
	if (!v6full && n > 16 && len > 16) {
		/* nfdump: first 7 characters, "..", last 7 */
		memmove(buf + 9, buf + n - 7, 8);
		buf[7] = '.';
		buf[8] = '.';
	}
	return buf;
}

char *
out_flags(uint8_t flags, char *buf, size_t len)
{
	static const char names[] = "CEUAPRSF";

	if (len < 9) {
		if (len > 0)
			buf[0] = '\0';
		return buf;
	}
	for (int i = 0; i < 8; i++)
		buf[i] = flags & (0x80 >> i) ? names[i] : '.';
	buf[8] = '\0';
	return buf;
}

/*
 * localtime_r and printf per record are the cost of a listing, so the
 * zone offset is looked up once per UTC hour and the date text made
 * once per local hour; minutes, seconds and milliseconds are digits.
 * (A zone change that is not on a whole UTC hour would be seen up to an
 * hour late; no zone in use changes off the hour.)
 */
void
out_time(struct output *o, uint64_t ms, bool iso, struct obuf *b)
{
	int64_t sec = (int64_t)(ms / 1000), lsec, h;
	unsigned m, sx, frac = (unsigned)(ms % 1000);
	char t[16];
	struct tm tm;
	time_t tt;
	long off;

	if (!iso && ms == 0) {
		obuf_puts(b, "0000-00-00 00:00:00.000");
		return;
	}
	h = sec / 3600;
	if (!o->off_valid || o->off_hour != h) {
		tt = (time_t)sec;
		o->gmtoff = localtime_r(&tt, &tm) != NULL ? tm.tm_gmtoff : 0;
		o->off_hour = h;
		o->off_valid = true;
		off = o->gmtoff < 0 ? -o->gmtoff : o->gmtoff;
		snprintf(o->iso_off, sizeof(o->iso_off), "%c%02ld:%02ld",
		    o->gmtoff < 0 ? '-' : '+', (off / 3600) % 100,
		    (off % 3600) / 60);
	}
	lsec = sec + o->gmtoff;
	if (!o->loc_valid || o->loc_hour != lsec / 3600) {
		tt = (time_t)(lsec - lsec % 3600);
		if (gmtime_r(&tt, &tm) == NULL)
			memset(&tm, 0, sizeof(tm));
		snprintf(o->loc_pre, sizeof(o->loc_pre), "%04d-%02d-%02d %02d:",
		    (tm.tm_year + 1900) % 10000, (tm.tm_mon + 1) % 100,
		    tm.tm_mday % 100, tm.tm_hour % 100);
		o->loc_hour = lsec / 3600;
		o->loc_valid = true;
	}
	m = (unsigned)(lsec % 3600 / 60);
	sx = (unsigned)(lsec % 60);
	obuf_putn(b, o->loc_pre, 14);
	if (iso)
		b->p[b->len - 4] = 'T';
	t[0] = (char)('0' + m / 10);
	t[1] = (char)('0' + m % 10);
	t[2] = ':';
	t[3] = (char)('0' + sx / 10);
	t[4] = (char)('0' + sx % 10);
	t[5] = '.';
	t[6] = (char)('0' + frac / 100);
	t[7] = (char)('0' + frac / 10 % 10);
	t[8] = (char)('0' + frac % 10);
	obuf_putn(b, t, 9);
	if (iso)
		obuf_puts(b, o->iso_off);
}

/* As nfdump: the duration in seconds as a double, then truncation. */
uint64_t
out_pps(uint64_t packets, uint64_t ms)
{
	return ms == 0 ? 0 :
	    (uint64_t)((double)packets / ((double)ms / 1000.0));
}

uint64_t
out_bps(uint64_t bytes, uint64_t ms)
{
	return ms == 0 ? 0 :
	    (uint64_t)((double)(bytes * 8) / ((double)ms / 1000.0));
}

uint64_t
out_bpp(uint64_t bytes, uint64_t packets)
{
	return packets == 0 ? 0 : bytes / packets;
}

uint64_t
out_dur_ms(const struct flowrec *r)
{
	return r->last_ms > r->first_ms ? r->last_ms - r->first_ms : 0;
}

/* A MAC address held in the low 48 bits of v, as aa:bb:cc:dd:ee:ff. */
const char *
out_mac(uint64_t v, char buf[18])
{
	static const char hex[] = "0123456789abcdef";

	for (int i = 0; i < 6; i++) {
		unsigned o = (unsigned)(v >> (40 - 8 * i)) & 0xff;

		buf[3 * i] = hex[o >> 4];
		buf[3 * i + 1] = hex[o & 15];
		buf[3 * i + 2] = i < 5 ? ':' : '\0';
	}
	return buf;
}

const char *
out_value_text(const struct fld_desc *d, uint64_t v, char *buf, size_t len)
{
	char mac[18];

	switch (d->kind) {
	case FK_MAC:
		snprintf(buf, len, "%s", out_mac(v, mac));
		break;
	case FK_MPLS:
		snprintf(buf, len, "%u-%u-%u", (unsigned)(v >> 4),
		    (unsigned)(v >> 1 & 7), (unsigned)(v & 1));
		break;
	case FK_APPID:
		fld_appid_text(v, false, buf, len);
		break;
	default:
		snprintf(buf, len, "%llu", (unsigned long long)v);
		break;
	}
	return buf;
}

/* ---- tokens ------------------------------------------------------ */

uint64_t
out_computed(const struct fld_desc *d, const struct flowrec *r)
{
	switch (d->kind) {
	case FK_DURATION:
		return out_dur_ms(r);
	case FK_BPS:
		return out_bps(r->bytes, out_dur_ms(r));
	case FK_PPS:
		return out_pps(r->packets, out_dur_ms(r));
	case FK_BPP:
		return out_bpp(r->bytes, r->packets);
	case FK_ICMP_TYPE:
		return fld_is_icmp(r) ? flowrec_icmp_type(r) : 0;
	case FK_ICMP_CODE:
		return fld_is_icmp(r) ? flowrec_icmp_code(r) : 0;
	default:
		return 0;
	}
}

const struct nf_addr *
out_addr_of(const struct fld_desc *d, const struct flowrec *r,
    const struct nf_addr *router)
{
	static const struct nf_addr v4zero = { { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	    0xff, 0xff, 0, 0, 0, 0 } };

	if (d->kind == FK_ROUTER)
		return router != NULL ? router : &v4zero;
	return fld_get_addr(d, r);
}

static void
put_num(struct output *o, uint64_t v, int width, struct obuf *b)
{
	char buf[OUT_NUMLEN];

	obuf_field(b, out_number(v, o->opts.plain, buf, sizeof(buf)), width);
}

static void
put_u(uint64_t v, int width, struct obuf *b)
{
	char buf[24];

	obuf_utoa(v, buf);
	obuf_field(b, buf, width);
}

static void
put_addr(struct output *o, const struct nf_addr *a, struct obuf *b)
{
	char buf[ADDR_STRLEN];

	obuf_field(b, out_addr(a, o->opts.v6full, buf, sizeof(buf)),
	    o->opts.v6full ? 39 : 16);
}

/* A port as text: for ICMP a destination port is type.code. */
static void
port_text(uint8_t kind, const struct fld_desc *d, const struct flowrec *r,
    char *buf, size_t len)
{
	uint64_t v = fld_get_u64(d, r);

	if (kind == TK_DPORT && fld_is_icmp(r))
		snprintf(buf, len, "%u.%u", (unsigned)(v >> 8 & 0xff),
		    (unsigned)(v & 0xff));
	else if (len >= 21)
		(void)obuf_utoa(v, buf);
	else
		snprintf(buf, len, "%llu", (unsigned long long)v);
}

static void
put_net(struct output *o, const struct nf_addr *a, uint8_t mask,
    struct obuf *b)
{
	struct nf_addr m = *a;

	addr_mask(&m, mask);
	put_addr(o, &m, b);
	obuf_printf(b, "/%-2u", mask);
}

void
out_text(struct obuf *b, const char *s, size_t len, int width)
{
	size_t w = width < 0 ? (size_t)-width : (size_t)width, chars = 0;

	if (width > 0)
		for (size_t i = 0; i < len; i++)	/* UTF-8 characters */
			chars += ((unsigned char)s[i] & 0xc0) != 0x80;
	if (width > 0 && chars < w)
		obuf_pad(b, ' ', w - chars);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		obuf_putc(b, c < 0x20 || c == 0x7f ? '?' : (char)c);
		chars += width < 0 && (c & 0xc0) != 0x80;
	}
	if (width < 0 && chars < w)
		obuf_pad(b, ' ', w - chars);
}

/* One token of a text format, by its kind (fields.h, enum fld_tk). */
static void
put_token(struct output *o, const struct fmt_item *it,
    const struct flowrec *r, const struct nf_addr *ra, struct obuf *b)
{
	const struct fld_desc *d = it->d;
	char buf[48];
	uint64_t v;

	switch (it->kind) {
	case TK_TIME:
		out_time(o, fld_get_u64(d, r), false, b);
		return;
	case TK_TIME_RAW:
		v = fld_get_u64(d, r);
		obuf_printf(b, "%10llu.%03u", (unsigned long long)(v / 1000),
		    (unsigned)(v % 1000));
		return;
	case TK_DURATION:
	case TK_DURATION_S:
		obuf_puts(b, out_duration(out_value(d, r),
		    it->kind == TK_DURATION_S || o->opts.plain, buf,
		    sizeof(buf)));
		return;
	case TK_PROTO:
		obuf_field(b, out_proto((uint8_t)out_value(d, r),
		    o->opts.plain, buf, sizeof(buf)), -it->width);
		return;
	case TK_ADDR:
		put_addr(o, out_addr_of(d, r, ra), b);
		return;
	case TK_ADDR_PORT:
		port_text(it->partner->toks[0].kind, it->partner, r, buf,
		    sizeof(buf));
		put_addr(o, out_addr_of(d, r, ra), b);
		obuf_putc(b, r->af == 6 ? '.' : ':');
		obuf_field(b, buf, -5);
		return;
	case TK_NET:
		put_net(o, out_addr_of(d, r, ra),
		    (uint8_t)fld_get_u64(it->partner, r), b);
		return;
	case TK_DPORT:
		port_text(it->kind, d, r, buf, sizeof(buf));
		obuf_field(b, buf, it->width);
		return;
	case TK_FLAGS:
		obuf_puts(b, out_flags((uint8_t)out_value(d, r), buf,
		    sizeof(buf)));
		return;
	case TK_DIR:
		v = out_value(d, r);
		obuf_puts(b, v == FLOWDIR_EGRESS ? "  E" :
		    v == FLOWDIR_INGRESS ? "  I" : "  -");
		return;
	case TK_PAIR:
		obuf_printf(b, "%3llu/%-3llu",
		    (unsigned long long)out_value(d, r),
		    (unsigned long long)out_value(it->partner, r));
		return;
	case TK_NUM:
		put_num(o, out_value(d, r), it->width, b);
		return;
	case TK_MAC:
		obuf_field(b, out_mac(out_value(d, r), buf), it->width);
		return;
	case TK_MPLS:
		v = out_value(d, r);
		obuf_printf(b, "%8u-%1u-%1u", (unsigned)(v >> 4),
		    (unsigned)(v >> 1 & 7), (unsigned)(v & 1));
		return;
	case TK_NATEVT:			/* nfdump's width: 7 */
		obuf_printf(b, "%7s", fld_natevent_text((unsigned)out_value(d,
		    r), buf, sizeof(buf)));
		return;
	case TK_APPID:
		obuf_puts(b, fld_appid_text(out_value(d, r), true, buf,
		    sizeof(buf)));
		return;
	case TK_STR:
		/* "-": no value (a flow without a user) */
		if (fld_get_str(d, r)->len == 0 && d->kind == FK_STR_NONE)
			out_text(b, "-", 1, -it->width);
		else
			out_text(b, fld_get_str(d, r)->p,
			    fld_get_str(d, r)->len, -it->width);
		return;
	default:
		put_u(out_value(d, r), it->width, b);
		return;
	}
}

/* Is c a character that continues a token name? */
static bool
tok_char(char c)
{
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9');
}

/* The catalogue token at c (whole name), or false. */
static bool
find_token(const char *c, struct fmt_item *it, size_t *len)
{
	for (unsigned i = 0; i < FLD_N; i++) {
		for (unsigned k = 0; k < FLD_MAX_TOKS; k++) {
			const struct fld_tok *t = &fld(i)->toks[k];
			size_t n;

			if (t->tok == NULL)
				continue;
			n = strlen(t->tok);
			if (strncmp(c, t->tok, n) != 0 || tok_char(c[n]))
				continue;
			memset(it, 0, sizeof(*it));
			it->d = fld(i);
			it->partner = fld(t->partner);
			it->kind = t->kind;
			it->width = (int)strlen(t->header);
			*len = n;
			return true;
		}
	}
	return false;
}

static const char *
token_header(const struct fmt_item *it)
{
	for (unsigned k = 0; k < FLD_MAX_TOKS; k++)
		if (it->d->toks[k].tok != NULL &&
		    it->d->toks[k].kind == it->kind &&
		    (int)strlen(it->d->toks[k].header) == it->width)
			return it->d->toks[k].header;
	return "";
}

static bool
is_addr_kind(uint8_t kind)
{
	return kind == TK_ADDR || kind == TK_ADDR_PORT || kind == TK_NET;
}

/* ---- format parsing ---------------------------------------------- */

static int
parse_fmt(struct output *o, const char *fmt, char *err, size_t errlen)
{
	struct obuf hdr;
	struct fmt_item it;
	const char *c = fmt, *p, *h;
	size_t n;

	obuf_init(&hdr);
	obuf_puts(&hdr, "");
	while (*c != '\0') {
		o->items = xreallocarray(o->items, o->nitems + 1,
		    sizeof(*o->items));
		if (*c != '%') {
			p = strchr(c, '%');
			n = p != NULL ? (size_t)(p - c) : strlen(c);
			memset(&it, 0, sizeof(it));
			it.lit = xmalloc(n + 1);
			memcpy(it.lit, c, n);
			it.lit[n] = '\0';
			it.litlen = n;
			o->items[o->nitems++] = it;
			obuf_pad(&hdr, ' ', n);
			c += n;
			continue;
		}
		if (!find_token(c, &it, &n)) {
			snprintf(err, errlen, "output format parse error at: %s",
			    c);
			obuf_fini(&hdr);
			return NFE_INVAL;
		}
		/* the header of the token as written (%ts and %tfs differ) */
		h = NULL;
		for (unsigned k = 0; k < FLD_MAX_TOKS; k++)
			if (it.d->toks[k].tok != NULL &&
			    strncmp(c, it.d->toks[k].tok, n) == 0 &&
			    strlen(it.d->toks[k].tok) == n)
				h = it.d->toks[k].header;
		o->items[o->nitems++] = it;
		if (o->opts.v6full && is_addr_kind(it.kind))
			obuf_pad(&hdr, ' ', 23);
		obuf_puts(&hdr, h != NULL ? h : token_header(&it));
		c += n;
	}
	o->header = hdr.p;
	return NFE_OK;
}

int
output_new(const char *spec, const struct out_opts *opts,
    struct output **out, char *err, size_t errlen)
{
	static const struct {
		const char	*name;
		enum out_kind	 kind;
		const char	*fmt;
	} kinds[] = {
		{ "line", OUT_LINE, FMT_LINE },
		{ "long", OUT_LONG, FMT_LONG },
		{ "extended", OUT_EXTENDED, FMT_EXTENDED },
		{ "csv", OUT_CSV, NULL },
		{ "json", OUT_JSON, NULL },
		{ "ndjson", OUT_NDJSON, NULL },
		{ "null", OUT_NULL, NULL },
	};
	struct output *o;
	const char *fmt = NULL;
	size_t n;
	int r;

	*out = NULL;
	o = xcalloc(1, sizeof(*o));
	o->opts = *opts;
	o->spec = xstrdup(spec);
	if (strncmp(spec, "fmt:", 4) == 0) {
		o->kind = OUT_FMT;
		fmt = spec + 4;
	} else {
		n = strlen(spec);
		for (size_t i = 0; i < NF_NELEM(kinds); i++) {
			if (strcmp(spec, kinds[i].name) == 0 ||
			    (kinds[i].fmt != NULL &&
			    n == strlen(kinds[i].name) + 1 &&
			    strncmp(spec, kinds[i].name, n - 1) == 0 &&
			    spec[n - 1] == '6')) {
				o->kind = kinds[i].kind;
				fmt = kinds[i].fmt;
				if (spec[n - 1] == '6')
					o->opts.v6full = true;
				break;
			}
			if (i == NF_NELEM(kinds) - 1) {
				snprintf(err, errlen, "unknown output format "
				    "'%s' (line, long, extended, csv, json, "
				    "ndjson, null or fmt:...)", spec);
				output_free(o);
				return NFE_INVAL;
			}
		}
	}
	if (fmt != NULL && (r = parse_fmt(o, fmt, err, errlen)) != NFE_OK) {
		output_free(o);
		return r;
	}
	*out = o;
	return NFE_OK;
}

struct output *
output_clone(const struct output *o)
{
	struct output *c;
	char err[128];

	if (output_new(o->spec, &o->opts, &c, err, sizeof(err)) != NFE_OK)
		abort();		/* it parsed once: cannot fail */
	c->joined = o->joined;
	return c;
}

void
output_set_joined(struct output *o)
{
	o->joined = true;
}

void
output_free(struct output *o)
{
	if (o == NULL)
		return;
	for (size_t i = 0; i < o->nitems; i++)
		free(o->items[i].lit);
	free(o->items);
	free(o->header);
	free(o->spec);
	free(o);
}

enum out_kind
output_kind(const struct output *o)
{
	return o->kind;
}

const struct out_opts *
output_opts(const struct output *o)
{
	return &o->opts;
}

void
output_begin(struct output *o, struct obuf *b)
{
	switch (o->kind) {
	case OUT_CSV:
	case OUT_JSON:
		out_json_begin(o, b);
		break;
	case OUT_NDJSON:
	case OUT_NULL:
		break;
	default:
		obuf_puts(b, o->header);
		obuf_putc(b, '\n');
		break;
	}
}

void
output_record(struct output *o, const struct flowrec *r,
    const struct nf_addr *router, struct obuf *b)
{
	switch (o->kind) {
	case OUT_CSV:
	case OUT_JSON:
	case OUT_NDJSON:
		out_json_record(o, r, router, b);
		return;
	case OUT_NULL:
		return;
	default:
		break;
	}
	for (size_t i = 0; i < o->nitems; i++) {
		if (o->items[i].d == NULL)
			obuf_putn(b, o->items[i].lit, o->items[i].litlen);
		else
			put_token(o, &o->items[i], r, router, b);
	}
	obuf_putc(b, '\n');
}

int
output_emit(struct output *o, struct obuf *b, FILE *f)
{
	size_t at;

	if (o->kind == OUT_JSON && !o->emitted && b->len > 0) {
		/* the first record of the array: drop its ",\n" */
		at = b->len >= 2 && b->p[0] == '[' && b->p[1] == '\n' ? 2 : 0;
		if (b->len >= at + 2 && b->p[at] == ',' && b->p[at + 1] == '\n') {
			memmove(b->p + at, b->p + at + 2, b->len - at - 1);
			b->len -= 2;
		}
		if (memchr(b->p, '{', b->len) != NULL)
			o->emitted = true;
	}
	return obuf_flush(b, f);
}

void
output_end(struct output *o, struct obuf *b)
{
	if (o->kind == OUT_JSON)
		obuf_puts(b, "\n]\n");
}

/* Summary numbers are not padded ("7.4 G", not "  7.4 G"). */
static const char *
trim(const char *s)
{
	while (*s == ' ')
		s++;
	return s;
}

static void
time_window(uint64_t ms, char *buf, size_t len)
{
	char tmp[TIME_STRLEN];

	time_format(ms, TIME_NFDUMP, false, tmp, sizeof(tmp));
	tmp[19] = '\0';
	snprintf(buf, len, "%s", tmp);
}

void
output_summary(struct output *o, const struct out_summary *s,
    struct obuf *b)
{
	char n1[OUT_NUMLEN], n2[OUT_NUMLEN], n3[OUT_NUMLEN], n4[OUT_NUMLEN];
	char t1[TIME_STRLEN], t2[TIME_STRLEN];
	uint64_t dur, bps, pps, bpp;
	bool plain = o->opts.plain;

	dur = s->pass_last_ms > s->pass_first_ms ?
	    s->pass_last_ms - s->pass_first_ms : 0;
	bps = out_bps(s->bytes, dur);
	pps = out_pps(s->packets, dur);
	bpp = out_bpp(s->bytes, s->packets);
	if (o->kind == OUT_JSON || o->kind == OUT_NDJSON)
		return;
	if (o->kind == OUT_CSV) {
		obuf_printf(b, "Summary\nflows,bytes,packets,avg_bps,avg_pps,"
		    "avg_bpp\n%llu,%llu,%llu,%llu,%llu,%llu\n",
		    (unsigned long long)s->flows, (unsigned long long)s->bytes,
		    (unsigned long long)s->packets, (unsigned long long)bps,
		    (unsigned long long)pps, (unsigned long long)bpp);
		return;
	}
	if (s->passed == 0)
		obuf_puts(b, "No matching flows\n");
	obuf_printf(b, "Summary: total flows: %llu, total bytes: %s, "
	    "total packets: %s, avg bps: %s, avg pps: %s, avg bpp: %llu\n",
	    (unsigned long long)s->flows,
	    trim(out_number(s->bytes, plain, n1, sizeof(n1))),
	    trim(out_number(s->packets, plain, n2, sizeof(n2))),
	    trim(out_number(bps, plain, n3, sizeof(n3))),
	    trim(out_number(pps, plain, n4, sizeof(n4))),
	    (unsigned long long)bpp);
	if (s->first_ms != 0 || s->last_ms != 0) {
		time_window(s->first_ms, t1, sizeof(t1));
		time_window(s->last_ms, t2, sizeof(t2));
		obuf_printf(b, "Time window: %s - %s\n", t1, t2);
	} else
		obuf_puts(b, "Time window: <unknown>\n");
	obuf_printf(b, "Total records processed: %llu, passed: %llu, "
	    "Blocks skipped: %llu, Bytes read: %llu\n",
	    (unsigned long long)s->processed, (unsigned long long)s->passed,
	    (unsigned long long)s->blocks_skipped,
	    (unsigned long long)s->bytes_read);
	if (s->blocks_corrupt > 0)
		obuf_printf(b, "Corrupt blocks skipped: %llu\n",
		    (unsigned long long)s->blocks_corrupt);
}

void
output_agg_format(const char *keys, char *buf, size_t len)
{
	snprintf(buf, len, "fmt:%%ts %%td %s %%pkt %%byt %%bps %%bpp %%fl",
	    keys);
}
