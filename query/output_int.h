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

#include "query/output.h"

struct fmt_item {
	int		 tok;		/* index into the token table; -1: lit */
	char		*lit;		/* owned; literal text */
	size_t		 litlen;
};

struct output {
	enum out_kind	 kind;
	struct out_opts	 opts;
	char		*spec;		/* owned; for output_clone() */
	struct fmt_item	*items;		/* owned */
	size_t		 nitems;
	char		*header;	/* owned; text formats */
	bool		 emitted;	/* output_emit() wrote something */
	/* time text cache (out_time): zone offset per UTC hour, date and
	   hour text per local hour */
	bool		 off_valid, loc_valid;
	int64_t		 off_hour, loc_hour;
	long		 gmtoff;		/* seconds east of UTC */
	char		 loc_pre[24];		/* "YYYY-MM-DD hh:" */
	char		 iso_off[8];		/* "+hh:mm" */
};

uint64_t out_dur_ms(const struct flowrec *r);
void	out_json_begin(struct output *o, struct obuf *b);
void	out_json_record(struct output *o, const struct flowrec *r,
	    const struct nf_addr *router, struct obuf *b);

#endif /* QUERY_OUTPUT_INT_H */
