/*
 * common/ffile/ffile_write.c -- flow file writer (flowkit-file(5)).
 *
 * Records are buffered as columns in a struct fcol; a full block (or a
 * flush) encodes each column (fcol.c), compresses it on its own
 * (zcodec.c), checksums it (crc32c.c) and writes header and payload
 * with one pwrite at the end of the last good section.  If a write
 * fails the file is cut back to that end, so it always holds a header
 * and whole sections only.  The fixed sections are encoded in
 * ffile_enc.c.  Never logs; never writes a struct image.
 *
 * Direct mode: a failed block stays buffered and the error goes to the
 * caller.  Hold mode (ffile.h): every section that cannot be written
 * joins a queue of encoded sections, in file order, that
 * ffile_writer_retry() writes later; the file is a pure function of
 * the sections built, whenever they reach the disk.
 */
#include "common/base/compat.h"

#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/base/buf.h"
#include "common/base/nferr.h"
#include "common/ffile/crc32c.h"
#include "common/ffile/fcol.h"
#include "common/ffile/ffile.h"
#include "common/ffile/ffile_int.h"
#include "common/ffile/fidx.h"
#include "common/ffile/zcodec.h"

enum { SEC_HEADER, SEC_EXPORTERS, SEC_BLOCK };

/* A section built but not yet written (hold mode). */
struct wsec {
	struct wsec	*next;		/* owned */
	int		 kind;		/* SEC_* */
	uint8_t		*p;		/* owned: the bytes, ready to write */
	size_t		 len;
	struct ffile_blockmeta meta;	/* SEC_BLOCK: all but its offset */
	struct ffile_totals tot;	/* SEC_BLOCK: totals of its records */
};

struct ffile_writer {
	char		*path;		/* owned: created on first write */
	int		 fd;		/* -1: not created yet, or closed */
	bool		 created;	/* we created path */
	uint64_t	 off;		/* end of the last good section */
	int		 codec, level;
	bool		 shuffle;	/* byte planes for wide integers */
	struct fcol	 cur;		/* owned: records not yet in a block */
	uint8_t		*raw;		/* owned: one encoded column */
	size_t		 raw_cap;
	uint8_t		*out;		/* owned: one block as stored */
	size_t		 out_cap;
	struct fidx_builder fb;		/* owned: the block index's scratch */
	struct ffile_blockmeta *idx;	/* owned: blocks written */
	size_t		 nidx, idx_cap;
	size_t		 nbuilt;	/* blocks written or held */
	struct ffile_exporter *xs;	/* owned */
	size_t		 nx;
	bool		 x_dirty;	/* table changed since last built */
	uint64_t	 x_off;		/* last exporter section, 0 none */
	struct ffile_totals tot;	/* of the blocks written */
	/* hold mode */
	struct ffile_hold *hold;	/* borrowed; NULL: direct mode */
	struct wsec	*qhead, *qtail;	/* owned: held, in file order */
	uint64_t	 qbytes, qrecs;	/* held bytes, records in them */
	uint64_t	 dropped;	/* records refused (limit, memory) */
	uint64_t	 discarded;	/* records given up */
	int		 err;		/* errno of the last failure, 0 */
	size_t		 fail_len;	/* bytes of the last section refused */
	bool		 finishing;	/* no more records; buffers freed */
	bool		 tail_done;	/* exporters + trailer + footer on disk */
	bool		 done;		/* synced and closed */
};

void
ffile_wopts_init(struct ffile_wopts *o)
{
	memset(o, 0, sizeof(*o));
	o->codec = ZC_LZ4;
	o->block_recs = FFILE_BLOCK_RECS;
}

/* Write at w->off, creating the file first if needed; on failure cut
 * the file back and keep errno. */
static int
put(struct ffile_writer *w, const void *p, size_t len)
{
	int e;

	if (w->fd == -1) {
		w->fd = open(w->path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
		    0644);
		if (w->fd == -1)
			return NFE_IO;
		w->created = true;
	}
	if (ffile_pwrite_all(w->fd, p, len, w->off) != NFE_OK) {
		e = errno;
		(void)ftruncate(w->fd, (off_t)w->off);
		errno = e;
		return NFE_IO;
	}
	w->off += len;
	return NFE_OK;
}

/* Bookkeeping for a section that reached the disk at offset at. */
static void
written(struct ffile_writer *w, int kind, uint64_t at,
    const struct ffile_blockmeta *m, const struct ffile_totals *t)
{
	if (kind == SEC_EXPORTERS)
		w->x_off = at;
	if (kind != SEC_BLOCK)
		return;
	w->idx[w->nidx] = *m;		/* room reserved when it was built */
	w->idx[w->nidx].offset = at;
	w->nidx++;
	ffile_totals_merge(&w->tot, t);
	if (w->hold != NULL)
		w->hold->written += m->nrec;
}

/* Hold mode: count nrec records refused; returns code. */
static int
refuse(struct ffile_writer *w, uint64_t nrec, int code)
{
	w->dropped += nrec;
	w->hold->dropped += nrec;
	w->hold->limit_hit = true;
	return code;
}

/* Take the oldest held section off the queue and free it. */
static void
unhold(struct ffile_writer *w)
{
	struct wsec *s = w->qhead;
	uint64_t nrec = s->kind == SEC_BLOCK ? s->meta.nrec : 0;

	w->qhead = s->next;
	if (w->qhead == NULL)
		w->qtail = NULL;
	w->qbytes -= s->len;
	w->qrecs -= nrec;
	w->hold->bytes -= s->len;
	w->hold->records -= nrec;
	free(s->p);
	free(s);
}

/*
 * Write a section now or, in hold mode, hold it behind those already
 * held (p is borrowed, copied when held).  Returns NFE_OK (written or
 * held), NFE_IO (direct mode, errno set), or in hold mode NFE_LIMIT (a
 * block over the limit: refused and counted) or NFE_NOMEM.
 */
static int
push(struct ffile_writer *w, int kind, const uint8_t *p, size_t len,
    const struct ffile_blockmeta *m, const struct ffile_totals *t)
{
	struct ffile_hold *h = w->hold;
	struct wsec *s;
	uint64_t at = w->off;

	if (w->qhead == NULL) {
		if (put(w, p, len) == NFE_OK) {
			written(w, kind, at, m, t);
			w->err = 0;
			return NFE_OK;
		}
		if (h == NULL)
			return NFE_IO;
		w->err = errno;
		w->fail_len = len;
	}
	if (kind == SEC_BLOCK && (len > h->limit || h->bytes > h->limit - len))
		return refuse(w, m->nrec, NFE_LIMIT);
	if ((s = calloc(1, sizeof(*s))) == NULL ||
	    (s->p = malloc(len)) == NULL) {
		free(s);
		return kind == SEC_BLOCK ? refuse(w, m->nrec, NFE_NOMEM) :
		    NFE_NOMEM;
	}
	memcpy(s->p, p, len);
	s->kind = kind;
	s->len = len;
	if (kind == SEC_BLOCK) {
		s->meta = *m;
		s->tot = *t;
		w->qrecs += m->nrec;
		h->records += m->nrec;
	}
	if (w->qtail != NULL)
		w->qtail->next = s;
	else
		w->qhead = s;
	w->qtail = s;
	w->qbytes += len;
	h->bytes += len;
	return NFE_OK;
}

int
ffile_writer_open(const char *path, const struct ffile_wopts *opts,
    struct ffile_writer **out)
{
	uint8_t hbuf[FF_HDR_BUF];
	struct ffile_wopts o;
	struct ffile_writer *w;
	size_t recs, hdr, hlen;
	int r, e;

	*out = NULL;
	if (opts != NULL)
		o = *opts;
	else
		ffile_wopts_init(&o);
	if (o.block_recs == 0)
		o.block_recs = FFILE_BLOCK_RECS;
	if (!zcodec_known(o.codec) || o.block_recs > FFILE_MAX_BLOCK_RECS ||
	    o.level < 0 || (o.codec == ZC_ZLIB && o.level > 9) ||
	    (o.codec == ZC_LZ4 && o.level > ZC_LZ4_MAX_LEVEL))
		return NFE_INVAL;
	if (o.codec == ZC_ZLIB && o.level == 0)
		o.level = ZC_ZLIB_DEFAULT_LEVEL;
	if (o.codec == ZC_NONE)
		o.level = 0;
	if ((w = calloc(1, sizeof(*w))) == NULL)
		return NFE_NOMEM;
	w->fd = -1;
	w->codec = o.codec;
	w->level = o.level;
	w->shuffle = !o.no_shuffle;
	w->hold = o.hold;
	recs = o.block_recs;
	w->raw_cap = fcol_raw_bound(recs);
	hdr = FF_BLK_HDR_LEN(FCOL_NCOLS - 1);
	w->out_cap = hdr;
	for (unsigned id = 1; id < FCOL_NCOLS; id++) {
		size_t m = fcol_field_width(id) == 16 ? 17 * recs :
		    fcol_field_width(id) * recs;

		w->out_cap += zcodec_bound(o.codec, m) > m ?
		    zcodec_bound(o.codec, m) : m;
	}
	if ((w->path = strdup(path)) == NULL ||
	    fcol_init(&w->cur, recs) != NFE_OK ||
	    (w->raw = malloc(w->raw_cap)) == NULL ||
	    (w->out = malloc(w->out_cap)) == NULL) {
		ffile_writer_abort(w);
		return NFE_NOMEM;
	}
	if ((hlen = ffile_enc_header(&o, hbuf)) == 0) {
		ffile_writer_abort(w);
		return NFE_INTERNAL;
	}
	if ((r = push(w, SEC_HEADER, hbuf, hlen, NULL, NULL)) != NFE_OK) {
		e = errno;
		ffile_writer_abort(w);
		errno = e;
		return r;
	}
	*out = w;
	return NFE_OK;
}

static int
push_exporters(struct ffile_writer *w)
{
	uint8_t *p;
	size_t len;
	int r;

	if ((r = ffile_enc_exporters(w->xs, w->nx, &p, &len)) != NFE_OK)
		return r;
	r = push(w, SEC_EXPORTERS, p, len, NULL, NULL);
	free(p);
	if (r == NFE_OK)
		w->x_dirty = false;
	return r;
}

/*
 * Room in w->raw for the largest column and in w->out for the whole
 * block (string columns can outgrow what the writer was opened with).
 */
static int
make_room(struct ffile_writer *w, const uint16_t *ids, size_t ncol,
    size_t hdr)
{
	size_t raw = 0, out = hdr, m, z;
	uint8_t *p;

	for (size_t k = 0; k < ncol; k++) {
		m = fcol_enc_len(&w->cur, ids[k]);
		z = zcodec_bound(w->codec, m);
		raw = m > raw ? m : raw;
		out += z > m ? z : m;
	}
	out += fidx_bound(w->cur.n);	/* the index column, stored as is */
	if (raw > w->raw_cap) {
		if ((p = realloc(w->raw, raw)) == NULL)
			return NFE_NOMEM;
		w->raw = p;
		w->raw_cap = raw;
	}
	if (out > w->out_cap) {
		if ((p = realloc(w->out, out)) == NULL)
			return NFE_NOMEM;
		w->out = p;
		w->out_cap = out;
	}
	return NFE_OK;
}

/* Encode, compress and checksum every column of w->cur into w->out. */
static int
build_block(struct ffile_writer *w, size_t *outlen,
    struct ffile_blockmeta *m)
{
	const struct fcol *c = &w->cur;
	struct fcol_enc e, encs[FCOL_NCOLS];
	struct wbuf b;
	uint16_t ids[FCOL_NCOLS];
	size_t hdr, pos, slen, ncol = 0, idx_pos;
	uint64_t lo = UINT64_MAX, hi = 0;
	uint32_t idx_crc;
	int codec, r;

	for (unsigned id = 1; id < FCOL_NCOLS; id++)
		if (fcol_wanted(c, id))
			ids[ncol++] = (uint16_t)id;
	hdr = FF_BLK_HDR_LEN(ncol + 1);		/* + the index column */
	pos = hdr;
	if ((r = make_room(w, ids, ncol, hdr)) != NFE_OK)
		return r;

	for (size_t i = 0; i < c->n; i++) {
		if (c->first_ms[i] < lo)
			lo = c->first_ms[i];
		if (c->last_ms[i] > hi)
			hi = c->last_ms[i];
	}
	wbuf_init(&b, w->out, hdr);
	wbuf_bytes(&b, FF_BLOCK_MAGIC, 4);
	wbuf_le32(&b, (uint32_t)hdr);
	wbuf_le32(&b, 0);			/* payload length, patched */
	wbuf_le32(&b, (uint32_t)c->n);
	wbuf_le64(&b, lo);
	wbuf_le64(&b, hi);
	wbuf_le16(&b, (uint16_t)(ncol + 1));
	wbuf_le16(&b, 0);
	wbuf_le32(&b, (uint32_t)w->nbuilt);	/* its number in the file */
	for (size_t k = 0; k < ncol; k++) {
		unsigned id = ids[k];

		r = fcol_encode(c, id, w->shuffle, w->raw, w->raw_cap, &e);
		if (r != NFE_OK)
			return NFE_INTERNAL;
		encs[k] = e;
		codec = e.raw_len == 0 ? ZC_NONE : w->codec;
		r = zcodec_compress(codec, w->level, w->raw, e.raw_len,
		    w->out + pos, w->out_cap - pos, &slen);
		if (r != NFE_OK)
			return NFE_INTERNAL;
		if (codec != ZC_NONE && slen >= e.raw_len) {
			/* incompressible: store as is */
			codec = ZC_NONE;
			memcpy(w->out + pos, w->raw, e.raw_len);
			slen = e.raw_len;
		}
		wbuf_le16(&b, (uint16_t)id);
		wbuf_u8(&b, (uint8_t)codec);
		wbuf_u8(&b, e.width);
		wbuf_u8(&b, e.flags);
		wbuf_u8(&b, 0);
		wbuf_le16(&b, 0);
		wbuf_le64(&b, e.base);
		wbuf_le32(&b, (uint32_t)e.raw_len);
		wbuf_le32(&b, (uint32_t)slen);
		wbuf_le32(&b, crc32c(0, w->out + pos, slen));
		pos += slen;
	}
	/* the block index (fidx.h), last, never compressed */
	r = fidx_encode(&w->fb, c, ids, encs, ncol, w->out + pos,
	    w->out_cap - pos, &slen);
	if (r != NFE_OK)
		return r == NFE_NOMEM ? r : NFE_INTERNAL;
	idx_crc = crc32c(0, w->out + pos, slen);
	wbuf_le16(&b, FIDX_COL_ID);
	wbuf_u8(&b, ZC_NONE);
	wbuf_zero(&b, 5);
	wbuf_le64(&b, 0);
	wbuf_le32(&b, (uint32_t)slen);
	wbuf_le32(&b, (uint32_t)slen);
	wbuf_le32(&b, idx_crc);
	idx_pos = pos;
	pos += slen;
	wbuf_patch_le32(&b, 8, (uint32_t)(pos - hdr));
	wbuf_le32(&b, crc32c(0, w->out, wbuf_len(&b)));
	if (!wbuf_ok(&b) || wbuf_len(&b) != hdr)
		return NFE_INTERNAL;
	*outlen = pos;
	memset(m, 0, sizeof(*m));
	m->length = (uint32_t)pos;
	m->nrec = (uint32_t)c->n;
	m->min_first_ms = lo;
	m->max_last_ms = hi;
	m->idx_pos = (uint32_t)idx_pos;
	m->idx_len = (uint32_t)slen;
	m->idx_crc = idx_crc;
	return NFE_OK;
}

/* Room in the index for every block built, so written() cannot fail. */
static int
reserve_idx(struct ffile_writer *w)
{
	struct ffile_blockmeta *m;
	size_t nc;

	if (w->nbuilt >= FFILE_MAX_BLOCKS)
		return NFE_LIMIT;
	if (w->nbuilt < w->idx_cap)
		return NFE_OK;
	nc = w->idx_cap == 0 ? 64 : w->idx_cap * 2;
	if ((m = realloc(w->idx, nc * sizeof(*m))) == NULL)
		return NFE_NOMEM;
	w->idx = m;
	w->idx_cap = nc;
	return NFE_OK;
}

/*
 * Make a block of the buffered records and write (or hold) it.  Direct
 * mode: on failure the records stay buffered.  Hold mode: the records
 * always leave the buffer, written, held or refused (counted).
 */
static int
write_block(struct ffile_writer *w)
{
	struct ffile_blockmeta m;
	struct ffile_totals t;
	size_t len;
	int r;

	if (w->cur.n == 0)
		return NFE_OK;
	if ((r = reserve_idx(w)) != NFE_OK) {
		if (w->hold == NULL)
			return r;
		(void)refuse(w, w->cur.n, r);
		fcol_reset(&w->cur);
		return NFE_OK;
	}
	/* a hold-mode table that cannot be held goes with the trailer */
	if (w->x_dirty && (r = push_exporters(w)) != NFE_OK &&
	    w->hold == NULL)
		return r;
	if ((r = build_block(w, &len, &m)) != NFE_OK)
		return r;
	memset(&t, 0, sizeof(t));
	ffile_totals_add(&t, &w->cur);
	r = push(w, SEC_BLOCK, w->out, len, &m, &t);
	if (r == NFE_OK)
		w->nbuilt++;
	else if (w->hold == NULL)
		return r;
	fcol_reset(&w->cur);
	return NFE_OK;
}

int
ffile_writer_add(struct ffile_writer *w, const struct flowrec *recs, size_t n)
{
	return ffile_writer_add_cols(w, recs, n, FCOL_ALL);
}

int
ffile_writer_add_cols(struct ffile_writer *w, const struct flowrec *recs,
    size_t n, fcol_mask cols)
{
	size_t k;
	bool empty;
	int r;

	if (w->finishing)
		return NFE_INTERNAL;
	while (n > 0) {
		if (w->cur.n == w->cur.cap &&
		    (r = write_block(w)) != NFE_OK)
			return r;
		empty = w->cur.n == 0;
		k = fcol_put_cols(&w->cur, recs, n, cols);
		if (k == 0 && empty)
			return NFE_NOMEM;	/* not even into an empty block */
		recs += k;
		n -= k;
		/* a block that took fewer is full (count or strings) */
		if ((w->cur.n == w->cur.cap || n > 0) &&
		    (r = write_block(w)) != NFE_OK)
			return r;
	}
	return NFE_OK;
}

int
ffile_writer_flush(struct ffile_writer *w)
{
	if (w->qhead != NULL)
		return NFE_OK;
	return write_block(w);
}

int
ffile_writer_retry(struct ffile_writer *w)
{
	struct wsec *s;
	uint64_t at;

	while ((s = w->qhead) != NULL) {
		at = w->off;
		if (put(w, s->p, s->len) != NFE_OK) {
			w->err = errno;
			return NFE_IO;
		}
		written(w, s->kind, at, &s->meta, &s->tot);
		unhold(w);
		w->err = 0;	/* only a write proves the disk takes data */
	}
	return NFE_OK;
}

int
ffile_writer_sync(struct ffile_writer *w)
{
	if (w->fd == -1) {
		errno = EBADF;
		return NFE_IO;
	}
	if (fsync(w->fd) == -1)
		return NFE_IO;
	return NFE_OK;
}

int
ffile_writer_set_exporters(struct ffile_writer *w,
    const struct ffile_exporter *x, size_t n)
{
	struct ffile_exporter *p = NULL;
	bool same;

	if (n > FFILE_MAX_EXPORTERS)
		return NFE_LIMIT;
	if (n > 0) {
		if ((p = malloc(n * sizeof(*p))) == NULL)
			return NFE_NOMEM;
		memcpy(p, x, n * sizeof(*p));
	}
	/*
	 * Only a changed identity (not changed statistics) is written
	 * before the next block, so a collector may refresh the table at
	 * every flush without a table in front of every block.
	 */
	same = w->xs != NULL && n == w->nx;
	for (size_t i = 0; same && i < n; i++)
		same = addr_eq(&p[i].addr, &w->xs[i].addr) &&
		    p[i].port == w->xs[i].port &&
		    p[i].version == w->xs[i].version &&
		    p[i].domain == w->xs[i].domain &&
		    p[i].sampling == w->xs[i].sampling;
	free(w->xs);
	w->xs = p;
	w->nx = n;
	if (!same)
		w->x_dirty = true;
	return NFE_OK;
}

const struct ffile_totals *
ffile_writer_totals(const struct ffile_writer *w)
{
	return &w->tot;
}

size_t
ffile_writer_pending(const struct ffile_writer *w)
{
	return w->cur.n;
}

size_t
ffile_writer_blocks(const struct ffile_writer *w)
{
	return w->nidx;
}

uint64_t
ffile_writer_bytes(const struct ffile_writer *w)
{
	return w->off;
}

/* Bytes of the exporter table, trailer and footer at the end. */
static uint64_t
tail_len(const struct ffile_writer *w)
{
	return FF_EXP_FIXED + (uint64_t)w->nx * FF_EXP_ENTRY_LEN + 4 +
	    FF_TRL_FIXED + (uint64_t)w->nbuilt * FF_IDX_ENTRY_LEN + 4 +
	    FF_FOOTER_LEN;
}

void
ffile_writer_state(const struct ffile_writer *w, struct ffile_wstate *st)
{
	memset(st, 0, sizeof(*st));
	st->created = w->created;
	st->done = w->done;
	st->stalled = !w->done && (w->qhead != NULL || w->err != 0);
	st->error = w->err;
	st->held_records = w->qrecs;
	st->held_bytes = w->qbytes;
	/* with nothing held (all refused), the last section that failed */
	st->need_bytes = w->qbytes != 0 || w->err == 0 ? w->qbytes :
	    w->fail_len;
	if (w->finishing && !w->tail_done)
		st->need_bytes += tail_len(w);
	st->dropped = w->dropped;
	st->discarded = w->discarded;
}

/* The exporter table (last statistics), trailer and footer, in one go. */
static int
write_tail(struct ffile_writer *w)
{
	uint8_t *xp = NULL, *tp = NULL, *p = NULL;
	size_t xl, tl;
	uint64_t at = w->off;
	int r;

	if ((r = ffile_enc_exporters(w->xs, w->nx, &xp, &xl)) != NFE_OK ||
	    (r = ffile_enc_trailer(&w->tot, at, w->idx, w->nidx, at + xl,
	    &tp, &tl)) != NFE_OK)
		goto out;
	if ((p = malloc(xl + tl)) == NULL) {
		r = NFE_NOMEM;
		goto out;
	}
	memcpy(p, xp, xl);
	memcpy(p + xl, tp, tl);
	if ((r = put(w, p, xl + tl)) == NFE_OK)
		w->x_off = at;
out:
	free(xp);
	free(tp);
	free(p);
	return r;
}

int
ffile_writer_finish(struct ffile_writer *w)
{
	int r, e;

	if (w->done)
		return NFE_OK;
	if (!w->finishing) {
		if ((r = write_block(w)) != NFE_OK)
			return r;
		w->finishing = true;
		if (w->hold != NULL) {	/* nothing more will be built */
			fcol_fini(&w->cur);
			fidx_builder_fini(&w->fb);
			free(w->raw);
			free(w->out);
			w->raw = w->out = NULL;
		}
	}
	if ((r = ffile_writer_retry(w)) != NFE_OK)
		return r;
	if (!w->tail_done && w->off > 0) {
		if ((r = write_tail(w)) != NFE_OK) {
			w->err = r == NFE_IO ? errno : ENOMEM;
			return r;
		}
		w->tail_done = true;
	}
	if (w->fd != -1 && w->off > 0 && fsync(w->fd) == -1 &&
	    errno != EINVAL && errno != EROFS) {
		w->err = errno;
		return NFE_IO;
	}
	w->done = true;
	w->err = 0;
	r = NFE_OK;
	if (w->fd != -1 && close(w->fd) == -1) {
		e = errno;
		r = NFE_IO;
		errno = e;
	}
	w->fd = -1;
	return r;
}

uint64_t
ffile_writer_discard(struct ffile_writer *w)
{
	uint64_t n = w->cur.n;

	fcol_reset(&w->cur);
	while (w->qhead != NULL) {
		if (w->qhead->kind == SEC_BLOCK)
			n += w->qhead->meta.nrec;
		unhold(w);
	}
	w->nbuilt = w->nidx;
	w->discarded += n;
	if (w->hold != NULL)
		w->hold->discarded += n;
	return n;
}

int
ffile_writer_close(struct ffile_writer *w)
{
	int r, e;

	r = ffile_writer_finish(w);
	e = errno;
	ffile_writer_abort(w);
	errno = e;
	return r;
}

void
ffile_writer_abort(struct ffile_writer *w)
{
	if (w == NULL)
		return;
	if (w->hold != NULL)
		(void)ffile_writer_discard(w);
	if (w->fd != -1)
		close(w->fd);
	fcol_fini(&w->cur);
	fidx_builder_fini(&w->fb);
	free(w->raw);
	free(w->out);
	free(w->idx);
	free(w->xs);
	free(w->path);
	free(w);
}
