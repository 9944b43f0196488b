/*
 * tests/t_fblock.c -- the per-block index (common/ffile/fidx.h) and the
 * filter's decision from it (query/fblock.c):
 *   - the index a writer stores agrees with its records: exact ranges,
 *     every address and prefix in the Bloom filter; the filter's false
 *     positive rate on absent hosts is measured and bounded;
 *   - property: for thousands of random filters (hosts, nets, ports,
 *     protocols, flags, counters, AS, router, lists; nested and/or/not)
 *     over hundreds of random blocks, a block the index rules out holds
 *     no record the filter accepts (checked against every record), and
 *     needle filters do rule out most blocks;
 *   - a damaged index (each byte flipped) is reported naming the block,
 *     and never rules out a block the filter matches;
 *   - a version 1.0 file (tests/data/ffile_v1_0.fk, written before the
 *     index existed) still reads: no index, every block verifies.
 * Runs in about a second.
 */
#include "common/base/compat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/base/fields.h"
#include "common/base/nferr.h"
#include "common/ffile/fcol.h"
#include "common/ffile/ffile.h"
#include "common/ffile/fidx.h"
#include "query/filter.h"
#include "ffgen.h"
#include "tap.h"

#define NBLOCKS		160
#define BRECS		48
#define NFILTERS	1500

static uint64_t rs = 0x9E3779B97F4A7C15u;

static uint32_t
rnd(void)
{
	rs ^= rs << 13;
	rs ^= rs >> 7;
	rs ^= rs << 17;
	return (uint32_t)(rs >> 11);
}

/* Value pools: small, so that filters and blocks meet often. */
static const char *const v4s[] = { "10.1.2.3", "10.1.2.9", "10.1.3.3",
	"10.2.0.1", "192.0.2.7", "192.0.2.200", "198.51.100.1",
	"172.16.5.5" };
static const char *const v6s[] = { "2001:db8::1", "2001:db8::2",
	"2001:db8:0:1::5", "2001:db8:1::9", "fe80::1", "2001:db9::3" };
static const uint16_t ports[] = { 22, 53, 80, 443, 8080, 0x0800, 123 };
static const uint8_t protos[] = { 6, 17, 1, 58, 47 };

static struct ffile_exporter xs[3];

static void
pick_addr(struct nf_addr *a, unsigned theme)
{
	if ((theme & 1) && rnd() % 3 == 0)
		addr_parse(v6s[rnd() % 6], a);
	else
		addr_parse(v4s[(theme / 2 + rnd() % 4) % 8], a);
}

/* A block of n records around a theme (a few values of each field). */
static void
make_block(struct flowrec *r, size_t n, unsigned theme)
{
	for (size_t i = 0; i < n; i++) {
		flowrec_init(&r[i]);
		pick_addr(&r[i].src, theme);
		pick_addr(&r[i].dst, theme + 3);
		r[i].af = addr_is_v4(&r[i].src) && addr_is_v4(&r[i].dst) ?
		    4 : 6;
		r[i].src_port = ports[(theme + rnd() % 3) % 7];
		r[i].dst_port = ports[(theme / 3 + rnd() % 2) % 7];
		r[i].proto = protos[(theme + rnd() % 2) % 5];
		r[i].tcp_flags = (uint8_t)((theme & 4 ? 0x12 : 0x02) |
		    (rnd() % 4 == 0 ? 0x01 : 0));
		r[i].packets = 1 + rnd() % (theme % 5 == 0 ? 5 : 5000);
		r[i].bytes = r[i].packets * (40 + rnd() % 1400);
		r[i].src_as = theme % 4 == 0 ? 64512 : 1000 + rnd() % 3;
		r[i].exporter = (uint16_t)((theme + rnd() % 2) % 3);
		r[i].first_ms = UINT64_C(1700000000000) + theme * 1000 +
		    rnd() % 1000;
		r[i].last_ms = r[i].first_ms + rnd() % 5000;
		if (theme % 7 == 0)
			addr_parse("10.9.9.9", &r[i].nexthop);
	}
}

/* Append a random filter of depth d to buf. */
static void
gen_filter(char *buf, size_t cap, int d)
{
	static const char *const sides[] = { "", "src ", "dst " };
	static const char *const cmps[] = { "", "> ", "< ", ">= ", "<= " };
	static const int v4len[] = { 8, 16, 20, 23, 24, 26, 32 };
	static const int v6len[] = { 32, 40, 44, 47, 48, 56, 128 };
	size_t l = strlen(buf);
	unsigned k = rnd() % (d > 0 ? 16 : 12);

	switch (k) {
	case 0:
	case 1:
		snprintf(buf + l, cap - l, "%shost %s", sides[rnd() % 3],
		    rnd() % 4 ? v4s[rnd() % 8] : v6s[rnd() % 6]);
		break;
	case 2:
		if (rnd() % 3)
			snprintf(buf + l, cap - l, "%snet %s/%d",
			    sides[rnd() % 3], v4s[rnd() % 8],
			    v4len[rnd() % 7]);
		else
			snprintf(buf + l, cap - l, "%snet %s/%d",
			    sides[rnd() % 3], v6s[rnd() % 6],
			    v6len[rnd() % 7]);
		break;
	case 3:
		snprintf(buf + l, cap - l, "%sport %s%u", sides[rnd() % 3],
		    cmps[rnd() % 5], ports[rnd() % 7] + rnd() % 2);
		break;
	case 4:
		snprintf(buf + l, cap - l, "proto %u", protos[rnd() % 5]);
		break;
	case 5:
		snprintf(buf + l, cap - l, "flags %s",
		    (const char *[]){ "S", "SA", "F", "A", "R" }[rnd() % 5]);
		break;
	case 6:
		snprintf(buf + l, cap - l, "bytes %s%u", cmps[rnd() % 5],
		    rnd() % 3 ? rnd() % 300 : rnd() % 3000000);
		break;
	case 7:
		snprintf(buf + l, cap - l, "packets %s%u", cmps[rnd() % 5],
		    rnd() % 8);
		break;
	case 8:
		snprintf(buf + l, cap - l, "src as %u",
		    rnd() % 2 ? 64512 : 1000 + rnd() % 4);
		break;
	case 9:
		snprintf(buf + l, cap - l, "router ip %s",
		    (const char *[]){ "192.0.2.1", "192.0.2.2", "192.0.2.3",
		    "192.0.2.9" }[rnd() % 4]);
		break;
	case 10:
		snprintf(buf + l, cap - l, "%sip in [%s %s/%d]",
		    sides[rnd() % 3], v4s[rnd() % 8], v4s[rnd() % 8],
		    v4len[rnd() % 7]);
		break;
	case 11:
		snprintf(buf + l, cap - l, "%s",
		    (const char *[]){ "dst port in [22 53 443]",
		    "icmp-type 8", "next ip 10.9.9.9", "tcp",
		    "duration > 2000", "any" }[rnd() % 6]);
		break;
	case 12:
	case 13:
		snprintf(buf + l, cap - l, "(");
		gen_filter(buf, cap, d - 1);
		l = strlen(buf);
		snprintf(buf + l, cap - l, k == 12 ? " and " : " or ");
		gen_filter(buf, cap, d - 1);
		l = strlen(buf);
		snprintf(buf + l, cap - l, ")");
		break;
	default:
		snprintf(buf + l, cap - l, "not ");
		gen_filter(buf, cap, d - 1);
		break;
	}
}

struct blk {
	struct flowrec	 r[BRECS];
	uint8_t		*ix;		/* encoded index */
	size_t		 ixlen;
	struct fidx	 p;		/* parsed */
};

static struct blk blocks[NBLOCKS];
static size_t enc_differs;	/* blocks whose index differs when given
				   the columns' encodings */

/*
 * The index as the file writer makes it, with each column's encoding
 * (fcol_encode's stats), must be b->ix byte for byte.
 */
static void
check_with_encs(const struct blk *b, struct fidx_builder *fb,
    const struct fcol *c, const uint16_t *ids, size_t n)
{
	struct fcol_enc encs[FCOL_NCOLS];
	size_t len = 0, cap = fcol_raw_bound(BRECS);
	uint8_t *raw, *ix = malloc(fidx_bound(BRECS));
	bool same;

	for (size_t k = 0; k < n; k++)
		if (fcol_col_bound(ids[k], BRECS) > cap)
			cap = fcol_col_bound(ids[k], BRECS);
	raw = malloc(cap);
	same = raw != NULL && ix != NULL;
	for (size_t k = 0; k < n && same; k++)
		same = fcol_encode(c, ids[k], k % 2 == 0, raw, cap,
		    &encs[k]) == NFE_OK;
	same = same && fidx_encode(fb, c, ids, encs, n, ix, fidx_bound(BRECS),
	    &len) == NFE_OK && len == b->ixlen && memcmp(ix, b->ix, len) == 0;
	enc_differs += !same;
	free(raw);
	free(ix);
}

static void
encode_block(struct blk *b, struct fidx_builder *fb, struct fcol *c)
{
	uint16_t ids[FCOL_NCOLS];
	size_t n = 0;
	char err[128];

	fcol_reset(c);
	fcol_put(c, b->r, BRECS);
	for (unsigned id = 1; id < FCOL_NCOLS; id++)
		if (fcol_wanted(c, id))
			ids[n++] = (uint16_t)id;
	b->ix = malloc(fidx_bound(BRECS));
	if (fidx_encode(fb, c, ids, NULL, n, b->ix, fidx_bound(BRECS),
	    &b->ixlen) != NFE_OK || fidx_parse(b->ix, b->ixlen, BRECS,
	    &b->p, err, sizeof(err)) != NFE_OK)
		tap_diag("encode/parse failed: %s", err);
	check_with_encs(b, fb, c, ids, n);
}

static void
test_index(struct fidx_builder *fb, struct fcol *c)
{
	size_t bad = 0, fp = 0, probes = 0, bytes = 0;
	uint8_t a[16];

	for (size_t i = 0; i < NBLOCKS; i++) {
		make_block(blocks[i].r, BRECS, (unsigned)i);
		encode_block(&blocks[i], fb, c);
		fcol_reset(c);
		fcol_put(c, blocks[i].r, BRECS);
		if (!fidx_agrees(&blocks[i].p, c))
			bad++;
		bytes += blocks[i].ixlen;
	}
	tap_ok(bad == 0, "the index of each of %d blocks agrees with its "
	    "records (%zu bytes each on average)", NBLOCKS, bytes / NBLOCKS);
	tap_ok(enc_differs == 0, "given the columns' encodings (the stats "
	    "fcol_encode found), the index is the same bytes (%zu of %d "
	    "differ)", enc_differs, NBLOCKS);

	/* exact ranges: packets' min and max are values of the block */
	bad = 0;
	for (size_t i = 0; i < NBLOCKS; i++) {
		struct fidx_int s;
		uint64_t lo = UINT64_MAX, hi = 0;

		for (size_t k = 0; k < BRECS; k++) {
			uint64_t v = blocks[i].r[k].packets;

			lo = v < lo ? v : lo;
			hi = v > hi ? v : hi;
		}
		if (!fidx_int_range(&blocks[i].p, FCOL_PACKETS, &s) ||
		    s.min != lo || s.max != hi)
			bad++;
	}
	tap_ok(bad == 0, "integer ranges are exact");

	/* false positives: addresses in no block, against a big block */
	{
		static struct flowrec big[32768];
		struct blk bb;
		struct fidx p;
		uint16_t ids[FCOL_NCOLS];
		size_t n = 0;
		char err[128];

		ffgen_records(big, 32768, 7, FFGEN_MIXED, 1700000000000, 0);
		fcol_reset(c);
		fcol_put(c, big, 32768);
		for (unsigned id = 1; id < FCOL_NCOLS; id++)
			if (fcol_wanted(c, id))
				ids[n++] = (uint16_t)id;
		bb.ix = malloc(fidx_bound(32768));
		fidx_encode(fb, c, ids, NULL, n, bb.ix, fidx_bound(32768),
		    &bb.ixlen);
		memset(&p, 0, sizeof(p));
		n = fidx_parse(bb.ix, bb.ixlen, 32768, &p, err,
		    sizeof(err)) == NFE_OK;
		tap_ok(n && fidx_agrees(&p, c),
		    "32768 generated records: index agrees (%zu bytes, "
		    "%.2f per record, %u filter words)", bb.ixlen,
		    (double)bb.ixlen / 32768, p.nwords);
		for (uint32_t i = 0; i < 20000; i++) {
			memset(a, 0, 16);
			a[10] = a[11] = 0xff;
			a[12] = 203;
			a[13] = 0;
			a[14] = (uint8_t)(113 + i / 256);
			a[15] = (uint8_t)i;
			probes++;
			if (fidx_may_hold(&p, a, FIDX_E_ADDR))
				fp++;
		}
		tap_ok(fp * 100 < probes * 8, "false positives on absent "
		    "hosts: %zu of %zu (%.1f%%)", fp, probes,
		    100.0 * (double)fp / (double)probes);
		free(bb.ix);
	}
}

static void
test_property(void)
{
	struct filter_env env = { xs, 3 };
	size_t ok = 0, compiled = 0, skipped = 0, checks = 0, wrong = 0;
	size_t needle_skips = 0, needle_checks = 0;
	char buf[2048], err[256];

	for (size_t f = 0; f < NFILTERS; f++) {
		struct filter *flt;
		bool needle;

		buf[0] = '\0';
		gen_filter(buf, sizeof(buf), 3);
		if (filter_compile(buf, &flt, err, sizeof(err)) != NFE_OK) {
			if (f < 3)
				tap_diag("not compiled: %s: %s", buf, err);
			continue;
		}
		compiled++;
		needle = strncmp(buf, "host ", 5) == 0 && strchr(buf, ' ') ==
		    strrchr(buf, ' ');
		for (size_t i = 0; i < NBLOCKS; i++) {
			bool may = filter_block_may_match(flt, &blocks[i].p,
			    &env), any = false;

			for (size_t k = 0; k < BRECS && !any; k++)
				any = filter_match(flt, &blocks[i].r[k], &env);
			checks++;
			if (!may)
				skipped++;
			if (!may && any) {
				if (wrong++ < 5)
					tap_diag("block %zu ruled out but "
					    "matches: %s", i, buf);
			}
			if (needle && !any) {
				needle_checks++;
				needle_skips += !may;
			}
		}
		filter_free(flt);
		ok++;
	}
	tap_ok(compiled * 10 >= NFILTERS * 9, "%zu of %d random filters "
	    "compile", compiled, NFILTERS);
	tap_ok(wrong == 0, "%zu filter x block checks: no block with a "
	    "match ruled out (%zu ruled out)", checks, skipped);
	tap_ok(skipped * 5 > checks, "the index rules out a fair share: "
	    "%zu of %zu", skipped, checks);
	tap_ok(needle_checks > 0 && needle_skips * 10 >= needle_checks * 8,
	    "'host A' rules out %zu of the %zu blocks without A",
	    needle_skips, needle_checks);
	(void)ok;
}

/* Write the blocks to a file and damage each byte of one index. */
static void
test_damage(void)
{
	struct ffile_writer *w;
	struct ffile_reader *r;
	struct ffile_blockbuf bb;
	struct ffile_wopts o;
	struct filter *flt;
	struct fidx *ix = malloc(sizeof(*ix));
	const struct ffile_blockmeta *m;
	struct ffile_blockmeta mm;	/* m points into r, closed before the loop */
	char err[256], first[256] = "";
	const char *path = ffgen_path("idx");
	uint8_t *p;
	size_t len, reported = 0, tries = 0;

	ffile_wopts_init(&o);
	o.block_recs = BRECS;
	ffile_writer_open(path, &o, &w);
	for (size_t i = 0; i < 4; i++)
		ffile_writer_add(w, blocks[i].r, BRECS);
	ffile_writer_close(w);
	p = ffgen_slurp(path, &len);
	filter_compile("host 10.1.2.3 or net 192.0.2.0/24 or port 443",
	    &flt, err, sizeof(err));
	ffile_blockbuf_init(&bb);
	if (ffile_open_mem(p, len, 0, &r, err, sizeof(err)) != NFE_OK) {
		tap_ok(false, "open: %s", err);
		return;
	}
	tap_is_int(ffile_info(r)->minor, FFILE_MINOR, "minor version");
	m = ffile_block(r, 1);
	tap_ok(m->idx_pos > 0 && m->idx_len > 0 &&
	    ffile_block_index(r, 1, &bb, ix, err, sizeof(err)) == NFE_OK,
	    "block 1's index read alone: %u bytes at +%u", m->idx_len,
	    m->idx_pos);
	mm = *m;
	ffile_close(r);
	for (uint32_t k = 0; k < mm.idx_len; k++) {
		uint8_t *q = malloc(len);
		int rc;

		memcpy(q, p, len);
		q[mm.offset + mm.idx_pos + k] ^= (uint8_t)(1 + rnd() % 255);
		if (ffile_open_mem(q, len, 0, &r, err, sizeof(err)) !=
		    NFE_OK) {
			free(q);
			continue;
		}
		tries++;
		rc = ffile_block_index(r, 1, &bb, ix, err, sizeof(err));
		if (rc == NFE_CORRUPT && strstr(err, "block 1") != NULL) {
			reported++;
			if (first[0] == '\0')
				snprintf(first, sizeof(first), "%s", err);
		}
		/* with checks off, a damaged index is parsed and evaluated:
		 * it must not crash or read out of bounds (ASan, the fuzzer) */
		ffile_close(r);
		if (ffile_open_mem(q, len, FFILE_O_NOCRC, &r, err,
		    sizeof(err)) == NFE_OK) {
			if (ffile_block_index(r, 1, &bb, ix, err,
			    sizeof(err)) == NFE_OK)
				(void)filter_block_may_match(flt, ix, NULL);
			ffile_close(r);
		}
		free(q);
	}
	tap_ok(tries > 0 && reported == tries, "each of %zu damaged index "
	    "bytes reported: %s", tries, first);
	free(p);
	free(ix);
	filter_free(flt);
	ffile_blockbuf_fini(&bb);
}

static void
test_old_file(void)
{
	struct ffile_reader *r;
	struct ffile_blockbuf bb;
	struct fidx *ix = malloc(sizeof(*ix));
	struct fcol c;
	char path[4096], err[256];
	const char *src = getenv("top_srcdir");
	size_t good = 0, noidx = 0;

	snprintf(path, sizeof(path), "%s/tests/data/ffile_v1_0.fk",
	    src != NULL ? src : ".");
	if (ffile_open(path, 0, &r, err, sizeof(err)) != NFE_OK) {
		tap_ok(false, "version 1.0 file opens: %s", err);
		free(ix);
		return;
	}
	ffile_blockbuf_init(&bb);
	fcol_init(&c, 64);
	tap_ok(ffile_info(r)->minor == 0 && ffile_info(r)->clean &&
	    ffile_info(r)->nblocks == 3 && ffile_info(r)->records == 600,
	    "version 1.0 file: clean, 3 blocks, 600 records");
	for (size_t i = 0; i < ffile_info(r)->nblocks; i++) {
		good += ffile_verify_block(r, i, &bb, &c, err, sizeof(err)) ==
		    NFE_OK;
		noidx += ffile_block_index(r, i, &bb, ix, err, sizeof(err)) ==
		    NFE_EOF;
	}
	tap_ok(good == 3 && noidx == 3, "every block verifies and has no "
	    "index (%zu, %zu)", good, noidx);
	fcol_fini(&c);
	ffile_blockbuf_fini(&bb);
	ffile_close(r);
	free(ix);
}

int
main(void)
{
	struct fidx_builder fb = { NULL, 0 };
	struct fcol c;

	tap_no_plan();
	addr_parse("192.0.2.1", &xs[0].addr);
	addr_parse("192.0.2.2", &xs[1].addr);
	addr_parse("2001:db8::99", &xs[2].addr);
	fcol_init(&c, 32768);
	test_index(&fb, &c);
	test_property();
	test_damage();
	test_old_file();
	for (size_t i = 0; i < NBLOCKS; i++)
		free(blocks[i].ix);
	fcol_fini(&c);
	fidx_builder_fini(&fb);
	ffgen_cleanup();
	return tap_done();
}
