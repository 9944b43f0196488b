/*
 * sink/httpc.h -- the HTTP client of the ClickHouse and HTTP sinks: one
 * libcurl easy handle per sink (kept-alive connection), POST or GET of
 * a body the caller owns, and an answer that says whether the request
 * reached the server: a response (with its status), or none, and then
 * whether the whole body had gone out (a delivery whose outcome is
 * unknown) or not (certainly not delivered).
 *
 * Only available when built with libcurl (HAVE_CURL); without it
 * httpc_new returns NFE_UNSUPP naming the library.
 */
#ifndef SINK_HTTPC_H
#define SINK_HTTPC_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sink/sbuf.h"
#include "sink/sinkurl.h"

#define HTTPC_MAX_HEADERS	(SINKURL_MAX_HEADERS + 16)
#define HTTPC_RESP_MAX		65536	/* response bytes kept */

struct httpc;

struct httpc_req {
	const char	*path;		/* borrowed: "/path?query", encoded */
	const void	*body;		/* borrowed; NULL: a GET */
	size_t		 len;
	const char	*content_type;	/* borrowed; NULL: none */
	bool		 gzip;		/* body is gzip (Content-Encoding) */
};

struct httpc_resp {
	long		 status;	/* HTTP status; 0 without a response */
	bool		 sent;		/* the whole body went out */
	long		 retry_after_s;	/* Retry-After in seconds, or -1 */
	char		 body[HTTPC_RESP_MAX + 1];	/* first bytes, NUL-
						   terminated */
	size_t		 body_len;
};

/*
 * A client for u's first host (http or https; ClickHouse's HTTP
 * interface).  user/password (borrowed, may be NULL) go as HTTP Basic
 * authentication; headers (borrowed strings "Name: value", n of them)
 * go with every request.  cancel (borrowed, may be NULL) aborts a
 * transfer in progress when set.  Returns NFE_OK, NFE_UNSUPP (no
 * libcurl in this build), NFE_NOMEM, NFE_LIMIT (too many headers).
 */
int	httpc_new(const struct sinkurl *u, const char *user,
	    const char *password, const char *const *headers, size_t n,
	    const atomic_bool *cancel, struct httpc **out, char *err,
	    size_t errlen);

/*
 * Send a request and wait for its answer (at most the URL's timeout).
 * Returns NFE_OK when a response came (rs->status), NFE_IO when none
 * did (err says why; rs->sent tells whether the server may have the
 * whole body), NFE_NOMEM.
 */
int	httpc_do(struct httpc *h, const struct httpc_req *rq,
	    struct httpc_resp *rs, char *err, size_t errlen);

/* NULL is a no-op. */
void	httpc_free(struct httpc *h);

/*
 * NFE_OK if this build can make u's requests, else NFE_UNSUPP with a
 * message naming the missing library.
 */
int	httpc_check(const struct sinkurl *u, char *err, size_t errlen);

/*
 * gzip (RFC 1952) of p[0..n) into out (reset first).  Returns NFE_OK,
 * NFE_NOMEM or NFE_INTERNAL.
 */
int	httpc_gzip(const void *p, size_t n, int level, struct sbuf *out);

/* "libcurl X.Y.Z" or "no libcurl". */
const char *httpc_version(void);

#endif /* SINK_HTTPC_H */
