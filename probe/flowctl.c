/*
 * probe/flowctl.c -- flowctl: send one command to a running flowprobe's
 * or flowcapd's control socket (-c) and print the reply, as softflowctl
 * does for softflowd.  Exit status: 0 if the command succeeded, 1 if
 * the daemon refused it or cannot be reached, 2 on a usage error.
 */
#include "common/base/compat.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/base/nferr.h"
#include "common/prog/ctl.h"

/* flowcapd.service's socket (flowcapd.conf: control) */
#define FLOWCTL_DEFAULT_SOCK	RUNSTATEDIR "/flowkit/flowcapd.ctl"
#define FLOWCTL_TIMEOUT_MS	30000

static NF_NORETURN void
usage(int status)
{
	fprintf(status == 0 ? stdout : stderr,
"usage: flowctl [-h] [-c socket] command\n"
"  -c SOCKET  control socket of flowprobe or flowcapd (default\n"
"             " FLOWCTL_DEFAULT_SOCK ")\n"
"commands (\"help\" asks the daemon for its list):\n"
"  flowcapd:\n"
"  statistics     counters: reception, losses and their cure, exporters\n"
"  rotate         complete the current file now and start the next\n"
"  sinks          each --sink: delivered, pending bytes, lag, retries, errors\n"
"  flowprobe:\n"
"  statistics     counters: packets, drops, flows, expiries, export\n"
"  dump-flows     list the active flows\n"
"  expire-all     expire and export every active flow now\n"
"  delete-all     drop every active flow without exporting it\n"
"  timeouts       show the timeouts\n"
"  send-template  send the v9/IPFIX templates with the next datagram\n"
"  shutdown       expire and export everything, then exit\n"
"  exit           exit at once, exporting nothing\n");
	exit(status);
}

int
main(int argc, char **argv)
{
	const char *path = FLOWCTL_DEFAULT_SOCK;
	int ch, rc;

	while ((ch = getopt(argc, argv, "c:h")) != -1) {
		switch (ch) {
		case 'c':
			path = optarg;
			break;
		case 'h':
			usage(0);
		default:
			usage(2);
		}
	}
	if (argc - optind != 1)
		usage(2);
	if (strlen(argv[optind]) >= CTL_MAX_CMD) {
		fprintf(stderr, "flowctl: command too long\n");
		return 2;
	}
	rc = ctl_request(path, argv[optind], stdout, FLOWCTL_TIMEOUT_MS);
	if (rc == NFE_IO) {
		fprintf(stderr, "flowctl: %s: %s\n", path, strerror(errno));
		return 1;
	}
	if (fflush(stdout) != 0)
		return 1;
	return rc == NFE_OK ? 0 : 1;
}
