/*
 * tests/t_qblock.c -- counting straight from a block's columns gives
 * what counting records gives: for every -s statistic of the field
 * catalogue (alone, with ":p", as "record"), and for every -A key of the
 * catalogue alone and in a few combinations with masks, topn_add_block
 * and agg_add_block are compared with topn_add / agg_key + aggtab_add
 * over the same records (IPv4 and IPv6, several exporters, some rows
 * left out), printed in full.  A new catalogue entry is covered without
 * touching this test.  Runs in about a second.
 */
#include "common/base/compat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/base/fields.h"
#include "common/base/nferr.h"
#include "common/ffile/fcol.h"
#include "common/prog/xmalloc.h"
#include "query/agg.h"
#include "query/output.h"
#include "query/topn.h"
#include "ffgen.h"
#include "tap.h"

#define NRECS	3000

static struct flowrec recs[NRECS];
static struct fcol col;
static uint32_t rows[NRECS];
static size_t nrows;
static struct nf_addr xs[3];

static const struct nf_addr *
router(const struct flowrec *r)
{
	return r->exporter < 3 ? &xs[r->exporter] : NULL;
}

/* A statistic counted both ways, printed in full; true if the same. */
static bool
same_stat(const char *arg, const struct agg_spec *as)
{
	struct topn_stat st;
	struct topn *a, *b;
	struct output *o;
	struct out_summary tot;
	struct obuf ba, bb;
	char err[256];
	bool same, took;

	if (topn_parse(arg, as, &st, err, sizeof(err)) != NFE_OK) {
		tap_diag("%s: %s", arg, err);
		return false;
	}
	a = topn_new(&st);
	b = topn_new(&st);
	for (size_t j = 0; j < nrows; j++)
		topn_add(a, &recs[rows[j]], router(&recs[rows[j]]));
	took = topn_add_block(b, &col, rows, nrows, xs, 3);
	if (!took)			/* the caller falls back to records */
		for (size_t j = 0; j < nrows; j++)
			topn_add(b, &recs[rows[j]], router(&recs[rows[j]]));
	memset(&tot, 0, sizeof(tot));
	tot.flows = tot.packets = tot.bytes = 1000;
	if (output_new("csv", &(struct out_opts){ false, false }, &o, err,
	    sizeof(err)) != NFE_OK)
		return false;
	obuf_init(&ba);
	obuf_init(&bb);
	topn_print(a, o, o, 0, &tot, &ba);
	topn_print(b, o, o, 0, &tot, &bb);
	same = ba.len == bb.len && memcmp(ba.p, bb.p, ba.len) == 0 &&
	    ba.len > 0;
	if (!same)
		tap_diag("%s: %zu vs %zu bytes", arg, ba.len, bb.len);
	obuf_fini(&ba);
	obuf_fini(&bb);
	output_free(o);
	topn_free(a);
	topn_free(b);
	return same;
}

/* An -A list counted both ways; true if every entry is the same. */
static bool
same_agg(const char *list, bool five)
{
	struct agg_spec sp;
	struct aggtab *a, *b;
	uint8_t key[AGG_KEY_MAX];
	struct aggval v;
	size_t *ia, *ib, na, nb;
	char err[256];
	bool same;

	if (agg_parse(list, five, &sp, err, sizeof(err)) != NFE_OK) {
		tap_diag("%s: %s", list, err);
		return false;
	}
	a = aggtab_new(sp.keylen);
	b = aggtab_new(sp.keylen);
	for (size_t j = 0; j < nrows; j++) {
		const struct flowrec *r = &recs[rows[j]];

		v.flows = r->flows;
		v.packets = r->packets;
		v.bytes = r->bytes;
		v.first_ms = r->first_ms;
		v.last_ms = r->last_ms;
		v.out_packets = r->out_packets;
		v.out_bytes = r->out_bytes;
		agg_key(&sp, r, router(r), key);
		aggtab_add(a, key, &v);
	}
	if (!agg_block_ok(&sp, &col)) {
		tap_diag("%s: not from columns (records are used)", list);
		aggtab_free(a);
		aggtab_free(b);
		return true;
	}
	agg_add_block(&sp, b, &col, rows, nrows, xs, 3);
	ia = aggtab_rank(a, AGG_ORDER_NONE, 0, &na);
	ib = aggtab_rank(b, AGG_ORDER_NONE, 0, &nb);
	same = na == nb && na > 0;
	for (size_t i = 0; same && i < na; i++)
		same = memcmp(aggtab_key(a, ia[i]), aggtab_key(b, ib[i]),
		    sp.keylen) == 0 && memcmp(aggtab_val(a, ia[i]),
		    aggtab_val(b, ib[i]), sizeof(struct aggval)) == 0;
	if (!same)
		tap_diag("%s: %zu vs %zu entries", list, na, nb);
	free(ia);
	free(ib);
	aggtab_free(a);
	aggtab_free(b);
	return same;
}

int
main(void)
{
	struct agg_spec five;
	char err[256], arg[96];
	size_t nstat = 0, nbad = 0, nkey = 0, nkbad = 0;

	tap_no_plan();
	ffgen_records(recs, NRECS / 2, 11, FFGEN_V4, UINT64_C(1795426759000),
	    0);
	ffgen_records(recs + NRECS / 2, NRECS / 2, 12, FFGEN_MIXED,
	    UINT64_C(1795426759000), 0);
	for (size_t i = 0; i < NRECS; i++)
		recs[i].exporter = (uint16_t)(i % 4);	/* 3: unknown */
	addr_from_v4(&xs[0], 0xc0000201u);
	addr_from_v4(&xs[1], 0xc0000202u);
	addr_parse("2001:db8::fe", &xs[2]);
	if (!tap_ok(fcol_init(&col, NRECS) == NFE_OK &&
	    fcol_put(&col, recs, NRECS) == NRECS, "a block of %d records",
	    NRECS))
		return tap_done();
	/* the block's own records (defaults where the file has none) */
	for (size_t i = 0; i < NRECS; i++)
		fcol_get(&col, i, &recs[i]);
	for (size_t i = 0; i < NRECS; i++)
		if (i % 7 != 3)		/* some rows filtered out */
			rows[nrows++] = (uint32_t)i;
	if (agg_parse("", true, &five, err, sizeof(err)) != NFE_OK)
		return tap_done();

	/* every statistic of the catalogue, alone and with :p */
	for (unsigned f = 0; f < FLD_N; f++) {
		const struct fld_stat *s = &fld(f)->stat;
		const char *names[2] = { s->name, s->pair };

		for (int k = 0; k < 2; k++) {
			if (names[k] == NULL)
				continue;
			for (int p = 0; p < 2; p++) {
				snprintf(arg, sizeof(arg), "%s%s/flows/bytes",
				    names[k], p ? ":p" : "");
				nstat++;
				if (!same_stat(arg, &five))
					nbad++;
			}
		}
	}
	tap_ok(nstat > 20 && nbad == 0, "every catalogue statistic (%zu): "
	    "columns = records (%zu differ)", nstat, nbad);
	tap_ok(same_stat("record/bytes", &five), "-s record (the 5-tuple)");

	/* every -A key alone */
	for (unsigned f = 0; f < FLD_N; f++) {
		for (int k = 0; k < FLD_MAX_AGGS; k++) {
			const char *name = fld(f)->agg[k].name;

			if (name == NULL)
				continue;
			nkey++;
			if (!same_agg(name, false))
				nkbad++;
		}
	}
	tap_ok(nkey >= 15 && nkbad == 0, "every catalogue -A key (%zu): "
	    "columns = records (%zu differ)", nkey, nkbad);
	tap_ok(same_agg("", true), "-a: the 5-tuple");
	tap_ok(same_agg("srcip4/24,dstip6/64,dstport,proto", false),
	    "masks on both families");
	tap_ok(same_agg("router,inif,outif,srcip", false),
	    "exporter address, one of them unknown");
	tap_ok(same_agg("srcnet,dstnet", false), "networks by the masks");
	fcol_fini(&col);
	return tap_done();
}
