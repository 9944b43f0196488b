/*
 * common/ffile/ffile_read.c -- flow file reader, verifier and recovery scan
 * (flowkit-file(5)).
 *
 * Opening reads the header, then the footer and trailer.  Without a
 * valid trailer the sections are walked from the header on and every
 * block whose header checks out is indexed ("recovery"); the walk stops
 * at the first section that is cut short or fails its checksum.  After
 * open the reader is immutable: block reads use pread (or the caller's
 * memory) into per-thread buffers, so threads may share one reader.
 * Every length read from the file is checked against the limits in
 * ffile.h and against the file size before anything is allocated or
 * read, and every checksum is verified before the bytes it covers are
 * used.  Never logs.
 */
#include "common/base/compat.h"

#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
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

struct ffile_reader {
	int		 fd;		/* -1 for a memory reader */
	const uint8_t	*mem;		/* borrowed, memory reader only */
	uint64_t	 size;
	uint32_t	 hdr_len;
	bool		 nocrc;		/* FFILE_O_NOCRC */
	bool		 follow;	/* FFILE_O_FOLLOW */
	struct ffile_info info;
	struct ffile_blockmeta *idx;	/* owned */
	size_t		 idx_cap;	/* entries allocated in idx */
	uint64_t	 damage_off;	/* follow: damage already counted
					   here (0: none) */
	struct ffile_exporter *xs;	/* owned */
};

static int NF_PRINTF(4, 5)
fail(int code, char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err != NULL && errlen > 0) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return code;
}

static bool idx_entry_ok(const struct ffile_blockmeta *m);

/* Does crc match the bytes (or are checks off, for fuzzing)? */
static bool
crc_ok(bool nocrc, uint32_t crc, const void *p, size_t n)
{
	return nocrc || crc == crc32c(0, p, n);
}

/* Read len bytes at off: NFE_OK, NFE_TRUNC (past the end) or NFE_IO. */
static int
src_read(const struct ffile_reader *r, uint64_t off, void *dst, size_t len)
{
	uint8_t *q = dst;
	ssize_t n;

	if (off > r->size || r->size - off < len)
		return NFE_TRUNC;
	if (r->mem != NULL) {
		if (len > 0)
			memcpy(dst, r->mem + off, len);
		return NFE_OK;
	}
	while (len > 0) {
		n = pread(r->fd, q, len, (off_t)off);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return NFE_IO;
		}
		if (n == 0)
			return NFE_TRUNC;	/* file shrank under us */
		q += n;
		len -= (size_t)n;
		off += (uint64_t)n;
	}
	return NFE_OK;
}

static int
read_header(struct ffile_reader *r, char *err, size_t errlen)
{
	uint8_t fixed[FF_HDR_FIXED], *buf;
	struct rbuf b;
	uint32_t hl, crc;
	uint16_t il;
	int rc;

	if (r->size == 0)
		return fail(NFE_FORMAT, err, errlen, "empty file");
	if (r->size < FF_MAGIC_LEN + 4)
		return fail(NFE_FORMAT, err, errlen,
		    "too short for a flow file (%" PRIu64 " bytes)", r->size);
	if ((rc = src_read(r, 0, fixed, FF_MAGIC_LEN + 4)) != NFE_OK)
		return fail(rc, err, errlen, "cannot read header");
	if (memcmp(fixed, FF_MAGIC, FF_MAGIC_LEN) != 0)
		return fail(NFE_FORMAT, err, errlen,
		    "not a flowkit flow file (bad magic)");
	rbuf_init(&b, fixed + FF_MAGIC_LEN, 4);
	r->info.major = rbuf_le16(&b);
	r->info.minor = rbuf_le16(&b);
	if (r->info.major > FFILE_MAJOR)
		return fail(NFE_VERSION, err, errlen,
		    "file format version %u.%u is newer than this reader "
		    "(%u.%u): upgrade flowkit", r->info.major, r->info.minor,
		    FFILE_MAJOR, FFILE_MINOR);
	if (r->info.major < 1)
		return fail(NFE_FORMAT, err, errlen,
		    "bad format version %u.%u", r->info.major, r->info.minor);
	if ((rc = src_read(r, 0, fixed, FF_HDR_FIXED)) != NFE_OK)
		return fail(NFE_TRUNC, err, errlen, "header truncated");
	rbuf_init(&b, fixed, FF_HDR_FIXED);
	rbuf_skip(&b, 12);
	hl = rbuf_le32(&b);
	r->info.created_ms = rbuf_le64(&b);
	r->info.codec = rbuf_u8(&b);
	r->info.level = rbuf_u8(&b);
	il = rbuf_le16(&b);
	r->info.block_recs = rbuf_le32(&b);
	if (il > FFILE_IDENT_MAX || hl < FF_HDR_FIXED + (uint32_t)il + 4 ||
	    hl > FF_HDR_MAX)
		return fail(NFE_FORMAT, err, errlen,
		    "bad header length %" PRIu32 " (ident %u)", hl, il);
	if (hl > r->size)
		return fail(NFE_TRUNC, err, errlen, "header truncated");
	if ((buf = malloc(hl)) == NULL)
		return fail(NFE_NOMEM, err, errlen, "out of memory");
	if ((rc = src_read(r, 0, buf, hl)) != NFE_OK) {
		free(buf);
		return fail(rc, err, errlen, "cannot read header");
	}
	rbuf_init(&b, buf + hl - 4, 4);
	crc = rbuf_le32(&b);
	if (!crc_ok(r->nocrc, crc, buf, hl - 4)) {
		free(buf);
		return fail(NFE_CORRUPT, err, errlen, "header checksum mismatch");
	}
	memcpy(r->info.ident, buf + FF_HDR_FIXED, il);
	r->info.ident[il] = '\0';
	free(buf);
	r->hdr_len = hl;
	return NFE_OK;
}

/* Parse an exporter section held in p/len (already CRC-checked). */
static int
parse_exporters(struct ffile_reader *r, const uint8_t *p, size_t len)
{
	struct ffile_exporter *xs = NULL;
	struct rbuf b, e;
	uint32_t n;
	uint16_t el;

	rbuf_init(&b, p, len - 4);
	rbuf_skip(&b, 8);
	n = rbuf_le32(&b);
	el = rbuf_le16(&b);
	rbuf_skip(&b, 2);
	if (!rbuf_ok(&b) || el < FF_EXP_ENTRY_LEN || n > FFILE_MAX_EXPORTERS ||
	    (uint64_t)n * el != rbuf_remaining(&b))
		return NFE_FORMAT;
	if (n > 0 && (xs = calloc(n, sizeof(*xs))) == NULL)
		return NFE_NOMEM;
	for (uint32_t i = 0; i < n; i++) {
		struct ffile_exporter *x = &xs[i];
		struct ffile_xstats *s = &x->stats;

		rbuf_sub(&b, el, &e);
		rbuf_bytes(&e, x->addr.a, 16);
		x->port = rbuf_le16(&e);
		x->version = rbuf_le16(&e);
		x->domain = rbuf_le32(&e);
		x->sampling = rbuf_le32(&e);
		rbuf_skip(&e, 4);
		s->datagrams = rbuf_le64(&e);
		s->records = rbuf_le64(&e);
		s->seq_gaps = rbuf_le64(&e);
		s->seq_lost = rbuf_le64(&e);
		s->seq_resets = rbuf_le64(&e);
		s->malformed = rbuf_le64(&e);
		s->no_template = rbuf_le64(&e);
		s->socket_drops = rbuf_le64(&e);
		s->dropped = rbuf_le64(&e);
	}
	if (!rbuf_ok(&b)) {
		free(xs);
		return NFE_FORMAT;
	}
	free(r->xs);
	r->xs = xs;
	r->info.exporters = xs;
	r->info.nexporters = n;
	return NFE_OK;
}

/*
 * Read the exporter section at off; *len gets its length.  Returns
 * NFE_OK, NFE_TRUNC, NFE_CORRUPT, NFE_FORMAT, NFE_IO or NFE_NOMEM.
 */
static int
read_exporters(struct ffile_reader *r, uint64_t off, uint64_t end,
    uint64_t *len)
{
	uint8_t fixed[8], *buf;
	struct rbuf b;
	uint32_t sl, crc;
	int rc;

	if (off >= end || end - off < 8)
		return NFE_TRUNC;
	if ((rc = src_read(r, off, fixed, 8)) != NFE_OK)
		return rc;
	if (memcmp(fixed, FF_EXP_MAGIC, 4) != 0)
		return NFE_FORMAT;
	rbuf_init(&b, fixed + 4, 4);
	sl = rbuf_le32(&b);
	if (sl < FF_EXP_FIXED + 4 ||
	    sl > FF_EXP_FIXED + 4 + (uint64_t)FFILE_MAX_EXPORTERS * 1024)
		return NFE_FORMAT;
	if (end - off < sl)
		return NFE_TRUNC;
	if ((buf = malloc(sl)) == NULL)
		return NFE_NOMEM;
	if ((rc = src_read(r, off, buf, sl)) != NFE_OK) {
		free(buf);
		return rc;
	}
	rbuf_init(&b, buf + sl - 4, 4);
	crc = rbuf_le32(&b);
	if (!crc_ok(r->nocrc, crc, buf, sl - 4)) {
		free(buf);
		return NFE_CORRUPT;
	}
	rc = parse_exporters(r, buf, sl);
	free(buf);
	*len = sl;
	return rc;
}

/*
 * Try the footer and trailer.  NFE_OK: index and totals loaded, clean.
 * Anything else: no usable trailer (why in err).
 */
static int
read_trailer(struct ffile_reader *r, char *err, size_t errlen)
{
	uint8_t foot[FF_FOOTER_LEN], *buf;
	struct rbuf b;
	uint64_t toff, xoff, xlen, prev_end;
	uint32_t tl, nb, el, crc;
	struct ffile_totals *t = &r->info.totals;
	struct ffile_blockmeta *idx;
	int rc;

	if (r->size < (uint64_t)r->hdr_len + FF_TRL_FIXED + 4 + FF_FOOTER_LEN)
		return fail(NFE_TRUNC, err, errlen, "no trailer");
	if ((rc = src_read(r, r->size - FF_FOOTER_LEN, foot, FF_FOOTER_LEN)) !=
	    NFE_OK)
		return fail(rc, err, errlen, "cannot read footer");
	if (memcmp(foot + 12, FF_FOOTER_MAGIC, 4) != 0)
		return fail(NFE_TRUNC, err, errlen, "no trailer");
	rbuf_init(&b, foot, 12);
	toff = rbuf_le64(&b);
	tl = rbuf_le32(&b);
	if (tl < FF_TRL_FIXED + 4 || toff < r->hdr_len ||
	    toff > r->size - FF_FOOTER_LEN ||
	    r->size - FF_FOOTER_LEN - toff != tl)
		return fail(NFE_CORRUPT, err, errlen, "bad footer");
	if ((buf = malloc(tl)) == NULL)
		return fail(NFE_NOMEM, err, errlen, "out of memory");
	if ((rc = src_read(r, toff, buf, tl)) != NFE_OK) {
		free(buf);
		return fail(rc, err, errlen, "cannot read trailer");
	}
	rbuf_init(&b, buf + tl - 4, 4);
	crc = rbuf_le32(&b);
	if (memcmp(buf, FF_TRAILER_MAGIC, 4) != 0 ||
	    !crc_ok(r->nocrc, crc, buf, tl - 4)) {
		free(buf);
		return fail(NFE_CORRUPT, err, errlen, "trailer checksum mismatch");
	}
	rbuf_init(&b, buf, tl - 4);
	rbuf_skip(&b, 8);
	t->records = rbuf_le64(&b);
	t->flows = rbuf_le64(&b);
	t->packets = rbuf_le64(&b);
	t->bytes = rbuf_le64(&b);
	for (int i = 0; i < FFILE_NPROTO; i++) {
		t->proto[i].flows = rbuf_le64(&b);
		t->proto[i].packets = rbuf_le64(&b);
		t->proto[i].bytes = rbuf_le64(&b);
	}
	t->first_ms = rbuf_le64(&b);
	t->last_ms = rbuf_le64(&b);
	xoff = rbuf_le64(&b);
	nb = rbuf_le32(&b);
	el = rbuf_le32(&b);
	if (!rbuf_ok(&b) || el < FF_IDX_ENTRY_V10 || nb > FFILE_MAX_BLOCKS ||
	    (uint64_t)nb * el != rbuf_remaining(&b)) {
		free(buf);
		memset(t, 0, sizeof(*t));
		return fail(NFE_CORRUPT, err, errlen, "bad block index");
	}
	idx = nb > 0 ? calloc(nb, sizeof(*idx)) : NULL;
	if (nb > 0 && idx == NULL) {
		free(buf);
		return fail(NFE_NOMEM, err, errlen, "out of memory");
	}
	prev_end = r->hdr_len;
	for (uint32_t i = 0; i < nb; i++) {
		struct rbuf e;

		rbuf_sub(&b, el, &e);
		idx[i].offset = rbuf_le64(&e);
		idx[i].length = rbuf_le32(&e);
		idx[i].nrec = rbuf_le32(&e);
		idx[i].min_first_ms = rbuf_le64(&e);
		idx[i].max_last_ms = rbuf_le64(&e);
		if (el >= FF_IDX_ENTRY_LEN) {	/* 1.1: the index column */
			idx[i].idx_pos = rbuf_le32(&e);
			idx[i].idx_len = rbuf_le32(&e);
			idx[i].idx_crc = rbuf_le32(&e);
		}
		if (idx[i].offset < prev_end || idx[i].offset > toff ||
		    toff - idx[i].offset < idx[i].length ||
		    idx[i].length < FF_BLK_HDR_LEN(0) ||
		    idx[i].length > FF_BLK_HDR_LEN(FF_MAX_COLS) +
		    FFILE_MAX_BLOCK_BYTES ||
		    idx[i].nrec > FFILE_MAX_BLOCK_RECS ||
		    !idx_entry_ok(&idx[i])) {
			free(idx);
			free(buf);
			memset(t, 0, sizeof(*t));
			return fail(NFE_CORRUPT, err, errlen,
			    "bad block index entry %" PRIu32, i);
		}
		prev_end = idx[i].offset + idx[i].length;
		r->info.records += idx[i].nrec;
	}
	free(buf);
	if (xoff != 0) {
		rc = xoff < r->hdr_len ? NFE_FORMAT :
		    read_exporters(r, xoff, toff, &xlen);
		if (rc != NFE_OK) {
			free(idx);
			memset(t, 0, sizeof(*t));
			r->info.records = 0;
			return fail(rc, err, errlen, "bad exporter table");
		}
	}
	r->idx = idx;
	r->info.nblocks = nb;
	r->info.clean = true;
	r->info.have_totals = true;
	r->info.data_end = toff;
	return NFE_OK;
}

/*
 * The index column's place in a block entry: none (all 0), or inside
 * the block's payload.
 */
static bool
idx_entry_ok(const struct ffile_blockmeta *m)
{
	if (m->idx_pos == 0)
		return m->idx_len == 0;
	return m->idx_pos >= FF_BLK_HDR_LEN(1) && m->idx_pos <= m->length &&
	    m->length - m->idx_pos >= m->idx_len;
}

/*
 * Find the index column (fidx.h) in the column directory of the block
 * header h (hl bytes, ncol entries) and note its place in *m.
 */
static void
find_idx(const uint8_t *h, uint32_t hl, uint16_t ncol,
    struct ffile_blockmeta *m)
{
	struct rbuf rb;
	uint64_t pos = hl;
	uint32_t slen, crc;
	uint16_t id;

	m->idx_pos = m->idx_len = m->idx_crc = 0;
	rbuf_init(&rb, h + FF_BLK_FIXED, (size_t)ncol * FF_COLDIR_LEN);
	for (unsigned k = 0; k < ncol; k++) {
		id = rbuf_le16(&rb);
		rbuf_skip(&rb, 18);
		slen = rbuf_le32(&rb);
		crc = rbuf_le32(&rb);
		if (!rbuf_ok(&rb) || pos + slen > m->length)
			return;
		if (id == FIDX_COL_ID) {
			m->idx_pos = (uint32_t)pos;
			m->idx_len = slen;
			m->idx_crc = crc;
			return;
		}
		pos += slen;
	}
}

/*
 * Parse and check a block header held in p (at least hdr_len bytes
 * available in avail).  Fills the meta fields it carries.
 */
static int
parse_block_fixed(const uint8_t *p, size_t avail, uint32_t *hdr_len,
    uint32_t *payload, uint32_t *nrec, uint64_t *minf, uint64_t *maxl,
    uint16_t *ncol)
{
	struct rbuf b;

	rbuf_init(&b, p, avail);
	if (!rbuf_need(&b, FF_BLK_FIXED))
		return NFE_TRUNC;
	if (memcmp(p, FF_BLOCK_MAGIC, 4) != 0)
		return NFE_FORMAT;
	rbuf_skip(&b, 4);
	*hdr_len = rbuf_le32(&b);
	*payload = rbuf_le32(&b);
	*nrec = rbuf_le32(&b);
	*minf = rbuf_le64(&b);
	*maxl = rbuf_le64(&b);
	*ncol = rbuf_le16(&b);
	if (*ncol > FF_MAX_COLS || *hdr_len != FF_BLK_HDR_LEN(*ncol) ||
	    *nrec > FFILE_MAX_BLOCK_RECS || *payload > FFILE_MAX_BLOCK_BYTES)
		return NFE_FORMAT;
	return NFE_OK;
}

static int
grow(uint8_t **p, size_t *cap, size_t want)
{
	uint8_t *q;

	if (*cap >= want)
		return NFE_OK;
	if ((q = realloc(*p, want)) == NULL)
		return NFE_NOMEM;
	*p = q;
	*cap = want;
	return NFE_OK;
}

/*
 * Check for a block whose header is whole and checksummed at off, and
 * whose payload fits in the file.  Fills *m.  Returns NFE_OK,
 * NFE_TRUNC (cut by the end of the file), NFE_FORMAT, NFE_CORRUPT
 * (header checksum), NFE_IO or NFE_NOMEM.  *hb is a scratch buffer.
 */
static int
probe_block(const struct ffile_reader *r, uint64_t off, uint8_t **hb,
    size_t *hcap, struct ffile_blockmeta *m)
{
	uint32_t hl, pl, nrec, crc;
	uint64_t minf, maxl;
	uint16_t ncol;
	struct rbuf b;
	int rc;

	if ((rc = grow(hb, hcap, FF_BLK_FIXED)) != NFE_OK)
		return rc;
	if (r->size - off < FF_BLK_FIXED)
		return NFE_TRUNC;
	if ((rc = src_read(r, off, *hb, FF_BLK_FIXED)) != NFE_OK)
		return rc;
	rc = parse_block_fixed(*hb, FF_BLK_FIXED, &hl, &pl, &nrec, &minf,
	    &maxl, &ncol);
	if (rc != NFE_OK)
		return rc;
	if (r->size - off < hl)
		return NFE_TRUNC;
	if ((rc = grow(hb, hcap, hl)) != NFE_OK)
		return rc;
	if ((rc = src_read(r, off, *hb, hl)) != NFE_OK)
		return rc;
	rbuf_init(&b, *hb + hl - 4, 4);
	crc = rbuf_le32(&b);
	if (!crc_ok(r->nocrc, crc, *hb, hl - 4))
		return NFE_CORRUPT;
	if (r->size - off < (uint64_t)hl + pl)
		return NFE_TRUNC;
	m->offset = off;
	m->length = hl + pl;
	m->nrec = nrec;
	m->min_first_ms = minf;
	m->max_last_ms = maxl;
	find_idx(*hb, hl, ncol, m);
	return NFE_OK;
}

/*
 * Find the next offset >= off where a whole, checksummed block header
 * starts (a damaged section cannot be skipped by its own length).
 * Returns NFE_OK with *found, NFE_EOF if there is none, or NFE_NOMEM.
 */
static int
resync(const struct ffile_reader *r, uint64_t off, uint8_t **hb,
    size_t *hcap, struct ffile_blockmeta *m, uint64_t *found)
{
	enum { CHUNK = 64 << 10 };
	uint8_t *win;
	size_t len;
	int rc;

	if ((win = malloc(CHUNK)) == NULL)
		return NFE_NOMEM;
	while (off < r->size && r->size - off >= FF_BLK_FIXED) {
		len = r->size - off < CHUNK ? (size_t)(r->size - off) : CHUNK;
		if (src_read(r, off, win, len) != NFE_OK)
			break;
		for (size_t i = 0; i + 4 <= len; i++) {
			if (memcmp(win + i, FF_BLOCK_MAGIC, 4) != 0)
				continue;
			rc = probe_block(r, off + i, hb, hcap, m);
			if (rc == NFE_NOMEM) {
				free(win);
				return rc;
			}
			if (rc == NFE_OK) {
				free(win);
				*found = off + i;
				return NFE_OK;
			}
		}
		if (len < CHUNK)
			break;
		off += len - 3;		/* a magic may straddle chunks */
	}
	free(win);
	return NFE_EOF;
}

/* Append m to the index.  Returns NFE_OK or NFE_NOMEM. */
static int
idx_append(struct ffile_reader *r, const struct ffile_blockmeta *m)
{
	struct ffile_blockmeta *mp;
	size_t cap;

	if (r->info.nblocks == r->idx_cap) {
		cap = r->idx_cap == 0 ? 64 : r->idx_cap * 2;
		if ((mp = realloc(r->idx, cap * sizeof(*mp))) == NULL)
			return NFE_NOMEM;
		r->idx = mp;
		r->idx_cap = cap;
	}
	r->idx[r->info.nblocks++] = *m;
	r->info.records += m->nrec;
	return NFE_OK;
}

/*
 * Walk sections from info.data_end on (no usable trailer), adding every
 * block whose header checks out to the index.  A section that is cut
 * short or fails its checks is skipped by searching for the next good
 * block header; why_unclean describes the first problem.  Following a
 * file that is being written (r->follow), a section cut by the end of
 * the file, or the trailer the writer is completing the file with, ends
 * the walk instead: the next ffile_refresh reads it again.
 */
static int
scan(struct ffile_reader *r)
{
	uint8_t *hb = NULL, magic[4];
	size_t hcap = 0;
	struct ffile_blockmeta m;
	uint64_t off = r->info.data_end, xlen, next;
	char *why = r->info.why_unclean, what[96];
	size_t wl = sizeof(r->info.why_unclean);
	int rc = NFE_OK;

	if (r->info.damaged == 0)
		snprintf(why, wl, "no trailer");
	while (off < r->size) {
		what[0] = '\0';
		if (r->size - off < 4 ||
		    (rc = src_read(r, off, magic, 4)) != NFE_OK) {
			if (r->follow) {
				rc = NFE_OK;	/* not written yet */
				break;
			}
			snprintf(what, sizeof(what), "truncated section");
		} else if (memcmp(magic, FF_EXP_MAGIC, 4) == 0) {
			rc = read_exporters(r, off, r->size, &xlen);
			if (rc == NFE_NOMEM)
				break;
			if (rc == NFE_OK) {
				off += xlen;
				r->info.data_end = off;
				continue;
			}
			if (rc == NFE_TRUNC && r->follow) {
				rc = NFE_OK;
				break;
			}
			snprintf(what, sizeof(what), "exporter table: %s",
			    nferr_str(rc));
		} else if (memcmp(magic, FF_TRAILER_MAGIC, 4) == 0) {
			if (r->follow)
				break;		/* being completed */
			snprintf(what, sizeof(what), "damaged trailer");
		} else if (memcmp(magic, FF_BLOCK_MAGIC, 4) != 0) {
			snprintf(what, sizeof(what), "unknown section");
		} else {
			rc = probe_block(r, off, &hb, &hcap, &m);
			if (rc == NFE_NOMEM)
				break;
			if (rc == NFE_OK) {
				if ((rc = idx_append(r, &m)) != NFE_OK)
					break;
				off += m.length;
				r->info.data_end = off;
				if (r->info.nblocks >= FFILE_MAX_BLOCKS)
					break;
				continue;
			}
			if (rc == NFE_TRUNC && r->follow) {
				rc = NFE_OK;
				break;
			}
			snprintf(what, sizeof(what), "block %zu %s",
			    r->info.nblocks, rc == NFE_TRUNC ? "truncated" :
			    rc == NFE_CORRUPT ? "header checksum mismatch" :
			    "bad header");
		}
		rc = NFE_OK;
		if (!r->follow || r->damage_off != off) {
			if (r->info.damaged == 0)
				snprintf(why, wl, "%s at offset %" PRIu64
				    " (after %zu good blocks)", what, off,
				    r->info.nblocks);
			r->info.damaged++;
			r->damage_off = off;
		}
		rc = resync(r, off + 1, &hb, &hcap, &m, &next);
		if (rc == NFE_NOMEM)
			break;
		if (rc != NFE_OK) {
			rc = NFE_OK;
			break;
		}
		r->info.skipped_bytes += next - off;
		off = next;
		r->info.data_end = off;
	}
	free(hb);
	return rc;
}

static int
open_common(struct ffile_reader *r, unsigned flags, char *err, size_t errlen)
{
	char why[128];
	size_t bad;
	int rc;

	r->info.file_size = r->size;
	r->nocrc = (flags & FFILE_O_NOCRC) != 0;
	r->follow = (flags & FFILE_O_FOLLOW) != 0;
	if ((rc = read_header(r, err, errlen)) != NFE_OK)
		return rc;
	rc = read_trailer(r, why, sizeof(why));
	if (rc == NFE_NOMEM)
		return fail(rc, err, errlen, "out of memory");
	if (rc == NFE_OK)
		return NFE_OK;
	/* no usable trailer: recover the blocks by walking the file */
	free(r->xs);
	r->xs = NULL;
	r->info.exporters = NULL;
	r->info.nexporters = 0;
	r->info.records = 0;
	r->info.data_end = r->hdr_len;
	if ((rc = scan(r)) != NFE_OK)
		return fail(rc, err, errlen, "out of memory");
	if (flags & FFILE_O_TOTALS) {
		rc = ffile_scan_totals(r, &r->info.totals, &bad, NULL, 0);
		if (rc != NFE_OK)
			return fail(rc, err, errlen, "out of memory");
		r->info.have_totals = true;
	}
	return NFE_OK;
}

int
ffile_open(const char *path, unsigned flags, struct ffile_reader **out,
    char *err, size_t errlen)
{
	struct ffile_reader *r;
	struct stat st;
	int rc, e;

	*out = NULL;
	if ((r = calloc(1, sizeof(*r))) == NULL)
		return fail(NFE_NOMEM, err, errlen, "out of memory");
	if ((r->fd = open(path, O_RDONLY | O_CLOEXEC)) == -1 ||
	    fstat(r->fd, &st) == -1) {
		e = errno;
		rc = fail(NFE_IO, err, errlen, "%s", strerror(e));
		ffile_close(r);
		errno = e;
		return rc;
	}
	if (!S_ISREG(st.st_mode)) {
		ffile_close(r);
		return fail(NFE_FORMAT, err, errlen, "not a regular file");
	}
	r->size = (uint64_t)st.st_size;
	if ((rc = open_common(r, flags, err, errlen)) != NFE_OK) {
		e = errno;
		ffile_close(r);
		errno = e;
		return rc;
	}
	*out = r;
	return NFE_OK;
}

int
ffile_open_mem(const void *p, size_t len, unsigned flags,
    struct ffile_reader **out, char *err, size_t errlen)
{
	static const uint8_t empty[1];
	struct ffile_reader *r;
	int rc;

	*out = NULL;
	if ((r = calloc(1, sizeof(*r))) == NULL)
		return fail(NFE_NOMEM, err, errlen, "out of memory");
	r->fd = -1;
	r->mem = len > 0 ? p : empty;
	r->size = len;
	if ((rc = open_common(r, flags, err, errlen)) != NFE_OK) {
		ffile_close(r);
		return rc;
	}
	*out = r;
	return NFE_OK;
}

/*
 * The writer has written a trailer at data_end: read it (and its
 * footer) as ffile_open would.  Until the footer is there the file
 * stays as it was, for the next refresh.
 */
static int
complete(struct ffile_reader *r, bool *changed, char *err, size_t errlen)
{
	struct ffile_blockmeta *old = r->idx;
	struct ffile_totals totals = r->info.totals;
	uint64_t records = r->info.records, data_end = r->info.data_end;
	size_t nb = r->info.nblocks;
	char why[128];
	int rc;

	r->idx = NULL;
	r->info.records = 0;
	if ((rc = read_trailer(r, why, sizeof(why))) == NFE_OK) {
		free(old);
		r->idx_cap = r->info.nblocks;
		*changed = true;
		return NFE_OK;
	}
	r->idx = old;
	r->info.nblocks = nb;
	r->info.records = records;
	r->info.totals = totals;
	r->info.data_end = data_end;
	if (rc == NFE_NOMEM)
		return fail(rc, err, errlen, "out of memory");
	return NFE_OK;
}

int
ffile_refresh(struct ffile_reader *r, bool *changed, char *err, size_t errlen)
{
	uint8_t magic[4];
	struct stat st;
	size_t nb = r->info.nblocks;
	uint64_t end = r->info.data_end;
	bool dummy;
	int rc, e;

	if (changed == NULL)
		changed = &dummy;
	*changed = false;
	if (r->info.clean || !r->follow || r->fd == -1)
		return NFE_OK;
	if (fstat(r->fd, &st) == -1) {
		e = errno;
		rc = fail(NFE_IO, err, errlen, "%s", strerror(e));
		errno = e;
		return rc;
	}
	if ((uint64_t)st.st_size == r->size)
		return NFE_OK;
	r->size = (uint64_t)st.st_size;
	r->info.file_size = r->size;
	if ((rc = scan(r)) != NFE_OK)
		return fail(rc, err, errlen, "out of memory");
	*changed = r->info.nblocks != nb || r->info.data_end != end;
	end = r->info.data_end;
	if (r->size - end >= 4 && src_read(r, end, magic, 4) == NFE_OK &&
	    memcmp(magic, FF_TRAILER_MAGIC, 4) == 0)
		return complete(r, changed, err, errlen);
	return NFE_OK;
}

void
ffile_close(struct ffile_reader *r)
{
	if (r == NULL)
		return;
	if (r->fd != -1)
		close(r->fd);
	free(r->idx);
	free(r->xs);
	free(r);
}

const struct ffile_info *
ffile_info(const struct ffile_reader *r)
{
	return &r->info;
}

const struct ffile_blockmeta *
ffile_block(const struct ffile_reader *r, size_t i)
{
	return i < r->info.nblocks ? &r->idx[i] : NULL;
}

bool
ffile_block_overlaps(const struct ffile_reader *r, size_t i, uint64_t from,
    uint64_t to)
{
	const struct ffile_blockmeta *m = ffile_block(r, i);

	return m != NULL && m->min_first_ms <= to && m->max_last_ms >= from;
}

void
ffile_blockbuf_init(struct ffile_blockbuf *b)
{
	memset(b, 0, sizeof(*b));
}

void
ffile_blockbuf_fini(struct ffile_blockbuf *b)
{
	free(b->raw);
	free(b->tmp);
	free(b->ixb);
	memset(b, 0, sizeof(*b));
}

int
ffile_read_block(const struct ffile_reader *r, size_t i,
    struct ffile_blockbuf *b, char *err, size_t errlen)
{
	const struct ffile_blockmeta *m = ffile_block(r, i);
	uint32_t hl, pl, nrec, crc;
	uint64_t minf, maxl;
	uint16_t ncol;
	struct rbuf rb;
	int rc;

	b->raw_len = 0;
	b->index = i;
	if (m == NULL)
		return fail(NFE_INVAL, err, errlen, "no block %zu", i);
	if ((rc = grow(&b->raw, &b->raw_cap, m->length)) != NFE_OK)
		return fail(rc, err, errlen, "block %zu: out of memory", i);
	if ((rc = src_read(r, m->offset, b->raw, m->length)) != NFE_OK)
		return fail(rc, err, errlen, "block %zu at offset %" PRIu64
		    ": %s", i, m->offset, rc == NFE_IO ? strerror(errno) :
		    "truncated");
	rc = parse_block_fixed(b->raw, m->length, &hl, &pl, &nrec, &minf,
	    &maxl, &ncol);
	if (rc != NFE_OK || (uint64_t)hl + pl != m->length ||
	    nrec != m->nrec || minf != m->min_first_ms ||
	    maxl != m->max_last_ms)
		return fail(NFE_CORRUPT, err, errlen, "block %zu at offset "
		    "%" PRIu64 ": bad block header", i, m->offset);
	rbuf_init(&rb, b->raw + hl - 4, 4);
	crc = rbuf_le32(&rb);
	if (!crc_ok(r->nocrc, crc, b->raw, hl - 4))
		return fail(NFE_CORRUPT, err, errlen, "block %zu at offset "
		    "%" PRIu64 ": header checksum mismatch", i, m->offset);
	b->raw_len = m->length;
	b->nocrc = r->nocrc;
	return NFE_OK;
}

int
ffile_block_index(const struct ffile_reader *r, size_t i,
    struct ffile_blockbuf *b, struct fidx *ix, char *err, size_t errlen)
{
	const struct ffile_blockmeta *m = ffile_block(r, i);
	int rc;

	if (m == NULL)
		return fail(NFE_INVAL, err, errlen, "no block %zu", i);
	if (m->idx_pos == 0)
		return NFE_EOF;
	if ((rc = grow(&b->ixb, &b->ixb_cap, m->idx_len > 0 ? m->idx_len :
	    1)) != NFE_OK)
		return fail(rc, err, errlen, "block %zu: out of memory", i);
	if ((rc = src_read(r, m->offset + m->idx_pos, b->ixb, m->idx_len)) !=
	    NFE_OK)
		return fail(rc, err, errlen, "block %zu: index at offset %"
		    PRIu64 ": %s", i, m->offset + m->idx_pos, rc == NFE_IO ?
		    strerror(errno) : "truncated");
	if (!crc_ok(r->nocrc, m->idx_crc, b->ixb, m->idx_len))
		return fail(NFE_CORRUPT, err, errlen, "block %zu: index "
		    "checksum mismatch", i);
	rc = fidx_parse(b->ixb, m->idx_len, m->nrec, ix, err, errlen);
	if (rc == NFE_UNSUPP)
		return NFE_EOF;
	if (rc != NFE_OK) {
		char why[160];

		snprintf(why, sizeof(why), "%s", err != NULL && errlen > 0 ?
		    err : "");
		return fail(rc, err, errlen, "block %zu: %s", i, why);
	}
	return NFE_OK;
}

/*
 * Decode the columns in mask into c.  With more, c already holds some
 * of this block's columns (from a call without more): those are kept,
 * only the others are decoded and finished.
 */
static int
decode_block(struct ffile_blockbuf *b, fcol_mask mask, struct fcol *c,
    bool more, char *err, size_t errlen)
{
	fcol_mask had = more ? c->mask : 0;
	uint32_t hl, pl, nrec, rawlen, slen, crc;
	uint64_t minf, maxl, pos;
	uint16_t ncol;
	struct rbuf rb;
	struct fcol_enc e;
	const uint8_t *src;
	uint8_t codec;
	int rc;

	if (b->raw_len == 0)
		return fail(NFE_INVAL, err, errlen, "no block read");
	if (parse_block_fixed(b->raw, b->raw_len, &hl, &pl, &nrec, &minf,
	    &maxl, &ncol) != NFE_OK || (uint64_t)hl + pl != b->raw_len)
		return fail(NFE_CORRUPT, err, errlen, "block %zu: bad block "
		    "header", b->index);
	for (unsigned id = 1; id < FCOL_NCOLS; id++) {
		const struct fld_desc *d = fld_by_col(id);

		/* FE_INT_DELTA columns are stored relative to first */
		if ((mask & FCOL_BIT(id)) && d != NULL && d->enc == FE_INT_DELTA)
			mask |= FCOL_BIT(FCOL_FIRST);
	}
	if (more && c->n != nrec)
		return fail(NFE_INVAL, err, errlen, "block %zu: decoded "
		    "from another block", b->index);
	if (!more) {
		if (c->cap < nrec) {
			fcol_fini(c);
			if (fcol_init(c, nrec) != NFE_OK)
				return fail(NFE_NOMEM, err, errlen, "block "
				    "%zu: out of memory", b->index);
		}
		fcol_reset(c);
		c->n = nrec;
	}
	rbuf_init(&rb, b->raw + FF_BLK_FIXED, (size_t)ncol * FF_COLDIR_LEN);
	pos = hl;
	for (unsigned k = 0; k < ncol; k++) {
		e.id = rbuf_le16(&rb);
		codec = rbuf_u8(&rb);
		e.width = rbuf_u8(&rb);
		e.flags = rbuf_u8(&rb);
		rbuf_skip(&rb, 3);
		e.base = rbuf_le64(&rb);
		rawlen = rbuf_le32(&rb);
		slen = rbuf_le32(&rb);
		crc = rbuf_le32(&rb);
		e.raw_len = rawlen;
		if (!rbuf_ok(&rb) || slen > b->raw_len - pos)
			return fail(NFE_CORRUPT, err, errlen, "block %zu: "
			    "column %u (id %u) runs past the block", b->index,
			    k, e.id);
		src = b->raw + pos;
		pos += slen;
		if (!fcol_known(e.id) || !(mask & FCOL_BIT(e.id)) ||
		    (had & FCOL_BIT(e.id)))
			continue;	/* unknown, not wanted or decoded
					   before: skip */

		if (!crc_ok(b->nocrc, crc, src, slen))
			return fail(NFE_CORRUPT, err, errlen, "block %zu: "
			    "column %s checksum mismatch", b->index,
			    fcol_name(e.id));
		if (rawlen > fcol_col_bound(e.id, nrec))
			return fail(NFE_CORRUPT, err, errlen, "block %zu: "
			    "column %s: bad raw length %" PRIu32, b->index,
			    fcol_name(e.id), rawlen);
		if (codec != ZC_NONE) {
			if (!zcodec_known(codec))
				return fail(NFE_UNSUPP, err, errlen, "block "
				    "%zu: column %s: unknown codec %u",
				    b->index, fcol_name(e.id), codec);
			if (grow(&b->tmp, &b->tmp_cap, rawlen > 0 ? rawlen :
			    1) != NFE_OK)
				return fail(NFE_NOMEM, err, errlen, "block "
				    "%zu: out of memory", b->index);
			rc = zcodec_decompress(codec, src, slen, b->tmp,
			    rawlen);
			if (rc != NFE_OK)
				return fail(rc, err, errlen, "block %zu: "
				    "column %s: %s data does not decompress",
				    b->index, fcol_name(e.id),
				    zcodec_name(codec));
			src = b->tmp;
		} else if (slen != rawlen)
			return fail(NFE_CORRUPT, err, errlen, "block %zu: "
			    "column %s: stored %" PRIu32 " != raw %" PRIu32,
			    b->index, fcol_name(e.id), slen, rawlen);
		rc = fcol_decode(c, nrec, &e, src, rawlen);
		if (rc != NFE_OK)
			return fail(rc, err, errlen, "block %zu: column %s: "
			    "bad encoding (width %u, flags %u, %" PRIu32
			    " bytes)", b->index, fcol_name(e.id), e.width,
			    e.flags, rawlen);
	}
	if (pos != b->raw_len)
		return fail(NFE_CORRUPT, err, errlen, "block %zu: columns do "
		    "not fill the payload", b->index);
	if (fcol_decode_finish_cols(c, ~had) != NFE_OK)
		return fail(NFE_CORRUPT, err, errlen, "block %zu: last time "
		    "column without first time column", b->index);
	/* wanted columns the block lacks read as their default */
	for (unsigned id = 1; id < FCOL_NCOLS; id++)
		if ((mask & ~c->mask & FCOL_BIT(id)) && fcol_known(id))
			fcol_fill_default(c, id);
	return NFE_OK;
}

int
ffile_decode_block(struct ffile_blockbuf *b, fcol_mask mask, struct fcol *c,
    char *err, size_t errlen)
{
	return decode_block(b, mask, c, false, err, errlen);
}

int
ffile_decode_more(struct ffile_blockbuf *b, fcol_mask mask, struct fcol *c,
    char *err, size_t errlen)
{
	return decode_block(b, mask, c, true, err, errlen);
}

int
ffile_load_block(const struct ffile_reader *r, size_t i, fcol_mask mask,
    struct ffile_blockbuf *b, struct fcol *c, char *err, size_t errlen)
{
	int rc;

	if ((rc = ffile_read_block(r, i, b, err, errlen)) != NFE_OK)
		return rc;
	return ffile_decode_block(b, mask, c, err, errlen);
}

/*
 * Block i's index (if any) must parse and agree with the decoded
 * records in c: every value within its column's range, every source
 * and destination address in the Bloom filter.
 */
static int
verify_index(const struct ffile_reader *r, size_t i,
    struct ffile_blockbuf *b, const struct fcol *c, char *err,
    size_t errlen)
{
	struct fidx *ix;
	int rc;

	if ((ix = malloc(sizeof(*ix))) == NULL)
		return fail(NFE_NOMEM, err, errlen, "out of memory");
	rc = ffile_block_index(r, i, b, ix, err, errlen);
	if (rc == NFE_EOF)
		rc = NFE_OK;
	else if (rc == NFE_OK && !fidx_agrees(ix, c))
		rc = fail(NFE_CORRUPT, err, errlen, "block %zu: index does "
		    "not match its records", i);
	free(ix);
	return rc;
}

int
ffile_verify_block(const struct ffile_reader *r, size_t i,
    struct ffile_blockbuf *b, struct fcol *c, char *err, size_t errlen)
{
	const struct ffile_blockmeta *m;
	uint64_t lo = UINT64_MAX, hi = 0;
	int rc;

	if ((rc = ffile_load_block(r, i, FCOL_ALL, b, c, err, errlen)) !=
	    NFE_OK)
		return rc;
	m = ffile_block(r, i);
	if ((c->mask & (FCOL_BIT(FCOL_FIRST) | FCOL_BIT(FCOL_LAST))) !=
	    (FCOL_BIT(FCOL_FIRST) | FCOL_BIT(FCOL_LAST)))
		return fail(NFE_CORRUPT, err, errlen, "block %zu: time "
		    "columns missing", i);
	for (size_t k = 0; k < c->n; k++) {
		if (c->first_ms[k] < lo)
			lo = c->first_ms[k];
		if (c->last_ms[k] > hi)
			hi = c->last_ms[k];
	}
	if (c->n > 0 && (lo != m->min_first_ms || hi != m->max_last_ms))
		return fail(NFE_CORRUPT, err, errlen, "block %zu: time range "
		    "in header does not match its records", i);
	return verify_index(r, i, b, c, err, errlen);
}
