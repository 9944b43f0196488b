/*
 * collector/sinkfollow.c -- the data directory read in order from a
 * position on (collector/sinkfollow.h).
 *
 * State: the file being read (by its final name; opened as that name or
 * as its *.current name, whichever exists, and then followed through
 * the descriptor whatever it is renamed to), the next block of its
 * index to load, and the records of the loaded block not yet consumed.
 * A start position inside a file is kept as "want" until the block at
 * that offset has been indexed.
 */
#include "common/base/compat.h"

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collector/sinkfollow.h"
#include "collector/spoolname.h"
#include "common/base/nferr.h"
#include "common/base/timeutil.h"
#include "common/ffile/fcol.h"
#include "common/ffile/ffile.h"

struct follow {
	const char	*dir;		/* borrowed */
	struct sinkcursor cur;		/* file, slot; off/rec: read position */
	struct ffile_reader *r;		/* owned; NULL: not open */
	uint64_t	 mtime_ms;	/* of the file when opened */
	uint64_t	*seen;		/* owned: per indexed block, when it
					   was first seen (ms since 1970) */
	size_t		 nseen, seen_cap;
	size_t		 blk_next;	/* next block index to load */
	uint64_t	 opened_ms;	/* when cur.file was opened (wall) */
	uint64_t	 late_mark;	/* files named before cur.file and
					   written up to here are reported */
	bool		 want;		/* still looking for cur.off */
	struct ffile_blockbuf bb;
	struct fcol	 col;
	struct flowrec	*recs;		/* owned: the loaded block */
	size_t		 cap, nrec, next;
	uint64_t	 blk_off;	/* offset of the loaded block */
	uint64_t	 blk_end;	/* just after it */
	uint64_t	 blk_seen;
	bool		 loaded;
	struct follow_stats st;
};

/* One flow file found in the directory walk. */
struct ent {
	char		rel[SINKCURSOR_PATH_MAX + 1];	/* final name */
	int64_t		slot;
	bool		tmp;		/* only its *.current exists */
	uint64_t	size;
	uint64_t	mtime_ms;
};

typedef void walk_fn(void *arg, const struct ent *e);

static void
walk(const char *dir, const char *rel, int depth, walk_fn *fn, void *arg)
{
	char path[4096], sub[SINKCURSOR_PATH_MAX + 1];
	struct dirent *de;
	struct stat st;
	struct ent e;
	DIR *d;

	snprintf(path, sizeof(path), "%s%s%s", dir, rel[0] != '\0' ? "/" : "",
	    rel);
	if ((d = opendir(path)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		bool tmp;
		int n;

		if (de->d_name[0] == '.')
			continue;
		n = snprintf(sub, sizeof(sub), "%s%s%s", rel,
		    rel[0] != '\0' ? "/" : "", de->d_name);
		if (n < 0 || (size_t)n >= sizeof(sub))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, sub);
		if (lstat(path, &st) == -1)
			continue;
		if (S_ISDIR(st.st_mode)) {
			if (depth < SINKFOLLOW_MAX_DEPTH)
				walk(dir, sub, depth + 1, fn, arg);
			continue;
		}
		if (!S_ISREG(st.st_mode) ||
		    !spool_parse_name(de->d_name, &e.slot, &tmp))
			continue;
		if (tmp)
			sub[strlen(sub) - strlen(SPOOL_TMP_SUFFIX)] = '\0';
		snprintf(e.rel, sizeof(e.rel), "%s", sub);
		e.tmp = tmp;
		e.size = (uint64_t)st.st_size;
		e.mtime_ms = (uint64_t)st.st_mtim.tv_sec * 1000 +
		    (uint64_t)st.st_mtim.tv_nsec / 1000000;
		fn(arg, &e);
	}
	closedir(d);
}

/*
 * The first file after (or, with or_equal, at) a slot; and a file named
 * before it that was written after late_since (a collector restarted
 * with another -t names files on another grid): the sink has gone past
 * its name and would never deliver it, so it is reported.
 */
struct first_after {
	int64_t		slot;
	bool		or_equal;
	bool		found;
	struct ent	best;
	uint64_t	late_since;	/* 0: do not look */
	uint64_t	late_max;	/* newest such file's mtime */
	struct ent	late;
	size_t		nlate;
};

static void
first_after_fn(void *arg, const struct ent *e)
{
	struct first_after *a = arg;

	if (a->late_since != 0 && e->slot < a->slot &&
	    e->mtime_ms > a->late_since) {
		a->nlate++;
		if (e->mtime_ms > a->late_max) {
			a->late_max = e->mtime_ms;
			a->late = *e;
		}
	}

	if (e->slot < a->slot || (e->slot == a->slot && !a->or_equal))
		return;
	if (!a->found || e->slot < a->best.slot ||
	    (e->slot == a->best.slot && a->best.tmp && !e->tmp)) {
		a->best = *e;
		a->found = true;
	}
}

int
follow_new(const char *dir, const struct sinkcursor *start,
    struct follow **out)
{
	struct follow *f;

	*out = NULL;
	if ((f = calloc(1, sizeof(*f))) == NULL)
		return NFE_NOMEM;
	f->dir = dir;
	f->cur = *start;
	f->want = true;
	ffile_blockbuf_init(&f->bb);
	*out = f;
	return NFE_OK;
}

static void
close_file(struct follow *f)
{
	ffile_close(f->r);
	f->r = NULL;
	f->nseen = 0;
	f->blk_next = 0;
	f->loaded = false;
	f->nrec = f->next = 0;
}

void
follow_free(struct follow *f)
{
	if (f == NULL)
		return;
	close_file(f);
	ffile_blockbuf_fini(&f->bb);
	fcol_fini(&f->col);
	free(f->recs);
	free(f->seen);
	free(f);
}

/* Note when blocks indexed since the last look were first seen. */
static int
note_seen(struct follow *f, uint64_t when)
{
	size_t nb = ffile_info(f->r)->nblocks;

	if (nb > f->seen_cap) {
		size_t cap = f->seen_cap ? f->seen_cap : 64;
		uint64_t *p;

		while (cap < nb)
			cap *= 2;
		if ((p = realloc(f->seen, cap * sizeof(*p))) == NULL)
			return NFE_NOMEM;
		f->seen = p;
		f->seen_cap = cap;
	}
	for (; f->nseen < nb; f->nseen++)
		f->seen[f->nseen] = when;
	return NFE_OK;
}

enum { OPENED, ABSENT, NOT_YET, UNREADABLE };

/*
 * Open cur.file under its final name or its *.current name.  ABSENT:
 * neither exists; NOT_YET: a *.current whose header is not on disk yet
 * (a collector waiting for the disk); UNREADABLE: a completed file that
 * is not a flow file this reader can read (problem says why).
 */
static int
open_named(struct follow *f, uint64_t now_ms)
{
	char path[4096], err[256];
	struct stat st;
	int rc;

	for (int t = 0; t < 2; t++) {
		snprintf(path, sizeof(path), "%s/%s%s", f->dir, f->cur.file,
		    t ? SPOOL_TMP_SUFFIX : "");
		if (stat(path, &st) == -1)
			continue;
		rc = ffile_open(path, FFILE_O_FOLLOW, &f->r, err, sizeof(err));
		if (rc == NFE_IO && errno == ENOENT)
			continue;	/* renamed meanwhile: try the other */
		if (rc != NFE_OK && t == 1)
			return NOT_YET;
		if (rc != NFE_OK) {
			snprintf(f->st.problem, sizeof(f->st.problem), "%.300s: "
			    "%.150s: cannot be delivered, skipped", path, err);
			f->st.vanished++;
			return UNREADABLE;
		}
		f->st.files++;
		f->opened_ms = now_ms;
		f->mtime_ms = (uint64_t)st.st_mtim.tv_sec * 1000 +
		    (uint64_t)st.st_mtim.tv_nsec / 1000000;
		if (f->mtime_ms > now_ms)
			f->mtime_ms = now_ms;
		f->nseen = 0;
		if (note_seen(f, f->mtime_ms) != NFE_OK) {
			close_file(f);
			return NOT_YET;
		}
		return OPENED;
	}
	return ABSENT;
}

/*
 * Make sure a file is open: cur.file, or if it is gone, the next one
 * (counted as vanished when cur.file was named).
 */
static void
ensure_open(struct follow *f, uint64_t now_ms)
{
	struct first_after a;
	int how = ABSENT;

	if (f->r != NULL)
		return;
	if (f->cur.file[0] != '\0' && (how = open_named(f, now_ms)) != ABSENT &&
	    how != UNREADABLE)
		return;
	memset(&a, 0, sizeof(a));
	a.slot = f->cur.slot_s;
	a.or_equal = f->cur.file[0] == '\0';
	walk(f->dir, "", 0, first_after_fn, &a);
	if (!a.found)
		return;			/* nothing yet */
	if (f->cur.file[0] != '\0' && how == ABSENT) {
		f->st.vanished++;
		snprintf(f->st.problem, sizeof(f->st.problem), "%.150s/%.80s "
		    "was removed before it was delivered: its flows are lost "
		    "to this sink; going on with %.80s", f->dir, f->cur.file,
		    a.best.rel);
	}
	snprintf(f->cur.file, sizeof(f->cur.file), "%s", a.best.rel);
	f->cur.slot_s = a.best.slot;
	f->cur.off = 0;
	f->cur.rec = 0;
	f->want = true;
	(void)open_named(f, now_ms);
}

/* Load block index i; false if it could not be read (skipped). */
static bool
load(struct follow *f, size_t i)
{
	const struct ffile_blockmeta *m = ffile_block(f->r, i);
	char err[256];
	int rc;

	f->loaded = false;
	rc = ffile_load_block(f->r, i, FCOL_ALL, &f->bb, &f->col, err,
	    sizeof(err));
	if (rc != NFE_OK) {
		f->st.bad_blocks++;
		snprintf(f->st.problem, sizeof(f->st.problem), "%.150s/%.80s: "
		    "%.200s: block skipped", f->dir, f->cur.file, err);
		return false;
	}
	if (f->col.n > f->cap) {
		struct flowrec *p = realloc(f->recs, f->col.n * sizeof(*p));

		if (p == NULL)
			return false;
		f->recs = p;
		f->cap = f->col.n;
	}
	for (size_t k = 0; k < f->col.n; k++)
		fcol_get(&f->col, k, &f->recs[k]);
	f->nrec = f->col.n;
	f->next = 0;
	f->blk_off = m->offset;
	f->blk_end = m->offset + m->length;
	f->blk_seen = i < f->nseen ? f->seen[i] : f->mtime_ms;
	f->loaded = true;
	return true;
}

/* Where to start in a file opened at a position: block and record. */
static void
find_start(struct follow *f)
{
	const struct ffile_info *in = ffile_info(f->r);

	if (!f->want)
		return;
	if (f->cur.off == 0) {
		f->want = false;
		f->blk_next = 0;
		return;
	}
	for (size_t i = 0; i < in->nblocks; i++) {
		const struct ffile_blockmeta *m = ffile_block(f->r, i);

		if (m->offset < f->cur.off)
			continue;
		f->want = false;
		f->blk_next = i;
		if (m->offset == f->cur.off && load(f, i)) {
			f->blk_next = i + 1;
			f->next = f->cur.rec < f->nrec ? f->cur.rec : f->nrec;
		} else if (m->offset == f->cur.off) {
			f->blk_next = i + 1;
		}
		return;
	}
	/* the block is not indexed yet; if the file is complete it never
	 * will be (damage): start after everything */
	if (in->clean) {
		f->want = false;
		f->blk_next = in->nblocks;
	}
}

int
follow_peek(struct follow *f, uint64_t now_ms, struct follow_view *v)
{
	const struct ffile_info *in;
	bool changed;
	char err[256];

	memset(v, 0, sizeof(*v));
	ensure_open(f, now_ms);
	if (f->r == NULL)
		return NFE_OK;
	for (;;) {
		if (f->loaded && f->next < f->nrec) {
			v->recs = f->recs + f->next;
			v->n = f->nrec - f->next;
			snprintf(v->pos.file, sizeof(v->pos.file), "%s",
			    f->cur.file);
			v->pos.slot_s = f->cur.slot_s;
			v->pos.off = f->blk_off;
			v->pos.rec = (uint32_t)f->next;
			v->seen_ms = f->blk_seen;
			v->blk_end = f->blk_end;
			v->blk_nrec = (uint32_t)f->nrec;
			return NFE_OK;
		}
		in = ffile_info(f->r);
		if (f->want) {
			find_start(f);
			if (f->loaded && f->next < f->nrec)
				continue;	/* started inside a block */
		}
		if (!f->want && f->blk_next < in->nblocks) {
			(void)load(f, f->blk_next++);
			continue;
		}
		if (in->clean) {
			v->at_end = true;
			return NFE_OK;
		}
		if (ffile_refresh(f->r, &changed, err, sizeof(err)) != NFE_OK)
			return NFE_OK;	/* try again at the next peek */
		if (!changed)
			return NFE_OK;
		if (note_seen(f, now_ms) != NFE_OK)
			return NFE_NOMEM;
	}
}

void
follow_consume(struct follow *f, size_t n)
{
	if (!f->loaded)
		return;
	f->next = f->next + n < f->nrec ? f->next + n : f->nrec;
	/* a block read to its end: the position is where the next begins */
	f->cur.off = f->next < f->nrec ? f->blk_off : f->blk_end;
	f->cur.rec = f->next < f->nrec ? (uint32_t)f->next : 0;
}

int
follow_next_file(struct follow *f, bool *moved)
{
	struct first_after a;

	*moved = false;
	memset(&a, 0, sizeof(a));
	a.slot = f->cur.slot_s;
	a.late_since = f->opened_ms > f->late_mark ? f->opened_ms :
	    f->late_mark;
	walk(f->dir, "", 0, first_after_fn, &a);
	if (a.nlate > 0) {
		f->late_mark = a.late_max;
		f->st.late += a.nlate;
		snprintf(f->st.problem, sizeof(f->st.problem), "%zu file(s), "
		    "the last %.80s, named before %.80s but written after it "
		    "was opened (flowcapd restarted with another -t?): this "
		    "sink has gone past their names and will not deliver them; "
		    "deliver them with flowq -r FILE --sink URL", a.nlate,
		    a.late.rel, f->cur.file);
	}
	if (!a.found)
		return NFE_OK;
	close_file(f);
	snprintf(f->cur.file, sizeof(f->cur.file), "%s", a.best.rel);
	f->cur.slot_s = a.best.slot;
	f->cur.off = 0;
	f->cur.rec = 0;
	f->want = true;
	*moved = true;
	return NFE_OK;
}

void
follow_exporters(const struct follow *f, const struct ffile_exporter **xs,
    size_t *n)
{
	const struct ffile_info *in = f->r != NULL ? ffile_info(f->r) : NULL;

	*xs = in != NULL ? in->exporters : NULL;
	*n = in != NULL ? in->nexporters : 0;
}

void
follow_position(const struct follow *f, struct sinkcursor *pos)
{
	snprintf(pos->file, sizeof(pos->file), "%s", f->cur.file);
	pos->slot_s = f->cur.slot_s;
	pos->off = f->cur.off;
	pos->rec = f->cur.rec;
}

const struct follow_stats *
follow_stats(const struct follow *f)
{
	return &f->st;
}

struct pending {
	const char	*dir;
	const struct sinkcursor *pos;
	bool		rest_done;
	uint64_t	bytes;
};

/*
 * A small file after the cursor that holds no complete block of
 * records (a rotation without traffic, or one just opened) has nothing
 * to deliver; a failing sink, whose cursor cannot move past its stuck
 * batch, would otherwise count every such file as pending.  A file that
 * cannot be read counts, as before.
 */
static bool
no_records(const char *dir, const struct ent *e)
{
	char path[4096], err[256];
	struct ffile_reader *r;
	bool none;

	if (e->size > SINKFOLLOW_EMPTY_MAX)
		return false;
	snprintf(path, sizeof(path), "%s/%s%s", dir, e->rel,
	    e->tmp ? SPOOL_TMP_SUFFIX : "");
	if (ffile_open(path, FFILE_O_FOLLOW, &r, err, sizeof(err)) != NFE_OK)
		return false;
	none = ffile_info(r)->records == 0;
	ffile_close(r);
	return none;
}

static void
pending_fn(void *arg, const struct ent *e)
{
	struct pending *p = arg;

	if (e->slot > p->pos->slot_s) {
		if (!no_records(p->dir, e))
			p->bytes += e->size;
	} else if (e->slot == p->pos->slot_s && !p->rest_done &&
	    e->size > p->pos->off)
		p->bytes += e->size - p->pos->off;
}

int
follow_pending_bytes(const char *dir, const struct sinkcursor *pos,
    bool rest_done, uint64_t *bytes)
{
	struct pending p = { dir, pos, rest_done, 0 };

	walk(dir, "", 0, pending_fn, &p);
	*bytes = p.bytes;
	return NFE_OK;
}

struct newest {
	bool		found;
	struct ent	e;
};

static void
newest_fn(void *arg, const struct ent *e)
{
	struct newest *n = arg;

	if (!n->found || e->slot > n->e.slot) {
		n->e = *e;
		n->found = true;
	}
}

bool
follow_newest(const char *dir, char *rel, size_t len, int64_t *slot)
{
	struct newest n;

	memset(&n, 0, sizeof(n));
	walk(dir, "", 0, newest_fn, &n);
	if (!n.found)
		return false;
	snprintf(rel, len, "%s", n.e.rel);
	*slot = n.e.slot;
	return true;
}
