/*
 * query/filter_int.h -- internals shared by the filter's parser
 * (fgrammar.y, fscan.l), compiler (filter.c) and evaluator (feval.c).
 * Not for use outside query/filter*.
 *
 * Pipeline: the scanner turns text into tokens with line/column; the
 * grammar builds an AST of fnode (and/or/not over leaf tests) in an
 * arena owned by the parse; filter.c checks it and compiles it into a
 * flat array of finsn whose jumps all go forward; feval.c runs it.
 */
#ifndef QUERY_FILTER_INT_H
#define QUERY_FILTER_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/base/fields.h"
#include "query/filter.h"

/* Location of a token (bison's YYLTYPE layout). */
struct floc {
	int	first_line, first_column, last_line, last_column;
};

/*
 * A test reads one entry of the field catalogue (common/base/fields.h):
 * finsn.field is its FLD_* index.  Integer tests read stored integer
 * fields and computed ones (duration, rates, ICMP type and code);
 * address tests read address fields and the exporter's address.
 */

enum fcmp { FC_EQ, FC_GT, FC_LT, FC_GE, FC_LE };

enum fop {
	FO_CMP,			/* integer field <cmp> val */
	FO_FLAGS,		/* (tcp_flags & val) == val */
	FO_FLAGS_ANY,		/* (tcp_flags & val) != 0 (flags under not) */
	FO_INLIST,		/* integer field in sorted list */
	FO_NET,			/* (addr & mask) == net, family checked */
	FO_ADDRLIST,		/* addr in prefix list */
	FO_STRLIST,		/* string equals a value or matches a
				   pattern of the list (fstr.c) */
};

/* A string of a list: a value, or a pattern (fnmatch(3)) with * ? [. */
struct fstrv {
	char		*s;		/* owned; NUL-terminated */
	uint32_t	 len;
	bool		 glob;
};

/* A 128-bit address as two big-endian halves: compares like memcmp. */
struct a128 {
	uint64_t	hi, lo;
};

/* Prefix list: groups of equal length, each a sorted array of nets. */
struct fgroup {
	struct a128	mask;
	bool		v6;		/* only matches non-v4-mapped addresses */
	uint32_t	off, cnt;	/* slice of flist.nets */
	uint32_t	hmask;		/* hash slots - 1; 0: bisect instead */
	uint32_t	hoff;		/* first slot in flist.slots */
};

/* Groups this large get an open-addressing hash besides the sort. */
#define FGROUP_HASH_MIN	32

/* A list entry while parsing: a prefix of abslen bits of the 128. */
struct fentry {
	struct a128	net;
	uint8_t		abslen;		/* 0..128, v4 prefixes 96 + len */
	bool		v6;
};

struct flist {
	uint64_t	*vals;		/* owned; sorted, unique (FO_INLIST) */
	struct fentry	*ents;		/* owned; prefix entries (FO_ADDRLIST) */
	struct a128	*nets;		/* owned; per group, sorted */
	struct fgroup	*groups;	/* owned */
	uint32_t	*slots;		/* owned; net index + 1, 0 empty */
	struct fstrv	*strs;		/* owned; FO_STRLIST: nexact values
					   sorted by length and bytes, then
					   the patterns */
	uint32_t	 n, cap, ngroups, nexact;
	bool		 is_addr;
	bool		 is_str;
	uint64_t	 maxval;	/* largest number, and where it was */
	struct floc	 maxloc;
};

/* One test of the compiled program. */
struct finsn {
	uint8_t		op;		/* enum fop */
	uint8_t		field;		/* enum ffield */
	uint8_t		cmp;		/* enum fcmp, for FO_CMP */
	bool		v6;		/* FO_NET: v6 prefix (not v4-mapped) */
	int32_t		jt, jf;		/* next test; FJ_ACCEPT / FJ_REJECT */
	uint64_t	val;		/* FO_CMP, FO_FLAGS */
	struct a128	net, mask;	/* FO_NET */
	const struct flist *list;	/* borrowed from the filter */
};
#define FJ_ACCEPT	(-1)
#define FJ_REJECT	(-2)

struct filter {
	struct finsn	*prog;		/* owned; jumps strictly forward */
	size_t		 nprog;
	int32_t		 entry;		/* 0, or FJ_* for a constant filter */
	fcol_mask	 cols;		/* FCOL_BIT()s read */
	struct flist	**lists;	/* owned, each */
	size_t		 nlists;
};

/* AST */
enum fnkind { FN_TRUE, FN_LEAF, FN_AND, FN_OR, FN_NOT };

struct fnode {
	uint8_t		 kind;		/* enum fnkind */
	struct finsn	 t;		/* FN_LEAF: the test (jumps unset) */
	struct fnode	*kids, *last;	/* FN_AND/OR/NOT: children */
	struct fnode	*next;		/* sibling */
	int		 line, col;	/* where it starts, for errors */
};

/* Parse state: one per filter_compile() call; everything is in here. */
struct fparse {
	struct farena	*arena;		/* owned: nodes and token text */
	struct fnode	*root;
	struct flist	**lists;	/* owned until handed to the filter */
	size_t		 nlists, caplists;
	int		 line, col;	/* scanner position, 1-based */
	int		 prev_tok;	/* token before the last, for hints */
	int		 cur_tok;	/* last token scanned */
	char		 tok[64];	/* its text, truncated */
	int		 rc;		/* first error: NFE_* */
	char		*err;		/* caller's buffer */
	size_t		 errlen;
};

/* Arena allocation: zeroed, freed with the parse.  NULL on OOM. */
void	*fp_alloc(struct fparse *fp, size_t n);
char	*fp_strdup(struct fparse *fp, const char *s, size_t n);

/* Record the first error at loc; later calls keep the first one. */
void	fp_error(struct fparse *fp, const struct floc *loc, int rc,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/*
 * Node builders used by the grammar (filter.c).  Each resolves the
 * field word (at wloc) on its side (0 none, 1 src, 2 dst, 3 in, 4 out;
 * none on a two-sided word is an or of both sides), checks its value
 * text and returns a node, or NULL with fp->rc and the message set (at
 * loc, the value's token).
 */
struct fnode *fn_new(struct fparse *fp, int kind, const struct floc *loc);
struct fnode *fn_bool(struct fparse *fp, int kind, struct fnode *a,
	    struct fnode *b, const struct floc *loc);
struct fnode *fn_not(struct fparse *fp, struct fnode *a,
	    const struct floc *loc);
struct fnode *fn_cmp(struct fparse *fp, int field, int cmp, uint64_t val,
	    const struct floc *loc);
struct fnode *fb_addr(struct fparse *fp, int side, const char *word,
	    const struct floc *wloc, const char *s, const struct floc *loc);
struct fnode *fb_addrip(struct fparse *fp, int side, const char *word,
	    const struct floc *wloc, const char *ip, const struct floc *iploc,
	    const char *s, const struct floc *loc);
struct fnode *fb_net(struct fparse *fp, int side, const char *word,
	    const struct floc *wloc, const char *s, const struct floc *loc);
struct fnode *fb_netmask(struct fparse *fp, int side, const char *word,
	    const struct floc *wloc, const char *a, const struct floc *aloc,
	    const char *m, const struct floc *mloc);
struct fnode *fb_list(struct fparse *fp, int side, const char *word,
	    const struct floc *wloc, struct flist *l, const struct floc *loc);
struct fnode *fb_num(struct fparse *fp, int side, const char *word,
	    const struct floc *wloc, int cmp, const char *s,
	    const struct floc *loc);
struct fnode *fb_numlist(struct fparse *fp, int side, const char *word,
	    const struct floc *wloc, struct flist *l, const struct floc *loc);
struct fnode *fb_proto(struct fparse *fp, int side, const char *word,
	    const struct floc *wloc, const char *s, const struct floc *loc);
struct fnode *fb_flags(struct fparse *fp, int side, const char *word,
	    const struct floc *wloc, const char *s, const struct floc *loc);
struct fnode *fb_icmp(struct fparse *fp, int side, const char *word,
	    const struct floc *wloc, const char *s, const struct floc *loc);
/* [in|out] [src|dst] mac M: dir 0/3/4, side 0/1/2 as fw_fields'. */
struct fnode *fb_mac(struct fparse *fp, int dir, int side, const char *word,
	    const struct floc *wloc, const char *s, const struct floc *loc);
/*
 * A counter word and a name: the value the name stands for, for kinds
 * with names (nat event add, nat event add44, ...); else the parser's
 * message for a word where a number belongs.
 */
struct fnode *fb_named(struct fparse *fp, int side, const char *word,
	    const struct floc *wloc, const char *s, const struct floc *loc);
/* appid E..S: an application id (fv_appid), equal. */
struct fnode *fb_appid(struct fparse *fp, const char *word,
	    const struct floc *wloc, const char *s, const struct floc *loc);
struct fnode *fb_str(struct fparse *fp, int side, const char *word,
	    const struct floc *wloc, const char *s, const struct floc *loc);
struct fnode *fb_strlist(struct fparse *fp, int side, const char *word,
	    const struct floc *wloc, struct flist *l, const struct floc *loc);

/*
 * String lists (fstr.c): fs_add checks and copies one value (at most
 * FLOWREC_STR_MAX bytes); fs_finish sorts and deduplicates; fs_free
 * frees the strings; fs_match tests a value.
 */
bool	fs_add(struct fparse *fp, struct flist *l, const char *s,
	    const struct floc *loc);
int	fs_finish(struct flist *l);
void	fs_free(struct flist *l);
bool	fs_match(const struct flist *l, const char *p, size_t len);

/*
 * Filter words (fwords.c), from the catalogue.  fw_shape: the shape
 * (enum fld_shape) of word s, FS_NONE if s names no field.  fw_hint:
 * the words that may follow src/dst (srcdst) or in/out, as "a, b or c".
 */
int	fw_shape(const char *s);
const char *fw_hint(bool srcdst, char *buf, size_t len);
/*
 * The fields word names on side (0 none, 1 src, 2 dst, 3 in, 4 out):
 * *f1, and *f2 (or -1) when an unqualified word matches either of two.
 * false (fp->rc and message, at wloc) if the word has no such side.
 */
bool	fw_fields(struct fparse *fp, int side, const char *word,
	    const struct floc *wloc, int *f1, int *f2);
size_t	fw_fields2(const char *word, int dir, int side, int *f, size_t n);
/* Value parsers (fvalue.c): true on success, else fp->rc and message. */
bool	fv_number(struct fparse *fp, const char *s, const struct floc *loc,
	    uint64_t max, const char *what, uint64_t *out);
bool	fv_addr(struct fparse *fp, const char *s, const struct floc *loc,
	    struct a128 *out);
/* A MAC address, six hex pairs split by ':' (or '-'), as an integer. */
bool	fv_mac(struct fparse *fp, const char *s, const struct floc *loc,
	    uint64_t *out);
/*
 * An application id as flowq prints it: ENGINE..SELECTOR (or
 * ENGINE:SELECTOR), for engine 20 ENGINE..PEN..SELECTOR; as the
 * stored FK_APPID value (fields.h).
 */
bool	fv_appid(struct fparse *fp, const char *s, const struct floc *loc,
	    uint64_t *out);
bool	fv_prefix(struct fparse *fp, const char *s, const struct floc *loc,
	    struct a128 *net, int *abslen);
bool	fv_v4mask(struct fparse *fp, const char *s, const struct floc *loc,
	    struct a128 *mask);
bool	fv_proto(struct fparse *fp, const char *s, const struct floc *loc,
	    uint64_t *out);
bool	fv_flags(struct fparse *fp, const char *s, const struct floc *loc,
	    uint64_t *out);

/*
 * Lists ([...]) built by the grammar, owned by fp until compile
 * succeeds.  fl_add_str parses one element: a number, or for an address
 * list an address or prefix.
 */
struct flist *fl_new(struct fparse *fp, bool is_addr);
bool	fl_add_str(struct fparse *fp, struct flist *l, const char *s,
	    const struct floc *loc);

/* Address helpers (feval.c). */
void	a128_from_addr(struct a128 *out, const struct nf_addr *a);
void	a128_mask(struct a128 *out, int abslen);	/* abslen ones */
bool	a128_is_v4(const struct a128 *a);
static inline uint32_t
a128_hash(const struct a128 *a)
{
	uint64_t h = a->hi * UINT64_C(0x9e3779b97f4a7c15) ^
	    a->lo * UINT64_C(0xc2b2ae3d27d4eb4f);

	return (uint32_t)(h ^ h >> 29 ^ h >> 47);
}

/* Evaluation of one test on one record (feval.c). */
bool	finsn_test_rec(const struct finsn *t, const struct flowrec *r,
	    const struct filter_env *env);

/* Generated parser entry (fgrammar.y) and scanner (fscan.l). */
int	fgram_parse(struct fparse *fp, void *scanner);
int	fscan_init(struct fparse *fp, const char *src, void **scanner);
void	fscan_fini(void *scanner);

#endif /* QUERY_FILTER_INT_H */
