/*
 * common/enrich/sessjoin.c -- the direction rule of the join
 * (sessjoin.h).
 */
#include "common/base/compat.h"

#include "common/base/nferr.h"
#include "common/enrich/sessjoin.h"

int
sessjoin_inside(struct sessjoin *j, const struct nf_prefix *p)
{
	if (j->ninside == SESSJOIN_MAX_INSIDE)
		return NFE_LIMIT;
	j->inside[j->ninside++] = *p;
	return NFE_OK;
}

bool
sessjoin_is_inside(const struct sessjoin *j, const struct nf_addr *a)
{
	if (j->ninside == 0)
		return true;
	for (size_t i = 0; i < j->ninside; i++)
		if (prefix_match(&j->inside[i], a))
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
