/*
 * common/enrich/durable.c -- file helpers of the on-disk stores
 * (durable.h).
 */
#include "common/base/compat.h"

#include <sys/mman.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "common/base/nferr.h"
#include "common/enrich/durable.h"

int
durable_write_all(int fd, const void *buf, size_t n)
{
	const uint8_t *p = buf;

	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return NFE_IO;
		}
		p += w;
		n -= (size_t)w;
	}
	return NFE_OK;
}

int
durable_truncate(int fd, size_t hdr)
{
	if (ftruncate(fd, (off_t)hdr) != 0 ||
	    lseek(fd, (off_t)hdr, SEEK_SET) < 0 || fdatasync(fd) != 0)
		return NFE_IO;
	return NFE_OK;
}

int
durable_sync_dir(const char *path)
{
	char buf[PATH_MAX];
	int fd, r = NFE_OK;

	if (strlen(path) >= sizeof(buf))
		return NFE_OK;
	strcpy(buf, path);
	if ((fd = open(dirname(buf), O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return NFE_IO;
	if (fsync(fd) != 0 && errno != EINVAL)
		r = NFE_IO;
	close(fd);
	return r;
}

int
durable_replace_open(const char *path, char *tmp, size_t tmplen, int *fd)
{
	*fd = -1;
	if ((size_t)snprintf(tmp, tmplen, "%s.tmp", path) >= tmplen) {
		errno = ENAMETOOLONG;
		return NFE_IO;
	}
	if ((*fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    0600)) < 0)
		return NFE_IO;
	return NFE_OK;
}

int
durable_replace_commit(int fd, int r, const char *tmp, const char *path)
{
	int e = errno;

	if (r == NFE_OK && fsync(fd) != 0) {
		r = NFE_IO;
		e = errno;
	}
	if (close(fd) != 0 && r == NFE_OK) {
		r = NFE_IO;
		e = errno;
	}
	if (r == NFE_OK && rename(tmp, path) != 0) {
		r = NFE_IO;
		e = errno;
	}
	if (r != NFE_OK) {
		unlink(tmp);
		errno = e;
		return r;
	}
	return durable_sync_dir(path);
}

int
durable_map(const char *path, const uint8_t **p, size_t *len, size_t max)
{
	struct stat st;
	void *m;
	int fd, e;

	*p = NULL;
	*len = 0;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return NFE_IO;
	if (fstat(fd, &st) != 0) {
		e = errno;
		close(fd);
		errno = e;
		return NFE_IO;
	}
	if ((uint64_t)st.st_size > max) {
		close(fd);
		return NFE_LIMIT;
	}
	if (st.st_size > 0) {
		m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
		if (m == MAP_FAILED) {
			e = errno;
			close(fd);
			errno = e;
			return NFE_IO;
		}
		*p = m;
		*len = (size_t)st.st_size;
	}
	close(fd);
	return NFE_OK;
}

void
durable_unmap(const uint8_t *p, size_t len)
{
	if (p != NULL)
		munmap((void *)(uintptr_t)p, len);
}
