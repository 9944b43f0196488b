/*
 * collector/capctl.h -- flowcapd's control commands, served on the
 * socket given with -c (common/prog/ctl: one command line per connection,
 * flowctl(8) is the client).  Commands run in the decode/write thread,
 * between datagrams, so they see one consistent state; reception goes
 * on meanwhile (the receive thread never waits for them).
 *
 * To add a command, add a row to the table in capctl.c: name, one
 * help line, and a function that writes the reply ("error: ..." when
 * it fails).  "help" lists the table.
 */
#ifndef COLLECTOR_CAPCTL_H
#define COLLECTOR_CAPCTL_H

#include <stdio.h>

/* A ctl_cmd_fn: arg is the struct collect. */
int	capctl_command(void *arg, const char *cmd, FILE *out);

#endif /* COLLECTOR_CAPCTL_H */
