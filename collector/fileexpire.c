/*
 * collector/fileexpire.c -- delete the oldest completed flow files until
 * the directory is within its size and age limits (see fileexpire.h),
 * keeping the files a sink has not delivered unless told otherwise.
 */
#include "common/base/compat.h"

#include <sys/stat.h>
#include <sys/types.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collector/fileexpire.h"
#include "collector/spoolname.h"
#include "common/base/nferr.h"

struct ent {
	char		*path;		/* owned */
	uint64_t	 size;
	int64_t		 slot;
};

struct list {
	struct ent	*v;		/* owned */
	size_t		 n, cap;
	bool		 nomem;
};

static void
scan(const char *dir, int depth, struct list *l)
{
	DIR *d;
	struct dirent *de;
	struct stat st;
	char path[4096];
	int64_t slot;
	bool tmp;

	if ((d = opendir(dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL && !l->nomem) {
		if (de->d_name[0] == '.')
			continue;
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir,
		    de->d_name) >= sizeof(path))
			continue;
		if (lstat(path, &st) == -1)
			continue;
		if (S_ISDIR(st.st_mode)) {
			if (depth < FILEEXPIRE_MAX_DEPTH)
				scan(path, depth + 1, l);
			continue;
		}
		if (!S_ISREG(st.st_mode) ||
		    !spool_parse_name(de->d_name, &slot, &tmp) || tmp)
			continue;
		if (l->n == l->cap) {
			size_t nc = l->cap ? l->cap * 2 : 256;
			struct ent *nv = realloc(l->v, nc * sizeof(*nv));

			if (nv == NULL) {
				l->nomem = true;
				break;
			}
			l->v = nv;
			l->cap = nc;
		}
		if ((l->v[l->n].path = strdup(path)) == NULL) {
			l->nomem = true;
			break;
		}
		l->v[l->n].size = (uint64_t)st.st_size;
		l->v[l->n].slot = slot;
		l->n++;
	}
	closedir(d);
}

static int
cmp_ent(const void *a, const void *b)
{
	const struct ent *x = a, *y = b;

	if (x->slot != y->slot)
		return x->slot < y->slot ? -1 : 1;
	return strcmp(x->path, y->path);
}

/* Remove now-empty directories between path's and top. */
static void
prune_dirs(const char *top, const char *path)
{
	char buf[4096];
	char *slash;
	size_t tl = strlen(top);

	snprintf(buf, sizeof(buf), "%s", path);
	while ((slash = strrchr(buf, '/')) != NULL) {
		*slash = '\0';
		if (strlen(buf) <= tl || rmdir(buf) == -1)
			break;
	}
}

int
fileexpire_run(const char *dir, const struct fileexpire_conf *c,
    fileexpire_report_fn *report, void *arg, struct fileexpire_result *res)
{
	struct list l = { NULL, 0, 0, false };
	struct stat st;
	uint64_t total = 0, target;
	unsigned wm = c->watermark > 0 && c->watermark <= 100 ?
	    c->watermark : 100;
	bool size_over;
	int err;

	memset(res, 0, sizeof(*res));
	if (stat(dir, &st) == -1 || !S_ISDIR(st.st_mode)) {
		if (errno == 0)
			errno = ENOTDIR;
		return NFE_IO;
	}
	scan(dir, 0, &l);
	if (l.nomem) {
		for (size_t i = 0; i < l.n; i++)
			free(l.v[i].path);
		free(l.v);
		return NFE_NOMEM;
	}
	qsort(l.v, l.n, sizeof(*l.v), cmp_ent);
	for (size_t i = 0; i < l.n; i++)
		total += l.v[i].size;
	res->files = l.n;
	res->bytes = total;
	size_over = c->max_bytes > 0 && total > c->max_bytes;
	target = c->max_bytes / 100 * wm + c->max_bytes % 100 * wm / 100;
	for (size_t i = 0; i < l.n; i++) {
		bool old = c->max_age_s > 0 && l.v[i].slot <
		    c->now_s - (int64_t)c->max_age_s;
		bool big = size_over && total > target;

		bool undelivered = c->keep_from != 0 &&
		    l.v[i].slot >= c->keep_from;

		if (!old && !big)
			break;
		if (undelivered && !c->force) {
			/* kept for a sink; count what the limits would take */
			res->kept++;
			res->kept_bytes += l.v[i].size;
			total -= l.v[i].size;
			continue;
		}
		err = 0;
		if (!c->dry_run && unlink(l.v[i].path) == -1) {
			err = errno;
			if (err != ENOENT)
				res->errors++;
		}
		if (err == 0 || err == ENOENT) {
			res->removed++;
			res->undelivered += undelivered;
			res->removed_bytes += l.v[i].size;
			total -= l.v[i].size;
			if (!c->dry_run)
				prune_dirs(dir, l.v[i].path);
		}
		if (report != NULL)
			report(arg, l.v[i].path, l.v[i].size, l.v[i].slot,
			    err == ENOENT ? 0 : err, undelivered);
	}
	for (size_t i = 0; i < l.n; i++)
		free(l.v[i].path);
	free(l.v);
	return NFE_OK;
}

static int
parse_scaled(const char *s, const char *units, const uint64_t *mult,
    uint64_t defmult, uint64_t *out)
{
	char *end;
	unsigned long long v;
	const char *u;
	uint64_t m = defmult;

	*out = 0;
	if (*s < '0' || *s > '9')
		return NFE_INVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0)
		return NFE_INVAL;
	if (*end != '\0') {
		if ((u = strchr(units, *end)) == NULL)
			return NFE_INVAL;
		m = mult[u - units];
		end++;
	}
	if (*end != '\0')
		return NFE_INVAL;
	if (m != 0 && v > UINT64_MAX / m)
		return NFE_INVAL;
	*out = v * m;
	return NFE_OK;
}

int
fileexpire_parse_size(const char *s, uint64_t *bytes)
{
	static const uint64_t mult[] = { 1ULL << 10, 1ULL << 10, 1ULL << 20,
	    1ULL << 20, 1ULL << 30, 1ULL << 30, 1ULL << 40, 1ULL << 40, 1 };
	char buf[64];
	size_t n = strlen(s);

	/* "10GB" == "10G" */
	if (n >= 2 && n < sizeof(buf) && (s[n - 1] == 'B' || s[n - 1] ==
	    'b') && strchr("kKmMgGtT", s[n - 2]) != NULL) {
		memcpy(buf, s, n - 1);
		buf[n - 1] = '\0';
		s = buf;
	}
	return parse_scaled(s, "kKmMgGtTB", mult, 1, bytes);
}

int
fileexpire_parse_age(const char *s, uint64_t *secs)
{
	static const uint64_t mult[] = { 604800, 86400, 3600, 3600, 60, 1 };

	return parse_scaled(s, "wdhHms", mult, 3600, secs);
}
