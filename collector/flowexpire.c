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
 *
 * Sinks (flowkit-sink(7)): files at or after the oldest sink cursor in
 * the directory are not delivered yet and are kept even when the limits
 * ask for them; flowexpire then says which sink holds them back and
 * exits 2, so that cron or the timer's status shows it.
 * --expire-undelivered removes them anyway, one line each on stderr
 * naming the loss.  A cursor that cannot be read keeps every file.
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
#include "collector/sinkcursor.h"
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
	{ "expire-undelivered", OPTCONF_LONG_ONLY, 0, OPTCONF_FLAG,
	    OPTCONF_NOFILE },
	{ "config", 'C', 0, OPTCONF_VALUE, OPTCONF_NOFILE },
	{ "help", 'h', 0, OPTCONF_FLAG, OPTCONF_NOFILE },
	{ "version", 'V', 0, OPTCONF_FLAG, OPTCONF_NOFILE },
};

#define EXIT_KEPT	2		/* files kept for a sink */

struct expire_opts {
	struct fileexpire_conf c;
	const char	*dir;		/* borrowed */
	bool		 verbose;
};

/* The sinks' cursors in the directory, and the oldest of them. */
struct cursors {
	int64_t		 oldest;	/* slot; 0: no cursor */
	char		 who[4096];	/* the sinks at the oldest, and
					   where they stand */
	bool		 broken;	/* one could not be read */
};

static NF_NORETURN void
usage(int status)
{
	fprintf(status ? stderr : stdout,
"usage: flowexpire [-C file] [-l dir] [-s size] [-t age] [-w percent]\n"
"                  [-n | --dry-run] [--expire-undelivered] [-v] [-hV]\n"
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
"      --expire-undelivered    also remove files a sink of flowcapd has not\n"
"                              delivered (kept by default; flowkit-sink(7))\n"
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
	case OPTCONF_LONG_ONLY:		/* --expire-undelivered */
		o->c.force = optconf_flag(it);
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
report(void *arg, const char *path, uint64_t size, int64_t slot, int err,
    bool undelivered)
{
	const struct expire_opts *o = arg;

	(void)slot;
	if (err != 0)
		fprintf(stderr, "flowexpire: %s: %s\n", path, strerror(err));
	else if (undelivered)
		fprintf(stderr, "flowexpire: %s %s (%" PRIu64 " bytes) although "
		    "a sink has not delivered it: its flows are lost to that "
		    "sink\n", o->c.dry_run ? "would remove" : "removed", path,
		    size);
	else if (o->c.dry_run || o->verbose)
		printf("%s %s (%" PRIu64 " bytes)\n", o->c.dry_run ?
		    "would remove" : "removed", path, size);
}

static void
one_cursor(void *arg, const char *name, bool ok, const struct sinkcursor *c,
    const char *err)
{
	struct cursors *cs = arg;
	char when[64], line[1400];
	time_t t;
	struct tm tm;
	size_t o;

	if (!ok) {
		fprintf(stderr, "flowexpire: sink %s: %s: every file is kept "
		    "until it is mended or removed\n", name, err);
		cs->broken = true;
		return;
	}
	t = (time_t)(c->updated_ms / 1000);
	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S UTC", &tm) == 0)
		snprintf(when, sizeof(when), "?");
	snprintf(line, sizeof(line), "sink %s (at %s, last moved %s)", name,
	    c->file[0] != '\0' ? c->file : "the start", when);
	if (cs->oldest == 0 || c->slot_s < cs->oldest) {
		cs->oldest = c->slot_s > 0 ? c->slot_s : 1;
		cs->who[0] = '\0';
	}
	if (c->slot_s == cs->oldest || (c->slot_s <= 0 && cs->oldest == 1)) {
		o = strlen(cs->who);
		snprintf(cs->who + o, sizeof(cs->who) - o, "%s%s",
		    o > 0 ? ", " : "", line);
	}
}

int
main(int argc, char **argv)
{
	struct optconf oc;
	struct expire_opts o;
	struct fileexpire_result res;
	struct cursors cs;
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
	memset(&cs, 0, sizeof(cs));
	(void)sinkcursor_each(o.dir, one_cursor, &cs);
	o.c.keep_from = cs.broken ? INT64_MIN + 1 : cs.oldest;
	if (fileexpire_run(o.dir, &o.c, report, &o, &res) != NFE_OK)
		die(1, "%s: %s", o.dir, strerror(errno));
	printf("%s: %zu files, %" PRIu64 " bytes; %s %zu files, %" PRIu64
	    " bytes; %zu errors", o.dir, res.files, res.bytes,
	    o.c.dry_run ? "would remove" : "removed", res.removed,
	    res.removed_bytes, res.errors);
	if (res.kept > 0 || res.undelivered > 0)
		printf("; %zu files (%" PRIu64 " bytes) %s for sinks", res.kept +
		    res.undelivered, res.kept_bytes, res.kept > 0 ? "kept" :
		    "not delivered removed");
	printf("\n");
	if (res.kept > 0) {
		fprintf(stderr, "flowexpire: %s: %zu files (%" PRIu64 " bytes) "
		    "that the limits would remove are kept because they are "
		    "not delivered yet: %s; the directory stays over its "
		    "limits until the sink catches up (or its cursor file "
		    ".flowcapd-sink-NAME.cursor is removed, for a sink that is "
		    "gone), or run with --expire-undelivered\n", o.dir, res.kept,
		    res.kept_bytes, cs.broken ? "a sink cursor cannot be "
		    "read" : cs.who);
		optconf_fini(&oc);
		return res.errors > 0 ? 1 : EXIT_KEPT;
	}
	optconf_fini(&oc);
	return res.errors > 0 ? 1 : 0;
}
