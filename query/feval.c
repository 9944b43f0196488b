/*
 * query/feval.c -- run a compiled filter (query/filter.c) on one record
 * or column-wise over a block.
 *
 * Per record: follow the jumps from test 0 until ACCEPT or REJECT.
 * Every jump goes forward, so the loop ends after at most nprog tests.
 *
 * Per block (column-wise): rows are taken in chunks of FEVAL_CHUNK.
 * Each test keeps a linked list of the rows waiting at it.  Tests are
 * visited in program order; a test gathers its rows' values from one
 * column, decides them all in one tight loop, and moves each row to the
 * list of its next test (or decides it).  Because jumps go forward, one
 * pass over the program settles every row.  Scratch space is on the
 * stack; programs longer than FEVAL_MAX_COLWISE tests (huge or-chains;
 * lists are one test) are run row by row over the columns instead.
 * Both paths share the value and comparison helpers below, so they
 * cannot disagree.
 */
#include "common/base/compat.h"

#include <string.h>

#include "common/base/fields.h"
#include "query/filter_int.h"

#define FEVAL_CHUNK		256
#define FEVAL_MAX_COLWISE	1024
#define NOROW			0xffff

static inline uint64_t
load_be64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	return v;
#else
	return __builtin_bswap64(v);
#endif
}

void
a128_from_addr(struct a128 *out, const struct nf_addr *a)
{
	out->hi = load_be64(a->a);
	out->lo = load_be64(a->a + 8);
}

void
a128_mask(struct a128 *out, int abslen)
{
	if (abslen <= 0) {
		out->hi = out->lo = 0;
	} else if (abslen < 64) {
		out->hi = ~UINT64_C(0) << (64 - abslen);
		out->lo = 0;
	} else if (abslen == 64) {
		out->hi = UINT64_MAX;
		out->lo = 0;
	} else if (abslen < 128) {
		out->hi = UINT64_MAX;
		out->lo = ~UINT64_C(0) << (128 - abslen);
	} else {
		out->hi = out->lo = UINT64_MAX;
	}
}

bool
a128_is_v4(const struct a128 *a)
{
	return a->hi == 0 && (a->lo >> 32) == 0xffff;
}

/* Derived values, nfdump's integer arithmetic (see flowkit-filter(7)). */
static inline uint64_t
duration_ms(uint64_t first, uint64_t last)
{
	return last > first ? last - first : 0;
}

static inline uint64_t
per_second(uint64_t count, uint64_t mult, uint64_t dur)
{
	unsigned __int128 v;

	if (dur == 0)
		return 0;
	v = (unsigned __int128)count * mult / dur;
	return v > UINT64_MAX ? UINT64_MAX : (uint64_t)v;
}

static inline bool
cmp_val(int cmp, uint64_t v, uint64_t want)
{
	switch (cmp) {
	case FC_GT: return v > want;
	case FC_LT: return v < want;
	case FC_GE: return v >= want;
	case FC_LE: return v <= want;
	default: return v == want;
	}
}

static bool
in_list(const struct flist *l, uint64_t v)
{
	size_t lo = 0, hi = l->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (l->vals[mid] == v)
			return true;
		if (l->vals[mid] < v)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

static bool
in_addrlist(const struct flist *l, const struct a128 *a)
{
	bool v4 = a128_is_v4(a);

	for (uint32_t g = 0; g < l->ngroups; g++) {
		const struct fgroup *gr = &l->groups[g];
		const struct a128 *nets = l->nets + gr->off;
		struct a128 m = { a->hi & gr->mask.hi, a->lo & gr->mask.lo };
		size_t lo = 0, hi = gr->cnt;

		if (gr->v6 && v4)
			continue;
		if (gr->hmask != 0) {
			const uint32_t *slots = l->slots + gr->hoff;
			uint32_t h = a128_hash(&m) & gr->hmask, k;

			while ((k = slots[h]) != 0) {
				if (l->nets[k - 1].hi == m.hi &&
				    l->nets[k - 1].lo == m.lo)
					return true;
				h = (h + 1) & gr->hmask;
			}
			continue;
		}
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;

			if (nets[mid].hi == m.hi && nets[mid].lo == m.lo)
				return true;
			if (nets[mid].hi < m.hi ||
			    (nets[mid].hi == m.hi && nets[mid].lo < m.lo))
				lo = mid + 1;
			else
				hi = mid;
		}
	}
	return false;
}

static inline bool
net_match(const struct finsn *t, const struct a128 *a)
{
	if (t->v6 && a128_is_v4(a))
		return false;
	return (a->hi & t->mask.hi) == t->net.hi &&
	    (a->lo & t->mask.lo) == t->net.lo;
}

static inline bool
addr_test(const struct finsn *t, const struct nf_addr *addr)
{
	struct a128 a;

	if (addr == NULL)
		return false;
	a128_from_addr(&a, addr);
	return t->op == FO_NET ? net_match(t, &a) : in_addrlist(t->list, &a);
}

static inline bool
int_test(const struct finsn *t, uint64_t v)
{
	switch (t->op) {
	case FO_FLAGS:
		return (v & t->val) == t->val;
	case FO_FLAGS_ANY:
		return (v & t->val) != 0;
	case FO_INLIST:
		return in_list(t->list, v);
	default:
		return cmp_val(t->cmp, v, t->val);
	}
}

/* An address test (the others read integers). */
static inline bool
is_addr_op(const struct finsn *t)
{
	return t->op == FO_NET || t->op == FO_ADDRLIST;
}

/*
 * MPLS: the label stack entry of one record in column col, and the
 * label of the first entry of d's .reads (in column order: top of the
 * stack first) with the bottom-of-stack bit set.
 */
static uint64_t
mpls_rec(unsigned col, const struct flowrec *r)
{
	const struct fld_desc *s = fld_by_col(col);

	return s != NULL ? fld_get_u64(s, r) : 0;
}

static uint64_t
mpls_eos_rec(const struct fld_desc *d, const struct flowrec *r)
{
	for (unsigned c = 1; c <= FCOL_MAX_ID; c++)
		if ((d->reads & FCOL_BIT(c)) != 0 && (mpls_rec(c, r) & 1) != 0)
			return mpls_rec(c, r) >> 4;
	return 0;
}

/*
 * Integer value of catalogue entry field for one record: a stored
 * field, or a computed one by its kind (nfdump's integer arithmetic).
 */
static uint64_t
rec_value(int field, const struct flowrec *r)
{
	const struct fld_desc *d = fld((unsigned)field);

	switch (d->kind) {
	case FK_DURATION:
		return duration_ms(r->first_ms, r->last_ms);
	case FK_BPS:
		return per_second(r->bytes, 8000,
		    duration_ms(r->first_ms, r->last_ms));
	case FK_PPS:
		return per_second(r->packets, 1000,
		    duration_ms(r->first_ms, r->last_ms));
	case FK_BPP:
		return r->packets ? r->bytes / r->packets : 0;
	case FK_ICMP_TYPE:
		return r->dst_port >> 8;
	case FK_ICMP_CODE:
		return r->dst_port & 0xff;
	case FK_MPLS_LABEL:
		return mpls_rec(fld_reads_first(d), r) >> 4;
	case FK_MPLS_EXP:
		return mpls_rec(fld_reads_first(d), r) >> 1 & 7;
	case FK_MPLS_EOS:
		return mpls_eos_rec(d, r);
	default:
		return fld_get_u64(d, r);
	}
}

static inline const struct nf_addr *
exporter_addr(const struct filter_env *env, uint16_t idx)
{
	if (env == NULL || idx >= env->nexporters)
		return NULL;
	return &env->exporters[idx].addr;
}

static const struct nf_addr *
rec_addr(int field, const struct flowrec *r, const struct filter_env *env)
{
	const struct fld_desc *d = fld((unsigned)field);

	if (d->kind == FK_ROUTER)
		return exporter_addr(env, r->exporter);
	return d->type == FT_ADDR ? fld_get_addr(d, r) : NULL;
}

bool
finsn_test_rec(const struct finsn *t, const struct flowrec *r,
    const struct filter_env *env)
{
	const struct nf_str *str;

	if (t->op == FO_STRLIST) {
		str = fld_get_str(fld(t->field), r);
		return fs_match(t->list, str->p, str->len);
	}
	if (is_addr_op(t))
		return addr_test(t, rec_addr(t->field, r, env));
	return int_test(t, rec_value(t->field, r));
}

bool
filter_match(const struct filter *f, const struct flowrec *r,
    const struct filter_env *env)
{
	int32_t pc = f->entry;

	while (pc >= 0) {
		const struct finsn *t = &f->prog[pc];

		pc = finsn_test_rec(t, r, env) ? t->jt : t->jf;
	}
	return pc == FJ_ACCEPT;
}

/* Row i of the array of a column of width w bytes. */
static inline uint64_t
load_w(const void *arr, unsigned w, size_t i)
{
	switch (w) {
	case 1:
		return ((const uint8_t *)arr)[i];
	case 2:
		return ((const uint16_t *)arr)[i];
	case 4:
		return ((const uint32_t *)arr)[i];
	default:
		return ((const uint64_t *)arr)[i];
	}
}

static uint64_t
mpls_eos_col(const struct fld_desc *d, const struct fcol *c, size_t i)
{
	uint64_t v;

	for (unsigned id = 1; id <= FCOL_MAX_ID; id++) {
		if ((d->reads & FCOL_BIT(id)) == 0)
			continue;
		if (((v = load_w(fcol_array(c, id), 4, i)) & 1) != 0)
			return v >> 4;
	}
	return 0;
}

/* Column access: row i of the block (as rec_value). */
static uint64_t
col_value(int field, const struct fcol *c, size_t i)
{
	const struct fld_desc *d = fld((unsigned)field);

	switch (d->kind) {
	case FK_DURATION:
		return duration_ms(c->first_ms[i], c->last_ms[i]);
	case FK_BPS:
		return per_second(c->bytes[i], 8000,
		    duration_ms(c->first_ms[i], c->last_ms[i]));
	case FK_PPS:
		return per_second(c->packets[i], 1000,
		    duration_ms(c->first_ms[i], c->last_ms[i]));
	case FK_BPP:
		return c->packets[i] ? c->bytes[i] / c->packets[i] : 0;
	case FK_ICMP_TYPE:
		return c->dst_port[i] >> 8;
	case FK_ICMP_CODE:
		return c->dst_port[i] & 0xff;
	case FK_MPLS_LABEL:
		return load_w(fcol_array(c, fld_reads_first(d)), 4, i) >> 4;
	case FK_MPLS_EXP:
		return load_w(fcol_array(c, fld_reads_first(d)), 4, i) >> 1 & 7;
	case FK_MPLS_EOS:
		return mpls_eos_col(d, c, i);
	default:
		return d->col != 0 ? load_w(fcol_array(c, d->col), d->size, i) :
		    0;
	}
}

static const struct nf_addr *
col_addr(int field, const struct fcol *c, const struct filter_env *env,
    size_t i)
{
	const struct fld_desc *d = fld((unsigned)field);

	if (d->kind == FK_ROUTER)
		return exporter_addr(env, c->exporter[i]);
	if (d->type != FT_ADDR)
		return NULL;
	return &((const struct nf_addr *)fcol_array(c, d->col))[i];
}

/* A string test on row i: the row's dictionary entry. */
static bool
col_str_test(const struct finsn *t, const struct fcol *c, size_t i)
{
	const struct fcol_dict *d = fcol_array(c, fld(t->field)->col);
	struct nf_str s;

	fdict_get(d, i, &s);
	return fs_match(t->list, s.p, s.len);
}

static bool
col_test(const struct finsn *t, const struct fcol *c,
    const struct filter_env *env, size_t i)
{
	if (t->op == FO_STRLIST)
		return col_str_test(t, c, i);
	if (is_addr_op(t))
		return addr_test(t, col_addr(t->field, c, env, i));
	return int_test(t, col_value(t->field, c, i));
}

/*
 * Decide test t for rows[0..k) (indexes into the block, from base):
 * gather the column, then compare in one loop per comparator.
 */
static void
test_rows(const struct finsn *t, const struct fcol *c,
    const struct filter_env *env, size_t base, const uint16_t *rows,
    size_t k, uint8_t *res)
{
	uint64_t v[FEVAL_CHUNK];
	size_t j;

	const struct fld_desc *d = fld(t->field);
	const void *arr;

	if (t->op == FO_STRLIST) {
		for (j = 0; j < k; j++)
			res[j] = col_str_test(t, c, base + rows[j]);
		return;
	}
	if (is_addr_op(t)) {
		const struct nf_addr *col = d->type == FT_ADDR ?
		    fcol_array(c, d->col) : NULL;

		if (col != NULL && t->op == FO_NET) {
			for (j = 0; j < k; j++) {
				struct a128 a;

				a128_from_addr(&a, &col[base + rows[j]]);
				res[j] = net_match(t, &a);
			}
		} else {
			for (j = 0; j < k; j++)
				res[j] = addr_test(t, col_addr(t->field, c,
				    env, base + rows[j]));
		}
		return;
	}
	/* gather the values: a stored column by its width, else computed */
	arr = d->col != 0 ? fcol_array(c, d->col) : NULL;
	switch (arr != NULL ? d->size : 0) {
	case 1:
		for (j = 0; j < k; j++)
			v[j] = ((const uint8_t *)arr)[base + rows[j]];
		break;
	case 2:
		for (j = 0; j < k; j++)
			v[j] = ((const uint16_t *)arr)[base + rows[j]];
		break;
	case 4:
		for (j = 0; j < k; j++)
			v[j] = ((const uint32_t *)arr)[base + rows[j]];
		break;
	case 8:
		for (j = 0; j < k; j++)
			v[j] = ((const uint64_t *)arr)[base + rows[j]];
		break;
	default:
		for (j = 0; j < k; j++)
			v[j] = col_value(t->field, c, base + rows[j]);
		break;
	}
	if (t->op != FO_CMP) {
		for (j = 0; j < k; j++)
			res[j] = int_test(t, v[j]);
		return;
	}
	switch (t->cmp) {
	case FC_GT:
		for (j = 0; j < k; j++)
			res[j] = v[j] > t->val;
		break;
	case FC_LT:
		for (j = 0; j < k; j++)
			res[j] = v[j] < t->val;
		break;
	case FC_GE:
		for (j = 0; j < k; j++)
			res[j] = v[j] >= t->val;
		break;
	case FC_LE:
		for (j = 0; j < k; j++)
			res[j] = v[j] <= t->val;
		break;
	default:
		for (j = 0; j < k; j++)
			res[j] = v[j] == t->val;
		break;
	}
}

static void
eval_chunk(const struct filter *f, const struct fcol *c,
    const struct filter_env *env, size_t base, size_t m, uint8_t *sel)
{
	uint16_t head[FEVAL_MAX_COLWISE], next[FEVAL_CHUNK];
	uint16_t rows[FEVAL_CHUNK];
	uint8_t res[FEVAL_CHUNK];
	size_t i, j, k;

	for (i = 0; i < f->nprog; i++)
		head[i] = NOROW;
	for (j = 0; j < m; j++)
		next[j] = (uint16_t)(j + 1 < m ? j + 1 : NOROW);
	head[0] = 0;
	for (i = 0; i < f->nprog; i++) {
		const struct finsn *t = &f->prog[i];

		if (head[i] == NOROW)
			continue;
		k = 0;
		for (uint16_t r = head[i]; r != NOROW; r = next[r])
			rows[k++] = r;
		test_rows(t, c, env, base, rows, k, res);
		for (j = 0; j < k; j++) {
			int32_t to = res[j] ? t->jt : t->jf;
			uint16_t r = rows[j];

			if (to >= 0) {
				next[r] = head[to];
				head[to] = r;
			} else {
				sel[base + r] = to == FJ_ACCEPT;
			}
		}
	}
}

/*
 * An and-chain (every test rejects on false and goes on to the next,
 * the last accepts: "proto tcp and dst port 443 and bytes > 100k")
 * needs no routing: each test narrows one list of rows, kept in order
 * without a branch per row.
 */
static bool
is_and_chain(const struct filter *f)
{
	for (size_t i = 0; i < f->nprog; i++)
		if (f->prog[i].jf != FJ_REJECT || f->prog[i].jt !=
		    (i + 1 < f->nprog ? (int32_t)(i + 1) : FJ_ACCEPT))
			return false;
	return true;
}

static void
eval_and_chunk(const struct filter *f, const struct fcol *c,
    const struct filter_env *env, size_t base, size_t m, uint8_t *sel)
{
	uint16_t rows[FEVAL_CHUNK];
	uint8_t res[FEVAL_CHUNK];
	size_t j, k = m, nk;

	for (j = 0; j < m; j++)
		rows[j] = (uint16_t)j;
	memset(sel + base, 0, m);
	for (size_t i = 0; i < f->nprog && k > 0; i++) {
		test_rows(&f->prog[i], c, env, base, rows, k, res);
		for (j = 0, nk = 0; j < k; j++) {
			rows[nk] = rows[j];
			nk += res[j] != 0;
		}
		k = nk;
	}
	for (j = 0; j < k; j++)
		sel[base + rows[j]] = 1;
}

size_t
filter_eval_block(const struct filter *f, const struct fcol *c,
    const struct filter_env *env, uint8_t *sel, size_t n)
{
	size_t i, base, hits = 0;

	if (f->entry < 0) {
		memset(sel, f->entry == FJ_ACCEPT, n);
		return f->entry == FJ_ACCEPT ? n : 0;
	}
	if (f->nprog > FEVAL_MAX_COLWISE) {
		for (i = 0; i < n; i++) {
			int32_t pc = 0;

			while (pc >= 0) {
				const struct finsn *t = &f->prog[pc];

				pc = col_test(t, c, env, i) ? t->jt : t->jf;
			}
			sel[i] = pc == FJ_ACCEPT;
		}
	} else if (is_and_chain(f)) {
		for (base = 0; base < n; base += FEVAL_CHUNK)
			eval_and_chunk(f, c, env, base, n - base <
			    FEVAL_CHUNK ? n - base : FEVAL_CHUNK, sel);
	} else {
		for (base = 0; base < n; base += FEVAL_CHUNK)
			eval_chunk(f, c, env, base, n - base < FEVAL_CHUNK ?
			    n - base : FEVAL_CHUNK, sel);
	}
	for (i = 0; i < n; i++)
		hits += sel[i];
	return hits;
}
