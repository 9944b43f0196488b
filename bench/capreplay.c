/*
 * bench/capreplay.c -- flowcapd's decode/write path without sockets, for
 * CPU and instruction counts per flow that the network does not blur.
 *
 *   capreplay [-n flows] [-v 5|9|10] [-m bytes] [-e exporters] [-s seed]
 *             [-M mix] [-r rounds] [-w workers] [-l dir]
 *
 * Encodes the flows first (bench/flowgen.h's synthetic flows, the edge
 * mix unless -M names another, with flowkit's encoders; each of the -e
 * exporters, a distinct source address, gets its own encoder and its
 * datagrams in turn), then hands every datagram to worker_datagram() as one of
 * flowcapd's workers would (the one that owns its exporter, of -w; 1 by
 * default), -r times over (after the first round the templates are
 * known, as in a long run); every 32 datagrams (a receive batch) the
 * worker publishes and the writer takes the messages (collect_pump),
 * with collect_tick() every 256 datagrams; at the end the workers
 * finish and the file is completed.  All in one thread: no sockets, no
 * waiting.  Only that part is timed (getrusage: user + system) and it
 * is the function replay(), so that callgrind can count it alone:
 *
 *   valgrind --tool=callgrind --toggle-collect=replay bench/capreplay ...
 *
 * Prints "datagrams D flows F stored S cpu_s C cpu_s_per_Mflow X".
 * Files go to a temporary directory (removed) unless -l names one.
 */
#include "common/base/compat.h"

#include <sys/resource.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collector/collect.h"
#include "collector/steer.h"
#include "collector/worker.h"
#include "common/base/flowrec.h"
#include "common/base/nferr.h"
#include "common/base/timeutil.h"
#include "common/codec/codec.h"
#include "bench/flowgen.h"
#include "common/codec/nf5.h"
#include "common/ffile/zcodec.h"
#include "common/prog/log.h"

#define MAXDG		65000
#define MAX_EXPORTERS	256
#define CAPOPTS_QUEUE_PER_WORKER (64u << 20)	/* flowcapd's -Q default */

struct stream {
	uint8_t		*dg;		/* owned: nd datagrams of maxdg bytes */
	uint32_t	*len;		/* owned */
	uint16_t	*exp;		/* owned: exporter of each */
	size_t		 nd, cap, maxdg;
	uint64_t	 flows;
};

static int
build(struct stream *s, int version, uint64_t nflows, size_t nexp,
    uint64_t now, struct flowgen *gen)
{
	static struct nf_enc enc[MAX_EXPORTERS];
	const struct nf_codec *codec = nf_codec_by_version((uint16_t)version);
	struct flowrec recs[1024];
	size_t have = 0, len, used, k = 0;

	for (size_t i = 0; i < nexp; i++) {
		codec->enc_init(&enc[i], 1, now - 86400000);
		enc[i].max_size = s->maxdg;
	}
	s->cap = nflows / 8 + 64;
	s->dg = malloc(s->cap * s->maxdg);
	s->len = calloc(s->cap, sizeof(*s->len));
	s->exp = calloc(s->cap, sizeof(*s->exp));
	if (s->dg == NULL || s->len == NULL || s->exp == NULL)
		return NFE_NOMEM;
	while (s->flows < nflows) {
		for (; have < NF_NELEM(recs) && s->flows + have < nflows;
		    have++)
			flowgen_next(gen, &recs[have], now, s->flows + have,
			    nflows);
		if (s->nd == s->cap)
			return NFE_LIMIT;
		if (codec->encode(&enc[k], now, recs, have,
		    s->dg + s->nd * s->maxdg, s->maxdg, &len, &used) !=
		    NFE_OK || len == 0)
			return NFE_INTERNAL;
		s->len[s->nd] = (uint32_t)len;
		s->exp[s->nd] = (uint16_t)k;
		s->nd++;
		s->flows += used;
		memmove(recs, recs + used, (have - used) * sizeof(recs[0]));
		have -= used;
		k = (k + 1) % nexp;
	}
	return NFE_OK;
}

static double
cpu_s(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	    (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

/* The measured part: every datagram through its worker, and the writer. */
void	replay(struct collect *c, struct worker_shared *sh,
	    const struct stream *s, unsigned rounds);

void
replay(struct collect *c, struct worker_shared *sh, const struct stream *s,
    unsigned rounds)
{
	uint64_t now = time_now_ms();
	struct nf_addr src[MAX_EXPORTERS];
	unsigned owner[MAX_EXPORTERS];

	for (size_t k = 0; k < MAX_EXPORTERS; k++) {
		addr_from_v4(&src[k], 0xc0000200u + (uint32_t)k);
		owner[k] = steer_owner(&src[k], (unsigned)sh->nworkers);
	}
	for (unsigned r = 0; r < rounds; r++)
		for (size_t i = 0; i < s->nd; i++) {
			worker_datagram(sh->w[owner[s->exp[i]]],
			    s->dg + i * s->maxdg, s->len[i], &src[s->exp[i]],
			    2055, now);
			if (i % 32 == 31) {
				for (size_t w = 0; w < sh->nworkers; w++)
					worker_publish(sh->w[w]);
				(void)collect_pump(c, SIZE_MAX);
			}
			if (i % 256 == 255) {
				c->mono_ms = time_mono_ms();
				collect_tick(c, false);
			}
		}
	collect_drain(c);
	collect_fini(c);
}

int
main(int argc, char **argv)
{
	static struct collect c;
	static struct collect_conf cc;
	static struct worker_shared sh;
	static struct worker w[STEER_MAX_WORKERS];
	static struct worker *wp[STEER_MAX_WORKERS];
	size_t nw = 1;
	struct stream s;
	char tmpl[] = "/tmp/capreplay.XXXXXX", err[512], cmd[600];
	const char *dir = NULL;
	uint64_t nflows = 1000000, stored, seed = 1;
	enum flowgen_mix mix = FLOWGEN_EDGE;
	struct flowgen gen;
	size_t nexp = 1;
	unsigned rounds = 1;
	int version = 9, ch;
	double t0, t1;

	memset(&s, 0, sizeof(s));
	s.maxdg = 1400;
	while ((ch = getopt(argc, argv, "e:l:M:m:n:r:s:v:w:")) != -1) {
		switch (ch) {
		case 'w':
			nw = strtoul(optarg, NULL, 10);
			if (nw < 1 || nw > STEER_MAX_WORKERS)
				goto usage;
			break;
		case 'e':
			nexp = strtoul(optarg, NULL, 10);
			if (nexp < 1 || nexp > MAX_EXPORTERS)
				goto usage;
			break;
		case 'l':
			dir = optarg;
			break;
		case 'm':
			s.maxdg = strtoul(optarg, NULL, 10);
			if (s.maxdg < 200 || s.maxdg > MAXDG)
				goto usage;
			break;
		case 'M':
			if (flowgen_mix_parse(optarg, &mix) != 0)
				goto usage;
			break;
		case 'n':
			nflows = strtoull(optarg, NULL, 10);
			break;
		case 'r':
			rounds = (unsigned)strtoul(optarg, NULL, 10);
			break;
		case 's':
			seed = strtoull(optarg, NULL, 10);
			break;
		case 'v':
			version = atoi(optarg);
			if (version != 5 && version != 9 && version != 10)
				goto usage;
			break;
		default:
			goto usage;
		}
	}
	if (optind != argc || nflows == 0 || rounds == 0) {
usage:
		fprintf(stderr, "usage: capreplay [-n flows] [-v 5|9|10] "
		    "[-m bytes] [-e exporters] [-s seed] "
		    "[-M edge|wide|mixed|long] [-r rounds] [-w workers] "
		    "[-l dir]\n");
		return 2;
	}
	if (version == 5 && s.maxdg < NF5_MAX_DGRAM)
		s.maxdg = NF5_MAX_DGRAM;
	log_init("capreplay", LOG_DEST_STDERR, LOG_WARNING);
	flowgen_init(&gen, seed, mix, false);
	if (build(&s, version, nflows, nexp, time_now_ms(), &gen) != NFE_OK) {
		fprintf(stderr, "capreplay: cannot encode the stream\n");
		return 1;
	}
	if (dir == NULL && (dir = mkdtemp(tmpl)) == NULL) {
		perror("capreplay: mkdtemp");
		return 1;
	}
	cc.spool.dir = dir;
	cc.spool.interval = 3600;
	cc.spool.codec = ZC_LZ4;
	cc.spool.hold_max = SPOOL_DEF_HOLD;
	cc.nworkers = nw;
	worker_shared_init(&sh, nw, wp, 0);
	sh.drain = collect_drain_cb;
	sh.drain_arg = &c;
	for (size_t i = 0; i < nw; i++) {
		wp[i] = &w[i];
		if (worker_init(&w[i], (unsigned)i, &sh, NULL,
		    CAPOPTS_QUEUE_PER_WORKER, 0, NULL, err, sizeof(err)) !=
		    NFE_OK) {
			fprintf(stderr, "capreplay: %s\n", err);
			return 1;
		}
	}
	if (collect_init(&c, &cc, &sh, err, sizeof(err)) != NFE_OK) {
		fprintf(stderr, "capreplay: %s\n", err);
		return 1;
	}
	t0 = cpu_s();
	replay(&c, &sh, &s, rounds);
	t1 = cpu_s();
	stored = c.spool.stored;
	printf("datagrams %zu flows %" PRIu64 " stored %" PRIu64 " cpu_s %.3f "
	    "cpu_s_per_Mflow %.3f\n", s.nd * rounds, s.flows * rounds, stored,
	    t1 - t0, (t1 - t0) / ((double)(s.flows * rounds) / 1e6));
	if (dir == tmpl) {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpl);
		if (system(cmd) != 0)
			fprintf(stderr, "capreplay: could not remove %s\n",
			    tmpl);
	}
	for (size_t i = 0; i < nw; i++)
		worker_fini(&w[i]);
	worker_shared_fini(&sh);
	free(s.dg);
	free(s.len);
	free(s.exp);
	return stored == s.flows * rounds ? 0 : 1;
}
