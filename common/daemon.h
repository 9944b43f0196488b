/*
 * common/daemon.h -- process services for the flowkit daemons
 * (flowprobe, flowcapd): going to the background, a locked pidfile and
 * dropping root privileges.
 *
 * Like log.c and xmalloc.c these are process-wide services that only
 * programs call; no other common/ module may use them.  They never log:
 * failures come back as NFE_* codes with a message in err.
 * daemon_detach() is the one function that ends a process (the parent).
 */
#ifndef COMMON_DAEMON_H
#define COMMON_DAEMON_H

#include <stddef.h>

/*
 * Go to the background: fork (the parent exits 0 at once), start a new
 * session, chdir("/"), and point standard input, output and error at
 * /dev/null.  Relative paths the program still needs must be made
 * absolute first (daemon_abspath).  Returns NFE_OK in the child, or
 * NFE_IO (errno set) if fork or setsid failed.
 */
int	daemon_detach(void);

/*
 * path made absolute against the current directory, in newly allocated
 * memory (owned by the caller), or NULL when out of memory.
 */
char	*daemon_abspath(const char *path);

struct pidfile;			/* opaque */

/*
 * Create or take over path, lock it (flock), and write our pid.  A file
 * locked by a running process means another instance: NFE_INVAL with
 * "already running (pid N)".  Returns NFE_OK, NFE_INVAL, NFE_IO or
 * NFE_NOMEM, with a message in err.  Call after daemon_detach() so the
 * pid is the daemon's.
 */
int	daemon_pidfile_write(const char *path, struct pidfile **out, char *err,
	    size_t errlen);

/* Unlink (ignoring failure, e.g. after dropping privileges) and free. */
void	daemon_pidfile_remove(struct pidfile *pf);

/*
 * Become user (name or numeric uid): supplementary groups from the
 * group database, then gid, then uid; checks that root cannot be
 * regained.  Returns NFE_OK, NFE_INVAL (unknown user) or NFE_IO (not
 * permitted, e.g. not running as root), with a message in err.
 */
int	daemon_drop_privs(const char *user, char *err, size_t errlen);

#endif /* COMMON_DAEMON_H */
