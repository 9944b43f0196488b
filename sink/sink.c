/*
 * sink/sink.c -- the sink interface (sink/sink.h) over its three
 * drivers.
 */
#include "common/base/compat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/base/nferr.h"
#include "sink/ndjson.h"
#include "sink/pbenc.h"
#include "sink/sink_int.h"

int
sink_open(const struct sinkurl *u, const atomic_bool *cancel,
    struct sink **out, char *err, size_t errlen)
{
	struct sink *s;
	int rc;

	*out = NULL;
	if (u->format == SINK_FMT_PROTOBUF && !pbenc_available()) {
		snprintf(err, errlen, "%s: format=protobuf needs protobuf-c, "
		    "which this build of flowkit lacks (install "
		    "libprotobuf-c-dev and protobuf-c-compiler and run "
		    "configure again)", u->text);
		return NFE_UNSUPP;
	}
	if ((s = calloc(1, sizeof(*s))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NFE_NOMEM;
	}
	s->url = *u;
	s->cancel = cancel;
	switch (u->kind) {
	case SINK_CLICKHOUSE:
		s->ops = &sink_clickhouse_ops;
		break;
	case SINK_KAFKA:
		s->ops = &sink_kafka_ops;
		break;
	case SINK_HTTP:
		s->ops = &sink_http_ops;
		break;
	}
	if ((rc = s->ops->open(s, err, errlen)) != NFE_OK) {
		free(s);
		return rc;
	}
	*out = s;
	return NFE_OK;
}

int
sink_prepare(struct sink *s, char *err, size_t errlen)
{
	s->notice[0] = '\0';
	return s->ops->prepare(s, err, errlen);
}

bool
sink_take_notice(struct sink *s, char *buf, size_t len)
{
	if (s->notice[0] == '\0')
		return false;
	snprintf(buf, len, "%s", s->notice);
	s->notice[0] = '\0';
	return true;
}

int
sink_deliver(struct sink *s, const struct sink_batch *b, char *err,
    size_t errlen)
{
	s->retry_after_s = 0;
	return s->ops->deliver(s, b, err, errlen);
}

int
sink_landed(struct sink *s, const struct sink_batch *b, uint64_t *rows,
    char *err, size_t errlen)
{
	*rows = 0;
	if (s->ops->landed == NULL) {
		snprintf(err, errlen, "%s sinks cannot tell what landed",
		    sinkurl_kind_name(s->url.kind));
		return NFE_UNSUPP;
	}
	return s->ops->landed(s, b, rows, err, errlen);
}

unsigned
sink_retry_after(const struct sink *s)
{
	return s->retry_after_s;
}

const struct sinkurl *
sink_url(const struct sink *s)
{
	return &s->url;
}

bool
sink_split_days(const struct sink *s)
{
	return s->url.kind == SINK_CLICKHOUSE;
}

uint64_t
sink_last_bytes(const struct sink *s)
{
	return s->last_bytes;
}

void
sink_close(struct sink *s)
{
	if (s == NULL)
		return;
	s->ops->close(s);
	free(s);
}

int
sink_encode_record(const struct sink *s, const struct sink_batch *b,
    size_t i, bool nl, struct sbuf *out)
{
	switch (s->url.format) {
	case SINK_FMT_NDJSON:
		return ndjson_record(b, i, nl, out);
	case SINK_FMT_PROTOBUF:
		return pbenc_record(b, i, s->url.delimited, out);
	case SINK_FMT_ROWBINARY:
		break;
	}
	return NFE_INTERNAL;
}
