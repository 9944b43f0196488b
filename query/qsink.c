/*
 * query/qsink.c -- flowq --sink (query/qsink.h): batches of the
 * selected flows, each delivered with retries before the scan goes on.
 */
#include "common/base/compat.h"

#include <sys/random.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/base/nferr.h"
#include "common/base/timeutil.h"
#include "common/prog/xmalloc.h"
#include "query/qsink.h"
#include "query/xmerge.h"
#include "sink/chrow.h"
#include "sink/sink.h"
#include "sink/sinkurl.h"

#define BACKOFF_MIN_MS	200
#define BACKOFF_MAX_MS	30000

struct qsink {
	struct stage	 st;		/* first: the stage's head */
	struct sinkurl	 url;
	struct sink	*sink;		/* owned */
	bool		 prepared;
	struct flowrec	*recs;		/* owned: the batch */
	size_t		 n;
	char		*strs;		/* owned: record k's strings at
					   k * strslot (they outlive the
					   block they were read from) */
	size_t		 strslot;
	uint32_t	 day;
	uint64_t	 sink_id, seq;	/* batch ids: sink_id << 40 | seq */
	uint64_t	 delivered, batches, retries, skipped, bytes;
	bool		 failed;	/* gave up: the rest is not sent */
	char		 why[600];
};

int
qsink_open(const char *url, struct qsink **out, char *err, size_t errlen)
{
	struct qsink *q = xcalloc(1, sizeof(*q));
	uint32_t id = 0;
	int rc;

	*out = NULL;
	if ((rc = sinkurl_parse(url, &q->url, err, errlen)) != NFE_OK ||
	    (rc = sink_open(&q->url, NULL, &q->sink, err, errlen)) != NFE_OK) {
		free(q);
		return rc;
	}
	q->recs = xreallocarray(NULL, q->url.batch, sizeof(*q->recs));
	for (unsigned i = 0; i < FLD_N; i++)
		if (fld(i)->type == FT_STR)
			q->strslot += FLOWREC_STR_MAX;
	if (q->strslot > 0)
		q->strs = xreallocarray(NULL, q->url.batch, q->strslot);
	while (id == 0) {
		if (getrandom(&id, sizeof(id), 0) != sizeof(id))
			id = (uint32_t)time_now_ms() ^ (uint32_t)getpid() << 8;
		id &= 0xffffff;
	}
	q->sink_id = id;
	*out = q;
	return NFE_OK;
}

static void
nap(uint64_t ms)
{
	struct timespec ts = { (time_t)(ms / 1000), (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) == -1)
		;
}

/*
 * Deliver the batch (retrying), all of it or, if a ClickHouse count
 * says a first part landed already, the rest.  Returns false when it
 * gives up (q->why says why).
 */
static bool
deliver(struct qsink *q, const struct ffile_exporter *x, size_t nx)
{
	struct sink_batch b = { q->recs, q->n, x, nx, 0 };
	uint64_t start = time_mono_ms(), backoff = BACKOFF_MIN_MS, rows;
	bool check = false, logged = false;
	char e[512] = "", note[1024];
	int res = SINK_RETRY;

	b.id = q->sink_id << 40 | ((q->seq + 1) & ((UINT64_C(1) << 40) - 1));
	for (;;) {
		if (!q->prepared) {
			if (sink_prepare(q->sink, e, sizeof(e)) == NFE_OK)
				q->prepared = true;
			if (q->prepared && sink_take_notice(q->sink, note,
			    sizeof(note)))
				fprintf(stderr, "flowq: %s: %s\n", q->url.name,
				    note);
			res = q->prepared ? SINK_DELIVERED : SINK_RETRY;
		}
		if (q->prepared && check) {
			if (sink_landed(q->sink, &b, &rows, e, sizeof(e)) ==
			    NFE_OK && rows > 0) {
				/* landed before its answer was lost */
				if (rows > q->n)
					rows = q->n;
				q->skipped += rows;
				q->delivered += rows;
				q->seq++;
				q->batches++;
				memmove(q->recs, q->recs + rows, (q->n - rows) *
				    sizeof(*q->recs));
				q->n -= (size_t)rows;
				if (q->n == 0)
					return true;
				b.n = q->n;
				b.id = q->sink_id << 40 | ((q->seq + 1) &
				    ((UINT64_C(1) << 40) - 1));
			}
			check = false;
		}
		if (q->prepared) {
			res = sink_deliver(q->sink, &b, e, sizeof(e));
			if (res == SINK_DELIVERED) {
				q->seq++;
				q->batches++;
				q->delivered += q->n;
				q->bytes += sink_last_bytes(q->sink);
				q->n = 0;
				if (logged)
					fprintf(stderr, "flowq: %s: delivering "
					    "again\n", q->url.name);
				return true;
			}
			check = res == SINK_UNKNOWN;
		}
		q->retries++;
		if (res == SINK_REFUSED ||
		    time_mono_ms() - start > QSINK_GIVE_UP_MS) {
			snprintf(q->why, sizeof(q->why), "%s%s", e,
			    res == SINK_REFUSED ? " (refused)" :
			    " (still failing after 5 minutes)");
			return false;
		}
		if (!logged) {
			fprintf(stderr, "flowq: %s: %s; retrying\n", q->url.name,
			    e);
			logged = true;
		}
		if (sink_retry_after(q->sink) * 1000ULL > backoff)
			backoff = sink_retry_after(q->sink) * 1000ULL;
		nap(backoff);
		backoff = backoff * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS :
		    backoff * 2;
	}
}

static fcol_mask
qsink_columns(const struct stage *s)
{
	(void)s;
	return FCOL_ALL;
}

/* ClickHouse: one partition (day) per INSERT; a full batch goes. */
static void
qsink_add(struct stage *s, const struct flowrec *r,
    const struct stage_row *row)
{
	struct qsink *q = (struct qsink *)s;
	struct flowrec w = *r;

	if (q->failed)
		return;
	w.exporter = xmerge_index(row->wx, r->exporter);
	if (q->n > 0 && sink_split_days(q->sink) && chrow_day(&w) != q->day &&
	    !deliver(q, row->wx->x, row->wx->n))
		goto fail;
	if (q->n == 0)
		q->day = chrow_day(&w);
	if (q->strslot > 0)
		(void)flowrec_str_move(&w, q->strs + q->n * q->strslot);
	q->recs[q->n++] = w;
	if (q->n == q->url.batch && !deliver(q, row->wx->x, row->wx->n))
		goto fail;
	return;
fail:
	q->failed = true;
	q->st.stop = true;
}

static int
qsink_end(struct stage *s, const struct stage_done *d)
{
	struct qsink *q = (struct qsink *)s;

	if (!q->failed && q->n > 0 && !deliver(q, d->exporters,
	    d->nexporters))
		q->failed = true;
	fprintf(stderr, "flowq: %s: %" PRIu64 " flows delivered in %" PRIu64
	    " batches (%" PRIu64 " bytes), %" PRIu64 " retries%s%s%s\n",
	    q->url.text, q->delivered, q->batches, q->bytes, q->retries,
	    q->skipped > 0 ? "; some had landed before an answer was lost" :
	    "", q->failed ? "; stopped: " : "", q->failed ? q->why : "");
	return q->failed ? NFE_IO : NFE_OK;
}

static void
qsink_free(struct stage *s)
{
	struct qsink *q = (struct qsink *)s;

	sink_close(q->sink);
	free(q->recs);
	free(q->strs);
	free(q);
}

static const struct stage_ops qsink_ops = {
	.name = "sink",
	.columns = qsink_columns,
	.add = qsink_add,
	.end = qsink_end,
	.free = qsink_free,
};

struct stage *
qsink_stage(struct qsink *q)
{
	q->st.ops = &qsink_ops;
	return &q->st;
}
