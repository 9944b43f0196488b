/*
 * sink/ndjson.c -- flows as JSON objects (sink/ndjson.h).
 *
 * Field names come from the information-element table
 * (common/codec/ie.h) by IANA id, as flowq's JSON output takes them;
 * the list, its order and the rules (ICMP type and code only for ICMP,
 * flowDirection only when known, the next hop under its own family,
 * the exporter last) follow query/output_json.c.  A record needs at
 * most NDJSON_MAX bytes, reserved before it is written.
 */
#include "common/base/compat.h"

#include <stdio.h>
#include <string.h>

#include "common/base/nferr.h"
#include "common/codec/ie.h"
#include "sink/ndjson.h"

#define NDJSON_MAX	4096	/* bytes of one object, with margin */

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

int
ndjson_record(const struct sink_batch *b, size_t i, bool newline,
    struct sbuf *out)
{
	const struct flowrec *r = &b->recs[i];
	const struct ffile_exporter *x = sink_exporter(b, r);
	bool v6 = r->af == 6, icmp = r->proto == 1 || r->proto == 58;
	bool nh_unset = addr_is_zero(&r->nexthop);
	bool nh6 = nh_unset ? v6 : !addr_is_v4(&r->nexthop);
	struct jw w;
	int rc;

	if ((rc = sbuf_reserve(out, NDJSON_MAX)) != NFE_OK)
		return rc;
	w.p = (char *)out->p + out->len;
	w.len = 0;
	w.first = true;
	w.p[w.len++] = '{';
	utc(&w, 152, r->first_ms);
	utc(&w, 153, r->last_ms);
	u64(&w, 161, r->last_ms > r->first_ms ? r->last_ms - r->first_ms : 0);
	u64(&w, 4, r->proto);
	addr(&w, v6 ? 27 : 8, &r->src);
	addr(&w, v6 ? 28 : 12, &r->dst);
	u64(&w, 7, r->src_port);
	u64(&w, 11, r->dst_port);
	if (icmp) {
		u64(&w, v6 ? 178 : 176, flowrec_icmp_type(r));
		u64(&w, v6 ? 179 : 177, flowrec_icmp_code(r));
	}
	u64(&w, 6, r->tcp_flags);
	u64(&w, 5, r->tos);
	u64(&w, 2, r->packets);
	u64(&w, 1, r->bytes);
	u64(&w, 3, r->flows);
	u64(&w, 10, r->in_if);
	u64(&w, 14, r->out_if);
	u64(&w, 16, r->src_as);
	u64(&w, 17, r->dst_as);
	u64(&w, v6 ? 29 : 9, r->src_mask);
	u64(&w, v6 ? 30 : 13, r->dst_mask);
	if (nh_unset) {
		key(&w, nh6 ? 62 : 15);
		put(&w, nh6 ? "\"::\"" : "\"0.0.0.0\"");
	} else {
		addr(&w, nh6 ? 62 : 15, &r->nexthop);
	}
	u64(&w, 58, r->src_vlan);
	u64(&w, 59, r->dst_vlan);
	if (r->direction != FLOWDIR_UNKNOWN)
		u64(&w, 61, r->direction);
	u64(&w, 136, r->end_reason);
	u64(&w, 34, r->sampling);
	u64(&w, 38, r->engine_type);
	u64(&w, 39, r->engine_id);
	if (x != NULL)
		addr(&w, addr_is_v4(&x->addr) ? 130 : 131, &x->addr);
	w.p[w.len++] = '}';
	if (newline)
		w.p[w.len++] = '\n';
	out->len += w.len;
	return NFE_OK;
}
