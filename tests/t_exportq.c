/*
 * tests/t_exportq.c -- probe/exportq: batches of every size (split at
 * EXPORTQ_BATCH), copied in or handed over in the queue's own buffers
 * (every other batch, so the two kinds interleave), ticks and forced
 * templates queued to a paced exporter
 * that is slower than the producer, so the queue fills and the producer
 * waits: every record arrives on 127.0.0.1, once, in order, with
 * consecutive sequence numbers; exportq_sync() leaves nothing pending;
 * exportq_free() sends what is still queued.
 */
#include "common/base/compat.h"

#include <sys/socket.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/base/nferr.h"
#include "common/codec/nfdecode.h"
#include "common/codec/tmpl.h"
#include "probe/exportq.h"
#include "nfcollect.h"
#include "tap.h"

#define BASE_MS		UINT64_C(1700000000000)
#define NRECS		3000

struct order {
	uint32_t	n;		/* records seen */
	uint32_t	bad;		/* out of order or unknown */
};

/* Records must come back as sample_flow(seed = 0, 1, 2, ...) made them. */
static int
in_order(void *arg, const struct flowrec *r)
{
	struct order *o = arg;

	if (r->src_port != (uint16_t)(1024 + o->n))
		o->bad++;
	o->n++;
	return 0;
}

static int
receiver(uint16_t *port)
{
	struct sockaddr_in sin;
	socklen_t sl = sizeof(sin);
	int fd, sz = 8 << 20;

	fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd == -1 || bind(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1 ||
	    getsockname(fd, (struct sockaddr *)&sin, &sl) == -1)
		return -1;
	(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	*port = ntohs(sin.sin_port);
	return fd;
}

/* Decode what fd holds; false if a datagram fails or a sequence skips. */
static bool
drain(int fd, struct tmpl_cache *tc, struct order *o, size_t *dgrams)
{
	static uint8_t buf[65536];
	struct nf_decode_ctx ctx;
	struct nf_dgram_info info;
	struct collect c;
	uint32_t next = 0;
	bool good = true;
	ssize_t n;

	collect_ctx(&ctx, &c, tc, 0x7f000001);
	ctx.sink = in_order;
	ctx.arg = o;
	while ((n = recv(fd, buf, sizeof(buf), 0)) > 0) {
		if (nf_decode(buf, (size_t)n, &ctx, &info) != NFE_OK)
			good = false;
		if (*dgrams > 0 && info.seq != next)
			good = false;
		next = info.seq + info.seq_step;
		(*dgrams)++;
	}
	return good;
}

int
main(void)
{
	static struct flowrec recs[NRECS];
	struct export_conf c;
	struct export *ex;
	struct exportq *q;
	struct tmpl_cache *tc = tmpl_cache_new(NULL);
	const struct export_stats *st;
	struct order o = { 0, 0 };
	char dest[64], err[256];
	struct flowrec *buf, *next;
	size_t sent = 0, k, dgrams = 0;
	unsigned handed = 0, reused = 0;
	uint16_t port;
	bool decoded;
	int fd;

	tap_no_plan();
	for (unsigned i = 0; i < NRECS; i++)
		sample_flow(&recs[i], i, 0, BASE_MS);
	if ((fd = receiver(&port)) == -1 || tc == NULL) {
		tap_skip("no UDP socket on 127.0.0.1");
		return tap_done();
	}
	snprintf(dest, sizeof(dest), "127.0.0.1:%u", port);
	export_conf_init(&c);
	c.dests[c.ndests++] = dest;
	c.max_size = 600;		/* about 7 records a datagram */
	c.rate = 20000;			/* 430 datagrams: about 20 ms */
	if (export_new(&c, &ex, err, sizeof(err)) != NFE_OK ||
	    exportq_new(ex, &q) != NFE_OK) {
		tap_ok(false, "exporter and its thread: %s", err);
		return tap_done();
	}
	exportq_start(q, BASE_MS - 60000, BASE_MS);
	buf = exportq_buffer(q);
	tap_ok(buf != NULL && exportq_buffer(q) == NULL, "one buffer lent "
	    "at a time");
	/*
	 * Batches of 1 to 700 records: larger ones are split when copied;
	 * handed-over ones are at most a buffer.  A handed-over buffer is
	 * overwritten at once: it must not be the one just handed over.
	 */
	for (unsigned i = 0; sent < NRECS - 100; i++) {
		k = (i * 37) % 700 + 1;
		if (i % 2 == 1 && k > EXPORTQ_BATCH)
			k = EXPORTQ_BATCH;
		if (k > NRECS - 100 - sent)
			k = NRECS - 100 - sent;
		if (i % 2 == 0)
			exportq_flows(q, BASE_MS + i, recs + sent, k);
		else {
			memcpy(buf, recs + sent, k * sizeof(*buf));
			next = exportq_handover(q, BASE_MS + i, buf, k);
			if (next == buf || next == NULL)
				reused++;
			else
				memset(next, 0xa5, EXPORTQ_BATCH *
				    sizeof(*next));
			buf = next;
			handed++;
		}
		sent += k;
		if (i % 5 == 0)
			exportq_tick(q, BASE_MS + i);
		if (i == 3)
			exportq_force_templates(q);
	}
	tap_ok(reused == 0 && handed > 4, "%u batches handed over, each "
	    "for another empty buffer", handed);
	exportq_sync(q);
	st = export_stats(ex);
	tap_ok(st->records == NRECS - 100 && st->send_errors == 0,
	    "after sync every queued record is sent (%llu)",
	    (unsigned long long)st->records);
	tap_ok(st->templates >= 2, "start and the forced templates went out "
	    "(%llu datagrams with templates)",
	    (unsigned long long)st->templates);
	/* the rest, then free at once: it must still go out */
	exportq_flows(q, BASE_MS + 1000, recs + sent, 100);
	exportq_free(q);
	st = export_stats(ex);
	tap_ok(st->records == NRECS, "free sends what is still queued");
	decoded = drain(fd, tc, &o, &dgrams);
	tap_ok(decoded && dgrams == st->datagrams, "%zu datagrams received "
	    "and decoded, sequence numbers consecutive", dgrams);
	tap_ok(o.n == NRECS && o.bad == 0, "all %u records, once, in the "
	    "order queued (%u out of place)", o.n, o.bad);
	export_free(ex);
	tmpl_cache_free(tc);
	close(fd);
	return tap_done();
}
