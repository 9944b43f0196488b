/*
 * tests/t_ctl.c -- common/prog/ctl (control socket server and client, the
 * command table) and common/prog/daemon (pidfile, lock file, absolute paths,
 * unknown users, detaching): a command round trip through a forked
 * client, errors, a socket in use, a stale socket taken over, table
 * dispatch with arguments and help, a locked pidfile refused, a lock
 * file kept empty on release, and the detaching parent's exit status
 * following the child's start-up.
 */
#include "common/base/compat.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/base/nferr.h"
#include "common/prog/ctl.h"
#include "common/prog/daemon.h"
#include "tap.h"

static int
handler(void *arg, const char *cmd, FILE *out)
{
	(*(int *)arg)++;
	if (strcmp(cmd, "hello") == 0) {
		fprintf(out, "hello back\n");
		return 0;
	}
	return -1;
}

/* Run cmd from a child process while serving; the reply goes to buf. */
static int
roundtrip(struct ctl *c, const char *path, const char *cmd, char *buf,
    size_t len)
{
	struct pollfd pfd;
	FILE *f = tmpfile();
	pid_t pid;
	int st, rc;
	size_t n;

	if (f == NULL)
		return -100;
	if ((pid = fork()) == 0) {
		rc = ctl_request(path, cmd, f, 5000);
		fflush(f);
		_exit(-rc);
	}
	pfd.fd = ctl_fd(c);
	pfd.events = POLLIN;
	while (waitpid(pid, &st, WNOHANG) == 0) {
		if (poll(&pfd, 1, 50) > 0)
			ctl_serve(c);
	}
	rewind(f);
	n = fread(buf, 1, len - 1, f);
	buf[n] = '\0';
	fclose(f);
	rc = WIFEXITED(st) ? -WEXITSTATUS(st) : -99;
	return rc;
}

static int
t_echo(void *arg, const char *args, FILE *out)
{
	(*(int *)arg)++;
	fprintf(out, "echo [%s]\n", args);
	return 0;
}

static int
t_fail(void *arg, const char *args, FILE *out)
{
	(void)arg;
	(void)args;
	fprintf(out, "error: failed\n");
	return -1;
}

static const struct ctl_cmd table[] = {
	{ "echo", "say it back", t_echo },
	{ "fail", "always fails", t_fail },
};

static int
table_fn(void *arg, const char *cmd, FILE *out)
{
	return ctl_dispatch(table, NF_NELEM(table), arg, cmd, out);
}

/* Run cmd through ctl_dispatch into buf; returns its result. */
static int
dispatch(const char *cmd, int *calls, char *buf, size_t len)
{
	FILE *f = fmemopen(buf, len, "w");
	int r;

	if (f == NULL)
		return -100;
	r = table_fn(calls, cmd, f);
	fclose(f);
	return r;
}

/*
 * Fork a process that detaches; its background child exits with
 * status early (before daemon_ready) or, with early < 0, calls
 * daemon_ready and exits 0 a moment later.  Returns the detaching
 * process's exit status, which is what a shell would see.
 */
static int
detach_status(int early)
{
	pid_t pid;
	int st, ready;

	if ((pid = fork()) == 0) {
		if (daemon_detach(&ready) != NFE_OK)
			_exit(99);
		/* the background child */
		if (early >= 0)
			_exit(early);
		daemon_ready(ready);
		usleep(100000);
		_exit(0);
	}
	if (pid == -1 || waitpid(pid, &st, 0) != pid)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -2;
}

int
main(void)
{
	char dir[] = "/tmp/t_ctl.XXXXXX", path[256], pidp[256], buf[256];
	char err[256], *abs;
	struct ctl *c, *c2;
	struct pidfile *pf, *pf2;
	struct sockaddr_un sun;
	struct stat sb;
	int calls = 0, fd;
	FILE *f;

	tap_plan(21);
	if (mkdtemp(dir) == NULL)
		return 1;
	snprintf(path, sizeof(path), "%s/ctl", dir);
	snprintf(pidp, sizeof(pidp), "%s/pid", dir);

	tap_ok(ctl_open(path, handler, &calls, &c, err, sizeof(err)) ==
	    NFE_OK, "ctl_open");
	tap_ok(stat(path, &sb) == 0 && S_ISSOCK(sb.st_mode) &&
	    (sb.st_mode & 077) == 0, "socket created, mode 0600");
	tap_ok(roundtrip(c, path, "hello", buf, sizeof(buf)) == NFE_OK &&
	    strcmp(buf, "hello back\n") == 0 && calls == 1,
	    "a command and its reply");
	tap_ok(roundtrip(c, path, "nope", buf, sizeof(buf)) == NFE_FORMAT &&
	    strcmp(buf, "error: unknown command \"nope\"\n") == 0,
	    "unknown command: error reply, NFE_FORMAT");
	tap_ok(ctl_open(path, handler, &calls, &c2, err, sizeof(err)) ==
	    NFE_INVAL && strstr(err, "in use") != NULL,
	    "a socket in use is refused");
	ctl_close(c);
	tap_ok(stat(path, &sb) == -1, "ctl_close removes the socket");

	/* a stale socket: bound, then its owner went away */
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path, path, strlen(path) + 1);	/* short: /tmp/... */
	(void)bind(fd, (struct sockaddr *)&sun, sizeof(sun));
	close(fd);
	tap_ok(ctl_open(path, handler, &calls, &c, err, sizeof(err)) ==
	    NFE_OK, "a stale socket is taken over");
	ctl_close(c);
	f = tmpfile();
	tap_ok(ctl_request(path, "hello", f, 1000) == NFE_IO,
	    "client: nothing listening is NFE_IO");
	fclose(f);

	tap_ok(daemon_pidfile_write(pidp, &pf, err, sizeof(err)) == NFE_OK &&
	    (f = fopen(pidp, "r")) != NULL && fgets(buf, sizeof(buf), f) !=
	    NULL && atol(buf) == (long)getpid(), "pidfile holds our pid");
	if (f != NULL)
		fclose(f);
	tap_ok(daemon_pidfile_write(pidp, &pf2, err, sizeof(err)) ==
	    NFE_INVAL && strstr(err, "already running (pid ") != NULL,
	    "a locked pidfile is refused: %s", err);
	daemon_pidfile_remove(pf);
	tap_ok(stat(pidp, &sb) == -1, "pidfile removed");
	/* the same lock as a directory lock: released, the file stays */
	tap_ok(daemon_pidfile_write(pidp, &pf, err, sizeof(err)) == NFE_OK &&
	    daemon_pidfile_update(pf) == NFE_OK, "lock taken, pid rewritten");
	daemon_pidfile_release(pf);
	tap_ok(stat(pidp, &sb) == 0 && sb.st_size == 0,
	    "released: the file stays, empty");
	tap_ok(daemon_pidfile_write(pidp, &pf, err, sizeof(err)) == NFE_OK,
	    "a released lock is taken again");
	daemon_pidfile_release(pf);
	unlink(pidp);

	calls = 0;
	tap_ok(dispatch("echo  a b", &calls, buf, sizeof(buf)) == 0 &&
	    strcmp(buf, "echo [a b]\n") == 0 && calls == 1,
	    "table: command with arguments");
	tap_ok(dispatch("echo", &calls, buf, sizeof(buf)) == 0 &&
	    strcmp(buf, "echo []\n") == 0 && dispatch("echoes", &calls, buf,
	    sizeof(buf)) == -1 && calls == 2,
	    "table: no arguments; a longer name is not a prefix match");
	tap_ok(dispatch("fail", &calls, buf, sizeof(buf)) == -1 &&
	    strcmp(buf, "error: failed\n") == 0, "table: a failing command");
	tap_ok(dispatch("help", &calls, buf, sizeof(buf)) == 0 &&
	    strstr(buf, "echo") != NULL && strstr(buf, "say it back") !=
	    NULL && strstr(buf, "fail") != NULL && strstr(buf, "help") !=
	    NULL, "table: help lists every command");

	tap_is_int(detach_status(-1), 0, "detach: exits 0 once ready");
	tap_is_int(detach_status(3), 3,
	    "detach: a start-up failure is the exit status");

	abs = daemon_abspath("rel/x");
	tap_ok(abs != NULL && abs[0] == '/' &&
	    strcmp(abs + strlen(abs) - 6, "/rel/x") == 0 &&
	    daemon_drop_privs("no-such-user-flowkit", err, sizeof(err)) ==
	    NFE_INVAL, "abspath; unknown user refused");
	free(abs);
	rmdir(dir);
	return tap_done();
}
