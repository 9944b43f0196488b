/*
 * tests/t_sessfile.c -- the session snapshot and journal
 * (common/enrich/sessfile.h): round trips, a damaged snapshot refused
 * whole, every truncation refused, a torn journal tail cut off, and the
 * event codec's truncation sweep.
 */
#include "common/base/compat.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/base/addr.h"
#include "common/base/nferr.h"
#include "common/enrich/sessdb.h"
#include "common/enrich/sessfile.h"
#include "tap.h"

#define S(x)	((uint64_t)(x) * 1000)

static char dir[] = "/tmp/t_sessfile.XXXXXX";

static struct sessdb *
mkdb(void)
{
	struct sessdb_conf c;
	struct sessdb *db;

	sessdb_conf_default(&c);
	c.timeout_ms = S(600);
	if (sessdb_new(&c, &db) != NFE_OK)
		abort();
	return db;
}

static void
mkev(struct sessdb_event *ev, int kind, const char *pfx, const char *pfx2,
    uint64_t t, const char *sid, const char *user)
{
	memset(ev, 0, sizeof(*ev));
	ev->kind = kind;
	ev->time_ms = t;
	addr_parse("198.51.100.7", &ev->nas);
	ev->sid = sessdb_sid(&ev->nas, sid, strlen(sid));
	prefix_parse(pfx, true, &ev->pfx[ev->npfx++]);
	if (pfx2 != NULL)
		prefix_parse(pfx2, true, &ev->pfx[ev->npfx++]);
	ev->user = user;
	ev->user_len = strlen(user);
	ev->timeout_s = 300;
}

/* A fingerprint of the store's answers over a grid. */
static unsigned long
answers(const struct sessdb *db)
{
	static const char *addrs[] = { "10.0.0.1", "10.0.0.2", "10.0.0.3",
	    "2001:db8:0:1::5", "2001:db8:0:2::5", "10.0.0.4" };
	unsigned long h = 5381;

	for (size_t i = 0; i < NF_NELEM(addrs); i++) {
		struct nf_addr a;

		addr_parse(addrs[i], &a);
		for (uint64_t t = 0; t < 2000; t += 7) {
			uint32_t id = sessdb_lookup(db, &a, S(t), S(t) + 500);
			const char *u = id ? sessdb_user(db, id) : "-";

			for (; *u != '\0'; u++)
				h = h * 33 + (unsigned char)*u;
			h = h * 33 + '|';
		}
	}
	return h;
}

static void
fill(struct sessdb *db)
{
	struct sessdb_event ev;

	mkev(&ev, SESSDB_START, "10.0.0.1", "2001:db8:0:1::/64", S(100), "a", "ann");
	sessdb_apply(db, &ev);
	mkev(&ev, SESSDB_STOP, "10.0.0.1", NULL, S(400), "a", "ann");
	sessdb_apply(db, &ev);
	mkev(&ev, SESSDB_START, "10.0.0.1", NULL, S(401), "b", "bob");
	sessdb_apply(db, &ev);
	mkev(&ev, SESSDB_SESSION, "10.0.0.2", NULL, 0, "c", "cy");
	ev.start_ms = S(10);
	ev.stop_ms = S(1500);
	sessdb_apply(db, &ev);
	mkev(&ev, SESSDB_START, "2001:db8:0:2::/56", NULL, S(300), "d", "dee");
	sessdb_apply(db, &ev);
	mkev(&ev, SESSDB_INTERIM, "10.0.0.3", NULL, S(900), "e", "eve");
	ev.start_ms = S(600);
	sessdb_apply(db, &ev);
}

static void
test_snapshot(void)
{
	struct sessdb *db = mkdb(), *db2 = mkdb();
	char path[256];
	FILE *f;
	long size;
	uint8_t *img;
	size_t n;
	int bad = 0;

	fill(db);
	snprintf(path, sizeof(path), "%s/sessions", dir);
	tap_is_int(sessfile_save(db, path, S(1000)), NFE_OK, "snapshot written");
	tap_ok(access(path, F_OK) == 0, "under its final name");
	tap_is_int(sessfile_load(db2, path, &n), NFE_OK, "snapshot loaded");
	tap_is_uint(n, 6, "six sessions restored");
	tap_ok(answers(db) == answers(db2), "the loaded store answers the same");
	{
		struct sessdb_event ev;

		/* the open session restored keeps its id: its Stop applies */
		mkev(&ev, SESSDB_STOP, "10.0.0.1", NULL, S(1200), "b", "bob");
		sessdb_apply(db, &ev);
		sessdb_apply(db2, &ev);
		tap_ok(answers(db) == answers(db2),
		    "an open session's Stop applies after a restart");
	}
	sessdb_free(db2);

	/* every truncation and a flipped byte: refused, nothing restored */
	f = fopen(path, "rb");
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	rewind(f);
	img = malloc((size_t)size);
	if (fread(img, 1, (size_t)size, f) != (size_t)size)
		abort();
	fclose(f);
	for (long cut = 0; cut < size; cut++) {
		int rc;

		f = fopen(path, "wb");
		fwrite(img, 1, (size_t)cut, f);
		fclose(f);
		db2 = mkdb();
		rc = sessfile_load(db2, path, &n);
		if ((rc != NFE_FORMAT && rc != NFE_CORRUPT) || n != 0)
			bad++;
		sessdb_free(db2);
	}
	tap_ok(bad == 0, "every truncated snapshot refused whole (%d not)", bad);
	img[size / 2] ^= 0x40;
	f = fopen(path, "wb");
	fwrite(img, 1, (size_t)size, f);
	fclose(f);
	db2 = mkdb();
	tap_is_int(sessfile_load(db2, path, &n), NFE_CORRUPT, "a flipped bit: corrupt");
	sessdb_free(db2);
	img[size / 2] ^= 0x40;
	img[8] = 9;	/* major version */
	f = fopen(path, "wb");
	fwrite(img, 1, (size_t)size, f);
	fclose(f);
	db2 = mkdb();
	tap_is_int(sessfile_load(db2, path, &n), NFE_VERSION, "a newer major version");
	sessdb_free(db2);
	free(img);
	db2 = mkdb();
	snprintf(path, sizeof(path), "%s/none", dir);
	tap_ok(sessfile_load(db2, path, &n) == NFE_IO && errno == ENOENT,
	    "no snapshot: NFE_IO with ENOENT");
	sessdb_free(db2);
	sessdb_free(db);
}

static void
test_journal(void)
{
	struct sessdb *db = mkdb(), *db2 = mkdb(), *db3 = mkdb();
	struct sessjournal *j;
	struct sessdb_event ev, back;
	uint8_t buf[SESSJOURNAL_MAX_EVENT];
	char path[256];
	size_t n, len;
	int bad = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/journal", dir);
	tap_is_int(sessjournal_open(path, NULL, &j, &n), NFE_OK, "new journal");
	/* the same events to the store and to the journal */
	mkev(&ev, SESSDB_START, "10.0.0.1", "2001:db8:0:1::/64", S(100), "a", "ann");
	sessdb_apply(db, &ev);
	sessjournal_append(j, &ev);
	mkev(&ev, SESSDB_STOP, "10.0.0.1", NULL, S(400), "a", "ann");
	sessdb_apply(db, &ev);
	sessjournal_append(j, &ev);
	mkev(&ev, SESSDB_START, "10.0.0.3", NULL, S(500), "x", "xi");
	sessdb_apply(db, &ev);
	sessjournal_append(j, &ev);
	tap_is_int(sessjournal_sync(j), NFE_OK, "journal synced");
	sessjournal_close(j);
	tap_is_int(sessjournal_open(path, db2, &j, &n), NFE_OK, "journal reopened");
	tap_is_uint(n, 3, "three events replayed");
	tap_ok(answers(db) == answers(db2), "the replayed store answers the same");
	sessjournal_close(j);
	/* a torn record at the end */
	f = fopen(path, "ab");
	fwrite("\x30\x00\x00\x00\x01\x02", 1, 6, f);
	fclose(f);
	tap_is_int(sessjournal_open(path, db3, &j, &n), NFE_OK, "torn journal opens");
	tap_is_uint(n, 3, "the torn record is dropped");
	mkev(&ev, SESSDB_START, "10.0.0.4", NULL, S(50), "y", "yo");
	sessjournal_append(j, &ev);
	sessjournal_sync(j);
	sessjournal_close(j);
	sessdb_free(db3);
	db3 = mkdb();
	sessjournal_open(path, db3, &j, &n);
	tap_is_uint(n, 4, "records appended after the cut replay");
	tap_is_int(sessjournal_reset(j), NFE_OK, "reset");
	sessjournal_close(j);
	sessjournal_open(path, NULL, &j, &n);
	tap_is_uint(n, 0, "an emptied journal replays nothing");
	sessjournal_close(j);

	/* the event codec */
	mkev(&ev, SESSDB_INTERIM, "10.0.0.1", "2001:db8::/48", S(7), "q", "quinn");
	ev.start_ms = S(3);
	tap_is_int(sessjournal_encode(&ev, buf, sizeof(buf), &len), NFE_OK, "encode");
	tap_is_int(sessjournal_decode(buf, len, &back), NFE_OK, "decode");
	tap_ok(back.kind == ev.kind && back.time_ms == ev.time_ms &&
	    back.start_ms == ev.start_ms && back.sid == ev.sid &&
	    back.npfx == 2 && back.pfx[1].len == 48 &&
	    addr_eq(&back.pfx[1].addr, &ev.pfx[1].addr) &&
	    back.user_len == 5 && memcmp(back.user, "quinn", 5) == 0 &&
	    back.timeout_s == 300 && addr_eq(&back.nas, &ev.nas),
	    "the event round-trips");
	for (size_t cut = 0; cut < len; cut++) {
		int rc = sessjournal_decode(buf, cut, &back);

		if (rc != NFE_TRUNC && rc != NFE_FORMAT)
			bad++;
	}
	tap_ok(bad == 0, "every proper prefix of an event is refused");
	sessdb_free(db);
	sessdb_free(db2);
	sessdb_free(db3);
}

int
main(void)
{
	char cmd[300];

	if (mkdtemp(dir) == NULL)
		return 1;
	tap_no_plan();
	test_snapshot();
	test_journal();
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd) != 0)
		tap_diag("could not remove %s", dir);
	return tap_done();
}
