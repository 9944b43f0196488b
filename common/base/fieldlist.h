/*
 * common/base/fieldlist.h -- THE field catalogue: one entry per field of
 * the flow record.  struct flowrec (flowrec.h), the file's columns, the
 * v9/IPFIX element dispatch, the filter's words, -A and -s keys, every
 * output format and the man pages' field lists are made from this list;
 * the descriptor types and the meaning of every member are in fields.h.
 * Adding a field is one entry here plus its tests: docs/adding-a-field.md.
 *
 *   F(ID, member, TYPE, col, "colname", default, .member = value, ...)
 *	a stored field: struct flowrec member of TYPE (U8, U16, U32, U64,
 *	ADDR, STR), file column id col (never renumber, never reuse), the
 *	value of a record that lacks it (integers; addresses default to
 *	::ffff:0.0.0.0 and strings to ""), then designated initializers
 *	of struct fld_desc;
 *   V(ID, "name", .member = value, ...)
 *	a computed field (.kind says how it is derived);
 *   IE(ID, element, CONV, prio)
 *	field ID is decoded from / encoded to IANA element id element
 *	(v9 field type) with conversion IEC_CONV; prio 0 always takes the
 *	value, 1, 2, ... rank rival elements (lowest wins).  An element
 *	bound twice fails to compile (-Woverride-init).
 *	FLD_IE_REVERSE(element) is the RFC 5103 reverse element of an
 *	IANA element (enterprise number 29305, same id and type).
 *
 * Table order is the order of the JSON members.  In the initializers
 * (shorthands defined in fields.c, the one place that expands them):
 *   W(word, shape, side)		a filter word (fld_shape, fld_side)
 *   T(tok, header, kind)		an fmt: token; TP(..., partner)
 *   A(name, kind, tok)		a -A key
 *   ST(name, title, pair, pair title)	a -s statistic
 *   J(ie4, ie6, rule)		JSON member named by element ie4/ie6
 *   C(name, pos) / CP(name, pos, partner)	CSV column
 *   V5(offset, length)		NetFlow v5 record position
 */
#ifndef COMMON_BASE_FIELDLIST_H
#define COMMON_BASE_FIELDLIST_H

/*
 * MPLS label stack entry n (element ie, column col): the stored entry
 * (label << 4 | EXP << 1 | S, as the 3 bytes on the wire) and the
 * filter's "mpls labelN" and "mpls expN" values computed from it.
 */
#define FLD_MPLS(F, V, IE, n, ie, col, hdr)				\
F(MPLS##n, mpls##n, U32, col, "mpls" #n, 0,				\
    .doc = "MPLS label stack entry " #n ": label, EXP bits, "		\
	"bottom-of-stack bit",						\
    .kind = FK_MPLS, .enc = FE_INT,					\
    .toks = { T("%mpls" #n, hdr, MPLS) },				\
    .agg = { A("mpls" #n, VALUE, "%mpls" #n) },				\
    .stat = ST("mpls" #n, "MPLS label " #n, NULL, NULL),		\
    .json = J(ie, ie, KNOWN))						\
IE(MPLS##n, ie, MPLS, 0)						\
V(MPLS##n##_LABEL, "mpls" #n "_label",					\
    .doc = "label of MPLS stack entry " #n, .what = "MPLS label",	\
    .kind = FK_MPLS_LABEL, .reads = COLS(col), .max = 0xfffff,		\
    .words = { W("mpls label" #n, CMP, NONE) })				\
V(MPLS##n##_EXP, "mpls" #n "_exp",					\
    .doc = "EXP bits of MPLS stack entry " #n, .what = "MPLS EXP",	\
    .kind = FK_MPLS_EXP, .reads = COLS(col), .max = 7,			\
    .words = { W("mpls exp" #n, CMP, NONE) })

#define FLOW_FIELDS(F, V, IE)						\
F(FIRST, first_ms, U64, 1, "first", 0,					\
    .doc = "time of the first packet (ms since 1970 UTC)",		\
    .kind = FK_TSTART, .enc = FE_INT, .v5 = V5(24, 4),			\
    .toks = { T("%ts", "Date first seen        ", TIME),		\
	T("%tfs", "Date first seen        ", TIME),			\
	T("%tsr", "First seen raw", TIME_RAW) },			\
    .json = J(152, 152, ALWAYS), .csv = C("ts", 0))			\
IE(FIRST, 152, MS, 0) IE(FIRST, 150, SEC, 0) IE(FIRST, 154, NTP, 0)	\
IE(FIRST, 156, NTP, 0) IE(FIRST, 158, DELTA_US, 0)			\
IE(FIRST, 22, UPTIME, 0)						\
F(LAST, last_ms, U64, 2, "last", 0,					\
    .doc = "time of the last packet (ms since 1970 UTC)",		\
    .kind = FK_TEND, .enc = FE_INT_DELTA, .v5 = V5(28, 4),		\
    .toks = { T("%te", "Date last seen         ", TIME),		\
	T("%ter", "Last seen raw ", TIME_RAW) },			\
    .json = J(153, 153, ALWAYS), .csv = C("te", 1))			\
IE(LAST, 153, MS, 0) IE(LAST, 151, SEC, 0) IE(LAST, 155, NTP, 0)	\
IE(LAST, 157, NTP, 0) IE(LAST, 159, DELTA_US, 0)			\
IE(LAST, 21, UPTIME, 0)							\
V(DURATION, "duration",							\
    .doc = "last minus first packet time, in ms",			\
    .kind = FK_DURATION, .reads = COLS(FCOL_FIRST, FCOL_LAST),		\
    .words = { W("duration", CMP, NONE) },				\
    .toks = { T("%td", "    Duration    ", DURATION),			\
	T("%tds", "    Duration    ", DURATION_S) },			\
    .json = J(161, 161, ALWAYS), .csv = C("td", 2))			\
IE(DURATION, 161, DUR_MS, 0) IE(DURATION, 162, DUR_US, 0)		\
F(PROTO, proto, U8, 20, "proto", 0,					\
    .doc = "IP protocol",						\
    .kind = FK_PROTO, .enc = FE_INT, .v5 = V5(38, 1),			\
    .words = { W("proto", PROTO, NONE) },				\
    .toks = { T("%pr", "Proto", PROTO) },				\
    .agg = { A("proto", VALUE, "%pr") },				\
    .stat = ST("proto", "Protocol", NULL, NULL),			\
    .json = J(4, 4, ALWAYS), .csv = C("pr", 7))				\
IE(PROTO, 4, UINT, 0)							\
F(SRC, src, ADDR, 5, "srcaddr", 0,					\
    .doc = "source address",						\
    .kind = FK_ADDR, .enc = FE_ADDR, .v5 = V5(0, 4),			\
    .words = { W("ip", ADDR, SRC), W("host", ADDR, SRC),		\
	W("net", NET, SRC) },						\
    .toks = { T("%sa", "     Src IP Addr", ADDR),			\
	TP("%sap", "     Src IP Addr:Port ", ADDR_PORT, SRC_PORT),	\
	TP("%sn", "        Src Network", NET, SRC_MASK) },		\
    .agg = { A("srcip", ADDRM, "%sa"), A("srcnet", NET, "%sn") },	\
    .stat = ST("srcip", "Src IP Addr", "ip", "IP Addr"),		\
    .json = J(8, 27, ALWAYS), .csv = C("sa", 3))			\
IE(SRC, 8, ADDR4_AF, 0) IE(SRC, 27, ADDR6_AF, 0)			\
F(DST, dst, ADDR, 6, "dstaddr", 0,					\
    .doc = "destination address",					\
    .kind = FK_ADDR, .enc = FE_ADDR, .v5 = V5(4, 4),			\
    .words = { W("ip", ADDR, DST), W("host", ADDR, DST),		\
	W("net", NET, DST) },						\
    .toks = { T("%da", "     Dst IP Addr", ADDR),			\
	TP("%dap", "     Dst IP Addr:Port ", ADDR_PORT, DST_PORT),	\
	TP("%dn", "        Dst Network", NET, DST_MASK) },		\
    .agg = { A("dstip", ADDRM, "%da"), A("dstnet", NET, "%dn") },	\
    .stat = ST("dstip", "Dst IP Addr", "ip", "IP Addr"),		\
    .json = J(12, 28, ALWAYS), .csv = C("da", 4))			\
IE(DST, 12, ADDR4_AF, 0) IE(DST, 28, ADDR6_AF, 0)			\
F(SRC_PORT, src_port, U16, 14, "srcport", 0,				\
    .doc = "source transport port",					\
    .kind = FK_NUM, .enc = FE_INT, .v5 = V5(32, 2),			\
    .words = { W("port", NUMLIST, SRC) },				\
    .toks = { T("%sp", "Src Pt", UINT) },				\
    .agg = { A("srcport", VALUE, "%sp") },				\
    .stat = ST("srcport", "Src Port", "port", "Port"),			\
    .json = J(7, 7, ALWAYS), .csv = C("sp", 5))				\
IE(SRC_PORT, 7, UINT, 0)						\
F(DST_PORT, dst_port, U16, 15, "dstport", 0,				\
    .doc = "destination transport port; ICMP: type * 256 + code",	\
    .kind = FK_NUM, .enc = FE_INT, .v5 = V5(34, 2),			\
    .words = { W("port", NUMLIST, DST) },				\
    .toks = { T("%dp", "Dst Pt", DPORT) },				\
    .agg = { A("dstport", VALUE, "%dp") },				\
    .stat = ST("dstport", "Dst Port", "port", "Port"),			\
    .json = J(11, 11, ALWAYS), .csv = C("dp", 6))			\
IE(DST_PORT, 11, UINT, 0) IE(DST_PORT, 32, ICMP_TC, 0)			\
IE(DST_PORT, 139, ICMP_TC, 0)						\
V(ICMP_TYPE, "icmp_type",						\
    .doc = "ICMP or ICMPv6 type (0 for other protocols)",		\
    .what = "ICMP type",						\
    .kind = FK_ICMP_TYPE, .reads = COLS(FCOL_DST_PORT, FCOL_PROTO),	\
    .max = 255,								\
    .words = { W("icmp-type", ICMP, NONE) },				\
    .toks = { T("%it", "ICMP-T", UINT) },				\
    .json = J(176, 178, ICMP))						\
IE(ICMP_TYPE, 176, ICMP_T, 0) IE(ICMP_TYPE, 178, ICMP_T, 0)		\
V(ICMP_CODE, "icmp_code",						\
    .doc = "ICMP or ICMPv6 code (0 for other protocols)",		\
    .what = "ICMP code",						\
    .kind = FK_ICMP_CODE, .reads = COLS(FCOL_DST_PORT, FCOL_PROTO),	\
    .max = 255,								\
    .words = { W("icmp-code", ICMP, NONE) },				\
    .toks = { T("%ic", "ICMP-C", UINT) },				\
    .json = J(177, 179, ICMP))						\
IE(ICMP_CODE, 177, ICMP_C, 0) IE(ICMP_CODE, 179, ICMP_C, 0)		\
F(TCP_FLAGS, tcp_flags, U8, 21, "tcpflags", 0,				\
    .doc = "TCP flags, OR of the flow's packets",			\
    .what = "TCP flags",						\
    .kind = FK_FLAGS, .enc = FE_INT, .v5 = V5(37, 1),			\
    .words = { W("flags", FLAGS, NONE) },				\
    .toks = { T("%flg", "   Flags", FLAGS) },				\
    .agg = { A("flags", VALUE, "%flg") },				\
    .stat = ST("flags", "Flags", NULL, NULL),				\
    .json = J(6, 6, ALWAYS), .csv = C("flg", 8))			\
IE(TCP_FLAGS, 6, UINT, 0)						\
F(FWD_STATUS, fwd_status, U8, 29, "fwdstatus", 0,			\
    .doc = "forwarding status (RFC 7270: 64 forwarded, 128 dropped, ...)", \
    .what = "forwarding status",					\
    .kind = FK_NUM, .enc = FE_INT,					\
    .words = { W("fwdstat", NUMEQ, NONE) },				\
    .toks = { T("%fwd", "Fwd", UINT) },					\
    .agg = { A("fwdstat", VALUE, "%fwd") },				\
    .stat = ST("fwdstat", "Fwd Status", NULL, NULL),			\
    .json = J(89, 89, KNOWN), .csv = C("fwd", 9))			\
IE(FWD_STATUS, 89, UINT, 0)						\
F(TOS, tos, U8, 22, "tos", 0,						\
    .doc = "IPv4 type of service, IPv6 traffic class",			\
    .what = "ToS",							\
    .kind = FK_NUM, .enc = FE_INT, .v5 = V5(39, 1),			\
    .words = { W("tos", CMP, NONE) },					\
    .toks = { T("%tos", "Tos", UINT), T("%stos", "STos", UINT) },	\
    .agg = { A("tos", VALUE, "%tos") },					\
    .stat = ST("tos", "Tos", NULL, NULL),				\
    .json = J(5, 5, ALWAYS), .csv = C("stos", 10))			\
IE(TOS, 5, UINT, 0)							\
F(PACKETS, packets, U64, 3, "packets", 0,				\
    .doc = "packets (after any sampling scale-up)",			\
    .kind = FK_COUNT, .enc = FE_INT, .v5 = V5(16, 4),			\
    .words = { W("packets", CMP, IN1) },				\
    .toks = { T("%pkt", " Packets", NUM), T("%ipkt", "  In Pkt", NUM) }, \
    .json = J(2, 2, ALWAYS), .csv = C("ipkt", 11))			\
IE(PACKETS, 2, UINT, 1) IE(PACKETS, 86, UINT, 2)			\
IE(PACKETS, 298, UINT, 3)						\
F(BYTES, bytes, U64, 4, "bytes", 0,					\
    .doc = "layer-3 bytes (after any sampling scale-up)",		\
    .kind = FK_COUNT, .enc = FE_INT, .v5 = V5(20, 4),			\
    .words = { W("bytes", CMP, IN1) },					\
    .toks = { T("%byt", "   Bytes", NUM), T("%ibyt", " In Byte", NUM) }, \
    .json = J(1, 1, ALWAYS), .csv = C("ibyt", 12))			\
IE(BYTES, 1, UINT, 1) IE(BYTES, 85, UINT, 2) IE(BYTES, 231, UINT, 3)	\
F(OUT_PACKETS, out_packets, U64, 65, "outpackets", 0,			\
    .doc = "packets of the reverse direction (biflows, RFC 5103)",	\
    .kind = FK_COUNT, .enc = FE_INT,					\
    .words = { W("packets", CMP, OUT) },				\
    .toks = { T("%opkt", " Out Pkt", NUM) },				\
    .json = J(24, 24, KNOWN), .csv = C("opkt", 13))			\
IE(OUT_PACKETS, FLD_IE_REVERSE(2), UINT, 1)				\
IE(OUT_PACKETS, FLD_IE_REVERSE(86), UINT, 2)				\
IE(OUT_PACKETS, 24, UINT, 3) IE(OUT_PACKETS, 172, UINT, 4)		\
IE(OUT_PACKETS, 299, UINT, 5)						\
F(OUT_BYTES, out_bytes, U64, 66, "outbytes", 0,				\
    .doc = "layer-3 bytes of the reverse direction (biflows, RFC 5103)", \
    .kind = FK_COUNT, .enc = FE_INT,					\
    .words = { W("bytes", CMP, OUT) },					\
    .toks = { T("%obyt", "Out Byte", NUM) },				\
    .json = J(23, 23, KNOWN), .csv = C("obyt", 14))			\
IE(OUT_BYTES, FLD_IE_REVERSE(1), UINT, 1)				\
IE(OUT_BYTES, FLD_IE_REVERSE(85), UINT, 2)				\
IE(OUT_BYTES, 23, UINT, 3) IE(OUT_BYTES, 171, UINT, 4)		\
IE(OUT_BYTES, 232, UINT, 5)						\
F(FLOWS, flows, U32, 12, "flows", 1,					\
    .doc = "flows merged into this record (1 as exported)",		\
    .kind = FK_COUNT, .enc = FE_INT,					\
    .words = { W("flows", CMP, NONE) },					\
    .toks = { T("%fl", "Flows", UINT) },				\
    .json = J(3, 3, ALWAYS), .csv = C("fl", 28))			\
F(IN_IF, in_if, U32, 8, "inif", 0,					\
    .doc = "input interface (SNMP ifIndex)",				\
    .what = "interface",						\
    .kind = FK_NUM, .enc = FE_INT, .v5 = V5(12, 2),			\
    .words = { W("if", NUMEQ, IN) },					\
    .toks = { T("%in", " Input", UINT) },				\
    .agg = { A("inif", VALUE, "%in") },					\
    .stat = ST("inif", "Input If", "if", "In/Out If"),			\
    .json = J(10, 10, ALWAYS), .csv = C("in", 15))			\
IE(IN_IF, 10, UINT, 0)							\
F(OUT_IF, out_if, U32, 9, "outif", 0,					\
    .doc = "output interface (SNMP ifIndex)",				\
    .what = "interface",						\
    .kind = FK_NUM, .enc = FE_INT, .v5 = V5(14, 2),			\
    .words = { W("if", NUMEQ, OUT) },					\
    .toks = { T("%out", "Output", UINT) },				\
    .agg = { A("outif", VALUE, "%out") },				\
    .stat = ST("outif", "Output If", "if", "In/Out If"),		\
    .json = J(14, 14, ALWAYS), .csv = C("out", 16))			\
IE(OUT_IF, 14, UINT, 0)							\
F(SRC_AS, src_as, U32, 10, "srcas", 0,					\
    .doc = "source AS number",						\
    .what = "AS number",						\
    .kind = FK_NUM, .enc = FE_INT, .v5 = V5(40, 2),			\
    .words = { W("as", NUMLIST, SRC) },					\
    .toks = { T("%sas", "Src AS", UINT) },				\
    .agg = { A("srcas", VALUE, "%sas") },				\
    .stat = ST("srcas", "Src AS", "as", "AS"),				\
    .json = J(16, 16, ALWAYS), .csv = C("sas", 17))			\
IE(SRC_AS, 16, UINT, 0)							\
F(DST_AS, dst_as, U32, 11, "dstas", 0,					\
    .doc = "destination AS number",					\
    .what = "AS number",						\
    .kind = FK_NUM, .enc = FE_INT, .v5 = V5(42, 2),			\
    .words = { W("as", NUMLIST, DST) },					\
    .toks = { T("%das", "Dst AS", UINT) },				\
    .agg = { A("dstas", VALUE, "%das") },				\
    .stat = ST("dstas", "Dst AS", "as", "AS"),				\
    .json = J(17, 17, ALWAYS), .csv = C("das", 18))			\
IE(DST_AS, 17, UINT, 0)							\
F(SRC_MASK, src_mask, U8, 23, "srcmask", 0,				\
    .doc = "source prefix length",					\
    .kind = FK_NUM, .enc = FE_INT, .max = 128, .v5 = V5(44, 1),		\
    .words = { W("mask", NUMEQ, SRC) },					\
    .toks = { T("%smk", "SMask", UINT) },				\
    .agg = { A("srcmask", VALUE, "%smk") },				\
    .stat = ST("srcmask", "Src Mask", "mask", "Mask"),			\
    .json = J(9, 29, ALWAYS), .csv = C("smk", 19))			\
IE(SRC_MASK, 9, UINT, 0) IE(SRC_MASK, 29, UINT, 0)			\
F(DST_MASK, dst_mask, U8, 24, "dstmask", 0,				\
    .doc = "destination prefix length",					\
    .kind = FK_NUM, .enc = FE_INT, .max = 128, .v5 = V5(45, 1),		\
    .words = { W("mask", NUMEQ, DST) },					\
    .toks = { T("%dmk", "DMask", UINT) },				\
    .agg = { A("dstmask", VALUE, "%dmk") },				\
    .stat = ST("dstmask", "Dst Mask", "mask", "Mask"),			\
    .json = J(13, 30, ALWAYS), .csv = C("dmk", 20))			\
IE(DST_MASK, 13, UINT, 0) IE(DST_MASK, 30, UINT, 0)			\
V(DTOS, "dtos",								\
    .doc = "post type of service (not stored yet: 0)",			\
    .kind = FK_ABSENT,							\
    .toks = { T("%dtos", "DTos", UINT) }, .csv = C("dtos", 21))		\
F(NEXTHOP, nexthop, ADDR, 7, "nexthop", 0,				\
    .doc = "next-hop address",						\
    .kind = FK_ADDR, .enc = FE_ADDR, .v5 = V5(8, 4),			\
    .words = { W("next", ADDRIP, NONE) },				\
    .toks = { T("%nh", "     Next-hop IP", ADDR) },			\
    .agg = { A("next", ADDR, "%nh") },					\
    .stat = ST("nhip", "Nexthop IP", NULL, NULL),			\
    .json = J(15, 62, OWN_FAMILY), .csv = C("nh", 23))			\
IE(NEXTHOP, 15, ADDR4, 0) IE(NEXTHOP, 62, ADDR6_NZ, 0)			\
F(SRC_VLAN, src_vlan, U16, 16, "srcvlan", 0,				\
    .doc = "VLAN id (ingress)",						\
    .what = "VLAN",							\
    .kind = FK_NUM, .enc = FE_INT,					\
    .words = { W("vlan", NUMEQ, SRC) },					\
    .toks = { T("%svln", "SVlan", UINT) },				\
    .agg = { A("srcvlan", VALUE, "%svln") },				\
    .stat = ST("srcvlan", "Src Vlan", "vlan", "Vlan"),			\
    .json = J(58, 58, ALWAYS), .csv = C("svln", 24))			\
IE(SRC_VLAN, 58, UINT, 1) IE(SRC_VLAN, 243, UINT, 2)			\
F(DST_VLAN, dst_vlan, U16, 17, "dstvlan", 0,				\
    .doc = "VLAN id after the flow left (egress)",			\
    .what = "VLAN",							\
    .kind = FK_NUM, .enc = FE_INT,					\
    .words = { W("vlan", NUMEQ, DST) },					\
    .toks = { T("%dvln", "DVlan", UINT) },				\
    .agg = { A("dstvlan", VALUE, "%dvln") },				\
    .stat = ST("dstvlan", "Dst Vlan", "vlan", "Vlan"),			\
    .json = J(59, 59, ALWAYS), .csv = C("dvln", 25))			\
IE(DST_VLAN, 59, UINT, 1) IE(DST_VLAN, 254, UINT, 2)			\
F(DIRECTION, direction, U8, 25, "direction", 255,			\
    .doc = "flow direction: 0 ingress, 1 egress, 255 unknown",		\
    .kind = FK_DIR, .enc = FE_INT,					\
    .toks = { T("%dir", "Dir", DIR) },					\
    .json = J(61, 61, KNOWN), .csv = C("dir", 22))			\
IE(DIRECTION, 61, UINT, 0)						\
F(END_REASON, end_reason, U8, 26, "endreason", 0,			\
    .doc = "flow end reason (IPFIX flowEndReason)",			\
    .kind = FK_NUM, .enc = FE_INT,					\
    .json = J(136, 136, ALWAYS))					\
IE(END_REASON, 136, UINT, 0)						\
F(SAMPLING, sampling, U32, 13, "sampling", 0,				\
    .doc = "1-in-N sampling rate applied (0 or 1: unsampled)",		\
    .kind = FK_NUM, .enc = FE_INT,					\
    .toks = { T("%sr", "Sampling", UINT) },				\
    .json = J(34, 34, ALWAYS))						\
F(ENGINE_TYPE, engine_type, U8, 27, "enginetype", 0,			\
    .doc = "NetFlow v5 engine type",					\
    .what = "engine type",						\
    .kind = FK_NUM, .enc = FE_INT,					\
    .words = { W("engine-type", CMP, NONE) },				\
    .toks = { TP("%eng", " engine", PAIR, ENGINE_ID) },			\
    .json = J(38, 38, ALWAYS), .csv = CP("eng", 27, ENGINE_ID))		\
IE(ENGINE_TYPE, 38, UINT, 0)						\
F(ENGINE_ID, engine_id, U8, 28, "engineid", 0,				\
    .doc = "NetFlow v5 engine id",					\
    .what = "engine id",						\
    .kind = FK_NUM, .enc = FE_INT,					\
    .words = { W("engine-id", CMP, NONE) },				\
    .json = J(39, 39, ALWAYS))						\
IE(ENGINE_ID, 39, UINT, 0)						\
F(APP_NAME, app_name, STR, 67, "appname", 0,				\
    .doc = "application name (IPFIX applicationName)",			\
    .kind = FK_STR, .enc = FE_STR,					\
    .words = { W("app", STR, NONE) },					\
    .toks = { T("%app", "Application     ", STR) },			\
    .agg = { A("app", STR, "%app") },					\
    .stat = ST("app", "Application", NULL, NULL),			\
    .json = J(96, 96, KNOWN))						\
IE(APP_NAME, 96, STR, 0)						\
F(APP_ID, app_id, U64, 73, "appid", 0,					\
    .doc = "application id (RFC 6759): classification engine and "	\
	"selector, as engine..selector",				\
    .what = "application id",						\
    .kind = FK_APPID, .enc = FE_INT,					\
    .words = { W("appid", APPID, NONE) },				\
    .toks = { T("%nbid", "nbar ID", APPID) },				\
    .agg = { A("appid", VALUE, "%nbid") },				\
    .stat = ST("nbar", "Application ID", NULL, NULL),			\
    .json = J(95, 95, KNOWN))						\
IE(APP_ID, 95, APPID, 0)						\
F(USER, user, STR, 68, "user", 0,					\
    .doc = "subscriber (user name of the inside party's session)",	\
    .kind = FK_STR_NONE, .enc = FE_STR,					\
    .words = { W("user", STR, NONE) },					\
    .toks = { T("%user", "User            ", STR) },			\
    .agg = { A("user", STR, "%user") },					\
    .stat = ST("user", "User", NULL, NULL),				\
    .json = J(371, 371, JOINED))						\
IE(USER, 371, STR, 0)							\
F(SRC_GEO, src_geo, STR, 69, "srcgeo", 0,				\
    .doc = "source country, ISO 3166 code (--geoip)",			\
    .kind = FK_STR, .enc = FE_STR,					\
    .words = { W("geo", STR, SRC) },					\
    .toks = { T("%sc", "SC", STR) },					\
    .agg = { A("srcgeo", STR, "%sc") },					\
    .stat = ST("srcgeo", "Src Geo", "geo", "Geo"))			\
F(DST_GEO, dst_geo, STR, 70, "dstgeo", 0,				\
    .doc = "destination country, ISO 3166 code (--geoip)",		\
    .kind = FK_STR, .enc = FE_STR,					\
    .words = { W("geo", STR, DST) },					\
    .toks = { T("%dc", "DC", STR) },					\
    .agg = { A("dstgeo", STR, "%dc") },					\
    .stat = ST("dstgeo", "Dst Geo", "geo", "Geo"))			\
F(SRC_AS_ORG, src_as_org, STR, 71, "srcasorg", 0,			\
    .doc = "organisation of the source AS (--asn-db)",			\
    .kind = FK_STR, .enc = FE_STR,					\
    .words = { W("asorg", STR, SRC) },					\
    .toks = { T("%sasn", "Src AS organisation", STR) },			\
    .agg = { A("srcasorg", STR, "%sasn") },				\
    .stat = ST("srcasorg", "Src AS organisation", "asorg",		\
	"AS organisation"))						\
F(DST_AS_ORG, dst_as_org, STR, 72, "dstasorg", 0,			\
    .doc = "organisation of the destination AS (--asn-db)",		\
    .kind = FK_STR, .enc = FE_STR,					\
    .words = { W("asorg", STR, DST) },					\
    .toks = { T("%dasn", "Dst AS organisation", STR) },			\
    .agg = { A("dstasorg", STR, "%dasn") },				\
    .stat = ST("dstasorg", "Dst AS organisation", "asorg",		\
	"AS organisation"))						\
V(ROUTER, "router",							\
    .doc = "address of the exporter (from the file's exporter table)",	\
    .kind = FK_ROUTER, .reads = COLS(FCOL_EXPORTER),			\
    .words = { W("router", ADDRIP, NONE) },				\
    .toks = { T("%ra", "       Router IP", ADDR) },			\
    .agg = { A("router", ADDR, "%ra") },				\
    .stat = ST("router", "Router IP", NULL, NULL),			\
    .json = J(130, 131, ROUTER), .csv = C("ra", 26))			\
F(EXPORTER, exporter, U16, 18, "exporter", 0,				\
    .doc = "index into the file's exporter table",			\
    .kind = FK_XINDEX, .enc = FE_INT)					\
F(AF, af, U8, 19, "af", 4,						\
    .doc = "address family of the flow: 4 or 6",			\
    .kind = FK_FAMILY, .enc = FE_INT)					\
F(BGP_NEXTHOP, bgp_nexthop, ADDR, 30, "bgpnexthop", 0,		\
    .doc = "BGP next-hop address",					\
    .kind = FK_ADDR, .enc = FE_ADDR,					\
    .words = { W("bgpnext", ADDRIP, NONE) },				\
    .toks = { T("%nhb", " BGP next-hop IP", ADDR) },			\
    .agg = { A("bgpnext", ADDR, "%nhb") },				\
    .stat = ST("nhbip", "Nexthop BGP IP", NULL, NULL),			\
    .json = J(18, 63, KNOWN))						\
IE(BGP_NEXTHOP, 18, ADDR4, 0) IE(BGP_NEXTHOP, 63, ADDR6_NZ, 0)		\
F(MIN_TTL, min_ttl, U8, 31, "minttl", 0,				\
    .doc = "smallest IP TTL (hop limit) of the flow's packets",		\
    .what = "TTL",							\
    .kind = FK_NUM, .enc = FE_INT,					\
    .words = { W("min ttl", CMP, NONE) },				\
    .toks = { T("%minttl", "MinTTL", UINT) },				\
    .agg = { A("minttl", VALUE, "%minttl") },				\
    .json = J(52, 52, KNOWN))						\
IE(MIN_TTL, 52, UINT, 0)						\
F(MAX_TTL, max_ttl, U8, 32, "maxttl", 0,				\
    .doc = "largest IP TTL (hop limit) of the flow's packets",		\
    .what = "TTL",							\
    .kind = FK_NUM, .enc = FE_INT,					\
    .words = { W("max ttl", CMP, NONE) },				\
    .toks = { T("%maxttl", "MaxTTL", UINT) },				\
    .agg = { A("maxttl", VALUE, "%maxttl") },				\
    .json = J(53, 53, KNOWN))						\
IE(MAX_TTL, 53, UINT, 0)						\
F(FLOW_LABEL, flow_label, U32, 33, "flowlabel", 0,			\
    .doc = "IPv6 flow label",						\
    .what = "flow label",						\
    .kind = FK_NUM, .enc = FE_INT, .max = 0xfffff,			\
    .words = { W("flowlabel", CMP, NONE) },				\
    .toks = { T("%flabel", " FLabel", UINT) },				\
    .json = J(31, 31, KNOWN))						\
IE(FLOW_LABEL, 31, UINT, 0)						\
F(IN_VRF, in_vrf, U32, 34, "ingressvrf", 0,				\
    .doc = "ingress VRF id",						\
    .what = "VRF id",							\
    .kind = FK_NUM, .enc = FE_INT,					\
    .words = { W("ingress vrf", CMP, NONE) },					\
    .toks = { T("%ivrf", "  I-VRF-ID", UINT),				\
	T("%vrf", "  I-VRF-ID", UINT) },				\
    .agg = { A("ivrf", VALUE, "%ivrf") },				\
    .stat = ST("ivrf", "I-vrf ID", NULL, NULL),				\
    .json = J(234, 234, KNOWN))						\
IE(IN_VRF, 234, UINT, 0)						\
F(OUT_VRF, out_vrf, U32, 35, "egressvrf", 0,				\
    .doc = "egress VRF id",						\
    .what = "VRF id",							\
    .kind = FK_NUM, .enc = FE_INT,					\
    .words = { W("egress vrf", CMP, NONE) },					\
    .toks = { T("%evrf", "  E-VRF-ID", UINT) },				\
    .agg = { A("evrf", VALUE, "%evrf") },				\
    .stat = ST("evrf", "E-vrf ID", NULL, NULL),				\
    .json = J(235, 235, KNOWN))						\
IE(OUT_VRF, 235, UINT, 0)						\
F(VLAN_PRIO, vlan_prio, U8, 36, "dot1qprio", 0,				\
    .doc = "802.1Q priority (PCP) of the outer VLAN tag",		\
    .what = "802.1Q priority",						\
    .kind = FK_NUM, .enc = FE_INT, .max = 7,				\
    .words = { W("vlanprio", CMP, NONE) },				\
    .toks = { T("%vpri", "VPri", UINT) },				\
    .json = J(244, 244, KNOWN))						\
IE(VLAN_PRIO, 244, UINT, 0)						\
F(SRC_CVLAN, src_cvlan, U16, 37, "custvlan", 0,				\
    .doc = "customer (inner 802.1Q) VLAN id (ingress)",			\
    .what = "VLAN",							\
    .kind = FK_NUM, .enc = FE_INT, .max = 4095,				\
    .words = { W("cvlan", NUMEQ, SRC) },				\
    .toks = { T("%scvln", "SCVlan", UINT) },				\
    .agg = { A("srccvlan", VALUE, "%scvln") },				\
    .json = J(245, 245, KNOWN))						\
IE(SRC_CVLAN, 245, UINT, 0)						\
F(DST_CVLAN, dst_cvlan, U16, 38, "postcustvlan", 0,			\
    .doc = "customer (inner 802.1Q) VLAN id after the flow left (egress)", \
    .what = "VLAN",							\
    .kind = FK_NUM, .enc = FE_INT, .max = 4095,				\
    .words = { W("cvlan", NUMEQ, DST) },				\
    .toks = { T("%dcvln", "DCVlan", UINT) },				\
    .agg = { A("dstcvlan", VALUE, "%dcvln") },				\
    .json = J(255, 255, KNOWN))						\
IE(DST_CVLAN, 255, UINT, 0)						\
F(NAT_EVENT, nat_event, U8, 39, "natevent", 0,				\
    .doc = "NAT event (RFC 8158: 4/5 NAT44 session, 16/17 port block, "	\
	"...); printed, and named in filters, by nfdump's names: "	\
	"INVALID, ADD, DELETE, EXHAUST, ADD44, DEL44, ADD64, DEL64, "	\
	"ADD44BIB, DEL44BIB, ADD64BIB, DEL64BIB, PEXHAUST, QUOTAEXH, "	\
	"ADDADDR, DELADDR, ADDPBLK, DELPBLK, THRESHLD (0 to 18)",	\
    .what = "NAT event",						\
    .kind = FK_NATEVT, .enc = FE_INT,					\
    .words = { W("nat event", CMP, NONE) },				\
    .toks = { T("%nevt", " Event", NATEVT) },				\
    .agg = { A("nevent", VALUE, "%nevt") },				\
    .stat = ST("nevent", "NAT Event", NULL, NULL),			\
    .json = J(230, 230, KNOWN))						\
IE(NAT_EVENT, 230, UINT, 0)						\
F(NAT_SRC, nat_src, ADDR, 40, "natsrcaddr", 0,				\
    .doc = "source address after NAT",					\
    .kind = FK_ADDR, .enc = FE_ADDR,					\
    .words = { W("nip", ADDR, SRC) },					\
    .toks = { T("%nsa", "   X-late Src IP", ADDR),			\
	TP("%nsap", "   X-Src IP Addr:Port ", ADDR_PORT, NAT_SRC_PORT) },	\
    .agg = { A("xsrcip", ADDR, "%nsa") },				\
    .stat = ST("nsrcip", "NAT Src IP", "nip", "NAT IP"),		\
    .json = J(225, 281, KNOWN))						\
IE(NAT_SRC, 225, ADDR4, 0) IE(NAT_SRC, 281, ADDR6_NZ, 0)		\
F(NAT_DST, nat_dst, ADDR, 41, "natdstaddr", 0,				\
    .doc = "destination address after NAT",				\
    .kind = FK_ADDR, .enc = FE_ADDR,					\
    .words = { W("nip", ADDR, DST) },					\
    .toks = { T("%nda", "   X-late Dst IP", ADDR),			\
	TP("%ndap", "   X-Dst IP Addr:Port ", ADDR_PORT, NAT_DST_PORT) },	\
    .agg = { A("xdstip", ADDR, "%nda") },				\
    .stat = ST("ndstip", "NAT Dst IP", "nip", "NAT IP"),		\
    .json = J(226, 282, KNOWN))						\
IE(NAT_DST, 226, ADDR4, 0) IE(NAT_DST, 282, ADDR6_NZ, 0)		\
F(NAT_SRC_PORT, nat_src_port, U16, 42, "natsrcport", 0,			\
    .doc = "source transport port after NAT (NAPT)",			\
    .what = "port",							\
    .kind = FK_NUM, .enc = FE_INT,					\
    .words = { W("nport", NUMEQ, SRC) },				\
    .toks = { T("%nsp", "XsPort", UINT) },				\
    .agg = { A("xsrcport", VALUE, "%nsp") },				\
    .stat = ST("nsrcport", "NAT Src Port", "nport", "NAT Port"),	\
    .json = J(227, 227, KNOWN))						\
IE(NAT_SRC_PORT, 227, UINT, 0)						\
F(NAT_DST_PORT, nat_dst_port, U16, 43, "natdstport", 0,			\
    .doc = "destination transport port after NAT (NAPT)",		\
    .what = "port",							\
    .kind = FK_NUM, .enc = FE_INT,					\
    .words = { W("nport", NUMEQ, DST) },				\
    .toks = { T("%ndp", "XdPort", UINT) },				\
    .agg = { A("xdstport", VALUE, "%ndp") },				\
    .stat = ST("ndstport", "NAT Dst Port", "nport", "NAT Port"),	\
    .json = J(228, 228, KNOWN))						\
IE(NAT_DST_PORT, 228, UINT, 0)						\
F(PB_START, pb_start, U16, 44, "pbstart", 0,				\
    .doc = "NAT port block: first port (portRangeStart)",		\
    .what = "port",							\
    .kind = FK_NUM, .enc = FE_INT,					\
    .words = { W("pblock start", CMP, NONE) },				\
    .toks = { T("%pbstart", "PbStart", UINT) },			\
    .json = J(361, 361, KNOWN))						\
IE(PB_START, 361, UINT, 0)						\
F(PB_END, pb_end, U16, 45, "pbend", 0,					\
    .doc = "NAT port block: last port (portRangeEnd)",			\
    .what = "port",							\
    .kind = FK_NUM, .enc = FE_INT,					\
    .words = { W("pblock end", CMP, NONE) },					\
    .toks = { T("%pbend", " Pb-End", UINT) },				\
    .json = J(362, 362, KNOWN))						\
IE(PB_END, 362, UINT, 0)						\
F(PB_STEP, pb_step, U16, 46, "pbstep", 0,				\
    .doc = "NAT port block: step between its ports (portRangeStepSize)", \
    .what = "step",							\
    .kind = FK_NUM, .enc = FE_INT,					\
    .words = { W("pblock step", CMP, NONE) },				\
    .toks = { T("%pbstep", "Pb-Step", UINT) },				\
    .json = J(363, 363, KNOWN))						\
IE(PB_STEP, 363, UINT, 0)						\
F(PB_SIZE, pb_size, U16, 47, "pbsize", 0,				\
    .doc = "NAT port block: number of ports (portRangeNumPorts)",	\
    .what = "size",							\
    .kind = FK_NUM, .enc = FE_INT,					\
    .words = { W("pblock size", CMP, NONE) },				\
    .toks = { T("%pbsize", "Pb-Size", UINT) },				\
    .json = J(364, 364, KNOWN))						\
IE(PB_SIZE, 364, UINT, 0)						\
F(RECEIVED, received_ms, U64, 48, "received", 0,			\
    .doc = "time the collector received the flow (ms since 1970 UTC)",	\
    .kind = FK_TIME, .enc = FE_INT,					\
    .toks = { T("%tr", "Date flow received     ", TIME),		\
	T("%trr", "Received raw  ", TIME_RAW) },			\
    .json = J(258, 258, KNOWN))						\
F(IN_SRC_MAC, in_src_mac, U64, 49, "insrcmac", 0,			\
    .doc = "source MAC address as the packets came in",	\
    .kind = FK_MAC, .enc = FE_INT,					\
    .words = { W("mac", MAC, IN_SRC) },				\
    .toks = { T("%ismc", "  In src MAC Addr", MAC) },			\
    .agg = { A("insrcmac", VALUE, "%ismc") },				\
    .stat = ST("insrcmac", "In Src MAC Addr", "srcmac", "Src MAC Addr"),	\
    .json = J(56, 56, KNOWN))						\
IE(IN_SRC_MAC, 56, MAC, 0)							\
F(IN_DST_MAC, in_dst_mac, U64, 50, "indstmac", 0,			\
    .doc = "destination MAC address as the packets came in",	\
    .kind = FK_MAC, .enc = FE_INT,					\
    .words = { W("mac", MAC, IN_DST) },				\
    .toks = { T("%idmc", "  In dst MAC Addr", MAC) },			\
    .agg = { A("indstmac", VALUE, "%idmc") },				\
    .stat = ST("indstmac", "In Dst MAC Addr", "dstmac", "Dst MAC Addr"),	\
    .json = J(80, 80, KNOWN))						\
IE(IN_DST_MAC, 80, MAC, 0)							\
F(OUT_SRC_MAC, out_src_mac, U64, 51, "outsrcmac", 0,			\
    .doc = "source MAC address as the packets left",	\
    .kind = FK_MAC, .enc = FE_INT,					\
    .words = { W("mac", MAC, OUT_SRC) },				\
    .toks = { T("%osmc", " Out src MAC Addr", MAC) },			\
    .agg = { A("outsrcmac", VALUE, "%osmc") },				\
    .stat = ST("outsrcmac", "Out Src MAC Addr", "srcmac", "Src MAC Addr"),	\
    .json = J(81, 81, KNOWN))						\
IE(OUT_SRC_MAC, 81, MAC, 0)							\
F(OUT_DST_MAC, out_dst_mac, U64, 52, "outdstmac", 0,			\
    .doc = "destination MAC address as the packets left",	\
    .kind = FK_MAC, .enc = FE_INT,					\
    .words = { W("mac", MAC, OUT_DST) },				\
    .toks = { T("%odmc", " Out dst MAC Addr", MAC) },			\
    .agg = { A("outdstmac", VALUE, "%odmc") },				\
    .stat = ST("outdstmac", "Out Dst MAC Addr", "dstmac", "Dst MAC Addr"),	\
    .json = J(57, 57, KNOWN))						\
IE(OUT_DST_MAC, 57, MAC, 0)							\
FLD_MPLS(F, V, IE, 1, 70, 53, " MPLS lbl 1 ")			\
FLD_MPLS(F, V, IE, 2, 71, 54, " MPLS lbl 2 ")			\
FLD_MPLS(F, V, IE, 3, 72, 55, " MPLS lbl 3 ")			\
FLD_MPLS(F, V, IE, 4, 73, 56, " MPLS lbl 4 ")			\
FLD_MPLS(F, V, IE, 5, 74, 57, " MPLS lbl 5 ")			\
FLD_MPLS(F, V, IE, 6, 75, 58, " MPLS lbl 6 ")			\
FLD_MPLS(F, V, IE, 7, 76, 59, " MPLS lbl 7 ")			\
FLD_MPLS(F, V, IE, 8, 77, 60, " MPLS lbl 8 ")			\
FLD_MPLS(F, V, IE, 9, 78, 61, " MPLS lbl 9 ")			\
FLD_MPLS(F, V, IE, 10, 79, 62, " MPLS lbl 10")			\
V(MPLS_EOS, "mpls_eos",							\
    .doc = "label of the bottom-of-stack MPLS entry (0: none)",	\
    .what = "MPLS label",						\
    .kind = FK_MPLS_EOS, .max = 0xfffff,				\
    .reads = COLS(53, 54, 55, 56) | COLS(57, 58, 59, 60) | COLS(61, 62), \
    .words = { W("mpls eos", CMP, NONE) })				\
F(MPLS_TOP_TYPE, mpls_top_type, U8, 63, "mplstoptype", 0,		\
    .doc = "type of the top MPLS label (IANA mplsTopLabelType: 1 TE-MIDPT, 2 Pseudowire, 3 VPN, 4 BGP, 5 LDP, ...)", \
    .what = "MPLS label type",						\
    .kind = FK_NUM, .enc = FE_INT,					\
    .toks = { T("%mplstype", "MPLS type", UINT) },			\
    .json = J(46, 46, KNOWN))						\
IE(MPLS_TOP_TYPE, 46, UINT, 0)						\
F(MPLS_TOP_ADDR, mpls_top_addr, ADDR, 64, "mplstopaddr", 0,		\
    .doc = "address of the router that assigned the top MPLS label",	\
    .kind = FK_ADDR, .enc = FE_ADDR,					\
    .toks = { T("%mplsaddr", "   MPLS top addr", ADDR) },		\
    .json = J(47, 47, KNOWN))						\
IE(MPLS_TOP_ADDR, 47, ADDR4, 0)						\
V(BPS, "bps",								\
    .doc = "bits per second",						\
    .kind = FK_BPS, .reads = COLS(FCOL_FIRST, FCOL_LAST, FCOL_BYTES),	\
    .words = { W("bps", CMP, NONE) },					\
    .toks = { T("%bps", "     bps", NUM) })				\
V(PPS, "pps",								\
    .doc = "packets per second",					\
    .kind = FK_PPS, .reads = COLS(FCOL_FIRST, FCOL_LAST, FCOL_PACKETS),	\
    .words = { W("pps", CMP, NONE) },					\
    .toks = { T("%pps", "     pps", NUM) })				\
V(BPP, "bpp",								\
    .doc = "bytes per packet",						\
    .kind = FK_BPP, .reads = COLS(FCOL_BYTES, FCOL_PACKETS),		\
    .words = { W("bpp", CMP, NONE) },					\
    .toks = { T("%bpp", "   Bpp", UINT) })

#endif /* COMMON_BASE_FIELDLIST_H */
