/*
 * common/base/flowrec.c -- the default record, and comparing and dumping
 * records, field by field from the catalogue (fieldlist.h).
 */
#include "common/base/compat.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "common/base/fields.h"
#include "common/base/flowrec.h"

#define DEF_U8(d)	(d)
#define DEF_U16(d)	(d)
#define DEF_U32(d)	(d)
#define DEF_U64(d)	(d)
#define DEF_ADDR(d)	{ { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0, 0, 0 } }
#define DEF_STR(d)	{ NULL, 0 }
#define DEF_F(ID, m, T, col, cname, d, ...)	.m = DEF_##T(d),
#define SKIP_(...)

const struct flowrec flowrec_defaults = {
	FLOW_FIELDS(DEF_F, SKIP_, SKIP_)
};

bool
flowrec_equal(const struct flowrec *a, const struct flowrec *b)
{
	for (unsigned i = 0; i < FLD_N; i++) {
		const struct fld_desc *d = fld(i);
		const struct nf_str *sa, *sb;

		switch (d->type) {
		case FT_NONE:
			break;
		case FT_ADDR:
			if (!addr_eq(fld_get_addr(d, a), fld_get_addr(d, b)))
				return false;
			break;
		case FT_STR:
			sa = fld_get_str(d, a);
			sb = fld_get_str(d, b);
			if (sa->len != sb->len ||
			    (sa->len > 0 && memcmp(sa->p, sb->p, sa->len) != 0))
				return false;
			break;
		default:
			if (fld_get_u64(d, a) != fld_get_u64(d, b))
				return false;
			break;
		}
	}
	return true;
}

/* Is field d of r at its default value? */
static bool
is_default(const struct fld_desc *d, const struct flowrec *r)
{
	switch (d->type) {
	case FT_ADDR:
		return addr_eq(fld_get_addr(d, r),
		    fld_get_addr(d, &flowrec_defaults));
	case FT_STR:
		return fld_get_str(d, r)->len == 0;
	default:
		return fld_get_u64(d, r) == d->def;
	}
}

/*
 * The fields of format 1.0 in a fixed layout that test scripts parse
 * (tests/ffdump, tests/nfcodec), then " name=value" for every newer
 * field that is not at its default.
 */
char *
flowrec_dump(const struct flowrec *r, char *buf, size_t len)
{
	char s[ADDR_STRLEN], d[ADDR_STRLEN], nh[ADDR_STRLEN];
	size_t used;
	int n;

	if (len == 0)
		return buf;
	n = snprintf(buf, len,
	    "first=%" PRIu64 " last=%" PRIu64 " af=%u %s:%u -> %s:%u "
	    "proto=%u pkts=%" PRIu64 " bytes=%" PRIu64 " flags=0x%02x "
	    "tos=%u nh=%s if=%" PRIu32 "/%" PRIu32 " as=%" PRIu32 "/%" PRIu32
	    " mask=%u/%u vlan=%u/%u dir=%u end=%u flows=%" PRIu32
	    " samp=%" PRIu32 " eng=%u/%u exp=%u",
	    r->first_ms, r->last_ms, r->af, addr_format(&r->src, s, sizeof(s)),
	    r->src_port, addr_format(&r->dst, d, sizeof(d)), r->dst_port,
	    r->proto, r->packets, r->bytes, r->tcp_flags, r->tos,
	    addr_format(&r->nexthop, nh, sizeof(nh)), r->in_if, r->out_if,
	    r->src_as, r->dst_as, r->src_mask, r->dst_mask, r->src_vlan,
	    r->dst_vlan, r->direction, r->end_reason, r->flows, r->sampling,
	    r->engine_type, r->engine_id, r->exporter);
	if (n < 0 || (size_t)n >= len)
		return buf;
	used = (size_t)n;
	for (unsigned i = 0; i < FLD_N && used < len; i++) {
		const struct fld_desc *fd = fld(i);
		const struct nf_str *str;

		if (fd->col <= FCOL_LEGACY_LAST || is_default(fd, r))
			continue;
		switch (fd->type) {
		case FT_ADDR:
			n = snprintf(buf + used, len - used, " %s=%s", fd->name,
			    addr_format(fld_get_addr(fd, r), s, sizeof(s)));
			break;
		case FT_STR:
			str = fld_get_str(fd, r);
			n = snprintf(buf + used, len - used, " %s=\"%.*s\"",
			    fd->name, (int)str->len, str->len > 0 ? str->p : "");
			break;
		default:
			n = snprintf(buf + used, len - used, " %s=%" PRIu64,
			    fd->name, fld_get_u64(fd, r));
			break;
		}
		if (n < 0 || (size_t)n >= len - used)
			break;
		used += (size_t)n;
	}
	return buf;
}
