/*
 * common/prog/daemon.h -- process services for the flowkit daemons
 * (flowprobe, flowcapd): going to the background, a locked pidfile and
 * dropping root privileges.
 *
 * Like log.c and xmalloc.c these are process-wide services that only
 * programs call; no other common/ module may use them.  They never log:
 * failures come back as NFE_* codes with a message in err.
 * daemon_detach() is the one function that ends a process (the parent).
 */
#ifndef COMMON_PROG_DAEMON_H
#define COMMON_PROG_DAEMON_H

#include <stddef.h>

/*
 * Go to the background in two steps, so that a failure while the
 * daemon starts still reaches the terminal and the exit status.
 * daemon_detach() forks; the child starts a new session, chdir("/")s
 * and gets the write end of a pipe in *ready_fd.  The parent waits on
 * that pipe: it exits 0 once the child calls daemon_ready(), or with
 * the child's exit status (1 if killed) if the child ends first; its
 * standard error is still the terminal until then, so start-up errors
 * are seen.  Relative paths the program still needs must be made
 * absolute first (daemon_abspath).  Returns NFE_OK in the child, or
 * NFE_IO (errno set) if pipe, fork or setsid failed.
 */
int	daemon_detach(int *ready_fd);

/*
 * Start-up is complete: point standard input, output and error at
 * /dev/null and let the waiting parent exit 0.  Closes ready_fd.
 */
void	daemon_ready(int ready_fd);

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
 * NFE_NOMEM, with a message in err.  Take it before daemon_detach() so
 * that a refusal reaches the terminal; the lock passes to the child,
 * which then calls daemon_pidfile_update().  The same lock serves as
 * an instance lock on a directory (daemon_pidfile_release).
 */
int	daemon_pidfile_write(const char *path, struct pidfile **out, char *err,
	    size_t errlen);

/* Write our pid again (after daemon_detach changed it). */
int	daemon_pidfile_update(struct pidfile *pf);

/* Unlink (ignoring failure, e.g. after dropping privileges) and free. */
void	daemon_pidfile_remove(struct pidfile *pf);

/*
 * Empty the file, unlock and free, but keep the file: for a lock file
 * that others may have open (unlinking it would let two processes
 * lock two different files of the same name).
 */
void	daemon_pidfile_release(struct pidfile *pf);

/*
 * Become user (name or numeric uid): supplementary groups from the
 * group database, then gid, then uid; checks that root cannot be
 * regained.  Returns NFE_OK, NFE_INVAL (unknown user) or NFE_IO (not
 * permitted, e.g. not running as root), with a message in err.
 */
int	daemon_drop_privs(const char *user, char *err, size_t errlen);

#endif /* COMMON_PROG_DAEMON_H */
