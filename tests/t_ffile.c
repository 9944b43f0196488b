/*
 * tests/t_ffile.c -- flow file format: checksum, codecs, column
 * encoding, and write/read round trips (every column, every codec,
 * IPv4/IPv6/mixed blocks, many blocks, column subsets, time-range
 * skipping, exporter table, recovery without trailer, write errors).
 * Corruption and truncation sweeps are in t_ffile_corrupt.c.
 */
#include "common/base/compat.h"

#include <sys/resource.h>

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/base/nferr.h"
#include "common/ffile/crc32c.h"
#include "common/ffile/fcol.h"
#include "common/ffile/ffile.h"
#include "common/ffile/zcodec.h"
#include "ffcheck.h"
#include "ffgen.h"
#include "tap.h"

#define T0	UINT64_C(1700000000000)

static void
test_crc32c(void)
{
	uint8_t buf[1000];
	bool same = true;

	tap_is_uint(crc32c(0, "123456789", 9), 0xE3069283, "crc32c check");
	tap_is_uint(crc32c_sw(0, "123456789", 9), 0xE3069283,
	    "crc32c_sw check");
	tap_is_uint(crc32c(0, "", 0), 0, "crc32c of nothing");
	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)(i * 131 + 7);
	for (size_t off = 0; off < 9; off++)
		for (size_t n = 0; n < 300; n += 7)
			if (crc32c(0, buf + off, n) !=
			    crc32c_sw(0, buf + off, n))
				same = false;
	tap_ok(same, "hardware and table paths agree");
	tap_is_uint(crc32c(crc32c(0, buf, 100), buf + 100, 200),
	    crc32c(0, buf, 300), "crc32c continues");
}

static void
test_zcodec(void)
{
	static const int codecs[] = { ZC_NONE, ZC_LZ4, ZC_ZLIB };
	uint8_t src[5000], dst[6000], back[5000];
	size_t n;
	int c, l, r;
	bool ok = true;

	tap_ok(zcodec_parse("zlib:9", &c, &l) == NFE_OK && c == ZC_ZLIB &&
	    l == 9, "parse zlib:9");
	tap_ok(zcodec_parse("zlib", &c, &l) == NFE_OK && c == ZC_ZLIB &&
	    l == ZC_ZLIB_DEFAULT_LEVEL, "parse zlib");
	tap_ok(zcodec_parse("lz4", &c, &l) == NFE_OK && c == ZC_LZ4 &&
	    l == 0, "parse lz4");
	tap_ok(zcodec_parse("lz4:12", &c, &l) == NFE_OK && c == ZC_LZ4 &&
	    l == 12, "parse lz4:12");
	tap_ok(zcodec_parse("none", &c, &l) == NFE_OK && c == ZC_NONE,
	    "parse none");
	tap_ok(zcodec_parse("zlib:0", &c, &l) == NFE_INVAL &&
	    zcodec_parse("zlib:10", &c, &l) == NFE_INVAL &&
	    zcodec_parse("zstd", &c, &l) == NFE_INVAL &&
	    zcodec_parse("zlib:", &c, &l) == NFE_INVAL &&
	    zcodec_parse("lz4:13", &c, &l) == NFE_INVAL &&
	    zcodec_parse("lz4x", &c, &l) == NFE_INVAL, "parse rejects");
	for (size_t i = 0; i < sizeof(src); i++)
		src[i] = (uint8_t)(i % 17 == 0 ? i : i / 100);
	for (size_t k = 0; k < NF_NELEM(codecs); k++) {
		r = zcodec_compress(codecs[k], 1, src, sizeof(src), dst,
		    sizeof(dst), &n);
		if (r != NFE_OK)
			ok = false;
		memset(back, 0, sizeof(back));
		if (zcodec_decompress(codecs[k], dst, n, back,
		    sizeof(back)) != NFE_OK ||
		    memcmp(back, src, sizeof(src)) != 0)
			ok = false;
		if (zcodec_decompress(codecs[k], dst, n, back,
		    sizeof(back) - 1) != NFE_CORRUPT)
			ok = false;
		if (n > 2 && zcodec_decompress(codecs[k], dst, n - 2, back,
		    sizeof(back)) != NFE_CORRUPT)
			ok = false;
	}
	tap_ok(ok, "each codec round-trips and refuses wrong lengths");
	tap_is_int(zcodec_decompress(9, dst, 1, back, 1), NFE_UNSUPP,
	    "unknown codec");
}

/* Encode and decode every column of n records through fcol. */
static void
test_fcol(int fam, bool shuffle)
{
	static uint8_t raw[17 * 3000];
	static struct flowrec in[3000], out;
	struct fcol a, b;
	struct fcol_enc e;
	bool ok = true;
	size_t n = 3000;

	ffgen_records(in, n, 7 + (uint64_t)fam, fam, T0, 1);
	fcol_init(&a, n);
	fcol_init(&b, n);
	tap_is_uint(fcol_put(&a, in, n), n, "fcol_put takes all");
	for (unsigned id = FCOL_FIRST; id < FCOL_NCOLS; id++) {
		if (!fcol_known(id))
			continue;	/* ids may have gaps */
		if (fcol_encode(&a, id, shuffle, raw, sizeof(raw), &e) !=
		    NFE_OK || fcol_decode(&b, n, &e, raw, e.raw_len) !=
		    NFE_OK) {
			tap_diag("column %s failed", fcol_name(id));
			ok = false;
		}
	}
	tap_ok(fcol_decode_finish(&b) == NFE_OK && b.mask == FCOL_ALL,
	    "all columns decoded (fam %d)", fam);
	for (size_t i = 0; i < n && ok; i++) {
		fcol_get(&b, i, &out);
		if (!flowrec_equal(&in[i], &out)) {
			char s1[600], s2[600];

			tap_diag("row %zu: %s", i, flowrec_dump(&in[i], s1,
			    sizeof(s1)));
			tap_diag("  got: %s", flowrec_dump(&out, s2,
			    sizeof(s2)));
			ok = false;
		}
	}
	tap_ok(ok, "fcol round trip, family %d, shuffle %d", fam, shuffle);
	fcol_fini(&a);
	fcol_fini(&b);
}

static int
write_file(const char *path, int codec, int level, const char *ident,
    const struct flowrec *recs, size_t n, size_t chunk, uint32_t brecs)
{
	struct ffile_wopts o;
	struct ffile_writer *w;
	int rc;

	ffile_wopts_init(&o);
	o.codec = codec;
	o.level = level;
	o.ident = ident;
	o.block_recs = brecs;
	o.created_ms = T0;
	if ((rc = ffile_writer_open(path, &o, &w)) != NFE_OK)
		return rc;
	for (size_t i = 0; i < n; i += chunk) {
		rc = ffile_writer_add(w, recs + i, n - i < chunk ? n - i :
		    chunk);
		if (rc != NFE_OK) {
			ffile_writer_abort(w);
			return rc;
		}
	}
	return ffile_writer_close(w);
}

static void
test_roundtrip(void)
{
	static const struct { int codec, level; const char *name; } cs[] = {
		{ ZC_NONE, 0, "none" }, { ZC_LZ4, 0, "lz4" },
		{ ZC_LZ4, 9, "lz4:9" },
		{ ZC_ZLIB, 1, "zlib:1" }, { ZC_ZLIB, 9, "zlib:9" },
	};
	static const char *fams[] = { "ipv4", "ipv6", "mixed" };
	size_t n = 70000;
	struct flowrec *recs = calloc(n, sizeof(*recs));
	struct ffile_reader *r;
	char err[256], name[64];
	int rc;

	for (int f = 0; f < 3; f++) {
		ffgen_records(recs, n, 100 + (uint64_t)f, f, T0, 1);
		for (size_t k = 0; k < NF_NELEM(cs); k++) {
			snprintf(name, sizeof(name), "rt-%s-%s", cs[k].name,
			    fams[f]);
			rc = write_file(ffgen_path(name), cs[k].codec,
			    cs[k].level, "router-1", recs, n, 1000, 0);
			tap_ok(rc == NFE_OK && ffcheck_file(ffgen_path(name),
			    recs, n, true, name), "round trip %s %s",
			    cs[k].name, fams[f]);
		}
	}
	rc = ffile_open(ffgen_path("rt-zlib:9-mixed"), 0, &r, err,
	    sizeof(err));
	tap_ok(rc == NFE_OK, "open");
	if (rc == NFE_OK) {
		const struct ffile_info *in = ffile_info(r);

		tap_is_str(in->ident, "router-1", "ident");
		tap_is_int(in->codec, ZC_ZLIB, "codec");
		tap_is_int(in->level, 9, "level");
		tap_is_uint(in->created_ms, T0, "created");
		tap_is_int(in->major, FFILE_MAJOR, "major");
		tap_is_uint(in->nblocks, 3, "3 blocks of <= 32768");
		tap_is_uint(ffile_block(r, 2)->nrec, 70000 - 2 * 32768,
		    "last block size");
		ffile_close(r);
	}
	free(recs);
}

static void
test_empty_and_ident(void)
{
	struct ffile_reader *r;
	struct ffile_writer *w;
	char err[256], longid[400];
	int rc;

	memset(longid, 'x', sizeof(longid) - 1);
	longid[sizeof(longid) - 1] = '\0';
	tap_ok(write_file(ffgen_path("empty"), ZC_LZ4, 0, longid, NULL, 0, 1,
	    0) == NFE_OK, "write empty file");
	rc = ffile_open(ffgen_path("empty"), 0, &r, err, sizeof(err));
	tap_ok(rc == NFE_OK && ffile_info(r)->clean &&
	    ffile_info(r)->nblocks == 0 && ffile_info(r)->totals.records == 0 &&
	    strlen(ffile_info(r)->ident) == FFILE_IDENT_MAX,
	    "empty file reads back clean, ident cut at 255");
	ffile_close(r);
	tap_is_int(ffile_writer_open(ffgen_path("bad"), &(struct ffile_wopts){
	    .codec = 7 }, &w), NFE_INVAL, "unknown codec refused");
	tap_is_int(ffile_writer_open(ffgen_path("bad"), &(struct ffile_wopts){
	    .codec = ZC_LZ4, .block_recs = FFILE_MAX_BLOCK_RECS + 1 }, &w),
	    NFE_INVAL, "oversized blocks refused");
	tap_is_int(ffile_writer_open("/nonexistent/dir/f", NULL, &w), NFE_IO,
	    "missing directory: NFE_IO");
}

/* 200k records in 200 blocks of 1000 and in default blocks. */
static void
test_many_blocks(void)
{
	size_t n = 200000;
	struct flowrec *recs = calloc(n, sizeof(*recs));

	ffgen_records(recs, n, 5, FFGEN_MIXED, T0, 0);
	tap_ok(write_file(ffgen_path("many"), ZC_LZ4, 0, "m", recs, n, 777,
	    1000) == NFE_OK && ffcheck_file(ffgen_path("many"), recs, n, true,
	    "many"), "200 blocks of 1000");
	tap_ok(write_file(ffgen_path("many2"), ZC_LZ4, 0, "m", recs, n, n,
	    0) == NFE_OK && ffcheck_file(ffgen_path("many2"), recs, n, true,
	    "many2"), "200k records in one add call");
	free(recs);
}

/*
 * ffile_decode_more after a partial decode of block b gives what one
 * decode of everything gives: from the filter's usual columns (no
 * first time), from first time alone (last time finished once), and
 * from columns holding a string (its dictionary decoded whole).
 */
static void
test_decode_more(struct ffile_blockbuf *b, const struct flowrec *recs,
    size_t n)
{
	static const fcol_mask firsts[] = {
		FCOL_BIT(FCOL_PROTO) | FCOL_BIT(FCOL_DST_PORT) |
		    FCOL_BIT(FCOL_BYTES),
		FCOL_BIT(FCOL_FIRST),
		FCOL_BIT(FCOL_LAST) | FCOL_BIT(FCOL_SRC),
		0,
	};
	struct flowrec x, y;
	struct fcol c, all;
	char err[256];
	bool ok = true;

	fcol_init(&c, n);
	fcol_init(&all, n);
	ok = ffile_decode_block(b, FCOL_ALL, &all, err, sizeof(err)) ==
	    NFE_OK;
	for (size_t f = 0; f < sizeof(firsts) / sizeof(firsts[0]); f++) {
		ok = ok && ffile_decode_block(b, firsts[f], &c, err,
		    sizeof(err)) == NFE_OK && ffile_decode_more(b, FCOL_ALL,
		    &c, err, sizeof(err)) == NFE_OK && c.mask == all.mask;
		for (size_t i = 0; i < n && ok; i++) {
			fcol_get(&c, i, &x);
			fcol_get(&all, i, &y);
			ok = flowrec_equal(&x, &y) &&
			    x.last_ms == recs[i].last_ms &&
			    x.bytes == recs[i].bytes;
		}
	}
	tap_ok(ok, "decode in two steps gives the whole decode");
	/* more of a block into a column set of another size */
	c.n = n - 1;
	tap_is_int(ffile_decode_more(b, FCOL_ALL, &c, err, sizeof(err)),
	    NFE_INVAL, "decode more of another block refused");
	fcol_fini(&c);
	fcol_fini(&all);
}

/*
 * A string column decoded in the second step, after another block's
 * strings filled its dictionary (fcol_reset is not called between the
 * steps; fdict_decode replaces the whole dictionary): block 1's names,
 * not block 0's.
 */
static void
test_decode_more_str(void)
{
	size_t n = 400;
	struct flowrec *recs = calloc(n, sizeof(*recs));
	struct ffile_blockbuf b;
	struct ffile_reader *r;
	struct flowrec x;
	struct fcol c;
	char err[256], name[2][40];
	bool ok;

	ffgen_records(recs, n, 11, FFGEN_V4, T0, 0);
	for (size_t i = 0; i < n; i++) {
		snprintf(name[i / 200], sizeof(name[0]), "user-of-block-%zu",
		    i / 200);
		flowrec_str_set(&recs[i].user, name[i / 200],
		    strlen(name[i / 200]));
	}
	ok = write_file(ffgen_path("more"), ZC_LZ4, 0, "", recs, n, n,
	    200) == NFE_OK && ffile_open(ffgen_path("more"), 0, &r, err,
	    sizeof(err)) == NFE_OK;
	ffile_blockbuf_init(&b);
	fcol_init(&c, n);
	ok = ok && ffile_info(r)->nblocks == 2 &&
	    ffile_load_block(r, 0, FCOL_ALL, &b, &c, err, sizeof(err)) ==
	    NFE_OK &&
	    ffile_load_block(r, 1, FCOL_BIT(FCOL_BYTES), &b, &c, err,
	    sizeof(err)) == NFE_OK &&
	    ffile_decode_more(&b, FCOL_ALL, &c, err, sizeof(err)) == NFE_OK;
	for (size_t i = 0; i < 200 && ok; i++) {
		fcol_get(&c, i, &x);
		ok = flowrec_equal(&x, &recs[200 + i]);
	}
	tap_ok(ok, "string column decoded in the second step: %s",
	    ok ? "its own block's names" : err);
	fcol_fini(&c);
	ffile_blockbuf_fini(&b);
	ffile_close(r);
	free(recs);
}

static void
test_subsets(void)
{
	size_t n = 5000;
	struct flowrec *recs = calloc(n, sizeof(*recs));
	struct ffile_blockbuf b;
	struct ffile_reader *r;
	struct flowrec out;
	struct fcol c;
	char err[256];
	bool ok = true;
	int rc;

	ffgen_records(recs, n, 9, FFGEN_MIXED, T0, 1);
	write_file(ffgen_path("sub"), ZC_LZ4, 0, "", recs, n, n, 0);
	ffile_open(ffgen_path("sub"), 0, &r, err, sizeof(err));
	ffile_blockbuf_init(&b);
	fcol_init(&c, 16);	/* too small on purpose: decode grows it */
	rc = ffile_load_block(r, 0, FCOL_BIT(FCOL_BYTES) |
	    FCOL_BIT(FCOL_DST), &b, &c, err, sizeof(err));
	tap_ok(rc == NFE_OK && c.mask == (FCOL_BIT(FCOL_BYTES) |
	    FCOL_BIT(FCOL_DST)) && c.n == n, "only the asked columns");
	for (size_t i = 0; i < n; i++)
		if (c.bytes[i] != recs[i].bytes ||
		    !addr_eq(&c.dst[i], &recs[i].dst))
			ok = false;
	tap_ok(ok, "subset values");
	fcol_get(&c, 3, &out);
	tap_ok(out.bytes == recs[3].bytes && out.packets == 0 &&
	    out.flows == 1 && out.src_port == 0, "fcol_get defaults the rest");
	rc = ffile_decode_block(&b, FCOL_BIT(FCOL_LAST), &c, err,
	    sizeof(err));
	ok = rc == NFE_OK && c.mask == (FCOL_BIT(FCOL_FIRST) |
	    FCOL_BIT(FCOL_LAST));
	for (size_t i = 0; i < n && ok; i++)
		if (c.last_ms[i] != recs[i].last_ms ||
		    c.first_ms[i] != recs[i].first_ms)
			ok = false;
	tap_ok(ok, "last implies first; decode twice from one read");
	test_decode_more(&b, recs, n);
	tap_is_int(ffile_decode_block(&b, 0, &c, err, sizeof(err)), NFE_OK,
	    "empty mask");
	tap_is_uint(c.mask, 0, "no columns");
	fcol_fini(&c);
	ffile_blockbuf_fini(&b);
	ffile_close(r);
	free(recs);
}

static void
test_time_skip(void)
{
	struct flowrec recs[300];
	struct ffile_writer *w;
	struct ffile_reader *r;
	const struct ffile_blockmeta *m;
	char err[256];
	size_t hits = 0;
	int rc;

	/* three blocks: hours 0, 1 and 2 */
	ffile_writer_open(ffgen_path("time"), NULL, &w);
	for (int h = 0; h < 3; h++) {
		ffgen_records(recs, 100, (uint64_t)h, FFGEN_V4,
		    T0 + (uint64_t)h * 3600000, 0);
		ffile_writer_add(w, recs, 100);
		ffile_writer_flush(w);
	}
	tap_is_uint(ffile_writer_blocks(w), 3, "flush writes a block each");
	tap_is_int(ffile_writer_flush(w), NFE_OK, "flush when empty");
	tap_is_uint(ffile_writer_blocks(w), 3, "empty flush writes nothing");
	tap_is_int(ffile_writer_close(w), NFE_OK, "close");
	rc = ffile_open(ffgen_path("time"), 0, &r, err, sizeof(err));
	tap_ok(rc == NFE_OK, "open");
	for (size_t i = 0; i < ffile_info(r)->nblocks; i++)
		if (ffile_block_overlaps(r, i, T0 + 3600000 + 100000,
		    T0 + 3600000 + 100010))
			hits++;
	tap_is_uint(hits, 1, "one block overlaps a window in hour 1");
	m = ffile_block(r, 1);
	tap_ok(m->min_first_ms >= T0 + 3600000 &&
	    m->max_last_ms < T0 + 2 * 3600000, "block 1 time range");
	tap_ok(ffile_block_overlaps(r, 1, m->max_last_ms, m->max_last_ms) &&
	    !ffile_block_overlaps(r, 1, m->max_last_ms + 1, UINT64_MAX) &&
	    ffile_block_overlaps(r, 1, 0, m->min_first_ms) &&
	    !ffile_block_overlaps(r, 1, 0, m->min_first_ms - 1) &&
	    !ffile_block_overlaps(r, 3, 0, UINT64_MAX),
	    "window edges and out-of-range block");
	ffile_close(r);
}

static void
test_exporters(void)
{
	struct ffile_exporter x[3];
	struct flowrec recs[10];
	struct ffile_writer *w;
	struct ffile_reader *r;
	char err[256];
	bool ok;

	memset(x, 0, sizeof(x));
	for (int i = 0; i < 3; i++) {
		addr_parse(i == 2 ? "2001:db8::1" : i ? "10.0.0.2" :
		    "10.0.0.1", &x[i].addr);
		x[i].port = (uint16_t)(2055 + i);
		x[i].version = (uint16_t)(i == 0 ? 5 : i == 1 ? 9 : 10);
		x[i].domain = 1000u + (uint32_t)i;
		x[i].sampling = (uint32_t)i * 100;
		x[i].stats.datagrams = 11u + (uint64_t)i;
		x[i].stats.records = 12;
		x[i].stats.seq_gaps = 13;
		x[i].stats.seq_lost = 14;
		x[i].stats.seq_resets = 15;
		x[i].stats.malformed = 16;
		x[i].stats.no_template = 17;
		x[i].stats.socket_drops = 18;
		x[i].stats.dropped = UINT64_MAX;
	}
	ffgen_records(recs, 10, 1, FFGEN_V4, T0, 0);
	ffile_writer_open(ffgen_path("exp"), NULL, &w);
	ffile_writer_set_exporters(w, x, 2);
	ffile_writer_add(w, recs, 10);
	ffile_writer_flush(w);
	x[0].stats.datagrams = 99;
	ffile_writer_set_exporters(w, x, 3);
	tap_is_int(ffile_writer_close(w), NFE_OK, "close with exporters");
	ffile_open(ffgen_path("exp"), 0, &r, err, sizeof(err));
	ok = ffile_info(r)->nexporters == 3 &&
	    memcmp(ffile_info(r)->exporters, x, sizeof(x)) == 0;
	tap_ok(ok, "exporter table and statistics read back");
	ffile_close(r);

	/* crash after the first block: the first table survives */
	ffile_writer_open(ffgen_path("exp2"), NULL, &w);
	x[0].stats.datagrams = 1;
	ffile_writer_set_exporters(w, x, 2);
	ffile_writer_add(w, recs, 10);
	ffile_writer_flush(w);
	x[0].stats.datagrams = 2;	/* same exporters, new counts */
	ffile_writer_set_exporters(w, x, 2);
	ffile_writer_add(w, recs, 10);
	ffile_writer_flush(w);
	ffile_writer_abort(w);
	x[0].stats.datagrams = 1;
	ffile_open(ffgen_path("exp2"), 0, &r, err, sizeof(err));
	tap_ok(!ffile_info(r)->clean && ffile_info(r)->nblocks == 2 &&
	    ffile_info(r)->nexporters == 2 &&
	    memcmp(ffile_info(r)->exporters, x, 2 * sizeof(x[0])) == 0,
	    "unclean file keeps the table written before its blocks, not "
	    "one per statistics update");
	ffile_close(r);

	ffile_writer_open(ffgen_path("exp3"), NULL, &w);
	ffile_writer_set_exporters(w, x, 2);
	ffile_writer_add(w, recs, 10);
	ffile_writer_flush(w);
	ffile_writer_set_exporters(w, x, 3);	/* a new exporter */
	ffile_writer_add(w, recs, 10);
	ffile_writer_flush(w);
	ffile_writer_abort(w);
	ffile_open(ffgen_path("exp3"), 0, &r, err, sizeof(err));
	tap_ok(ffile_info(r)->nexporters == 3 &&
	    memcmp(ffile_info(r)->exporters, x, sizeof(x)) == 0,
	    "a new exporter is written before the next block");
	ffile_close(r);
}

static void
test_recovery(void)
{
	size_t n = 10000;
	struct flowrec *recs = calloc(n, sizeof(*recs));
	struct ffile_recovery res;
	struct ffile_writer *w;
	struct ffile_reader *r;
	struct ffile_wopts o;
	char err[256];
	int rc;

	ffgen_records(recs, n, 3, FFGEN_MIXED, T0, 1);
	ffile_wopts_init(&o);
	o.block_recs = 1000;
	ffile_writer_open(ffgen_path("crash"), &o, &w);
	ffile_writer_add(w, recs, 9500);	/* 9 blocks + 500 buffered */
	ffile_writer_abort(w);
	rc = ffile_open(ffgen_path("crash"), 0, &r, err, sizeof(err));
	tap_ok(rc == NFE_OK && !ffile_info(r)->clean &&
	    ffile_info(r)->nblocks == 9 && ffile_info(r)->records == 9000 &&
	    !ffile_info(r)->have_totals, "no trailer: 9 blocks recovered");
	tap_diag("why: %s", ffile_info(r)->why_unclean);
	ffile_close(r);
	tap_ok(ffcheck_file(ffgen_path("crash"), recs, 9000, false, "crash"),
	    "recovered records and rebuilt totals equal what was written");
	rc = ffile_recover(ffgen_path("crash"), &res, err, sizeof(err));
	tap_ok(rc == NFE_OK && !res.was_clean && res.blocks == 9 &&
	    res.records == 9000 && res.bad_blocks == 0 && res.cut_bytes == 0,
	    "ffile_recover: 9 blocks, 9000 records");
	tap_ok(ffcheck_file(ffgen_path("crash"), recs, 9000, true, "fixed"),
	    "recovered file is clean and whole");
	rc = ffile_recover(ffgen_path("crash"), &res, err, sizeof(err));
	tap_ok(rc == NFE_OK && res.was_clean, "recovering a clean file is a "
	    "no-op");

	/* killed right after the header, and in the middle of it */
	ffile_writer_open(ffgen_path("hdronly"), NULL, &w);
	ffile_writer_abort(w);
	rc = ffile_recover(ffgen_path("hdronly"), &res, err, sizeof(err));
	tap_ok(rc == NFE_OK && res.blocks == 0 && !res.was_clean,
	    "header-only file recovered");
	tap_ok(ffcheck_file(ffgen_path("hdronly"), recs, 0, true, "hdronly"),
	    "and is a clean empty file");
	ffgen_spit(ffgen_path("cut"), "\x89" "FLOWKIT\x01", 9);
	rc = ffile_recover(ffgen_path("cut"), &res, err, sizeof(err));
	tap_ok(rc == NFE_FORMAT || rc == NFE_TRUNC,
	    "file cut inside its header: %s", err);
	free(recs);
}

static void
test_write_errors(void)
{
	size_t n = 5000;
	struct flowrec *recs = calloc(n, sizeof(*recs));
	struct ffile_recovery res;
	struct ffile_writer *w;
	struct ffile_wopts o;
	struct rlimit old, lim;
	char err[256];
	uint64_t good;
	int rc;

	rc = ffile_writer_open("/dev/full", NULL, &w);
	tap_ok(rc == NFE_IO && errno == ENOSPC, "/dev/full: NFE_IO, ENOSPC");

	/* a file size limit stands in for a full disk mid-file */
	ffgen_records(recs, n, 4, FFGEN_V4, T0, 0);
	ffile_wopts_init(&o);
	o.block_recs = 1000;
	o.codec = ZC_NONE;
	signal(SIGXFSZ, SIG_IGN);
	getrlimit(RLIMIT_FSIZE, &old);
	ffile_writer_open(ffgen_path("full"), &o, &w);
	ffile_writer_add(w, recs, 2000);
	good = ffile_writer_bytes(w);
	lim = old;
	lim.rlim_cur = good + 1000;
	setrlimit(RLIMIT_FSIZE, &lim);
	rc = ffile_writer_add(w, recs + 2000, 1000);
	tap_ok(rc == NFE_IO && errno == EFBIG, "write error: NFE_IO, EFBIG");
	tap_is_uint(ffile_writer_bytes(w), good, "file end unchanged");
	tap_is_uint(ffile_writer_blocks(w), 2, "two blocks written");
	tap_is_uint(ffile_writer_pending(w), 1000, "failed block buffered");
	rc = ffile_writer_close(w);
	tap_is_int(rc, NFE_IO, "close fails too");
	setrlimit(RLIMIT_FSIZE, &old);
	rc = ffile_recover(ffgen_path("full"), &res, err, sizeof(err));
	tap_ok(rc == NFE_OK && res.blocks == 2 && res.records == 2000,
	    "blocks before the error are kept");
	tap_ok(ffcheck_file(ffgen_path("full"), recs, 2000, true, "full"),
	    "and read back intact");
	free(recs);
}

struct thr {
	const struct ffile_reader *r;
	unsigned	 id, nthr;
	uint64_t	 bytes, recs;
	int		 fails;
};

static void *
thr_main(void *arg)
{
	struct thr *t = arg;
	struct ffile_blockbuf b;
	struct fcol c;
	char err[256];

	ffile_blockbuf_init(&b);
	fcol_init(&c, 1);
	for (int pass = 0; pass < 3; pass++)
		for (size_t i = t->id; i < ffile_info(t->r)->nblocks;
		    i += t->nthr) {
			if (ffile_load_block(t->r, i, FCOL_BIT(FCOL_BYTES) |
			    FCOL_BIT(FCOL_LAST), &b, &c, err,
			    sizeof(err)) != NFE_OK) {
				t->fails++;
				continue;
			}
			for (size_t k = 0; k < c.n; k++)
				t->bytes += c.bytes[k] + c.last_ms[k];
			t->recs += c.n;
		}
	fcol_fini(&c);
	ffile_blockbuf_fini(&b);
	return NULL;
}

/* Several threads decode the blocks of one reader at once. */
static void
test_threads(void)
{
	size_t n = 50000;
	struct flowrec *recs = calloc(n, sizeof(*recs));
	struct ffile_reader *r;
	struct thr t[4];
	pthread_t tid[4];
	uint64_t want = 0, got = 0, nrec = 0;
	char err[256];
	int fails = 0;

	ffgen_records(recs, n, 11, FFGEN_MIXED, T0, 1);
	for (size_t i = 0; i < n; i++)
		want += recs[i].bytes + recs[i].last_ms;
	write_file(ffgen_path("thr"), ZC_LZ4, 0, "", recs, n, n, 1000);
	ffile_open(ffgen_path("thr"), 0, &r, err, sizeof(err));
	for (unsigned k = 0; k < 4; k++) {
		t[k] = (struct thr){ r, k, 4, 0, 0, 0 };
		pthread_create(&tid[k], NULL, thr_main, &t[k]);
	}
	for (unsigned k = 0; k < 4; k++) {
		pthread_join(tid[k], NULL);
		got += t[k].bytes;
		nrec += t[k].recs;
		fails += t[k].fails;
	}
	tap_ok(fails == 0 && nrec == 3 * n && got == 3 * want,
	    "4 threads decoding one reader's blocks agree with the input");
	ffile_close(r);
	free(recs);
}

int
main(void)
{
	tap_no_plan();
	test_crc32c();
	test_zcodec();
	for (int f = 0; f < 3; f++) {
		test_fcol(f, true);
		test_fcol(f, false);
	}
	test_roundtrip();
	test_empty_and_ident();
	test_many_blocks();
	test_subsets();
	test_decode_more_str();
	test_time_skip();
	test_exporters();
	test_recovery();
	test_write_errors();
	test_threads();
	ffgen_cleanup();
	return tap_done();
}
