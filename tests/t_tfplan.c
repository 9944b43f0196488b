/*
 * tests/t_tfplan.c -- compiled encoder plans (common/codec/tfplan.h):
 * a plan writes exactly the bytes tf_put() writes field by field, for
 * every element the catalogue binds in every length tf_put() fills
 * whole (1 to 16 bytes), over IPv4, IPv6 and ICMP records with random
 * values; a plan is recompiled when its template changes; a template
 * whose field length disagrees with its element, or one with too many
 * fields, is refused rather than written misaligned.
 */
#include "common/base/compat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/base/fields.h"
#include "common/codec/tfield.h"
#include "common/codec/tfplan.h"
#include "tap.h"

#define NREC	64
#define NSPEC	4096
#define BUFSZ	(1 << 20)

static uint64_t rng = 0x9e3779b97f4a7c15u;

static uint64_t
rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* A record with a random value in every stored field. */
static void
random_rec(struct flowrec *r, int i)
{
	static const char name[] = "some-application-name";

	flowrec_init(r);
	for (unsigned f = 0; f < FLD_N; f++) {
		const struct fld_desc *d = fld(f);
		uint8_t *m = (uint8_t *)r + d->off;
		uint8_t a[16];

		switch (d->type) {
		case FT_U8: case FT_U16: case FT_U32: case FT_U64:
			fld_set_u64(d, r, rnd() >> (rnd() % 64));
			break;
		case FT_ADDR:
			for (int k = 0; k < 16; k++)
				a[k] = (uint8_t)rnd();
			if (i % 2 == 0)
				addr_from_v4_bytes((struct nf_addr *)(void *)m,
				    a);
			else if (i % 7 == 3)
				memset(m, 0, 16);	/* :: is "none" */
			else
				addr_from_v6((struct nf_addr *)(void *)m, a);
			break;
		case FT_STR:
			flowrec_str_set((struct nf_str *)(void *)m, name,
			    rnd() % sizeof(name));
			break;
		default:
			break;
		}
	}
	r->af = i % 2 == 0 ? 4 : 6;
	if (i % 5 == 0)
		r->proto = i % 3 == 0 ? 58 : 1;
	if (r->last_ms < r->first_ms)	/* times as a meter makes them */
		r->last_ms = r->first_ms + rnd() % 100000;
}

/* Every (element, length) tf_put() writes whole into its length. */
static size_t
whole_specs(struct tf_spec *s, const struct flowrec *r,
    const struct tf_clock *clk)
{
	static const uint16_t lens[] = { 1, 2, 3, 4, 6, 8, 16 };
	uint8_t b[16];
	size_t n = 0;

	for (unsigned id = 0; id < FLD_IE_LIMIT && n < NSPEC; id++) {
		if (fld_by_ie((uint16_t)id) == NULL)
			continue;
		for (size_t k = 0; k < NF_NELEM(lens) && n < NSPEC; k++) {
			struct wbuf w;

			wbuf_init(&w, b, lens[k]);
			tf_put(&w, (uint16_t)id, lens[k], r, clk);
			if (wbuf_ok(&w) && wbuf_len(&w) == lens[k]) {
				s[n].id = (uint16_t)id;
				s[n].len = lens[k];
				n++;
			}
		}
	}
	return n;
}

/* What tf_put_data_sets() should write: tf_put() field by field. */
static size_t
reference(uint8_t *out, size_t cap, const struct tf_tmpl *t4,
    const struct tf_tmpl *t6, const struct flowrec *recs, size_t n,
    const struct tf_clock *clk)
{
	struct wbuf w;
	size_t i = 0;

	wbuf_init(&w, out, cap);
	while (i < n) {
		bool is6 = recs[i].af == 6;
		const struct tf_tmpl *t = is6 ? t6 : t4;
		size_t mark = wbuf_mark(&w);

		wbuf_be16(&w, t->id);
		wbuf_be16(&w, 0);
		for (; i < n && (recs[i].af == 6) == is6; i++)
			for (size_t k = 0; k < t->n; k++)
				tf_put(&w, t->f[k].id, t->f[k].len, &recs[i],
				    clk);
		while ((wbuf_len(&w) - mark) % 4 != 0)
			wbuf_u8(&w, 0);
		wbuf_patch_be16(&w, mark + 2, (uint16_t)(wbuf_len(&w) - mark));
	}
	return wbuf_ok(&w) ? wbuf_len(&w) : 0;
}

int
main(void)
{
	static struct flowrec recs[NREC];
	static struct tf_spec specs[NSPEC], many[TMPL_MAX_FIELDS + 1];
	static struct tf_plan p4, p6;
	static uint8_t want[BUFSZ], got[BUFSZ];
	struct tf_clock clk;
	struct wbuf w;
	size_t ns, chunks = 0, same = 0, wl, used;

	tap_no_plan();
	memset(&clk, 0, sizeof(clk));
	clk.export_ms = UINT64_C(1700000000000);
	clk.sys_uptime_ms = 123456789;
	clk.has_uptime = true;
	for (int i = 0; i < NREC; i++)
		random_rec(&recs[i], i);
	ns = whole_specs(specs, &recs[0], &clk);
	tap_ok(ns > 200, "%zu (element, length) pairs the catalogue writes",
	    ns);

	/* the pairs in templates of up to 100 fields, v4 and v6 offset */
	for (size_t at = 0; at < ns; at += 100) {
		size_t k = ns - at < 100 ? ns - at : 100;
		size_t k6 = ns - at > 150 ? 100 : k;
		struct tf_tmpl t4 = { 300, specs + at, k };
		struct tf_tmpl t6 = { 301, specs + (ns - k6), k6 };

		chunks++;
		if (!tf_plan_for(&p4, &t4) || !tf_plan_for(&p6, &t6))
			continue;
		wl = reference(want, sizeof(want), &t4, &t6, recs, NREC, &clk);
		wbuf_init(&w, got, sizeof(got));
		used = tf_put_planned_sets(&w, &p4, &p6, recs, NREC, &clk, true);
		if (used == NREC && wbuf_ok(&w) && wl > 0 &&
		    wbuf_len(&w) == wl && memcmp(got, want, wl) == 0)
			same++;
		else
			tap_diag("templates at %zu: %zu records, %zu/%zu bytes",
			    at, used, wbuf_len(&w), wl);
	}
	tap_ok(same == chunks, "plans write what tf_put writes: %zu of %zu "
	    "template pairs", same, chunks);

	/* a cached plan follows a change of template */
	{
		struct tf_spec a[] = { { 7, 2 }, { 11, 2 } };
		struct tf_spec b[] = { { 11, 4 } };
		struct tf_tmpl ta = { 256, a, 2 }, tb = { 257, b, 1 };

		tap_ok(tf_plan_for(&p4, &ta) && p4.rl == 4 && p4.id == 256 &&
		    tf_plan_for(&p4, &ta) && tf_plan_for(&p4, &tb) &&
		    p4.rl == 4 && p4.id == 257 && p4.n == 1,
		    "plan recompiled when the template changes");
		a[1].len = 4;		/* the same array, new content */
		tap_ok(tf_plan_for(&p4, &ta) && p4.rl == 6 &&
		    p4.s[1].len == 4, "... and when its array's content does");
	}

	/* an IPv4 address in 16 bytes: refused, not written misaligned */
	{
		struct tf_spec a[] = { { 8, 16 }, { 7, 2 } };
		struct tf_tmpl ta = { 256, a, 2 };

		recs[0].af = 4;
		wbuf_init(&w, got, sizeof(got));
		tap_ok(tf_plan_for(&p4, &ta) && tf_plan_for(&p6, &ta),
		    "mismatch: compiles");
		(void)tf_put_planned_sets(&w, &p4, &p6, recs, 1, &clk, true);
		tap_ok(!wbuf_ok(&w), "mismatch: the writer's error flag");
	}

	/* too many fields */
	for (size_t k = 0; k < NF_NELEM(many); k++)
		many[k] = (struct tf_spec){ 7, 2 };
	{
		struct tf_tmpl t = { 256, many, NF_NELEM(many) };

		tap_ok(!tf_plan_for(&p4, &t) && p4.f == NULL,
		    "more than TMPL_MAX_FIELDS fields: refused");
	}

	/* room: a record only when it fits whole */
	{
		struct tf_spec a[] = { { 8, 4 }, { 12, 4 }, { 7, 2 } };
		struct tf_tmpl ta = { 256, a, 3 };

		for (int i = 0; i < 4; i++)
			recs[i].af = 4;
		(void)tf_plan_for(&p4, &ta);
		wbuf_init(&w, got, 4 + 2 * 10 + 3);
		used = tf_put_planned_sets(&w, &p4, &p4, recs, 4, &clk, true);
		tap_ok(used == 2 && wbuf_ok(&w) && wbuf_len(&w) == 24,
		    "room for 2 records of 10 and padding: 2 written, %zu "
		    "bytes", wbuf_len(&w));
	}
	return tap_done();
}
