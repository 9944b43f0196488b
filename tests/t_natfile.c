/*
 * tests/t_natfile.c -- the CGNAT mappings on disk
 * (common/enrich/natfile.h): snapshot and journal round trips, expiry
 * at load, the limit, a flipped byte anywhere costing its record only
 * (named by offset), every truncation of a snapshot loading the whole
 * records before the cut, a torn journal tail cut off, foreign and
 * newer files refused.
 */
#include "common/base/compat.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/base/addr.h"
#include "common/base/nferr.h"
#include "common/enrich/natfile.h"
#include "common/enrich/natmap.h"
#include "tap.h"

#define S(x)	((uint64_t)(x) * 1000)

static char dir[] = "/tmp/t_natfile.XXXXXX";
static char snap[256], jrn[256];

/* what err() was told */
static uint64_t err_off[64];
static size_t nerr;

static void
err(void *arg, const char *path, uint64_t off, const char *msg)
{
	(void)arg;
	(void)msg;
	(void)path;
	if (nerr < NF_NELEM(err_off))
		err_off[nerr] = off;
	nerr++;
}

static struct nf_addr
A(const char *s)
{
	struct nf_addr a;

	addr_parse(s, &a);
	return a;
}

static struct natmap *
mkmap(size_t max)
{
	struct natmap *nm;

	if (natmap_new(max, S(3600), &nm) != NFE_OK)
		abort();
	return nm;
}

static void
mkev(struct natmap_event *e, uint8_t kind, uint64_t t, const char *in,
    const char *out, uint16_t port, uint16_t lo, uint16_t hi, uint16_t step)
{
	struct nf_addr i = A(in), o = A(out);

	if (natmap_event_of(kind, t, &i, 0, &o, port, lo, hi, step, e) !=
	    NFE_OK)
		abort();
}

/* The events of the test: 5 mappings, one of them closed at 300 s. */
static size_t
events(struct natmap_event *e)
{
	size_t n = 0;

	mkev(&e[n++], NATEV_BLOCK_ALLOC, S(100), "10.0.0.5", "198.51.100.1",
	    0, 1024, 1535, 1);
	mkev(&e[n++], NATEV_BLOCK_ALLOC, S(110), "10.0.0.6", "198.51.100.1",
	    0, 2048, 4095, 2);
	mkev(&e[n++], NATEV_NAT44_CREATE, S(120), "10.0.0.7", "198.51.100.2",
	    40000, 0, 0, 0);
	mkev(&e[n++], NATEV_BLOCK_ALLOC, S(130), "10.0.0.8", "198.51.100.3",
	    0, 5000, 5999, 1);
	mkev(&e[n++], NATEV_BLOCK_FREE, S(300), "10.0.0.8", "198.51.100.3",
	    0, 5000, 5999, 1);
	mkev(&e[n++], NATEV_BIND_CREATE, S(140), "fd00::9", "2001:db8::1",
	    0, 0, 0, 0);
	return n;
}

/* A fingerprint of the map's answers over a grid. */
static unsigned long
answers(const struct natmap *nm)
{
	static const char *outs[] = { "198.51.100.1", "198.51.100.2",
	    "198.51.100.3", "2001:db8::1" };
	static const uint16_t ports[] = { 1024, 1535, 1536, 2048, 2049, 2050,
	    40000, 40001, 5000, 5999 };
	unsigned long h = 5381;
	char buf[ADDR_STRLEN];

	for (size_t i = 0; i < NF_NELEM(outs); i++)
		for (size_t k = 0; k < NF_NELEM(ports); k++)
			for (uint64_t t = 50; t < 4000; t += 50) {
				struct nf_addr o = A(outs[i]), in;
				const char *s = "-";

				if (natmap_lookup(nm, &o, ports[k], S(t), &in))
					s = addr_format(&in, buf, sizeof(buf));
				for (; *s != '\0'; s++)
					h = h * 33 + (unsigned char)*s;
				h = h * 33 + '|';
			}
	return h;
}

static uint8_t *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *p = malloc(1 << 16);

	*len = f != NULL ? fread(p, 1, 1 << 16, f) : 0;
	if (f != NULL)
		fclose(f);
	return p;
}

static void
spit(const char *path, const uint8_t *p, size_t len)
{
	FILE *f = fopen(path, "wb");

	fwrite(p, 1, len, f);
	fclose(f);
}

static void
test_snapshot(void)
{
	struct natmap_event e[8];
	struct natfile_counts c;
	struct natmap *nm = mkmap(100), *nm2;
	size_t n = events(e), len, bad_flips = 0, bad_trunc = 0;
	unsigned long want;
	uint8_t *img;
	char path[300];

	for (size_t i = 0; i < n; i++)
		natmap_apply(nm, &e[i]);
	want = answers(nm);
	tap_is_int(natfile_save(nm, snap, S(1000)), NFE_OK, "snapshot written");
	tap_ok(access(snap, F_OK) == 0, "under its final name");
	img = slurp(snap, &len);
	tap_is_uint(len, NATFILE_HDR + 5 * NATFILE_REC,
	    "a header and 5 records of 64 bytes");

	nm2 = mkmap(100);
	memset(&c, 0, sizeof(c));
	nerr = 0;
	tap_is_int(natfile_load(nm2, snap, 0, err, NULL, &c), NFE_OK,
	    "snapshot loaded");
	tap_ok(c.loaded == 5 && c.damaged == 0 && nerr == 0 &&
	    natmap_count(nm2) == 5, "5 mappings restored, nothing damaged");
	tap_ok(answers(nm2) == want, "the loaded map answers the same");
	natmap_free(nm2);

	/* expiry at load: the closed block ended at 300 s */
	nm2 = mkmap(100);
	memset(&c, 0, sizeof(c));
	natfile_load(nm2, snap, S(300), err, NULL, &c);
	tap_ok(c.expired == 1 && natmap_count(nm2) == 4,
	    "a mapping that ended before the cutoff is not loaded");
	natmap_free(nm2);

	/* the limit */
	nm2 = mkmap(2);
	memset(&c, 0, sizeof(c));
	natfile_load(nm2, snap, 0, err, NULL, &c);
	tap_ok(c.refused == 3 && natmap_count(nm2) == 2 &&
	    natmap_stats(nm2)->limit_drops == 3,
	    "a full map keeps what fits and counts the rest");
	natmap_free(nm2);

	/* every byte of every record flipped: that record only is lost */
	snprintf(path, sizeof(path), "%s/flip", dir);
	for (size_t off = NATFILE_HDR; off < len; off++) {
		size_t rec = (off - NATFILE_HDR) / NATFILE_REC;

		img[off] ^= 0x40;
		spit(path, img, len);
		img[off] ^= 0x40;
		nm2 = mkmap(100);
		memset(&c, 0, sizeof(c));
		nerr = 0;
		if (natfile_load(nm2, path, 0, err, NULL, &c) != NFE_OK ||
		    c.damaged != 1 || c.loaded != 4 || nerr != 1 ||
		    err_off[0] != NATFILE_HDR + rec * NATFILE_REC ||
		    natmap_count(nm2) != 4)
			bad_flips++;
		natmap_free(nm2);
	}
	tap_is_uint(bad_flips, 0, "every flipped byte of a record: that "
	    "record named by offset and skipped, the other 4 loaded");

	/* every truncation */
	for (size_t l = 0; l < len; l++) {
		int r;

		spit(path, img, l);
		nm2 = mkmap(100);
		memset(&c, 0, sizeof(c));
		nerr = 0;
		r = natfile_load(nm2, path, 0, err, NULL, &c);
		if (l == 0 ? r != NFE_OK : l < NATFILE_HDR ? r != NFE_CORRUPT :
		    r != NFE_OK || c.loaded != (l - NATFILE_HDR) / NATFILE_REC ||
		    c.truncated != (l - NATFILE_HDR) % NATFILE_REC ||
		    nerr != (c.truncated > 0) ||
		    (nerr > 0 && err_off[0] != l - c.truncated))
			bad_trunc++;
		natmap_free(nm2);
	}
	tap_is_uint(bad_trunc, 0, "every truncation: the whole records "
	    "before the cut load, the partial one is named");

	/* not ours, or newer */
	memcpy(path + strlen(path) - 4, "frgn", 4);
	spit(path, (const uint8_t *)"FKNJRN\0\1and then some more bytes", 32);
	nm2 = mkmap(100);
	memset(&c, 0, sizeof(c));
	tap_is_int(natfile_load(nm2, path, 0, err, NULL, &c), NFE_FORMAT,
	    "a journal is not a snapshot");
	img[8] = 2;
	spit(path, img, len);
	tap_is_int(natfile_load(nm2, path, 0, err, NULL, &c), NFE_VERSION,
	    "a newer major version is refused");
	img[8] = 1;
	img[12] = 32;
	spit(path, img, len);
	tap_is_int(natfile_load(nm2, path, 0, err, NULL, &c), NFE_VERSION,
	    "another record size is refused");
	tap_ok(natmap_count(nm2) == 0, "and nothing loaded from them");
	natmap_free(nm2);
	memcpy(path + strlen(path) - 4, "none", 4);
	errno = 0;
	tap_ok(natfile_load(nm, path, 0, err, NULL, &c) == NFE_IO &&
	    errno == ENOENT, "no snapshot: NFE_IO with ENOENT");
	free(img);
	natmap_free(nm);
}

static void
test_journal(void)
{
	struct natmap_event e[8];
	struct natfile_counts c;
	struct natjournal *j;
	struct natmap *nm = mkmap(100), *nm2;
	size_t n = events(e);
	unsigned long want;
	int fd;

	for (size_t i = 0; i < n; i++)
		natmap_apply(nm, &e[i]);
	want = answers(nm);
	nm2 = mkmap(100);
	memset(&c, 0, sizeof(c));
	tap_is_int(natjournal_open(jrn, nm2, 0, err, NULL, &c, &j), NFE_OK,
	    "new journal");
	for (size_t i = 0; i < n; i++)
		natjournal_append(j, &e[i]);
	tap_is_uint(natjournal_records(j), n, "six records buffered");
	tap_is_int(natjournal_flush(j), NFE_OK, "journal written");
	natjournal_close(j);
	natmap_free(nm2);

	nm2 = mkmap(100);
	memset(&c, 0, sizeof(c));
	nerr = 0;
	tap_is_int(natjournal_open(jrn, nm2, 0, err, NULL, &c, &j), NFE_OK,
	    "journal reopened");
	tap_ok(c.records == n && c.loaded == n && nerr == 0,
	    "six events replayed");
	tap_ok(answers(nm2) == want, "the replayed map answers the same");
	natjournal_close(j);

	/* a torn last record (a write cut by kill -9) */
	fd = open(jrn, O_WRONLY | O_APPEND);
	tap_ok(fd >= 0 && write(fd, "torn write", 10) == 10, "torn tail");
	close(fd);
	natmap_free(nm2);
	nm2 = mkmap(100);
	memset(&c, 0, sizeof(c));
	nerr = 0;
	tap_is_int(natjournal_open(jrn, nm2, 0, err, NULL, &c, &j), NFE_OK,
	    "torn journal opens");
	tap_ok(c.loaded == n && c.truncated == 10 && nerr == 1 &&
	    err_off[0] == NATFILE_HDR + n * NATFILE_REC,
	    "the partial record is named by offset, the rest replayed");
	natjournal_append(j, &e[0]);
	natjournal_sync(j);
	natjournal_close(j);
	natmap_free(nm2);
	nm2 = mkmap(100);
	memset(&c, 0, sizeof(c));
	nerr = 0;
	natjournal_open(jrn, nm2, 0, err, NULL, &c, &j);
	tap_ok(c.records == n + 1 && nerr == 0 && answers(nm2) == want,
	    "records appended after the cut replay, an event twice is harmless");

	/* snapshot then journal: the restart's order */
	tap_is_int(natfile_save(nm2, snap, S(1000)), NFE_OK, "snapshot");
	tap_is_int(natjournal_reset(j), NFE_OK, "journal emptied");
	tap_is_uint(natjournal_records(j), 0, "no record left");
	natjournal_close(j);
	natmap_free(nm2);
	nm2 = mkmap(100);
	memset(&c, 0, sizeof(c));
	natfile_load(nm2, snap, 0, err, NULL, &c);
	natjournal_open(jrn, nm2, 0, err, NULL, &c, &j);
	tap_ok(answers(nm2) == want && natmap_count(nm2) == 5,
	    "snapshot + emptied journal: the same map");
	natjournal_close(j);
	natmap_free(nm2);

	/* a header cut short (a crash while creating it): start afresh */
	fd = open(jrn, O_WRONLY | O_TRUNC);
	tap_ok(fd >= 0 && write(fd, "FKNJR", 5) == 5, "journal of 5 bytes");
	close(fd);
	nm2 = mkmap(100);
	memset(&c, 0, sizeof(c));
	tap_is_int(natjournal_open(jrn, nm2, 0, err, NULL, &c, &j), NFE_OK,
	    "a journal whose header was cut opens afresh");
	natjournal_close(j);
	natmap_free(nm2);
	spit(jrn, (const uint8_t *)"FKSJRN\0\1 the session journal", 28);
	nm2 = mkmap(100);
	tap_is_int(natjournal_open(jrn, nm2, 0, err, NULL, &c, &j),
	    NFE_FORMAT, "another file under its name is left alone");
	natmap_free(nm2);
	natmap_free(nm);
}

int
main(void)
{
	tap_no_plan();
	if (mkdtemp(dir) == NULL)
		return 1;
	snprintf(snap, sizeof(snap), "%s/snap", dir);
	snprintf(jrn, sizeof(jrn), "%s/jrn", dir);
	test_snapshot();
	test_journal();
	{
		char cmd[300];

		snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
		if (system(cmd) != 0)
			tap_diag("cannot remove %s", dir);
	}
	return tap_done();
}
