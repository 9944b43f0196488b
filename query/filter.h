/*
 * query/filter.h -- nfdump's filter language for flowq: compile a filter
 * expression once, then evaluate it on single records or column-wise
 * over a block of decoded columns.  The language is documented in
 * flowkit-filter(7).
 *
 * A compiled filter is a flat program of tests with true/false jump
 * targets (nfdump's idea); every jump goes forward, so evaluation is a
 * loop that always ends, with no recursion and no allocation.  A
 * compiled filter is read-only: any number of threads may evaluate it
 * at once.  Compilation keeps no global state (pure bison parser,
 * reentrant flex scanner), so filters can be compiled concurrently.
 *
 * Memory: a filter holds its program (at most FILTER_MAX_INSNS tests)
 * and its lists (ip/port/as in [...]), about 48 bytes per test plus 16
 * bytes per list entry.
 */
#ifndef QUERY_FILTER_H
#define QUERY_FILTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/addr.h"
#include "common/flowrec.h"

/* Limits: longer or deeper input is refused with an error message. */
#define FILTER_MAX_INSNS	65000	/* tests in one program */
#define FILTER_MAX_DEPTH	1000	/* nesting of parentheses and not */
#define FILTER_MAX_SRC		(16u << 20)	/* bytes of filter text */

/*
 * Columns a filter reads, as bits of the mask filter_columns() returns.
 * One bit per field of struct flowrec (common/flowrec.h).
 */
enum filter_col {
	FCOL_FIRST	= 1u << 0,	/* first_ms */
	FCOL_LAST	= 1u << 1,	/* last_ms */
	FCOL_PACKETS	= 1u << 2,
	FCOL_BYTES	= 1u << 3,
	FCOL_SRC	= 1u << 4,
	FCOL_DST	= 1u << 5,
	FCOL_NEXTHOP	= 1u << 6,
	FCOL_IN_IF	= 1u << 7,
	FCOL_OUT_IF	= 1u << 8,
	FCOL_SRC_AS	= 1u << 9,
	FCOL_DST_AS	= 1u << 10,
	FCOL_FLOWS	= 1u << 11,
	FCOL_SRC_PORT	= 1u << 12,
	FCOL_DST_PORT	= 1u << 13,
	FCOL_SRC_VLAN	= 1u << 14,
	FCOL_DST_VLAN	= 1u << 15,
	FCOL_EXPORTER	= 1u << 16,	/* exporter index; see router ip */
	FCOL_AF		= 1u << 17,
	FCOL_PROTO	= 1u << 18,
	FCOL_TCP_FLAGS	= 1u << 19,
	FCOL_TOS	= 1u << 20,
	FCOL_SRC_MASK	= 1u << 21,
	FCOL_DST_MASK	= 1u << 22,
	FCOL_ENGINE_TYPE = 1u << 23,
	FCOL_ENGINE_ID	= 1u << 24,
};

/*
 * Decoded columns of one block, for filter_eval_block().  Row i of the
 * block is element i of every array.  Every pointer is borrowed; only
 * the columns named by filter_columns() need to be set, the others may
 * be NULL.  exporters maps a record's exporter index to the exporter's
 * address (the file's exporter table); an index >= nexporters has no
 * address and never matches "router ip".
 */
struct filter_cols {
	const uint64_t		*first_ms, *last_ms, *packets, *bytes;
	const struct nf_addr	*src, *dst, *nexthop;
	const uint32_t		*in_if, *out_if, *src_as, *dst_as, *flows;
	const uint16_t		*src_port, *dst_port, *src_vlan, *dst_vlan;
	const uint16_t		*exporter;
	const uint8_t		*af, *proto, *tcp_flags, *tos;
	const uint8_t		*src_mask, *dst_mask, *engine_type, *engine_id;
	const struct nf_addr	*exporters;	/* borrowed; index -> address */
	size_t			 nexporters;
};

struct filter;

/*
 * Compile the filter text src (NUL-terminated; may span lines, '#'
 * starts a comment to the end of a line).  Empty text, or text with
 * only comments, matches every record.  On success sets *out to a new
 * filter (owned by the caller; free with filter_free()) and returns
 * NFE_OK.  On failure sets *out to NULL, writes a one-line message to
 * err (if errlen > 0) of the form
 *	line 1, column 5: unexpected 'nett', expected ...
 * and returns NFE_INVAL (bad filter), NFE_LIMIT (a FILTER_MAX_* bound)
 * or NFE_NOMEM.
 */
int	filter_compile(const char *src, struct filter **out, char *err,
	    size_t errlen);

/* Free a filter; NULL is a no-op. */
void	filter_free(struct filter *f);

/*
 * Evaluate on one record (borrowed).  filter_match() has no exporter
 * table, so "router ip" never matches; filter_match_ex() looks the
 * record's exporter index up in exporters[0..nexporters).
 */
bool	filter_match(const struct filter *f, const struct flowrec *r);
bool	filter_match_ex(const struct filter *f, const struct flowrec *r,
	    const struct nf_addr *exporters, size_t nexporters);

/*
 * Evaluate on rows 0..n-1 of a block: sel[i] becomes 1 if row i matches
 * and 0 if not.  Gives the same answer as filter_match_ex() on each row.
 * No allocation (scratch space is on the stack).  Returns the number of
 * matching rows.
 */
size_t	filter_eval_block(const struct filter *f, const struct filter_cols *c,
	    uint8_t *sel, size_t n);

/* FCOL_* bits of the columns f reads; 0 for a filter that matches all. */
uint32_t filter_columns(const struct filter *f);

/* Number of tests in the compiled program (0 for "any"), for -X style
 * diagnostics and tests. */
size_t	filter_size(const struct filter *f);

/*
 * Describe the compiled program, one test per line, into buf (always
 * NUL-terminated if len > 0).  Returns buf.
 */
char	*filter_dump(const struct filter *f, char *buf, size_t len);

#endif /* QUERY_FILTER_H */
