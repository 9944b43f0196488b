/*
 * common/enrich/sessdb_lookup.c -- who held an address during a flow
 * (sessdb.h): the join's hot path.  Reads only; allocates nothing.
 *
 * Per prefix holding the address, longest first: walk its sessions
 * (one sorted array) newest first from the last that starts before the
 * flow ends, and credit each with the part of the flow it held that
 * no newer session held already ("the latest start wins").  The session
 * credited most wins; on a tie the newer.  The walk ends as soon as the
 * flow is covered or no older session reaches back into it (tail), so
 * the usual case, a flow inside the current session, reads one session.
 */
#include "common/base/compat.h"

#include "common/enrich/sessdb_int.h"

#define MAX_CLAIMS	8	/* disjoint pieces of the flow already credited */

struct claims {
	uint64_t	 lo[MAX_CLAIMS], hi[MAX_CLAIMS];
	unsigned	 n;
};

/* Length of [lo, hi) not yet claimed. */
static uint64_t
unclaimed(const struct claims *c, uint64_t lo, uint64_t hi)
{
	uint64_t len = hi - lo;

	for (unsigned i = 0; i < c->n; i++) {
		uint64_t a = c->lo[i] > lo ? c->lo[i] : lo;
		uint64_t b = c->hi[i] < hi ? c->hi[i] : hi;

		if (a < b)
			len -= b - a;
	}
	return len;
}

/* Add [lo, hi), merging with pieces it touches.  False if full. */
static bool
claim(struct claims *c, uint64_t lo, uint64_t hi)
{
	unsigned i = 0;

	while (i < c->n) {
		if (c->hi[i] < lo || c->lo[i] > hi) {
			i++;
			continue;
		}
		if (c->lo[i] < lo)
			lo = c->lo[i];
		if (c->hi[i] > hi)
			hi = c->hi[i];
		c->n--;
		c->lo[i] = c->lo[c->n];
		c->hi[i] = c->hi[c->n];
	}
	if (c->n == MAX_CLAIMS)
		return false;
	c->lo[c->n] = lo;
	c->hi[c->n] = hi;
	c->n++;
	return true;
}

/* First (newest) index whose session starts before e; n if none. */
static uint32_t
before(const struct ivls *v, uint64_t e)
{
	uint32_t lo = 0, hi = v->n;

	if (hi == 0 || v->e[0].start < e)
		return 0;		/* the usual case: a recent flow */
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (v->e[mid].start >= e)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Best session of v for the flow [f, e), or SESSDB_NIL. */
static uint32_t
pick(const struct ivls *v, uint64_t f, uint64_t e)
{
	struct claims c;
	uint32_t best = SESSDB_NIL;
	uint64_t best_ov = 0;

	c.n = 0;
	for (uint32_t i = before(v, e); i < v->n; i++) {
		const struct ivl *s = &v->e[i];
		uint64_t lo, hi, ov;

		if (s->tail <= f)
			break;		/* nothing from here on reaches the flow */
		if (s->stop <= f)
			continue;
		lo = s->start > f ? s->start : f;
		hi = s->stop < e ? s->stop : e;
		if (c.n == 0 && lo == f && hi == e)
			return i;	/* the newest holder held it throughout */
		ov = unclaimed(&c, lo, hi);
		if (ov > best_ov) {
			best = i;
			best_ov = ov;
		}
		if (!claim(&c, lo, hi))
			break;
		if (c.n == 1 && c.lo[0] <= f && c.hi[0] >= e)
			break;		/* every instant is credited */
	}
	return best;
}

uint32_t
sessdb_lookup(const struct sessdb *db, const struct nf_addr *a,
    uint64_t first_ms, uint64_t last_ms)
{
	const uint8_t *lens;
	unsigned nlens;
	uint64_t lo, hi, e;

	if (db->nprefix == 0)
		return 0;
	e = last_ms > first_ms ? last_ms + 1 : first_ms + 1;
	if (e == 0)
		e = UINT64_MAX;
	addr_words(a, &lo, &hi);
	if (addr_is_v4(a)) {
		lens = db->lens4;
		nlens = db->nlens4;
	} else {
		lens = db->lens6;
		nlens = db->nlens6;
	}
	for (unsigned k = 0; k < nlens; k++) {
		unsigned alen = lens[k];
		uint32_t ps, best;

		ps = pslot_find(db, lo & db->mask[alen][0],
		    hi & db->mask[alen][1], alen);
		if (ps == SESSDB_NIL)
			continue;
		best = pick(db->ps[ps].v, first_ms, e);
		if (best != SESSDB_NIL)
			return S_USER(db->ps[ps].v->e[best].user);
	}
	return 0;
}

/* Slot of the longest length present for a, or SESSDB_NIL. */
static uint32_t
first_slot(const struct sessdb *db, const struct nf_addr *a, bool probe)
{
	uint64_t lo, hi;
	unsigned alen;

	if (db->nps == 0)
		return SESSDB_NIL;
	addr_words(a, &lo, &hi);
	if (addr_is_v4(a)) {
		if (db->nlens4 == 0)
			return SESSDB_NIL;
		alen = db->lens4[0];
	} else {
		if (db->nlens6 == 0)
			return SESSDB_NIL;
		alen = db->lens6[0];
	}
	lo &= db->mask[alen][0];
	hi &= db->mask[alen][1];
	if (!probe) {
		__builtin_prefetch(&db->ps[(uint32_t)pkey_hash(lo, hi, alen) &
		    (db->nps - 1)]);
		return SESSDB_NIL;
	}
	return pslot_find(db, lo, hi, alen);
}

void
sessdb_prefetch(const struct sessdb *db, const struct nf_addr *a)
{
	(void)first_slot(db, a, false);
}

/*
 * Three stages, D flows apart: load the prefix slot of flow i + 2D,
 * find it and load the start of its sessions for flow i + D, answer
 * flow i.  D = 8 keeps about 16 loads in flight.
 */
#define STAGE	8

void
sessdb_lookup_batch(const struct sessdb *db, const struct sessdb_q *q,
    size_t n, uint32_t *user)
{
	for (size_t i = 0; i < n; i++) {
		if (i + 2 * STAGE < n && q[i + 2 * STAGE].addr != NULL)
			(void)first_slot(db, q[i + 2 * STAGE].addr, false);
		if (i + STAGE < n && q[i + STAGE].addr != NULL) {
			uint32_t ps = first_slot(db, q[i + STAGE].addr, true);

			if (ps != SESSDB_NIL) {
				const char *v = (const char *)db->ps[ps].v;

				for (unsigned k = 0; k < 2; k++)
					__builtin_prefetch(v + 64 * k);
			}
		}
		user[i] = q[i].addr == NULL ? 0 :
		    sessdb_lookup(db, q[i].addr, q[i].first_ms, q[i].last_ms);
	}
}

const char *
sessdb_user(const struct sessdb *db, uint32_t id)
{
	return strtab_get(&db->users, id);
}
