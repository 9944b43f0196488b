/*
 * collector/worker.c -- a worker's data path: datagram -> codec peek ->
 * owner? (else its inbox) -> exporter -> decode into a message in the
 * queue to the writer -> stamp (sampling) -> push with the exporter's
 * counts; held data sets; the template image.  The thread around it
 * (sockets, naps, stop) is collector/wthread.c.
 *
 * Never fatal on input: every malformed datagram is counted on its
 * exporter (or in the worker's counters when no exporter can be named)
 * and logged through a rate limiter.
 */
#include "common/base/compat.h"

#include <sys/eventfd.h>
#include <sys/socket.h>

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collector/collect.h"
#include "collector/steer.h"
#include "collector/worker.h"
#include "common/base/nferr.h"
#include "common/base/timeutil.h"
#include "common/codec/codec.h"
#include "common/codec/nfdecode.h"
#include "common/codec/sampling.h"

/* A datagram handed to its owner: this header, then its bytes. */
struct handed {
	struct nf_addr	 src;
	uint16_t	 sport;
	uint64_t	 recv_ms;
	uint32_t	 len;
	uint8_t		 data[];
};

#define MSG_BYTES(n)	(sizeof(struct wmsg) + (n) * sizeof(struct flowrec))

/* What store() sets in every record, besides the decoder's columns. */
#define STAMP_COLS	(FCOL_BIT(FCOL_PACKETS) | FCOL_BIT(FCOL_BYTES) | \
	FCOL_BIT(FCOL_SAMPLING) | FCOL_BIT(FCOL_RECEIVED))

static void
count(_Atomic uint64_t *c, uint64_t n)
{
	/* one writer per counter: a plain add, published atomically */
	atomic_store_explicit(c, atomic_load_explicit(c, memory_order_relaxed)
	    + n, memory_order_relaxed);
}

static uint64_t
sat_mul(uint64_t v, uint32_t m)
{
	if (m > 1 && v > UINT64_MAX / m)
		return UINT64_MAX;
	return v * m;
}

static uint32_t
pick_rate(const struct worker_shared *sh, uint32_t announced)
{
	struct worker_shared *m = (struct worker_shared *)(uintptr_t)sh;
	uint32_t conf = atomic_load_explicit(&m->sampling,
	    memory_order_relaxed);

	if (conf > 0 && atomic_load_explicit(&m->sampling_force,
	    memory_order_relaxed))
		return conf;
	if (announced > 1)
		return announced;
	if (conf > 1)
		return conf;
	return announced;
}

/*
 * One datagram, or one held set, being decoded: the exporter its
 * records belong to.  Lives on the stack for the one decode; the
 * exporter is resolved at most once (looked up before decoding,
 * created on first need).
 */
struct dgram {
	struct worker	*w;
	const struct nf_addr *src;	/* borrowed: the exporter key */
	uint16_t	 sport;
	uint16_t	 version;	/* exporter key */
	uint32_t	 domain;
	struct exporter	*e;		/* NULL until resolved; NULL after:
					   refused (bound reached) */
	bool		 resolved;
	bool		 qdrop;		/* flows of it found no room */
	struct nf_batch	 batch;		/* over a message or w->scratch */
	uint64_t	 recv_ms;	/* when it came in (ms since 1970) */
};

/* Room for the next batch: a message in the queue, or the scratch. */
static struct flowrec *
batch_room(struct worker *w)
{
	if (w->msg == NULL)
		w->msg = fq_reserve(w->out, MSG_BYTES(WORKER_BATCH));
	return w->msg != NULL ? w->msg->rec : w->scratch;
}

/*
 * Push a message of e's n records (at recs: the reserved message's own,
 * or the scratch) and of what e counted since the last one.  A full
 * queue: the sh->drain of a program without threads empties it, else
 * the flows are dropped and counted (the counts wait for the next
 * message).
 */
static bool
push(struct worker *w, struct exporter *e, struct flowrec *recs, size_t n,
    fcol_mask cols)
{
	struct wmsg *m = w->msg;
	size_t sb = 0;
	char *p;

	/*
	 * Strings point into the datagram, which the next one overwrites:
	 * they travel in the message, after the records (struct nf_str).
	 */
	for (size_t i = 0; i < n; i++)
		sb += flowrec_str_bytes(&recs[i]);
	if (sb > 0 && m != NULL && recs == m->rec) {
		/* decoded in place, without room for them: via the scratch */
		memcpy(w->scratch, recs, n * sizeof(*recs));
		recs = w->scratch;
	}
	if (m == NULL || recs != m->rec) {
		/* the records are in the scratch: room now? */
		for (int tries = 0; (m = fq_reserve(w->out, MSG_BYTES(n) +
		    sb)) == NULL && w->sh->drain != NULL && tries < 2;
		    tries++) {
			fq_publish(w->out);
			w->sh->drain(w->sh->drain_arg);
		}
		if (m == NULL) {
			w->msg = NULL;
			return false;
		}
		memcpy(m->rec, recs, n * sizeof(*recs));
	}
	p = (char *)(m->rec + n);
	for (size_t i = 0; sb > 0 && i < n; i++)
		p = flowrec_str_move(&m->rec[i], p);
	m->e = e;
	m->n = (uint32_t)n;
	memcpy(m->cols, &cols, sizeof(cols));
	(void)exporter_take(e, &m->d);
	fq_push(w->out, MSG_BYTES(n) + sb);
	w->msg = NULL;
	return true;
}

/*
 * The datagram's exporter, created on first need: a datagram that
 * yields nothing (malformed from an unknown source) never takes a
 * place in the bounded table.
 */
static struct exporter *
resolve(struct dgram *d)
{
	struct worker *w = d->w;
	char abuf[ADDR_STRLEN];

	if (d->resolved)
		return d->e;
	d->resolved = true;
	d->e = exporter_get(&w->xt, d->src, d->sport, d->version, d->domain);
	if (d->e != NULL) {
		count(&w->cnt.exporters, 1);
		return d->e;
	}
	count(&w->cnt.refused_datagrams, 1);
	if (log_ratelimit(&w->rl, w->mono_ms))
		log_msg(LOG_WARNING, "%s: new exporter refused, the exporter "
		    "table is full (%zu, --max-exporters): its data is "
		    "dropped (%" PRIu64 " datagrams so far)",
		    addr_format(d->src, abuf, sizeof(abuf)), w->sh->ids.max,
		    (uint64_t)atomic_load(&w->cnt.refused_datagrams));
	return NULL;
}

/*
 * The batch's full, and the end of every decode: stamp the records
 * (counters scaled by the rate in force, the rate, the time it came
 * in) and push them to
 * the writer, which from there on accounts for every record; then
 * point the batch at the next room (the decoders take each record's
 * slot from the batch).
 */
static int
store(void *arg, struct flowrec *recs, size_t n)
{
	struct dgram *d = arg;
	struct worker *w = d->w;
	struct exporter *e = resolve(d);
	fcol_mask cols;

	if (e == NULL) {
		count(&w->cnt.refused_flows, n);
		d->batch.cols = 0;
		return NFE_OK;
	}
	for (size_t i = 0; i < n; i++) {
		struct flowrec *r = &recs[i];
		uint32_t rate = pick_rate(w->sh, r->sampling);

		if (rate > 1) {
			r->packets = sat_mul(r->packets, rate);
			r->bytes = sat_mul(r->bytes, rate);
		}
		r->sampling = rate;
		r->received_ms = d->recv_ms;
	}
	cols = d->batch.cols | STAMP_COLS;
	d->batch.cols = 0;
	if (!push(w, e, recs, n, cols)) {
		count(&w->cnt.qdrop_flows, n);
		if (!d->qdrop)
			count(&w->cnt.qdrops, 1);
		d->qdrop = true;
	}
	d->batch.rec = batch_room(w);
	return NFE_OK;
}

/*
 * The end of a decode: what is left in the batch, and the exporter's
 * counts even without records (an exporter that sends anything in a
 * file's interval is listed in that file).
 */
static void
store_rest(struct dgram *d)
{
	if (d->batch.n > 0)
		(void)store(d, d->batch.rec, d->batch.n);
	else if (d->e != NULL && !push(d->w, d->e, batch_room(d->w), 0, 0))
		d->qdrop = true;	/* its counts go with the next one */
	d->batch.n = 0;
}

static void
notmpl(void *arg, uint16_t version, uint32_t domain, uint16_t template_id,
    const uint8_t *set, size_t len, uint64_t export_ms,
    uint32_t sys_uptime_ms)
{
	struct dgram *d = arg;
	struct exporter *e = resolve(d);

	if (e == NULL)
		return;
	(void)exporter_hold(&d->w->xt, e, version, domain, template_id, set,
	    len, export_ms, sys_uptime_ms, d->w->mono_ms, false);
}

/*
 * Records naming a sampler whose rate is not known yet: held like data
 * before its template (same bound and time), then decoded with the
 * rate known by then; never dropped (no room: decoded now).
 */
static bool
norate(void *arg, uint16_t version, uint32_t domain, uint16_t template_id,
    const uint8_t *set, size_t len, uint64_t export_ms,
    uint32_t sys_uptime_ms)
{
	struct dgram *d = arg;
	struct exporter *e = resolve(d);

	if (e == NULL)
		return false;
	return exporter_hold(&d->w->xt, e, version, domain, template_id, set,
	    len, export_ms, sys_uptime_ms, d->w->mono_ms, true) == NFE_OK;
}

/* Set up d and the decoder's context for one decode. */
static void
dgram_init(struct dgram *d, struct nf_decode_ctx *ctx, struct worker *w,
    const struct nf_addr *src, uint16_t sport, uint64_t recv_ms)
{
	memset(d, 0, sizeof(*d));
	d->w = w;
	d->src = src;
	d->sport = sport;
	d->recv_ms = recv_ms;
	d->batch.rec = batch_room(w);
	d->batch.cap = WORKER_BATCH;
	d->batch.full = store;
	d->batch.arg = d;
	memset(ctx, 0, sizeof(*ctx));
	ctx->exporter = *src;
	ctx->exporter_port = sport;
	ctx->recv_ms = recv_ms;
	ctx->tmpl = w->tmpl;
	ctx->batch = &d->batch;
	ctx->arg = d;
	ctx->notmpl = notmpl;
	ctx->norate = norate;
}

/* Decode a held set; final: without waiting any longer for a rate. */
static int
held_run(struct worker *w, struct exporter *e, struct held_set *h,
    bool final)
{
	const struct nf_codec *codec = nf_codec_by_version(h->version);
	struct nf_decode_ctx ctx;
	struct nf_dgram_info info;
	struct dgram d;
	int r;

	if (codec == NULL || codec->decode_held == NULL)
		return NFE_INTERNAL;	/* only template codecs hold sets */
	dgram_init(&d, &ctx, w, &e->addr, e->port, time_now_ms());
	d.e = e;
	d.resolved = true;
	ctx.notmpl = NULL;
	ctx.norate = NULL;
	ctx.rate_final = final;
	r = codec->decode_held(&ctx, h->domain, h->template_id, h->data,
	    h->len, h->export_ms, h->sys_uptime_ms, &info);
	if (d.batch.n > 0)
		(void)store(&d, d.batch.rec, d.batch.n);
	d.batch.n = 0;
	if (r == NFE_NOTMPL && info.no_template == 0)
		h->rate_wait = true;	/* template known: waits for a rate */
	return r;
}

static int
held_decode(void *arg, struct exporter *e, struct held_set *h)
{
	return held_run(arg, e, h, false);
}

static int
held_final(void *arg, struct exporter *e, struct held_set *h)
{
	return held_run(arg, e, h, true);
}

/* The counts of held sets that went (decoded or dropped): pushed. */
static void
push_counts(struct worker *w, struct exporter *e)
{
	(void)push(w, e, batch_room(w), 0, 0);
}

/* One rate-limited line for options data whose sampling makes no sense. */
static void
log_samp_bad(struct worker *w, struct exporter *e,
    const struct nf_dgram_info *info)
{
	const struct nf_samp_note *n = &info->samp_bad_first;
	char sid[32] = "";

	e->pend.samp_bad += info->samp_bad;
	e->total.samp_bad += info->samp_bad;
	if (!log_ratelimit(&e->rl, w->mono_ms))
		return;
	if (n->has_id)
		snprintf(sid, sizeof(sid), ": sampler %" PRIu64, n->id);
	log_msg(LOG_WARNING, "exporter %s%s: %s (%s): no rate taken from "
	    "it, counters not scaled up (%" PRIu64 " sampling announcements "
	    "that made no sense so far)", e->name, sid,
	    samp_why_str((enum samp_why)n->why), samp_alg_str(n->algorithm),
	    e->total.samp_bad);
}

/* A number that moves whenever the template cache's contents change. */
static uint64_t
tmpl_changes(const struct tmpl_cache *t)
{
	struct tmpl_stats st;

	tmpl_get_stats(t, &st);
	return st.added + st.replaced + st.evicted + st.withdrawn +
	    st.mismatched + st.opts + st.opts_evicted + st.opts_changed;
}

static void
repeat(struct worker *w, const uint8_t *data, size_t len)
{
	for (size_t i = 0; i < w->sh->nrepeat; i++)
		if (send(w->sh->repeat_fd[i], data, len, MSG_DONTWAIT) == -1)
			count(&w->cnt.repeat_errors, 1);
}

/* Give a datagram to the worker that owns its exporter. */
static void
hand_over(struct worker *w, struct worker *to, const uint8_t *data,
    size_t len, const struct nf_addr *src, uint16_t sport, uint64_t recv_ms)
{
	struct handed *h;
	bool was_empty;
	uint64_t one = 1;

	pthread_mutex_lock(&to->inbox_mtx);
	was_empty = fq_empty(to->inbox);
	if ((h = fq_reserve(to->inbox, sizeof(*h) + len)) != NULL) {
		h->src = *src;
		h->sport = sport;
		h->recv_ms = recv_ms;
		h->len = (uint32_t)len;
		memcpy(h->data, data, len);
		fq_push(to->inbox, sizeof(*h) + len);
		fq_publish(to->inbox);
	}
	pthread_mutex_unlock(&to->inbox_mtx);
	if (h == NULL) {
		count(&w->cnt.hand_drops, 1);
		return;
	}
	count(&w->cnt.handed, 1);
	if (was_empty && to->inbox_fd >= 0)
		(void)write(to->inbox_fd, &one, sizeof(one));
}

/* The datagram, owned here: decode it. */
static void
decode(struct worker *w, const uint8_t *data, size_t len,
    const struct nf_peek *pk, const struct nf_addr *key,
    const struct nf_addr *src, uint16_t sport, uint64_t recv_ms)
{
	struct nf_decode_ctx ctx;
	struct nf_dgram_info info;
	struct exporter *e;
	struct dgram d;
	char abuf[ADDR_STRLEN];
	uint32_t miss;
	int r;

	dgram_init(&d, &ctx, w, key, sport, recv_ms);
	d.version = pk->version;
	d.domain = pk->domain;
	if ((d.e = exporter_find(&w->xt, key, pk->version, pk->domain)) !=
	    NULL) {
		d.e->port = sport;
		d.resolved = true;
	}
	r = pk->codec->decode(data, len, &ctx, &info);
	/* NetFlow after all: it decoded, or yielded records or held sets */
	if (r == NFE_OK || r == NFE_NOTMPL || d.batch.n > 0)
		(void)resolve(&d);
	if ((e = d.e) == NULL) {
		if (d.batch.n > 0)	/* refused: counted there */
			(void)store(&d, d.batch.rec, d.batch.n);
		d.batch.n = 0;
		if (r != NFE_OK && r != NFE_NOTMPL) {
			count(&w->cnt.bad_unknown, 1);
			if (log_ratelimit(&w->rl, w->mono_ms))
				log_msg(LOG_WARNING, "%s port %u: v%u "
				    "datagram of %zu bytes dropped: %s (%"
				    PRIu64 " so far from unknown exporters)",
				    addr_format(src, abuf, sizeof(abuf)),
				    (unsigned)sport, (unsigned)pk->version,
				    len, nferr_str(r), (uint64_t)atomic_load(
				    &w->cnt.bad_unknown));
		}
		return;
	}
	(void)exporter_account(e, r, &info, &miss);
	if (info.samp_bad > 0)
		log_samp_bad(w, e, &info);
	if (r != NFE_OK && r != NFE_NOTMPL &&
	    log_ratelimit(&e->rl, w->mono_ms))
		log_msg(LOG_WARNING, "exporter %s: datagram of %zu bytes "
		    "dropped: %s (%" PRIu64 " malformed so far)", e->name,
		    len, nferr_str(r), e->total.bad_datagrams);
	store_rest(&d);
	/*
	 * Exporters refresh their templates every few packets: an image
	 * only when the cache really changed (a new, replaced, withdrawn
	 * or evicted template, option state new or changed: a sampler's
	 * rate, for one).  A set held for a sampler's rate can remember
	 * that sampler as rate-less, so held sets count too.
	 */
	if (info.templates > 0 || info.withdrawn > 0 || info.options > 0 ||
	    info.rate_held > 0)
		w->tmpl_dirty = true;
	if ((info.templates > 0 || info.options > 0) && e->held != NULL) {
		if (exporter_held_retry(e, held_decode, w) > 0 ||
		    e->pend.held_dropped > 0)
			push_counts(w, e);
		w->tmpl_dirty = true;
	}
}

void
worker_datagram(struct worker *w, const uint8_t *data, size_t len,
    const struct nf_addr *src, uint16_t sport, uint64_t recv_ms)
{
	struct nf_peek pk;
	const struct nf_addr *key;
	char abuf[ADDR_STRLEN];
	unsigned owner;
	int r;

	if (w->sh->nrepeat > 0)
		repeat(w, data, len);
	if ((r = nf_peek(data, len, &pk)) != NFE_OK) {
		count(&w->cnt.bad_header, 1);
		if (log_ratelimit(&w->rl, w->mono_ms))
			log_msg(LOG_WARNING, "%s port %u: datagram of %zu bytes "
			    "dropped: %s (version %u; %" PRIu64 " so far)",
			    addr_format(src, abuf, sizeof(abuf)),
			    (unsigned)sport, len, nferr_str(r),
			    (unsigned)pk.version, (uint64_t)atomic_load(
			    &w->cnt.bad_header));
		return;
	}
	/* an sFlow agent is named in its datagrams, not by their source */
	key = pk.has_agent ? &pk.agent : src;
	if (w->sh->nworkers > 1 && (owner = steer_owner(key,
	    (unsigned)w->sh->nworkers)) != w->index) {
		hand_over(w, w->sh->w[owner], data, len, src, sport, recv_ms);
		return;
	}
	decode(w, data, len, &pk, key, src, sport, recv_ms);
}

void
worker_publish(struct worker *w)
{
	fq_publish(w->out);
	fq_bell_ring(&w->sh->bell);
}

size_t
worker_inbox(struct worker *w)
{
	struct handed *h;
	struct nf_peek pk;
	const struct nf_addr *key;
	size_t len, n = 0;
	uint64_t v;

	if (w->inbox == NULL)
		return 0;
	if (w->inbox_fd >= 0)
		(void)read(w->inbox_fd, &v, sizeof(v));
	while ((h = fq_peek(w->inbox, &len)) != NULL) {
		if (nf_peek(h->data, h->len, &pk) == NFE_OK) {
			key = pk.has_agent ? &pk.agent : &h->src;
			decode(w, h->data, h->len, &pk, key, &h->src, h->sport,
			    h->recv_ms);
		}
		fq_pop(w->inbox);
		n++;
	}
	return n;
}

/* The image now, as the latest for the writer. */
static int
new_image(struct worker *w)
{
	uint8_t *buf;
	size_t len;
	int r;

	if ((r = tmpl_image(w->tmpl, &buf, &len)) != NFE_OK)
		return r;
	pthread_mutex_lock(&w->img_mtx);
	free(w->img);
	w->img = buf;
	w->imglen = len;
	w->img_seq++;
	pthread_mutex_unlock(&w->img_mtx);
	w->tmpl_imaged = tmpl_changes(w->tmpl);
	w->img_mono = w->mono_ms;
	return NFE_OK;
}

/*
 * Make the template image when the share changed, at most once a
 * debounce interval (or now, if force); keep the counts statistics
 * show up to date.
 */
static void
make_image(struct worker *w, bool force)
{
	struct tmpl_stats st;

	tmpl_get_stats(w->tmpl, &st);
	atomic_store(&w->cnt.templates, st.templates);
	atomic_store(&w->cnt.opts, st.opts);
	if (!w->tmpl_dirty || (!force && w->mono_ms - w->img_mono <
	    COLLECT_TMPL_SAVE_MS))
		return;
	w->tmpl_dirty = false;
	if (tmpl_changes(w->tmpl) == w->tmpl_imaged)
		return;
	if (new_image(w) != NFE_OK)
		w->tmpl_dirty = true;	/* out of memory: later */
}

bool
worker_image(struct worker *w, uint64_t *seq, uint8_t **buf, size_t *len)
{
	bool r = false;

	pthread_mutex_lock(&w->img_mtx);
	if (w->img != NULL && w->img_seq != *seq &&
	    (*buf = malloc(w->imglen)) != NULL) {
		memcpy(*buf, w->img, w->imglen);
		*len = w->imglen;
		*seq = w->img_seq;
		r = true;
	}
	pthread_mutex_unlock(&w->img_mtx);
	return r;
}

/* Held sets that waited too long (now UINT64_MAX: all of them). */
static void
expire_held(struct worker *w, uint64_t now)
{
	for (size_t i = 0; i < w->xt.n; i++) {
		struct exporter *e = w->xt.all[i];

		if (e->held != NULL && exporter_held_expire(&w->xt, e, now,
		    held_final, w) > 0) {
			push_counts(w, e);
			w->tmpl_dirty = true;
		}
	}
}

void
worker_tick(struct worker *w)
{
	w->mono_ms = time_mono_ms();
	w->tick_mono = w->mono_ms;
	if (w->mono_ms - w->held_mono >= 1000) {
		w->held_mono = w->mono_ms;
		expire_held(w, w->mono_ms);
	}
	make_image(w, false);
}

void
worker_finish(struct worker *w)
{
	static const struct exp_counters zero;

	w->mono_ms = time_mono_ms();
	(void)worker_inbox(w);
	/* sets waiting for a rate are stored; those without template go */
	expire_held(w, UINT64_MAX);
	/* counts a full queue kept back */
	for (size_t i = 0; i < w->xt.n; i++)
		if (memcmp(&w->xt.all[i]->pend, &zero, sizeof(zero)) != 0)
			push_counts(w, w->xt.all[i]);
	worker_publish(w);
	make_image(w, true);
}

/* Keep the templates of the exporters this worker owns. */
static bool
owns(const struct nf_addr *a, void *arg)
{
	struct worker *w = arg;

	return steer_owner(a, (unsigned)w->sh->nworkers) == w->index;
}

int
worker_init(struct worker *w, unsigned index, struct worker_shared *sh,
    struct listener *l, size_t qbytes, size_t max_exporters,
    const char *tmpl_path, char *err, size_t errlen)
{
	struct tmpl_stats st;
	size_t loaded = 0;
	int r;

	memset(w, 0, sizeof(*w));
	w->index = index;
	w->sh = sh;
	w->l = l;
	w->inbox_fd = -1;
	w->rl.interval_ms = 60000;
	w->rl.burst = 10;
	w->mono_ms = w->tick_mono = w->held_mono = time_mono_ms();
	pthread_mutex_init(&w->inbox_mtx, NULL);
	pthread_mutex_init(&w->img_mtx, NULL);
	atomic_init(&w->stop, 0);
	if ((w->out = fq_new(qbytes)) == NULL ||
	    (w->scratch = calloc(WORKER_BATCH, sizeof(*w->scratch))) ==
	    NULL || exporter_table_init(&w->xt, max_exporters, &sh->ids) !=
	    NFE_OK || (w->tmpl = tmpl_cache_new(NULL)) == NULL ||
	    (sh->nworkers > 1 && (w->inbox = fq_new(WORKER_INBOX_BYTES)) ==
	    NULL)) {
		snprintf(err, errlen, "out of memory");
		return NFE_NOMEM;
	}
	if (sh->nworkers > 1 && (w->inbox_fd = eventfd(0, EFD_NONBLOCK |
	    EFD_CLOEXEC)) == -1) {
		snprintf(err, errlen, "eventfd: %s", strerror(errno));
		return NFE_IO;
	}
	if (tmpl_path != NULL) {
		w->tmpl_load_rc = tmpl_load(w->tmpl, tmpl_path, &loaded);
		if (w->tmpl_load_rc == NFE_IO && errno == ENOENT)
			w->tmpl_load_rc = NFE_OK;	/* none yet */
		else if (w->tmpl_load_rc == NFE_OK && sh->nworkers > 1)
			(void)tmpl_keep(w->tmpl, owns, w);
		tmpl_get_stats(w->tmpl, &st);
		w->tmpl_loaded = st.templates;
	}
	/* the writer writes the file from every worker's latest image */
	if ((r = new_image(w)) != NFE_OK) {
		snprintf(err, errlen, "out of memory");
		return r;
	}
	make_image(w, false);		/* the counts for statistics */
	return NFE_OK;
}

void
worker_fini(struct worker *w)
{
	exporter_table_fini(&w->xt);
	tmpl_cache_free(w->tmpl);
	fq_free(w->out);
	fq_free(w->inbox);
	free(w->scratch);
	free(w->img);
	if (w->inbox_fd >= 0)
		close(w->inbox_fd);
	pthread_mutex_destroy(&w->inbox_mtx);
	pthread_mutex_destroy(&w->img_mtx);
	memset(w, 0, sizeof(*w));
	w->inbox_fd = -1;
}

void
worker_shared_init(struct worker_shared *sh, size_t nworkers,
    struct worker **w, size_t max_exporters)
{
	memset(sh, 0, sizeof(*sh));
	sh->nworkers = nworkers;
	sh->w = w;
	exporter_ids_init(&sh->ids, max_exporters);
	atomic_init(&sh->sampling, 0);
	atomic_init(&sh->sampling_force, false);
	fq_bell_init(&sh->bell);
}

void
worker_shared_fini(struct worker_shared *sh)
{
	fq_bell_fini(&sh->bell);
}

void
worker_set_sampling(struct worker_shared *sh, uint32_t rate, bool force)
{
	atomic_store(&sh->sampling, rate);
	atomic_store(&sh->sampling_force, force);
}

bool
worker_allowed(const struct nf_prefix *acl, size_t nacl,
    const struct nf_addr *src)
{
	if (nacl == 0)
		return true;
	for (size_t i = 0; i < nacl; i++)
		if (prefix_match(&acl[i], src))
			return true;
	return false;
}
