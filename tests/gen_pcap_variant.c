/*
 * tests/gen_pcap_variant.c -- the same packets in another file format,
 * for tests/probe_readers.sh: flowprobe must find the same flows
 * whichever reader (probe/pcapfile or libpcap) takes the file.
 *
 *   gen_pcap variant FILE IN FORMAT
 *     writes FILE from IN, a classic little-endian microsecond pcap
 *     file (what the other cases write); FORMAT is
 *       be      classic, big-endian
 *       ns      classic, nanosecond times
 *       bens    classic, big-endian, nanosecond times
 *       pcapng  pcapng: a section header, one interface, an enhanced
 *               packet block per packet (libpcap reads it)
 */
#include "common/base/compat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/base/buf.h"
#include "tests/pcapgen.h"

static FILE *vout;

static void
out32(uint32_t v, bool be)
{
	uint8_t b[4];

	for (int i = 0; i < 4; i++)
		b[i] = (uint8_t)(be ? v >> (24 - 8 * i) : v >> (8 * i));
	fwrite(b, 1, 4, vout);
}

static void
out16(uint16_t v, bool be)
{
	uint8_t b[2] = { (uint8_t)(be ? v >> 8 : v), (uint8_t)(be ? v : v >> 8) };

	fwrite(b, 1, 2, vout);
}

static uint8_t *
slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	uint8_t *b = NULL;
	size_t cap = 0, n;

	*len = 0;
	if (fp == NULL) {
		perror(path);
		exit(1);
	}
	do {
		if (*len == cap && (b = realloc(b, cap = cap * 2 + 65536)) ==
		    NULL)
			exit(1);
		n = fread(b + *len, 1, cap - *len, fp);
		*len += n;
	} while (n > 0);
	fclose(fp);
	return b;
}

void
case_variant(const char *in, FILE *out, const char *fmt)
{
	struct rbuf r;
	uint32_t magic, snaplen, lt, sec, frac, caplen, wirelen;
	uint8_t *b;
	size_t len;
	bool be = strcmp(fmt, "be") == 0 || strcmp(fmt, "bens") == 0;
	bool ns = strcmp(fmt, "ns") == 0 || strcmp(fmt, "bens") == 0;
	bool ng = strcmp(fmt, "pcapng") == 0;

	if (!be && !ns && !ng) {
		fprintf(stderr, "gen_pcap variant: format be, ns, bens or "
		    "pcapng\n");
		exit(2);
	}
	vout = out;
	b = slurp(in, &len);
	rbuf_init(&r, b, len);
	magic = rbuf_le32(&r);
	rbuf_skip(&r, 12);
	snaplen = rbuf_le32(&r);
	lt = rbuf_le32(&r);
	if (!rbuf_ok(&r) || magic != 0xa1b2c3d4) {
		fprintf(stderr, "gen_pcap variant: %s: not a little-endian "
		    "microsecond pcap file\n", in);
		exit(1);
	}
	if (ng) {
		out32(0x0a0d0d0a, false);		/* section header */
		out32(28, false);
		out32(0x1a2b3c4d, false);
		out16(1, false);
		out16(0, false);
		out32(0xffffffff, false);		/* length unknown */
		out32(0xffffffff, false);
		out32(28, false);
		out32(1, false);			/* interface */
		out32(20, false);
		out16((uint16_t)lt, false);
		out16(0, false);
		out32(snaplen, false);
		out32(20, false);
	} else {
		out32(ns ? 0xa1b23c4d : 0xa1b2c3d4, be);
		out16(2, be);
		out16(4, be);
		out32(0, be);
		out32(0, be);
		out32(snaplen, be);
		out32(lt, be);
	}
	while (rbuf_remaining(&r) > 0) {
		const uint8_t *data;
		uint64_t ts;

		sec = rbuf_le32(&r);
		frac = rbuf_le32(&r);
		caplen = rbuf_le32(&r);
		wirelen = rbuf_le32(&r);
		data = rbuf_ptr(&r);
		if (!rbuf_skip(&r, caplen)) {
			fprintf(stderr, "gen_pcap variant: %s: truncated\n", in);
			exit(1);
		}
		if (ng) {
			uint32_t pad = (4 - caplen % 4) % 4;

			ts = (uint64_t)sec * 1000000 + frac;
			out32(6, false);		/* enhanced packet */
			out32(32 + caplen + pad, false);
			out32(0, false);
			out32((uint32_t)(ts >> 32), false);
			out32((uint32_t)ts, false);
			out32(caplen, false);
			out32(wirelen, false);
			fwrite(data, 1, caplen, out);
			fwrite("\0\0\0", 1, pad, out);
			out32(32 + caplen + pad, false);
			continue;
		}
		out32(sec, be);
		out32(ns ? frac * 1000 : frac, be);
		out32(caplen, be);
		out32(wirelen, be);
		fwrite(data, 1, caplen, out);
	}
	free(b);
}
