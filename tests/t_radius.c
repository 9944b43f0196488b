/*
 * tests/t_radius.c -- RADIUS accounting (common/enrich/radius.h): a
 * request captured from FreeRADIUS's radclient (golden bytes and its
 * authenticator), requests built and parsed back, the session event of
 * a request, bad lengths and attributes, and a truncation sweep.
 */
#include "common/base/compat.h"

#include <stdio.h>
#include <string.h>

#include "common/base/addr.h"
#include "common/base/nferr.h"
#include "common/enrich/radius.h"
#include "tap.h"

/*
 * radclient 3.2.1 (Debian 12), secret "s3cr3t", Id 44:
 *   Acct-Status-Type = Start, User-Name = "alice@isp",
 *   Acct-Session-Id = "0001A2B3", Framed-IP-Address = 100.64.1.2,
 *   NAS-IP-Address = 192.0.2.10, Event-Timestamp = 1700000000,
 *   Delegated-IPv6-Prefix = 2001:db8:aa00::/56,
 *   Framed-IPv6-Prefix = 2001:db8:1:2::/64, Framed-Interface-Id = 0:0:0:1,
 *   Acct-Delay-Time = 0, Acct-Interim-Interval = 300
 */
static const char golden_hex[] =
    "042c007f3311bda4af1bba2ade7e9475398114d7280600000001010b616c6963654069"
    "73702c0a30303031413242330806644001020406c000020a37066553f1007b14003820"
    "010db8aa00000000000000000000006114004020010db8000100020000000000000000"
    "600a000000000000000129060000000055060000012c";

static const uint8_t secret[] = "s3cr3t";
#define SLEN	(sizeof(secret) - 1)

static size_t
unhex(const char *h, uint8_t *out, size_t cap)
{
	size_t n = 0;

	for (; h[0] != '\0' && h[1] != '\0' && n < cap; h += 2) {
		unsigned v;

		sscanf(h, "%2x", &v);
		out[n++] = (uint8_t)v;
	}
	return n;
}

static const char *
pfx(const struct nf_prefix *p)
{
	static char buf[4][ADDR_STRLEN + 4];
	static int k;

	k = (k + 1) % 4;
	return prefix_format(p, buf[k], sizeof(buf[k]));
}

static void
test_golden(void)
{
	uint8_t pkt[RADIUS_MAX_LEN], resp[64];
	struct radius_acct a;
	struct sessdb_event ev;
	struct nf_addr src;
	size_t len = unhex(golden_hex, pkt, sizeof(pkt)), rlen;
	char buf[ADDR_STRLEN];

	tap_is_int(radius_parse(pkt, len, &a), NFE_OK, "golden: parsed");
	tap_is_int(a.id, 44, "golden: identifier");
	tap_is_int(a.status, RADIUS_STATUS_START, "golden: Start");
	tap_ok(a.user_len == 9 && memcmp(a.user, "alice@isp", 9) == 0,
	    "golden: User-Name");
	tap_ok(a.sid_len == 8 && memcmp(a.sid, "0001A2B3", 8) == 0,
	    "golden: Acct-Session-Id");
	tap_is_str(addr_format(&a.framed_ip, buf, sizeof(buf)), "100.64.1.2",
	    "golden: Framed-IP-Address");
	tap_is_str(pfx(&a.delegated), "2001:db8:aa00::/56",
	    "golden: Delegated-IPv6-Prefix");
	tap_is_str(pfx(&a.framed_pfx), "2001:db8:1:2::/64",
	    "golden: Framed-IPv6-Prefix");
	tap_is_uint(a.event_ts, 1700000000, "golden: Event-Timestamp");
	tap_is_uint(a.interim, 300, "golden: Acct-Interim-Interval");
	tap_is_int(radius_verify(pkt, &a, secret, SLEN), NFE_OK,
	    "golden: radclient's authenticator verifies");
	tap_is_int(radius_verify(pkt, &a, (const uint8_t *)"s3cr3T", SLEN),
	    NFE_FORMAT, "golden: another secret does not");
	pkt[30] ^= 1;
	radius_parse(pkt, len, &a);
	tap_is_int(radius_verify(pkt, &a, secret, SLEN), NFE_FORMAT,
	    "golden: a changed attribute byte does not");
	pkt[30] ^= 1;
	radius_parse(pkt, len, &a);

	addr_parse("127.0.0.1", &src);
	tap_is_int(radius_acct_event(&a, 1700000005000, &src, &ev), NFE_OK,
	    "golden: event");
	tap_is_int(ev.kind, SESSDB_START, "event: Start");
	tap_is_uint(ev.time_ms, 1700000000000, "event: time from Event-Timestamp");
	tap_is_str(addr_format(&ev.nas, buf, sizeof(buf)), "192.0.2.10",
	    "event: NAS from NAS-IP-Address");
	tap_is_uint(ev.npfx, 4, "event: four prefixes");
	tap_is_str(pfx(&ev.pfx[0]), "100.64.1.2/32", "event: Framed-IP-Address");
	tap_is_str(pfx(&ev.pfx[1]), "2001:db8:1:2::/64", "event: Framed-IPv6-Prefix");
	tap_is_str(pfx(&ev.pfx[2]), "2001:db8:aa00::/56",
	    "event: Delegated-IPv6-Prefix");
	tap_is_str(pfx(&ev.pfx[3]), "2001:db8:1:2::1/128",
	    "event: Framed-IPv6-Prefix + Framed-Interface-Id");
	tap_is_uint(ev.timeout_s, 3 * 300 + 60, "event: timeout from the interval");
	tap_ok(ev.sid == sessdb_sid(&ev.nas, "0001A2B3", 8), "event: session id");

	tap_is_int(radius_response(&a, secret, SLEN, resp, sizeof(resp), &rlen),
	    NFE_OK, "response built");
	tap_ok(rlen == 20 && resp[0] == RADIUS_ACCT_RESPONSE && resp[1] == 44 &&
	    resp[2] == 0 && resp[3] == 20, "response: code 5, same id, length 20");
}

static void
test_build_and_rules(void)
{
	uint8_t pkt[RADIUS_MAX_LEN], v6[16] = { 0x20, 0x01, 0x0d, 0xb8 };
	uint8_t v4[4] = { 10, 1, 2, 3 }, pre[18];
	struct radius_req q;
	struct radius_acct a;
	struct sessdb_event ev;
	struct nf_addr src;
	size_t len;
	char buf[ADDR_STRLEN];

	addr_parse("198.51.100.9", &src);
	radius_req_init(&q, pkt, sizeof(pkt), RADIUS_ACCT_REQUEST, 7);
	radius_req_u32(&q, RADIUS_ACCT_STATUS_TYPE, RADIUS_STATUS_STOP);
	radius_req_attr(&q, RADIUS_USER_NAME, "bob\0", 4);
	radius_req_attr(&q, RADIUS_ACCT_SESSION_ID, "S-9", 3);
	radius_req_attr(&q, RADIUS_FRAMED_IP_ADDRESS, v4, 4);
	radius_req_u32(&q, RADIUS_ACCT_DELAY_TIME, 5);
	radius_req_u32(&q, RADIUS_ACCT_SESSION_TIME, 3600);
	radius_req_attr(&q, 26, "\0\0\x01\x37\x01\x03x", 7);	/* vendor-specific */
	pre[0] = 0;
	pre[1] = 48;
	memcpy(pre + 2, v6, 6);
	radius_req_attr(&q, RADIUS_FRAMED_IPV6_PREFIX, pre, 8);	/* short form */
	tap_is_int(radius_req_sign(&q, secret, SLEN, &len), NFE_OK, "built");
	tap_is_int(radius_parse(pkt, len, &a), NFE_OK, "parsed back");
	tap_is_int(radius_verify(pkt, &a, secret, SLEN), NFE_OK, "verifies");
	tap_is_uint(a.unknown, 1, "the Vendor-Specific attribute is counted, skipped");
	tap_ok(a.user_len == 3, "a trailing NUL of User-Name is dropped");
	tap_is_str(pfx(&a.framed_pfx), "2001:db8::/48",
	    "a prefix sent in 6 of 16 bytes");
	radius_acct_event(&a, 10000000, &src, &ev);
	tap_is_uint(ev.time_ms, 10000000 - 5000, "no Event-Timestamp: arrival - delay");
	tap_is_uint(ev.start_ms, 10000000 - 5000 - 3600000,
	    "Stop: start from Acct-Session-Time");
	tap_is_str(addr_format(&ev.nas, buf, sizeof(buf)), "198.51.100.9",
	    "no NAS-IP-Address: the packet's source");
	tap_is_uint(ev.npfx, 2, "Framed-IP-Address and Framed-IPv6-Prefix");

	/* Framed-IP-Address 255.255.255.254 names no address; padding ok */
	radius_req_init(&q, pkt, sizeof(pkt), RADIUS_ACCT_REQUEST, 8);
	radius_req_u32(&q, RADIUS_ACCT_STATUS_TYPE, RADIUS_STATUS_START);
	radius_req_attr(&q, RADIUS_FRAMED_IP_ADDRESS, "\xff\xff\xff\xfe", 4);
	radius_req_sign(&q, secret, SLEN, &len);
	memset(pkt + len, 0, 10);
	tap_is_int(radius_parse(pkt, len + 10, &a), NFE_OK,
	    "bytes past Length are padding");
	radius_acct_event(&a, 1000, &src, &ev);
	tap_is_uint(ev.npfx, 0, "255.255.255.254 is not an address");
	/* status types that change nothing */
	a.status = 15;
	tap_is_int(radius_acct_event(&a, 1000, &src, &ev), NFE_UNSUPP,
	    "Acct-Status-Type Failed: nothing to apply");
	a.status = 0;
	tap_is_int(radius_acct_event(&a, 1000, &src, &ev), NFE_UNSUPP,
	    "no Acct-Status-Type: nothing to apply");
}

/* A request with one attribute given as raw bytes. */
static size_t
raw(uint8_t *pkt, const uint8_t *attr, size_t alen)
{
	memset(pkt, 0, RADIUS_HDR_LEN);
	pkt[0] = RADIUS_ACCT_REQUEST;
	pkt[2] = (uint8_t)((RADIUS_HDR_LEN + alen) >> 8);
	pkt[3] = (uint8_t)(RADIUS_HDR_LEN + alen);
	memcpy(pkt + RADIUS_HDR_LEN, attr, alen);
	return RADIUS_HDR_LEN + alen;
}

static void
test_bad(void)
{
	uint8_t pkt[RADIUS_MAX_LEN + 16];
	struct radius_acct a;
	size_t len = unhex(golden_hex, pkt, sizeof(pkt));
	int bad = 0;

	for (size_t cut = 0; cut < len; cut++) {
		int r = radius_parse(pkt, cut, &a);

		if (r != NFE_TRUNC)
			bad++;
	}
	tap_ok(bad == 0, "every proper prefix: truncated (%d not)", bad);
	pkt[2] = 0;
	pkt[3] = 19;
	tap_is_int(radius_parse(pkt, len, &a), NFE_FORMAT, "Length below 20");
	pkt[2] = 0x10;
	pkt[3] = 0x01;
	tap_is_int(radius_parse(pkt, sizeof(pkt), &a), NFE_FORMAT,
	    "Length above 4096");
	pkt[0] = 1;
	pkt[2] = 0;
	pkt[3] = 20;
	tap_is_int(radius_parse(pkt, len, &a), NFE_UNSUPP,
	    "an Access-Request is not for us");
	tap_is_int(radius_parse(pkt, raw(pkt, (const uint8_t *)"\x01\x01", 2), &a),
	    NFE_FORMAT, "attribute length 1");
	tap_is_int(radius_parse(pkt, raw(pkt, (const uint8_t *)"\x01\x00", 2), &a),
	    NFE_FORMAT, "attribute length 0");
	tap_is_int(radius_parse(pkt, raw(pkt, (const uint8_t *)"\x01\x09xyz", 5), &a),
	    NFE_FORMAT, "attribute running past Length (oversized)");
	tap_is_int(radius_parse(pkt, raw(pkt,
	    (const uint8_t *)"\x08\x07\x0a\x00\x00\x01\x02", 7), &a),
	    NFE_FORMAT, "Framed-IP-Address of 5 bytes");
	tap_is_int(radius_parse(pkt, raw(pkt,
	    (const uint8_t *)"\x28\x05\x00\x00\x01", 5), &a),
	    NFE_FORMAT, "Acct-Status-Type of 3 bytes");
	tap_is_int(radius_parse(pkt, raw(pkt,
	    (const uint8_t *)"\x61\x05\x00\x81\x20", 5), &a),
	    NFE_FORMAT, "Framed-IPv6-Prefix length 129");
	tap_is_int(radius_parse(pkt, raw(pkt,
	    (const uint8_t *)"\x61\x05\x00\x40\x20", 5), &a),
	    NFE_FORMAT, "Framed-IPv6-Prefix /64 in one byte");
	tap_is_int(radius_parse(pkt, raw(pkt,
	    (const uint8_t *)"\xc8\x04\x01\x02\xc9\x02", 6), &a),
	    NFE_OK, "unknown attributes (even empty) are skipped");
	tap_is_uint(a.unknown, 2, "and counted");
}

int
main(void)
{
	tap_no_plan();
#ifndef HAVE_NETTLE
	tap_skip("built without nettle: no RADIUS authenticators");
	return tap_done();
#endif
	test_golden();
	test_build_and_rules();
	test_bad();
	return tap_done();
}
