/*
 * tests/t_filter.c -- the filter language (query/filter.h): a table of
 * (expression, record, expected match) over every keyword, comparator,
 * precedence and associativity rule, lists, masks, IPv4/IPv6, scaling
 * suffixes, comments and case; a table of errors with the position and
 * words the message must contain; column-wise evaluation against
 * per-record evaluation on random records; and concurrent compilation.
 *
 * With the argument --accept or --reject, prints the expressions of the
 * accept or reject table (one per line, newlines as \n) for
 * tests/filter_nfdump.sh, which checks them against nfdump -Z.
 */
#include "common/base/compat.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/base/addr.h"
#include "common/base/flowrec.h"
#include "common/base/nferr.h"
#include "common/ffile/fcol.h"
#include "common/ffile/ffile.h"
#include "query/filter.h"
#include "tap.h"

enum { R_TCP, R_V6, R_ICMP, R_ICMP6, R_ZERO, R_NUM };

static struct flowrec recs[R_NUM];
static struct ffile_exporter exporters[2];
static const struct filter_env env = { exporters, 2 };

static void
set_addr(struct nf_addr *a, const char *s)
{
	if (addr_parse(s, a) != NFE_OK)
		abort();
}

static void
make_records(void)
{
	struct flowrec *r;

	set_addr(&exporters[0].addr, "10.1.1.1");
	set_addr(&exporters[1].addr, "2001:db8::fe");

	r = &recs[R_TCP];		/* 10.0.0.1:1234 -> 192.168.1.2:80 */
	flowrec_init(r);
	r->first_ms = 1000;
	r->last_ms = 3000;		/* 2 s */
	r->packets = 10;
	r->bytes = 1500;		/* bps 6000, pps 5, bpp 150 */
	set_addr(&r->src, "10.0.0.1");
	set_addr(&r->dst, "192.168.1.2");
	set_addr(&r->nexthop, "10.0.0.254");
	r->in_if = 3;
	r->out_if = 4;
	r->src_as = 64496;
	r->dst_as = 70000;
	r->src_port = 1234;
	r->dst_port = 80;
	r->src_vlan = 10;
	r->dst_vlan = 20;
	r->exporter = 0;
	r->af = 4;
	r->proto = 6;
	r->tcp_flags = TCPF_SYN | TCPF_ACK;
	r->tos = 8;
	r->src_mask = 24;
	r->dst_mask = 16;
	r->engine_type = 1;
	r->engine_id = 2;
	r->flows = 1;
	r->fwd_status = 64;
	set_addr(&r->bgp_nexthop, "192.0.2.1");
	r->min_ttl = 60;
	r->max_ttl = 64;
	r->in_vrf = 5;
	r->out_vrf = 6;
	r->vlan_prio = 3;
	r->src_cvlan = 100;
	r->dst_cvlan = 200;
	r->nat_event = 4;
	set_addr(&r->nat_src, "198.51.100.7");
	set_addr(&r->nat_dst, "203.0.113.9");
	r->nat_src_port = 40000;
	r->nat_dst_port = 443;
	r->pb_start = 1024;
	r->pb_end = 2047;
	r->pb_step = 1;
	r->pb_size = 1024;
	r->in_src_mac = UINT64_C(0x001b210a0b01);
	r->in_dst_mac = UINT64_C(0x001b210a0b02);
	r->out_src_mac = UINT64_C(0x001b210a0b03);
	r->out_dst_mac = UINT64_C(0x001b210a0b04);
	r->mpls1 = 16000 << 4 | 5 << 1;
	r->mpls2 = 2 << 4;
	r->mpls3 = 300 << 4 | 1 << 1 | 1;
	r->app_id = UINT64_C(13) << 56 | 80;	/* NBAR: PANA-L7, 80 */

	r = &recs[R_V6];		/* [2001:db8::1]:53 -> [2001:db8:1::2]:5353 */
	flowrec_init(r);
	r->first_ms = 5000;
	r->last_ms = 5500;		/* 500 ms */
	r->packets = 3;
	r->bytes = 1000;		/* bps 16000, pps 6, bpp 333 */
	r->out_packets = 2;		/* a biflow: the answer */
	r->out_bytes = 700;
	set_addr(&r->src, "2001:db8::1");
	set_addr(&r->dst, "2001:db8:1::2");
	set_addr(&r->nexthop, "fe80::1");
	r->in_if = 7;
	r->src_port = 53;
	r->dst_port = 5353;
	r->exporter = 1;
	r->af = 6;
	r->proto = 17;
	r->src_mask = 48;
	r->dst_mask = 64;
	r->flows = 2;
	r->flow_label = 12345;
	set_addr(&r->bgp_nexthop, "2001:db8::99");
	set_addr(&r->nat_src, "2001:db8:ff::7");

	r = &recs[R_ICMP];		/* echo request 10.0.0.1 -> 10.0.0.2 */
	flowrec_init(r);
	r->first_ms = r->last_ms = 7000;
	r->packets = 1;
	r->bytes = 84;
	set_addr(&r->src, "10.0.0.1");
	set_addr(&r->dst, "10.0.0.2");
	r->dst_port = 8 << 8 | 0;
	r->af = 4;
	r->proto = 1;
	r->exporter = 5;		/* not in the exporter table */

	r = &recs[R_ICMP6];		/* ICMPv6 type 1 code 4 */
	flowrec_init(r);
	r->first_ms = 1;
	r->last_ms = 2;
	r->packets = 1;
	r->bytes = 7;			/* bps 56000, pps 1000, bpp 7 */
	set_addr(&r->src, "::1");
	set_addr(&r->dst, "::2");
	r->dst_port = 1 << 8 | 4;
	r->af = 6;
	r->proto = 58;
	r->exporter = 1;

	r = &recs[R_ZERO];		/* all zero but af: 0.0.0.0 */
	flowrec_init(r);
	set_addr(&r->src, "0.0.0.0");
	set_addr(&r->dst, "0.0.0.0");
	set_addr(&r->nexthop, "0.0.0.0");
	r->af = 4;
	r->flows = 0;
	r->tcp_flags = 0xff;
}

/* Expected match on R_TCP, R_V6, R_ICMP, R_ICMP6, R_ZERO as a string. */
static const struct {
	const char	*expr;
	const char	*want;
} matches[] = {
	/* meta */
	{ "", "11111" }, { "any", "11111" }, { "ANY", "11111" },
	{ "not any", "00000" }, { "# only a comment", "11111" },
	{ "inet", "10101" }, { "ipv4", "10101" }, { "inet6", "01010" },
	{ "IPv6", "01010" },
	/* addresses */
	{ "ip 10.0.0.1", "10100" }, { "host 10.0.0.1", "10100" },
	{ "src ip 10.0.0.1", "10100" }, { "dst ip 10.0.0.1", "00000" },
	{ "dst host 192.168.1.2", "10000" }, { "ip 010.000.000.001", "10100" },
	{ "ip 2001:db8::1", "01000" }, { "dst ip 2001:DB8:1::2", "01000" },
	{ "ip ::1", "00010" }, { "ip 0.0.0.0", "00001" },
	{ "ip ::ffff:10.0.0.1", "10100" },
	{ "net 10.0.0.0/8", "10100" }, { "src net 10.0.0.0/8", "10100" },
	{ "dst net 10.0.0.0/8", "00100" }, { "net 10/8", "10100" },
	{ "net 192.168/16", "10000" }, { "dst net 192.168.1/24", "10000" },
	{ "net 10.0.0.1/8", "10100" }, { "net 10.0.0.2/32", "00100" },
	{ "net 0.0.0.0/0", "10101" }, { "net ::/0", "01010" },
	{ "net 2001:db8::/32", "01000" }, { "dst net 2001:db8:1::/48", "01000" },
	{ "src net 2001:db8:1::/48", "00000" }, { "net ::/126", "00010" },
	{ "net 10.0.0.0 255.0.0.0", "10100" },
	{ "net 192.168.0.0 255.255.0.0", "10000" },
	{ "net 10.0.0.0 255.0.255.0", "10100" },	/* non-contiguous */
	{ "src net 10.0.0.0 255.255.255.255", "00000" },
	{ "ip in [10.0.0.1]", "10100" }, { "ip in [10.0.0.2, ::2]", "00110" },
	{ "src ip in [192.168.0.0/16 2001:db8::/32]", "01000" },
	{ "dst ip in [192.168.0.0/16 2001:db8::/32]", "11000" },
	{ "ip in [0.0.0.0/0]", "10101" }, { "ip in [::/0]", "01010" },
	{ "host in [10.0.0.0/30,10.0.0.1]", "10100" },
	{ "ip in [10.0.0.0/31 10.0.0.2/31 2001:db8::1]", "11100" },
	{ "next ip 10.0.0.254", "10000" }, { "next ip fe80::1", "01000" },
	{ "next ip 0.0.0.0", "00111" },
	{ "router ip 10.1.1.1", "10001" }, { "router ip 2001:db8::fe", "01010" },
	{ "not router ip 10.1.1.1", "01110" },
	/* ports */
	{ "port 80", "10000" }, { "src port 1234", "10000" },
	{ "dst port 1234", "00000" }, { "port 0x50", "10000" },
	{ "port 0X35", "01000" }, { "port = 53", "01000" },
	{ "port == 53", "01000" }, { "port eq 53", "01000" },
	{ "port > 5000", "01000" }, { "port gt 1234", "01100" },
	{ "dst port < 80", "00001" }, { "dst port lt 81", "10001" },
	{ "src port >= 1234", "10000" }, { "src port ge 54", "10000" },
	{ "dst port <= 80", "10001" }, { "dst port le 79", "00001" },
	{ "port > 0", "11110" }, { "port 2k", "00000" },
	{ "port in [80 443]", "10000" }, { "port in [53,80]", "11000" },
	{ "src port in [ 53 , 1234 ]", "11000" },
	{ "dst port in [1234]", "00000" }, { "port in [0]", "00111" },
	/* protocols */
	{ "proto tcp", "10000" }, { "proto TCP", "10000" }, { "proto 17", "01000" },
	{ "proto udp", "01000" }, { "proto icmp", "00100" },
	{ "proto icmp6", "00010" }, { "proto 0x3a", "00010" },
	{ "proto 0", "00001" }, { "proto gre", "00000" },
	{ "proto esp or proto ah or proto sctp", "00000" },
	/* icmp */
	{ "icmp-type 8", "00100" }, { "icmp-code 0", "00100" },
	{ "icmp-type 1 and icmp-code 4", "00010" }, { "icmp-type 0", "00000" },
	{ "icmp-code 80", "00000" },	/* R_TCP has dst_port 80 but is TCP */
	/* tcp flags */
	{ "flags S", "10001" }, { "flags SA", "10001" }, { "flags AS", "10001" },
	{ "flags s", "10001" }, { "flags F", "00001" }, { "flags X", "00001" },
	{ "flags EC", "00001" }, { "flags S and not flags AFRPU", "00000" },
	{ "not flags SA", "01110" }, { "not flags A", "01110" },
	{ "not (port 1 or flags S)", "01110" }, { "not not flags SA", "10001" },
	{ "not flags 0x12", "01111" },
	{ "flags 18", "10000" }, { "flags 0x12", "10000" }, { "flags > 18", "00001" },
	{ "flags 0", "01110" }, { "flags >= 64", "00001" },
	/* tos, as, interfaces, vlan, mask, engine */
	{ "tos 8", "10000" }, { "tos > 7", "10000" }, { "tos 0", "01111" },
	{ "as 64496", "10000" }, { "src as 64496", "10000" },
	{ "dst as 64496", "00000" }, { "dst as > 65535", "10000" },
	{ "as >= 70000", "10000" }, { "as in [1 70000]", "10000" },
	{ "src as in [70000]", "00000" }, { "as 0", "01111" },
	{ "if 3", "10000" }, { "in if 3", "10000" }, { "out if 3", "00000" },
	{ "if 4", "10000" }, { "out if 4", "10000" }, { "in if 7", "01000" },
	{ "vlan 10", "10000" }, { "src vlan 20", "00000" },
	{ "dst vlan 20", "10000" },
	{ "mask 16", "10000" }, { "src mask 24", "10000" }, { "dst mask 64", "01000" },
	{ "engine-type 1", "10000" }, { "engine-id 2", "10000" },
	{ "engine-id > 1", "10000" }, { "engine-type < 1", "01111" },
	/* counters and derived values */
	{ "packets 10", "10000" }, { "packets > 2", "11000" },
	{ "in packets < 2", "00111" }, { "bytes 1500", "10000" },
	{ "bytes > 1k", "10000" }, { "bytes >= 1K", "11000" },
	{ "in bytes < 100", "00111" }, { "out packets 2", "01000" },
	{ "out packets > 2", "00000" }, { "out bytes 700", "01000" },
	{ "out bytes < 1", "10111" }, { "packets 2", "00000" },
	{ "bytes 700", "00000" }, { "bytes < 1m", "11111" },
	{ "bytes < 1g and bytes < 1T", "11111" }, { "bytes > 0x5db", "10000" },
	{ "flows 1", "10110" }, { "flows 2", "01000" }, { "flows > 2", "00000" },
	{ "duration 2000", "10000" }, { "duration > 499", "11000" },
	{ "duration 0", "00101" }, { "duration 1", "00010" },
	{ "bps 6000", "10000" }, { "bps 16k", "01000" }, { "bps > 55k", "00010" },
	{ "bps 0", "00101" }, { "pps 5", "10000" }, { "pps 6", "01000" },
	{ "pps 1k", "00010" }, { "pps 0", "00101" },
	{ "bpp 150", "10000" }, { "bpp 333", "01000" }, { "bpp 84", "00100" },
	{ "bpp 0", "00001" },
	/* boolean structure: not > and > or, left associative */
	{ "port 80 or port 53 and proto tcp", "10000" },
	{ "(port 80 or port 53) and proto udp", "01000" },
	{ "port 53 and proto udp or port 80", "11000" },
	{ "not port 80 and inet", "00101" }, { "not (port 80 and inet)", "01111" },
	{ "not port 80 or port 80", "11111" }, { "! port 80", "01111" },
	{ "not not port 80", "10000" }, { "!!port 80", "10000" },
	{ "port 80 && proto tcp", "10000" }, { "port 80 || port 53", "11000" },
	{ "port 80 AND proto 6 Or ipv6", "11010" },
	{ "inet and not proto icmp and not ip 0.0.0.0", "10000" },
	{ "((((port 80))))", "10000" },
	{ "any and port 53", "01000" }, { "any or port 53", "11111" },
	{ "not any or port 53", "01000" },
	{ "port 1 or port 2 or port 3 or port 53", "01000" },
	{ "inet and inet and inet and port 80", "10000" },
	/* fields routers send */
	{ "fwdstat 64", "10000" }, { "fwdstat 0", "01111" },
	{ "bgpnext ip 192.0.2.1", "10000" },
	{ "bgpnext ip 2001:db8::99", "01000" },
	{ "min ttl 60 and max ttl >= 64", "10000" },
	{ "max  ttl < 64", "01111" },
	{ "flowlabel 12345", "01000" }, { "flowlabel > 0", "01000" },
	{ "ingress vrf 5", "10000" }, { "ingress vrf 6", "00000" },
	{ "egress vrf 6", "10000" }, { "egress vrf > 5", "10000" },
	{ "vlanprio 3", "10000" },
	{ "cvlan 100", "10000" }, { "cvlan 200", "10000" },
	{ "src cvlan 200", "00000" }, { "dst cvlan 200", "10000" },
	{ "nat event 4", "10000" }, { "nat event > 4", "00000" },
	{ "nip 198.51.100.7", "10000" }, { "src nip 198.51.100.7", "10000" },
	{ "dst nip 198.51.100.7", "00000" }, { "dst nip 203.0.113.9", "10000" },
	{ "src nip 2001:db8:ff::7", "01000" },
	{ "nip in [198.51.100.0/24 2001:db8:ff::/48]", "11000" },
	{ "src nport 40000", "10000" }, { "nport 443", "10000" },
	{ "dst nport 40000", "00000" },
	{ "pblock start 1024 and pblock end 2047 and pblock step 1",
	    "10000" }, { "pblock size > 1023", "10000" },
	{ "proto tcp and not port 53", "10000" },
	{ "mac 00:1b:21:0a:0b:01", "10000" }, { "mac 00:1B:21:0A:0B:04", "10000" },
	{ "in src mac 00:1b:21:0a:0b:01", "10000" },
	{ "in dst mac 00:1b:21:0a:0b:01", "00000" },
	{ "out dst mac 00:1b:21:0a:0b:04", "10000" },
	{ "out src mac 00:1b:21:0a:0b:03", "10000" },
	{ "in mac 00:1b:21:0a:0b:02", "10000" },
	{ "out mac 00:1b:21:0a:0b:02", "00000" },
	{ "src mac 00:1b:21:0a:0b:03", "10000" },
	{ "dst mac 00:1b:21:0a:0b:03", "00000" },
	{ "not mac 00:00:00:00:00:05", "11111" },
	{ "nat event add44", "10000" }, { "nat event ADD44", "10000" },
	{ "nat event add", "00000" }, { "nat event delete", "00000" },
	{ "nat event invalid", "01111" },
	{ "appid 13..80", "10000" }, { "appid 13:80", "10000" },
	{ "appid 13..81", "00000" }, { "not appid 13..80", "01111" },
	{ "appid 20..9..258", "00000" },
	{ "mpls label1 16000", "10000" }, { "mpls label2 > 1", "10000" },
	{ "mpls label3 = 300 and mpls label4 = 0", "10000" },
	{ "mpls exp1 5", "10000" }, { "mpls exp3 1", "10000" },
	{ "mpls exp2 > 0", "00000" }, { "mpls eos 300", "10000" },
	{ "mpls eos 0", "01111" }, { "mpls label10 > 0", "00000" },
	/* comments and lines */
	{ "port 80 # web\nor port 53", "11000" },
	{ "# header\n  proto tcp\n\tand port 80\n", "10000" },
};

static const struct {
	const char	*expr;
	int		 line, col;
	const char	*has;		/* must appear in the message */
} errors[] = {
	{ "nett 1.2.3.4", 1, 1, "unexpected 'nett', expected a filter" },
	{ "port 80 and nett 1.2.3.4", 1, 13, "'nett'" },
	{ "port 80\n  and nett", 2, 7, "'nett'" },
	{ "ip 1.2.3", 1, 4, "bad IP address '1.2.3'" },
	{ "ip 1.2.3.4.5", 1, 4, "bad IP address" },
	{ "ip 1.2.3.256", 1, 4, "bad IP address" },
	{ "ip 10", 1, 4, "bad IP address '10'" },
	{ "ip ::g", 1, 4, "bad IP address" },
	{ "ip 1.2.3.4/24", 1, 4, "bad IP address" },
	{ "net 10.0.0.0/33", 1, 5, "prefix length 33 too long" },
	{ "net 2001:db8::/129", 1, 5, "prefix length 129 too long" },
	{ "net 10.0.0.0", 1, 5, "bad prefix" },
	{ "net 10.0.0.0/", 1, 5, "bad prefix" },
	{ "net 10.0.0.0/8x", 1, 5, "bad prefix" },
	{ "net 10.0.0.0 255.0.0.256", 1, 14, "bad IPv4 netmask" },
	{ "net ::1 ffff::", 1, 9, "only valid with an IPv4" },
	{ "ip in [10.0.0.0/33]", 1, 8, "too long" },
	{ "(port 80", 1, 9, "unexpected end of input, expected 'and', 'or' or ')'" },
	{ "port 80)", 1, 8, "unexpected ')'" },
	{ "((port 80)", 1, 11, "end of input" },
	{ "()", 1, 2, "unexpected ')'" },
	{ "ip in []", 1, 8, "unexpected ']'" },
	{ "port in []", 1, 10, "unexpected ']', expected a number" },
	{ "as in [ ]", 1, 9, "unexpected ']'" },
	{ "ip in [1.2.3.4,]", 1, 16, "unexpected ']'" },
	{ "ip in [1.2.3.4,,5.6.7.8]", 1, 16, "unexpected ','" },
	{ "port in [80 443", 1, 16, "end of input" },
	{ "port in [70000]", 1, 10, "port 70000 out of range 0..65535" },
	{ "port in [80 70000 1]", 1, 13, "out of range" },
	{ "as in [4294967296]", 1, 8, "out of range" },
	{ "port 70000", 1, 6, "port '70000' out of range 0..65535" },
	{ "port 66k", 1, 6, "out of range" },
	{ "port > 0x10000", 1, 8, "out of range" },
	{ "packets > 18446744073709551616", 1, 11, "out of range" },
	{ "bytes > 18446744073709552k", 1, 9, "out of range" },
	{ "proto 256", 1, 7, "protocol '256' out of range 0..255" },
	{ "proto foo", 1, 7, "unknown protocol 'foo'" },
	{ "tos 256", 1, 5, "out of range" },
	{ "vlan 65536", 1, 6, "out of range" },
	{ "mask 129", 1, 6, "out of range" },
	{ "if 4294967296", 1, 4, "out of range" },
	{ "as 4294967296", 1, 4, "out of range" },
	{ "icmp-type 256", 1, 11, "out of range" },
	{ "engine-id 256", 1, 11, "out of range" },
	{ "flags Z", 1, 7, "bad TCP flag 'Z'" },
	{ "flags SAS", 1, 7, "repeated" },
	{ "flags 256", 1, 7, "out of range" },
	{ "port", 1, 5, "expected a comparator, a number or 'in'" },
	{ "port > ", 1, 8, "expected a number" },
	{ "port 80 port 81", 1, 9, "unexpected 'port'" },
	{ "port 80 and", 1, 12, "unexpected end of input" },
	{ "and port 80", 1, 1, "unexpected 'and'" },
	{ "not", 1, 4, "end of input" },
	{ "src", 1, 4, "expected ip, host, net" },
	{ "src if 3", 1, 5, "unexpected 'if'" },
	{ "vlan > 4", 1, 6, "unexpected '>'" },
	{ "proto > 6", 1, 7, "unexpected '>'" },
	{ "port 80 & port 81", 1, 9, "unexpected '&'" },
	{ "bytes > 1.5k", 1, 9, "unexpected '1.5k'" },
	{ "bytes > 5x", 1, 9, "unexpected '5x'" },
	{ "port 0x", 1, 6, "unexpected '0x'" },
	{ "duration > 1s", 1, 12, "unexpected '1s'" },
	{ "port eq80", 1, 6, "unexpected 'eq80'" },
	{ "flow 2", 1, 1, "unexpected 'flow'" },
	{ "next ip 1.2.3.4/24", 1, 9, "bad IP address" },
	{ "# c\n\n  (port 80", 3, 11, "end of input" },
	{ "vlanprio 8", 1, 10, "802.1Q priority" },
	{ "flowlabel > 1048576", 1, 13, "flow label" },
	{ "bgpnext ip 10", 1, 12, "bad IP address" },
	{ "mac 00:1b:21:0a:0b", 1, 5, "bad MAC address '00:1b:21:0a:0b'" },
	{ "in src mac 00:1b:21:0a:0b:0g", 1, 12, "bad MAC address" },
	{ "mac 00:1b:21:0a:0b:01:02", 1, 5, "bad MAC address" },
	{ "mpls exp1 8", 1, 11, "MPLS EXP '8' out of range 0..7" },
	{ "appid 13", 1, 7, "bad application id '13'" },
	{ "nat event bogus", 1, 11, "unexpected 'bogus', expected a "
	    "comparator or a number or an event name" },
	{ "packets many", 1, 9, "unexpected 'many', expected a comparator "
	    "or a number" },
	{ "appid 256..1", 1, 7, "bad application id" },
	{ "appid 20..1", 1, 7, "bad application id" },
};

/* An expression on one line, for TAP descriptions. */
static const char *
oneline(const char *e)
{
	static char buf[256];
	size_t n = 0;

	for (; *e != '\0' && n < sizeof(buf) - 3; e++) {
		if (*e == '\n') {
			buf[n++] = '\\';
			buf[n++] = 'n';
		} else {
			buf[n++] = *e == '\t' ? ' ' : *e;
		}
	}
	buf[n] = '\0';
	return buf;
}

/* Records are evaluated with the exporter table, both ways. */
static bool
match_both(const struct filter *f, const struct flowrec *r, bool *agree)
{
	struct fcol c;
	uint8_t sel = 2;
	bool m;

	m = filter_match(f, r, &env);
	if (fcol_init(&c, 1) != NFE_OK || fcol_put(&c, r, 1) != 1)
		abort();
	filter_eval_block(f, &c, &env, &sel, 1);
	fcol_fini(&c);
	*agree = (sel == 1) == m;
	return m;
}

static void
test_matches(void)
{
	char err[256], got[R_NUM + 1];
	struct filter *f;
	bool agree, all_agree;
	int rc;

	for (size_t i = 0; i < NF_NELEM(matches); i++) {
		rc = filter_compile(matches[i].expr, &f, err, sizeof(err));
		if (rc != NFE_OK) {
			tap_ok(false, "compile '%s': %s",
			    oneline(matches[i].expr), err);
			continue;
		}
		all_agree = true;
		for (int r = 0; r < R_NUM; r++) {
			got[r] = match_both(f, &recs[r], &agree) ? '1' : '0';
			all_agree = all_agree && agree;
		}
		got[R_NUM] = '\0';
		tap_ok(strcmp(got, matches[i].want) == 0 && all_agree,
		    "'%s' matches %s", oneline(matches[i].expr),
		    matches[i].want);
		if (strcmp(got, matches[i].want) != 0 || !all_agree)
			tap_diag("got %s, block agrees: %d", got, all_agree);
		filter_free(f);
	}
}

static void
test_errors(void)
{
	char err[256], pos[64];
	struct filter *f;
	int rc;

	for (size_t i = 0; i < NF_NELEM(errors); i++) {
		f = (struct filter *)&f;	/* must be reset to NULL */
		rc = filter_compile(errors[i].expr, &f, err, sizeof(err));
		snprintf(pos, sizeof(pos), "line %d, column %d: ",
		    errors[i].line, errors[i].col);
		tap_ok(rc == NFE_INVAL && f == NULL &&
		    strncmp(err, pos, strlen(pos)) == 0 &&
		    strstr(err, errors[i].has) != NULL,
		    "'%s' is refused at %d:%d", oneline(errors[i].expr),
		    errors[i].line,
		    errors[i].col);
		if (rc != NFE_INVAL || strncmp(err, pos, strlen(pos)) != 0 ||
		    strstr(err, errors[i].has) == NULL)
			tap_diag("rc %d, message: %s", rc, err);
	}
}

/* Deterministic generator (xorshift64*), so failures reproduce. */
static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t
rng(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dull;
}

#define NRAND	5000

static struct flowrec rrec[NRAND];

static void
random_addr(struct nf_addr *a, bool v6)
{
	if (v6) {
		uint8_t b[16] = { 0x20, 0x01, 0x0d, 0xb8 };

		b[5] = (uint8_t)(rng() % 3);
		b[15] = (uint8_t)(rng() % 4);
		addr_from_v6(a, b);
	} else {
		addr_from_v4(a, 0x0a000000u | (uint32_t)(rng() % 4) << 8 |
		    (uint32_t)(rng() % 4));
	}
}

static void
make_random(struct fcol *c)
{
	static const uint8_t protos[] = { 1, 6, 17, 58, 47 };
	static const uint16_t ports[] = { 0, 22, 53, 80, 443, 1024, 65535 };

	for (size_t i = 0; i < NRAND; i++) {
		struct flowrec *r = &rrec[i];
		bool v6 = rng() % 3 == 0;

		flowrec_init(r);
		r->af = v6 ? 6 : 4;
		random_addr(&r->src, v6);
		random_addr(&r->dst, v6);
		random_addr(&r->nexthop, rng() % 2);
		r->first_ms = rng() % 10000;
		r->last_ms = r->first_ms + (rng() % 4 == 0 ? 0 : rng() % 5000);
		r->packets = rng() % 4 == 0 ? 0 : rng() % 2000;
		r->bytes = r->packets * (rng() % 1500);
		r->proto = protos[rng() % NF_NELEM(protos)];
		r->src_port = ports[rng() % NF_NELEM(ports)];
		r->dst_port = ports[rng() % NF_NELEM(ports)];
		r->tcp_flags = (uint8_t)rng();
		r->tos = (uint8_t)(rng() % 4);
		r->in_if = (uint32_t)(rng() % 4);
		r->out_if = (uint32_t)(rng() % 4);
		r->src_as = (uint32_t)(rng() % 3);
		r->dst_as = (uint32_t)(rng() % 3);
		r->src_vlan = (uint16_t)(rng() % 3);
		r->dst_vlan = (uint16_t)(rng() % 3);
		r->src_mask = (uint8_t)(rng() % 3 * 8);
		r->dst_mask = (uint8_t)(rng() % 3 * 8);
		r->engine_type = (uint8_t)(rng() % 2);
		r->engine_id = (uint8_t)(rng() % 2);
		r->exporter = (uint16_t)(rng() % 3);
		r->flows = (uint32_t)(rng() % 3);
	}
	if (fcol_init(c, NRAND) != NFE_OK || fcol_put(c, rrec, NRAND) != NRAND)
		abort();
}

static const char *const random_exprs[] = {
	"port 80", "not port 80 and proto tcp or host 10.0.1.2",
	"(src net 10.0.0.0/23 or dst net 2001:db8:0:0:1::/80) and not flags S",
	"ip in [10.0.0.1 10.0.2.0/24 2001:db8::3 2001:db8:2::/48] and bytes > 1k",
	"port in [22 53 443] or (pps > 100 and bpp < 500) or duration 0",
	"proto udp and (dst port 53 or src port 53) and not inet6",
	"bps > 1m or packets < 10 and not (tos 1 or tos 2)",
	"as in [1 2] and if 3 or vlan 2 and mask 16 or engine-type 1",
	"router ip 10.1.1.1 or next ip 2001:db8:1::1 and flags 0x12",
	"icmp-type 0 or icmp-code 22 or flows > 1",
	"not (port > 1000 or port < 30) and not (proto 47 or proto 58)",
	/* and-chains (filter_eval_block's narrowing path) */
	"proto tcp and dst port > 100 and bytes > 1k",
	"src net 10.0.0.0/8 and packets > 2 and not proto 17 and duration > 0",
};

static void
test_random(void)
{
	static uint8_t sel[NRAND];
	struct fcol c;
	struct filter *f;
	char err[256], big[64 * 1100];
	size_t bad, hits, want_hits;
	int rc;

	make_random(&c);
	for (size_t e = 0; e <= NF_NELEM(random_exprs) + 1; e++) {
		const char *expr = big;

		if (e < NF_NELEM(random_exprs)) {
			expr = random_exprs[e];
		} else if (e == NF_NELEM(random_exprs)) {
			/* hashed list groups: 2000 misses around 6 hits */
			strcpy(big, "src ip in [10.0.1.1 10.0.2.3 "
			    "2001:db8:1::2 2001:db8:2::3");
			for (int i = 0; i < 1000; i++)
				snprintf(big + strlen(big), sizeof(big) -
				    strlen(big), " 10.%d.%d.1 2001:db8::%x:1",
				    1 + i / 200, i % 200, i + 0x100);
			strcat(big, " 10.0.3.0/30, 10.0.3.0/30]");
		} else {
			/* 1100 tests: past the column-wise limit */
			big[0] = '\0';
			for (int i = 0; i < 1100; i++)
				snprintf(big + strlen(big), sizeof(big) -
				    strlen(big), "%sbytes %d", i ? " or " : "",
				    i * 7);
		}
		if ((rc = filter_compile(expr, &f, err, sizeof(err))) != NFE_OK) {
			tap_ok(false, "compile random expr %zu: %s", e, err);
			continue;
		}
		memset(sel, 7, sizeof(sel));
		hits = filter_eval_block(f, &c, &env, sel, NRAND);
		bad = want_hits = 0;
		for (size_t i = 0; i < NRAND; i++) {
			bool m = filter_match(f, &rrec[i], &env);

			want_hits += m;
			if (sel[i] != (uint8_t)m)
				bad++;
		}
		if (e == NF_NELEM(random_exprs)) {
			/* the hashed list against an or-chain of its hits */
			struct filter *o;
			size_t diff = 0;

			if (filter_compile("src ip 10.0.1.1 or src ip 10.0.2.3 "
			    "or src ip 2001:db8:1::2 or src ip 2001:db8:2::3 or "
			    "src net 10.0.3.0/30", &o, err, sizeof(err)) != NFE_OK)
				abort();
			for (size_t i = 0; i < NRAND; i++)
				diff += filter_match(o, &rrec[i], &env) !=
				    (sel[i] == 1);
			tap_ok(diff == 0, "a 2000-entry hashed list selects what "
			    "an or-chain of its hits does");
			filter_free(o);
		}
		tap_ok(bad == 0 && hits == want_hits && want_hits > 0 &&
		    want_hits < NRAND, "block == per record on %d random "
		    "records: %.40s (%zu match)", NRAND, expr, want_hits);
		if (bad != 0)
			tap_diag("%zu rows differ", bad);
		filter_free(f);
	}
	fcol_fini(&c);
}

static void
test_api(void)
{
	char err[256], dump[512];
	struct filter *f;
	int rc;

	rc = filter_compile("port 80 and bps > 1k or router ip 10.1.1.9", &f,
	    err, sizeof(err));
	tap_ok(rc == NFE_OK, "compile for filter_columns");
	if (rc != NFE_OK)
		return;
	tap_is_uint(filter_columns(f), FCOL_BIT(FCOL_SRC_PORT) |
	    FCOL_BIT(FCOL_DST_PORT) | FCOL_BIT(FCOL_FIRST) |
	    FCOL_BIT(FCOL_LAST) | FCOL_BIT(FCOL_BYTES) | FCOL_BIT(FCOL_EXPORTER),
	    "filter_columns names what the filter reads");
	tap_is_uint(filter_size(f), 4, "four tests");
	filter_dump(f, dump, sizeof(dump));
	tap_ok(strncmp(dump, "0: src_port == 80 ? 2 : 1\n", 26) == 0,
	    "dump starts with the first test");
	filter_free(f);
	rc = filter_compile("router ip 10.1.1.1", &f, err, sizeof(err));
	tap_ok(rc == NFE_OK && !filter_match(f, &recs[R_TCP], NULL) &&
	    filter_match(f, &recs[R_TCP], &env),
	    "router ip needs the exporter table");
	filter_free(f);
	filter_free(NULL);

	rc = filter_compile("any", &f, err, sizeof(err));
	tap_ok(rc == NFE_OK && filter_columns(f) == 0 && filter_size(f) == 0,
	    "any reads no column");
	filter_free(f);
	rc = filter_compile("nett", &f, err, 0);
	tap_ok(rc == NFE_INVAL && f == NULL, "errlen 0 is allowed");
	rc = filter_compile("port 80 and nett", &f, err, 20);
	tap_ok(rc == NFE_INVAL && strlen(err) == 19, "message is truncated");
}

/* Deep nesting and long chains: refused or compiled, never a crash. */
static void
test_limits(void)
{
	size_t n = 200000;
	char *s = malloc(n * 12 + 16), *p, err[256];
	struct filter *f;
	int rc;

	if (s == NULL)
		abort();
	memset(s, '(', n);
	strcpy(s + n, "port 80");
	rc = filter_compile(s, &f, err, sizeof(err));
	tap_ok(rc == NFE_LIMIT && f == NULL && strstr(err, "deep") != NULL,
	    "200000 parentheses are refused: %s", err);
	p = s;
	for (size_t i = 0; i < 3000; i++)
		p += sprintf(p, "not ");
	strcpy(p, "port 80");
	rc = filter_compile(s, &f, err, sizeof(err));
	tap_ok(rc == NFE_OK && filter_match(f, &recs[R_TCP], NULL),
	    "3000 nots compile and cancel: %s", err);
	filter_free(f);
	p = s + sprintf(s, "port 1");
	for (size_t i = 1; i < 70000; i++)
		p += sprintf(p, " or port 1");
	rc = filter_compile(s, &f, err, sizeof(err));
	tap_ok(rc == NFE_LIMIT && f == NULL, "140000 tests are refused: %s",
	    err);
	free(s);
}

/* Compile on several threads at once: no shared parser state. */
static void *
compile_many(void *arg)
{
	char err[256];
	struct filter *f;
	long ok = 0;

	(void)arg;
	for (int i = 0; i < 300; i++) {
		if (filter_compile(i % 2 ? "src net 10.0.0.0/8 and port in "
		    "[80 443] or not flags S" : "ip in [10.0.0.1 ::1] and "
		    "nett", &f, err, sizeof(err)) == (i % 2 ? NFE_OK : NFE_INVAL))
			ok++;
		filter_free(f);
	}
	return (void *)ok;
}

static void
test_threads(void)
{
	pthread_t th[4];
	void *ret;
	long ok = 0;

	for (int i = 0; i < 4; i++)
		pthread_create(&th[i], NULL, compile_many, NULL);
	for (int i = 0; i < 4; i++) {
		pthread_join(th[i], &ret);
		ok += (long)ret;
	}
	tap_is_int(ok, 1200, "4 threads compile 300 filters each");
}

static void
print_table(bool accept)
{
	size_t n = accept ? NF_NELEM(matches) : NF_NELEM(errors);

	for (size_t i = 0; i < n; i++) {
		const char *e = accept ? matches[i].expr : errors[i].expr;

		for (; *e != '\0'; e++) {
			if (*e == '\n')
				fputs("\\n", stdout);
			else
				putchar(*e);
		}
		putchar('\n');
	}
}

/*
 * --match EXPR FILE: evaluate EXPR on the records of FILE (written by
 * tests/filter_nfsend.py, exporter 127.0.0.1) and print the source
 * AS numbers (unique there) of those that match, one line.  Exit 2 if EXPR does not compile.
 */
static int
match_file(const char *expr, const char *path)
{
	struct ffile_exporter x[1];
	struct filter_env xenv = { x, 1 };
	char line[512], src[64], dst[64], nh[64], err[256];
	unsigned v[17];
	struct filter *f;
	struct flowrec r;
	FILE *fh;

	memset(x, 0, sizeof(x));
	set_addr(&x[0].addr, "127.0.0.1");
	if (filter_compile(expr, &f, err, sizeof(err)) != NFE_OK) {
		fprintf(stderr, "%s\n", err);
		return 2;
	}
	if ((fh = fopen(path, "r")) == NULL) {
		filter_free(f);
		return 1;
	}
	while (fgets(line, sizeof(line), fh) != NULL) {
		if (sscanf(line, "%63s %63s %63s %u %u %u %u %u %u %u %u %u %u "
		    "%u %u %u %u %u %u %u", src, dst, nh, &v[0], &v[1], &v[2],
		    &v[3], &v[4], &v[5], &v[6], &v[7], &v[8], &v[9], &v[10],
		    &v[11], &v[12], &v[13], &v[14], &v[15], &v[16]) != 20)
			continue;
		flowrec_init(&r);
		set_addr(&r.src, src);
		set_addr(&r.dst, dst);
		set_addr(&r.nexthop, nh);
		r.af = 4;
		r.in_if = v[0];
		r.out_if = v[1];
		r.packets = v[2];
		r.bytes = v[3];
		r.first_ms = v[4];
		r.last_ms = v[5];
		r.src_port = (uint16_t)v[6];
		r.dst_port = (uint16_t)v[7];
		r.tcp_flags = (uint8_t)v[8];
		r.proto = (uint8_t)v[9];
		r.tos = (uint8_t)v[10];
		r.src_as = v[11];
		r.dst_as = v[12];
		r.src_mask = (uint8_t)v[13];
		r.dst_mask = (uint8_t)v[14];
		r.engine_type = (uint8_t)v[15];
		r.engine_id = (uint8_t)v[16];
		if (filter_match(f, &r, &xenv))
			printf("%u ", (unsigned)r.src_as);
	}
	printf("\n");
	fclose(fh);
	filter_free(f);
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc == 4 && strcmp(argv[1], "--match") == 0)
		return match_file(argv[2], argv[3]);
	if (argc > 1) {
		print_table(strcmp(argv[1], "--accept") == 0);
		return 0;
	}
	make_records();
	tap_no_plan();
	test_matches();
	test_errors();
	test_random();
	test_api();
	test_limits();
	test_threads();
	return tap_done();
}
