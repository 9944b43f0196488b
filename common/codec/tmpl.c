/*
 * common/codec/tmpl.c -- template cache: three small chained hash tables
 * (templates, exporters, option state) and LRU lists, plus the
 * template file (save and load).
 *
 * Template file layout (little-endian; the rules of docs/developers.md,
 * "Data on disk"):
 *
 *   0  u32 magic "FKTC"      4 u16 major (1)   6 u16 minor (0)
 *   8  u32 ntemplates        12 u32 nopts
 *   16 template[ntemplates], least recently used first:
 *        addr[16] u32 domain u16 version u16 id u16 scope_count
 *        u8 flags (1 = options) u8 0 u16 nfields
 *        nfields * (u16 id u16 len u32 pen)
 *      opts[nopts]:
 *        addr[16] u32 domain u16 version u16 nsamplers u32 sampling
 *        u64 sys_init_ms  nsamplers * (u64 sampler id u32 rate)
 *        (minor 0 wrote 0 for nsamplers: the same layout)
 *   end u32 CRC-32 (zlib) of every byte before it
 *
 * Never logs, never exits.
 */
#include "common/base/compat.h"

#include <sys/queue.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "common/base/buf.h"
#include "common/base/nferr.h"
#include "common/codec/ie.h"
#include "common/codec/tmpl.h"

#define TFILE_MAGIC	UINT32_C(0x43544b46)	/* "FKTC" little-endian */
#define TFILE_MAJOR	1
#define TFILE_MINOR	1
#define TFILE_HDR	16
#define TFILE_TMPL_HDR	30
#define TFILE_FIELD	8
#define TFILE_OPT	36
#define TFILE_SAMPLER	12
#define TFILE_MAX	(64u << 20)	/* refuse larger files outright */
#define TFILE_MAX_ENTRIES (1u << 20)

struct texp;

struct tentry {
	struct tmpl_key	 key;		/* key.id == t.id */
	struct tmpl	 t;
	struct texp	*exp;		/* borrowed: owner's exporter record */
	void		*aux;		/* owned: tmpl_set_aux(); NULL none */
	TAILQ_ENTRY(tentry) lru;	/* whole cache, oldest first */
	TAILQ_ENTRY(tentry) elru;	/* this exporter, oldest first */
	struct tentry	*hnext;
};
TAILQ_HEAD(tentry_list, tentry);

struct texp {
	struct nf_addr	 addr;
	size_t		 count;		/* templates of this exporter */
	struct tentry_list lru;
	struct texp	*hnext;
};

struct topt {
	struct tmpl_key	 key;		/* key.id == 0 */
	struct tmpl_opts o;
	TAILQ_ENTRY(topt) lru;
	struct topt	*hnext;
};

struct tmpl_cache {
	struct tmpl_limits lim;
	struct tentry	**tb;		/* owned: buckets */
	struct texp	**eb;
	struct topt	**ob;
	size_t		 tmask, emask, omask;
	struct tentry_list lru;
	TAILQ_HEAD(, topt) olru;
	size_t		 ntmpl, nopt;
	struct tmpl_stats st;
};

static uint64_t
mix64(uint64_t x)
{
	x += UINT64_C(0x9e3779b97f4a7c15);
	x = (x ^ (x >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	x = (x ^ (x >> 27)) * UINT64_C(0x94d049bb133111eb);
	return x ^ (x >> 31);
}

static uint64_t
hash_addr(const struct nf_addr *a)
{
	uint64_t lo = 0, hi = 0;

	for (int i = 0; i < 8; i++) {
		hi = hi << 8 | a->a[i];
		lo = lo << 8 | a->a[8 + i];
	}
	return mix64(hi ^ mix64(lo));
}

static size_t
hash_key(const struct tmpl_key *k, uint16_t id)
{
	return (size_t)mix64(hash_addr(&k->exporter) ^
	    ((uint64_t)k->domain << 32 | (uint64_t)k->version << 16 | id));
}

static size_t
pow2_at_least(size_t n)
{
	size_t p = 16;

	while (p < n && p < ((size_t)1 << 30))
		p <<= 1;
	return p;
}

struct tmpl_cache *
tmpl_cache_new(const struct tmpl_limits *lim)
{
	struct tmpl_cache *c;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	if (lim != NULL)
		c->lim = *lim;
	if (c->lim.max_total == 0)
		c->lim.max_total = TMPL_DEF_TOTAL;
	if (c->lim.max_per_exporter == 0)
		c->lim.max_per_exporter = TMPL_DEF_PER_EXPORTER;
	if (c->lim.max_opts == 0)
		c->lim.max_opts = TMPL_DEF_OPTS;
	c->tmask = pow2_at_least(c->lim.max_total) - 1;
	c->emask = c->tmask;
	c->omask = pow2_at_least(c->lim.max_opts) - 1;
	c->tb = calloc(c->tmask + 1, sizeof(*c->tb));
	c->eb = calloc(c->emask + 1, sizeof(*c->eb));
	c->ob = calloc(c->omask + 1, sizeof(*c->ob));
	if (c->tb == NULL || c->eb == NULL || c->ob == NULL) {
		tmpl_cache_free(c);
		return NULL;
	}
	TAILQ_INIT(&c->lru);
	TAILQ_INIT(&c->olru);
	return c;
}

void
tmpl_cache_free(struct tmpl_cache *c)
{
	struct tentry *e;
	struct topt *o;

	if (c == NULL)
		return;
	if (c->tb != NULL && c->eb != NULL) {
		while ((e = TAILQ_FIRST(&c->lru)) != NULL) {
			TAILQ_REMOVE(&c->lru, e, lru);
			free(e->aux);
			free(e);
		}
		for (size_t i = 0; i <= c->emask; i++) {
			struct texp *x, *nx;

			for (x = c->eb[i]; x != NULL; x = nx) {
				nx = x->hnext;
				free(x);
			}
		}
	}
	if (c->ob != NULL) {
		while ((o = TAILQ_FIRST(&c->olru)) != NULL) {
			TAILQ_REMOVE(&c->olru, o, lru);
			free(o);
		}
	}
	free(c->tb);
	free(c->eb);
	free(c->ob);
	free(c);
}

int
tmpl_finish(struct tmpl *t, uint16_t version)
{
	uint32_t len = 0;
	bool var = false;

	if (version != 9 && version != 10)
		return NFE_FORMAT;
	if (t->nfields > TMPL_MAX_FIELDS)
		return NFE_LIMIT;
	if (t->id < TMPL_ID_MIN || t->nfields == 0 ||
	    t->scope_count > t->nfields)
		return NFE_FORMAT;
	if (!t->options && t->scope_count != 0)
		return NFE_FORMAT;
	if (t->options && version == 10 && t->scope_count == 0)
		return NFE_FORMAT;
	for (size_t i = 0; i < t->nfields; i++) {
		const struct tmpl_field *f = &t->fields[i];

		/* v9 ids >= 32768 are vendor types; IPFIX has an E bit */
		if (version == 10 && (f->id & 0x8000))
			return NFE_FORMAT;
		if (version == 9 && (f->pen != 0 || f->len == IE_VARLEN))
			return NFE_FORMAT;
		if (f->len == IE_VARLEN) {
			var = true;
			len += 1;
		} else
			len += f->len;
	}
	if (len == 0 || len > TMPL_MAX_RECLEN)
		return NFE_FORMAT;
	t->min_len = len;
	t->varlen = var;
	return NFE_OK;
}

static bool
same_layout(const struct tmpl *a, const struct tmpl *b)
{
	return a->nfields == b->nfields && a->scope_count == b->scope_count &&
	    a->options == b->options &&
	    memcmp(a->fields, b->fields, a->nfields * sizeof(a->fields[0])) == 0;
}

static bool
key_eq(const struct tmpl_key *a, const struct tmpl_key *b, uint16_t bid)
{
	return a->id == bid && a->domain == b->domain &&
	    a->version == b->version && addr_eq(&a->exporter, &b->exporter);
}

static struct tentry *
find(struct tmpl_cache *c, const struct tmpl_key *k, uint16_t id)
{
	struct tentry *e;

	for (e = c->tb[hash_key(k, id) & c->tmask]; e != NULL; e = e->hnext)
		if (key_eq(&e->key, k, id))
			return e;
	return NULL;
}

static struct texp *
find_exp(struct tmpl_cache *c, const struct nf_addr *a)
{
	struct texp *x;

	for (x = c->eb[hash_addr(a) & c->emask]; x != NULL; x = x->hnext)
		if (addr_eq(&x->addr, a))
			return x;
	return NULL;
}

static void
unlink_exp(struct tmpl_cache *c, struct texp *x)
{
	struct texp **pp = &c->eb[hash_addr(&x->addr) & c->emask];

	while (*pp != x)
		pp = &(*pp)->hnext;
	*pp = x->hnext;
	free(x);
}

static void
remove_entry(struct tmpl_cache *c, struct tentry *e)
{
	struct tentry **pp = &c->tb[hash_key(&e->key, e->key.id) & c->tmask];
	struct texp *x = e->exp;

	while (*pp != e)
		pp = &(*pp)->hnext;
	*pp = e->hnext;
	TAILQ_REMOVE(&c->lru, e, lru);
	TAILQ_REMOVE(&x->lru, e, elru);
	if (--x->count == 0)
		unlink_exp(c, x);
	c->ntmpl--;
	free(e->aux);
	free(e);
}

int
tmpl_put(struct tmpl_cache *c, const struct tmpl_key *key,
    const struct tmpl *t, bool *changed)
{
	struct tmpl tt;
	struct tentry *e;
	struct texp *x;
	size_t h;

	if (changed != NULL)
		*changed = false;
	tt = *t;
	if (tmpl_finish(&tt, key->version) != NFE_OK)
		return NFE_FORMAT;
	if ((e = find(c, key, tt.id)) != NULL) {
		if (same_layout(&e->t, &tt)) {
			c->st.refreshed++;
		} else {
			e->t = tt;
			free(e->aux);		/* the plan of the old layout */
			e->aux = NULL;
			c->st.replaced++;
			if (changed != NULL)
				*changed = true;
		}
		TAILQ_REMOVE(&c->lru, e, lru);
		TAILQ_INSERT_TAIL(&c->lru, e, lru);
		TAILQ_REMOVE(&e->exp->lru, e, elru);
		TAILQ_INSERT_TAIL(&e->exp->lru, e, elru);
		return NFE_OK;
	}
	if ((x = find_exp(c, &key->exporter)) != NULL &&
	    x->count >= c->lim.max_per_exporter) {
		remove_entry(c, TAILQ_FIRST(&x->lru));
		c->st.evicted++;
		x = find_exp(c, &key->exporter);
	}
	if (c->ntmpl >= c->lim.max_total) {
		remove_entry(c, TAILQ_FIRST(&c->lru));
		c->st.evicted++;
		x = find_exp(c, &key->exporter);
	}
	if ((e = calloc(1, sizeof(*e))) == NULL)
		return NFE_NOMEM;
	if (x == NULL) {
		if ((x = calloc(1, sizeof(*x))) == NULL) {
			free(e);
			return NFE_NOMEM;
		}
		x->addr = key->exporter;
		TAILQ_INIT(&x->lru);
		h = hash_addr(&x->addr) & c->emask;
		x->hnext = c->eb[h];
		c->eb[h] = x;
	}
	e->key = *key;
	e->key.id = tt.id;
	e->t = tt;
	e->exp = x;
	h = hash_key(&e->key, e->key.id) & c->tmask;
	e->hnext = c->tb[h];
	c->tb[h] = e;
	TAILQ_INSERT_TAIL(&c->lru, e, lru);
	TAILQ_INSERT_TAIL(&x->lru, e, elru);
	x->count++;
	c->ntmpl++;
	c->st.added++;
	if (changed != NULL)
		*changed = true;
	return NFE_OK;
}

const struct tmpl *
tmpl_get(struct tmpl_cache *c, const struct tmpl_key *key)
{
	struct tentry *e;

	if ((e = find(c, key, key->id)) == NULL)
		return NULL;
	if (TAILQ_NEXT(e, lru) != NULL) {
		TAILQ_REMOVE(&c->lru, e, lru);
		TAILQ_INSERT_TAIL(&c->lru, e, lru);
	}
	if (TAILQ_NEXT(e, elru) != NULL) {
		TAILQ_REMOVE(&e->exp->lru, e, elru);
		TAILQ_INSERT_TAIL(&e->exp->lru, e, elru);
	}
	return &e->t;
}

void *
tmpl_aux(const struct tmpl *t)
{
	const struct tentry *e = (const struct tentry *)(const void *)
	    ((const char *)t - offsetof(struct tentry, t));

	return e->aux;
}

void
tmpl_set_aux(struct tmpl_cache *c, const struct tmpl_key *key, void *aux)
{
	struct tentry *e;

	if ((e = find(c, key, key->id)) == NULL) {
		free(aux);
		return;
	}
	free(e->aux);
	e->aux = aux;
}

bool
tmpl_withdraw(struct tmpl_cache *c, const struct tmpl_key *key)
{
	struct tentry *e;

	if ((e = find(c, key, key->id)) == NULL)
		return false;
	remove_entry(c, e);
	c->st.withdrawn++;
	return true;
}

size_t
tmpl_withdraw_all(struct tmpl_cache *c, const struct tmpl_key *key,
    bool options_only)
{
	struct texp *x;
	struct tentry *e, *next;
	size_t n = 0;

	if ((x = find_exp(c, &key->exporter)) == NULL)
		return 0;
	for (e = TAILQ_FIRST(&x->lru); e != NULL; e = next) {
		next = TAILQ_NEXT(e, elru);
		if (e->key.version != key->version ||
		    e->key.domain != key->domain ||
		    (options_only && !e->t.options))
			continue;
		if (x->count == 1)
			next = NULL;	/* x is freed with its last entry */
		remove_entry(c, e);
		c->st.withdrawn++;
		n++;
	}
	return n;
}

bool
tmpl_drop_mismatch(struct tmpl_cache *c, const struct tmpl_key *key)
{
	struct tentry *e;

	if ((e = find(c, key, key->id)) == NULL)
		return false;
	remove_entry(c, e);
	c->st.mismatched++;
	return true;
}

static struct topt *
find_opt(struct tmpl_cache *c, const struct tmpl_key *k)
{
	struct topt *o;

	for (o = c->ob[hash_key(k, 0) & c->omask]; o != NULL; o = o->hnext)
		if (key_eq(&o->key, k, 0))
			return o;
	return NULL;
}

const struct tmpl_opts *
tmpl_opts_get(struct tmpl_cache *c, const struct tmpl_key *key)
{
	struct topt *o = find_opt(c, key);

	return o == NULL ? NULL : &o->o;
}

static void
remove_opt(struct tmpl_cache *c, struct topt *o)
{
	struct topt **pp = &c->ob[hash_key(&o->key, 0) & c->omask];

	while (*pp != o)
		pp = &(*pp)->hnext;
	*pp = o->hnext;
	TAILQ_REMOVE(&c->olru, o, lru);
	c->nopt--;
	free(o);
}

/* Add or update one sampler; true if that changed anything. */
static bool
add_sampler(struct tmpl_opts *o, const struct tmpl_sampler *sm)
{
	for (uint32_t i = 0; i < o->nsamplers; i++)
		if (o->samplers[i].id == sm->id) {
			if (o->samplers[i].rate == sm->rate)
				return false;
			o->samplers[i].rate = sm->rate;
			return true;
		}
	if (o->nsamplers == TMPL_MAX_SAMPLERS) {
		memmove(&o->samplers[0], &o->samplers[1],
		    (TMPL_MAX_SAMPLERS - 1) * sizeof(o->samplers[0]));
		o->nsamplers--;
	}
	o->samplers[o->nsamplers++] = *sm;
	return true;
}

int
tmpl_opts_update(struct tmpl_cache *c, const struct tmpl_key *key,
    const struct tmpl_opts *upd)
{
	struct topt *o;
	bool changed = false;
	size_t h;

	if ((o = find_opt(c, key)) == NULL) {
		if (c->nopt >= c->lim.max_opts) {
			remove_opt(c, TAILQ_FIRST(&c->olru));
			c->st.opts_evicted++;
		}
		if ((o = calloc(1, sizeof(*o))) == NULL)
			return NFE_NOMEM;
		o->key = *key;
		o->key.id = 0;
		h = hash_key(&o->key, 0) & c->omask;
		o->hnext = c->ob[h];
		c->ob[h] = o;
		c->nopt++;
		changed = true;
	} else
		TAILQ_REMOVE(&c->olru, o, lru);
	TAILQ_INSERT_TAIL(&c->olru, o, lru);
	if ((upd->sampling != 0 || upd->has_sampling) &&
	    o->o.sampling != upd->sampling) {
		o->o.sampling = upd->sampling;
		changed = true;
	}
	if (upd->sys_init_ms != 0 && o->o.sys_init_ms != upd->sys_init_ms) {
		o->o.sys_init_ms = upd->sys_init_ms;
		changed = true;
	}
	for (uint32_t i = 0; i < upd->nsamplers && i < TMPL_MAX_SAMPLERS; i++)
		if (add_sampler(&o->o, &upd->samplers[i]))
			changed = true;
	if (changed)
		c->st.opts_changed++;
	return NFE_OK;
}

uint32_t
tmpl_opts_rate(const struct tmpl_opts *o, bool has_id, uint64_t id)
{
	if (o == NULL)
		return 0;
	if (has_id)
		for (uint32_t i = 0; i < o->nsamplers; i++)
			if (o->samplers[i].id == id)
				return o->samplers[i].rate;
	return o->sampling;
}

bool
tmpl_opts_rate_unknown(const struct tmpl_opts *o, uint64_t id)
{
	if (o == NULL)
		return true;
	if (o->sampling != 0)
		return false;
	for (uint32_t i = 0; i < o->nsamplers; i++)
		if (o->samplers[i].id == id)
			return false;
	return true;
}

void
tmpl_get_stats(const struct tmpl_cache *c, struct tmpl_stats *st)
{
	*st = c->st;
	st->templates = c->ntmpl;
	st->opts = c->nopt;
}

/* ---- template file ---- */

static size_t
file_size(const struct tmpl_cache *c)
{
	const struct tentry *e;
	const struct topt *o;
	size_t n = TFILE_HDR + 4 + c->nopt * TFILE_OPT;

	TAILQ_FOREACH(e, &c->lru, lru)
		n += TFILE_TMPL_HDR + e->t.nfields * TFILE_FIELD;
	TAILQ_FOREACH(o, &c->olru, lru)
		n += o->o.nsamplers * TFILE_SAMPLER;
	return n;
}

static void
put_key(struct wbuf *w, const struct tmpl_key *k)
{
	wbuf_bytes(w, k->exporter.a, 16);
	wbuf_le32(w, k->domain);
	wbuf_le16(w, k->version);
}

static int
write_all(int fd, const uint8_t *p, size_t len)
{
	ssize_t n;

	while (len > 0) {
		if ((n = write(fd, p, len)) < 0) {
			if (errno == EINTR)
				continue;
			return NFE_IO;
		}
		p += n;
		len -= (size_t)n;
	}
	return NFE_OK;
}

static void
sync_dir(const char *path)
{
	char dir[PATH_MAX];
	const char *slash = strrchr(path, '/');
	int fd;

	if (slash == NULL)
		snprintf(dir, sizeof(dir), ".");
	else if (slash == path)
		snprintf(dir, sizeof(dir), "/");
	else
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path), path);
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
		(void)fsync(fd);
		close(fd);
	}
}

int
tmpl_image(const struct tmpl_cache *c, uint8_t **out, size_t *outlen)
{
	const struct tentry *e;
	const struct topt *o;
	struct wbuf w;
	uint8_t *buf;
	size_t len = file_size(c);

	if ((buf = malloc(len)) == NULL)
		return NFE_NOMEM;
	wbuf_init(&w, buf, len);
	wbuf_le32(&w, TFILE_MAGIC);
	wbuf_le16(&w, TFILE_MAJOR);
	wbuf_le16(&w, TFILE_MINOR);
	wbuf_le32(&w, (uint32_t)c->ntmpl);
	wbuf_le32(&w, (uint32_t)c->nopt);
	TAILQ_FOREACH(e, &c->lru, lru) {
		put_key(&w, &e->key);
		wbuf_le16(&w, e->t.id);
		wbuf_le16(&w, e->t.scope_count);
		wbuf_u8(&w, e->t.options ? 1 : 0);
		wbuf_u8(&w, 0);
		wbuf_le16(&w, e->t.nfields);
		for (size_t i = 0; i < e->t.nfields; i++) {
			wbuf_le16(&w, e->t.fields[i].id);
			wbuf_le16(&w, e->t.fields[i].len);
			wbuf_le32(&w, e->t.fields[i].pen);
		}
	}
	TAILQ_FOREACH(o, &c->olru, lru) {
		put_key(&w, &o->key);
		wbuf_le16(&w, (uint16_t)o->o.nsamplers);
		wbuf_le32(&w, o->o.sampling);
		wbuf_le64(&w, o->o.sys_init_ms);
		for (uint32_t i = 0; i < o->o.nsamplers; i++) {
			wbuf_le64(&w, o->o.samplers[i].id);
			wbuf_le32(&w, o->o.samplers[i].rate);
		}
	}
	wbuf_le32(&w, (uint32_t)crc32(0, buf, (uInt)wbuf_len(&w)));
	if (!wbuf_ok(&w) || wbuf_len(&w) != len) {
		free(buf);
		return NFE_INTERNAL;
	}
	*out = buf;
	*outlen = len;
	return NFE_OK;
}

int
tmpl_save_image(const uint8_t *buf, size_t len, const char *path)
{
	char tmp[PATH_MAX];
	int fd, r, saved;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmpXXXXXX", path) >=
	    sizeof(tmp)) {
		errno = ENAMETOOLONG;
		return NFE_IO;
	}
	if ((fd = mkstemp(tmp)) < 0)
		return NFE_IO;
	r = write_all(fd, buf, len);
	if (r == NFE_OK && fsync(fd) != 0)
		r = NFE_IO;
	saved = errno;
	if (close(fd) != 0 && r == NFE_OK) {
		r = NFE_IO;
		saved = errno;
	}
	if (r == NFE_OK && rename(tmp, path) != 0) {
		r = NFE_IO;
		saved = errno;
	}
	if (r != NFE_OK)
		(void)unlink(tmp);
	else
		sync_dir(path);
	errno = saved;
	return r;
}

int
tmpl_save(const struct tmpl_cache *c, const char *path)
{
	uint8_t *buf;
	size_t len;
	int r, saved;

	if ((r = tmpl_image(c, &buf, &len)) != NFE_OK)
		return r;
	r = tmpl_save_image(buf, len, path);
	saved = errno;
	free(buf);
	errno = saved;
	return r;
}

size_t
tmpl_keep(struct tmpl_cache *c, bool (*keep)(const struct nf_addr *, void *),
    void *arg)
{
	struct tentry *e, *enext;
	struct topt *o, *onext;
	size_t n = 0;

	for (e = TAILQ_FIRST(&c->lru); e != NULL; e = enext) {
		enext = TAILQ_NEXT(e, lru);
		if (!keep(&e->key.exporter, arg)) {
			remove_entry(c, e);
			n++;
		}
	}
	for (o = TAILQ_FIRST(&c->olru); o != NULL; o = onext) {
		onext = TAILQ_NEXT(o, lru);
		if (!keep(&o->key.exporter, arg)) {
			remove_opt(c, o);
			n++;
		}
	}
	return n;
}

static void
get_key(struct rbuf *r, struct tmpl_key *k)
{
	rbuf_bytes(r, k->exporter.a, 16);
	k->domain = rbuf_le32(r);
	k->version = rbuf_le16(r);
}

/* One pass over the file body; changes the cache only if apply. */
static int
parse_file(struct tmpl_cache *c, struct rbuf *r, bool apply, size_t *loaded)
{
	struct tmpl_key k;
	struct tmpl_opts o;
	struct tmpl *t;
	uint32_t ntmpl, nopt;
	uint16_t major;
	int rc = NFE_OK;

	if (rbuf_le32(r) != TFILE_MAGIC)
		return NFE_CORRUPT;
	major = rbuf_le16(r);
	(void)rbuf_le16(r);			/* minor: additions only */
	if (!rbuf_ok(r))
		return NFE_CORRUPT;
	if (major > TFILE_MAJOR)
		return NFE_VERSION;
	if (major != TFILE_MAJOR)
		return NFE_CORRUPT;
	ntmpl = rbuf_le32(r);
	nopt = rbuf_le32(r);
	if (!rbuf_ok(r) || ntmpl > TFILE_MAX_ENTRIES ||
	    nopt > TFILE_MAX_ENTRIES ||
	    (uint64_t)ntmpl * TFILE_TMPL_HDR + (uint64_t)nopt * TFILE_OPT >
	    rbuf_remaining(r))
		return NFE_CORRUPT;
	if ((t = malloc(sizeof(*t))) == NULL)
		return NFE_NOMEM;
	for (uint32_t i = 0; i < ntmpl && rc == NFE_OK; i++) {
		memset(t, 0, sizeof(*t));
		get_key(r, &k);
		k.id = t->id = rbuf_le16(r);
		t->scope_count = rbuf_le16(r);
		t->options = rbuf_u8(r) == 1;
		(void)rbuf_u8(r);
		t->nfields = rbuf_le16(r);
		if (!rbuf_ok(r) || t->nfields > TMPL_MAX_FIELDS) {
			rc = NFE_CORRUPT;
			break;
		}
		for (size_t j = 0; j < t->nfields; j++) {
			t->fields[j].id = rbuf_le16(r);
			t->fields[j].len = rbuf_le16(r);
			t->fields[j].pen = rbuf_le32(r);
		}
		if (!rbuf_ok(r) || tmpl_finish(t, k.version) != NFE_OK)
			rc = NFE_CORRUPT;
		else if (apply)
			rc = tmpl_put(c, &k, t, NULL);
	}
	free(t);
	for (uint32_t i = 0; i < nopt && rc == NFE_OK; i++) {
		get_key(r, &k);
		k.id = 0;
		memset(&o, 0, sizeof(o));
		o.nsamplers = rbuf_le16(r);
		o.sampling = rbuf_le32(r);
		o.sys_init_ms = rbuf_le64(r);
		if (!rbuf_ok(r) || (k.version != 9 && k.version != 10) ||
		    o.nsamplers > TMPL_MAX_SAMPLERS) {
			rc = NFE_CORRUPT;
			break;
		}
		for (uint32_t j = 0; j < o.nsamplers; j++) {
			o.samplers[j].id = rbuf_le64(r);
			o.samplers[j].rate = rbuf_le32(r);
		}
		if (!rbuf_ok(r))
			rc = NFE_CORRUPT;
		else if (apply)
			rc = tmpl_opts_update(c, &k, &o);
	}
	if (rc == NFE_OK && rbuf_remaining(r) != 0)
		rc = NFE_CORRUPT;
	if (rc == NFE_OK && loaded != NULL)
		*loaded = ntmpl;
	return rc;
}

int
tmpl_load_mem(struct tmpl_cache *c, const uint8_t *p, size_t len,
    size_t *loaded)
{
	struct rbuf r;
	uint32_t want;
	int rc;

	if (loaded != NULL)
		*loaded = 0;
	if (len < TFILE_HDR + 4 || len > TFILE_MAX)
		return NFE_CORRUPT;
	rbuf_init(&r, p + len - 4, 4);
	want = rbuf_le32(&r);
	if (want != (uint32_t)crc32(0, p, (uInt)(len - 4)))
		return NFE_CORRUPT;
	rbuf_init(&r, p, len - 4);
	if ((rc = parse_file(c, &r, false, NULL)) != NFE_OK)
		return rc;
	rbuf_init(&r, p, len - 4);
	return parse_file(c, &r, true, loaded);
}

int
tmpl_load(struct tmpl_cache *c, const char *path, size_t *loaded)
{
	struct stat sb;
	uint8_t *buf;
	size_t got = 0;
	ssize_t n;
	int fd, rc, saved;

	if (loaded != NULL)
		*loaded = 0;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return NFE_IO;
	if (fstat(fd, &sb) != 0) {
		saved = errno;
		close(fd);
		errno = saved;
		return NFE_IO;
	}
	if (!S_ISREG(sb.st_mode) || sb.st_size < 0 ||
	    (uint64_t)sb.st_size > TFILE_MAX) {
		close(fd);
		return NFE_CORRUPT;
	}
	if ((buf = malloc((size_t)sb.st_size + 1)) == NULL) {
		close(fd);
		return NFE_NOMEM;
	}
	while (got < (size_t)sb.st_size + 1) {
		n = read(fd, buf + got, (size_t)sb.st_size + 1 - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			saved = errno;
			free(buf);
			close(fd);
			errno = saved;
			return NFE_IO;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	rc = got == (size_t)sb.st_size ? tmpl_load_mem(c, buf, got, loaded) :
	    NFE_CORRUPT;
	free(buf);
	return rc;
}
