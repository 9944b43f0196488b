/*
 * collector/capopts.c -- flowcapd's option table, the checks of every
 * value, --check's printout and the SIGHUP reload of what may change
 * while collecting (collector/capopts.h).  Nothing here opens a socket
 * or touches the data directory: the same code checks a file reloaded
 * by a running collector.
 */
#include "common/base/compat.h"

#include <sys/stat.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collector/capopts.h"
#include "collector/fileexpire.h"
#include "collector/spoolname.h"
#include "common/base/nferr.h"
#include "common/ffile/ffile.h"
#include "common/ffile/zcodec.h"
#include "common/prog/daemon.h"
#include "common/prog/log.h"

#define V	OPTCONF_VALUE
#define F	OPTCONF_FLAG
#define REP	OPTCONF_REPEAT
#define RLD	OPTCONF_RELOAD

const struct optconf_opt capopts_table[] = {
	{ "dir", 'l', 'w', V, 0 },
	{ "port", 'p', 0, V, 0 },
	{ "sflow-port", CAPOPT_SFLOW_PORT, 0, V, 0 },
	{ "bind", 'b', 0, V, REP },
	{ "ipv4", '4', 0, F, 0 },
	{ "ipv6", '6', 0, F, 0 },
	{ "rcvbuf", 'B', 0, V, 0 },
	{ "workers", 'W', 0, V, 0 },
	{ "rotate", 't', 0, V, 0 },
	{ "subdirs", 'S', 0, V, RLD },
	{ "compress", 'z', 0, V, RLD },
	{ "ident", 'I', 0, V, RLD },
	{ "exec", 'x', 0, V, RLD },
	{ "sampling", 's', 0, V, RLD },
	{ "allow", 'A', 0, V, REP },
	{ "repeat", 'R', 0, V, REP },
	{ "daemon", 'D', 0, F, 0 },
	{ "pidfile", 'P', 0, V, 0 },
	{ "user", 'u', 0, V, 0 },
	{ "flush", 'F', 0, V, RLD },
	{ "queue", 'Q', 0, V, 0 },
	{ "hold", 'H', 0, V, 0 },
	{ "control", 'c', 0, V, 0 },
	{ "max-exporters", CAPOPT_MAX_EXPORTERS, 0, V, 0 },
	{ "verbose", 'v', 0, F, REP | RLD },
	{ "expire-size", CAPOPT_EXPIRE_SIZE, 0, V, OPTCONF_NOARGV | RLD },
	{ "expire-age", CAPOPT_EXPIRE_AGE, 0, V, OPTCONF_NOARGV | RLD },
	{ "expire-watermark", CAPOPT_EXPIRE_WATERMARK, 0, V,
	    OPTCONF_NOARGV | RLD },
	{ "radius-acct", CAPOPT_RADIUS_ACCT, 0, V, REP },
	{ "radius-secret", CAPOPT_RADIUS_SECRET, 0, V, 0 },
	{ "sessions", CAPOPT_SESSIONS, 0, V, REP },
	{ "session-timeout", CAPOPT_SESSION_TIMEOUT, 0, V, 0 },
	{ "session-keep", CAPOPT_SESSION_KEEP, 0, V, 0 },
	{ "max-sessions", CAPOPT_MAX_SESSIONS, 0, V, 0 },
	{ "max-nat-mappings", CAPOPT_MAX_NAT, 0, V, 0 },
	{ "sink", CAPOPT_SINK, 0, V, REP },
	{ "sink-drain", CAPOPT_SINK_DRAIN, 0, V, 0 },
	{ "inside", CAPOPT_INSIDE, 0, V, REP },
	{ "geoip", CAPOPT_GEOIP, 0, V, 0 },
	{ "asn-db", CAPOPT_ASN_DB, 0, V, 0 },
	{ "config", 'C', 0, V, OPTCONF_NOFILE },
	{ "check", CAPOPT_CHECK, 0, F, OPTCONF_NOFILE },
	{ "help", 'h', 0, F, OPTCONF_NOFILE },
	{ "version", 'V', 0, F, OPTCONF_NOFILE },
};
const size_t capopts_ntable = NF_NELEM(capopts_table);

void
capopts_init(struct capopts *o)
{
	memset(o, 0, sizeof(*o));
	o->port = CAPOPTS_DEF_PORT;
	o->sflow_port = -1;
	o->queue = CAPOPTS_DEF_QUEUE;
	o->cc.nworkers = CAPOPTS_DEF_WORKERS;
	o->rcvbuf = CAPOPTS_DEF_RCVBUF;
	o->cc.spool.interval = CAPOPTS_DEF_INTERVAL;
	o->cc.spool.codec = ZC_LZ4;
	o->cc.spool.hold_max = SPOOL_DEF_HOLD;
	o->expire_watermark = CAPOPTS_DEF_WATERMARK;
	o->sink_drain = CAPOPTS_DEF_SINK_DRAIN;
	sessdb_conf_default(&o->sc.db);
	o->sc.db.keep_ms = (uint64_t)SESSIONS_DEF_KEEP_S * 1000;
	o->sc.max_nat = NATMAP_DEF_MAX_MAPS;
}

void
capopts_fini(struct capopts *o)
{
	free(o->pidfile);
	free(o->ctl_path);
	free(o->secret);
	free(o->geoip);
	free(o->asn_db);
	for (size_t i = 0; i < o->sc.nfiles; i++)
		free(o->sess_files[i]);
	o->sc.nfiles = 0;
	o->pidfile = o->ctl_path = o->secret = NULL;
	o->geoip = o->asn_db = NULL;
}

static NF_PRINTF(3, 4) int
bad(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return NFE_INVAL;
}

/* Unsigned number, with a k/m/g suffix (powers of 1024) if suffix. */
static int
num(const char *s, uint64_t min, uint64_t max, bool suffix, uint64_t *out,
    char *err, size_t errlen)
{
	char *end;
	unsigned long long v;

	errno = 0;
	if (*s < '0' || *s > '9')
		return bad(err, errlen, "'%s' is not a number", s);
	v = strtoull(s, &end, 10);
	if (suffix && *end != '\0' && end[1] == '\0') {
		unsigned shift = 0;

		switch (*end) {
		case 'k': case 'K': shift = 10; break;
		case 'm': case 'M': shift = 20; break;
		case 'g': case 'G': shift = 30; break;
		default: break;
		}
		if (shift != 0) {
			v = v > ULLONG_MAX >> shift ? ULLONG_MAX : v << shift;
			end++;
		}
	}
	if (errno != 0 || *end != '\0')
		return bad(err, errlen, "'%s' is not a number", s);
	if (v < min || v > max)
		return bad(err, errlen, "%s is out of range %" PRIu64 "..%"
		    PRIu64, s, min, max);
	*out = v;
	return NFE_OK;
}

/*
 * -R host[:port], [v6]:port, host/port (nfcapd's form); default port
 * 9995.  Checked only: main opens the sockets (capopts_repeater_addr).
 */
static int
check_repeater(const char *arg, char *err, size_t errlen)
{
	struct sockaddr_storage ss;

	return capopts_repeater_addr(arg, &ss, err, errlen);
}

int
capopts_repeater_addr(const char *arg, struct sockaddr_storage *ss,
    char *err, size_t errlen)
{
	char host[256], *p;
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;
	uint64_t port = CAPOPTS_DEF_PORT;
	const char *portstr = NULL;

	if (strlen(arg) >= sizeof(host))
		return bad(err, errlen, "'%s' is too long", arg);
	strcpy(host, arg);
	if (host[0] == '[') {
		if ((p = strchr(host, ']')) == NULL)
			return bad(err, errlen, "'%s': missing ]", arg);
		*p = '\0';
		memmove(host, host + 1, strlen(host + 1) + 1);
		if (p[1] == ':')
			portstr = arg + (p - host) + 3;
		else if (p[1] != '\0')
			return bad(err, errlen, "'%s': expected [addr]:port",
			    arg);
	} else if ((p = strchr(host, '/')) != NULL ||
	    ((p = strchr(host, ':')) != NULL && strchr(p + 1, ':') == NULL)) {
		*p = '\0';
		portstr = arg + (p - host) + 1;
	}
	if (portstr != NULL && num(portstr, 1, 65535, false, &port, err,
	    errlen) != NFE_OK)
		return NFE_INVAL;
	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, host, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons((uint16_t)port);
	} else if (inet_pton(AF_INET6, host, &sin6->sin6_addr) == 1) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons((uint16_t)port);
	} else {
		return bad(err, errlen, "'%s' is not a numeric address", host);
	}
	return NFE_OK;
}

/* A path made absolute now: the process later works in the data dir. */
static int
abs_path(const char *path, char **out, char *err, size_t errlen)
{
	char *p;

	if (path[0] == '\0')
		return bad(err, errlen, "empty path");
	if ((p = daemon_abspath(path)) == NULL)
		return bad(err, errlen, "out of memory");
	free(*out);
	*out = p;
	return NFE_OK;
}

static int
check_exec(const char *cmd, char *err, size_t errlen)
{
	struct spool_vars v = { "", "", 0, 300, "" };
	char tmp[8192];

	if (spool_expand(cmd, &v, tmp, sizeof(tmp)) == NFE_INVAL)
		return bad(err, errlen, "unknown %% placeholder in '%s' (use "
		    "%%f %%d %%t %%u %%i %%%%)", cmd);
	return NFE_OK;
}

/*
 * A --sink URL: checked now (flowkit-sink(7)); two sinks may not share
 * a name, which names their cursors.
 */
static int
add_sink(struct capopts *o, const char *s, char *err, size_t errlen)
{
	struct sinkurl *u;
	int rc = NFE_OK;

	if (o->nsinks >= SINKRUN_MAX)
		return bad(err, errlen, "at most %d sinks", SINKRUN_MAX);
	if ((u = malloc(sizeof(*u))) == NULL)
		return bad(err, errlen, "out of memory");
	if (sinkurl_parse(s, u, err, errlen) != NFE_OK)
		rc = NFE_INVAL;
	for (size_t i = 0; i < o->nsinks && rc == NFE_OK; i++)
		if (strcmp(o->sink_names[i], u->name) == 0)
			rc = bad(err, errlen, "%s: a second sink named %s: give "
			    "each a name= of its own (it names its cursor "
			    "file)", u->text, u->name);
	if (rc == NFE_OK) {
		snprintf(o->sink_names[o->nsinks], sizeof(o->sink_names[0]),
		    "%s", u->name);
		o->sinks[o->nsinks++] = s;
	}
	free(u);
	return rc;
}

int
capopts_apply(void *arg, const struct optconf_item *it, char *err,
    size_t errlen)
{
	struct capopts *o = arg;
	struct collect_conf *cc = &o->cc;
	const char *s = it->value;
	uint64_t v;

	switch (it->opt->id) {
	case '4':
	case '6':
		if (!optconf_flag(it))
			return NFE_OK;
		if (o->naddrs >= LISTEN_MAX_ADDRS)
			return bad(err, errlen, "at most %d addresses",
			    LISTEN_MAX_ADDRS);
		o->addrs[o->naddrs++] = it->opt->id == '4' ? "0.0.0.0" : "::";
		return NFE_OK;
	case 'A':
		if (o->nacl >= WORKER_MAX_ACL)
			return bad(err, errlen, "at most %d prefixes",
			    WORKER_MAX_ACL);
		if (prefix_parse(s, false, &o->acl[o->nacl]) != NFE_OK)
			return bad(err, errlen, "'%s' is not an address or "
			    "prefix (host bits must be zero)", s);
		o->nacl++;
		return NFE_OK;
	case 'B':
		if (num(s, 1024, INT_MAX, true, &v, err, errlen) != NFE_OK)
			return NFE_INVAL;
		o->rcvbuf = (int)v;
		return NFE_OK;
	case 'b':
		if (o->naddrs >= LISTEN_MAX_ADDRS)
			return bad(err, errlen, "at most %d addresses",
			    LISTEN_MAX_ADDRS);
		o->addrs[o->naddrs++] = s;
		return NFE_OK;
	case 'c':
		return abs_path(s, &o->ctl_path, err, errlen);
	case 'D':
		o->daemon = optconf_flag(it);
		return NFE_OK;
	case 'F':
		if (num(s, 1, 60, false, &v, err, errlen) != NFE_OK)
			return NFE_INVAL;
		cc->flush_ms = (unsigned)v * 1000;
		o->flush_given = true;
		return NFE_OK;
	case 'H':
		return num(s, 0, UINT64_MAX, true, &cc->spool.hold_max, err,
		    errlen);
	case 'I':
		if (strlen(s) > FFILE_IDENT_MAX)
			return bad(err, errlen, "longer than %d bytes",
			    FFILE_IDENT_MAX);
		cc->spool.ident = s;
		return NFE_OK;
	case 'l':
		o->dir_arg = s;
		return NFE_OK;
	case 'P':
		return abs_path(s, &o->pidfile, err, errlen);
	case 'p':
		if (num(s, 0, 65535, false, &v, err, errlen) != NFE_OK)
			return NFE_INVAL;
		o->port = (uint16_t)v;
		return NFE_OK;
	case CAPOPT_SFLOW_PORT:
		if (num(s, 0, 65535, false, &v, err, errlen) != NFE_OK)
			return NFE_INVAL;
		o->sflow_port = (int32_t)v;
		return NFE_OK;
	case 'Q':
		if (num(s, FQ_MIN_BYTES, FQ_MAX_BYTES, true, &v, err,
		    errlen) != NFE_OK)
			return NFE_INVAL;
		o->queue = (size_t)v;
		return NFE_OK;
	case 'W':
		if (num(s, 1, LISTEN_MAX_WORKERS, false, &v, err, errlen) !=
		    NFE_OK)
			return NFE_INVAL;
		cc->nworkers = (size_t)v;
		return NFE_OK;
	case 'R':
		if (o->nrepeat >= COLLECT_MAX_REPEAT)
			return bad(err, errlen, "at most %d repeaters",
			    COLLECT_MAX_REPEAT);
		if (check_repeater(s, err, errlen) != NFE_OK)
			return NFE_INVAL;
		o->repeat[o->nrepeat++] = s;
		return NFE_OK;
	case 'S':
		if (num(s, 0, SPOOL_MAX_LAYOUT, false, &v, err, errlen) !=
		    NFE_OK)
			return NFE_INVAL;
		cc->spool.layout = (unsigned)v;
		return NFE_OK;
	case 's':
		cc->sampling_force = s[0] == '-';
		if (num(s + cc->sampling_force, 1, UINT32_MAX, false, &v, err,
		    errlen) != NFE_OK)
			return NFE_INVAL;
		cc->sampling = (uint32_t)v;
		return NFE_OK;
	case 't':
		if (num(s, SPOOL_MIN_INTERVAL, SPOOL_MAX_INTERVAL, false, &v,
		    err, errlen) != NFE_OK)
			return NFE_INVAL;
		cc->spool.interval = (unsigned)v;
		return NFE_OK;
	case 'u':
		o->user = s;
		return NFE_OK;
	case 'v':
		o->verbose += optconf_flag(it);
		return NFE_OK;
	case 'x':
		if (check_exec(s, err, errlen) != NFE_OK)
			return NFE_INVAL;
		cc->spool.xcmd = s;
		return NFE_OK;
	case 'z':
		if (zcodec_parse(s, &cc->spool.codec, &cc->spool.level) !=
		    NFE_OK)
			return bad(err, errlen, "'%s': expected lz4[:1..12], "
			    "zlib[:1..9] or none", s);
		return NFE_OK;
	case CAPOPT_MAX_EXPORTERS:
		if (num(s, 1, EXPORTER_MAX_LIMIT, false, &v, err, errlen) !=
		    NFE_OK)
			return NFE_INVAL;
		cc->max_exporters = (size_t)v;
		return NFE_OK;
	case CAPOPT_CHECK:
		o->check = true;
		return NFE_OK;
	case CAPOPT_EXPIRE_SIZE:
		if (fileexpire_parse_size(s, &o->expire_size) != NFE_OK)
			return bad(err, errlen, "'%s': expected a size such as "
			    "500M or 10G", s);
		return NFE_OK;
	case CAPOPT_EXPIRE_AGE:
		if (fileexpire_parse_age(s, &o->expire_age) != NFE_OK)
			return bad(err, errlen, "'%s': expected an age such as "
			    "7d, 12h or 2w", s);
		return NFE_OK;
	case CAPOPT_EXPIRE_WATERMARK:
		if (num(s, 1, 100, false, &v, err, errlen) != NFE_OK)
			return NFE_INVAL;
		o->expire_watermark = (unsigned)v;
		return NFE_OK;
	case CAPOPT_RADIUS_ACCT:
		if (o->sc.nradius >= RADRECV_MAX_SOCKS)
			return bad(err, errlen, "at most %d", RADRECV_MAX_SOCKS);
		o->sc.radius[o->sc.nradius++] = s;
		return NFE_OK;
	case CAPOPT_RADIUS_SECRET:
		if (abs_path(s, &o->secret, err, errlen) != NFE_OK)
			return NFE_INVAL;
		o->sc.secret_file = o->secret;
		return NFE_OK;
	case CAPOPT_SESSIONS:
		if (o->sc.nfiles >= SESSIONS_MAX_FILES)
			return bad(err, errlen, "at most %d", SESSIONS_MAX_FILES);
		o->sess_files[o->sc.nfiles] = NULL;
		if (abs_path(s, &o->sess_files[o->sc.nfiles], err, errlen) !=
		    NFE_OK)
			return NFE_INVAL;
		o->sc.files[o->sc.nfiles] = o->sess_files[o->sc.nfiles];
		o->sc.nfiles++;
		return NFE_OK;
	case CAPOPT_SESSION_TIMEOUT:
		if (num(s, 1, UINT32_MAX, false, &v, err, errlen) != NFE_OK)
			return NFE_INVAL;
		o->sc.db.timeout_ms = v * 1000;
		return NFE_OK;
	case CAPOPT_SESSION_KEEP:
		if (num(s, 0, UINT32_MAX, false, &v, err, errlen) != NFE_OK)
			return NFE_INVAL;
		o->sc.db.keep_ms = v * 1000;
		return NFE_OK;
	case CAPOPT_MAX_SESSIONS:
		if (num(s, 1, UINT32_MAX - 1, false, &v, err, errlen) != NFE_OK)
			return NFE_INVAL;
		o->sc.db.max_sessions = (size_t)v;
		return NFE_OK;
	case CAPOPT_MAX_NAT:
		if (num(s, 1, UINT32_MAX - 1, false, &v, err, errlen) != NFE_OK)
			return NFE_INVAL;
		o->sc.max_nat = (size_t)v;
		return NFE_OK;
	case CAPOPT_SINK:
		return add_sink(o, s, err, errlen);
	case CAPOPT_SINK_DRAIN:
		if (num(s, 0, 3600, false, &v, err, errlen) != NFE_OK)
			return NFE_INVAL;
		o->sink_drain = (unsigned)v;
		return NFE_OK;
	case CAPOPT_GEOIP:
		return abs_path(s, &o->geoip, err, errlen);
	case CAPOPT_ASN_DB:
		return abs_path(s, &o->asn_db, err, errlen);
	case CAPOPT_INSIDE:
		if (o->sc.ninside >= SESSJOIN_MAX_INSIDE)
			return bad(err, errlen, "at most %d", SESSJOIN_MAX_INSIDE);
		if (prefix_parse(s, false, &o->sc.inside[o->sc.ninside]) !=
		    NFE_OK)
			return bad(err, errlen, "'%s': expected a prefix such "
			    "as 100.64.0.0/10 or 2001:db8::/32", s);
		o->sc.ninside++;
		return NFE_OK;
	case 'C':		/* read by main before the file */
	case 'h':
	case 'V':
		return NFE_OK;
	default:
		return bad(err, errlen, "not handled (a row without a case "
		    "in capopts_apply)");
	}
}

int
capopts_finish(struct capopts *o, char *err, size_t errlen, char *warn,
    size_t warnlen)
{
	struct stat st;
	unsigned s = o->cc.spool.interval;

	warn[0] = '\0';
	if (o->dir_arg == NULL)
		return bad(err, errlen, "a data directory is required (-l dir, "
		    "or 'dir' in the configuration file)");
	if (strlen(o->dir_arg) >= sizeof(o->dir) ||
	    realpath(o->dir_arg, o->dir) == NULL)
		return bad(err, errlen, "%s: %s", o->dir_arg, strerror(errno));
	if (stat(o->dir, &st) == -1 || !S_ISDIR(st.st_mode))
		return bad(err, errlen, "%s: not a directory", o->dir_arg);
	o->cc.spool.dir = o->dir;
	o->sc.dir = o->dir;
	if (86400 % s != 0 && s % 86400 != 0)
		snprintf(warn, warnlen, "rotate %u does not divide a day: slots "
		    "align to the Unix epoch", s);
	/* sinks see blocks once written: write them every second */
	if (o->nsinks > 0 && !o->flush_given)
		o->cc.flush_ms = CAPOPTS_SINK_FLUSH_MS;
	else if (o->nsinks > 0 && o->cc.flush_ms > 2000 && warn[0] == '\0')
		snprintf(warn, warnlen, "flush %u: sinks get flows up to %u s "
		    "after they arrive (the default with a sink is 1)",
		    o->cc.flush_ms / 1000, o->cc.flush_ms / 1000 + 1);
	return NFE_OK;
}

static void
print_size(FILE *out, const char *key, uint64_t v)
{
	if (v != 0 && v % (1 << 30) == 0)
		fprintf(out, "%s = %" PRIu64 "G\n", key, v >> 30);
	else if (v != 0 && v % (1 << 20) == 0)
		fprintf(out, "%s = %" PRIu64 "M\n", key, v >> 20);
	else if (v != 0 && v % (1 << 10) == 0)
		fprintf(out, "%s = %" PRIu64 "K\n", key, v >> 10);
	else
		fprintf(out, "%s = %" PRIu64 "\n", key, v);
}

/* Seconds in the largest unit that divides them (w d h m s). */
static void
print_age(FILE *out, const char *key, uint64_t s)
{
	static const struct { char unit; uint64_t secs; } u[] = {
		{ 'w', 604800 }, { 'd', 86400 }, { 'h', 3600 }, { 'm', 60 },
	};

	for (size_t i = 0; i < NF_NELEM(u); i++) {
		if (s % u[i].secs == 0) {
			fprintf(out, "%s = %" PRIu64 "%c\n", key, s / u[i].secs,
			    u[i].unit);
			return;
		}
	}
	fprintf(out, "%s = %" PRIu64 "s\n", key, s);
}

void
capopts_print(const struct capopts *o, FILE *out)
{
	const struct collect_conf *cc = &o->cc;
	char buf[INET6_ADDRSTRLEN + 8];

	fprintf(out, "dir = %s\n", o->dir);
	fprintf(out, "port = %u\n", (unsigned)o->port);
	if (o->sflow_port >= 0)
		fprintf(out, "sflow-port = %d\n", (int)o->sflow_port);
	else
		fprintf(out, "# sflow-port: none (sFlow is recognised on "
		    "port)\n");
	fprintf(out, "# ipv4, ipv6: shown as bind = 0.0.0.0 and bind = ::\n");
	if (o->naddrs == 0)
		fprintf(out, "# bind: none (both families, wildcard)\n");
	for (size_t i = 0; i < o->naddrs; i++)
		fprintf(out, "bind = %s\n", o->addrs[i]);
	print_size(out, "rcvbuf", (uint64_t)o->rcvbuf);
	fprintf(out, "workers = %zu\n", cc->nworkers);
	fprintf(out, "rotate = %u\n", cc->spool.interval);
	fprintf(out, "subdirs = %u\n", cc->spool.layout);
	if (cc->spool.level != 0)
		fprintf(out, "compress = %s:%d\n", zcodec_name(cc->spool.codec),
		    cc->spool.level);
	else
		fprintf(out, "compress = %s\n", zcodec_name(cc->spool.codec));
	if (cc->spool.ident != NULL)
		fprintf(out, "ident = %s\n", cc->spool.ident);
	else
		fprintf(out, "# ident: none\n");
	if (cc->spool.xcmd != NULL)
		fprintf(out, "exec = %s\n", cc->spool.xcmd);
	else
		fprintf(out, "# exec: none\n");
	if (cc->sampling != 0)
		fprintf(out, "sampling = %s%" PRIu32 "\n", cc->sampling_force ?
		    "-" : "", cc->sampling);
	else
		fprintf(out, "# sampling: as announced\n");
	if (o->nacl == 0)
		fprintf(out, "# allow: every exporter\n");
	for (size_t i = 0; i < o->nacl; i++) {
		addr_format(&o->acl[i].addr, buf, sizeof(buf));
		fprintf(out, "allow = %s/%u\n", buf, (unsigned)o->acl[i].len);
	}
	if (o->nrepeat == 0)
		fprintf(out, "# repeat: none\n");
	for (size_t i = 0; i < o->nrepeat; i++)
		fprintf(out, "repeat = %s\n", o->repeat[i]);
	fprintf(out, "daemon = %s\n", o->daemon ? "yes" : "no");
	fprintf(out, o->pidfile != NULL ? "pidfile = %s\n" :
	    "# pidfile: none\n", o->pidfile);
	fprintf(out, o->user != NULL ? "user = %s\n" : "# user: none\n",
	    o->user);
	fprintf(out, "flush = %u\n", cc->flush_ms ? cc->flush_ms / 1000 :
	    COLLECT_FLUSH_MS / 1000);
	print_size(out, "queue", o->queue);
	print_size(out, "hold", cc->spool.hold_max);
	fprintf(out, o->ctl_path != NULL ? "control = %s\n" :
	    "# control: none\n", o->ctl_path);
	fprintf(out, "max-exporters = %zu\n", cc->max_exporters ?
	    cc->max_exporters : (size_t)EXPORTER_MAX);
	fprintf(out, "verbose = %s\n", o->verbose > 0 ? "yes" : "no");
	if (o->expire_size != 0)
		print_size(out, "expire-size", o->expire_size);
	else
		fprintf(out, "# expire-size: none\n");
	if (o->expire_age != 0)
		print_age(out, "expire-age", o->expire_age);
	else
		fprintf(out, "# expire-age: none\n");
	fprintf(out, "expire-watermark = %u\n", o->expire_watermark);
	if (o->sc.nradius == 0)
		fprintf(out, "# radius-acct: none\n");
	for (size_t i = 0; i < o->sc.nradius; i++)
		fprintf(out, "radius-acct = %s\n", o->sc.radius[i]);
	fprintf(out, o->secret != NULL ? "radius-secret = %s\n" :
	    "# radius-secret: none\n", o->secret);
	if (o->sc.nfiles == 0)
		fprintf(out, "# sessions: none\n");
	for (size_t i = 0; i < o->sc.nfiles; i++)
		fprintf(out, "sessions = %s\n", o->sc.files[i]);
	fprintf(out, "session-timeout = %" PRIu64 "\n",
	    o->sc.db.timeout_ms / 1000);
	fprintf(out, "session-keep = %" PRIu64 "\n", o->sc.db.keep_ms / 1000);
	fprintf(out, "max-sessions = %zu\n", o->sc.db.max_sessions);
	fprintf(out, "max-nat-mappings = %zu\n", o->sc.max_nat);
	if (o->nsinks == 0)
		fprintf(out, "# sink: none\n");
	for (size_t i = 0; i < o->nsinks; i++)
		fprintf(out, "sink = %s\n", o->sinks[i]);
	fprintf(out, "sink-drain = %u\n", o->sink_drain);
	fprintf(out, o->geoip != NULL ? "geoip = %s\n" : "# geoip: none\n",
	    o->geoip);
	fprintf(out, o->asn_db != NULL ? "asn-db = %s\n" :
	    "# asn-db: none\n", o->asn_db);
	if (o->sc.ninside == 0)
		fprintf(out, "# inside: none (every address is inside)\n");
	for (size_t i = 0; i < o->sc.ninside; i++) {
		char pb[ADDR_STRLEN + 8];

		fprintf(out, "inside = %s\n", prefix_format(&o->sc.inside[i],
		    pb, sizeof(pb)));
	}
}

int
capopts_reload(struct capopts *run, const struct capopts *staged,
    const struct optconf_opt *row, struct collect *c, char *err,
    size_t errlen)
{
	switch (row->id) {
	case 'z':
		/* the next file is written with it */
		run->cc.spool.codec = staged->cc.spool.codec;
		run->cc.spool.level = staged->cc.spool.level;
		return NFE_OK;
	case 'I':
		run->cc.spool.ident = staged->cc.spool.ident;
		return NFE_OK;
	case 'S':
		run->cc.spool.layout = staged->cc.spool.layout;
		return NFE_OK;
	case 'x':
		run->cc.spool.xcmd = staged->cc.spool.xcmd;
		return NFE_OK;
	case 's':
		run->cc.sampling = staged->cc.sampling;
		run->cc.sampling_force = staged->cc.sampling_force;
		if (c != NULL)
			worker_set_sampling(c->sh, run->cc.sampling,
			    run->cc.sampling_force);
		return NFE_OK;
	case 'F':
		run->cc.flush_ms = staged->cc.flush_ms;
		return NFE_OK;
	case 'v':
		run->verbose = staged->verbose;
		log_set_level(run->verbose > 0 ? LOG_DEBUG : LOG_INFO);
		return NFE_OK;
	case CAPOPT_EXPIRE_SIZE:
	case CAPOPT_EXPIRE_AGE:
	case CAPOPT_EXPIRE_WATERMARK:
		/* flowexpire reads them from the file at its next run */
		run->expire_size = staged->expire_size;
		run->expire_age = staged->expire_age;
		run->expire_watermark = staged->expire_watermark;
		return NFE_OK;
	default:
		return bad(err, errlen, "no reload case for %s", row->name);
	}
}
