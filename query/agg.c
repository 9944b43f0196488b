/*
 * query/agg.c -- -a/-A keys (agg.h): parsed from their text, made from
 * a record or straight from a block's columns, and turned back into a
 * record for printing.  The hash table is query/aggtab.c.
 */
#include "common/base/compat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/base/nferr.h"
#include "common/prog/xmalloc.h"
#include "query/agg.h"

/* ---- -A keys ----------------------------------------------------- */

/*
 * The keys are the .agg slots of the field catalogue: the kind says
 * how the key bytes are made (fields.h, enum fld_ak).
 */
static const struct fld_agg *
key_of(const struct agg_spec *spec, size_t i)
{
	return &fld(spec->fields[i].fld)->agg[spec->fields[i].ak];
}

/* The partner of a key's token (AK_NET: the prefix length field). */
static const struct fld_desc *
net_partner(const struct fld_desc *d, const struct fld_agg *a)
{
	for (unsigned k = 0; k < FLD_MAX_TOKS; k++)
		if (d->toks[k].tok != NULL && strcmp(d->toks[k].tok, a->tok) == 0)
			return fld(d->toks[k].partner);
	return d;
}

static size_t
key_len(const struct fld_desc *d, const struct fld_agg *a)
{
	switch (a->kind) {
	case AK_ADDR:
	case AK_ADDRM:
		return 16;
	case AK_NET:
		return 17;
	case AK_STR:
		return 1 + FLOWREC_STR_MAX;
	default:
		return d->size;
	}
}

static bool
is_addr_key(const struct fld_agg *a)
{
	return a->kind == AK_ADDR || a->kind == AK_ADDRM || a->kind == AK_NET;
}

/* Find key name: its entry and slot; false if no entry has it. */
static bool
find_key(const char *name, unsigned *f, unsigned *k)
{
	for (unsigned i = 0; i < FLD_N; i++)
		for (unsigned j = 0; j < FLD_MAX_AGGS; j++)
			if (fld(i)->agg[j].name != NULL &&
			    strcmp(fld(i)->agg[j].name, name) == 0) {
				*f = i;
				*k = j;
				return true;
			}
	return false;
}

static int
add_field(struct agg_spec *spec, const char *tok, char *err, size_t errlen)
{
	const struct fld_agg *a;
	char name[32];
	const char *slash;
	size_t n, si;
	unsigned long bits = 0;
	unsigned f, k;
	int fam = 0;
	char *end;

	slash = strchr(tok, '/');
	n = slash != NULL ? (size_t)(slash - tok) : strlen(tok);
	if (n == 0 || n >= sizeof(name))
		goto bad;
	memcpy(name, tok, n);
	name[n] = '\0';
	if (slash != NULL) {
		/* srcip4/24, dstip6/64 */
		if (n < 6 || (name[n - 1] != '4' && name[n - 1] != '6'))
			goto bad;
		fam = name[n - 1] - '0';
		name[n - 1] = '\0';
		bits = strtoul(slash + 1, &end, 10);
		if (*end != '\0' || end == slash + 1 ||
		    bits > (fam == 4 ? 32u : 128u))
			goto bad;
	}
	if (!find_key(name, &f, &k))
		goto bad;
	a = &fld(f)->agg[k];
	if (fam != 0 && a->kind != AK_ADDRM)
		goto bad;
	for (si = 0; si < spec->nfields; si++)
		if (spec->fields[si].fld == f && spec->fields[si].ak == k)
			break;
	if (si == spec->nfields) {
		if (spec->nfields == AGG_MAX_FIELDS)
			goto bad;
		spec->fields[si].fld = (uint8_t)f;
		spec->fields[si].ak = (uint8_t)k;
		spec->fields[si].v4bits = 32;
		spec->fields[si].v6bits = 128;
		spec->nfields++;
		spec->keylen += key_len(fld(f), a);
		if (is_addr_key(a) && !spec->has_addr) {
			spec->has_addr = true;
			spec->keylen++;
		}
		strncat(spec->fmt, " ",
		    sizeof(spec->fmt) - strlen(spec->fmt) - 1);
		strncat(spec->fmt, a->tok,
		    sizeof(spec->fmt) - strlen(spec->fmt) - 1);
	} else if (fam == 0)
		goto bad;		/* the same key twice */
	if (fam == 4)
		spec->fields[si].v4bits = (uint8_t)bits;
	else if (fam == 6)
		spec->fields[si].v6bits = (uint8_t)bits;
	return NFE_OK;
bad:
	snprintf(err, errlen, "aggregation key error at '%s'", tok);
	return NFE_INVAL;
}

int
agg_parse(const char *list, bool five_tuple, struct agg_spec *spec,
    char *err, size_t errlen)
{
	char buf[512], *p, *tok;
	char keys[200];
	int r;

	memset(spec, 0, sizeof(*spec));
	if (five_tuple)
		list = "proto,srcip,srcport,dstip,dstport";
	if (strlen(list) >= sizeof(buf)) {
		snprintf(err, errlen, "aggregation key list too long");
		return NFE_INVAL;
	}
	snprintf(buf, sizeof(buf), "%s", list);
	for (p = buf; (tok = strsep(&p, ",")) != NULL;) {
		while (*tok == ' ')
			tok++;
		if ((r = add_field(spec, tok, err, errlen)) != NFE_OK)
			return r;
	}
	if (strlen(spec->fmt) >= sizeof(keys) || spec->keylen > AGG_KEY_MAX) {
		snprintf(err, errlen, "too many aggregation keys");
		return NFE_INVAL;
	}
	memcpy(keys, spec->fmt, strlen(spec->fmt) + 1);
	snprintf(spec->fmt, sizeof(spec->fmt),
	    "fmt:%%ts %%td %s  %%pkt %%byt %%bps %%bpp %%fl", keys);
	if (five_tuple)
		spec->fmt[0] = '\0';	/* -a lists in the -o format */
	return NFE_OK;
}

static uint8_t *
put_be(uint8_t *k, uint64_t v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		k[i] = (uint8_t)(v >> (8 * (n - 1 - i)));
	return k + n;
}

static uint64_t
get_be(const uint8_t **k, size_t n)
{
	uint64_t v = 0;

	for (size_t i = 0; i < n; i++)
		v = v << 8 | (*k)[i];
	*k += n;
	return v;
}

static uint8_t *
put_addr(uint8_t *k, const struct nf_addr *a, unsigned bits)
{
	struct nf_addr m = *a;

	addr_mask(&m, bits);
	memcpy(k, m.a, 16);
	return k + 16;
}

/* A string key: its length, its bytes, zeros to FLOWREC_STR_MAX. */
static uint8_t *
put_str(uint8_t *k, const struct nf_str *s)
{
	size_t n = s->len <= FLOWREC_STR_MAX ? s->len : FLOWREC_STR_MAX;

	k[0] = (uint8_t)n;
	if (n > 0)
		memcpy(k + 1, s->p, n);
	memset(k + 1 + n, 0, FLOWREC_STR_MAX - n);
	return k + 1 + FLOWREC_STR_MAX;
}

/* The address a key reads: a field, or the exporter's (FK_ROUTER). */
static const struct nf_addr *
key_addr(const struct fld_desc *d, const struct flowrec *r,
    const struct nf_addr *router)
{
	static const struct nf_addr zero;

	if (d->kind == FK_ROUTER)
		return router != NULL ? router : &zero;
	return fld_get_addr(d, r);
}

void
agg_key(const struct agg_spec *spec, const struct flowrec *r,
    const struct nf_addr *router, uint8_t *key)
{
	uint8_t *k = key;

	if (spec->has_addr)
		*k++ = r->af;
	for (size_t i = 0; i < spec->nfields; i++) {
		const struct fld_desc *d = fld(spec->fields[i].fld);
		const struct fld_agg *a = key_of(spec, i);
		const struct fld_desc *m;
		unsigned bits = r->af == 6 ? spec->fields[i].v6bits :
		    spec->fields[i].v4bits;

		switch (a->kind) {
		case AK_ADDRM:
			k = put_addr(k, key_addr(d, r, router), bits);
			break;
		case AK_ADDR:
			k = put_addr(k, key_addr(d, r, router), 128);
			break;
		case AK_NET:
			m = net_partner(d, a);
			k = put_addr(k, key_addr(d, r, router),
			    (unsigned)fld_get_u64(m, r));
			*k++ = (uint8_t)fld_get_u64(m, r);
			break;
		case AK_STR:
			k = put_str(k, fld_get_str(d, r));
			break;
		default:
			k = put_be(k, fld_get_u64(d, r), d->size);
			break;
		}
	}
}

/* ---- keys straight from a block's columns ------------------------- */

/* Value i of a column of w-byte integers. */
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

static bool
int_type(const struct fld_desc *d)
{
	return d->type == FT_U8 || d->type == FT_U16 || d->type == FT_U32 ||
	    d->type == FT_U64;
}

bool
agg_block_ok(const struct agg_spec *spec, const struct fcol *c)
{
	fcol_mask need = FCOL_BIT(FCOL_AF) | FCOL_BIT(FCOL_FLOWS) |
	    FCOL_BIT(FCOL_PACKETS) | FCOL_BIT(FCOL_BYTES) |
	    FCOL_BIT(FCOL_FIRST) | FCOL_BIT(FCOL_LAST);

	if (spec->keylen > AGG_BLOCK_KEY_MAX)
		return false;

	for (size_t i = 0; i < spec->nfields; i++) {
		const struct fld_desc *d = fld(spec->fields[i].fld);
		const struct fld_agg *a = key_of(spec, i);

		if (d->kind == FK_ROUTER) {
			need |= FCOL_BIT(FCOL_EXPORTER);
			continue;
		}
		if (d->col == 0)
			return false;	/* computed: from records */
		need |= FCOL_BIT(d->col);
		if (a->kind == AK_ADDRM || a->kind == AK_ADDR) {
			if (d->type != FT_ADDR)
				return false;
		} else if (a->kind == AK_NET) {
			const struct fld_desc *m = net_partner(d, a);

			if (d->type != FT_ADDR || m->col == 0 || !int_type(m))
				return false;
			need |= FCOL_BIT(m->col);
		} else if (!int_type(d))
			return false;
	}
	return (c->mask & need) == need;
}

/* The address field d of row i (the exporter's for FK_ROUTER). */
static const struct nf_addr *
col_addr(const struct fld_desc *d, const struct fcol *c, size_t i,
    const struct nf_addr *x, size_t nx)
{
	static const struct nf_addr zero;

	if (d->kind == FK_ROUTER)
		return c->exporter[i] < nx ? &x[c->exporter[i]] : &zero;
	return &((const struct nf_addr *)fcol_array(c, d->col))[i];
}

/* agg_key() of row i of c (agg_block_ok() said yes). */
static void
agg_key_col(const struct agg_spec *spec, const struct fcol *c, size_t i,
    const struct nf_addr *x, size_t nx, uint8_t *key)
{
	uint8_t *k = key, af = c->af[i];

	if (spec->has_addr)
		*k++ = af;
	for (size_t f = 0; f < spec->nfields; f++) {
		const struct fld_desc *d = fld(spec->fields[f].fld);
		const struct fld_agg *a = key_of(spec, f);
		const struct fld_desc *m;
		unsigned bits = af == 6 ? spec->fields[f].v6bits :
		    spec->fields[f].v4bits;
		uint64_t mv;

		switch (a->kind) {
		case AK_ADDRM:
			k = put_addr(k, col_addr(d, c, i, x, nx), bits);
			break;
		case AK_ADDR:
			k = put_addr(k, col_addr(d, c, i, x, nx), 128);
			break;
		case AK_NET:
			m = net_partner(d, a);
			mv = load_w(fcol_array(c, m->col), m->size, i);
			k = put_addr(k, col_addr(d, c, i, x, nx),
			    (unsigned)mv);
			*k++ = (uint8_t)mv;
			break;
		default:
			k = put_be(k, load_w(fcol_array(c, d->col), d->size,
			    i), d->size);
			break;
		}
	}
}

void
agg_add_block(const struct agg_spec *spec, struct aggtab *t,
    const struct fcol *c, const uint32_t *rows, size_t n,
    const struct nf_addr *x, size_t nx)
{
	enum { B = 64 };
	uint8_t keys[B][AGG_BLOCK_KEY_MAX];
	struct aggval v[B];
	size_t m = 0;

	for (size_t j = 0; j < n; j++) {
		size_t r = rows[j];

		agg_key_col(spec, c, r, x, nx, keys[m]);
		aggval_of_row(&v[m], c, r);
		if (++m == B || j + 1 == n) {
			aggtab_add_many(t, keys[0], AGG_BLOCK_KEY_MAX, v, m);
			m = 0;
		}
	}
}

void
agg_record(const struct agg_spec *spec, const uint8_t *key,
    const struct aggval *v, struct flowrec *r, struct nf_addr *router)
{
	const uint8_t *k = key;

	flowrec_init(r);
	addr_from_v4(router, 0);
	if (spec->has_addr) {
		r->af = *k++;
		if (r->af == 6)
			for (unsigned i = 0; i < FLD_N; i++)
				if (fld(i)->type == FT_ADDR)
					memset(fld_addr(fld(i), r), 0, 16);
	}
	for (size_t i = 0; i < spec->nfields; i++) {
		const struct fld_desc *d = fld(spec->fields[i].fld);
		const struct fld_agg *a = key_of(spec, i);
		struct nf_addr *ad = d->kind == FK_ROUTER ? router :
		    d->type == FT_ADDR ? fld_addr(d, r) : NULL;

		switch (a->kind) {
		case AK_ADDRM:
		case AK_ADDR:
			if (ad != NULL)
				memcpy(ad->a, k, 16);
			k += 16;
			break;
		case AK_NET:
			if (ad != NULL)
				memcpy(ad->a, k, 16);
			fld_set_u64(net_partner(d, a), r, k[16]);
			k += 17;
			break;
		case AK_STR:
			/* borrowed from the key, as long as the table lives */
			fld_str(d, r)->len = k[0];
			fld_str(d, r)->p = k[0] > 0 ? (const char *)k + 1 : NULL;
			k += 1 + FLOWREC_STR_MAX;
			break;
		default:
			fld_set_u64(d, r, get_be(&k, d->size));
			break;
		}
	}
	r->first_ms = v->first_ms;
	r->last_ms = v->last_ms;
	r->packets = v->packets;
	r->bytes = v->bytes;
	r->out_packets = v->out_packets;
	r->out_bytes = v->out_bytes;
	r->flows = v->flows > UINT32_MAX ? UINT32_MAX : (uint32_t)v->flows;
}

fcol_mask
agg_columns(const struct agg_spec *spec)
{
	fcol_mask m = FCOL_BIT(FCOL_AF);

	for (size_t i = 0; i < spec->nfields; i++) {
		const struct fld_desc *d = fld(spec->fields[i].fld);
		const struct fld_agg *a = key_of(spec, i);

		m |= fld_columns(spec->fields[i].fld);
		if (a->kind == AK_NET)
			m |= FCOL_BIT(net_partner(d, a)->col);
	}
	return m;
}
