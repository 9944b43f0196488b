/*
 * tests/t_flowtable.c -- probe/flowtable: limits, free-list reuse, list
 * order and LRU choice, first-seen iteration, and the keyed hash (keys
 * that all collide under one secret spread out under another).
 */
#include "common/base/compat.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/base/nferr.h"
#include "probe/flowtable.h"
#include "tap.h"

static struct flow_key
mkkey(uint32_t n)
{
	struct flow_key k;

	memset(&k, 0, sizeof(k));
	addr_from_v4(&k.src, 0x0a000000 | (n >> 16));
	addr_from_v4(&k.dst, 0x0b000001);
	k.sport = (uint16_t)n;
	k.dport = 80;
	k.proto = 6;
	k.af = 4;
	return k;
}

static struct flow *
add(struct flowtable *ft, uint32_t n, unsigned list, uint64_t now, int *rc)
{
	struct flow_key k = mkkey(n);
	struct flow *f;
	uint32_t b;

	if (flowtable_find(ft, &k, &b) != NULL) {
		*rc = NFE_INTERNAL;
		return NULL;
	}
	*rc = flowtable_insert(ft, &k, b, list, now, &f);
	if (f != NULL)
		f->last_ms = now;
	return f;
}

static void
test_limits(void)
{
	struct sipkey sk = { 7, 8 };
	struct flowtable *ft;
	struct flow *f[5], *g;
	struct flow_key k;
	uint32_t b;
	int rc;

	tap_is_int(flowtable_new(0, &sk, &ft), NFE_INVAL, "0 flows refused");
	tap_is_int(flowtable_new(FLOWTABLE_MAX_FLOWS + 1, &sk, &ft),
	    NFE_INVAL, "too many flows refused");
	tap_is_int(flowtable_new(4, &sk, &ft), NFE_OK, "table of 4");
	for (uint32_t i = 0; i < 4; i++)
		f[i] = add(ft, i, 0, 100 + i, &rc);
	tap_is_uint(flowtable_count(ft), 4, "4 flows");
	f[4] = add(ft, 4, 0, 200, &rc);
	tap_ok(rc == NFE_LIMIT && f[4] == NULL, "fifth flow: NFE_LIMIT");
	k = mkkey(2);
	tap_ok(flowtable_find(ft, &k, &b) == f[2], "find returns the flow");
	tap_ok(f[2]->first_ms == 102 && f[2]->packets == 0 &&
	    f[2]->key.sport == 2, "new flow's fields");
	flowtable_remove(ft, f[2]);
	tap_ok(flowtable_find(ft, &k, &b) == NULL &&
	    flowtable_count(ft) == 3, "removed flow is gone");
	g = add(ft, 4, 0, 300, &rc);
	tap_ok(rc == NFE_OK && g == f[2], "freed entry is reused");
	k = mkkey(4);
	tap_ok(flowtable_find(ft, &k, &b) == g, "reused entry found by key");
	tap_ok(flowtable_memory(ft) >= 5 * sizeof(struct flow),
	    "memory accounts for the pool");
	flowtable_free(ft);
	flowtable_free(NULL);
	tap_ok(sizeof(struct flow) <= 104, "struct flow is %zu bytes",
	    sizeof(struct flow));
}

static void
test_lists(void)
{
	struct sipkey sk = { 1, 1 };
	struct flowtable *ft;
	struct flow *f[6], *x;
	uint32_t order[6], n = 0;
	int rc;

	flowtable_new(16, &sk, &ft);
	f[0] = add(ft, 0, 0, 10, &rc);
	f[1] = add(ft, 1, 1, 20, &rc);
	f[2] = add(ft, 2, 0, 30, &rc);
	f[3] = add(ft, 3, 2, 40, &rc);
	tap_ok(flowtable_list_head(ft, 0) == f[0] &&
	    flowtable_list_head(ft, 1) == f[1] &&
	    flowtable_list_head(ft, 2) == f[3] &&
	    flowtable_list_head(ft, 3) == NULL, "list heads");
	tap_ok(flowtable_lru(ft) == f[0], "lru is the oldest last-seen");
	f[0]->last_ms = 50;
	flowtable_touch(ft, f[0], 0);
	tap_ok(flowtable_list_head(ft, 0) == f[2], "touch moves to the tail");
	tap_ok(flowtable_lru(ft) == f[1], "lru across lists");
	f[1]->last_ms = 60;
	flowtable_touch(ft, f[1], 3);
	tap_ok(flowtable_list_head(ft, 1) == NULL &&
	    flowtable_list_head(ft, 3) == f[1] && f[1]->list == 3,
	    "touch can change list");
	tap_ok(flowtable_lru(ft) == f[2], "lru after moves");
	flowtable_remove(ft, f[2]);
	tap_ok(flowtable_lru(ft) == f[3], "lru after remove");
	for (x = flowtable_first(ft); x != NULL; x = flowtable_next(ft, x))
		order[n++] = x->key.sport;
	tap_ok(n == 3 && order[0] == 0 && order[1] == 1 && order[2] == 3,
	    "first-seen order survives touches and removal");
	while ((x = flowtable_first(ft)) != NULL)
		flowtable_remove(ft, x);
	tap_ok(flowtable_count(ft) == 0 && flowtable_lru(ft) == NULL,
	    "empty again");
	flowtable_free(ft);
}

static void
test_many(void)
{
	struct sipkey sk = { 0x1234, 0x5678 };
	struct flowtable *ft;
	struct flow_key k;
	struct flow *f;
	uint32_t b, n = 100000, found = 0;
	int rc, bad = 0;

	flowtable_new(n, &sk, &ft);
	for (uint32_t i = 0; i < n; i++)
		if (add(ft, i, i % 6, i, &rc) == NULL)
			bad++;
	tap_ok(bad == 0 && flowtable_count(ft) == n, "100000 inserts");
	for (uint32_t i = 0; i < n; i++) {
		k = mkkey(i);
		f = flowtable_find(ft, &k, &b);
		if (f != NULL && f->first_ms == i)
			found++;
	}
	tap_is_uint(found, n, "every flow found by key");
	tap_ok(flowtable_max_chain(ft) <= 12, "longest chain %zu",
	    flowtable_max_chain(ft));
	for (uint32_t i = 0; i < n; i += 2) {
		k = mkkey(i);
		flowtable_remove(ft, flowtable_find(ft, &k, &b));
	}
	found = 0;
	for (uint32_t i = 0; i < n; i++) {
		k = mkkey(i);
		if ((flowtable_find(ft, &k, &b) != NULL) == (i % 2 == 1))
			found++;
	}
	tap_is_uint(found, n, "half removed, the other half still there");
	flowtable_free(ft);
}

static void
test_keyed(void)
{
	struct sipkey a = { 11, 22 }, b2 = { 33, 44 };
	struct flowtable *ta, *tb;
	struct flow_key keys[32], k;
	uint32_t n = 0, b;
	struct flow *f;

	/* Find 32 keys that all land in bucket 0 of a 32-bucket table. */
	for (uint32_t i = 0; n < 32; i++) {
		k = mkkey(i);
		if ((siphash13(&a, &k, sizeof(k)) & 31) == 0)
			keys[n++] = k;
	}
	flowtable_new(32, &a, &ta);
	flowtable_new(32, &b2, &tb);
	for (uint32_t i = 0; i < 32; i++) {
		flowtable_find(ta, &keys[i], &b);
		flowtable_insert(ta, &keys[i], b, 0, 0, &f);
		flowtable_find(tb, &keys[i], &b);
		flowtable_insert(tb, &keys[i], b, 0, 0, &f);
	}
	/* 32 flows get 32 buckets: the crafted set is one chain in ta. */
	tap_ok(flowtable_max_chain(ta) == 32, "crafted keys collide under "
	    "their secret (chain %zu)", flowtable_max_chain(ta));
	tap_ok(flowtable_max_chain(tb) <= 6, "and spread under another "
	    "(chain %zu)", flowtable_max_chain(tb));
	flowtable_free(ta);
	flowtable_free(tb);
}

int
main(void)
{
	tap_no_plan();
	test_limits();
	test_lists();
	test_many();
	test_keyed();
	return tap_done();
}
