/*
 * common/prog/daemon.c -- background, pidfile and privilege drop for the
 * flowkit daemons (common/prog/daemon.h).  Never logs; the only exit is the
 * waiting parent's in daemon_detach().
 */
#include "common/base/compat.h"

#include <sys/file.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/base/nferr.h"
#include "common/prog/daemon.h"

struct pidfile {
	char	*path;		/* owned */
	int	 fd;		/* owned; holds the lock */
};

/* Parent side: wait for the child's word, then leave with its status. */
static NF_NORETURN void
wait_ready(pid_t pid, int fd)
{
	char c;
	ssize_t r;
	int st;

	do
		r = read(fd, &c, 1);
	while (r == -1 && errno == EINTR);
	if (r == 1)
		_exit(0);
	while (waitpid(pid, &st, 0) == -1 && errno == EINTR)
		;
	_exit(WIFEXITED(st) && WEXITSTATUS(st) != 0 ? WEXITSTATUS(st) : 1);
}

int
daemon_detach(int *ready_fd)
{
	pid_t pid;
	int p[2];

	*ready_fd = -1;
	if (pipe2(p, O_CLOEXEC) == -1)
		return NFE_IO;
	if ((pid = fork()) == -1) {
		close(p[0]);
		close(p[1]);
		return NFE_IO;
	}
	if (pid > 0) {
		close(p[1]);
		wait_ready(pid, p[0]);
	}
	close(p[0]);
	if (setsid() == -1) {
		close(p[1]);
		return NFE_IO;
	}
	(void)chdir("/");
	*ready_fd = p[1];
	return NFE_OK;
}

void
daemon_ready(int ready_fd)
{
	int fd;

	if ((fd = open("/dev/null", O_RDWR)) != -1) {
		(void)dup2(fd, STDIN_FILENO);
		(void)dup2(fd, STDOUT_FILENO);
		(void)dup2(fd, STDERR_FILENO);
		if (fd > STDERR_FILENO)
			close(fd);
	}
	if (ready_fd != -1) {
		ssize_t r = write(ready_fd, "", 1);

		(void)r;	/* a parent that is gone needs no word */
		close(ready_fd);
	}
}

char *
daemon_abspath(const char *path)
{
	char *cwd, *p;
	size_t n;

	if (path[0] == '/')
		return strdup(path);
	if ((cwd = getcwd(NULL, 0)) == NULL)
		return strdup(path);
	n = strlen(cwd) + strlen(path) + 2;
	if ((p = malloc(n)) != NULL)
		snprintf(p, n, "%s/%s", cwd, path);
	free(cwd);
	return p;
}

static int
write_pid(int fd)
{
	char buf[32];
	int len;

	len = snprintf(buf, sizeof(buf), "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) == -1 || pwrite(fd, buf, (size_t)len, 0) != len)
		return NFE_IO;
	return NFE_OK;
}

int
daemon_pidfile_write(const char *path, struct pidfile **out, char *err,
    size_t errlen)
{
	struct pidfile *pf;
	char buf[32];
	int fd;

	*out = NULL;
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd == -1) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NFE_IO;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) == -1) {
		ssize_t r = read(fd, buf, sizeof(buf) - 1);

		buf[r > 0 ? r : 0] = '\0';
		buf[strcspn(buf, "\n")] = '\0';
		snprintf(err, errlen, "%s: already running (pid %s)", path,
		    buf[0] != '\0' ? buf : "unknown");
		close(fd);
		return NFE_INVAL;
	}
	if (write_pid(fd) != NFE_OK) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		close(fd);
		return NFE_IO;
	}
	if ((pf = calloc(1, sizeof(*pf))) == NULL ||
	    (pf->path = strdup(path)) == NULL) {
		free(pf);
		close(fd);
		snprintf(err, errlen, "%s", nferr_str(NFE_NOMEM));
		return NFE_NOMEM;
	}
	pf->fd = fd;
	*out = pf;
	return NFE_OK;
}

int
daemon_pidfile_update(struct pidfile *pf)
{
	return pf == NULL ? NFE_OK : write_pid(pf->fd);
}

void
daemon_pidfile_release(struct pidfile *pf)
{
	if (pf == NULL)
		return;
	(void)ftruncate(pf->fd, 0);
	close(pf->fd);
	free(pf->path);
	free(pf);
}

void
daemon_pidfile_remove(struct pidfile *pf)
{
	if (pf == NULL)
		return;
	(void)unlink(pf->path);
	close(pf->fd);
	free(pf->path);
	free(pf);
}

int
daemon_drop_privs(const char *user, char *err, size_t errlen)
{
	struct passwd *pw;
	char *end;
	unsigned long uid;

	errno = 0;
	if ((pw = getpwnam(user)) == NULL) {
		uid = strtoul(user, &end, 10);
		if (user[0] != '\0' && *end == '\0')
			pw = getpwuid((uid_t)uid);
	}
	if (pw == NULL) {
		snprintf(err, errlen, "user %s: unknown", user);
		return NFE_INVAL;
	}
	if (initgroups(pw->pw_name, pw->pw_gid) == -1 ||
	    setgid(pw->pw_gid) == -1 || setuid(pw->pw_uid) == -1) {
		snprintf(err, errlen, "cannot become user %s: %s", user,
		    strerror(errno));
		return NFE_IO;
	}
	if (pw->pw_uid != 0 && (setuid(0) == 0 || seteuid(0) == 0)) {
		snprintf(err, errlen, "user %s: root could be regained", user);
		return NFE_IO;
	}
	return NFE_OK;
}
