/*
 * collector/flowexpire.c -- flowexpire: delete the oldest completed
 * flowcapd files until a directory is within a size and/or age limit.
 *
 *   flowexpire -l dir [-s size] [-t age] [-w percent] [-n] [-v]
 *
 * Meant to run from flowcapd's -x or from cron; it never touches the
 * file flowcapd is writing (*.current) or the template file.
 */
#include "common/base/compat.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "collector/fileexpire.h"
#include "common/base/nferr.h"

static bool verbose;

static void
usage(int status)
{
	fprintf(status ? stderr : stdout,
"usage: flowexpire -l dir [-s size] [-t age] [-w percent] [-n | --dry-run]\n"
"                  [-v] [-h]\n"
"  -l dir      data directory (also -e, as nfexpire)\n"
"  -s size     keep at most this much: K M G T (powers of 1024), B optional\n"
"  -t age      keep files whose interval began at most this long ago:\n"
"              w d h m s (hours if no unit)\n"
"  -w percent  when over the size limit, delete down to this %% (default 95)\n"
"  -n          dry run: print what would be removed, remove nothing\n"
"  -v          print every file removed\n");
	exit(status);
}

static void
report(void *arg, const char *path, uint64_t size, int64_t slot, int err)
{
	const bool *dry = arg;

	(void)slot;
	if (err != 0)
		fprintf(stderr, "flowexpire: %s: %s\n", path, strerror(err));
	else if (*dry || verbose)
		printf("%s %s (%" PRIu64 " bytes)\n", *dry ? "would remove" :
		    "removed", path, size);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "dry-run", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct fileexpire_conf c;
	struct fileexpire_result res;
	const char *dir = NULL;
	char *end;
	unsigned long v;
	int ch;

	memset(&c, 0, sizeof(c));
	c.watermark = 95;
	while ((ch = getopt_long(argc, argv, "e:hl:ns:t:vw:", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'e':
		case 'l':
			dir = optarg;
			break;
		case 'h':
			usage(0);
			break;
		case 'n':
			c.dry_run = true;
			break;
		case 's':
			if (fileexpire_parse_size(optarg, &c.max_bytes) != NFE_OK) {
				fprintf(stderr, "flowexpire: -s %s: expected a "
				    "size such as 500M or 10G\n", optarg);
				return 1;
			}
			break;
		case 't':
			if (fileexpire_parse_age(optarg, &c.max_age_s) != NFE_OK) {
				fprintf(stderr, "flowexpire: -t %s: expected an "
				    "age such as 7d, 12h or 2w\n", optarg);
				return 1;
			}
			break;
		case 'v':
			verbose = true;
			break;
		case 'w':
			v = strtoul(optarg, &end, 10);
			if (*end != '\0' || v < 1 || v > 100) {
				fprintf(stderr, "flowexpire: -w %s: expected "
				    "1..100\n", optarg);
				return 1;
			}
			c.watermark = (unsigned)v;
			break;
		default:
			usage(1);
		}
	}
	if (optind < argc) {
		fprintf(stderr, "flowexpire: unexpected argument '%s'\n",
		    argv[optind]);
		return 1;
	}
	if (dir == NULL) {
		fprintf(stderr, "flowexpire: -l: a data directory is "
		    "required\n");
		usage(1);
	}
	if (c.max_bytes == 0 && c.max_age_s == 0) {
		fprintf(stderr, "flowexpire: give a limit: -s size and/or "
		    "-t age\n");
		return 1;
	}
	c.now_s = (int64_t)time(NULL);
	if (fileexpire_run(dir, &c, report, &c.dry_run, &res) != NFE_OK) {
		fprintf(stderr, "flowexpire: %s: %s\n", dir, strerror(errno));
		return 1;
	}
	printf("%s: %zu files, %" PRIu64 " bytes; %s %zu files, %" PRIu64
	    " bytes; %zu errors\n", dir, res.files, res.bytes,
	    c.dry_run ? "would remove" : "removed", res.removed,
	    res.removed_bytes, res.errors);
	return res.errors > 0 ? 1 : 0;
}
