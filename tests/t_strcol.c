/*
 * tests/t_strcol.c -- string columns of the flow file (common/ffile/
 * fstr.c, flowkit-file(5) ENCODING "String columns"): how a record
 * keeps a name (cut at 255 bytes on a UTF-8 boundary, NUL padding
 * dropped; IPFIX applicationName in its variable- and fixed-length
 * forms), the dictionary's round trip at each index width, empty
 * and long values, many distinct values, files written and read back
 * with every codec, a string column only in blocks that use it, a
 * reader that does not know the column (an older flowkit) skipping
 * it, and damaged encodings behind valid checksums: every prefix,
 * every flipped bit and hostile directory values, each refused or
 * decoded into a dictionary whose every index and length is in range.
 */
#include "common/base/compat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/base/buf.h"
#include "common/base/nferr.h"
#include "common/codec/ipfix.h"
#include "common/codec/tmpl.h"
#include "common/ffile/crc32c.h"
#include "common/ffile/fcol.h"
#include "common/ffile/ffile.h"
#include "common/ffile/fstr.h"
#include "common/ffile/zcodec.h"
#include "ffgen.h"
#include "nfcollect.h"
#include "tap.h"

#define T0	UINT64_C(1700000000000)

static bool
str_is(const struct nf_str *s, const char *want, size_t len)
{
	return s->len == len && (len == 0 || memcmp(s->p, want, len) == 0);
}

/* ---- how a record keeps a name ----------------------------------- */

static void
test_str_set(void)
{
	char buf[600];
	struct nf_str s;
	size_t n;

	flowrec_str_set(&s, "abc\0\0\0", 6);
	tap_ok(str_is(&s, "abc", 3), "NUL padding of a fixed field dropped");
	flowrec_str_set(&s, "\0abc", 4);
	tap_ok(s.len == 0 && s.p == NULL, "a leading NUL: the empty string");
	flowrec_str_set(&s, "", 0);
	tap_ok(s.len == 0, "length 0: the empty string");
	memset(buf, 'x', sizeof(buf));
	flowrec_str_set(&s, buf, sizeof(buf));
	tap_ok(s.len == FLOWREC_STR_MAX && s.p == buf,
	    "600 bytes cut to %d", FLOWREC_STR_MAX);
	/* 127 two-byte characters, then a third byte: cut at 254 */
	for (n = 0; n < 256; n += 2)
		memcpy(buf + n, "\xc3\xa9", 2);
	flowrec_str_set(&s, buf, 258);
	tap_ok(s.len == 254, "a UTF-8 character is not split (%u)", s.len);
	/* a three-byte character across the bound */
	memset(buf, 'a', 254);
	memcpy(buf + 254, "\xe2\x82\xac", 3);
	flowrec_str_set(&s, buf, 257);
	tap_ok(s.len == 254, "a 3-byte character at 254 left out (%u)",
	    s.len);
}

/*
 * IPFIX applicationName (IE 96) as exporters send it: variable length
 * (RFC 7011 7: 1-byte and 3-byte length forms, and length 0), and a
 * fixed-length field padded with NULs.  The records borrow the bytes
 * from the datagram.
 */
static void
test_ipfix(void)
{
	static uint8_t msg[1024];
	struct tmpl_cache *tc = tmpl_cache_new(NULL);
	struct nf_decode_ctx ctx;
	struct nf_dgram_info info;
	struct collect c;
	struct wbuf w;
	char longv[300];
	size_t setpos, len;

	memset(longv, 'n', sizeof(longv));
	wbuf_init(&w, msg, sizeof(msg));
	wbuf_be16(&w, 10);
	wbuf_be16(&w, 0);			/* length, below */
	wbuf_be32(&w, 1700000000);
	wbuf_be32(&w, 1);
	wbuf_be32(&w, 7);
	/* templates 256 (variable) and 257 (16 bytes fixed) */
	wbuf_be16(&w, 2);
	wbuf_be16(&w, 4 + 2 * (4 + 3 * 4));
	wbuf_be16(&w, 256); wbuf_be16(&w, 3);
	wbuf_be16(&w, 8); wbuf_be16(&w, 4);
	wbuf_be16(&w, 96); wbuf_be16(&w, 0xffff);
	wbuf_be16(&w, 2); wbuf_be16(&w, 4);
	wbuf_be16(&w, 257); wbuf_be16(&w, 3);
	wbuf_be16(&w, 8); wbuf_be16(&w, 4);
	wbuf_be16(&w, 96); wbuf_be16(&w, 16);
	wbuf_be16(&w, 2); wbuf_be16(&w, 4);
	/* set 256: "http", "", 300 bytes (3-byte form) */
	setpos = wbuf_len(&w);
	wbuf_be16(&w, 256);
	wbuf_be16(&w, 0);
	wbuf_be32(&w, 0x0a000001); wbuf_u8(&w, 4); wbuf_bytes(&w, "http", 4);
	wbuf_be32(&w, 1);
	wbuf_be32(&w, 0x0a000002); wbuf_u8(&w, 0);
	wbuf_be32(&w, 2);
	wbuf_be32(&w, 0x0a000003); wbuf_u8(&w, 255); wbuf_be16(&w, 300);
	wbuf_bytes(&w, longv, 300);
	wbuf_be32(&w, 3);
	len = wbuf_len(&w) - setpos;
	msg[setpos + 2] = (uint8_t)(len >> 8);
	msg[setpos + 3] = (uint8_t)len;
	/* set 257: "dns" and NUL padding */
	wbuf_be16(&w, 257);
	wbuf_be16(&w, 4 + 24);
	wbuf_be32(&w, 0x0a000004);
	wbuf_bytes(&w, "dns\0\0\0\0\0\0\0\0\0\0\0\0\0", 16);
	wbuf_be32(&w, 4);
	len = wbuf_len(&w);
	msg[2] = (uint8_t)(len >> 8);
	msg[3] = (uint8_t)len;

	collect_ctx(&ctx, &c, tc, 0xc0000202);
	tap_ok(wbuf_ok(&w) && ipfix_decode(msg, len, &ctx, &info) ==
	    NFE_OK, "IPFIX with applicationName decodes");
	tap_is_uint(c.n, 4, "four records");
	tap_ok(str_is(&c.recs[0].app_name, "http", 4) &&
	    c.recs[0].packets == 1, "1-byte length form");
	tap_ok(c.recs[1].app_name.len == 0 && c.recs[1].packets == 2,
	    "length 0: the empty string");
	tap_ok(str_is(&c.recs[2].app_name, longv, FLOWREC_STR_MAX) &&
	    c.recs[2].packets == 3, "3-byte form, 300 bytes cut to %d",
	    FLOWREC_STR_MAX);
	tap_ok(str_is(&c.recs[3].app_name, "dns", 3) &&
	    c.recs[3].packets == 4, "fixed length: NUL padding dropped");
	tmpl_cache_free(tc);
}

/* ---- the dictionary ----------------------------------------------- */

/* d holds n records whose value i is name(i); check decode(encode). */
static bool
dict_round_trip(const struct fcol_dict *d, size_t n, unsigned *width)
{
	struct fcol_dict e;
	struct fcol_enc enc;
	size_t len = fdict_enc_len(d, n);
	uint8_t *buf = malloc(len + 1);
	bool ok = true;

	memset(&enc, 0, sizeof(enc));
	if (fdict_encode(d, n, buf, len, &enc) != NFE_OK ||
	    enc.raw_len != len || len > fdict_raw_bound(n))
		ok = false;
	*width = enc.width;
	if (ok && len > 0 && fdict_encode(d, n, buf, len - 1, &enc) !=
	    NFE_LIMIT)
		ok = false;
	(void)fdict_encode(d, n, buf, len, &enc);
	if (fdict_init(&e, n) != NFE_OK ||
	    fdict_decode(&e, n, &enc, buf, len) != NFE_OK)
		ok = false;
	for (size_t i = 0; ok && i < n; i++) {
		struct nf_str a, b;

		fdict_get(d, i, &a);
		fdict_get(&e, i, &b);
		ok = a.len == b.len && memcmp(a.p, b.p, a.len) == 0;
	}
	fdict_fini(&e);
	free(buf);
	return ok;
}

/* n records, value i one of k distinct names ("" when k == 0). */
static void
dict_case(size_t n, size_t k, unsigned want_width, const char *what)
{
	struct fcol_dict d;
	char name[32];
	unsigned w = 99;
	bool ok = fdict_init(&d, n) == NFE_OK;

	for (size_t i = 0; ok && i < n; i++) {
		int len = k == 0 ? 0 : snprintf(name, sizeof(name), "v%zu",
		    i % k);
		uint32_t e = fdict_add(&d, name, (size_t)len);

		ok = e != UINT32_MAX;
		d.idx[i] = e;
	}
	ok = ok && d.n == k + 1 && fdict_used(&d, n) == (k > 0) &&
	    dict_round_trip(&d, n, &w) && w == want_width;
	tap_ok(ok, "%s: %zu records, %zu names: index width %u", what, n, k,
	    w);
	fdict_fini(&d);
}

static void
test_dict(void)
{
	struct fcol_dict d;
	char longv[FLOWREC_STR_MAX + 10];
	unsigned w;
	uint32_t a, b, c, e, l;

	fdict_init(&d, 8);
	memset(longv, 'L', sizeof(longv));
	e = fdict_add(&d, "", 0);
	a = fdict_add(&d, "alpha", 5);
	b = fdict_add(&d, "beta", 4);
	c = fdict_add(&d, "alpha", 5);
	l = fdict_add(&d, longv, sizeof(longv));
	tap_ok(e == 0 && a == 1 && b == 2 && c == 1 && l == 3 &&
	    d.len[3] == FLOWREC_STR_MAX, "entry 0 is \"\", equal values share "
	    "an entry, a long one is cut to %d", FLOWREC_STR_MAX);
	d.idx[0] = a; d.idx[1] = e; d.idx[2] = b; d.idx[3] = l;
	tap_ok(dict_round_trip(&d, 4, &w) && w == 1, "round trip with an "
	    "empty and a %d-byte value", FLOWREC_STR_MAX);
	fdict_reset(&d);
	tap_ok(d.n == 1 && d.nbytes == 0 && fdict_add(&d, "beta", 4) == 1,
	    "reset forgets every value but \"\"");
	fdict_fini(&d);

	dict_case(1000, 0, 0, "all empty");
	dict_case(1, 1, 1, "one record");
	dict_case(1000, 255, 1, "256 entries");
	dict_case(1000, 256, 2, "257 entries");
	dict_case(FFILE_MAX_BLOCK_RECS, 65535, 2, "65536 entries");
	dict_case(FFILE_MAX_BLOCK_RECS, FFILE_MAX_BLOCK_RECS, 4,
	    "a value per record");
}

/* ---- damaged encodings ------------------------------------------- */

/*
 * Decode buf as a column of n records with enc; on success every index
 * must be below the entry count and every entry inside the bytes.
 */
static bool
decode_sane(struct fcol_dict *d, size_t n, const struct fcol_enc *enc,
    const uint8_t *buf, size_t len, int *rc)
{
	*rc = fdict_decode(d, n, enc, buf, len);
	if (*rc != NFE_OK)
		return *rc == NFE_CORRUPT || *rc == NFE_UNSUPP;
	for (size_t i = 0; i < n; i++)
		if (d->idx[i] >= d->n)
			return false;
	for (uint32_t i = 0; i < d->n; i++)
		if ((size_t)d->off[i] + d->len[i] > d->nbytes)
			return false;
	return true;
}

static void
test_corrupt_dict(void)
{
	enum { N = 300 };
	struct fcol_dict d, r;
	struct fcol_enc enc, bad;
	char name[40];
	uint8_t *buf, *q;
	size_t len, nbad = 0, nok = 0;
	unsigned w;
	int rc;

	fdict_init(&d, N);
	fdict_init(&r, N);
	for (size_t i = 0; i < N; i++) {
		int k = snprintf(name, sizeof(name), "user-%zu@example", i % 40);

		d.idx[i] = fdict_add(&d, name, i % 7 == 0 ? 0 : (size_t)k);
	}
	len = fdict_enc_len(&d, N);
	buf = malloc(len);
	q = malloc(len);
	fdict_encode(&d, N, buf, len, &enc);
	tap_ok(dict_round_trip(&d, N, &w), "the column to damage decodes");

	for (size_t cut = 0; cut < len; cut++)
		if (fdict_decode(&r, N, &enc, buf, cut) != NFE_CORRUPT)
			nbad++;
	tap_ok(nbad == 0, "each of %zu prefixes refused as corrupt", len);
	nbad = 0;
	for (size_t o = 0; o < len * 8; o++) {
		memcpy(q, buf, len);
		q[o / 8] ^= (uint8_t)(1u << (o % 8));
		if (!decode_sane(&r, N, &enc, q, len, &rc))
			nbad++;
		nok += rc == NFE_OK;
	}
	tap_ok(nbad == 0, "each of %zu flipped bits refused or decoded in "
	    "range (%zu decoded)", len * 8, nok);

	nbad = 0;
	for (uint64_t v = 0; v < 70; v++) {	/* every entry count */
		bad = enc;
		bad.base = v == 69 ? UINT64_MAX : v;
		if (!decode_sane(&r, N, &bad, buf, len, &rc) ||
		    (rc == NFE_OK && v != enc.base))
			nbad++;
	}
	tap_ok(nbad == 0, "a wrong entry count is refused");
	bad = enc;
	bad.width = 3;
	tap_is_int(fdict_decode(&r, N, &bad, buf, len), NFE_UNSUPP,
	    "index width 3 is unsupported");
	bad = enc;
	bad.width = 0;
	tap_is_int(fdict_decode(&r, N, &bad, buf, len), NFE_CORRUPT,
	    "width 0 with more than one entry");
	bad = enc;
	bad.flags = 1;
	tap_is_int(fdict_decode(&r, N, &bad, buf, len), NFE_UNSUPP,
	    "flags are refused");
	bad = enc;
	bad.base = 0;
	tap_is_int(fdict_decode(&r, 0, &bad, buf, 0), NFE_CORRUPT,
	    "no entries at all");
	{
		/* an index past the entries, with consistent lengths */
		uint8_t one[] = { 0, 1, 'x', 0, 1, 2 };
		struct fcol_enc e3 = { .width = 1, .base = 2, .raw_len = 6 };

		tap_is_int(fdict_decode(&r, 3, &e3, one, sizeof(one)),
		    NFE_CORRUPT, "an index past the last entry");
		one[5] = 1;
		tap_ok(fdict_decode(&r, 3, &e3, one, sizeof(one)) == NFE_OK &&
		    r.idx[1] == 1 && r.len[1] == 1 && r.bytes[r.off[1]] == 'x',
		    "and the same column with good indices decodes");
	}
	free(buf);
	free(q);
	fdict_fini(&d);
	fdict_fini(&r);
}

/* ---- files ---------------------------------------------------------- */

#define NREC	3000
#define BRECS	500

static struct flowrec recs[NREC];
static char names[NREC][FLOWREC_STR_MAX + 1];

/*
 * Records with names: none in the second block, else an empty, a
 * long (255 bytes), a UTF-8 and one of 700 short names by turns.
 */
static void
make_records(void)
{
	ffgen_records(recs, NREC, 7, FFGEN_MIXED, T0, 1);
	for (size_t i = 0; i < NREC; i++) {
		char *s = names[i];

		if (i / BRECS == 1 || i % 5 == 0)
			s[0] = '\0';
		else if (i % 5 == 1) {
			memset(s, 'a' + (int)(i % 26), FLOWREC_STR_MAX);
			s[FLOWREC_STR_MAX] = '\0';
		} else if (i % 5 == 2)
			snprintf(s, FLOWREC_STR_MAX + 1, "r\xc3\xa9seau-%zu",
			    i % 3);
		else
			snprintf(s, FLOWREC_STR_MAX + 1, "name-%zu", i * 7 %
			    700);
		flowrec_str_set(&recs[i].app_name, s, strlen(s));
	}
}

static uint8_t *
write_file(int codec, size_t *len)
{
	struct ffile_writer *w;
	struct ffile_wopts o;
	const char *p = ffgen_path("names");

	ffile_wopts_init(&o);
	o.codec = codec;
	o.block_recs = BRECS;
	o.created_ms = T0;
	if (ffile_writer_open(p, &o, &w) != NFE_OK)
		return NULL;
	/* one record at a time, as a collector adds them */
	for (size_t i = 0; i < NREC; i++)
		if (ffile_writer_add(w, &recs[i], 1) != NFE_OK)
			return NULL;
	if (ffile_writer_close(w) != NFE_OK)
		return NULL;
	return ffgen_slurp(p, len);
}

/*
 * Read every block of p; count the records whose name (and whose
 * packets, as a column that every reader knows) equal what was
 * written; want_names: expect names (else every name reads empty).
 */
static size_t
read_back(const uint8_t *p, size_t len, bool want_names, size_t *nblocks)
{
	struct ffile_reader *r;
	struct ffile_blockbuf b;
	struct fcol c;
	struct flowrec x;
	char err[256];
	size_t good = 0, k = 0;

	*nblocks = 0;
	if (ffile_open_mem(p, len, 0, &r, err, sizeof(err)) != NFE_OK) {
		tap_diag("open: %s", err);
		return 0;
	}
	ffile_blockbuf_init(&b);
	fcol_init(&c, BRECS);
	for (size_t i = 0; i < ffile_info(r)->nblocks; i++) {
		if (ffile_load_block(r, i, FCOL_ALL, &b, &c, err,
		    sizeof(err)) != NFE_OK) {
			tap_diag("block %zu: %s", i, err);
			break;
		}
		(*nblocks)++;
		for (size_t j = 0; j < c.n && k < NREC; j++, k++) {
			struct nf_str col;

			fcol_get(&c, j, &x);
			/* the column as the filter reads it, too */
			fdict_get(fcol_array(&c, FCOL_APP_NAME), j, &col);
			if (x.packets == recs[k].packets &&
			    col.len == x.app_name.len &&
			    (col.len == 0 || memcmp(col.p, x.app_name.p,
			    col.len) == 0) &&
			    str_is(&x.app_name, want_names ? names[k] : "",
			    want_names ? strlen(names[k]) : 0))
				good++;
		}
	}
	fcol_fini(&c);
	ffile_blockbuf_fini(&b);
	ffile_close(r);
	return good;
}

/* The column ids in block i's directory hold id: how many times. */
static int
block_has_col(const uint8_t *p, size_t len, size_t i, unsigned id)
{
	struct ffile_reader *r;
	char err[256];
	uint64_t off;
	uint16_t ncol;
	int n = 0;

	if (ffile_open_mem(p, len, 0, &r, err, sizeof(err)) != NFE_OK)
		return -1;
	off = ffile_block(r, i)->offset;
	ncol = (uint16_t)(p[off + 32] | p[off + 33] << 8);
	for (unsigned k = 0; k < ncol; k++) {
		const uint8_t *e = p + off + 40 + 28 * k;

		n += (unsigned)(e[0] | e[1] << 8) == id;
	}
	ffile_close(r);
	return n;
}

/*
 * Give column id another, unknown id (newid) in every block, fixing
 * the header checksums: the file as a reader that does not know the
 * column sees it.
 */
static size_t
rename_column(uint8_t *p, size_t len, unsigned id, unsigned newid)
{
	struct ffile_reader *r;
	char err[256];
	size_t nb, renamed = 0;
	uint64_t *offs;

	if (ffile_open_mem(p, len, 0, &r, err, sizeof(err)) != NFE_OK)
		return 0;
	nb = ffile_info(r)->nblocks;
	offs = calloc(nb + 1, sizeof(*offs));
	for (size_t i = 0; i < nb; i++)
		offs[i] = ffile_block(r, i)->offset;
	ffile_close(r);
	for (size_t i = 0; i < nb; i++) {
		uint8_t *h = p + offs[i];
		uint16_t ncol = (uint16_t)(h[32] | h[33] << 8);
		uint32_t hl = 40 + 28 * (uint32_t)ncol + 4, crc;

		for (unsigned k = 0; k < ncol; k++) {
			uint8_t *e = h + 40 + 28 * k;

			if ((unsigned)(e[0] | e[1] << 8) == id) {
				e[0] = (uint8_t)newid;
				e[1] = (uint8_t)(newid >> 8);
				renamed++;
			}
		}
		crc = crc32c(0, h, hl - 4);
		for (int b = 0; b < 4; b++)
			h[hl - 4 + b] = (uint8_t)(crc >> (8 * b));
	}
	free(offs);
	return renamed;
}

static void
test_files(void)
{
	static const int codecs[] = { ZC_NONE, ZC_LZ4, ZC_ZLIB };
	size_t len, nb, good;
	uint8_t *p;

	make_records();
	for (size_t k = 0; k < 3; k++) {
		p = write_file(codecs[k], &len);
		good = p != NULL ? read_back(p, len, true, &nb) : 0;
		tap_ok(good == NREC && nb == NREC / BRECS, "%s: %d records "
		    "with names read back (%zu, %zu blocks)",
		    zcodec_name(codecs[k]), NREC, good, nb);
		if (codecs[k] != ZC_LZ4) {
			free(p);
			continue;
		}
		tap_ok(block_has_col(p, len, 0, FCOL_APP_NAME) == 1 &&
		    block_has_col(p, len, 1, FCOL_APP_NAME) == 0,
		    "the string column is only in blocks with names");
		tap_ok(rename_column(p, len, FCOL_APP_NAME, FCOL_NCOLS + 3) ==
		    NREC / BRECS - 1, "column renamed to an unknown id");
		good = read_back(p, len, false, &nb);
		tap_ok(good == NREC && nb == NREC / BRECS, "a reader that does "
		    "not know the column skips it and reads the rest (%zu)",
		    good);
		free(p);
	}
}

/*
 * Every prefix of a file with names keeps exactly its whole blocks,
 * and a flipped bit in a block costs that block only (the checks of
 * tests/t_ffile_corrupt.c, on string columns).
 */
static void
test_file_damage(void)
{
	struct ffile_reader *r;
	struct ffile_blockbuf b;
	struct fcol c;
	char err[256];
	size_t len, nb, bad = 0, cuts = 0;
	uint8_t *p = write_file(ZC_LZ4, &len), *q = malloc(len);
	uint64_t off0, end0;

	ffile_open_mem(p, len, 0, &r, err, sizeof(err));
	nb = ffile_info(r)->nblocks;
	off0 = ffile_block(r, 0)->offset;
	end0 = off0 + ffile_block(r, 0)->length;
	ffile_close(r);
	ffile_blockbuf_init(&b);
	fcol_init(&c, BRECS);
	/* the prefixes around the end of block 0 (it holds names) */
	for (size_t cut = (size_t)end0 - 600; cut <= (size_t)end0 + 8; cut++) {
		size_t want = cut >= end0, got = 0;

		cuts++;
		if (ffile_open_mem(p, cut, 0, &r, err, sizeof(err)) != NFE_OK) {
			bad++;
			continue;
		}
		for (size_t i = 0; i < ffile_info(r)->nblocks; i++)
			got += ffile_verify_block(r, i, &b, &c, err,
			    sizeof(err)) == NFE_OK;
		if (got != want)
			bad++;
		ffile_close(r);
	}
	tap_ok(bad == 0, "each of %zu prefixes around the first block keeps "
	    "exactly its whole blocks", cuts);
	bad = 0;
	for (size_t o = (size_t)off0; o < end0; o++) {
		memcpy(q, p, len);
		q[o] ^= (uint8_t)(1u << (o % 8));
		if (ffile_open_mem(q, len, 0, &r, err, sizeof(err)) != NFE_OK) {
			bad++;
			continue;
		}
		/* the other blocks' bytes are untouched */
		if (ffile_info(r)->nblocks != nb ||
		    ffile_verify_block(r, 0, &b, &c, err, sizeof(err)) ==
		    NFE_OK)
			bad++;
		ffile_close(r);
	}
	tap_ok(bad == 0, "a flipped bit at each of %zu offsets of the first "
	    "block costs that block", (size_t)(end0 - off0));
	fcol_fini(&c);
	ffile_blockbuf_fini(&b);
	free(q);
	free(p);
}

int
main(void)
{
	tap_no_plan();
	test_str_set();
	test_ipfix();
	test_dict();
	test_corrupt_dict();
	test_files();
	test_file_damage();
	ffgen_cleanup();
	return tap_done();
}
