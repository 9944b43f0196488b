/*
 * common/codec/ipfix_enc.c -- IPFIX encoder (RFC 7011) for flowprobe and the
 * round-trip tests.
 *
 * A message is: header; when due, a template set with the IPv4 and
 * IPv6 data templates, an options template set (scope
 * observationDomainId; systemInitTimeMilliseconds, plus
 * samplingPacketInterval, samplingPacketSpace and selectorAlgorithm
 * when sampling is configured) and its options data record; then data
 * sets, IPv4 and IPv6 records in sets of their own.  With biflow (flowprobe
 * -b), the data templates (1025, 2049) end with the RFC 5103 reverse
 * packet and octet delta counts (enterprise 29305).  Times are
 * flowStart/EndMilliseconds.  The sequence number is the count of data
 * records (options records included) sent before this message (RFC
 * 7011 3.1).  A record is only started when it fits whole.
 */
#include "common/base/compat.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "common/base/buf.h"
#include "common/base/fields.h"
#include "common/base/nferr.h"
#include "common/codec/ie.h"
#include "common/codec/ipfix.h"
#include "common/codec/tfield.h"

#define V4_FIELDS							\
	{ IE_SOURCE_IPV4_ADDRESS, 4 }, { IE_DESTINATION_IPV4_ADDRESS, 4 }, \
	{ IE_IP_NEXT_HOP_IPV4_ADDRESS, 4 }, { IE_INGRESS_INTERFACE, 4 }, \
	{ IE_EGRESS_INTERFACE, 4 }, { IE_PACKET_DELTA_COUNT, 8 },	\
	{ IE_OCTET_DELTA_COUNT, 8 }, { IE_FLOW_START_MILLISECONDS, 8 },	\
	{ IE_FLOW_END_MILLISECONDS, 8 }, { IE_SOURCE_TRANSPORT_PORT, 2 }, \
	{ IE_DESTINATION_TRANSPORT_PORT, 2 }, { IE_TCP_CONTROL_BITS, 1 }, \
	{ IE_PROTOCOL_IDENTIFIER, 1 }, { IE_IP_CLASS_OF_SERVICE, 1 },	\
	{ IE_BGP_SOURCE_AS_NUMBER, 4 }, { IE_BGP_DESTINATION_AS_NUMBER, 4 }, \
	{ IE_SOURCE_IPV4_PREFIX_LENGTH, 1 },				\
	{ IE_DESTINATION_IPV4_PREFIX_LENGTH, 1 }, { IE_VLAN_ID, 2 },	\
	{ IE_POST_VLAN_ID, 2 }, { IE_FLOW_DIRECTION, 1 },		\
	{ IE_FLOW_END_REASON, 1 }

#define V6_FIELDS							\
	{ IE_SOURCE_IPV6_ADDRESS, 16 }, { IE_DESTINATION_IPV6_ADDRESS, 16 }, \
	{ IE_IP_NEXT_HOP_IPV6_ADDRESS, 16 }, { IE_INGRESS_INTERFACE, 4 }, \
	{ IE_EGRESS_INTERFACE, 4 }, { IE_PACKET_DELTA_COUNT, 8 },	\
	{ IE_OCTET_DELTA_COUNT, 8 }, { IE_FLOW_START_MILLISECONDS, 8 },	\
	{ IE_FLOW_END_MILLISECONDS, 8 }, { IE_SOURCE_TRANSPORT_PORT, 2 }, \
	{ IE_DESTINATION_TRANSPORT_PORT, 2 }, { IE_TCP_CONTROL_BITS, 1 }, \
	{ IE_PROTOCOL_IDENTIFIER, 1 }, { IE_IP_CLASS_OF_SERVICE, 1 },	\
	{ IE_BGP_SOURCE_AS_NUMBER, 4 }, { IE_BGP_DESTINATION_AS_NUMBER, 4 }, \
	{ IE_SOURCE_IPV6_PREFIX_LENGTH, 1 },				\
	{ IE_DESTINATION_IPV6_PREFIX_LENGTH, 1 }, { IE_VLAN_ID, 2 },	\
	{ IE_POST_VLAN_ID, 2 }, { IE_FLOW_DIRECTION, 1 },		\
	{ IE_FLOW_END_REASON, 1 }

/* nf_enc.biflow: the same fields, then the RFC 5103 reverse counters */
#define REVERSE_COUNTERS						\
	{ FLD_IE_REVERSE(IE_PACKET_DELTA_COUNT), 8 },			\
	{ FLD_IE_REVERSE(IE_OCTET_DELTA_COUNT), 8 }

static const struct tf_spec v4_fields[] = { V4_FIELDS };
static const struct tf_spec v6_fields[] = { V6_FIELDS };
static const struct tf_spec v4b_fields[] = { V4_FIELDS, REVERSE_COUNTERS };
static const struct tf_spec v6b_fields[] = { V6_FIELDS, REVERSE_COUNTERS };

static const struct tf_tmpl tmpl_v4 = {
	IPFIX_TMPL_V4, v4_fields, NF_NELEM(v4_fields)
};
static const struct tf_tmpl tmpl_v6 = {
	IPFIX_TMPL_V6, v6_fields, NF_NELEM(v6_fields)
};
static const struct tf_tmpl tmpl_v4b = {
	IPFIX_TMPL_V4_BIFLOW, v4b_fields, NF_NELEM(v4b_fields)
};
static const struct tf_tmpl tmpl_v6b = {
	IPFIX_TMPL_V6_BIFLOW, v6b_fields, NF_NELEM(v6b_fields)
};

#define SELECTOR_SYSTEMATIC_COUNT 1	/* selectorAlgorithm, RFC 5477 */

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
	d->v4 = e->biflow ? &tmpl_v4b : &tmpl_v4;
	d->v6 = e->biflow ? &tmpl_v6b : &tmpl_v6;
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
end_set(struct wbuf *w, size_t mark)
{
	wbuf_patch_be16(w, mark + 2, (uint16_t)(wbuf_len(w) - mark));
}

/* Templates, options template and options record; returns data records. */
static uint32_t
put_templates(struct wbuf *w, const struct nf_enc *e,
    const struct data_tmpls *d)
{
	bool samp = e->sampling > 1;
	size_t mark;

	mark = wbuf_mark(w);
	wbuf_be16(w, IPFIX_SET_TEMPLATE);
	wbuf_be16(w, 0);
	tf_put_template(w, d->v4);
	tf_put_template(w, d->v6);
	end_set(w, mark);

	mark = wbuf_mark(w);
	wbuf_be16(w, IPFIX_SET_OPTIONS);
	wbuf_be16(w, 0);
	wbuf_be16(w, IPFIX_TMPL_OPTIONS);
	wbuf_be16(w, samp ? 5 : 2);		/* field count */
	wbuf_be16(w, 1);			/* scope field count */
	wbuf_be16(w, IE_OBSERVATION_DOMAIN_ID);
	wbuf_be16(w, 4);
	wbuf_be16(w, IE_SYSTEM_INIT_TIME_MILLISECONDS);
	wbuf_be16(w, 8);
	if (samp) {
		wbuf_be16(w, IE_SAMPLING_PACKET_INTERVAL);
		wbuf_be16(w, 4);
		wbuf_be16(w, IE_SAMPLING_PACKET_SPACE);
		wbuf_be16(w, 4);
		wbuf_be16(w, IE_SELECTOR_ALGORITHM);
		wbuf_be16(w, 2);
	}
	end_set(w, mark);

	mark = wbuf_mark(w);
	wbuf_be16(w, IPFIX_TMPL_OPTIONS);
	wbuf_be16(w, 0);
	wbuf_be32(w, e->domain);
	wbuf_be64(w, e->boot_ms);
	if (samp) {
		wbuf_be32(w, 1);
		wbuf_be32(w, e->sampling - 1);
		wbuf_be16(w, SELECTOR_SYSTEMATIC_COUNT);
	}
	end_set(w, mark);
	return 1;
}

int
ipfix_encode(struct nf_enc *e, uint64_t now_ms, const struct flowrec *recs,
    size_t n, uint8_t *buf, size_t cap, size_t *len, size_t *used)
{
	struct data_tmpls d;
	struct tf_clock clk;
	struct wbuf w;
	size_t i = 0, size;
	uint32_t ndata = 0;
	bool due;

	*len = 0;
	*used = 0;
	if (data_tmpls(e, &d) != NFE_OK)
		return NFE_LIMIT;
	due = nf_enc_templates_due(e, now_ms);
	if (n == 0 && !due)
		return NFE_OK;
	size = e->max_size != 0 && e->max_size < cap ? e->max_size : cap;
	if (size > UINT16_MAX)
		size = UINT16_MAX;
	wbuf_init(&w, buf, size);
	memset(&clk, 0, sizeof(clk));
	clk.export_ms = now_ms;

	wbuf_be16(&w, IPFIX_VERSION);
	wbuf_be16(&w, 0);			/* length, patched below */
	wbuf_be32(&w, (uint32_t)(now_ms / 1000));
	wbuf_be32(&w, e->seq);
	wbuf_be32(&w, e->domain);
	if (due)
		ndata += put_templates(&w, e, &d);
	if (!wbuf_ok(&w))
		return NFE_LIMIT;

	if (!tf_plan_for(&e->plan[0], d.v4) || !tf_plan_for(&e->plan[1], d.v6))
		return NFE_LIMIT;
	i = tf_put_planned_sets(&w, &e->plan[0], &e->plan[1], recs, n, &clk,
	    false);
	ndata += (uint32_t)i;
	if (i == 0 && n > 0 && !due)
		return NFE_LIMIT;
	wbuf_patch_be16(&w, 2, (uint16_t)wbuf_len(&w));
	if (!wbuf_ok(&w))
		return NFE_INTERNAL;		/* room was checked: a bug */
	e->seq += ndata;
	nf_enc_sent(e, now_ms, due, i);
	*len = wbuf_len(&w);
	*used = i;
	return NFE_OK;
}
