/*
 * tests/t_nfdfile.c -- the nfdump file reader (common/nfdump/nfdfile.h):
 *   - golden bytes: a file cut from what Debian's nfcapd 1.7.1 wrote
 *     (an exporter record and one V3 record of an IPv6 flow), each
 *     field as nfdump -o raw shows it;
 *   - round trips through tests/nfdwrite.c, layouts 1 and 2, with
 *     every compression this build has, in several blocks, read in
 *     chunks smaller than a block;
 *   - every prefix of a file: the blocks before the cut are read
 *     whole, nothing after it, never a crash;
 *   - damaged blocks (record and element lengths, an unknown extension
 *     map, a garbled compressed stream, a huge record count): that
 *     block is skipped and counted, every other block read;
 *   - hostile headers: unknown compression, encryption, big-endian,
 *     two compressions, and a codec this build lacks (named).
 */
#include "common/base/compat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/base/addr.h"
#include "common/base/nferr.h"
#include "common/ffile/fcol.h"
#include "common/nfdump/nfdfile.h"
#include "common/nfdump/nfdzip.h"
#include "tests/nfdwrite.h"
#include "tap.h"

#define NREC	1200
#define PER	250			/* records per block: 5 blocks */
#define NX	3

static struct flowrec recs[NREC];
static struct nf_addr xaddr[NX];

/*
 * From nfcapd 1.7.1 (-t 60, no compression, NetFlow v9 from flowprobe):
 * the header with offAppendix zeroed, one block of 2 records: exporter
 * 127.0.0.1 (SysID 1, v9) and a V3 record with elements 3 (IPv6), 11
 * (IPv6 next hop), 4 (misc), 1 (generic), 7 (AS), 6 (VLAN), 12
 * (received from 127.0.0.1).
 */
static const char golden_hex[] =
	"0ca50200000107010df9166b000000000000010000000000000000000000"
	"0000000000000100000002000000cc000000030000000700200009000000"
	"00000000000000000100007f0000000002000100000000000b00ac000700"
	"0000010000090300240000000000b80d012055e4a9940000000000000000"
	"b80d0120dd9d2ef0000000000b0014000000000000000000000000000000"
	"00000400140000000000000000000000ff0000000000010034000068e5cf"
	"8b010000b368e5cf8b010000a7ddbc51a20100000500000000000000d611"
	"000000000000f54d92e30618000007000c00000000000000000006000c00"
	"00000000000000000c0008000100007f";

static size_t
unhex(const char *h, uint8_t *out, size_t cap)
{
	size_t n = 0;

	for (; h[0] != '\0' && h[1] != '\0' && n < cap; h += 2) {
		unsigned v;

		sscanf(h, "%2x", &v);
		out[n++] = (uint8_t)v;
	}
	return n;
}

/* Read every record; returns the count, *bad the blocks skipped. */
static size_t
read_all(struct nfd_reader *rd, size_t cap, struct flowrec *got,
    size_t gotcap, size_t *bad)
{
	struct fcol c;
	char err[256];
	size_t n = 0;
	int r;

	*bad = 0;
	if (fcol_init(&c, cap) != NFE_OK)
		abort();
	for (int guard = 0; guard < 100000; guard++) {
		r = nfd_read(rd, &c, err, sizeof(err));
		if (r == NFE_EOF)
			break;
		if (r != NFE_OK) {
			(*bad)++;
			continue;
		}
		for (size_t i = 0; i < c.n; i++, n++)
			if (got != NULL && n < gotcap)
				fcol_get(&c, i, &got[n]);
	}
	fcol_fini(&c);
	return n;
}

static void
test_golden(void)
{
	uint8_t f[512];
	size_t len = unhex(golden_hex, f, sizeof(f)), bad, nx;
	struct nfd_reader *rd;
	struct flowrec got[2];
	const struct ffile_exporter *x;
	char err[256], a[ADDR_STRLEN], b[ADDR_STRLEN], n[ADDR_STRLEN];
	int r;

	r = nfd_open_mem(f, len, &rd, err, sizeof(err));
	tap_is_int(r, NFE_OK, "golden: nfcapd's file opens");
	if (r != NFE_OK) {
		tap_diag("%s", err);
		return;
	}
	tap_is_uint(nfd_info(rd)->nfdversion, 0x01070100, "golden: written "
	    "by nfdump 1.7.1");
	tap_is_uint(read_all(rd, 16, got, 2, &bad), 1, "golden: one flow");
	tap_ok(got[0].first_ms == UINT64_C(1700000000000) &&
	    got[0].last_ms == UINT64_C(1700000000179), "golden: first and "
	    "last as nfdump shows them");
	tap_ok(got[0].packets == 5 && got[0].bytes == 4566 &&
	    got[0].flows == 1, "golden: 5 packets, 4566 bytes, 1 flow");
	tap_ok(got[0].proto == 6 && got[0].tcp_flags == 0x18 &&
	    got[0].src_port == 19957 && got[0].dst_port == 58258 &&
	    got[0].tos == 0, "golden: TCP ...AP... 19957 -> 58258");
	addr_format(&got[0].src, a, sizeof(a));
	addr_format(&got[0].dst, b, sizeof(b));
	addr_format(&got[0].nexthop, n, sizeof(n));
	tap_ok(got[0].af == 6 && strcmp(a, "2001:db8::94a9:e455") == 0 &&
	    strcmp(b, "2001:db8::f02e:9ddd") == 0 && strcmp(n, "::") == 0,
	    "golden: addresses %s -> %s, next hop %s", a, b, n);
	tap_ok(got[0].direction == 255 && got[0].in_if == 0 &&
	    got[0].src_mask == 0 && got[0].end_reason == 0,
	    "golden: direction 255, no interfaces or masks");
	x = nfd_exporters(rd, &nx);
	tap_ok(nx == 1 && got[0].exporter == 0 && x[0].version == 9 &&
	    addr_v4(&x[0].addr) == 0x7f000001, "golden: exporter 127.0.0.1, "
	    "v9, SysID 1");
	nfd_close(rd);
}

static uint8_t *
build_n(unsigned layout, int z, size_t n, size_t per, size_t *len)
{
	struct nfdw_opts o = { layout, z, per, "t_nfdfile" };
	struct nfdw_exporters x = { xaddr, NX };
	uint8_t *p;

	if (nfdw_build(&o, &x, recs, n, &p, len) != 0)
		return NULL;
	return p;
}

static uint8_t *
build(unsigned layout, int z, size_t *len)
{
	return build_n(layout, z, NREC, PER, len);
}

static void
test_roundtrip(unsigned layout, int z)
{
	static struct flowrec got[NREC];
	struct nfd_reader *rd;
	const struct ffile_exporter *x;
	char err[256];
	size_t len, bad, n, nx, same = 0;
	uint64_t flows = 0;
	uint8_t *f;

	if (!nfdzip_available(z)) {
		tap_skip("compression not built in");
		return;
	}
	f = build(layout, z, &len);
	if (f == NULL || nfd_open_mem(f, len, &rd, err, sizeof(err)) !=
	    NFE_OK) {
		tap_ok(false, "layout %u %s: opens (%s)", layout,
		    nfdzip_name(z), f == NULL ? "not built" : err);
		free(f);
		return;
	}
	n = read_all(rd, 100, got, NREC, &bad);
	for (size_t i = 0; i < NREC && i < n; i++) {
		if (flowrec_equal(&got[i], &recs[i]))
			same++;
		else if (same == i) {		/* the first difference */
			char d1[1024], d2[1024];

			tap_diag("record %zu differs:\n#  got  %s\n#  want "
			    "%s", i, flowrec_dump(&got[i], d1, sizeof(d1)),
			    flowrec_dump(&recs[i], d2, sizeof(d2)));
		}
	}
	for (size_t i = 0; i < NREC; i++)
		flows += recs[i].flows;
	x = nfd_exporters(rd, &nx);
	tap_ok(n == NREC && same == NREC && bad == 0 && nx == NX &&
	    addr_eq(&x[2].addr, &xaddr[2]) &&
	    nfd_info(rd)->nblocks == (NREC + PER - 1) / PER &&
	    nfd_info(rd)->have_stat && nfd_info(rd)->stat.flows == flows &&
	    strcmp(nfd_info(rd)->ident, "t_nfdfile") == 0,
	    "layout %u %s: %zu of %d records equal, %zu blocks, exporters "
	    "and statistics", layout, nfdzip_name(z), same, NREC,
	    nfd_info(rd)->nblocks);
	nfd_close(rd);
	free(f);
}

/* Offsets of the data blocks of an uncompressed file built here. */
static size_t
block_offsets(const uint8_t *f, size_t len, unsigned layout, size_t *off,
    size_t max)
{
	size_t at = layout == 1 ? 276 : 40, n = 0;

	while (at + 12 <= len && n < max) {
		uint32_t size = (uint32_t)f[at + 4] | (uint32_t)f[at + 5] << 8 |
		    (uint32_t)f[at + 6] << 16 | (uint32_t)f[at + 7] << 24;

		off[n++] = at;
		at += 12 + size;
	}
	return n;
}

/* Every prefix of a small file: SMALL records, SPER per block. */
#define SMALL	50
#define SPER	15

static void
test_prefixes(unsigned layout, int z)
{
	struct nfd_reader *rd;
	char err[256];
	size_t len, bad, n, off[16], nb, ends[16];
	uint8_t *f = build_n(layout, z, SMALL, SPER, &len);
	bool clean = true;
	int r;

	if (f == NULL) {
		tap_ok(false, "prefixes: file built");
		return;
	}
	nb = block_offsets(f, len, layout, off, 16);
	for (size_t i = 0; i < nb; i++)
		ends[i] = i + 1 < nb ? off[i + 1] : len;
	for (size_t cut = 0; cut < len; cut++) {
		size_t whole = 0;

		r = nfd_open_mem(f, cut, &rd, err, sizeof(err));
		if (r != NFE_OK) {
			if ((r != NFE_TRUNC && r != NFE_FORMAT) ||
			    cut >= (layout == 1 ? 276u : 40u)) {
				tap_diag("prefix %zu: %s", cut, nferr_str(r));
				clean = false;
			}
			continue;
		}
		/* data blocks wholly inside the prefix (not the appendix) */
		for (size_t i = 0; i < nb; i++)
			if (ends[i] <= cut && (layout == 1 || i + 1 < nb))
				whole++;
		n = read_all(rd, 8, NULL, 0, &bad);
		if (n != (whole * SPER < SMALL ? whole * SPER : SMALL) ||
		    bad != 0 ||
		    (whole + (layout == 2) < nb && !nfd_info(rd)->cut &&
		    cut != off[whole])) {
			tap_diag("prefix %zu: %zu records, %zu bad, %zu whole "
			    "blocks", cut, n, bad, whole);
			clean = false;
		}
		nfd_close(rd);
	}
	tap_ok(clean, "layout %u %s: every prefix reads exactly its whole "
	    "blocks", layout, nfdzip_name(z));
	free(f);
}

/* Damage block 2 (of 5) with fn; the other 4 blocks must be read. */
static void
damaged(const char *what, unsigned layout, int z,
    void (*fn)(uint8_t *f, size_t blk, size_t len))
{
	struct nfd_reader *rd;
	char err[256];
	size_t len, bad, n, off[16];
	uint8_t *f = build(layout, z, &len);

	if (f == NULL) {
		tap_skip("compression not built in");
		return;
	}
	block_offsets(f, len, layout, off, 16);
	fn(f, off[2], len);
	if (nfd_open_mem(f, len, &rd, err, sizeof(err)) != NFE_OK) {
		tap_ok(false, "%s: opens (%s)", what, err);
		free(f);
		return;
	}
	n = read_all(rd, 1000, NULL, 0, &bad);
	tap_ok(n == NREC - PER && bad == 1 && nfd_counts(rd)->damaged == 1,
	    "%s: block skipped and counted, the rest read (%zu records, %zu "
	    "bad)", what, n, bad);
	nfd_close(rd);
	free(f);
}

/* The first flow record of a block at b (after exporters, maps). */
static size_t
first_flow(const uint8_t *f, size_t b)
{
	size_t at = b + 12;

	while (f[at] != 11 && f[at] != 10)
		at += (size_t)(f[at + 2] | f[at + 3] << 8);
	return at;
}

static void
d_recsize0(uint8_t *f, size_t b, size_t len)
{
	size_t at = first_flow(f, b);

	(void)len;
	at += (size_t)(f[at + 2] | f[at + 3] << 8);	/* second record */
	f[at + 2] = 0;
	f[at + 3] = 0;
}

static void
d_elemlen(uint8_t *f, size_t b, size_t len)
{
	size_t at = first_flow(f, b) + 12;

	(void)len;
	f[at + 2] = 0xff;		/* first element: 0xff34 bytes */
}

static void
d_elemshort(uint8_t *f, size_t b, size_t len)
{
	size_t at = first_flow(f, b) + 12;

	(void)len;
	f[at + 2] = 20;			/* generic element of 20 bytes */
	f[at + 3] = 0;
	f[at + 20] = 1;			/* ... then a bogus one */
	f[at + 22] = 36;
	f[at + 23] = 0;
}

static void
d_nrec(uint8_t *f, size_t b, size_t len)
{
	(void)len;
	f[b + 3] = 0x7f;		/* NumRecords 2 billion */
}

static void
d_nomap(uint8_t *f, size_t b, size_t len)
{
	size_t at = first_flow(f, b);

	(void)len;
	f[at + 6] = 0x77;		/* ext_map 0x..77: never defined */
	f[at + 7] = 0x77;
}

/* Layout 1: the sampled flag (0x80) on a record in a file without any
 * sampler record; the reader must not look the rate up in a table it
 * never allocated (found by fuzz_nfdfile). */
static void
sampled_without_sampler(void)
{
	struct nfd_reader *rd;
	char err[256];
	size_t len, bad, n, off[16];
	uint8_t *f = build(1, NFDZ_NONE, &len);

	block_offsets(f, len, 1, off, 16);
	for (size_t b = 0; b < 5; b++)
		f[first_flow(f, off[b]) + 4] |= 0x80;
	if (nfd_open_mem(f, len, &rd, err, sizeof(err)) != NFE_OK) {
		tap_ok(false, "layout 1 sampled, no sampler: opens (%s)", err);
		free(f);
		return;
	}
	n = read_all(rd, 1000, NULL, 0, &bad);
	tap_ok(n == NREC && bad == 0, "layout 1: sampled flag without a "
	    "sampler record reads every record unsampled (%zu records, %zu "
	    "bad)", n, bad);
	nfd_close(rd);
	free(f);
}

static void
d_garble(uint8_t *f, size_t b, size_t len)
{
	(void)len;
	for (size_t i = b + 12 + 20; i < b + 12 + 60; i++)
		f[i] ^= 0xa5;
}

static void
test_cut_header(void)
{
	struct nfd_reader *rd;
	char err[256];
	size_t len, bad, off[16];
	uint8_t *f = build(2, NFDZ_NONE, &len);

	block_offsets(f, len, 2, off, 16);
	f[off[3] + 7] = 0x40;		/* block 4 claims 1 GiB */
	if (nfd_open_mem(f, len, &rd, err, sizeof(err)) != NFE_OK) {
		tap_ok(false, "huge block size: opens (%s)", err);
		free(f);
		return;
	}
	tap_ok(nfd_info(rd)->cut && read_all(rd, 500, NULL, 0, &bad) ==
	    3 * PER && bad == 0, "a block size past the end: the blocks "
	    "before it read, the file reported cut (%s)",
	    nfd_info(rd)->why_cut);
	nfd_close(rd);
	free(f);
}

static void
hostile_header(const char *what, size_t at, uint8_t v, unsigned layout,
    int want, const char *want_text)
{
	struct nfd_reader *rd;
	char err[256] = "";
	size_t len;
	uint8_t *f = build(layout, NFDZ_NONE, &len);
	int r;

	f[at] = v;
	if (at == 0)
		f[1] = 0x0c;		/* the magic's bytes swapped */
	r = nfd_open_mem(f, len, &rd, err, sizeof(err));
	tap_ok(r == want && strstr(err, want_text) != NULL, "%s: %s (%s)",
	    what, nferr_str(r), err);
	if (r == NFE_OK)
		nfd_close(rd);
	free(f);
}

static void
test_missing_codec(void)
{
	struct nfd_reader *rd;
	char err[256] = "";
	size_t len;
	uint8_t *f = build(2, NFDZ_NONE, &len);
	int r;

	f[16] = NFDZ_ZSTD;
	r = nfd_open_mem(f, len, &rd, err, sizeof(err));
	if (nfdzip_available(NFDZ_ZSTD))
		tap_ok(r == NFE_OK, "ZSTD built in: a ZSTD file opens");
	else
		tap_ok(r == NFE_UNSUPP && strstr(err, "libzstd") != NULL,
		    "ZSTD not built in: refused, naming libzstd (%s)", err);
	if (r == NFE_OK)
		nfd_close(rd);
	free(f);
}

int
main(void)
{
	static const int zs[] = { NFDZ_NONE, NFDZ_LZO, NFDZ_BZ2, NFDZ_LZ4,
	    NFDZ_ZSTD };

	tap_plan(9 + 10 + 4 + 8 + 5 + 1 + 1);
	addr_parse("192.0.2.1", &xaddr[0]);
	addr_parse("198.51.100.7", &xaddr[1]);
	addr_parse("2001:db8::99", &xaddr[2]);
	nfdw_sample_records(recs, NREC, 7, NX);
	test_golden();
	for (unsigned layout = 1; layout <= 2; layout++)
		for (size_t i = 0; i < sizeof(zs) / sizeof(zs[0]); i++)
			test_roundtrip(layout, zs[i]);
	test_prefixes(2, NFDZ_NONE);
	test_prefixes(2, NFDZ_LZ4);
	test_prefixes(1, NFDZ_NONE);
	test_prefixes(1, NFDZ_LZ4);
	damaged("record size 0", 2, NFDZ_NONE, d_recsize0);
	damaged("element length past the record", 2, NFDZ_NONE, d_elemlen);
	damaged("generic element too short", 2, NFDZ_NONE, d_elemshort);
	damaged("NumRecords past the block", 2, NFDZ_NONE, d_nrec);
	damaged("layout 1: unknown extension map", 1, NFDZ_NONE, d_nomap);
	damaged("layout 1: record size 0", 1, NFDZ_NONE, d_recsize0);
	damaged("garbled LZ4 stream", 2, NFDZ_LZ4, d_garble);
	sampled_without_sampler();
	test_cut_header();
	hostile_header("unknown compression", 16, 9, 2, NFE_FORMAT,
	    "unknown compression");
	hostile_header("encrypted", 17, 1, 2, NFE_UNSUPP, "encrypted");
	hostile_header("big-endian", 0, 0xa5, 2, NFE_FORMAT, "big-endian");
	hostile_header("layout 3", 2, 3, 2, NFE_FORMAT, "not an nfdump");
	hostile_header("layout 1: LZO and LZ4 at once", 4, 0x11, 1,
	    NFE_FORMAT, "compressions");
	test_missing_codec();
	return tap_done();
}
