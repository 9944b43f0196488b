/*
 * common/prog/optconf.h -- one option table per program, read from the
 * command line (getopt_long) and from a configuration file
 * (flowkit.conf(5)), so that every option is also a configuration key
 * of the same name and an option added to the table is a key at once.
 *
 * File format: one "key = value" per line; blank lines and lines whose
 * first non-blank character is '#' are ignored.  The key is the long
 * option name; the value is the rest of the line after '=', without
 * the blanks around it (no quoting, no escapes: '#' inside a value is
 * part of it).  A flag (an option without argument) takes yes/no,
 * true/false, on/off or 1/0.  A key may appear once, unless its option
 * is repeatable (OPTCONF_REPEAT).
 *
 * Precedence: the command line overrides the file.  An option given on
 * the command line replaces every setting of that key in the file; for
 * a repeatable option the command line's list replaces the file's list
 * (it does not add to it).  Settings are applied file first, in file
 * order, then the command line, in its order.
 *
 * Reload (SIGHUP): optconf_reread() reads the file again under the same
 * command line; optconf_changed() says which options now have other
 * values; the program applies those whose row says OPTCONF_RELOAD and
 * reports the others as needing a restart; optconf_commit() then keeps
 * the new values of what was applied and the old ones of the rest, so
 * the next reload compares against what really runs.
 *
 * Errors never exit here: they come back as NFE_INVAL with a message in
 * err that names the place ("FILE:LINE: key: ..." or "-p: ..." /
 * "--port: ...").  Programs exit with OPTCONF_EXIT_FILE (255) for an
 * error in a file and 1 for one on the command line
 * (optconf_exit_status()).
 */
#ifndef COMMON_PROG_OPTCONF_H
#define COMMON_PROG_OPTCONF_H

#include <stdbool.h>
#include <stddef.h>

#define OPTCONF_MAX_LINE	4096	/* bytes in one line, newline included */
#define OPTCONF_MAX_ITEMS	4096	/* settings in one file (and on the
					   command line) */
#define OPTCONF_LONG_ONLY	256	/* ids from here have no short letter */
#define OPTCONF_EXIT_FILE	255	/* exit status for a bad file */
#define OPTCONF_EXIT_ARGV	1	/* exit status for a bad command line */

/* Row flags. */
#define OPTCONF_REPEAT	0x01	/* may be given more than once */
#define OPTCONF_NOFILE	0x02	/* command line only (help, version,
				   config) */
#define OPTCONF_NOARGV	0x04	/* file only: a key the program checks but
				   another program uses (flowexpire's
				   limits in flowcapd.conf) */
#define OPTCONF_RELOAD	0x08	/* the program applies a new value on
				   SIGHUP without a restart */

enum optconf_arg {
	OPTCONF_FLAG,		/* no argument */
	OPTCONF_VALUE		/* one argument */
};

/*
 * One option.  id is the short letter ('l' for -l) or a value from
 * OPTCONF_LONG_ONLY up for a long-only option; it is what the program's
 * apply function switches on.  alias is a second letter for the same
 * option (-w for -l in flowcapd), or 0.
 */
struct optconf_opt {
	const char	*name;		/* long option and configuration key */
	int		 id;
	char		 alias;
	enum optconf_arg arg;
	unsigned	 flags;		/* OPTCONF_* */
};

/* One setting, from the command line (file == NULL) or a file. */
struct optconf_item {
	const struct optconf_opt *opt;	/* borrowed: a row of the table */
	char		*value;		/* owned; "1"/"0" for a flag */
	const char	*file;		/* borrowed (the list's path); NULL
					   for the command line */
	unsigned	 line;		/* file line; argv index otherwise */
	bool		 as_long;	/* given as --name (else -x) */
};

/*
 * The settings of one program: the table, the file's path and the
 * items in the order they are applied (file, then command line).
 */
struct optconf {
	const struct optconf_opt *tab;	/* borrowed, static */
	size_t		 ntab;
	const struct optconf_opt *other; /* borrowed: keys of another program
					   sharing the file, skipped */
	size_t		 nother;
	char		*path;		/* owned: file read, NULL if none */
	struct optconf_item *items;	/* owned */
	size_t		 n, cap;
};

/* Start an empty set of settings for table tab[0..ntab-1]. */
void	optconf_init(struct optconf *oc, const struct optconf_opt *tab,
	    size_t ntab);

/*
 * Keys of another program that may appear in the same file (flowexpire
 * reads flowcapd.conf): accepted and ignored.  Borrowed, static.
 */
void	optconf_share(struct optconf *oc, const struct optconf_opt *other,
	    size_t nother);

/* Free the items and the path; oc can be initialized again. */
void	optconf_fini(struct optconf *oc);

/*
 * Check a table: names unique and made of [a-z0-9-], ids and letters
 * unique, letters usable by getopt.  Returns NFE_OK or NFE_INVAL with
 * the offending row in err.  For tests.
 */
int	optconf_check_table(const struct optconf_opt *tab, size_t ntab,
	    char *err, size_t errlen);

/*
 * Parse argv with getopt_long from the table, recording every option
 * given (OPTCONF_NOARGV rows are not options).  On success *first_arg
 * is the index of the first operand.  Returns NFE_OK; NFE_INVAL for an
 * unknown option or a missing argument (getopt has printed its
 * message; err is empty) or too many options (message in err);
 * NFE_NOMEM.  Resets getopt (optind = 1) first.
 */
int	optconf_argv(struct optconf *oc, int argc, char **argv,
	    int *first_arg, char *err, size_t errlen);

/*
 * Read the file at path and merge its settings under those already
 * taken from the command line (see the precedence rules above).  With
 * must_exist false a missing file (ENOENT) is not an error and reads
 * nothing.  Returns NFE_OK, NFE_INVAL (a syntax error, an unknown,
 * duplicate or command-line-only key, a bad flag value; message
 * "path:line: ..." in err), NFE_IO (cannot read; message in err) or
 * NFE_NOMEM.  Call at most once per set, after optconf_argv().
 */
int	optconf_read(struct optconf *oc, const char *path, bool must_exist,
	    char *err, size_t errlen);

/*
 * Apply each item in order: fn gets the item and returns NFE_OK, or
 * NFE_INVAL with a message (without the place) in err.  On the first
 * failure optconf_apply stops and returns it, with err rewritten as
 * "PLACE: message", or "PLACE message" when the message starts with the
 * value and a colon ("-T both: expected full, proto or ip"); *bad (if not NULL) is
 * the failing item.
 */
typedef int optconf_apply_fn(void *arg, const struct optconf_item *it,
	    char *err, size_t errlen);
int	optconf_apply(const struct optconf *oc, optconf_apply_fn *fn,
	    void *arg, const struct optconf_item **bad, char *err,
	    size_t errlen);

/*
 * Where an item comes from, for messages: "FILE:LINE: key", "-x" or
 * "--name".  Returns buf.
 */
const char *optconf_place(const struct optconf_item *it, char *buf,
	    size_t len);

/* OPTCONF_EXIT_FILE for an item from a file, OPTCONF_EXIT_ARGV else. */
int	optconf_exit_status(const struct optconf_item *it);

/* A flag item's value: true for "1". */
bool	optconf_flag(const struct optconf_item *it);

/*
 * Parse a yes/no word: yes true on 1 / no false off 0 (any case).
 * Returns NFE_OK or NFE_INVAL.
 */
int	optconf_parse_bool(const char *s, bool *out);

/*
 * The table row named name, or NULL.  With a row that is not found, a
 * nearest name (by edit distance, for "did you mean") can be asked with
 * optconf_suggest(), or NULL if none is close.
 */
const struct optconf_opt *optconf_find(const struct optconf_opt *tab,
	    size_t ntab, const char *name);
const char *optconf_suggest(const struct optconf_opt *tab, size_t ntab,
	    const char *name);

/*
 * Reload: a new set next with cur's table, cur's command-line items and
 * the file at cur->path read again.  Returns what optconf_read() does.
 * next is initialized in every case (optconf_fini() it).  With no file
 * (cur->path NULL) next holds the command line only.
 */
int	optconf_reread(const struct optconf *cur, struct optconf *next,
	    char *err, size_t errlen);

/*
 * True if opt has other values in a than in b (compared as the ordered
 * list of its values; "given" vs "not given" counts).
 */
bool	optconf_changed(const struct optconf *a, const struct optconf *b,
	    const struct optconf_opt *opt);

/*
 * The values of opt in oc, in order: up to max pointers (borrowed, valid
 * while oc is) in vals; returns how many there are (may exceed max).
 * The last one is what a non-repeatable option holds.
 */
size_t	optconf_values(const struct optconf *oc, const struct optconf_opt *opt,
	    const char **vals, size_t max);

/* The item that last set opt in oc, or NULL. */
const struct optconf_item *optconf_last(const struct optconf *oc,
	    const struct optconf_opt *opt);

/*
 * After a reload: make cur hold next's items for the rows with
 * applied[row] true and keep its own items for the others (row index
 * into the table).  next's remaining items are freed and next is left
 * empty (optconf_fini() it).  Items keep their storage when they move,
 * so pointers the program holds into values of unchanged or kept
 * options stay valid.  Returns NFE_OK or NFE_NOMEM (cur unchanged).
 */
int	optconf_commit(struct optconf *cur, struct optconf *next,
	    const bool *applied);

#endif /* COMMON_PROG_OPTCONF_H */
