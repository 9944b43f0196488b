/*
 * common/enrich/sessfollow.c -- reading and following session files
 * (sessfollow.h).
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

#include "common/base/nferr.h"
#include "common/enrich/sessfollow.h"

#define BUFSZ	(SESSREAD_MAX_LINE * 2)

int
sessfollow_init(struct sessfollow *s, const char *const *paths, size_t n,
    sessfollow_event_fn *event, sessfollow_error_fn *error, void *arg)
{
	memset(s, 0, sizeof(*s));
	s->event = event;
	s->error = error;
	s->arg = arg;
	if ((s->paths = calloc(n + 1, sizeof(*s->paths))) == NULL ||
	    (s->said = calloc(n + 1, sizeof(*s->said))) == NULL ||
	    (s->buf = malloc(BUFSZ)) == NULL) {
		sessfollow_fini(s);
		return NFE_NOMEM;
	}
	for (size_t i = 0; i < n; i++)
		if ((s->paths[s->npaths++] = strdup(paths[i])) == NULL) {
			sessfollow_fini(s);
			return NFE_NOMEM;
		}
	return NFE_OK;
}

void
sessfollow_fini(struct sessfollow *s)
{
	for (size_t i = 0; s->paths != NULL && i < s->npaths; i++)
		free(s->paths[i]);
	for (size_t i = 0; i < s->nf; i++)
		free(s->f[i].path);
	free(s->paths);
	free(s->said);
	free(s->f);
	free(s->buf);
	memset(s, 0, sizeof(*s));
}

static void
report(struct sessfollow *s, const char *path, unsigned line, const char *msg)
{
	s->errors++;
	if (s->error != NULL)
		s->error(s->arg, path, line, msg);
}

static struct sessfollow_file *
file_of(struct sessfollow *s, const char *path)
{
	struct sessfollow_file *f;

	for (size_t i = 0; i < s->nf; i++)
		if (strcmp(s->f[i].path, path) == 0)
			return &s->f[i];
	if (s->nf == SESSFOLLOW_MAX_FILES) {
		if (!s->limit_said) {
			char msg[128];

			snprintf(msg, sizeof(msg), "more than %d session files: "
			    "the others are not read", SESSFOLLOW_MAX_FILES);
			report(s, path, 0, msg);
			s->limit_said = true;
		}
		return NULL;
	}
	if (s->nf == s->fcap) {
		size_t ncap = s->fcap == 0 ? 16 : s->fcap * 2;

		if ((f = realloc(s->f, ncap * sizeof(*f))) == NULL)
			return NULL;
		s->f = f;
		s->fcap = ncap;
	}
	f = &s->f[s->nf];
	memset(f, 0, sizeof(*f));
	if ((f->path = strdup(path)) == NULL)
		return NULL;
	sessread_init(&f->rd);
	s->nf++;
	return f;
}

static void
deliver(struct sessfollow *s, struct sessfollow_file *f, int rc,
    const struct sessdb_event *ev, bool have, const char *err)
{
	if (rc != NFE_OK) {
		report(s, f->path, f->lineno, err);
		return;
	}
	if (have) {
		s->events++;
		if (s->event != NULL)
			(void)s->event(s->arg, ev);
	}
}

static void
take_line(struct sessfollow *s, struct sessfollow_file *f, const char *line,
    size_t len)
{
	struct sessdb_event ev;
	char err[256];
	bool have;
	int rc;

	f->lineno++;
	s->lines++;
	rc = sessread_line(&f->rd, line, len, f->lineno, &ev, &have, err,
	    sizeof(err));
	deliver(s, f, rc, &ev, have, err);
}

/* Read what is new in one file. */
static void
read_file(struct sessfollow *s, struct sessfollow_file *f, bool final)
{
	struct stat st;
	size_t total = 0, have = 0;
	int fd;

	if (f->done && final)
		return;
	if ((fd = open(f->path, O_RDONLY | O_CLOEXEC)) < 0) {
		report(s, f->path, 0, strerror(errno));
		return;
	}
	if (fstat(fd, &st) != 0) {
		report(s, f->path, 0, strerror(errno));
		close(fd);
		return;
	}
	if (st.st_dev != f->dev || st.st_ino != f->ino || st.st_size < f->off) {
		/* a new file under the name, or cut shorter: from the start */
		f->dev = st.st_dev;
		f->ino = st.st_ino;
		f->off = 0;
		f->lineno = 0;
		f->skipping = false;
		sessread_init(&f->rd);
	}
	if (lseek(fd, f->off, SEEK_SET) < 0) {
		close(fd);
		return;
	}
	while (final || total < SESSFOLLOW_MAX_READ) {
		ssize_t n = read(fd, s->buf + have, BUFSZ - have);
		size_t start = 0;

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		total += (size_t)n;
		have += (size_t)n;
		for (size_t i = 0; i < have; i++) {
			if (s->buf[i] != '\n')
				continue;
			if (f->skipping)
				f->skipping = false, f->lineno++;
			else
				take_line(s, f, s->buf + start, i - start);
			start = i + 1;
		}
		f->off += (off_t)start;
		memmove(s->buf, s->buf + start, have - start);
		have -= start;
		if (have > SESSREAD_MAX_LINE) {
			/* too long a line: say so once, drop it to its end */
			if (!f->skipping)
				report(s, f->path, f->lineno + 1, "longer than "
				    "the longest line taken (64 KiB)");
			f->skipping = true;
			f->off += (off_t)have;
			have = 0;
		}
	}
	close(fd);
	if (final) {
		struct sessdb_event ev;
		char err[256];
		bool got;
		int rc;

		if (have > 0 && !f->skipping) {
			take_line(s, f, s->buf, have);
			f->off += (off_t)have;
		}
		rc = sessread_end(&f->rd, &ev, &got, err, sizeof(err));
		deliver(s, f, rc, &ev, got, err);
		f->done = true;
	}
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every file of dir, depth levels down, in name order. */
static void
scan_dir(struct sessfollow *s, const char *dir, int depth, bool final)
{
	DIR *d;
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, cap = 0;

	if ((d = opendir(dir)) == NULL) {
		report(s, dir, 0, strerror(errno));
		return;
	}
	while ((de = readdir(d)) != NULL) {
		char **nn;

		if (de->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap == 0 ? 32 : cap * 2;
			if ((nn = realloc(names, cap * sizeof(*nn))) == NULL)
				break;
			names = nn;
		}
		if ((names[n] = malloc(strlen(dir) + strlen(de->d_name) + 2)) ==
		    NULL)
			break;
		sprintf(names[n++], "%s/%s", dir, de->d_name);
	}
	closedir(d);
	if (n > 1)
		qsort(names, n, sizeof(*names), name_cmp);
	for (size_t i = 0; i < n; i++) {
		struct stat st;
		struct sessfollow_file *f;

		if (stat(names[i], &st) == 0) {
			if (S_ISDIR(st.st_mode) && depth > 0)
				scan_dir(s, names[i], depth - 1, final);
			else if (S_ISREG(st.st_mode) &&
			    (f = file_of(s, names[i])) != NULL)
				read_file(s, f, final);
		}
		free(names[i]);
	}
	free(names);
}

uint64_t
sessfollow_poll(struct sessfollow *s, bool final)
{
	uint64_t before = s->events;

	for (size_t i = 0; i < s->npaths; i++) {
		struct stat st;
		struct sessfollow_file *f;

		if (stat(s->paths[i], &st) != 0) {
			if (final || !s->said[i])
				report(s, s->paths[i], 0, strerror(errno));
			s->said[i] = true;
			continue;
		}
		s->said[i] = false;
		if (S_ISDIR(st.st_mode))
			scan_dir(s, s->paths[i], SESSFOLLOW_DEPTH, final);
		else if ((f = file_of(s, s->paths[i])) != NULL)
			read_file(s, f, final);
	}
	return s->events - before;
}
