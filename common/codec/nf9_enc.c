/*
 * common/codec/nf9_enc.c -- NetFlow v9 encoder (RFC 3954) for flowprobe and
 * the round-trip tests.
 *
 * A datagram is: header; when due, a template flowset with the IPv4
 * and IPv6 data templates, and (when sampling is configured) an
 * options template announcing SAMPLING_INTERVAL / SAMPLING_ALGORITHM
 * with its options data record; then data flowsets, IPv4 and IPv6
 * records in flowsets of their own, each padded to 4 bytes.  A record
 * is only started when it fits whole.  ICMP type and code go both in
 * the destination port (the v5 convention) and in ICMP_TYPE (32),
 * which nfdump reads instead of the port for v9.  Cisco's v9 field 32
 * is not IPv4-only, and nfdump 1.7 ignores 139 (ICMP_IPv6_TYPE), so
 * the IPv6 template carries 32 too.
 * Times are sysUpTime-relative
 * (FIRST/LAST_SWITCHED) and consistent with the header: the header's
 * sysUpTime is taken at the whole second the header's unix_secs
 * carries, so a decoder recovers the exact millisecond.
 */
#include "common/base/compat.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "common/base/buf.h"
#include "common/base/nferr.h"
#include "common/codec/ie.h"
#include "common/codec/nf9.h"
#include "common/codec/tfield.h"

static const struct tf_spec v4_fields[] = {
	{ IE_SOURCE_IPV4_ADDRESS, 4 }, { IE_DESTINATION_IPV4_ADDRESS, 4 },
	{ IE_IP_NEXT_HOP_IPV4_ADDRESS, 4 }, { IE_INGRESS_INTERFACE, 4 },
	{ IE_EGRESS_INTERFACE, 4 }, { IE_PACKET_DELTA_COUNT, 8 },
	{ IE_OCTET_DELTA_COUNT, 8 }, { IE_FLOW_START_SYS_UP_TIME, 4 },
	{ IE_FLOW_END_SYS_UP_TIME, 4 }, { IE_SOURCE_TRANSPORT_PORT, 2 },
	{ IE_DESTINATION_TRANSPORT_PORT, 2 }, { IE_TCP_CONTROL_BITS, 1 },
	{ IE_PROTOCOL_IDENTIFIER, 1 }, { IE_IP_CLASS_OF_SERVICE, 1 },
	{ IE_BGP_SOURCE_AS_NUMBER, 4 }, { IE_BGP_DESTINATION_AS_NUMBER, 4 },
	{ IE_SOURCE_IPV4_PREFIX_LENGTH, 1 },
	{ IE_DESTINATION_IPV4_PREFIX_LENGTH, 1 }, { IE_VLAN_ID, 2 },
	{ IE_POST_VLAN_ID, 2 }, { IE_FLOW_DIRECTION, 1 },
	{ IE_FLOW_END_REASON, 1 }, { IE_ICMP_TYPE_CODE_IPV4, 2 },
};

static const struct tf_spec v6_fields[] = {
	{ IE_SOURCE_IPV6_ADDRESS, 16 }, { IE_DESTINATION_IPV6_ADDRESS, 16 },
	{ IE_IP_NEXT_HOP_IPV6_ADDRESS, 16 }, { IE_INGRESS_INTERFACE, 4 },
	{ IE_EGRESS_INTERFACE, 4 }, { IE_PACKET_DELTA_COUNT, 8 },
	{ IE_OCTET_DELTA_COUNT, 8 }, { IE_FLOW_START_SYS_UP_TIME, 4 },
	{ IE_FLOW_END_SYS_UP_TIME, 4 }, { IE_SOURCE_TRANSPORT_PORT, 2 },
	{ IE_DESTINATION_TRANSPORT_PORT, 2 }, { IE_TCP_CONTROL_BITS, 1 },
	{ IE_PROTOCOL_IDENTIFIER, 1 }, { IE_IP_CLASS_OF_SERVICE, 1 },
	{ IE_BGP_SOURCE_AS_NUMBER, 4 }, { IE_BGP_DESTINATION_AS_NUMBER, 4 },
	{ IE_SOURCE_IPV6_PREFIX_LENGTH, 1 },
	{ IE_DESTINATION_IPV6_PREFIX_LENGTH, 1 }, { IE_VLAN_ID, 2 },
	{ IE_POST_VLAN_ID, 2 }, { IE_FLOW_DIRECTION, 1 },
	{ IE_FLOW_END_REASON, 1 }, { IE_ICMP_TYPE_CODE_IPV4, 2 },
};

static const struct tf_tmpl tmpl_v4 = {
	NF9_TMPL_V4, v4_fields, NF_NELEM(v4_fields)
};
static const struct tf_tmpl tmpl_v6 = {
	NF9_TMPL_V6, v6_fields, NF_NELEM(v6_fields)
};

#define NF9_SCOPE_SYSTEM	1	/* RFC 3954 6.1 scope field type */
#define NF9_SAMPLING_DETERMINISTIC 1	/* SAMPLING_ALGORITHM value */

/*
 * The data templates of e: the fixed ones, or those followed by e's
 * extra fields (tf_tmpl_extend: made from the catalogue's bindings).
 */
struct data_tmpls {
	struct tf_spec	 f4[TMPL_MAX_FIELDS], f6[TMPL_MAX_FIELDS];
	struct tf_tmpl	 t4, t6;
	const struct tf_tmpl *v4, *v6;
};

static int
data_tmpls(struct nf_enc *e, struct data_tmpls *d)
{
	d->v4 = &tmpl_v4;
	d->v6 = &tmpl_v6;
	if (e->nextra == 0)
		return NFE_OK;
	if (tf_tmpl_extend(d->v4, e, 4, d->f4, TMPL_MAX_FIELDS, &d->t4) !=
	    NFE_OK || tf_tmpl_extend(d->v6, e, 6, d->f6, TMPL_MAX_FIELDS,
	    &d->t6) != NFE_OK)
		return NFE_LIMIT;
	d->v4 = &d->t4;
	d->v6 = &d->t6;
	return NFE_OK;
}

static void
pad4(struct wbuf *w, size_t mark)
{
	while ((wbuf_len(w) - mark) % 4 != 0)
		wbuf_u8(w, 0);
	wbuf_patch_be16(w, mark + 2, (uint16_t)(wbuf_len(w) - mark));
}

/* Templates (and sampling options); returns the records written. */
static uint32_t
put_templates(struct wbuf *w, const struct nf_enc *e,
    const struct data_tmpls *d)
{
	size_t mark;
	uint32_t n = 2;

	mark = wbuf_mark(w);
	wbuf_be16(w, NF9_SET_TEMPLATE);
	wbuf_be16(w, 0);
	tf_put_template(w, d->v4);
	tf_put_template(w, d->v6);
	pad4(w, mark);
	if (e->sampling <= 1)
		return n;
	mark = wbuf_mark(w);
	wbuf_be16(w, NF9_SET_OPTIONS);
	wbuf_be16(w, 0);
	wbuf_be16(w, NF9_TMPL_OPTIONS);
	wbuf_be16(w, 4);			/* scope length: one field */
	wbuf_be16(w, 8);			/* option length: two fields */
	wbuf_be16(w, NF9_SCOPE_SYSTEM);
	wbuf_be16(w, 4);
	wbuf_be16(w, IE_SAMPLING_INTERVAL);
	wbuf_be16(w, 4);
	wbuf_be16(w, IE_SAMPLING_ALGORITHM);
	wbuf_be16(w, 1);
	pad4(w, mark);
	mark = wbuf_mark(w);
	wbuf_be16(w, NF9_TMPL_OPTIONS);
	wbuf_be16(w, 0);
	wbuf_be32(w, e->domain);
	wbuf_be32(w, e->sampling);
	wbuf_u8(w, NF9_SAMPLING_DETERMINISTIC);
	pad4(w, mark);
	return n + 2;
}

int
nf9_encode(struct nf_enc *e, uint64_t now_ms, const struct flowrec *recs,
    size_t n, uint8_t *buf, size_t cap, size_t *len, size_t *used)
{
	struct data_tmpls d;
	struct tf_clock clk;
	struct wbuf w;
	size_t i = 0, size;
	uint32_t count = 0;
	bool due;

	*len = 0;
	*used = 0;
	if (data_tmpls(e, &d) != NFE_OK)
		return NFE_LIMIT;
	due = nf_enc_templates_due(e, now_ms);
	if (n == 0 && !due)
		return NFE_OK;
	size = e->max_size != 0 && e->max_size < cap ? e->max_size : cap;
	wbuf_init(&w, buf, size);
	memset(&clk, 0, sizeof(clk));
	clk.export_ms = now_ms / 1000 * 1000;
	clk.sys_uptime_ms = (uint32_t)(clk.export_ms - e->boot_ms);
	clk.has_uptime = true;

	wbuf_be16(&w, NF9_VERSION);
	wbuf_be16(&w, 0);			/* count, patched below */
	wbuf_be32(&w, clk.sys_uptime_ms);
	wbuf_be32(&w, (uint32_t)(now_ms / 1000));
	wbuf_be32(&w, e->seq);
	wbuf_be32(&w, e->domain);
	if (due)
		count += put_templates(&w, e, &d);
	if (!wbuf_ok(&w))
		return NFE_LIMIT;

	if (!tf_plan_for(&e->plan[0], d.v4) || !tf_plan_for(&e->plan[1], d.v6))
		return NFE_LIMIT;
	i = tf_put_planned_sets(&w, &e->plan[0], &e->plan[1], recs, n, &clk,
	    true);
	count += (uint32_t)i;
	if (i == 0 && n > 0 && !due)
		return NFE_LIMIT;
	wbuf_patch_be16(&w, 2, (uint16_t)count);
	if (!wbuf_ok(&w))
		return NFE_INTERNAL;		/* room was checked: a bug */
	e->seq++;
	nf_enc_sent(e, now_ms, due, i);
	*len = wbuf_len(&w);
	*used = i;
	return NFE_OK;
}
