/*
 * query/bidir.c -- flowq -b and -B: unidirectional flows aggregated into
 * conversations (biflows), as nfdump 1.7.1 does.
 *
 * The key is -a's five-tuple.  A record joins the conversation of its
 * own key (its counters are forward) or, failing that, of its reverse
 * key (its counters are the conversation's reverse, out_packets and
 * out_bytes).  With neither, it starts a conversation; the first record
 * seen therefore names the forward direction (-b), unless -B's port rule
 * turns it around first: a TCP or UDP record from a port below 1024,
 * 32768 or 49152 to a port at or above the same bound comes from the
 * server.  A record that is already a biflow (out counters set) joins
 * the same way, its two directions exchanged when it matches reversed.
 * Only TCP and UDP records are paired (nfdump's rule): others are
 * aggregated by their own five-tuple.
 *
 * The result depends on which record comes first, so the aggregation
 * stage has no clone with -b/-B: the scan then runs on one thread, in
 * file order (query/stage.h).
 */
#include "common/base/compat.h"

#include <stdint.h>

#include "query/agg.h"

/* The record seen from the other side: key fields and counters swapped. */
static void
turn(struct flowrec *r, struct aggval *v)
{
	struct nf_addr a = r->src;
	uint16_t p = r->src_port;
	uint64_t n;

	r->src = r->dst;
	r->dst = a;
	r->src_port = r->dst_port;
	r->dst_port = p;
	n = v->packets;
	v->packets = v->out_packets;
	v->out_packets = n;
	n = v->bytes;
	v->bytes = v->out_bytes;
	v->out_bytes = n;
}

/* -B: does r come from the server (a TCP/UDP port below a bound)? */
static bool
from_server(const struct flowrec *r)
{
	static const uint32_t bound[] = { 1024, 32768, 49152 };

	if (r->proto != 6 && r->proto != 17)
		return false;
	for (size_t i = 0; i < sizeof(bound) / sizeof(bound[0]); i++)
		if (r->src_port < bound[i] && r->dst_port >= bound[i])
			return true;
	return false;
}

static void
add_into(struct aggval *e, const struct aggval *v)
{
	e->flows += v->flows;
	e->packets += v->packets;
	e->bytes += v->bytes;
	e->out_packets += v->out_packets;
	e->out_bytes += v->out_bytes;
	if (v->first_ms < e->first_ms)
		e->first_ms = v->first_ms;
	if (v->last_ms > e->last_ms)
		e->last_ms = v->last_ms;
}

void
agg_add_bidir(const struct agg_spec *spec, struct aggtab *t,
    const struct flowrec *r, const struct nf_addr *router,
    const struct aggval *v)
{
	uint8_t key[AGG_KEY_MAX];
	struct flowrec f = *r;
	struct aggval w = *v;
	struct aggval *e;

	if (r->proto != 6 && r->proto != 17) {	/* no ports, no pairs */
		agg_key(spec, r, router, key);
		aggtab_add(t, key, v);
		return;
	}
	if (spec->bidir == AGG_BIDIR_GUESS && from_server(&f))
		turn(&f, &w);
	agg_key(spec, &f, router, key);
	if ((e = aggtab_find(t, key)) != NULL) {
		add_into(e, &w);
		return;
	}
	turn(&f, &w);
	agg_key(spec, &f, router, key);
	if ((e = aggtab_find(t, key)) != NULL) {
		add_into(e, &w);
		return;
	}
	turn(&f, &w);
	agg_key(spec, &f, router, key);
	aggtab_add(t, key, &w);
}
