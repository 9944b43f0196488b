/*
 * tests/pcapgen.h -- what the cases of the capture generator
 * (tests/gen_pcap*.c) share: a writer of classic pcap files
 * (microseconds, little endian, no libpcap needed) and builders of
 * Ethernet / cooked / loopback / raw frames with IPv4, IPv6, TCP and
 * UDP headers on struct wbuf.  One file is written at a time.
 */
#ifndef TESTS_PCAPGEN_H
#define TESTS_PCAPGEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "common/base/buf.h"

#define T0		UINT64_C(1700000000000000)	/* us */
#define SEC		UINT64_C(1000000)

#define LT_NULL		0
#define LT_EN10MB	1
#define LT_PPP		9
#define LT_PPP_HDLC	50	/* DLT_PPP_SERIAL */
#define LT_PPP_ETHER	51
#define LT_RAW		101
#define LT_C_HDLC	104
#define LT_LOOP		108
#define LT_SLL		113
#define LT_IPV4		228
#define LT_IPV6		229
#define LT_SLL2		276

#define A4(x)	(UINT32_C(0x0a000000) | (x))	/* 10.0.0.x */

struct frame {
	uint8_t		buf[2048];
	struct wbuf	w;
	size_t		l3;		/* offset of the IP header */
};

extern const uint8_t mac_a[6], mac_b[6];

/* Write to fp (borrowed) from now on. */
void	pcapgen_open(FILE *fp);
/* File header for link type lt; link_hdr builds frames of that type. */
void	pcap_header(int lt);
void	pcap_record(uint64_t ts_us, const uint8_t *p, size_t caplen,
	    size_t wirelen);

/* Link header of the file's link type; af 4 or 6 (0: ARP, Ethernet). */
void	link_hdr(struct frame *f, int af, const uint16_t *vids, int ntags);
void	ip4_hdr(struct frame *f, uint32_t src, uint32_t dst, uint8_t proto,
	    uint8_t tos, uint16_t totlen, uint16_t id, uint16_t fragoff,
	    size_t optlen);
/* 2001:db8:<net>::<host> */
void	ip6_addr(uint8_t a[16], uint32_t net, uint32_t host);
void	ip6_hdr(struct frame *f, uint32_t src, uint32_t dst, uint8_t nh,
	    uint8_t tc, uint16_t plen);
void	tcp_hdr(struct frame *f, uint16_t sp, uint16_t dp, uint8_t flags);
void	ports_hdr(struct frame *f, uint16_t sp, uint16_t dp, uint16_t len);
/* Pad the frame to the IP packet's full length (from f->l3) and write it. */
void	emit(struct frame *f, uint64_t ts, size_t iplen);

/* Cases in tests/gen_pcap_links.c */
void	case_ppp(void);
void	case_pppserial(void);
void	case_chdlc(void);
void	case_pppoe(void);
void	case_pppether(void);
void	case_mpls(void);

/* tests/gen_pcap_demo.c */
void	case_demo(void);

/* tests/gen_pcap_mix.c: opts are "name=value" strings (modified) */
void	case_mix(uint64_t npkts, uint64_t seed, int nopts, char **opts);

/* tests/gen_pcap_variant.c: in's packets to out (borrowed) as fmt */
void	case_variant(const char *in, FILE *out, const char *fmt);

#endif /* TESTS_PCAPGEN_H */
