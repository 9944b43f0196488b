/*
 * collector/exporter.c -- per-exporter state, bounded.
 *
 * A keyed hash (random seed per run) over (address, version, domain)
 * with chaining; a flat array keeps every exporter in arrival order
 * for statistics and rotation.  Nothing here logs: callers log through
 * each exporter's rate limiter.
 */
#include "common/base/compat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "collector/exporter.h"
#include "common/base/nferr.h"
#include "common/codec/sflow.h"

static uint32_t
key_hash(const struct exporter_table *t, const struct nf_addr *a,
    uint16_t version, uint32_t domain)
{
	uint32_t h = 2166136261u ^ t->seed;

	for (size_t i = 0; i < sizeof(a->a); i++)
		h = (h ^ a->a[i]) * 16777619u;
	h = (h ^ version) * 16777619u;
	for (int i = 0; i < 4; i++)
		h = (h ^ ((domain >> (8 * i)) & 0xff)) * 16777619u;
	h ^= h >> 15;
	h *= 0x2c1b3c6dU;
	h ^= h >> 12;
	return h;
}

void
exporter_ids_init(struct exporter_ids *ids, size_t max)
{
	atomic_init(&ids->next, 0);
	ids->max = max > 0 ? max : EXPORTER_MAX;
}

int
exporter_table_init(struct exporter_table *t, size_t max,
    struct exporter_ids *ids)
{
	struct timespec ts;

	memset(t, 0, sizeof(*t));
	t->max = max > 0 ? max : EXPORTER_MAX;
	if (ids == NULL) {
		exporter_ids_init(&t->own_ids, t->max);
		ids = &t->own_ids;
	}
	t->ids = ids;
	t->nbucket = 64;
	while (t->nbucket < t->max && t->nbucket < 65536)
		t->nbucket <<= 1;
	t->bucket = calloc(t->nbucket, sizeof(*t->bucket));
	t->all = calloc(t->max, sizeof(*t->all));
	if (t->bucket == NULL || t->all == NULL) {
		free(t->bucket);
		free(t->all);
		return NFE_NOMEM;
	}
	t->held_max_bytes = HELD_MAX_BYTES;
	t->held_max_ms = HELD_MAX_MS;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	t->seed = (uint32_t)ts.tv_nsec ^ (uint32_t)getpid() << 16 ^
	    (uint32_t)(uintptr_t)t;
	return NFE_OK;
}

static void
held_free_all(struct exporter *e)
{
	struct held_set *h, *next;

	for (h = e->held; h != NULL; h = next) {
		next = h->next;
		free(h);
	}
	e->held = e->held_last = NULL;
	e->held_bytes = 0;
	e->held_n = 0;
}

void
exporter_table_fini(struct exporter_table *t)
{
	for (size_t i = 0; i < t->n; i++) {
		held_free_all(t->all[i]);
		free(t->all[i]);
	}
	free(t->all);
	free(t->bucket);
	memset(t, 0, sizeof(*t));
}

struct exporter *
exporter_find(struct exporter_table *t, const struct nf_addr *addr,
    uint16_t version, uint32_t domain)
{
	struct exporter *e;
	size_t b = key_hash(t, addr, version, domain) & (t->nbucket - 1);

	for (e = t->bucket[b]; e != NULL; e = e->hnext)
		if (e->version == version && e->domain == domain &&
		    addr_eq(&e->addr, addr))
			return e;
	return NULL;
}

/* The next id, unless the bound of all tables sharing ids is reached. */
static bool
take_id(struct exporter_ids *ids, uint32_t *id)
{
	uint32_t n = atomic_load_explicit(&ids->next, memory_order_relaxed);

	do {
		if (n >= ids->max)
			return false;
	} while (!atomic_compare_exchange_weak_explicit(&ids->next, &n, n + 1,
	    memory_order_relaxed, memory_order_relaxed));
	*id = n;
	return true;
}

struct exporter *
exporter_get(struct exporter_table *t, const struct nf_addr *addr,
    uint16_t port, uint16_t version, uint32_t domain)
{
	struct exporter *e;
	size_t b = key_hash(t, addr, version, domain) & (t->nbucket - 1);
	char abuf[ADDR_STRLEN];
	uint32_t id;

	if ((e = exporter_find(t, addr, version, domain)) != NULL) {
		e->port = port;
		return e;
	}
	if (t->n >= t->max || !take_id(t->ids, &id)) {
		t->refused++;
		return NULL;
	}
	if ((e = aligned_alloc(_Alignof(struct exporter),
	    sizeof(*e))) == NULL) {
		t->refused++;		/* its id stays taken */
		return NULL;
	}
	memset(e, 0, sizeof(*e));
	e->id = id;
	e->addr = *addr;
	e->port = port;
	e->version = version;
	e->domain = domain;
	e->rl.interval_ms = 60000;
	e->rl.burst = 5;
	if (version == SFLOW_EXPORTER_VERSION)
		snprintf(e->name, sizeof(e->name), "%s sFlow/%u",
		    addr_format(addr, abuf, sizeof(abuf)), (unsigned)domain);
	else
		snprintf(e->name, sizeof(e->name), "%s v%u/%u",
		    addr_format(addr, abuf, sizeof(abuf)), (unsigned)version,
		    (unsigned)domain);
	e->hnext = t->bucket[b];
	t->bucket[b] = e;
	t->all[t->n++] = e;
	return e;
}

/* Count n for the writer (pend) and in the owner's since-start total. */
#define COUNT(e, f, n) do {						\
	(e)->pend.f += (n);						\
	(e)->total.f += (n);						\
} while (0)

enum seq_result
exporter_account(struct exporter *e, int rc, const struct nf_dgram_info *info,
    uint32_t *missing)
{
	enum seq_result sr = SEQ_OK;
	uint32_t miss = 0;

	COUNT(e, datagrams, 1);
	COUNT(e, no_template, info->no_template);
	COUNT(e, bad_sets, info->bad_sets);
	COUNT(e, templates, info->templates);
	COUNT(e, counter_samples, info->counters);
	COUNT(e, no_ip_samples, info->no_ip);
	if (rc != NFE_OK && rc != NFE_NOTMPL) {
		COUNT(e, bad_datagrams, 1);
		if (missing != NULL)
			*missing = 0;
		return SEQ_OK;
	}
	if (info->sampling > 0)
		e->sampling = info->sampling;
	if (info->has_seq) {
		sr = seq_update(&e->seq, info->seq, info->seq_step, &miss);
		if (sr == SEQ_GAP) {
			COUNT(e, seq_lost, miss);
			COUNT(e, seq_gaps, 1);
		} else if (sr == SEQ_RESET) {
			COUNT(e, seq_resets, 1);
		}
	}
	if (missing != NULL)
		*missing = miss;
	return sr;
}

/* Unlink *pp (a held set of e) and free it. */
static void
held_unlink(struct exporter *e, struct held_set **pp)
{
	struct held_set *h = *pp;

	*pp = h->next;
	if (e->held_last == h) {
		struct held_set *x;

		e->held_last = NULL;
		for (x = e->held; x != NULL; x = x->next)
			e->held_last = x;
	}
	e->held_bytes -= h->len;
	e->held_n--;
	free(h);
}

static bool
held_fits(const struct exporter_table *t, const struct exporter *e,
    size_t len)
{
	return e->held_bytes + len <= t->held_max_bytes &&
	    e->held_n < HELD_MAX_SETS;
}

int
exporter_hold(struct exporter_table *t, struct exporter *e, uint16_t version,
    uint32_t domain, uint16_t template_id, const uint8_t *set, size_t len,
    uint64_t export_ms, uint32_t sys_uptime_ms, uint64_t now_ms,
    bool rate_wait)
{
	struct held_set *h, **pp = &e->held;

	if (len > t->held_max_bytes) {
		if (!rate_wait)
			COUNT(e, held_dropped, 1);
		return NFE_LIMIT;
	}
	/* make room by dropping the oldest sets without template only */
	while (!rate_wait && !held_fits(t, e, len) && *pp != NULL) {
		if ((*pp)->rate_wait) {
			pp = &(*pp)->next;
			continue;
		}
		held_unlink(e, pp);
		COUNT(e, held_dropped, 1);
	}
	if (!held_fits(t, e, len)) {
		if (!rate_wait)
			COUNT(e, held_dropped, 1);
		return NFE_LIMIT;
	}
	if ((h = malloc(sizeof(*h) + len)) == NULL) {
		if (!rate_wait)
			COUNT(e, held_dropped, 1);
		return NFE_NOMEM;
	}
	h->next = NULL;
	h->arrival_ms = now_ms;
	h->export_ms = export_ms;
	h->sys_uptime_ms = sys_uptime_ms;
	h->domain = domain;
	h->version = version;
	h->template_id = template_id;
	h->rate_wait = rate_wait;
	h->no_tmpl = !rate_wait;
	h->len = len;
	memcpy(h->data, set, len);
	if (e->held_last != NULL)
		e->held_last->next = h;
	else
		e->held = h;
	e->held_last = h;
	e->held_bytes += len;
	e->held_n++;
	if (rate_wait)
		COUNT(e, rate_held, 1);
	return NFE_OK;
}

size_t
exporter_held_expire(struct exporter_table *t, struct exporter *e,
    uint64_t now_ms, exporter_held_fn *fn, void *arg)
{
	struct held_set *h;
	size_t n = 0;

	while ((h = e->held) != NULL && (now_ms == UINT64_MAX ||
	    now_ms - h->arrival_ms >= t->held_max_ms)) {
		if (fn != NULL && fn(arg, e, h) == NFE_OK) {
			if (h->no_tmpl)
				COUNT(e, held_decoded, 1);
			if (h->rate_wait)
				COUNT(e, rate_expired, 1);
		} else
			COUNT(e, held_dropped, 1);
		held_unlink(e, &e->held);
		n++;
	}
	return n;
}

size_t
exporter_held_retry(struct exporter *e, exporter_held_fn *fn, void *arg)
{
	struct held_set **pp = &e->held, *h;
	size_t decoded = 0;
	int r;

	e->held_last = NULL;
	while ((h = *pp) != NULL) {
		r = fn(arg, e, h);
		if (r == NFE_NOTMPL) {
			e->held_last = h;
			pp = &h->next;
			continue;
		}
		if (r == NFE_OK) {
			if (h->no_tmpl)
				COUNT(e, held_decoded, 1);
			decoded++;
		} else {
			COUNT(e, held_dropped, 1);
		}
		*pp = h->next;
		e->held_bytes -= h->len;
		e->held_n--;
		free(h);
	}
	return decoded;
}

bool
exporter_take(struct exporter *e, struct exp_delta *d)
{
	static const struct exp_counters zero;
	bool any = memcmp(&e->pend, &zero, sizeof(zero)) != 0;

	d->n = e->pend;
	d->sampling = e->sampling;
	d->port = e->port;
	if (any)
		memset(&e->pend, 0, sizeof(e->pend));
	return any;
}

/* a += b, counter by counter */
static void
add_counters(struct exp_counters *a, const struct exp_counters *b)
{
	uint64_t *pa = (uint64_t *)a;
	const uint64_t *pb = (const uint64_t *)b;

	for (size_t i = 0; i < sizeof(*a) / sizeof(uint64_t); i++)
		pa[i] += pb[i];
}

void
exporter_show(struct exporter *e, const struct exp_delta *d)
{
	add_counters(&e->shown.cur, &d->n);
	add_counters(&e->shown.total, &d->n);
	e->shown.sampling = d->sampling;
	e->shown.port = d->port;
}

void
exporter_rotate(struct exporter *e)
{
	memset(&e->shown.cur, 0, sizeof(e->shown.cur));
}

void
exporter_file_entry(const struct exporter *e, struct ffile_exporter *x)
{
	const struct exp_counters *c = &e->shown.cur;

	x->addr = e->addr;
	x->port = e->shown.port;
	x->version = e->version;
	x->domain = e->domain;
	x->sampling = e->shown.sampling;
	memset(&x->stats, 0, sizeof(x->stats));
	x->stats.datagrams = c->datagrams;
	x->stats.records = c->records;
	x->stats.seq_gaps = c->seq_gaps;
	x->stats.seq_lost = c->seq_lost;
	x->stats.seq_resets = c->seq_resets;
	x->stats.malformed = c->bad_datagrams;
	x->stats.no_template = c->no_template;
	x->stats.dropped = c->held_dropped;
}
