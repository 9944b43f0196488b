/*
 * sink/sinkurl.c -- parse a --sink URL (sink/sinkurl.h, flowkit-sink(7)).
 *
 * The URL is split into scheme, authority (user and hosts), path and
 * query; each part is checked on its own so that a refusal can name
 * it.  Nothing here reads the environment or a file, and no secret is
 * ever accepted: the parameters that point at one (password_env,
 * header_file, ...) only hold names.
 */
#include "common/base/compat.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/base/nferr.h"
#include "sink/sinkurl.h"

static int NF_PRINTF(4, 5)
bad(const struct sinkurl *u, char *err, size_t errlen, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (err != NULL && errlen > 0)
		snprintf(err, errlen, "%s: %s", u->text, msg);
	return NFE_INVAL;
}

const char *
sinkurl_kind_name(enum sink_kind k)
{
	switch (k) {
	case SINK_CLICKHOUSE:
		return "clickhouse";
	case SINK_KAFKA:
		return "kafka";
	case SINK_HTTP:
		return "http";
	}
	return "?";
}

const char *
sinkurl_format_name(enum sink_format f)
{
	switch (f) {
	case SINK_FMT_ROWBINARY:
		return "rowbinary";
	case SINK_FMT_NDJSON:
		return "ndjson";
	case SINK_FMT_PROTOBUF:
		return "protobuf";
	}
	return "?";
}

/* Percent-decode s[0..n) into dst (cap bytes incl. NUL).  -1 on a bad
 * escape, -2 if it does not fit, -3 for an encoded NUL. */
static int
decode(const char *s, size_t n, char *dst, size_t cap)
{
	size_t o = 0;

	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (c == '%') {
			char hex[3];
			long v;

			if (i + 2 >= n)
				return -1;
			if (!isxdigit((unsigned char)s[i + 1]) ||
			    !isxdigit((unsigned char)s[i + 2]))
				return -1;
			hex[0] = s[i + 1];
			hex[1] = s[i + 2];
			hex[2] = '\0';
			v = strtol(hex, NULL, 16);
			if (v == 0)
				return -3;
			c = (char)v;
			i += 2;
		}
		if (o + 1 >= cap)
			return -2;
		dst[o++] = c;
	}
	dst[o] = '\0';
	return 0;
}

static bool
is_ident(const char *s)
{
	if (!(isalpha((unsigned char)*s) || *s == '_'))
		return false;
	for (; *s != '\0'; s++)
		if (!(isalnum((unsigned char)*s) || *s == '_'))
			return false;
	return true;
}

/* Kafka topic names: 1..249 of [A-Za-z0-9._-]. */
static bool
is_topic(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 249)
		return false;
	for (; *s != '\0'; s++)
		if (!(isalnum((unsigned char)*s) || *s == '.' || *s == '_' ||
		    *s == '-'))
			return false;
	return true;
}

static bool
is_name(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > SINKURL_NAME_MAX)
		return false;
	for (; *s != '\0'; s++)
		if (!(isalnum((unsigned char)*s) || *s == '.' || *s == '_' ||
		    *s == '-'))
			return false;
	return true;
}

/* A name's characters, others made '_' (derived sink names). */
static void
name_append(char *dst, size_t cap, const char *s)
{
	size_t o = strlen(dst);

	for (; *s != '\0' && o + 1 < cap; s++)
		dst[o++] = isalnum((unsigned char)*s) || *s == '.' ||
		    *s == '-' ? *s : '_';
	dst[o] = '\0';
}

/* Host name or address: letters, digits, '.', '-', '_'; v6 in []. */
static int
parse_host(struct sinkurl *u, const char *s, size_t n, uint16_t defport,
    struct sinkurl_host *h, char *err, size_t errlen)
{
	const char *port = NULL;
	size_t hl;
	char *end;
	unsigned long v;
	char pbuf[8];

	if (n == 0)
		return bad(u, err, errlen, "empty host");
	if (s[0] == '[') {
		const char *rb = memchr(s, ']', n);

		if (rb == NULL)
			return bad(u, err, errlen, "host '%.*s': missing ]",
			    (int)n, s);
		hl = (size_t)(rb - s) - 1;
		if (hl == 0 || hl >= sizeof(h->name))
			return bad(u, err, errlen, "host '%.*s': bad address",
			    (int)n, s);
		memcpy(h->name, s + 1, hl);
		h->name[hl] = '\0';
		for (size_t i = 0; i < hl; i++)
			if (!(isxdigit((unsigned char)h->name[i]) ||
			    h->name[i] == ':' || h->name[i] == '.'))
				return bad(u, err, errlen, "host '%.*s': not "
				    "an IPv6 address", (int)n, s);
		if ((size_t)(rb - s) + 1 < n) {
			if (rb[1] != ':')
				return bad(u, err, errlen, "host '%.*s': "
				    "expected :PORT after ]", (int)n, s);
			port = rb + 2;
		}
	} else {
		const char *c = memchr(s, ':', n);

		hl = c != NULL ? (size_t)(c - s) : n;
		if (hl == 0)
			return bad(u, err, errlen, "host '%.*s': empty name",
			    (int)n, s);
		if (hl >= sizeof(h->name))
			return bad(u, err, errlen, "host '%.*s': too long",
			    (int)n, s);
		memcpy(h->name, s, hl);
		h->name[hl] = '\0';
		for (size_t i = 0; i < hl; i++)
			if (!(isalnum((unsigned char)h->name[i]) ||
			    h->name[i] == '.' || h->name[i] == '-' ||
			    h->name[i] == '_'))
				return bad(u, err, errlen, "host '%.*s': bad "
				    "character '%c'", (int)n, s, h->name[i]);
		if (c != NULL)
			port = c + 1;
	}
	h->port = defport;
	if (port != NULL) {
		size_t pl = (size_t)(s + n - port);

		if (pl == 0 || pl >= sizeof(pbuf))
			return bad(u, err, errlen, "port '%.*s': expected "
			    "1..65535", (int)pl, port);
		memcpy(pbuf, port, pl);
		pbuf[pl] = '\0';
		v = strtoul(pbuf, &end, 10);
		if (*end != '\0' || !isdigit((unsigned char)pbuf[0]) ||
		    v < 1 || v > 65535)
			return bad(u, err, errlen, "port '%s': expected "
			    "1..65535", pbuf);
		h->port = (uint16_t)v;
	}
	return NFE_OK;
}

static int
parse_authority(struct sinkurl *u, const char *s, size_t n, char *err,
    size_t errlen)
{
	const char *at = NULL, *p, *end = s + n;
	uint16_t defport;

	for (p = s; p < end; p++)
		if (*p == '@')
			at = p;
	if (at != NULL) {
		if (memchr(s, ':', (size_t)(at - s)) != NULL)
			return bad(u, err, errlen, "a password in the URL is "
			    "refused (command lines are visible to every "
			    "user): give user=NAME and password_env=VARIABLE "
			    "or password_file=PATH");
		if (at == s)
			return bad(u, err, errlen, "empty user name before @");
		if (decode(s, (size_t)(at - s), u->user, sizeof(u->user)) != 0)
			return bad(u, err, errlen, "user '%.*s': bad "
			    "encoding or too long", (int)(at - s), s);
		if (u->kind == SINK_HTTP)
			return bad(u, err, errlen, "user@ is not used by http "
			    "sinks: send credentials with header_env= or "
			    "header_file=");
		s = at + 1;
		n = (size_t)(end - s);
	}
	if (n == 0)
		return bad(u, err, errlen, "no host");
	defport = u->kind == SINK_CLICKHOUSE ? 8123 : u->kind == SINK_KAFKA ?
	    9092 : u->tls ? 443 : 80;
	p = s;
	while (p <= end) {
		const char *c = memchr(p, ',', (size_t)(end - p));
		size_t hl = c != NULL ? (size_t)(c - p) : (size_t)(end - p);
		int rc;

		if (u->nhosts > 0 && u->kind != SINK_KAFKA)
			return bad(u, err, errlen, "one host only (a list of "
			    "hosts is for kafka brokers)");
		if (u->nhosts >= SINKURL_MAX_HOSTS)
			return bad(u, err, errlen, "at most %d brokers",
			    SINKURL_MAX_HOSTS);
		rc = parse_host(u, p, hl, defport, &u->hosts[u->nhosts], err,
		    errlen);
		if (rc != NFE_OK)
			return rc;
		u->nhosts++;
		if (c == NULL)
			break;
		p = c + 1;
	}
	return NFE_OK;
}

static int
parse_path(struct sinkurl *u, const char *s, size_t n, char *err,
    size_t errlen)
{
	char buf[1024], *dot;

	if (u->kind == SINK_HTTP) {
		if (n == 0) {
			strcpy(u->path, "/");
			return NFE_OK;
		}
		if (n >= sizeof(u->path))
			return bad(u, err, errlen, "path too long");
		memcpy(u->path, s, n);
		u->path[n] = '\0';
		for (size_t i = 0; i < n; i++)
			if ((unsigned char)s[i] <= ' ' || s[i] == '#')
				return bad(u, err, errlen, "path '%.*s': "
				    "character %u not allowed", (int)n, s,
				    (unsigned char)s[i]);
		return NFE_OK;
	}
	if (n <= 1 || decode(s + 1, n - 1, buf, sizeof(buf)) != 0)
		return bad(u, err, errlen, "%s", u->kind == SINK_KAFKA ?
		    "expected /TOPIC after the brokers" :
		    "expected /DATABASE.TABLE after the host");
	if (u->kind == SINK_KAFKA) {
		if (!is_topic(buf))
			return bad(u, err, errlen, "topic '%s': 1..249 of "
			    "A-Z a-z 0-9 . _ -", buf);
		snprintf(u->topic, sizeof(u->topic), "%s", buf);
		return NFE_OK;
	}
	if ((dot = strchr(buf, '.')) == NULL)
		return bad(u, err, errlen, "'%s': expected DATABASE.TABLE",
		    buf);
	*dot = '\0';
	if (!is_ident(buf) || strlen(buf) >= sizeof(u->database))
		return bad(u, err, errlen, "database '%s': expected a name "
		    "of letters, digits and _", buf);
	if (!is_ident(dot + 1) || strlen(dot + 1) >= sizeof(u->table))
		return bad(u, err, errlen, "table '%s': expected a name of "
		    "letters, digits and _", dot + 1);
	snprintf(u->database, sizeof(u->database), "%s", buf);
	snprintf(u->table, sizeof(u->table), "%s", dot + 1);
	return NFE_OK;
}

static int
num(struct sinkurl *u, const char *name, const char *v, unsigned long min,
    unsigned long max, uint32_t *out, char *err, size_t errlen)
{
	char *end;
	unsigned long x;

	if (!isdigit((unsigned char)v[0]))
		return bad(u, err, errlen, "%s=%s: expected a number %lu..%lu",
		    name, v, min, max);
	x = strtoul(v, &end, 10);
	if (*end != '\0' || x < min || x > max)
		return bad(u, err, errlen, "%s=%s: expected a number %lu..%lu",
		    name, v, min, max);
	*out = (uint32_t)x;
	return NFE_OK;
}

static int
boolean(struct sinkurl *u, const char *name, const char *v, bool *out,
    char *err, size_t errlen)
{
	if (strcmp(v, "1") == 0 || strcasecmp(v, "yes") == 0 ||
	    strcasecmp(v, "true") == 0)
		*out = true;
	else if (strcmp(v, "0") == 0 || strcasecmp(v, "no") == 0 ||
	    strcasecmp(v, "false") == 0)
		*out = false;
	else
		return bad(u, err, errlen, "%s=%s: expected 1 or 0", name, v);
	return NFE_OK;
}

/* Would this name or value carry a credential? */
static bool
secretish(const char *s)
{
	static const char *const words[] = { "password", "passwd", "secret",
	    "token", "auth", "cookie", "apikey", "api-key", "api_key" };
	char low[256];
	size_t i;

	for (i = 0; s[i] != '\0' && i + 1 < sizeof(low); i++)
		low[i] = (char)tolower((unsigned char)s[i]);
	low[i] = '\0';
	for (i = 0; i < NF_NELEM(words); i++)
		if (strstr(low, words[i]) != NULL)
			return true;
	return false;
}

static int
set_path_param(struct sinkurl *u, const char *name, const char *v,
    size_t cap, char *dst, char *err, size_t errlen)
{
	if (v[0] == '\0')
		return bad(u, err, errlen, "%s=: empty", name);
	if (strlen(v) >= cap)
		return bad(u, err, errlen, "%s: too long", name);
	memcpy(dst, v, strlen(v) + 1);
	return NFE_OK;
}

static int
header_param(struct sinkurl *u, const char *v, char *err, size_t errlen)
{
	const char *c = strchr(v, ':');
	struct sinkurl_kv *h;
	size_t nl;

	if (c == NULL || c == v)
		return bad(u, err, errlen, "header=%s: expected Name:value",
		    v);
	nl = (size_t)(c - v);
	if (u->nheaders >= SINKURL_MAX_HEADERS)
		return bad(u, err, errlen, "at most %d header= parameters",
		    SINKURL_MAX_HEADERS);
	h = &u->headers[u->nheaders];
	if (nl >= sizeof(h->name) || strlen(c + 1) >= sizeof(h->value))
		return bad(u, err, errlen, "header=%s: too long", v);
	memcpy(h->name, v, nl);
	h->name[nl] = '\0';
	for (size_t i = 0; i < nl; i++)
		if (!(isalnum((unsigned char)h->name[i]) || h->name[i] == '-' ||
		    h->name[i] == '_'))
			return bad(u, err, errlen, "header=%s: bad character "
			    "in the name", v);
	if (secretish(h->name))
		return bad(u, err, errlen, "header %s carries a credential: "
		    "it is refused on the command line; put it in "
		    "header_env=VARIABLE or header_file=PATH", h->name);
	c++;
	while (*c == ' ')
		c++;
	snprintf(h->value, sizeof(h->value), "%s", c);
	for (const char *p = h->value; *p != '\0'; p++)
		if ((unsigned char)*p < ' ')
			return bad(u, err, errlen, "header=%s: control "
			    "character in the value", v);
	u->nheaders++;
	return NFE_OK;
}

static int
prop_param(struct sinkurl *u, const char *name, const char *v, char *err,
    size_t errlen)
{
	struct sinkurl_kv *p;

	if (name[0] == '\0')
		return bad(u, err, errlen, "empty property name");
	if (secretish(name))
		return bad(u, err, errlen, "%s carries a secret: it is "
		    "refused on the command line; use password_env= or "
		    "password_file= (SASL password)", name);
	if (u->nprops >= SINKURL_MAX_PROPS)
		return bad(u, err, errlen, "at most %d pass-through settings",
		    SINKURL_MAX_PROPS);
	p = &u->props[u->nprops];
	if (strlen(name) >= sizeof(p->name) || strlen(v) >= sizeof(p->value))
		return bad(u, err, errlen, "%s: too long", name);
	snprintf(p->name, sizeof(p->name), "%s", name);
	snprintf(p->value, sizeof(p->value), "%s", v);
	u->nprops++;
	return NFE_OK;
}

static int
format_param(struct sinkurl *u, const char *v, char *err, size_t errlen)
{
	if (strcmp(v, "rowbinary") == 0 && u->kind == SINK_CLICKHOUSE)
		u->format = SINK_FMT_ROWBINARY;
	else if (strcmp(v, "ndjson") == 0 && u->kind != SINK_CLICKHOUSE)
		u->format = SINK_FMT_NDJSON;
	else if (strcmp(v, "protobuf") == 0 && u->kind == SINK_KAFKA)
		u->format = SINK_FMT_PROTOBUF;
	else
		return bad(u, err, errlen, "format=%s: %s sinks take %s", v,
		    sinkurl_kind_name(u->kind), u->kind == SINK_CLICKHOUSE ?
		    "rowbinary" : u->kind == SINK_KAFKA ? "ndjson or protobuf" :
		    "ndjson");
	return NFE_OK;
}

static int
compress_param(struct sinkurl *u, const char *v, char *err, size_t errlen)
{
	static const struct {
		const char	*name;
		enum sink_compress c;
		bool		 kafka_only;
	} t[] = {
		{ "none", SINK_COMP_NONE, false },
		{ "gzip", SINK_COMP_GZIP, false },
		{ "lz4", SINK_COMP_LZ4, true },
		{ "zstd", SINK_COMP_ZSTD, true },
		{ "snappy", SINK_COMP_SNAPPY, true },
	};

	for (size_t i = 0; i < NF_NELEM(t); i++) {
		if (strcmp(v, t[i].name) != 0)
			continue;
		if (t[i].kafka_only && u->kind != SINK_KAFKA)
			break;
		u->compress = t[i].c;
		return NFE_OK;
	}
	return bad(u, err, errlen, "compress=%s: %s sinks take %s", v,
	    sinkurl_kind_name(u->kind), u->kind == SINK_KAFKA ?
	    "none, gzip, lz4, zstd or snappy" : "none or gzip");
}

/* One name=value pair (both decoded). */
static int
param(struct sinkurl *u, const char *name, const char *v, char *err,
    size_t errlen)
{
	enum sink_kind k = u->kind;
	int rc;

	if (strcmp(name, "name") == 0) {
		if (!is_name(v))
			return bad(u, err, errlen, "name=%s: 1..%d of A-Z a-z "
			    "0-9 . _ -", v, SINKURL_NAME_MAX);
		snprintf(u->name, sizeof(u->name), "%s", v);
	} else if (strcmp(name, "format") == 0) {
		return format_param(u, v, err, errlen);
	} else if (strcmp(name, "batch") == 0) {
		return num(u, name, v, 1, SINKURL_MAX_BATCH, &u->batch, err,
		    errlen);
	} else if (strcmp(name, "interval") == 0) {
		return num(u, name, v, 0, 600000, &u->interval_ms, err, errlen);
	} else if (strcmp(name, "timeout") == 0) {
		rc = num(u, name, v, 1, 3600, &u->timeout_ms, err, errlen);
		u->timeout_ms *= 1000;
		return rc;
	} else if (strcmp(name, "lag") == 0) {
		return num(u, name, v, 0, 30 * 86400, &u->lag_warn_s, err,
		    errlen);
	} else if (strcmp(name, "compress") == 0) {
		return compress_param(u, v, err, errlen);
	} else if (strcmp(name, "create") == 0 && k == SINK_CLICKHOUSE) {
		return boolean(u, name, v, &u->create, err, errlen);
	} else if (strcmp(name, "delimited") == 0 && k == SINK_KAFKA) {
		return boolean(u, name, v, &u->delimited, err, errlen);
	} else if (strcmp(name, "key") == 0 && k == SINK_KAFKA) {
		if (strcmp(v, "none") == 0)
			u->key = SINK_KEY_NONE;
		else if (strcmp(v, "exporter") == 0)
			u->key = SINK_KEY_EXPORTER;
		else if (strcmp(v, "src") == 0)
			u->key = SINK_KEY_SRC;
		else
			return bad(u, err, errlen, "key=%s: expected none, "
			    "exporter or src", v);
	} else if (strcmp(name, "acks") == 0 && k == SINK_KAFKA) {
		if (strcmp(v, "all") == 0 || strcmp(v, "-1") == 0)
			u->acks = -1;
		else if (strcmp(v, "1") == 0 || strcmp(v, "0") == 0)
			u->acks = v[0] - '0';
		else
			return bad(u, err, errlen, "acks=%s: expected all, 1 "
			    "or 0", v);
	} else if (strcmp(name, "user") == 0 && k != SINK_HTTP) {
		return set_path_param(u, name, v, sizeof(u->user), u->user,
		    err, errlen);
	} else if (strcmp(name, "password_env") == 0 && k != SINK_HTTP) {
		return set_path_param(u, name, v, sizeof(u->password_env),
		    u->password_env, err, errlen);
	} else if (strcmp(name, "password_file") == 0 && k != SINK_HTTP) {
		return set_path_param(u, name, v, sizeof(u->password_file),
		    u->password_file, err, errlen);
	} else if (strcmp(name, "header") == 0 && k == SINK_HTTP) {
		return header_param(u, v, err, errlen);
	} else if (strcmp(name, "header_env") == 0 && k == SINK_HTTP) {
		return set_path_param(u, name, v, sizeof(u->header_env),
		    u->header_env, err, errlen);
	} else if (strcmp(name, "header_file") == 0 && k == SINK_HTTP) {
		return set_path_param(u, name, v, sizeof(u->header_file),
		    u->header_file, err, errlen);
	} else if (strncmp(name, "kafka.", 6) == 0 && k == SINK_KAFKA) {
		return prop_param(u, name + 6, v, err, errlen);
	} else if (secretish(name)) {
		return bad(u, err, errlen, "%s=: secrets are refused on the "
		    "command line: use %s", name, k == SINK_HTTP ?
		    "header_env=VARIABLE or header_file=PATH" :
		    "password_env=VARIABLE or password_file=PATH");
	} else {
		return bad(u, err, errlen, "unknown parameter '%s' for %s "
		    "sinks (flowkit-sink(7))", name, sinkurl_kind_name(k));
	}
	return NFE_OK;
}

/*
 * http: a parameter q.NAME=VALUE goes to the target URL's own query
 * (encoding kept as given).
 */
static int
target_query(struct sinkurl *u, const char *raw, size_t n, bool *first,
    char *err, size_t errlen)
{
	size_t pl = strlen(u->path);

	if (pl + n + 2 >= sizeof(u->path))
		return bad(u, err, errlen, "path and q. parameters too long");
	u->path[pl++] = *first && strchr(u->path, '?') == NULL ? '?' : '&';
	memcpy(u->path + pl, raw, n);
	u->path[pl + n] = '\0';
	*first = false;
	return NFE_OK;
}

static int
parse_query(struct sinkurl *u, const char *s, char *err, size_t errlen)
{
	char name[160], value[1024];
	bool first = true;

	while (*s != '\0') {
		const char *amp = strchr(s, '&');
		size_t n = amp != NULL ? (size_t)(amp - s) : strlen(s);
		const char *eq = memchr(s, '=', n);
		int rc;

		if (n == 0) {
			s++;
			continue;
		}
		if (eq == NULL)
			return bad(u, err, errlen, "parameter '%.*s': expected "
			    "name=value", (int)n, s);
		if (decode(s, (size_t)(eq - s), name, sizeof(name)) != 0)
			return bad(u, err, errlen, "parameter '%.*s': bad "
			    "name", (int)(eq - s), s);
		if (u->kind == SINK_HTTP && strncmp(name, "q.", 2) == 0) {
			if (secretish(name + 2))
				return bad(u, err, errlen, "%s: secrets are "
				    "refused on the command line: use "
				    "header_env= or header_file=", name);
			rc = target_query(u, s + 2, n - 2, &first, err, errlen);
		} else {
			if (decode(eq + 1, (size_t)(s + n - eq - 1), value,
			    sizeof(value)) != 0)
				return bad(u, err, errlen, "%s=: bad encoding "
				    "or too long", name);
			rc = param(u, name, value, err, errlen);
		}
		if (rc != NFE_OK)
			return rc;
		s += n;
		if (*s == '&')
			s++;
	}
	return NFE_OK;
}

/*
 * Copy the URL for messages with what would be a secret replaced by
 * ***: a password before @, and the value of a parameter (or of a
 * header= parameter) whose name suggests a credential.  Refusals then
 * never echo the secret they refuse.
 */
static void
redact(const char *s, char *dst, size_t cap)
{
	const char *auth = strstr(s, "://"), *at, *colon;
	char *q;
	size_t o = 0, n;

	dst[0] = '\0';
	if (auth == NULL) {
		snprintf(dst, cap, "%s", s);
		return;
	}
	auth += 3;
	n = strcspn(auth, "/?#");
	at = memchr(auth, '@', n);
	colon = at != NULL ? memchr(auth, ':', (size_t)(at - auth)) : NULL;
	if (colon != NULL)
		o = (size_t)snprintf(dst, cap, "%.*s:***%s", (int)(colon - s),
		    s, at);
	else
		o = (size_t)snprintf(dst, cap, "%s", s);
	if (o >= cap || (q = strchr(dst, '?')) == NULL)
		return;
	for (char *p = q + 1; *p != '\0';) {
		char *amp = p + strcspn(p, "&"), *eq = memchr(p, '=',
		    (size_t)(amp - p));
		char name[160];
		size_t nl;

		if (eq != NULL) {
			nl = (size_t)(eq - p) < sizeof(name) - 1 ?
			    (size_t)(eq - p) : sizeof(name) - 1;
			memcpy(name, p, nl);
			name[nl] = '\0';
			if ((secretish(name) && strstr(name, "_env") == NULL &&
			    strstr(name, "_file") == NULL) ||
			    (strcmp(name, "header") == 0 &&
			    secretish(eq + 1))) {
				memmove(eq + 4, amp, strlen(amp) + 1);
				if ((size_t)(eq + 4 - dst) + strlen(eq + 4) <
				    cap)
					memcpy(eq + 1, "***", 3);
				amp = eq + 4;
			}
		}
		p = *amp == '&' ? amp + 1 : amp;
	}
}

static void
defaults(struct sinkurl *u)
{
	u->create = true;
	u->delimited = true;
	u->acks = -1;
	u->timeout_ms = 30000;
	u->lag_warn_s = 60;
	switch (u->kind) {
	case SINK_CLICKHOUSE:
		u->format = SINK_FMT_ROWBINARY;
		u->batch = 100000;
		u->interval_ms = 1000;
		break;
	case SINK_KAFKA:
		u->format = SINK_FMT_NDJSON;
		u->batch = 100000;
		u->interval_ms = 200;
		break;
	case SINK_HTTP:
		u->format = SINK_FMT_NDJSON;
		u->batch = 10000;
		u->interval_ms = 1000;
		break;
	}
}

static void
derive_name(struct sinkurl *u)
{
	char port[8];

	snprintf(u->name, sizeof(u->name), "%s-", sinkurl_kind_name(u->kind));
	switch (u->kind) {
	case SINK_CLICKHOUSE:
		name_append(u->name, sizeof(u->name), u->database);
		name_append(u->name, sizeof(u->name), ".");
		name_append(u->name, sizeof(u->name), u->table);
		break;
	case SINK_KAFKA:
		name_append(u->name, sizeof(u->name), u->topic);
		break;
	case SINK_HTTP:
		snprintf(port, sizeof(port), "-%u", u->hosts[0].port);
		name_append(u->name, sizeof(u->name), u->hosts[0].name);
		name_append(u->name, sizeof(u->name), port);
		if (strcmp(u->path, "/") != 0) {
			char path[sizeof(u->path)];

			snprintf(path, sizeof(path), "%.*s",
			    (int)strcspn(u->path, "?"), u->path);
			name_append(u->name, sizeof(u->name), path);
		}
		break;
	}
}

int
sinkurl_parse(const char *s, struct sinkurl *u, char *err, size_t errlen)
{
	static const struct {
		const char	*scheme;
		enum sink_kind	 kind;
		bool		 tls;
	} schemes[] = {
		{ "clickhouse://", SINK_CLICKHOUSE, false },
		{ "kafka://", SINK_KAFKA, false },
		{ "http://", SINK_HTTP, false },
		{ "https://", SINK_HTTP, true },
	};
	const char *p = NULL, *auth, *path, *query;
	size_t i;
	int rc;

	memset(u, 0, sizeof(*u));
	if (strlen(s) >= sizeof(u->text)) {
		snprintf(u->text, sizeof(u->text), "%.60s...", s);
		return bad(u, err, errlen, "longer than %d bytes",
		    SINKURL_MAX_LEN - 1);
	}
	redact(s, u->text, sizeof(u->text));
	for (i = 0; i < strlen(s); i++)
		if ((unsigned char)s[i] <= ' ')
			return bad(u, err, errlen, "space or control "
			    "character at offset %zu", i);
	for (i = 0; i < NF_NELEM(schemes); i++) {
		size_t n = strlen(schemes[i].scheme);

		if (strncasecmp(s, schemes[i].scheme, n) == 0) {
			u->kind = schemes[i].kind;
			u->tls = schemes[i].tls;
			p = s + n;
			break;
		}
	}
	if (p == NULL) {
		const char *c = strstr(s, "://");

		if (c == NULL)
			return bad(u, err, errlen, "expected SCHEME://..., "
			    "with clickhouse, kafka, http or https");
		return bad(u, err, errlen, "scheme '%.*s': expected "
		    "clickhouse, kafka, http or https", (int)(c - s), s);
	}
	defaults(u);
	auth = p;
	path = auth + strcspn(auth, "/?#");
	if (*path == '#')
		return bad(u, err, errlen, "a #fragment has no meaning here");
	if ((rc = parse_authority(u, auth, (size_t)(path - auth), err,
	    errlen)) != NFE_OK)
		return rc;
	query = path + strcspn(path, "?#");
	if (*query == '#' || strchr(query, '#') != NULL)
		return bad(u, err, errlen, "a #fragment has no meaning here");
	if ((rc = parse_path(u, path, (size_t)(query - path), err, errlen)) !=
	    NFE_OK)
		return rc;
	if (*query == '?' &&
	    (rc = parse_query(u, query + 1, err, errlen)) != NFE_OK)
		return rc;
	if (u->user[0] != '\0' && u->kind == SINK_HTTP)
		return bad(u, err, errlen, "user is not used by http sinks");
	if (u->password_env[0] != '\0' && u->password_file[0] != '\0')
		return bad(u, err, errlen, "password_env and password_file: "
		    "give one");
	if (u->header_env[0] != '\0' && u->header_file[0] != '\0')
		return bad(u, err, errlen, "header_env and header_file: give "
		    "one");
	if (u->name[0] == '\0')
		derive_name(u);
	return NFE_OK;
}
