/*
 * common/codec/tfplan.h -- the encoders' templates and their compiled
 * plans: a data template an encoder sends (struct tf_tmpl) is compiled
 * once into a list of steps (where in the record, how many bytes, from
 * which flowrec member, by which rule), and every record is then
 * written by one straight loop over the steps into room reserved for
 * the whole record.  NetFlow v9 and IPFIX data sets are written here;
 * tfield.c keeps the per-element rules (tf_put) that the steps do not
 * cover.
 *
 * A plan is cached by the encoder state that uses it (struct nf_enc),
 * keyed by its template's content: id and every field's (id, length).
 */
#ifndef COMMON_CODEC_TFPLAN_H
#define COMMON_CODEC_TFPLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/base/buf.h"
#include "common/base/flowrec.h"
#include "common/codec/tmpl.h"

struct tf_clock;

/* One field of a template an encoder sends (id: as fld_by_ie()). */
struct tf_spec {
	uint16_t	id, len;
};

/* A data template an encoder sends: its id and its fields (borrowed). */
struct tf_tmpl {
	uint16_t	 id;
	const struct tf_spec *f;
	size_t		 n;
};

/* One field of a compiled template. */
struct tf_step {
	uint8_t		op;		/* how (tfplan.c) */
	uint16_t	at;		/* offset in the record on the wire */
	uint16_t	len;		/* bytes on the wire */
	uint16_t	off;		/* member offset in struct flowrec */
	uint16_t	id;		/* the element, for the general rule */
};

/* A compiled template; f == NULL: none yet. */
struct tf_plan {
	const struct tf_spec *f;	/* compiled from (NULL: no plan) */
	size_t		 n;
	uint16_t	 id;		/* template (set) id */
	size_t		 rl;		/* record length on the wire */
	struct tf_step	 s[TMPL_MAX_FIELDS];
};

/*
 * Make p the plan of t, compiling it unless p already is.  Returns
 * false (p left empty) if t has more than TMPL_MAX_FIELDS fields.
 */
bool	tf_plan_for(struct tf_plan *p, const struct tf_tmpl *t);

/*
 * Write data sets for recs[0..n): consecutive records of one family go
 * into one set with the v4 or v6 plan, each record only when it fits
 * whole.  pad4 (NetFlow v9) pads each set to a multiple of 4 bytes and
 * keeps room for that padding.  Returns how many records were written
 * (a prefix of recs).  A record the plan cannot write exactly (a
 * template whose field length disagrees with its element) sets w's
 * error flag.
 */
size_t	tf_put_planned_sets(struct wbuf *w, const struct tf_plan *v4,
	    const struct tf_plan *v6, const struct flowrec *recs, size_t n,
	    const struct tf_clock *clk, bool pad4);

/*
 * The same with templates, compiled for this call only (tests and
 * one-off writers; encoders keep their plans): 0 records if a template
 * has more than TMPL_MAX_FIELDS fields.
 */
size_t	tf_put_data_sets(struct wbuf *w, const struct tf_tmpl *v4,
	    const struct tf_tmpl *v6, const struct flowrec *recs, size_t n,
	    const struct tf_clock *clk, bool pad4);

#endif /* COMMON_CODEC_TFPLAN_H */
