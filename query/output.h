/*
 * query/output.h -- flowq's record printers: nfdump's -o line, long,
 * extended, csv, json, fmt:... plus ndjson and null, and the summary
 * lines (flowq(1), OUTPUT).
 *
 * Layouts, column widths, headers and number scaling follow nfdump
 * 1.7.1 byte for byte where the flow record has the field; see
 * man/flowq.1 for the differences (CSV and JSON times are ISO 8601 with
 * an explicit offset, JSON field names are IPFIX information-element
 * names).  Times print in the local zone of TZ.
 *
 * A struct output is not shared between threads: each worker uses its
 * own output_clone().  Everything is written into an obuf.
 */
#ifndef QUERY_OUTPUT_H
#define QUERY_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/base/addr.h"
#include "common/base/flowrec.h"
#include "query/obuf.h"

enum out_kind {
	OUT_LINE, OUT_LONG, OUT_EXTENDED, OUT_FMT,	/* fmt-driven text */
	OUT_CSV, OUT_JSON, OUT_NDJSON, OUT_NULL,
};

struct out_opts {
	bool		v6full;		/* -6: full IPv6 text, 39 columns */
	bool		plain;		/* -N: no M/G/T scaling */
};

/* Totals and counters behind the summary lines. */
struct out_summary {
	uint64_t	flows, packets, bytes;	/* of the records that passed */
	uint64_t	first_ms, last_ms;	/* time window of the data */
	uint64_t	processed, passed;
	uint64_t	blocks_skipped, blocks_corrupt;
	uint64_t	bytes_read;
	uint64_t	pass_first_ms, pass_last_ms; /* of the records that
					   passed: the rates' duration, as
					   nfdump computes them */
};

struct output;				/* opaque */

/*
 * Parse an -o argument: line, long, extended, csv, json, ndjson, null,
 * fmt:TEXT, or a text format name with "6" appended (line6, long6,
 * extended6) meaning -6.  Returns NFE_OK or NFE_INVAL with a message in
 * err.
 */
int	output_new(const char *spec, const struct out_opts *opts,
	    struct output **out, char *err, size_t errlen);
/* A copy for another thread.  Never fails (fatal on OOM). */
struct output *output_clone(const struct output *o);
void	output_free(struct output *o);
enum out_kind output_kind(const struct output *o);
const struct out_opts *output_opts(const struct output *o);

/* The query joined (flowq --sessions): JR_JOINED members null when unknown. */
void	output_set_joined(struct output *o);

/* Header line (text, csv) or "[" (json). */
void	output_begin(struct output *o, struct obuf *b);
/*
 * One record.  router is the exporter address (borrowed; NULL if
 * unknown).  JSON array records are written with a leading ",\n";
 * output_emit() drops it before the first one.
 */
void	output_record(struct output *o, const struct flowrec *r,
	    const struct nf_addr *router, struct obuf *b);
/* Write b to f (stripping the first JSON separator) and reset it. */
int	output_emit(struct output *o, struct obuf *b, FILE *f);
/* "]" (json) or nothing. */
void	output_end(struct output *o, struct obuf *b);
/* "No matching flows", the Summary, Time window and Total lines. */
void	output_summary(struct output *o, const struct out_summary *s,
	    struct obuf *b);

/*
 * The printf-like fmt text for -A keys: "%ts %td <keys> %pkt %byt %bps
 * %bpp %fl", as nfdump builds it.  keys is a space-separated token
 * list ("%sa %dp").
 */
void	output_agg_format(const char *keys, char *buf, size_t len);

/* Helpers shared with topn.c. */
#define OUT_NUMLEN	32
char	*out_number(uint64_t v, bool plain, char *buf, size_t len);
char	*out_duration(uint64_t ms, bool plain, char *buf, size_t len);
const char *out_proto(uint8_t proto, bool plain, char *buf, size_t len);
char	*out_addr(const struct nf_addr *a, bool v6full, char *buf, size_t len);
char	*out_flags(uint8_t flags, char *buf, size_t len);	/* 9 bytes */
struct fld_desc;
/*
 * An integer field that prints as text, by its kind: a MAC address, an
 * MPLS entry (label-EXP-S), an application id (engine..selector).
 * Returns buf.
 */
const char *out_value_text(const struct fld_desc *d, uint64_t v, char *buf,
	    size_t len);
void	out_time(struct output *o, uint64_t ms, bool iso, struct obuf *b);
void	out_json_str(struct obuf *b, const char *s);
/* len bytes as a JSON string; bytes that are not UTF-8 become U+FFFD. */
void	out_json_strn(struct obuf *b, const char *s, size_t len);
/* len bytes as text: control characters become '?'. */
void	out_text(struct obuf *b, const char *s, size_t len, int width);
/* Rates as nfdump computes them: 0 when the duration is 0. */
uint64_t out_pps(uint64_t packets, uint64_t ms);
uint64_t out_bps(uint64_t bytes, uint64_t ms);
uint64_t out_bpp(uint64_t bytes, uint64_t packets);

#endif /* QUERY_OUTPUT_H */
