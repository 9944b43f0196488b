/*
 * common/ffile_write.c -- flow file writer (flowkit-file(5)).
 *
 * Records are buffered as columns in a struct fcol; a full block (or a
 * flush) encodes each column (fcol.c), compresses it on its own
 * (zcodec.c), checksums it (crc32c.c) and writes header and payload
 * with one pwrite at the end of the last good section.  If a write
 * fails the file is cut back to that end, so it always holds a header
 * and whole sections only, and the block stays buffered for a retry.
 * Never logs; never writes a struct image.
 */
#include "common/compat.h"

#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/buf.h"
#include "common/crc32c.h"
#include "common/fcol.h"
#include "common/ffile.h"
#include "common/ffile_int.h"
#include "common/nferr.h"
#include "common/zcodec.h"

struct ffile_writer {
	int		 fd;
	uint64_t	 off;		/* end of the last good section */
	int		 codec, level;
	bool		 shuffle;	/* byte planes for wide integers */
	struct fcol	 cur;		/* owned: records not yet written */
	uint8_t		*raw;		/* owned: one encoded column */
	size_t		 raw_cap;
	uint8_t		*out;		/* owned: one block as stored */
	size_t		 out_cap;
	struct ffile_blockmeta *idx;	/* owned: blocks written */
	size_t		 nidx, idx_cap;
	struct ffile_exporter *xs;	/* owned */
	size_t		 nx;
	bool		 x_dirty;	/* table changed since last written */
	uint64_t	 x_off;		/* last exporter section, 0 none */
	struct ffile_totals tot;
};

void
ffile_wopts_init(struct ffile_wopts *o)
{
	memset(o, 0, sizeof(*o));
	o->codec = ZC_LZ4;
	o->block_recs = FFILE_BLOCK_RECS;
}

int
ffile_pwrite_all(int fd, const void *p, size_t len, uint64_t off)
{
	const uint8_t *q = p;
	ssize_t r;

	while (len > 0) {
		r = pwrite(fd, q, len, (off_t)off);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return NFE_IO;
		}
		if (r == 0) {
			errno = ENOSPC;
			return NFE_IO;
		}
		q += r;
		len -= (size_t)r;
		off += (uint64_t)r;
	}
	return NFE_OK;
}

/* Write at w->off; on failure cut the file back and keep errno. */
static int
write_section(struct ffile_writer *w, const void *p, size_t len)
{
	int e;

	if (ffile_pwrite_all(w->fd, p, len, w->off) != NFE_OK) {
		e = errno;
		(void)ftruncate(w->fd, (off_t)w->off);
		errno = e;
		return NFE_IO;
	}
	w->off += len;
	return NFE_OK;
}

static uint64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static int
write_header(struct ffile_writer *w, const struct ffile_wopts *o)
{
	uint8_t buf[FF_HDR_FIXED + FFILE_IDENT_MAX + 4];
	struct wbuf b;
	size_t il;
	const char *ident = o->ident != NULL ? o->ident : "";

	il = strlen(ident);
	if (il > FFILE_IDENT_MAX)
		il = FFILE_IDENT_MAX;
	wbuf_init(&b, buf, sizeof(buf));
	wbuf_bytes(&b, FF_MAGIC, FF_MAGIC_LEN);
	wbuf_le16(&b, FFILE_MAJOR);
	wbuf_le16(&b, FFILE_MINOR);
	wbuf_le32(&b, (uint32_t)(FF_HDR_FIXED + il + 4));
	wbuf_le64(&b, o->created_ms != 0 ? o->created_ms : now_ms());
	wbuf_u8(&b, (uint8_t)o->codec);
	wbuf_u8(&b, (uint8_t)o->level);
	wbuf_le16(&b, (uint16_t)il);
	wbuf_le32(&b, o->block_recs);
	wbuf_bytes(&b, ident, il);
	wbuf_le32(&b, crc32c(0, buf, wbuf_len(&b)));
	if (!wbuf_ok(&b))
		return NFE_INTERNAL;
	return write_section(w, buf, wbuf_len(&b));
}

int
ffile_writer_open(const char *path, const struct ffile_wopts *opts,
    struct ffile_writer **out)
{
	struct ffile_wopts o;
	struct ffile_writer *w;
	size_t recs, hdr;
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
	recs = o.block_recs;
	w->raw_cap = fcol_raw_bound(recs);
	hdr = FF_BLK_HDR_LEN(FCOL_NCOLS - 1);
	w->out_cap = hdr;
	for (unsigned id = FCOL_FIRST; id < FCOL_NCOLS; id++) {
		size_t m = fcol_field_width(id) == 16 ? 17 * recs :
		    fcol_field_width(id) * recs;

		w->out_cap += zcodec_bound(o.codec, m) > m ?
		    zcodec_bound(o.codec, m) : m;
	}
	if (fcol_init(&w->cur, recs) != NFE_OK ||
	    (w->raw = malloc(w->raw_cap)) == NULL ||
	    (w->out = malloc(w->out_cap)) == NULL) {
		ffile_writer_abort(w);
		return NFE_NOMEM;
	}
	w->fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (w->fd == -1) {
		e = errno;
		ffile_writer_abort(w);
		errno = e;
		return NFE_IO;
	}
	if ((r = write_header(w, &o)) != NFE_OK) {
		e = errno;
		ffile_writer_abort(w);
		errno = e;
		return r;
	}
	*out = w;
	return NFE_OK;
}

static unsigned
proto_class(uint8_t p)
{
	switch (p) {
	case 6:
		return FFILE_P_TCP;
	case 17:
		return FFILE_P_UDP;
	case 1:
	case 58:
		return FFILE_P_ICMP;
	default:
		return FFILE_P_OTHER;
	}
}

void
ffile_totals_add(struct ffile_totals *t, const struct fcol *c)
{
	struct ffile_ptotals *p;
	uint64_t f;

	for (size_t i = 0; i < c->n; i++) {
		f = c->flows[i];
		p = &t->proto[proto_class(c->proto[i])];
		t->flows += f;
		t->packets += c->packets[i];
		t->bytes += c->bytes[i];
		p->flows += f;
		p->packets += c->packets[i];
		p->bytes += c->bytes[i];
		if (t->records == 0 && i == 0) {
			t->first_ms = c->first_ms[i];
			t->last_ms = c->last_ms[i];
		}
		if (c->first_ms[i] < t->first_ms)
			t->first_ms = c->first_ms[i];
		if (c->last_ms[i] > t->last_ms)
			t->last_ms = c->last_ms[i];
	}
	t->records += c->n;
}

int
ffile_enc_exporters(const struct ffile_exporter *x, size_t n, uint8_t **out,
    size_t *len)
{
	struct wbuf b;
	size_t sz = FF_EXP_FIXED + n * FF_EXP_ENTRY_LEN + 4;
	uint8_t *p;

	*out = NULL;
	*len = 0;
	if ((p = malloc(sz)) == NULL)
		return NFE_NOMEM;
	wbuf_init(&b, p, sz);
	wbuf_bytes(&b, FF_EXP_MAGIC, 4);
	wbuf_le32(&b, (uint32_t)sz);
	wbuf_le32(&b, (uint32_t)n);
	wbuf_le16(&b, FF_EXP_ENTRY_LEN);
	wbuf_le16(&b, 0);
	for (size_t i = 0; i < n; i++) {
		const struct ffile_xstats *s = &x[i].stats;

		wbuf_bytes(&b, x[i].addr.a, 16);
		wbuf_le16(&b, x[i].port);
		wbuf_le16(&b, x[i].version);
		wbuf_le32(&b, x[i].domain);
		wbuf_le32(&b, x[i].sampling);
		wbuf_le32(&b, 0);
		wbuf_le64(&b, s->datagrams);
		wbuf_le64(&b, s->records);
		wbuf_le64(&b, s->seq_gaps);
		wbuf_le64(&b, s->seq_lost);
		wbuf_le64(&b, s->seq_resets);
		wbuf_le64(&b, s->malformed);
		wbuf_le64(&b, s->no_template);
		wbuf_le64(&b, s->socket_drops);
		wbuf_le64(&b, s->dropped);
	}
	wbuf_le32(&b, crc32c(0, p, wbuf_len(&b)));
	if (!wbuf_ok(&b) || wbuf_len(&b) != sz) {
		free(p);
		return NFE_INTERNAL;
	}
	*out = p;
	*len = sz;
	return NFE_OK;
}

int
ffile_enc_trailer(const struct ffile_totals *t, uint64_t exp_off,
    const struct ffile_blockmeta *idx, size_t nidx, uint64_t trailer_off,
    uint8_t **out, size_t *len)
{
	struct wbuf b;
	size_t tl = FF_TRL_FIXED + nidx * FF_IDX_ENTRY_LEN + 4;
	size_t sz = tl + FF_FOOTER_LEN;
	uint8_t *p;

	*out = NULL;
	*len = 0;
	if ((p = malloc(sz)) == NULL)
		return NFE_NOMEM;
	wbuf_init(&b, p, sz);
	wbuf_bytes(&b, FF_TRAILER_MAGIC, 4);
	wbuf_le32(&b, (uint32_t)tl);
	wbuf_le64(&b, t->records);
	wbuf_le64(&b, t->flows);
	wbuf_le64(&b, t->packets);
	wbuf_le64(&b, t->bytes);
	for (int i = 0; i < FFILE_NPROTO; i++) {
		wbuf_le64(&b, t->proto[i].flows);
		wbuf_le64(&b, t->proto[i].packets);
		wbuf_le64(&b, t->proto[i].bytes);
	}
	wbuf_le64(&b, t->first_ms);
	wbuf_le64(&b, t->last_ms);
	wbuf_le64(&b, exp_off);
	wbuf_le32(&b, (uint32_t)nidx);
	wbuf_le32(&b, FF_IDX_ENTRY_LEN);
	for (size_t i = 0; i < nidx; i++) {
		wbuf_le64(&b, idx[i].offset);
		wbuf_le32(&b, idx[i].length);
		wbuf_le32(&b, idx[i].nrec);
		wbuf_le64(&b, idx[i].min_first_ms);
		wbuf_le64(&b, idx[i].max_last_ms);
	}
	wbuf_le32(&b, crc32c(0, p, wbuf_len(&b)));
	wbuf_le64(&b, trailer_off);
	wbuf_le32(&b, (uint32_t)tl);
	wbuf_bytes(&b, FF_FOOTER_MAGIC, 4);
	if (!wbuf_ok(&b) || wbuf_len(&b) != sz) {
		free(p);
		return NFE_INTERNAL;
	}
	*out = p;
	*len = sz;
	return NFE_OK;
}

static int
write_exporters(struct ffile_writer *w)
{
	uint8_t *p;
	size_t len;
	uint64_t at = w->off;
	int r;

	if ((r = ffile_enc_exporters(w->xs, w->nx, &p, &len)) != NFE_OK)
		return r;
	r = write_section(w, p, len);
	free(p);
	if (r == NFE_OK) {
		w->x_off = at;
		w->x_dirty = false;
	}
	return r;
}

/* Encode, compress and checksum every column of w->cur into w->out. */
static int
build_block(struct ffile_writer *w, size_t *outlen, uint64_t *minf,
    uint64_t *maxl)
{
	const struct fcol *c = &w->cur;
	struct fcol_enc e;
	struct wbuf b;
	size_t hdr = FF_BLK_HDR_LEN(FCOL_NCOLS - 1), pos = hdr, slen;
	uint64_t lo = UINT64_MAX, hi = 0;
	int codec, r;

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
	wbuf_le16(&b, FCOL_NCOLS - 1);
	wbuf_le16(&b, 0);
	wbuf_le32(&b, (uint32_t)w->nidx);
	for (unsigned id = FCOL_FIRST; id < FCOL_NCOLS; id++) {
		r = fcol_encode(c, id, w->shuffle, w->raw, w->raw_cap, &e);
		if (r != NFE_OK)
			return NFE_INTERNAL;
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
	wbuf_patch_le32(&b, 8, (uint32_t)(pos - hdr));
	wbuf_le32(&b, crc32c(0, w->out, wbuf_len(&b)));
	if (!wbuf_ok(&b) || wbuf_len(&b) != hdr)
		return NFE_INTERNAL;
	*outlen = pos;
	*minf = lo;
	*maxl = hi;
	return NFE_OK;
}

static int
write_block(struct ffile_writer *w)
{
	struct ffile_blockmeta *m;
	uint64_t at, lo, hi;
	size_t len, nc;
	int r;

	if (w->cur.n == 0)
		return NFE_OK;
	if (w->nidx >= FFILE_MAX_BLOCKS)
		return NFE_LIMIT;
	if (w->nidx == w->idx_cap) {
		nc = w->idx_cap == 0 ? 64 : w->idx_cap * 2;
		if ((m = realloc(w->idx, nc * sizeof(*m))) == NULL)
			return NFE_NOMEM;
		w->idx = m;
		w->idx_cap = nc;
	}
	if (w->x_dirty && (r = write_exporters(w)) != NFE_OK)
		return r;
	if ((r = build_block(w, &len, &lo, &hi)) != NFE_OK)
		return r;
	at = w->off;
	if ((r = write_section(w, w->out, len)) != NFE_OK)
		return r;
	m = &w->idx[w->nidx++];
	m->offset = at;
	m->length = (uint32_t)len;
	m->nrec = (uint32_t)w->cur.n;
	m->min_first_ms = lo;
	m->max_last_ms = hi;
	ffile_totals_add(&w->tot, &w->cur);
	fcol_reset(&w->cur);
	return NFE_OK;
}

int
ffile_writer_add(struct ffile_writer *w, const struct flowrec *recs, size_t n)
{
	size_t k;
	int r;

	while (n > 0) {
		if (w->cur.n == w->cur.cap &&
		    (r = write_block(w)) != NFE_OK)
			return r;
		k = fcol_put(&w->cur, recs, n);
		recs += k;
		n -= k;
		if (w->cur.n == w->cur.cap &&
		    (r = write_block(w)) != NFE_OK)
			return r;
	}
	return NFE_OK;
}

int
ffile_writer_flush(struct ffile_writer *w)
{
	return write_block(w);
}

int
ffile_writer_sync(struct ffile_writer *w)
{
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

int
ffile_writer_close(struct ffile_writer *w)
{
	uint8_t *p = NULL;
	size_t len;
	int r, e;

	if ((r = write_block(w)) != NFE_OK)
		goto out;
	if ((r = write_exporters(w)) != NFE_OK)
		goto out;
	r = ffile_enc_trailer(&w->tot, w->x_off, w->idx, w->nidx, w->off,
	    &p, &len);
	if (r != NFE_OK)
		goto out;
	if ((r = write_section(w, p, len)) != NFE_OK)
		goto out;
	if (fsync(w->fd) == -1 && errno != EINVAL && errno != EROFS)
		r = NFE_IO;
out:
	e = errno;
	free(p);
	if (close(w->fd) == -1 && r == NFE_OK) {
		e = errno;
		r = NFE_IO;
	}
	w->fd = -1;
	ffile_writer_abort(w);
	errno = e;
	return r;
}

void
ffile_writer_abort(struct ffile_writer *w)
{
	if (w == NULL)
		return;
	if (w->fd != -1)
		close(w->fd);
	fcol_fini(&w->cur);
	free(w->raw);
	free(w->out);
	free(w->idx);
	free(w->xs);
	free(w);
}
