/*
 * query/output_json.c -- -o csv, json and ndjson.
 *
 * CSV keeps nfdump 1.7.1's column names and order for the columns a
 * flow record carries (its MPLS, MAC, latency and received-time columns
 * are left out) and adds "fl", the flow count of aggregated records.
 * JSON field names are IPFIX information-element names (IANA registry;
 * the table below, documented in man/flowq.1).  CSV and JSON times are
 * ISO 8601 in the local zone of TZ with an explicit offset.
 */
#include "common/base/compat.h"

#include <stdio.h>
#include <string.h>

#include "common/codec/ie.h"
#include "query/output.h"
#include "query/output_int.h"

/*
 * JSON fields, by IANA element id; names are looked up in common/codec/ie.h
 * (the names here are the fallback and document the ids).  v6 ids are
 * used when the record is IPv6.
 */
enum jf {
	JF_START, JF_END, JF_DUR, JF_PROTO, JF_SRC, JF_DST, JF_SPORT,
	JF_DPORT, JF_ICMPTYPE, JF_ICMPCODE, JF_FLAGS, JF_TOS, JF_PKTS,
	JF_BYTES, JF_FLOWS, JF_IN, JF_OUT, JF_SAS, JF_DAS, JF_SMASK,
	JF_DMASK, JF_NH, JF_SVLAN, JF_DVLAN, JF_DIR, JF_END_REASON,
	JF_SAMPLING, JF_ENG_TYPE, JF_ENG_ID, JF_ROUTER,
};

static const struct {
	unsigned	 id4, id6;
	const char	*name4, *name6;
} jnames[] = {
	[JF_START] = { 152, 152, "flowStartMilliseconds", NULL },
	[JF_END] = { 153, 153, "flowEndMilliseconds", NULL },
	[JF_DUR] = { 161, 161, "flowDurationMilliseconds", NULL },
	[JF_PROTO] = { 4, 4, "protocolIdentifier", NULL },
	[JF_SRC] = { 8, 27, "sourceIPv4Address", "sourceIPv6Address" },
	[JF_DST] = { 12, 28, "destinationIPv4Address",
	    "destinationIPv6Address" },
	[JF_SPORT] = { 7, 7, "sourceTransportPort", NULL },
	[JF_DPORT] = { 11, 11, "destinationTransportPort", NULL },
	[JF_ICMPTYPE] = { 176, 178, "icmpTypeIPv4", "icmpTypeIPv6" },
	[JF_ICMPCODE] = { 177, 179, "icmpCodeIPv4", "icmpCodeIPv6" },
	[JF_FLAGS] = { 6, 6, "tcpControlBits", NULL },
	[JF_TOS] = { 5, 5, "ipClassOfService", NULL },
	[JF_PKTS] = { 2, 2, "packetDeltaCount", NULL },
	[JF_BYTES] = { 1, 1, "octetDeltaCount", NULL },
	[JF_FLOWS] = { 3, 3, "deltaFlowCount", NULL },
	[JF_IN] = { 10, 10, "ingressInterface", NULL },
	[JF_OUT] = { 14, 14, "egressInterface", NULL },
	[JF_SAS] = { 16, 16, "bgpSourceAsNumber", NULL },
	[JF_DAS] = { 17, 17, "bgpDestinationAsNumber", NULL },
	[JF_SMASK] = { 9, 29, "sourceIPv4PrefixLength",
	    "sourceIPv6PrefixLength" },
	[JF_DMASK] = { 13, 30, "destinationIPv4PrefixLength",
	    "destinationIPv6PrefixLength" },
	[JF_NH] = { 15, 62, "ipNextHopIPv4Address", "ipNextHopIPv6Address" },
	[JF_SVLAN] = { 58, 58, "vlanId", NULL },
	[JF_DVLAN] = { 59, 59, "postVlanId", NULL },
	[JF_DIR] = { 61, 61, "flowDirection", NULL },
	[JF_END_REASON] = { 136, 136, "flowEndReason", NULL },
	[JF_SAMPLING] = { 34, 34, "samplingInterval", NULL },
	[JF_ENG_TYPE] = { 38, 38, "engineType", NULL },
	[JF_ENG_ID] = { 39, 39, "engineId", NULL },
	[JF_ROUTER] = { 130, 131, "exporterIPv4Address",
	    "exporterIPv6Address" },
};

static const char csv_header[] =
    "ts,te,td,sa,da,sp,dp,pr,flg,fwd,stos,ipkt,ibyt,opkt,obyt,in,out,"
    "sas,das,smk,dmk,dtos,dir,nh,svln,dvln,ra,eng,fl";

/*
 * The name from the information-element table (common/codec/ie.h) by id; the
 * local copy only if the table lacks the element.
 */
static const char *
jname(enum jf f, bool v6)
{
	bool six = v6 && jnames[f].name6 != NULL;
	const struct ie *e = ie_by_id((uint16_t)(six ? jnames[f].id6 :
	    jnames[f].id4));

	if (e != NULL)
		return e->name;
	return six ? jnames[f].name6 : jnames[f].name4;
}

void
out_json_str(struct obuf *b, const char *s)
{
	static const char hex[] = "0123456789abcdef";

	obuf_putc(b, '"');
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\') {
			obuf_putc(b, '\\');
			obuf_putc(b, (char)c);
		} else if (c < 0x20) {
			obuf_puts(b, "\\u00");
			obuf_putc(b, hex[c >> 4]);
			obuf_putc(b, hex[c & 15]);
		} else
			obuf_putc(b, (char)c);
	}
	obuf_putc(b, '"');
}

void
out_json_begin(struct output *o, struct obuf *b)
{
	if (o->kind == OUT_CSV) {
		obuf_puts(b, csv_header);
		obuf_putc(b, '\n');
	} else if (o->kind == OUT_JSON)
		obuf_puts(b, "[\n");
}

/* An address as text: IPv4 without printf, IPv6 through addr_format. */
static void
put_addr(struct obuf *b, const struct nf_addr *a)
{
	char buf[ADDR_STRLEN];

	if (addr_is_v4(a)) {
		for (int i = 12; i < 16; i++) {
			obuf_putu(b, a->a[i]);
			if (i < 15)
				obuf_putc(b, '.');
		}
		return;
	}
	obuf_puts(b, addr_format(a, buf, sizeof(buf)));
}

static void
csv_record(struct output *o, const struct flowrec *r,
    const struct nf_addr *router, struct obuf *b)
{
	char fl[9], pr[8], ms[5];
	struct nf_addr zero;
	uint64_t d = out_dur_ms(r);

	if (router == NULL) {
		addr_from_v4(&zero, 0);
		router = &zero;
	}
	out_time(o, r->first_ms, true, b);
	obuf_putc(b, ',');
	out_time(o, r->last_ms, true, b);
	obuf_putc(b, ',');
	obuf_putu(b, d / 1000);
	ms[0] = '.';
	ms[1] = (char)('0' + d % 1000 / 100);
	ms[2] = (char)('0' + d % 100 / 10);
	ms[3] = (char)('0' + d % 10);
	obuf_putn(b, ms, 4);
	obuf_putc(b, ',');
	put_addr(b, &r->src);
	obuf_putc(b, ',');
	put_addr(b, &r->dst);
	obuf_putc(b, ',');
	obuf_putu(b, r->src_port);
	obuf_putc(b, ',');
	obuf_putu(b, r->dst_port);
	obuf_putc(b, ',');
	obuf_puts(b, out_proto(r->proto, o->opts.plain, pr, sizeof(pr)));
	obuf_putc(b, ',');
	obuf_puts(b, out_flags(r->tcp_flags, fl, sizeof(fl)));
	obuf_puts(b, ",0,");
	obuf_putu(b, r->tos);
	obuf_putc(b, ',');
	obuf_putu(b, r->packets);
	obuf_putc(b, ',');
	obuf_putu(b, r->bytes);
	obuf_puts(b, ",0,0,");
	obuf_putu(b, r->in_if);
	obuf_putc(b, ',');
	obuf_putu(b, r->out_if);
	obuf_putc(b, ',');
	obuf_putu(b, r->src_as);
	obuf_putc(b, ',');
	obuf_putu(b, r->dst_as);
	obuf_putc(b, ',');
	obuf_putu(b, r->src_mask);
	obuf_putc(b, ',');
	obuf_putu(b, r->dst_mask);
	obuf_puts(b, r->direction == FLOWDIR_EGRESS ? ",0,1," : ",0,0,");
	put_addr(b, &r->nexthop);
	obuf_putc(b, ',');
	obuf_putu(b, r->src_vlan);
	obuf_putc(b, ',');
	obuf_putu(b, r->dst_vlan);
	obuf_putc(b, ',');
	put_addr(b, router);
	obuf_putc(b, ',');
	obuf_putu(b, r->engine_type);
	obuf_putc(b, '/');
	obuf_putu(b, r->engine_id);
	obuf_putc(b, ',');
	obuf_putu(b, r->flows);
	obuf_putc(b, '\n');
}

static void
jkey(struct obuf *b, enum jf f, bool v6, bool *first)
{
	if (!*first)
		obuf_puts(b, ", ");
	*first = false;
	obuf_putc(b, '"');
	obuf_puts(b, jname(f, v6));
	obuf_puts(b, "\": ");
}

static void
ju(struct obuf *b, enum jf f, bool v6, bool *first, uint64_t v)
{
	jkey(b, f, v6, first);
	obuf_printf(b, "%llu", (unsigned long long)v);
}

static void
jaddr(struct obuf *b, enum jf f, bool v6, bool *first,
    const struct nf_addr *a)
{
	char buf[ADDR_STRLEN];

	jkey(b, f, v6, first);
	out_json_str(b, addr_format(a, buf, sizeof(buf)));
}

/*
 * The next hop under the name of its own family: an IPv6 flow may have
 * an IPv4 next hop (RFC 5549) and the reverse; an unset (zero) one is
 * given in the flow's family, "::" for IPv6 flows.
 */
static void
jnexthop(struct obuf *b, bool v6, bool *first, const struct nf_addr *a)
{
	char buf[ADDR_STRLEN];
	bool unset = addr_is_zero(a);
	bool six = unset ? v6 : !addr_is_v4(a);

	jkey(b, JF_NH, six, first);
	if (unset)
		out_json_str(b, six ? "::" : "0.0.0.0");
	else
		out_json_str(b, addr_format(a, buf, sizeof(buf)));
}

static void
json_record(struct output *o, const struct flowrec *r,
    const struct nf_addr *router, struct obuf *b)
{
	bool v6 = r->af == 6, first = true, icmp;

	icmp = r->proto == 1 || r->proto == 58;
	if (o->kind == OUT_JSON)
		obuf_puts(b, ",\n");
	obuf_putc(b, '{');
	jkey(b, JF_START, v6, &first);
	obuf_putc(b, '"');
	out_time(o, r->first_ms, true, b);
	obuf_putc(b, '"');
	jkey(b, JF_END, v6, &first);
	obuf_putc(b, '"');
	out_time(o, r->last_ms, true, b);
	obuf_putc(b, '"');
	ju(b, JF_DUR, v6, &first, out_dur_ms(r));
	ju(b, JF_PROTO, v6, &first, r->proto);
	jaddr(b, JF_SRC, v6, &first, &r->src);
	jaddr(b, JF_DST, v6, &first, &r->dst);
	ju(b, JF_SPORT, v6, &first, r->src_port);
	ju(b, JF_DPORT, v6, &first, r->dst_port);
	if (icmp) {
		ju(b, JF_ICMPTYPE, v6, &first, flowrec_icmp_type(r));
		ju(b, JF_ICMPCODE, v6, &first, flowrec_icmp_code(r));
	}
	ju(b, JF_FLAGS, v6, &first, r->tcp_flags);
	ju(b, JF_TOS, v6, &first, r->tos);
	ju(b, JF_PKTS, v6, &first, r->packets);
	ju(b, JF_BYTES, v6, &first, r->bytes);
	ju(b, JF_FLOWS, v6, &first, r->flows);
	ju(b, JF_IN, v6, &first, r->in_if);
	ju(b, JF_OUT, v6, &first, r->out_if);
	ju(b, JF_SAS, v6, &first, r->src_as);
	ju(b, JF_DAS, v6, &first, r->dst_as);
	ju(b, JF_SMASK, v6, &first, r->src_mask);
	ju(b, JF_DMASK, v6, &first, r->dst_mask);
	jnexthop(b, v6, &first, &r->nexthop);
	ju(b, JF_SVLAN, v6, &first, r->src_vlan);
	ju(b, JF_DVLAN, v6, &first, r->dst_vlan);
	if (r->direction != FLOWDIR_UNKNOWN)
		ju(b, JF_DIR, v6, &first, r->direction);
	ju(b, JF_END_REASON, v6, &first, r->end_reason);
	ju(b, JF_SAMPLING, v6, &first, r->sampling);
	ju(b, JF_ENG_TYPE, v6, &first, r->engine_type);
	ju(b, JF_ENG_ID, v6, &first, r->engine_id);
	if (router != NULL)
		jaddr(b, JF_ROUTER, !addr_is_v4(router), &first, router);
	obuf_putc(b, '}');
	if (o->kind == OUT_NDJSON)
		obuf_putc(b, '\n');
}

void
out_json_record(struct output *o, const struct flowrec *r,
    const struct nf_addr *router, struct obuf *b)
{
	if (o->kind == OUT_CSV)
		csv_record(o, r, router, b);
	else
		json_record(o, r, router, b);
}
