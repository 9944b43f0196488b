/*
 * common/codec/ie.c -- the IANA IPFIX information-element table.
 *
 * A sparse array indexed by element id gives O(1) lookup by id; names
 * are looked up by a scan (only option parsing and query compilation
 * do that).  Ids, names, types and lengths follow the IANA registry
 * (RFC 7012, RFC 5102, RFC 5477 for the PSAMP sampling elements).
 */
#include "common/base/compat.h"

#include <stddef.h>
#include <stdint.h>
#include <strings.h>
#include <string.h>

#include "common/codec/ie.h"

#define E(i, l, t, n)	[i] = { i, l, IE_T_##t, n }
#define U8(i, n)	E(i, 1, UNSIGNED8, n)
#define U16(i, n)	E(i, 2, UNSIGNED16, n)
#define U32(i, n)	E(i, 4, UNSIGNED32, n)
#define U64(i, n)	E(i, 8, UNSIGNED64, n)
#define V4(i, n)	E(i, 4, IPV4, n)
#define V6(i, n)	E(i, 16, IPV6, n)
#define MAC(i, n)	E(i, 6, MAC, n)
#define STR(i, n)	E(i, IE_VARLEN, STRING, n)
#define OCT(i, l, n)	E(i, l, OCTETS, n)
#define F64(i, n)	E(i, 8, FLOAT64, n)

static const struct ie ie_tab[IE_ID_LIMIT] = {
	U64(1, "octetDeltaCount"),
	U64(2, "packetDeltaCount"),
	U64(3, "deltaFlowCount"),
	U8(4, "protocolIdentifier"),
	U8(5, "ipClassOfService"),
	U16(6, "tcpControlBits"),
	U16(7, "sourceTransportPort"),
	V4(8, "sourceIPv4Address"),
	U8(9, "sourceIPv4PrefixLength"),
	U32(10, "ingressInterface"),
	U16(11, "destinationTransportPort"),
	V4(12, "destinationIPv4Address"),
	U8(13, "destinationIPv4PrefixLength"),
	U32(14, "egressInterface"),
	V4(15, "ipNextHopIPv4Address"),
	U32(16, "bgpSourceAsNumber"),
	U32(17, "bgpDestinationAsNumber"),
	V4(18, "bgpNextHopIPv4Address"),
	U64(19, "postMCastPacketDeltaCount"),
	U64(20, "postMCastOctetDeltaCount"),
	U32(21, "flowEndSysUpTime"),
	U32(22, "flowStartSysUpTime"),
	U64(23, "postOctetDeltaCount"),
	U64(24, "postPacketDeltaCount"),
	U64(25, "minimumIpTotalLength"),
	U64(26, "maximumIpTotalLength"),
	V6(27, "sourceIPv6Address"),
	V6(28, "destinationIPv6Address"),
	U8(29, "sourceIPv6PrefixLength"),
	U8(30, "destinationIPv6PrefixLength"),
	U32(31, "flowLabelIPv6"),
	U16(32, "icmpTypeCodeIPv4"),
	U8(33, "igmpType"),
	U32(34, "samplingInterval"),
	U8(35, "samplingAlgorithm"),
	U16(36, "flowActiveTimeout"),
	U16(37, "flowIdleTimeout"),
	U8(38, "engineType"),
	U8(39, "engineId"),
	U64(40, "exportedOctetTotalCount"),
	U64(41, "exportedMessageTotalCount"),
	U64(42, "exportedFlowRecordTotalCount"),
	V4(43, "ipv4RouterSc"),
	V4(44, "sourceIPv4Prefix"),
	V4(45, "destinationIPv4Prefix"),
	U8(46, "mplsTopLabelType"),
	V4(47, "mplsTopLabelIPv4Address"),
	U8(48, "samplerId"),
	U8(49, "samplerMode"),
	U32(50, "samplerRandomInterval"),
	U8(51, "classId"),
	U8(52, "minimumTTL"),
	U8(53, "maximumTTL"),
	U32(54, "fragmentIdentification"),
	U8(55, "postIpClassOfService"),
	MAC(56, "sourceMacAddress"),
	MAC(57, "postDestinationMacAddress"),
	U16(58, "vlanId"),
	U16(59, "postVlanId"),
	U8(60, "ipVersion"),
	U8(61, "flowDirection"),
	V6(62, "ipNextHopIPv6Address"),
	V6(63, "bgpNextHopIPv6Address"),
	U32(64, "ipv6ExtensionHeaders"),
	OCT(70, 3, "mplsTopLabelStackSection"),
	OCT(71, 3, "mplsLabelStackSection2"),
	OCT(72, 3, "mplsLabelStackSection3"),
	OCT(73, 3, "mplsLabelStackSection4"),
	OCT(74, 3, "mplsLabelStackSection5"),
	OCT(75, 3, "mplsLabelStackSection6"),
	OCT(76, 3, "mplsLabelStackSection7"),
	OCT(77, 3, "mplsLabelStackSection8"),
	OCT(78, 3, "mplsLabelStackSection9"),
	OCT(79, 3, "mplsLabelStackSection10"),
	MAC(80, "destinationMacAddress"),
	MAC(81, "postSourceMacAddress"),
	STR(82, "interfaceName"),
	STR(83, "interfaceDescription"),
	STR(84, "samplerName"),
	U64(85, "octetTotalCount"),
	U64(86, "packetTotalCount"),
	U16(88, "fragmentOffset"),
	U8(89, "forwardingStatus"),
	OCT(90, 8, "mplsVpnRouteDistinguisher"),
	U8(91, "mplsTopLabelPrefixLength"),
	STR(94, "applicationDescription"),
	E(95, IE_VARLEN, OCTETS, "applicationId"),
	STR(96, "applicationName"),
	U8(98, "postIpDiffServCodePoint"),
	U32(99, "multicastReplicationFactor"),
	U32(128, "bgpNextAdjacentAsNumber"),
	U32(129, "bgpPrevAdjacentAsNumber"),
	V4(130, "exporterIPv4Address"),
	V6(131, "exporterIPv6Address"),
	U64(132, "droppedOctetDeltaCount"),
	U64(133, "droppedPacketDeltaCount"),
	U64(134, "droppedOctetTotalCount"),
	U64(135, "droppedPacketTotalCount"),
	U8(136, "flowEndReason"),
	U64(137, "commonPropertiesId"),
	U64(138, "observationPointId"),
	U16(139, "icmpTypeCodeIPv6"),
	V6(140, "mplsTopLabelIPv6Address"),
	U32(141, "lineCardId"),
	U32(142, "portId"),
	U32(143, "meteringProcessId"),
	U32(144, "exportingProcessId"),
	U16(145, "templateId"),
	U8(146, "wlanChannelId"),
	STR(147, "wlanSSID"),
	U64(148, "flowId"),
	U32(149, "observationDomainId"),
	E(150, 4, DT_SECONDS, "flowStartSeconds"),
	E(151, 4, DT_SECONDS, "flowEndSeconds"),
	E(152, 8, DT_MILLI, "flowStartMilliseconds"),
	E(153, 8, DT_MILLI, "flowEndMilliseconds"),
	E(154, 8, DT_MICRO, "flowStartMicroseconds"),
	E(155, 8, DT_MICRO, "flowEndMicroseconds"),
	E(156, 8, DT_NANO, "flowStartNanoseconds"),
	E(157, 8, DT_NANO, "flowEndNanoseconds"),
	U32(158, "flowStartDeltaMicroseconds"),
	U32(159, "flowEndDeltaMicroseconds"),
	E(160, 8, DT_MILLI, "systemInitTimeMilliseconds"),
	U32(161, "flowDurationMilliseconds"),
	U32(162, "flowDurationMicroseconds"),
	U64(163, "observedFlowTotalCount"),
	U64(164, "ignoredPacketTotalCount"),
	U64(165, "ignoredOctetTotalCount"),
	U64(166, "notSentFlowTotalCount"),
	U64(167, "notSentPacketTotalCount"),
	U64(168, "notSentOctetTotalCount"),
	V6(169, "destinationIPv6Prefix"),
	V6(170, "sourceIPv6Prefix"),
	U64(171, "postOctetTotalCount"),
	U64(172, "postPacketTotalCount"),
	U64(173, "flowKeyIndicator"),
	U64(174, "postMCastPacketTotalCount"),
	U64(175, "postMCastOctetTotalCount"),
	U8(176, "icmpTypeIPv4"),
	U8(177, "icmpCodeIPv4"),
	U8(178, "icmpTypeIPv6"),
	U8(179, "icmpCodeIPv6"),
	U16(180, "udpSourcePort"),
	U16(181, "udpDestinationPort"),
	U16(182, "tcpSourcePort"),
	U16(183, "tcpDestinationPort"),
	U32(184, "tcpSequenceNumber"),
	U32(185, "tcpAcknowledgementNumber"),
	U16(186, "tcpWindowSize"),
	U16(187, "tcpUrgentPointer"),
	U8(188, "tcpHeaderLength"),
	U8(189, "ipHeaderLength"),
	U16(190, "totalLengthIPv4"),
	U16(191, "payloadLengthIPv6"),
	U8(192, "ipTTL"),
	U8(193, "nextHeaderIPv6"),
	U32(194, "mplsPayloadLength"),
	U8(195, "ipDiffServCodePoint"),
	U8(196, "ipPrecedence"),
	U8(197, "fragmentFlags"),
	U64(198, "octetDeltaSumOfSquares"),
	U64(199, "octetTotalSumOfSquares"),
	U8(200, "mplsTopLabelTTL"),
	U32(201, "mplsLabelStackLength"),
	U32(202, "mplsLabelStackDepth"),
	U8(203, "mplsTopLabelExp"),
	U32(204, "ipPayloadLength"),
	U16(205, "udpMessageLength"),
	U8(206, "isMulticast"),
	U8(207, "ipv4IHL"),
	U32(208, "ipv4Options"),
	U64(209, "tcpOptions"),
	OCT(210, IE_VARLEN, "paddingOctets"),
	V4(211, "collectorIPv4Address"),
	V6(212, "collectorIPv6Address"),
	U32(213, "exportInterface"),
	U8(214, "exportProtocolVersion"),
	U8(215, "exportTransportProtocol"),
	U16(216, "collectorTransportPort"),
	U16(217, "exporterTransportPort"),
	U64(218, "tcpSynTotalCount"),
	U64(219, "tcpFinTotalCount"),
	U64(220, "tcpRstTotalCount"),
	U64(221, "tcpPshTotalCount"),
	U64(222, "tcpAckTotalCount"),
	U64(223, "tcpUrgTotalCount"),
	U64(224, "ipTotalLength"),
	V4(225, "postNATSourceIPv4Address"),
	V4(226, "postNATDestinationIPv4Address"),
	U16(227, "postNAPTSourceTransportPort"),
	U16(228, "postNAPTDestinationTransportPort"),
	U8(229, "natOriginatingAddressRealm"),
	U8(230, "natEvent"),
	U64(231, "initiatorOctets"),
	U64(232, "responderOctets"),
	U8(233, "firewallEvent"),
	U32(234, "ingressVRFID"),
	U32(235, "egressVRFID"),
	STR(236, "VRFname"),
	U8(237, "postMplsTopLabelExp"),
	U16(238, "tcpWindowScale"),
	U8(239, "biflowDirection"),
	U8(240, "ethernetHeaderLength"),
	U16(241, "ethernetPayloadLength"),
	U16(242, "ethernetTotalLength"),
	U16(243, "dot1qVlanId"),
	U8(244, "dot1qPriority"),
	U16(245, "dot1qCustomerVlanId"),
	U8(246, "dot1qCustomerPriority"),
	U32(252, "ingressPhysicalInterface"),
	U32(253, "egressPhysicalInterface"),
	U16(254, "postDot1qVlanId"),
	U16(255, "postDot1qCustomerVlanId"),
	U16(256, "ethernetType"),
	U8(257, "postIpPrecedence"),
	E(258, 8, DT_MILLI, "collectionTimeMilliseconds"),
	E(276, 1, BOOLEAN, "dataRecordsReliability"),
	V6(281, "postNATSourceIPv6Address"),
	V6(282, "postNATDestinationIPv6Address"),
	U64(298, "initiatorPackets"),
	U64(299, "responderPackets"),
	STR(300, "observationDomainName"),
	U64(301, "selectionSequenceId"),
	U64(302, "selectorId"),
	U16(303, "informationElementId"),
	U16(304, "selectorAlgorithm"),
	U32(305, "samplingPacketInterval"),
	U32(306, "samplingPacketSpace"),
	U32(307, "samplingTimeInterval"),
	U32(308, "samplingTimeSpace"),
	U32(309, "samplingSize"),
	U32(310, "samplingPopulation"),
	F64(311, "samplingProbability"),
	U16(312, "dataLinkFrameSize"),
	OCT(313, IE_VARLEN, "ipHeaderPacketSection"),
	OCT(314, IE_VARLEN, "ipPayloadPacketSection"),
	OCT(315, IE_VARLEN, "dataLinkFrameSection"),
	OCT(316, IE_VARLEN, "mplsLabelStackSection"),
	OCT(317, IE_VARLEN, "mplsPayloadPacketSection"),
	U64(318, "selectorIdTotalPktsObserved"),
	U64(319, "selectorIdTotalPktsSelected"),
	F64(320, "absoluteError"),
	F64(321, "relativeError"),
	E(322, 4, DT_SECONDS, "observationTimeSeconds"),
	E(323, 8, DT_MILLI, "observationTimeMilliseconds"),
	E(324, 8, DT_MICRO, "observationTimeMicroseconds"),
	E(325, 8, DT_NANO, "observationTimeNanoseconds"),
	U64(326, "digestHashValue"),
	STR(335, "selectorName"),
	F64(336, "upperCILimit"),
	F64(337, "lowerCILimit"),
	F64(338, "confidenceLevel"),
	U32(346, "privateEnterpriseNumber"),
	U64(352, "layer2OctetDeltaCount"),
	U64(353, "layer2OctetTotalCount"),
	U16(361, "portRangeStart"),
	U16(362, "portRangeEnd"),
	U16(363, "portRangeStepSize"),
	U16(364, "portRangeNumPorts"),
	U32(368, "ingressInterfaceType"),
	U32(369, "egressInterfaceType"),
	STR(371, "userName"),
	E(434, 4, SIGNED32, "mibObjectValueInteger"),
};

static const char *const type_names[] = {
	[IE_T_UNSIGNED8] = "unsigned8",
	[IE_T_UNSIGNED16] = "unsigned16",
	[IE_T_UNSIGNED32] = "unsigned32",
	[IE_T_UNSIGNED64] = "unsigned64",
	[IE_T_SIGNED8] = "signed8",
	[IE_T_SIGNED16] = "signed16",
	[IE_T_SIGNED32] = "signed32",
	[IE_T_SIGNED64] = "signed64",
	[IE_T_FLOAT32] = "float32",
	[IE_T_FLOAT64] = "float64",
	[IE_T_BOOLEAN] = "boolean",
	[IE_T_MAC] = "macAddress",
	[IE_T_OCTETS] = "octetArray",
	[IE_T_STRING] = "string",
	[IE_T_DT_SECONDS] = "dateTimeSeconds",
	[IE_T_DT_MILLI] = "dateTimeMilliseconds",
	[IE_T_DT_MICRO] = "dateTimeMicroseconds",
	[IE_T_DT_NANO] = "dateTimeNanoseconds",
	[IE_T_IPV4] = "ipv4Address",
	[IE_T_IPV6] = "ipv6Address",
};

const struct ie *
ie_by_id(uint16_t id)
{
	if (id >= IE_ID_LIMIT || ie_tab[id].name == NULL)
		return NULL;
	return &ie_tab[id];
}

const struct ie *
ie_by_name(const char *name)
{
	const struct ie *e, *ci = NULL;

	if (name == NULL)
		return NULL;
	for (e = ie_next(NULL); e != NULL; e = ie_next(e)) {
		if (strcmp(e->name, name) == 0)
			return e;
		if (ci == NULL && strcasecmp(e->name, name) == 0)
			ci = e;
	}
	return ci;
}

const struct ie *
ie_next(const struct ie *prev)
{
	size_t i = prev == NULL ? 0 : (size_t)(prev - ie_tab) + 1;

	for (; i < IE_ID_LIMIT; i++)
		if (ie_tab[i].name != NULL)
			return &ie_tab[i];
	return NULL;
}

size_t
ie_count(void)
{
	size_t n = 0;

	for (size_t i = 0; i < IE_ID_LIMIT; i++)
		if (ie_tab[i].name != NULL)
			n++;
	return n;
}

const char *
ie_type_name(enum ie_type type)
{
	if ((size_t)type >= NF_NELEM(type_names) || type_names[type] == NULL)
		return "unknown";
	return type_names[type];
}

bool
ie_type_is_unsigned(enum ie_type type)
{
	return type == IE_T_UNSIGNED8 || type == IE_T_UNSIGNED16 ||
	    type == IE_T_UNSIGNED32 || type == IE_T_UNSIGNED64;
}
