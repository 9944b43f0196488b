/*
 * common/enrich/natfile.c -- CGNAT mapping snapshot and journal
 * (natfile.h).  Every byte read goes through an rbuf; each record's
 * checksum is verified before anything of it is used.
 */
#include "common/base/compat.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "common/base/buf.h"
#include "common/base/nferr.h"
#include "common/enrich/durable.h"
#include "common/enrich/natfile.h"

static const uint8_t snap_magic[8] = { 'F', 'K', 'N', 'A', 'T', 'S', 0, 1 };
static const uint8_t jrn_magic[8] = { 'F', 'K', 'N', 'J', 'R', 'N', 0, 1 };

enum { REC_MAP = 1, REC_ALLOC = 2, REC_FREE = 3 };

#define CHUNK	(NATFILE_REC * 16384)	/* 1 MB of records a write */

static void
put_header(uint8_t *hdr, const uint8_t *magic, uint64_t now_ms)
{
	struct wbuf w;

	wbuf_init(&w, hdr, NATFILE_HDR);
	wbuf_bytes(&w, magic, 8);
	wbuf_le16(&w, NATFILE_MAJOR);
	wbuf_le16(&w, NATFILE_MINOR);
	wbuf_le32(&w, NATFILE_REC);
	wbuf_le64(&w, now_ms);
}

/* One record into rec (NATFILE_REC bytes), checksum last. */
static void
put_record(uint8_t *rec, unsigned kind, bool open, uint16_t lo, uint16_t hi,
    uint16_t step, uint64_t start, uint64_t stop, const struct nf_addr *out,
    const struct nf_addr *in)
{
	struct wbuf w;

	wbuf_init(&w, rec, NATFILE_REC);
	wbuf_u8(&w, (uint8_t)kind);
	wbuf_u8(&w, open ? 1 : 0);
	wbuf_le16(&w, lo);
	wbuf_le16(&w, hi);
	wbuf_le16(&w, step);
	wbuf_le64(&w, start);
	wbuf_le64(&w, stop);
	wbuf_bytes(&w, out->a, 16);
	wbuf_bytes(&w, in->a, 16);
	wbuf_le32(&w, 0);
	wbuf_le32(&w, (uint32_t)crc32(crc32(0, Z_NULL, 0), rec,
	    NATFILE_REC - 4));
}

struct snapw {
	int		 fd;
	uint8_t		*buf;		/* owned; CHUNK bytes */
	size_t		 len;
	int		 err;
};

static int
snap_map(void *arg, const struct natmap_entry *e)
{
	struct snapw *s = arg;

	if (s->len == CHUNK) {
		if ((s->err = durable_write_all(s->fd, s->buf, s->len)) !=
		    NFE_OK)
			return s->err;
		s->len = 0;
	}
	put_record(s->buf + s->len, REC_MAP, e->open, e->port_lo, e->port_hi,
	    e->step, e->start, e->stop, &e->outside, &e->inside);
	s->len += NATFILE_REC;
	return NFE_OK;
}

int
natfile_save(const struct natmap *nm, const char *path, uint64_t now_ms)
{
	struct snapw s;
	char tmp[PATH_MAX];
	uint8_t hdr[NATFILE_HDR];
	int r;

	memset(&s, 0, sizeof(s));
	if ((s.buf = malloc(CHUNK)) == NULL)
		return NFE_NOMEM;
	if ((r = durable_replace_open(path, tmp, sizeof(tmp), &s.fd)) !=
	    NFE_OK) {
		free(s.buf);
		return r;
	}
	put_header(hdr, snap_magic, now_ms);
	if ((r = durable_write_all(s.fd, hdr, sizeof(hdr))) == NFE_OK &&
	    (r = natmap_walk(nm, snap_map, &s)) == NFE_OK)
		r = durable_write_all(s.fd, s.buf, s.len);
	free(s.buf);
	return durable_replace_commit(s.fd, r, tmp, path);
}

/*
 * Decode one record.  NULL and the mapping or event it holds, or the
 * reason it cannot be used.
 */
static const char *
get_record(const uint8_t *rec, unsigned *kind, struct natmap_entry *e)
{
	struct rbuf r;
	unsigned flags;
	uint32_t zero, crc;

	rbuf_init(&r, rec, NATFILE_REC);
	memset(e, 0, sizeof(*e));
	*kind = rbuf_u8(&r);
	flags = rbuf_u8(&r);
	e->port_lo = rbuf_le16(&r);
	e->port_hi = rbuf_le16(&r);
	e->step = rbuf_le16(&r);
	e->start = rbuf_le64(&r);
	e->stop = rbuf_le64(&r);
	rbuf_bytes(&r, e->outside.a, 16);
	rbuf_bytes(&r, e->inside.a, 16);
	zero = rbuf_le32(&r);
	crc = rbuf_le32(&r);
	if (!rbuf_ok(&r))
		return "record cut short";
	if (crc != (uint32_t)crc32(crc32(0, Z_NULL, 0), rec, NATFILE_REC - 4))
		return "bad checksum";
	if (*kind < REC_MAP || *kind > REC_FREE)
		return "unknown record kind";
	if (flags > 1 || zero != 0 || (*kind != REC_MAP && (flags != 0 ||
	    e->stop != 0)))
		return "bad flags or reserved bytes";
	if (e->port_hi < e->port_lo)
		return "port range ends before it starts";
	if (*kind == REC_MAP && e->stop <= e->start)
		return "mapping ends before it starts";
	if (addr_is_zero(&e->outside) || addr_is_zero(&e->inside))
		return "no address";
	e->open = flags == 1;
	return NULL;
}

int
natfile_read(struct natmap *nm, const char *name, const uint8_t *p,
    size_t len, bool journal, uint64_t cutoff_ms, natfile_error_fn *err,
    void *arg, struct natfile_counts *c, size_t *good)
{
	struct rbuf r;
	uint8_t magic[8];
	uint16_t major;
	uint32_t recsz;
	size_t off;
	char msg[128];

	if (good != NULL)
		*good = 0;
	rbuf_init(&r, p, len);
	rbuf_bytes(&r, magic, 8);
	major = rbuf_le16(&r);
	(void)rbuf_le16(&r);		/* minor: additions only */
	recsz = rbuf_le32(&r);
	(void)rbuf_le64(&r);		/* written_ms: for people */
	if (!rbuf_ok(&r))	/* a header cut short, or something else */
		return memcmp(p, journal ? jrn_magic : snap_magic,
		    len < 8 ? len : 8) == 0 ? NFE_CORRUPT : NFE_FORMAT;
	if (memcmp(magic, journal ? jrn_magic : snap_magic, 6) != 0)
		return NFE_FORMAT;
	if (major != NATFILE_MAJOR || recsz != NATFILE_REC)
		return NFE_VERSION;
	for (off = NATFILE_HDR; len - off >= NATFILE_REC; off += NATFILE_REC) {
		struct natmap_entry e;
		struct natmap_event ev;
		const char *why;
		unsigned kind;
		int rc;

		if ((why = get_record(p + off, &kind, &e)) != NULL) {
			c->damaged++;
			if (err != NULL)
				err(arg, name, off, why);
			continue;
		}
		c->records++;
		if (kind == REC_MAP) {
			if (e.stop <= cutoff_ms) {
				c->expired++;
				continue;
			}
			rc = natmap_restore(nm, &e);
		} else {
			memset(&ev, 0, sizeof(ev));
			ev.create = kind == REC_ALLOC;
			ev.time_ms = e.start;
			ev.inside = e.inside;
			ev.outside = e.outside;
			ev.port_lo = e.port_lo;
			ev.port_hi = e.port_hi;
			ev.step = e.step;
			rc = natmap_apply(nm, &ev);
		}
		if (rc == NFE_OK)
			c->loaded++;
		else
			c->refused++;
	}
	if (good != NULL)
		*good = off;
	if (off < len) {
		c->truncated += len - off;
		if (err != NULL) {
			snprintf(msg, sizeof(msg), "last record cut short "
			    "(%zu of %d bytes)", len - off, NATFILE_REC);
			err(arg, name, off, msg);
		}
	}
	return NFE_OK;
}

int
natfile_load(struct natmap *nm, const char *path, uint64_t cutoff_ms,
    natfile_error_fn *err, void *arg, struct natfile_counts *c)
{
	const uint8_t *p;
	size_t len;
	int rc;

	if ((rc = durable_map(path, &p, &len, NATFILE_MAX_BYTES)) != NFE_OK)
		return rc;
	if (len == 0)
		return NFE_OK;		/* nothing written yet */
	rc = natfile_read(nm, path, p, len, false, cutoff_ms, err, arg, c,
	    NULL);
	durable_unmap(p, len);
	return rc;
}

struct natjournal {
	int		 fd;
	uint64_t	 size;		/* bytes on disk */
	uint8_t		 buf[NATFILE_REC * 1024];
	size_t		 len;		/* buffered */
};

int
natjournal_open(const char *path, struct natmap *nm, uint64_t cutoff_ms,
    natfile_error_fn *err, void *arg, struct natfile_counts *c,
    struct natjournal **out)
{
	struct natjournal *j;
	const uint8_t *p = NULL;
	size_t len = 0, good = 0;
	uint8_t hdr[NATFILE_HDR];
	int rc, e;

	*out = NULL;
	rc = durable_map(path, &p, &len, NATFILE_MAX_BYTES);
	if (rc != NFE_OK && !(rc == NFE_IO && errno == ENOENT))
		return rc;
	if (len > 0) {
		rc = natfile_read(nm, path, p, len, true, cutoff_ms, err, arg,
		    c, &good);
		if (rc == NFE_CORRUPT)
			good = 0;	/* a header cut short: start afresh */
		else if (rc != NFE_OK) {
			durable_unmap(p, len);
			return rc;
		}
	}
	durable_unmap(p, len);
	if ((j = calloc(1, sizeof(*j))) == NULL)
		return NFE_NOMEM;
	if ((j->fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600)) < 0)
		goto fail;
	if (good < NATFILE_HDR) {
		put_header(hdr, jrn_magic, 0);
		if (ftruncate(j->fd, 0) != 0 ||
		    pwrite(j->fd, hdr, sizeof(hdr), 0) != (ssize_t)sizeof(hdr))
			goto fail;
		good = NATFILE_HDR;
	} else if (good < len && ftruncate(j->fd, (off_t)good) != 0)
		goto fail;
	if (lseek(j->fd, (off_t)good, SEEK_SET) < 0)
		goto fail;
	j->size = good;
	*out = j;
	return NFE_OK;
fail:
	e = errno;
	if (j->fd >= 0)
		close(j->fd);
	free(j);
	errno = e;
	return NFE_IO;
}

int
natjournal_flush(struct natjournal *j)
{
	int r;

	if (j->len == 0)
		return NFE_OK;
	if ((r = durable_write_all(j->fd, j->buf, j->len)) != NFE_OK)
		return r;
	j->size += j->len;
	j->len = 0;
	return NFE_OK;
}

int
natjournal_append(struct natjournal *j, const struct natmap_event *ev)
{
	int r;

	if (j->len == sizeof(j->buf) && (r = natjournal_flush(j)) != NFE_OK)
		return r;
	put_record(j->buf + j->len, ev->create ? REC_ALLOC : REC_FREE, false,
	    ev->port_lo, ev->port_hi, ev->step, ev->time_ms, 0, &ev->outside,
	    &ev->inside);
	j->len += NATFILE_REC;
	return NFE_OK;
}

int
natjournal_sync(struct natjournal *j)
{
	int r;

	if ((r = natjournal_flush(j)) != NFE_OK)
		return r;
	return fdatasync(j->fd) == 0 ? NFE_OK : NFE_IO;
}

int
natjournal_reset(struct natjournal *j)
{
	j->len = 0;
	if (durable_truncate(j->fd, NATFILE_HDR) != NFE_OK)
		return NFE_IO;
	j->size = NATFILE_HDR;
	return NFE_OK;
}

uint64_t
natjournal_records(const struct natjournal *j)
{
	return (j->size + j->len - NATFILE_HDR) / NATFILE_REC;
}

void
natjournal_close(struct natjournal *j)
{
	if (j == NULL)
		return;
	(void)natjournal_flush(j);
	close(j->fd);
	free(j);
}
