/*
 * tests/t_optconf.c -- common/prog/optconf: the option table read from
 * argv and from a configuration file.  Table checks; short, long and
 * alias options; every file syntax rule and error with its file:line;
 * the precedence of the command line (a repeatable list replaced, not
 * extended); the place and exit status of a bad value; reload (what
 * changed, commit keeping storage); and every prefix of a valid file
 * read without a crash.
 */
#include "common/base/compat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/base/nferr.h"
#include "common/prog/optconf.h"
#include "tap.h"

enum { OPT_MAXEXP = OPTCONF_LONG_ONLY, OPT_SINK, OPT_CONFIG, OPT_EXPSIZE };

static const struct optconf_opt tab[] = {
	{ "dir", 'l', 'w', OPTCONF_VALUE, 0 },
	{ "port", 'p', 0, OPTCONF_VALUE, 0 },
	{ "bind", 'b', 0, OPTCONF_VALUE, OPTCONF_REPEAT },
	{ "daemon", 'D', 0, OPTCONF_FLAG, 0 },
	{ "verbose", 'v', 0, OPTCONF_FLAG, OPTCONF_REPEAT | OPTCONF_RELOAD },
	{ "compress", 'z', 0, OPTCONF_VALUE, OPTCONF_RELOAD },
	{ "max-exporters", OPT_MAXEXP, 0, OPTCONF_VALUE, 0 },
	{ "sink", OPT_SINK, 0, OPTCONF_VALUE, OPTCONF_REPEAT |
	    OPTCONF_RELOAD },
	{ "config", 'C', 0, OPTCONF_VALUE, OPTCONF_NOFILE },
	{ "expire-size", OPT_EXPSIZE, 0, OPTCONF_VALUE, OPTCONF_NOARGV },
};

static const struct optconf_opt other[] = {
	{ "dry-run", 'n', 0, OPTCONF_FLAG, 0 },
};

static char tmpdir[] = "/tmp/t_optconf.XXXXXX";
static int nfile;

/* Write text to a new file; returns its path (static storage cycles). */
static const char *
mkfile(const char *text, size_t len)
{
	static char paths[4][256];
	char *p = paths[nfile % 4];
	FILE *f;

	snprintf(p, 256, "%s/f%d.conf", tmpdir, nfile++);
	if ((f = fopen(p, "w")) == NULL)
		return "/nonexistent";
	fwrite(text, 1, len, f);
	fclose(f);
	return p;
}

#define FILE_OF(s)	mkfile((s), sizeof(s) - 1)

/* Read text as a file under argv (NULL-terminated); NFE code back. */
static int
load(struct optconf *oc, char **args, const char *text,
    size_t len, char *err, size_t errlen)
{
	char *argv[32];
	int argc = 0, first, rc;

	argv[argc++] = "prog";
	for (; args != NULL && *args != NULL && argc < 31; args++)
		argv[argc++] = *args;
	argv[argc] = NULL;
	optconf_init(oc, tab, NF_NELEM(tab));
	optconf_share(oc, other, NF_NELEM(other));
	if ((rc = optconf_argv(oc, argc, argv, &first, err, errlen)) !=
	    NFE_OK)
		return rc;
	if (text == NULL)
		return NFE_OK;
	return optconf_read(oc, mkfile(text, len), true, err, errlen);
}

/* The file's error message with the temporary path replaced by F. */
static const char *
msg_of(const char *text, char **args)
{
	static char out[1100];
	char err[1024], *colon;
	struct optconf oc;
	int rc;

	rc = load(&oc, args, text, strlen(text), err, sizeof(err));
	optconf_fini(&oc);
	if (rc == NFE_OK)
		return "(ok)";
	colon = strstr(err, ".conf:");
	snprintf(out, sizeof(out), "F%s", colon != NULL ? colon + 5 : err);
	return out;
}

/* "name=value ..." of every item, in application order. */
static const char *
dump(const struct optconf *oc)
{
	static char out[1024];
	size_t len = 0;

	out[0] = '\0';
	for (size_t i = 0; i < oc->n && len < sizeof(out); i++)
		len += (size_t)snprintf(out + len, sizeof(out) - len, "%s%s=%s",
		    i ? " " : "", oc->items[i].opt->name, oc->items[i].value);
	return out;
}

static void
test_table(void)
{
	static const struct optconf_opt twice[] = {
		{ "dir", 'l', 0, OPTCONF_VALUE, 0 },
		{ "dir", 'd', 0, OPTCONF_VALUE, 0 },
	};
	static const struct optconf_opt letter[] = {
		{ "dir", 'l', 0, OPTCONF_VALUE, 0 },
		{ "list", 'x', 'l', OPTCONF_VALUE, 0 },
	};
	static const struct optconf_opt upper[] = {
		{ "Dir", 'l', 0, OPTCONF_VALUE, 0 },
	};
	static const struct optconf_opt fileonly[] = {
		{ "expire", 'e', 0, OPTCONF_VALUE, OPTCONF_NOARGV },
	};
	char err[256];

	tap_ok(optconf_check_table(tab, NF_NELEM(tab), err, sizeof(err)) ==
	    NFE_OK, "the test table is valid");
	tap_ok(optconf_check_table(twice, 2, err, sizeof(err)) == NFE_INVAL &&
	    strstr(err, "name twice") != NULL, "a name twice is refused");
	tap_ok(optconf_check_table(letter, 2, err, sizeof(err)) == NFE_INVAL,
	    "an alias that is another option's letter is refused");
	tap_ok(optconf_check_table(upper, 1, err, sizeof(err)) == NFE_INVAL,
	    "a name with capitals is refused");
	tap_ok(optconf_check_table(fileonly, 1, err, sizeof(err)) ==
	    NFE_INVAL, "a file-only key with a letter is refused");
}

static void
test_argv(void)
{
	static char *a1[] = { "-l", "/d", "--port", "9", "-vv",
	    "-b", "::1", "--bind=127.0.0.1", "--max-exporters", "5", "-w",
	    "/e", "--sink", "k://x", "extra", NULL };
	static char *a2[] = { "-k", NULL };
	static char *a3[] = { "-p", NULL };
	static char *a4[] = { "--bogus", NULL };
	static char *a5[] = { "--expire-size", "5G", NULL };
	static char *a6[] = { "--max-exporters", NULL };
	struct optconf oc;
	char err[256];
	char *argv[20];
	int argc = 0, first = 0;

	argv[argc++] = "prog";
	for (char **p = a1; *p != NULL; p++)
		argv[argc++] = *p;
	argv[argc] = NULL;
	optconf_init(&oc, tab, NF_NELEM(tab));
	tap_ok(optconf_argv(&oc, argc, argv, &first, err, sizeof(err)) ==
	    NFE_OK, "argv: short, long, grouped, =value, alias");
	tap_is_str(dump(&oc), "dir=/d port=9 verbose=1 verbose=1 bind=::1 "
	    "bind=127.0.0.1 max-exporters=5 dir=/e sink=k://x",
	    "argv: items in order; the alias -w is dir; flags are 1");
	tap_ok(first == argc - 1 && strcmp(argv[first], "extra") == 0,
	    "argv: the first operand's index");
	tap_ok(oc.items[1].as_long && !oc.items[0].as_long,
	    "argv: long and short spellings are remembered");
	optconf_fini(&oc);

	tap_ok(load(&oc, a2, NULL, 0, err, sizeof(err)) == NFE_INVAL &&
	    strcmp(err, "-k: unknown option") == 0, "argv: -k unknown (%s)",
	    err);
	optconf_fini(&oc);
	tap_ok(load(&oc, a3, NULL, 0, err, sizeof(err)) == NFE_INVAL &&
	    strcmp(err, "-p: needs a value") == 0, "argv: -p without a value "
	    "(%s)", err);
	optconf_fini(&oc);
	tap_ok(load(&oc, a4, NULL, 0, err, sizeof(err)) == NFE_INVAL &&
	    strcmp(err, "--bogus: unknown option") == 0,
	    "argv: --bogus unknown (%s)", err);
	optconf_fini(&oc);
	tap_ok(load(&oc, a5, NULL, 0, err, sizeof(err)) == NFE_INVAL,
	    "argv: a file-only key is not an option");
	optconf_fini(&oc);
	tap_ok(load(&oc, a6, NULL, 0, err, sizeof(err)) == NFE_INVAL &&
	    strcmp(err, "--max-exporters: needs a value") == 0,
	    "argv: a long option without its value (%s)", err);
	optconf_fini(&oc);
}

static void
test_file_syntax(void)
{
	static const char good[] =
	    "# a comment\n"
	    "\n"
	    "   # an indented comment\n"
	    "dir=/var/lib/flowkit\n"
	    "  port   =\t9995  \r\n"
	    "bind = 127.0.0.1\n"
	    "bind = ::1\n"
	    "daemon = no\n"
	    "verbose = Yes\n"
	    "compress = zlib:6 # not a comment\n"
	    "dry-run = yes\n"
	    "expire-size = 50G\n"
	    "sink = clickhouse://h/?q=a=b\n";
	struct optconf oc;
	char err[256];

	tap_ok(load(&oc, NULL, good, sizeof(good) - 1, err, sizeof(err)) ==
	    NFE_OK, "file: a good file reads (%s)", err);
	tap_is_str(dump(&oc), "dir=/var/lib/flowkit port=9995 bind=127.0.0.1 "
	    "bind=::1 daemon=0 verbose=1 compress=zlib:6 # not a comment "
	    "expire-size=50G sink=clickhouse://h/?q=a=b",
	    "file: blanks trimmed, '#' inside a value kept, flags as 1/0, "
	    "another program's key skipped, the first '=' splits");
	tap_ok(oc.n > 1 && oc.items[1].line == 5,
	    "file: line numbers count every line");
	optconf_fini(&oc);

	tap_is_str(msg_of("port = 1\nport = 2\n", NULL),
	    "F:2: port: already set at line 1 (only repeatable keys may "
	    "repeat)", "file: a duplicate key, with both lines");
	tap_is_str(msg_of("bind = a\nbind = b\n", NULL), "(ok)",
	    "file: a repeatable key repeats");
	tap_is_str(msg_of("\n\nprot = 1\n", NULL),
	    "F:3: unknown key 'prot' (did you mean 'port'?)",
	    "file: an unknown key, with a suggestion");
	tap_is_str(msg_of("zzzzzz = 1\n", NULL), "F:1: unknown key 'zzzzzz'",
	    "file: an unknown key without a near name");
	tap_is_str(msg_of("config = /x\n", NULL),
	    "F:1: config: only on the command line",
	    "file: a command-line-only key");
	tap_is_str(msg_of("port 9995\n", NULL),
	    "F:1: expected 'key = value', got 'port 9995'",
	    "file: a line without '='");
	tap_is_str(msg_of(" = 5\n", NULL), "F:1: a key is missing before '='",
	    "file: '=' without a key");
	tap_is_str(msg_of("port =   \n", NULL), "F:1: port: needs a value",
	    "file: an empty value");
	tap_is_str(msg_of("daemon = maybe\n", NULL),
	    "F:1: daemon: 'maybe' is not yes or no", "file: a bad flag value");
	{
		char big[OPTCONF_MAX_LINE + 16];

		memset(big, 'a', sizeof(big) - 1);
		big[sizeof(big) - 1] = '\0';
		memcpy(big, "dir = ", 6);
		tap_is_str(msg_of(big, NULL), "F:1: line longer than 4095 "
		    "bytes", "file: a line too long");
		big[OPTCONF_MAX_LINE - 1] = '\0';
		tap_is_str(msg_of(big, NULL), "(ok)",
		    "file: a line of exactly the longest length");
	}
	{
		static const char nul[] = "port = 1\nd\0ir = x\n";

		tap_ok(load(&oc, NULL, nul, sizeof(nul) - 1, err, sizeof(err))
		    == NFE_INVAL && strstr(err, ":2: a NUL byte") != NULL,
		    "file: a NUL byte (%s)", err);
		optconf_fini(&oc);
	}
	tap_is_str(msg_of("port = 1", NULL), "(ok)",
	    "file: a last line without a newline");
	optconf_init(&oc, tab, NF_NELEM(tab));
	tap_ok(optconf_read(&oc, "/nonexistent/x.conf", false, err,
	    sizeof(err)) == NFE_OK && oc.n == 0 && oc.path == NULL,
	    "file: a missing default file reads nothing");
	tap_ok(optconf_read(&oc, "/nonexistent/x.conf", true, err,
	    sizeof(err)) == NFE_IO && strstr(err, "No such file") != NULL,
	    "file: a missing -C file is an error (%s)", err);
	optconf_fini(&oc);
}

static void
test_precedence(void)
{
	static const char text[] = "dir = /file\nport = 1\nbind = a\n"
	    "bind = b\nsink = s1\n";
	static char *a1[] = { "-p", "2", "-b", "c", NULL };
	struct optconf oc;
	char err[256];
	const char *v[4];

	tap_ok(load(&oc, a1, text, sizeof(text) - 1, err, sizeof(err)) ==
	    NFE_OK, "precedence: loads");
	tap_is_str(dump(&oc), "dir=/file sink=s1 port=2 bind=c",
	    "precedence: the file first, then the command line; a key given "
	    "on the command line is dropped from the file, a repeatable "
	    "list replaced");
	tap_ok(optconf_values(&oc, &tab[2], v, 4) == 1 && strcmp(v[0], "c")
	    == 0, "precedence: bind holds the command line's list only");
	tap_ok(optconf_last(&oc, &tab[0]) != NULL &&
	    optconf_last(&oc, &tab[0])->line == 1, "precedence: dir from "
	    "line 1");
	optconf_fini(&oc);
}

static int
apply_port(void *arg, const struct optconf_item *it, char *err,
    size_t errlen)
{
	(*(int *)arg)++;
	if (it->opt->id == 'p' && strcmp(it->value, "x") == 0) {
		snprintf(err, errlen, "'x' is not a number");
		return NFE_INVAL;
	}
	if (it->opt->id == 'p' && strcmp(it->value, "y") == 0) {
		snprintf(err, errlen, "y: expected a number");
		return NFE_INVAL;
	}
	return NFE_OK;
}

static void
test_apply(void)
{
	static char *along[] = { "--port", "x", NULL };
	static char *ashort[] = { "-px", NULL };
	static char *avalue[] = { "-p", "y", NULL };
	const struct optconf_item *bad = NULL;
	struct optconf oc;
	char err[512];
	int calls = 0;

	load(&oc, NULL, "dir = /a\n\nport = x\n", 18, err, sizeof(err));
	tap_ok(optconf_apply(&oc, apply_port, &calls, &bad, err,
	    sizeof(err)) == NFE_INVAL && strstr(err, ".conf:3: port: 'x' is "
	    "not a number") != NULL && calls == 2, "apply: a bad value in "
	    "the file names file:line: key (%s)", err);
	tap_is_int(optconf_exit_status(bad), 255, "apply: exit status 255 "
	    "for the file");
	optconf_fini(&oc);
	load(&oc, along, NULL, 0, err, sizeof(err));
	tap_ok(optconf_apply(&oc, apply_port, &calls, &bad, err,
	    sizeof(err)) == NFE_INVAL && strcmp(err, "--port: 'x' is not a "
	    "number") == 0, "apply: named as given: --port (%s)", err);
	tap_is_int(optconf_exit_status(bad), 1, "apply: exit status 1 for "
	    "the command line");
	optconf_fini(&oc);
	load(&oc, ashort, NULL, 0, err, sizeof(err));
	tap_ok(optconf_apply(&oc, apply_port, &calls, &bad, err,
	    sizeof(err)) == NFE_INVAL && strcmp(err, "-p: 'x' is not a "
	    "number") == 0, "apply: named as given: -p (%s)", err);
	optconf_fini(&oc);
	load(&oc, avalue, NULL, 0, err, sizeof(err));
	tap_ok(optconf_apply(&oc, apply_port, &calls, &bad, err,
	    sizeof(err)) == NFE_INVAL && strcmp(err, "-p y: expected a "
	    "number") == 0, "apply: a message that starts with the value "
	    "reads '-p y: ...' (%s)", err);
	optconf_fini(&oc);
}

static void
test_reload(void)
{
	struct optconf cur, next;
	const char *path, *kept, *v[4];
	char err[256];
	bool applied[NF_NELEM(tab)];
	int first;
	char *argv[4] = { "prog", "-p", "7", NULL };

	optconf_init(&cur, tab, NF_NELEM(tab));
	optconf_argv(&cur, 3, argv, &first, err, sizeof(err));
	path = FILE_OF("dir = /a\ncompress = lz4\nsink = s1\nsink = s2\n"
	    "port = 1\n");
	tap_ok(optconf_read(&cur, path, true, err, sizeof(err)) == NFE_OK,
	    "reload: first read");
	kept = optconf_last(&cur, &tab[0])->value;

	/* the file changes: dir (needs a restart), compress, sink, port */
	{
		FILE *f = fopen(path, "w");

		fputs("dir = /b\ncompress = zlib\nsink = s1\nport = 2\n", f);
		fclose(f);
	}
	tap_ok(optconf_reread(&cur, &next, err, sizeof(err)) == NFE_OK,
	    "reload: re-read");
	tap_ok(optconf_changed(&cur, &next, &tab[0]) &&
	    optconf_changed(&cur, &next, &tab[5]) &&
	    optconf_changed(&cur, &next, &tab[7]) &&
	    !optconf_changed(&cur, &next, &tab[1]) &&
	    !optconf_changed(&cur, &next, &tab[2]),
	    "reload: dir, compress and sink changed; port (set on the "
	    "command line) and bind did not");
	for (size_t i = 0; i < NF_NELEM(tab); i++)
		applied[i] = (tab[i].flags & OPTCONF_RELOAD) &&
		    optconf_changed(&cur, &next, &tab[i]);
	tap_ok(optconf_commit(&cur, &next, applied) == NFE_OK,
	    "reload: commit");
	optconf_fini(&next);
	tap_ok(optconf_last(&cur, &tab[0])->value == kept &&
	    strcmp(kept, "/a") == 0, "reload: dir not applied keeps its old "
	    "value and storage");
	tap_ok(optconf_values(&cur, &tab[7], v, 4) == 1 &&
	    strcmp(v[0], "s1") == 0 && strcmp(optconf_last(&cur,
	    &tab[5])->value, "zlib") == 0, "reload: sink and compress hold "
	    "the new values");
	tap_ok(strcmp(optconf_last(&cur, &tab[1])->value, "7") == 0 &&
	    optconf_last(&cur, &tab[1])->file == NULL,
	    "reload: the command line still overrides");
	tap_ok(optconf_last(&cur, &tab[5])->file == cur.path,
	    "reload: moved items point at the kept path");

	/* a broken file on reload: an error, nothing else */
	{
		FILE *f = fopen(path, "w");

		fputs("dir = /b\nbogus = 1\n", f);
		fclose(f);
	}
	tap_ok(optconf_reread(&cur, &next, err, sizeof(err)) == NFE_INVAL &&
	    strstr(err, ":2: unknown key 'bogus'") != NULL,
	    "reload: a bad file is refused with its line (%s)", err);
	optconf_fini(&next);
	tap_ok(optconf_changed(&cur, &cur, &tab[0]) == false,
	    "reload: a set equals itself");
	optconf_fini(&cur);
}

/* Every prefix of a good file reads or is refused, never crashes. */
static void
test_prefixes(void)
{
	static const char text[] = "# c\ndir = /x\nbind = a\nverbose = on\n"
	    "port = 9995\nsink = a=b\n";
	struct optconf oc;
	char err[256];
	bool clean = true;
	int rc;

	for (size_t cut = 0; cut <= sizeof(text) - 1; cut++) {
		rc = load(&oc, NULL, text, cut, err, sizeof(err));
		if (rc != NFE_OK && rc != NFE_INVAL) {
			tap_diag("prefix %zu: %d %s", cut, rc, err);
			clean = false;
		}
		optconf_fini(&oc);
	}
	tap_ok(clean, "every prefix of a file reads or is refused");
}

int
main(void)
{
	if (mkdtemp(tmpdir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	tap_no_plan();
	test_table();
	test_argv();
	test_file_syntax();
	test_precedence();
	test_apply();
	test_reload();
	test_prefixes();
	{
		char cmd[300];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
		if (system(cmd) != 0)
			tap_diag("could not remove %s", tmpdir);
	}
	return tap_done();
}
