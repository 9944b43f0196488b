/*
 * bench/nfblast.c -- NetFlow v9 / IPFIX replayer for the collector and
 * query benchmarks.
 *
 *   nfblast [-n flows] [-s seed] [-m bytes] [-v 9|10] [-b source]
 *           [-M mix] [-x] -r flows_per_sec host port [port...]
 *
 * Builds a stream of v9 (or, with -v 10, IPFIX) export packets with
 * flowkit's own encoders (common/codec/codec.h: templates refreshed
 * every 20 packets, sequence numbers per RFC 3954 / RFC 7011) from
 * synthetic flows, then sends it with sendmmsg(2)
 * paced in 1 ms slices so that flows_per_sec is kept on average.  With
 * several ports every datagram goes to each of them (two collectors fed
 * the same stream).  Prints "datagrams D records R seconds S" (records
 * actually sent, per destination).  -m sets the datagram size limit
 * (default 1400, at most 65000): large datagrams take the per-datagram
 * kernel cost out of the comparison.  -b sends from that source
 * address (127.0.0.2, ... on loopback), so that several senders are
 * several exporters, as on a real network.
 *
 * Traffic mixes (-M), each a function of the seed (-s):
 *   edge   (default) an edge router: 20000 internal hosts talking to
 *          200000 external ones, mostly TCP and UDP on well-known and
 *          ephemeral ports, heavy-tailed packet and byte counts, times
 *          spread over the last minute;
 *   wide   many distinct addresses: internal hosts anywhere in 10/8,
 *          external ones anywhere in the IPv4 space, random ports on
 *          both sides, 5% ICMP, 64 interfaces, random AS numbers;
 *   mixed  edge-like, a quarter of the flows IPv6 (2001:db8::/32 inside,
 *          random global addresses outside);
 *   long   long-flow heavy: 2000 hosts, 10^3..10^6 packets, durations
 *          up to five minutes.
 * -x adds needles: in three stretches of the stream (at 25%, 50% and
 * 75%, 3000 flows each) every hundredth flow is host 10.1.2.3 talking
 * to 192.0.2.x, addresses no mix produces otherwise, so a query for
 * either touches a few blocks of a big archive.
 */
#include "common/base/compat.h"

#include <sys/socket.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/base/flowrec.h"
#include "common/base/nferr.h"
#include "common/base/timeutil.h"
#include "common/codec/codec.h"

#define MAXDG_MAX	65000
#define BATCH		64

enum mix { MIX_EDGE, MIX_WIDE, MIX_MIXED, MIX_LONG };

static uint64_t rs;

static uint32_t
rnd(void)
{
	rs = rs * 6364136223846793005ULL + 1442695040888963407ULL;
	return (uint32_t)(rs >> 33);
}

static const uint16_t well[] = { 80, 443, 53, 22, 25, 123, 993, 8080 };

/* The edge mix (the default; its draws are those of earlier versions). */
static void
edge_flow(struct flowrec *r, uint64_t now_ms)
{
	uint32_t in = 0x0a000000u | (rnd() % 20000);
	uint32_t out = 0x50000000u + (rnd() % 200000) * 97;
	uint32_t dur = rnd() % 60000;
	uint32_t sz = rnd() % 100;
	bool up = rnd() & 1;

	flowrec_init(r);
	addr_from_v4(&r->src, up ? in : out);
	addr_from_v4(&r->dst, up ? out : in);
	addr_from_v4(&r->nexthop, 0x0a0000fe);
	r->proto = (rnd() % 10) < 7 ? 6 : 17;
	r->src_port = up ? (uint16_t)(32768 + rnd() % 28000) :
	    well[rnd() % NF_NELEM(well)];
	r->dst_port = up ? well[rnd() % NF_NELEM(well)] :
	    (uint16_t)(32768 + rnd() % 28000);
	r->packets = sz < 60 ? 1 + rnd() % 4 : sz < 95 ? 5 + rnd() % 100 :
	    100 + rnd() % 100000;
	r->bytes = r->packets * (40 + rnd() % 1400);
	r->tcp_flags = r->proto == 6 ? (uint8_t)(0x10 | (rnd() & 0x1f)) : 0;
	r->tos = (rnd() % 8) == 0 ? 0xb8 : 0;
	r->in_if = 1 + rnd() % 4;
	r->out_if = 5 + rnd() % 4;
	r->src_as = up ? 64512 : 1000 + rnd() % 5000;
	r->dst_as = up ? 1000 + rnd() % 5000 : 64512;
	r->src_mask = 24;
	r->dst_mask = 16;
	r->last_ms = now_ms - rnd() % 1000;
	r->first_ms = r->last_ms - dur;
}

/* Many distinct addresses and ports. */
static void
wide_flow(struct flowrec *r, uint64_t now_ms)
{
	uint32_t in = 0x0a000000u | (rnd() & 0xffffff);
	uint32_t out = rnd() | 0x01000000u;
	uint32_t sz = rnd() % 100, p = rnd() % 100;
	bool up = rnd() & 1;

	if ((out >> 24) == 10 || (out >> 24) >= 224)
		out ^= 0x40000000u;
	flowrec_init(r);
	addr_from_v4(&r->src, up ? in : out);
	addr_from_v4(&r->dst, up ? out : in);
	addr_from_v4(&r->nexthop, 0x0a000001u + rnd() % 16);
	r->proto = p < 70 ? 6 : p < 95 ? 17 : 1;
	if (r->proto == 1) {
		r->dst_port = (uint16_t)((rnd() % 2 ? 8 : 3) << 8 | rnd() % 4);
	} else {
		r->src_port = (uint16_t)(1 + rnd() % 65535);
		r->dst_port = rnd() % 2 ? well[rnd() % NF_NELEM(well)] :
		    (uint16_t)(1 + rnd() % 65535);
	}
	r->packets = sz < 60 ? 1 + rnd() % 4 : sz < 95 ? 5 + rnd() % 100 :
	    100 + rnd() % 100000;
	r->bytes = r->packets * (40 + rnd() % 1400);
	r->tcp_flags = r->proto == 6 ? (uint8_t)(rnd() & 0x3f) : 0;
	r->tos = (uint8_t)(rnd() % 4 * 8);
	r->in_if = 1 + rnd() % 64;
	r->out_if = 1 + rnd() % 64;
	r->src_as = rnd() % 400000;
	r->dst_as = rnd() % 400000;
	r->src_mask = (uint8_t)(8 + rnd() % 25);
	r->dst_mask = (uint8_t)(8 + rnd() % 25);
	r->last_ms = now_ms - rnd() % 1000;
	r->first_ms = r->last_ms - rnd() % 120000;
}

static void
v6_addr(struct nf_addr *a, bool inside, uint32_t host)
{
	uint8_t b[16];

	for (int i = 0; i < 16; i++)
		b[i] = (uint8_t)rnd();
	if (inside) {
		memcpy(b, "\x20\x01\x0d\xb8", 4);
		b[4] = b[5] = 0;
		b[12] = (uint8_t)(host >> 24);
		b[13] = (uint8_t)(host >> 16);
		b[14] = (uint8_t)(host >> 8);
		b[15] = (uint8_t)host;
	} else
		b[0] = 0x2a;
	addr_from_v6(a, b);
}

/* Edge-like, a quarter IPv6. */
static void
mixed_flow(struct flowrec *r, uint64_t now_ms)
{
	bool up;

	edge_flow(r, now_ms);
	if (rnd() % 4 != 0)
		return;
	up = r->src.a[12] == 10;	/* edge_flow: the inside host sent */
	r->af = 6;
	v6_addr(up ? &r->src : &r->dst, true, rnd() % 20000);
	v6_addr(up ? &r->dst : &r->src, false, 0);
	v6_addr(&r->nexthop, true, 0xfe);
	r->src_mask = 64;
	r->dst_mask = 48;
}

/* Long flows: few hosts, big counters, long durations. */
static void
long_flow(struct flowrec *r, uint64_t now_ms)
{
	uint32_t in = 0x0a000000u | (rnd() % 2000);
	uint32_t out = 0x50000000u + (rnd() % 5000) * 97;
	bool up = rnd() & 1;

	flowrec_init(r);
	addr_from_v4(&r->src, up ? in : out);
	addr_from_v4(&r->dst, up ? out : in);
	addr_from_v4(&r->nexthop, 0x0a0000fe);
	r->proto = (rnd() % 10) < 8 ? 6 : 17;
	r->src_port = up ? (uint16_t)(32768 + rnd() % 28000) :
	    well[rnd() % NF_NELEM(well)];
	r->dst_port = up ? well[rnd() % NF_NELEM(well)] :
	    (uint16_t)(32768 + rnd() % 28000);
	r->packets = 1000 + rnd() % 1000000;
	r->bytes = r->packets * (500 + rnd() % 1000);
	r->tcp_flags = r->proto == 6 ? 0x1b : 0;
	r->in_if = 1 + rnd() % 4;
	r->out_if = 5 + rnd() % 4;
	r->src_as = up ? 64512 : 1000 + rnd() % 500;
	r->dst_as = up ? 1000 + rnd() % 500 : 64512;
	r->src_mask = 24;
	r->dst_mask = 16;
	r->last_ms = now_ms - rnd() % 1000;
	r->first_ms = r->last_ms - rnd() % 300000;
}

/* Flow i of n in mix m (-x: with the needles). */
static void
make_flow(struct flowrec *r, uint64_t now_ms, enum mix m, bool needles,
    uint64_t i, uint64_t n)
{
	uint64_t q;

	switch (m) {
	case MIX_WIDE:	wide_flow(r, now_ms); break;
	case MIX_MIXED:	mixed_flow(r, now_ms); break;
	case MIX_LONG:	long_flow(r, now_ms); break;
	default:	edge_flow(r, now_ms); break;
	}
	if (!needles || n < 4 * 3000)
		return;
	for (q = 1; q <= 3; q++)
		if (i >= n * q / 4 && i < n * q / 4 + 3000 &&
		    (i - n * q / 4) % 100 == 0)
			break;
	if (q > 3)
		return;
	r->af = 4;
	addr_from_v4(&r->src, 0x0a010203u);		/* 10.1.2.3 */
	addr_from_v4(&r->dst, 0xc0000200u | (rnd() % 256)); /* 192.0.2.x */
	addr_from_v4(&r->nexthop, 0x0a0000fe);
	r->src_mask = 24;
	r->dst_mask = 24;
}

int
main(int argc, char **argv)
{
	struct sockaddr_in sin, src;
	const struct nf_codec *codec = &nf_codec_v9;
	const char *bind_to = NULL;
	struct nf_enc enc;
	enum mix mix = MIX_EDGE;
	bool needles = false;
	int fds[8], nfd = 0;
	struct flowrec recs[1024];
	struct mmsghdr mm[BATCH];
	struct iovec iov[BATCH];
	uint8_t *dg;
	uint32_t *dglen, *dgrec;
	uint64_t nflows = 3000000, rate = 0, now, sent_rec = 0, sent_dg = 0;
	uint64_t nd = 0, done = 0, made = 0, t0, target;
	size_t len, used, have = 0, maxdg = 1400, per;
	struct timespec ts;
	int ch, fd;

	rs = 1;
	while ((ch = getopt(argc, argv, "b:M:m:n:r:s:v:x")) != -1) {
		switch (ch) {
		case 'b':
			bind_to = optarg;
			break;
		case 'v':
			if (strcmp(optarg, "9") == 0)
				codec = &nf_codec_v9;
			else if (strcmp(optarg, "10") == 0)
				codec = &nf_codec_ipfix;
			else
				goto usage;
			break;
		case 'M':
			if (strcmp(optarg, "edge") == 0)
				mix = MIX_EDGE;
			else if (strcmp(optarg, "wide") == 0)
				mix = MIX_WIDE;
			else if (strcmp(optarg, "mixed") == 0)
				mix = MIX_MIXED;
			else if (strcmp(optarg, "long") == 0)
				mix = MIX_LONG;
			else
				goto usage;
			break;
		case 'x':
			needles = true;
			break;
		case 'm':
			maxdg = strtoul(optarg, NULL, 10);
			if (maxdg < 200 || maxdg > MAXDG_MAX)
				goto usage;
			break;
		case 'n':
			nflows = strtoull(optarg, NULL, 10);
			break;
		case 'r':
			rate = strtoull(optarg, NULL, 10);
			break;
		case 's':
			rs = strtoull(optarg, NULL, 10);
			break;
		default:
			goto usage;
		}
	}
	if (argc - optind < 2 || argc - optind > 1 + (int)NF_NELEM(fds) ||
	    rate == 0) {
usage:
		fprintf(stderr, "usage: nfblast [-n flows] [-s seed] [-m bytes] "
		    "[-v 9|10] [-b source] [-M edge|wide|mixed|long] [-x] "
		    "-r flows_per_sec host port [port...]\n");
		return 2;
	}
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	if (inet_pton(AF_INET, argv[optind], &sin.sin_addr) != 1) {
		fprintf(stderr, "nfblast: numeric IPv4 host expected\n");
		return 2;
	}
	/* encode the whole stream first */
	now = time_now_ms();
	per = maxdg / 80 + 1;		/* fewest records in a datagram */
	dg = malloc((size_t)(nflows / per + 100) * maxdg);
	dglen = calloc(nflows / per + 100, sizeof(*dglen));
	dgrec = calloc(nflows / per + 100, sizeof(*dgrec));
	if (dg == NULL || dglen == NULL || dgrec == NULL)
		return 1;
	codec->enc_init(&enc, 1, now - 86400000);
	enc.max_size = maxdg;
	while (done < nflows && nd < nflows / per + 100) {
		while (have < NF_NELEM(recs) && done + have < nflows)
			make_flow(&recs[have++], now, mix, needles, made++,
			    nflows);
		if (codec->encode(&enc, now, recs, have, dg + nd * maxdg,
		    maxdg, &len, &used) != NFE_OK || len == 0)
			return 1;
		dglen[nd] = (uint32_t)len;
		dgrec[nd] = (uint32_t)used;
		nd++;
		done += used;
		memmove(recs, recs + used, (have - used) * sizeof(recs[0]));
		have -= used;
	}
	memset(&src, 0, sizeof(src));
	src.sin_family = AF_INET;
	if (bind_to != NULL && inet_pton(AF_INET, bind_to, &src.sin_addr) !=
	    1) {
		fprintf(stderr, "nfblast: -b: numeric IPv4 address expected\n");
		return 2;
	}
	for (int a = optind + 1; a < argc; a++) {
		sin.sin_port = htons((uint16_t)atoi(argv[a]));
		if ((fd = socket(AF_INET, SOCK_DGRAM, 0)) == -1 ||
		    (bind_to != NULL && bind(fd, (struct sockaddr *)&src,
		    sizeof(src)) == -1) ||
		    connect(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1) {
			perror("nfblast");
			return 1;
		}
		fds[nfd++] = fd;
	}
	/* paced send: by now, rate * elapsed flows should be out */
	t0 = time_mono_ms();
	for (uint64_t i = 0; i < nd;) {
		int k = 0, n;

		target = (time_mono_ms() - t0 + 1) * rate / 1000;
		if (sent_rec >= target) {
			ts.tv_sec = 0;
			ts.tv_nsec = 200000;
			nanosleep(&ts, NULL);
			continue;
		}
		for (uint64_t r = sent_rec; k < BATCH && i + (uint64_t)k < nd &&
		    r < target; k++) {
			iov[k].iov_base = dg + (i + (uint64_t)k) * maxdg;
			iov[k].iov_len = dglen[i + (uint64_t)k];
			memset(&mm[k], 0, sizeof(mm[k]));
			mm[k].msg_hdr.msg_iov = &iov[k];
			mm[k].msg_hdr.msg_iovlen = 1;
			r += dgrec[i + (uint64_t)k];
		}
		/* every destination gets what the first took */
		n = sendmmsg(fds[0], mm, (unsigned)k, 0);
		for (int d = 1; d < nfd && n > 0; d++)
			for (int got = 0; got < n;) {
				int m = sendmmsg(fds[d], mm + got,
				    (unsigned)(n - got), 0);

				if (m > 0)
					got += m;
				else if (errno == ENOBUFS || errno == EAGAIN)
					got++;		/* as below */
				else if (errno != EINTR &&
				    errno != ECONNREFUSED) {
					perror("nfblast: sendmmsg");
					return 1;
				}
			}
		if (n <= 0) {
			if (errno == ENOBUFS || errno == EAGAIN) {
				/* counted as sent: it left our hands */
				n = 1;
			} else if (errno == ECONNREFUSED) {
				continue;
			} else {
				perror("nfblast: sendmmsg");
				return 1;
			}
		}
		for (int j = 0; j < n; j++) {
			sent_rec += dgrec[i];
			sent_dg++;
			i++;
		}
	}
	printf("datagrams %" PRIu64 " records %" PRIu64 " seconds %.3f\n",
	    sent_dg, sent_rec, (double)(time_mono_ms() - t0) / 1000.0);
	/* freed so that a sanitizer build (tests use it) exits cleanly */
	for (int d = 0; d < nfd; d++)
		close(fds[d]);
	free(dg);
	free(dglen);
	free(dgrec);
	return 0;
}
