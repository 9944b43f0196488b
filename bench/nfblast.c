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
 * Traffic mixes (-M edge|wide|mixed|long, bench/flowgen.h), each a
 * function of the seed (-s).  -x adds bench/flowgen.h's needles, so a
 * query for host 10.1.2.3 or net 192.0.2.0/24 touches a few blocks of a
 * big archive.
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
#include "bench/flowgen.h"

#define MAXDG_MAX	65000
#define BATCH		64

int
main(int argc, char **argv)
{
	struct sockaddr_in sin, src;
	const struct nf_codec *codec = &nf_codec_v9;
	const char *bind_to = NULL;
	struct nf_enc enc;
	enum flowgen_mix mix = FLOWGEN_EDGE;
	struct flowgen gen;
	uint64_t seed = 1;
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
			if (flowgen_mix_parse(optarg, &mix) != 0)
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
			seed = strtoull(optarg, NULL, 10);
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
	flowgen_init(&gen, seed, mix, needles);
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
			flowgen_next(&gen, &recs[have++], now, made++,
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
