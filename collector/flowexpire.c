/*
 * collector/flowexpire.c -- flowexpire: delete the oldest completed
 * flowcapd files until a directory is within a size and/or age limit.
 *
 *   flowexpire [-C file] -l dir [-s size] [-t age] [-w percent] [-n] [-v]
 *
 * Meant to run from flowcapd's -x, from cron or from flowexpire.timer
 * (-C /etc/flowkit/flowcapd.conf: the directory and the expire-* limits
 * from flowcapd's configuration file); it never touches the file
 * flowcapd is writing (*.current) or the template file.
 */
#include "common/base/compat.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "collector/capopts.h"
#include "collector/fileexpire.h"
#include "common/base/nferr.h"
#include "common/prog/optconf.h"
#include "common/prog/version.h"

/*
 * The keys match flowcapd's (collector/capopts.c), so that one
 * flowcapd.conf holds the collector's settings and these limits.
 */
static const struct optconf_opt table[] = {
	{ "dir", 'l', 'e', OPTCONF_VALUE, 0 },
	{ "expire-size", 's', 0, OPTCONF_VALUE, 0 },
	{ "expire-age", 't', 0, OPTCONF_VALUE, 0 },
	{ "expire-watermark", 'w', 0, OPTCONF_VALUE, 0 },
	{ "dry-run", 'n', 0, OPTCONF_FLAG, 0 },
	{ "verbose", 'v', 0, OPTCONF_FLAG, 0 },
	{ "config", 'C', 0, OPTCONF_VALUE, OPTCONF_NOFILE },
	{ "help", 'h', 0, OPTCONF_FLAG, OPTCONF_NOFILE },
	{ "version", 'V', 0, OPTCONF_FLAG, OPTCONF_NOFILE },
};

struct expire_opts {
	struct fileexpire_conf c;
	const char	*dir;		/* borrowed */
	bool		 verbose;
};

static NF_NORETURN void
usage(int status)
{
	fprintf(status ? stderr : stdout,
"usage: flowexpire [-C file] [-l dir] [-s size] [-t age] [-w percent]\n"
"                  [-n | --dry-run] [-v] [-hV]\n"
"  -C, --config FILE           read dir and the expire-* limits from\n"
"                              flowcapd's configuration file\n"
"  -l, --dir DIR               data directory (also -e, as nfexpire)\n"
"  -s, --expire-size SIZE      keep at most this much: K M G T (powers of\n"
"                              1024), B optional\n"
"  -t, --expire-age AGE        keep files whose interval began at most this\n"
"                              long ago: w d h m s (hours if no unit)\n"
"  -w, --expire-watermark PCT  when over the size limit, delete down to this\n"
"                              %% (default 95)\n"
"  -n, --dry-run               print what would be removed, remove nothing\n"
"  -v, --verbose               print every file removed\n"
"  -h, --help / -V, --version\n");
	exit(status);
}

static NF_NORETURN NF_PRINTF(2, 3) void
die(int status, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "flowexpire: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	exit(status);
}

static int
apply(void *arg, const struct optconf_item *it, char *err, size_t errlen)
{
	struct expire_opts *o = arg;
	char *end;
	unsigned long v;

	switch (it->opt->id) {
	case 'l':
		o->dir = it->value;
		return NFE_OK;
	case 'n':
		o->c.dry_run = optconf_flag(it);
		return NFE_OK;
	case 's':
		if (fileexpire_parse_size(it->value, &o->c.max_bytes) !=
		    NFE_OK) {
			snprintf(err, errlen, "'%s': expected a size such as "
			    "500M or 10G", it->value);
			return NFE_INVAL;
		}
		return NFE_OK;
	case 't':
		if (fileexpire_parse_age(it->value, &o->c.max_age_s) !=
		    NFE_OK) {
			snprintf(err, errlen, "'%s': expected an age such as "
			    "7d, 12h or 2w", it->value);
			return NFE_INVAL;
		}
		return NFE_OK;
	case 'v':
		o->verbose = optconf_flag(it);
		return NFE_OK;
	case 'w':
		v = strtoul(it->value, &end, 10);
		if (*end != '\0' || it->value[0] < '0' || it->value[0] > '9' ||
		    v < 1 || v > 100) {
			snprintf(err, errlen, "'%s': expected 1..100",
			    it->value);
			return NFE_INVAL;
		}
		o->c.watermark = (unsigned)v;
		return NFE_OK;
	default:
		return NFE_OK;
	}
}

static void
report(void *arg, const char *path, uint64_t size, int64_t slot, int err)
{
	const struct expire_opts *o = arg;

	(void)slot;
	if (err != 0)
		fprintf(stderr, "flowexpire: %s: %s\n", path, strerror(err));
	else if (o->c.dry_run || o->verbose)
		printf("%s %s (%" PRIu64 " bytes)\n", o->c.dry_run ?
		    "would remove" : "removed", path, size);
}

int
main(int argc, char **argv)
{
	struct optconf oc;
	struct expire_opts o;
	struct fileexpire_result res;
	const struct optconf_item *bad = NULL;
	const char *conf = NULL;
	char err[1024];
	int first, rc;

	memset(&o, 0, sizeof(o));
	o.c.watermark = CAPOPTS_DEF_WATERMARK;
	optconf_init(&oc, table, NF_NELEM(table));
	optconf_share(&oc, capopts_table, capopts_ntable);
	if ((rc = optconf_argv(&oc, argc, argv, &first, err, sizeof(err))) !=
	    NFE_OK) {
		fprintf(stderr, "flowexpire: %s\n", rc == NFE_NOMEM ?
		    "out of memory" : err);
		usage(1);
	}
	for (size_t i = 0; i < oc.n; i++) {
		if (oc.items[i].opt->id == 'h')
			usage(0);
		if (oc.items[i].opt->id == 'V') {
			version_print(stdout, "flowexpire");
			return 0;
		}
		if (oc.items[i].opt->id == 'C')
			conf = oc.items[i].value;
	}
	if (first < argc)
		die(1, "unexpected argument '%s'", argv[first]);
	if (conf != NULL && (rc = optconf_read(&oc, conf, true, err,
	    sizeof(err))) != NFE_OK)
		die(rc == NFE_NOMEM ? 1 : OPTCONF_EXIT_FILE, "%s", err);
	if (optconf_apply(&oc, apply, &o, &bad, err, sizeof(err)) != NFE_OK)
		die(optconf_exit_status(bad), "%s", err);
	if (o.dir == NULL) {
		fprintf(stderr, "flowexpire: -l: a data directory is "
		    "required\n");
		usage(1);
	}
	if (o.c.max_bytes == 0 && o.c.max_age_s == 0) {
		if (conf != NULL) {
			/* the timer runs whether limits are set or not */
			printf("%s: no expire-size or expire-age in %s: nothing "
			    "to do\n", o.dir, conf);
			optconf_fini(&oc);
			return 0;
		}
		die(1, "give a limit: -s size and/or -t age");
	}
	o.c.now_s = (int64_t)time(NULL);
	if (fileexpire_run(o.dir, &o.c, report, &o, &res) != NFE_OK)
		die(1, "%s: %s", o.dir, strerror(errno));
	printf("%s: %zu files, %" PRIu64 " bytes; %s %zu files, %" PRIu64
	    " bytes; %zu errors\n", o.dir, res.files, res.bytes,
	    o.c.dry_run ? "would remove" : "removed", res.removed,
	    res.removed_bytes, res.errors);
	optconf_fini(&oc);
	return res.errors > 0 ? 1 : 0;
}
