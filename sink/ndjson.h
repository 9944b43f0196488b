/*
 * sink/ndjson.h -- one flow as a JSON object with IPFIX element names,
 * the same fields, names, order and formatting as `flowq -o ndjson`
 * (flowq(1)), with times in UTC: tests/sink_enc.sh compares the two
 * byte for byte.
 *
 * {"flowStartMilliseconds": "2024-05-01T10:00:00.000+00:00", ...,
 *  "exporterIPv4Address": "192.0.2.1"}
 */
#ifndef SINK_NDJSON_H
#define SINK_NDJSON_H

#include <stdbool.h>
#include <stddef.h>

#include "sink/sbuf.h"

/*
 * Append record i of b to out as one JSON object, followed by '\n' if
 * newline.  Returns NFE_OK, NFE_NOMEM or NFE_LIMIT.
 */
int	ndjson_record(const struct sink_batch *b, size_t i, bool newline,
	    struct sbuf *out);

#endif /* SINK_NDJSON_H */
