/*
 * common/base/fields.c -- the field catalogue as data: the descriptor
 * table, the column and element maps, built at compile time from the
 * list in common/base/fieldlist.h (fields.h explains the members).
 *
 * The shorthands below are the only expansion of the entries'
 * initializers.  The column map and the element map are designated
 * initializers indexed by column id and element id, so a column id or
 * an element given to two entries fails to compile (-Woverride-init).
 */
#include "common/base/compat.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "common/base/fields.h"

#define W(w, shape, side)	{ (w), FS_##shape, S_##side }
#define T(t, h, k)		{ (t), (h), TK_##k, 0 }
#define TP(t, h, k, p)		{ (t), (h), TK_##k, FLD_##p }
#define A(n, k, t)		{ (n), AK_##k, (t) }
#define ST(n, t, p, pt)		{ (n), (t), (p), (pt) }
#define J(i4, i6, r)		{ (i4), (i6), JR_##r }
#define C(n, p)			{ (n), (p), 0 }
#define CP(n, p, q)		{ (n), (p), FLD_##q + 1 }
#define V5(o, l)		{ (o), (l) }
#define COLS(...)		COLS_(__VA_ARGS__, 0, 0, 0, 0)
#define COLS_(a, b, c, d, ...)	(BIT_(a) | BIT_(b) | BIT_(c) | BIT_(d))
#define BIT_(id)		((id) != 0 ? FCOL_BIT(id) : 0)

#define TYPE_U8		FT_U8
#define TYPE_U16	FT_U16
#define TYPE_U32	FT_U32
#define TYPE_U64	FT_U64
#define TYPE_ADDR	FT_ADDR
#define TYPE_STR	FT_STR

#define DESC_F(ID, m, TY, c, cname, d, ...)				\
	[FLD_##ID] = { .name = #m, .colname = cname,			\
	    .off = offsetof(struct flowrec, m), .type = TYPE_##TY,	\
	    .size = sizeof(((struct flowrec *)0)->m), .col = (c),	\
	    .def = (d), __VA_ARGS__ },
#define DESC_V(ID, nm, ...)						\
	[FLD_##ID] = { .name = nm, .type = FT_NONE, __VA_ARGS__ },
#define SKIP_(...)

const struct fld_desc fld_tab[FLD_N] = {
	FLOW_FIELDS(DESC_F, DESC_V, SKIP_)
};

#define BYCOL_F(ID, m, TY, c, ...)	[c] = FLD_##ID + 1,
static const uint8_t fld_of_col[FCOL_NCOLS] = {
	FLOW_FIELDS(BYCOL_F, SKIP_, SKIP_)
};

#define BYIE(ID, ie, conv, pr)	[ie] = { FLD_##ID + 1, IEC_##conv, (pr) },
static const struct fld_iebind fld_of_ie[FLD_IE_LIMIT] = {
	FLOW_FIELDS(SKIP_, SKIP_, BYIE)
};

/* Every member fits the uint8_t indices and masks used above. */
_Static_assert(FLD_N < 255, "field index must fit in uint8_t");
_Static_assert(FCOL_NCOLS <= FCOL_MAX_ID + 1, "column ids up to 127");
_Static_assert(sizeof(struct flowrec) < 65536, "offsets fit uint16_t");

const struct fld_desc *
fld_by_col(unsigned id)
{
	if (id >= FCOL_NCOLS || fld_of_col[id] == 0)
		return NULL;
	return &fld_tab[fld_of_col[id] - 1];
}

int
fld_index(const char *name)
{
	for (unsigned i = 0; i < FLD_N; i++)
		if (strcmp(fld_tab[i].name, name) == 0)
			return (int)i;
	return -1;
}

const struct fld_iebind *
fld_by_ie(uint16_t ie)
{
	if (ie >= FLD_IE_LIMIT || fld_of_ie[ie].fld == 0)
		return NULL;
	return &fld_of_ie[ie];
}

fcol_mask
fld_columns(unsigned i)
{
	const struct fld_desc *d = &fld_tab[i];

	return d->col != 0 ? FCOL_BIT(d->col) : d->reads;
}

const char *
fld_appid_text(uint64_t v, bool pad, char *buf, size_t len)
{
	unsigned engine = (unsigned)(v >> 56);
	uint64_t sel = v & UINT64_C(0x00ffffffffffffff);

	if (engine == FLD_APPID_ENGINE_PEN)
		snprintf(buf, len, "%*u..%u..%u", pad ? 2 : 1, engine,
		    (unsigned)(sel >> 24), (unsigned)(sel & 0xffffff));
	else
		snprintf(buf, len, "%*u..%llu", pad ? 2 : 1, engine,
		    (unsigned long long)sel);
	return buf;
}

/* RFC 8158 4.3 events, by the names nfdump prints and filters on */
static const char *const natevent_names[] = {
	"INVALID", "ADD", "DELETE", "EXHAUST", "ADD44", "DEL44", "ADD64",
	"DEL64", "ADD44BIB", "DEL44BIB", "ADD64BIB", "DEL64BIB", "PEXHAUST",
	"QUOTAEXH", "ADDADDR", "DELADDR", "ADDPBLK", "DELPBLK", "THRESHLD",
};

const char *
fld_natevent_text(unsigned v, char *buf, size_t len)
{
	if (v < sizeof(natevent_names) / sizeof(natevent_names[0]))
		snprintf(buf, len, "%s", natevent_names[v]);
	else
		snprintf(buf, len, "%u-Unknown", v);
	return buf;
}

int
fld_natevent_value(const char *name)
{
	for (size_t i = 0; i < sizeof(natevent_names) /
	    sizeof(natevent_names[0]); i++)
		if (strcasecmp(name, natevent_names[i]) == 0)
			return (int)i;
	return -1;
}

uint64_t
fld_max(unsigned i)
{
	const struct fld_desc *d = &fld_tab[i];

	if (d->max != 0)
		return d->max;
	switch (d->type) {
	case FT_U8:
		return UINT8_MAX;
	case FT_U16:
		return UINT16_MAX;
	case FT_U32:
		return UINT32_MAX;
	default:
		return UINT64_MAX;
	}
}
