/*
 * common/prog/ctl.c -- the daemons' control socket and flowctl's client side
 * (common/prog/ctl.h): one text command per Unix stream connection.
 *
 * The server never blocks its daemon's loop: the listening socket is
 * non-blocking, and a connected client gets CTL_IO_TIMEOUT_MS per read
 * and write.  The reply is built in memory first, so a command sees one
 * consistent state and a slow reader cannot stall it half way.
 */
#include "common/base/compat.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/base/nferr.h"
#include "common/prog/ctl.h"

struct ctl {
	char		*path;		/* owned */
	int		 fd;		/* owned; listening, non-blocking */
	ctl_cmd_fn	*fn;
	void		*arg;		/* borrowed */
};

static int
make_addr(const char *path, struct sockaddr_un *sun, char *err,
    size_t errlen)
{
	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun->sun_path)) {
		snprintf(err, errlen, "%s: path too long for a socket", path);
		return NFE_INVAL;
	}
	memcpy(sun->sun_path, path, strlen(path) + 1);
	return NFE_OK;
}

static void
set_timeouts(int fd, int ms)
{
	struct timeval tv;

	tv.tv_sec = ms / 1000;
	tv.tv_usec = (ms % 1000) * 1000;
	(void)setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	(void)setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
}

int
ctl_open(const char *path, ctl_cmd_fn *fn, void *arg, struct ctl **out,
    char *err, size_t errlen)
{
	struct sockaddr_un sun;
	struct ctl *c;
	mode_t old;
	int fd, rc;

	*out = NULL;
	if ((rc = make_addr(path, &sun, err, errlen)) != NFE_OK)
		return rc;
	/* a live socket belongs to another process; a dead one is stale */
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		goto fail;
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == 0) {
		close(fd);
		snprintf(err, errlen, "%s: in use by another process", path);
		return NFE_INVAL;
	}
	close(fd);
	if (errno == ECONNREFUSED)
		(void)unlink(path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd == -1)
		goto fail;
	old = umask(077);
	rc = bind(fd, (struct sockaddr *)&sun, sizeof(sun));
	umask(old);
	if (rc == -1 || listen(fd, 8) == -1) {
		close(fd);
		goto fail;
	}
	if ((c = calloc(1, sizeof(*c))) == NULL ||
	    (c->path = strdup(path)) == NULL) {
		free(c);
		close(fd);
		(void)unlink(path);
		snprintf(err, errlen, "%s", nferr_str(NFE_NOMEM));
		return NFE_NOMEM;
	}
	c->fd = fd;
	c->fn = fn;
	c->arg = arg;
	*out = c;
	return NFE_OK;

fail:
	snprintf(err, errlen, "%s: %s", path, strerror(errno));
	return NFE_IO;
}

void
ctl_close(struct ctl *c)
{
	if (c == NULL)
		return;
	close(c->fd);
	(void)unlink(c->path);
	free(c->path);
	free(c);
}

int
ctl_fd(const struct ctl *c)
{
	return c->fd;
}

/* Read one command line; false if the client sent nothing usable. */
static bool
read_cmd(int fd, char *cmd, size_t len)
{
	size_t n = 0;
	ssize_t r;

	while (n < len - 1) {
		r = read(fd, cmd + n, len - 1 - n);
		if (r == -1 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		n += (size_t)r;
		if (memchr(cmd, '\n', n) != NULL)
			break;
	}
	cmd[n] = '\0';
	cmd[strcspn(cmd, "\r\n")] = '\0';
	while (n > 0 && (cmd[n - 1] == ' ' || cmd[n - 1] == '\t' ||
	    cmd[n - 1] == '\0'))
		cmd[--n] = '\0';
	return cmd[0] != '\0';
}

static void
write_all(int fd, const char *p, size_t n)
{
	ssize_t r;

	while (n > 0) {
		r = send(fd, p, n, MSG_NOSIGNAL);
		if (r == -1 && errno == EINTR)
			continue;
		if (r <= 0)
			return;		/* gone or too slow: drop the rest */
		p += r;
		n -= (size_t)r;
	}
}

static void
serve_one(struct ctl *c, int fd)
{
	char cmd[CTL_MAX_CMD], *reply = NULL;
	size_t len = 0;
	FILE *out;

	set_timeouts(fd, CTL_IO_TIMEOUT_MS);
	if (!read_cmd(fd, cmd, sizeof(cmd))) {
		write_all(fd, "error: no command\n", 18);
		return;
	}
	if ((out = open_memstream(&reply, &len)) == NULL) {
		write_all(fd, "error: out of memory\n", 21);
		return;
	}
	if (c->fn(c->arg, cmd, out) != 0 && ftell(out) == 0)
		fprintf(out, "error: unknown command \"%s\"\n", cmd);
	if (fclose(out) == 0)
		write_all(fd, reply, len);
	free(reply);
}

void
ctl_serve(struct ctl *c)
{
	int fd;

	for (;;) {
		fd = accept4(c->fd, NULL, NULL, SOCK_CLOEXEC);
		if (fd == -1) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			return;		/* EAGAIN: nothing more pending */
		}
		serve_one(c, fd);
		close(fd);
	}
}

int
ctl_dispatch(const struct ctl_cmd *tab, size_t n, void *arg, const char *cmd,
    FILE *out)
{
	size_t len = strcspn(cmd, " \t");
	const char *args = cmd + len + strspn(cmd + len, " \t");

	if (len == 4 && strncmp(cmd, "help", 4) == 0) {
		for (size_t i = 0; i < n; i++)
			fprintf(out, "%-16s %s\n", tab[i].name, tab[i].help);
		fprintf(out, "%-16s %s\n", "help", "this list");
		return 0;
	}
	for (size_t i = 0; i < n; i++)
		if (strlen(tab[i].name) == len &&
		    strncmp(tab[i].name, cmd, len) == 0)
			return tab[i].fn(arg, args, out);
	return -1;
}

int
ctl_request(const char *path, const char *cmd, FILE *out, int timeout_ms)
{
	struct sockaddr_un sun;
	char buf[8192], err[256];
	bool first = true, failed = false;
	ssize_t r;
	int fd;

	if (make_addr(path, &sun, err, sizeof(err)) != NFE_OK) {
		errno = ENAMETOOLONG;
		return NFE_IO;
	}
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return NFE_IO;
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		int e = errno;

		close(fd);
		errno = e;
		return NFE_IO;
	}
	set_timeouts(fd, timeout_ms);
	write_all(fd, cmd, strlen(cmd));
	write_all(fd, "\n", 1);
	(void)shutdown(fd, SHUT_WR);
	for (;;) {
		r = read(fd, buf, sizeof(buf));
		if (r == -1 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		if (first && strncmp(buf, "error: ", (size_t)r < 7 ?
		    (size_t)r : 7) == 0)
			failed = true;
		first = false;
		fwrite(buf, 1, (size_t)r, out);
	}
	if (r == -1) {
		int e = errno;

		close(fd);
		errno = e;
		return NFE_IO;
	}
	close(fd);
	return failed ? NFE_FORMAT : NFE_OK;
}
