/*
 * common/tfield.c -- template-driven record codec shared by the v9 and
 * IPFIX decoders and encoders (RFC 3954 section 8 field types, RFC
 * 7011 sections 3.4.3 and 7 for reduced-size and variable-length
 * encoding, RFC 5102/7012 for the element semantics).
 *
 * Unknown elements and enterprise-specific ones are skipped by their
 * length.  A known element whose length makes no sense for its type
 * (an IPv4 address in 3 bytes, a counter in 9) is skipped as well.
 */
#include "common/compat.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "common/ie.h"
#include "common/nferr.h"
#include "common/tfield.h"
#include "common/timeutil.h"

#define IPPROTO_ICMP_	1
#define IPPROTO_ICMPV6_	58

static const uint8_t zero16[16];

/* Times and choices seen while walking one record. */
struct rec_acc {
	uint64_t	abs_start, abs_end;	/* UTC ms */
	uint64_t	dur_ms;
	uint32_t	up_start, up_end;
	uint32_t	dstart_us, dend_us;
	uint64_t	post_bytes, post_pkts;
	uint32_t	samp_int, samp_space;
	uint64_t	sampler_id;
	uint16_t	icmp;
	uint8_t		icmp_type, icmp_code;
	bool		has_abs_start, has_abs_end, has_dur;
	bool		has_up_start, has_up_end;
	bool		has_dstart, has_dend;
	bool		has_bytes, has_pkts, has_post_bytes, has_post_pkts;
	bool		has_v4, has_v6, has_icmp, has_icmp_tc;
	bool		has_vlan, has_post_vlan, has_sampler_id;
};

int
tf_parse_fields(struct rbuf *r, size_t n, bool ipfix, struct tmpl *t)
{
	if (n > TMPL_MAX_FIELDS)
		return NFE_LIMIT;
	for (size_t i = 0; i < n; i++) {
		struct tmpl_field *f = &t->fields[i];

		f->id = rbuf_be16(r);
		f->len = rbuf_be16(r);
		f->pen = 0;
		if (ipfix && (f->id & 0x8000)) {
			f->id &= 0x7fff;
			f->pen = rbuf_be32(r);
		}
		if (!rbuf_ok(r))
			return NFE_FORMAT;
	}
	t->nfields = (uint16_t)n;
	return NFE_OK;
}

static uint64_t
ntp64_ms(uint64_t v)
{
	return time_from_ntp((uint32_t)(v >> 32), (uint32_t)v);
}

/*
 * Apply one IANA element of len bytes (already bounds-checked) to rec.
 * Dispatches on the id directly (this is the per-field hot path); the
 * types follow the element table in common/ie.c.
 */
static void
apply(uint16_t id, const uint8_t *p, size_t len, struct flowrec *rec,
    struct rec_acc *a)
{
	uint64_t v = 0;

	switch (id) {
	case IE_SOURCE_IPV4_ADDRESS:
		if (len == 4) {
			addr_from_v4_bytes(&rec->src, p);
			a->has_v4 = true;
		}
		return;
	case IE_DESTINATION_IPV4_ADDRESS:
		if (len == 4) {
			addr_from_v4_bytes(&rec->dst, p);
			a->has_v4 = true;
		}
		return;
	case IE_IP_NEXT_HOP_IPV4_ADDRESS:
		if (len == 4)
			addr_from_v4_bytes(&rec->nexthop, p);
		return;
	case IE_SOURCE_IPV6_ADDRESS:
		if (len == 16) {
			addr_from_v6(&rec->src, p);
			a->has_v6 = true;
		}
		return;
	case IE_DESTINATION_IPV6_ADDRESS:
		if (len == 16) {
			addr_from_v6(&rec->dst, p);
			a->has_v6 = true;
		}
		return;
	case IE_IP_NEXT_HOP_IPV6_ADDRESS:
		if (len == 16 && memcmp(p, zero16, 16) != 0) /* :: is "none" */
			addr_from_v6(&rec->nexthop, p);
		return;
	default:
		break;
	}
	if (len == 0 || len > 8)
		return;
	for (size_t i = 0; i < len; i++)
		v = v << 8 | p[i];
	switch (id) {
	case IE_FLOW_START_SECONDS:		/* dateTimeSeconds */
	case IE_FLOW_END_SECONDS:
		v *= 1000;
		break;
	case IE_FLOW_START_MICROSECONDS:	/* NTP format (RFC 7011 6.1.9) */
	case IE_FLOW_END_MICROSECONDS:
	case IE_FLOW_START_NANOSECONDS:
	case IE_FLOW_END_NANOSECONDS:
		if (len != 8)
			return;
		v = ntp64_ms(v);
		break;
	default:
		break;
	}
	switch (id) {
	case IE_OCTET_DELTA_COUNT:
	case IE_OCTET_TOTAL_COUNT:
		if (!a->has_bytes || id == IE_OCTET_DELTA_COUNT)
			rec->bytes = v;
		a->has_bytes = true;
		break;
	case IE_PACKET_DELTA_COUNT:
	case IE_PACKET_TOTAL_COUNT:
		if (!a->has_pkts || id == IE_PACKET_DELTA_COUNT)
			rec->packets = v;
		a->has_pkts = true;
		break;
	case IE_POST_OCTET_DELTA_COUNT:
		a->post_bytes = v;
		a->has_post_bytes = true;
		break;
	case IE_POST_PACKET_DELTA_COUNT:
		a->post_pkts = v;
		a->has_post_pkts = true;
		break;
	case IE_PROTOCOL_IDENTIFIER:
		rec->proto = (uint8_t)v;
		break;
	case IE_IP_CLASS_OF_SERVICE:
		rec->tos = (uint8_t)v;
		break;
	case IE_TCP_CONTROL_BITS:
		rec->tcp_flags = (uint8_t)v;
		break;
	case IE_SOURCE_TRANSPORT_PORT:
		rec->src_port = (uint16_t)v;
		break;
	case IE_DESTINATION_TRANSPORT_PORT:
		rec->dst_port = (uint16_t)v;
		break;
	case IE_SOURCE_IPV4_PREFIX_LENGTH:
	case IE_SOURCE_IPV6_PREFIX_LENGTH:
		rec->src_mask = (uint8_t)v;
		break;
	case IE_DESTINATION_IPV4_PREFIX_LENGTH:
	case IE_DESTINATION_IPV6_PREFIX_LENGTH:
		rec->dst_mask = (uint8_t)v;
		break;
	case IE_INGRESS_INTERFACE:
		rec->in_if = (uint32_t)v;
		break;
	case IE_EGRESS_INTERFACE:
		rec->out_if = (uint32_t)v;
		break;
	case IE_BGP_SOURCE_AS_NUMBER:
		rec->src_as = (uint32_t)v;
		break;
	case IE_BGP_DESTINATION_AS_NUMBER:
		rec->dst_as = (uint32_t)v;
		break;
	case IE_FLOW_START_SYS_UP_TIME:
		a->up_start = (uint32_t)v;
		a->has_up_start = true;
		break;
	case IE_FLOW_END_SYS_UP_TIME:
		a->up_end = (uint32_t)v;
		a->has_up_end = true;
		break;
	case IE_FLOW_START_SECONDS:
	case IE_FLOW_START_MILLISECONDS:
	case IE_FLOW_START_MICROSECONDS:
	case IE_FLOW_START_NANOSECONDS:
		a->abs_start = v;
		a->has_abs_start = true;
		break;
	case IE_FLOW_END_SECONDS:
	case IE_FLOW_END_MILLISECONDS:
	case IE_FLOW_END_MICROSECONDS:
	case IE_FLOW_END_NANOSECONDS:
		a->abs_end = v;
		a->has_abs_end = true;
		break;
	case IE_FLOW_START_DELTA_MICROSECONDS:
		a->dstart_us = (uint32_t)v;
		a->has_dstart = true;
		break;
	case IE_FLOW_END_DELTA_MICROSECONDS:
		a->dend_us = (uint32_t)v;
		a->has_dend = true;
		break;
	case IE_FLOW_DURATION_MILLISECONDS:
		a->dur_ms = v;
		a->has_dur = true;
		break;
	case IE_FLOW_DURATION_MICROSECONDS:
		a->dur_ms = v / 1000;
		a->has_dur = true;
		break;
	case IE_VLAN_ID:
		rec->src_vlan = (uint16_t)v;
		a->has_vlan = true;
		break;
	case IE_DOT1Q_VLAN_ID:
		if (!a->has_vlan)
			rec->src_vlan = (uint16_t)v;
		break;
	case IE_POST_VLAN_ID:
		rec->dst_vlan = (uint16_t)v;
		a->has_post_vlan = true;
		break;
	case IE_POST_DOT1Q_VLAN_ID:
		if (!a->has_post_vlan)
			rec->dst_vlan = (uint16_t)v;
		break;
	case IE_FLOW_DIRECTION:
		rec->direction = (uint8_t)v;
		break;
	case IE_FLOW_END_REASON:
		rec->end_reason = (uint8_t)v;
		break;
	case IE_ENGINE_TYPE:
		rec->engine_type = (uint8_t)v;
		break;
	case IE_ENGINE_ID:
		rec->engine_id = (uint8_t)v;
		break;
	case IE_ICMP_TYPE_CODE_IPV4:
	case IE_ICMP_TYPE_CODE_IPV6:
		a->icmp = (uint16_t)v;
		a->has_icmp = true;
		break;
	case IE_ICMP_TYPE_IPV4:
	case IE_ICMP_TYPE_IPV6:
		a->icmp_type = (uint8_t)v;
		a->has_icmp_tc = true;
		break;
	case IE_ICMP_CODE_IPV4:
	case IE_ICMP_CODE_IPV6:
		a->icmp_code = (uint8_t)v;
		a->has_icmp_tc = true;
		break;
	case IE_SAMPLING_INTERVAL:
	case IE_SAMPLER_RANDOM_INTERVAL:
		rec->sampling = (uint32_t)v;
		break;
	case IE_SAMPLING_PACKET_INTERVAL:
		a->samp_int = (uint32_t)v;
		break;
	case IE_SAMPLING_PACKET_SPACE:
		a->samp_space = (uint32_t)v;
		break;
	case IE_SAMPLER_ID:
	case IE_SELECTOR_ID:
		a->sampler_id = v;
		a->has_sampler_id = true;
		break;
	default:
		break;
	}
}

static uint64_t
uptime_ms(const struct tf_clock *clk, uint32_t up)
{
	if (clk->has_uptime)
		return time_from_uptime(clk->export_ms, clk->sys_uptime_ms, up);
	if (clk->sys_init_ms != 0)
		return clk->sys_init_ms + up;
	return clk->export_ms;	/* XXX: no systemInitTime known yet */
}

static uint64_t
delta_ms(const struct tf_clock *clk, uint32_t us)
{
	uint64_t d = us / 1000;

	return clk->export_ms > d ? clk->export_ms - d : 0;
}

/*
 * Turn what one record carried into the record's final fields.  The
 * sampling rate is the record's own (34, 50, 305/306), else that of the
 * sampler it names (48, 302), else the domain's (so may be NULL).
 */
static void
finish(struct flowrec *rec, const struct rec_acc *a,
    const struct tf_clock *clk, const struct tmpl_opts *so)
{
	bool fs = true, ls = true;

	if (a->has_abs_start)
		rec->first_ms = a->abs_start;
	else if (a->has_dstart)
		rec->first_ms = delta_ms(clk, a->dstart_us);
	else if (a->has_up_start)
		rec->first_ms = uptime_ms(clk, a->up_start);
	else
		fs = false;
	if (a->has_abs_end)
		rec->last_ms = a->abs_end;
	else if (a->has_dend)
		rec->last_ms = delta_ms(clk, a->dend_us);
	else if (a->has_up_end)
		rec->last_ms = uptime_ms(clk, a->up_end);
	else
		ls = false;
	if (fs && !ls)
		rec->last_ms = rec->first_ms + (a->has_dur ? a->dur_ms : 0);
	else if (!fs && ls)
		rec->first_ms = rec->last_ms -
		    (a->has_dur && a->dur_ms <= rec->last_ms ? a->dur_ms : 0);
	else if (!fs && !ls)
		rec->first_ms = rec->last_ms = clk->export_ms;
	if (!a->has_bytes && a->has_post_bytes)
		rec->bytes = a->post_bytes;
	if (!a->has_pkts && a->has_post_pkts)
		rec->packets = a->post_pkts;
	rec->af = a->has_v6 && !a->has_v4 ? 6 : 4;
	if (rec->proto == IPPROTO_ICMP_ || rec->proto == IPPROTO_ICMPV6_) {
		if (a->has_icmp)
			rec->dst_port = a->icmp;
		else if (a->has_icmp_tc)
			rec->dst_port = (uint16_t)(a->icmp_type << 8 |
			    a->icmp_code);
	}
	if (a->samp_int != 0)
		rec->sampling = (uint32_t)(((uint64_t)a->samp_int +
		    a->samp_space) / a->samp_int);
	if (rec->sampling == 0)
		rec->sampling = tmpl_opts_rate(so, a->has_sampler_id,
		    a->sampler_id);
}

/*
 * Read the length of one field of a record: the template's, or for a
 * variable-length field the 1- or 3-byte prefix (RFC 7011 7).
 */
static bool
field_len(struct rbuf *r, const struct tmpl_field *f, size_t *len)
{
	if (f->len != IE_VARLEN) {
		*len = f->len;
		return true;
	}
	*len = rbuf_u8(r);
	if (*len == 255)
		*len = rbuf_be16(r);
	return rbuf_ok(r);
}

static int
decode_record(const struct tmpl *t, struct rbuf *r, const struct tf_clock *clk,
    const struct tmpl_opts *so, struct flowrec *rec)
{
	struct rec_acc a;
	size_t len;

	memset(&a, 0, sizeof(a));
	flowrec_init(rec);
	for (size_t i = 0; i < t->nfields; i++) {
		const struct tmpl_field *f = &t->fields[i];
		const uint8_t *p;

		if (!field_len(r, f, &len) || rbuf_remaining(r) < len)
			return NFE_TRUNC;
		p = rbuf_ptr(r);
		(void)rbuf_skip(r, len);
		if (f->pen == 0)
			apply(f->id, p, len, rec, &a);
	}
	finish(rec, &a, clk, so);
	return NFE_OK;
}

/*
 * Options data record (RFC 3954 6.1 / RFC 7011 3.4.2.2) -> option state.
 * A rate next to a samplerId (48) or selectorId (302) belongs to that
 * sampler; without one it is the domain's (nfdump does the same).
 */
static int
decode_options(const struct tmpl *t, struct rbuf *r, uint16_t version,
    struct tmpl_opts *o)
{
	uint32_t iv = 0, sp = 0, size = 0, pop = 0;
	uint64_t sid = 0;
	bool has_sid = false;
	size_t len;
	struct rbuf v;

	memset(o, 0, sizeof(*o));
	for (size_t i = 0; i < t->nfields; i++) {
		const struct tmpl_field *f = &t->fields[i];
		uint64_t x;

		if (!field_len(r, f, &len) || !rbuf_sub(r, len, &v))
			return NFE_TRUNC;
		/* v9 scope field types are not element ids (RFC 3954 6.1) */
		if (f->pen != 0 || (version == 9 && i < t->scope_count) ||
		    len == 0 || len > 8)
			continue;
		x = rbuf_beN(&v, len);
		switch (f->id) {
		case IE_SAMPLING_INTERVAL:
		case IE_SAMPLER_RANDOM_INTERVAL:
			if (x != 0)
				o->sampling = (uint32_t)x;
			break;
		case IE_SAMPLING_PACKET_INTERVAL:
			iv = (uint32_t)x;
			break;
		case IE_SAMPLING_PACKET_SPACE:
			sp = (uint32_t)x;
			break;
		case IE_SAMPLING_SIZE:
			size = (uint32_t)x;
			break;
		case IE_SAMPLING_POPULATION:
			pop = (uint32_t)x;
			break;
		case IE_SYSTEM_INIT_TIME_MILLISECONDS:
			o->sys_init_ms = x;
			break;
		case IE_SAMPLER_ID:
		case IE_SELECTOR_ID:
			sid = x;
			has_sid = true;
			break;
		}
	}
	if (iv != 0)
		o->sampling = (uint32_t)(((uint64_t)iv + sp) / iv);
	else if (size != 0 && pop != 0)
		o->sampling = pop / size;
	if (has_sid && o->sampling != 0) {
		o->samplers[0].id = sid;
		o->samplers[0].rate = o->sampling;
		o->nsamplers = 1;
		o->sampling = 0;
	}
	return NFE_OK;
}

static int
notmpl(struct tf_set *s, struct rbuf *r)
{
	const struct nf_decode_ctx *ctx = s->ctx;

	s->info->no_template++;
	if (!s->held && ctx->notmpl != NULL)
		ctx->notmpl(ctx->arg, s->key.version, s->key.domain, s->key.id,
		    rbuf_ptr(r), rbuf_remaining(r), s->clk.export_ms,
		    s->clk.sys_uptime_ms);
	return NFE_NOTMPL;
}

int
tf_data_set(struct tf_set *s, struct rbuf *r)
{
	const struct nf_decode_ctx *ctx = s->ctx;
	const struct tmpl *t;
	const struct tmpl_opts *so;
	struct tmpl_opts o;
	struct flowrec rec;
	size_t body = rbuf_remaining(r), nrec = 0;
	int rc;

	if ((t = tmpl_get(ctx->tmpl, &s->key)) == NULL)
		return notmpl(s, r);
	/* a set shorter than one record but longer than padding */
	if (body < t->min_len && body >= 4) {
		tmpl_drop_mismatch(ctx->tmpl, &s->key);
		s->info->bad_sets++;
		return NFE_FORMAT;
	}
	if (t->options) {
		while (rbuf_remaining(r) >= t->min_len) {
			if (decode_options(t, r, s->key.version, &o) != NFE_OK)
				goto mismatch;
			if ((rc = tmpl_opts_update(ctx->tmpl, &s->key, &o)) !=
			    NFE_OK)
				return rc;
			if (o.sampling != 0)
				s->info->sampling = o.sampling;
			else if (o.nsamplers > 0)
				s->info->sampling = o.samplers[0].rate;
			s->info->options++;
			nrec++;
		}
		return NFE_OK;
	}
	so = tmpl_opts_get(ctx->tmpl, &s->key);
	if (so != NULL && so->sys_init_ms != 0 && !s->clk.has_uptime)
		s->clk.sys_init_ms = so->sys_init_ms;
	while (rbuf_remaining(r) >= t->min_len) {
		if (decode_record(t, r, &s->clk, so, &rec) != NFE_OK)
			goto mismatch;
		s->info->records++;
		nrec++;
		if ((rc = ctx->sink(ctx->arg, &rec)) != 0)
			return rc;
	}
	return NFE_OK;

mismatch:
	/* a variable-length record ran past the end of its set */
	s->info->bad_sets++;
	return NFE_FORMAT;
}

uint64_t
tf_value(uint16_t id, const struct flowrec *rec, const struct tf_clock *clk)
{
	switch (id) {
	case IE_OCTET_DELTA_COUNT:
		return rec->bytes;
	case IE_PACKET_DELTA_COUNT:
		return rec->packets;
	case IE_PROTOCOL_IDENTIFIER:
		return rec->proto;
	case IE_IP_CLASS_OF_SERVICE:
		return rec->tos;
	case IE_TCP_CONTROL_BITS:
		return rec->tcp_flags;
	case IE_SOURCE_TRANSPORT_PORT:
		return rec->src_port;
	case IE_DESTINATION_TRANSPORT_PORT:
		return rec->dst_port;
	case IE_SOURCE_IPV4_PREFIX_LENGTH:
	case IE_SOURCE_IPV6_PREFIX_LENGTH:
		return rec->src_mask;
	case IE_DESTINATION_IPV4_PREFIX_LENGTH:
	case IE_DESTINATION_IPV6_PREFIX_LENGTH:
		return rec->dst_mask;
	case IE_INGRESS_INTERFACE:
		return rec->in_if;
	case IE_EGRESS_INTERFACE:
		return rec->out_if;
	case IE_BGP_SOURCE_AS_NUMBER:
		return rec->src_as;
	case IE_BGP_DESTINATION_AS_NUMBER:
		return rec->dst_as;
	case IE_FLOW_START_SYS_UP_TIME:
		return (uint32_t)(clk->sys_uptime_ms -
		    (uint32_t)(clk->export_ms - rec->first_ms));
	case IE_FLOW_END_SYS_UP_TIME:
		return (uint32_t)(clk->sys_uptime_ms -
		    (uint32_t)(clk->export_ms - rec->last_ms));
	case IE_FLOW_START_MILLISECONDS:
		return rec->first_ms;
	case IE_FLOW_END_MILLISECONDS:
		return rec->last_ms;
	case IE_VLAN_ID:
		return rec->src_vlan;
	case IE_POST_VLAN_ID:
		return rec->dst_vlan;
	case IE_FLOW_DIRECTION:
		return rec->direction;
	case IE_FLOW_END_REASON:
		return rec->end_reason;
	case IE_ICMP_TYPE_CODE_IPV4:
	case IE_ICMP_TYPE_CODE_IPV6:
		return rec->proto == IPPROTO_ICMP_ ||
		    rec->proto == IPPROTO_ICMPV6_ ? rec->dst_port : 0;
	default:
		return 0;
	}
}

void
tf_put(struct wbuf *w, uint16_t id, uint16_t len, const struct flowrec *rec,
    const struct tf_clock *clk)
{
	switch (id) {
	case IE_SOURCE_IPV4_ADDRESS:
		wbuf_bytes(w, rec->src.a + 12, 4);
		return;
	case IE_DESTINATION_IPV4_ADDRESS:
		wbuf_bytes(w, rec->dst.a + 12, 4);
		return;
	case IE_IP_NEXT_HOP_IPV4_ADDRESS:
		wbuf_bytes(w, rec->nexthop.a + 12, 4);
		return;
	case IE_SOURCE_IPV6_ADDRESS:
		wbuf_bytes(w, rec->src.a, 16);
		return;
	case IE_DESTINATION_IPV6_ADDRESS:
		wbuf_bytes(w, rec->dst.a, 16);
		return;
	case IE_IP_NEXT_HOP_IPV6_ADDRESS:
		if (addr_is_zero(&rec->nexthop))
			wbuf_zero(w, 16);
		else
			wbuf_bytes(w, rec->nexthop.a, 16);
		return;
	default:
		wbuf_beN(w, tf_value(id, rec, clk), len);
		return;
	}
}

size_t
tf_tmpl_len(const struct tf_tmpl *t)
{
	size_t len = 0;

	for (size_t i = 0; i < t->n; i++)
		len += t->f[i].len;
	return len;
}

void
tf_put_template(struct wbuf *w, const struct tf_tmpl *t)
{
	wbuf_be16(w, t->id);
	wbuf_be16(w, (uint16_t)t->n);
	for (size_t i = 0; i < t->n; i++) {
		wbuf_be16(w, t->f[i].id);
		wbuf_be16(w, t->f[i].len);
	}
}

size_t
tf_put_data_sets(struct wbuf *w, const struct tf_tmpl *v4,
    const struct tf_tmpl *v6, const struct flowrec *recs, size_t n,
    const struct tf_clock *clk, bool pad4)
{
	size_t i = 0, slack = pad4 ? 3 : 0;

	while (i < n) {
		bool is6 = recs[i].af == 6;
		const struct tf_tmpl *t = is6 ? v6 : v4;
		size_t rl = tf_tmpl_len(t), mark;

		if (wbuf_room(w) < 4 + rl + slack)	/* set header + record */
			break;
		mark = wbuf_mark(w);
		wbuf_be16(w, t->id);
		wbuf_be16(w, 0);			/* set length, patched */
		while (i < n && (recs[i].af == 6) == is6 &&
		    wbuf_room(w) >= rl + slack) {
			for (size_t k = 0; k < t->n; k++)
				tf_put(w, t->f[k].id, t->f[k].len, &recs[i], clk);
			i++;
		}
		if (pad4)
			while ((wbuf_len(w) - mark) % 4 != 0)
				wbuf_u8(w, 0);
		wbuf_patch_be16(w, mark + 2, (uint16_t)(wbuf_len(w) - mark));
	}
	return i;
}
