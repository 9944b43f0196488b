/*
 * sink/httpsink.c -- the HTTP sink: each batch POSTed as NDJSON (one
 * flow per line, sink/ndjson.h), optionally gzip, with the URL's
 * headers and the secret ones from header_env / header_file.
 *
 * 2xx is delivered.  429, 408 and 5xx are "try again" (Retry-After is
 * passed on to the caller's backoff); any other answer refuses the
 * batch.  No answer after the whole body went out is "unknown": the
 * endpoint cannot be asked what it kept, so the caller sends the batch
 * again (at least once, at most that batch repeated).
 */
#include "common/base/compat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/base/nferr.h"
#include "sink/httpc.h"
#include "sink/secret.h"
#include "sink/sink_int.h"

#define HTTPSINK_MAX_SECRET_HEADERS	8

struct hs {
	struct httpc	*h;		/* owned */
	char		*secret;	/* owned: header_env/_file text */
	bool		 have_ct;	/* the URL gives a Content-Type */
	struct sbuf	 body, gz;
	struct httpc_resp rs;
};

/*
 * Split the secret text into header lines "Name: value" (one per line),
 * in place; pointers into it go to hdr[*n...].
 */
static int
secret_headers(char *text, const char **hdr, size_t *n, size_t max,
    const struct sinkurl *u, char *err, size_t errlen)
{
	const char *src = u->header_env[0] != '\0' ? u->header_env :
	    u->header_file;
	char *line = text, *nl;

	while (line != NULL && *line != '\0') {
		char *colon;

		if ((nl = strchr(line, '\n')) != NULL)
			*nl = '\0';
		if (nl != NULL && nl > line && nl[-1] == '\r')
			nl[-1] = '\0';
		if (line[0] != '\0') {
			colon = strchr(line, ':');
			if (colon == NULL || colon == line ||
			    strcspn(line, " \t") < (size_t)(colon - line)) {
				snprintf(err, errlen, "%s: each line must be "
				    "a header \"Name: value\"", src);
				return NFE_INVAL;
			}
			if (*n >= max) {
				snprintf(err, errlen, "%s: at most %d headers",
				    src, HTTPSINK_MAX_SECRET_HEADERS);
				return NFE_INVAL;
			}
			hdr[(*n)++] = line;
		}
		line = nl != NULL ? nl + 1 : NULL;
	}
	return NFE_OK;
}

static int
hs_open(struct sink *s, char *err, size_t errlen)
{
	const struct sinkurl *u = &s->url;
	const char *hdr[SINKURL_MAX_HEADERS + HTTPSINK_MAX_SECRET_HEADERS];
	char fixed[SINKURL_MAX_HEADERS][sizeof(u->headers[0].name) +
	    sizeof(u->headers[0].value) + 4];
	size_t n = 0;
	struct hs *hs;
	int rc;

	if ((rc = httpc_check(u, err, errlen)) != NFE_OK)
		return rc;
	if ((hs = calloc(1, sizeof(*hs))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NFE_NOMEM;
	}
	sbuf_init(&hs->body);
	sbuf_init(&hs->gz);
	for (size_t i = 0; i < u->nheaders; i++) {
		snprintf(fixed[i], sizeof(fixed[i]), "%s: %s",
		    u->headers[i].name, u->headers[i].value);
		hdr[n++] = fixed[i];
		if (strcasecmp(u->headers[i].name, "Content-Type") == 0)
			hs->have_ct = true;
	}
	if ((rc = secret_read(u->header_env, u->header_file, &hs->secret,
	    err, errlen)) != NFE_OK)
		goto fail;
	if (hs->secret != NULL && (rc = secret_headers(hs->secret, hdr, &n,
	    NF_NELEM(hdr), u, err, errlen)) != NFE_OK)
		goto fail;
	if ((rc = httpc_new(u, NULL, NULL, hdr, n, s->cancel, &hs->h, err,
	    errlen)) != NFE_OK)
		goto fail;
	s->drv = hs;
	return NFE_OK;
fail:
	secret_free(hs->secret);
	free(hs);
	return rc;
}

/* Nothing to set up: the first POST finds out. */
static int
hs_prepare(struct sink *s, char *err, size_t errlen)
{
	(void)s;
	(void)err;
	(void)errlen;
	return NFE_OK;
}

static int
hs_deliver(struct sink *s, const struct sink_batch *b, char *err,
    size_t errlen)
{
	struct hs *hs = s->drv;
	struct httpc_req rq = { s->url.path, NULL, 0, NULL, false };
	long st;
	int rc;

	sbuf_reset(&hs->body);
	for (size_t i = 0; i < b->n; i++)
		if ((rc = sink_encode_record(s, b, i, true, &hs->body)) !=
		    NFE_OK) {
			snprintf(err, errlen, "encoding: %s", nferr_str(rc));
			return SINK_RETRY;
		}
	rq.body = hs->body.p;
	rq.len = hs->body.len;
	rq.content_type = hs->have_ct ? NULL : "application/x-ndjson";
	if (s->url.compress == SINK_COMP_GZIP) {
		if ((rc = httpc_gzip(hs->body.p, hs->body.len, 1, &hs->gz)) !=
		    NFE_OK) {
			snprintf(err, errlen, "gzip: %s", nferr_str(rc));
			return SINK_RETRY;
		}
		rq.body = hs->gz.p;
		rq.len = hs->gz.len;
		rq.gzip = true;
	}
	s->last_bytes = rq.len;
	if ((rc = httpc_do(hs->h, &rq, &hs->rs, err, errlen)) != NFE_OK)
		return rc == NFE_IO && hs->rs.sent ? SINK_UNKNOWN : SINK_RETRY;
	st = hs->rs.status;
	if (st >= 200 && st < 300)
		return SINK_DELIVERED;
	snprintf(err, errlen, "POST of %zu flows: HTTP %ld%s%.*s", b->n, st,
	    hs->rs.body_len > 0 ? ": " : "",
	    (int)(strcspn(hs->rs.body, "\n") < 200 ?
	    strcspn(hs->rs.body, "\n") : 200), hs->rs.body);
	if (st == 429 || st == 408 || st >= 500) {
		if (hs->rs.retry_after_s > 0)
			s->retry_after_s = hs->rs.retry_after_s > 3600 ? 3600 :
			    (unsigned)hs->rs.retry_after_s;
		return SINK_RETRY;
	}
	return SINK_REFUSED;
}

static void
hs_close(struct sink *s)
{
	struct hs *hs = s->drv;

	if (hs == NULL)
		return;
	httpc_free(hs->h);
	secret_free(hs->secret);
	sbuf_fini(&hs->body);
	sbuf_fini(&hs->gz);
	free(hs);
	s->drv = NULL;
}

const struct sink_ops sink_http_ops = {
	hs_open, hs_prepare, hs_deliver, NULL, hs_close,
};
