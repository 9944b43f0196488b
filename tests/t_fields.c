/*
 * tests/t_fields.c -- the field catalogue (common/base/fieldlist.h) is
 * consistent, and what is made from it agrees with it.  Every check
 * runs over every entry, so a new field is tested here by its entry
 * alone:
 *   - struct flowrec has no holes and holds each field's default;
 *   - column ids are known, names and sizes right, FCOL_ALL complete;
 *   - filter words: one shape per word, at most one field per side;
 *   - fmt tokens, -A keys, -s statistics and CSV columns are unique,
 *     CSV places are 0..n-1, pair partners exist;
 *   - every element a field is bound to or named by in JSON is in the
 *     IANA table (common/codec/ie.c) with a type its conversion fits;
 *   - the NetFlow v5 positions are where the v5 encoder puts the values;
 *   - every bound element round-trips: a record encoded through the
 *     element (tf_put) and decoded again (tf_data_set) gives the field
 *     back.
 */
#include "common/base/compat.h"

#include <stdio.h>
#include <string.h>

#include "common/base/fields.h"
#include "common/base/nferr.h"
#include "common/codec/ie.h"
#include "common/codec/nf5.h"
#include "common/codec/tfield.h"
#include "common/codec/tmpl.h"
#include "common/ffile/fcol.h"
#include "nfcollect.h"
#include "tap.h"

#define T0	UINT64_C(1700000000123)

static void
test_record(void)
{
	size_t sum = 0;
	bool ok = true;

	for (unsigned i = 0; i < FLD_N; i++) {
		const struct fld_desc *d = fld(i);

		if (d->type == FT_NONE)
			continue;
		sum += d->size;
		if (d->type != FT_ADDR && d->type != FT_STR &&
		    fld_get_u64(d, &flowrec_defaults) != d->def) {
			tap_diag("%s: default %llu", d->name,
			    (unsigned long long)d->def);
			ok = false;
		}
	}
	tap_ok(sizeof(struct flowrec) == ((sum + 7) & ~(size_t)7),
	    "struct flowrec has no holes (%zu bytes of %zu)", sum,
	    sizeof(struct flowrec));
	tap_ok(ok, "flowrec_defaults holds every field's default");
}

static void
test_columns(void)
{
	fcol_mask all = 0;
	bool ok = true;

	for (unsigned i = 0; i < FLD_N; i++) {
		const struct fld_desc *d = fld(i);

		if (d->type == FT_NONE) {
			if (d->col != 0 ||
			    (d->reads == 0) != (d->kind == FK_ABSENT)) {
				tap_diag("%s: computed, col %u", d->name, d->col);
				ok = false;
			}
			continue;
		}
		if (d->col == 0 || d->col > FCOL_MAX_ID || fld_by_col(d->col) != d ||
		    d->colname == NULL || d->enc == FE_NONE ||
		    fcol_field_width(d->col) != d->size ||
		    strcmp(fcol_name(d->col), d->colname) != 0) {
			tap_diag("%s: column %u", d->name, d->col);
			ok = false;
		}
		if ((d->type == FT_ADDR) != (d->enc == FE_ADDR) ||
		    (d->type == FT_STR) != (d->enc == FE_STR)) {
			tap_diag("%s: encoding %u for type %u", d->name, d->enc,
			    d->type);
			ok = false;
		}
		all |= FCOL_BIT(d->col);
	}
	tap_ok(ok, "every stored field has a known column of its width");
	tap_ok(all == FCOL_ALL, "FCOL_ALL is every column");
	tap_ok(!fcol_known(0) && !fcol_known(FCOL_NCOLS) && !fcol_known(999),
	    "no column 0, none past the last");
}

/* Does entry j also name word w; on which side? */
static int
side_of(unsigned j, const char *w, int *shape)
{
	for (unsigned k = 0; k < FLD_MAX_WORDS; k++)
		if (fld(j)->words[k].word != NULL &&
		    strcmp(fld(j)->words[k].word, w) == 0) {
			*shape = fld(j)->words[k].shape;
			return fld(j)->words[k].side;
		}
	return -1;
}

static void
test_words(void)
{
	bool ok = true;

	for (unsigned i = 0; i < FLD_N; i++) {
		for (unsigned k = 0; k < FLD_MAX_WORDS; k++) {
			const struct fld_word *w = &fld(i)->words[k];
			int seen[S_N] = { 0 }, shape, side;

			if (w->word == NULL)
				continue;
			for (unsigned j = 0; j < FLD_N; j++) {
				if ((side = side_of(j, w->word, &shape)) < 0)
					continue;
				if (shape != w->shape || seen[side]++ > 0) {
					tap_diag("word '%s': %s", w->word,
					    fld(j)->name);
					ok = false;
				}
			}
			if ((seen[S_SRC] || seen[S_DST]) &&
			    (seen[S_NONE] || seen[S_IN] || seen[S_OUT] ||
			    seen[S_IN1])) {
				tap_diag("word '%s' mixes sides", w->word);
				ok = false;
			}
			if (w->shape != FS_ADDR && w->shape != FS_NET &&
			    w->shape != FS_ADDRIP && w->shape != FS_STR &&
			    fld(i)->type == FT_ADDR) {
				tap_diag("word '%s': a number shape for an "
				    "address", w->word);
				ok = false;
			}
		}
	}
	tap_ok(ok, "filter words: one shape each, one field per side");
}

/* Two equal strings among n? */
static bool
dup(const char *const *v, size_t n)
{
	for (size_t a = 0; a < n; a++)
		for (size_t b = a + 1; b < n; b++)
			if (strcmp(v[a], v[b]) == 0) {
				tap_diag("'%s' twice", v[a]);
				return true;
			}
	return false;
}

static bool
pair_kind(uint8_t k)
{
	return k == TK_ADDR_PORT || k == TK_NET || k == TK_PAIR;
}

static void
test_names(void)
{
	const char *toks[FLD_N * FLD_MAX_TOKS], *aggs[FLD_N * FLD_MAX_AGGS];
	const char *stats[FLD_N], *csvs[FLD_N];
	size_t nt = 0, na = 0, ns = 0, nc = 0;
	unsigned pos[FLD_N];
	bool ok = true;

	memset(pos, 0, sizeof(pos));
	for (unsigned i = 0; i < FLD_N; i++) {
		const struct fld_desc *d = fld(i);

		for (unsigned k = 0; k < FLD_MAX_TOKS; k++) {
			const struct fld_tok *t = &d->toks[k];

			if (t->tok == NULL)
				continue;
			if (t->tok[0] != '%' || t->header == NULL ||
			    t->header[0] == '\0' || (pair_kind(t->kind) &&
			    fld(t->partner)->type == FT_NONE)) {
				tap_diag("token %s", t->tok);
				ok = false;
			}
			toks[nt++] = t->tok;
		}
		for (unsigned k = 0; k < FLD_MAX_AGGS; k++)
			if (d->agg[k].name != NULL)
				aggs[na++] = d->agg[k].name;
		if (d->stat.name != NULL)
			stats[ns++] = d->stat.name;
		if (d->csv.name != NULL) {
			csvs[nc++] = d->csv.name;
			if (d->csv.pos >= FLD_N || pos[d->csv.pos]++ > 0) {
				tap_diag("csv %s at %u", d->csv.name,
				    d->csv.pos);
				ok = false;
			}
		}
		if ((d->json.rule == JR_NONE) != (d->json.ie4 == 0)) {
			tap_diag("%s: json rule", d->name);
			ok = false;
		}
	}
	for (unsigned p = 0; p < nc; p++)
		if (pos[p] != 1) {
			tap_diag("no csv column at %u", p);
			ok = false;
		}
	if (dup(toks, nt) || dup(aggs, na) || dup(stats, ns) || dup(csvs, nc))
		ok = false;
	tap_ok(ok, "tokens, -A keys, -s names, CSV columns unique; CSV "
	    "places 0..%zu", nc - 1);
}

/* Does a conversion fit an element's type? */
static bool
conv_fits(unsigned conv, const struct ie *e)
{
	switch (conv) {
	case IEC_ADDR4:
	case IEC_ADDR4_AF:
		return e->type == IE_T_IPV4;
	case IEC_ADDR6:
	case IEC_ADDR6_AF:
	case IEC_ADDR6_NZ:
		return e->type == IE_T_IPV6;
	case IEC_SEC:
		return e->type == IE_T_DT_SECONDS;
	case IEC_MS:
		return e->type == IE_T_DT_MILLI;
	case IEC_NTP:
		return e->type == IE_T_DT_MICRO || e->type == IE_T_DT_NANO;
	case IEC_STR:
		return e->type == IE_T_STRING;
	case IEC_MAC:
		return e->type == IE_T_MAC;
	case IEC_MPLS:
		return e->type == IE_T_OCTETS && e->len == 3;
	case IEC_APPID:
		return e->type == IE_T_OCTETS && e->len == IE_VARLEN;
	default:
		return ie_type_is_unsigned(e->type);
	}
}

static void
test_elements(void)
{
	bool ok = true;

	for (unsigned id = 0; id < FLD_IE_LIMIT; id++) {
		const struct fld_iebind *b = fld_by_ie((uint16_t)id);
		const struct ie *e = ie_by_id((uint16_t)(id % FLD_IE_REV));

		if (b == NULL)
			continue;
		if (e == NULL || !conv_fits(b->conv, e) || b->fld == 0 ||
		    b->fld > FLD_N) {
			tap_diag("element %u: conversion %u", id, b->conv);
			ok = false;
		}
	}
	tap_ok(ok, "every bound element is in the IANA table, of a fitting "
	    "type");
	for (unsigned i = 0; i < FLD_N; i++) {
		const struct fld_json *j = &fld(i)->json;

		if (j->rule != JR_NONE &&
		    (ie_by_id(j->ie4) == NULL || ie_by_id(j->ie6) == NULL)) {
			tap_diag("%s: JSON element %u/%u", fld(i)->name, j->ie4,
			    j->ie6);
			ok = false;
		}
	}
	tap_ok(ok, "every JSON name is an IANA element name");
}

/* A record with a distinct, v5-representable value in every field. */
static void
distinct(struct flowrec *r, bool v6)
{
	static const uint8_t a6[16] = { 0x20, 0x01, 0x0d, 0xb8, 1, 2, 3, 4, 5,
	    6, 7, 8, 9, 10, 11, 12 };
	uint64_t v = 0x11;

	flowrec_init(r);
	for (unsigned i = 0; i < FLD_N; i++) {
		const struct fld_desc *d = fld(i);
		struct nf_addr *a;

		switch (d->type) {
		case FT_ADDR:
			a = fld_addr(d, r);
			if (v6) {
				addr_from_v6(a, a6);
				a->a[15] = (uint8_t)v;
			} else
				addr_from_v4(a, 0x0a000000u | (uint32_t)v);
			break;
		case FT_STR:
			/* static storage: records borrow their strings */
			fld_str(d, r)->p = "name\xc3\xa9-of-a-field";
			fld_str(d, r)->len = (uint32_t)(v % 16 + 4);
			break;
		case FT_NONE:
			break;
		default:
			/* v5 holds 16-bit interfaces and AS numbers */
			fld_set_u64(d, r, d->size == 1 ? v & 0xff :
			    (v & 0x7f) * 0x101);
			break;
		}
		v += 0x11;
	}
	r->af = v6 ? 6 : 4;
	r->first_ms = T0 - 5000;
	r->last_ms = T0 - 1000;
	r->proto = 6;
	r->src_mask = 24;
	r->dst_mask = 16;
}

static void
test_v5(void)
{
	struct nf5_enc_params prm;
	struct nf5_enc_result res;
	struct flowrec r;
	uint8_t dg[NF5_MAX_DGRAM];
	bool ok = true;
	unsigned n = 0;

	distinct(&r, false);
	memset(&prm, 0, sizeof(prm));
	prm.boot_ms = T0 - 86400000;
	prm.export_ms = T0;
	if (nf5_encode(&prm, &r, 1, dg, sizeof(dg), &res) != NFE_OK ||
	    res.written != 1) {
		tap_ok(false, "v5 encode");
		return;
	}
	for (unsigned i = 0; i < FLD_N; i++) {
		const struct fld_desc *d = fld(i);
		const uint8_t *p = dg + NF5_HDR_LEN + d->v5.off;
		uint64_t got = 0, want;

		if (d->v5.len == 0)
			continue;
		n++;
		for (unsigned k = 0; k < d->v5.len; k++)
			got = got << 8 | p[k];
		if (d->type == FT_ADDR)
			want = addr_v4(fld_get_addr(d, &r));
		else if (d->kind == FK_TSTART || d->kind == FK_TEND)
			want = (uint32_t)(fld_get_u64(d, &r) - prm.boot_ms);
		else
			want = fld_get_u64(d, &r);
		if (d->v5.len < 8)
			want &= (UINT64_C(1) << (8 * d->v5.len)) - 1;
		if (got != want) {
			tap_diag("%s at v5 offset %u: %llx, want %llx", d->name,
			    d->v5.off, (unsigned long long)got,
			    (unsigned long long)want);
			ok = false;
		}
	}
	tap_ok(ok && n >= 17, "v5 positions of %u fields are the encoder's", n);
}

/* Encode r through template t (one set body) and decode it back. */
static int
round_trip(const struct tmpl *t, const struct flowrec *r, struct flowrec *out)
{
	static struct collect c;
	struct tmpl_cache *cache = tmpl_cache_new(NULL);
	struct nf_decode_ctx ctx;
	struct nf_dgram_info info;
	struct nf_out out1;
	struct tf_set s;
	struct tf_clock clk = { T0, 86400000, true, 0 };
	struct wbuf w;
	struct rbuf rb;
	static uint8_t body[1024];	/* *out's strings point into it */
	int rc;

	memset(&c, 0, sizeof(c));
	memset(&ctx, 0, sizeof(ctx));
	memset(&info, 0, sizeof(info));
	memset(&s, 0, sizeof(s));
	ctx.tmpl = cache;
	ctx.sink = collect_sink;
	ctx.arg = &c;
	if (!nf_out_init(&out1, &ctx)) {
		tmpl_cache_free(cache);
		return NFE_INVAL;
	}
	s.ctx = &ctx;
	s.info = &info;
	s.out = &out1;
	s.key.version = 10;
	s.key.id = t->id;
	s.clk = clk;
	wbuf_init(&w, body, sizeof(body));
	for (size_t k = 0; k < t->nfields; k++)
		tf_put(&w, (uint16_t)(t->fields[k].id +
		    (t->fields[k].pen == FLD_PEN_REVERSE ? FLD_IE_REV : 0)),
		    t->fields[k].len, r, &clk);
	rc = tmpl_put(cache, &s.key, t, NULL);
	if (rc == NFE_OK) {
		rbuf_init(&rb, body, wbuf_len(&w));
		rc = tf_data_set(&s, &rb);
	}
	if (rc == NFE_OK && c.n != 1)
		rc = NFE_INTERNAL;
	if (rc == NFE_OK)
		*out = c.recs[0];
	tmpl_cache_free(cache);
	return rc;
}

/* Field d of a and b equal (computed: by what the decoder derives). */
static bool
same(const struct fld_desc *d, const struct flowrec *a,
    const struct flowrec *b)
{
	switch (d->kind) {
	case FK_DURATION:
		return fld_duration(a->first_ms, a->last_ms) ==
		    fld_duration(b->first_ms, b->last_ms);
	case FK_ICMP_TYPE:
	case FK_ICMP_CODE:
		return a->dst_port == b->dst_port;
	default:
		break;
	}
	if (d->type == FT_ADDR)
		return addr_eq(fld_get_addr(d, a), fld_get_addr(d, b));
	if (d->type == FT_STR)
		return fld_get_str(d, a)->len == fld_get_str(d, b)->len &&
		    memcmp(fld_get_str(d, a)->p, fld_get_str(d, b)->p,
		    fld_get_str(d, a)->len) == 0;
	return fld_get_u64(d, a) == fld_get_u64(d, b);
}

static void
test_round_trip(void)
{
	unsigned n = 0;
	bool ok = true;

	for (unsigned id = 0; id < FLD_IE_LIMIT; id++) {
		const struct fld_iebind *b = fld_by_ie((uint16_t)id);
		const struct ie *e = ie_by_id((uint16_t)(id % FLD_IE_REV));
		const struct fld_desc *d;
		struct flowrec in, out;
		struct tmpl t;

		if (b == NULL || e == NULL)
			continue;
		d = fld(b->fld - 1u);
		distinct(&in, b->conv == IEC_ADDR6 || b->conv == IEC_ADDR6_AF ||
		    b->conv == IEC_ADDR6_NZ);
		if (b->conv == IEC_SEC)
			in.first_ms -= in.first_ms % 1000,
			in.last_ms -= in.last_ms % 1000;
		memset(&t, 0, sizeof(t));
		t.id = 256;
		t.fields[t.nfields].id = (uint16_t)(id % FLD_IE_REV);
		if (id >= FLD_IE_REV)		/* RFC 5103 reverse element */
			t.fields[t.nfields].pen = FLD_PEN_REVERSE;
		/* encoders send strings in fixed-length fields */
		t.fields[t.nfields++].len = e->len == IE_VARLEN ? 40 : e->len;
		/* what the conversion needs beside it */
		if (b->conv == IEC_ICMP_TC || b->conv == IEC_ICMP_T ||
		    b->conv == IEC_ICMP_C) {
			in.proto = 1;
			t.fields[t.nfields].id = IE_PROTOCOL_IDENTIFIER;
			t.fields[t.nfields++].len = 1;
		}
		if (b->conv == IEC_ICMP_T || b->conv == IEC_ICMP_C) {
			t.fields[t.nfields].id = b->conv == IEC_ICMP_T ?
			    IE_ICMP_CODE_IPV4 : IE_ICMP_TYPE_IPV4;
			t.fields[t.nfields++].len = 1;
		}
		if (b->conv == IEC_DUR_MS || b->conv == IEC_DUR_US) {
			t.fields[t.nfields].id = IE_FLOW_START_MILLISECONDS;
			t.fields[t.nfields++].len = 8;
		}
		if (tmpl_finish(&t, 10) != NFE_OK ||
		    round_trip(&t, &in, &out) != NFE_OK || !same(d, &in, &out)) {
			char s1[600], s2[600];

			tap_diag("element %u (%s) -> %s: %s", id, e->name, d->name,
			    flowrec_dump(&in, s1, sizeof(s1)));
			tap_diag("  got %s", flowrec_dump(&out, s2, sizeof(s2)));
			ok = false;
		}
		n++;
	}
	tap_ok(ok && n > 40, "each of %u bound elements round-trips", n);
}

int
main(void)
{
	tap_plan(11);
	test_record();
	test_columns();
	test_words();
	test_names();
	test_elements();
	test_v5();
	test_round_trip();
	return tap_done();
}
