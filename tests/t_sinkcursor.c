/*
 * tests/t_sinkcursor.c -- a sink's persisted position
 * (collector/sinkcursor.h): golden bytes, round trip, every proper
 * prefix refused, a flipped bit caught by the checksum, a newer major
 * version refused, a newer minor's longer header skipped, hostile
 * paths refused, the atomic save (no .tmp left, the old cursor intact
 * when the save cannot happen), positions ordered, and the listing of
 * a directory's cursors.
 */
#include "common/base/compat.h"

#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collector/sinkcursor.h"
#include "common/base/nferr.h"
#include "common/ffile/crc32c.h"
#include "tap.h"

static struct sinkcursor
sample(void)
{
	struct sinkcursor c;

	memset(&c, 0, sizeof(c));
	snprintf(c.file, sizeof(c.file), "2024/05/01/flows.202405011000");
	c.slot_s = 1714557600;
	c.off = 0x1234;
	c.rec = 77;
	c.sink_id = 0xabcdef;
	c.seq = 42;
	c.delivered = 1000000;
	c.updated_ms = 1714557612345ULL;
	return c;
}

static void
test_bytes(void)
{
	static const uint8_t head[] = {
		'F', 'K', 'S', 'C', 1, 0, 0, 0, 64, 0, 29, 0, 77, 0, 0, 0,
		0xef, 0xcd, 0xab, 0, 0, 0, 0, 0, 42, 0, 0, 0, 0, 0, 0, 0,
		0xa0, 0x12, 0x32, 0x66, 0, 0, 0, 0,
		0x34, 0x12, 0, 0, 0, 0, 0, 0,
		0x40, 0x42, 0x0f, 0, 0, 0, 0, 0,
		0x39, 0xf1, 0x98, 0x33, 0x8f, 0x01, 0, 0,
	};
	struct sinkcursor c = sample(), d;
	uint8_t buf[SINKCURSOR_MAX_LEN];
	size_t len = sinkcursor_encode(&c, buf, sizeof(buf));
	size_t bad = 0;
	int rc;

	tap_ok(len == 64 + 29 + 4 && memcmp(buf, head, sizeof(head)) == 0 &&
	    memcmp(buf + 64, c.file, 29) == 0 &&
	    crc32c(0, buf, 64 + 29) == (uint32_t)(buf[93] | buf[94] << 8 |
	    buf[95] << 16 | (uint32_t)buf[96] << 24),
	    "golden bytes: header, path, checksum");
	rc = sinkcursor_decode(buf, len, &d);
	tap_ok(rc == NFE_OK && sinkcursor_cmp(&c, &d) == 0 &&
	    strcmp(c.file, d.file) == 0 && d.sink_id == c.sink_id &&
	    d.seq == 42 && d.delivered == c.delivered &&
	    d.updated_ms == c.updated_ms, "round trip");
	for (size_t cut = 0; cut < len; cut++) {
		rc = sinkcursor_decode(buf, cut, &d);
		if (rc != NFE_TRUNC && rc != NFE_FORMAT)
			bad++;
	}
	tap_is_int((long long)bad, 0, "every proper prefix is refused");
	bad = 0;
	for (size_t i = 8; i < len; i++) {
		buf[i] ^= 0x10;
		rc = sinkcursor_decode(buf, len, &d);
		if (rc == NFE_OK)
			bad++;
		buf[i] ^= 0x10;
	}
	tap_is_int((long long)bad, 0, "every flipped bit after the version "
	    "is refused");
	buf[4] = 2;
	tap_is_int(sinkcursor_decode(buf, len, &d), NFE_VERSION,
	    "a newer major version is refused");
	buf[4] = 1;
	{
		/* a newer minor with 8 more header bytes */
		uint8_t big[SINKCURSOR_MAX_LEN + 8];
		uint32_t crc;

		memcpy(big, buf, 64);
		big[6] = 1;
		big[8] = 72;
		memset(big + 64, 0xee, 8);
		memcpy(big + 72, c.file, 29);
		crc = crc32c(0, big, 72 + 29);
		for (int k = 0; k < 4; k++)
			big[72 + 29 + k] = (uint8_t)(crc >> (8 * k));
		rc = sinkcursor_decode(big, 72 + 29 + 4, &d);
		tap_ok(rc == NFE_OK && strcmp(d.file, c.file) == 0 &&
		    d.off == c.off, "a newer minor's longer header is skipped");
	}
	{
		struct sinkcursor h = sample();

		snprintf(h.file, sizeof(h.file), "../../etc/passwd");
		len = sinkcursor_encode(&h, buf, sizeof(buf));
		rc = sinkcursor_decode(buf, len, &d);
		snprintf(h.file, sizeof(h.file), "/etc/passwd");
		len = sinkcursor_encode(&h, buf, sizeof(buf));
		tap_ok(rc == NFE_FORMAT && sinkcursor_decode(buf, len, &d) ==
		    NFE_FORMAT, "paths leaving the data directory are "
		    "refused");
	}
}

static void
test_order(void)
{
	struct sinkcursor a = sample(), b = sample();

	b.rec++;
	tap_ok(sinkcursor_cmp(&a, &b) < 0 && sinkcursor_cmp(&b, &a) > 0,
	    "a later record is later");
	b = sample();
	b.off++;
	b.rec = 0;
	tap_ok(sinkcursor_cmp(&a, &b) < 0, "a later block is later");
	b = sample();
	b.slot_s += 300;
	b.off = 0;
	tap_ok(sinkcursor_cmp(&a, &b) < 0 && sinkcursor_cmp(&a, &a) == 0,
	    "a later file is later; equal is equal");
	a = sample();
	a.sink_id = 5;
	a.seq = 9;
	tap_ok(sinkcursor_next_batch(&a) == (UINT64_C(5) << 40 | 10),
	    "the next batch id");
}

struct seen {
	int	ok, bad;
};

static void
each(void *arg, const char *name, bool ok, const struct sinkcursor *c,
    const char *err)
{
	struct seen *s = arg;

	(void)c;
	if (ok && strcmp(name, "ch-main") == 0)
		s->ok++;
	else if (!ok && strcmp(name, "broken") == 0 && err[0] != '\0')
		s->bad++;
}

static void
test_files(void)
{
	char dir[] = "/tmp/t_sinkcursor.XXXXXX", path[512], tmp[600];
	char err[512];
	struct sinkcursor c = sample(), d;
	struct seen seen = { 0, 0 };
	struct stat st;
	FILE *f;
	int rc;

	if (mkdtemp(dir) == NULL) {
		tap_ok(false, "mkdtemp");
		return;
	}
	sinkcursor_path(dir, "ch-main", path, sizeof(path));
	tap_is_int(sinkcursor_load(path, &d, err, sizeof(err)), NFE_EOF,
	    "no cursor yet: NFE_EOF");
	rc = sinkcursor_save(path, &c, err, sizeof(err));
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	tap_ok(rc == NFE_OK && stat(tmp, &st) == -1, "saved; no .tmp left");
	c.seq++;
	c.rec++;
	sinkcursor_save(path, &c, err, sizeof(err));
	rc = sinkcursor_load(path, &d, err, sizeof(err));
	tap_ok(rc == NFE_OK && d.seq == c.seq && d.rec == c.rec,
	    "a second save replaces the first");
	/*
	 * A save that cannot happen leaves the old cursor: the temporary
	 * name taken by a directory fails the write even for root.
	 */
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	mkdir(tmp, 0700);
	c.seq += 10;
	rc = sinkcursor_save(path, &c, err, sizeof(err));
	rmdir(tmp);
	tap_ok(rc == NFE_IO && strstr(err, path) != NULL &&
	    sinkcursor_load(path, &d, err, sizeof(err)) == NFE_OK &&
	    d.seq == c.seq - 10, "a failed save keeps the old cursor");
	snprintf(tmp, sizeof(tmp), "%s/.flowcapd-sink-broken.cursor", dir);
	if ((f = fopen(tmp, "w")) != NULL) {
		fputs("FKSC garbage", f);
		fclose(f);
	}
	tap_ok(sinkcursor_each(dir, each, &seen) == 2 && seen.ok == 1 &&
	    seen.bad == 1, "listing: one cursor, one broken with a message");
	rc = sinkcursor_load(tmp, &d, err, sizeof(err));
	tap_ok(rc != NFE_OK && strstr(err, "broken.cursor") != NULL,
	    "a broken cursor's message names the file");
	unlink(tmp);
	unlink(path);
	rmdir(dir);
}

int
main(void)
{
	tap_plan(17);
	test_bytes();
	test_order();
	test_files();
	return tap_done();
}
