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

typedef void tok_fn(struct output *, const struct flowrec *,
    const struct nf_addr *, struct obuf *);

struct tok {
	const char	*name;
	const char	*header;
	bool		 is_addr;
	tok_fn		*fn;
};

/* ---- helpers ---------------------------------------------------- */

char *
out_number(uint64_t v, bool plain, char *buf, size_t len)
{
	double f = (double)v;

	if (plain || f < 1e6) {
		if (len >= 21)
			obuf_utoa(v, buf);
		else
			snprintf(buf, len, "%llu", (unsigned long long)v);
	} else if (f >= 1e12)
		snprintf(buf, len, "%5.1f T", f / 1e12);
	else if (f >= 1e9)
		snprintf(buf, len, "%5.1f G", f / 1e9);
	else
		snprintf(buf, len, "%5.1f M", f / 1e6);
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
	if (days == 0)
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

char *
out_addr(const struct nf_addr *a, bool v6full, char *buf, size_t len)
{
	size_t n;

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

/* ---- tokens ------------------------------------------------------ */

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

static bool
is_icmp(const struct flowrec *r)
{
	return r->proto == 1 || r->proto == 58;
}

static void
dport_text(const struct flowrec *r, char *buf, size_t len)
{
	if (is_icmp(r))
		snprintf(buf, len, "%u.%u", flowrec_icmp_type(r),
		    flowrec_icmp_code(r));
	else
		snprintf(buf, len, "%u", r->dst_port);
}

static void
put_addr_port(struct output *o, const struct flowrec *r,
    const struct nf_addr *a, const char *port, struct obuf *b)
{
	put_addr(o, a, b);
	obuf_putc(b, r->af == 6 ? '.' : ':');
	obuf_field(b, port, -5);
}

static void
t_ts(struct output *o, const struct flowrec *r, const struct nf_addr *ra,
    struct obuf *b)
{
	(void)ra;
	out_time(o, r->first_ms, false, b);
}

static void
t_te(struct output *o, const struct flowrec *r, const struct nf_addr *ra,
    struct obuf *b)
{
	(void)ra;
	out_time(o, r->last_ms, false, b);
}

static void
t_tsr(struct output *o, const struct flowrec *r, const struct nf_addr *ra,
    struct obuf *b)
{
	(void)o;
	(void)ra;
	obuf_printf(b, "%10llu.%03u", (unsigned long long)(r->first_ms / 1000),
	    (unsigned)(r->first_ms % 1000));
}

static void
t_ter(struct output *o, const struct flowrec *r, const struct nf_addr *ra,
    struct obuf *b)
{
	(void)o;
	(void)ra;
	obuf_printf(b, "%10llu.%03u", (unsigned long long)(r->last_ms / 1000),
	    (unsigned)(r->last_ms % 1000));
}

static void
t_td(struct output *o, const struct flowrec *r, const struct nf_addr *ra,
    struct obuf *b)
{
	char buf[48];

	(void)ra;
	obuf_puts(b, out_duration(out_dur_ms(r), o->opts.plain, buf,
	    sizeof(buf)));
}

static void
t_tds(struct output *o, const struct flowrec *r, const struct nf_addr *ra,
    struct obuf *b)
{
	char buf[48];

	(void)ra;
	obuf_puts(b, out_duration(out_dur_ms(r), true, buf, sizeof(buf)));
	(void)o;
}

static void
t_pr(struct output *o, const struct flowrec *r, const struct nf_addr *ra,
    struct obuf *b)
{
	char buf[8];

	(void)ra;
	obuf_field(b, out_proto(r->proto, o->opts.plain, buf, sizeof(buf)),
	    -5);
}

static void
t_sa(struct output *o, const struct flowrec *r, const struct nf_addr *ra,
    struct obuf *b)
{
	(void)ra;
	put_addr(o, &r->src, b);
}

static void
t_da(struct output *o, const struct flowrec *r, const struct nf_addr *ra,
    struct obuf *b)
{
	(void)ra;
	put_addr(o, &r->dst, b);
}

static void
t_sap(struct output *o, const struct flowrec *r, const struct nf_addr *ra,
    struct obuf *b)
{
	char port[8];

	(void)ra;
	snprintf(port, sizeof(port), "%u", r->src_port);
	put_addr_port(o, r, &r->src, port, b);
}

static void
t_dap(struct output *o, const struct flowrec *r, const struct nf_addr *ra,
    struct obuf *b)
{
	char port[16];

	(void)ra;
	dport_text(r, port, sizeof(port));
	put_addr_port(o, r, &r->dst, port, b);
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

static void
t_sn(struct output *o, const struct flowrec *r, const struct nf_addr *ra,
    struct obuf *b)
{
	(void)ra;
	put_net(o, &r->src, r->src_mask, b);
}

static void
t_dn(struct output *o, const struct flowrec *r, const struct nf_addr *ra,
    struct obuf *b)
{
	(void)ra;
	put_net(o, &r->dst, r->dst_mask, b);
}

static void
t_nh(struct output *o, const struct flowrec *r, const struct nf_addr *ra,
    struct obuf *b)
{
	(void)ra;
	put_addr(o, &r->nexthop, b);
}

static void
t_ra(struct output *o, const struct flowrec *r, const struct nf_addr *ra,
    struct obuf *b)
{
	struct nf_addr zero;

	(void)r;
	if (ra == NULL) {
		addr_from_v4(&zero, 0);
		ra = &zero;
	}
	put_addr(o, ra, b);
}

static void
t_sp(struct output *o, const struct flowrec *r, const struct nf_addr *ra,
    struct obuf *b)
{
	(void)o;
	(void)ra;
	put_u(r->src_port, 6, b);
}

static void
t_dp(struct output *o, const struct flowrec *r, const struct nf_addr *ra,
    struct obuf *b)
{
	char port[16];

	(void)o;
	(void)ra;
	dport_text(r, port, sizeof(port));
	obuf_field(b, port, 6);
}

static void
t_it(struct output *o, const struct flowrec *r, const struct nf_addr *ra,
    struct obuf *b)
{
	(void)o;
	(void)ra;
	put_u(is_icmp(r) ? flowrec_icmp_type(r) : 0, 6, b);
}

static void
t_ic(struct output *o, const struct flowrec *r, const struct nf_addr *ra,
    struct obuf *b)
{
	(void)o;
	(void)ra;
	put_u(is_icmp(r) ? flowrec_icmp_code(r) : 0, 6, b);
}

#define SIMPLE_U(fname, expr, width)					\
static void								\
fname(struct output *o, const struct flowrec *r,			\
    const struct nf_addr *ra, struct obuf *b)				\
{									\
	(void)o;							\
	(void)r;							\
	(void)ra;							\
	put_u((expr), (width), b);					\
}

SIMPLE_U(t_sas, r->src_as, 6)
SIMPLE_U(t_das, r->dst_as, 6)
SIMPLE_U(t_in, r->in_if, 6)
SIMPLE_U(t_out, r->out_if, 6)
SIMPLE_U(t_fl, r->flows, 5)
SIMPLE_U(t_zero8, 0, 8)
SIMPLE_U(t_tos, r->tos, 3)
SIMPLE_U(t_stos, r->tos, 4)
SIMPLE_U(t_dtos, 0, 4)
SIMPLE_U(t_smk, r->src_mask, 5)
SIMPLE_U(t_dmk, r->dst_mask, 5)
SIMPLE_U(t_fwd, 0, 3)
SIMPLE_U(t_svln, r->src_vlan, 5)
SIMPLE_U(t_dvln, r->dst_vlan, 5)
SIMPLE_U(t_sr, r->sampling, 8)
SIMPLE_U(t_bpp, out_bpp(r->bytes, r->packets), 6)

static void
t_pkt(struct output *o, const struct flowrec *r, const struct nf_addr *ra,
    struct obuf *b)
{
	(void)ra;
	put_num(o, r->packets, 8, b);
}

static void
t_byt(struct output *o, const struct flowrec *r, const struct nf_addr *ra,
    struct obuf *b)
{
	(void)ra;
	put_num(o, r->bytes, 8, b);
}

static void
t_bps(struct output *o, const struct flowrec *r, const struct nf_addr *ra,
    struct obuf *b)
{
	(void)ra;
	put_num(o, out_bps(r->bytes, out_dur_ms(r)), 8, b);
}

static void
t_pps(struct output *o, const struct flowrec *r, const struct nf_addr *ra,
    struct obuf *b)
{
	(void)ra;
	put_num(o, out_pps(r->packets, out_dur_ms(r)), 8, b);
}

static void
t_flg(struct output *o, const struct flowrec *r, const struct nf_addr *ra,
    struct obuf *b)
{
	char buf[9];

	(void)o;
	(void)ra;
	obuf_puts(b, out_flags(r->tcp_flags, buf, sizeof(buf)));
}

static void
t_dir(struct output *o, const struct flowrec *r, const struct nf_addr *ra,
    struct obuf *b)
{
	(void)o;
	(void)ra;
	obuf_puts(b, r->direction == FLOWDIR_EGRESS ? "  E" :
	    r->direction == FLOWDIR_INGRESS ? "  I" : "  -");
}

static void
t_eng(struct output *o, const struct flowrec *r, const struct nf_addr *ra,
    struct obuf *b)
{
	(void)o;
	(void)ra;
	obuf_printf(b, "%3u/%-3u", r->engine_type, r->engine_id);
}

static const struct tok toks[] = {
	{ "%ts", "Date first seen        ", false, t_ts },
	{ "%tfs", "Date first seen        ", false, t_ts },
	{ "%te", "Date last seen         ", false, t_te },
	{ "%tsr", "First seen raw", false, t_tsr },
	{ "%ter", "Last seen raw ", false, t_ter },
	{ "%td", "    Duration    ", false, t_td },
	{ "%tds", "    Duration    ", false, t_tds },
	{ "%pr", "Proto", false, t_pr },
	{ "%sa", "     Src IP Addr", true, t_sa },
	{ "%da", "     Dst IP Addr", true, t_da },
	{ "%sn", "        Src Network", true, t_sn },
	{ "%dn", "        Dst Network", true, t_dn },
	{ "%nh", "     Next-hop IP", true, t_nh },
	{ "%ra", "       Router IP", true, t_ra },
	{ "%sap", "     Src IP Addr:Port ", true, t_sap },
	{ "%dap", "     Dst IP Addr:Port ", true, t_dap },
	{ "%sp", "Src Pt", false, t_sp },
	{ "%dp", "Dst Pt", false, t_dp },
	{ "%it", "ICMP-T", false, t_it },
	{ "%ic", "ICMP-C", false, t_ic },
	{ "%sas", "Src AS", false, t_sas },
	{ "%das", "Dst AS", false, t_das },
	{ "%in", " Input", false, t_in },
	{ "%out", "Output", false, t_out },
	{ "%pkt", " Packets", false, t_pkt },
	{ "%ipkt", "  In Pkt", false, t_pkt },
	{ "%opkt", " Out Pkt", false, t_zero8 },
	{ "%byt", "   Bytes", false, t_byt },
	{ "%ibyt", " In Byte", false, t_byt },
	{ "%obyt", "Out Byte", false, t_zero8 },
	{ "%fl", "Flows", false, t_fl },
	{ "%bps", "     bps", false, t_bps },
	{ "%pps", "     pps", false, t_pps },
	{ "%bpp", "   Bpp", false, t_bpp },
	{ "%flg", "   Flags", false, t_flg },
	{ "%tos", "Tos", false, t_tos },
	{ "%stos", "STos", false, t_stos },
	{ "%dtos", "DTos", false, t_dtos },
	{ "%dir", "Dir", false, t_dir },
	{ "%smk", "SMask", false, t_smk },
	{ "%dmk", "DMask", false, t_dmk },
	{ "%fwd", "Fwd", false, t_fwd },
	{ "%svln", "SVlan", false, t_svln },
	{ "%dvln", "DVlan", false, t_dvln },
	{ "%eng", " engine", false, t_eng },
	{ "%sr", "Sampling", false, t_sr },
};

/* ---- format parsing ---------------------------------------------- */

static int
parse_fmt(struct output *o, const char *fmt, char *err, size_t errlen)
{
	struct obuf hdr;
	const char *c = fmt, *p;
	size_t n;
	bool found;

	obuf_init(&hdr);
	obuf_puts(&hdr, "");
	while (*c != '\0') {
		o->items = xreallocarray(o->items, o->nitems + 1,
		    sizeof(*o->items));
		if (*c != '%') {
			p = strchr(c, '%');
			n = p != NULL ? (size_t)(p - c) : strlen(c);
			o->items[o->nitems].tok = -1;
			o->items[o->nitems].lit = xmalloc(n + 1);
			memcpy(o->items[o->nitems].lit, c, n);
			o->items[o->nitems].lit[n] = '\0';
			o->items[o->nitems].litlen = n;
			o->nitems++;
			obuf_pad(&hdr, ' ', n);
			c += n;
			continue;
		}
		found = false;
		for (size_t i = 0; i < NF_NELEM(toks); i++) {
			n = strlen(toks[i].name);
			if (strncmp(c, toks[i].name, n) != 0 ||
			    (c[n] != '\0' && (c[n] == '_' ||
			    (c[n] >= 'a' && c[n] <= 'z') ||
			    (c[n] >= 'A' && c[n] <= 'Z') ||
			    (c[n] >= '0' && c[n] <= '9'))))
				continue;
			o->items[o->nitems].tok = (int)i;
			o->items[o->nitems].lit = NULL;
			o->items[o->nitems].litlen = 0;
			o->nitems++;
			if (o->opts.v6full && toks[i].is_addr)
				obuf_pad(&hdr, ' ', 23);
			obuf_puts(&hdr, toks[i].header);
			c += n;
			found = true;
			break;
		}
		if (!found) {
			snprintf(err, errlen, "output format parse error at: %s",
			    c);
			obuf_fini(&hdr);
			return NFE_INVAL;
		}
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
	return c;
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
		if (o->items[i].tok < 0)
			obuf_putn(b, o->items[i].lit, o->items[i].litlen);
		else
			toks[o->items[i].tok].fn(o, r, router, b);
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
