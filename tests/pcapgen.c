/*
 * tests/pcapgen.c -- the capture generator's pcap writer and frame
 * builders (see pcapgen.h).
 */
#include "common/base/compat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/pcapgen.h"

static FILE *out;
static int linktype;

void
pcapgen_open(FILE *fp)
{
	out = fp;
}

static void
put32(uint32_t v)
{
	uint8_t b[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16),
	    (uint8_t)(v >> 24) };

	fwrite(b, 1, 4, out);
}

void
pcap_header(int lt)
{
	linktype = lt;
	put32(0xa1b2c3d4);
	put32(2 | 4u << 16);		/* version 2.4 */
	put32(0);
	put32(0);
	put32(65535);
	put32((uint32_t)lt);
}

void
pcap_record(uint64_t ts_us, const uint8_t *p, size_t caplen, size_t wirelen)
{
	put32((uint32_t)(ts_us / SEC));
	put32((uint32_t)(ts_us % SEC));
	put32((uint32_t)caplen);
	put32((uint32_t)wirelen);
	fwrite(p, 1, caplen, out);
}

/* ---- frame building ---- */

const uint8_t mac_a[6] = { 2, 0, 0, 0, 0, 1 };
const uint8_t mac_b[6] = { 2, 0, 0, 0, 0, 2 };

/* Link header for the file's link type; af 4 or 6 (0: ARP, Ethernet). */
void
link_hdr(struct frame *f, int af, const uint16_t *vids, int ntags)
{
	uint16_t et = af == 4 ? 0x0800 : af == 6 ? 0x86dd : 0x0806;

	wbuf_init(&f->w, f->buf, sizeof(f->buf));
	switch (linktype) {
	case LT_EN10MB:
		wbuf_bytes(&f->w, mac_b, 6);
		wbuf_bytes(&f->w, mac_a, 6);
		for (int i = 0; i < ntags; i++) {
			wbuf_be16(&f->w, i == 0 && ntags > 1 ? 0x88a8 : 0x8100);
			wbuf_be16(&f->w, vids[i]);
		}
		wbuf_be16(&f->w, et);
		break;
	case LT_SLL:
		wbuf_be16(&f->w, 0);		/* to us */
		wbuf_be16(&f->w, 1);		/* ARPHRD_ETHER */
		wbuf_be16(&f->w, 6);
		wbuf_bytes(&f->w, mac_a, 6);
		wbuf_zero(&f->w, 2);
		wbuf_be16(&f->w, et);
		break;
	case LT_SLL2:
		wbuf_be16(&f->w, et);
		wbuf_zero(&f->w, 2);
		wbuf_be32(&f->w, 3);		/* ifindex */
		wbuf_be16(&f->w, 1);
		wbuf_u8(&f->w, 0);
		wbuf_u8(&f->w, 6);
		wbuf_bytes(&f->w, mac_a, 6);
		wbuf_zero(&f->w, 2);
		break;
	case LT_NULL:
		wbuf_le32(&f->w, af == 4 ? 2 : 30);
		break;
	case LT_LOOP:
		wbuf_be32(&f->w, af == 4 ? 2 : 24);
		break;
	default:
		break;
	}
	f->l3 = wbuf_len(&f->w);
}

void
ip4_hdr(struct frame *f, uint32_t src, uint32_t dst, uint8_t proto,
    uint8_t tos, uint16_t totlen, uint16_t id, uint16_t fragoff,
    size_t optlen)
{
	wbuf_u8(&f->w, (uint8_t)(0x40 | (20 + optlen) / 4));
	wbuf_u8(&f->w, tos);
	wbuf_be16(&f->w, totlen);
	wbuf_be16(&f->w, id);
	wbuf_be16(&f->w, fragoff);
	wbuf_u8(&f->w, 64);
	wbuf_u8(&f->w, proto);
	wbuf_be16(&f->w, 0);
	wbuf_be32(&f->w, src);
	wbuf_be32(&f->w, dst);
	for (size_t i = 0; i < optlen; i++)	/* NOPs, then EOL */
		wbuf_u8(&f->w, i + 1 < optlen ? 1 : 0);
}

void
ip6_addr(uint8_t a[16], uint32_t net, uint32_t host)
{
	memset(a, 0, 16);
	a[0] = 0x20;
	a[1] = 0x01;
	a[2] = 0x0d;
	a[3] = 0xb8;
	a[4] = (uint8_t)(net >> 24);
	a[5] = (uint8_t)(net >> 16);
	a[6] = (uint8_t)(net >> 8);
	a[7] = (uint8_t)net;
	a[12] = (uint8_t)(host >> 24);
	a[13] = (uint8_t)(host >> 16);
	a[14] = (uint8_t)(host >> 8);
	a[15] = (uint8_t)host;
}

void
ip6_hdr(struct frame *f, uint32_t src, uint32_t dst, uint8_t nh,
    uint8_t tc, uint16_t plen)
{
	uint8_t a[16];

	wbuf_be32(&f->w, 6u << 28 | (uint32_t)tc << 20);
	wbuf_be16(&f->w, plen);
	wbuf_u8(&f->w, nh);
	wbuf_u8(&f->w, 64);
	ip6_addr(a, 0, src);
	wbuf_bytes(&f->w, a, 16);
	ip6_addr(a, 0, dst);
	wbuf_bytes(&f->w, a, 16);
}

void
tcp_hdr(struct frame *f, uint16_t sp, uint16_t dp, uint8_t flags)
{
	wbuf_be16(&f->w, sp);
	wbuf_be16(&f->w, dp);
	wbuf_be32(&f->w, 1);
	wbuf_be32(&f->w, 0);
	wbuf_u8(&f->w, 0x50);
	wbuf_u8(&f->w, flags);
	wbuf_be16(&f->w, 65535);
	wbuf_be32(&f->w, 0);
}

void
ports_hdr(struct frame *f, uint16_t sp, uint16_t dp, uint16_t len)
{
	wbuf_be16(&f->w, sp);
	wbuf_be16(&f->w, dp);
	wbuf_be16(&f->w, len);		/* UDP length / SCTP tag half */
	wbuf_be16(&f->w, 0);
}

/* Pad the frame to the IP packet's full length and write it. */
void
emit(struct frame *f, uint64_t ts, size_t iplen)
{
	size_t have = wbuf_len(&f->w) - f->l3;

	if (iplen > have)
		wbuf_zero(&f->w, iplen - have);
	if (!wbuf_ok(&f->w)) {
		fprintf(stderr, "gen_pcap: frame too large\n");
		exit(1);
	}
	pcap_record(ts, f->buf, wbuf_len(&f->w), wbuf_len(&f->w));
}
