/*
 * common/base/timeutil.c -- UTC millisecond time helpers.
 */
#include "common/base/compat.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/base/nferr.h"
#include "common/base/timeutil.h"

uint64_t
time_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

uint64_t
time_mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

char *
time_format(uint64_t ms, enum time_style style, bool utc, char *buf,
    size_t len)
{
	time_t t = (time_t)(ms / 1000);
	unsigned msec = (unsigned)(ms % 1000);
	struct tm tm;
	long off;
	char sign;

	if (len == 0)
		return buf;
	if (utc ? gmtime_r(&t, &tm) == NULL : localtime_r(&t, &tm) == NULL) {
		snprintf(buf, len, "?");
		return buf;
	}
	switch (style) {
	case TIME_NFDUMP:
		snprintf(buf, len, "%04d-%02d-%02d %02d:%02d:%02d.%03u",
		    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		    tm.tm_min, tm.tm_sec, msec);
		break;
	case TIME_COMPACT:
		snprintf(buf, len, "%04d%02d%02d%02d%02d",
		    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		    tm.tm_min);
		break;
	case TIME_ISO:
	default:
		if (utc) {
			snprintf(buf, len,
			    "%04d-%02d-%02dT%02d:%02d:%02d.%03uZ",
			    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
			    tm.tm_hour, tm.tm_min, tm.tm_sec, msec);
			break;
		}
		off = tm.tm_gmtoff;
		sign = off < 0 ? '-' : '+';
		if (off < 0)
			off = -off;
		snprintf(buf, len,
		    "%04d-%02d-%02dT%02d:%02d:%02d.%03u%c%02ld:%02ld",
		    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		    tm.tm_min, tm.tm_sec, msec, sign, off / 3600,
		    (off % 3600) / 60);
		break;
	}
	return buf;
}

/* Read exactly n digits; returns -1 if they are not there. */
static int
digits(const char **sp, int n)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)(*sp)[i]))
			return -1;
		v = v * 10 + ((*sp)[i] - '0');
	}
	*sp += n;
	return v;
}

int
time_parse(const char *s, bool utc, uint64_t *ms)
{
	struct tm tm;
	int year, mon = 1, day = 1, hour = 0, min = 0, sec = 0, msec = 0;
	int offset = 0;			/* seconds east of UTC */
	bool have_zone = false;
	char datesep, timesep;
	time_t t;

	*ms = 0;
	if (s == NULL || (year = digits(&s, 4)) < 1970)
		return NFE_INVAL;
	datesep = *s;
	if (datesep != '/' && datesep != '-' && datesep != '\0')
		return NFE_INVAL;
	if (datesep != '\0') {
		s++;
		if ((mon = digits(&s, 2)) < 1 || mon > 12)
			return NFE_INVAL;
		if (*s == datesep) {
			s++;
			if ((day = digits(&s, 2)) < 1 || day > 31)
				return NFE_INVAL;
		}
	}
	timesep = *s;
	if (timesep != '\0') {
		if (!(datesep == '/' && timesep == '.') &&
		    !(datesep == '-' && (timesep == 'T' || timesep == ' ')))
			return NFE_INVAL;
		s++;
		if ((hour = digits(&s, 2)) < 0 || hour > 23)
			return NFE_INVAL;
		if (*s == ':') {
			s++;
			if ((min = digits(&s, 2)) < 0 || min > 59)
				return NFE_INVAL;
			if (*s == ':') {
				s++;
				if ((sec = digits(&s, 2)) < 0 || sec > 60)
					return NFE_INVAL;
				if (*s == '.') {
					s++;
					if ((msec = digits(&s, 3)) < 0)
						return NFE_INVAL;
					while (isdigit((unsigned char)*s))
						s++;
				}
			}
		}
		if (datesep == '-' && *s == 'Z') {
			have_zone = true;
			s++;
		} else if (datesep == '-' && (*s == '+' || *s == '-')) {
			int sign = *s == '-' ? -1 : 1, oh, om;

			s++;
			if ((oh = digits(&s, 2)) < 0 || oh > 23)
				return NFE_INVAL;
			if (*s == ':')
				s++;
			if ((om = digits(&s, 2)) < 0 || om > 59)
				return NFE_INVAL;
			offset = sign * (oh * 3600 + om * 60);
			have_zone = true;
		}
	}
	if (*s != '\0')
		return NFE_INVAL;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = year - 1900;
	tm.tm_mon = mon - 1;
	tm.tm_mday = day;
	tm.tm_hour = hour;
	tm.tm_min = min;
	tm.tm_sec = sec;
	tm.tm_isdst = -1;
	if (utc || have_zone)
		t = timegm(&tm) - offset;
	else
		t = mktime(&tm);
	if (t == (time_t)-1 || t < 0)
		return NFE_INVAL;
	*ms = (uint64_t)t * 1000 + (uint64_t)msec;
	return NFE_OK;
}

uint64_t
time_from_uptime(uint64_t export_ms, uint32_t sys_up, uint32_t event_up)
{
	uint32_t before = sys_up - event_up;	/* mod 2^32 */

	if (before < UINT32_C(1) << 31)
		return export_ms >= before ? export_ms - before : 0;
	return export_ms + (uint32_t)(event_up - sys_up);
}

uint64_t
time_from_ntp(uint32_t sec, uint32_t frac)
{
	uint64_t s = sec;

	/* RFC 5905 era 0 ends in 2036; later seconds wrap to small values */
	if (s < TIME_NTP_UNIX_OFFSET)
		s += UINT64_C(1) << 32;
	return (s - TIME_NTP_UNIX_OFFSET) * 1000 +
	    (((uint64_t)frac * 1000) >> 32);
}

void
time_to_ntp(uint64_t ms, uint32_t *sec, uint32_t *frac)
{
	*sec = (uint32_t)(ms / 1000 + TIME_NTP_UNIX_OFFSET);
	/* round up so that time_from_ntp() gives the same ms back */
	*frac = (uint32_t)((((ms % 1000) << 32) + 999) / 1000);
}
