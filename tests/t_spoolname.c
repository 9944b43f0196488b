/*
 * tests/t_spoolname.c -- collector/spoolname: interval slots, UTC file
 * names (with seconds below 60 s), every -S layout, name parsing and -x
 * placeholder expansion.
 */
#include "common/base/compat.h"

#include <stdio.h>
#include <string.h>

#include "collector/spoolname.h"
#include "common/base/nferr.h"
#include "tap.h"

/* 2026-11-23 09:47:31 UTC, a Monday, day 327 of the year, week 47 */
#define T0	INT64_C(1795427251)

static void
test_slot(void)
{
	tap_is_int(spool_slot(T0, 300), T0 - 151, "300 s slot");
	tap_is_int(spool_slot(T0, 60), T0 - 31, "60 s slot");
	tap_is_int(spool_slot(T0, 2), T0 - 1, "2 s slot");
	tap_is_int(spool_slot(T0 - 151, 300), T0 - 151, "boundary stays");
	tap_is_int(spool_slot(T0, 3600), T0 - 47 * 60 - 31, "hour slot");
}

static void
test_names(void)
{
	static const char *const want[SPOOL_MAX_LAYOUT + 1] = {
		"flows.202611230945",
		"2026/11/23/flows.202611230945",
		"2026/11/23/09/flows.202611230945",
		"2026/47/1/flows.202611230945",
		"2026/47/1/09/flows.202611230945",
		"2026/327/flows.202611230945",
		"2026/327/09/flows.202611230945",
		"2026-11-23/flows.202611230945",
		"2026-11-23/09/flows.202611230945",
	};
	char buf[128];
	int64_t slot = spool_slot(T0, 300), s;
	bool tmp;

	for (unsigned l = 0; l <= SPOOL_MAX_LAYOUT; l++) {
		spool_relpath(slot, 300, l, buf, sizeof(buf));
		tap_is_str(buf, want[l], "layout");
	}
	tap_is_int(spool_relpath(slot, 300, 9, buf, sizeof(buf)), NFE_INVAL,
	    "layout 9 refused");
	spool_relpath(spool_slot(T0, 10), 10, 0, buf, sizeof(buf));
	tap_is_str(buf, "flows.20261123094730", "seconds below 60 s");
	tap_is_int(spool_relpath(slot, 300, 0, buf, 8), NFE_INVAL,
	    "short buffer");

	tap_ok(spool_parse_name("flows.202611230945", &s, &tmp) &&
	    s == slot && !tmp, "parse final name");
	tap_ok(spool_parse_name("flows.20261123094730.current", &s, &tmp) &&
	    s == T0 - 1 && tmp, "parse temporary name with seconds");
	tap_ok(!spool_parse_name("flows.2026112309451", &s, &tmp),
	    "13 digits refused");
	tap_ok(!spool_parse_name("flows.202613230945", &s, &tmp),
	    "month 13 refused");
	tap_ok(!spool_parse_name("flows.202611230945.old", &s, &tmp),
	    "other suffix refused");
	tap_ok(!spool_parse_name("nfcapd.202611230945", &s, &tmp),
	    "other prefix refused");
}

static void
test_expand(void)
{
	struct spool_vars v = {
		.path = "/d/2026/flows.202611230945",
		.dir = "/d",
		.slot_s = spool_slot(T0, 300),
		.interval = 300,
		.ident = "edge 1's",
	};
	char buf[256];

	tap_is_int(spool_expand("x %f %d %t %u %i %%", &v, buf, sizeof(buf)),
	    NFE_OK, "expand ok");
	tap_is_str(buf, "x /d/2026/flows.202611230945 /d 202611230945 "
	    "1795427100 'edge 1'\\''s' %", "placeholders, ident quoted");
	tap_is_int(spool_expand("%q", &v, buf, sizeof(buf)), NFE_INVAL,
	    "unknown placeholder");
	tap_is_int(spool_expand("trailing %", &v, buf, sizeof(buf)),
	    NFE_INVAL, "lone % at the end");
	tap_is_int(spool_expand("%f%f%f", &v, buf, 40), NFE_LIMIT,
	    "buffer too small");
}

int
main(void)
{
	tap_plan(28);
	test_slot();
	test_names();
	test_expand();
	return tap_done();
}
