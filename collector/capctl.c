/*
 * collector/capctl.c -- flowcapd's control command table
 * (collector/capctl.h).
 */
#include "common/base/compat.h"

#include "collector/capctl.h"
#include "collector/capstats.h"
#include "collector/collect.h"
#include "collector/sinkrun.h"
#include "common/prog/ctl.h"

static int
cmd_statistics(void *arg, const char *args, FILE *out)
{
	const struct collect *c = arg;

	(void)args;
	capstats_print(c, out);
	if (c->sinks != NULL && c->sinks->n > 0) {
		fprintf(out, "Sinks:\n");
		sinkset_print(c->sinks, out);
	}
	return 0;
}

static int
cmd_sinks(void *arg, const char *args, FILE *out)
{
	const struct collect *c = arg;

	(void)args;
	sinkset_print(c->sinks, out);
	return 0;
}

static int
cmd_rotate(void *arg, const char *args, FILE *out)
{
	(void)args;
	collect_rotate(arg, out);
	return 0;
}

static int
cmd_sessions(void *arg, const char *args, FILE *out)
{
	const struct collect *c = arg;

	(void)args;
	if (c->sess == NULL) {
		fprintf(out, "error: no session sources (--radius-acct, "
		    "--sessions)\n");
		return 0;
	}
	sessions_print(c->sess, out);
	return 0;
}

/*
 * One row per command.  The sink and subscriber features add theirs
 * here ("sinks": delivery lag per sink; "sessions": the session
 * store's counts), each with its function above.
 */
static const struct ctl_cmd commands[] = {
	{ "statistics", "counters: reception, losses with their cure, "
	    "exporters, sinks", cmd_statistics },
	{ "rotate", "complete the current file now and start the next",
	    cmd_rotate },
	{ "sessions", "session store: sessions known, RADIUS requests "
	    "accepted, rejected and duplicate, flows joined", cmd_sessions },
	{ "sinks", "each --sink: delivered, pending bytes, lag, retries, "
	    "last error", cmd_sinks },
};

int
capctl_command(void *arg, const char *cmd, FILE *out)
{
	return ctl_dispatch(commands, NF_NELEM(commands), arg, cmd, out);
}
