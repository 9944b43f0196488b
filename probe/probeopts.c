/*
 * probe/probeopts.c -- flowprobe's option table, the checks of every
 * value and --check's printout (probe/probeopts.h).  Nothing here opens
 * a capture or a socket: the same code checks a file reloaded by a
 * running probe.
 */
#include "common/base/compat.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/base/nferr.h"
#include "probe/flowtable.h"
#include "probe/probeopts.h"
#include "probe/xfields.h"

#define V	OPTCONF_VALUE
#define F	OPTCONF_FLAG

const struct optconf_opt probeopts_table[] = {
	{ "interface", 'i', 0, V, 0 },
	{ "read", 'r', 0, V, 0 },
	{ "collector", 'n', 0, V, OPTCONF_REPEAT },
	{ "export-version", 'v', 0, V, 0 },
	{ "biflow", 'b', 0, F, 0 },
	{ "export-fields", 'x', 0, V, 0 },
	{ "datagram-size", 'M', 0, V, 0 },
	{ "domain", 'O', 0, V, 0 },
	{ "template-refresh", 'R', 0, V, 0 },
	{ "max-rate", 'Q', 0, V, 0 },
	{ "dump", 'd', 0, F, 0 },
	{ "timeout", 't', 0, V, OPTCONF_REPEAT | OPTCONF_RELOAD },
	{ "track-level", 'T', 0, V, 0 },
	{ "max-flows", 'm', 0, V, 0 },
	{ "sampling", 's', 0, V, 0 },
	{ "capture-buffer", 'B', 0, V, 0 },
	{ "no-promisc", 'N', 0, F, 0 },
	{ "filter", PROBEOPT_FILTER, 0, V, 0 },
	{ "control", 'c', 0, V, 0 },
	{ "daemon", 'D', 0, F, 0 },
	{ "pidfile", 'P', 0, V, 0 },
	{ "user", 'u', 0, V, 0 },
	{ "config", 'C', 0, V, OPTCONF_NOFILE },
	{ "check", PROBEOPT_CHECK, 0, F, OPTCONF_NOFILE },
	{ "help", 'h', 0, F, OPTCONF_NOFILE },
	{ "version", 'V', 0, F, OPTCONF_NOFILE },
};
const size_t probeopts_ntable = NF_NELEM(probeopts_table);

void
probeopts_init(struct probeopts *o)
{
	memset(o, 0, sizeof(*o));
	meter_conf_init(&o->mconf);
	export_conf_init(&o->xconf);
	o->cconf.promisc = true;
	o->sampling = 1;
}

void
probeopts_fini(struct probeopts *o)
{
	free(o->filter);
	o->filter = NULL;
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

static int
num(const char *s, uint64_t min, uint64_t max, uint64_t *out, char *err,
    size_t errlen)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (*s < '0' || *s > '9' || *end != '\0' || errno != 0 || v < min ||
	    v > max)
		return bad(err, errlen, "%s: expected a number from %" PRIu64
		    " to %" PRIu64, s, min, max);
	*out = v;
	return NFE_OK;
}

/* -R N[,T]: template refresh every N datagrams and every T. */
static int
refresh(struct export_conf *xc, const char *s, char *err, size_t errlen)
{
	char buf[64], *comma;
	uint64_t ms, n;

	if (strlen(s) >= sizeof(buf))
		return bad(err, errlen, "%s: too long", s);
	strcpy(buf, s);
	if ((comma = strchr(buf, ',')) != NULL) {
		*comma = '\0';
		if (meter_parse_time(comma + 1, &ms) != NFE_OK || ms == 0 ||
		    ms > UINT32_MAX)
			return bad(err, errlen, "%s: bad time \"%s\"", s,
			    comma + 1);
		xc->tmpl_ms = ms;
	}
	if (num(buf, 1, UINT32_MAX, &n, err, errlen) != NFE_OK)
		return NFE_INVAL;
	xc->tmpl_pkts = (uint32_t)n;
	return NFE_OK;
}

int
probeopts_apply(void *arg, const struct optconf_item *it, char *err,
    size_t errlen)
{
	struct probeopts *o = arg;
	const char *s = it->value;
	char host[256], port[64];
	uint64_t v;

	switch (it->opt->id) {
	case 'B':
		if (num(s, 1, INT_MAX, &v, err, errlen) != NFE_OK)
			return NFE_INVAL;
		o->cconf.bufsize = (int)v;
		return NFE_OK;
	case 'b':
		o->biflow = optconf_flag(it);
		return NFE_OK;
	case 'c':
		o->ctl_path = s;
		return NFE_OK;
	case 'd':
		o->dump = optconf_flag(it);
		return NFE_OK;
	case 'D':
		o->daemonize = optconf_flag(it);
		return NFE_OK;
	case 'i':
		o->cconf.iface = s;
		return NFE_OK;
	case 'm':
		if (num(s, 1, FLOWTABLE_MAX_FLOWS, &v, err, errlen) != NFE_OK)
			return NFE_INVAL;
		o->mconf.max_flows = (uint32_t)v;
		return NFE_OK;
	case 'M':
		if (num(s, EXPORT_MIN_SIZE, EXPORT_MAX_SIZE, &v, err,
		    errlen) != NFE_OK)
			return NFE_INVAL;
		o->xconf.max_size = (size_t)v;
		return NFE_OK;
	case 'n':
		if (o->xconf.ndests == EXPORT_MAX_DESTS)
			return bad(err, errlen, "at most %d destinations",
			    EXPORT_MAX_DESTS);
		if (export_parse_dest(s, host, sizeof(host), port,
		    sizeof(port), err, errlen) != NFE_OK)
			return NFE_INVAL;
		o->xconf.dests[o->xconf.ndests++] = s;
		return NFE_OK;
	case 'N':
		o->cconf.promisc = !optconf_flag(it);
		return NFE_OK;
	case 'O':
		if (num(s, 0, UINT32_MAX, &v, err, errlen) != NFE_OK)
			return NFE_INVAL;
		o->xconf.domain = (uint32_t)v;
		return NFE_OK;
	case 'P':
		o->pid_path = s;
		return NFE_OK;
	case 'Q':
		if (num(s, 0, 1000000000, &v, err, errlen) != NFE_OK)
			return NFE_INVAL;
		o->xconf.rate = (uint32_t)v;
		return NFE_OK;
	case 'R':
		return refresh(&o->xconf, s, err, errlen);
	case 'r':
		o->cconf.file = s;
		return NFE_OK;
	case 's':
		if (num(s, 1, UINT32_MAX, &v, err, errlen) != NFE_OK)
			return NFE_INVAL;
		o->sampling = (uint32_t)v;
		return NFE_OK;
	case 't':
		return meter_conf_set(&o->mconf, s, err, errlen);
	case 'T':
		if (strcmp(s, "full") == 0)
			o->mconf.level = FLOWKEY_FULL;
		else if (strcmp(s, "proto") == 0)
			o->mconf.level = FLOWKEY_PROTO;
		else if (strcmp(s, "ip") == 0)
			o->mconf.level = FLOWKEY_IP;
		else
			return bad(err, errlen, "%s: expected full, proto or "
			    "ip", s);
		return NFE_OK;
	case 'u':
		o->user = s;
		return NFE_OK;
	case 'v':
		if (strcmp(s, "5") != 0 && strcmp(s, "9") != 0 &&
		    strcmp(s, "10") != 0)
			return bad(err, errlen, "%s: expected 5, 9 or 10", s);
		o->xconf.version = atoi(s);
		return NFE_OK;
	case 'x':
		return xfields_parse(s, &o->xfields, err, errlen);
	case PROBEOPT_FILTER:
		o->filter_key = s;
		return NFE_OK;
	case PROBEOPT_CHECK:
		o->check = true;
		return NFE_OK;
	case 'C':		/* read by main before the file */
	case 'h':
	case 'V':
		return NFE_OK;
	default:
		return bad(err, errlen, "not handled (a row without a case "
		    "in probeopts_apply)");
	}
}

/* The operands joined by blanks, in newly allocated memory, or NULL. */
static char *
join_args(int argc, char **argv)
{
	size_t len = 1;
	char *s;

	for (int i = 0; i < argc; i++)
		len += strlen(argv[i]) + 1;
	if ((s = malloc(len)) == NULL)
		return NULL;
	s[0] = '\0';
	for (int i = 0; i < argc; i++) {
		if (i > 0)
			strcat(s, " ");
		strcat(s, argv[i]);
	}
	return s;
}

int
probeopts_finish(struct probeopts *o, int argc, char **argv, char *err,
    size_t errlen)
{
	free(o->filter);
	o->filter = NULL;
	if (argc > 0)
		o->filter = join_args(argc, argv);
	else if (o->filter_key != NULL)
		o->filter = strdup(o->filter_key);
	if ((argc > 0 || o->filter_key != NULL) && o->filter == NULL)
		return NFE_NOMEM;
	o->cconf.filter = o->filter;
	if ((o->cconf.iface == NULL) == (o->cconf.file == NULL))
		return bad(err, errlen, "give exactly one of -i interface and "
		    "-r file");
	if (o->daemonize && o->cconf.file != NULL)
		return bad(err, errlen, "-D: only with -i (a file is read in "
		    "the foreground)");
	o->mconf.sampling = o->sampling;
	o->xconf.sampling = o->sampling;
	/* biflows only where the export carries them: IPFIX (RFC 5103);
	   v5 and v9 keep their two unidirectional records */
	o->mconf.biflow = o->biflow && o->xconf.version == 10;
	o->xconf.biflow = o->mconf.biflow;
	if (o->xfields != 0 && o->xconf.version == 5)
		return bad(err, errlen, "-x (export-fields): NetFlow v5 has "
		    "no place for extra fields; export v9 or IPFIX (-v 9, "
		    "-v 10)");
	o->mconf.extras = o->xfields != 0;
	o->xconf.nextra = xfields_enc(o->xfields, o->xconf.extra,
	    NF_NELEM(o->xconf.extra));
	return NFE_OK;
}

static void
print_opt(FILE *out, const char *key, const char *v)
{
	if (v != NULL)
		fprintf(out, "%s = %s\n", key, v);
	else
		fprintf(out, "# %s: none\n", key);
}

void
probeopts_print(const struct probeopts *o, FILE *out)
{
	static const char *const cls[EXP_NCLASS] = { "tcp", "tcp.rst",
	    "tcp.fin", "udp", "icmp", "general" };
	static const char *const level[] = { "full", "proto", "ip" };
	const struct meter_conf *m = &o->mconf;
	const struct export_conf *x = &o->xconf;

	print_opt(out, "interface", o->cconf.iface);
	print_opt(out, "read", o->cconf.file);
	if (x->ndests == 0)
		fprintf(out, "# collector: none\n");
	for (size_t i = 0; i < x->ndests; i++)
		fprintf(out, "collector = %s\n", x->dests[i]);
	fprintf(out, "export-version = %d\n", x->version);
	fprintf(out, "biflow = %s\n", o->biflow ? "yes" : "no");
	fputs("export-fields = ", out);
	xfields_print(o->xfields, out);
	fputc('\n', out);
	fprintf(out, "datagram-size = %zu\n", x->max_size);
	fprintf(out, "domain = %" PRIu32 "\n", x->domain);
	fprintf(out, "template-refresh = %" PRIu32 ",%" PRIu64 "s\n",
	    x->tmpl_pkts, x->tmpl_ms / 1000);
	fprintf(out, "max-rate = %" PRIu32 "\n", x->rate);
	fprintf(out, "dump = %s\n", o->dump ? "yes" : "no");
	for (int i = 0; i < EXP_NCLASS; i++)
		fprintf(out, "timeout = %s=%" PRIu64 "s\n", cls[i],
		    m->idle_ms[i] / 1000);
	fprintf(out, "timeout = active=%" PRIu64 "s\n", m->active_ms / 1000);
	fprintf(out, "timeout = expint=%" PRIu64 "s\n", m->interval_ms / 1000);
	fprintf(out, "track-level = %s\n", (unsigned)m->level <
	    NF_NELEM(level) ? level[m->level] : "?");
	fprintf(out, "max-flows = %" PRIu32 "\n", m->max_flows);
	fprintf(out, "sampling = %" PRIu32 "\n", o->sampling);
	if (o->cconf.bufsize != 0)
		fprintf(out, "capture-buffer = %d\n", o->cconf.bufsize);
	else
		fprintf(out, "# capture-buffer: %d (the default)\n",
		    CAPTURE_BUFSIZE);
	fprintf(out, "no-promisc = %s\n", o->cconf.promisc ? "no" : "yes");
	print_opt(out, "filter", o->filter);
	print_opt(out, "control", o->ctl_path);
	fprintf(out, "daemon = %s\n", o->daemonize ? "yes" : "no");
	print_opt(out, "pidfile", o->pid_path);
	print_opt(out, "user", o->user);
}
