/*
 * tests/t_pktdecode.c -- common/pkt/pktdecode: byte-literal frames for each
 * link type and header chain, with the exact struct pkt expected, and
 * a truncation sweep: every prefix shorter than the headers the decoder
 * needs returns NFE_TRUNC; every longer prefix decodes to the same pkt.
 * Link types and encapsulations: Ethernet, VLAN, LLC/SNAP, Linux
 * cooked, raw, loopback, PPP (with and without address/control, with
 * and without protocol field compression), PPP serial (PPP and Cisco
 * framing), Cisco HDLC, PPPoE (in Ethernet, behind tags, and as its own
 * link type), MPLS stacks (kept labels, explicit null, the depth limit,
 * pseudowires) and the non-IP frames of each (LCP, SLARP, CDP, PPPoE
 * discovery, MPLS OAM).  Also the fragment table (matching, unmatched,
 * time-to-live) and SipHash against the reference vector.
 * pktdecode_frame_x: for every case above the same outcome and the same
 * struct pkt as pktdecode_frame, for every prefix; and its extras (MAC
 * addresses, VLAN priority, TTL, IPv6 flow label) for frames of each
 * link type that has them, with their own truncation sweep.
 */
#include "common/base/compat.h"

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/base/addr.h"
#include "common/base/nferr.h"
#include "common/pkt/pktdecode.h"
#include "common/pkt/siphash.h"
#include "tap.h"

#define MACS	"020000000002 020000000001 "
#define IP4_TCP	"4500 0028 1234 4000 4006 0000 0a000001 0a000002 " \
		"04d2 0050 00000001 00000000 5012 ffff 0000 0000"
#define V6SRC	"20010db8000000000000000000000001 "
#define V6DST	"20010db8000000000000000000000002 "
#define OPT8(nh) nh "00 010400000000 "
/* IPv6 UDP 2001:db8::1:8080 > 2001:db8::2:80, traffic class 0xb8: 56 bytes */
#define IP6_UDP	"6b800000 0010 1140 " V6SRC V6DST \
		"1f90 0050 0010 0000 0102030405060708"
/*
 * MPLS label stack entries: label << 12 | EXP << 9 | S << 8 | TTL.
 * 100/1, 200/2, 300/3 (the last with S), and 16 entries without S.
 */
#define L100	"000642ff "
#define L200	"000c84ff "
#define L300S	"0012c7ff "
#define L16	L100 L100 L100 L100 L100 L100 L100 L100 \
		L100 L100 L100 L100 L100 L100 L100 L100

struct tcase {
	const char	*name;
	int		 dlt;
	const char	*hex;
	size_t		 hdr_end;	/* bytes the decoder must see */
	int		 rc;
	/* expected pkt when rc == NFE_OK */
	const char	*src, *dst;
	uint16_t	 sport, dport;
	uint8_t		 proto, tos, flags, frag;
	uint16_t	 vlan, vlan_inner;
	uint32_t	 ifindex, bytes;
	uint8_t		 mpls_depth;
	uint32_t	 mpls[PKT_MPLS_LABELS];
};

/* Expected fields of IP4_TCP and IP6_UDP, after hdr_end and rc. */
#define R4TCP	NFE_OK, "10.0.0.1", "10.0.0.2", 1234, 80, 6, 0, 0x12, 0
#define R6UDP	NFE_OK, "2001:db8::1", "2001:db8::2", 8080, 80, 17, 0xb8, 0, 0
#define NOMPLS	0, { 0, 0, 0 }
#define RNONE	NULL, NULL, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0

static const struct tcase cases[] = {
	{ "ethernet ipv4 tcp", PKT_DLT_EN10MB, MACS "0800" IP4_TCP, 48,
	    NFE_OK, "10.0.0.1", "10.0.0.2", 1234, 80, 6, 0, 0x12, 0,
	    0, 0, 0, 40, NOMPLS },
	{ "802.1q ipv4 udp", PKT_DLT_EN10MB, MACS "8100 2064 0800 "
	    "4510 0024 0001 0000 4011 0000 c0a80001 c0a80002 "
	    "0035 d431 0010 0000 0102030405060708", 42,
	    NFE_OK, "192.168.0.1", "192.168.0.2", 53, 54321, 17, 0x10, 0, 0,
	    100, 0, 0, 36, NOMPLS },
	{ "qinq ipv6 udp", PKT_DLT_EN10MB, MACS "88a8 00c8 8100 0064 86dd "
	    "6b800000 0010 1140 " V6SRC V6DST
	    "1f90 0050 0010 0000 0102030405060708", 66,
	    NFE_OK, "2001:db8::1", "2001:db8::2", 8080, 80, 17, 0xb8, 0, 0,
	    200, 100, 0, 56, NOMPLS },
	{ "802.3 snap ipv4 tcp", PKT_DLT_EN10MB, MACS "0030 aaaa03 000000 0800 "
	    IP4_TCP, 56,
	    NFE_OK, "10.0.0.1", "10.0.0.2", 1234, 80, 6, 0, 0x12, 0,
	    0, 0, 0, 40, NOMPLS },
	{ "linux sll ipv4 icmp", PKT_DLT_LINUX_SLL,
	    "0000 0001 0006 0200000000010000 0800 "
	    "4500 001c 0002 0000 4001 0000 0a000001 0a000002 "
	    "0800 f7ff 0000 0000", 38,
	    NFE_OK, "10.0.0.1", "10.0.0.2", 0, 0x0800, 1, 0, 0, 0,
	    0, 0, 0, 28, NOMPLS },
	{ "linux sll2 ipv6 icmpv6", PKT_DLT_LINUX_SLL2,
	    "86dd 0000 00000007 0001 00 06 0200000000010000 "
	    "60000000 0008 3a40 fe800000000000000000000000000001 "
	    "ff020000000000000000000000000001 8000 0000 0000 0000", 62,
	    NFE_OK, "fe80::1", "ff02::1", 0, 0x8000, 58, 0, 0, 0,
	    0, 0, 7, 48, NOMPLS },
	{ "raw ipv4 options udp", PKT_DLT_RAW,
	    "4600 0024 0003 0000 4011 0000 0a000001 0a000002 01010100 "
	    "1388 1389 000c 0000 deadbeef", 28,
	    NFE_OK, "10.0.0.1", "10.0.0.2", 5000, 5001, 17, 0, 0, 0,
	    0, 0, 0, 36, NOMPLS },
	{ "null ipv6 hbh+routing+dstopts tcp", PKT_DLT_NULL,
	    "1e000000 60000000 003c 0040 " V6SRC V6DST
	    OPT8("2b") "3c02 0000 00000000 20010db8000000000000000000000003 "
	    OPT8("06") "c000 01bb 00000001 00000000 5002 ffff 0000 0000", 98,
	    NFE_OK, "2001:db8::1", "2001:db8::2", 49152, 443, 6, 0, 0x02, 0,
	    0, 0, 0, 100, NOMPLS },
	{ "null ipv4 (AF in host order)", PKT_DLT_NULL, "02000000 " IP4_TCP,
	    38, NFE_OK, "10.0.0.1", "10.0.0.2", 1234, 80, 6, 0, 0x12, 0,
	    0, 0, 0, 40, NOMPLS },
	{ "loop ipv4 sctp", PKT_DLT_LOOP, "00000002 "
	    "4500 0030 0004 0000 4084 0000 0a000001 0a000002 "
	    "0b59 0b5a 00000000 00000000 "
	    "01000010 00000000 00000000 00000000", 28,
	    NFE_OK, "10.0.0.1", "10.0.0.2", 2905, 2906, 132, 0, 0, 0,
	    0, 0, 0, 48, NOMPLS },
	{ "ipv6 ah udp", PKT_DLT_IPV6, "60000000 0020 3340 " V6SRC V6DST
	    "1104 0000 00000100 00000001 000000000000000000000000 "
	    "0044 0043 0008 0000", 68,
	    NFE_OK, "2001:db8::1", "2001:db8::2", 68, 67, 17, 0, 0, 0,
	    0, 0, 0, 72, NOMPLS },
	{ "ipv6 unknown header ends the walk", PKT_DLT_IPV6,
	    "60000000 0010 0040 " V6SRC V6DST OPT8("fd") "0011223344556677",
	    48, NFE_OK, "2001:db8::1", "2001:db8::2", 0, 0, 253, 0, 0, 0,
	    0, 0, 0, 56, NOMPLS },
	{ "ipv6 walk stops after 8 headers", PKT_DLT_IPV6,
	    "60000000 0050 3c40 " V6SRC V6DST OPT8("3c") OPT8("3c")
	    OPT8("3c") OPT8("3c") OPT8("3c") OPT8("3c") OPT8("3c") OPT8("3c")
	    OPT8("11") "0044 0043 0008 0000", 104,
	    NFE_OK, "2001:db8::1", "2001:db8::2", 0, 0, 60, 0, 0, 0,
	    0, 0, 0, 120, NOMPLS },
	{ "raw ipv4 total length 0 (tso)", PKT_DLT_IPV4,
	    "4500 0000 1234 4000 4006 0000 0a000001 0a000002 "
	    "04d2 0050 00000001 00000000 5012 ffff 0000 0000", 34,
	    NFE_OK, "10.0.0.1", "10.0.0.2", 1234, 80, 6, 0, 0x12, 0,
	    0, 0, 0, 40, NOMPLS },
	{ "ipv4 complete but too short for tcp", PKT_DLT_IPV4,
	    "4500 0018 0005 0000 4006 0000 0a000001 0a000002 04d20050", 24,
	    NFE_OK, "10.0.0.1", "10.0.0.2", 0, 0, 6, 0, 0, 0,
	    0, 0, 0, 24, NOMPLS },
	/* PPP (DLT_PPP) */
	{ "ppp ipv4 tcp with address and control", PKT_DLT_PPP,
	    "ff03 0021 " IP4_TCP, 38, R4TCP, 0, 0, 0, 40, NOMPLS },
	{ "ppp ipv6 udp without address and control", PKT_DLT_PPP,
	    "0057 " IP6_UDP, 46, R6UDP, 0, 0, 0, 56, NOMPLS },
	{ "ppp compressed protocol ipv4", PKT_DLT_PPP,
	    "ff03 21 " IP4_TCP, 37, R4TCP, 0, 0, 0, 40, NOMPLS },
	{ "ppp compressed protocol ipv6, no address", PKT_DLT_PPP,
	    "57 " IP6_UDP, 45, R6UDP, 0, 0, 0, 56, NOMPLS },
	{ "ppp mpls (0x0281) two labels ipv4", PKT_DLT_PPP,
	    "ff03 0281 00010040 003e8b3f " IP4_TCP, 46, R4TCP, 0, 0, 0, 40,
	    2, { 0x000100, 0x003e8b, 0 } },
	{ "ppp mpls multicast (0x0283) ipv6", PKT_DLT_PPP,
	    "0283 " L300S IP6_UDP, 50, R6UDP, 0, 0, 0, 56,
	    1, { 0x0012c7, 0, 0 } },
	{ "ppp lcp is not ip", PKT_DLT_PPP, "ff03 c021 01010004", 4,
	    NFE_UNSUPP, RNONE, NOMPLS },
	{ "ppp ipcp is not ip", PKT_DLT_PPP, "8021 01010004", 2,
	    NFE_UNSUPP, RNONE, NOMPLS },
	{ "ppp vj compressed tcp is not decoded", PKT_DLT_PPP,
	    "ff03 002d 0000", 4, NFE_UNSUPP, RNONE, NOMPLS },
	{ "ppp address without control is not ip", PKT_DLT_PPP,
	    "ff05 0021 " IP4_TCP, 2, NFE_UNSUPP, RNONE, NOMPLS },
	/* PPP serial (DLT_PPP_SERIAL): PPP or Cisco HDLC framing */
	{ "ppp serial, ppp framing ipv6", PKT_DLT_PPP_SERIAL,
	    "ff03 0057 " IP6_UDP, 48, R6UDP, 0, 0, 0, 56, NOMPLS },
	{ "ppp serial, cisco unicast ipv4", PKT_DLT_PPP_SERIAL,
	    "0f00 0800 " IP4_TCP, 38, R4TCP, 0, 0, 0, 40, NOMPLS },
	{ "ppp serial, cisco broadcast mpls ipv4", PKT_DLT_PPP_SERIAL,
	    "8f00 8847 " L100 L300S IP4_TCP, 46, R4TCP, 0, 0, 0, 40,
	    2, { 0x000642, 0x0012c7, 0 } },
	{ "ppp serial, no address, compressed ipv4", PKT_DLT_PPP_SERIAL,
	    "21 " IP4_TCP, 35, R4TCP, 0, 0, 0, 40, NOMPLS },
	{ "ppp serial, cisco slarp is not ip", PKT_DLT_PPP_SERIAL,
	    "8f00 8035 00000000 0a000001 ffffff00 ffff", 4, NFE_UNSUPP,
	    RNONE, NOMPLS },
	/* Cisco HDLC (DLT_C_HDLC) */
	{ "cisco hdlc ipv6", PKT_DLT_C_HDLC, "0f00 86dd " IP6_UDP, 48,
	    R6UDP, 0, 0, 0, 56, NOMPLS },
	{ "cisco hdlc mpls, ipv6 explicit null", PKT_DLT_C_HDLC,
	    "0f00 8847 00002140 " IP6_UDP, 52, R6UDP, 0, 0, 0, 56,
	    1, { 0x000021, 0, 0 } },
	{ "cisco hdlc cdp is not ip", PKT_DLT_C_HDLC,
	    "8f00 2000 02b4 0000", 4, NFE_UNSUPP, RNONE, NOMPLS },
	/* PPPoE */
	{ "pppoe session ipv4 behind a vlan tag", PKT_DLT_EN10MB,
	    MACS "8100 0064 8864 1100 1234 002a 0021 " IP4_TCP, 60,
	    R4TCP, 100, 0, 0, 40, NOMPLS },
	{ "pppoe session, compressed protocol ipv6", PKT_DLT_EN10MB,
	    MACS "8864 1100 0001 0039 57 " IP6_UDP, 65, R6UDP, 0, 0, 0, 56, NOMPLS },
	{ "pppoe session in qinq, mpls ipv4", PKT_DLT_EN10MB,
	    MACS "88a8 00c8 8100 0064 8864 1100 0001 0032 0281 " L100 L300S
	    IP4_TCP, 72, R4TCP, 200, 100, 0, 40, 2, { 0x000642, 0x0012c7, 0 } },
	{ "pppoe discovery (padi) is not ip", PKT_DLT_EN10MB,
	    MACS "8863 1109 0000 0004 0101 0000", 14, NFE_UNSUPP, RNONE, NOMPLS },
	{ "pppoe session lcp is not ip", PKT_DLT_EN10MB,
	    MACS "8864 1100 0001 000a c021 0901 0008 01020304", 22,
	    NFE_UNSUPP, RNONE, NOMPLS },
	{ "pppoe version 2 is not understood", PKT_DLT_EN10MB,
	    MACS "8864 2100 0001 002a 0021 " IP4_TCP, 20, NFE_UNSUPP, RNONE, NOMPLS },
	{ "ppp_ether (pppoe link type) ipv4", PKT_DLT_PPP_ETHER,
	    "1100 0001 002a 0021 " IP4_TCP, 42, R4TCP, 0, 0, 0, 40, NOMPLS },
	{ "ppp_ether discovery (pado) is not ip", PKT_DLT_PPP_ETHER,
	    "1107 0000 0000", 6, NFE_UNSUPP, RNONE, NOMPLS },
	/* MPLS */
	{ "ethernet mpls three labels, ipv6 guessed", PKT_DLT_EN10MB,
	    MACS "8847 " L100 L200 L300S IP6_UDP, 70, R6UDP, 0, 0, 0, 56,
	    3, { 0x000642, 0x000c84, 0x0012c7 } },
	{ "ethernet mpls four labels: the top three kept", PKT_DLT_EN10MB,
	    MACS "8847 " L200 L100 L200 L300S IP4_TCP, 64, R4TCP, 0, 0, 0,
	    40, 4, { 0x000c84, 0x000642, 0x000c84 } },
	{ "ethernet mpls sixteen labels (the limit)", PKT_DLT_EN10MB,
	    MACS "8847 " L100 L100 L100 L100 L100 L100 L100 L100
	    L100 L100 L100 L100 L100 L100 L100 L300S IP4_TCP, 112, R4TCP,
	    0, 0, 0, 40, 16, { 0x000642, 0x000642, 0x000642 } },
	{ "ethernet mpls seventeen labels is past the limit",
	    PKT_DLT_EN10MB, MACS "8847 " L16 L300S IP4_TCP, 78, NFE_UNSUPP,
	    RNONE, NOMPLS },
	{ "vlan mpls multicast (0x8848), ipv4 explicit null",
	    PKT_DLT_EN10MB, MACS "8100 0005 8848 000001fe " IP4_TCP, 56,
	    R4TCP, 5, 0, 0, 40, 1, { 0x000001, 0, 0 } },
	{ "mpls ipv4 explicit null carrying ipv6 is malformed",
	    PKT_DLT_EN10MB, MACS "8847 000001fe " IP6_UDP, 38, NFE_FORMAT,
	    RNONE, NOMPLS },
	{ "mpls pseudowire: control word, ethernet, vlan, ipv4",
	    PKT_DLT_EN10MB, MACS "8847 013881ff 00000001 " MACS
	    "8100 00c8 0800 " IP4_TCP, 74, R4TCP, 200, 0, 0, 40,
	    1, { 0x013881, 0, 0 } },
	{ "mpls pseudowire carrying pppoe ipv6", PKT_DLT_EN10MB,
	    MACS "8100 0007 8847 " L200 L300S "00000000 " MACS
	    "8864 1100 0001 0039 57 " IP6_UDP, 95, R6UDP, 7, 0, 0, 56,
	    2, { 0x000c84, 0x0012c7, 0 } },
	{ "mpls pseudowire inside a pseudowire is not walked",
	    PKT_DLT_EN10MB, MACS "8847 " L300S "00000000 " MACS "8847 "
	    L300S "00000000 " MACS "0800 " IP4_TCP, 41, NFE_UNSUPP, RNONE, NOMPLS },
	{ "mpls pseudowire without control word, ipv6", PKT_DLT_EN10MB,
	    MACS "8847 " L300S "00000c000002 00000c000001 86dd " IP6_UDP, 76,
	    R6UDP, 0, 0, 0, 56, 1, { 0x0012c7, 0, 0 } },
	{ "mpls pseudowire, destination mac nibble 0, no control word",
	    PKT_DLT_EN10MB, MACS "8847 " L300S "00000c000002 00000c000001 "
	    "8100 0009 0800 " IP4_TCP, 70, R4TCP, 9, 0, 0, 40,
	    1, { 0x0012c7, 0, 0 } },
	{ "mpls payload of neither ip nor ethernet is not ip",
	    PKT_DLT_EN10MB, MACS "8847 " L300S "00000000 020000000002 "
	    "020000000001 0806 0001", 36, NFE_UNSUPP, RNONE, NOMPLS },
	{ "mpls associated channel (first nibble 1) is not ip",
	    PKT_DLT_EN10MB, MACS "8847 " L300S "10000021 00000000", 19,
	    NFE_UNSUPP, RNONE, NOMPLS },
	{ "linux sll mpls ipv4", PKT_DLT_LINUX_SLL,
	    "0004 0001 0006 0200000000010000 8847 " L300S IP4_TCP, 54,
	    R4TCP, 0, 0, 0, 40, 1, { 0x0012c7, 0, 0 } },
	{ "linux sll2 pppoe ipv4", PKT_DLT_LINUX_SLL2,
	    "8864 0000 00000003 0001 00 06 0200000000010000 "
	    "1100 0001 002a 0021 " IP4_TCP, 62, R4TCP, 0, 0, 3, 40, NOMPLS },
	{ "arp is not ip", PKT_DLT_EN10MB, MACS "0806 "
	    "0001 0800 0604 0001 020000000001 0a000001 000000000000 0a000002",
	    14, NFE_UNSUPP, NULL, NULL, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, NOMPLS },
	{ "802.3 llc (stp) is not ip", PKT_DLT_EN10MB, MACS "0026 "
	    "424203 000000 0000 8000020000000001", 22, NFE_UNSUPP,
	    NULL, NULL, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, NOMPLS },
	{ "five vlan tags", PKT_DLT_EN10MB, MACS "8100 0001 8100 0002 "
	    "8100 0003 8100 0004 8100 0005 0800 " IP4_TCP, 30, NFE_UNSUPP,
	    NULL, NULL, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, NOMPLS },
	{ "raw version 5", PKT_DLT_RAW, "5500 0028 0000", 1, NFE_UNSUPP,
	    NULL, NULL, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, NOMPLS },
	{ "null unknown family", PKT_DLT_NULL, "11000000 4500", 4, NFE_UNSUPP,
	    NULL, NULL, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, NOMPLS },
	{ "ipv4 header length 16", PKT_DLT_EN10MB, MACS "0800 "
	    "4400 0028 1234 4000 4006 0000 0a000001 0a000002 0000", 34,
	    NFE_FORMAT, NULL, NULL, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, NOMPLS },
	{ "ipv4 total length below header", PKT_DLT_IPV4,
	    "4600 0014 1234 4000 4006 0000 0a000001 0a000002 01010100", 20,
	    NFE_FORMAT, NULL, NULL, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, NOMPLS },
	{ "ipv6 in an ipv4 ethertype", PKT_DLT_EN10MB, MACS "0800 "
	    "60000000 0000 3b40 " V6SRC V6DST, 34,
	    NFE_FORMAT, NULL, NULL, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, NOMPLS },
	{ "ipv6 extension header past the packet", PKT_DLT_IPV6,
	    "60000000 0008 0040 " V6SRC V6DST "3b05 000000000000", 48,
	    NFE_FORMAT, NULL, NULL, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, NOMPLS },
};

static size_t
unhex(const char *s, uint8_t *out, size_t cap)
{
	size_t n = 0;
	int hi = -1, v;

	for (; *s != '\0'; s++) {
		if (*s == ' ')
			continue;
		if (*s >= '0' && *s <= '9')
			v = *s - '0';
		else if (*s >= 'a' && *s <= 'f')
			v = *s - 'a' + 10;
		else
			abort();
		if (hi < 0)
			hi = v;
		else {
			if (n == cap)
				abort();
			out[n++] = (uint8_t)(hi << 4 | v);
			hi = -1;
		}
	}
	if (hi >= 0)
		abort();
	return n;
}

static bool
pkt_matches(const struct tcase *c, const struct pkt *p)
{
	char s[ADDR_STRLEN], d[ADDR_STRLEN];
	const struct flow_key *k = &p->key;
	struct nf_addr want;
	int af;

	if (addr_parse(c->src, &want) != NFE_OK)
		abort();
	af = addr_is_v4(&want) ? 4 : 6;
	addr_format(&k->src, s, sizeof(s));
	addr_format(&k->dst, d, sizeof(d));
	if (strcmp(s, c->src) != 0 || strcmp(d, c->dst) != 0 ||
	    k->af != af || k->sport != c->sport || k->dport != c->dport ||
	    k->proto != c->proto || k->tos != c->tos ||
	    p->tcp_flags != c->flags || p->frag != c->frag ||
	    k->vlan != c->vlan || k->vlan_inner != c->vlan_inner ||
	    k->ifindex != c->ifindex || p->bytes != c->bytes ||
	    p->ts_ms != 1000 || k->pad != 0 ||
	    p->mpls_depth != c->mpls_depth ||
	    memcmp(p->mpls, c->mpls, sizeof(p->mpls)) != 0) {
		tap_diag("got af=%u %s:%u > %s:%u proto=%u tos=%u flags=0x%x "
		    "frag=%u vlan=%u/%u if=%u bytes=%u mpls=%u:%06x,%06x,%06x",
		    k->af, s, k->sport, d, k->dport, k->proto, k->tos,
		    p->tcp_flags, p->frag, k->vlan, k->vlan_inner, k->ifindex,
		    p->bytes, p->mpls_depth, p->mpls[0], p->mpls[1],
		    p->mpls[2]);
		return false;
	}
	return true;
}

static void
test_case(const struct tcase *c)
{
	struct sipkey sk = { 1, 2 };
	struct pktdecode *pd;
	struct pkt p, full;
	uint8_t frame[512];
	size_t len;
	bool sweep_ok = true;
	int rc;

	len = unhex(c->hex, frame, sizeof(frame));
	if (pktdecode_new(c->dlt, 0, &sk, &pd) != NFE_OK)
		abort();
	rc = pktdecode_frame(pd, 1000, frame, len, len, &full);
	if (tap_is_int(rc, c->rc, c->name) && rc == NFE_OK)
		tap_ok(pkt_matches(c, &full), "%s: fields", c->name);
	else
		tap_ok(rc != NFE_OK, "%s: fields (none)", c->name);

	for (size_t cut = 0; cut <= len; cut++) {
		struct pkt_extra x;
		struct pkt px;
		int rcx;

		rc = pktdecode_frame(pd, 1000, frame, cut, len, &p);
		rcx = pktdecode_frame_x(pd, 1000, frame, cut, len, &px, &x);
		if (rcx != rc || memcmp(&p, &px, sizeof(p)) != 0) {
			tap_diag("%s: prefix %zu: frame_x %s, frame %s, or "
			    "different fields", c->name, cut, nferr_str(rcx),
			    nferr_str(rc));
			sweep_ok = false;
		}
		if (cut == len)
			break;
		if (cut < c->hdr_end && rc != NFE_TRUNC) {
			tap_diag("%s: prefix %zu: %s, want truncated",
			    c->name, cut, nferr_str(rc));
			sweep_ok = false;
		} else if (cut >= c->hdr_end && (rc != c->rc ||
		    memcmp(&p, &full, sizeof(p)) != 0)) {
			tap_diag("%s: prefix %zu: %s or different fields",
			    c->name, cut, nferr_str(rc));
			sweep_ok = false;
		}
	}
	tap_ok(sweep_ok, "%s: truncation sweep", c->name);
	pktdecode_free(pd);
}

/* pktdecode_frame_x's extras: each link type that has some. */
struct xcase {
	const char	*name;
	int		 dlt;
	const char	*hex;
	uint64_t	 src_mac, dst_mac;
	uint32_t	 flow_label;
	uint8_t		 ttl, prio, has;
};

static const struct xcase xcases[] = {
	{ "x: ethernet ipv4", PKT_DLT_EN10MB, MACS "0800" IP4_TCP,
	    0x020000000001, 0x020000000002, 0, 64, 0, PKTX_MACS },
	{ "x: 802.1q pcp 5, ipv6 flow label", PKT_DLT_EN10MB,
	    "0a0b0c0d0e0f 010203040506 8100 a064 86dd "
	    "6b812345 0010 1141 " V6SRC V6DST
	    "1f90 0050 0010 0000 0102030405060708",
	    0x010203040506, 0x0a0b0c0d0e0f, 0x12345, 65, 5,
	    PKTX_MACS | PKTX_PRIO },
	{ "x: qinq, priority of the outer tag", PKT_DLT_EN10MB,
	    MACS "88a8 e0c8 8100 2064 0800" IP4_TCP,
	    0x020000000001, 0x020000000002, 0, 64, 7, PKTX_MACS | PKTX_PRIO },
	{ "x: mpls, outer macs", PKT_DLT_EN10MB,
	    MACS "8847 " L100 L200 L300S
	    "4500 0028 1234 4000 0306 0000 0a000001 0a000002 "
	    "04d2 0050 00000001 00000000 5012 ffff 0000 0000",
	    0x020000000001, 0x020000000002, 0, 3, 0, PKTX_MACS },
	{ "x: linux sll, sender's mac", PKT_DLT_LINUX_SLL,
	    "0000 0001 0006 0200000000aa0000 0800 " IP4_TCP,
	    0x0200000000aa, 0, 0, 64, 0, PKTX_SRC_MAC },
	{ "x: linux sll, not ethernet", PKT_DLT_LINUX_SLL,
	    "0000 0304 0000 0000000000000000 0800 " IP4_TCP,
	    0, 0, 0, 64, 0, 0 },
	{ "x: linux sll2 ipv6", PKT_DLT_LINUX_SLL2,
	    "86dd 0000 00000007 0001 00 06 0200000000bb0000 "
	    "600fffff 0008 3aff fe800000000000000000000000000001 "
	    "ff020000000000000000000000000001 8000 0000 0000 0000",
	    0x0200000000bb, 0, 0xfffff, 255, 0, PKTX_SRC_MAC },
	{ "x: raw ipv4", PKT_DLT_RAW, IP4_TCP, 0, 0, 0, 64, 0, 0 },
};

static void
test_extra(const struct xcase *c)
{
	struct sipkey sk = { 1, 2 };
	struct pktdecode *pd;
	struct pkt_extra x, xc;
	struct pkt p;
	uint8_t frame[512];
	size_t len;
	bool sweep_ok = true;
	int rc;

	len = unhex(c->hex, frame, sizeof(frame));
	if (pktdecode_new(c->dlt, 0, &sk, &pd) != NFE_OK)
		abort();
	rc = pktdecode_frame_x(pd, 1000, frame, len, len, &p, &x);
	tap_ok(rc == NFE_OK, "%s: decoded", c->name);
	if (!tap_ok(x.src_mac == c->src_mac && x.dst_mac == c->dst_mac &&
	    x.flow_label == c->flow_label && x.ttl == c->ttl &&
	    x.vlan_prio == c->prio && x.has == c->has, "%s: extras", c->name))
		tap_diag("got src %012" PRIx64 " dst %012" PRIx64 " label %x "
		    "ttl %u prio %u has %x", x.src_mac, x.dst_mac,
		    x.flow_label, x.ttl, x.vlan_prio, x.has);
	/* a cut frame: no extras at all; the whole one: the same again */
	for (size_t cut = 0; cut < len; cut++) {
		memset(&xc, 0xa5, sizeof(xc));
		rc = pktdecode_frame_x(pd, 1000, frame, cut, len, &p, &xc);
		if (rc != NFE_OK) {
			static const struct pkt_extra zero;

			if (memcmp(&xc, &zero, sizeof(xc)) != 0) {
				tap_diag("%s: prefix %zu: %s, extras left",
				    c->name, cut, nferr_str(rc));
				sweep_ok = false;
			}
		} else if (memcmp(&xc, &x, sizeof(x)) != 0) {
			tap_diag("%s: prefix %zu: different extras", c->name,
			    cut);
			sweep_ok = false;
		}
	}
	tap_ok(sweep_ok, "%s: truncation sweep", c->name);
	pktdecode_free(pd);
}

static int
decode_hex(struct pktdecode *pd, uint64_t ts, const char *hex, struct pkt *p)
{
	uint8_t frame[512];
	size_t len;

	len = unhex(hex, frame, sizeof(frame));
	return pktdecode_frame(pd, ts, frame, len, len, p);
}

#define F4(id, off) "4500 001c " id " " off " 4011 0000 0a000001 0a000002 "
#define F6(off, id) "60000000 0010 2c40 " V6SRC V6DST "1100 " off " " id " "

static void
test_fragments(void)
{
	struct sipkey sk = { 3, 4 };
	const struct pktdecode_stats *st;
	struct pktdecode *pd;
	struct pkt p;

	pktdecode_new(PKT_DLT_IPV4, 9, &sk, &pd);
	/* a later fragment before its first one: ports 0 */
	tap_is_int(decode_hex(pd, 1000, F4("abcd", "0002") "0000000000000000",
	    &p), NFE_OK, "early later fragment decodes");
	tap_ok(p.key.sport == 0 && p.key.dport == 0 && p.key.proto == 17 &&
	    p.frag == (PKT_FRAG | PKT_FRAG_LATER) && p.bytes == 28 &&
	    p.key.ifindex == 9, "early later fragment: ports 0, unmatched");
	tap_is_int(decode_hex(pd, 1001, "4500 0024 abcd 2000 4011 0000 "
	    "0a000001 0a000002 1000 2000 0020 0000 0000000000000000", &p),
	    NFE_OK, "first fragment decodes");
	tap_ok(p.key.sport == 0x1000 && p.key.dport == 0x2000 &&
	    p.frag == PKT_FRAG, "first fragment has ports");
	decode_hex(pd, 1002, F4("abcd", "0002") "0000000000000000", &p);
	tap_ok(p.key.sport == 0x1000 && p.key.dport == 0x2000 &&
	    p.frag == (PKT_FRAG | PKT_FRAG_LATER | PKT_FRAG_MATCHED),
	    "later fragment joins the first fragment's flow");
	decode_hex(pd, 1003, F4("abce", "0002") "0000000000000000", &p);
	tap_ok(p.key.sport == 0 && p.frag == (PKT_FRAG | PKT_FRAG_LATER),
	    "other id: unmatched");
	decode_hex(pd, 1002 + PKTDECODE_FRAG_TTL_MS,
	    F4("abcd", "0004") "0000000000000000", &p);
	tap_ok(p.key.sport == 0, "first fragment forgotten after the ttl");
	st = pktdecode_stats(pd);
	tap_ok(st->fragments == 5 && st->frags_matched == 1 &&
	    st->frags_unmatched == 3 && st->ip4 == 5 && st->frames == 5,
	    "fragment counters");
	pktdecode_free(pd);

	pktdecode_new(PKT_DLT_IPV6, 0, &sk, &pd);
	decode_hex(pd, 5, "60000000 0018 2c40 " V6SRC V6DST
	    "1100 0001 12345678 2710 2711 0018 0000 0000000000000000", &p);
	tap_ok(p.key.sport == 10000 && p.key.dport == 10001 &&
	    p.key.proto == 17 && p.frag == PKT_FRAG && p.bytes == 64,
	    "ipv6 first fragment");
	decode_hex(pd, 6, F6("0010", "12345678") "0000000000000000", &p);
	tap_ok(p.key.sport == 10000 && p.key.dport == 10001 &&
	    p.key.proto == 17 && p.frag == 7 && p.bytes == 56,
	    "ipv6 later fragment matched");
	decode_hex(pd, 7, F6("0010", "12345679") "0000000000000000", &p);
	tap_ok(p.key.sport == 0 && p.key.proto == 17 && p.frag == 3,
	    "ipv6 later fragment of another id unmatched");
	decode_hex(pd, 8, "60000000 0010 2c40 " V6SRC V6DST
	    "1100 0000 00000001 2710 2711 0008 0000", &p);
	tap_ok(p.key.sport == 10000 && p.frag == 0,
	    "ipv6 atomic fragment is a whole packet");
	pktdecode_free(pd);
}

/*
 * pktdecode_one (sFlow's sampled headers): every case decodes as
 * through a decoder of its link type, with ts and ifindex 0; a later
 * fragment stays at ports 0 though its first fragment came just before.
 */
static void
test_one(void)
{
	struct sipkey sk = { 1, 2 };
	struct pktdecode *pd;
	struct pkt p, want;
	uint8_t frame[512];
	size_t len;
	bool same = true;
	int r1, r2;

	for (size_t i = 0; i < NF_NELEM(cases); i++) {
		len = unhex(cases[i].hex, frame, sizeof(frame));
		pktdecode_new(cases[i].dlt, 0, &sk, &pd);
		r1 = pktdecode_frame(pd, 0, frame, len, len, &want);
		r2 = pktdecode_one(cases[i].dlt, frame, len, len, &p);
		if (r1 != r2 || memcmp(&p, &want, sizeof(p)) != 0) {
			tap_diag("%s: %s, want %s", cases[i].name,
			    nferr_str(r2), nferr_str(r1));
			same = false;
		}
		pktdecode_free(pd);
	}
	tap_ok(same, "pktdecode_one: every case as a decoder of its link "
	    "type decodes it");
	len = unhex("4500 0024 abcd 2000 4011 0000 0a000001 0a000002 1000 2000 "
	    "0020 0000 0000000000000000", frame, sizeof(frame));
	r1 = pktdecode_one(PKT_DLT_IPV4, frame, len, len, &p);
	tap_ok(r1 == NFE_OK && p.key.sport == 0x1000 && p.frag == PKT_FRAG,
	    "pktdecode_one: first fragment has ports");
	len = unhex(F4("abcd", "0002") "0000000000000000", frame,
	    sizeof(frame));
	r1 = pktdecode_one(PKT_DLT_IPV4, frame, len, len, &p);
	tap_ok(r1 == NFE_OK && p.key.sport == 0 && p.key.dport == 0 &&
	    p.frag == (PKT_FRAG | PKT_FRAG_LATER), "pktdecode_one: later "
	    "fragment keeps ports 0 (no table)");
	tap_is_int(pktdecode_one(4242, frame, len, len, &p), NFE_UNSUPP,
	    "pktdecode_one: unknown link type");
}

static void
test_counters_and_types(void)
{
	struct sipkey sk = { 0, 0 };
	const struct pktdecode_stats *st;
	struct pktdecode *pd;
	struct pkt p;
	uint8_t junk[2] = { 0x45, 0 };

	tap_ok(pktdecode_new(147, 0, &sk, &pd) == NFE_UNSUPP && pd == NULL,
	    "unknown link type refused");
	tap_ok(pktdecode_dlt_supported(PKT_DLT_LINUX_SLL2) &&
	    pktdecode_dlt_supported(PKT_DLT_RAW_LT) &&
	    pktdecode_dlt_supported(9) && pktdecode_dlt_supported(50) &&
	    pktdecode_dlt_supported(51) && pktdecode_dlt_supported(104) &&
	    !pktdecode_dlt_supported(105) && !pktdecode_dlt_supported(166),
	    "supported link types");
	pktdecode_new(PKT_DLT_RAW_LT, 0, &sk, &pd);
	decode_hex(pd, 0, IP4_TCP, &p);
	decode_hex(pd, 0, "60000000 0000 3b40 " V6SRC V6DST, &p);
	decode_hex(pd, 0, "7000", &p);
	decode_hex(pd, 0, "4400 0028 1234 4000 4006 0000 0a000001 0a000002",
	    &p);
	pktdecode_frame(pd, 0, junk, sizeof(junk), 60, &p);
	decode_hex(pd, 0, "4500 0018 0005 0000 4006 0000 0a000001 0a000002 "
	    "04d20050", &p);
	st = pktdecode_stats(pd);
	tap_ok(st->frames == 6 && st->ip4 == 2 && st->ip6 == 1 &&
	    st->nonip == 1 && st->malformed == 1 && st->truncated == 1 &&
	    st->short_l4 == 1, "outcome counters");
	tap_ok(p.key.af == 4 && p.key.proto == 6, "short l4 still a packet");
	pktdecode_free(pd);
	pktdecode_free(NULL);
}

static void
test_siphash(void)
{
	struct sipkey k;
	uint8_t kb[16], msg[15];
	uint64_t a, b;

	for (int i = 0; i < 16; i++)
		kb[i] = (uint8_t)i;
	for (int i = 0; i < 15; i++)
		msg[i] = (uint8_t)i;
	k.k0 = sip_le64(kb);
	k.k1 = sip_le64(kb + 8);
	tap_is_uint(siphash24(&k, msg, sizeof(msg)),
	    UINT64_C(0xa129ca6149be45e5), "siphash-2-4 reference vector");
	a = siphash13(&k, msg, sizeof(msg));
	k.k1 ^= 1;
	b = siphash13(&k, msg, sizeof(msg));
	tap_ok(a != b, "siphash-1-3 depends on the key");
}

int
main(void)
{
	tap_no_plan();
	for (size_t i = 0; i < NF_NELEM(cases); i++)
		test_case(&cases[i]);
	for (size_t i = 0; i < NF_NELEM(xcases); i++)
		test_extra(&xcases[i]);
	test_fragments();
	test_one();
	test_counters_and_types();
	test_siphash();
	return tap_done();
}
