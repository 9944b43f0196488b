/*
 * common/prog/optconf.c -- command line and configuration file from one
 * option table (common/prog/optconf.h; the file format is
 * flowkit.conf(5)).  Never exits and never logs: every error is a code
 * and a message naming the file and line or the option.
 */
#include "common/base/compat.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/base/nferr.h"
#include "common/prog/optconf.h"

void
optconf_init(struct optconf *oc, const struct optconf_opt *tab, size_t ntab)
{
	memset(oc, 0, sizeof(*oc));
	oc->tab = tab;
	oc->ntab = ntab;
}

void
optconf_share(struct optconf *oc, const struct optconf_opt *other,
    size_t nother)
{
	oc->other = other;
	oc->nother = nother;
}

void
optconf_fini(struct optconf *oc)
{
	for (size_t i = 0; i < oc->n; i++)
		free(oc->items[i].value);
	free(oc->items);
	free(oc->path);
	oc->items = NULL;
	oc->path = NULL;
	oc->n = oc->cap = 0;
}

static NF_PRINTF(3, 4) int
fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return NFE_INVAL;
}

static bool
name_ok(const char *s)
{
	if (*s == '\0' || *s == '-')
		return false;
	for (; *s != '\0'; s++)
		if (!(islower((unsigned char)*s) || isdigit((unsigned char)*s) ||
		    *s == '-'))
			return false;
	return true;
}

static bool
letter_ok(int c)
{
	return c > 0 && c < 128 && isalnum(c);
}

int
optconf_check_table(const struct optconf_opt *tab, size_t ntab, char *err,
    size_t errlen)
{
	for (size_t i = 0; i < ntab; i++) {
		const struct optconf_opt *o = &tab[i];

		if (o->name == NULL || !name_ok(o->name))
			return fail(err, errlen, "row %zu: bad name", i);
		if (o->id < OPTCONF_LONG_ONLY && !letter_ok(o->id))
			return fail(err, errlen, "%s: bad letter", o->name);
		if (o->alias != 0 && (!letter_ok(o->alias) ||
		    o->id >= OPTCONF_LONG_ONLY))
			return fail(err, errlen, "%s: bad alias", o->name);
		if ((o->flags & OPTCONF_NOARGV) && (o->id < OPTCONF_LONG_ONLY ||
		    (o->flags & OPTCONF_NOFILE)))
			return fail(err, errlen, "%s: a file-only key has a "
			    "letter or is command-line only", o->name);
		for (size_t j = 0; j < i; j++) {
			const struct optconf_opt *p = &tab[j];

			if (strcmp(o->name, p->name) == 0)
				return fail(err, errlen, "%s: name twice",
				    o->name);
			if (o->id == p->id)
				return fail(err, errlen, "%s: same id as %s",
				    o->name, p->name);
			if (o->alias != 0 && (o->alias == p->id ||
			    o->alias == p->alias))
				return fail(err, errlen, "%s: alias taken",
				    o->name);
			if (p->alias != 0 && p->alias == o->id)
				return fail(err, errlen, "%s: letter is %s's "
				    "alias", o->name, p->name);
		}
	}
	return NFE_OK;
}

static int
grow(struct optconf_item **items, size_t *cap, size_t need)
{
	struct optconf_item *p;
	size_t ncap;

	if (need <= *cap)
		return NFE_OK;
	ncap = *cap == 0 ? 16 : *cap * 2;
	while (ncap < need)
		ncap *= 2;
	if ((p = realloc(*items, ncap * sizeof(*p))) == NULL)
		return NFE_NOMEM;
	*items = p;
	*cap = ncap;
	return NFE_OK;
}

static int
push(struct optconf *oc, const struct optconf_opt *opt, const char *value,
    const char *file, unsigned line, bool as_long)
{
	struct optconf_item *it;
	char *v;

	if (grow(&oc->items, &oc->cap, oc->n + 1) != NFE_OK ||
	    (v = strdup(value)) == NULL)
		return NFE_NOMEM;
	it = &oc->items[oc->n++];
	it->opt = opt;
	it->value = v;
	it->file = file;
	it->line = line;
	it->as_long = as_long;
	return NFE_OK;
}

static const struct optconf_opt *
find_id(const struct optconf_opt *tab, size_t ntab, int id)
{
	for (size_t i = 0; i < ntab; i++)
		if (tab[i].id == id || (tab[i].alias != 0 &&
		    tab[i].alias == id))
			return &tab[i];
	return NULL;
}

int
optconf_argv(struct optconf *oc, int argc, char **argv, int *first_arg,
    char *err, size_t errlen)
{
	struct option *lo;
	char *shorts, *s;
	size_t nlo = 0, given = 0;
	int ch, li, rc = NFE_OK;

	err[0] = '\0';
	lo = calloc(oc->ntab + 1, sizeof(*lo));
	shorts = malloc(oc->ntab * 3 * 2 + 2);
	if (lo == NULL || shorts == NULL) {
		free(lo);
		free(shorts);
		return NFE_NOMEM;
	}
	s = shorts;
	*s++ = ':';		/* missing argument: ':' instead of '?' */
	for (size_t i = 0; i < oc->ntab; i++) {
		const struct optconf_opt *o = &oc->tab[i];
		int has = o->arg == OPTCONF_VALUE ? required_argument :
		    no_argument;

		if (o->flags & OPTCONF_NOARGV)
			continue;
		lo[nlo].name = o->name;
		lo[nlo].has_arg = has;
		lo[nlo].val = o->id;
		nlo++;
		if (o->id < OPTCONF_LONG_ONLY) {
			*s++ = (char)o->id;
			if (has == required_argument)
				*s++ = ':';
		}
		if (o->alias != 0) {
			*s++ = o->alias;
			if (has == required_argument)
				*s++ = ':';
		}
	}
	*s = '\0';
	optind = 1;
	opterr = 0;		/* messages are ours, in err */
	for (;;) {
		const struct optconf_opt *o;

		li = -1;
		ch = getopt_long(argc, argv, shorts, lo, &li);
		if (ch == -1)
			break;
		if (ch == '?' || ch == ':') {
			const char *what = argv[optind - 1];

			if (optopt != 0 && optopt < OPTCONF_LONG_ONLY &&
			    strncmp(what, "--", 2) != 0)
				rc = fail(err, errlen, ch == ':' ? "-%c: "
				    "needs a value" : "-%c: unknown option",
				    optopt);
			else if (ch == ':')
				rc = fail(err, errlen, "%s: needs a value", what);
			else
				rc = fail(err, errlen, "%s: unknown option",
				    what);
			break;
		}
		if ((o = find_id(oc->tab, oc->ntab, ch)) == NULL) {
			rc = fail(err, errlen, "internal: option %d", ch);
			break;
		}
		if (++given > OPTCONF_MAX_ITEMS) {
			rc = fail(err, errlen, "more than %d options",
			    OPTCONF_MAX_ITEMS);
			break;
		}
		if ((rc = push(oc, o, o->arg == OPTCONF_VALUE ? optarg : "1",
		    NULL, (unsigned)(optind - 1), li >= 0)) != NFE_OK)
			break;
	}
	free(lo);
	free(shorts);
	*first_arg = optind;
	return rc;
}

int
optconf_parse_bool(const char *s, bool *out)
{
	static const char *const yes[] = { "yes", "true", "on", "1" };
	static const char *const no[] = { "no", "false", "off", "0" };

	for (size_t i = 0; i < NF_NELEM(yes); i++) {
		if (strcasecmp(s, yes[i]) == 0) {
			*out = true;
			return NFE_OK;
		}
		if (strcasecmp(s, no[i]) == 0) {
			*out = false;
			return NFE_OK;
		}
	}
	return NFE_INVAL;
}

const struct optconf_opt *
optconf_find(const struct optconf_opt *tab, size_t ntab, const char *name)
{
	for (size_t i = 0; i < ntab; i++)
		if (strcmp(tab[i].name, name) == 0)
			return &tab[i];
	return NULL;
}

/*
 * Edit distance counting a swap of two neighbours as one edit (optimal
 * string alignment), for "did you mean"; names are short.
 */
static size_t
distance(const char *a, const char *b)
{
	unsigned char d[64][64];
	size_t la = strlen(a), lb = strlen(b), v;

	if (la >= NF_NELEM(d) || lb >= NF_NELEM(d))
		return SIZE_MAX;
	for (size_t i = 0; i <= la; i++)
		d[i][0] = (unsigned char)i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = (unsigned char)j;
	for (size_t i = 1; i <= la; i++) {
		for (size_t j = 1; j <= lb; j++) {
			v = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
			if (d[i - 1][j] + 1U < v)
				v = d[i - 1][j] + 1U;
			if (d[i][j - 1] + 1U < v)
				v = d[i][j - 1] + 1U;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1U < v)
				v = d[i - 2][j - 2] + 1U;
			d[i][j] = (unsigned char)v;
		}
	}
	return d[la][lb];
}

const char *
optconf_suggest(const struct optconf_opt *tab, size_t ntab,
    const char *name)
{
	const char *best = NULL;
	size_t bestd = SIZE_MAX, d, len = strlen(name);

	for (size_t i = 0; i < ntab; i++) {
		if (tab[i].flags & OPTCONF_NOFILE)
			continue;
		d = distance(name, tab[i].name);
		if (d < bestd) {
			bestd = d;
			best = tab[i].name;
		}
	}
	/* close: at most 2 edits, and fewer than half the letters */
	return bestd <= 2 && bestd * 2 < len ? best : NULL;
}

static bool
given_on_argv(const struct optconf *oc, const struct optconf_opt *opt)
{
	for (size_t i = 0; i < oc->n; i++)
		if (oc->items[i].file == NULL && oc->items[i].opt == opt)
			return true;
	return false;
}

static char *
trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

/*
 * One line (NUL-terminated, newline removed) into items[] (the file's
 * own list).  first_line[] remembers where each non-repeatable row was
 * set, for the duplicate message.
 */
static int
parse_line(struct optconf *oc, struct optconf_item **items, size_t *n,
    size_t *cap, unsigned *first_line, char *line, unsigned lno,
    char *err, size_t errlen)
{
	const struct optconf_opt *o;
	const char *sug, *path = oc->path;
	char *key, *val, *eq;
	bool b;
	size_t row;

	key = trim(line);
	if (*key == '\0' || *key == '#')
		return NFE_OK;
	if ((eq = strchr(key, '=')) == NULL)
		return fail(err, errlen, "%s:%u: expected 'key = value', got "
		    "'%.60s'", path, lno, key);
	*eq = '\0';
	val = trim(eq + 1);
	key = trim(key);
	if (*key == '\0')
		return fail(err, errlen, "%s:%u: a key is missing before '='",
		    path, lno);
	if ((o = optconf_find(oc->tab, oc->ntab, key)) == NULL) {
		if (optconf_find(oc->other, oc->nother, key) != NULL)
			return NFE_OK;	/* another program's key */
		if ((sug = optconf_suggest(oc->tab, oc->ntab, key)) != NULL)
			return fail(err, errlen, "%s:%u: unknown key '%.60s' "
			    "(did you mean '%s'?)", path, lno, key, sug);
		return fail(err, errlen, "%s:%u: unknown key '%.60s'", path,
		    lno, key);
	}
	if (o->flags & OPTCONF_NOFILE)
		return fail(err, errlen, "%s:%u: %s: only on the command line",
		    path, lno, key);
	row = (size_t)(o - oc->tab);
	if (!(o->flags & OPTCONF_REPEAT)) {
		if (first_line[row] != 0)
			return fail(err, errlen, "%s:%u: %s: already set at "
			    "line %u (only repeatable keys may repeat)",
			    path, lno, key, first_line[row]);
		first_line[row] = lno;
	}
	if (*val == '\0')
		return fail(err, errlen, "%s:%u: %s: needs a value", path,
		    lno, key);
	if (o->arg == OPTCONF_FLAG) {
		if (optconf_parse_bool(val, &b) != NFE_OK)
			return fail(err, errlen, "%s:%u: %s: '%.60s' is not "
			    "yes or no", path, lno, key, val);
		val = b ? "1" : "0";
	}
	if (given_on_argv(oc, o))
		return NFE_OK;		/* the command line overrides it */
	if (*n >= OPTCONF_MAX_ITEMS)
		return fail(err, errlen, "%s:%u: more than %d settings", path,
		    lno, OPTCONF_MAX_ITEMS);
	if (grow(items, cap, *n + 1) != NFE_OK ||
	    ((*items)[*n].value = strdup(val)) == NULL)
		return NFE_NOMEM;
	(*items)[*n].opt = o;
	(*items)[*n].file = path;
	(*items)[*n].line = lno;
	(*items)[*n].as_long = true;
	(*n)++;
	return NFE_OK;
}

/*
 * Read one line into buf (without its newline), at most
 * OPTCONF_MAX_LINE - 1 bytes.  Returns 1 for a line, 0 at end of file,
 * -1 for a line too long, -2 for a NUL byte, -3 for a read error.
 */
static int
get_line(FILE *f, char *buf)
{
	size_t len = 0;
	int c;

	while ((c = getc(f)) != EOF && c != '\n') {
		if (c == '\0')
			return -2;
		if (len == OPTCONF_MAX_LINE - 1)
			return -1;
		buf[len++] = (char)c;
	}
	buf[len] = '\0';
	if (c == EOF && ferror(f))
		return -3;
	return c == EOF && len == 0 ? 0 : 1;
}

static int
read_lines(struct optconf *oc, FILE *f, struct optconf_item **items,
    size_t *n, size_t *cap, char *err, size_t errlen)
{
	char buf[OPTCONF_MAX_LINE];
	unsigned *first_line, lno = 0;
	int rc = NFE_OK, got;

	if ((first_line = calloc(oc->ntab + 1, sizeof(*first_line))) == NULL)
		return NFE_NOMEM;
	while (rc == NFE_OK && (got = get_line(f, buf)) != 0) {
		lno++;
		if (got == -1)
			rc = fail(err, errlen, "%s:%u: line longer than %d "
			    "bytes", oc->path, lno, OPTCONF_MAX_LINE - 1);
		else if (got == -2)
			rc = fail(err, errlen, "%s:%u: a NUL byte in the line",
			    oc->path, lno);
		else if (got == -3) {
			snprintf(err, errlen, "%s: %s", oc->path,
			    strerror(errno));
			rc = NFE_IO;
		} else
			rc = parse_line(oc, items, n, cap, first_line, buf,
			    lno, err, errlen);
	}
	free(first_line);
	return rc;
}

int
optconf_read(struct optconf *oc, const char *path, bool must_exist,
    char *err, size_t errlen)
{
	struct optconf_item *items = NULL;
	size_t n = 0, cap = 0;
	FILE *f;
	int rc;

	err[0] = '\0';
	if ((f = fopen(path, "r")) == NULL) {
		if (errno == ENOENT && !must_exist)
			return NFE_OK;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NFE_IO;
	}
	free(oc->path);
	if ((oc->path = strdup(path)) == NULL) {
		fclose(f);
		return NFE_NOMEM;
	}
	rc = read_lines(oc, f, &items, &n, &cap, err, errlen);
	fclose(f);
	if (rc == NFE_OK)
		rc = grow(&items, &cap, n + oc->n);
	if (rc != NFE_OK) {
		for (size_t i = 0; i < n; i++)
			free(items[i].value);
		free(items);
		return rc;
	}
	/* the file's settings go first, the command line's after them */
	if (oc->n > 0)
		memcpy(items + n, oc->items, oc->n * sizeof(*items));
	free(oc->items);
	oc->items = items;
	oc->n += n;
	oc->cap = cap;
	return NFE_OK;
}

const char *
optconf_place(const struct optconf_item *it, char *buf, size_t len)
{
	if (it->file != NULL)
		snprintf(buf, len, "%s:%u: %s", it->file, it->line,
		    it->opt->name);
	else if (it->as_long || it->opt->id >= OPTCONF_LONG_ONLY)
		snprintf(buf, len, "--%s", it->opt->name);
	else
		snprintf(buf, len, "-%c", it->opt->id);
	return buf;
}

int
optconf_apply(const struct optconf *oc, optconf_apply_fn *fn, void *arg,
    const struct optconf_item **bad, char *err, size_t errlen)
{
	char msg[1024], place[512];
	int rc;

	for (size_t i = 0; i < oc->n; i++) {
		msg[0] = '\0';
		if ((rc = fn(arg, &oc->items[i], msg, sizeof(msg))) !=
		    NFE_OK) {
			const char *v = oc->items[i].value;
			size_t vl = strlen(v);

			/* "-T both: expected ...", not "-T: both: ..." */
			snprintf(err, errlen, "%s%s%s", optconf_place(
			    &oc->items[i], place, sizeof(place)),
			    vl > 0 && strncmp(msg, v, vl) == 0 &&
			    msg[vl] == ':' ? " " : ": ",
			    msg);
			if (bad != NULL)
				*bad = &oc->items[i];
			return rc;
		}
	}
	return NFE_OK;
}

int
optconf_exit_status(const struct optconf_item *it)
{
	return it != NULL && it->file != NULL ? OPTCONF_EXIT_FILE :
	    OPTCONF_EXIT_ARGV;
}

bool
optconf_flag(const struct optconf_item *it)
{
	return strcmp(it->value, "1") == 0;
}

int
optconf_reread(const struct optconf *cur, struct optconf *next, char *err,
    size_t errlen)
{
	err[0] = '\0';
	optconf_init(next, cur->tab, cur->ntab);
	optconf_share(next, cur->other, cur->nother);
	for (size_t i = 0; i < cur->n; i++) {
		const struct optconf_item *it = &cur->items[i];

		if (it->file == NULL && push(next, it->opt, it->value, NULL,
		    it->line, it->as_long) != NFE_OK)
			return NFE_NOMEM;
	}
	if (cur->path == NULL)
		return NFE_OK;
	return optconf_read(next, cur->path, true, err, errlen);
}

size_t
optconf_values(const struct optconf *oc, const struct optconf_opt *opt,
    const char **vals, size_t max)
{
	size_t k = 0;

	for (size_t i = 0; i < oc->n; i++) {
		if (oc->items[i].opt != opt)
			continue;
		if (k < max)
			vals[k] = oc->items[i].value;
		k++;
	}
	return k;
}

const struct optconf_item *
optconf_last(const struct optconf *oc, const struct optconf_opt *opt)
{
	for (size_t i = oc->n; i-- > 0;)
		if (oc->items[i].opt == opt)
			return &oc->items[i];
	return NULL;
}

bool
optconf_changed(const struct optconf *a, const struct optconf *b,
    const struct optconf_opt *opt)
{
	size_t i = 0, j = 0;

	for (;;) {
		while (i < a->n && a->items[i].opt != opt)
			i++;
		while (j < b->n && b->items[j].opt != opt)
			j++;
		if (i == a->n || j == b->n)
			return (i == a->n) != (j == b->n);
		if (strcmp(a->items[i].value, b->items[j].value) != 0)
			return true;
		i++;
		j++;
	}
}

int
optconf_commit(struct optconf *cur, struct optconf *next,
    const bool *applied)
{
	struct optconf_item *items;
	size_t n = 0, row, cap = cur->n + next->n + 1;

	if ((items = malloc(cap * sizeof(*items))) == NULL)
		return NFE_NOMEM;
	/* next's order (file, then command line) for what was applied */
	for (size_t i = 0; i < next->n; i++) {
		row = (size_t)(next->items[i].opt - next->tab);
		if (applied[row]) {
			items[n] = next->items[i];
			if (items[n].file != NULL)
				items[n].file = cur->path;
			n++;
			next->items[i].value = NULL;
		}
	}
	for (size_t i = 0; i < cur->n; i++) {
		row = (size_t)(cur->items[i].opt - cur->tab);
		if (applied[row])
			free(cur->items[i].value);
		else
			items[n++] = cur->items[i];
	}
	free(cur->items);
	cur->items = items;
	cur->n = n;
	cur->cap = cap;
	for (size_t i = 0; i < next->n; i++)
		free(next->items[i].value);
	next->n = 0;
	return NFE_OK;
}
