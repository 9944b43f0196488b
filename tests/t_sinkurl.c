/*
 * tests/t_sinkurl.c -- --sink URLs (sink/sinkurl.h): what each form
 * gives, defaults, the refusals and the part each one names, secrets
 * refused wherever they could hide, and every prefix of valid URLs
 * either parsed or refused with a message (never a crash).
 */
#include "common/base/compat.h"

#include <stdio.h>
#include <string.h>

#include "common/base/nferr.h"
#include "sink/sinkurl.h"
#include "tap.h"

static struct sinkurl u;
static char err[1024];

static bool
parses(const char *s)
{
	err[0] = '\0';
	if (sinkurl_parse(s, &u, err, sizeof(err)) == NFE_OK)
		return true;
	tap_diag("%s", err);
	return false;
}

static void
test_forms(void)
{
	tap_ok(parses("clickhouse://127.0.0.1/flows.raw") &&
	    u.kind == SINK_CLICKHOUSE && u.nhosts == 1 &&
	    strcmp(u.hosts[0].name, "127.0.0.1") == 0 &&
	    u.hosts[0].port == 8123 && strcmp(u.database, "flows") == 0 &&
	    strcmp(u.table, "raw") == 0 && u.format == SINK_FMT_ROWBINARY &&
	    u.batch == 100000 && u.interval_ms == 1000 && u.create &&
	    u.compress == SINK_COMP_NONE && u.timeout_ms == 30000 &&
	    u.lag_warn_s == 60 && strcmp(u.name, "clickhouse-flows.raw") == 0,
	    "clickhouse: defaults");
	tap_ok(parses("clickhouse://ch.example.org:9123/db.t?create=0&"
	    "batch=50000&compress=gzip&user=loader&password_env=CH_PW&"
	    "name=main&lag=300&timeout=5&interval=0") &&
	    u.hosts[0].port == 9123 && !u.create && u.batch == 50000 &&
	    u.compress == SINK_COMP_GZIP && strcmp(u.user, "loader") == 0 &&
	    strcmp(u.password_env, "CH_PW") == 0 &&
	    strcmp(u.name, "main") == 0 && u.lag_warn_s == 300 &&
	    u.timeout_ms == 5000 && u.interval_ms == 0,
	    "clickhouse: options");
	tap_ok(parses("clickhouse://loader@[::1]:8124/db.t") &&
	    strcmp(u.user, "loader") == 0 &&
	    strcmp(u.hosts[0].name, "::1") == 0 && u.hosts[0].port == 8124,
	    "clickhouse: user@ and an IPv6 host");
	tap_ok(parses("kafka://b1:9092,b2,[::1]:19092/flow-messages") &&
	    u.kind == SINK_KAFKA && u.nhosts == 3 &&
	    u.hosts[1].port == 9092 && u.hosts[2].port == 19092 &&
	    strcmp(u.topic, "flow-messages") == 0 &&
	    u.format == SINK_FMT_NDJSON && u.acks == -1 && u.delimited &&
	    u.key == SINK_KEY_NONE && strcmp(u.name, "kafka-flow-messages") ==
	    0, "kafka: brokers, topic, defaults");
	tap_ok(parses("kafka://b:1/t?format=protobuf&key=exporter&acks=1&"
	    "compress=zstd&delimited=0&kafka.linger.ms=20&"
	    "kafka.security.protocol=sasl_ssl&user=u&password_file=/etc/pw") &&
	    u.format == SINK_FMT_PROTOBUF && u.key == SINK_KEY_EXPORTER &&
	    u.acks == 1 && u.compress == SINK_COMP_ZSTD && !u.delimited &&
	    u.nprops == 2 && strcmp(u.props[0].name, "linger.ms") == 0 &&
	    strcmp(u.props[0].value, "20") == 0 &&
	    strcmp(u.password_file, "/etc/pw") == 0, "kafka: options");
	tap_ok(parses("http://logs:5080/api/default/flows/_json?"
	    "header=Content-Type:application%2Fx-ndjson&compress=gzip&"
	    "header_env=LOG_AUTH&q.pipeline=geo&batch=500") &&
	    u.kind == SINK_HTTP && !u.tls && u.hosts[0].port == 5080 &&
	    strcmp(u.path, "/api/default/flows/_json?pipeline=geo") == 0 &&
	    u.nheaders == 1 && strcmp(u.headers[0].name, "Content-Type") ==
	    0 && strcmp(u.headers[0].value, "application/x-ndjson") == 0 &&
	    strcmp(u.header_env, "LOG_AUTH") == 0 && u.batch == 500 &&
	    u.compress == SINK_COMP_GZIP, "http: path, headers, q. to the "
	    "target");
	tap_ok(parses("https://logs.example.org") && u.tls &&
	    u.hosts[0].port == 443 && strcmp(u.path, "/") == 0 &&
	    u.batch == 10000 && strcmp(u.name, "http-logs.example.org-443") ==
	    0, "https: default port and path");
	tap_ok(parses("CLICKHOUSE://h/d.t"), "the scheme is case-blind");
}

/* URL, a word the message must contain. */
static const struct {
	const char	*url;
	const char	*says;
} refusals[] = {
	{ "clickhouse:/h/d.t", "SCHEME://" },
	{ "mysql://h/d.t", "scheme 'mysql'" },
	{ "clickhouse:///d.t", "no host" },
	{ "clickhouse://h", "/DATABASE.TABLE" },
	{ "clickhouse://h/", "/DATABASE.TABLE" },
	{ "clickhouse://h/flows", "DATABASE.TABLE" },
	{ "clickhouse://h/1db.t", "database '1db'" },
	{ "clickhouse://h/d.t-x", "table 't-x'" },
	{ "clickhouse://h:0/d.t", "port '0'" },
	{ "clickhouse://h:65536/d.t", "port '65536'" },
	{ "clickhouse://h:80x/d.t", "port '80x'" },
	{ "clickhouse://h:/d.t", "port ''" },
	{ "clickhouse://h!/d.t", "bad character '!'" },
	{ "clickhouse://[::1/d.t", "missing ]" },
	{ "clickhouse://[::1]x/d.t", "expected :PORT" },
	{ "clickhouse://h1,h2/d.t", "one host" },
	{ "clickhouse://u:pw@h/d.t", "password in the URL" },
	{ "clickhouse://h/d.t?password=x", "secrets are refused" },
	{ "clickhouse://h/d.t?format=ndjson", "format=ndjson" },
	{ "clickhouse://h/d.t?compress=zstd", "compress=zstd" },
	{ "clickhouse://h/d.t?batch=0", "batch=0" },
	{ "clickhouse://h/d.t?batch=2000000", "batch=2000000" },
	{ "clickhouse://h/d.t?batch=-5", "batch=-5" },
	{ "clickhouse://h/d.t?create=maybe", "create=maybe" },
	{ "clickhouse://h/d.t?key=src", "unknown parameter 'key'" },
	{ "clickhouse://h/d.t?bacth=10", "unknown parameter 'bacth'" },
	{ "clickhouse://h/d.t?batch", "expected name=value" },
	{ "clickhouse://h/d.t?batch=1%2", "bad encoding" },
	{ "clickhouse://h/d.t?name=a/b", "name=a/b" },
	{ "clickhouse://h/d.t#x", "#fragment" },
	{ "clickhouse://h/d.t?password_env=A&password_file=/p", "give one" },
	{ "clickhouse://h /d.t", "space" },
	{ "kafka://b:9092", "/TOPIC" },
	{ "kafka://b:9092/a%20b", "topic 'a b'" },
	{ "kafka://b:9092,/t", "empty host" },
	{ "kafka://b/t?acks=2", "acks=2" },
	{ "kafka://b/t?key=dst", "key=dst" },
	{ "kafka://b/t?format=rowbinary", "format=rowbinary" },
	{ "kafka://b/t?compress=brotli", "compress=brotli" },
	{ "kafka://b/t?kafka.sasl.password=x", "secret" },
	{ "kafka://b/t?kafka.ssl.key.password=x", "secret" },
	{ "http://h/p?header=Authorization:Bearer%20x", "credential" },
	{ "http://h/p?header=X-Api-Key:abc", "credential" },
	{ "http://h/p?header=NoColon", "Name:value" },
	{ "http://h/p?token=abc", "secrets are refused" },
	{ "http://h/p?q.access_token=abc", "secrets are refused" },
	{ "http://u@h/p", "user@" },
	{ "http://h/p?user=u", "unknown parameter 'user'" },
	{ "http://h/p?format=protobuf", "format=protobuf" },
	{ "http://h/p?create=1", "unknown parameter 'create'" },
};

static void
test_refusals(void)
{
	size_t bad = 0;

	for (size_t i = 0; i < NF_NELEM(refusals); i++) {
		err[0] = '\0';
		if (sinkurl_parse(refusals[i].url, &u, err, sizeof(err)) !=
		    NFE_INVAL || strstr(err, refusals[i].says) == NULL ||
		    strncmp(err, refusals[i].url, 10) != 0) {
			tap_diag("%s: got \"%s\", want a refusal naming "
			    "\"%s\"", refusals[i].url, err, refusals[i].says);
			bad++;
		}
	}
	tap_is_int((long long)bad, 0, "each malformed URL is refused with "
	    "the URL and the part that is wrong");
}

static void
test_redaction(void)
{
	static const struct {
		const char	*url, *secret;
	} t[] = {
		{ "clickhouse://u:hunter2@h/d.t", "hunter2" },
		{ "clickhouse://h/d.t?password=hunter2&batch=1", "hunter2" },
		{ "kafka://b/t?kafka.sasl.password=hunter2", "hunter2" },
		{ "http://h/p?header=Authorization:Bearer%20hunter2", "hunter2" },
		{ "http://h/p?batch=3&token=hunter2&batch=0", "hunter2" },
	};
	size_t leaked = 0;

	for (size_t i = 0; i < NF_NELEM(t); i++) {
		err[0] = '\0';
		if (sinkurl_parse(t[i].url, &u, err, sizeof(err)) != NFE_INVAL ||
		    strstr(err, t[i].secret) != NULL ||
		    strstr(err, "***") == NULL) {
			tap_diag("%s: %s", t[i].url, err);
			leaked++;
		}
	}
	tap_is_int((long long)leaked, 0, "a refused secret is never echoed "
	    "(*** in its place)");
}

static void
test_prefixes(void)
{
	static const char *const good[] = {
		"clickhouse://user@[::1]:8123/db.table?batch=10&create=0",
		"kafka://a:1,b:2/topic?format=protobuf&kafka.acks=all",
		"https://h:8443/x/y?header=A:b&q.z=1&compress=gzip",
	};
	char buf[256];
	size_t silent = 0;

	for (size_t g = 0; g < NF_NELEM(good); g++) {
		size_t n = strlen(good[g]);

		for (size_t k = 0; k <= n; k++) {
			memcpy(buf, good[g], k);
			buf[k] = '\0';
			err[0] = '\0';
			if (sinkurl_parse(buf, &u, err, sizeof(err)) !=
			    NFE_OK && err[0] == '\0')
				silent++;
		}
	}
	tap_is_int((long long)silent, 0, "every prefix parses or is "
	    "refused with a message");
	{
		char longurl[SINKURL_MAX_LEN + 64];

		memset(longurl, 'a', sizeof(longurl) - 1);
		longurl[sizeof(longurl) - 1] = '\0';
		memcpy(longurl, "http://h/", 9);
		tap_ok(sinkurl_parse(longurl, &u, err, sizeof(err)) ==
		    NFE_INVAL && strstr(err, "longer than") != NULL,
		    "an overlong URL is refused");
	}
}

int
main(void)
{
	tap_plan(12);
	test_forms();
	test_refusals();
	test_redaction();
	test_prefixes();
	return tap_done();
}
