/*
 * sink/secret.c -- secrets from the environment or a file
 * (sink/secret.h).
 */
#include "common/base/compat.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/base/nferr.h"
#include "sink/secret.h"

static int
from_file(const char *path, char **out, char *err, size_t errlen)
{
	char *buf;
	size_t len = 0;
	ssize_t n;
	int fd, e;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		e = errno;
		snprintf(err, errlen, "secret file %s: %s", path, strerror(e));
		return NFE_INVAL;
	}
	if ((buf = malloc(SECRET_MAX + 1)) == NULL) {
		close(fd);
		return NFE_NOMEM;
	}
	while (len <= SECRET_MAX &&
	    (n = read(fd, buf + len, SECRET_MAX + 1 - len)) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			e = errno;
			close(fd);
			secret_free(buf);
			snprintf(err, errlen, "secret file %s: %s", path,
			    strerror(e));
			return NFE_INVAL;
		}
		len += (size_t)n;
	}
	close(fd);
	if (len > SECRET_MAX || memchr(buf, '\0', len) != NULL) {
		secret_free(buf);
		snprintf(err, errlen, "secret file %s: %s", path,
		    len > SECRET_MAX ? "longer than 64 KiB" :
		    "holds a NUL byte");
		return NFE_INVAL;
	}
	if (len > 0 && buf[len - 1] == '\n')
		len--;
	if (len > 0 && buf[len - 1] == '\r')
		len--;
	buf[len] = '\0';
	if (len == 0) {
		secret_free(buf);
		snprintf(err, errlen, "secret file %s is empty", path);
		return NFE_INVAL;
	}
	*out = buf;
	return NFE_OK;
}

int
secret_read(const char *env, const char *file, char **out, char *err,
    size_t errlen)
{
	const char *v;

	*out = NULL;
	if (env != NULL && env[0] != '\0') {
		if ((v = getenv(env)) == NULL || v[0] == '\0') {
			snprintf(err, errlen, "environment variable %s is %s",
			    env, v == NULL ? "not set" : "empty");
			return NFE_INVAL;
		}
		if ((*out = strdup(v)) == NULL)
			return NFE_NOMEM;
		return NFE_OK;
	}
	if (file != NULL && file[0] != '\0')
		return from_file(file, out, err, errlen);
	return NFE_OK;
}

void
secret_free(char *s)
{
	if (s == NULL)
		return;
	/* volatile: the compiler may not drop a store before free */
	for (volatile char *p = s; *p != '\0'; p++)
		*p = '\0';
	free(s);
}
