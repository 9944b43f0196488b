/*
 * tests/t_sessdb.c -- the session store (common/enrich/sessdb.h): the
 * boundary rules (half-open sessions, handover, overlap, longest prefix,
 * flows around a session), RADIUS-shaped events (Start, Interim, Stop,
 * a missing Stop, Interim only, Accounting-Off), expiry, limits, the
 * walk/restore round trip, and a randomised comparison with a brute
 * force model of "the latest start wins, the longest holder gets it".
 */
#include "common/base/compat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/base/addr.h"
#include "common/base/nferr.h"
#include "common/enrich/sessdb.h"
#include "tap.h"

#define S(x)	((uint64_t)(x) * 1000)	/* seconds to ms */

static struct sessdb *
mkdb(uint64_t timeout_ms, uint64_t keep_ms)
{
	struct sessdb_conf c;
	struct sessdb *db;

	sessdb_conf_default(&c);
	c.timeout_ms = timeout_ms;
	c.keep_ms = keep_ms;
	if (sessdb_new(&c, &db) != NFE_OK)
		abort();
	return db;
}

static void
ev_init(struct sessdb_event *ev, int kind, const char *pfx, const char *user)
{
	memset(ev, 0, sizeof(*ev));
	ev->kind = kind;
	if (pfx != NULL) {
		if (prefix_parse(pfx, true, &ev->pfx[0]) != NFE_OK)
			abort();
		ev->npfx = 1;
	}
	ev->user = user;
	ev->user_len = user != NULL ? strlen(user) : 0;
}

static int
add_session(struct sessdb *db, const char *pfx, uint64_t start, uint64_t stop,
    const char *user)
{
	struct sessdb_event ev;

	ev_init(&ev, SESSDB_SESSION, pfx, user);
	ev.start_ms = start;
	ev.stop_ms = stop;
	return sessdb_apply(db, &ev);
}

static int
radius(struct sessdb *db, int kind, const char *sid, const char *pfx,
    uint64_t t, const char *user)
{
	struct sessdb_event ev;
	struct nf_addr nas;

	addr_parse("192.0.2.1", &nas);
	ev_init(&ev, kind, pfx, user);
	ev.time_ms = t;
	ev.nas = nas;
	ev.sid = sessdb_sid(&nas, sid, strlen(sid));
	return sessdb_apply(db, &ev);
}

/* The user of addr over [first, last], "-" if none. */
static const char *
who(const struct sessdb *db, const char *addr, uint64_t first, uint64_t last)
{
	struct nf_addr a;
	uint32_t id;

	if (addr_parse(addr, &a) != NFE_OK)
		abort();
	id = sessdb_lookup(db, &a, first, last);
	return id == 0 ? "-" : sessdb_user(db, id);
}

static void
test_boundaries(void)
{
	struct sessdb *db = mkdb(S(3600), SESSDB_KEEP_ALL);

	add_session(db, "10.0.0.1", S(1000), S(1100), "alice");
	add_session(db, "10.0.0.1", S(1101), S(1200), "bob");
	tap_is_str(who(db, "10.0.0.1", S(999), S(999)), "-", "before the session");
	tap_is_str(who(db, "10.0.0.1", S(1000), S(1000)), "alice", "at its start");
	tap_is_str(who(db, "10.0.0.1", S(1100) - 1, S(1100) - 1), "alice",
	    "its last millisecond");
	tap_is_str(who(db, "10.0.0.1", S(1100), S(1100)), "-",
	    "at its stop: [start, stop) is half open");
	tap_is_str(who(db, "10.0.0.1", S(1101), S(1101)), "bob",
	    "handed to another user one second after the Stop");
	tap_is_str(who(db, "10.0.0.1", S(1095), S(1105)), "alice",
	    "a flow across the handover: alice 5 s, bob 4 s");
	tap_is_str(who(db, "10.0.0.1", S(1098), S(1110)), "bob",
	    "a flow across the handover: alice 2 s, bob 9 s");
	tap_is_str(who(db, "10.0.0.2", S(1050), S(1050)), "-", "another address");
	add_session(db, "10.0.0.3", S(2000), S(2010), "carol");
	tap_is_str(who(db, "10.0.0.3", S(1990), S(2020)), "carol",
	    "a flow that starts before a session and ends after it");
	tap_is_str(who(db, "10.0.0.3", S(1990), S(1999)), "-",
	    "a flow that ends before the session");
	sessdb_free(db);
}

static void
test_overlap_and_prefixes(void)
{
	struct sessdb *db = mkdb(S(3600), SESSDB_KEEP_ALL);

	add_session(db, "10.1.0.1", S(0) + 1, S(100), "old");
	add_session(db, "10.1.0.1", S(50), S(150), "new");
	tap_is_str(who(db, "10.1.0.1", S(60), S(60)), "new",
	    "overlap: the latest start wins");
	tap_is_str(who(db, "10.1.0.1", S(40), S(70)), "new",
	    "overlap: old holds 10 s of the flow, new 20 s");
	tap_is_str(who(db, "10.1.0.1", S(10), S(55)), "old",
	    "overlap: old holds 40 s of the flow, new 5 s");
	tap_is_str(who(db, "10.1.0.1", S(120), S(120)), "new", "after old ended");
	/* a session nested inside an older one */
	add_session(db, "10.1.0.2", S(0) + 1, S(1000), "outer");
	add_session(db, "10.1.0.2", S(100), S(200), "inner");
	tap_is_str(who(db, "10.1.0.2", S(150), S(150)), "inner", "nested: inside");
	tap_is_str(who(db, "10.1.0.2", S(300), S(300)), "outer",
	    "nested: the older session holds again after the newer ends");

	add_session(db, "2001:db8:1::/48", S(0) + 1, S(1000), "delegated");
	add_session(db, "2001:db8:1:2::/64", S(0) + 1, S(1000), "framed");
	add_session(db, "2001:db8:1:2::9/128", S(0) + 1, S(500), "host");
	add_session(db, "10.2.0.0/24", S(0) + 1, S(1000), "pool");
	add_session(db, "10.2.0.7", S(0) + 1, S(1000), "seven");
	tap_is_str(who(db, "2001:db8:1:2::9", S(10), S(10)), "host",
	    "IPv6: the longest prefix wins");
	tap_is_str(who(db, "2001:db8:1:2::9", S(600), S(600)), "framed",
	    "IPv6: a shorter prefix when the longest has no session then");
	tap_is_str(who(db, "2001:db8:1:2::1", S(10), S(10)), "framed",
	    "IPv6: /64");
	tap_is_str(who(db, "2001:db8:1:ff::1", S(10), S(10)), "delegated",
	    "IPv6: delegated /48");
	tap_is_str(who(db, "2001:db8:2::1", S(10), S(10)), "-", "IPv6: outside");
	tap_is_str(who(db, "10.2.0.7", S(10), S(10)), "seven", "IPv4 /32 in a /24");
	tap_is_str(who(db, "10.2.0.8", S(10), S(10)), "pool", "IPv4 /24");
	tap_is_str(who(db, "::ffff:10.2.0.9", S(10), S(10)), "pool",
	    "IPv4-mapped text is IPv4");
	sessdb_free(db);
}

static void
test_radius_events(void)
{
	struct sessdb *db = mkdb(S(600), SESSDB_KEEP_ALL);
	struct sessdb_event ev;
	const struct sessdb_stats *st = sessdb_stats(db);

	radius(db, SESSDB_START, "s1", "10.3.0.1", S(100), "ann");
	radius(db, SESSDB_INTERIM, "s1", "10.3.0.1", S(400), "ann");
	radius(db, SESSDB_STOP, "s1", "10.3.0.1", S(900), "ann");
	tap_is_str(who(db, "10.3.0.1", S(899), S(899)), "ann", "Start..Stop");
	tap_is_str(who(db, "10.3.0.1", S(900), S(900)), "-", "after the Stop");
	/* a missing Stop: the session ends timeout after its last news */
	radius(db, SESSDB_START, "s2", "10.3.0.2", S(100), "ben");
	radius(db, SESSDB_INTERIM, "s2", "10.3.0.2", S(300), "ben");
	tap_is_str(who(db, "10.3.0.2", S(899), S(899)), "ben",
	    "missing Stop: held until the timeout after the last Interim");
	tap_is_str(who(db, "10.3.0.2", S(900), S(900)), "-",
	    "missing Stop: ended at last Interim + timeout");
	/* Interim-Updates only, with the session time */
	ev_init(&ev, SESSDB_INTERIM, "10.3.0.3", "cid");
	ev.time_ms = S(1000);
	ev.start_ms = S(700);
	ev.sid = 77;
	sessdb_apply(db, &ev);
	tap_is_str(who(db, "10.3.0.3", S(700), S(700)), "cid",
	    "Interim only: starts at the Interim's time minus the session time");
	tap_is_str(who(db, "10.3.0.3", S(699), S(699)), "-",
	    "Interim only: not before");
	tap_is_uint(st->interim_new, 1, "an Interim of an unknown session counted");
	/* a per-session timeout below the store's */
	ev_init(&ev, SESSDB_START, "10.3.0.4", "dee");
	ev.time_ms = S(0) + 1;
	ev.sid = 78;
	ev.timeout_s = 60;
	sessdb_apply(db, &ev);
	tap_is_str(who(db, "10.3.0.4", S(59), S(59)), "dee", "own timeout: within");
	tap_is_str(who(db, "10.3.0.4", S(61), S(61)), "-", "own timeout: after");
	/* Accounting-Off closes every open session of the NAS */
	radius(db, SESSDB_START, "s5", "10.3.0.5", S(100), "eve");
	radius(db, SESSDB_START, "s6", "2001:db8:5::/56", S(100), "eve");
	ev_init(&ev, SESSDB_NAS_OFF, NULL, NULL);
	addr_parse("192.0.2.1", &ev.nas);
	ev.time_ms = S(200);
	sessdb_apply(db, &ev);
	tap_is_str(who(db, "10.3.0.5", S(199), S(199)), "eve", "before Off");
	tap_is_str(who(db, "2001:db8:5::1", S(200), S(200)), "-", "after Off");
	tap_ok(st->nas_closes >= 2, "Accounting-Off closed the open sessions (%llu)",
	    (unsigned long long)st->nas_closes);
	/* a Stop of an unknown session without a start is counted, not kept */
	radius(db, SESSDB_STOP, "s9", "10.3.0.9", S(100), "who");
	tap_is_uint(st->stop_unknown, 1, "Stop of an unknown session counted");
	tap_is_str(who(db, "10.3.0.9", S(50), S(50)), "-", "and adds nothing");
	/* events that cannot be applied */
	ev_init(&ev, SESSDB_START, NULL, "x");
	tap_is_int(sessdb_apply(db, &ev), NFE_INVAL, "no address");
	tap_is_int(add_session(db, "10.3.0.8", S(10), S(10), "x"), NFE_INVAL,
	    "stop not after start");
	/* a replayed whole session is the same session */
	add_session(db, "10.3.0.10", S(10), S(20), "fay");
	add_session(db, "10.3.0.10", S(10), S(20), "fay");
	{
		struct sessdb_info inf;
		size_t before;

		sessdb_info(db, &inf);
		before = inf.sessions;
		add_session(db, "10.3.0.10", S(10), S(20), "fay");
		sessdb_info(db, &inf);
		tap_is_uint(inf.sessions, before, "a replayed session is not added twice");
	}
	sessdb_free(db);
}

static void
test_expire_and_limits(void)
{
	struct sessdb *db = mkdb(S(100), S(50));
	struct sessdb_conf c;
	struct sessdb_info inf;
	const struct sessdb_stats *st = sessdb_stats(db);
	char a[32];
	int r = NFE_OK;

	radius(db, SESSDB_START, "e1", "10.4.0.1", S(0) + 1, "u1");
	add_session(db, "10.4.0.2", S(0) + 1, S(10), "u2");
	add_session(db, "10.4.0.3", S(0) + 1, S(500), "u3");
	sessdb_expire(db, S(120));
	tap_is_uint(st->timeouts, 1, "the open session timed out");
	tap_is_uint(st->expired, 1, "the closed session past keep was dropped");
	tap_is_str(who(db, "10.4.0.2", S(5), S(5)), "-", "dropped session gone");
	tap_is_str(who(db, "10.4.0.1", S(50), S(50)), "u1",
	    "a timed-out session is kept for keep");
	tap_is_str(who(db, "10.4.0.3", S(50), S(50)), "u3", "a live session kept");
	{
		size_t steps = 0;

		/* the same a slot at a time: nothing is gone until its slot */
		while (steps++ < 2 * sessdb_slots(db)) {
			sessdb_expire_step(db, S(1000), 1);
			sessdb_info(db, &inf);
			if (inf.sessions == 0)
				break;
		}
		tap_ok(steps > 1 && steps <= sessdb_slots(db) + 1,
		    "expire in steps of one slot: all gone within one sweep "
		    "(%zu steps of %zu slots)", steps, sessdb_slots(db));
	}
	sessdb_expire(db, S(1000));
	sessdb_info(db, &inf);
	tap_is_uint(inf.sessions, 0, "everything gone after keep");
	tap_is_uint(inf.prefixes, 0, "prefixes freed with their sessions");
	tap_is_uint(inf.users, 0, "user names freed with their sessions");
	sessdb_free(db);

	sessdb_conf_default(&c);
	c.max_sessions = 10;
	sessdb_new(&c, &db);
	st = sessdb_stats(db);
	for (int i = 0; i < 20; i++) {
		snprintf(a, sizeof(a), "10.5.0.%d", i);
		if ((r = add_session(db, a, S(1), S(2), "x")) != NFE_OK)
			break;
	}
	tap_is_int(r, NFE_LIMIT, "max_sessions reached: NFE_LIMIT");
	tap_is_uint(st->limit_drops, 1, "and counted");
	sessdb_free(db);
}

static int
copy_cb(void *arg, const struct nf_prefix *p, const struct sessdb_rec *recs,
    size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (sessdb_restore(arg, p, &recs[i]) != NFE_OK)
			return NFE_INTERNAL;
	return NFE_OK;
}

/* Tiny deterministic generator. */
static uint64_t
rnd(uint64_t *st)
{
	*st ^= *st << 13;
	*st ^= *st >> 7;
	*st ^= *st << 17;
	return *st;
}

struct msess {
	uint64_t	 start, stop;
	int		 user;
};

/* Brute force: per millisecond the latest start holds; most ms wins. */
static int
model(const struct msess *m, int n, uint64_t f, uint64_t l)
{
	int cnt[16] = { 0 }, best = -1, bestn = 0;

	for (uint64_t t = f; t <= l; t++) {
		int h = -1;

		for (int i = 0; i < n; i++)
			if (m[i].start <= t && t < m[i].stop &&
			    (h < 0 || m[i].start > m[h].start))
				h = i;
		if (h >= 0)
			cnt[h]++;
	}
	for (int i = 0; i < n; i++)
		if (cnt[i] > bestn || (cnt[i] == bestn && bestn > 0 &&
		    m[i].start > m[best].start)) {
			best = i;
			bestn = cnt[i];
		}
	return best < 0 ? -1 : m[best].user;
}

static void
test_random_model_and_restore(void)
{
	uint64_t st = 0x9e3779b97f4a7c15u;
	int bad = 0, badr = 0, checks = 0;

	for (int round = 0; round < 200; round++) {
		struct sessdb *db = mkdb(S(3600), SESSDB_KEEP_ALL), *db2;
		struct msess m[6];
		int n = 1 + (int)(rnd(&st) % 6);
		char name[8];

		for (int i = 0; i < n; i++) {
			/* distinct starts, so "latest start" is defined */
			m[i].start = 1 + (uint64_t)i * 7 + rnd(&st) % 7;
			m[i].stop = m[i].start + 1 + rnd(&st) % 60;
			m[i].user = i;
		}
		for (int i = n - 1; i > 0; i--) {	/* random order */
			int j = (int)(rnd(&st) % (uint64_t)(i + 1));
			struct msess t = m[i];

			m[i] = m[j];
			m[j] = t;
		}
		for (int i = 0; i < n; i++) {
			snprintf(name, sizeof(name), "u%d", m[i].user);
			add_session(db, "10.9.9.9", m[i].start, m[i].stop, name);
		}
		sessdb_new(&(struct sessdb_conf){ 100, 100, 1 << 20, 16,
		    S(3600), SESSDB_KEEP_ALL }, &db2);
		sessdb_walk(db, copy_cb, db2);
		for (int q = 0; q < 30; q++) {
			uint64_t f = rnd(&st) % 110, l = f + rnd(&st) % 40;
			int want = model(m, n, f, l);
			const char *got = who(db, "10.9.9.9", f, l);
			const char *got2 = who(db2, "10.9.9.9", f, l);
			char w[8];

			snprintf(w, sizeof(w), want < 0 ? "-" : "u%d", want);
			checks++;
			if (strcmp(w, got) != 0) {
				if (bad++ < 5)
					tap_diag("round %d flow [%llu,%llu]: "
					    "want %s got %s", round,
					    (unsigned long long)f,
					    (unsigned long long)l, w, got);
			}
			if (strcmp(got, got2) != 0)
				badr++;
		}
		sessdb_free(db);
		sessdb_free(db2);
	}
	tap_ok(bad == 0, "lookups agree with the brute-force model (%d of %d differ)",
	    bad, checks);
	tap_ok(badr == 0, "a walked and restored store answers the same (%d differ)",
	    badr);
}

static void
test_restore_open(void)
{
	struct sessdb *db = mkdb(S(600), SESSDB_KEEP_ALL), *db2 = mkdb(S(600),
	    SESSDB_KEEP_ALL);

	radius(db, SESSDB_START, "r1", "10.6.0.1", S(100), "gus");
	sessdb_walk(db, copy_cb, db2);
	radius(db2, SESSDB_INTERIM, "r1", "10.6.0.1", S(650), "gus");
	tap_is_str(who(db2, "10.6.0.1", S(1200), S(1200)), "gus",
	    "a restored open session takes its Interim");
	radius(db2, SESSDB_STOP, "r1", "10.6.0.1", S(700), "gus");
	tap_is_str(who(db2, "10.6.0.1", S(700), S(700)), "-",
	    "and its Stop");
	sessdb_free(db);
	sessdb_free(db2);
}

int
main(void)
{
	tap_no_plan();
	test_boundaries();
	test_overlap_and_prefixes();
	test_radius_events();
	test_expire_and_limits();
	test_random_model_and_restore();
	test_restore_open();
	return tap_done();
}
