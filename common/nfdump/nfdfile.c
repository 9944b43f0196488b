/*
 * common/nfdump/nfdfile.c -- nfdump file reader: header, block walk,
 * appendix, and the sequential stream of flow records (nfdfile.h).
 *
 * Layout 2 file header (40 bytes, little-endian):
 *   0 u16 magic 0xA50C   2 u16 version = 2   4 u32 nfdversion
 *   8 u64 created (s)   16 u8 compression   17 u8 encryption
 *  18 u16 appendixBlocks   20 u32 creator (1.7.2+; unused before)
 *  24 u64 offAppendix   32 u32 BlockSize   36 u32 NumBlocks
 * Layout 1 file header (140 bytes) and statistics record (136 bytes):
 *   0 u16 magic   2 u16 version = 1   4 u32 flags (0x01 LZO, 0x02
 *   anonymised, 0x08 BZ2, 0x10 LZ4, 0x20 ZSTD)   8 u32 NumBlocks
 *  12 char ident[128]; then 15 u64 counters, u32 first, u32 last,
 *   u16 msec_first, u16 msec_last, u32 sequence failures.
 * Block header (12 bytes): u32 NumRecords, u32 size (payload bytes as
 * stored), u16 type (2: layout 1 records, 3: layout 2 records, 4:
 * arrays), u16 flags (bit 0: stored uncompressed).  The payload is
 * compressed as the file header says, unless flag bit 0 is set.
 * Layout 2 ends with appendix blocks at offAppendix holding the ident
 * (record 0x8001) and the statistics (record 0x8002, 18 u64).
 *
 * Every length read from the file is checked against the file size and
 * NFD_MAX_BLOCK before anything is allocated or read.  Never logs.
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
#include "common/nfdump/nfd_int.h"
#include "common/nfdump/nfdfile.h"
#include "common/nfdump/nfdzip.h"

#define HDR2_LEN	40
#define HDR1_LEN	140
#define STAT1_LEN	136
#define BLK_HDR		12
#define BLK_UNCOMP	0x01
#define BT_V1		2
#define BT_V2		3
#define APP_IDENT	0x8001
#define APP_STAT	0x8002
#define BATCH		128

struct nfd_block {
	uint64_t	off;		/* of the block header */
	uint32_t	size;		/* payload bytes as stored */
	uint32_t	nrec;
	uint16_t	type, flags;
};

struct nfd_reader {
	int		 fd;		/* -1 for a memory reader */
	const uint8_t	*mem;		/* borrowed, memory reader only */
	struct nfd_info	 info;
	struct nfd_counts counts;
	struct nfd_block *blocks;	/* owned */
	size_t		 nblocks, next;
	uint8_t		*raw;		/* owned: payload as stored */
	size_t		 rawcap;
	uint8_t		*buf;		/* owned: payload decompressed;
					   NFD_MAX_BLOCK bytes once needed */
	struct rbuf	 blk;		/* records of the current block */
	uint32_t	 left;		/* records of it not yet decoded */
	size_t		 cur;		/* its index, for messages */
	struct nfd_ctx	 ctx;
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

static int
get(const struct nfd_reader *rd, uint64_t off, void *dst, size_t len)
{
	uint8_t *p = dst;
	ssize_t n;

	if (off > rd->info.file_size || len > rd->info.file_size - off)
		return NFE_TRUNC;
	if (rd->mem != NULL) {
		if (len > 0)
			memcpy(dst, rd->mem + off, len);
		return NFE_OK;
	}
	while (len > 0) {
		n = pread(rd->fd, p, len, (off_t)off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return NFE_IO;
		if (n == 0)
			return NFE_TRUNC;
		p += n;
		off += (uint64_t)n;
		len -= (size_t)n;
	}
	return NFE_OK;
}

bool
nfd_sniff(const uint8_t *p, size_t len)
{
	return len >= 4 && p[0] == 0x0c && p[1] == 0xa5 &&
	    (p[2] == 1 || p[2] == 2) && p[3] == 0;
}

static int
check_codec(int z, char *err, size_t errlen)
{
	if (z < 0 || z >= NFDZ_NCODECS)
		return fail(NFE_FORMAT, err, errlen, "nfdump file with unknown "
		    "compression %d", z);
	if (!nfdzip_available(z))
		return fail(NFE_UNSUPP, err, errlen, "nfdump file compressed "
		    "with %s, which this flowq was built without: install %s "
		    "(Debian: %s-dev) and rebuild", nfdzip_name(z),
		    nfdzip_library(z), nfdzip_library(z));
	return NFE_OK;
}

static void
stat1(struct rbuf *r, struct nfd_stat *s)
{
	uint32_t first, last;
	uint16_t msf, msl;

	s->flows = rbuf_le64(r);
	s->bytes = rbuf_le64(r);
	s->packets = rbuf_le64(r);
	for (int i = 0; i < FFILE_NPROTO; i++)
		s->proto_flows[i] = rbuf_le64(r);
	for (int i = 0; i < FFILE_NPROTO; i++)
		s->proto_bytes[i] = rbuf_le64(r);
	for (int i = 0; i < FFILE_NPROTO; i++)
		s->proto_packets[i] = rbuf_le64(r);
	first = rbuf_le32(r);
	last = rbuf_le32(r);
	msf = rbuf_le16(r);
	msl = rbuf_le16(r);
	s->seq_failures = rbuf_le32(r);
	s->first_ms = (uint64_t)first * 1000 + msf;
	s->last_ms = (uint64_t)last * 1000 + msl;
}

static int
header(struct nfd_reader *rd, uint64_t *data_start, uint64_t *data_end,
    char *err, size_t errlen)
{
	uint8_t h[HDR1_LEN + STAT1_LEN];
	struct rbuf r;
	uint32_t flags;
	uint16_t magic, version;
	uint64_t created, off_app;
	int z = NFDZ_NONE, nz = 0, rc;

	if (rd->info.file_size < 4)
		return fail(NFE_FORMAT, err, errlen, "not an nfdump file "
		    "(%" PRIu64 " bytes)", rd->info.file_size);
	if ((rc = get(rd, 0, h, 4)) != NFE_OK)
		return fail(rc, err, errlen, "cannot read the header");
	rbuf_init(&r, h, 4);
	magic = rbuf_le16(&r);
	version = rbuf_le16(&r);
	if (magic != NFD_MAGIC || (version != 1 && version != 2)) {
		if (magic == 0x0CA5)
			return fail(NFE_FORMAT, err, errlen, "nfdump file "
			    "written on a big-endian host: not readable here");
		return fail(NFE_FORMAT, err, errlen, "not an nfdump file");
	}
	rd->info.layout = version;
	*data_end = rd->info.file_size;
	if (version == 2) {
		if ((rc = get(rd, 0, h, HDR2_LEN)) != NFE_OK)
			return fail(NFE_TRUNC, err, errlen, "nfdump header cut "
			    "short (%" PRIu64 " bytes)", rd->info.file_size);
		rbuf_init(&r, h, HDR2_LEN);
		rbuf_skip(&r, 4);
		rd->info.nfdversion = rbuf_le32(&r);
		created = rbuf_le64(&r);
		rd->info.created_ms = created > UINT64_MAX / 1000 ? 0 :
		    created * 1000;
		z = rbuf_u8(&r);
		if (rbuf_u8(&r) != 0)
			return fail(NFE_UNSUPP, err, errlen, "encrypted nfdump "
			    "file: not readable");
		rbuf_skip(&r, 2 + 4);		/* appendixBlocks, creator */
		off_app = rbuf_le64(&r);
		if (off_app >= HDR2_LEN && off_app <= rd->info.file_size)
			*data_end = off_app;
		*data_start = HDR2_LEN;
		rd->info.compression = z;
		return check_codec(z, err, errlen);
	}
	if ((rc = get(rd, 0, h, sizeof(h))) != NFE_OK)
		return fail(NFE_TRUNC, err, errlen, "nfdump (layout 1) header "
		    "cut short (%" PRIu64 " bytes)", rd->info.file_size);
	rbuf_init(&r, h, sizeof(h));
	rbuf_skip(&r, 4);
	flags = rbuf_le32(&r);
	rbuf_skip(&r, 4);			/* NumBlocks */
	rbuf_bytes(&r, rd->info.ident, NFD_IDENT_MAX);
	rbuf_skip(&r, 1);
	rd->info.ident[NFD_IDENT_MAX] = '\0';
	stat1(&r, &rd->info.stat);
	rd->info.have_stat = rbuf_ok(&r);
	rd->info.anonymized = (flags & 0x02) != 0;
	if (flags & 0x01) {
		z = NFDZ_LZO;
		nz++;
	}
	if (flags & 0x08) {
		z = NFDZ_BZ2;
		nz++;
	}
	if (flags & 0x10) {
		z = NFDZ_LZ4;
		nz++;
	}
	if (flags & 0x20) {
		z = NFDZ_ZSTD;
		nz++;
	}
	if (nz > 1)
		return fail(NFE_FORMAT, err, errlen, "nfdump (layout 1) header "
		    "names %d compressions (flags 0x%x)", nz, flags);
	rd->info.compression = z;
	*data_start = sizeof(h);
	return check_codec(z, err, errlen);
}

/* Find the blocks from start to end by their headers; stop at a bad one. */
static int
walk(struct nfd_reader *rd, uint64_t start, uint64_t end, bool data,
    char *err, size_t errlen)
{
	uint8_t h[BLK_HDR];
	struct rbuf r;
	struct nfd_block b;
	uint64_t off = start;
	size_t cap = rd->nblocks;
	struct nfd_block *p;

	while (off < end) {
		if (end - off < BLK_HDR || get(rd, off, h, BLK_HDR) != NFE_OK) {
			snprintf(rd->info.why_cut, sizeof(rd->info.why_cut),
			    "%" PRIu64 " bytes at offset %" PRIu64 " are too "
			    "few for a block", end - off, off);
			rd->info.cut = true;
			break;
		}
		rbuf_init(&r, h, BLK_HDR);
		b.off = off;
		b.nrec = rbuf_le32(&r);
		b.size = rbuf_le32(&r);
		b.type = rbuf_le16(&r);
		b.flags = rbuf_le16(&r);
		if (b.size > NFD_MAX_BLOCK || b.size > end - off - BLK_HDR) {
			snprintf(rd->info.why_cut, sizeof(rd->info.why_cut),
			    "block at offset %" PRIu64 " claims %" PRIu32
			    " bytes, %s", off, b.size, b.size > NFD_MAX_BLOCK ?
			    "more than nfdump writes" : "past the file's end");
			rd->info.cut = true;
			break;
		}
		off += BLK_HDR + (uint64_t)b.size;
		if (!data)
			continue;
		if (rd->nblocks == NFD_MAX_BLOCKS)
			return fail(NFE_LIMIT, err, errlen, "more than %u blocks",
			    NFD_MAX_BLOCKS);
		if (rd->nblocks == cap) {
			cap = cap ? cap * 2 : 64;
			if ((p = realloc(rd->blocks, cap * sizeof(*p))) == NULL)
				return fail(NFE_NOMEM, err, errlen,
				    "out of memory");
			rd->blocks = p;
		}
		rd->blocks[rd->nblocks++] = b;
	}
	return NFE_OK;
}

/* Raw payload of block b into rd->raw, decompressed into *data, *len. */
static int
load(struct nfd_reader *rd, const struct nfd_block *b, const uint8_t **data,
    size_t *len, char *err, size_t errlen)
{
	int z = rd->info.compression, rc;
	uint8_t *p;

	/* buffers grow to what the file needs: small files stay cheap */
	if (b->size > rd->rawcap) {
		if ((p = realloc(rd->raw, b->size)) == NULL)
			return fail(NFE_NOMEM, err, errlen, "out of memory");
		rd->raw = p;
		rd->rawcap = b->size;
	}
	if (z != NFDZ_NONE && !(b->flags & BLK_UNCOMP) && rd->buf == NULL &&
	    (rd->buf = malloc(NFD_MAX_BLOCK)) == NULL)
		return fail(NFE_NOMEM, err, errlen, "out of memory");
	if ((rc = get(rd, b->off + BLK_HDR, rd->raw, b->size)) != NFE_OK)
		return fail(rc == NFE_IO ? NFE_IO : NFE_CORRUPT, err, errlen,
		    "cannot read %" PRIu32 " bytes: %s", b->size,
		    rc == NFE_IO ? strerror(errno) : "file cut short");
	if (z == NFDZ_NONE || (b->flags & BLK_UNCOMP)) {
		*data = rd->raw;
		*len = b->size;
		return NFE_OK;
	}
	rc = nfdzip_decompress(z, rd->raw, b->size, rd->buf, NFD_MAX_BLOCK, len);
	if (rc != NFE_OK)
		return fail(rc, err, errlen, "%s data does not decompress",
		    nfdzip_name(z));
	*data = rd->buf;
	return NFE_OK;
}

/* The appendix of a layout 2 file: ident and statistics, if readable. */
static void
appendix(struct nfd_reader *rd, uint64_t start)
{
	struct nfd_reader tmp;
	const uint8_t *data;
	struct rbuf r, rec;
	uint16_t type, size;
	size_t len;
	char err[64];

	tmp = *rd;
	tmp.blocks = NULL;
	tmp.nblocks = 0;
	if (walk(&tmp, start, rd->info.file_size, true, err, sizeof(err)) !=
	    NFE_OK)
		goto out;
	for (size_t i = 0; i < tmp.nblocks; i++) {
		if (load(rd, &tmp.blocks[i], &data, &len, err, sizeof(err)) !=
		    NFE_OK)
			continue;
		rbuf_init(&r, data, len);
		for (uint32_t k = 0; k < tmp.blocks[i].nrec; k++) {
			type = rbuf_le16(&r);
			size = rbuf_le16(&r);
			if (!rbuf_ok(&r) || size < NFD_REC_HDR)
				break;
			r.off -= NFD_REC_HDR;
			if (!rbuf_sub(&r, size, &rec))
				break;
			rbuf_skip(&rec, NFD_REC_HDR);
			if (type == APP_IDENT) {
				size_t n = rbuf_remaining(&rec);

				if (n > NFD_IDENT_MAX)
					n = NFD_IDENT_MAX;
				rbuf_bytes(&rec, rd->info.ident, n);
				rd->info.ident[n] = '\0';
			} else if (type == APP_STAT) {
				struct nfd_stat *s = &rd->info.stat;

				s->flows = rbuf_le64(&rec);
				s->bytes = rbuf_le64(&rec);
				s->packets = rbuf_le64(&rec);
				for (int j = 0; j < FFILE_NPROTO; j++)
					s->proto_flows[j] = rbuf_le64(&rec);
				for (int j = 0; j < FFILE_NPROTO; j++)
					s->proto_bytes[j] = rbuf_le64(&rec);
				for (int j = 0; j < FFILE_NPROTO; j++)
					s->proto_packets[j] = rbuf_le64(&rec);
				s->first_ms = rbuf_le64(&rec);
				s->last_ms = rbuf_le64(&rec);
				s->seq_failures = rbuf_le64(&rec);
				rd->info.have_stat = rbuf_ok(&rec);
			}
		}
	}
out:
	free(tmp.blocks);
}

static int
open_common(struct nfd_reader *rd, struct nfd_reader **out, char *err,
    size_t errlen)
{
	uint64_t start = 0, end = 0;
	int rc;

	if ((rc = header(rd, &start, &end, err, errlen)) != NFE_OK)
		goto bad;
	if ((rc = nfd_ctx_init(&rd->ctx)) != NFE_OK) {
		rc = fail(NFE_NOMEM, err, errlen, "out of memory");
		goto bad;
	}
	if ((rc = walk(rd, start, end, true, err, errlen)) != NFE_OK)
		goto bad;
	rd->info.nblocks = rd->nblocks;
	if (rd->info.layout == 2 && end < rd->info.file_size && !rd->info.cut)
		appendix(rd, end);
	*out = rd;
	return NFE_OK;
bad:
	nfd_close(rd);
	return rc;
}

int
nfd_open(const char *path, struct nfd_reader **out, char *err, size_t errlen)
{
	struct nfd_reader *rd;
	struct stat st;

	*out = NULL;
	if ((rd = calloc(1, sizeof(*rd))) == NULL)
		return fail(NFE_NOMEM, err, errlen, "out of memory");
	if ((rd->fd = open(path, O_RDONLY | O_CLOEXEC)) == -1 ||
	    fstat(rd->fd, &st) == -1) {
		int e = errno;

		fail(NFE_IO, err, errlen, "%s", strerror(e));
		nfd_close(rd);
		errno = e;
		return NFE_IO;
	}
	rd->info.file_size = (uint64_t)st.st_size;
	return open_common(rd, out, err, errlen);
}

int
nfd_open_mem(const void *p, size_t len, struct nfd_reader **out, char *err,
    size_t errlen)
{
	struct nfd_reader *rd;

	*out = NULL;
	if ((rd = calloc(1, sizeof(*rd))) == NULL)
		return fail(NFE_NOMEM, err, errlen, "out of memory");
	rd->fd = -1;
	rd->mem = p;
	rd->info.file_size = len;
	return open_common(rd, out, err, errlen);
}

void
nfd_close(struct nfd_reader *rd)
{
	if (rd == NULL)
		return;
	if (rd->mem == NULL && rd->fd >= 0)
		close(rd->fd);
	nfd_ctx_fini(&rd->ctx);
	free(rd->blocks);
	free(rd->raw);
	free(rd->buf);
	free(rd);
}

const struct nfd_info *
nfd_info(const struct nfd_reader *rd)
{
	return &rd->info;
}

const struct nfd_counts *
nfd_counts(const struct nfd_reader *rd)
{
	return &rd->counts;
}

const struct ffile_exporter *
nfd_exporters(const struct nfd_reader *rd, size_t *n)
{
	*n = rd->ctx.nxs;
	return rd->ctx.xs;
}

/* Make block i the current one: read, decompress, check its records. */
static int
start_block(struct nfd_reader *rd, size_t i, char *err, size_t errlen)
{
	const struct nfd_block *b = &rd->blocks[i];
	const uint8_t *data;
	struct rbuf chk;
	size_t len;
	char why[200];
	int rc;

	rd->counts.blocks++;
	rd->counts.bytes += BLK_HDR + (uint64_t)b->size;
	rd->cur = i;
	if (b->type != BT_V1 && b->type != BT_V2) {
		rd->counts.other_blocks++;
		return NFE_OK;
	}
	if ((rc = load(rd, b, &data, &len, why, sizeof(why))) == NFE_OK) {
		rbuf_init(&chk, data, len);
		rc = nfdrec_check(&rd->ctx, &chk, b->nrec, why, sizeof(why));
	}
	if (rc != NFE_OK) {
		rd->counts.damaged++;
		return fail(rc, err, errlen, "block %zu (offset %" PRIu64
		    "): %s", i + 1, b->off, why);
	}
	rbuf_init(&rd->blk, data, len);
	rd->left = b->nrec;
	return NFE_OK;
}

int
nfd_read(struct nfd_reader *rd, struct fcol *c, char *err, size_t errlen)
{
	struct flowrec batch[BATCH];
	size_t nb;
	bool flow;
	char why[200];
	int rc;

	fcol_reset(c);
	for (;;) {
		nb = 0;
		while (rd->left > 0 && c->n + nb < c->cap) {
			rc = nfdrec_decode(&rd->ctx, &rd->blk, &batch[nb], &flow,
			    why, sizeof(why));
			rd->left--;
			if (rc != NFE_OK) {
				/* a limit: the rest of the block is lost */
				rd->left = 0;
				rd->counts.damaged++;
				fcol_reset(c);
				return fail(rc, err, errlen, "block %zu: %s",
				    rd->cur + 1, why);
			}
			if (flow && ++nb == BATCH) {
				fcol_put(c, batch, nb);
				nb = 0;
			}
		}
		fcol_put(c, batch, nb);
		rd->counts.skipped = rd->ctx.skipped;
		if (c->n > 0) {
			rd->counts.records += c->n;
			return NFE_OK;
		}
		if (rd->next >= rd->nblocks)
			return NFE_EOF;
		if ((rc = start_block(rd, rd->next++, err, errlen)) != NFE_OK)
			return rc;
	}
}
