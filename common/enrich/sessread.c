/*
 * common/enrich/sessread.c -- session files, line by line (sessread.h).
 */
#include "common/base/compat.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#ifdef HAVE_JANSSON
#include <jansson.h>
#endif

#include "common/base/addr.h"
#include "common/base/nferr.h"
#include "common/base/timeutil.h"
#include "common/enrich/sessread.h"

static const char *const months[12] = { "Jan", "Feb", "Mar", "Apr", "May",
    "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

void
sessread_init(struct sessread *r)
{
	memset(r, 0, sizeof(*r));
	r->col_start = 0;
	r->col_stop = 1;
	r->col_addr = 2;
	r->col_user = 3;
	r->col_sid = 4;
	r->col_nas = 5;
}

static int
month_of(const char *m)
{
	for (int i = 0; i < 12; i++)
		if (strcasecmp(m, months[i]) == 0)
			return i;
	return -1;
}

/* Broken-down time to ms: in UTC, or in the local zone of TZ. */
static bool
tm_to_ms(struct tm *tm, bool utc, uint64_t *ms)
{
	time_t t;

	tm->tm_isdst = -1;
	t = utc ? timegm(tm) : mktime(tm);
	if (t == (time_t)-1 || t < 0)
		return false;
	*ms = (uint64_t)t * 1000;
	return true;
}

/* "Wed Jun 14 10:02:03 2023": a detail record header (ctime, local). */
static bool
detail_header(const char *s, uint64_t *ms)
{
	char wd[8], mon[8], extra;
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	if (sscanf(s, "%7s %7s %d %d:%d:%d %d %c", wd, mon, &tm.tm_mday,
	    &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &tm.tm_year, &extra) != 7 ||
	    strlen(wd) != 3 || (tm.tm_mon = month_of(mon)) < 0)
		return false;
	tm.tm_year -= 1900;
	return tm_to_ms(&tm, false, ms);
}

/* "Jun 14 2023 10:02:03 UTC" (FreeRADIUS's date printing), or seconds. */
static bool
detail_date(const char *s, uint64_t *ms)
{
	char mon[8], zone[16] = "";
	struct tm tm;
	char *end;
	unsigned long long v;

	if (isdigit((unsigned char)s[0])) {
		v = strtoull(s, &end, 10);
		if (*end != '\0')
			return false;
		*ms = v * 1000;
		return true;
	}
	memset(&tm, 0, sizeof(tm));
	if (sscanf(s, "%7s %d %d %d:%d:%d %15s", mon, &tm.tm_mday,
	    &tm.tm_year, &tm.tm_hour, &tm.tm_min, &tm.tm_sec, zone) < 6 ||
	    (tm.tm_mon = month_of(mon)) < 0)
		return false;
	tm.tm_year -= 1900;
	return tm_to_ms(&tm, strcasecmp(zone, "UTC") == 0 ||
	    strcasecmp(zone, "GMT") == 0, ms);
}

/* Unquote a detail string value ("...", with \" \\ \n \r \t \ooo). */
static bool
unquote(const char *v, char *out, size_t cap, size_t *len)
{
	size_t n = 0, vl = strlen(v);

	if (vl < 2 || v[0] != '"' || v[vl - 1] != '"')
		return false;
	for (size_t i = 1; i + 1 < vl; i++) {
		char c = v[i];

		if (c == '\\' && i + 2 < vl) {
			c = v[++i];
			if (c == 'n')
				c = '\n';
			else if (c == 'r')
				c = '\r';
			else if (c == 't')
				c = '\t';
			else if (c >= '0' && c <= '7' && i + 3 < vl &&
			    v[i + 1] >= '0' && v[i + 1] <= '7' &&
			    v[i + 2] >= '0' && v[i + 2] <= '7') {
				c = (char)((c - '0') * 64 + (v[i + 1] - '0') * 8 +
				    (v[i + 2] - '0'));
				i += 2;
			}
		}
		if (n + 1 >= cap)
			return false;
		out[n++] = c;
	}
	out[n] = '\0';
	*len = n;
	return memchr(out, '\0', n) == NULL;
}

static bool
uint_value(const char *v, uint32_t *out)
{
	char *end;
	unsigned long long x;

	if (!isdigit((unsigned char)v[0]))
		return false;
	x = strtoull(v, &end, 10);
	if (*end != '\0' || x > UINT32_MAX)
		return false;
	*out = (uint32_t)x;
	return true;
}

static bool
status_value(const char *v, uint32_t *out)
{
	static const struct { const char *name; uint32_t v; } names[] = {
		{ "Start", 1 }, { "Stop", 2 }, { "Interim-Update", 3 },
		{ "Alive", 3 }, { "Accounting-On", 7 }, { "Accounting-Off", 8 },
		{ "Failed", 15 },
	};

	for (size_t i = 0; i < NF_NELEM(names); i++)
		if (strcasecmp(v, names[i].name) == 0) {
			*out = names[i].v;
			return true;
		}
	return uint_value(v, out);
}

static bool
v6prefix_value(const char *v, struct nf_prefix *p)
{
	return prefix_parse(v, false, p) == NFE_OK && !addr_is_v4(&p->addr);
}

static bool
ifid_value(const char *v, uint8_t id[8])
{
	unsigned g[4];
	char extra;

	if (sscanf(v, "%x:%x:%x:%x%c", &g[0], &g[1], &g[2], &g[3], &extra) != 4)
		return false;
	for (int i = 0; i < 4; i++) {
		if (g[i] > 0xffff)
			return false;
		id[2 * i] = (uint8_t)(g[i] >> 8);
		id[2 * i + 1] = (uint8_t)g[i];
	}
	return true;
}

/* One "Name = value" line of a detail record. */
static int
detail_attr(struct sessread *r, const char *name, const char *v, char *err,
    size_t errlen)
{
	struct radius_acct *a = &r->acct;
	char date[64];		/* an unquoted date; v may point here */
	const char *as_written = v;
	size_t n;
	bool ok = true;

	if (strcmp(name, "User-Name") == 0) {
		if ((ok = unquote(v, r->user, sizeof(r->user), &n))) {
			a->user = (const uint8_t *)r->user;
			a->user_len = n;
		}
	} else if (strcmp(name, "Acct-Session-Id") == 0) {
		if ((ok = unquote(v, r->sid, sizeof(r->sid), &n))) {
			a->sid = (const uint8_t *)r->sid;
			a->sid_len = n;
		}
	} else if (strcmp(name, "Acct-Status-Type") == 0)
		ok = status_value(v, &a->status);
	else if (strcmp(name, "NAS-IP-Address") == 0 ||
	    strcmp(name, "NAS-IPv6-Address") == 0) {
		if (!a->has_nas_ip)
			ok = a->has_nas_ip = addr_parse(v, &a->nas_ip) == NFE_OK;
	} else if (strcmp(name, "Client-IP-Address") == 0)
		ok = addr_parse(v, &r->client) == NFE_OK;
	else if (strcmp(name, "Framed-IP-Address") == 0)
		ok = a->has_framed_ip = addr_parse(v, &a->framed_ip) == NFE_OK &&
		    addr_is_v4(&a->framed_ip);
	else if (strcmp(name, "Framed-IPv6-Address") == 0)
		ok = a->has_framed_v6 = addr_parse(v, &a->framed_v6) == NFE_OK;
	else if (strcmp(name, "Framed-IPv6-Prefix") == 0)
		ok = a->has_framed_pfx = v6prefix_value(v, &a->framed_pfx);
	else if (strcmp(name, "Delegated-IPv6-Prefix") == 0)
		ok = a->has_delegated = v6prefix_value(v, &a->delegated);
	else if (strcmp(name, "Framed-Interface-Id") == 0)
		ok = a->has_ifid = ifid_value(v, a->ifid);
	else if (strcmp(name, "Event-Timestamp") == 0) {
		uint64_t ms;

		if (v[0] == '"' && unquote(v, date, sizeof(date), &n))
			v = date;
		if ((ok = detail_date(v, &ms))) {
			a->event_ts = (uint32_t)(ms / 1000);
			a->has_event_ts = true;
		}
	} else if (strcmp(name, "Timestamp") == 0 ||
	    strcmp(name, "Donestamp") == 0) {
		uint32_t s;

		if ((ok = uint_value(v, &s)))
			r->received_ms = (uint64_t)s * 1000;
	} else if (strcmp(name, "Acct-Delay-Time") == 0)
		ok = uint_value(v, &a->delay);
	else if (strcmp(name, "Acct-Session-Time") == 0)
		ok = a->has_session_time = uint_value(v, &a->session_time);
	else if (strcmp(name, "Acct-Interim-Interval") == 0)
		ok = uint_value(v, &a->interim);
	if (!ok) {
		snprintf(err, errlen, "%s: bad value '%.80s'", name,
		    as_written);
		return NFE_FORMAT;
	}
	return NFE_OK;
}

/* The event of the record read so far, if it is accounting. */
static int
detail_finish(struct sessread *r, struct sessdb_event *ev, bool *have,
    char *err, size_t errlen)
{
	int rc;

	r->in_record = false;
	if (r->acct.status == 0)
		return NFE_OK;		/* not accounting: nothing to learn */
	rc = radius_acct_event(&r->acct, r->received_ms, &r->client, ev);
	if (rc == NFE_UNSUPP)
		return NFE_OK;
	if (ev->npfx == 0 && ev->kind != SESSDB_NAS_ON &&
	    ev->kind != SESSDB_NAS_OFF) {
		snprintf(err, errlen, "record of line %u: no address "
		    "(Framed-IP-Address or an IPv6 prefix)", r->record_line);
		return NFE_FORMAT;
	}
	*have = true;
	return NFE_OK;
}

static int
detail_line(struct sessread *r, char *s, unsigned lineno,
    struct sessdb_event *ev, bool *have, char *err, size_t errlen)
{
	uint64_t ms;
	char *eq, *name, *v;
	int rc = NFE_OK;

	if (*s == '\0')
		return r->in_record ? detail_finish(r, ev, have, err, errlen) :
		    NFE_OK;
	if (*s != '\t' && *s != ' ') {
		if (!detail_header(s, &ms)) {
			snprintf(err, errlen, "expected a record header (a date "
			    "such as 'Wed Jun 14 10:02:03 2023'), got '%.60s'",
			    s);
			return NFE_FORMAT;
		}
		if (r->in_record)	/* the previous record had no blank line */
			rc = detail_finish(r, ev, have, err, errlen);
		memset(&r->acct, 0, sizeof(r->acct));
		memset(&r->client, 0, sizeof(r->client));
		r->received_ms = ms;
		r->in_record = true;
		r->record_line = lineno;
		return rc;
	}
	if (!r->in_record) {
		snprintf(err, errlen, "an attribute outside a record");
		return NFE_FORMAT;
	}
	while (*s == '\t' || *s == ' ')
		s++;
	if ((eq = strstr(s, " = ")) == NULL) {
		snprintf(err, errlen, "expected 'Name = value', got '%.60s'", s);
		return NFE_FORMAT;
	}
	*eq = '\0';
	name = s;
	v = eq + 3;
	if ((s = strchr(name, ':')) != NULL)
		*s = '\0';		/* a tag: Name:1 */
	return detail_attr(r, name, v, err, errlen);
}

/* Seconds[.fraction] or an ISO 8601 time (UTC unless it says). */
static bool
cdr_time(const char *s, uint64_t *ms)
{
	if (isdigit((unsigned char)s[0]) && strchr(s, '-') == NULL &&
	    strchr(s, ':') == NULL) {
		char *end;
		double d = strtod(s, &end);

		if (*end != '\0' || d < 0 || d > 1e13)
			return false;
		*ms = (uint64_t)(d * 1000 + 0.5);
		return true;
	}
	return time_parse(s, true, ms) == NFE_OK;
}

/* The event of one CDR record; fields may be NULL (absent or empty). */
static int
cdr_event(struct sessread *r, const char *start, const char *stop,
    const char *addr, const char *user, const char *sid, const char *nas,
    struct sessdb_event *ev, bool *have, char *err, size_t errlen)
{
	uint64_t t0, t1 = 0;
	size_t ul;

	memset(ev, 0, sizeof(*ev));
	if (start == NULL || !cdr_time(start, &t0)) {
		snprintf(err, errlen, "bad start time '%.60s'", start ? start : "");
		return NFE_FORMAT;
	}
	if (stop != NULL && !cdr_time(stop, &t1)) {
		snprintf(err, errlen, "bad stop time '%.60s'", stop);
		return NFE_FORMAT;
	}
	if (stop != NULL && t1 <= t0) {
		snprintf(err, errlen, "stop '%.40s' is not after start '%.40s'",
		    stop, start);
		return NFE_FORMAT;
	}
	if (addr == NULL || prefix_parse(addr, false, &ev->pfx[0]) != NFE_OK) {
		snprintf(err, errlen, "bad address or prefix '%.60s'",
		    addr ? addr : "");
		return NFE_FORMAT;
	}
	ev->npfx = 1;
	if (user == NULL || (ul = strlen(user)) > 253) {
		snprintf(err, errlen, "%s user name", user == NULL ? "no" :
		    "too long a");
		return NFE_FORMAT;
	}
	if (nas != NULL && addr_parse(nas, &ev->nas) != NFE_OK) {
		snprintf(err, errlen, "bad NAS address '%.60s'", nas);
		return NFE_FORMAT;
	}
	memcpy(r->ev_user, user, ul + 1);
	ev->user = r->ev_user;
	ev->user_len = ul;
	if (sid != NULL)
		ev->sid = sessdb_sid(&ev->nas, sid, strlen(sid));
	if (stop != NULL) {
		ev->kind = SESSDB_SESSION;
		ev->start_ms = t0;
		ev->stop_ms = t1;
	} else {
		ev->kind = SESSDB_START;
		ev->time_ms = t0;
	}
	*have = true;
	return NFE_OK;
}

/* Split a CSV line in place (RFC 4180 quotes).  Returns fields, or -1. */
static int
csv_split(char *s, char **f, int max)
{
	int n = 0;

	for (;;) {
		char *w = s, *out = s;

		if (n == max)
			return -1;
		if (*s == '"') {
			s++;
			for (;;) {
				if (*s == '\0')
					return -1;	/* unterminated quote */
				if (*s == '"' && s[1] == '"') {
					*out++ = '"';
					s += 2;
				} else if (*s == '"') {
					s++;
					break;
				} else
					*out++ = *s++;
			}
			if (*s != ',' && *s != '\0')
				return -1;
		} else {
			while (*s != ',' && *s != '\0')
				*out++ = *s++;
		}
		f[n++] = w;
		if (*s == '\0') {
			*out = '\0';
			return n;
		}
		s++;
		*out = '\0';
	}
}

static void
trim(char *s)
{
	size_t n = strlen(s);

	while (n > 0 && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
	if (isspace((unsigned char)*s))
		memmove(s, s + strspn(s, " \t"), strlen(s + strspn(s, " \t")) + 1);
}

/* Is this the header line?  Then take the column order from it. */
static bool
csv_header(struct sessread *r, char **f, int n)
{
	static const struct { const char *name; size_t off; } cols[] = {
		{ "start", offsetof(struct sessread, col_start) },
		{ "stop", offsetof(struct sessread, col_stop) },
		{ "address", offsetof(struct sessread, col_addr) },
		{ "prefix", offsetof(struct sessread, col_addr) },
		{ "user", offsetof(struct sessread, col_user) },
		{ "session", offsetof(struct sessread, col_sid) },
		{ "nas", offsetof(struct sessread, col_nas) },
	};
	bool header = false;

	for (int i = 0; i < n; i++)
		if (strcasecmp(f[i], "start") == 0)
			header = true;
	if (!header)
		return false;
	r->col_start = r->col_stop = r->col_addr = r->col_user = -1;
	r->col_sid = r->col_nas = -1;
	for (int i = 0; i < n; i++)
		for (size_t k = 0; k < NF_NELEM(cols); k++)
			if (strcasecmp(f[i], cols[k].name) == 0)
				*(int *)(void *)((char *)r + cols[k].off) = i;
	return true;
}

static const char *
field(char **f, int n, int col)
{
	if (col < 0 || col >= n || f[col][0] == '\0')
		return NULL;
	return f[col];
}

static int
csv_line(struct sessread *r, char *s, struct sessdb_event *ev, bool *have,
    char *err, size_t errlen)
{
	char *f[SESSREAD_MAX_COLS];
	int n = csv_split(s, f, SESSREAD_MAX_COLS);

	if (n < 0) {
		snprintf(err, errlen, "not a CSV record (an unterminated quote "
		    "or more than %d columns)", SESSREAD_MAX_COLS);
		return NFE_FORMAT;
	}
	for (int i = 0; i < n; i++)
		trim(f[i]);
	if (!r->header_done) {
		r->header_done = true;
		if (csv_header(r, f, n)) {
			if (r->col_start < 0 || r->col_addr < 0 ||
			    r->col_user < 0) {
				snprintf(err, errlen, "the header names no "
				    "start, address or user column");
				return NFE_FORMAT;
			}
			return NFE_OK;
		}
	}
	return cdr_event(r, field(f, n, r->col_start), field(f, n, r->col_stop),
	    field(f, n, r->col_addr), field(f, n, r->col_user),
	    field(f, n, r->col_sid), field(f, n, r->col_nas), ev, have, err,
	    errlen);
}

#ifdef HAVE_JANSSON
/* A JSON value as text: strings as they are, numbers printed. */
static const char *
jtext(json_t *o, const char *key, char *buf, size_t cap, bool *bad)
{
	json_t *v = json_object_get(o, key);

	if (v == NULL || json_is_null(v))
		return NULL;
	if (json_is_string(v))
		return json_string_length(v) == 0 ? NULL : json_string_value(v);
	if (json_is_integer(v)) {
		snprintf(buf, cap, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		return buf;
	}
	if (json_is_real(v)) {
		snprintf(buf, cap, "%.3f", json_real_value(v));
		return buf;
	}
	*bad = true;
	return NULL;
}
#endif

static int
json_line(struct sessread *r, const char *s, size_t len,
    struct sessdb_event *ev, bool *have, char *err, size_t errlen)
{
#ifdef HAVE_JANSSON
	char b[6][64];
	json_error_t je;
	json_t *o;
	bool bad = false;
	const char *start, *stop, *addr, *user, *sid, *nas;
	char ubuf[256];
	int rc;

	if ((o = json_loadb(s, len, JSON_REJECT_DUPLICATES, &je)) == NULL) {
		snprintf(err, errlen, "not JSON: %s (column %d)", je.text,
		    je.column);
		return NFE_FORMAT;
	}
	if (!json_is_object(o)) {
		json_decref(o);
		snprintf(err, errlen, "not a JSON object");
		return NFE_FORMAT;
	}
	start = jtext(o, "start", b[0], sizeof(b[0]), &bad);
	stop = jtext(o, "stop", b[1], sizeof(b[1]), &bad);
	addr = jtext(o, "address", b[2], sizeof(b[2]), &bad);
	if (addr == NULL)
		addr = jtext(o, "prefix", b[2], sizeof(b[2]), &bad);
	user = jtext(o, "user", b[3], sizeof(b[3]), &bad);
	sid = jtext(o, "session", b[4], sizeof(b[4]), &bad);
	nas = jtext(o, "nas", b[5], sizeof(b[5]), &bad);
	if (bad) {
		json_decref(o);
		snprintf(err, errlen, "a field is neither a string nor a number");
		return NFE_FORMAT;
	}
	/* copy the user: the object goes before the event is used */
	if (user != NULL && strlen(user) > 253) {
		json_decref(o);
		snprintf(err, errlen, "too long a user name");
		return NFE_FORMAT;
	}
	if (user != NULL) {
		snprintf(ubuf, sizeof(ubuf), "%s", user);
		user = ubuf;
	}
	rc = cdr_event(r, start, stop, addr, user, sid, nas, ev, have, err,
	    errlen);
	json_decref(o);
	return rc;
#else
	(void)r;
	(void)s;
	(void)len;
	(void)ev;
	(void)have;
	snprintf(err, errlen, "JSON session records need jansson, which this "
	    "build lacks");
	return NFE_UNSUPP;
#endif
}

int
sessread_line(struct sessread *r, const char *line, size_t len,
    unsigned lineno, struct sessdb_event *ev, bool *have, char *err,
    size_t errlen)
{
	char buf[SESSREAD_MAX_LINE + 1];
	const char *p;

	*have = false;
	if (len > SESSREAD_MAX_LINE) {
		snprintf(err, errlen, "longer than %d bytes", SESSREAD_MAX_LINE);
		return NFE_FORMAT;
	}
	if (memchr(line, '\0', len) != NULL) {
		snprintf(err, errlen, "holds a NUL byte");
		return NFE_FORMAT;
	}
	memcpy(buf, line, len);
	buf[len] = '\0';
	if (len > 0 && buf[len - 1] == '\r')
		buf[--len] = '\0';
	for (p = buf; *p == ' ' || *p == '\t'; p++)
		;
	if (r->format == SESSREAD_UNKNOWN) {
		uint64_t ms;

		if (*p == '\0' || *p == '#')
			return NFE_OK;
		if (detail_header(buf, &ms))
			r->format = SESSREAD_DETAIL;
		else if (*p == '{')
			r->format = SESSREAD_JSON;
		else
			r->format = SESSREAD_CSV;
	}
	switch (r->format) {
	case SESSREAD_DETAIL:
		return detail_line(r, buf, lineno, ev, have, err, errlen);
	case SESSREAD_JSON:
		if (*p == '\0' || *p == '#')
			return NFE_OK;
		return json_line(r, buf, len, ev, have, err, errlen);
	default:
		if (*p == '\0' || *p == '#')
			return NFE_OK;
		return csv_line(r, buf, ev, have, err, errlen);
	}
}

int
sessread_end(struct sessread *r, struct sessdb_event *ev, bool *have,
    char *err, size_t errlen)
{
	*have = false;
	if (r->format == SESSREAD_DETAIL && r->in_record)
		return detail_finish(r, ev, have, err, errlen);
	return NFE_OK;
}
