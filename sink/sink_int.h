/*
 * sink/sink_int.h -- what the sink drivers (clickhouse.c, kafka.c,
 * httpsink.c) share with sink.c.  Not for use outside sink/.
 */
#ifndef SINK_SINK_INT_H
#define SINK_SINK_INT_H

#include "sink/sink.h"

struct sink;

/* One kind of sink. */
struct sink_ops {
	int	(*open)(struct sink *s, char *err, size_t errlen);
	int	(*prepare)(struct sink *s, char *err, size_t errlen);
	int	(*deliver)(struct sink *s, const struct sink_batch *b,
		    char *err, size_t errlen);
	int	(*landed)(struct sink *s, const struct sink_batch *b,
		    uint64_t *rows, char *err, size_t errlen);	/* may be
								   NULL */
	void	(*close)(struct sink *s);
};

struct sink {
	const struct sink_ops *ops;
	struct sinkurl	 url;
	const atomic_bool *cancel;	/* borrowed, may be NULL */
	void		*drv;		/* owned by the driver */
	unsigned	 retry_after_s;
	uint64_t	 last_bytes;
	char		 notice[1024];	/* for the log after a prepare;
					   "" if none */
};

extern const struct sink_ops sink_clickhouse_ops;
extern const struct sink_ops sink_kafka_ops;
extern const struct sink_ops sink_http_ops;

/* True when cancel is set. */
static inline bool
sink_cancelled(const struct sink *s)
{
	return s->cancel != NULL && atomic_load(s->cancel);
}

/*
 * Encode record i of b in the URL's format (ndjson: with a newline if
 * nl; protobuf: delimited per the URL) and append it to out.
 */
int	sink_encode_record(const struct sink *s, const struct sink_batch *b,
	    size_t i, bool nl, struct sbuf *out);

#endif /* SINK_SINK_INT_H */
