/*
 * tests/t_options.c -- the option tables of flowcapd (collector/capopts)
 * and flowprobe (probe/probeopts), as a whole: each table is valid for
 * getopt_long and the configuration file; every row has a case in its
 * apply function; every key shows in --check's printout; and every key
 * is documented in flowkit.conf(5) and in the program's man page.  So
 * an option added to a table without its documentation or its printout
 * fails here.
 */
#include "common/base/compat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collector/capopts.h"
#include "common/base/nferr.h"
#include "common/prog/optconf.h"
#include "probe/probeopts.h"
#include "tap.h"

/* A whole file into memory (NUL-terminated), or NULL. */
static char *
slurp(const char *rel)
{
	const char *top = getenv("top_srcdir");
	char path[4096];
	FILE *f;
	char *buf;
	long n;

	snprintf(path, sizeof(path), "%s/%s", top != NULL ? top : ".", rel);
	if ((f = fopen(path, "r")) == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	if (n < 0 || (buf = malloc((size_t)n + 1)) == NULL) {
		fclose(f);
		return NULL;
	}
	buf[fread(buf, 1, (size_t)n, f)] = '\0';
	fclose(f);
	return buf;
}

/*
 * The man page mentions key as troff writes it (hyphens as "\-"): in
 * bold ("\fBkey\fR", ".B key", ".BR key"), as "\-\-key", or as
 * "key =" at a line start.
 */
static bool
documented(const char *page, const char *key)
{
	static const char *const pats[] = { "\\fB%s\\fR", "\\-\\-%s",
	    "\n.B %s\n", "\n.BR %s ", "\n%s =" };
	char esc[128], pat[160];
	size_t j = 0;

	for (const char *k = key; *k != '\0' && j + 3 < sizeof(esc); k++) {
		if (*k == '-')
			esc[j++] = '\\';
		esc[j++] = *k;
	}
	esc[j] = '\0';
	for (size_t i = 0; i < NF_NELEM(pats); i++) {
		snprintf(pat, sizeof(pat), pats[i], esc);
		if (strstr(page, pat) != NULL)
			return true;
	}
	return false;
}

/*
 * key appears in the printout as "key = " or "# key" at a line start, or
 * as the second of two keys commented together ("# ipv4, ipv6: ...").
 */
static bool
printed(const char *out, const char *key)
{
	char pat[128];

	snprintf(pat, sizeof(pat), "\n%s = ", key);
	if (strstr(out, pat) != NULL)
		return true;
	snprintf(pat, sizeof(pat), "\n# %s", key);
	if (strstr(out, pat) != NULL)
		return true;
	snprintf(pat, sizeof(pat), ", %s:", key);
	return strstr(out, pat) != NULL;
}

static void
check_table(const char *prog, const struct optconf_opt *tab, size_t n,
    optconf_apply_fn *apply, void *opts, void (*print)(const void *,
    FILE *), const char *manpage)
{
	char err[512], *conf5, *man, *out;
	bool all_cases = true, all_printed = true, all_doc = true;
	FILE *f;
	size_t len;

	tap_ok(optconf_check_table(tab, n, err, sizeof(err)) == NFE_OK,
	    "%s: the table is valid (%s)", prog, err);
	for (size_t i = 0; i < n; i++) {
		struct optconf_item it = { &tab[i], (char *)"1", NULL, 1,
		    true };

		err[0] = '\0';
		if (apply(opts, &it, err, sizeof(err)) != NFE_OK &&
		    strstr(err, "not handled") != NULL) {
			tap_diag("%s: no case for %s", prog, tab[i].name);
			all_cases = false;
		}
	}
	tap_ok(all_cases, "%s: every row has a case in apply", prog);

	f = tmpfile();
	print(opts, f);
	len = (size_t)ftell(f);
	rewind(f);
	out = calloc(1, len + 2);
	out[0] = '\n';
	if (fread(out + 1, 1, len, f) != len)
		tap_diag("short read");
	fclose(f);
	for (size_t i = 0; i < n; i++) {
		if ((tab[i].flags & OPTCONF_NOFILE) || printed(out,
		    tab[i].name))
			continue;
		tap_diag("%s: --check does not show %s", prog, tab[i].name);
		all_printed = false;
	}
	tap_ok(all_printed, "%s: --check shows every key", prog);
	free(out);

	conf5 = slurp("man/flowkit.conf.5");
	man = slurp(manpage);
	if (conf5 == NULL || man == NULL) {
		tap_ok(false, "%s: man pages readable (top_srcdir)", prog);
		free(conf5);
		free(man);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		if (!documented(man, tab[i].name)) {
			tap_diag("%s: %s is not in %s", prog, tab[i].name,
			    manpage);
			all_doc = false;
		}
		if (!(tab[i].flags & OPTCONF_NOFILE) &&
		    !documented(conf5, tab[i].name)) {
			tap_diag("%s: %s is not in flowkit.conf(5)", prog,
			    tab[i].name);
			all_doc = false;
		}
	}
	tap_ok(all_doc, "%s: every option is in its man page and every key "
	    "in flowkit.conf(5)", prog);
	free(conf5);
	free(man);
}

static void
print_cap(const void *o, FILE *f)
{
	capopts_print(o, f);
}

static void
print_probe(const void *o, FILE *f)
{
	probeopts_print(o, f);
}

int
main(void)
{
	static struct capopts co;
	static struct probeopts po;

	tap_no_plan();
	capopts_init(&co);
	check_table("flowcapd", capopts_table, capopts_ntable, capopts_apply,
	    &co, print_cap, "man/flowcapd.8");
	capopts_fini(&co);
	probeopts_init(&po);
	check_table("flowprobe", probeopts_table, probeopts_ntable,
	    probeopts_apply, &po, print_probe, "man/flowprobe.8");
	probeopts_fini(&po);
	return tap_done();
}
