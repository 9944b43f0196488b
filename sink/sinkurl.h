/*
 * sink/sinkurl.h -- the --sink URL of flowcapd and flowq
 * (flowkit-sink(7)): which destination, and its options.
 *
 *   clickhouse://HOST[:PORT]/DATABASE.TABLE[?opts]   HTTP interface, 8123
 *   kafka://HOST[:PORT][,HOST[:PORT]...]/TOPIC[?opts] brokers, 9092
 *   http://HOST[:PORT]/PATH[?opts]  https://...       NDJSON POSTs
 *
 * Options are query parameters (name=value, percent-encoded, joined by
 * &).  Secrets never come from the URL: a password in the authority
 * part, or a parameter that would carry one, is refused with a message
 * naming the environment and file parameters to use instead.  Every
 * refusal names the part of the URL that is wrong.  Parsing only: no
 * environment or file is read here (sink/secret.h does that).
 *
 * No state, no logging; a struct sinkurl is plain data.
 */
#ifndef SINK_SINKURL_H
#define SINK_SINKURL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SINKURL_MAX_LEN		4096	/* bytes of the whole URL */
#define SINKURL_MAX_HOSTS	16	/* kafka brokers */
#define SINKURL_MAX_HEADERS	16	/* http header= parameters */
#define SINKURL_MAX_PROPS	32	/* kafka.* pass-through settings */
#define SINKURL_NAME_MAX	64	/* sink name (cursor file name) */
#define SINKURL_MAX_BATCH	1000000	/* rows per delivery */

enum sink_kind {
	SINK_CLICKHOUSE,
	SINK_KAFKA,
	SINK_HTTP,
};

enum sink_format {
	SINK_FMT_ROWBINARY,	/* ClickHouse RowBinary */
	SINK_FMT_NDJSON,	/* one JSON object per line / message */
	SINK_FMT_PROTOBUF,	/* goflow2's FlowMessage */
};

enum sink_compress {
	SINK_COMP_NONE,
	SINK_COMP_GZIP,		/* HTTP and ClickHouse bodies; Kafka */
	SINK_COMP_LZ4,		/* Kafka */
	SINK_COMP_ZSTD,		/* Kafka */
	SINK_COMP_SNAPPY,	/* Kafka */
};

enum sink_key {
	SINK_KEY_NONE,		/* Kafka: librdkafka's partitioner */
	SINK_KEY_EXPORTER,	/* the exporter's address */
	SINK_KEY_SRC,		/* the flow's source address */
};

struct sinkurl_host {
	char		name[256];	/* without brackets */
	uint16_t	port;
};

struct sinkurl_kv {
	char		name[128];
	char		value[512];
};

struct sinkurl {
	enum sink_kind	kind;
	char		text[SINKURL_MAX_LEN];	/* the URL as given (it
						   holds no secret) */
	char		name[SINKURL_NAME_MAX + 1];	/* name= or derived */
	struct sinkurl_host hosts[SINKURL_MAX_HOSTS];
	size_t		nhosts;		/* 1 except for kafka */
	bool		tls;		/* https */
	char		path[1024];	/* http: path and query to POST to
					   (percent-encoding kept) */
	char		database[128];	/* clickhouse */
	char		table[128];
	char		topic[256];	/* kafka */
	enum sink_format format;
	enum sink_compress compress;
	enum sink_key	key;
	uint32_t	batch;		/* rows per delivery, at most */
	uint32_t	interval_ms;	/* a delivery smaller than batch waits
					   this long after the previous one */
	uint32_t	timeout_ms;	/* one request / delivery report */
	uint32_t	lag_warn_s;	/* warn once past this lag; 0 never */
	bool		create;		/* clickhouse: CREATE TABLE IF NOT
					   EXISTS at start */
	bool		delimited;	/* protobuf: varint length prefix */
	int		acks;		/* kafka: -1 all, 0, 1 */
	char		user[128];	/* clickhouse user; kafka SASL user */
	char		password_env[128];	/* name of a variable */
	char		password_file[1024];
	struct sinkurl_kv headers[SINKURL_MAX_HEADERS];	/* http */
	size_t		nheaders;
	char		header_env[128];	/* variable holding "Name: value" */
	char		header_file[1024];	/* lines "Name: value" */
	struct sinkurl_kv props[SINKURL_MAX_PROPS];	/* kafka.* */
	size_t		nprops;
};

/*
 * Parse s into *u (defaults for what s does not say: flowkit-sink(7)).
 * Returns NFE_OK, or NFE_INVAL with a message in err naming the part
 * that is wrong ("kafka://h/t?acks=2: acks: expected all, 1 or 0").
 */
int	sinkurl_parse(const char *s, struct sinkurl *u, char *err,
	    size_t errlen);

/* "clickhouse", "kafka", "http". */
const char *sinkurl_kind_name(enum sink_kind k);

/* "rowbinary", "ndjson", "protobuf". */
const char *sinkurl_format_name(enum sink_format f);

#endif /* SINK_SINKURL_H */
