/*
 * tests/t_sessjoin.c -- the join's direction rule
 * (common/enrich/sessjoin.h): a subscriber as source or destination,
 * both parties inside, neither, CGNAT port blocks in both directions,
 * no --inside, and the batch lookup against one at a time.
 */
#include "common/base/compat.h"

#include <stdio.h>
#include <string.h>

#include "common/base/addr.h"
#include "common/base/flowrec.h"
#include "common/base/nferr.h"
#include "common/enrich/natmap.h"
#include "common/enrich/sessdb.h"
#include "common/enrich/sessjoin.h"
#include "tap.h"

#define S(x)	((uint64_t)(x) * 1000)

static struct sessdb *db;

static void
session(const char *pfx, uint64_t start, uint64_t stop, const char *user)
{
	struct sessdb_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.kind = SESSDB_SESSION;
	prefix_parse(pfx, false, &ev.pfx[0]);
	ev.npfx = 1;
	ev.start_ms = start;
	ev.stop_ms = stop;
	ev.user = user;
	ev.user_len = strlen(user);
	sessdb_apply(db, &ev);
}

static struct flowrec
flow(const char *src, uint16_t sp, const char *dst, uint16_t dp, uint64_t t)
{
	struct flowrec r;

	flowrec_init(&r);
	addr_parse(src, &r.src);
	addr_parse(dst, &r.dst);
	r.src_port = sp;
	r.dst_port = dp;
	r.first_ms = t;
	r.last_ms = t + 1000;
	return r;
}

static const char *
user(const struct sessjoin *j, struct flowrec r)
{
	uint32_t u = sessjoin_flow(j, &r);

	return u == 0 ? "-" : sessdb_user(db, u);
}

int
main(void)
{
	struct sessdb_conf c;
	struct sessjoin j, all;
	struct natmap *nm;
	struct natmap_event ne;
	struct nf_prefix p;
	struct nf_addr in, out;
	struct flowrec recs[1000];
	uint32_t got[1000];
	int bad = 0;

	tap_no_plan();
	sessdb_conf_default(&c);
	sessdb_new(&c, &db);
	session("100.64.0.1", S(100), S(200), "alice");
	session("100.64.0.2", S(100), S(200), "bob");
	session("2001:db8:a::/48", S(100), S(200), "carol");
	session("10.0.0.5", S(100), S(200), "dan");	/* behind the CGNAT */
	session("192.0.2.77", S(100), S(200), "server-side");

	memset(&j, 0, sizeof(j));
	j.db = db;
	prefix_parse("100.64.0.0/10", false, &p);
	sessjoin_inside(&j, &p);
	prefix_parse("10.0.0.0/8", false, &p);
	sessjoin_inside(&j, &p);
	prefix_parse("2001:db8::/32", false, &p);
	sessjoin_inside(&j, &p);

	tap_is_str(user(&j, flow("100.64.0.1", 5000, "192.0.2.77", 443, S(150))),
	    "alice", "subscriber as source (the outside party's session is "
	    "not looked at)");
	tap_is_str(user(&j, flow("192.0.2.77", 443, "100.64.0.1", 5000, S(150))),
	    "alice", "subscriber as destination");
	tap_is_str(user(&j, flow("2001:db8:a:1::5", 1, "2001:4860::1", 53,
	    S(150))), "carol", "IPv6: a delegated prefix");
	tap_is_str(user(&j, flow("100.64.0.1", 1, "100.64.0.2", 2, S(150))),
	    "alice", "both inside: the source's user");
	tap_is_str(user(&j, flow("100.64.0.9", 1, "100.64.0.2", 2, S(150))),
	    "bob", "both inside, the source without a session: the destination's");
	tap_is_str(user(&j, flow("192.0.2.1", 1, "192.0.2.77", 2, S(150))), "-",
	    "neither inside: no user");
	tap_is_str(user(&j, flow("100.64.0.1", 1, "192.0.2.77", 2, S(250))), "-",
	    "inside but outside every session: no user");

	natmap_new(1000, S(3600), &nm);
	addr_parse("10.0.0.5", &in);
	addr_parse("198.51.100.1", &out);
	natmap_event_of(NATEV_BLOCK_ALLOC, S(90), &in, 0, &out, 0, 1024, 1535,
	    1, &ne);
	natmap_apply(nm, &ne);
	j.nat = nm;
	tap_is_str(user(&j, flow("198.51.100.1", 1100, "192.0.2.77", 443,
	    S(150))), "dan", "CGNAT: the public source address and port of a "
	    "port block");
	tap_is_str(user(&j, flow("192.0.2.77", 443, "198.51.100.1", 1100,
	    S(150))), "dan", "CGNAT: the public destination of the answer");
	tap_is_str(user(&j, flow("198.51.100.1", 2000, "192.0.2.77", 443,
	    S(150))), "-", "CGNAT: a port outside the block");
	tap_is_str(user(&j, flow("198.51.100.1", 1100, "192.0.2.77", 443,
	    S(80))), "-", "CGNAT: before the block was allocated");

	memset(&all, 0, sizeof(all));
	all.db = db;
	tap_is_str(user(&all, flow("192.0.2.1", 1, "192.0.2.77", 2, S(150))),
	    "server-side", "no --inside: any address with a session");

	for (int i = 0; i < 1000; i++) {
		char a[32];

		snprintf(a, sizeof(a), "100.64.0.%d", i % 4);
		recs[i] = i % 3 == 0 ? flow(a, 1, "192.0.2.1", 2, S(50 + i % 200)) :
		    flow("192.0.2.9", 1, i % 5 == 0 ? "198.51.100.1" : a,
		    (uint16_t)(1000 + i), S(50 + i % 200));
	}
	sessjoin_batch(&j, recs, 1000, got);
	for (int i = 0; i < 1000; i++)
		if (got[i] != sessjoin_flow(&j, &recs[i]))
			bad++;
	tap_ok(bad == 0, "the batch lookup agrees with one at a time (%d differ)",
	    bad);
	natmap_free(nm);
	sessdb_free(db);
	return tap_done();
}
