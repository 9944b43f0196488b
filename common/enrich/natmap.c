/*
 * common/enrich/natmap.c -- CGNAT mappings (natmap.h).  The outside
 * address table is open addressing with linear probing and
 * backward-shift deletion, as in the session store.
 */
#include "common/base/compat.h"

#include <stdlib.h>
#include <string.h>

#include "common/base/nferr.h"
#include "common/enrich/natmap.h"
#include "common/enrich/strtab.h"

struct nmap {
	uint64_t	 start, stop;	/* [start, stop), ms */
	struct nf_addr	 inside;
	uint16_t	 lo, hi, step;
	bool		 open;		/* no de-allocation seen yet */
};

struct nmaps {
	uint32_t	 n, cap;
	struct nmap	 e[];		/* newest first */
};

struct nslot {
	struct nf_addr	 outside;
	struct nmaps	*v;		/* owned; NULL: empty slot */
};

struct natmap {
	struct nslot	*s;		/* owned; ns slots, a power of two */
	uint32_t	 ns, nused;
	size_t		 nmaps, max_maps;
	uint64_t	 timeout_ms;
	struct natmap_stats st;
};

int
natmap_new(size_t max_maps, uint64_t timeout_ms, struct natmap **out)
{
	struct natmap *nm;

	*out = NULL;
	if ((nm = calloc(1, sizeof(*nm))) == NULL)
		return NFE_NOMEM;
	nm->max_maps = max_maps;
	nm->timeout_ms = timeout_ms;
	*out = nm;
	return NFE_OK;
}

void
natmap_free(struct natmap *nm)
{
	if (nm == NULL)
		return;
	for (uint32_t i = 0; i < nm->ns; i++)
		free(nm->s[i].v);
	free(nm->s);
	free(nm);
}

size_t
natmap_count(const struct natmap *nm)
{
	return nm->nmaps;
}

const struct natmap_stats *
natmap_stats(const struct natmap *nm)
{
	return &nm->st;
}

static uint32_t
home(const struct natmap *nm, const struct nf_addr *a)
{
	return (uint32_t)strtab_hash(a->a, 16, 3) & (nm->ns - 1);
}

static uint32_t
find(const struct natmap *nm, const struct nf_addr *a)
{
	uint32_t i;

	if (nm->ns == 0)
		return UINT32_MAX;
	for (i = home(nm, a); nm->s[i].v != NULL; i = (i + 1) & (nm->ns - 1))
		if (addr_eq(&nm->s[i].outside, a))
			return i;
	return UINT32_MAX;
}

static int
grow(struct natmap *nm)
{
	struct natmap old = *nm;

	nm->ns = old.ns == 0 ? 256 : old.ns * 2;
	if ((nm->s = calloc(nm->ns, sizeof(*nm->s))) == NULL) {
		nm->s = old.s;
		nm->ns = old.ns;
		return NFE_NOMEM;
	}
	for (uint32_t j = 0; j < old.ns; j++) {
		uint32_t i;

		if (old.s[j].v == NULL)
			continue;
		for (i = home(nm, &old.s[j].outside); nm->s[i].v != NULL;
		    i = (i + 1) & (nm->ns - 1))
			;
		nm->s[i] = old.s[j];
	}
	free(old.s);
	return NFE_OK;
}

static void
slot_delete(struct natmap *nm, uint32_t i)
{
	uint32_t m = nm->ns - 1, j = i;

	nm->nused--;
	for (;;) {
		uint32_t h;

		j = (j + 1) & m;
		if (nm->s[j].v == NULL)
			break;
		h = home(nm, &nm->s[j].outside);
		if (((j - h) & m) >= ((j - i) & m)) {
			nm->s[i] = nm->s[j];
			i = j;
		}
	}
	nm->s[i].v = NULL;
}

int
natmap_event_of(uint8_t nat_event, uint64_t time_ms,
    const struct nf_addr *inside, uint16_t inside_port,
    const struct nf_addr *outside, uint16_t outside_port,
    uint16_t range_start, uint16_t range_end, uint16_t range_step,
    struct natmap_event *ev)
{
	(void)inside_port;
	memset(ev, 0, sizeof(*ev));
	ev->time_ms = time_ms;
	ev->inside = *inside;
	ev->outside = *outside;
	switch (nat_event) {
	case NATEV_CREATE:
	case NATEV_NAT44_CREATE:
	case NATEV_DELETE:
	case NATEV_NAT44_DELETE:
		ev->create = nat_event == NATEV_CREATE ||
		    nat_event == NATEV_NAT44_CREATE;
		ev->port_lo = ev->port_hi = outside_port;
		break;
	case NATEV_BLOCK_ALLOC:
	case NATEV_BLOCK_FREE:
		ev->create = nat_event == NATEV_BLOCK_ALLOC;
		if (range_start == 0 && range_end == 0)
			return NFE_UNSUPP;	/* no range: nothing to map */
		ev->port_lo = range_start;
		ev->port_hi = range_end;
		ev->step = range_step;
		break;
	case NATEV_BIND_CREATE:
	case NATEV_BIND_DELETE:
		ev->create = nat_event == NATEV_BIND_CREATE;
		ev->port_lo = 0;
		ev->port_hi = 65535;
		break;
	default:
		return NFE_UNSUPP;
	}
	if (addr_is_zero(outside) || addr_is_zero(inside))
		return NFE_UNSUPP;
	return NFE_OK;
}

/*
 * Insert m under outside, newest first.  A mapping with the same
 * start, first port and inside address is the same allocation: kept
 * (replace false, an event seen again) or overwritten (replace true).
 */
static int
insert(struct natmap *nm, const struct nf_addr *outside, const struct nmap *m,
    bool replace)
{
	struct nmaps *v;
	uint32_t i, k;

	if ((i = find(nm, outside)) != UINT32_MAX) {
		v = nm->s[i].v;
		for (k = 0; k < v->n && v->e[k].start >= m->start; k++)
			if (v->e[k].start == m->start && v->e[k].lo == m->lo &&
			    addr_eq(&v->e[k].inside, &m->inside)) {
				if (replace)
					v->e[k] = *m;
				return NFE_OK;	/* the same allocation again */
			}
	}
	if (nm->nmaps >= nm->max_maps) {
		nm->st.limit_drops++;
		return NFE_LIMIT;
	}
	if (i == UINT32_MAX) {
		if ((nm->nused + 1) * 2 > nm->ns && grow(nm) != NFE_OK)
			return NFE_NOMEM;
		if ((v = malloc(sizeof(*v) + 2 * sizeof(v->e[0]))) == NULL)
			return NFE_NOMEM;
		v->n = 0;
		v->cap = 2;
		for (i = home(nm, outside); nm->s[i].v != NULL;
		    i = (i + 1) & (nm->ns - 1))
			;
		nm->s[i].outside = *outside;
		nm->s[i].v = v;
		nm->nused++;
	}
	v = nm->s[i].v;
	if (v->n == v->cap) {
		uint32_t ncap = v->cap * 2;
		struct nmaps *nv = realloc(v, sizeof(*v) + ncap * sizeof(v->e[0]));

		if (nv == NULL)
			return NFE_NOMEM;
		v = nm->s[i].v = nv;
		v->cap = ncap;
	}
	for (k = 0; k < v->n && v->e[k].start > m->start; k++)
		;
	memmove(&v->e[k + 1], &v->e[k], (v->n - k) * sizeof(v->e[0]));
	v->e[k] = *m;
	v->n++;
	nm->nmaps++;
	return NFE_OK;
}

static int
add(struct natmap *nm, const struct natmap_event *ev)
{
	struct nmap m;
	size_t before = nm->nmaps;
	int r;

	memset(&m, 0, sizeof(m));
	m.start = ev->time_ms;
	m.stop = ev->time_ms > UINT64_MAX - nm->timeout_ms ? UINT64_MAX :
	    ev->time_ms + nm->timeout_ms;
	m.inside = ev->inside;
	m.lo = ev->port_lo;
	m.hi = ev->port_hi;
	m.step = ev->step;
	m.open = true;
	if ((r = insert(nm, &ev->outside, &m, false)) == NFE_OK &&
	    nm->nmaps > before)
		nm->st.allocs++;
	return r;
}

int
natmap_restore(struct natmap *nm, const struct natmap_entry *e)
{
	struct nmap m;
	size_t before = nm->nmaps;
	int r;

	if (e->port_hi < e->port_lo || e->stop <= e->start) {
		nm->st.bad++;
		return NFE_INVAL;
	}
	memset(&m, 0, sizeof(m));
	m.start = e->start;
	m.stop = e->stop;
	m.inside = e->inside;
	m.lo = e->port_lo;
	m.hi = e->port_hi;
	m.step = e->step;
	m.open = e->open;
	if ((r = insert(nm, &e->outside, &m, true)) == NFE_OK &&
	    nm->nmaps > before)
		nm->st.restored++;
	return r;
}

int
natmap_walk(const struct natmap *nm,
    int (*fn)(void *arg, const struct natmap_entry *e), void *arg)
{
	struct natmap_entry e;
	int r;

	for (uint32_t i = 0; i < nm->ns; i++) {
		const struct nmaps *v = nm->s[i].v;

		if (v == NULL)
			continue;
		for (uint32_t k = 0; k < v->n; k++) {
			const struct nmap *m = &v->e[k];

			memset(&e, 0, sizeof(e));
			e.outside = nm->s[i].outside;
			e.inside = m->inside;
			e.start = m->start;
			e.stop = m->stop;
			e.port_lo = m->lo;
			e.port_hi = m->hi;
			e.step = m->step;
			e.open = m->open;
			if ((r = fn(arg, &e)) != 0)
				return r;
		}
	}
	return 0;
}

static int
del(struct natmap *nm, const struct natmap_event *ev)
{
	uint32_t i = find(nm, &ev->outside);
	struct nmaps *v;

	nm->st.frees++;
	if (i != UINT32_MAX) {
		v = nm->s[i].v;
		for (uint32_t k = 0; k < v->n; k++) {
			struct nmap *m = &v->e[k];

			if (m->open && m->lo == ev->port_lo &&
			    m->start <= ev->time_ms &&
			    addr_eq(&m->inside, &ev->inside)) {
				m->stop = ev->time_ms > m->start ? ev->time_ms :
				    m->start + 1;
				m->open = false;
				return NFE_OK;
			}
		}
	}
	nm->st.frees_unknown++;
	return NFE_OK;
}

int
natmap_apply(struct natmap *nm, const struct natmap_event *ev)
{
	if (ev->port_hi < ev->port_lo) {
		nm->st.bad++;
		return NFE_INVAL;
	}
	return ev->create ? add(nm, ev) : del(nm, ev);
}

bool
natmap_lookup(const struct natmap *nm, const struct nf_addr *outside,
    uint16_t port, uint64_t t, struct nf_addr *inside)
{
	uint32_t i = find(nm, outside);
	const struct nmaps *v;

	if (i == UINT32_MAX)
		return false;
	v = nm->s[i].v;
	for (uint32_t k = 0; k < v->n; k++) {
		const struct nmap *m = &v->e[k];

		if (m->start > t || t >= m->stop || port < m->lo || port > m->hi)
			continue;
		if (m->step > 1 && (port - m->lo) % m->step != 0)
			continue;
		*inside = m->inside;
		return true;
	}
	return false;
}

void
natmap_expire(struct natmap *nm, uint64_t cutoff_ms)
{
	for (uint32_t i = 0; i < nm->ns; i++)
		while (nm->s[i].v != NULL) {
			struct nmaps *v = nm->s[i].v;
			uint32_t w = 0;

			for (uint32_t k = 0; k < v->n; k++)
				if (v->e[k].stop > cutoff_ms)
					v->e[w++] = v->e[k];
			nm->nmaps -= v->n - w;
			v->n = w;
			if (w > 0)
				break;
			free(v);
			slot_delete(nm, i);
		}
}
