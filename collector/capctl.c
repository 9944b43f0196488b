/*
 * collector/capctl.c -- flowcapd's control command table
 * (collector/capctl.h).
 */
#include "common/base/compat.h"

#include "collector/capctl.h"
#include "collector/capstats.h"
#include "collector/collect.h"
#include "common/prog/ctl.h"

static int
cmd_statistics(void *arg, const char *args, FILE *out)
{
	(void)args;
	capstats_print(arg, out);
	return 0;
}

static const struct ctl_cmd commands[] = {
	{ "statistics", "counters: reception, losses with their cure, "
	    "exporters", cmd_statistics },
};

int
capctl_command(void *arg, const char *cmd, FILE *out)
{
	return ctl_dispatch(commands, NF_NELEM(commands), arg, cmd, out);
}
