/*
 * probe/ctl.h -- flowprobe's control socket: a Unix stream socket on
 * which flowctl(8) sends one command line per connection and reads the
 * reply text until the server closes the connection.
 *
 * Wire protocol (plain text): the client writes "COMMAND\n"; the
 * server writes the reply and closes.  A reply starting with "error: "
 * means the command failed or is unknown.  The listening socket is
 * non-blocking: ctl_serve() handles every pending connection and
 * returns, so the capture loop (live or -r) never waits on a client.
 * A client gets CTL_IO_TIMEOUT_MS to send its command and to take the
 * reply; a slow or silent one is dropped.  Commands are at most
 * CTL_MAX_CMD bytes.
 */
#ifndef PROBE_CTL_H
#define PROBE_CTL_H

#include <stddef.h>
#include <stdio.h>

#define CTL_MAX_CMD		256
#define CTL_IO_TIMEOUT_MS	1000

/*
 * Run one command (NUL-terminated, no newline), writing the reply text
 * to out (borrowed for the call).  Returns 0, or -1 if the command is
 * unknown (the reply should then say so).
 */
typedef int ctl_cmd_fn(void *arg, const char *cmd, FILE *out);

struct ctl;			/* opaque */

/*
 * Create the socket at path (mode 0600).  A socket file left by a
 * process that is gone is replaced; one that accepts connections means
 * another flowprobe uses it: NFE_INVAL.  Returns NFE_OK, NFE_INVAL or
 * NFE_IO, with a message in err.
 */
int	ctl_open(const char *path, ctl_cmd_fn *fn, void *arg, struct ctl **out,
	    char *err, size_t errlen);

/* Close and unlink the socket (failure to unlink is ignored). */
void	ctl_close(struct ctl *c);

/* The listening descriptor, to poll for readability. */
int	ctl_fd(const struct ctl *c);

/* Serve every connection pending now; never blocks on accept(). */
void	ctl_serve(struct ctl *c);

/*
 * Client side (flowctl): send cmd to the socket at path and copy the
 * reply to out.  Returns NFE_OK, NFE_IO (cannot connect: errno set) or
 * NFE_FORMAT (the reply starts with "error: ").
 */
int	ctl_request(const char *path, const char *cmd, FILE *out, int timeout_ms);

#endif /* PROBE_CTL_H */
