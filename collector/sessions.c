/*
 * collector/sessions.c -- flowcapd's session store, its sources and its
 * files (sessions.h).
 */
#include "common/base/compat.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collector/sessions.h"
#include "common/base/nferr.h"
#include "common/base/timeutil.h"
#include "common/prog/log.h"

bool
sessions_wanted(const struct sessions_conf *c)
{
	return c->nradius > 0 || c->nfiles > 0 || c->ninside > 0;
}

/* Move a file that cannot be read aside, so nothing overwrites it. */
static void
set_aside(const char *path, const char *why, const char *what)
{
	char bad[4300];

	snprintf(bad, sizeof(bad), "%s.bad", path);
	if (rename(path, bad) == 0)
		log_msg(LOG_ERR, "%s: %s: moved to %s; %s it held are "
		    "not known", path, why, bad, what);
	else
		log_msg(LOG_ERR, "%s: %s (and cannot move it aside: %s)",
		    path, why, strerror(errno));
}

static int
load(struct sessions *s, char *err, size_t errlen)
{
	size_t n = 0, replayed = 0;
	int r;

	r = sessfile_load(s->db, s->snap_path, &n);
	if (r == NFE_IO && errno == ENOENT)
		r = NFE_OK;
	else if (r == NFE_IO) {
		snprintf(err, errlen, "%s: %s", s->snap_path, strerror(errno));
		return r;
	} else if (r == NFE_FORMAT || r == NFE_CORRUPT || r == NFE_VERSION) {
		set_aside(s->snap_path, nferr_str(r), "sessions");
		r = NFE_OK;
	} else if (r == NFE_LIMIT)
		log_msg(LOG_WARNING, "%s: the store filled up (--max-sessions) "
		    "after %zu sessions; the rest is not loaded", s->snap_path,
		    n);
	r = sessjournal_open(s->jrn_path, s->db, &s->j, &replayed);
	if (r == NFE_FORMAT) {
		set_aside(s->jrn_path, "not a session journal", "sessions");
		r = sessjournal_open(s->jrn_path, s->db, &s->j, &replayed);
	}
	if (r != NFE_OK) {
		snprintf(err, errlen, "%s: %s", s->jrn_path, r == NFE_IO ?
		    strerror(errno) : nferr_str(r));
		return r;
	}
	if (n > 0 || replayed > 0)
		log_msg(LOG_NOTICE, "sessions: %zu loaded from %s, %zu events "
		    "replayed from %s", n, s->snap_path, replayed, s->jrn_path);
	return NFE_OK;
}

/* sessfollow_event_fn: a session from a file. */
static int
file_event(void *arg, const struct sessdb_event *ev)
{
	struct sessions *s = arg;

	pthread_rwlock_wrlock(&s->lock);
	(void)sessdb_apply(s->db, ev);	/* refusals are counted there */
	pthread_rwlock_unlock(&s->lock);
	s->cnt.file_events++;
	return NFE_OK;
}

/* sessfollow_error_fn: a line that cannot be read; the rest goes on. */
static void
file_error(void *arg, const char *path, unsigned line, const char *msg)
{
	struct sessions *s = arg;

	s->cnt.file_errors++;
	if (!log_ratelimit(&s->rl_files, time_mono_ms()))
		return;
	if (line == 0)
		log_msg(LOG_WARNING, "--sessions %s: %s", path, msg);
	else
		log_msg(LOG_WARNING, "%s line %u: %s (line skipped)", path,
		    line, msg);
}

/* natfile_error_fn: a damaged record of a CGNAT mapping file. */
static void
nat_damaged(void *arg, const char *path, uint64_t off, const char *msg)
{
	struct sessions *s = arg;

	if (log_ratelimit(&s->rl_nat, time_mono_ms()))
		log_msg(LOG_WARNING, "%s offset %" PRIu64 ": %s (record "
		    "skipped)", path, off, msg);
}

/* Mappings that ended before this are of no more use (--session-keep). */
static uint64_t
nat_cutoff(const struct sessions *s)
{
	uint64_t now = time_now_ms();

	return s->conf.db.keep_ms < now ? now - s->conf.db.keep_ms : 0;
}

/* The CGNAT mappings of the last run: snapshot, then journal. */
static int
nat_load(struct sessions *s, char *err, size_t errlen)
{
	struct natfile_counts *c = &s->nat_loaded;
	uint64_t cutoff = nat_cutoff(s);
	size_t from_snap;
	int r;

	r = natfile_load(s->nat, s->nat_snap_path, cutoff, nat_damaged, s, c);
	if (r == NFE_IO && errno == ENOENT)
		r = NFE_OK;
	else if (r == NFE_IO) {
		snprintf(err, errlen, "%s: %s", s->nat_snap_path,
		    strerror(errno));
		return r;
	} else if (r != NFE_OK)
		set_aside(s->nat_snap_path, r == NFE_LIMIT ? "too large" :
		    nferr_str(r), "CGNAT mappings");
	from_snap = c->loaded;
	r = natjournal_open(s->nat_jrn_path, s->nat, cutoff, nat_damaged, s, c,
	    &s->nat_j);
	if (r == NFE_FORMAT || r == NFE_VERSION || r == NFE_LIMIT) {
		set_aside(s->nat_jrn_path, r == NFE_LIMIT ? "too large" :
		    "not a CGNAT mapping journal of this version",
		    "CGNAT mappings");
		r = natjournal_open(s->nat_jrn_path, s->nat, cutoff,
		    nat_damaged, s, c, &s->nat_j);
	}
	if (r != NFE_OK) {
		snprintf(err, errlen, "%s: %s", s->nat_jrn_path, r == NFE_IO ?
		    strerror(errno) : nferr_str(r));
		return r;
	}
	natmap_expire(s->nat, cutoff);
	if (c->records > 0 || c->damaged > 0 || c->truncated > 0)
		log_msg(c->damaged > 0 || c->truncated > 0 || c->refused > 0 ?
		    LOG_WARNING : LOG_NOTICE, "CGNAT: %zu mappings loaded "
		    "from %s, %zu events replayed from %s: %zu mappings known "
		    "(%zu had ended, %zu refused by --max-nat-mappings, %zu "
		    "damaged records skipped, %zu bytes of a cut record)",
		    from_snap, s->nat_snap_path, c->loaded - from_snap,
		    s->nat_jrn_path, natmap_count(s->nat), c->expired,
		    c->refused, c->damaged, c->truncated);
	atomic_store(&s->nat_maps, natmap_count(s->nat));
	return NFE_OK;
}

/* A CGNAT file that cannot be written: logged (rate-limited), counted. */
static void
nat_error(struct sessions *s, const char *path, int r)
{
	atomic_fetch_add_explicit(&s->nat_errors, 1, memory_order_relaxed);
	if (log_ratelimit(&s->rl_nat, time_mono_ms()))
		log_msg(LOG_ERR, "%s: cannot write: %s (CGNAT mappings since "
		    "the last snapshot are lost at a restart until it works)",
		    path, r == NFE_IO ? strerror(errno) : nferr_str(r));
}

/* Replace the journal by a snapshot of the whole map. */
static void
nat_snapshot(struct sessions *s)
{
	int r;

	if ((r = natfile_save(s->nat, s->nat_snap_path, time_now_ms())) !=
	    NFE_OK) {
		nat_error(s, s->nat_snap_path, r);
		/* not again before the journal has doubled */
		s->nat_retry_at = 2 * natjournal_records(s->nat_j);
		return;
	}
	atomic_fetch_add_explicit(&s->nat_snapshots, 1, memory_order_relaxed);
	s->nat_retry_at = 0;
	if ((r = natjournal_reset(s->nat_j)) != NFE_OK)
		nat_error(s, s->nat_jrn_path, r);
}

/*
 * A snapshot once the journal holds more records than the map has
 * mappings: a load then costs no more than the map's size, and the
 * snapshots' cost, spread over the events, stays constant per event.
 */
static void
nat_compact(struct sessions *s)
{
	uint64_t recs = natjournal_records(s->nat_j), lim = natmap_count(s->nat);

	if (lim < SESSIONS_NAT_JRN_MIN)
		lim = SESSIONS_NAT_JRN_MIN;
	if (recs >= lim && recs >= s->nat_retry_at)
		nat_snapshot(s);
}

int
sessions_init(struct sessions *s, const struct sessions_conf *c, char *err,
    size_t errlen)
{
	pthread_rwlockattr_t ra;
	int r;

	memset(s, 0, sizeof(*s));
	s->conf = *c;
	if (c->nradius == 0 && c->nfiles == 0) {
		snprintf(err, errlen, "--inside needs a source of sessions "
		    "(--radius-acct or --sessions)");
		return NFE_INVAL;
	}
	if (c->nradius > 0 && c->secret_file == NULL) {
		snprintf(err, errlen, "--radius-acct needs --radius-secret FILE "
		    "(the shared secret of the NAS)");
		return NFE_INVAL;
	}
	if (c->nradius > 0) {
#ifndef HAVE_NETTLE
		snprintf(err, errlen, "--radius-acct: flowcapd was built "
		    "without nettle (configure found no nettle-dev), which "
		    "RADIUS needs for its MD5 authenticators");
		return NFE_UNSUPP;
#endif
		if ((r = radrecv_secrets(&s->rr, c->secret_file, err,
		    errlen)) != NFE_OK)
			return r;
		for (size_t i = 0; i < c->nradius; i++)
			if ((r = radrecv_open(&s->rr, c->radius[i], err,
			    errlen)) != NFE_OK)
				goto fail;
	}
	if ((r = sessdb_new(&c->db, &s->db)) != NFE_OK) {
		snprintf(err, errlen, "sessions: out of memory");
		goto fail;
	}
	snprintf(s->snap_path, sizeof(s->snap_path), "%s/%s", c->dir,
	    SESSIONS_SNAP_FILE);
	snprintf(s->jrn_path, sizeof(s->jrn_path), "%s/%s", c->dir,
	    SESSIONS_JRN_FILE);
	if ((r = load(s, err, errlen)) != NFE_OK)
		goto fail;
	s->join.db = s->db;
	if (natmap_new(c->max_nat > 0 ? c->max_nat : NATMAP_DEF_MAX_MAPS,
	    c->db.timeout_ms ? c->db.timeout_ms : NATMAP_DEF_TIMEOUT_MS,
	    &s->nat) != NFE_OK) {
		snprintf(err, errlen, "sessions: out of memory");
		r = NFE_NOMEM;
		goto fail;
	}
	snprintf(s->nat_snap_path, sizeof(s->nat_snap_path), "%s/%s", c->dir,
	    SESSIONS_NAT_SNAP_FILE);
	snprintf(s->nat_jrn_path, sizeof(s->nat_jrn_path), "%s/%s", c->dir,
	    SESSIONS_NAT_JRN_FILE);
	if ((r = nat_load(s, err, errlen)) != NFE_OK)
		goto fail;
	s->join.nat = s->nat;
	for (size_t i = 0; i < c->ninside; i++)
		(void)sessjoin_inside(&s->join, &c->inside[i]);	/* counted
							   by capopts */
	if (c->nfiles > 0) {
		if (sessfollow_init(&s->follow, c->files, c->nfiles, file_event,
		    file_error, s) != NFE_OK) {
			snprintf(err, errlen, "--sessions: out of memory");
			r = NFE_NOMEM;
			goto fail;
		}
		s->following = true;
	}
	pthread_rwlockattr_init(&ra);
	pthread_rwlockattr_setkind_np(&ra,
	    PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
	pthread_rwlock_init(&s->lock, &ra);
	pthread_rwlockattr_destroy(&ra);
	for (size_t i = 0; i < s->rr.nl; i++)
		log_msg(LOG_NOTICE, "RADIUS accounting on port %u",
		    (unsigned)radrecv_port(&s->rr, i));
	return NFE_OK;
fail:
	radrecv_close(&s->rr);
	sessdb_free(s->db);
	s->db = NULL;
	natjournal_close(s->nat_j);
	s->nat_j = NULL;
	natmap_free(s->nat);
	s->nat = NULL;
	free(s->names);
	s->names = NULL;
	return r;
}

/* radrecv_apply_fn: one new, valid request. */
static int
apply(void *arg, const struct radius_acct *a, const struct nf_addr *src,
    uint64_t arrival_ms)
{
	struct sessions *s = arg;
	struct sessdb_event ev;
	int r;

	if ((r = radius_acct_event(a, arrival_ms, src, &ev)) != NFE_OK)
		return r;		/* NFE_UNSUPP: answered, nothing to do */
	pthread_rwlock_wrlock(&s->lock);
	(void)sessdb_apply(s->db, &ev);	/* refusals are counted there */
	pthread_rwlock_unlock(&s->lock);
	if ((r = sessjournal_append(s->j, &ev)) != NFE_OK) {
		s->cnt.journal_errors++;
		return r == NFE_IO ? r : NFE_OK;	/* an odd event: keep going */
	}
	return NFE_OK;
}

/* radrecv_commit_fn: make the round durable before answering. */
static int
commit(void *arg)
{
	struct sessions *s = arg;
	int r;

	if ((r = sessjournal_sync(s->j)) != NFE_OK) {
		s->cnt.journal_errors++;
		log_msg(LOG_ERR, "%s: cannot write: %s (RADIUS requests are "
		    "not answered until it works again)", s->jrn_path,
		    strerror(errno));
	}
	return r;
}

static void
snapshot(struct sessions *s)
{
	int r;

	pthread_rwlock_rdlock(&s->lock);
	r = sessfile_save(s->db, s->snap_path, time_now_ms());
	pthread_rwlock_unlock(&s->lock);
	if (r != NFE_OK) {
		log_msg(LOG_ERR, "%s: cannot write: %s (the journal keeps "
		    "growing until it works)", s->snap_path, r == NFE_IO ?
		    strerror(errno) : nferr_str(r));
		return;
	}
	s->cnt.snapshots++;
	if (sessjournal_reset(s->j) != NFE_OK)
		log_warn("%s: cannot empty", s->jrn_path);
}

static void
publish(struct sessions *s)
{
	s->cnt.radius = s->rr.cnt;
	pthread_rwlock_wrlock(&s->lock);
	s->pub = s->cnt;
	pthread_rwlock_unlock(&s->lock);
}

static void *
thread_main(void *arg)
{
	struct sessions *s = arg;

	s->snap_mono = s->expire_mono = time_mono_ms();
	while (!atomic_load(&s->stop)) {
		uint64_t now;

		if (s->rr.nl > 0)
			(void)radrecv_round(&s->rr, 250, apply, commit, s);
		else {
			struct timespec ts = { 0, 250 * 1000000L };

			nanosleep(&ts, NULL);
		}
		now = time_mono_ms();
		if (s->following && now - s->follow_mono >= SESSIONS_FOLLOW_MS) {
			(void)sessfollow_poll(&s->follow, false);
			s->follow_mono = now;
		}
		if (now - s->expire_mono >= SESSIONS_EXPIRE_STEP_MS) {
			/* a slice at a time: the lock is never held long */
			pthread_rwlock_wrlock(&s->lock);
			sessdb_expire_step(s->db, time_now_ms(),
			    sessdb_slots(s->db) / (SESSIONS_EXPIRE_S * 1000 /
			    SESSIONS_EXPIRE_STEP_MS) + 1);
			pthread_rwlock_unlock(&s->lock);
			s->expire_mono = now;
		}
		if (now - s->snap_mono >= SESSIONS_SNAP_S * 1000 ||
		    sessjournal_size(s->j) >= SESSIONS_JRN_MAX) {
			snapshot(s);
			s->snap_mono = now;
		}
		publish(s);
	}
	return NULL;
}

int
sessions_start(struct sessions *s)
{
	/*
	 * What the session files hold now is read before the first flow
	 * is joined (a poll reads at most SESSFOLLOW_MAX_READ bytes of a
	 * file: polls until one finds nothing new, or 40 GB).
	 */
	if (s->following) {
		for (int i = 0; i < 10000 &&
		    sessfollow_poll(&s->follow, false) > 0; i++)
			;
		s->follow_mono = time_mono_ms();
		publish(s);
	}
	if (pthread_create(&s->th, NULL, thread_main, s) != 0)
		return NFE_IO;
	s->running = true;
	return NFE_OK;
}

void
sessions_fini(struct sessions *s)
{
	if (s->db == NULL)
		return;
	if (s->running) {
		atomic_store(&s->stop, 1);
		pthread_join(s->th, NULL);
		s->running = false;
	}
	snapshot(s);
	if (s->following)
		sessfollow_fini(&s->follow);
	sessjournal_close(s->j);
	radrecv_close(&s->rr);
	pthread_rwlock_destroy(&s->lock);
	sessdb_free(s->db);
	s->db = NULL;
	nat_snapshot(s);	/* the writer has stopped: the map is still */
	natjournal_close(s->nat_j);
	s->nat_j = NULL;
	natmap_free(s->nat);
	s->nat = NULL;
	free(s->names);
	s->names = NULL;
}

/* A NAT event record (natEvent, RFC 8158) as a CGNAT mapping. */
static void
nat_event(struct sessions *s, const struct flowrec *r)
{
	struct natmap_event ev;
	uint64_t t = r->first_ms != 0 ? r->first_ms : r->received_ms;
	int rc;

	if (natmap_event_of(r->nat_event, t, &r->src, r->src_port,
	    &r->nat_src, r->nat_src_port, r->pb_start, r->pb_end, r->pb_step,
	    &ev) != NFE_OK)
		return;
	atomic_fetch_add_explicit(&s->nat_events, 1, memory_order_relaxed);
	if (natmap_apply(s->nat, &ev) != NFE_OK)
		return;			/* refusals counted there */
	s->nat_pending++;
	if ((rc = natjournal_append(s->nat_j, &ev)) != NFE_OK)
		nat_error(s, s->nat_jrn_path, rc);
}

void
sessions_join(struct sessions *s, struct flowrec *recs, size_t n)
{
	uint32_t users[SESSJOIN_BATCH];
	uint64_t with = 0;
	size_t k, len, used = 0;
	const char *name;
	char *p;
	int rc;

	for (size_t i = 0; i < n; i++)
		if (recs[i].nat_event != 0)
			nat_event(s, &recs[i]);
	if (s->nat_pending > 0) {
		/* written before the flows are: a kill -9 keeps them */
		s->nat_pending = 0;
		if ((rc = natjournal_flush(s->nat_j)) != NFE_OK)
			nat_error(s, s->nat_jrn_path, rc);
		nat_compact(s);
		atomic_store_explicit(&s->nat_maps, natmap_count(s->nat),
		    memory_order_relaxed);
		atomic_store_explicit(&s->nat_refused,
		    natmap_stats(s->nat)->limit_drops, memory_order_relaxed);
	}
	/* room for every name of the call, before any is copied */
	if (n > s->names_cap / FLOWREC_STR_MAX) {
		if ((p = realloc(s->names, n * FLOWREC_STR_MAX)) == NULL) {
			for (size_t i = 0; i < n; i++)
				with += recs[i].user.len > 0;
			goto count;	/* not joined, but counted */
		}
		s->names = p;
		s->names_cap = n * FLOWREC_STR_MAX;
	}
	for (size_t off = 0; off < n; off += k) {
		k = n - off < SESSJOIN_BATCH ? n - off : SESSJOIN_BATCH;
		pthread_rwlock_rdlock(&s->lock);
		sessjoin_batch(&s->join, recs + off, k, users);
		for (size_t i = 0; i < k; i++) {
			struct flowrec *r = &recs[off + i];

			if (users[i] == 0) {
				with += r->user.len > 0;
				continue;
			}
			if (i > 0 && users[i] == users[i - 1]) {
				/* the previous record's copy */
				r->user = recs[off + i - 1].user;
				with += r->user.len > 0;
				continue;
			}
			name = sessdb_user(s->db, users[i]);
			len = strlen(name);
			if (len > FLOWREC_STR_MAX)
				len = FLOWREC_STR_MAX;
			memcpy(s->names + used, name, len);
			flowrec_str_set(&r->user, s->names + used, len);
			used += len;
			with += r->user.len > 0;
		}
		pthread_rwlock_unlock(&s->lock);
	}
count:
	s->file_with += with;
	s->file_without += n - with;
	atomic_fetch_add_explicit(&s->with, with, memory_order_relaxed);
	atomic_fetch_add_explicit(&s->without, n - with,
	    memory_order_relaxed);
}

void
sessions_rotation_line(struct sessions *s, char *buf, size_t len)
{
	struct sessdb_info inf;
	struct sessions_counters c;
	const struct radrecv_counters *rc = &c.radius;
	int r;

	pthread_rwlock_rdlock(&s->lock);
	sessdb_info(s->db, &inf);
	c = s->pub;
	pthread_rwlock_unlock(&s->lock);
	snprintf(buf, len, "%" PRIu64 " flows with a user, %" PRIu64
	    " without; sessions %zu known (%zu open), RADIUS requests %"
	    PRIu64 " accepted, %" PRIu64 " rejected (bad authenticator %"
	    PRIu64 ", unknown NAS %" PRIu64 ", malformed %" PRIu64 "), %"
	    PRIu64 " duplicate (total); CGNAT mappings %zu", s->file_with,
	    s->file_without, inf.sessions, inf.open, rc->accepted,
	    rc->bad_auth + rc->unknown_nas + rc->malformed, rc->bad_auth,
	    rc->unknown_nas, rc->malformed, rc->duplicates,
	    natmap_count(s->nat));
	s->file_with = s->file_without = 0;
	/* mappings that ended before the sessions kept (--session-keep) */
	natmap_expire(s->nat, nat_cutoff(s));
	atomic_store_explicit(&s->nat_maps, natmap_count(s->nat),
	    memory_order_relaxed);
	/* the journal survives the machine from here on */
	if ((r = natjournal_sync(s->nat_j)) != NFE_OK)
		nat_error(s, s->nat_jrn_path, r);
	nat_compact(s);
}

void
sessions_print(struct sessions *s, FILE *out)
{
	struct sessdb_info inf;
	struct sessdb_stats st;
	struct sessions_counters c;
	const struct radrecv_counters *rc = &c.radius;

	pthread_rwlock_rdlock(&s->lock);
	sessdb_info(s->db, &inf);
	st = *sessdb_stats(s->db);
	c = s->pub;
	pthread_rwlock_unlock(&s->lock);
	fprintf(out, "Sessions: %zu known, %zu open, %zu prefixes, %zu users, "
	    "%zu NAS, %.1f MB\n", inf.sessions, inf.open, inf.prefixes,
	    inf.users, inf.nas, inf.mem_bytes / 1e6);
	fprintf(out, "Events: %" PRIu64 " Start, %" PRIu64 " Interim-Update "
	    "(%" PRIu64 " of unknown sessions), %" PRIu64 " Stop (%" PRIu64
	    " of unknown sessions), %" PRIu64 " whole sessions from files, %"
	    PRIu64 " closed by Accounting-On/Off, %" PRIu64 " timed out, %"
	    PRIu64 " expired, %" PRIu64 " without an address, %" PRIu64
	    " refused (limit), %" PRIu64 " refused (bad)\n", st.starts,
	    st.interims, st.interim_new, st.stops, st.stop_unknown,
	    st.sessions, st.nas_closes, st.timeouts, st.expired,
	    st.no_address, st.limit_drops, st.bad);
	fprintf(out, "RADIUS: %" PRIu64 " requests, %" PRIu64 " accepted (%"
	    PRIu64 " with a status that changes nothing), %" PRIu64
	    " duplicate, %" PRIu64 " bad authenticator, %" PRIu64
	    " unknown NAS, %" PRIu64 " malformed, %" PRIu64 " not recorded\n",
	    rc->requests, rc->accepted, rc->ignored, rc->duplicates,
	    rc->bad_auth, rc->unknown_nas, rc->malformed, rc->not_recorded);
	fprintf(out, "Files: %" PRIu64 " session lines applied, %" PRIu64
	    " refused; %" PRIu64 " snapshots, %" PRIu64 " journal errors\n",
	    c.file_events, c.file_errors, c.snapshots, c.journal_errors);
	fprintf(out, "Flows: %" PRIu64 " with a user, %" PRIu64 " without "
	    "(since start)\n", atomic_load(&s->with),
	    atomic_load(&s->without));
	fprintf(out, "CGNAT: %" PRIu64 " NAT events, %" PRIu64 " mappings "
	    "(at most %zu), %" PRIu64 " refused (limit); at start %zu "
	    "loaded, %zu had ended, %zu damaged records; %" PRIu64
	    " snapshots, %" PRIu64 " write errors\n",
	    atomic_load(&s->nat_events), atomic_load(&s->nat_maps),
	    s->conf.max_nat > 0 ? s->conf.max_nat : (size_t)NATMAP_DEF_MAX_MAPS,
	    atomic_load(&s->nat_refused), s->nat_loaded.loaded,
	    s->nat_loaded.expired, s->nat_loaded.damaged +
	    (s->nat_loaded.truncated > 0), atomic_load(&s->nat_snapshots),
	    atomic_load(&s->nat_errors));
}
