/*
 * sink/clickhouse.c -- the ClickHouse sink: RowBinary INSERTs over the
 * HTTP interface (port 8123) through sink/httpc, the table made on first
 * use (sink/chrow.h), and the check of what landed after a lost answer.
 *
 * Statements go in the POST body; the INSERT goes in the URL's query
 * parameter with the rows as the body (ClickHouse docs/en/interfaces/
 * http.md).  Answers: 200 with an empty body is success; an error is
 * "Code: N, e.displayText() = ..." with a 4xx or 5xx status.
 *
 * Exactly once on Debian's 18.16: insert_deduplication_token (22.2) and
 * non_replicated_deduplication_window do not exist there and plain
 * MergeTree deduplicates nothing, so each row carries its batch id
 * (flowkit_batch).  An INSERT of one partition and fewer rows than
 * max_insert_block_size is one part, committed whole or not at all;
 * when its answer is lost, SELECT count() of that batch id (within the
 * batch's day and time range, which the primary index narrows) says
 * whether it landed.
 */
#include "common/base/compat.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/base/nferr.h"
#include "sink/chrow.h"
#include "sink/httpc.h"
#include "sink/secret.h"
#include "sink/sink_int.h"

struct ch {
	struct httpc	*h;		/* owned */
	char		*password;	/* owned secret, may be NULL */
	unsigned	 major, minor;	/* server version */
	struct chrow_schema sc;		/* the columns written */
	char		 insert_path[16384];
	struct sbuf	 body, gz;
	struct httpc_resp rs;
};

/* Percent-encode s after the text already in dst. */
static bool
urlenc(char *dst, size_t cap, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t o = strlen(dst);

	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (o + 4 >= cap)
			return false;
		if (isalnum(c) || c == '-' || c == '_' || c == '.' ||
		    c == '~') {
			dst[o++] = (char)c;
		} else {
			dst[o++] = '%';
			dst[o++] = hex[c >> 4];
			dst[o++] = hex[c & 15];
		}
	}
	dst[o] = '\0';
	return true;
}

/* The first line of an error answer, for messages. */
static void
answer_text(const struct httpc_resp *rs, char *buf, size_t len)
{
	size_t n = strcspn(rs->body, "\n");

	if (n > 300)
		n = 300;
	snprintf(buf, len, "HTTP %ld%s%.*s", rs->status, n > 0 ? ": " : "",
	    (int)n, rs->body);
}

/* Run one statement; the answer's body is in ch->rs.  NFE_OK on 200. */
static int
query(struct sink *s, const char *sql, char *err, size_t errlen)
{
	struct ch *ch = s->drv;
	struct httpc_req rq = { "/", sql, strlen(sql), "text/plain", false };
	char what[400];
	int rc;

	if ((rc = httpc_do(ch->h, &rq, &ch->rs, err, errlen)) != NFE_OK)
		return rc == NFE_NOMEM ? rc : NFE_IO;
	if (ch->rs.status != 200) {
		answer_text(&ch->rs, what, sizeof(what));
		snprintf(err, errlen, "%s", what);
		return ch->rs.status >= 400 && ch->rs.status < 500 &&
		    ch->rs.status != 408 && ch->rs.status != 429 ?
		    NFE_FORMAT : NFE_IO;
	}
	return NFE_OK;
}

/* The INSERT of the columns ch->sc writes, as the URL's query. */
static int
make_insert_path(struct sink *s, struct ch *ch, char *err, size_t errlen)
{
	char sql[8192];
	int rc;

	rc = chrow_insert_sql(&ch->sc, s->url.database, s->url.table, sql,
	    sizeof(sql));
	snprintf(ch->insert_path, sizeof(ch->insert_path), "/?query=");
	if (rc != NFE_OK || !urlenc(ch->insert_path, sizeof(ch->insert_path),
	    sql)) {
		snprintf(err, errlen, "INSERT statement too long");
		return NFE_LIMIT;
	}
	return NFE_OK;
}

static int
ch_open(struct sink *s, char *err, size_t errlen)
{
	const struct sinkurl *u = &s->url;
	struct ch *ch;
	int rc;

	if ((rc = httpc_check(u, err, errlen)) != NFE_OK)
		return rc;
	if ((ch = calloc(1, sizeof(*ch))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NFE_NOMEM;
	}
	sbuf_init(&ch->body);
	sbuf_init(&ch->gz);
	chrow_schema_init(&ch->sc);
	if ((rc = secret_read(u->password_env, u->password_file,
	    &ch->password, err, errlen)) != NFE_OK)
		goto fail;
	if ((rc = httpc_new(u, u->user[0] != '\0' ? u->user : NULL,
	    ch->password, NULL, 0, s->cancel, &ch->h, err, errlen)) != NFE_OK)
		goto fail;
	if ((rc = make_insert_path(s, ch, err, errlen)) != NFE_OK)
		goto fail;
	s->drv = ch;
	return NFE_OK;
fail:
	httpc_free(ch->h);
	secret_free(ch->password);
	free(ch);
	return rc;
}

/* Append ", name" (or "name") to list, as far as it goes. */
static void
list_add(char *list, size_t len, const char *name)
{
	if (list[0] != '\0')
		strncat(list, ", ", len - strlen(list) - 1);
	strncat(list, name, len - strlen(list) - 1);
}

/*
 * Which of flowkit's columns the table has (system.columns): every
 * core column must be there; a catalogue column it lacks is added when
 * create is on (a table made by an older flowkit), else left unwritten.
 * Either way s->notice says which.
 */
static int
check_columns(struct sink *s, char *err, size_t errlen)
{
	struct ch *ch = s->drv;
	struct chrow_schema *sc = &ch->sc;
	bool have[CHROW_MAX_COLS], add[CHROW_MAX_COLS];
	char sql[8192], missing[1024] = "";
	size_t nmiss = 0, nadd = 0;
	const char *p;
	int rc;

	snprintf(sql, sizeof(sql), "SELECT name FROM system.columns WHERE "
	    "database = '%s' AND table = '%s' FORMAT TabSeparated",
	    s->url.database, s->url.table);
	if ((rc = query(s, sql, err, errlen)) != NFE_OK)
		return rc;
	if (ch->rs.body_len == 0) {
		snprintf(err, errlen, "table %s.%s does not exist%s",
		    s->url.database, s->url.table, s->url.create ? "" :
		    " (create=0: make it as flowkit-sink(7) shows)");
		return NFE_IO;
	}
	memset(have, 0, sizeof(have));
	for (p = ch->rs.body; *p != '\0';) {
		size_t k = strcspn(p, "\n");
		int i = chrow_col_index(sc, p, k);

		if (i >= 0)
			have[i] = true;
		p += k + (p[k] == '\n');
	}
	for (size_t i = 0; i < sc->n; i++) {
		add[i] = false;
		if (have[i] || !sc->cols[i].core)
			continue;
		nmiss++;
		list_add(missing, sizeof(missing), sc->cols[i].name);
	}
	if (nmiss > 0) {
		snprintf(err, errlen, "table %s.%s lacks %zu of flowkit's "
		    "core columns (%s): see flowkit-sink(7) for the schema",
		    s->url.database, s->url.table, nmiss, missing);
		return NFE_FORMAT;
	}
	for (size_t i = 0; i < sc->n; i++)
		if (!have[i]) {
			add[i] = s->url.create;
			nadd++;
			list_add(missing, sizeof(missing), sc->cols[i].name);
		}
	if (nadd > 0 && s->url.create) {
		if (chrow_alter_sql(sc, add, s->url.database, s->url.table,
		    ch->major, ch->minor, sql, sizeof(sql)) != NFE_OK) {
			snprintf(err, errlen, "ALTER TABLE statement too long");
			return NFE_FORMAT;
		}
		if ((rc = query(s, sql, err, errlen)) != NFE_OK)
			return rc;
		for (size_t i = 0; i < sc->n; i++)
			have[i] = have[i] || add[i];
		snprintf(s->notice, sizeof(s->notice), "table %s.%s: added "
		    "%zu columns it lacked (made by an older flowkit?): %s",
		    s->url.database, s->url.table, nadd, missing);
	} else if (nadd > 0) {
		snprintf(s->notice, sizeof(s->notice), "table %s.%s lacks %zu "
		    "of flowkit's columns, not written (create=0; the default "
		    "create=1 adds them): %s", s->url.database, s->url.table,
		    nadd, missing);
	}
	chrow_schema_write(sc, have);
	return make_insert_path(s, ch, err, errlen);
}

static int
ch_prepare(struct sink *s, char *err, size_t errlen)
{
	struct ch *ch = s->drv;
	char sql[8192];
	int rc;

	if ((rc = query(s, "SELECT version()", err, errlen)) != NFE_OK)
		return rc;
	ch->major = ch->minor = 0;
	if (sscanf(ch->rs.body, "%u.%u", &ch->major, &ch->minor) != 2)
		ch->major = ch->minor = 0;
	if (s->url.create) {
		snprintf(sql, sizeof(sql), "CREATE DATABASE IF NOT EXISTS %s",
		    s->url.database);
		if ((rc = query(s, sql, err, errlen)) != NFE_OK)
			return rc;
		if (chrow_create_sql(&ch->sc, s->url.database, s->url.table,
		    ch->major, ch->minor, sql, sizeof(sql)) != NFE_OK) {
			snprintf(err, errlen, "CREATE TABLE statement too "
			    "long");
			return NFE_FORMAT;
		}
		if ((rc = query(s, sql, err, errlen)) != NFE_OK)
			return rc;
	}
	return check_columns(s, err, errlen);
}

static int
ch_deliver(struct sink *s, const struct sink_batch *b, char *err,
    size_t errlen)
{
	struct ch *ch = s->drv;
	struct httpc_req rq = { ch->insert_path, NULL, 0, NULL, false };
	char what[400];
	int rc;

	sbuf_reset(&ch->body);
	if ((rc = chrow_encode(&ch->sc, b, 0, b->n, &ch->body)) != NFE_OK) {
		snprintf(err, errlen, "encoding %zu rows: %s", b->n,
		    nferr_str(rc));
		return SINK_RETRY;
	}
	rq.body = ch->body.p;
	rq.len = ch->body.len;
	if (s->url.compress == SINK_COMP_GZIP) {
		if ((rc = httpc_gzip(ch->body.p, ch->body.len, 1, &ch->gz)) !=
		    NFE_OK) {
			snprintf(err, errlen, "gzip: %s", nferr_str(rc));
			return SINK_RETRY;
		}
		rq.body = ch->gz.p;
		rq.len = ch->gz.len;
		rq.gzip = true;
	}
	s->last_bytes = rq.len;
	if ((rc = httpc_do(ch->h, &rq, &ch->rs, err, errlen)) != NFE_OK)
		return rc == NFE_IO && ch->rs.sent ? SINK_UNKNOWN : SINK_RETRY;
	if (ch->rs.status == 200)
		return SINK_DELIVERED;
	answer_text(&ch->rs, what, sizeof(what));
	snprintf(err, errlen, "INSERT of %zu rows: %s", b->n, what);
	if (ch->rs.status >= 500 || ch->rs.status == 408 ||
	    ch->rs.status == 429)
		return SINK_RETRY;
	return SINK_REFUSED;
}

static int
ch_landed(struct sink *s, const struct sink_batch *b, uint64_t *rows,
    char *err, size_t errlen)
{
	struct ch *ch = s->drv;
	uint64_t lo = UINT64_MAX, hi = 0;
	char sql[1024];
	struct tm tm;
	time_t day;
	int rc;

	*rows = 0;
	if (b->n == 0)
		return NFE_OK;
	for (size_t i = 0; i < b->n; i++) {
		uint64_t t = b->recs[i].first_ms / 1000;

		lo = t < lo ? t : lo;
		hi = t > hi ? t : hi;
	}
	day = (time_t)chrow_day(&b->recs[0]) * 86400;
	if (gmtime_r(&day, &tm) == NULL)
		memset(&tm, 0, sizeof(tm));
	snprintf(sql, sizeof(sql), "SELECT count() FROM %s.%s WHERE date = "
	    "toDate('%04d-%02d-%02d') AND time_start >= toDateTime(%" PRIu64
	    ") AND time_start <= toDateTime(%" PRIu64 ") AND flowkit_batch = "
	    "%" PRIu64 " FORMAT TabSeparated", s->url.database, s->url.table,
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
	    lo > UINT32_MAX ? (uint64_t)UINT32_MAX : lo,
	    hi > UINT32_MAX ? (uint64_t)UINT32_MAX : hi, b->id);
	if ((rc = query(s, sql, err, errlen)) != NFE_OK)
		return NFE_IO;
	if (sscanf(ch->rs.body, "%" SCNu64, rows) != 1) {
		snprintf(err, errlen, "count of batch %" PRIu64 ": unexpected "
		    "answer", b->id);
		return NFE_IO;
	}
	return NFE_OK;
}

static void
ch_close(struct sink *s)
{
	struct ch *ch = s->drv;

	if (ch == NULL)
		return;
	httpc_free(ch->h);
	secret_free(ch->password);
	sbuf_fini(&ch->body);
	sbuf_fini(&ch->gz);
	free(ch);
	s->drv = NULL;
}

const struct sink_ops sink_clickhouse_ops = {
	ch_open, ch_prepare, ch_deliver, ch_landed, ch_close,
};
