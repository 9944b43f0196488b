/*
 * collector/sinkset.c -- what flowcapd says about its sinks
 * (collector/sinkrun.h): the rotation line per sink, the control
 * socket's "sinks" reply, and the exit summary.
 */
#include "common/base/compat.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "collector/sinkrun.h"
#include "common/base/timeutil.h"
#include "common/prog/log.h"

/* The lag as "L.l s", or "unknown" before the sink's first look. */
static void
lag_text(const struct sinkrun_stats *st, unsigned decimals, char *buf,
    size_t len)
{
	if (!st->lag_known)
		snprintf(buf, len, "unknown");
	else if (decimals == 1)
		snprintf(buf, len, "%" PRIu64 ".%01" PRIu64 " s",
		    st->lag_ms / 1000, st->lag_ms % 1000 / 100);
	else
		snprintf(buf, len, "%" PRIu64 ".%03" PRIu64 " s",
		    st->lag_ms / 1000, st->lag_ms % 1000);
}

/* "delivered N flows (M batches), pending B bytes, lag L s, R retries" */
static void
line(const struct sinkrun_stats *st, char *buf, size_t len)
{
	char lag[32];

	lag_text(st, 1, lag, sizeof(lag));
	snprintf(buf, len, "delivered %" PRIu64 " flows in %" PRIu64
	    " batches (%" PRIu64 " bytes)%s, pending %" PRIu64 " bytes, lag "
	    "%s, %" PRIu64 " retries, %s%s%s",
	    st->delivered, st->batches, st->bytes, st->skipped > 0 ?
	    ", some found already delivered" : "", st->pending_bytes,
	    lag, st->retries,
	    !st->ready ? "not ready" : st->up ? "up" : "failing",
	    st->last_error[0] != '\0' ? "; last error: " : "",
	    st->last_error);
}

void
sinkset_log(struct sinkset *s, const char *when)
{
	struct sinkrun_stats st;
	char buf[1536];

	for (size_t i = 0; i < s->n; i++) {
		sinkrun_stats(s->v[i], &st);
		line(&st, buf, sizeof(buf));
		log_msg(st.up || st.delivered > 0 ? LOG_INFO : LOG_WARNING,
		    "%s: sink %s: %s", when, st.name, buf);
		if (st.vanished > 0 || st.bad_blocks > 0 || st.late > 0)
			log_msg(LOG_WARNING, "%s: sink %s: %" PRIu64 " files "
			    "removed before delivery, %" PRIu64 " files named "
			    "out of order (not delivered), %" PRIu64
			    " unreadable blocks skipped", when, st.name,
			    st.vanished, st.late, st.bad_blocks);
	}
}

void
sinkset_print(struct sinkset *s, FILE *out)
{
	struct sinkrun_stats st;
	char lag[32];

	if (s == NULL || s->n == 0) {
		fprintf(out, "no sinks\n");
		return;
	}
	for (size_t i = 0; i < s->n; i++) {
		sinkrun_stats(s->v[i], &st);
		fprintf(out, "sink %s\n", st.name);
		fprintf(out, "  url:              %s\n", st.url);
		fprintf(out, "  state:            %s\n", !st.ready ?
		    "not ready" : st.up ? "up" : "failing");
		fprintf(out, "  delivered:        %" PRIu64 " flows in %" PRIu64
		    " batches, %" PRIu64 " bytes (since start)\n",
		    st.delivered, st.batches, st.bytes);
		fprintf(out, "  delivered ever:   %" PRIu64 " flows\n",
		    st.delivered_total);
		fprintf(out, "  found delivered:  %" PRIu64 " flows\n",
		    st.skipped);
		fprintf(out, "  pending:          %" PRIu64 " bytes on disk\n",
		    st.pending_bytes);
		lag_text(&st, 3, lag, sizeof(lag));
		fprintf(out, "  lag:              %s\n", lag);
		fprintf(out, "  retries:          %" PRIu64 "\n", st.retries);
		fprintf(out, "  cursor in:        %s\n", st.cursor_file[0] !=
		    '\0' ? st.cursor_file : "(no file yet)");
		fprintf(out, "  files removed before delivery: %" PRIu64 "\n",
		    st.vanished);
		fprintf(out, "  files named out of order:      %" PRIu64 "\n",
		    st.late);
		fprintf(out, "  unreadable blocks skipped:     %" PRIu64 "\n",
		    st.bad_blocks);
		fprintf(out, "  last error:       %s\n", st.last_error[0] !=
		    '\0' ? st.last_error : "none");
	}
}

void
sinkset_stop(struct sinkset *s, unsigned drain_ms)
{
	uint64_t until = time_mono_ms() + drain_ms;

	for (size_t i = 0; i < s->n; i++)
		sinkrun_request_stop(s->v[i], until);
	for (size_t i = 0; i < s->n; i++)
		sinkrun_join(s->v[i]);
	sinkset_log(s, "at exit");
}

void
sinkset_free(struct sinkset *s)
{
	for (size_t i = 0; i < s->n; i++)
		sinkrun_free(s->v[i]);
	s->n = 0;
}
