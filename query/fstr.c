/*
 * query/fstr.c -- string values in the filter language: the lists of
 * "WORD value", "WORD = value" and "WORD in [v1 v2 ...]" for string
 * fields (shape FS_STR).  A value with *, ? or [ is a pattern matched
 * by fnmatch(3); the others are compared whole, through a sorted array.
 */
#include "common/base/compat.h"

#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "common/base/flowrec.h"
#include "common/base/nferr.h"
#include "query/filter_int.h"

bool
fs_add(struct fparse *fp, struct flist *l, const char *s,
    const struct floc *loc)
{
	struct fstrv *v;
	size_t len = strlen(s);

	if (len > FLOWREC_STR_MAX) {
		fp_error(fp, loc, NFE_INVAL, "string of %zu bytes: at most %d",
		    len, FLOWREC_STR_MAX);
		return false;
	}
	if (l->n == l->cap) {
		if (l->cap >= (1u << 20)) {
			fp_error(fp, loc, NFE_LIMIT, "list longer than %u "
			    "strings", l->cap);
			return false;
		}
		v = realloc(l->strs, (l->cap ? 2 * l->cap : 8) * sizeof(*v));
		if (v == NULL) {
			fp_error(fp, loc, NFE_NOMEM, "out of memory");
			return false;
		}
		l->strs = v;
		l->cap = l->cap ? 2 * l->cap : 8;
	}
	v = &l->strs[l->n];
	if ((v->s = strdup(s)) == NULL) {
		fp_error(fp, loc, NFE_NOMEM, "out of memory");
		return false;
	}
	v->len = (uint32_t)len;
	v->glob = strpbrk(s, "*?[") != NULL;
	l->n++;
	return true;
}

/* Values before patterns; values by length, then bytes. */
static int
cmp_strv(const void *a, const void *b)
{
	const struct fstrv *x = a, *y = b;

	if (x->glob != y->glob)
		return x->glob ? 1 : -1;
	if (x->glob)
		return strcmp(x->s, y->s);
	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	return memcmp(x->s, y->s, x->len);
}

int
fs_finish(struct flist *l)
{
	uint32_t n = 0;

	qsort(l->strs, l->n, sizeof(*l->strs), cmp_strv);
	for (uint32_t i = 0; i < l->n; i++) {
		if (n > 0 && cmp_strv(&l->strs[i], &l->strs[n - 1]) == 0) {
			free(l->strs[i].s);
			continue;
		}
		l->strs[n++] = l->strs[i];
	}
	l->n = n;
	l->nexact = 0;
	while (l->nexact < n && !l->strs[l->nexact].glob)
		l->nexact++;
	return NFE_OK;
}

void
fs_free(struct flist *l)
{
	if (!l->is_str)
		return;
	for (uint32_t i = 0; i < l->n; i++)
		free(l->strs[i].s);
	free(l->strs);
	l->strs = NULL;
}

bool
fs_match(const struct flist *l, const char *p, size_t len)
{
	size_t lo = 0, hi = l->nexact;
	char buf[FLOWREC_STR_MAX + 1];

	if (p == NULL)			/* the empty string may have none */
		p = "";
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct fstrv *v = &l->strs[mid];
		int c = v->len != len ? (v->len < len ? -1 : 1) :
		    memcmp(v->s, p, len);

		if (c == 0)
			return true;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (l->nexact == l->n)
		return false;
	if (len > FLOWREC_STR_MAX)
		len = FLOWREC_STR_MAX;
	memcpy(buf, p, len);
	buf[len] = '\0';
	for (uint32_t i = l->nexact; i < l->n; i++)
		if (fnmatch(l->strs[i].s, buf, 0) == 0)
			return true;
	return false;
}
