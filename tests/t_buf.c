/*
 * tests/t_buf.c -- every rbuf/wbuf operation: exact fit, one byte
 * short, huge lengths, and the sticky error flag.
 */
#include "common/base/compat.h"

#include <stdint.h>
#include <string.h>

#include "common/base/buf.h"
#include "tap.h"

static const uint8_t bytes[] = {
	0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a
};

static void
test_reads(void)
{
	struct rbuf r;
	uint8_t out[4];

	rbuf_init(&r, bytes, sizeof(bytes));
	tap_is_uint(rbuf_u8(&r), 0x01, "u8");
	tap_is_uint(rbuf_be16(&r), 0x0203, "be16");
	tap_is_uint(rbuf_be32(&r), 0x04050607, "be32");
	tap_is_uint(rbuf_remaining(&r), 3, "remaining after 7 bytes");
	tap_ok(rbuf_ok(&r), "no error yet");
	tap_is_uint(rbuf_be32(&r), 0, "be32 one short returns 0");
	tap_ok(!rbuf_ok(&r), "error is set");
	tap_is_uint(rbuf_remaining(&r), 3, "failed read consumed nothing");
	tap_is_uint(rbuf_u8(&r), 0, "sticky: later reads fail too");

	rbuf_init(&r, bytes, sizeof(bytes));
	tap_is_uint(rbuf_be64(&r), UINT64_C(0x0102030405060708), "be64");
	rbuf_init(&r, bytes, sizeof(bytes));
	tap_is_uint(rbuf_le16(&r), 0x0201, "le16");
	tap_is_uint(rbuf_le32(&r), 0x06050403, "le32");
	rbuf_init(&r, bytes, sizeof(bytes));
	tap_is_uint(rbuf_le64(&r), UINT64_C(0x0807060504030201), "le64");
	rbuf_init(&r, bytes, sizeof(bytes));
	tap_is_uint(rbuf_beN(&r, 3), 0x010203, "beN(3)");
	tap_is_uint(rbuf_beN(&r, 0), 0, "beN(0) fails");
	tap_ok(!rbuf_ok(&r), "beN(0) sets error");
	rbuf_init(&r, bytes, sizeof(bytes));
	tap_is_uint(rbuf_beN(&r, 9), 0, "beN(9) fails");

	rbuf_init(&r, bytes, sizeof(bytes));
	tap_ok(rbuf_bytes(&r, out, 4) && memcmp(out, bytes, 4) == 0,
	    "bytes copies");
	tap_ok(rbuf_skip(&r, 6) && rbuf_remaining(&r) == 0, "skip to end exactly");
	tap_ok(!rbuf_skip(&r, 1), "skip past end fails");
	rbuf_init(&r, bytes, sizeof(bytes));
	tap_ok(!rbuf_skip(&r, SIZE_MAX), "giant skip fails");
	tap_is_uint(r.off, 0, "giant skip moved nothing");
	rbuf_init(&r, bytes, 0);
	tap_is_uint(rbuf_u8(&r), 0, "empty buffer read fails");
	rbuf_init(&r, bytes, 3);
	tap_ok(!rbuf_bytes(&r, out, 4) && out[0] == 0, "short bytes zeroes dst");
}

static void
test_rest_is_zero(void)
{
	static const uint8_t pad[] = { 0x05, 0x00, 0x00, 0x00 };
	struct rbuf r;

	rbuf_init(&r, pad, sizeof(pad));
	tap_ok(!rbuf_rest_is_zero(&r), "rest with a non-zero byte");
	rbuf_skip(&r, 1);
	tap_ok(rbuf_rest_is_zero(&r), "zero padding after the first byte");
	rbuf_skip(&r, 3);
	tap_ok(rbuf_rest_is_zero(&r), "nothing left counts as zero");
}

static void
test_sub(void)
{
	struct rbuf r, s;

	rbuf_init(&r, bytes, sizeof(bytes));
	rbuf_skip(&r, 2);
	tap_ok(rbuf_sub(&r, 4, &s), "sub of 4");
	tap_is_uint(rbuf_remaining(&r), 4, "outer advanced by 4");
	tap_is_uint(rbuf_be32(&s), 0x03040506, "sub reads its slice");
	tap_is_uint(rbuf_u8(&s), 0, "sub cannot read past its slice");
	tap_ok(rbuf_ok(&r), "outer unaffected by sub overrun");
	tap_ok(!rbuf_sub(&r, 5, &s), "sub longer than rest fails");
	tap_ok(!rbuf_ok(&s) && rbuf_remaining(&s) == 0, "failed sub is empty and bad");
}

static void
test_writes(void)
{
	uint8_t buf[12];
	struct wbuf w;
	size_t m;
	volatile size_t giant = SIZE_MAX;

	wbuf_init(&w, buf, sizeof(buf));
	wbuf_u8(&w, 0xaa);
	m = wbuf_mark(&w);
	wbuf_be16(&w, 0);
	wbuf_be32(&w, 0x01020304);
	wbuf_patch_be16(&w, m, 0xbeef);
	tap_ok(wbuf_ok(&w) && wbuf_len(&w) == 7, "writes fit");
	tap_is_mem(buf, "\xaa\xbe\xef\x01\x02\x03\x04", 7, "be bytes and patch");
	wbuf_beN(&w, 0x112233, 3);
	tap_is_mem(buf + 7, "\x11\x22\x33", 3, "beN(3)");
	tap_is_uint(wbuf_room(&w), 2, "room left");
	wbuf_be32(&w, 1);
	tap_ok(!wbuf_ok(&w) && wbuf_len(&w) == 10, "overflow writes nothing, sets error");
	wbuf_u8(&w, 1);
	tap_is_uint(wbuf_len(&w), 10, "sticky: later writes ignored");
	tap_is_uint(wbuf_room(&w), 0, "no room once bad");

	wbuf_init(&w, buf, sizeof(buf));
	wbuf_le16(&w, 0x0102);
	wbuf_le32(&w, 0x03040506);
	wbuf_patch_le32(&w, 2, 0x0a0b0c0d);
	tap_is_mem(buf, "\x02\x01\x0d\x0c\x0b\x0a", 6, "le writes and patch");
	wbuf_patch_be16(&w, 5, 1);
	tap_ok(!wbuf_ok(&w), "patch past written length fails");

	wbuf_init(&w, buf, sizeof(buf));
	wbuf_le64(&w, UINT64_C(0x0102030405060708));
	tap_is_mem(buf, "\x08\x07\x06\x05\x04\x03\x02\x01", 8, "le64");
	/* volatile: a constant SIZE_MAX makes gcc -fsanitize warn about
	   the memcpy that the length check never reaches */
	wbuf_bytes(&w, "abcdefg", giant);
	tap_ok(!wbuf_ok(&w), "giant bytes write fails");
}

int
main(void)
{
	tap_no_plan();
	test_reads();
	test_sub();
	test_rest_is_zero();
	test_writes();
	return tap_done();
}
