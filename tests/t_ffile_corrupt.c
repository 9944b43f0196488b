/*
 * tests/t_ffile_corrupt.c -- the flow file reader against damaged
 * input: zero-length and garbage files, every prefix of a file, a bit
 * flipped at every offset (with and without a trailer), a newer major
 * and minor version, unknown columns and codecs, and hostile lengths
 * behind valid checksums.  Each case asserts exactly which blocks
 * survive, so a reader that dropped good blocks or kept a bad one
 * fails.
 */
#include "common/base/compat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/base/buf.h"
#include "common/base/nferr.h"
#include "common/ffile/crc32c.h"
#include "common/ffile/fcol.h"
#include "common/ffile/ffile.h"
#include "common/ffile/zcodec.h"
#include "ffgen.h"
#include "tap.h"

#define T0	UINT64_C(1700000000000)
#define NBLK	4
#define BRECS	50

static struct flowrec recs[NBLK * BRECS];

/* A small file: NBLK blocks of BRECS records, an exporter table. */
static uint8_t *
make_file(int codec, bool trailer, size_t *len)
{
	struct ffile_exporter x[2];
	struct ffile_writer *w;
	struct ffile_wopts o;
	const char *p = ffgen_path("small");

	memset(x, 0, sizeof(x));
	addr_parse("192.0.2.1", &x[0].addr);
	addr_parse("2001:db8::2", &x[1].addr);
	x[0].stats.datagrams = 5;
	ffgen_records(recs, NBLK * BRECS, 42, FFGEN_MIXED, T0, 1);
	ffile_wopts_init(&o);
	o.codec = codec;
	o.block_recs = BRECS;
	o.ident = "test";
	o.created_ms = T0;
	ffile_writer_open(p, &o, &w);
	ffile_writer_set_exporters(w, x, 2);
	ffile_writer_add(w, recs, NBLK * BRECS);
	if (trailer)
		ffile_writer_close(w);
	else
		ffile_writer_abort(w);
	return ffgen_slurp(p, len);
}

struct survey {
	int		rc;		/* of open */
	bool		clean;
	size_t		nblocks;
	size_t		good;		/* blocks that verify */
	uint64_t	good_recs;
	uint64_t	first_good;	/* offset of the first good block */
	uint32_t	bad_mask;	/* blocks (by offset rank) that failed */
};

/*
 * Open p/len from memory and verify every block.  Blocks are matched to
 * the clean file's blocks by their offset, given in offs[].
 */
static void
survey(const uint8_t *p, size_t len, const uint64_t *offs,
    struct survey *s)
{
	struct ffile_reader *r;
	struct ffile_blockbuf b;
	struct fcol c;
	char err[256];
	uint32_t seen = 0;

	memset(s, 0, sizeof(*s));
	s->rc = ffile_open_mem(p, len, 0, &r, err, sizeof(err));
	if (s->rc != NFE_OK)
		return;
	s->clean = ffile_info(r)->clean;
	s->nblocks = ffile_info(r)->nblocks;
	ffile_blockbuf_init(&b);
	fcol_init(&c, BRECS);
	for (size_t i = 0; i < s->nblocks; i++) {
		uint64_t off = ffile_block(r, i)->offset;
		int k = -1;

		for (int j = 0; j < NBLK; j++)
			if (offs[j] == off)
				k = j;
		if (ffile_verify_block(r, i, &b, &c, err, sizeof(err)) ==
		    NFE_OK) {
			s->good++;
			s->good_recs += c.n;
			if (k >= 0)
				seen |= 1u << k;
		}
	}
	s->bad_mask = ~seen & ((1u << NBLK) - 1);
	fcol_fini(&c);
	ffile_blockbuf_fini(&b);
	ffile_close(r);
}

static void
block_layout(const uint8_t *p, size_t len, uint64_t *offs, uint32_t *lens,
    uint32_t *hdr_len)
{
	struct ffile_reader *r;
	char err[256];

	ffile_open_mem(p, len, 0, &r, err, sizeof(err));
	for (int i = 0; i < NBLK; i++) {
		offs[i] = ffile_block(r, i)->offset;
		lens[i] = ffile_block(r, i)->length;
	}
	*hdr_len = (uint32_t)p[12] | (uint32_t)p[13] << 8;
	ffile_close(r);
}

static void
test_garbage(void)
{
	struct ffile_reader *r;
	uint8_t junk[10000];
	char err[256];
	uint64_t s = 1;

	for (size_t i = 0; i < sizeof(junk); i++) {
		s = s * 6364136223846793005ULL + 1442695040888963407ULL;
		junk[i] = (uint8_t)(s >> 56);
	}
	tap_is_int(ffile_open_mem(junk, 0, 0, &r, err, sizeof(err)),
	    NFE_FORMAT, "zero-length buffer");
	tap_is_str(err, "empty file", "message");
	ffgen_spit(ffgen_path("zero"), junk, 0);
	tap_is_int(ffile_open(ffgen_path("zero"), 0, &r, err, sizeof(err)),
	    NFE_FORMAT, "zero-length file");
	tap_ok(r == NULL, "no reader on failure");
	tap_is_int(ffile_open_mem(junk, sizeof(junk), 0, &r, err,
	    sizeof(err)), NFE_FORMAT, "garbage");
	tap_is_int(ffile_open(ffgen_path("nonexistent"), 0, &r, err,
	    sizeof(err)), NFE_IO, "missing file: NFE_IO");
	tap_is_int(ffile_open(ffgen_tmpdir(), 0, &r, err, sizeof(err)),
	    NFE_FORMAT, "a directory");
}

/* Every prefix keeps exactly the blocks it holds whole. */
static void
test_prefixes(int codec)
{
	uint64_t offs[NBLK];
	uint32_t lens[NBLK], hl;
	struct survey s;
	size_t len, want, bad = 0;
	uint8_t *p = make_file(codec, true, &len);

	block_layout(p, len, offs, lens, &hl);
	for (size_t cut = 0; cut <= len; cut++) {
		uint8_t *q = malloc(cut + 1);

		memcpy(q, p, cut);
		survey(q, cut, offs, &s);
		free(q);
		want = 0;
		for (int i = 0; i < NBLK; i++)
			if (offs[i] + lens[i] <= cut)
				want++;
		if (cut < hl) {
			if (s.rc == NFE_OK && bad++ < 5)
				tap_diag("prefix %zu opened", cut);
		} else if (s.rc != NFE_OK || s.nblocks != want ||
		    s.good != want || s.clean != (cut == len) ||
		    s.good_recs != want * BRECS) {
			if (bad++ < 5)
				tap_diag("prefix %zu: rc %d blocks %zu good "
				    "%zu (want %zu) clean %d", cut, s.rc,
				    s.nblocks, s.good, want, s.clean);
		}
	}
	tap_ok(bad == 0, "%s: each of %zu prefixes keeps exactly its whole "
	    "blocks", zcodec_name(codec), len + 1);
	free(p);
}

/*
 * Flip one bit at every offset.  In the header the file is refused; in
 * block k exactly block k is lost; anywhere else (exporter table,
 * trailer, footer) every block survives.
 */
static void
test_bitflips(int codec, bool trailer)
{
	uint64_t offs[NBLK];
	uint32_t lens[NBLK], hl;
	struct survey s;
	size_t len, bad = 0;
	uint8_t *p = make_file(codec, true, &len), *q;
	size_t flen;

	block_layout(p, len, offs, lens, &hl);
	if (!trailer) {
		free(p);
		p = make_file(codec, false, &flen);
		len = flen;
	}
	q = malloc(len);
	for (size_t o = 0; o < len; o++) {
		int k = -1;
		uint32_t want_bad;

		memcpy(q, p, len);
		q[o] ^= (uint8_t)(1u << (o % 8));
		survey(q, len, offs, &s);
		for (int i = 0; i < NBLK; i++)
			if (o >= offs[i] && o < offs[i] + lens[i])
				k = i;
		want_bad = k >= 0 ? 1u << k : 0;
		if (o < hl) {
			if (s.rc == NFE_OK && bad++ < 5)
				tap_diag("flip at %zu (header) opened", o);
		} else if (s.rc != NFE_OK || s.bad_mask != want_bad ||
		    s.good != (size_t)NBLK - (k >= 0) ||
		    s.good_recs != (NBLK - (k >= 0)) * BRECS) {
			if (bad++ < 5)
				tap_diag("flip at %zu (block %d): rc %d good "
				    "%zu bad mask %x", o, k, s.rc, s.good,
				    s.bad_mask);
		}
	}
	tap_ok(bad == 0, "%s, %s: a flipped bit at each of %zu offsets "
	    "costs at most its own block", zcodec_name(codec),
	    trailer ? "closed" : "no trailer", len);
	free(q);
	free(p);
}

static void
fix_header_crc(uint8_t *p, uint32_t hl)
{
	struct wbuf w;

	wbuf_init(&w, p + hl - 4, 4);
	wbuf_le32(&w, crc32c(0, p, hl - 4));
}

static void
test_versions(void)
{
	struct ffile_reader *r;
	uint64_t offs[NBLK];
	uint32_t lens[NBLK], hl;
	size_t len, nlen;
	uint8_t *p = make_file(ZC_LZ4, true, &len), *q;
	char err[256];
	struct wbuf w;
	int rc;

	block_layout(p, len, offs, lens, &hl);
	p[8] = 2;		/* major 2, minor 0 */
	p[10] = p[11] = 0;
	fix_header_crc(p, hl);
	rc = ffile_open_mem(p, len, 0, &r, err, sizeof(err));
	tap_is_int(rc, NFE_VERSION, "newer major version refused");
	tap_ok(strstr(err, "2.0 is newer") != NULL, "message: %s", err);
	free(p);

	/* minor 7 with 8 more header bytes, no trailer: still read */
	p = make_file(ZC_LZ4, false, &len);
	nlen = len + 8;
	q = calloc(1, nlen);
	memcpy(q, p, hl - 4);
	memcpy(q + hl + 8, p + hl, len - hl);
	wbuf_init(&w, q, nlen);
	w.len = 10;
	wbuf_le16(&w, 7);		/* minor */
	wbuf_le32(&w, hl + 8);		/* header length */
	memset(q + hl - 4, 0xee, 8);	/* fields this reader does not know */
	fix_header_crc(q, hl + 8);
	rc = ffile_open_mem(q, nlen, 0, &r, err, sizeof(err));
	tap_ok(rc == NFE_OK && ffile_info(r)->minor == 7 &&
	    ffile_info(r)->nblocks == NBLK && strcmp(ffile_info(r)->ident,
	    "test") == 0, "newer minor version with a longer header read");
	ffile_close(r);
	free(q);
	free(p);
}

/* A header (from the writer) followed by one hand-made block. */
struct hcol {
	uint16_t	id;
	uint8_t		codec, width, flags;
	uint64_t	base;
	uint32_t	raw_len;
	const uint8_t	*data;
	uint32_t	slen;
};

static size_t
hand_file(uint8_t *out, size_t cap, const struct hcol *cols, size_t ncol,
    uint32_t nrec)
{
	struct ffile_writer *w;
	struct wbuf b;
	uint8_t *hdr;
	size_t hlen, bstart, pl = 0;

	ffile_writer_open(ffgen_path("hand"), NULL, &w);
	ffile_writer_abort(w);
	hdr = ffgen_slurp(ffgen_path("hand"), &hlen);
	wbuf_init(&b, out, cap);
	wbuf_bytes(&b, hdr, hlen);
	free(hdr);
	bstart = wbuf_len(&b);
	for (size_t i = 0; i < ncol; i++)
		pl += cols[i].slen;
	wbuf_bytes(&b, "FKBK", 4);
	wbuf_le32(&b, (uint32_t)(40 + 28 * ncol + 4));
	wbuf_le32(&b, (uint32_t)pl);
	wbuf_le32(&b, nrec);
	wbuf_le64(&b, T0);
	wbuf_le64(&b, T0 + 1000);
	wbuf_le16(&b, (uint16_t)ncol);
	wbuf_le16(&b, 0);
	wbuf_le32(&b, 0);
	for (size_t i = 0; i < ncol; i++) {
		wbuf_le16(&b, cols[i].id);
		wbuf_u8(&b, cols[i].codec);
		wbuf_u8(&b, cols[i].width);
		wbuf_u8(&b, cols[i].flags);
		wbuf_u8(&b, 0);
		wbuf_le16(&b, 0);
		wbuf_le64(&b, cols[i].base);
		wbuf_le32(&b, cols[i].raw_len);
		wbuf_le32(&b, cols[i].slen);
		wbuf_le32(&b, crc32c(0, cols[i].data, cols[i].slen));
	}
	wbuf_le32(&b, crc32c(0, out + bstart, wbuf_len(&b) - bstart));
	for (size_t i = 0; i < ncol; i++)
		wbuf_bytes(&b, cols[i].data, cols[i].slen);
	return wbuf_ok(&b) ? wbuf_len(&b) : 0;
}

static int
decode_hand(const uint8_t *p, size_t len, fcol_mask mask, struct fcol *c,
    char *err, size_t errlen)
{
	struct ffile_reader *r;
	struct ffile_blockbuf b;
	int rc;

	if ((rc = ffile_open_mem(p, len, 0, &r, err, errlen)) != NFE_OK)
		return rc;
	ffile_blockbuf_init(&b);
	if (ffile_info(r)->nblocks != 1)
		rc = NFE_INTERNAL;
	else
		rc = ffile_load_block(r, 0, mask, &b, c, err, errlen);
	ffile_blockbuf_fini(&b);
	ffile_close(r);
	return rc;
}

static void
test_hand_blocks(void)
{
	static const uint8_t pk[3] = { 1, 2, 250 }, junk[5] = "junk";
	static const uint8_t none[1] = { 0 };
	static uint8_t file[4096];
	struct hcol cols[] = {
		{ FCOL_FIRST, ZC_NONE, 0, 0, T0, 0, none, 0 },
		{ 99, 7, 3, 0xff, 0, 12345, junk, 5 },	/* unknown column */
		{ FCOL_LAST, ZC_NONE, 0, 0, 500, 0, none, 0 },
		{ FCOL_PACKETS, ZC_NONE, 1, 0, 10, 3, pk, 3 },
	};
	struct flowrec out;
	struct fcol c;
	char err[256];
	size_t len;
	int rc;

	fcol_init(&c, 3);
	len = hand_file(file, sizeof(file), cols, NF_NELEM(cols), 3);
	rc = decode_hand(file, len, FCOL_ALL, &c, err, sizeof(err));
	tap_ok(rc == NFE_OK, "block with an unknown column decodes: %s",
	    rc == NFE_OK ? "ok" : err);
	fcol_get(&c, 2, &out);
	tap_ok(c.n == 3 && out.first_ms == T0 && out.last_ms == T0 + 500 &&
	    out.packets == 260 && out.bytes == 0 && out.flows == 1 &&
	    c.mask == (FCOL_BIT(FCOL_FIRST) | FCOL_BIT(FCOL_LAST) |
	    FCOL_BIT(FCOL_PACKETS)), "known columns read, missing ones "
	    "default");

	cols[3].codec = 9;
	len = hand_file(file, sizeof(file), cols, NF_NELEM(cols), 3);
	tap_is_int(decode_hand(file, len, FCOL_ALL, &c, err, sizeof(err)),
	    NFE_UNSUPP, "unknown codec in a wanted column");
	tap_ok(strstr(err, "unknown codec 9") != NULL, "message: %s", err);
	tap_is_int(decode_hand(file, len, FCOL_BIT(FCOL_FIRST), &c, err,
	    sizeof(err)), NFE_OK, "unknown codec in a column not asked for");

	cols[3].codec = ZC_NONE;
	cols[3].width = 2;		/* 3 bytes cannot be 3 x 2 */
	len = hand_file(file, sizeof(file), cols, NF_NELEM(cols), 3);
	tap_is_int(decode_hand(file, len, FCOL_ALL, &c, err, sizeof(err)),
	    NFE_CORRUPT, "raw length disagrees with width");
	cols[3].width = 3;
	len = hand_file(file, sizeof(file), cols, NF_NELEM(cols), 3);
	tap_is_int(decode_hand(file, len, FCOL_ALL, &c, err, sizeof(err)),
	    NFE_UNSUPP, "width 3 unsupported");
	cols[3].width = 1;
	cols[3].raw_len = 0x7fffffff;
	cols[3].codec = ZC_LZ4;
	len = hand_file(file, sizeof(file), cols, NF_NELEM(cols), 3);
	tap_is_int(decode_hand(file, len, FCOL_ALL, &c, err, sizeof(err)),
	    NFE_CORRUPT, "huge raw length refused before allocating");
	cols[3].raw_len = 3;
	cols[3].codec = ZC_NONE;
	cols[0].id = FCOL_BYTES;	/* last without first */
	len = hand_file(file, sizeof(file), cols, NF_NELEM(cols), 3);
	tap_is_int(decode_hand(file, len, FCOL_ALL, &c, err, sizeof(err)),
	    NFE_CORRUPT, "last time without first time");
	cols[0].id = FCOL_SRC;
	cols[0].width = 4;		/* v4 addresses, but no bytes */
	len = hand_file(file, sizeof(file), cols, NF_NELEM(cols), 3);
	tap_is_int(decode_hand(file, len, FCOL_BIT(FCOL_SRC), &c, err,
	    sizeof(err)), NFE_CORRUPT, "address column too short");
	len = hand_file(file, sizeof(file), cols, NF_NELEM(cols),
	    FFILE_MAX_BLOCK_RECS + 1);
	tap_is_int(decode_hand(file, len, FCOL_ALL, &c, err, sizeof(err)),
	    NFE_INTERNAL, "oversized block is not indexed");
	fcol_fini(&c);
}

int
main(void)
{
	tap_no_plan();
	test_garbage();
	test_prefixes(ZC_LZ4);
	test_prefixes(ZC_ZLIB);
	test_bitflips(ZC_LZ4, true);
	test_bitflips(ZC_LZ4, false);
	test_bitflips(ZC_ZLIB, true);
	test_bitflips(ZC_NONE, false);
	test_versions();
	test_hand_blocks();
	ffgen_cleanup();
	return tap_done();
}
