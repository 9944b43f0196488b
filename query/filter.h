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
 * Memory: a filter holds its program (at most FILTER_MAX_INSNS tests of
 * 64 bytes) and its lists (ip/port/as in [...]): 8 bytes per number,
 * 16 per address or prefix, plus a hash of 2-4 slots of 4 bytes per
 * entry for address groups of FGROUP_HASH_MIN or more.
 */
#ifndef QUERY_FILTER_H
#define QUERY_FILTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/base/addr.h"
#include "common/base/flowrec.h"
#include "common/ffile/fcol.h"
#include "common/ffile/ffile.h"

/* Limits: longer or deeper input is refused with an error message. */
#define FILTER_MAX_INSNS	65000	/* tests in one program */
#define FILTER_MAX_DEPTH	1000	/* nesting of parentheses and not */
#define FILTER_MAX_SRC		(16u << 20)	/* bytes of filter text */

/*
 * What evaluation needs besides the record: the file's exporter table
 * (common/ffile/ffile.h), indexed by flowrec.exporter, for "router ip".  An
 * index >= nexporters, or no env at all, never matches "router ip".
 */
struct filter_env {
	const struct ffile_exporter *exporters;	/* borrowed */
	size_t		 nexporters;
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
 * Evaluate on one record (borrowed).  env may be NULL (then "router ip"
 * never matches).
 */
bool	filter_match(const struct filter *f, const struct flowrec *r,
	    const struct filter_env *env);

/*
 * Evaluate column-wise on rows 0..n-1 (n <= c->n) of a decoded block:
 * sel[i] becomes 1 if row i matches and 0 if not, the same answer as
 * filter_match() on each row.  Only the columns in filter_columns(f)
 * are read (they must be decoded; with FCOL_LAST, fcol_decode_finish()
 * must have run).  No allocation (scratch space is on the stack).
 * Returns the number of matching rows.
 */
size_t	filter_eval_block(const struct filter *f, const struct fcol *c,
	    const struct filter_env *env, uint8_t *sel, size_t n);

/*
 * Whether a record of the block whose index is ix (common/ffile/fidx.h)
 * may pass f: false only if none can, so the block need not be read.
 * Uses only the index; MAYBE answers of single tests are combined
 * through the program's and/or/not (query/fblock.c).
 */
struct fidx;
bool	filter_block_may_match(const struct filter *f, const struct fidx *ix,
	    const struct filter_env *env);

/*
 * Columns f reads, as FCOL_BIT(id) bits of common/ffile/fcol.h (pass to the
 * reader's column mask); 0 for a filter that matches everything.
 */
fcol_mask filter_columns(const struct filter *f);

/* Number of tests in the compiled program (0 for "any"), for -X style
 * diagnostics and tests. */
size_t	filter_size(const struct filter *f);

/*
 * Describe the compiled program, one test per line, into buf (always
 * NUL-terminated if len > 0).  Returns buf.
 */
char	*filter_dump(const struct filter *f, char *buf, size_t len);

#endif /* QUERY_FILTER_H */
