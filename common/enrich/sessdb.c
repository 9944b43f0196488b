/*
 * common/enrich/sessdb.c -- the session store (sessdb.h): tables,
 * events, expiry, and walking for persistence.  The lookup is in
 * sessdb_lookup.c.
 *
 * Both hash tables use linear probing with backward-shift deletion, so
 * deleting never leaves tombstones that slow later lookups.  A prefix
 * keeps a stable id (pid) that open sessions use to find it again,
 * because its slot moves when the table grows or a neighbour goes.
 */
#include "common/base/compat.h"

#include <stdlib.h>
#include <string.h>

#include "common/base/nferr.h"
#include "common/enrich/sessdb_int.h"

void
sessdb_conf_default(struct sessdb_conf *c)
{
	c->max_sessions = SESSDB_DEF_MAX_SESSIONS;
	c->max_prefixes = SESSDB_DEF_MAX_PREFIXES;
	c->max_user_bytes = SESSDB_DEF_MAX_USER_BYTES;
	c->max_nas = SESSDB_DEF_MAX_NAS;
	c->timeout_ms = SESSDB_DEF_TIMEOUT_MS;
	c->keep_ms = SESSDB_KEEP_ALL;
}

int
sessdb_new(const struct sessdb_conf *conf, struct sessdb **out)
{
	struct sessdb *db;

	*out = NULL;
	if ((db = calloc(1, sizeof(*db))) == NULL)
		return NFE_NOMEM;
	db->conf = *conf;
	if (db->conf.max_nas > 65535)
		db->conf.max_nas = 65535;
	if (db->conf.max_prefixes > (UINT32_C(1) << 30))
		db->conf.max_prefixes = UINT32_C(1) << 30;
	db->pidfree = SESSDB_NIL;
	strtab_init(&db->users, db->conf.max_user_bytes);
	for (unsigned len = 0; len <= 128; len++) {
		struct nf_addr m;

		memset(m.a, 0xff, sizeof(m.a));
		for (unsigned b = len; b < 128; b++)
			m.a[b / 8] &= (uint8_t)~(0x80u >> (b % 8));
		addr_words(&m, &db->mask[len][0], &db->mask[len][1]);
	}
	*out = db;
	return NFE_OK;
}

void
sessdb_free(struct sessdb *db)
{
	if (db == NULL)
		return;
	for (uint32_t i = 0; i < db->nps; i++)
		free(db->ps[i].v);
	free(db->ps);
	free(db->pid2slot);
	free(db->os);
	free(db->nas);
	strtab_fini(&db->users);
	free(db);
}

uint64_t
sessdb_sid(const struct nf_addr *nas, const void *id, size_t len)
{
	uint64_t h = strtab_hash(id, len, strtab_hash(nas->a, 16, 1));

	return h != 0 ? h : 1;
}

const struct sessdb_stats *
sessdb_stats(const struct sessdb *db)
{
	return &db->st;
}

void
sessdb_info(const struct sessdb *db, struct sessdb_info *inf)
{
	size_t arrays = 0;

	for (uint32_t i = 0; i < db->nps; i++)
		if (db->ps[i].v != NULL)	/* malloc adds about 16 bytes */
			arrays += sizeof(struct ivls) + 16 +
			    (size_t)db->ps[i].v->cap * sizeof(struct ivl);
	inf->sessions = (size_t)db->nsess;
	inf->open = db->nopen;
	inf->prefixes = db->nprefix;
	inf->users = db->users.live;
	inf->nas = db->nnas;
	inf->mem_bytes = sizeof(*db) + (size_t)db->nps * sizeof(struct pslot) +
	    arrays + (size_t)db->pidcap * 4 +
	    (size_t)db->nos * sizeof(struct oslot) +
	    (size_t)db->nascap * sizeof(struct nf_addr) + strtab_mem(&db->users);
}

/* Absolute prefix length and masked words of p; false if p is bad. */
static bool
pfx_key(const struct sessdb *db, const struct nf_prefix *p, unsigned *alen,
    uint64_t *lo, uint64_t *hi)
{
	bool v4 = addr_is_v4(&p->addr);

	if (p->len > (v4 ? 32 : 128))
		return false;
	*alen = v4 ? 96u + p->len : p->len;
	addr_words(&p->addr, lo, hi);
	*lo &= db->mask[*alen][0];
	*hi &= db->mask[*alen][1];
	return true;
}

static bool
alen_is_v4(const struct pslot *p)
{
	return p->alen >= 96 && addr_is_v4(&p->addr);
}

/* Rebuild the longest-first lists of lengths present. */
static void
lens_rebuild(struct sessdb *db)
{
	db->nlens4 = db->nlens6 = 0;
	for (int len = 128; len >= 0; len--) {
		if (db->lencount[0][len] != 0)
			db->lens4[db->nlens4++] = (uint8_t)len;
		if (db->lencount[1][len] != 0)
			db->lens6[db->nlens6++] = (uint8_t)len;
	}
}

static void
lencount_add(struct sessdb *db, const struct pslot *p, int d)
{
	uint32_t *c = &db->lencount[alen_is_v4(p) ? 0 : 1][p->alen];
	bool was = *c != 0;

	*c = (uint32_t)((int64_t)*c + d);
	if (was != (*c != 0))
		lens_rebuild(db);
}

static uint32_t
slot_home(const struct sessdb *db, const struct pslot *p)
{
	uint64_t lo, hi;

	addr_words(&p->addr, &lo, &hi);
	return (uint32_t)pkey_hash(lo, hi, p->alen) & (db->nps - 1);
}

static int
ps_grow(struct sessdb *db)
{
	uint32_t nps = db->nps == 0 ? 1024 : db->nps * 2, m = nps - 1;
	struct pslot *ps;

	if ((ps = calloc(nps, sizeof(*ps))) == NULL)
		return NFE_NOMEM;
	for (uint32_t j = 0; j < db->nps; j++) {
		const struct pslot *p = &db->ps[j];
		uint64_t lo, hi;
		uint32_t i;

		if (p->v == NULL)
			continue;
		addr_words(&p->addr, &lo, &hi);
		i = (uint32_t)pkey_hash(lo, hi, p->alen) & m;
		while (ps[i].v != NULL)
			i = (i + 1) & m;
		ps[i] = *p;
		db->pid2slot[p->pid] = i;
	}
	free(db->ps);
	db->ps = ps;
	db->nps = nps;
	return NFE_OK;
}

/* Forget slot i (its array already freed or handed on). */
static void
ps_delete(struct sessdb *db, uint32_t i)
{
	uint32_t m = db->nps - 1, j = i;

	lencount_add(db, &db->ps[i], -1);
	db->nprefix--;
	db->pid2slot[db->ps[i].pid] = db->pidfree;
	db->pidfree = db->ps[i].pid;
	for (;;) {
		uint32_t home;

		j = (j + 1) & m;
		if (db->ps[j].v == NULL)
			break;
		home = slot_home(db, &db->ps[j]);
		if (((j - home) & m) >= ((j - i) & m)) {
			db->ps[i] = db->ps[j];
			db->pid2slot[db->ps[i].pid] = i;
			i = j;
		}
	}
	memset(&db->ps[i], 0, sizeof(db->ps[i]));
}

static int
pid_alloc(struct sessdb *db, uint32_t *pid)
{
	if (db->pidfree != SESSDB_NIL) {
		*pid = db->pidfree;
		db->pidfree = db->pid2slot[*pid];
		return NFE_OK;
	}
	if (db->pidused == db->pidcap) {
		uint32_t ncap = db->pidcap == 0 ? 1024 : db->pidcap * 2;
		uint32_t *n = realloc(db->pid2slot, (size_t)ncap * sizeof(*n));

		if (n == NULL)
			return NFE_NOMEM;
		db->pid2slot = n;
		db->pidcap = ncap;
	}
	*pid = db->pidused++;
	return NFE_OK;
}

/* The slot of prefix p, created (empty array) if absent and add is set. */
static int
ps_get(struct sessdb *db, const struct nf_prefix *p, bool add, uint32_t *out)
{
	uint64_t lo, hi;
	unsigned alen;
	uint32_t i, m, pid;
	struct ivls *v;
	int r;

	*out = SESSDB_NIL;
	if (!pfx_key(db, p, &alen, &lo, &hi))
		return NFE_INVAL;
	if ((i = pslot_find(db, lo, hi, alen)) != SESSDB_NIL) {
		*out = i;
		return NFE_OK;
	}
	if (!add)
		return NFE_OK;
	if (db->nprefix >= db->conf.max_prefixes)
		return NFE_LIMIT;
	if ((size_t)(db->nprefix + 1) * 2 > db->nps && (r = ps_grow(db)) != NFE_OK)
		return r;
	if ((v = malloc(sizeof(*v) + 2 * sizeof(v->e[0]))) == NULL)
		return NFE_NOMEM;
	if ((r = pid_alloc(db, &pid)) != NFE_OK) {
		free(v);
		return r;
	}
	v->n = 0;
	v->cap = 2;
	m = db->nps - 1;
	for (i = (uint32_t)pkey_hash(lo, hi, alen) & m; db->ps[i].v != NULL;
	    i = (i + 1) & m)
		;
	memcpy(db->ps[i].addr.a, &lo, 8);
	memcpy(db->ps[i].addr.a + 8, &hi, 8);
	db->ps[i].v = v;
	db->ps[i].pid = pid;
	db->ps[i].alen = (uint8_t)alen;
	db->pid2slot[pid] = i;
	db->nprefix++;
	lencount_add(db, &db->ps[i], 1);
	*out = i;
	return NFE_OK;
}

/* Recompute the tails of index k and every newer session (k .. 0). */
static void
retail(struct ivls *v, uint32_t k)
{
	uint64_t t;

	if (v->n == 0)
		return;
	if (k >= v->n)
		k = v->n - 1;
	t = k + 1 < v->n ? v->e[k + 1].tail : 0;
	for (uint32_t i = k + 1; i-- > 0;) {
		uint64_t own = (v->e[i].user & S_OPEN) ? TAIL_OPEN : v->e[i].stop;

		if (own > t)
			t = own;
		v->e[i].tail = t;
	}
}

/* Index of the open session of v that starts at start, or SESSDB_NIL. */
static uint32_t
ivl_find_open(const struct ivls *v, uint64_t start)
{
	uint32_t lo = 0, hi = v->n;

	while (lo < hi) {		/* first index with e.start <= start */
		uint32_t mid = lo + (hi - lo) / 2;

		if (v->e[mid].start > start)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < v->n && v->e[lo].start == start; lo++)
		if (v->e[lo].user & S_OPEN)
			return lo;
	return SESSDB_NIL;
}

/*
 * Add a session to prefix slot ps; a session of the same start and user
 * is the same session (a replay or a second source), so it is updated
 * instead.  *idx is its index in the prefix's array.
 */
static int
ivl_add(struct sessdb *db, uint32_t ps, uint64_t start, uint64_t stop,
    uint32_t user, bool open, uint32_t *idx)
{
	struct ivls *v = db->ps[ps].v;
	uint32_t k = 0;

	/* newest first; before every session that starts no later (a new
	   one is newer than others of its start) */
	while (k < v->n && v->e[k].start > start)
		k++;
	for (uint32_t i = k; i < v->n && v->e[i].start == start; i++) {
		struct ivl *s = &v->e[i];

		if (S_USER(s->user) != user)
			continue;
		if (open && !(s->user & S_OPEN)) {
			s->user |= S_OPEN;	/* the same session, reopened */
			s->stop = stop;
		} else if (!open && !(s->user & S_OPEN))
			s->stop = stop;
		retail(v, i);
		*idx = i;
		return NFE_OK;
	}
	if (db->nsess >= db->conf.max_sessions)
		return NFE_LIMIT;
	if (v->n == v->cap) {
		uint32_t ncap = v->cap + (v->cap + 1) / 2;	/* 1.5x */

		if ((v = realloc(v, sizeof(*v) + (size_t)ncap * sizeof(v->e[0]))) ==
		    NULL)
			return NFE_NOMEM;
		v->cap = ncap;
		db->ps[ps].v = v;
	}
	memmove(&v->e[k + 1], &v->e[k], (size_t)(v->n - k) * sizeof(v->e[0]));
	v->e[k].start = start;
	v->e[k].stop = stop;
	v->e[k].user = user | (open ? S_OPEN : 0);
	v->e[k].pad = 0;
	v->n++;
	retail(v, k);
	strtab_ref(&db->users, user);
	db->nsess++;
	*idx = k;
	return NFE_OK;
}

static int
os_grow(struct sessdb *db)
{
	uint32_t nos = db->nos == 0 ? 1024 : db->nos * 2, m = nos - 1;
	struct oslot *os;

	if ((os = calloc(nos, sizeof(*os))) == NULL)
		return NFE_NOMEM;
	for (uint32_t j = 0; j < db->nos; j++) {
		uint32_t i;

		if (db->os[j].sid == 0)
			continue;
		i = (uint32_t)db->os[j].sid & m;
		while (os[i].sid != 0)
			i = (i + 1) & m;
		os[i] = db->os[j];
	}
	free(db->os);
	db->os = os;
	db->nos = nos;
	return NFE_OK;
}

static uint32_t
os_find(const struct sessdb *db, uint64_t sid)
{
	uint32_t m, i;

	if (db->nos == 0)
		return SESSDB_NIL;
	m = db->nos - 1;
	for (i = (uint32_t)sid & m; db->os[i].sid != 0; i = (i + 1) & m)
		if (db->os[i].sid == sid)
			return i;
	return SESSDB_NIL;
}

static void
os_delete(struct sessdb *db, uint32_t i)
{
	uint32_t m = db->nos - 1, j = i;

	db->nopen--;
	for (;;) {
		uint32_t home;

		j = (j + 1) & m;
		if (db->os[j].sid == 0)
			break;
		home = (uint32_t)db->os[j].sid & m;
		if (((j - home) & m) >= ((j - i) & m)) {
			db->os[i] = db->os[j];
			i = j;
		}
	}
	memset(&db->os[i], 0, sizeof(db->os[i]));
}

/* Index of a NAS address, added if new and add; SESSDB_NIL otherwise. */
static uint32_t
nas_index(struct sessdb *db, const struct nf_addr *a, bool add)
{
	for (uint32_t i = 0; i < db->nnas; i++)
		if (addr_eq(&db->nas[i], a))
			return i;
	if (!add || db->nnas >= db->conf.max_nas)
		return SESSDB_NIL;
	if (db->nnas == db->nascap) {
		uint32_t ncap = db->nascap == 0 ? 16 : db->nascap * 2;
		struct nf_addr *n = realloc(db->nas, ncap * sizeof(*n));

		if (n == NULL)
			return SESSDB_NIL;
		db->nas = n;
		db->nascap = ncap;
	}
	db->nas[db->nnas] = *a;
	return db->nnas++;
}

/* New empty open slot for sid; SESSDB_NIL on failure (*r says why). */
static uint32_t
os_new(struct sessdb *db, uint64_t sid, const struct nf_addr *nas,
    uint32_t timeout_s, int *r)
{
	uint32_t m, i, ni;

	if ((size_t)(db->nopen + 1) * 2 > db->nos &&
	    (*r = os_grow(db)) != NFE_OK)
		return SESSDB_NIL;
	if ((ni = nas_index(db, nas, true)) == SESSDB_NIL) {
		*r = NFE_LIMIT;
		return SESSDB_NIL;
	}
	m = db->nos - 1;
	for (i = (uint32_t)sid & m; db->os[i].sid != 0; i = (i + 1) & m)
		;
	memset(&db->os[i], 0, sizeof(db->os[i]));
	db->os[i].sid = sid;
	db->os[i].nas = (uint16_t)ni;
	db->os[i].timeout_s = timeout_s;
	db->nopen++;
	*r = NFE_OK;
	return i;
}

/* The k-th session of open slot o: its prefix array and index there. */
static struct ivl *
os_ivl(const struct sessdb *db, const struct oslot *e, unsigned k,
    struct ivls **vp, uint32_t *ip)
{
	struct ivls *v = db->ps[db->pid2slot[e->pid[k]]].v;
	uint32_t i = ivl_find_open(v, e->start[k]);

	*vp = v;
	*ip = i;
	return i == SESSDB_NIL ? NULL : &v->e[i];
}

static uint64_t
tmo_ms(const struct sessdb *db, uint32_t timeout_s)
{
	uint64_t t = db->conf.timeout_ms;

	if (timeout_s != 0 && (uint64_t)timeout_s * 1000 < t)
		t = (uint64_t)timeout_s * 1000;
	return t;
}

static uint64_t
add_sat(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

/*
 * End the sessions of open slot o: at t if close (their stop), else at
 * their planned end (a timeout).  Forgets the slot.
 */
static void
os_end(struct sessdb *db, uint32_t o, bool close, uint64_t t)
{
	const struct oslot *e = &db->os[o];

	for (unsigned k = 0; k < e->n; k++) {
		struct ivls *v;
		uint32_t i;
		struct ivl *s = os_ivl(db, e, k, &v, &i);

		if (s == NULL)
			continue;
		if (close)
			s->stop = t > s->start ? t : s->start + 1;
		s->user &= ~S_OPEN;
		retail(v, i);
	}
	os_delete(db, o);
}

/*
 * Open session events: add the prefixes of ev the session does not
 * hold yet (all of them for a new one), starting at start, and push its
 * planned end to t + timeout.
 */
static int
os_update(struct sessdb *db, uint32_t o, const struct sessdb_event *ev,
    uint64_t start, uint64_t t, uint32_t user)
{
	struct oslot *e = &db->os[o];
	uint64_t end = add_sat(t, tmo_ms(db, e->timeout_s));
	int r = NFE_OK;

	for (unsigned k = 0; k < e->n; k++) {
		struct ivls *v;
		uint32_t i;
		struct ivl *s = os_ivl(db, e, k, &v, &i);

		if (s != NULL && s->stop < end)
			s->stop = end;
	}
	for (size_t j = 0; j < ev->npfx; j++) {
		uint32_t ps, idx;
		bool have = false;
		int rr;

		if ((rr = ps_get(db, &ev->pfx[j], true, &ps)) != NFE_OK) {
			r = rr;
			continue;
		}
		for (unsigned k = 0; k < e->n && !have; k++)
			have = e->pid[k] == db->ps[ps].pid;
		if (have || e->n == SESSDB_MAX_PFX)
			continue;
		if ((rr = ivl_add(db, ps, start, end, user, true, &idx)) !=
		    NFE_OK) {
			if (db->ps[ps].v->n == 0) {
				free(db->ps[ps].v);
				ps_delete(db, ps);
			}
			r = rr;
			continue;
		}
		e->pid[e->n] = db->ps[ps].pid;
		e->start[e->n++] = start;
	}
	return r;
}

static int
os_open(struct sessdb *db, const struct sessdb_event *ev, uint64_t sid,
    uint64_t start, uint64_t t, uint32_t user)
{
	uint32_t o;
	int r;

	if ((o = os_new(db, sid, &ev->nas, ev->timeout_s, &r)) == SESSDB_NIL)
		return r;
	r = os_update(db, o, ev, start, t, user);
	if (db->os[o].n == 0) {
		os_delete(db, o);
		return r != NFE_OK ? r : NFE_INVAL;
	}
	return r;
}

static int
closed_sessions(struct sessdb *db, const struct sessdb_event *ev,
    uint64_t start, uint64_t stop, uint32_t user)
{
	int r = NFE_OK;

	for (size_t j = 0; j < ev->npfx; j++) {
		uint32_t ps, idx;
		int rr;

		if ((rr = ps_get(db, &ev->pfx[j], true, &ps)) == NFE_OK &&
		    (rr = ivl_add(db, ps, start, stop, user, false, &idx)) !=
		    NFE_OK && db->ps[ps].v->n == 0) {
			free(db->ps[ps].v);
			ps_delete(db, ps);
		}
		if (rr != NFE_OK)
			r = rr;
	}
	return r;
}

static void
close_nas(struct sessdb *db, const struct nf_addr *nas, uint64_t t)
{
	uint32_t idx = nas_index(db, nas, false);

	if (idx == SESSDB_NIL)
		return;
	for (uint32_t i = 0; i < db->nos; i++)
		while (db->os[i].sid != 0 && db->os[i].nas == idx) {
			db->st.nas_closes++;
			os_end(db, i, true, t);
		}
}

static int
count(struct sessdb *db, int r)
{
	if (r == NFE_LIMIT || r == NFE_NOMEM)
		db->st.limit_drops++;
	else if (r != NFE_OK)
		db->st.bad++;
	return r;
}

int
sessdb_apply(struct sessdb *db, const struct sessdb_event *ev)
{
	uint64_t sid = ev->sid, t = ev->time_ms;
	uint32_t user = 0, o;
	int r = NFE_OK;

	if (ev->kind == SESSDB_NAS_ON || ev->kind == SESSDB_NAS_OFF) {
		close_nas(db, &ev->nas, t);
		return NFE_OK;
	}
	if (ev->kind < SESSDB_START || ev->kind > SESSDB_SESSION ||
	    ev->npfx > SESSDB_MAX_PFX)
		return count(db, NFE_INVAL);
	if (ev->npfx == 0) {
		db->st.no_address++;
		return NFE_INVAL;
	}
	if (ev->kind == SESSDB_SESSION && ev->stop_ms <= ev->start_ms)
		return count(db, NFE_INVAL);
	if (sid == 0) {
		uint8_t key[17];

		memcpy(key, ev->pfx[0].addr.a, 16);
		key[16] = ev->pfx[0].len;
		sid = sessdb_sid(&ev->nas, key, sizeof(key));
	}
	if (ev->user != NULL && ev->user_len > 0 &&
	    (r = strtab_intern(&db->users, ev->user, ev->user_len, &user)) !=
	    NFE_OK)
		return count(db, r);
	o = os_find(db, sid);
	switch (ev->kind) {
	case SESSDB_START:
		db->st.starts++;
		r = o != SESSDB_NIL ? os_update(db, o, ev, t, t, user) :
		    os_open(db, ev, sid, t, t, user);
		break;
	case SESSDB_INTERIM:
		db->st.interims++;
		if (o != SESSDB_NIL)
			r = os_update(db, o, ev, t, t, user);
		else {
			db->st.interim_new++;
			r = os_open(db, ev, sid, ev->start_ms != 0 &&
			    ev->start_ms <= t ? ev->start_ms : t, t, user);
		}
		break;
	case SESSDB_STOP:
		db->st.stops++;
		if (o != SESSDB_NIL)
			os_end(db, o, true, t);
		else if (ev->start_ms != 0 && ev->start_ms < t)
			r = closed_sessions(db, ev, ev->start_ms, t, user);
		else
			db->st.stop_unknown++;
		break;
	case SESSDB_SESSION:
		db->st.sessions++;
		if (o != SESSDB_NIL && ev->sid != 0)
			os_end(db, o, true, ev->stop_ms);
		else
			r = closed_sessions(db, ev, ev->start_ms, ev->stop_ms,
			    user);
		break;
	}
	strtab_unref(&db->users, user);
	return count(db, r);
}

/* Drop closed sessions of v that stopped at or before cutoff. */
static void
trim(struct sessdb *db, struct ivls *v, uint64_t cutoff)
{
	uint32_t w = 0;

	for (uint32_t i = 0; i < v->n; i++) {
		if (!(v->e[i].user & S_OPEN) && v->e[i].stop <= cutoff) {
			strtab_unref(&db->users, v->e[i].user);
			db->nsess--;
			db->st.expired++;
			continue;
		}
		v->e[w++] = v->e[i];
	}
	v->n = w;
}

/* Time out the open session in slot i (and what moves into i). */
static void
expire_open(struct sessdb *db, uint32_t i, uint64_t now_ms)
{
	while (db->os[i].sid != 0) {
		const struct oslot *e = &db->os[i];
		bool live = false;

		for (unsigned k = 0; k < e->n && !live; k++) {
			struct ivls *v;
			uint32_t j;
			struct ivl *s = os_ivl(db, e, k, &v, &j);

			live = s != NULL && s->stop > now_ms;
		}
		if (live)
			return;
		db->st.timeouts++;
		os_end(db, i, false, 0);
	}
}

/* Trim the prefix in slot i (and what moves into i). */
static void
expire_prefix(struct sessdb *db, uint32_t i, uint64_t cutoff)
{
	while (db->ps[i].v != NULL) {
		struct ivls *v = db->ps[i].v;

		if (cutoff != 0)
			trim(db, v, cutoff);
		if (v->n > 0) {
			retail(v, v->n - 1);
			return;
		}
		free(v);
		ps_delete(db, i);
	}
}

void
sessdb_expire_step(struct sessdb *db, uint64_t now_ms, size_t slots)
{
	uint64_t cutoff = 0;

	if (db->conf.keep_ms != SESSDB_KEEP_ALL && now_ms > db->conf.keep_ms)
		cutoff = now_ms - db->conf.keep_ms;
	/*
	 * The cursors survive a table's growth as positions only: after a
	 * rehash a sweep may visit some slots twice and others a call
	 * later, which only delays an expiry.
	 */
	for (size_t k = 0; k < slots && db->nos > 0; k++)
		expire_open(db, db->ocur++ % db->nos, now_ms);
	for (size_t k = 0; k < slots && db->nps > 0; k++)
		expire_prefix(db, db->pcur++ % db->nps, cutoff);
}

void
sessdb_expire(struct sessdb *db, uint64_t now_ms)
{
	db->ocur = db->pcur = 0;
	sessdb_expire_step(db, now_ms, db->nos > db->nps ? db->nos : db->nps);
	db->ocur = db->pcur = 0;
}

size_t
sessdb_slots(const struct sessdb *db)
{
	return db->nos > db->nps ? db->nos : db->nps;
}

/* The open slot of each open session, sorted by (pid, start). */
struct oref {
	uint32_t	 pid, slot;
	uint64_t	 start;
};

static int
oref_cmp(const void *a, const void *b)
{
	const struct oref *x = a, *y = b;

	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	return x->start < y->start ? -1 : x->start > y->start;
}

static const struct oref *
oref_find(const struct oref *v, size_t n, uint32_t pid, uint64_t start)
{
	struct oref key = { pid, 0, start };

	if (n == 0)
		return NULL;
	return bsearch(&key, v, n, sizeof(*v), oref_cmp);
}

int
sessdb_walk(const struct sessdb *db, sessdb_walk_fn *fn, void *arg)
{
	struct oref *or = NULL;
	struct sessdb_rec *recs = NULL;
	size_t nor = 0, cap = 0;
	int r = NFE_OK;

	if (db->nopen > 0 &&
	    (or = malloc((size_t)db->nopen * SESSDB_MAX_PFX * sizeof(*or))) ==
	    NULL)
		return NFE_NOMEM;
	for (uint32_t i = 0; i < db->nos; i++)
		for (unsigned k = 0; db->os[i].sid != 0 && k < db->os[i].n; k++) {
			or[nor].pid = db->os[i].pid[k];
			or[nor].start = db->os[i].start[k];
			or[nor++].slot = i;
		}
	if (nor > 1)
		qsort(or, nor, sizeof(*or), oref_cmp);
	for (uint32_t i = 0; i < db->nps && r == NFE_OK; i++) {
		const struct pslot *p = &db->ps[i];
		struct nf_prefix pfx;

		if (p->v == NULL)
			continue;
		if (p->v->n > cap) {
			struct sessdb_rec *nr = realloc(recs,
			    p->v->n * sizeof(*nr));

			if (nr == NULL) {
				r = NFE_NOMEM;
				break;
			}
			recs = nr;
			cap = p->v->n;
		}
		for (uint32_t j = 0; j < p->v->n; j++) {
			const struct ivl *s = &p->v->e[j];
			struct sessdb_rec *rec = &recs[p->v->n - 1 - j];
			const struct oref *o;

			memset(rec, 0, sizeof(*rec));
			rec->start_ms = s->start;
			rec->stop_ms = s->stop;
			rec->user = strtab_get(&db->users, S_USER(s->user));
			if ((s->user & S_OPEN) &&
			    (o = oref_find(or, nor, p->pid, s->start)) != NULL) {
				const struct oslot *e = &db->os[o->slot];

				rec->open = true;
				rec->sid = e->sid;
				rec->nas = db->nas[e->nas];
				rec->timeout_s = e->timeout_s;
			}
		}
		pfx.addr = p->addr;
		pfx.len = alen_is_v4(p) ? (uint8_t)(p->alen - 96) : p->alen;
		r = fn(arg, &pfx, recs, p->v->n);
	}
	free(recs);
	free(or);
	return r;
}

int
sessdb_restore(struct sessdb *db, const struct nf_prefix *p,
    const struct sessdb_rec *rec)
{
	uint32_t user = 0, idx, o = SESSDB_NIL, ps;
	int r;

	if (rec->stop_ms <= rec->start_ms)
		return count(db, NFE_INVAL);
	if (rec->user != NULL && (r = strtab_intern(&db->users, rec->user,
	    strlen(rec->user), &user)) != NFE_OK)
		return count(db, r);
	if (rec->open && (o = os_find(db, rec->sid)) == SESSDB_NIL &&
	    (o = os_new(db, rec->sid, &rec->nas, rec->timeout_s, &r)) ==
	    SESSDB_NIL)
		goto out;
	if (o != SESSDB_NIL && db->os[o].n == SESSDB_MAX_PFX) {
		r = NFE_LIMIT;
		goto out;
	}
	if ((r = ps_get(db, p, true, &ps)) != NFE_OK)
		goto out;
	r = ivl_add(db, ps, rec->start_ms, rec->stop_ms, user, rec->open, &idx);
	if (r == NFE_OK && o != SESSDB_NIL) {
		db->os[o].pid[db->os[o].n] = db->ps[ps].pid;
		db->os[o].start[db->os[o].n++] = rec->start_ms;
	} else if (r != NFE_OK && db->ps[ps].v->n == 0) {
		free(db->ps[ps].v);
		ps_delete(db, ps);
	}
out:
	if (o != SESSDB_NIL && db->os[o].n == 0)
		os_delete(db, o);
	strtab_unref(&db->users, user);
	return count(db, r);
}
