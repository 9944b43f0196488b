/*
 * tests/t_ie.c -- the information-element table: the elements the
 * issue requires are present with IANA names, types and lengths;
 * lookups by id and name; iteration.
 */
#include "common/base/compat.h"

#include <string.h>

#include "common/codec/ie.h"
#include "tap.h"

struct want {
	uint16_t	 id;
	const char	*name;
	const char	*type;
	uint16_t	 len;
};

static const struct want required[] = {
	{ 1, "octetDeltaCount", "unsigned64", 8 },
	{ 2, "packetDeltaCount", "unsigned64", 8 },
	{ 4, "protocolIdentifier", "unsigned8", 1 },
	{ 5, "ipClassOfService", "unsigned8", 1 },
	{ 6, "tcpControlBits", "unsigned16", 2 },
	{ 7, "sourceTransportPort", "unsigned16", 2 },
	{ 8, "sourceIPv4Address", "ipv4Address", 4 },
	{ 9, "sourceIPv4PrefixLength", "unsigned8", 1 },
	{ 10, "ingressInterface", "unsigned32", 4 },
	{ 11, "destinationTransportPort", "unsigned16", 2 },
	{ 12, "destinationIPv4Address", "ipv4Address", 4 },
	{ 13, "destinationIPv4PrefixLength", "unsigned8", 1 },
	{ 14, "egressInterface", "unsigned32", 4 },
	{ 15, "ipNextHopIPv4Address", "ipv4Address", 4 },
	{ 16, "bgpSourceAsNumber", "unsigned32", 4 },
	{ 17, "bgpDestinationAsNumber", "unsigned32", 4 },
	{ 21, "flowEndSysUpTime", "unsigned32", 4 },
	{ 22, "flowStartSysUpTime", "unsigned32", 4 },
	{ 23, "postOctetDeltaCount", "unsigned64", 8 },
	{ 24, "postPacketDeltaCount", "unsigned64", 8 },
	{ 27, "sourceIPv6Address", "ipv6Address", 16 },
	{ 28, "destinationIPv6Address", "ipv6Address", 16 },
	{ 29, "sourceIPv6PrefixLength", "unsigned8", 1 },
	{ 30, "destinationIPv6PrefixLength", "unsigned8", 1 },
	{ 34, "samplingInterval", "unsigned32", 4 },
	{ 35, "samplingAlgorithm", "unsigned8", 1 },
	{ 38, "engineType", "unsigned8", 1 },
	{ 39, "engineId", "unsigned8", 1 },
	{ 48, "samplerId", "unsigned8", 1 },
	{ 49, "samplerMode", "unsigned8", 1 },
	{ 50, "samplerRandomInterval", "unsigned32", 4 },
	{ 56, "sourceMacAddress", "macAddress", 6 },
	{ 57, "postDestinationMacAddress", "macAddress", 6 },
	{ 58, "vlanId", "unsigned16", 2 },
	{ 59, "postVlanId", "unsigned16", 2 },
	{ 61, "flowDirection", "unsigned8", 1 },
	{ 62, "ipNextHopIPv6Address", "ipv6Address", 16 },
	{ 63, "bgpNextHopIPv6Address", "ipv6Address", 16 },
	{ 80, "destinationMacAddress", "macAddress", 6 },
	{ 81, "postSourceMacAddress", "macAddress", 6 },
	{ 82, "interfaceName", "string", IE_VARLEN },
	{ 85, "octetTotalCount", "unsigned64", 8 },
	{ 86, "packetTotalCount", "unsigned64", 8 },
	{ 130, "exporterIPv4Address", "ipv4Address", 4 },
	{ 131, "exporterIPv6Address", "ipv6Address", 16 },
	{ 136, "flowEndReason", "unsigned8", 1 },
	{ 149, "observationDomainId", "unsigned32", 4 },
	{ 150, "flowStartSeconds", "dateTimeSeconds", 4 },
	{ 151, "flowEndSeconds", "dateTimeSeconds", 4 },
	{ 152, "flowStartMilliseconds", "dateTimeMilliseconds", 8 },
	{ 153, "flowEndMilliseconds", "dateTimeMilliseconds", 8 },
	{ 154, "flowStartMicroseconds", "dateTimeMicroseconds", 8 },
	{ 155, "flowEndMicroseconds", "dateTimeMicroseconds", 8 },
	{ 156, "flowStartNanoseconds", "dateTimeNanoseconds", 8 },
	{ 157, "flowEndNanoseconds", "dateTimeNanoseconds", 8 },
	{ 158, "flowStartDeltaMicroseconds", "unsigned32", 4 },
	{ 159, "flowEndDeltaMicroseconds", "unsigned32", 4 },
	{ 160, "systemInitTimeMilliseconds", "dateTimeMilliseconds", 8 },
	{ 243, "dot1qVlanId", "unsigned16", 2 },
	{ 254, "postDot1qVlanId", "unsigned16", 2 },
	{ 276, "dataRecordsReliability", "boolean", 1 },
	{ 302, "selectorId", "unsigned64", 8 },
	{ 304, "selectorAlgorithm", "unsigned16", 2 },
	{ 305, "samplingPacketInterval", "unsigned32", 4 },
	{ 306, "samplingPacketSpace", "unsigned32", 4 },
	{ 309, "samplingSize", "unsigned32", 4 },
	{ 310, "samplingPopulation", "unsigned32", 4 },
	{ 311, "samplingProbability", "float64", 8 },
	{ 434, "mibObjectValueInteger", "signed32", 4 },
};

static void
test_required(void)
{
	size_t good = 0;

	for (size_t i = 0; i < NF_NELEM(required); i++) {
		const struct want *w = &required[i];
		const struct ie *e = ie_by_id(w->id);

		if (e != NULL && e->id == w->id && strcmp(e->name, w->name) == 0 &&
		    strcmp(ie_type_name(e->type), w->type) == 0 &&
		    e->len == w->len && ie_by_name(w->name) == e)
			good++;
		else
			tap_diag("element %u (%s) wrong or missing", w->id,
			    w->name);
	}
	tap_is_uint(good, NF_NELEM(required),
	    "every required element: id, IANA name, type, length, by name");
}

static void
test_lookup(void)
{
	const struct ie *e, *prev = NULL;
	size_t n = 0;
	bool ordered = true;

	tap_ok(ie_by_id(0) == NULL, "id 0 is not an element");
	tap_ok(ie_by_id(87) == NULL, "unassigned id 87 is unknown");
	tap_ok(ie_by_id(IE_ID_LIMIT) == NULL && ie_by_id(65535) == NULL,
	    "ids past the table are unknown, not a crash");
	tap_ok(ie_by_name("nosuchElement") == NULL, "unknown name");
	tap_ok(ie_by_name(NULL) == NULL, "NULL name");
	e = ie_by_name("SOURCEIPV4ADDRESS");
	tap_ok(e != NULL && e->id == 8, "case-insensitive name match");
	for (e = ie_next(NULL); e != NULL; e = ie_next(e)) {
		if (prev != NULL && prev->id >= e->id)
			ordered = false;
		if (ie_by_id(e->id) != e || ie_by_name(e->name) != e)
			ordered = false;
		prev = e;
		n++;
	}
	tap_ok(ordered, "iteration in id order; every entry found by id "
	    "and by its unique name");
	tap_is_uint(n, ie_count(), "iteration visits ie_count() elements");
	tap_ok(n >= 200, "table holds %zu elements", n);
	tap_ok(ie_type_is_unsigned(IE_T_UNSIGNED16) &&
	    !ie_type_is_unsigned(IE_T_IPV4), "unsigned type predicate");
	tap_is_str(ie_type_name((enum ie_type)99), "unknown",
	    "type name out of range");
}

int
main(void)
{
	tap_no_plan();
	test_required();
	test_lookup();
	return tap_done();
}
