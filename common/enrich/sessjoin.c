/*
 * common/enrich/sessjoin.c -- the direction rule of the join
 * (sessjoin.h).
 */
#include "common/base/compat.h"

#include <string.h>

#include "common/base/nferr.h"
#include "common/enrich/sessjoin.h"

static void
words(const struct nf_addr *a, uint64_t *lo, uint64_t *hi)
{
	memcpy(lo, a->a, 8);
	memcpy(hi, a->a + 8, 8);
}

int
sessjoin_inside(struct sessjoin *j, const struct nf_prefix *p)
{
	struct sessjoin_pfx *w;
	struct nf_addr m;
	unsigned bits;

	if (j->ninside == SESSJOIN_MAX_INSIDE)
		return NFE_LIMIT;
	bits = addr_is_v4(&p->addr) ? 96u + p->len : p->len;
	memset(m.a, 0, sizeof(m.a));
	for (unsigned b = 0; b < bits && b < 128; b++)
		m.a[b / 8] |= (uint8_t)(0x80u >> (b % 8));
	w = &j->in[j->ninside];
	words(&m, &w->mlo, &w->mhi);
	words(&p->addr, &w->lo, &w->hi);
	w->lo &= w->mlo;
	w->hi &= w->mhi;
	j->inside[j->ninside++] = *p;
	return NFE_OK;
}

bool
sessjoin_is_inside(const struct sessjoin *j, const struct nf_addr *a)
{
	uint64_t lo, hi;

	if (j->ninside == 0)
		return true;
	words(a, &lo, &hi);
	for (size_t i = 0; i < j->ninside; i++)
		if ((lo & j->in[i].mlo) == j->in[i].lo &&
		    (hi & j->in[i].mhi) == j->in[i].hi)
			return true;
	return false;
}

/* The address to look up: src, dst, or an inside address behind NAT. */
static const struct nf_addr *
pick(const struct sessjoin *j, const struct flowrec *r, bool *also_dst,
    struct nf_addr *tmp)
{
	bool si = sessjoin_is_inside(j, &r->src);
	bool di = sessjoin_is_inside(j, &r->dst);

	*also_dst = si && di;
	if (si)
		return &r->src;
	if (di)
		return &r->dst;
	if (j->nat != NULL) {
		if (natmap_lookup(j->nat, &r->src, r->src_port, r->first_ms, tmp))
			return tmp;
		if (natmap_lookup(j->nat, &r->dst, r->dst_port, r->first_ms, tmp))
			return tmp;
	}
	return NULL;
}

uint32_t
sessjoin_flow(const struct sessjoin *j, const struct flowrec *r)
{
	struct nf_addr tmp;
	const struct nf_addr *a;
	bool also_dst;
	uint32_t u;

	if ((a = pick(j, r, &also_dst, &tmp)) == NULL)
		return 0;
	u = sessdb_lookup(j->db, a, r->first_ms, r->last_ms);
	if (u == 0 && also_dst)
		u = sessdb_lookup(j->db, &r->dst, r->first_ms, r->last_ms);
	return u;
}

void
sessjoin_batch(const struct sessjoin *j, const struct flowrec *recs,
    size_t n, uint32_t *user)
{
	struct sessdb_q q[SESSJOIN_BATCH];
	struct nf_addr tmp[SESSJOIN_BATCH];
	bool also[SESSJOIN_BATCH];

	while (n > 0) {
		size_t m = n < SESSJOIN_BATCH ? n : SESSJOIN_BATCH;

		for (size_t i = 0; i < m; i++) {
			q[i].addr = pick(j, &recs[i], &also[i], &tmp[i]);
			q[i].first_ms = recs[i].first_ms;
			q[i].last_ms = recs[i].last_ms;
		}
		sessdb_lookup_batch(j->db, q, m, user);
		for (size_t i = 0; i < m; i++)
			if (user[i] == 0 && also[i])
				user[i] = sessdb_lookup(j->db, &recs[i].dst,
				    recs[i].first_ms, recs[i].last_ms);
		recs += m;
		user += m;
		n -= m;
	}
}
