/*
 * common/prog/ctl.h -- the daemons' control socket (flowprobe -c, flowcapd
 * -c): a Unix stream socket on which flowctl(8) sends one command line
 * per connection and reads the reply text until the server closes the
 * connection.  One implementation for both programs, so flowctl talks
 * to either.
 *
 * Wire protocol (plain text): the client writes "COMMAND\n"; the
 * server writes the reply and closes.  A reply starting with "error: "
 * means the command failed or is unknown.  The listening socket is
 * non-blocking: ctl_serve() handles every pending connection and
 * returns, so the daemon's loop never waits on a client.
 * A client gets CTL_IO_TIMEOUT_MS to send its command and to take the
 * reply; a slow or silent one is dropped.  Commands are at most
 * CTL_MAX_CMD bytes.
 */
#ifndef COMMON_PROG_CTL_H
#define COMMON_PROG_CTL_H

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
 * A table-driven command set (ctl_dispatch): a daemon lists its
 * commands once, and "help" is answered from the same table.  fn gets
 * the words after the name in args ("" when none); it returns 0, or -1
 * after writing an "error: " reply.
 */
struct ctl_cmd {
	const char	*name;
	const char	*help;		/* one line for "help" */
	int		(*fn)(void *arg, const char *args, FILE *out);
};

/*
 * Run cmd against tab[0..n-1]: the first word selects the command,
 * "help" lists every name with its help line.  Returns fn's result,
 * 0 for help, or -1 for a name not in the table (with nothing written,
 * so ctl_serve replies "error: unknown command").  Usable as the body
 * of a ctl_cmd_fn.
 */
int	ctl_dispatch(const struct ctl_cmd *tab, size_t n, void *arg,
	    const char *cmd, FILE *out);

/*
 * Create the socket at path (mode 0600).  A socket file left by a
 * process that is gone is replaced; one that accepts connections means
 * another process uses it: NFE_INVAL.  Returns NFE_OK, NFE_INVAL or
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

#endif /* COMMON_PROG_CTL_H */
