/*
 * query/fwords.c -- the filter's field words, read from the field
 * catalogue (common/base/fieldlist.h): which shape of primitive a word
 * starts (the grammar has one rule per shape), and which field a word
 * names on each side (src/dst, in/out, or none).
 */
#include "common/base/compat.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "common/base/fields.h"
#include "common/base/nferr.h"
#include "query/filter_int.h"

int
fw_shape(const char *s)
{
	for (unsigned i = 0; i < FLD_N; i++)
		for (unsigned k = 0; k < FLD_MAX_WORDS; k++)
			if (fld(i)->words[k].word != NULL &&
			    strcasecmp(fld(i)->words[k].word, s) == 0)
				return fld(i)->words[k].shape;
	return FS_NONE;
}

/* Entries naming word, by side (-1: none). */
static void
by_side(const char *word, int fs[S_N])
{
	for (int k = 0; k < S_N; k++)
		fs[k] = -1;
	for (unsigned i = 0; i < FLD_N; i++)
		for (unsigned k = 0; k < FLD_MAX_WORDS; k++)
			if (fld(i)->words[k].word != NULL &&
			    strcasecmp(fld(i)->words[k].word, word) == 0 &&
			    fs[fld(i)->words[k].side] < 0)
				fs[fld(i)->words[k].side] = (int)i;
}

/*
 * The entries of a word with both qualifiers (MAC addresses) that
 * [dir] [side] name: dir 0 any, 3 in, 4 out; side 0 any, 1 src, 2 dst.
 * Returns how many went into f (at most n).
 */
size_t
fw_fields2(const char *word, int dir, int side, int *f, size_t n)
{
	size_t k = 0;

	for (unsigned i = 0; i < FLD_N; i++)
		for (unsigned w = 0; w < FLD_MAX_WORDS; w++) {
			const struct fld_word *fw = &fld(i)->words[w];
			bool in, src;

			if (fw->word == NULL || fw->side < S_IN_SRC ||
			    strcasecmp(fw->word, word) != 0)
				continue;
			in = fw->side == S_IN_SRC || fw->side == S_IN_DST;
			src = fw->side == S_IN_SRC || fw->side == S_OUT_SRC;
			if ((dir == 3 && !in) || (dir == 4 && in) ||
			    (side == 1 && !src) || (side == 2 && src))
				continue;
			if (k < n)
				f[k++] = (int)i;
		}
	return k;
}

const char *
fw_hint(bool srcdst, char *buf, size_t len)
{
	const char *w[2 * FLD_N * FLD_MAX_WORDS];
	size_t n = 0, used = 0, j;

	for (unsigned i = 0; i < FLD_N; i++) {
		for (unsigned k = 0; k < FLD_MAX_WORDS; k++) {
			const struct fld_word *fw = &fld(i)->words[k];
			bool both = fw->side >= S_IN_SRC;
			bool sd = fw->side == S_SRC || fw->side == S_DST ||
			    both;
			bool io = fw->side == S_IN || fw->side == S_OUT ||
			    fw->side == S_IN1 || both;

			if (fw->word == NULL || !(srcdst ? sd : io))
				continue;
			for (j = 0; j < n; j++)
				if (strcmp(w[j], fw->word) == 0)
					break;
			if (j == n)
				w[n++] = fw->word;
		}
	}
	buf[0] = '\0';
	for (j = 0; j < n && used < len; j++) {
		int r = snprintf(buf + used, len - used, "%s%s",
		    j == 0 ? "" : j + 1 == n ? " or " : ", ", w[j]);

		if (r < 0)
			break;
		used += (size_t)r;
	}
	return buf;
}

bool
fw_fields(struct fparse *fp, int side, const char *word,
    const struct floc *wloc, int *f1, int *f2)
{
	static const char *const names[] = { "", "src", "dst", "in", "out" };
	int fs[S_N];

	by_side(word, fs);
	*f1 = *f2 = -1;
	switch (side) {
	case 0:
		if (fs[S_IN1] >= 0)
			*f1 = fs[S_IN1];
		else if (fs[S_NONE] >= 0)
			*f1 = fs[S_NONE];
		else if (fs[S_SRC] >= 0 || fs[S_DST] >= 0) {
			*f1 = fs[S_SRC] >= 0 ? fs[S_SRC] : fs[S_DST];
			*f2 = fs[S_SRC] >= 0 ? fs[S_DST] : -1;
		} else {
			*f1 = fs[S_IN] >= 0 ? fs[S_IN] : fs[S_OUT];
			*f2 = fs[S_IN] >= 0 ? fs[S_OUT] : -1;
		}
		break;
	case 1:
		*f1 = fs[S_SRC];
		break;
	case 2:
		*f1 = fs[S_DST];
		break;
	case 3:
		*f1 = fs[S_IN] >= 0 ? fs[S_IN] : fs[S_IN1];
		break;
	case 4:
		*f1 = fs[S_OUT];
		break;
	default:
		break;
	}
	if (*f1 >= 0)
		return true;
	if (side == 1 || side == 2) {
		char hint[512];

		fp_error(fp, wloc, NFE_INVAL, "unexpected '%s', expected %s",
		    word, fw_hint(true, hint, sizeof(hint)));
	} else
		fp_error(fp, wloc, NFE_INVAL, "unexpected '%s': there is no "
		    "'%s %s'", word, names[side < 5 && side >= 0 ? side : 0],
		    word);
	return false;
}
