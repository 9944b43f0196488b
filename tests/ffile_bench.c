/*
 * tests/ffile_bench.c -- flow file microbenchmark (not a test; timings
 * are printed, never asserted).
 *
 *   ffile_bench [-n records] [-p] [-c codec] [-5 port]
 *
 * Generates records (tests/ffgen.c, mixed IPv4/IPv6), writes them with
 * each codec and reports bytes per flow, write speed, full-read speed
 * (every column materialised as struct flowrec) and a 3-column read
 * (srcaddr, bytes, first: what a top-N by source needs).  -p also
 * measures each codec without byte planes.  -5 PORT makes the records
 * IPv4, encodes them as NetFlow v5 datagrams, sends those to
 * 127.0.0.1:PORT (e.g. an nfcapd) and benchmarks the records as decoded
 * back from the same datagrams, so both collectors store the same
 * flows.
 */
#include "common/base/compat.h"

#include <sys/socket.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/base/nferr.h"
#include "common/codec/nf5.h"
#include "common/codec/nfdecode.h"
#include "common/ffile/fcol.h"
#include "common/ffile/ffile.h"
#include "common/ffile/zcodec.h"
#include "ffgen.h"

#define T0	UINT64_C(1700000000000)

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct coll {
	struct flowrec	*r;
	size_t		 n, cap;
};

static int
collect(void *arg, const struct flowrec *rec)
{
	struct coll *c = arg;

	if (c->n < c->cap)
		c->r[c->n++] = *rec;
	return NFE_OK;
}

/* Send recs as v5 to 127.0.0.1:port; replace them by their decoding. */
static size_t
via_v5(struct flowrec *recs, size_t n, int port)
{
	struct nf5_enc_params prm;
	struct nf5_enc_result res;
	struct nf_decode_ctx ctx;
	struct nf_dgram_info info;
	struct sockaddr_in sin;
	struct coll c;
	uint8_t buf[NF5_MAX_DGRAM];
	size_t i = 0, sent = 0;
	int fd;

	c.r = calloc(n, sizeof(*c.r));
	c.n = 0;
	c.cap = n;
	memset(&ctx, 0, sizeof(ctx));
	addr_from_v4(&ctx.exporter, 0x7f000001);
	ctx.sink = collect;
	ctx.arg = &c;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)port);
	sin.sin_addr.s_addr = htonl(0x7f000001);
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	memset(&prm, 0, sizeof(prm));
	prm.boot_ms = T0 - 3600000;
	while (i < n) {
		prm.export_ms = recs[i].last_ms + 1000;
		nf5_encode(&prm, recs + i, n - i, buf, sizeof(buf), &res);
		i += res.consumed;
		if (res.len == 0)
			continue;
		prm.flow_seq += (uint32_t)res.written;
		ctx.recv_ms = prm.export_ms;
		nf_decode(buf, res.len, &ctx, &info);
		sendto(fd, buf, res.len, 0, (struct sockaddr *)&sin,
		    sizeof(sin));
		if (++sent % 64 == 0)
			usleep(1000);	/* stay under the receiver's buffer */
	}
	close(fd);
	memcpy(recs, c.r, c.n * sizeof(*recs));
	free(c.r);
	fprintf(stderr, "sent %zu v5 datagrams, %zu records\n", sent, c.n);
	return c.n;
}

static void
bench(const char *name, int codec, int level, bool planes,
    const struct flowrec *recs, size_t n)
{
	struct ffile_wopts o;
	struct ffile_writer *w;
	struct ffile_reader *r;
	struct ffile_blockbuf b;
	struct flowrec out;
	struct fcol c;
	char err[256];
	const char *path = ffgen_path("bench");
	double t, tw, tr, tq;
	uint64_t size, sum = 0;

	ffile_wopts_init(&o);
	o.codec = codec;
	o.level = level;
	o.no_shuffle = !planes;
	t = now();
	if (ffile_writer_open(path, &o, &w) != NFE_OK ||
	    ffile_writer_add(w, recs, n) != NFE_OK) {
		fprintf(stderr, "write failed\n");
		exit(1);
	}
	size = ffile_writer_bytes(w);
	ffile_writer_close(w);
	tw = now() - t;
	if (ffile_open(path, 0, &r, err, sizeof(err)) != NFE_OK) {
		fprintf(stderr, "%s\n", err);
		exit(1);
	}
	size = ffile_info(r)->file_size;
	ffile_blockbuf_init(&b);
	fcol_init(&c, FFILE_BLOCK_RECS);
	t = now();
	for (size_t i = 0; i < ffile_info(r)->nblocks; i++) {
		ffile_load_block(r, i, FCOL_ALL, &b, &c, err, sizeof(err));
		for (size_t k = 0; k < c.n; k++) {
			fcol_get(&c, k, &out);
			sum += out.bytes;
		}
	}
	tr = now() - t;
	t = now();
	for (size_t i = 0; i < ffile_info(r)->nblocks; i++) {
		ffile_load_block(r, i, FCOL_BIT(FCOL_SRC) |
		    FCOL_BIT(FCOL_BYTES) | FCOL_BIT(FCOL_FIRST), &b, &c, err,
		    sizeof(err));
		for (size_t k = 0; k < c.n; k++)
			sum += c.bytes[k] + c.src[k].a[15];
	}
	tq = now() - t;
	printf("%-8s %-6s %9.2f %10.1f %12.1f %12.1f %14.1f\n", name,
	    planes ? "yes" : "no", (double)size / (double)n,
	    (double)n / tw / 1e6, (double)n / tr / 1e6, (double)n / tq / 1e6,
	    (double)n * sizeof(struct flowrec) / tr / 1e6);
	if (sum == 42)
		printf("\n");
	fcol_fini(&c);
	ffile_blockbuf_fini(&b);
	ffile_close(r);
	unlink(path);
}

int
main(int argc, char **argv)
{
	static const struct { const char *name; int codec, level; } cs[] = {
		{ "none", ZC_NONE, 0 }, { "lz4", ZC_LZ4, 0 },
		{ "lz4:9", ZC_LZ4, 9 },
		{ "zlib:1", ZC_ZLIB, 1 }, { "zlib:6", ZC_ZLIB, 6 },
		{ "zlib:9", ZC_ZLIB, 9 },
	};
	size_t n = 1000000;
	int ch, port = 0, planes_too = 0;
	const char *only = NULL;
	struct flowrec *recs;

	while ((ch = getopt(argc, argv, "n:pc:5:")) != -1) {
		switch (ch) {
		case 'n':
			n = strtoul(optarg, NULL, 10);
			break;
		case 'p':
			planes_too = 1;
			break;
		case 'c':
			only = optarg;
			break;
		case '5':
			port = atoi(optarg);
			break;
		default:
			fprintf(stderr, "usage: ffile_bench [-n records] [-p] "
			    "[-c codec] [-5 port]\n");
			return 2;
		}
	}
	if ((recs = calloc(n, sizeof(*recs))) == NULL)
		return 1;
	ffgen_records(recs, n, 1, port ? FFGEN_V4 : FFGEN_MIXED, T0, 0);
	if (port)
		n = via_v5(recs, n, port);
	printf("%zu records (%s)\n", n, port ? "IPv4, via NetFlow v5" :
	    "mixed IPv4/IPv6");
	printf("%-8s %-6s %9s %10s %12s %12s %14s\n", "codec", "planes",
	    "bytes/fl", "write Mf/s", "read-all Mf/s", "3-col Mf/s",
	    "read MB/s(rec)");
	for (size_t k = 0; k < NF_NELEM(cs); k++) {
		if (only != NULL && strcmp(only, cs[k].name) != 0)
			continue;
		bench(cs[k].name, cs[k].codec, cs[k].level, true, recs, n);
		if (planes_too)
			bench(cs[k].name, cs[k].codec, cs[k].level, false,
			    recs, n);
	}
	free(recs);
	ffgen_cleanup();
	return 0;
}
