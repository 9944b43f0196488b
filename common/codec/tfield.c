/*
 * common/codec/tfield.c -- template-driven record codec shared by the v9 and
 * IPFIX decoders and encoders (RFC 3954 section 8 field types, RFC
 * 7011 sections 3.4.3 and 7 for reduced-size and variable-length
 * encoding, RFC 5102/7012 for the element semantics).
 *
 * Unknown elements and enterprise-specific ones are skipped by their
 * length.  A known element whose length makes no sense for its type
 * (an IPv4 address in 3 bytes, a counter in 9) is skipped as well.
 */
#include "common/base/compat.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "common/base/nferr.h"
#include "common/base/timeutil.h"
#include "common/codec/ie.h"
#include "common/codec/sampling.h"
#include "common/codec/tfield.h"

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
	struct samp_fields sf;		/* sampling elements of the record */
	uint16_t	icmp;
	uint8_t		icmp_type, icmp_code;
	bool		has_abs_start, has_abs_end, has_dur;
	bool		has_up_start, has_up_end;
	bool		has_dstart, has_dend;
	bool		has_bytes, has_pkts, has_post_bytes, has_post_pkts;
	bool		has_v4, has_v6, has_icmp, has_icmp_tc;
	bool		has_vlan, has_post_vlan;
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
 * types follow the element table in common/codec/ie.c.
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
	case IE_SAMPLING_ALGORITHM:
	case IE_SAMPLER_ID:
	case IE_SAMPLER_MODE:
	case IE_SAMPLER_RANDOM_INTERVAL:
	case IE_SELECTOR_ID:
	case IE_SELECTOR_ALGORITHM:
	case IE_SAMPLING_PACKET_INTERVAL:
	case IE_SAMPLING_PACKET_SPACE:
	case IE_SAMPLING_TIME_INTERVAL:
	case IE_SAMPLING_TIME_SPACE:
	case IE_SAMPLING_SIZE:
	case IE_SAMPLING_POPULATION:
	case IE_SAMPLING_PROBABILITY:
		samp_collect(&a->sf, id, p, len);
		break;
	default:
		break;
	}
}

/*
 * Rate of a data record that carries sampling elements.  Returns true
 * (and the sampler in *wait_id) if the record names a sampler whose
 * rate is not known yet and nothing else gives it one.
 */
static bool
record_rate(struct flowrec *rec, const struct samp_fields *sf,
    const struct tmpl_opts *so, uint64_t *wait_id)
{
	struct samp_result sr = samp_rate(sf);
	uint64_t id = 0;
	bool has_id;

	if (sr.verdict == SAMP_RATE) {
		rec->sampling = sr.rate;
		return false;
	}
	has_id = samp_id(sf, &id);
	rec->sampling = tmpl_opts_rate(so, has_id, id);
	if (has_id && tmpl_opts_rate_unknown(so, id)) {
		*wait_id = id;
		return true;
	}
	return false;
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
 * sampling rate is the record's own (its sampling elements, when they
 * give a rate by the rules of common/codec/sampling.h), else that of the
 * sampler it names (48, 302), else the domain's (so may be NULL).
 * Returns record_rate()'s answer: true if the rate must be waited for.
 */
static bool
finish(struct flowrec *rec, const struct rec_acc *a,
    const struct tf_clock *clk, const struct tmpl_opts *so, uint64_t *wait_id)
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
	if (a->sf.present != 0)
		return record_rate(rec, &a->sf, so, wait_id);
	rec->sampling = tmpl_opts_rate(so, false, 0);
	return false;
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

/*
 * One data record into rec.  *wait is set if it names a sampler whose
 * rate is unknown (*wait_id: which).
 */
static int
decode_record(const struct tmpl *t, struct rbuf *r, const struct tf_clock *clk,
    const struct tmpl_opts *so, struct flowrec *rec, bool *wait,
    uint64_t *wait_id)
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
	*wait = finish(rec, &a, clk, so, wait_id);
	return NFE_OK;
}

/* Whole records in r (a copy): the template's walk, no decoding. */
static uint32_t
count_records(const struct tmpl *t, struct rbuf r)
{
	uint32_t n = 0;
	size_t len;

	while (rbuf_remaining(&r) >= t->min_len) {
		for (size_t i = 0; i < t->nfields; i++)
			if (!field_len(&r, &t->fields[i], &len) ||
			    !rbuf_skip(&r, len))
				return n;
		n++;
	}
	return n;
}

/* True if a record of r (a copy) waits for its sampler's rate. */
static bool
set_waits(const struct tmpl *t, struct rbuf r, const struct tf_clock *clk,
    const struct tmpl_opts *so)
{
	struct flowrec rec;
	uint64_t id;
	bool wait;

	while (rbuf_remaining(&r) >= t->min_len) {
		if (decode_record(t, &r, clk, so, &rec, &wait, &id) != NFE_OK)
			return false;
		if (wait)
			return true;
	}
	return false;
}

/*
 * Remember sampler id as known without a rate, so that its records are
 * not held again; options data naming it later replaces that.
 */
static const struct tmpl_opts *
forget_wait(struct tf_set *s, uint64_t id)
{
	struct tmpl_opts o;

	memset(&o, 0, sizeof(o));
	o.samplers[0].id = id;
	o.nsamplers = 1;
	(void)tmpl_opts_update(s->ctx->tmpl, &s->key, &o);
	return tmpl_opts_get(s->ctx->tmpl, &s->key);
}

/* Offer the records from at on to ctx->norate; true if it kept them. */
static bool
hold_rest(struct tf_set *s, const struct tmpl *t, const struct rbuf *at)
{
	const struct nf_decode_ctx *ctx = s->ctx;

	if (!ctx->norate(ctx->arg, s->key.version, s->key.domain, s->key.id,
	    rbuf_ptr(at), rbuf_remaining(at), s->clk.export_ms,
	    s->clk.sys_uptime_ms))
		return false;
	s->info->rate_held++;
	s->info->rate_held_records += count_records(t, *at);
	return true;
}

/*
 * Options data record (RFC 3954 6.1 / RFC 7011 3.4.2.2) -> option state
 * update, by the rules of common/codec/sampling.h.  A record that announces
 * sampling sets the rate of the sampler it names (samplerId 48 /
 * selectorId 302), or the domain's without one (nfdump does the same);
 * an announcement without a usable rate (time-based, filtering,
 * nonsense values) sets it to 0: no scale-up from it.  *sr says what
 * the record meant (SAMP_NONE if it did not speak of sampling).
 */
static int
decode_options(const struct tmpl *t, struct rbuf *r, uint16_t version,
    struct tmpl_opts *o, struct samp_result *sr, struct nf_samp_note *note)
{
	struct samp_fields sf;
	uint64_t sid = 0;
	uint32_t rate;
	size_t len;
	struct rbuf v;

	memset(o, 0, sizeof(*o));
	memset(&sf, 0, sizeof(sf));
	for (size_t i = 0; i < t->nfields; i++) {
		const struct tmpl_field *f = &t->fields[i];

		if (!field_len(r, f, &len) || !rbuf_sub(r, len, &v))
			return NFE_TRUNC;
		/* v9 scope field types are not element ids (RFC 3954 6.1) */
		if (f->pen != 0 || (version == 9 && i < t->scope_count) ||
		    len == 0 || len > 8)
			continue;
		if (f->id == IE_SYSTEM_INIT_TIME_MILLISECONDS)
			o->sys_init_ms = rbuf_beN(&v, len);
		else if (samp_is_field(f->id))
			samp_collect(&sf, f->id, rbuf_ptr(&v), len);
	}
	*sr = samp_rate(&sf);
	if (sr->verdict == SAMP_NONE)
		return NFE_OK;
	rate = sr->verdict == SAMP_RATE ? sr->rate : 0;
	note->why = (uint8_t)sr->why;
	note->algorithm = sr->algorithm;
	note->has_id = samp_id(&sf, &sid);
	note->id = sid;
	if (note->has_id) {
		o->samplers[0].id = sid;
		o->samplers[0].rate = rate;
		o->nsamplers = 1;
	} else {
		o->sampling = rate;
		o->has_sampling = true;
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
	struct samp_result sr;
	struct nf_samp_note note;
	struct flowrec *rec;
	struct rbuf at;
	size_t body = rbuf_remaining(r);
	uint64_t wait_id = 0;
	bool wait;
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
			if (decode_options(t, r, s->key.version, &o, &sr,
			    &note) != NFE_OK)
				goto mismatch;
			if ((rc = tmpl_opts_update(ctx->tmpl, &s->key, &o)) !=
			    NFE_OK)
				return rc;
			if (sr.verdict == SAMP_RATE)
				s->info->sampling = sr.rate;
			else if (sr.verdict == SAMP_BAD &&
			    s->info->samp_bad++ == 0)
				s->info->samp_bad_first = note;
			s->info->options++;
		}
		return NFE_OK;
	}
	so = tmpl_opts_get(ctx->tmpl, &s->key);
	if (so != NULL && so->sys_init_ms != 0 && !s->clk.has_uptime)
		s->clk.sys_init_ms = so->sys_init_ms;
	/* a held set waits whole until no record of it waits */
	if (s->held && !ctx->rate_final && set_waits(t, *r, &s->clk, so))
		return NFE_NOTMPL;
	while (rbuf_remaining(r) >= t->min_len) {
		at = *r;
		if ((rec = nf_out_slot(s->out)) == NULL)
			return NFE_LIMIT;	/* a batch without full */
		if (decode_record(t, r, &s->clk, so, rec, &wait, &wait_id) !=
		    NFE_OK)
			goto mismatch;
		if (wait && !s->held && ctx->norate != NULL) {
			if (hold_rest(s, t, &at))
				return NFE_OK;
			so = forget_wait(s, wait_id);	/* no room: go on */
		} else if (wait && s->held)
			so = forget_wait(s, wait_id);	/* waited long enough */
		s->info->records++;
		if ((rc = nf_out_keep(s->out)) != 0)
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
