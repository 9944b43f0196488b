/*
 * tests/t_timeutil.c -- time formatting, parsing and protocol clocks.
 */
#include "common/base/compat.h"

#include <stdlib.h>
#include <time.h>

#include "common/base/nferr.h"
#include "common/base/timeutil.h"
#include "tap.h"

static void
parses(const char *s, bool utc, uint64_t want)
{
	uint64_t ms = 1;

	tap_ok(time_parse(s, utc, &ms) == NFE_OK && ms == want,
	    "parse \"%s\" -> %llu (got %llu)", s, (unsigned long long)want,
	    (unsigned long long)ms);
}

static void
rejects(const char *s)
{
	uint64_t ms;

	tap_ok(time_parse(s, true, &ms) == NFE_INVAL, "reject \"%s\"", s);
}

int
main(void)
{
	char buf[TIME_STRLEN];
	uint32_t sec, frac;
	uint64_t t = UINT64_C(1720689300123);	/* 2024-07-11 09:15:00.123 UTC */

	tap_no_plan();
	tap_is_str(time_format(t, TIME_NFDUMP, true, buf, sizeof(buf)),
	    "2024-07-11 09:15:00.123", "nfdump format UTC");
	tap_is_str(time_format(t, TIME_ISO, true, buf, sizeof(buf)),
	    "2024-07-11T09:15:00.123Z", "ISO format UTC");
	tap_is_str(time_format(t, TIME_COMPACT, true, buf, sizeof(buf)),
	    "202407110915", "compact format");
	/* POSIX rule, so the test needs no tzdata */
	setenv("TZ", "CET-1CEST,M3.5.0,M10.5.0/3", 1);
	tzset();
	tap_is_str(time_format(t, TIME_ISO, false, buf, sizeof(buf)),
	    "2024-07-11T11:15:00.123+02:00", "ISO format with local offset");
	tap_is_str(time_format(t, TIME_NFDUMP, false, buf, sizeof(buf)),
	    "2024-07-11 11:15:00.123", "nfdump format local");
	parses("2024/07/11.11:15:00", false, t - 123);
	setenv("TZ", "UTC0", 1);
	tzset();

	parses("2024/07/11.09:15:00", true, t - 123);
	parses("2024/07/11.09:15", true, t - 123);
	parses("2024/07/11", true, UINT64_C(1720656000000));
	parses("2024/07", true, UINT64_C(1719792000000));
	parses("2024-07-11T09:15:00.123", true, t);
	parses("2024-07-11 09:15:00.123", true, t);
	parses("2024-07-11T09:15", true, t - 123);
	parses("2024-07-11T11:15:00.123+02:00", false, t);
	parses("2024-07-11T09:15:00.123Z", false, t);
	rejects("2024/13/01");
	rejects("2024/07/11T09:15");
	rejects("2024-07-11.09:15");
	rejects("24/07/11");
	rejects("2024/07/11.25:00");
	rejects("2024/07/11.09:15:00junk");
	rejects("");

	/* sysUpTime: event 5 s before export */
	tap_is_uint(time_from_uptime(100000, 60000, 55000), 95000,
	    "uptime offset");
	/* sysUpTime wrapped between event and export */
	tap_is_uint(time_from_uptime(100000, 1000, UINT32_MAX - 999), 98000,
	    "uptime wrap-around");
	/* event stamped after the export (clock jitter) */
	tap_is_uint(time_from_uptime(100000, 60000, 60500), 100500,
	    "event after export");

	time_to_ntp(t, &sec, &frac);
	tap_is_uint(sec, t / 1000 + TIME_NTP_UNIX_OFFSET, "ntp seconds");
	tap_is_uint(time_from_ntp(sec, frac), t, "ntp round trip");
	tap_is_uint(time_from_ntp(0x83aa7e80, 0x80000000), 500,
	    "ntp epoch + 0.5 s");
	return tap_done();
}
