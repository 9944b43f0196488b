/*
 * query/output_int.h -- the inside of struct output, shared by
 * output.c (text) and output_json.c (csv, json, ndjson).  Not for other
 * modules.
 */
#ifndef QUERY_OUTPUT_INT_H
#define QUERY_OUTPUT_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/base/fields.h"
#include "query/output.h"

/* One piece of an fmt: text: a catalogue token, or literal text. */
struct fmt_item {
	const struct fld_desc *d;	/* the token's field; NULL: literal */
	const struct fld_desc *partner;	/* pair kinds: the other field */
	uint8_t		 kind;		/* enum fld_tk */
	int		 width;		/* its header's length */
	char		*lit;		/* owned; literal text */
	size_t		 litlen;
};

struct output {
	enum out_kind	 kind;
	struct out_opts	 opts;
	char		*spec;		/* owned; for output_clone() */
	struct fmt_item	*items;		/* owned */
	size_t		 nitems;
	struct ocsv {			/* the CSV columns, in order */
		const struct fld_desc *d;
		uint8_t	 op;		/* output_json.c: how to print it */
		uint8_t	 size, psize;	/* bytes of the field, of the partner */
		uint16_t off, poff;	/* offsets in struct flowrec */
	} csv[FLD_N];
	size_t		 ncsv;
	char		*header;	/* owned; text formats */
	bool		 emitted;	/* output_emit() wrote something */
	bool		 joined;	/* output_set_joined() */
	/* time text cache (out_time): zone offset per UTC hour, date and
	   hour text per local hour */
	bool		 off_valid, loc_valid;
	int64_t		 off_hour, loc_hour;
	long		 gmtoff;		/* seconds east of UTC */
	char		 loc_pre[24];		/* "YYYY-MM-DD hh:" */
	char		 iso_off[8];		/* "+hh:mm" */
};

uint64_t out_dur_ms(const struct flowrec *r);
/* A MAC address (low 48 bits of v) as text, into buf. */
const char *out_mac(uint64_t v, char buf[18]);
/*
 * Integer value of entry d for output: a stored field, or a computed
 * one as nfdump prints it (rates in double arithmetic; ICMP type and
 * code 0 for other protocols; fields flowkit does not store 0).
 */
uint64_t out_computed(const struct fld_desc *d, const struct flowrec *r);

static inline uint64_t
out_value(const struct fld_desc *d, const struct flowrec *r)
{
	if (d->type != FT_NONE)
		return fld_get_u64(d, r);
	return out_computed(d, r);
}
/* Address of entry d (router: the exporter's, 0.0.0.0 if unknown). */
const struct nf_addr *out_addr_of(const struct fld_desc *d,
	    const struct flowrec *r, const struct nf_addr *router);
void	out_json_begin(struct output *o, struct obuf *b);
void	out_json_record(struct output *o, const struct flowrec *r,
	    const struct nf_addr *router, struct obuf *b);

#endif /* QUERY_OUTPUT_INT_H */
