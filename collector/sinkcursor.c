/*
 * collector/sinkcursor.c -- a sink's persisted position
 * (collector/sinkcursor.h): encoding through wbuf, decoding through
 * rbuf with the checksum verified before any field is used, and the
 * atomic, durable replacement of the file.
 */
#include "common/base/compat.h"

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collector/sinkcursor.h"
#include "common/base/buf.h"
#include "common/base/nferr.h"
#include "common/ffile/crc32c.h"

#define MAGIC		"FKSC"
#define MAJOR		1
#define MINOR		0
#define READ_MAX	65536	/* bytes read from a cursor file */

int
sinkcursor_cmp(const struct sinkcursor *a, const struct sinkcursor *b)
{
	if (a->slot_s != b->slot_s)
		return a->slot_s < b->slot_s ? -1 : 1;
	if (a->off != b->off)
		return a->off < b->off ? -1 : 1;
	if (a->rec != b->rec)
		return a->rec < b->rec ? -1 : 1;
	return 0;
}

int
sinkcursor_path(const char *dir, const char *name, char *buf, size_t len)
{
	int n = snprintf(buf, len, "%s/%s%s%s", dir, SINKCURSOR_PREFIX, name,
	    SINKCURSOR_SUFFIX);

	return n > 0 && (size_t)n < len ? NFE_OK : NFE_LIMIT;
}

size_t
sinkcursor_encode(const struct sinkcursor *c, uint8_t *buf, size_t cap)
{
	size_t pl = strlen(c->file);
	struct wbuf w;

	if (pl > SINKCURSOR_PATH_MAX)
		return 0;
	wbuf_init(&w, buf, cap);
	wbuf_bytes(&w, MAGIC, 4);
	wbuf_le16(&w, MAJOR);
	wbuf_le16(&w, MINOR);
	wbuf_le16(&w, SINKCURSOR_FIXED);
	wbuf_le16(&w, (uint16_t)pl);
	wbuf_le32(&w, c->rec);
	wbuf_le64(&w, c->sink_id);
	wbuf_le64(&w, c->seq);
	wbuf_le64(&w, (uint64_t)c->slot_s);
	wbuf_le64(&w, c->off);
	wbuf_le64(&w, c->delivered);
	wbuf_le64(&w, c->updated_ms);
	wbuf_bytes(&w, c->file, pl);
	wbuf_le32(&w, crc32c(0, buf, wbuf_len(&w)));
	return wbuf_ok(&w) ? wbuf_len(&w) : 0;
}

int
sinkcursor_decode(const uint8_t *p, size_t len, struct sinkcursor *c)
{
	struct rbuf r, t;
	uint16_t major, hl, pl;
	uint32_t crc;

	memset(c, 0, sizeof(*c));
	rbuf_init(&r, p, len);
	if (len < 4)
		return NFE_TRUNC;
	if (memcmp(p, MAGIC, 4) != 0)
		return NFE_FORMAT;
	rbuf_skip(&r, 4);
	major = rbuf_le16(&r);
	rbuf_skip(&r, 2);
	hl = rbuf_le16(&r);
	pl = rbuf_le16(&r);
	if (!rbuf_ok(&r))
		return NFE_TRUNC;
	if (major > MAJOR)
		return NFE_VERSION;
	if (major < 1 || hl < SINKCURSOR_FIXED ||
	    pl > SINKCURSOR_PATH_MAX)
		return NFE_FORMAT;
	if (len < (size_t)hl + pl + 4)
		return NFE_TRUNC;
	rbuf_init(&t, p + hl + pl, 4);
	crc = rbuf_le32(&t);
	if (crc != crc32c(0, p, (size_t)hl + pl))
		return NFE_CORRUPT;
	c->rec = rbuf_le32(&r);
	c->sink_id = rbuf_le64(&r);
	c->seq = rbuf_le64(&r);
	c->slot_s = (int64_t)rbuf_le64(&r);
	c->off = rbuf_le64(&r);
	c->delivered = rbuf_le64(&r);
	c->updated_ms = rbuf_le64(&r);
	if (!rbuf_ok(&r))
		return NFE_TRUNC;
	memcpy(c->file, p + hl, pl);
	c->file[pl] = '\0';
	if (memchr(c->file, '\0', pl) != NULL || c->file[0] == '/' ||
	    strstr(c->file, "..") != NULL)
		return NFE_FORMAT;
	return NFE_OK;
}

int
sinkcursor_load(const char *path, struct sinkcursor *c, char *err,
    size_t errlen)
{
	uint8_t *buf;
	size_t len = 0;
	ssize_t n;
	int fd, rc, e;

	memset(c, 0, sizeof(*c));
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		if (errno == ENOENT)
			return NFE_EOF;
		e = errno;
		snprintf(err, errlen, "%s: %s", path, strerror(e));
		errno = e;
		return NFE_IO;
	}
	if ((buf = malloc(READ_MAX)) == NULL) {
		close(fd);
		snprintf(err, errlen, "%s: out of memory", path);
		return NFE_NOMEM;
	}
	while (len < READ_MAX && (n = read(fd, buf + len, READ_MAX - len)) !=
	    0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			e = errno;
			close(fd);
			free(buf);
			snprintf(err, errlen, "%s: %s", path, strerror(e));
			errno = e;
			return NFE_IO;
		}
		len += (size_t)n;
	}
	close(fd);
	rc = sinkcursor_decode(buf, len, c);
	free(buf);
	if (rc != NFE_OK)
		snprintf(err, errlen, "%s: %s", path, rc == NFE_VERSION ?
		    "written by a newer flowkit (cursor format version)" :
		    rc == NFE_CORRUPT ? "checksum mismatch" :
		    rc == NFE_TRUNC ? "truncated" : "not a sink cursor");
	return rc;
}

/* fsync the directory holding path, so a rename in it is durable. */
static int
sync_dir(const char *path)
{
	char dir[4096];
	const char *slash = strrchr(path, '/');
	int fd, rc = 0;

	if (slash == NULL)
		snprintf(dir, sizeof(dir), ".");
	else
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path) + (slash
		    == path), path);
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return -1;
	if (fsync(fd) == -1)
		rc = -1;
	close(fd);
	return rc;
}

int
sinkcursor_save(const char *path, const struct sinkcursor *c, char *err,
    size_t errlen)
{
	uint8_t buf[SINKCURSOR_MAX_LEN];
	char tmp[4200];
	size_t len, off = 0;
	ssize_t n;
	int fd, e;

	if ((len = sinkcursor_encode(c, buf, sizeof(buf))) == 0) {
		snprintf(err, errlen, "%s: path too long", path);
		return NFE_LIMIT;
	}
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)) ==
	    -1)
		goto fail;
	while (off < len) {
		if ((n = write(fd, buf + off, len - off)) < 0) {
			if (errno == EINTR)
				continue;
			goto fail_fd;
		}
		off += (size_t)n;
	}
	if (fsync(fd) == -1)
		goto fail_fd;
	if (close(fd) == -1) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (rename(tmp, path) == -1 || sync_dir(path) == -1)
		goto fail;
	return NFE_OK;
fail_fd:
	e = errno;
	close(fd);
	errno = e;
fail:
	e = errno;
	(void)unlink(tmp);
	snprintf(err, errlen, "%s: %s", path, strerror(e));
	errno = e;
	return NFE_IO;
}

long
sinkcursor_each(const char *dir, sinkcursor_each_fn *fn, void *arg)
{
	size_t pl = strlen(SINKCURSOR_PREFIX), sl = strlen(SINKCURSOR_SUFFIX);
	struct sinkcursor c;
	struct dirent *de;
	char path[4096], name[256], err[512];
	long count = 0;
	DIR *d;

	if ((d = opendir(dir)) == NULL)
		return -1;
	while ((de = readdir(d)) != NULL) {
		size_t l = strlen(de->d_name);
		int rc;

		if (l <= pl + sl || strncmp(de->d_name, SINKCURSOR_PREFIX,
		    pl) != 0 || strcmp(de->d_name + l - sl,
		    SINKCURSOR_SUFFIX) != 0 || l - pl - sl >= sizeof(name))
			continue;
		memcpy(name, de->d_name + pl, l - pl - sl);
		name[l - pl - sl] = '\0';
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		err[0] = '\0';
		rc = sinkcursor_load(path, &c, err, sizeof(err));
		count++;
		fn(arg, name, rc == NFE_OK, &c, err);
	}
	closedir(d);
	return count;
}
