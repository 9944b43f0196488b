/*
 * collector/sinkrun.c -- one live sink's thread (collector/sinkrun.h):
 * fill a batch from the data directory, send it when it is due, keep
 * the cursor, retry with backoff, and keep the statistics.
 *
 * The batch remembers where each run of its records came from
 * (segments: file, block offset, first record), so that the cursor
 * can be set to the end of a delivered batch, or to the end of the
 * part of it that a ClickHouse count says already landed.
 */
#include "common/base/compat.h"

#include <sys/random.h>
#include <sys/resource.h>
#include <sys/syscall.h>

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "collector/sinkcursor.h"
#include "collector/sinkfollow.h"
#include "collector/sinkrun.h"
#include "common/base/nferr.h"
#include "common/base/timeutil.h"
#include "common/prog/log.h"
#include "sink/chrow.h"
#include "sink/sink.h"

#define LOG_REPEAT_MS	60000	/* a changed error is logged at most this often */

/* Records of one block in the batch. */
struct seg {
	struct sinkcursor pos;		/* file, slot, off, rec of the first */
	size_t		 start;		/* index of the first in the batch */
	size_t		 n;
	uint64_t	 blk_end;	/* offset after its block */
	uint32_t	 blk_nrec;	/* records in its block */
};

struct sinkrun {
	struct sinkurl	 url;
	const char	*dir;		/* borrowed */
	char		 cursor_path[4096];
	struct sink	*sink;		/* owned */
	struct follow	*fol;		/* owned */
	struct sinkcursor cur;		/* delivered position, counters */
	bool		 cur_dirty;	/* the last save failed */
	bool		 fresh;		/* no cursor yet: a new sink */
	pthread_t	 th;
	bool		 started, exited;
	atomic_bool	 stop;		/* deliver what is there, then end */
	atomic_bool	 cancel;	/* cut requests short (after drain) */
	uint64_t	 drain_until;	/* monotonic ms; under mu */
	pthread_mutex_t	 mu;		/* guards st, drain_until, exited */
	pthread_cond_t	 cv;		/* wakes the thread; signals exit */
	struct sinkrun_stats st;
	/* the batch */
	struct flowrec	*recs;		/* owned */
	size_t		 n, cap;
	char		*strs;		/* owned: record i's strings at
					   i * STRSLOT (blocks they came
					   from are gone by delivery) */
	size_t		 strcap;	/* records it has room for */
	struct ffile_exporter *xs;	/* owned: its file's exporters */
	size_t		 nxs, xcap;
	struct seg	*segs;		/* owned */
	size_t		 nseg, segcap;
	uint64_t	 seen_ms;	/* when its oldest block was seen */
	uint32_t	 day;		/* ClickHouse: its day */
	bool		 cut;		/* ends here: send now */
	bool		 frozen;	/* sent once: no more records, same id */
	bool		 check;		/* ask what landed before sending */
	uint64_t	 skip;		/* records at the cursor that landed */
	bool		 idle;		/* the last fill found nothing new */
	bool		 looked;	/* a fill has read the files once */
	/* retries */
	uint64_t	 last_send;	/* monotonic ms */
	uint64_t	 backoff_ms;
	uint64_t	 next_try;	/* monotonic ms */
	bool		 failing;
	uint64_t	 fail_since;	/* monotonic ms */
	uint64_t	 fail_count;
	uint64_t	 logged_at;	/* monotonic ms of the last error line */
	char		 logged[512];
	bool		 lag_warned;
	uint64_t	 pending_at;	/* monotonic ms */
	uint64_t	 vanished_seen, bad_seen, late_seen;
};

static int
grow(void **p, size_t *cap, size_t want, size_t size)
{
	void *q;
	size_t c = *cap ? *cap : 16;

	if (*cap >= want)
		return NFE_OK;
	while (c < want)
		c *= 2;
	if ((q = realloc(*p, c * size)) == NULL)
		return NFE_NOMEM;
	*p = q;
	*cap = c;
	return NFE_OK;
}

static uint64_t
new_sink_id(void)
{
	uint32_t v = 0;

	while (v == 0) {
		if (getrandom(&v, sizeof(v), 0) != sizeof(v))
			v = (uint32_t)time_now_ms() ^ (uint32_t)getpid() << 8;
		v &= 0xffffff;
	}
	return v;
}

int
sinkrun_new(const struct sinkurl *u, const char *dir, struct sinkrun **out,
    char *err, size_t errlen)
{
	struct sinkrun *r;
	char e[512];
	int rc;

	*out = NULL;
	if ((r = calloc(1, sizeof(*r))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NFE_NOMEM;
	}
	r->url = *u;
	r->dir = dir;
	pthread_mutex_init(&r->mu, NULL);
	pthread_cond_init(&r->cv, NULL);
	snprintf(r->st.name, sizeof(r->st.name), "%s", u->name);
	snprintf(r->st.url, sizeof(r->st.url), "%s", u->text);
	if (sinkcursor_path(dir, u->name, r->cursor_path,
	    sizeof(r->cursor_path)) != NFE_OK) {
		snprintf(err, errlen, "%s: cursor path too long", u->text);
		rc = NFE_LIMIT;
		goto fail;
	}
	if ((rc = sink_open(u, &r->cancel, &r->sink, err, errlen)) != NFE_OK)
		goto fail;
	rc = sinkcursor_load(r->cursor_path, &r->cur, e, sizeof(e));
	if (rc == NFE_EOF) {
		/* a new sink: placed at the newest file by sinkrun_start */
		memset(&r->cur, 0, sizeof(r->cur));
		r->cur.sink_id = new_sink_id();
		r->fresh = true;
	} else if (rc != NFE_OK) {
		snprintf(err, errlen, "sink %s: %s (remove it to start the "
		    "sink afresh from the newest file)", u->name, e);
		goto fail;
	}
	/* the last batch before a stop may have landed unrecorded */
	r->check = true;
	r->backoff_ms = SINKRUN_BACKOFF_MIN_MS;
	*out = r;
	return NFE_OK;
fail:
	sink_close(r->sink);
	pthread_mutex_destroy(&r->mu);
	pthread_cond_destroy(&r->cv);
	free(r);
	return rc;
}

/* Wait up to ms, or until woken (stop). */
static void
nap(struct sinkrun *r, uint64_t ms)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += (time_t)(ms / 1000);
	ts.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&r->mu);
	if (!atomic_load(&r->stop))
		pthread_cond_timedwait(&r->cv, &r->mu, &ts);
	pthread_mutex_unlock(&r->mu);
}

static void
save_cursor(struct sinkrun *r)
{
	char e[512];

	r->cur.updated_ms = time_now_ms();
	if (sinkcursor_save(r->cursor_path, &r->cur, e, sizeof(e)) != NFE_OK) {
		if (!r->cur_dirty)
			log_msg(LOG_ERR, "sink %s: cannot save its cursor: %s "
			    "(a restart would deliver again from the last "
			    "saved one)", r->url.name, e);
		r->cur_dirty = true;
		return;
	}
	r->cur_dirty = false;
}

/* The position just after the first k records of the batch. */
static void
position_after(const struct sinkrun *r, size_t k, struct sinkcursor *pos)
{
	for (size_t i = 0; i < r->nseg; i++) {
		const struct seg *s = &r->segs[i];

		if (k > s->start + s->n && i + 1 < r->nseg)
			continue;
		snprintf(pos->file, sizeof(pos->file), "%s", s->pos.file);
		pos->slot_s = s->pos.slot_s;
		pos->off = s->pos.off;
		pos->rec = s->pos.rec + (uint32_t)(k - s->start);
		if (pos->rec >= s->blk_nrec) {
			/* the block is done: stand where the next begins */
			pos->off = s->blk_end;
			pos->rec = 0;
		}
		return;
	}
}

/* Bytes of one record's strings: every string field at its longest. */
#define STRSLOT_STR(m)	+ FLOWREC_STR_MAX
#define STRSLOT_U8(m)
#define STRSLOT_U16(m)
#define STRSLOT_U32(m)
#define STRSLOT_U64(m)
#define STRSLOT_ADDR(m)
#define STRSLOT_F(ID, m, T, ...)	STRSLOT_##T(m)
#define STRSLOT_SKIP_(...)
#define STRSLOT	((size_t)0 FLOW_FIELDS(STRSLOT_F, STRSLOT_SKIP_, STRSLOT_SKIP_))

/*
 * Records from..from+k-1 of the batch point into their block's
 * dictionaries: copy their strings into the batch (room for r->cap
 * records, moving those already there when it grows).
 */
static int
keep_strings(struct sinkrun *r, size_t from, size_t k)
{
	char *p;

	if (STRSLOT == 0)
		return NFE_OK;
	if (r->strcap < r->cap) {
		if ((p = malloc(r->cap * STRSLOT)) == NULL)
			return NFE_NOMEM;
		for (size_t i = 0; i < from; i++)
			(void)flowrec_str_move(&r->recs[i], p + i * STRSLOT);
		free(r->strs);
		r->strs = p;
		r->strcap = r->cap;
	}
	for (size_t i = from; i < from + k; i++)
		(void)flowrec_str_move(&r->recs[i], r->strs + i * STRSLOT);
	return NFE_OK;
}

/* The first k records of the batch are delivered: move the cursor. */
static void
delivered(struct sinkrun *r, size_t k)
{
	struct sinkcursor pos;

	if (k == 0 || r->nseg == 0)
		return;
	position_after(r, k, &pos);
	snprintf(r->cur.file, sizeof(r->cur.file), "%s", pos.file);
	r->cur.slot_s = pos.slot_s;
	r->cur.off = pos.off;
	r->cur.rec = pos.rec;
	r->cur.delivered += k;
	/* drop them from the batch */
	memmove(r->recs, r->recs + k, (r->n - k) * sizeof(*r->recs));
	r->n -= k;
	/* their strings to their new places (slot i + k to slot i) */
	for (size_t i = 0; STRSLOT > 0 && i < r->n; i++)
		(void)flowrec_str_move(&r->recs[i], r->strs + i * STRSLOT);
	{
		size_t w = 0;

		for (size_t i = 0; i < r->nseg; i++) {
			struct seg s = r->segs[i];

			if (s.start + s.n <= k)
				continue;
			if (s.start < k) {
				s.pos.rec += (uint32_t)(k - s.start);
				s.n -= k - s.start;
				s.start = k;
			}
			s.start -= k;
			r->segs[w++] = s;
		}
		r->nseg = w;
	}
	if (r->n == 0) {
		r->cut = false;
		r->nseg = 0;
	}
	r->frozen = false;
}

/* Copy the follower's exporter table (it only grows within a file). */
static int
take_exporters(struct sinkrun *r)
{
	const struct ffile_exporter *xs;
	size_t n;
	int rc;

	follow_exporters(r->fol, &xs, &n);
	if ((rc = grow((void **)&r->xs, &r->xcap, n, sizeof(*r->xs))) !=
	    NFE_OK)
		return rc;
	if (n > 0)
		memcpy(r->xs, xs, n * sizeof(*xs));
	r->nxs = n;
	return NFE_OK;
}

static void
note_follow_problems(struct sinkrun *r)
{
	const struct follow_stats *fs = follow_stats(r->fol);

	if (fs->vanished != r->vanished_seen || fs->late != r->late_seen)
		log_msg(LOG_ERR, "sink %s: %s", r->url.name, fs->problem);
	else if (fs->bad_blocks != r->bad_seen)
		log_msg(LOG_WARNING, "sink %s: %s", r->url.name, fs->problem);
	r->vanished_seen = fs->vanished;
	r->late_seen = fs->late;
	r->bad_seen = fs->bad_blocks;
}

/* Add what the follower has to the batch (not when frozen). */
static int
fill(struct sinkrun *r, uint64_t now)
{
	struct follow_view v;
	bool moved;
	int rc;

	r->idle = false;
	while (!r->frozen && !r->cut && r->n < r->url.batch) {
		size_t k;

		if ((rc = follow_peek(r->fol, now, &v)) != NFE_OK)
			return rc;
		r->looked = true;
		note_follow_problems(r);
		if (v.n == 0) {
			if (v.at_end && r->n > 0) {
				r->cut = true;	/* one file per batch */
				break;
			}
			if (v.at_end && follow_next_file(r->fol, &moved) ==
			    NFE_OK && moved) {
				/*
				 * Every record of the finished file is
				 * delivered (the batch is empty): the cursor
				 * moves on, so that a file without flows
				 * (a rotation with no traffic) is neither
				 * pending nor kept by flowexpire.
				 */
				if (r->skip == 0) {
					follow_position(r->fol, &r->cur);
					save_cursor(r);
				}
				continue;
			}
			r->idle = true;
			break;
		}
		if (r->skip > 0 && r->n == 0) {
			/* landed before, as a ClickHouse count said */
			k = v.n < r->skip ? v.n : (size_t)r->skip;
			follow_consume(r->fol, k);
			r->skip -= k;
			follow_position(r->fol, &r->cur);
			save_cursor(r);
			continue;
		}
		k = r->url.batch - r->n < v.n ? r->url.batch - r->n : v.n;
		if (sink_split_days(r->sink)) {
			uint32_t day = r->n > 0 ? r->day :
			    chrow_day(&v.recs[0]);

			for (size_t j = 0; j < k; j++)
				if (chrow_day(&v.recs[j]) != day) {
					k = j;
					r->cut = true;
					break;
				}
			r->day = day;
			if (k == 0)
				break;
		}
		if ((rc = grow((void **)&r->recs, &r->cap, r->n + k,
		    sizeof(*r->recs))) != NFE_OK ||
		    (rc = grow((void **)&r->segs, &r->segcap, r->nseg + 1,
		    sizeof(*r->segs))) != NFE_OK)
			return rc;
		memcpy(r->recs + r->n, v.recs, k * sizeof(*v.recs));
		if ((rc = keep_strings(r, r->n, k)) != NFE_OK)
			return rc;
		r->segs[r->nseg].pos = v.pos;
		r->segs[r->nseg].start = r->n;
		r->segs[r->nseg].n = k;
		r->segs[r->nseg].blk_end = v.blk_end;
		r->segs[r->nseg].blk_nrec = v.blk_nrec;
		r->nseg++;
		if (r->n == 0)
			r->seen_ms = v.seen_ms;
		r->n += k;
		follow_consume(r->fol, k);
		if ((rc = take_exporters(r)) != NFE_OK)
			return rc;
	}
	return NFE_OK;
}

static void
set_error(struct sinkrun *r, const char *e)
{
	pthread_mutex_lock(&r->mu);
	snprintf(r->st.last_error, sizeof(r->st.last_error), "%s", e);
	r->st.up = false;
	r->st.retries++;
	pthread_mutex_unlock(&r->mu);
}

/* A failed attempt: log (first of an episode, or a new error now and
 * then), back off. */
static void
failed(struct sinkrun *r, const char *e, uint64_t mono, bool refused)
{
	unsigned ra = sink_retry_after(r->sink);

	set_error(r, e);
	r->fail_count++;
	if (!r->failing) {
		r->failing = true;
		r->fail_since = mono;
		r->logged_at = mono;
		snprintf(r->logged, sizeof(r->logged), "%s", e);
		log_msg(LOG_WARNING, "sink %s: %s; %s, collection goes on and "
		    "the flows wait on disk", r->url.name, e, refused ?
		    "refused: trying again every 30 s" : "retrying");
	} else if (strcmp(e, r->logged) != 0 &&
	    mono - r->logged_at >= LOG_REPEAT_MS) {
		r->logged_at = mono;
		snprintf(r->logged, sizeof(r->logged), "%s", e);
		log_msg(LOG_WARNING, "sink %s: still failing (%" PRIu64
		    " attempts): %s", r->url.name, r->fail_count, e);
	}
	r->backoff_ms = refused ? SINKRUN_BACKOFF_MAX_MS :
	    r->backoff_ms * 2 > SINKRUN_BACKOFF_MAX_MS ?
	    SINKRUN_BACKOFF_MAX_MS : r->backoff_ms * 2;
	r->next_try = mono + (ra * 1000ULL > r->backoff_ms ? ra * 1000ULL :
	    r->backoff_ms);
}

static void
succeeded(struct sinkrun *r, uint64_t mono)
{
	if (r->failing)
		log_msg(LOG_NOTICE, "sink %s: delivering again after %" PRIu64
		    " s and %" PRIu64 " failed attempts", r->url.name,
		    (mono - r->fail_since) / 1000, r->fail_count);
	r->failing = false;
	r->fail_count = 0;
	r->backoff_ms = SINKRUN_BACKOFF_MIN_MS;
	r->next_try = 0;
	pthread_mutex_lock(&r->mu);
	r->st.up = true;
	pthread_mutex_unlock(&r->mu);
}

/* After a lost answer (or at start): skip what already landed. */
static bool
resolve(struct sinkrun *r, const struct sink_batch *b, uint64_t mono)
{
	char e[512];
	uint64_t rows;
	size_t k;
	int rc;

	rc = sink_landed(r->sink, b, &rows, e, sizeof(e));
	if (rc == NFE_UNSUPP) {
		r->check = false;	/* cannot tell: send again */
		return true;
	}
	if (rc != NFE_OK) {
		failed(r, e, mono, false);
		return false;
	}
	r->check = false;
	if (rows == 0)
		return true;
	k = rows < r->n ? (size_t)rows : r->n;
	r->cur.seq++;			/* that batch id is used */
	delivered(r, k);
	r->skip = rows - k;
	r->cur.delivered += r->skip;
	save_cursor(r);
	pthread_mutex_lock(&r->mu);
	r->st.skipped += rows;
	pthread_mutex_unlock(&r->mu);
	log_msg(LOG_NOTICE, "sink %s: batch %" PRIu64 " had landed "
	    "(%" PRIu64 " flows) before its answer was lost: not sent again",
	    r->url.name, b->id, rows);
	return false;			/* fill again: the batch changed */
}

static void
deliver(struct sinkrun *r, uint64_t mono)
{
	struct sink_batch b = { r->recs, r->n, r->xs, r->nxs,
	    sinkcursor_next_batch(&r->cur) };
	char e[512];
	int res;

	if (r->check && !resolve(r, &b, mono))
		return;
	r->frozen = true;
	r->last_send = mono;
	res = sink_deliver(r->sink, &b, e, sizeof(e));
	switch (res) {
	case SINK_DELIVERED:
		r->cur.seq++;
		pthread_mutex_lock(&r->mu);
		r->st.delivered += r->n;
		r->st.batches++;
		r->st.bytes += sink_last_bytes(r->sink);
		pthread_mutex_unlock(&r->mu);
		delivered(r, r->n);
		save_cursor(r);
		succeeded(r, mono);
		break;
	case SINK_UNKNOWN:
		r->check = true;
		failed(r, e, mono, false);
		break;
	case SINK_REFUSED:
		failed(r, e, mono, true);
		break;
	default:
		failed(r, e, mono, false);
		break;
	}
}

static void
update_stats(struct sinkrun *r, uint64_t mono, uint64_t now)
{
	const struct follow_stats *fs = follow_stats(r->fol);
	uint64_t lag = 0, pend;
	bool pending_due = mono - r->pending_at >= SINKRUN_PENDING_MS;

	if (r->n > 0 || r->skip > 0)
		lag = now > r->seen_ms ? now - r->seen_ms : 0;
	if (pending_due) {
		r->pending_at = mono;
		/* caught up: the rest of the file is a trailer to be, or
		   a block still being written */
		(void)follow_pending_bytes(r->dir, &r->cur, r->idle &&
		    r->n == 0 && r->skip == 0, &pend);
	}
	pthread_mutex_lock(&r->mu);
	r->st.lag_ms = lag;
	r->st.oldest_ms = r->n > 0 || r->skip > 0 ? r->seen_ms : 0;
	r->st.lag_known = r->looked;
	if (pending_due)
		r->st.pending_bytes = pend;
	r->st.delivered_total = r->cur.delivered;
	r->st.vanished = fs->vanished;
	r->st.late = fs->late;
	r->st.bad_blocks = fs->bad_blocks;
	snprintf(r->st.cursor_file, sizeof(r->st.cursor_file), "%s",
	    r->cur.file);
	pthread_mutex_unlock(&r->mu);
	if (r->url.lag_warn_s == 0)
		return;
	if (!r->lag_warned && lag >= r->url.lag_warn_s * 1000ULL) {
		r->lag_warned = true;
		log_msg(LOG_WARNING, "sink %s: %" PRIu64 " s behind (more than "
		    "lag=%" PRIu32 " s): %s; the flows wait on disk from %s on "
		    "(flowexpire keeps them)", r->url.name, lag / 1000,
		    r->url.lag_warn_s, r->st.last_error[0] != '\0' ?
		    r->st.last_error : "the destination takes them slower "
		    "than they come", r->cur.file);
	} else if (r->lag_warned && lag < r->url.lag_warn_s * 500ULL) {
		r->lag_warned = false;
		log_msg(LOG_NOTICE, "sink %s: caught up (lag %" PRIu64 " s)",
		    r->url.name, lag / 1000);
	}
}

static bool
due(const struct sinkrun *r, uint64_t mono, bool stopping)
{
	if (r->n == 0)
		return false;
	return r->frozen || r->cut || stopping || r->n >= r->url.batch ||
	    mono - r->last_send >= r->url.interval_ms;
}

static void *
run(void *arg)
{
	struct sinkrun *r = arg;
	char e[512], note[1024];
	int rc;

	/* collection first: reception and decoding win the CPU */
	(void)setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid),
	    SINKRUN_NICE);
	for (;;) {
		uint64_t mono = time_mono_ms(), now = time_now_ms(), until;
		bool stopping = atomic_load(&r->stop);

		if ((rc = fill(r, now)) != NFE_OK)
			failed(r, nferr_str(rc), mono, false);
		update_stats(r, mono, now);
		if (stopping) {
			pthread_mutex_lock(&r->mu);
			until = r->drain_until;
			pthread_mutex_unlock(&r->mu);
			if (mono >= until || (r->n == 0 && r->idle))
				break;
		}
		if (mono < r->next_try) {
			nap(r, r->next_try - mono < SINKRUN_POLL_MS ?
			    r->next_try - mono : SINKRUN_POLL_MS);
			continue;
		}
		if (!r->st.ready) {
			if ((rc = sink_prepare(r->sink, e, sizeof(e))) !=
			    NFE_OK) {
				failed(r, e, mono, rc == NFE_FORMAT);
				continue;
			}
			if (sink_take_notice(r->sink, note, sizeof(note)))
				log_msg(LOG_NOTICE, "sink %s: %s", r->url.name,
				    note);
			pthread_mutex_lock(&r->mu);
			r->st.ready = true;
			pthread_mutex_unlock(&r->mu);
			succeeded(r, mono);
		}
		if (r->cur_dirty)
			save_cursor(r);
		if (due(r, mono, stopping)) {
			deliver(r, mono);
			continue;
		}
		nap(r, SINKRUN_POLL_MS);
	}
	if (r->cur_dirty)
		save_cursor(r);
	update_stats(r, time_mono_ms(), time_now_ms());
	pthread_mutex_lock(&r->mu);
	r->exited = true;
	pthread_cond_broadcast(&r->cv);
	pthread_mutex_unlock(&r->mu);
	return NULL;
}

int
sinkrun_start(struct sinkrun *r)
{
	if (r->fresh) {
		/* a new sink starts with the file being written now */
		(void)follow_newest(r->dir, r->cur.file, sizeof(r->cur.file),
		    &r->cur.slot_s);
		save_cursor(r);
		r->fresh = false;
	}
	if (r->fol == NULL && follow_new(r->dir, &r->cur, &r->fol) != NFE_OK)
		return NFE_NOMEM;
	if (pthread_create(&r->th, NULL, run, r) != 0)
		return NFE_NOMEM;
	r->started = true;
	return NFE_OK;
}

void
sinkrun_request_stop(struct sinkrun *r, uint64_t until_mono)
{
	pthread_mutex_lock(&r->mu);
	r->drain_until = until_mono;
	atomic_store(&r->stop, true);
	pthread_cond_broadcast(&r->cv);
	pthread_mutex_unlock(&r->mu);
}

void
sinkrun_join(struct sinkrun *r)
{
	struct timespec ts;
	uint64_t left, now = time_mono_ms();

	if (!r->started)
		return;
	pthread_mutex_lock(&r->mu);
	/* a request may be in progress: cut it short after the drain */
	left = r->drain_until > now ? r->drain_until - now : 0;
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += (time_t)(left / 1000) + 1;
	while (!r->exited)
		if (pthread_cond_timedwait(&r->cv, &r->mu, &ts) == ETIMEDOUT)
			break;
	pthread_mutex_unlock(&r->mu);
	atomic_store(&r->cancel, true);
	pthread_join(r->th, NULL);
	r->started = false;
}

void
sinkrun_stop(struct sinkrun *r, unsigned drain_ms)
{
	if (!r->started)
		return;
	sinkrun_request_stop(r, time_mono_ms() + drain_ms);
	sinkrun_join(r);
}

void
sinkrun_stats(struct sinkrun *r, struct sinkrun_stats *st)
{
	uint64_t now = time_now_ms();

	pthread_mutex_lock(&r->mu);
	*st = r->st;
	pthread_mutex_unlock(&r->mu);
	/* now, not as of the last look: a delivery that takes long (a
	 * destination down) makes the lag grow while it waits */
	st->lag_ms = st->oldest_ms != 0 && now > st->oldest_ms ?
	    now - st->oldest_ms : 0;
}

void
sinkrun_free(struct sinkrun *r)
{
	if (r == NULL)
		return;
	sinkrun_stop(r, 0);
	sink_close(r->sink);
	follow_free(r->fol);
	free(r->recs);
	free(r->strs);
	free(r->xs);
	free(r->segs);
	pthread_mutex_destroy(&r->mu);
	pthread_cond_destroy(&r->cv);
	free(r);
}
