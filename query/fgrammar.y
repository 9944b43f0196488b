/*
 * query/fgrammar.y -- pure bison grammar of nfdump's filter language
 * (flowkit-filter(7)).  Builds an AST of struct fnode in the parse's
 * arena; values (addresses, numbers, names) are checked here, with the
 * offending token's position, by the fb_* and fv_* helpers in
 * filter.c.  Field words are not keywords here: the scanner finds them
 * in the field catalogue (query/fwords.c) and hands over a token for
 * the word's shape, so there is one rule per shape and none per field.
 * Precedence: not > and > or, all left associative.  No globals:
 * every bit of state is in struct fparse.
 */
%define api.pure full
%define api.prefix {fgram_}
%define parse.error verbose
%define parse.lac full
%locations
%expect 0
%parse-param { struct fparse *fp } { void *scanner }
%lex-param { struct fparse *fp } { void *scanner }

%code requires {
#include "query/filter_int.h"
#define FGRAM_LTYPE	struct floc
}

%code provides {
int	fscan_lex(FGRAM_STYPE *lval, FGRAM_LTYPE *lloc, void *scanner);
}

%code {
#include <stdio.h>
#include <string.h>

#include "common/base/nferr.h"

#define CHECK(x)	do { if ((x) == NULL) YYABORT; } while (0)

static int	fgram_lex(FGRAM_STYPE *lval, FGRAM_LTYPE *lloc,
		    struct fparse *fp, void *scanner);
static void	fgram_error(FGRAM_LTYPE *loc, struct fparse *fp,
		    void *scanner, const char *msg);
}

%union {
	char		*str;
	struct fnode	*node;
	struct flist	*list;
	int		 i;
}

%token T_EOF 0 "end of input"
%token <str> T_NUMBER "number" T_WORD "word" T_STRING "quoted string"
%token T_AND "and" T_OR "or" T_NOT "not"
%token T_EQ "=" T_GT ">" T_LT "<" T_GE ">=" T_LE "<="
%token T_ANY "any" T_SRC "src" T_DST "dst" T_IN "in" T_OUT "out"
%token T_INET "inet" T_INET6 "inet6"
%token T_BAD "invalid character" T_NOMEM "out of memory"
/* field words: the scanner looks words up in the field catalogue and
   returns the token of the word's shape (enum fld_shape) */
%token <str> W_ADDR "address word" W_NET "net" W_ADDRIP "next or router"
%token <str> W_NUMLIST "port or as" W_NUMEQ "number word"
%token <str> W_CMP "counter word" W_PROTO "proto" W_FLAGS "flags"
%token <str> W_ICMP "icmp word" W_STR "string word" W_MAC "mac"
%token <str> W_APPID "appid"

%type <node> expr prim
%type <i> side comp
%type <str> astr fword sval
%type <list> numlist addrlist strlist

%left T_OR
%left T_AND
%precedence T_NOT

%%

prog
	: %empty		{ fp->root = fn_new(fp, FN_TRUE, &@$);
				  CHECK(fp->root); }
	| expr			{ fp->root = $1; }
	;

expr
	: prim
	| expr T_OR expr	{ $$ = fn_bool(fp, FN_OR, $1, $3, &@1); CHECK($$); }
	| expr T_AND expr	{ $$ = fn_bool(fp, FN_AND, $1, $3, &@1); CHECK($$); }
	| T_NOT expr		{ $$ = fn_not(fp, $2, &@1); CHECK($$); }
	| '(' expr ')'		{ $$ = $2; }
	;

side
	: %empty		{ $$ = 0; }
	| T_SRC			{ $$ = 1; }
	| T_DST			{ $$ = 2; }
	| T_IN			{ $$ = 3; }
	| T_OUT			{ $$ = 4; }
	;

comp
	: %empty		{ $$ = FC_EQ; }
	| T_EQ			{ $$ = FC_EQ; }
	| T_GT			{ $$ = FC_GT; }
	| T_LT			{ $$ = FC_LT; }
	| T_GE			{ $$ = FC_GE; }
	| T_LE			{ $$ = FC_LE; }
	;

astr
	: T_WORD
	| T_NUMBER
	;

/* a word that happens to be a field word ("flags AS") */
fword
	: T_WORD | W_ADDR | W_NET | W_ADDRIP | W_NUMLIST | W_NUMEQ | W_CMP
	| W_PROTO | W_FLAGS | W_ICMP | W_STR | W_MAC | W_APPID
	;

/* one rule per shape of primitive; the words come from the catalogue */
prim
	: T_ANY			{ $$ = fn_new(fp, FN_TRUE, &@1); CHECK($$); }
	| T_INET		{ $$ = fn_cmp(fp, FLD_AF, FC_EQ, 4, &@1); CHECK($$); }
	| T_INET6		{ $$ = fn_cmp(fp, FLD_AF, FC_EQ, 6, &@1); CHECK($$); }
	| side W_ADDR astr	{ $$ = fb_addr(fp, $1, $2, &@2, $3, &@3);
				  CHECK($$); }
	| side W_ADDR T_IN '[' addrlist ']'
				{ $$ = fb_list(fp, $1, $2, &@2, $5, &@5);
				  CHECK($$); }
	| side W_NET astr	{ $$ = fb_net(fp, $1, $2, &@2, $3, &@3);
				  CHECK($$); }
	| side W_NET astr astr	{ $$ = fb_netmask(fp, $1, $2, &@2, $3, &@3, $4,
				      &@4); CHECK($$); }
	| side W_ADDRIP W_ADDR astr
				{ $$ = fb_addrip(fp, $1, $2, &@2, $3, &@3, $4,
				      &@4); CHECK($$); }
	| side W_NUMLIST comp T_NUMBER
				{ $$ = fb_num(fp, $1, $2, &@2, $3, $4, &@4);
				  CHECK($$); }
	| side W_NUMLIST T_IN '[' numlist ']'
				{ $$ = fb_numlist(fp, $1, $2, &@2, $5, &@5);
				  CHECK($$); }
	| side W_NUMEQ T_NUMBER	{ $$ = fb_num(fp, $1, $2, &@2, FC_EQ, $3, &@3);
				  CHECK($$); }
	| side W_CMP comp T_NUMBER
				{ $$ = fb_num(fp, $1, $2, &@2, $3, $4, &@4);
				  CHECK($$); }
	| side W_CMP T_WORD	{ $$ = fb_named(fp, $1, $2, &@2, $3, &@3);
				  CHECK($$); }
	| side W_PROTO astr	{ $$ = fb_proto(fp, $1, $2, &@2, $3, &@3);
				  CHECK($$); }
	| side W_FLAGS fword	{ $$ = fb_flags(fp, $1, $2, &@2, $3, &@3);
				  CHECK($$); }
	| side W_FLAGS comp T_NUMBER
				{ $$ = fb_num(fp, $1, $2, &@2, $3, $4, &@4);
				  CHECK($$); }
	| side W_ICMP T_NUMBER	{ $$ = fb_icmp(fp, $1, $2, &@2, $3, &@3);
				  CHECK($$); }
	| W_APPID astr		{ $$ = fb_appid(fp, $1, &@1, $2, &@2);
				  CHECK($$); }
	/* [in|out] [src|dst] mac: two qualifiers (mac words only) */
	| W_MAC astr		{ $$ = fb_mac(fp, 0, 0, $1, &@1, $2, &@2);
				  CHECK($$); }
	| T_IN W_MAC astr	{ $$ = fb_mac(fp, 3, 0, $2, &@2, $3, &@3);
				  CHECK($$); }
	| T_OUT W_MAC astr	{ $$ = fb_mac(fp, 4, 0, $2, &@2, $3, &@3);
				  CHECK($$); }
	| T_SRC W_MAC astr	{ $$ = fb_mac(fp, 0, 1, $2, &@2, $3, &@3);
				  CHECK($$); }
	| T_DST W_MAC astr	{ $$ = fb_mac(fp, 0, 2, $2, &@2, $3, &@3);
				  CHECK($$); }
	| T_IN T_SRC W_MAC astr	{ $$ = fb_mac(fp, 3, 1, $3, &@3, $4, &@4);
				  CHECK($$); }
	| T_IN T_DST W_MAC astr	{ $$ = fb_mac(fp, 3, 2, $3, &@3, $4, &@4);
				  CHECK($$); }
	| T_OUT T_SRC W_MAC astr
				{ $$ = fb_mac(fp, 4, 1, $3, &@3, $4, &@4);
				  CHECK($$); }
	| T_OUT T_DST W_MAC astr
				{ $$ = fb_mac(fp, 4, 2, $3, &@3, $4, &@4);
				  CHECK($$); }
	| side W_STR sval	{ $$ = fb_str(fp, $1, $2, &@2, $3, &@3);
				  CHECK($$); }
	| side W_STR T_EQ sval	{ $$ = fb_str(fp, $1, $2, &@2, $4, &@4);
				  CHECK($$); }
	| side W_STR T_IN '[' strlist ']'
				{ $$ = fb_strlist(fp, $1, $2, &@2, $5, &@5);
				  CHECK($$); }
	;

/* a string: a word (even a field word), a number or "quoted text" */
sval
	: fword
	| T_NUMBER
	| T_STRING
	;

strlist
	: sval			{ $$ = fl_new(fp, false); CHECK($$);
				  $$->is_str = true;
				  if (!fs_add(fp, $$, $1, &@1)) YYABORT; }
	| strlist sval		{ $$ = $1;
				  if (!fs_add(fp, $$, $2, &@2)) YYABORT; }
	| strlist ',' sval	{ $$ = $1;
				  if (!fs_add(fp, $$, $3, &@3)) YYABORT; }
	;

addrlist
	: astr			{ $$ = fl_new(fp, true); CHECK($$);
				  if (!fl_add_str(fp, $$, $1, &@1)) YYABORT; }
	| addrlist astr		{ $$ = $1;
				  if (!fl_add_str(fp, $$, $2, &@2)) YYABORT; }
	| addrlist ',' astr	{ $$ = $1;
				  if (!fl_add_str(fp, $$, $3, &@3)) YYABORT; }
	;

numlist
	: T_NUMBER		{ $$ = fl_new(fp, false); CHECK($$);
				  if (!fl_add_str(fp, $$, $1, &@1)) YYABORT; }
	| numlist T_NUMBER	{ $$ = $1;
				  if (!fl_add_str(fp, $$, $2, &@2)) YYABORT; }
	| numlist ',' T_NUMBER	{ $$ = $1;
				  if (!fl_add_str(fp, $$, $3, &@3)) YYABORT; }
	;

%%

static int
fgram_lex(FGRAM_STYPE *lval, FGRAM_LTYPE *lloc, struct fparse *fp,
    void *scanner)
{
	int tok;

	tok = fscan_lex(lval, lloc, scanner);
	if (tok == 0) {
		/* end of input: point just past the last character */
		lloc->first_line = lloc->last_line = fp->line;
		lloc->first_column = lloc->last_column = fp->col;
		fp->tok[0] = '\0';
	}
	fp->prev_tok = fp->cur_tok;
	fp->cur_tok = tok;
	return tok;
}

/* What may come after prev, when bison lists too many to name. */
static const char *
hint(int prev, char *buf, size_t len)
{
	switch (prev) {
	case 0: case T_AND: case T_OR: case T_NOT: case '(':
		return "a filter primitive (ip, net, port, proto, ...), "
		    "'not' or '('";
	case T_SRC: case T_DST:
		return fw_hint(true, buf, len);
	case T_IN: case T_OUT:
		return fw_hint(false, buf, len);
	case W_NUMLIST:
		return "a comparator, a number or 'in'";
	case W_FLAGS:
		return "TCP flag letters (FSRPAUEC, X), a comparator or a number";
	case W_STR:
		return "a name, a \"quoted string\", '=' or 'in'";
	case '[':
		return "a value";
	case W_CMP:
	case T_EQ: case T_GT: case T_LT: case T_GE: case T_LE:
		return "a comparator or a number";
	default:
		return "'and', 'or', ')' or end of input";
	}
}

/* Bison's name for a token, as the message shows it. */
static void
token_name(char *buf, size_t len, const char *p, size_t n)
{
	if (n == 6 && strncmp(p, "number", n) == 0)
		snprintf(buf, len, "a number");
	else if (n == 4 && strncmp(p, "word", n) == 0)
		snprintf(buf, len, "an address or name");
	else if ((n == 12 && strncmp(p, "end of input", n) == 0) ||
	    p[0] == '\'')
		snprintf(buf, len, "%.*s", (int)n, p);
	else
		snprintf(buf, len, "'%.*s'", (int)n, p);
}

/* Append bison's "A or B or C" as "'A', 'B' or 'C'". */
static void
append_expected(char *buf, size_t len, const char *list)
{
	const char *p = list, *sep;
	char name[64];
	size_t n, used;
	bool first = true;

	while (*p != '\0') {
		sep = strstr(p, " or ");
		n = sep != NULL ? (size_t)(sep - p) : strlen(p);
		token_name(name, sizeof(name), p, n);
		used = strlen(buf);
		snprintf(buf + used, len - used, "%s%s",
		    first ? "" : sep != NULL ? ", " : " or ", name);
		first = false;
		p += n;
		if (sep != NULL)
			p += 4;
	}
}

static void
fgram_error(FGRAM_LTYPE *loc, struct fparse *fp, void *scanner,
    const char *msg)
{
	char what[96], buf[512], hbuf[400];
	const char *exp;

	(void)scanner;
	if (fp->rc != NFE_OK)
		return;			/* an action already said why */
	if (fp->cur_tok == T_NOMEM) {
		fp_error(fp, loc, NFE_NOMEM, "out of memory");
		return;
	}
	if (strstr(msg, "memory exhausted") != NULL) {
		fp_error(fp, loc, NFE_LIMIT, "expression nested too deeply");
		return;
	}
	if (fp->cur_tok == 0)
		snprintf(what, sizeof(what), "end of input");
	else
		snprintf(what, sizeof(what), "'%s'", fp->tok);
	snprintf(buf, sizeof(buf), "unexpected %s, expected ", what);
	exp = strstr(msg, ", expecting ");
	if (exp != NULL)
		append_expected(buf, sizeof(buf), exp + 12);
	else
		snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "%s",
		    hint(fp->prev_tok, hbuf, sizeof(hbuf)));
	fp_error(fp, loc, NFE_INVAL, "%s", buf);
}
