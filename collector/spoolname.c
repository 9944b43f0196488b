/*
 * collector/spoolname.c -- interval slots, UTC file names, nfcapd's
 * -S layouts and -x placeholder expansion (both in flowcapd(8)).
 */
#include "common/base/compat.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "collector/spoolname.h"
#include "common/base/nferr.h"

static const char *const layouts[SPOOL_MAX_LAYOUT + 1] = {
	"",
	"%Y/%m/%d/",
	"%Y/%m/%d/%H/",
	"%Y/%W/%u/",
	"%Y/%W/%u/%H/",
	"%Y/%j/",
	"%Y/%j/%H/",
	"%Y-%m-%d/",
	"%Y-%m-%d/%H/",
};

int64_t
spool_slot(int64_t t_s, unsigned interval)
{
	int64_t r;

	if (interval == 0)
		return t_s;
	r = t_s % (int64_t)interval;
	if (r < 0)
		r += interval;
	return t_s - r;
}

static bool
utc_tm(int64_t s, struct tm *tm)
{
	time_t t = (time_t)s;

	return gmtime_r(&t, tm) != NULL;
}

int
spool_relpath(int64_t slot_s, unsigned interval, unsigned layout, char *buf,
    size_t len)
{
	struct tm tm;
	char fmt[96];
	size_t n;

	if (layout > SPOOL_MAX_LAYOUT || len == 0 || !utc_tm(slot_s, &tm))
		return NFE_INVAL;
	snprintf(fmt, sizeof(fmt), "%s%s%s", layouts[layout], SPOOL_PREFIX,
	    interval < 60 ? "%Y%m%d%H%M%S" : "%Y%m%d%H%M");
	n = strftime(buf, len, fmt, &tm);
	if (n == 0) {
		buf[0] = '\0';
		return NFE_INVAL;
	}
	return NFE_OK;
}

bool
spool_parse_name(const char *name, int64_t *slot_s, bool *tmp)
{
	const char *p;
	size_t nd = 0;
	struct tm tm;
	int v[6] = { 0, 0, 0, 0, 0, 0 };
	static const int w[6] = { 4, 2, 2, 2, 2, 2 };
	size_t fields;

	*slot_s = 0;
	*tmp = false;
	if (strncmp(name, SPOOL_PREFIX, strlen(SPOOL_PREFIX)) != 0)
		return false;
	p = name + strlen(SPOOL_PREFIX);
	while (isdigit((unsigned char)p[nd]))
		nd++;
	if (nd == 12)
		fields = 5;
	else if (nd == 14)
		fields = 6;
	else
		return false;
	if (p[nd] != '\0') {
		if (strcmp(p + nd, SPOOL_TMP_SUFFIX) != 0)
			return false;
		*tmp = true;
	}
	for (size_t i = 0; i < fields; i++) {
		for (int k = 0; k < w[i]; k++)
			v[i] = v[i] * 10 + (*p++ - '0');
	}
	if (v[1] < 1 || v[1] > 12 || v[2] < 1 || v[2] > 31 || v[3] > 23 ||
	    v[4] > 59 || v[5] > 59)
		return false;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = v[0] - 1900;
	tm.tm_mon = v[1] - 1;
	tm.tm_mday = v[2];
	tm.tm_hour = v[3];
	tm.tm_min = v[4];
	tm.tm_sec = v[5];
	*slot_s = (int64_t)timegm(&tm);
	return true;
}

static bool
is_plain(const char *s)
{
	for (; *s != '\0'; s++)
		if (!isalnum((unsigned char)*s) && strchr("_-.,/:+=@", *s) ==
		    NULL)
			return false;
	return true;
}

struct out {
	char	*p;
	size_t	 len;
	size_t	 n;
	bool	 full;
};

static void
put_c(struct out *o, char c)
{
	if (o->n + 1 >= o->len) {
		o->full = true;
		return;
	}
	o->p[o->n++] = c;
	o->p[o->n] = '\0';
}

static void
put_s(struct out *o, const char *s)
{
	for (; *s != '\0'; s++)
		put_c(o, *s);
}

static void
put_val(struct out *o, const char *s)
{
	if (is_plain(s)) {
		put_s(o, s);
		return;
	}
	put_c(o, '\'');
	for (; *s != '\0'; s++) {
		if (*s == '\'')
			put_s(o, "'\\''");
		else
			put_c(o, *s);
	}
	put_c(o, '\'');
}

int
spool_expand(const char *tmpl, const struct spool_vars *v, char *buf,
    size_t len)
{
	struct out o = { buf, len, 0, false };
	struct tm tm;
	char tbuf[32];

	if (len == 0)
		return NFE_LIMIT;
	buf[0] = '\0';
	for (const char *p = tmpl; *p != '\0'; p++) {
		if (*p != '%') {
			put_c(&o, *p);
			continue;
		}
		switch (*++p) {
		case 'f':
			put_val(&o, v->path != NULL ? v->path : "");
			break;
		case 'd':
			put_val(&o, v->dir != NULL ? v->dir : "");
			break;
		case 'i':
			put_val(&o, v->ident != NULL ? v->ident : "");
			break;
		case 't':
			if (!utc_tm(v->slot_s, &tm))
				return NFE_INVAL;
			strftime(tbuf, sizeof(tbuf), v->interval < 60 ?
			    "%Y%m%d%H%M%S" : "%Y%m%d%H%M", &tm);
			put_s(&o, tbuf);
			break;
		case 'u':
			snprintf(tbuf, sizeof(tbuf), "%" PRId64, v->slot_s);
			put_s(&o, tbuf);
			break;
		case '%':
			put_c(&o, '%');
			break;
		default:
			return NFE_INVAL;
		}
	}
	return o.full ? NFE_LIMIT : NFE_OK;
}
