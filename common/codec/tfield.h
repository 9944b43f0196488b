/*
 * common/codec/tfield.h -- template-driven record codec shared by NetFlow v9
 * (common/codec/nf9.c) and IPFIX (common/codec/ipfix.c): parse template field
 * lists, walk a data set with its template, turn one data record into
 * a struct flowrec or into option state, and write flowrec fields for
 * the encoders (whose templates are compiled by common/codec/tfplan.h).
 *
 * Internal to the codecs: programs use nf9.h and ipfix.h.  Reads only
 * through struct rbuf; never logs.
 */
#ifndef COMMON_CODEC_TFIELD_H
#define COMMON_CODEC_TFIELD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/base/buf.h"
#include "common/base/flowrec.h"
#include "common/codec/nfdecode.h"
#include "common/codec/tfplan.h"
#include "common/codec/tmpl.h"

/* What a record's times are relative to. */
struct tf_clock {
	uint64_t	export_ms;	/* header export time, UTC ms */
	uint32_t	sys_uptime_ms;	/* v9 header sysUpTime */
	bool		has_uptime;	/* v9: header carries sysUpTime */
	uint64_t	sys_init_ms;	/* IPFIX systemInitTimeMilliseconds;
					   0 unknown */
};

/* One data set being decoded (v9 flowset id >= 256 / IPFIX set >= 256). */
struct tf_set {
	const struct nf_decode_ctx *ctx;	/* borrowed */
	struct nf_dgram_info *info;		/* borrowed; counters added */
	struct nf_out	*out;			/* borrowed: where records go */
	struct tmpl_key	 key;		/* exporter, version, domain, set id */
	struct tf_clock	 clk;
	bool		 held;		/* decoding a held set: no notmpl call */
};

/*
 * Read n field specifiers into t->fields (IPFIX form when ipfix: the
 * enterprise bit announces a 4-byte enterprise number).  Returns
 * NFE_OK, NFE_LIMIT (n > TMPL_MAX_FIELDS) or NFE_FORMAT (specifiers
 * run past the end of r).
 */
int	tf_parse_fields(struct rbuf *r, size_t n, bool ipfix, struct tmpl *t);

/*
 * Decode the records of one data set (r holds the set body, after its
 * header).  Records go to s->out; options data updates the option
 * state in ctx->tmpl (common/codec/sampling.h rules; nonsense counted in
 * info->samp_bad).  A record naming a sampler whose rate is unknown
 * (tmpl_opts_rate_unknown()) is offered, with the records after it, to
 * ctx->norate (counted in info->rate_held if kept); in a held set it
 * makes the whole set wait (NFE_NOTMPL) unless ctx->rate_final, which
 * decodes it without a rate and remembers the sampler as rate-less.
 * Returns NFE_OK; NFE_NOTMPL if the template is unknown (ctx->notmpl is
 * called unless s->held) or a held set still waits for a rate;
 * NFE_FORMAT if the set disagrees with its template's record length
 * (the template is then dropped from the cache and counted); NFE_NOMEM
 * if the template's decode plan (made at its first data set and kept
 * with it in ctx->tmpl) or option state cannot be allocated; or the
 * non-zero return of the batch's full (or the sink).
 */
int	tf_data_set(struct tf_set *s, struct rbuf *r);

/*
 * Value of one unsigned field of len (1..8) bytes from a flowrec, for
 * the encoders: element id and the clock used for sysUpTime-relative
 * times.  Unknown ids give 0.
 */
uint64_t tf_value(uint16_t id, const struct flowrec *rec,
	    const struct tf_clock *clk);

/*
 * Write one field (id, len) of rec: addresses as 4 or 16 bytes,
 * integers big-endian in len bytes, strings in exactly len bytes (cut,
 * or padded with NULs; encoders send strings in fixed-length fields).
 */
void	tf_put(struct wbuf *w, uint16_t id, uint16_t len,
	    const struct flowrec *rec, const struct tf_clock *clk);

/*
 * The element an encoder sends catalogue field fld (FLD_*) as, in a
 * template for af (4 or 6): of the elements bound to it (fieldlist.h
 * IE()) with a fixed IANA length (common/codec/ie.c) and a conversion
 * that round-trips (integers, MAC, MPLS entry, an address of af's
 * family), the one of the lowest priority number, ties to the lowest
 * id; its length is the IANA default.  Returns NFE_OK, or NFE_UNSUPP
 * if there is none.
 */
int	tf_spec_of_field(unsigned fld, int af, struct tf_spec *out);

/*
 * base's fields, then for af (4 or 6) the extra fields that apply to
 * it (e->extra, tf_spec_of_field; those without an element are left
 * out), into buf (cap entries); *out names buf with base's id.  The
 * elements are looked up once per encoder (e->xready).  Returns
 * NFE_OK, or NFE_LIMIT if cap is too small.
 */
struct nf_enc;
int	tf_tmpl_extend(const struct tf_tmpl *base, struct nf_enc *e, int af,
	    struct tf_spec *buf, size_t cap, struct tf_tmpl *out);

/* Record length of a template: the sum of its field lengths. */
size_t	tf_tmpl_len(const struct tf_tmpl *t);

/*
 * Write a template record: id, field count, then (id, length) pairs; an
 * id from FLD_IE_REV on is the RFC 5103 reverse element (IPFIX only:
 * enterprise bit, length, enterprise number 29305).
 */
void	tf_put_template(struct wbuf *w, const struct tf_tmpl *t);

#endif /* COMMON_CODEC_TFIELD_H */
