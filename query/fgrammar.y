/*
 * query/fgrammar.y -- pure bison grammar of nfdump's filter language
 * (flowkit-filter(7)).  Builds an AST of struct fnode in the parse's
 * arena; values (addresses, numbers, names) are checked here, with the
 * offending token's position, by the fb_* and fv_* helpers in
 * filter.c.  Precedence: not > and > or, all left
 * associative.  No globals: every bit of state is in struct fparse.
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
%token <str> T_NUMBER "number" T_WORD "word"
%token T_AND "and" T_OR "or" T_NOT "not"
%token T_EQ "=" T_GT ">" T_LT "<" T_GE ">=" T_LE "<="
%token T_ANY "any" T_SRC "src" T_DST "dst" T_IP "ip" T_HOST "host"
%token T_NET "net" T_IN "in" T_OUT "out" T_PORT "port" T_PROTO "proto"
%token T_INET "inet" T_INET6 "inet6" T_FLAGS "flags" T_TOS "tos" T_AS "as"
%token T_IF "if" T_NEXT "next" T_VLAN "vlan" T_MASK "mask"
%token T_PACKETS "packets" T_BYTES "bytes" T_FLOWS "flows"
%token T_BPS "bps" T_PPS "pps" T_BPP "bpp" T_DURATION "duration"
%token T_ICMPTYPE "icmp-type" T_ICMPCODE "icmp-code"
%token T_ENGTYPE "engine-type" T_ENGID "engine-id" T_ROUTER "router"
%token T_BAD "invalid character" T_NOMEM "out of memory"

%type <node> expr prim
%type <i> dir odir comp counter
%type <str> astr
%type <list> numlist addrlist

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

dir
	: T_SRC			{ $$ = 1; }
	| T_DST			{ $$ = 2; }
	;

odir
	: %empty		{ $$ = 0; }
	| dir
	;

comp
	: %empty		{ $$ = FC_EQ; }
	| T_EQ			{ $$ = FC_EQ; }
	| T_GT			{ $$ = FC_GT; }
	| T_LT			{ $$ = FC_LT; }
	| T_GE			{ $$ = FC_GE; }
	| T_LE			{ $$ = FC_LE; }
	;

counter
	: T_PACKETS		{ $$ = FF_PACKETS; }
	| T_IN T_PACKETS	{ $$ = FF_PACKETS; }
	| T_BYTES		{ $$ = FF_BYTES; }
	| T_IN T_BYTES		{ $$ = FF_BYTES; }
	| T_FLOWS		{ $$ = FF_FLOWS; }
	| T_BPS			{ $$ = FF_BPS; }
	| T_PPS			{ $$ = FF_PPS; }
	| T_BPP			{ $$ = FF_BPP; }
	| T_DURATION		{ $$ = FF_DURATION; }
	;

astr
	: T_WORD
	| T_NUMBER
	;

prim
	: T_ANY			{ $$ = fn_new(fp, FN_TRUE, &@1); CHECK($$); }
	| T_INET		{ $$ = fn_cmp(fp, FF_AF, FC_EQ, 4, &@1); CHECK($$); }
	| T_INET6		{ $$ = fn_cmp(fp, FF_AF, FC_EQ, 6, &@1); CHECK($$); }
	| odir T_IP astr	{ $$ = fb_addr(fp, $1, FF_SRC, FF_DST, $3, &@3);
				  CHECK($$); }
	| odir T_HOST astr	{ $$ = fb_addr(fp, $1, FF_SRC, FF_DST, $3, &@3);
				  CHECK($$); }
	| odir T_NET astr	{ $$ = fb_net(fp, $1, $3, &@3); CHECK($$); }
	| odir T_NET astr astr	{ $$ = fb_netmask(fp, $1, $3, &@3, $4, &@4);
				  CHECK($$); }
	| odir T_IP T_IN '[' addrlist ']'
				{ $$ = fb_list(fp, $1, FF_SRC, FF_DST, $5, &@5);
				  CHECK($$); }
	| odir T_HOST T_IN '[' addrlist ']'
				{ $$ = fb_list(fp, $1, FF_SRC, FF_DST, $5, &@5);
				  CHECK($$); }
	| odir T_PORT comp T_NUMBER
				{ $$ = fb_num2(fp, $1, FF_SRC_PORT, FF_DST_PORT,
				      $3, $4, &@4); CHECK($$); }
	| odir T_PORT T_IN '[' numlist ']'
				{ $$ = fb_numlist(fp, $1, FF_SRC_PORT,
				      FF_DST_PORT, $5, &@5); CHECK($$); }
	| T_PROTO astr		{ $$ = fb_proto(fp, $2, &@2); CHECK($$); }
	| T_FLAGS T_WORD	{ $$ = fb_flags(fp, $2, &@2); CHECK($$); }
	| T_FLAGS T_AS		{ $$ = fb_flags(fp, "AS", &@2); CHECK($$); }
	| T_FLAGS comp T_NUMBER	{ $$ = fb_num2(fp, 1, FF_TCP_FLAGS, FF_TCP_FLAGS,
				      $2, $3, &@3); CHECK($$); }
	| T_TOS comp T_NUMBER	{ $$ = fb_num2(fp, 1, FF_TOS, FF_TOS, $2, $3, &@3);
				  CHECK($$); }
	| odir T_AS comp T_NUMBER
				{ $$ = fb_num2(fp, $1, FF_SRC_AS, FF_DST_AS,
				      $3, $4, &@4); CHECK($$); }
	| odir T_AS T_IN '[' numlist ']'
				{ $$ = fb_numlist(fp, $1, FF_SRC_AS, FF_DST_AS,
				      $5, &@5); CHECK($$); }
	| T_IF T_NUMBER		{ $$ = fb_num2(fp, 0, FF_IN_IF, FF_OUT_IF, FC_EQ,
				      $2, &@2); CHECK($$); }
	| T_IN T_IF T_NUMBER	{ $$ = fb_num2(fp, 1, FF_IN_IF, FF_OUT_IF, FC_EQ,
				      $3, &@3); CHECK($$); }
	| T_OUT T_IF T_NUMBER	{ $$ = fb_num2(fp, 2, FF_IN_IF, FF_OUT_IF, FC_EQ,
				      $3, &@3); CHECK($$); }
	| T_NEXT T_IP astr	{ $$ = fb_addr(fp, 1, FF_NEXTHOP, FF_NEXTHOP, $3,
				      &@3); CHECK($$); }
	| T_ROUTER T_IP astr	{ $$ = fb_addr(fp, 1, FF_ROUTER, FF_ROUTER, $3,
				      &@3); CHECK($$); }
	| odir T_VLAN T_NUMBER	{ $$ = fb_num2(fp, $1, FF_SRC_VLAN, FF_DST_VLAN,
				      FC_EQ, $3, &@3); CHECK($$); }
	| odir T_MASK T_NUMBER	{ $$ = fb_num2(fp, $1, FF_SRC_MASK, FF_DST_MASK,
				      FC_EQ, $3, &@3); CHECK($$); }
	| counter comp T_NUMBER	{ $$ = fb_num2(fp, 1, $1, $1, $2, $3, &@3);
				  CHECK($$); }
	| T_ICMPTYPE T_NUMBER	{ $$ = fb_icmp(fp, FF_ICMP_TYPE, $2, &@2);
				  CHECK($$); }
	| T_ICMPCODE T_NUMBER	{ $$ = fb_icmp(fp, FF_ICMP_CODE, $2, &@2);
				  CHECK($$); }
	| T_ENGTYPE comp T_NUMBER
				{ $$ = fb_num2(fp, 1, FF_ENGINE_TYPE,
				      FF_ENGINE_TYPE, $2, $3, &@3); CHECK($$); }
	| T_ENGID comp T_NUMBER	{ $$ = fb_num2(fp, 1, FF_ENGINE_ID, FF_ENGINE_ID,
				      $2, $3, &@3); CHECK($$); }
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
hint(int prev)
{
	switch (prev) {
	case 0: case T_AND: case T_OR: case T_NOT: case '(':
		return "a filter primitive (ip, net, port, proto, ...), "
		    "'not' or '('";
	case T_SRC: case T_DST:
		return "ip, host, net, port, as, vlan or mask";
	case T_PORT: case T_AS:
		return "a comparator, a number or 'in'";
	case T_FLAGS:
		return "TCP flag letters (FSRPAUEC, X), a comparator or a number";
	case T_TOS: case T_PACKETS:
	case T_BYTES: case T_FLOWS: case T_BPS: case T_PPS: case T_BPP:
	case T_DURATION: case T_ENGTYPE: case T_ENGID:
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
	char what[96], buf[512];
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
		    hint(fp->prev_tok));
	fp_error(fp, loc, NFE_INVAL, "%s", buf);
}
