/*
 * common/enrich/sessfile.c -- session snapshot and journal
 * (sessfile.h).  Every byte read goes through an rbuf; the snapshot's
 * checksum is verified before anything is restored.
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
#include "common/enrich/sessfile.h"

static const uint8_t snap_magic[8] = { 'F', 'K', 'S', 'E', 'S', 'S', 0, 1 };
static const uint8_t snap_end[8] = { 'F', 'K', 'S', 'E', 'N', 'D', 0, 0 };
static const uint8_t jrn_magic[8] = { 'F', 'K', 'S', 'J', 'R', 'N', 0, 1 };

#define CHUNK	(1u << 20)

struct snapw {
	int		 fd;
	uint8_t		*buf;		/* owned; CHUNK bytes */
	struct wbuf	 w;
	uLong		 crc;
	int		 err;
};

static int
snap_flush(struct snapw *s)
{
	size_t n = wbuf_len(&s->w);

	if (s->err != NFE_OK)
		return s->err;
	s->crc = crc32(s->crc, s->buf, (uInt)n);
	if ((s->err = durable_write_all(s->fd, s->buf, n)) == NFE_OK)
		wbuf_init(&s->w, s->buf, CHUNK);
	return s->err;
}

static int
snap_prefix(void *arg, const struct nf_prefix *p, const struct sessdb_rec *recs,
    size_t n)
{
	struct snapw *s = arg;
	bool v4 = addr_is_v4(&p->addr);

	if (wbuf_room(&s->w) < 64 && snap_flush(s) != NFE_OK)
		return s->err;
	wbuf_u8(&s->w, p->len);
	wbuf_u8(&s->w, v4 ? 4 : 6);
	wbuf_bytes(&s->w, v4 ? p->addr.a + 12 : p->addr.a, v4 ? 4 : 16);
	wbuf_le32(&s->w, (uint32_t)n);
	for (size_t i = 0; i < n; i++) {
		const struct sessdb_rec *r = &recs[i];
		size_t ulen = r->user != NULL ? strlen(r->user) : 0;

		if (wbuf_room(&s->w) < 64 + 256 && snap_flush(s) != NFE_OK)
			return s->err;
		wbuf_le64(&s->w, r->start_ms);
		wbuf_le64(&s->w, r->stop_ms);
		wbuf_u8(&s->w, r->open ? 1 : 0);
		wbuf_u8(&s->w, (uint8_t)ulen);
		wbuf_bytes(&s->w, r->user, ulen);
		if (r->open) {
			wbuf_le64(&s->w, r->sid);
			wbuf_bytes(&s->w, r->nas.a, 16);
			wbuf_le32(&s->w, r->timeout_s);
		}
	}
	return wbuf_ok(&s->w) ? NFE_OK : NFE_INTERNAL;
}

int
sessfile_save(const struct sessdb *db, const char *path, uint64_t now_ms)
{
	struct snapw s;
	char tmp[PATH_MAX];
	uint8_t hdr[20], tr[12];
	struct wbuf w;
	int r;

	memset(&s, 0, sizeof(s));
	if ((s.buf = malloc(CHUNK)) == NULL)
		return NFE_NOMEM;
	if ((r = durable_replace_open(path, tmp, sizeof(tmp), &s.fd)) !=
	    NFE_OK) {
		free(s.buf);
		return r;
	}
	wbuf_init(&w, hdr, sizeof(hdr));
	wbuf_bytes(&w, snap_magic, 8);
	wbuf_le16(&w, SESSFILE_MAJOR);
	wbuf_le16(&w, SESSFILE_MINOR);
	wbuf_le64(&w, now_ms);
	s.crc = crc32(0, Z_NULL, 0);
	wbuf_init(&s.w, s.buf, CHUNK);
	if ((r = durable_write_all(s.fd, hdr, sizeof(hdr))) == NFE_OK &&
	    (r = sessdb_walk(db, snap_prefix, &s)) == NFE_OK &&
	    (r = snap_flush(&s)) == NFE_OK) {
		wbuf_init(&w, tr, sizeof(tr));
		wbuf_le32(&w, (uint32_t)s.crc);
		wbuf_bytes(&w, snap_end, 8);
		r = durable_write_all(s.fd, tr, sizeof(tr));
	}
	free(s.buf);
	return durable_replace_commit(s.fd, r, tmp, path);
}

static int
read_addr(struct rbuf *r, unsigned fam, struct nf_addr *a)
{
	uint8_t b[16];

	if (fam == 4) {
		if (!rbuf_bytes(r, b, 4))
			return NFE_TRUNC;
		addr_from_v4_bytes(a, b);
	} else if (fam == 6) {
		if (!rbuf_bytes(r, b, 16))
			return NFE_TRUNC;
		addr_from_v6(a, b);
	} else
		return NFE_FORMAT;
	return NFE_OK;
}

static int
load_body(struct sessdb *db, struct rbuf *r, size_t *n)
{
	int lim = NFE_OK;

	while (rbuf_remaining(r) > 0) {
		struct nf_prefix p;
		unsigned fam;
		uint32_t cnt;
		int rc;

		p.len = rbuf_u8(r);
		fam = rbuf_u8(r);
		if ((rc = read_addr(r, fam, &p.addr)) != NFE_OK)
			return rc;
		cnt = rbuf_le32(r);
		if (!rbuf_ok(r))
			return NFE_TRUNC;
		if (p.len > (fam == 4 ? 32 : 128))
			return NFE_FORMAT;
		for (uint32_t i = 0; i < cnt; i++) {
			struct sessdb_rec rec;
			char user[256];
			uint8_t flags, ulen;

			memset(&rec, 0, sizeof(rec));
			rec.start_ms = rbuf_le64(r);
			rec.stop_ms = rbuf_le64(r);
			flags = rbuf_u8(r);
			ulen = rbuf_u8(r);
			if (!rbuf_bytes(r, user, ulen))
				return NFE_TRUNC;
			user[ulen] = '\0';
			rec.user = ulen > 0 ? user : NULL;
			rec.open = (flags & 1) != 0;
			if (rec.open) {
				rec.sid = rbuf_le64(r);
				rbuf_bytes(r, rec.nas.a, 16);
				rec.timeout_s = rbuf_le32(r);
			}
			if (!rbuf_ok(r))
				return NFE_TRUNC;
			if (flags > 1 || (rec.open && rec.sid == 0))
				return NFE_FORMAT;
			rc = sessdb_restore(db, &p, &rec);
			if (rc == NFE_OK)
				(*n)++;
			else if (rc == NFE_LIMIT || rc == NFE_NOMEM)
				lim = rc;
		}
	}
	return lim;
}

int
sessfile_load(struct sessdb *db, const char *path, size_t *n)
{
	const uint8_t *p;
	size_t len;
	struct rbuf r, body;
	uint8_t magic[8], end[8];
	uint16_t major;
	uint32_t crc;
	int rc;

	*n = 0;
	if ((rc = durable_map(path, &p, &len, SESSFILE_MAX_BYTES)) != NFE_OK)
		return rc;
	rbuf_init(&r, p, len);
	rbuf_bytes(&r, magic, 8);
	major = rbuf_le16(&r);
	(void)rbuf_le16(&r);
	(void)rbuf_le64(&r);
	if (!rbuf_ok(&r) || memcmp(magic, snap_magic, 6) != 0) {
		rc = NFE_FORMAT;
		goto out;
	}
	if (major != SESSFILE_MAJOR) {
		rc = NFE_VERSION;
		goto out;
	}
	if (rbuf_remaining(&r) < 12) {
		rc = NFE_CORRUPT;
		goto out;
	}
	rbuf_sub(&r, rbuf_remaining(&r) - 12, &body);
	crc = rbuf_le32(&r);
	rbuf_bytes(&r, end, 8);
	if (!rbuf_ok(&r) || memcmp(end, snap_end, 8) != 0 ||
	    crc != (uint32_t)crc32(crc32(0, Z_NULL, 0), rbuf_ptr(&body),
	    (uInt)rbuf_remaining(&body))) {
		rc = NFE_CORRUPT;
		goto out;
	}
	rc = load_body(db, &body, n);
	if (rc == NFE_TRUNC)
		rc = NFE_CORRUPT;
out:
	durable_unmap(p, len);
	return rc;
}

int
sessjournal_encode(const struct sessdb_event *ev, uint8_t *buf, size_t cap,
    size_t *len)
{
	struct wbuf w;
	size_t ulen = ev->user != NULL ? ev->user_len : 0;

	*len = 0;
	if (ev->npfx > SESSDB_MAX_PFX || ulen > 255)
		return NFE_INVAL;
	wbuf_init(&w, buf, cap);
	wbuf_u8(&w, (uint8_t)ev->kind);
	wbuf_le64(&w, ev->time_ms);
	wbuf_le64(&w, ev->start_ms);
	wbuf_le64(&w, ev->stop_ms);
	wbuf_le64(&w, ev->sid);
	wbuf_bytes(&w, ev->nas.a, 16);
	wbuf_le32(&w, ev->timeout_s);
	wbuf_u8(&w, (uint8_t)ev->npfx);
	for (size_t i = 0; i < ev->npfx; i++) {
		wbuf_u8(&w, ev->pfx[i].len);
		wbuf_bytes(&w, ev->pfx[i].addr.a, 16);
	}
	wbuf_u8(&w, (uint8_t)ulen);
	wbuf_bytes(&w, ev->user, ulen);
	if (!wbuf_ok(&w))
		return NFE_LIMIT;
	*len = wbuf_len(&w);
	return NFE_OK;
}

int
sessjournal_decode(const uint8_t *buf, size_t len, struct sessdb_event *ev)
{
	struct rbuf r;
	uint8_t ulen;

	memset(ev, 0, sizeof(*ev));
	rbuf_init(&r, buf, len);
	ev->kind = rbuf_u8(&r);
	ev->time_ms = rbuf_le64(&r);
	ev->start_ms = rbuf_le64(&r);
	ev->stop_ms = rbuf_le64(&r);
	ev->sid = rbuf_le64(&r);
	rbuf_bytes(&r, ev->nas.a, 16);
	ev->timeout_s = rbuf_le32(&r);
	ev->npfx = rbuf_u8(&r);
	if (!rbuf_ok(&r))
		return NFE_TRUNC;
	if (ev->npfx > SESSDB_MAX_PFX || ev->kind < SESSDB_START ||
	    ev->kind > SESSDB_SESSION)
		return NFE_FORMAT;
	for (size_t i = 0; i < ev->npfx; i++) {
		ev->pfx[i].len = rbuf_u8(&r);
		rbuf_bytes(&r, ev->pfx[i].addr.a, 16);
	}
	ulen = rbuf_u8(&r);
	if (!rbuf_ok(&r) || rbuf_remaining(&r) < ulen)
		return NFE_TRUNC;
	ev->user = ulen > 0 ? (const char *)rbuf_ptr(&r) : NULL;
	ev->user_len = ulen;
	rbuf_skip(&r, ulen);
	return rbuf_remaining(&r) == 0 ? NFE_OK : NFE_FORMAT;
}

struct sessjournal {
	int		 fd;
	uint64_t	 size;		/* bytes on disk */
	uint8_t		 buf[64 * 1024];
	size_t		 len;		/* buffered */
};

/* Replay records of a mapped journal; the length of its good part. */
static size_t
replay(const uint8_t *p, size_t len, struct sessdb *db, size_t *n)
{
	struct rbuf r;
	size_t good = 8;

	rbuf_init(&r, p, len);
	rbuf_skip(&r, 8);
	while (rbuf_remaining(&r) >= 8) {
		struct sessdb_event ev;
		struct rbuf rec;
		uint32_t rlen = rbuf_le32(&r), crc = rbuf_le32(&r);

		if (!rbuf_sub(&r, rlen, &rec) ||
		    crc != (uint32_t)crc32(crc32(0, Z_NULL, 0), rbuf_ptr(&rec),
		    rlen) ||
		    sessjournal_decode(rbuf_ptr(&rec), rlen, &ev) != NFE_OK)
			break;
		if (db != NULL)
			(void)sessdb_apply(db, &ev);	/* counted by the store */
		(*n)++;
		good = r.off;
	}
	return good;
}

int
sessjournal_open(const char *path, struct sessdb *db, struct sessjournal **out,
    size_t *replayed)
{
	struct sessjournal *j;
	const uint8_t *p = NULL;
	size_t len = 0, good = 0;
	int rc, e;

	*out = NULL;
	*replayed = 0;
	rc = durable_map(path, &p, &len, SIZE_MAX);
	if (rc != NFE_OK && !(rc == NFE_IO && errno == ENOENT))
		return rc;
	if (len >= 8) {
		if (memcmp(p, jrn_magic, 6) != 0) {
			durable_unmap(p, len);
			return NFE_FORMAT;
		}
		good = replay(p, len, db, replayed);
	}
	durable_unmap(p, len);
	if ((j = calloc(1, sizeof(*j))) == NULL)
		return NFE_NOMEM;
	if ((j->fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600)) < 0)
		goto fail;
	if (good < 8) {
		if (ftruncate(j->fd, 0) != 0 ||
		    pwrite(j->fd, jrn_magic, 8, 0) != 8)
			goto fail;
		good = 8;
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

static int
jflush(struct sessjournal *j)
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
sessjournal_append(struct sessjournal *j, const struct sessdb_event *ev)
{
	uint8_t rec[SESSJOURNAL_MAX_EVENT];
	size_t n;
	struct wbuf w;
	int r;

	if ((r = sessjournal_encode(ev, rec, sizeof(rec), &n)) != NFE_OK)
		return r;
	if (sizeof(j->buf) - j->len < n + 8 && (r = jflush(j)) != NFE_OK)
		return r;
	wbuf_init(&w, j->buf + j->len, sizeof(j->buf) - j->len);
	wbuf_le32(&w, (uint32_t)n);
	wbuf_le32(&w, (uint32_t)crc32(crc32(0, Z_NULL, 0), rec, (uInt)n));
	wbuf_bytes(&w, rec, n);
	j->len += wbuf_len(&w);
	return NFE_OK;
}

int
sessjournal_sync(struct sessjournal *j)
{
	int r;

	if ((r = jflush(j)) != NFE_OK)
		return r;
	return fdatasync(j->fd) == 0 ? NFE_OK : NFE_IO;
}

int
sessjournal_reset(struct sessjournal *j)
{
	j->len = 0;
	if (durable_truncate(j->fd, 8) != NFE_OK)
		return NFE_IO;
	j->size = 8;
	return NFE_OK;
}

uint64_t
sessjournal_size(const struct sessjournal *j)
{
	return j->size + j->len;
}

void
sessjournal_close(struct sessjournal *j)
{
	if (j == NULL)
		return;
	(void)jflush(j);
	close(j->fd);
	free(j);
}
