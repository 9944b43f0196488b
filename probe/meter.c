/*
 * probe/meter.c -- per-packet flow accounting, timeouts and record
 * batches (see meter.h for the policy).
 */
#include "common/base/compat.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "common/base/nferr.h"
#include "probe/meter.h"

#define PROTO_ICMP	1
#define PROTO_TCP	6
#define PROTO_UDP	17
#define PROTO_ICMPV6	58

/* struct flow state bits */
#define FS_FIN		0x01	/* FIN seen in this direction */
#define FS_RST		0x02	/* RST seen in this direction */
#define FS_RFIN		0x04	/* -b: FIN seen in the reverse direction */

/*
 * -b: the reverse direction of a biflow, beside the pool (flowtable.h:
 * per-flow data of one configuration stays out of the entry), indexed
 * by flowtable_index().
 */
struct flow_rev {
	uint64_t	packets, bytes;
};

/*
 * -x: what a flow's record carries besides its key and counters, beside
 * the pool as struct flow_rev, indexed by flowtable_index().
 */
struct flow_extra {
	uint64_t	src_mac, dst_mac;
	uint32_t	mpls[PKT_MPLS_LABELS];
	uint32_t	flow_label;
	uint8_t		min_ttl, max_ttl;
	uint8_t		vlan_prio;
	uint8_t		has;		/* PKTX_* of the first packet */
};

struct meter {
	struct meter_conf conf;
	struct flowtable *ft;		/* owned */
	meter_export_fn *fn;		/* may be NULL */
	void		*arg;		/* borrowed, passed to fn */
	uint64_t	 now;		/* latest time seen */
	uint64_t	 next_run;	/* scan when now reaches this */
	bool		 started;
	size_t		 nbatch;
	struct flowrec	*cur;		/* batch or the hand-over buffer */
	meter_handover_fn *hand;	/* may be NULL */
	struct flow_rev	*rev;		/* owned; -b only, else NULL */
	struct flow_extra *ext;		/* owned; -x only, else NULL */
	struct meter_stats st;
	struct flowrec	 batch[METER_BATCH];
};

static const struct {
	const char	*name;
	int		 cls;
} class_names[] = {
	{ "tcp", EXP_TCP },
	{ "tcp.rst", EXP_TCP_RST },
	{ "tcp.fin", EXP_TCP_FIN },
	{ "udp", EXP_UDP },
	{ "icmp", EXP_ICMP },
	{ "general", EXP_GENERAL },
};

void
meter_conf_init(struct meter_conf *c)
{
	memset(c, 0, sizeof(*c));
	for (int i = 0; i < EXP_NCLASS; i++)
		c->idle_ms[i] = METER_DEFAULT_IDLE;
	c->idle_ms[EXP_TCP_RST] = METER_DEFAULT_FINRST;
	c->idle_ms[EXP_TCP_FIN] = METER_DEFAULT_FINRST;
	c->active_ms = METER_DEFAULT_ACTIVE;
	c->interval_ms = METER_DEFAULT_INTERVAL;
	c->max_flows = FLOWTABLE_DEFAULT_FLOWS;
	c->sampling = 1;
	c->level = FLOWKEY_FULL;
}

int
meter_parse_time(const char *s, uint64_t *ms)
{
	uint64_t total = 0, n, unit;
	const char *p = s;

	*ms = 0;
	if (*p == '\0')
		return NFE_INVAL;
	while (*p != '\0') {
		if (*p < '0' || *p > '9')
			return NFE_INVAL;
		for (n = 0; *p >= '0' && *p <= '9'; p++) {
			n = n * 10 + (uint64_t)(*p - '0');
			if (n > METER_MAX_TIMEOUT)
				return NFE_INVAL;
		}
		switch (*p) {
		case 's': case 'S': unit = 1; p++; break;
		case 'm': case 'M': unit = 60; p++; break;
		case 'h': case 'H': unit = 3600; p++; break;
		case 'd': case 'D': unit = 86400; p++; break;
		case 'w': case 'W': unit = 604800; p++; break;
		case '\0': unit = 1; break;
		default: return NFE_INVAL;
		}
		total += n * unit * 1000;
		if (total > METER_MAX_TIMEOUT)
			return NFE_INVAL;
	}
	*ms = total;
	return NFE_OK;
}

int
meter_conf_set(struct meter_conf *c, const char *nameval, char *err,
    size_t errlen)
{
	const char *eq;
	size_t nlen;
	uint64_t ms;

	if ((eq = strchr(nameval, '=')) == NULL) {
		snprintf(err, errlen, "timeout \"%s\": expected name=time",
		    nameval);
		return NFE_INVAL;
	}
	nlen = (size_t)(eq - nameval);
	if (meter_parse_time(eq + 1, &ms) != NFE_OK) {
		snprintf(err, errlen, "timeout \"%s\": bad time \"%s\" "
		    "(N[s|m|h|d|w], terms summed)", nameval, eq + 1);
		return NFE_INVAL;
	}
#define IS(s)	(nlen == strlen(s) && strncmp(nameval, s, nlen) == 0)
	for (size_t i = 0; i < NF_NELEM(class_names); i++) {
		if (IS(class_names[i].name)) {
			c->idle_ms[class_names[i].cls] = ms;
			c->idle_set[class_names[i].cls] = true;
			return NFE_OK;
		}
	}
	if (IS("idle")) {
		for (int i = 0; i < EXP_NCLASS; i++)
			if (!c->idle_set[i] && i != EXP_TCP_RST &&
			    i != EXP_TCP_FIN)
				c->idle_ms[i] = ms;
	} else if (IS("maxlife") || IS("active"))
		c->active_ms = ms;
	else if (IS("expint"))
		c->interval_ms = ms;
	else {
		snprintf(err, errlen, "timeout \"%.*s\": unknown name (tcp, "
		    "tcp.rst, tcp.fin, udp, icmp, general, idle, active, "
		    "maxlife, expint)", (int)nlen, nameval);
		return NFE_INVAL;
	}
#undef IS
	return NFE_OK;
}

void
meter_conf_print(const struct meter_conf *c, FILE *fp)
{
	for (size_t i = 0; i < NF_NELEM(class_names); i++)
		fprintf(fp, "%-8s = %" PRIu64 ".%03us\n", class_names[i].name,
		    c->idle_ms[class_names[i].cls] / 1000,
		    (unsigned)(c->idle_ms[class_names[i].cls] % 1000));
	fprintf(fp, "%-8s = %" PRIu64 ".%03us%s\n", "active",
	    c->active_ms / 1000, (unsigned)(c->active_ms % 1000),
	    c->active_ms == 0 ? " (disabled)" : "");
	fprintf(fp, "%-8s = %" PRIu64 ".%03us\n", "expint",
	    c->interval_ms / 1000, (unsigned)(c->interval_ms % 1000));
}

int
meter_new(const struct meter_conf *c, const struct sipkey *key,
    meter_export_fn *fn, void *arg, struct meter **out)
{
	struct meter *mt;
	int rc;

	*out = NULL;
	if ((mt = calloc(1, sizeof(*mt))) == NULL)
		return NFE_NOMEM;
	if ((rc = flowtable_new(c->max_flows, key, &mt->ft)) != NFE_OK) {
		free(mt);
		return rc;
	}
	mt->conf = *c;
	if (mt->conf.sampling == 0)
		mt->conf.sampling = 1;
	if (c->biflow && (mt->rev = calloc((size_t)c->max_flows + 2,
	    sizeof(*mt->rev))) == NULL) {
		flowtable_free(mt->ft);
		free(mt);
		return NFE_NOMEM;
	}
	if (c->extras && (mt->ext = calloc((size_t)c->max_flows + 2,
	    sizeof(*mt->ext))) == NULL) {
		free(mt->rev);
		flowtable_free(mt->ft);
		free(mt);
		return NFE_NOMEM;
	}
	mt->fn = fn;
	mt->arg = arg;
	mt->cur = mt->batch;
	mt->st.min_bytes = mt->st.min_packets = mt->st.min_dur_ms = UINT64_MAX;
	*out = mt;
	return NFE_OK;
}

void
meter_set_handover(struct meter *mt, meter_handover_fn *fn,
    struct flowrec *first)
{
	mt->hand = fn;
	mt->cur = fn != NULL ? first : mt->batch;
	mt->nbatch = 0;
}

void
meter_free(struct meter *mt)
{
	if (mt == NULL)
		return;
	flowtable_free(mt->ft);
	free(mt->rev);
	free(mt->ext);
	free(mt);
}

static int
class_of(const struct flow_key *k)
{
	switch (k->proto) {
	case PROTO_TCP:
		return EXP_TCP;
	case PROTO_UDP:
		return EXP_UDP;
	case PROTO_ICMP:
	case PROTO_ICMPV6:
		return EXP_ICMP;
	default:
		return EXP_GENERAL;
	}
}

static void
flow_to_rec(const struct meter *mt, const struct flow *f, uint8_t reason,
    struct flowrec *r)
{
	flowrec_init(r);
	r->first_ms = f->first_ms;
	r->last_ms = f->last_ms;
	r->packets = f->packets;
	r->bytes = f->bytes;
	r->src = f->key.src;
	r->dst = f->key.dst;
	r->in_if = f->key.ifindex;
	r->src_port = f->key.sport;
	r->dst_port = f->key.dport;
	r->src_vlan = f->key.vlan;
	r->af = f->key.af;
	r->proto = f->key.proto;
	r->tcp_flags = f->tcp_flags;
	r->tos = f->key.tos;
	r->sampling = mt->conf.sampling;
	r->end_reason = reason;
}

/* -b: the reverse direction into the record and the statistics. */
static __attribute__((noinline, cold)) void
finish_rev(struct meter *mt, const struct flow *f, struct flowrec *r)
{
	const struct flow_rev *rv = &mt->rev[flowtable_index(mt->ft, f)];
	struct meter_proto_stats *ps = &mt->st.proto[f->key.proto];

	r->out_packets = rv->packets;
	r->out_bytes = rv->bytes;
	mt->st.exp_bytes += rv->bytes;
	mt->st.exp_packets += rv->packets;
	ps->packets += rv->packets;
	ps->bytes += rv->bytes;
}

/* -x: the flow's extras into its record. */
static __attribute__((noinline)) void
finish_extra(const struct meter *mt, const struct flow *f, struct flowrec *r)
{
	const struct flow_extra *e = &mt->ext[flowtable_index(mt->ft, f)];

	if (e->has & (PKTX_MACS | PKTX_SRC_MAC))
		r->in_src_mac = e->src_mac;
	if (e->has & PKTX_MACS)
		r->in_dst_mac = e->dst_mac;
	r->vlan_prio = e->vlan_prio;
	r->src_cvlan = f->key.vlan_inner;
	r->min_ttl = e->min_ttl;
	r->max_ttl = e->max_ttl;
	r->flow_label = e->flow_label;
	r->mpls1 = e->mpls[0];
	r->mpls2 = e->mpls[1];
	r->mpls3 = e->mpls[2];
}

/* -x: packet p (extras x) of flow f, its first one if created. */
static void
note_extra(struct meter *mt, const struct flow *f, const struct pkt *p,
    const struct pkt_extra *x, bool created)
{
	struct flow_extra *e = &mt->ext[flowtable_index(mt->ft, f)];

	if (created) {
		e->src_mac = x->src_mac;
		e->dst_mac = x->dst_mac;
		memcpy(e->mpls, p->mpls, sizeof(e->mpls));
		e->flow_label = x->flow_label;
		e->min_ttl = e->max_ttl = x->ttl;
		e->vlan_prio = x->vlan_prio;
		e->has = x->has;
		return;
	}
	if (x->ttl < e->min_ttl)
		e->min_ttl = x->ttl;
	if (x->ttl > e->max_ttl)
		e->max_ttl = x->ttl;
}

static void
flush(struct meter *mt)
{
	if (mt->nbatch == 0)
		return;
	mt->st.export_calls++;
	mt->st.records += mt->nbatch;
	if (mt->hand != NULL)
		mt->cur = mt->hand(mt->arg, mt->cur, mt->nbatch);
	else if (mt->fn != NULL && mt->fn(mt->arg, mt->cur, mt->nbatch) != 0)
		mt->st.export_errors++;
	mt->nbatch = 0;
}

/* End flow f with reason: statistics, a record, and free its entry. */
static void
finish(struct meter *mt, struct flow *f, uint8_t reason)
{
	struct meter_stats *st = &mt->st;
	struct meter_proto_stats *ps = &st->proto[f->key.proto];
	uint64_t dur = f->last_ms - f->first_ms;

	if (mt->nbatch == METER_BATCH)
		flush(mt);
	flow_to_rec(mt, f, reason, &mt->cur[mt->nbatch++]);
	if (mt->rev != NULL)
		finish_rev(mt, f, &mt->cur[mt->nbatch - 1]);
	if (mt->ext != NULL)
		finish_extra(mt, f, &mt->cur[mt->nbatch - 1]);
	st->expired++;
	st->by_reason[reason]++;
	if (reason == FLOWEND_IDLE || reason == FLOWEND_EOF)
		st->by_class[f->list]++;
	if (f->bytes < st->min_bytes)
		st->min_bytes = f->bytes;
	if (f->bytes > st->max_bytes)
		st->max_bytes = f->bytes;
	if (f->packets < st->min_packets)
		st->min_packets = f->packets;
	if (f->packets > st->max_packets)
		st->max_packets = f->packets;
	if (dur < st->min_dur_ms)
		st->min_dur_ms = dur;
	if (dur > st->max_dur_ms)
		st->max_dur_ms = dur;
	st->sum_dur_ms += dur;
	st->exp_bytes += f->bytes;
	st->exp_packets += f->packets;
	ps->flows++;
	ps->packets += f->packets;
	ps->bytes += f->bytes;
	ps->dur_sum_ms += dur;
	if (dur > ps->dur_max_ms)
		ps->dur_max_ms = dur;
	flowtable_remove(mt->ft, f);
}

/* The reason f is due at now, or FLOWEND_UNKNOWN (0) if it is not. */
static uint8_t
due(const struct meter *mt, const struct flow *f, uint64_t now)
{
	uint64_t idle_at, active_at;

	idle_at = f->last_ms + mt->conf.idle_ms[f->list];
	active_at = mt->conf.active_ms != 0 ?
	    f->first_ms + mt->conf.active_ms : UINT64_MAX;
	if (active_at < idle_at && now >= active_at)
		return FLOWEND_ACTIVE;
	if (now >= idle_at)
		return (f->state & (FS_FIN | FS_RST | FS_RFIN)) ?
		    FLOWEND_EOF : FLOWEND_IDLE;
	return FLOWEND_UNKNOWN;
}

/* The class a TCP flow with FIN or RST state moves to, if any. */
static int
tcp_class(struct meter *mt, struct flow *f)
{
	struct flow *rev;

	if (f->state & FS_RST)
		return EXP_TCP_RST;
	if (mt->rev != NULL) {		/* -b: both directions are here */
		if ((f->state & FS_FIN) && (f->state & FS_RFIN))
			return EXP_TCP_FIN;
		if ((f->state & FS_FIN) &&
		    mt->rev[flowtable_index(mt->ft, f)].packets == 0)
			return EXP_TCP_FIN;	/* one-way capture */
		return f->list;
	}
	if (!(f->state & FS_FIN) || f->list == EXP_TCP_FIN)
		return f->list;
	rev = flowtable_find_reverse(mt->ft, f);
	if (rev == NULL || (rev->state & (FS_FIN | FS_RST)))
		return EXP_TCP_FIN;
	return f->list;
}

/*
 * The end of every packet's accounting: the totals, the TCP state
 * (fin: FS_FIN for the flow's own direction, FS_RFIN for its reverse)
 * and the expiry list it moves to, and a due expiry run.
 */
static inline void
counted(struct meter *mt, struct flow *f, const struct pkt *p,
    uint8_t proto, uint8_t fin, uint64_t t)
{
	int list = f->list;

	mt->st.packets++;
	mt->st.bytes += p->bytes;
	if (proto == PROTO_TCP) {
		if (p->tcp_flags & TCPF_RST)
			f->state |= FS_RST;
		if (p->tcp_flags & TCPF_FIN)
			f->state |= fin;
		if (f->state != 0)
			list = tcp_class(mt, f);
	}
	flowtable_touch(mt->ft, f, (unsigned)list);
	if (t >= mt->next_run)
		meter_expire(mt, t);
}

/*
 * -b: if a flow of k's reverse (addresses and ports swapped: h but for
 * the direction bit) is in the table and not due, account p to its reverse
 * direction and return true.  A due one is ended first, as account()
 * ends a due flow of k, and p then starts a flow of its own.
 */
static bool
account_reverse(struct meter *mt, const struct pkt *p,
    const struct flow_key *k, uint64_t h, uint64_t t)
{
	struct flow_key rk = *k;
	struct flow_rev *rv;
	struct flow *f;
	uint8_t reason;

	rk.src = k->dst;
	rk.dst = k->src;
	rk.sport = k->dport;
	rk.dport = k->sport;
	if ((f = flowtable_find_in(mt->ft, &rk,
	    flowtable_hash_reverse(k, h))) == NULL)
		return false;
	if ((reason = due(mt, f, t)) != FLOWEND_UNKNOWN) {
		finish(mt, f, reason);
		return false;
	}
	rv = &mt->rev[flowtable_index(mt->ft, f)];
	f->last_ms = t;
	rv->packets++;
	rv->bytes += p->bytes;
	counted(mt, f, p, k->proto, FS_RFIN, t);
	return true;
}

/*
 * Account p, whose key reduced to the -T level is k, hashed to h; x:
 * its extras (-x), or NULL.  Inlined into each caller, so that the
 * tests of x fold away where it is NULL.
 */
static inline __attribute__((always_inline)) void
account(struct meter *mt, const struct pkt *p, const struct pkt_extra *x,
    const struct flow_key *k, uint64_t h)
{
	struct flow *f;
	uint64_t t;
	uint8_t reason;
	bool created = false;

	if (!mt->started || p->ts_ms > mt->now)
		mt->now = p->ts_ms;
	if (!mt->started) {
		mt->started = true;
		mt->next_run = mt->now + mt->conf.interval_ms;
	}
	t = mt->now;
	f = flowtable_find_in(mt->ft, k, h);
	if (f != NULL && (reason = due(mt, f, t)) != FLOWEND_UNKNOWN) {
		finish(mt, f, reason);
		f = NULL;
	}
	if (f == NULL && mt->rev != NULL && account_reverse(mt, p, k, h, t))
		return;			/* -b: a packet of a flow's reverse */
	if (f == NULL) {
		if (flowtable_insert(mt->ft, k, h, (unsigned)class_of(k), t,
		    &f) == NFE_LIMIT) {
			struct flow *v = flowtable_lru(mt->ft);

			flowtable_prefetch_lru(mt->ft, v);
			finish(mt, v, FLOWEND_LACK);
			flowtable_insert(mt->ft, k, h, (unsigned)class_of(k), t,
			    &f);
		}
		mt->st.created++;
		created = true;
		if (mt->rev != NULL)
			memset(&mt->rev[flowtable_index(mt->ft, f)], 0,
			    sizeof(*mt->rev));
		if (flowtable_count(mt->ft) > mt->st.peak_flows)
			mt->st.peak_flows = flowtable_count(mt->ft);
	}
	f->last_ms = t;
	f->packets++;
	f->bytes += p->bytes;
	f->tcp_flags |= p->tcp_flags;
	if (x != NULL)
		note_extra(mt, f, p, x, created);
	counted(mt, f, p, k->proto, FS_FIN, t);
}

void
meter_packet(struct meter *mt, const struct pkt *p)
{
	struct flow_key k = p->key;

	flowkey_reduce(&k, mt->conf.level);
	account(mt, p, NULL, &k, flowtable_hash(mt->ft, &k));
}

/* meter_packets and meter_packets_x: x NULL, or x[i] for p[i]. */
static inline __attribute__((always_inline)) void
packets(struct meter *mt, const struct pkt *p, const struct pkt_extra *x,
    size_t n)
{
	struct flow_key kr[METER_PKT_BATCH];	/* keys cut by -T proto, ip */
	const struct flow_key *k[METER_PKT_BATCH];
	uint64_t h[METER_PKT_BATCH];
	size_t m;

	while (n > 0) {
		m = n < METER_PKT_BATCH ? n : METER_PKT_BATCH;
		for (size_t i = 0; i < m; i++) {
			if (mt->conf.level == FLOWKEY_FULL)
				k[i] = &p[i].key;
			else {
				kr[i] = p[i].key;
				flowkey_reduce(&kr[i], mt->conf.level);
				k[i] = &kr[i];
			}
			h[i] = flowtable_hash(mt->ft, k[i]);
			flowtable_prefetch_slot(mt->ft, h[i]);
		}
		for (size_t i = 0; i < m; i++)
			flowtable_prefetch_flow(mt->ft, h[i]);
		for (size_t i = 0; i < m; i++)
			flowtable_prefetch_links(mt->ft, k[i], h[i]);
		for (size_t i = 0; i < m; i++)
			account(mt, &p[i], x != NULL ? &x[i] : NULL, k[i],
			    h[i]);
		p += m;
		if (x != NULL)
			x += m;
		n -= m;
	}
}

void
meter_packets(struct meter *mt, const struct pkt *p, size_t n)
{
	packets(mt, p, NULL, n);
}

void
meter_packets_x(struct meter *mt, const struct pkt *p,
    const struct pkt_extra *x, size_t n)
{
	if (mt->ext == NULL) {		/* made without conf.extras */
		packets(mt, p, NULL, n);
		return;
	}
	packets(mt, p, x, n);
}

/*
 * Expiry walks lists of flows last touched long ago, whose entries and
 * neighbours are rarely in the cache: each step hints at what removing
 * the next flow will touch (flowtable_prefetch_remove), so that those
 * misses overlap the work on this one instead of following it.
 */
void
meter_expire(struct meter *mt, uint64_t now_ms)
{
	struct flow *f, *g;
	uint8_t reason;

	if (now_ms > mt->now)
		mt->now = now_ms;
	for (unsigned l = 0; l < EXP_NCLASS; l++)
		while ((f = flowtable_list_head(mt->ft, l)) != NULL &&
		    (reason = due(mt, f, mt->now)) != FLOWEND_UNKNOWN) {
			if ((g = flowtable_list_next(mt->ft, f)) != NULL)
				flowtable_prefetch_remove(mt->ft, g);
			finish(mt, f, reason);
		}
	if (mt->conf.active_ms != 0)
		while ((f = flowtable_first(mt->ft)) != NULL &&
		    (reason = due(mt, f, mt->now)) != FLOWEND_UNKNOWN) {
			if ((g = flowtable_next(mt->ft, f)) != NULL)
				flowtable_prefetch_remove(mt->ft, g);
			finish(mt, f, reason);
		}
	mt->next_run = mt->now + mt->conf.interval_ms;
	flush(mt);
}

void
meter_expire_all(struct meter *mt, uint8_t reason)
{
	struct flow *f, *g;

	while ((f = flowtable_first(mt->ft)) != NULL) {
		if ((g = flowtable_next(mt->ft, f)) != NULL)
			flowtable_prefetch_remove(mt->ft, g);
		finish(mt, f, reason);
	}
	flush(mt);
}

uint64_t
meter_now(const struct meter *mt)
{
	return mt->now;
}

size_t
meter_active(const struct meter *mt)
{
	return flowtable_count(mt->ft);
}

void
meter_set_timeouts(struct meter *mt, const struct meter_conf *c)
{
	memcpy(mt->conf.idle_ms, c->idle_ms, sizeof(mt->conf.idle_ms));
	memcpy(mt->conf.idle_set, c->idle_set, sizeof(mt->conf.idle_set));
	mt->conf.active_ms = c->active_ms;
	if (c->interval_ms < mt->conf.interval_ms &&
	    mt->next_run > mt->now + c->interval_ms)
		mt->next_run = mt->now + c->interval_ms;
	mt->conf.interval_ms = c->interval_ms;
}

const struct meter_conf *
meter_conf(const struct meter *mt)
{
	return &mt->conf;
}

const struct meter_stats *
meter_stats(const struct meter *mt)
{
	return &mt->st;
}

const struct flowtable *
meter_table(const struct meter *mt)
{
	return mt->ft;
}

int
meter_foreach(const struct meter *mt, flowrec_sink_fn *sink, void *arg)
{
	struct flowrec r;
	const struct flow *f;
	int rc;

	for (f = flowtable_first(mt->ft); f != NULL;
	    f = flowtable_next(mt->ft, f)) {
		flow_to_rec(mt, f, FLOWEND_UNKNOWN, &r);
		if (mt->rev != NULL) {	/* -b: the reverse direction */
			r.out_packets = mt->rev[flowtable_index(mt->ft,
			    f)].packets;
			r.out_bytes = mt->rev[flowtable_index(mt->ft, f)].bytes;
		}
		if (mt->ext != NULL)
			finish_extra(mt, f, &r);
		if ((rc = sink(arg, &r)) != 0)
			return rc;
	}
	return NFE_OK;
}

static void
print_dur(FILE *fp, uint64_t ms)
{
	fprintf(fp, " %10" PRIu64 ".%02us", ms / 1000,
	    (unsigned)(ms % 1000 / 10));
}

void
meter_stats_print(const struct meter *mt, FILE *fp)
{
	static const char *const reasons[] = { "", "idle", "active",
	    "end-of-flow", "forced", "no-room" };
	const struct meter_stats *st = &mt->st;
	const struct meter_proto_stats *ps;
	uint64_t n = st->expired;

	fprintf(fp, "Number of active flows: %zu (peak %" PRIu64 ", "
	    "limit %" PRIu32 ")\n", flowtable_count(mt->ft), st->peak_flows,
	    flowtable_max(mt->ft));
	fprintf(fp, "Packets accounted: %" PRIu64 " (%" PRIu64 " octets)\n",
	    st->packets, st->bytes);
	fprintf(fp, "Flows created: %" PRIu64 "\n", st->created);
	fprintf(fp, "Flows expired: %" PRIu64 " (%" PRIu64 " forced, %"
	    PRIu64 " for lack of resources)\n", n,
	    st->by_reason[FLOWEND_FORCED], st->by_reason[FLOWEND_LACK]);
	fprintf(fp, "Flows exported: %" PRIu64 " records in %" PRIu64
	    " batches (%" PRIu64 " failures)\n", st->records,
	    st->export_calls, st->export_errors);
	if (n > 0) {
		fprintf(fp, "Expired flow statistics:  minimum       average"
		    "       maximum\n");
		fprintf(fp, "  Flow bytes:       %10" PRIu64 "    %10" PRIu64
		    "    %10" PRIu64 "\n", st->min_bytes, st->exp_bytes / n,
		    st->max_bytes);
		fprintf(fp, "  Flow packets:     %10" PRIu64 "    %10" PRIu64
		    "    %10" PRIu64 "\n", st->min_packets, st->exp_packets / n,
		    st->max_packets);
		fprintf(fp, "  Duration:      ");
		print_dur(fp, st->min_dur_ms);
		print_dur(fp, st->sum_dur_ms / n);
		print_dur(fp, st->max_dur_ms);
		fputc('\n', fp);
	}
	fprintf(fp, "Expired flow reasons:\n");
	for (int r = FLOWEND_IDLE; r <= FLOWEND_LACK; r++)
		fprintf(fp, "%12s = %10" PRIu64 "%s", reasons[r],
		    st->by_reason[r], r % 3 == 0 || r == FLOWEND_LACK ?
		    "\n" : "");
	fprintf(fp, "Idle and end-of-flow expiries by timeout:\n");
	for (size_t i = 0; i < NF_NELEM(class_names); i++)
		fprintf(fp, "%12s = %10" PRIu64 "%s", class_names[i].name,
		    st->by_class[class_names[i].cls], i % 3 == 2 ? "\n" : "");
	fprintf(fp, "Per-protocol statistics:     Octets      Packets   "
	    "Avg Life    Max Life\n");
	for (int p = 0; p < 256; p++) {
		ps = &st->proto[p];
		if (ps->flows == 0)
			continue;
		fprintf(fp, "  protocol %3d: %14" PRIu64 " %12" PRIu64, p,
		    ps->bytes, ps->packets);
		print_dur(fp, ps->dur_sum_ms / ps->flows);
		print_dur(fp, ps->dur_max_ms);
		fputc('\n', fp);
	}
}
