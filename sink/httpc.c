/*
 * sink/httpc.c -- HTTP requests through libcurl (sink/httpc.h), and
 * gzip bodies through zlib.
 *
 * One easy handle per client keeps its connection alive between
 * requests.  "Expect: 100-continue" is switched off (it would add a
 * round trip, or a one-second wait, to every large POST); signals are
 * not used (the sinks run in threads); a progress callback aborts a
 * transfer when the owner's cancel flag is set.
 */
#include "common/base/compat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <zlib.h>

#include "common/base/nferr.h"
#include "sink/httpc.h"

int
httpc_gzip(const void *p, size_t n, int level, struct sbuf *out)
{
	z_stream z;
	int rc;

	sbuf_reset(out);
	memset(&z, 0, sizeof(z));
	if (deflateInit2(&z, level, Z_DEFLATED, 15 + 16, 8,
	    Z_DEFAULT_STRATEGY) != Z_OK)
		return NFE_NOMEM;
	if ((rc = sbuf_reserve(out, deflateBound(&z, (uLong)n) + 64)) !=
	    NFE_OK) {
		deflateEnd(&z);
		return rc;
	}
	z.next_in = (Bytef *)(uintptr_t)p;
	z.avail_in = (uInt)n;
	z.next_out = out->p;
	z.avail_out = (uInt)out->cap;
	rc = deflate(&z, Z_FINISH);
	out->len = z.total_out;
	deflateEnd(&z);
	return rc == Z_STREAM_END ? NFE_OK : NFE_INTERNAL;
}

#ifdef HAVE_CURL
#include <curl/curl.h>

int
httpc_check(const struct sinkurl *u, char *err, size_t errlen)
{
	(void)u;
	(void)err;
	(void)errlen;
	return NFE_OK;
}

struct httpc {
	CURL		*c;		/* owned */
	struct curl_slist *hdrs;	/* owned: the fixed headers */
	char		 base[600];	/* scheme://host:port */
	char		 url[2048];
	const atomic_bool *cancel;	/* borrowed */
	struct httpc_resp *rs;		/* borrowed during httpc_do */
	char		 cerr[CURL_ERROR_SIZE];
};

const char *
httpc_version(void)
{
	static char v[64];

	if (v[0] == '\0')
		snprintf(v, sizeof(v), "libcurl %s",
		    curl_version_info(CURLVERSION_NOW)->version);
	return v;
}

static size_t
on_body(char *p, size_t size, size_t nmemb, void *arg)
{
	struct httpc *h = arg;
	struct httpc_resp *rs = h->rs;
	size_t n = size * nmemb, room = HTTPC_RESP_MAX - rs->body_len;

	if (n < room)
		room = n;
	memcpy(rs->body + rs->body_len, p, room);
	rs->body_len += room;
	rs->body[rs->body_len] = '\0';
	return n;
}

static size_t
on_header(char *p, size_t size, size_t nmemb, void *arg)
{
	struct httpc *h = arg;
	size_t n = size * nmemb;

	if (n > 12 && strncasecmp(p, "Retry-After:", 12) == 0) {
		char tmp[32];
		size_t k = n - 12 < sizeof(tmp) - 1 ? n - 12 : sizeof(tmp) - 1;

		memcpy(tmp, p + 12, k);
		tmp[k] = '\0';
		h->rs->retry_after_s = strtol(tmp, NULL, 10);
		if (h->rs->retry_after_s < 0)
			h->rs->retry_after_s = -1;
	}
	return n;
}

static int
on_progress(void *arg, curl_off_t dt, curl_off_t dn, curl_off_t ut,
    curl_off_t un)
{
	struct httpc *h = arg;

	(void)dt;
	(void)dn;
	(void)ut;
	(void)un;
	return h->cancel != NULL && atomic_load(h->cancel) ? 1 : 0;
}

int
httpc_new(const struct sinkurl *u, const char *user, const char *password,
    const char *const *headers, size_t n, const atomic_bool *cancel,
    struct httpc **out, char *err, size_t errlen)
{
	const struct sinkurl_host *host = &u->hosts[0];
	struct curl_slist *l;
	struct httpc *h;
	bool v6 = strchr(host->name, ':') != NULL;

	*out = NULL;
	if (n > HTTPC_MAX_HEADERS) {
		snprintf(err, errlen, "too many headers");
		return NFE_LIMIT;
	}
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		snprintf(err, errlen, "libcurl: global initialisation failed");
		return NFE_NOMEM;
	}
	if ((h = calloc(1, sizeof(*h))) == NULL ||
	    (h->c = curl_easy_init()) == NULL) {
		free(h);
		snprintf(err, errlen, "out of memory");
		return NFE_NOMEM;
	}
	h->cancel = cancel;
	snprintf(h->base, sizeof(h->base), "%s://%s%s%s:%u",
	    u->tls ? "https" : "http", v6 ? "[" : "", host->name,
	    v6 ? "]" : "", host->port);
	/* curl would otherwise wait for 100-continue on large bodies */
	if ((l = curl_slist_append(h->hdrs, "Expect:")) == NULL)
		goto nomem;
	h->hdrs = l;
	for (size_t i = 0; i < n; i++) {
		if ((l = curl_slist_append(h->hdrs, headers[i])) == NULL)
			goto nomem;
		h->hdrs = l;
	}
	curl_easy_setopt(h->c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h->c, CURLOPT_TCP_KEEPALIVE, 1L);
	curl_easy_setopt(h->c, CURLOPT_TCP_NODELAY, 1L);
	curl_easy_setopt(h->c, CURLOPT_TIMEOUT_MS, (long)u->timeout_ms);
	curl_easy_setopt(h->c, CURLOPT_CONNECTTIMEOUT_MS,
	    (long)(u->timeout_ms < 5000 ? u->timeout_ms : 5000));
	curl_easy_setopt(h->c, CURLOPT_ERRORBUFFER, h->cerr);
	curl_easy_setopt(h->c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h->c, CURLOPT_WRITEDATA, h);
	curl_easy_setopt(h->c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(h->c, CURLOPT_HEADERDATA, h);
	curl_easy_setopt(h->c, CURLOPT_XFERINFOFUNCTION, on_progress);
	curl_easy_setopt(h->c, CURLOPT_XFERINFODATA, h);
	curl_easy_setopt(h->c, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(h->c, CURLOPT_PROTOCOLS_STR, "http,https");
	if (user != NULL && user[0] != '\0') {
		curl_easy_setopt(h->c, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
		curl_easy_setopt(h->c, CURLOPT_USERNAME, user);
		curl_easy_setopt(h->c, CURLOPT_PASSWORD,
		    password != NULL ? password : "");
	}
	*out = h;
	return NFE_OK;
nomem:
	httpc_free(h);
	snprintf(err, errlen, "out of memory");
	return NFE_NOMEM;
}

int
httpc_do(struct httpc *h, const struct httpc_req *rq, struct httpc_resp *rs,
    char *err, size_t errlen)
{
	struct curl_slist *hdrs = h->hdrs, *extra = NULL, *l;
	char ct[160];
	curl_off_t up = 0;
	CURLcode cc;
	int n;

	rs->status = 0;
	rs->sent = false;
	rs->retry_after_s = -1;
	rs->body_len = 0;
	rs->body[0] = '\0';
	h->rs = rs;
	h->cerr[0] = '\0';
	n = snprintf(h->url, sizeof(h->url), "%s%s", h->base, rq->path);
	if (n < 0 || (size_t)n >= sizeof(h->url)) {
		snprintf(err, errlen, "request URL too long");
		return NFE_LIMIT;
	}
	/* per-request headers go on a copy of the fixed list */
	if (rq->content_type != NULL || rq->gzip) {
		for (l = h->hdrs; l != NULL; l = l->next)
			if ((extra = curl_slist_append(extra, l->data)) == NULL)
				goto nomem;
		if (rq->content_type != NULL) {
			snprintf(ct, sizeof(ct), "Content-Type: %s",
			    rq->content_type);
			if ((l = curl_slist_append(extra, ct)) == NULL)
				goto nomem;
			extra = l;
		}
		if (rq->gzip) {
			if ((l = curl_slist_append(extra,
			    "Content-Encoding: gzip")) == NULL)
				goto nomem;
			extra = l;
		}
		hdrs = extra;
	}
	curl_easy_setopt(h->c, CURLOPT_URL, h->url);
	curl_easy_setopt(h->c, CURLOPT_HTTPHEADER, hdrs);
	if (rq->body != NULL) {
		curl_easy_setopt(h->c, CURLOPT_POST, 1L);
		curl_easy_setopt(h->c, CURLOPT_POSTFIELDSIZE_LARGE,
		    (curl_off_t)rq->len);
		curl_easy_setopt(h->c, CURLOPT_POSTFIELDS, rq->body);
	} else {
		curl_easy_setopt(h->c, CURLOPT_HTTPGET, 1L);
	}
	cc = curl_easy_perform(h->c);
	curl_easy_setopt(h->c, CURLOPT_HTTPHEADER, h->hdrs);
	curl_slist_free_all(extra);
	h->rs = NULL;
	if (curl_easy_getinfo(h->c, CURLINFO_SIZE_UPLOAD_T, &up) == CURLE_OK &&
	    (rq->body == NULL || (size_t)up == rq->len))
		rs->sent = true;
	if (cc != CURLE_OK) {
		snprintf(err, errlen, "%s%s%s", curl_easy_strerror(cc),
		    h->cerr[0] != '\0' ? ": " : "", h->cerr);
		return NFE_IO;
	}
	curl_easy_getinfo(h->c, CURLINFO_RESPONSE_CODE, &rs->status);
	rs->sent = true;
	return NFE_OK;
nomem:
	curl_slist_free_all(extra);
	h->rs = NULL;
	snprintf(err, errlen, "out of memory");
	return NFE_NOMEM;
}

void
httpc_free(struct httpc *h)
{
	if (h == NULL)
		return;
	if (h->c != NULL)
		curl_easy_cleanup(h->c);
	curl_slist_free_all(h->hdrs);
	free(h);
}

#else /* !HAVE_CURL */

int
httpc_check(const struct sinkurl *u, char *err, size_t errlen)
{
	snprintf(err, errlen, "%s: %s sinks need libcurl, which this build "
	    "of flowkit lacks (install libcurl4-openssl-dev and run configure "
	    "again)", u->text, sinkurl_kind_name(u->kind));
	return NFE_UNSUPP;
}

const char *
httpc_version(void)
{
	return "no libcurl";
}

int
httpc_new(const struct sinkurl *u, const char *user, const char *password,
    const char *const *headers, size_t n, const atomic_bool *cancel,
    struct httpc **out, char *err, size_t errlen)
{
	(void)user;
	(void)password;
	(void)headers;
	(void)n;
	(void)cancel;
	*out = NULL;
	return httpc_check(u, err, errlen);
}

int
httpc_do(struct httpc *h, const struct httpc_req *rq, struct httpc_resp *rs,
    char *err, size_t errlen)
{
	(void)h;
	(void)rq;
	(void)rs;
	snprintf(err, errlen, "no libcurl");
	return NFE_UNSUPP;
}

void
httpc_free(struct httpc *h)
{
	(void)h;
}

#endif
