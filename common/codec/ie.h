/*
 * common/codec/ie.h -- the information-element table: one registry of IANA
 * IPFIX element ids, names, abstract types and default lengths
 * (RFC 7012, IANA "IP Flow Information Export (IPFIX) Entities"),
 * shared by the v9 and IPFIX codecs, the query field names, JSON output
 * and the documentation.
 *
 * NetFlow v9 field types 1..127 and the IPFIX element ids are the same
 * numbers, so one table serves both.  Names are spelt exactly as IANA
 * spells them (sourceIPv4Address, octetDeltaCount, ...).
 *
 * An element that is not in the table, or that carries an enterprise
 * number, is not an error anywhere: decoders skip it by its length.
 */
#ifndef COMMON_CODEC_IE_H
#define COMMON_CODEC_IE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* RFC 7012 section 3.1 abstract data types */
enum ie_type {
	IE_T_UNSIGNED8,
	IE_T_UNSIGNED16,
	IE_T_UNSIGNED32,
	IE_T_UNSIGNED64,
	IE_T_SIGNED8,
	IE_T_SIGNED16,
	IE_T_SIGNED32,
	IE_T_SIGNED64,
	IE_T_FLOAT32,
	IE_T_FLOAT64,
	IE_T_BOOLEAN,
	IE_T_MAC,		/* macAddress */
	IE_T_OCTETS,		/* octetArray */
	IE_T_STRING,
	IE_T_DT_SECONDS,	/* dateTimeSeconds */
	IE_T_DT_MILLI,		/* dateTimeMilliseconds */
	IE_T_DT_MICRO,		/* dateTimeMicroseconds (NTP format) */
	IE_T_DT_NANO,		/* dateTimeNanoseconds (NTP format) */
	IE_T_IPV4,		/* ipv4Address */
	IE_T_IPV6,		/* ipv6Address */
};

#define IE_VARLEN	0xffff	/* RFC 7011 7: variable-length field */

struct ie {
	uint16_t	 id;		/* IANA element id (enterprise 0) */
	uint16_t	 len;		/* default length; IE_VARLEN if variable */
	enum ie_type	 type;
	const char	*name;		/* IANA name, static storage */
};

/* Ids are < IE_ID_LIMIT; ie_by_id() indexes an array of this size. */
#define IE_ID_LIMIT	512

/*
 * The element with IANA id (enterprise number 0), or NULL if the table
 * does not know it.  O(1).
 */
const struct ie	*ie_by_id(uint16_t id);

/*
 * The element called name (exact IANA spelling; a case-insensitive
 * match is accepted when there is no exact one), or NULL.
 */
const struct ie	*ie_by_name(const char *name);

/*
 * Iterate over the table in id order: ie_next(NULL) is the first
 * element, ie_next(e) the one after e, NULL after the last.
 */
const struct ie	*ie_next(const struct ie *prev);

/* Number of elements in the table. */
size_t		 ie_count(void);

/* IANA name of an abstract type ("unsigned32", "ipv4Address", ...). */
const char	*ie_type_name(enum ie_type type);

/* True if values of this type are unsigned integers (reduced-size ok). */
bool		 ie_type_is_unsigned(enum ie_type type);

/*
 * Element ids the codecs use by number (IANA ids; v9 names in the
 * comments where they differ).
 */
#define IE_OCTET_DELTA_COUNT		1	/* IN_BYTES */
#define IE_PACKET_DELTA_COUNT		2	/* IN_PKTS */
#define IE_DELTA_FLOW_COUNT		3	/* FLOWS */
#define IE_PROTOCOL_IDENTIFIER		4	/* PROTOCOL */
#define IE_IP_CLASS_OF_SERVICE		5	/* SRC_TOS */
#define IE_TCP_CONTROL_BITS		6	/* TCP_FLAGS */
#define IE_SOURCE_TRANSPORT_PORT	7	/* L4_SRC_PORT */
#define IE_SOURCE_IPV4_ADDRESS		8	/* IPV4_SRC_ADDR */
#define IE_SOURCE_IPV4_PREFIX_LENGTH	9	/* SRC_MASK */
#define IE_INGRESS_INTERFACE		10	/* INPUT_SNMP */
#define IE_DESTINATION_TRANSPORT_PORT	11	/* L4_DST_PORT */
#define IE_DESTINATION_IPV4_ADDRESS	12	/* IPV4_DST_ADDR */
#define IE_DESTINATION_IPV4_PREFIX_LENGTH 13	/* DST_MASK */
#define IE_EGRESS_INTERFACE		14	/* OUTPUT_SNMP */
#define IE_IP_NEXT_HOP_IPV4_ADDRESS	15	/* IPV4_NEXT_HOP */
#define IE_BGP_SOURCE_AS_NUMBER		16	/* SRC_AS */
#define IE_BGP_DESTINATION_AS_NUMBER	17	/* DST_AS */
#define IE_BGP_NEXT_HOP_IPV4_ADDRESS	18
#define IE_FLOW_END_SYS_UP_TIME		21	/* LAST_SWITCHED */
#define IE_FLOW_START_SYS_UP_TIME	22	/* FIRST_SWITCHED */
#define IE_POST_OCTET_DELTA_COUNT	23	/* OUT_BYTES */
#define IE_POST_PACKET_DELTA_COUNT	24	/* OUT_PKTS */
#define IE_SOURCE_IPV6_ADDRESS		27
#define IE_DESTINATION_IPV6_ADDRESS	28
#define IE_SOURCE_IPV6_PREFIX_LENGTH	29
#define IE_DESTINATION_IPV6_PREFIX_LENGTH 30
#define IE_ICMP_TYPE_CODE_IPV4		32
#define IE_SAMPLING_INTERVAL		34
#define IE_SAMPLING_ALGORITHM		35
#define IE_ENGINE_TYPE			38
#define IE_ENGINE_ID			39
#define IE_SAMPLER_ID			48	/* FLOW_SAMPLER_ID */
#define IE_SAMPLER_MODE			49
#define IE_SAMPLER_RANDOM_INTERVAL	50
#define IE_SOURCE_MAC_ADDRESS		56
#define IE_POST_DESTINATION_MAC_ADDRESS	57
#define IE_VLAN_ID			58	/* SRC_VLAN */
#define IE_POST_VLAN_ID			59	/* DST_VLAN */
#define IE_FLOW_DIRECTION		61	/* DIRECTION */
#define IE_IP_NEXT_HOP_IPV6_ADDRESS	62
#define IE_BGP_NEXT_HOP_IPV6_ADDRESS	63
#define IE_DESTINATION_MAC_ADDRESS	80
#define IE_POST_SOURCE_MAC_ADDRESS	81
#define IE_OCTET_TOTAL_COUNT		85
#define IE_PACKET_TOTAL_COUNT		86
#define IE_EXPORTER_IPV4_ADDRESS	130
#define IE_EXPORTER_IPV6_ADDRESS	131
#define IE_FLOW_END_REASON		136
#define IE_ICMP_TYPE_CODE_IPV6		139
#define IE_OBSERVATION_DOMAIN_ID	149
#define IE_FLOW_START_SECONDS		150
#define IE_FLOW_END_SECONDS		151
#define IE_FLOW_START_MILLISECONDS	152
#define IE_FLOW_END_MILLISECONDS	153
#define IE_FLOW_START_MICROSECONDS	154
#define IE_FLOW_END_MICROSECONDS	155
#define IE_FLOW_START_NANOSECONDS	156
#define IE_FLOW_END_NANOSECONDS		157
#define IE_FLOW_START_DELTA_MICROSECONDS 158
#define IE_FLOW_END_DELTA_MICROSECONDS	159
#define IE_SYSTEM_INIT_TIME_MILLISECONDS 160
#define IE_FLOW_DURATION_MILLISECONDS	161
#define IE_FLOW_DURATION_MICROSECONDS	162
#define IE_ICMP_TYPE_IPV4		176
#define IE_ICMP_CODE_IPV4		177
#define IE_ICMP_TYPE_IPV6		178
#define IE_ICMP_CODE_IPV6		179
#define IE_DOT1Q_VLAN_ID		243
#define IE_POST_DOT1Q_VLAN_ID		254
#define IE_SELECTOR_ID			302
#define IE_SELECTOR_ALGORITHM		304
#define IE_SAMPLING_PACKET_INTERVAL	305
#define IE_SAMPLING_PACKET_SPACE	306
#define IE_SAMPLING_TIME_INTERVAL	307
#define IE_SAMPLING_TIME_SPACE		308
#define IE_SAMPLING_SIZE		309
#define IE_SAMPLING_POPULATION		310
#define IE_SAMPLING_PROBABILITY		311

#endif /* COMMON_CODEC_IE_H */
