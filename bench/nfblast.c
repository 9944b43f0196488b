/*
 * bench/nfblast.c -- NetFlow v9 / IPFIX replayer for the collector
 * benchmark.
 *
 *   nfblast [-n flows] [-s seed] [-m bytes] [-v 9|10] [-b source]
 *           -r flows_per_sec host port
 *
 * Builds a stream of v9 (or, with -v 10, IPFIX) export packets with
 * flowkit's own encoders (common/codec/codec.h: templates refreshed
 * every 20 packets, sequence numbers per RFC 3954 / RFC 7011) from
 * synthetic flows that look like an edge router's:
 * 20000 internal hosts talking to 200000 external ones, mostly TCP
 * and UDP on well-known and ephemeral ports, heavy-tailed packet and
 * byte counts, times spread over the last minute.  The whole stream is
 * encoded before sending starts, then sent with sendmmsg(2) paced in
 * 1 ms slices so that flows_per_sec is kept on average.  Prints
 * "datagrams D records R seconds S" (records actually sent).  -m sets
 * the datagram size limit (default 1400, at most 65000): large
 * datagrams take the per-datagram kernel cost out of the comparison.
 * -b sends from that source address (127.0.0.2, ... on loopback), so
 * that several senders are several exporters, as on a real network.
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

static uint64_t rs;

static uint32_t
rnd(void)
{
	rs = rs * 6364136223846793005ULL + 1442695040888963407ULL;
	return (uint32_t)(rs >> 33);
}

static void
make_flow(struct flowrec *r, uint64_t now_ms)
{
	static const uint16_t well[] = { 80, 443, 53, 22, 25, 123, 993, 8080 };
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

int
main(int argc, char **argv)
{
	struct sockaddr_in sin, src;
	const struct nf_codec *codec = &nf_codec_v9;
	const char *bind_to = NULL;
	struct nf_enc enc;
	struct flowrec recs[1024];
	struct mmsghdr mm[BATCH];
	struct iovec iov[BATCH];
	uint8_t *dg;
	uint32_t *dglen, *dgrec;
	uint64_t nflows = 3000000, rate = 0, now, sent_rec = 0, sent_dg = 0;
	uint64_t nd = 0, done = 0, t0, target;
	size_t len, used, have = 0, maxdg = 1400, per;
	struct timespec ts;
	int ch, fd;

	rs = 1;
	while ((ch = getopt(argc, argv, "b:m:n:r:s:v:")) != -1) {
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
	if (argc - optind != 2 || rate == 0) {
usage:
		fprintf(stderr, "usage: nfblast [-n flows] [-s seed] [-m bytes] "
		    "[-v 9|10] [-b source] -r flows_per_sec host port\n");
		return 2;
	}
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)atoi(argv[optind + 1]));
	if (inet_pton(AF_INET, argv[optind], &sin.sin_addr) != 1) {
		fprintf(stderr, "nfblast: numeric IPv4 host expected\n");
		return 2;
	}
	/* encode the whole stream first */
	now = time_now_ms();
	per = maxdg / 120 + 1;		/* fewest records in a datagram */
	dg = malloc((size_t)(nflows / per + 100) * maxdg);
	dglen = calloc(nflows / per + 100, sizeof(*dglen));
	dgrec = calloc(nflows / per + 100, sizeof(*dgrec));
	if (dg == NULL || dglen == NULL || dgrec == NULL)
		return 1;
	codec->enc_init(&enc, 1, now - 86400000);
	enc.max_size = maxdg;
	while (done < nflows && nd < nflows / per + 100) {
		while (have < NF_NELEM(recs) && done + have < nflows)
			make_flow(&recs[have++], now);
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
	if ((fd = socket(AF_INET, SOCK_DGRAM, 0)) == -1 ||
	    (bind_to != NULL && bind(fd, (struct sockaddr *)&src,
	    sizeof(src)) == -1) ||
	    connect(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1) {
		perror("nfblast");
		return 1;
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
		n = sendmmsg(fd, mm, (unsigned)k, 0);
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
	close(fd);
	free(dg);
	free(dglen);
	free(dgrec);
	return 0;
}
