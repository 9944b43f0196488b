/*
 * query/filter.c -- compile a filter expression (flowkit-filter(7)) into
 * a flat program.
 *
 * The grammar (fgrammar.y) builds an AST in an arena that belongs to
 * one compile call; the builders here check every value as it is
 * parsed, so errors point at the offending token.  The unqualified
 * forms ("port 80", "ip A", "as in [...]") become an "or" of the source
 * and destination tests, as in nfdump.  And/or chains are flattened as
 * they are built, so the tree is only as deep as the parentheses and
 * nots of the text.
 *
 * Compilation (nfdump's jump graph): compile(node, T, F) emits node's
 * tests so that control reaches T when node is true and F when false;
 * a leaf is one test jumping to T or F; "a and b" is a jumping to b's
 * entry or F; "a or b" is a jumping to T or b's entry; "not a" swaps T
 * and F.  One quirk is kept from nfdump 1.7.1 (checked against it):
 * "flags SA" is true when all the listed flags are set, but "not flags
 * SA" is true when none of them is, so a flags test under an odd number
 * of nots is emitted as "any of them set" with its jumps swapped.
 * Children are emitted last to first, so every jump goes to a
 * test emitted earlier; reversing the array makes every jump go
 * forward, which guarantees termination and lets feval.c run the
 * program over a block in one pass.  The tree is walked recursively
 * here only, with a depth bound (FILTER_MAX_DEPTH).
 */
#include "common/base/compat.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/base/fields.h"
#include "common/base/nferr.h"
#include "query/filter_int.h"

#define ARENA_CHUNK	(64 * 1024)

struct farena {
	struct farena	*next;
	size_t		 used, cap;
	max_align_t	 data[];
};

void *
fp_alloc(struct fparse *fp, size_t n)
{
	struct farena *a = fp->arena;
	void *p;

	n = (n + sizeof(max_align_t) - 1) & ~(sizeof(max_align_t) - 1);
	if (a == NULL || a->cap - a->used < n) {
		size_t cap = n > ARENA_CHUNK ? n : ARENA_CHUNK;

		a = malloc(sizeof(*a) + cap);
		if (a == NULL) {
			fp_error(fp, NULL, NFE_NOMEM, "out of memory");
			return NULL;
		}
		a->next = fp->arena;
		a->used = 0;
		a->cap = cap;
		fp->arena = a;
	}
	p = (char *)a->data + a->used;
	a->used += n;
	memset(p, 0, n);
	return p;
}

char *
fp_strdup(struct fparse *fp, const char *s, size_t n)
{
	char *p = fp_alloc(fp, n + 1);

	if (p != NULL) {
		memcpy(p, s, n);
		p[n] = '\0';
	}
	return p;
}

void
fp_error(struct fparse *fp, const struct floc *loc, int rc, const char *fmt,
    ...)
{
	va_list ap;
	size_t n = 0;

	if (fp->rc != NFE_OK)
		return;
	fp->rc = rc;
	if (fp->errlen == 0)
		return;
	fp->err[0] = '\0';
	if (loc != NULL) {
		snprintf(fp->err, fp->errlen, "line %d, column %d: ",
		    loc->first_line, loc->first_column);
		n = strlen(fp->err);
	}
	va_start(ap, fmt);
	vsnprintf(fp->err + n, fp->errlen - n, fmt, ap);
	va_end(ap);
}

/* Nodes */

struct fnode *
fn_new(struct fparse *fp, int kind, const struct floc *loc)
{
	struct fnode *n = fp_alloc(fp, sizeof(*n));

	if (n != NULL) {
		n->kind = (uint8_t)kind;
		n->line = loc->first_line;
		n->col = loc->first_column;
	}
	return n;
}

static void
fn_append(struct fnode *parent, struct fnode *kid)
{
	if (kid->kind == parent->kind && kid->kind != FN_NOT) {
		/* flatten: (a or b) or c is one or of three */
		if (kid->kids == NULL)
			return;
		if (parent->last != NULL)
			parent->last->next = kid->kids;
		else
			parent->kids = kid->kids;
		parent->last = kid->last;
		return;
	}
	kid->next = NULL;
	if (parent->last != NULL)
		parent->last->next = kid;
	else
		parent->kids = kid;
	parent->last = kid;
}

struct fnode *
fn_bool(struct fparse *fp, int kind, struct fnode *a, struct fnode *b,
    const struct floc *loc)
{
	struct fnode *n = a;

	if (a->kind != kind) {
		if ((n = fn_new(fp, kind, loc)) == NULL)
			return NULL;
		fn_append(n, a);
	}
	fn_append(n, b);
	return n;
}

struct fnode *
fn_not(struct fparse *fp, struct fnode *a, const struct floc *loc)
{
	struct fnode *n;

	if (a->kind == FN_NOT)
		return a->kids;		/* not not a == a */
	if ((n = fn_new(fp, FN_NOT, loc)) == NULL)
		return NULL;
	n->kids = n->last = a;
	a->next = NULL;
	return n;
}

static struct fnode *
fn_leaf(struct fparse *fp, int op, int field, const struct floc *loc)
{
	struct fnode *n = fn_new(fp, FN_LEAF, loc);

	if (n != NULL) {
		n->t.op = (uint8_t)op;
		n->t.field = (uint8_t)field;
	}
	return n;
}

struct fnode *
fn_cmp(struct fparse *fp, int field, int cmp, uint64_t val,
    const struct floc *loc)
{
	struct fnode *n = fn_leaf(fp, FO_CMP, field, loc);

	if (n != NULL) {
		n->t.cmp = (uint8_t)cmp;
		n->t.val = val;
	}
	return n;
}

/* Leaf a on field f1, or with f2 >= 0 an or of a and a copy on f2. */
static struct fnode *
fn_sides(struct fparse *fp, struct fnode *a, int f2, const struct floc *loc)
{
	struct fnode *b;

	if (a == NULL)
		return NULL;
	if (f2 < 0)
		return a;
	if ((b = fn_new(fp, FN_LEAF, loc)) == NULL)
		return NULL;
	b->t = a->t;
	b->t.field = (uint8_t)f2;
	return fn_bool(fp, FN_OR, a, b, loc);
}

static struct fnode *
fn_net(struct fparse *fp, int field, const struct a128 *net,
    const struct a128 *mask, const struct floc *loc)
{
	struct fnode *n = fn_leaf(fp, FO_NET, field, loc);

	if (n != NULL) {
		n->t.net = *net;
		n->t.mask = *mask;
		n->t.v6 = !a128_is_v4(net);
	}
	return n;
}

/* How a field's value is called in messages: its .what, or the word. */
static const char *
what(int f, const char *word)
{
	return fld(f)->what != NULL ? fld(f)->what : word;
}

struct fnode *
fb_addr(struct fparse *fp, int side, const char *word, const struct floc *wloc,
    const char *s, const struct floc *loc)
{
	struct a128 a, mask = { UINT64_MAX, UINT64_MAX };
	int f1, f2;

	if (!fw_fields(fp, side, word, wloc, &f1, &f2) ||
	    !fv_addr(fp, s, loc, &a))
		return NULL;
	return fn_sides(fp, fn_net(fp, f1, &a, &mask, loc), f2, loc);
}

struct fnode *
fb_addrip(struct fparse *fp, int side, const char *word,
    const struct floc *wloc, const char *ip, const struct floc *iploc,
    const char *s, const struct floc *loc)
{
	if (strcasecmp(ip, "ip") != 0) {
		fp_error(fp, iploc, NFE_INVAL, "unexpected '%s', expected "
		    "'ip'", ip);
		return NULL;
	}
	return fb_addr(fp, side, word, wloc, s, loc);
}

struct fnode *
fb_net(struct fparse *fp, int side, const char *word, const struct floc *wloc,
    const char *s, const struct floc *loc)
{
	struct a128 net, mask;
	int abslen, f1, f2;

	if (!fw_fields(fp, side, word, wloc, &f1, &f2) ||
	    !fv_prefix(fp, s, loc, &net, &abslen))
		return NULL;
	a128_mask(&mask, abslen);
	return fn_sides(fp, fn_net(fp, f1, &net, &mask, loc), f2, loc);
}

struct fnode *
fb_netmask(struct fparse *fp, int side, const char *word,
    const struct floc *wloc, const char *a, const struct floc *aloc,
    const char *m, const struct floc *mloc)
{
	struct a128 net, mask;
	int f1, f2;

	if (!fw_fields(fp, side, word, wloc, &f1, &f2) ||
	    !fv_addr(fp, a, aloc, &net))
		return NULL;
	if (!a128_is_v4(&net)) {
		fp_error(fp, mloc, NFE_INVAL, "a netmask is only valid with an "
		    "IPv4 address; use %s/LEN", a);
		return NULL;
	}
	if (!fv_v4mask(fp, m, mloc, &mask))
		return NULL;
	net.hi &= mask.hi;
	net.lo &= mask.lo;
	return fn_sides(fp, fn_net(fp, f1, &net, &mask, aloc), f2, aloc);
}

struct fnode *
fb_list(struct fparse *fp, int side, const char *word, const struct floc *wloc,
    struct flist *l, const struct floc *loc)
{
	struct fnode *n;
	int f1, f2;

	if (!fw_fields(fp, side, word, wloc, &f1, &f2))
		return NULL;
	if ((n = fn_leaf(fp, FO_ADDRLIST, f1, loc)) != NULL)
		n->t.list = l;
	return fn_sides(fp, n, f2, loc);
}

struct fnode *
fb_num(struct fparse *fp, int side, const char *word, const struct floc *wloc,
    int cmp, const char *s, const struct floc *loc)
{
	uint64_t v;
	int f1, f2;

	if (!fw_fields(fp, side, word, wloc, &f1, &f2) ||
	    !fv_number(fp, s, loc, fld_max((unsigned)f1), what(f1, word), &v))
		return NULL;
	return fn_sides(fp, fn_cmp(fp, f1, cmp, v, loc), f2, loc);
}

struct fnode *
fb_numlist(struct fparse *fp, int side, const char *word,
    const struct floc *wloc, struct flist *l, const struct floc *loc)
{
	struct fnode *n;
	int f1, f2;

	if (!fw_fields(fp, side, word, wloc, &f1, &f2))
		return NULL;
	if (l->maxval > fld_max((unsigned)f1)) {
		fp_error(fp, &l->maxloc, NFE_INVAL, "%s %llu out of range "
		    "0..%llu", what(f1, word), (unsigned long long)l->maxval,
		    (unsigned long long)fld_max((unsigned)f1));
		return NULL;
	}
	if ((n = fn_leaf(fp, FO_INLIST, f1, loc)) != NULL)
		n->t.list = l;
	return fn_sides(fp, n, f2, loc);
}

struct fnode *
fb_proto(struct fparse *fp, int side, const char *word,
    const struct floc *wloc, const char *s, const struct floc *loc)
{
	uint64_t v;
	int f1, f2;

	if (!fw_fields(fp, side, word, wloc, &f1, &f2) ||
	    !fv_proto(fp, s, loc, &v))
		return NULL;
	return fn_sides(fp, fn_cmp(fp, f1, FC_EQ, v, loc), f2, loc);
}

struct fnode *
fb_flags(struct fparse *fp, int side, const char *word,
    const struct floc *wloc, const char *s, const struct floc *loc)
{
	struct fnode *n;
	uint64_t v;
	int f1, f2;

	if (!fw_fields(fp, side, word, wloc, &f1, &f2) ||
	    !fv_flags(fp, s, loc, &v))
		return NULL;
	if ((n = fn_leaf(fp, FO_FLAGS, f1, loc)) != NULL)
		n->t.val = v;
	return fn_sides(fp, n, f2, loc);
}

/* icmp-type/icmp-code N imply ICMP or ICMPv6. */
struct fnode *
fb_icmp(struct fparse *fp, int side, const char *word,
    const struct floc *wloc, const char *s, const struct floc *loc)
{
	struct fnode *p4, *p6, *proto, *t;
	uint64_t v;
	int f1, f2;

	if (!fw_fields(fp, side, word, wloc, &f1, &f2) ||
	    !fv_number(fp, s, loc, fld_max((unsigned)f1), what(f1, word), &v))
		return NULL;
	if ((p4 = fn_cmp(fp, FLD_PROTO, FC_EQ, 1, loc)) == NULL ||
	    (p6 = fn_cmp(fp, FLD_PROTO, FC_EQ, 58, loc)) == NULL ||
	    (proto = fn_bool(fp, FN_OR, p4, p6, loc)) == NULL ||
	    (t = fn_sides(fp, fn_cmp(fp, f1, FC_EQ, v, loc), f2, loc)) == NULL)
		return NULL;
	return fn_bool(fp, FN_AND, proto, t, loc);
}

struct fnode *
fb_mac(struct fparse *fp, int dir, int side, const char *word,
    const struct floc *wloc, const char *s, const struct floc *loc)
{
	struct fnode *n = NULL, *t;
	int f[4];
	size_t k = fw_fields2(word, dir, side, f, 4);
	uint64_t v;

	if (k == 0) {
		fp_error(fp, wloc, NFE_INVAL, "unexpected '%s'", word);
		return NULL;
	}
	if (!fv_mac(fp, s, loc, &v))
		return NULL;
	for (size_t i = 0; i < k; i++) {
		if ((t = fn_cmp(fp, f[i], FC_EQ, v, loc)) == NULL)
			return NULL;
		if (n != NULL && (t = fn_bool(fp, FN_OR, n, t, loc)) == NULL)
			return NULL;
		n = t;
	}
	return n;
}

struct fnode *
fb_named(struct fparse *fp, int side, const char *word,
    const struct floc *wloc, const char *s, const struct floc *loc)
{
	int f1, f2, v = -1;

	if (!fw_fields(fp, side, word, wloc, &f1, &f2))
		return NULL;
	if (fld((unsigned)f1)->kind == FK_NATEVT)
		v = fld_natevent_value(s);
	if (v < 0) {
		fp_error(fp, loc, NFE_INVAL, "unexpected '%s', expected a "
		    "comparator or a number%s", s,
		    fld((unsigned)f1)->kind == FK_NATEVT ? " or an event name "
		    "(add, delete, add44, del44, addpblk, delpblk, ...)" : "");
		return NULL;
	}
	return fn_sides(fp, fn_cmp(fp, f1, FC_EQ, (uint64_t)v, loc), f2, loc);
}

struct fnode *
fb_appid(struct fparse *fp, const char *word, const struct floc *wloc,
    const char *s, const struct floc *loc)
{
	int f1, f2;
	uint64_t v;

	if (!fw_fields(fp, 0, word, wloc, &f1, &f2) || !fv_appid(fp, s, loc,
	    &v))
		return NULL;
	return fn_cmp(fp, f1, FC_EQ, v, loc);
}

struct fnode *
fb_strlist(struct fparse *fp, int side, const char *word,
    const struct floc *wloc, struct flist *l, const struct floc *loc)
{
	struct fnode *n;
	int f1, f2;

	if (!fw_fields(fp, side, word, wloc, &f1, &f2))
		return NULL;
	if ((n = fn_leaf(fp, FO_STRLIST, f1, loc)) != NULL)
		n->t.list = l;
	return fn_sides(fp, n, f2, loc);
}

struct fnode *
fb_str(struct fparse *fp, int side, const char *word, const struct floc *wloc,
    const char *s, const struct floc *loc)
{
	struct flist *l;

	if ((l = fl_new(fp, false)) == NULL)
		return NULL;
	l->is_str = true;
	if (!fs_add(fp, l, s, loc))
		return NULL;
	return fb_strlist(fp, side, word, wloc, l, loc);
}

/* Lists */

struct flist *
fl_new(struct fparse *fp, bool is_addr)
{
	struct flist *l, **nl;
	size_t cap;

	if (fp->nlists == fp->caplists) {
		cap = fp->caplists ? 2 * fp->caplists : 8;
		nl = realloc(fp->lists, cap * sizeof(*nl));
		if (nl == NULL)
			goto nomem;
		fp->lists = nl;
		fp->caplists = cap;
	}
	if ((l = calloc(1, sizeof(*l))) == NULL)
		goto nomem;
	l->is_addr = is_addr;
	fp->lists[fp->nlists++] = l;
	return l;
nomem:
	fp_error(fp, NULL, NFE_NOMEM, "out of memory");
	return NULL;
}

static bool
fl_grow(struct fparse *fp, struct flist *l)
{
	uint32_t cap;
	void *p;

	if (l->n < l->cap)
		return true;
	if (l->cap >= (1u << 26)) {
		fp_error(fp, NULL, NFE_LIMIT, "list longer than %u entries",
		    l->cap);
		return false;
	}
	cap = l->cap ? 2 * l->cap : 16;
	if (l->is_addr)
		p = realloc(l->ents, cap * sizeof(*l->ents));
	else
		p = realloc(l->vals, cap * sizeof(*l->vals));
	if (p == NULL) {
		fp_error(fp, NULL, NFE_NOMEM, "out of memory");
		return false;
	}
	if (l->is_addr)
		l->ents = p;
	else
		l->vals = p;
	l->cap = cap;
	return true;
}

bool
fl_add_str(struct fparse *fp, struct flist *l, const char *s,
    const struct floc *loc)
{
	struct fentry e;
	uint64_t v;
	int abslen;

	if (!fl_grow(fp, l))
		return false;
	if (!l->is_addr) {
		if (!fv_number(fp, s, loc, UINT64_MAX, "number", &v))
			return false;
		if (l->n == 0 || v > l->maxval) {
			l->maxval = v;
			l->maxloc = *loc;
		}
		l->vals[l->n++] = v;
		return true;
	}
	memset(&e, 0, sizeof(e));
	if (strchr(s, '/') != NULL) {
		if (!fv_prefix(fp, s, loc, &e.net, &abslen))
			return false;
	} else {
		if (!fv_addr(fp, s, loc, &e.net))
			return false;
		abslen = 128;
	}
	e.abslen = (uint8_t)abslen;
	e.v6 = !a128_is_v4(&e.net);
	l->ents[l->n++] = e;
	return true;
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static int
cmp_a128(const struct a128 *x, const struct a128 *y)
{
	if (x->hi != y->hi)
		return x->hi < y->hi ? -1 : 1;
	return x->lo < y->lo ? -1 : x->lo > y->lo;
}

static int
cmp_ent(const void *a, const void *b)
{
	const struct fentry *x = a, *y = b;

	if (x->v6 != y->v6)
		return x->v6 ? 1 : -1;
	if (x->abslen != y->abslen)
		return x->abslen < y->abslen ? -1 : 1;
	return cmp_a128(&x->net, &y->net);
}

/* Hash the large groups: slots twice the entries, a power of two. */
static int
fl_hash(struct flist *l)
{
	size_t total = 0, size;
	uint32_t g, i, h;

	for (g = 0; g < l->ngroups; g++) {
		struct fgroup *gr = &l->groups[g];

		if (gr->cnt < FGROUP_HASH_MIN)
			continue;
		for (size = 64; size < 2 * (size_t)gr->cnt; size *= 2)
			;
		gr->hoff = (uint32_t)total;
		gr->hmask = (uint32_t)(size - 1);
		total += size;
	}
	if (total == 0)
		return NFE_OK;
	if ((l->slots = calloc(total, sizeof(*l->slots))) == NULL)
		return NFE_NOMEM;
	for (g = 0; g < l->ngroups; g++) {
		const struct fgroup *gr = &l->groups[g];
		uint32_t *slots = l->slots + gr->hoff;

		if (gr->hmask == 0)
			continue;
		for (i = 0; i < gr->cnt; i++) {
			h = a128_hash(&l->nets[gr->off + i]) & gr->hmask;
			while (slots[h] != 0)
				h = (h + 1) & gr->hmask;
			slots[h] = gr->off + i + 1;
		}
	}
	return NFE_OK;
}

/* Sort and deduplicate; group prefixes by (family, length). */
static int
fl_finish(struct flist *l)
{
	uint32_t i, n = 0, g = 0;

	if (l->is_str)
		return fs_finish(l);
	if (!l->is_addr) {
		qsort(l->vals, l->n, sizeof(*l->vals), cmp_u64);
		for (i = 0; i < l->n; i++)
			if (n == 0 || l->vals[i] != l->vals[n - 1])
				l->vals[n++] = l->vals[i];
		l->n = n;
		return NFE_OK;
	}
	qsort(l->ents, l->n, sizeof(*l->ents), cmp_ent);
	l->nets = calloc(l->n ? l->n : 1, sizeof(*l->nets));
	l->groups = calloc(l->n ? l->n : 1, sizeof(*l->groups));
	if (l->nets == NULL || l->groups == NULL)
		return NFE_NOMEM;
	for (i = 0; i < l->n; i++) {
		const struct fentry *e = &l->ents[i];

		if (i == 0 || e->v6 != l->ents[i - 1].v6 ||
		    e->abslen != l->ents[i - 1].abslen) {
			l->groups[g].off = n;
			l->groups[g].v6 = e->v6;
			a128_mask(&l->groups[g].mask, e->abslen);
			g++;
		} else if (cmp_a128(&e->net, &l->nets[n - 1]) == 0) {
			continue;
		}
		l->nets[n++] = e->net;
		l->groups[g - 1].cnt++;
	}
	l->ngroups = g;
	l->n = n;
	free(l->ents);
	l->ents = NULL;
	return fl_hash(l);
}

static void
fl_free(struct flist *l)
{
	if (l == NULL)
		return;
	free(l->vals);
	free(l->ents);
	free(l->nets);
	free(l->groups);
	free(l->slots);
	fs_free(l);
	free(l);
}

/* Compilation */

struct fcomp {
	struct fparse	*fp;
	struct finsn	*prog;
	size_t		 n, cap;
};

/* Count leaves (the program's size) and check the depth. */
static int
count_leaves(struct fparse *fp, const struct fnode *n, int depth,
    size_t *count)
{
	const struct fnode *k;
	int rc;

	if (depth > FILTER_MAX_DEPTH) {
		struct floc loc = { n->line, n->col, n->line, n->col };

		fp_error(fp, &loc, NFE_LIMIT, "expression nested deeper than "
		    "%d levels", FILTER_MAX_DEPTH);
		return NFE_LIMIT;
	}
	if (n->kind == FN_LEAF)
		(*count)++;
	for (k = n->kids; k != NULL; k = k->next)
		if ((rc = count_leaves(fp, k, depth + 1, count)) != NFE_OK)
			return rc;
	return NFE_OK;
}

/*
 * Emit n's tests; return the entry (an index, or t/f themselves).  The
 * AST is consumed: and/or child lists are reversed in place so they can
 * be walked last to first.
 */
static int32_t
emit(struct fcomp *c, struct fnode *n, int32_t t, int32_t f, bool neg)
{
	struct fnode *k, *prev, *next;
	struct finsn *in;
	int32_t entry;

	switch (n->kind) {
	case FN_TRUE:
		return t;
	case FN_LEAF:
		in = &c->prog[c->n];
		*in = n->t;
		in->jt = t;
		in->jf = f;
		if (in->op == FO_FLAGS && neg)
			in->op = FO_FLAGS_ANY;	/* nfdump: none set */
		return (int32_t)c->n++;
	case FN_NOT:
		return emit(c, n->kids, f, t, !neg);
	default:
		break;
	}
	prev = NULL;
	for (k = n->kids; k != NULL; k = next) {
		next = k->next;
		k->next = prev;
		prev = k;
	}
	entry = n->kind == FN_AND ? t : f;
	for (k = prev; k != NULL; k = k->next) {
		if (n->kind == FN_AND)
			entry = emit(c, k, entry, f, neg);
		else
			entry = emit(c, k, t, entry, neg);
	}
	return entry;
}

static int
compile(struct fparse *fp, struct filter *f)
{
	struct fcomp c = { .fp = fp };
	size_t nleaves = 0, i;
	int32_t entry;
	int rc;

	if ((rc = count_leaves(fp, fp->root, 0, &nleaves)) != NFE_OK)
		return rc;
	if (nleaves > FILTER_MAX_INSNS) {
		fp_error(fp, NULL, NFE_LIMIT, "filter has %zu tests; at most "
		    "%d are allowed", nleaves, FILTER_MAX_INSNS);
		return NFE_LIMIT;
	}
	if (nleaves > 0 &&
	    (c.prog = calloc(nleaves, sizeof(*c.prog))) == NULL)
		return NFE_NOMEM;
	entry = emit(&c, fp->root, FJ_ACCEPT, FJ_REJECT, false);
	/* reverse so that jumps go forward; the entry becomes test 0 */
	for (i = 0; i < c.n / 2; i++) {
		struct finsn tmp = c.prog[i];

		c.prog[i] = c.prog[c.n - 1 - i];
		c.prog[c.n - 1 - i] = tmp;
	}
	for (i = 0; i < c.n; i++) {
		struct finsn *in = &c.prog[i];

		if (in->jt >= 0)
			in->jt = (int32_t)(c.n - 1) - in->jt;
		if (in->jf >= 0)
			in->jf = (int32_t)(c.n - 1) - in->jf;
		f->cols |= fld_columns(in->field);
	}
	f->prog = c.prog;
	f->nprog = c.n;
	f->entry = entry < 0 ? entry : 0;
	return NFE_OK;
}

int
filter_compile(const char *src, struct filter **out, char *err,
    size_t errlen)
{
	struct fparse fp;
	struct filter *f = NULL;
	void *scanner = NULL;
	int rc;

	*out = NULL;
	memset(&fp, 0, sizeof(fp));
	fp.line = fp.col = 1;
	fp.err = err;
	fp.errlen = errlen;
	if (errlen > 0)
		err[0] = '\0';
	if (strlen(src) > FILTER_MAX_SRC) {
		fp_error(&fp, NULL, NFE_LIMIT, "filter longer than %u bytes",
		    FILTER_MAX_SRC);
		return NFE_LIMIT;
	}
	if ((rc = fscan_init(&fp, src, &scanner)) != NFE_OK) {
		fp_error(&fp, NULL, rc, "out of memory");
		goto done;
	}
	if (fgram_parse(&fp, scanner) != 0 || fp.rc != NFE_OK) {
		if (fp.rc == NFE_OK)
			fp_error(&fp, NULL, NFE_NOMEM, "out of memory");
		goto done;
	}
	if ((f = calloc(1, sizeof(*f))) == NULL) {
		fp_error(&fp, NULL, NFE_NOMEM, "out of memory");
		goto done;
	}
	for (size_t i = 0; i < fp.nlists; i++) {
		if (fl_finish(fp.lists[i]) != NFE_OK) {
			fp_error(&fp, NULL, NFE_NOMEM, "out of memory");
			goto done;
		}
	}
	if ((rc = compile(&fp, f)) != NFE_OK) {
		fp_error(&fp, NULL, rc, "out of memory");
		goto done;
	}
	f->lists = fp.lists;		/* transferred */
	f->nlists = fp.nlists;
	fp.lists = NULL;
	fp.nlists = 0;
	*out = f;
	f = NULL;
done:
	filter_free(f);
	fscan_fini(scanner);
	for (size_t i = 0; i < fp.nlists; i++)
		fl_free(fp.lists[i]);
	free(fp.lists);
	while (fp.arena != NULL) {
		struct farena *next = fp.arena->next;

		free(fp.arena);
		fp.arena = next;
	}
	return fp.rc;
}

void
filter_free(struct filter *f)
{
	if (f == NULL)
		return;
	free(f->prog);
	for (size_t i = 0; i < f->nlists; i++)
		fl_free(f->lists[i]);
	free(f->lists);
	free(f);
}

fcol_mask
filter_columns(const struct filter *f)
{
	return f->cols;
}

size_t
filter_size(const struct filter *f)
{
	return f->nprog;
}

static const char *const cmp_names[] = { "==", ">", "<", ">=", "<=" };
char *
filter_dump(const struct filter *f, char *buf, size_t len)
{
	size_t used = 0;
	int n;

	if (len == 0)
		return buf;
	buf[0] = '\0';
	for (size_t i = 0; i < f->nprog && used < len; i++) {
		const struct finsn *in = &f->prog[i];

		n = 0;
		switch (in->op) {
		case FO_CMP:
			n = snprintf(buf + used, len - used, "%zu: %s %s %llu",
			    i, fld(in->field)->name, cmp_names[in->cmp],
			    (unsigned long long)in->val);
			break;
		case FO_FLAGS:
		case FO_FLAGS_ANY:
			n = snprintf(buf + used, len - used,
			    "%zu: %s has %s 0x%02llx", i, fld(in->field)->name,
			    in->op == FO_FLAGS ? "all" : "any",
			    (unsigned long long)in->val);
			break;
		case FO_INLIST:
		case FO_ADDRLIST:
		case FO_STRLIST:
			n = snprintf(buf + used, len - used,
			    "%zu: %s in list of %u", i, fld(in->field)->name,
			    in->list->n);
			break;
		case FO_NET:
			n = snprintf(buf + used, len - used,
			    "%zu: %s & %016llx%016llx == %016llx%016llx", i,
			    fld(in->field)->name,
			    (unsigned long long)in->mask.hi,
			    (unsigned long long)in->mask.lo,
			    (unsigned long long)in->net.hi,
			    (unsigned long long)in->net.lo);
			break;
		default:
			break;
		}
		if (n < 0 || (size_t)n >= len - used)
			break;
		used += (size_t)n;
		n = snprintf(buf + used, len - used, " ? %d : %d\n",
		    (int)in->jt, (int)in->jf);
		if (n < 0 || (size_t)n >= len - used)
			break;
		used += (size_t)n;
	}
	return buf;
}
