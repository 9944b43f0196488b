/*
 * tests/t_flowtable.c -- probe/flowtable: limits, free-list reuse, the
 * index growing with the flows, list
 * order and LRU choice, first-seen iteration, the keyed hash (keys that
 * all collide under one secret spread out under another), its symmetry
 * and the reverse lookup it allows, and the entry layout.
 */
#include "common/base/compat.h"

#include <stddef.h>
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
	uint64_t b;

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
	uint64_t b;
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
	tap_ok(sizeof(struct flow) == 128 &&
	    offsetof(struct flow, hash) < 64 &&
	    offsetof(struct flow, first_ms) == 64, "struct flow is two cache "
	    "lines, lookup fields in the first (%zu bytes)",
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
	uint32_t n = 100000, found = 0;
	uint64_t b;
	int rc, bad = 0;

	flowtable_new(n, &sk, &ft);
	tap_ok(flowtable_slots(ft) == 4096 &&
	    flowtable_memory(ft) >= 262144 * 8, "the index starts small "
	    "(%zu slots); memory counts what it may grow to",
	    flowtable_slots(ft));
	for (uint32_t i = 0; i < n; i++) {
		if (add(ft, i, i % 6, i, &rc) == NULL)
			bad++;
		if (i == 3000 && flowtable_slots(ft) != 8192)
			bad++;		/* doubled once past half full */
	}
	tap_ok(bad == 0 && flowtable_count(ft) == n, "100000 inserts");
	for (uint32_t i = 0; i < n; i++) {
		k = mkkey(i);
		f = flowtable_find(ft, &k, &b);
		if (f != NULL && f->first_ms == i)
			found++;
	}
	tap_is_uint(found, n, "every flow found by key");
	tap_ok(flowtable_slots(ft) == 262144 && flowtable_max_probe(ft) <= 40,
	    "grown to %zu slots, every flow found, longest probe %zu",
	    flowtable_slots(ft), flowtable_max_probe(ft));
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
	/* run positions to remove: the last slot (31) first */
	const uint32_t order[] = { 31, 0, 15, 16, 14, 1, 30 };
	bool gone[32] = { false }, all = true;
	struct sipkey a = { 11, 22 }, b2 = { 33, 44 };
	struct flowtable *ta, *tb;
	struct flow_key keys[32], k;
	uint32_t n = 0;
	uint64_t b;
	struct flow *f;

	flowtable_new(32, &a, &ta);
	flowtable_new(32, &b2, &tb);
	/* Find 32 keys whose probes all start at slot 0. */
	for (uint32_t i = 0; n < 32; i++) {
		k = mkkey(i);
		if ((flowtable_hash(ta, &k) & (flowtable_slots(ta) - 1)) == 0)
			keys[n++] = k;
	}
	for (uint32_t i = 0; i < 32; i++) {
		flowtable_find(ta, &keys[i], &b);
		flowtable_insert(ta, &keys[i], b, 0, 0, &f);
		flowtable_find(tb, &keys[i], &b);
		flowtable_insert(tb, &keys[i], b, 0, 0, &f);
	}
	/* The crafted set is one run of 32 slots in ta. */
	tap_ok(flowtable_max_probe(ta) == 32, "crafted keys collide under "
	    "their secret (probe %zu)", flowtable_max_probe(ta));
	tap_ok(flowtable_max_probe(tb) <= 8, "and spread under another "
	    "(probe %zu)", flowtable_max_probe(tb));

	/*
	 * Removal from one probe run (the gap closes by backward shift):
	 * its last slot, its first, one in the middle, then the rest in an
	 * order that is neither; every other flow stays findable each time.
	 */
	for (size_t o = 0; o < NF_NELEM(order); o++) {
		f = flowtable_find(ta, &keys[order[o]], &b);
		if (f == NULL) {
			all = false;
			break;
		}
		flowtable_remove(ta, f);
		gone[order[o]] = true;
		for (uint32_t i = 0; i < 32; i++)
			if ((flowtable_find(ta, &keys[i], &b) == NULL) !=
			    gone[i])
				all = false;
	}
	tap_ok(all && flowtable_max_probe(ta) == 32 - NF_NELEM(order),
	    "last, first and middle of one run removed, the rest found");
	for (uint32_t i = 0; i < 32; i++)
		if (!gone[i] && (f = flowtable_find(ta, &keys[i], &b)) != NULL)
			flowtable_remove(ta, f);
	tap_ok(flowtable_count(ta) == 0 && flowtable_max_probe(ta) == 0,
	    "the whole run removed");
	for (uint32_t i = 0; i < 32; i++) {
		flowtable_find(ta, &keys[i], &b);
		flowtable_insert(ta, &keys[i], b, 0, 0, &f);
	}
	all = true;
	for (uint32_t i = 0; i < 32; i++)
		if (flowtable_find(ta, &keys[i], &b) == NULL)
			all = false;
	tap_ok(all && flowtable_max_probe(ta) == 32,
	    "and built again from recycled entries");
	flowtable_free(ta);

	/*
	 * A run that wraps from the last slot to the first, mixed with
	 * flows at home in slot 0 and 1: removals anywhere in it keep
	 * every other flow findable.
	 */
	flowtable_new(32, &a, &ta);
	n = 0;
	for (uint32_t i = 0; n < 12; i++) {
		uint64_t home;

		k = mkkey(i);
		home = flowtable_hash(ta, &k) & (flowtable_slots(ta) - 1);
		if ((n < 6 && home == flowtable_slots(ta) - 1) ||
		    (n >= 6 && home == (n & 1)))
			keys[n++] = k;
	}
	for (uint32_t i = 0; i < 12; i++) {
		flowtable_find(ta, &keys[i], &b);
		flowtable_insert(ta, &keys[i], b, 0, 0, &f);
		gone[i] = false;
	}
	all = flowtable_max_probe(ta) >= 7;
	for (uint32_t r = 0; r < 12; r++) {
		uint32_t v = (r * 5) % 12;	/* 0 5 10 3 8 1 6 11 4 9 2 7 */

		if ((f = flowtable_find(ta, &keys[v], &b)) == NULL) {
			all = false;
			break;
		}
		flowtable_remove(ta, f);
		gone[v] = true;
		for (uint32_t i = 0; i < 12; i++)
			if ((flowtable_find(ta, &keys[i], &b) == NULL) !=
			    gone[i])
				all = false;
	}
	tap_ok(all && flowtable_count(ta) == 0 &&
	    flowtable_max_probe(ta) == 0,
	    "a run wrapping past the last slot: removed in any order");
	flowtable_free(ta);
	flowtable_free(tb);
}

/*
 * A flow and its reverse hash alike but for the direction bit, so the
 * reverse is on the same probe run, with another tag.
 */
static void
test_reverse(void)
{
	struct sipkey sk = { 99, 100 };
	struct flowtable *ft;
	struct flow_key k, r;
	struct flow *f, *g;
	uint64_t h, hr;
	int same = 0, differ = 0, found = 0;

	flowtable_new(1000, &sk, &ft);
	for (uint32_t i = 0; i < 400; i++) {
		k = mkkey(i * 7919);
		if (i % 4 == 0) {		/* IPv6 keys too */
			uint8_t a6[16] = { 0x20, 0x01, 0x0d, 0xb8 };

			a6[15] = (uint8_t)i;
			addr_from_v6(&k.src, a6);
			k.af = 6;
		}
		r = k;
		r.src = k.dst, r.dst = k.src;
		r.sport = k.dport, r.dport = k.sport;
		h = flowtable_hash(ft, &k);
		hr = flowtable_hash(ft, &r);
		if ((h ^ hr) == FLOWTABLE_DIR &&
		    flowtable_hash_reverse(&k, h) == hr &&
		    flowtable_hash_reverse(&r, hr) == h)
			same++;
		r.tos = 1;			/* anything else: another hash */
		if (flowtable_hash(ft, &r) != h)
			differ++;
		r.tos = 0;
		flowtable_insert(ft, &k, h, 0, i, &f);
		if (i % 2 == 0)
			flowtable_insert(ft, &r, hr, 0, i, &g);
		else
			g = NULL;
		if (flowtable_find_reverse(ft, f) == g &&
		    (g == NULL || flowtable_find_reverse(ft, g) == f))
			found++;
	}
	tap_is_int(same, 400, "a flow and its reverse hash alike but for "
	    "the direction bit");
	tap_is_int(differ, 400, "other fields still change the hash");
	tap_is_int(found, 400, "reverse lookup finds the reverse flow, or "
	    "none when there is none");
	k = mkkey(5);
	k.dst = k.src;
	k.dport = k.sport;
	h = flowtable_hash(ft, &k);
	tap_ok(flowtable_hash_reverse(&k, h) == h && !(h & FLOWTABLE_DIR),
	    "a key that is its own reverse keeps its hash");
	f = flowtable_first(ft);
	tap_ok(((uintptr_t)f & 63) == 0 && flowtable_index(ft, f) == 1,
	    "entries start on a cache line; the first is index 1");
	flowtable_free(ft);
}

int
main(void)
{
	tap_no_plan();
	test_limits();
	test_lists();
	test_many();
	test_keyed();
	test_reverse();
	return tap_done();
}
