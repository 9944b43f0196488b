/*
 * tests/t_exporter.c -- collector/exporter: keying, the bound, counters
 * and sequence accounting, and held data sets.  (Reading the exporter
 * key from a header is the codec table's peek: tests/t_codec.c.)
 */
#include "common/base/compat.h"

#include <string.h>

#include "collector/exporter.h"
#include "common/base/nferr.h"
#include "tap.h"

static void
test_keying(void)
{
	struct exporter_table t;
	struct nf_addr a, b;
	struct exporter *e1, *e2, *e3, *e4;

	exporter_table_init(&t, 3, NULL);
	addr_parse("192.0.2.1", &a);
	addr_parse("2001:db8::1", &b);
	e1 = exporter_get(&t, &a, 1000, 9, 7);
	e2 = exporter_get(&t, &a, 1001, 9, 7);
	tap_ok(e1 != NULL && e1 == e2 && e1->port == 1001,
	    "same address/version/domain, new port: same exporter");
	tap_is_str(e1->name, "192.0.2.1 v9/7", "name");
	e3 = exporter_get(&t, &a, 1000, 9, 8);
	tap_ok(e3 != NULL && e3 != e1, "other domain: other exporter");
	e4 = exporter_get(&t, &b, 1000, 10, 7);
	tap_ok(e4 != NULL && e4 != e1 && e4 != e3, "IPv6 exporter");
	tap_ok(exporter_get(&t, &b, 1000, 5, 0) == NULL && t.refused == 1,
	    "fourth exporter refused at the bound and counted");
	tap_ok(exporter_get(&t, &b, 1, 10, 7) == e4, "known one still found");
	tap_is_uint(t.n, 3, "three exporters");
	exporter_table_fini(&t);
}

/* Two tables (two workers) sharing ids and the bound. */
static void
test_shared(void)
{
	struct exporter_ids ids;
	struct exporter_table t1, t2;
	struct nf_addr a, b, c, d;
	struct exporter *e1, *e2, *e3;

	exporter_ids_init(&ids, 3);
	exporter_table_init(&t1, 3, &ids);
	exporter_table_init(&t2, 3, &ids);
	addr_parse("192.0.2.1", &a);
	addr_parse("192.0.2.2", &b);
	addr_parse("192.0.2.3", &c);
	addr_parse("192.0.2.4", &d);
	e1 = exporter_get(&t1, &a, 1, 9, 0);
	e2 = exporter_get(&t2, &b, 1, 9, 0);
	e3 = exporter_get(&t1, &c, 1, 9, 0);
	tap_ok(e1 != NULL && e2 != NULL && e3 != NULL && e1->id == 0 &&
	    e2->id == 1 && e3->id == 2, "ids run across the tables");
	tap_ok(exporter_get(&t2, &d, 1, 9, 0) == NULL && t2.refused == 1 &&
	    exporter_get(&t1, &d, 1, 9, 0) == NULL,
	    "the bound holds for both together");
	exporter_table_fini(&t1);
	exporter_table_fini(&t2);
}

static void
test_account(void)
{
	struct exporter_table t;
	struct exp_delta d, d2;
	struct nf_dgram_info info;
	struct nf_addr a;
	struct exporter *e;
	uint32_t miss;

	exporter_table_init(&t, 0, NULL);
	addr_parse("192.0.2.1", &a);
	e = exporter_get(&t, &a, 1, 10, 0);
	memset(&info, 0, sizeof(info));
	info.has_seq = true;
	info.seq = 100;
	info.seq_step = 5;
	info.templates = 2;
	tap_ok(exporter_account(e, NFE_OK, &info, &miss) == SEQ_FIRST,
	    "first datagram");
	info.seq = 110;
	info.templates = 0;
	info.no_template = 1;
	tap_ok(exporter_account(e, NFE_OK, &info, &miss) == SEQ_GAP &&
	    miss == 5, "gap of 5 records");
	info.seq = 1;
	tap_ok(exporter_account(e, NFE_OK, &info, &miss) == SEQ_RESET,
	    "reset");
	info.seq = 999;
	exporter_account(e, NFE_FORMAT, &info, &miss);
	tap_ok(e->pend.datagrams == 4 && e->pend.bad_datagrams == 1 &&
	    e->pend.seq_lost == 5 && e->pend.seq_gaps == 1 &&
	    e->pend.seq_resets == 1 && e->pend.templates == 2 &&
	    e->pend.no_template == 3, "counters");
	info.seq = 6;
	tap_ok(exporter_account(e, NFE_OK, &info, &miss) == SEQ_OK,
	    "malformed datagram did not move the sequence");
	/* the owner hands its counts to the writer */
	tap_ok(exporter_take(e, &d) && d.n.datagrams == 5 &&
	    d.n.seq_lost == 5 && d.port == 1 && e->pend.datagrams == 0 &&
	    e->total.datagrams == 5 && !exporter_take(e, &d2),
	    "handed over once, the owner's total kept");
	exporter_show(e, &d);
	exporter_show(e, &d2);
	tap_ok(e->shown.cur.datagrams == 5 && e->shown.cur.no_template == 4 &&
	    e->shown.total.datagrams == 5 && e->shown.port == 1,
	    "what the writer shows");
	exporter_rotate(e);
	tap_ok(e->shown.cur.datagrams == 0 && e->shown.total.datagrams == 5,
	    "rotation clears per-file counters only");
	exporter_table_fini(&t);
}

static int
retry_cb(void *arg, struct exporter *e, struct held_set *h)
{
	(void)e;
	(*(int *)arg)++;
	if (h->template_id == 300)
		return NFE_OK;
	if (h->template_id == 301)
		return NFE_FORMAT;
	return NFE_NOTMPL;
}

static void
test_held(void)
{
	struct exporter_table t;
	struct nf_addr a;
	struct exporter *e;
	uint8_t set[3000];
	int calls = 0;

	memset(set, 0xab, sizeof(set));
	exporter_table_init(&t, 0, NULL);
	t.held_max_bytes = 2500;
	t.held_max_ms = 1000;
	addr_parse("192.0.2.1", &a);
	e = exporter_get(&t, &a, 1, 9, 0);
	exporter_hold(&t, e, 9, 0, 300, set, 1000, 0, 0, 100, false);
	exporter_hold(&t, e, 9, 0, 301, set, 1000, 0, 0, 200, false);
	exporter_hold(&t, e, 9, 0, 302, set, 1000, 0, 0, 300, false);
	tap_ok(e->held_n == 2 && e->held_bytes == 2000 &&
	    e->pend.held_dropped == 1 && e->held->template_id == 301,
	    "byte bound drops the oldest");
	tap_is_int(exporter_hold(&t, e, 9, 0, 303, set, 2600, 0, 0,
	    300, false), NFE_LIMIT, "a set above the bound");
	exporter_hold(&t, e, 9, 0, 300, set, 100, 0, 0, 400, false);
	tap_is_uint(exporter_held_retry(e, retry_cb, &calls), 1,
	    "one decoded");
	tap_ok(calls == 3 && e->held_n == 1 && e->held->template_id == 302 &&
	    e->pend.held_dropped == 3 && e->pend.held_decoded == 1 &&
	    e->held_bytes == 1000 && e->held_last == e->held,
	    "kept the one still without template");
	tap_is_uint(exporter_held_expire(&t, e, 1299, NULL, NULL), 0, "not yet expired");
	tap_is_uint(exporter_held_expire(&t, e, 1300, NULL, NULL), 1, "expired");
	tap_ok(e->held == NULL && e->held_last == NULL && e->held_bytes == 0,
	    "empty");
	exporter_hold(&t, e, 9, 0, 302, set, 10, 0, 0, 2000, false);
	tap_ok(e->held != NULL && e->held == e->held_last, "usable again");
	exporter_table_fini(&t);
}

/* Final decode: only the rate-waiting set 310 decodes. */
static int
final_cb(void *arg, struct exporter *e, struct held_set *h)
{
	(void)e;
	(*(int *)arg)++;
	return h->template_id == 310 ? NFE_OK : NFE_NOTMPL;
}

static void
test_held_rate(void)
{
	struct exporter_table t;
	struct nf_addr a;
	struct exporter *e;
	uint8_t set[1000];
	int calls = 0;

	memset(set, 0xcd, sizeof(set));
	exporter_table_init(&t, 0, NULL);
	t.held_max_bytes = 2500;
	t.held_max_ms = 1000;
	addr_parse("192.0.2.2", &a);
	e = exporter_get(&t, &a, 1, 10, 0);
	tap_is_int(exporter_hold(&t, e, 10, 0, 310, set, 1000, 0, 0, 100,
	    true), NFE_OK, "a set waiting for a rate is held");
	exporter_hold(&t, e, 10, 0, 311, set, 1000, 0, 0, 200, false);
	exporter_hold(&t, e, 10, 0, 312, set, 1000, 0, 0, 300, false);
	tap_ok(e->held_n == 2 && e->held->template_id == 310 &&
	    e->held->next->template_id == 312 && e->held_last->template_id ==
	    312 && e->pend.held_dropped == 1 && e->pend.rate_held == 1,
	    "making room for a set without template evicts the older set "
	    "without template, never the rate-waiting one");
	tap_is_int(exporter_hold(&t, e, 10, 0, 313, set, 1000, 0, 0, 300,
	    true), NFE_LIMIT, "no room for another rate-waiting set: refused "
	    "(the decoder stores it now)");
	tap_ok(e->pend.held_dropped == 1 && e->pend.rate_held == 1 &&
	    e->held_n == 2, "the refusal evicted and dropped nothing");
	tap_is_uint(exporter_held_expire(&t, e, 1100, final_cb, &calls), 1,
	    "the rate-waiting set expires first");
	tap_ok(calls == 1 && e->pend.rate_expired == 1 &&
	    e->pend.held_decoded == 0 && e->pend.held_dropped == 1 &&
	    e->held_n == 1, "expired: decoded without a rate and counted so, "
	    "not as a template set");
	tap_is_uint(exporter_held_expire(&t, e, UINT64_MAX, final_cb, &calls),
	    1, "UINT64_MAX expires everything");
	tap_ok(calls == 2 && e->pend.held_dropped == 2 && e->held == NULL &&
	    e->held_last == NULL && e->held_bytes == 0, "a set still without "
	    "template at the end is dropped and counted");
	exporter_table_fini(&t);
}

int
main(void)
{
	tap_plan(33);
	test_keying();
	test_account();
	test_shared();
	test_held();
	test_held_rate();
	return tap_done();
}
