/*
 * tests/t_addr.c -- address and prefix parse/format/match.
 */
#include "common/base/compat.h"

#include <string.h>

#include "common/base/addr.h"
#include "common/base/nferr.h"
#include "tap.h"

static void
roundtrip(const char *in, const char *want)
{
	struct nf_addr a;
	char buf[ADDR_STRLEN];

	if (!tap_ok(addr_parse(in, &a) == NFE_OK, "parse %s", in))
		return;
	tap_is_str(addr_format(&a, buf, sizeof(buf)), want, in);
}

static bool
match(const char *prefix, const char *addr)
{
	struct nf_prefix p;
	struct nf_addr a;

	if (prefix_parse(prefix, false, &p) != NFE_OK ||
	    addr_parse(addr, &a) != NFE_OK)
		return false;
	return prefix_match(&p, &a);
}

int
main(void)
{
	struct nf_addr a, m;
	struct nf_prefix p;
	char buf[ADDR_STRLEN];

	tap_no_plan();
	roundtrip("192.0.2.1", "192.0.2.1");
	roundtrip("0.0.0.0", "0.0.0.0");
	roundtrip("2001:db8::1", "2001:db8::1");
	roundtrip("2001:0DB8:0:0:0:0:0:0001", "2001:db8::1");
	roundtrip("::", "::");
	roundtrip("::ffff:10.1.2.3", "10.1.2.3");
	tap_ok(addr_parse("192.0.2.256", &a) == NFE_INVAL, "octet 256 rejected");
	tap_ok(addr_parse("1.2.3", &a) == NFE_INVAL, "short quad rejected");
	tap_ok(addr_parse("2001:db8:::1", &a) == NFE_INVAL, "bad v6 rejected");
	tap_ok(addr_parse("", &a) == NFE_INVAL, "empty rejected");

	addr_from_v4(&a, 0xc0000201);
	tap_ok(addr_is_v4(&a) && addr_v4(&a) == 0xc0000201, "from_v4/v4");
	tap_is_str(addr_format(&a, buf, sizeof(buf)), "192.0.2.1", "format v4");
	tap_ok(!addr_is_zero(&a), "non-zero");
	addr_from_v4(&m, 0);
	tap_ok(addr_is_zero(&m), "v4 zero is zero");
	tap_ok(addr_cmp(&m, &a) < 0, "compare orders");

	tap_ok(match("10.0.0.0/8", "10.200.1.1"), "v4 /8 match");
	tap_ok(!match("10.0.0.0/8", "11.0.0.1"), "v4 /8 no match");
	tap_ok(match("192.0.2.128/25", "192.0.2.200"), "v4 /25 match");
	tap_ok(!match("192.0.2.128/25", "192.0.2.127"), "v4 /25 boundary");
	tap_ok(match("0.0.0.0/0", "8.8.8.8"), "v4 /0 matches any v4");
	tap_ok(!match("0.0.0.0/0", "2001:db8::1"), "v4 prefix never matches v6");
	tap_ok(match("2001:db8::/32", "2001:db8:ffff::1"), "v6 /32 match");
	tap_ok(!match("2001:db8::/33", "2001:db8:8000::1"), "v6 /33 boundary");
	tap_ok(match("::/0", "2001:db8::1"), "v6 /0 matches v6");
	tap_ok(!match("::/0", "1.2.3.4"), "v6 /0 does not match v4");
	tap_ok(match("192.0.2.1", "192.0.2.1"), "host prefix");
	tap_ok(prefix_parse("10.0.0.1/8", false, &p) == NFE_INVAL,
	    "host bits rejected");
	tap_ok(prefix_parse("10.0.0.1/8", true, &p) == NFE_OK &&
	    strcmp(prefix_format(&p, buf, sizeof(buf)), "10.0.0.0/8") == 0,
	    "host bits cleared when allowed");
	tap_ok(prefix_parse("10/8", false, &p) == NFE_OK &&
	    strcmp(prefix_format(&p, buf, sizeof(buf)), "10.0.0.0/8") == 0,
	    "short form 10/8");
	tap_ok(prefix_parse("172.16/12", false, &p) == NFE_OK && p.len == 12,
	    "short form 172.16/12");
	tap_ok(prefix_parse("10.0.0.0/33", false, &p) == NFE_INVAL, "/33 rejected");
	tap_ok(prefix_parse("::/129", false, &p) == NFE_INVAL, "/129 rejected");
	tap_ok(prefix_parse("10.0.0.0/", false, &p) == NFE_INVAL, "empty length");
	tap_ok(prefix_parse("10.0.0.0/8x", false, &p) == NFE_INVAL, "junk length");
	tap_ok(prefix_parse("/8", false, &p) == NFE_INVAL, "no address");

	addr_parse("10.1.2.0", &a);
	addr_parse("255.255.255.0", &m);
	tap_ok(prefix_from_v4_mask(&a, &m, &p) == NFE_OK && p.len == 24,
	    "dotted mask /24");
	addr_parse("255.0.255.0", &m);
	tap_ok(prefix_from_v4_mask(&a, &m, &p) == NFE_INVAL,
	    "non-contiguous mask rejected");

	addr_parse("10.1.2.3", &a);
	addr_mask(&a, 16);
	tap_is_str(addr_format(&a, buf, sizeof(buf)), "10.1.0.0", "mask v4 /16");
	addr_parse("2001:db8:1234:5678::1", &a);
	addr_mask(&a, 36);
	tap_is_str(addr_format(&a, buf, sizeof(buf)), "2001:db8:1000::",
	    "mask v6 /36");
	return tap_done();
}
