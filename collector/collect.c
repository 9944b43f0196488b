/*
 * collector/collect.c -- flowcapd's decode/write thread: queue -> codec
 * peek -> exporter -> decode into a batch -> stamp (sampling, file
 * exporter index) -> spool; held data sets; template persistence;
 * rotation with its log lines.
 *
 * Never fatal on input: every malformed datagram is counted on its
 * exporter (or collector-wide when no exporter can be named) and
 * logged through a rate limiter.
 */
#include "common/base/compat.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "collector/collect.h"
#include "common/base/nferr.h"
#include "common/base/timeutil.h"
#include "common/codec/codec.h"
#include "common/codec/nfdecode.h"
#include "common/codec/sampling.h"
#include "common/codec/tmpl.h"

static uint64_t
sat_mul(uint64_t v, uint32_t m)
{
	if (m > 1 && v > UINT64_MAX / m)
		return UINT64_MAX;
	return v * m;
}

static uint32_t
pick_rate(const struct collect_conf *cf, uint32_t announced)
{
	if (cf->sampling_force && cf->sampling > 0)
		return cf->sampling;
	if (announced > 1)
		return announced;
	if (cf->sampling > 1)
		return cf->sampling;
	return announced;
}

/*
 * One datagram, or one held set, being decoded: the exporter its
 * records belong to.  Lives on the stack for the one decode; the
 * exporter is resolved at most once (looked up before decoding,
 * created on first need).
 */
struct dgram {
	struct collect	*c;
	const struct nf_addr *src;	/* borrowed: the datagram's source */
	uint16_t	 sport;
	uint16_t	 version;	/* exporter key */
	uint32_t	 domain;
	struct exporter	*e;		/* NULL until resolved; NULL after:
					   refused (table full) */
	bool		 resolved;
	int		 idx;		/* e's index in the current file's
					   exporter table; -1 not asked yet */
	struct nf_batch	 batch;		/* over c->recs */
	uint64_t	 recv_ms;	/* when it came in (ms since 1970) */
};

/*
 * The datagram's exporter, created on first need: a datagram that
 * yields nothing (malformed from an unknown source) never takes a
 * place in the bounded table.
 */
static struct exporter *
resolve(struct dgram *d)
{
	struct collect *c = d->c;
	char abuf[ADDR_STRLEN];

	if (d->resolved)
		return d->e;
	d->resolved = true;
	d->e = exporter_get(&c->xt, d->src, d->sport, d->version, d->domain);
	if (d->e != NULL)
		d->idx = spool_exporter(&c->spool, d->e);
	else {
		c->refused_datagrams++;
		if (log_ratelimit(&c->rl, c->mono_ms))
			log_msg(LOG_WARNING, "%s: new exporter refused, the "
			    "exporter table is full (%zu, --max-exporters): "
			    "its data is dropped (%" PRIu64 " datagrams so "
			    "far)", addr_format(d->src, abuf, sizeof(abuf)),
			    c->xt.max, c->refused_datagrams);
	}
	return d->e;
}

/*
 * The batch's full, and the end of every decode: stamp the records
 * (counters scaled by the rate in force, the rate, the exporter's index
 * in the file, the time it came in) and hand them to the spool, which from there on
 * accounts for every record: written, held while the disk refuses
 * writes, or dropped (counted).
 */
static int
store(void *arg, struct flowrec *recs, size_t n)
{
	struct dgram *d = arg;
	struct collect *c = d->c;
	struct exporter *e = resolve(d);
	uint16_t idx;

	if (e == NULL) {
		c->refused_flows += n;
		return NFE_OK;
	}
	if (d->idx < 0)
		d->idx = spool_exporter(&c->spool, e);
	idx = (uint16_t)d->idx;
	for (size_t i = 0; i < n; i++) {
		struct flowrec *r = &recs[i];
		uint32_t rate = pick_rate(c->conf, r->sampling);

		if (rate > 1) {
			r->packets = sat_mul(r->packets, rate);
			r->bytes = sat_mul(r->bytes, rate);
		}
		r->sampling = rate;
		r->exporter = idx;
		r->received_ms = d->recv_ms;
	}
	e->cur.records += n;
	e->total.records += n;
	spool_add(&c->spool, recs, n, c->mono_ms);
	return NFE_OK;
}

/* What is left in the batch after a decode goes to the spool. */
static void
store_rest(struct dgram *d)
{
	if (d->batch.n > 0)
		(void)store(d, d->batch.rec, d->batch.n);
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
	(void)exporter_hold(&d->c->xt, e, version, domain, template_id, set,
	    len, export_ms, sys_uptime_ms, d->c->mono_ms, false);
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
	return exporter_hold(&d->c->xt, e, version, domain, template_id, set,
	    len, export_ms, sys_uptime_ms, d->c->mono_ms, true) == NFE_OK;
}

/* Set up d and the decoder's context for one decode into c->recs. */
static void
dgram_init(struct dgram *d, struct nf_decode_ctx *ctx, struct collect *c,
    const struct nf_addr *src, uint16_t sport, uint64_t recv_ms)
{
	memset(d, 0, sizeof(*d));
	d->c = c;
	d->src = src;
	d->sport = sport;
	d->idx = -1;
	d->recv_ms = recv_ms;
	d->batch.rec = c->recs;
	d->batch.cap = COLLECT_BATCH;
	d->batch.full = store;
	d->batch.arg = d;
	memset(ctx, 0, sizeof(*ctx));
	ctx->exporter = *src;
	ctx->exporter_port = sport;
	ctx->recv_ms = recv_ms;
	ctx->tmpl = c->tmpl;
	ctx->batch = &d->batch;
	ctx->arg = d;
	ctx->notmpl = notmpl;
	ctx->norate = norate;
}

/* Decode a held set; final: without waiting any longer for a rate. */
static int
held_run(struct collect *c, struct exporter *e, struct held_set *h,
    bool final)
{
	const struct nf_codec *codec = nf_codec_by_version(h->version);
	struct nf_decode_ctx ctx;
	struct nf_dgram_info info;
	struct dgram d;
	int r;

	if (codec == NULL || codec->decode_held == NULL)
		return NFE_INTERNAL;	/* only template codecs hold sets */
	dgram_init(&d, &ctx, c, &e->addr, e->port, time_now_ms());
	d.e = e;
	d.resolved = true;
	ctx.notmpl = NULL;
	ctx.norate = NULL;
	ctx.rate_final = final;
	r = codec->decode_held(&ctx, h->domain, h->template_id, h->data,
	    h->len, h->export_ms, h->sys_uptime_ms, &info);
	store_rest(&d);
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

/* One rate-limited line for options data whose sampling makes no sense. */
static void
log_samp_bad(struct collect *c, struct exporter *e,
    const struct nf_dgram_info *info)
{
	const struct nf_samp_note *n = &info->samp_bad_first;
	char sid[32] = "";

	e->cur.samp_bad += info->samp_bad;
	e->total.samp_bad += info->samp_bad;
	if (!log_ratelimit(&e->rl, c->mono_ms))
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
tmpl_changes(struct collect *c)
{
	struct tmpl_stats st;

	tmpl_get_stats(c->tmpl, &st);
	return st.added + st.replaced + st.evicted + st.withdrawn +
	    st.mismatched + st.opts + st.opts_evicted + st.opts_changed;
}

static void
repeat(struct collect *c, const struct dgq_item *it)
{
	for (size_t i = 0; i < c->conf->nrepeat; i++)
		if (send(c->conf->repeat_fd[i], it->data, it->len,
		    MSG_DONTWAIT) == -1)
			c->repeat_errors++;
}

void
collect_datagram(struct collect *c, const struct dgq_item *it)
{
	struct nf_decode_ctx ctx;
	struct nf_dgram_info info;
	struct nf_peek pk;
	const struct nf_addr *key;
	struct exporter *e;
	struct dgram d;
	char abuf[ADDR_STRLEN];
	uint32_t miss;
	int r;

	if (c->conf->nrepeat > 0)
		repeat(c, it);
	if ((r = nf_peek(it->data, it->len, &pk)) != NFE_OK) {
		c->bad_header++;
		if (log_ratelimit(&c->rl, c->mono_ms))
			log_msg(LOG_WARNING, "%s port %u: datagram of %zu bytes "
			    "dropped: %s (version %u; %" PRIu64 " so far)",
			    addr_format(&it->src, abuf, sizeof(abuf)),
			    (unsigned)it->sport, it->len, nferr_str(r),
			    (unsigned)pk.version, c->bad_header);
		return;
	}
	/* an sFlow agent is named in its datagrams, not by their source */
	key = pk.has_agent ? &pk.agent : &it->src;
	dgram_init(&d, &ctx, c, key, it->sport, it->recv_ms);
	d.version = pk.version;
	d.domain = pk.domain;
	if ((d.e = exporter_find(&c->xt, key, pk.version,
	    pk.domain)) != NULL) {
		d.e->port = it->sport;
		d.resolved = true;
		/* an exporter that sends, even nothing usable, is listed in
		   the file with its counters */
		d.idx = spool_exporter(&c->spool, d.e);
	}
	r = pk.codec->decode(it->data, it->len, &ctx, &info);
	if (r == NFE_OK || r == NFE_NOTMPL)
		(void)resolve(&d);
	store_rest(&d);
	if ((e = d.e) == NULL) {
		if (r != NFE_OK && r != NFE_NOTMPL) {
			c->bad_unknown++;
			if (log_ratelimit(&c->rl, c->mono_ms))
				log_msg(LOG_WARNING, "%s port %u: v%u "
				    "datagram of %zu bytes dropped: %s (%"
				    PRIu64 " so far from unknown exporters)",
				    addr_format(&it->src, abuf, sizeof(abuf)),
				    (unsigned)it->sport, (unsigned)pk.version,
				    it->len, nferr_str(r), c->bad_unknown);
		}
		return;
	}
	(void)exporter_account(e, r, &info, &miss);
	if (info.samp_bad > 0)
		log_samp_bad(c, e, &info);
	if (r != NFE_OK && r != NFE_NOTMPL &&
	    log_ratelimit(&e->rl, c->mono_ms))
		log_msg(LOG_WARNING, "exporter %s: datagram of %zu bytes "
		    "dropped: %s (%" PRIu64 " malformed so far)", e->name,
		    it->len, nferr_str(r), e->total.bad_datagrams);
	/*
	 * Exporters refresh their templates every few packets: save only
	 * when the cache really changed (a new, replaced, withdrawn or
	 * evicted template, option state new or changed: a sampler's rate,
	 * for one).  A set held for a sampler's rate can remember that
	 * sampler as rate-less, so held sets count too.
	 */
	if (info.templates > 0 || info.withdrawn > 0 || info.options > 0 ||
	    info.rate_held > 0) {
		if (tmpl_changes(c) != c->tmpl_changes)
			c->tmpl_dirty = true;
	}
	if ((info.templates > 0 || info.options > 0) && e->held != NULL) {
		(void)exporter_held_retry(e, held_decode, c);
		if (tmpl_changes(c) != c->tmpl_changes)
			c->tmpl_dirty = true;
	}
}

/*
 * Save the template cache; on failure (a full disk) try again a
 * debounce interval later, and say so once until a save succeeds.
 */
static void
save_templates(struct collect *c)
{
	int r;

	c->tmpl_changes = tmpl_changes(c);
	c->tmpl_saved_mono = c->mono_ms;
	if ((r = tmpl_save(c->tmpl, c->tmpl_path)) != NFE_OK) {
		if (!c->tmpl_failing)
			log_msg(LOG_WARNING, "%s: cannot save templates: %s%s%s "
			    "(retrying)", c->tmpl_path, nferr_str(r),
			    r == NFE_IO ? ": " : "",
			    r == NFE_IO ? strerror(errno) : "");
		c->tmpl_failing = true;
		return;
	}
	if (c->tmpl_failing)
		log_msg(LOG_NOTICE, "%s: templates saved", c->tmpl_path);
	c->tmpl_failing = false;
	c->tmpl_dirty = false;
}

static void
log_rotation(struct collect *c, const struct spool_done *d)
{
	struct capstats_loss now, in_file;

	capstats_loss_now(c, &now);
	capstats_loss_diff(&now, &c->last, &in_file);
	c->last = now;
	log_msg(d->waiting || d->dropped > 0 ? LOG_WARNING : LOG_INFO,
	    "%s: %" PRIu64 " flows written, %zu blocks, %" PRIu64 " bytes, "
	    "%zu exporters; socket drops %" PRIu64 ", queue drops %" PRIu64
	    ", refused by -A %" PRIu64 ", refused (exporter table full) %"
	    PRIu64 ", malformed from unknown sources %" PRIu64 " (total); %"
	    PRIu64 " flows held in memory (%" PRIu64 " bytes)%s, %" PRIu64
	    " dropped (hold limit)", d->path, d->records, d->blocks,
	    d->bytes_on_disk, spool_nexporters(&c->spool), in_file.kdrops,
	    in_file.qdrops,
	    in_file.acl, in_file.refused_datagrams,
	    c->bad_header + c->bad_unknown, d->held, d->held_bytes,
	    d->waiting ? ": file completes once the disk takes them" : "",
	    d->dropped);
	capstats_loss_warn(c, d->path, &in_file);
	if (c->sess != NULL) {
		char line[1024];

		sessions_rotation_line(c->sess, line, sizeof(line));
		log_msg(LOG_INFO, "%s: %s", d->path, line);
	}
	for (size_t i = 0; i < spool_nexporters(&c->spool); i++) {
		const struct exporter *e = spool_exporter_at(&c->spool, i);

		log_msg(LOG_INFO, "exporter %s: %" PRIu64 " datagrams, %"
		    PRIu64 " flows, %" PRIu64 " lost in %" PRIu64 " gaps, %"
		    PRIu64 " resets, %" PRIu64 " malformed, %" PRIu64
		    " without template (%" PRIu64 " decoded later, %" PRIu64
		    " dropped), sampling %u (%" PRIu64 " sets waited for a "
		    "sampler's rate, %" PRIu64 " stored without; %" PRIu64
		    " announcements that made no sense)", e->name,
		    e->cur.datagrams, e->cur.records, e->cur.seq_lost,
		    e->cur.seq_gaps, e->cur.seq_resets, e->cur.bad_datagrams,
		    e->cur.no_template, e->cur.held_decoded,
		    e->cur.held_dropped, (unsigned)e->sampling,
		    e->cur.rate_held, e->cur.rate_expired, e->cur.samp_bad);
		if (e->cur.counter_samples > 0 || e->cur.no_ip_samples > 0)
			log_msg(LOG_INFO, "exporter %s: %" PRIu64 " counter "
			    "samples (counted, not stored), %" PRIu64 " flow "
			    "samples without an IP packet", e->name,
			    e->cur.counter_samples, e->cur.no_ip_samples);
	}
}

/* Complete the current file; true (and *d filled) if one was closed. */
static bool
close_file(struct collect *c, struct spool_done *d)
{
	char err[512];

	if (!spool_is_open(&c->spool))
		return false;
	if (spool_close(&c->spool, d, err, sizeof(err)) != NFE_OK) {
		log_msg(LOG_ERR, "%s", err);
		return false;
	}
	log_rotation(c, d);
	return true;
}

static void
open_file(struct collect *c, int64_t now_s)
{
	char err[512];

	exporter_table_rotate(&c->xt);
	if (spool_open(&c->spool, now_s, c->mono_ms, false, err,
	    sizeof(err)) != NFE_OK && log_ratelimit(&c->rl, c->mono_ms))
		log_msg(LOG_ERR, "%s (flows are dropped and counted until a "
		    "file can be set up)", err);
}

void
collect_tick(struct collect *c, bool rotate)
{
	struct spool_done done;
	int64_t now_s = (int64_t)(time_now_ms() / 1000);
	unsigned flush_ms = c->conf->flush_ms ? c->conf->flush_ms :
	    COLLECT_FLUSH_MS;

	c->mono_ms = time_mono_ms();
	if (rotate || !spool_is_open(&c->spool) || now_s >= c->spool.end_s) {
		(void)close_file(c, &done);
		open_file(c, now_s);
		c->flushed_mono = c->mono_ms;
	} else if (c->mono_ms - c->flushed_mono >= flush_ms) {
		spool_flush(&c->spool, c->mono_ms);
		c->flushed_mono = c->mono_ms;
	}
	spool_tick(&c->spool, c->mono_ms);
	if (c->tmpl_dirty && c->mono_ms - c->tmpl_saved_mono >=
	    COLLECT_TMPL_SAVE_MS)
		save_templates(c);
	for (size_t i = 0; i < c->xt.n; i++)
		if (c->xt.all[i]->held != NULL)
			(void)exporter_held_expire(&c->xt, c->xt.all[i],
			    c->mono_ms, held_final, c);
	(void)spool_reap(&c->spool);
	if (c->ctl != NULL)
		ctl_serve(c->ctl);
	if (c->reload != NULL && *c->reload) {
		*c->reload = 0;
		if (c->on_reload != NULL)
			c->on_reload(c->reload_arg);
	}
}

void
collect_rotate(struct collect *c, FILE *out)
{
	struct spool_done d;

	c->mono_ms = time_mono_ms();
	if (!close_file(c, &d))
		fprintf(out, "no file was open\n");
	else if (d.waiting)
		fprintf(out, "%s: %" PRIu64 " flows written, %" PRIu64 " held "
		    "in memory: the file completes once the disk takes them\n",
		    d.path, d.records, d.held);
	else
		fprintf(out, "%s: completed, %" PRIu64 " flows\n", d.path,
		    d.records);
	open_file(c, (int64_t)(time_now_ms() / 1000));
	c->flushed_mono = c->mono_ms;
	if (spool_is_open(&c->spool))
		fprintf(out, "writing %s\n", c->spool.cur->tmp);
}

int
collect_init(struct collect *c, const struct collect_conf *conf,
    struct dgq *q, struct rx_counters *rx, char *err, size_t errlen)
{
	size_t loaded = 0, nrec;
	int r;

	memset(c, 0, sizeof(*c));
	c->conf = conf;
	c->q = q;
	c->rx = rx;
	c->rl.interval_ms = 60000;
	c->rl.burst = 10;
	c->mono_ms = time_mono_ms();
	c->start_ms = time_now_ms();
	if (exporter_table_init(&c->xt, conf->max_exporters) != NFE_OK ||
	    (c->tmpl = tmpl_cache_new(NULL)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NFE_NOMEM;
	}
	snprintf(c->tmpl_path, sizeof(c->tmpl_path), "%s/%s", conf->spool.dir,
	    COLLECT_TMPL_FILE);
	r = tmpl_load(c->tmpl, c->tmpl_path, &loaded);
	c->tmpl_changes = tmpl_changes(c);
	if (r == NFE_OK)
		log_msg(LOG_INFO, "%s: %zu templates loaded", c->tmpl_path,
		    loaded);
	else if (!(r == NFE_IO && errno == ENOENT))
		log_msg(LOG_WARNING, "%s: templates not loaded: %s",
		    c->tmpl_path, nferr_str(r));
	if ((nrec = spool_recover(&conf->spool)) > 0)
		log_msg(LOG_NOTICE, "%zu leftover files handled", nrec);
	spool_init(&c->spool, &conf->spool);
	if ((r = spool_open(&c->spool, (int64_t)(time_now_ms() / 1000),
	    c->mono_ms, true, err, errlen)) != NFE_OK)
		return r;
	c->flushed_mono = c->mono_ms;
	c->tmpl_saved_mono = c->mono_ms;
	return NFE_OK;
}

void
collect_run(struct collect *c, volatile sig_atomic_t *stop,
    volatile sig_atomic_t *rotate)
{
	struct dgq_item it;
	unsigned n = 0;

	while (!*stop) {
		if (dgq_pop(c->q, &it, 200)) {
			collect_datagram(c, &it);
			dgq_release(c->q);
			if (++n % 256 != 0)
				continue;
		}
		c->mono_ms = time_mono_ms();
		if (*rotate) {
			*rotate = 0;
			collect_tick(c, true);
		} else {
			collect_tick(c, false);
		}
	}
}

void
collect_drain(struct collect *c)
{
	struct dgq_item it;

	while (dgq_pop(c->q, &it, 0)) {
		collect_datagram(c, &it);
		dgq_release(c->q);
	}
}

void
collect_fini(struct collect *c)
{
	const struct spool *s = &c->spool;
	struct spool_done done;
	struct capstats_totals t;
	struct capstats_loss all;

	c->mono_ms = time_mono_ms();
	/* sets waiting for a rate are stored; those without template go */
	for (size_t i = 0; i < c->xt.n; i++)
		if (c->xt.all[i]->held != NULL)
			(void)exporter_held_expire(&c->xt, c->xt.all[i],
			    UINT64_MAX, held_final, c);
	(void)close_file(c, &done);
	spool_shutdown(&c->spool, c->mono_ms);
	capstats_totals(c, &t);
	/* every decoded flow is in exactly one of the five counts */
	log_msg(LOG_NOTICE, "totals: %zu exporters, %" PRIu64 " datagrams "
	    "decoded, %" PRIu64 " flows decoded: %" PRIu64 " stored in %"
	    PRIu64 " completed files, %" PRIu64 " in files left for "
	    "recovery, %" PRIu64 " dropped (hold limit), %" PRIu64
	    " not written (writes failing at exit), %" PRIu64 " without a "
	    "file; %" PRIu64 " malformed datagrams, %" PRIu64 " datagrams (%"
	    PRIu64 " flows) refused from new exporters", c->xt.n,
	    t.datagrams, t.records, s->stored, s->files, s->left,
	    s->hold.dropped, s->hold.discarded, s->nofile, t.malformed,
	    c->refused_datagrams, c->refused_flows);
	capstats_loss_now(c, &all);
	capstats_loss_warn(c, "since start", &all);
	if (c->tmpl_dirty)
		save_templates(c);
	(void)spool_reap(&c->spool);
	exporter_table_fini(&c->xt);
	tmpl_cache_free(c->tmpl);
	c->tmpl = NULL;
}
