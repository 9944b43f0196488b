/*
 * collector/collect.c -- flowcapd's writer (collector/collect.h): the
 * workers' messages -> exporter index in the file -> spool; the
 * template file from the workers' images; rotation with its log lines.
 */
#include "common/base/compat.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collector/collect.h"
#include "collector/sinkrun.h"
#include "common/base/nferr.h"
#include "common/base/timeutil.h"
#include "common/codec/tmpl.h"

/* The writer hears of e for the first time: list it (statistics). */
static void
known_add(struct collect *c, struct exporter *e)
{
	if (c->nknown == c->known_cap) {
		size_t n = c->known_cap ? c->known_cap * 2 : 64;
		struct exporter **k = realloc(c->known, n * sizeof(*k));

		if (k == NULL)
			return;		/* tried again with its next message */
		c->known = k;
		c->known_cap = n;
	}
	c->known[c->nknown++] = e;
	e->shown.known = true;
}

/*
 * One message: the exporter's counts to what is shown, its records to
 * the current file under the exporter's index there (an exporter that
 * sends anything in a file's interval is listed in that file).  From
 * the spool on, every record is accounted for: written, held while
 * the disk refuses writes, or dropped (counted).
 */
static void
take(struct collect *c, struct wmsg *m)
{
	struct exporter *e = m->e;
	fcol_mask cols;
	uint16_t idx;

	if (!e->shown.known)
		known_add(c, e);
	exporter_show(e, &m->d);
	e->shown.cur.records += m->n;
	e->shown.total.records += m->n;
	idx = spool_exporter(&c->spool, e);
	if (m->n == 0)
		return;
	for (uint32_t i = 0; i < m->n; i++)
		m->rec[i].exporter = idx;
	memcpy(&cols, m->cols, sizeof(cols));
	cols |= FCOL_BIT(FCOL_EXPORTER);
	if (c->sess != NULL) {		/* the subscriber join */
		sessions_join(c->sess, m->rec, m->n);
		cols |= SESSIONS_JOIN_COLS;
	}
	if (c->geo != NULL) {		/* --geoip, --asn-db */
		geofill_batch(c->geo, m->rec, m->n);
		cols |= GEOFILL_COLS;
	}
	spool_add_cols(&c->spool, m->rec, m->n, cols, c->mono_ms);
}

size_t
collect_pump(struct collect *c, size_t max)
{
	struct wmsg *m;
	size_t len, n = 0, before;

	do {
		before = n;
		for (size_t i = 0; i < c->nw && n < max; i++) {
			/* a few at a time from each, in turn */
			for (int k = 0; k < 16 && n < max &&
			    (m = fq_peek(c->outs[i], &len)) != NULL; k++) {
				take(c, m);
				fq_pop(c->outs[i]);
				n++;
			}
		}
	} while (n > before && n < max);
	return n;
}

void
collect_drain_cb(void *arg)
{
	struct collect *c = arg;

	while (collect_pump(c, SIZE_MAX) > 0)
		;
}

/* Every worker's image newer than the one the writer has. */
static void
gather_images(struct collect *c)
{
	uint8_t *buf;
	size_t len;

	for (size_t i = 0; i < c->nw; i++) {
		if (!worker_image(c->sh->w[i], &c->img_seq[i], &buf, &len))
			continue;
		free(c->img[i]);
		c->img[i] = buf;
		c->imglen[i] = len;
		c->tmpl_dirty = true;
	}
}

/* The workers' images as one template file. */
static int
write_templates(struct collect *c)
{
	struct tmpl_limits lim;
	struct tmpl_cache *all;
	int r = NFE_OK;

	if (c->nw == 1)
		return tmpl_save_image(c->img[0], c->imglen[0], c->tmpl_path);
	memset(&lim, 0, sizeof(lim));
	lim.max_total = c->nw * TMPL_DEF_TOTAL;
	lim.max_opts = c->nw * TMPL_DEF_OPTS;
	if ((all = tmpl_cache_new(&lim)) == NULL)
		return NFE_NOMEM;
	for (size_t i = 0; i < c->nw && r == NFE_OK; i++)
		if (c->img[i] != NULL)
			r = tmpl_load_mem(all, c->img[i], c->imglen[i], NULL);
	if (r == NFE_OK)
		r = tmpl_save(all, c->tmpl_path);
	tmpl_cache_free(all);
	return r;
}

/*
 * Save the template file; on failure (a full disk) try again a
 * debounce interval later, and say so once until a save succeeds.
 */
static void
save_templates(struct collect *c)
{
	int r;

	c->tmpl_saved_mono = c->mono_ms;
	if ((r = write_templates(c)) != NFE_OK) {
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
	    capstats_unknown(c), d->held, d->held_bytes,
	    d->waiting ? ": file completes once the disk takes them" : "",
	    d->dropped);
	capstats_loss_warn(c, d->path, &in_file);
	if (c->sess != NULL) {
		char line[1024];

		sessions_rotation_line(c->sess, line, sizeof(line));
		log_msg(LOG_INFO, "%s: %s", d->path, line);
	}
	if (c->sinks != NULL)
		sinkset_log(c->sinks, d->path);
	for (size_t i = 0; i < spool_nexporters(&c->spool); i++) {
		const struct exporter *e = spool_exporter_at(&c->spool, i);
		const struct exp_counters *n = &e->shown.cur;

		log_msg(LOG_INFO, "exporter %s: %" PRIu64 " datagrams, %"
		    PRIu64 " flows, %" PRIu64 " lost in %" PRIu64 " gaps, %"
		    PRIu64 " resets, %" PRIu64 " malformed, %" PRIu64
		    " without template (%" PRIu64 " decoded later, %" PRIu64
		    " dropped), sampling %u (%" PRIu64 " sets waited for a "
		    "sampler's rate, %" PRIu64 " stored without; %" PRIu64
		    " announcements that made no sense)", e->name,
		    n->datagrams, n->records, n->seq_lost, n->seq_gaps,
		    n->seq_resets, n->bad_datagrams, n->no_template,
		    n->held_decoded, n->held_dropped,
		    (unsigned)e->shown.sampling, n->rate_held,
		    n->rate_expired, n->samp_bad);
		if (n->counter_samples > 0 || n->no_ip_samples > 0)
			log_msg(LOG_INFO, "exporter %s: %" PRIu64 " counter "
			    "samples (counted, not stored), %" PRIu64 " flow "
			    "samples without an IP packet", e->name,
			    n->counter_samples, n->no_ip_samples);
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

	for (size_t i = 0; i < c->nknown; i++)
		exporter_rotate(c->known[i]);
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

	c->mono_ms = c->ticked_mono = time_mono_ms();
	if (rotate || !spool_is_open(&c->spool) || now_s >= c->spool.end_s) {
		(void)close_file(c, &done);
		open_file(c, now_s);
		c->flushed_mono = c->mono_ms;
	} else if (c->mono_ms - c->flushed_mono >= flush_ms) {
		spool_flush(&c->spool, c->mono_ms);
		c->flushed_mono = c->mono_ms;
	}
	spool_tick(&c->spool, c->mono_ms);
	gather_images(c);
	if (c->tmpl_dirty && c->mono_ms - c->tmpl_saved_mono >=
	    COLLECT_TMPL_SAVE_MS)
		save_templates(c);
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
    struct worker_shared *sh, char *err, size_t errlen)
{
	size_t nrec, loaded = 0;
	int r, load_rc = NFE_OK;

	memset(c, 0, sizeof(*c));
	c->conf = conf;
	c->sh = sh;
	c->nw = sh->nworkers;
	c->rl.interval_ms = 60000;
	c->rl.burst = 10;
	c->mono_ms = time_mono_ms();
	c->start_ms = time_now_ms();
	snprintf(c->tmpl_path, sizeof(c->tmpl_path), "%s/%s", conf->spool.dir,
	    COLLECT_TMPL_FILE);
	for (size_t i = 0; i < c->nw; i++) {
		c->outs[i] = sh->w[i]->out;
		/* not the cache itself: the worker may be running */
		loaded += sh->w[i]->tmpl_loaded;
		if (sh->w[i]->tmpl_load_rc != NFE_OK)
			load_rc = sh->w[i]->tmpl_load_rc;
	}
	/* the images as loaded: the file already says that */
	gather_images(c);
	c->tmpl_dirty = false;
	if (load_rc != NFE_OK)
		log_msg(LOG_WARNING, "%s: templates not loaded: %s",
		    c->tmpl_path, nferr_str(load_rc));
	else if (loaded > 0)
		log_msg(LOG_INFO, "%s: %zu templates loaded", c->tmpl_path,
		    loaded);
	if ((nrec = spool_recover(&conf->spool)) > 0)
		log_msg(LOG_NOTICE, "%zu leftover files handled", nrec);
	spool_init(&c->spool, &conf->spool);
	if ((r = spool_open(&c->spool, (int64_t)(time_now_ms() / 1000),
	    c->mono_ms, true, err, errlen)) != NFE_OK)
		return r;
	c->flushed_mono = c->ticked_mono = c->mono_ms;
	c->tmpl_saved_mono = c->mono_ms;
	return NFE_OK;
}

void
collect_run(struct collect *c, volatile sig_atomic_t *stop,
    volatile sig_atomic_t *rotate)
{
	uint64_t since;
	size_t n;

	while (!*stop) {
		n = collect_pump(c, COLLECT_PUMP);
		c->mono_ms = time_mono_ms();
		if (*rotate) {
			*rotate = 0;
			collect_tick(c, true);
			continue;
		}
		if ((since = c->mono_ms - c->ticked_mono) >= COLLECT_TICK_MS) {
			collect_tick(c, false);
			since = 0;
		}
		if (n == 0)
			fq_bell_wait(&c->sh->bell, c->outs, c->nw,
			    (int)(COLLECT_TICK_MS - since));
	}
}

void
collect_drain(struct collect *c)
{
	c->mono_ms = time_mono_ms();
	collect_drain_cb(c);
	c->sh->drain = collect_drain_cb;
	c->sh->drain_arg = c;
	for (size_t i = 0; i < c->nw; i++) {
		worker_finish(c->sh->w[i]);
		collect_drain_cb(c);
	}
	gather_images(c);
}

void
collect_fini(struct collect *c)
{
	const struct spool *s = &c->spool;
	struct spool_done done;
	struct capstats_totals t;
	struct capstats_loss all;

	c->mono_ms = time_mono_ms();
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
	    PRIu64 " flows) refused from new exporters", c->nknown,
	    t.datagrams, t.records, s->stored, s->files, s->left,
	    s->hold.dropped, s->hold.discarded, s->nofile, t.malformed,
	    t.refused_datagrams, t.refused_flows);
	capstats_loss_now(c, &all);
	capstats_loss_warn(c, "since start", &all);
	gather_images(c);
	if (c->tmpl_dirty)
		save_templates(c);
	(void)spool_reap(&c->spool);
	for (size_t i = 0; i < c->nw; i++)
		free(c->img[i]);
	free(c->known);
	c->known = NULL;
	c->nknown = c->known_cap = 0;
}
