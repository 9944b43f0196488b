/*
 * tests/t_export.c -- probe/export: destination syntax, configuration
 * errors, and real export over UDP on 127.0.0.1 decoded back with the
 * common decoders: every record arrives with its values, v5 drops and
 * counts IPv6, sequence numbers follow each protocol, templates come
 * first and every tmpl_pkts datagrams, export_tick() refreshes them on
 * time alone, the sampling rate is announced, and a refused destination
 * is counted as a send error without failing the exporter.
 */
#include "common/base/compat.h"

#include <sys/socket.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "common/base/nferr.h"
#include "common/codec/nfdecode.h"
#include "common/codec/tmpl.h"
#include "probe/export.h"
#include "nfcollect.h"
#include "tap.h"

#define BASE_MS	UINT64_C(1700000000000)

static void
test_parse(void)
{
	char h[64], p[16], err[128];

	tap_ok(export_parse_dest("127.0.0.1:2055", h, sizeof(h), p,
	    sizeof(p), err, sizeof(err)) == NFE_OK && strcmp(h, "127.0.0.1")
	    == 0 && strcmp(p, "2055") == 0, "IPv4:port");
	tap_ok(export_parse_dest("[2001:db8::1]:ipfix", h, sizeof(h), p,
	    sizeof(p), err, sizeof(err)) == NFE_OK && strcmp(h,
	    "2001:db8::1") == 0 && strcmp(p, "ipfix") == 0,
	    "[IPv6]:service");
	tap_ok(export_parse_dest("collector.example:9995", h, sizeof(h), p,
	    sizeof(p), err, sizeof(err)) == NFE_OK && strcmp(h,
	    "collector.example") == 0, "name:port");
	tap_ok(export_parse_dest("nohost", h, sizeof(h), p, sizeof(p), err,
	    sizeof(err)) == NFE_INVAL && strstr(err, "expected host:port") !=
	    NULL, "no port: refused");
	tap_ok(export_parse_dest("::1:2055", h, sizeof(h), p, sizeof(p), err,
	    sizeof(err)) == NFE_INVAL, "bare IPv6: refused");
	tap_ok(export_parse_dest("[::1:2055", h, sizeof(h), p, sizeof(p), err,
	    sizeof(err)) == NFE_INVAL && export_parse_dest("[]:1", h,
	    sizeof(h), p, sizeof(p), err, sizeof(err)) == NFE_INVAL &&
	    export_parse_dest("h:", h, sizeof(h), p, sizeof(p), err,
	    sizeof(err)) == NFE_INVAL && export_parse_dest(":1", h, sizeof(h),
	    p, sizeof(p), err, sizeof(err)) == NFE_INVAL,
	    "broken brackets, empty host or port: refused");
}

static void
test_conf(void)
{
	struct export_conf c;
	struct export *ex;
	char err[128];

	export_conf_init(&c);
	tap_is_int(c.version, 9, "default version 9");
	tap_is_uint(c.max_size, 1400, "default size 1400");
	c.version = 7;
	tap_ok(export_new(&c, &ex, err, sizeof(err)) == NFE_INVAL && ex ==
	    NULL && strstr(err, "version 7") != NULL, "version 7 refused");
	export_conf_init(&c);
	c.max_size = 100;
	tap_ok(export_new(&c, &ex, err, sizeof(err)) == NFE_INVAL,
	    "size 100 refused");
}

/* A receiver on 127.0.0.1; its port goes to *port. */
static int
receiver(uint16_t *port)
{
	struct sockaddr_in sin;
	socklen_t sl = sizeof(sin);
	int fd, sz = 4 << 20;

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

struct run {
	struct collect	c;
	size_t		dgrams, with_tmpl;
	bool		seq_ok, tmpl_ok, all_decoded;
	uint32_t	sampling;
};

/* Decode every datagram waiting on fd. */
static void
drain(int fd, struct tmpl_cache *tc, uint32_t tmpl_pkts, struct run *r)
{
	static uint8_t buf[65536];
	struct nf_decode_ctx ctx;
	struct nf_dgram_info info;
	uint32_t next = 0;
	ssize_t n;

	collect_ctx(&ctx, &r->c, tc, 0x7f000001);
	r->seq_ok = r->tmpl_ok = r->all_decoded = true;
	while ((n = recv(fd, buf, sizeof(buf), 0)) > 0) {
		if (nf_decode(buf, (size_t)n, &ctx, &info) != NFE_OK)
			r->all_decoded = false;
		if (r->dgrams > 0 && info.seq != next)
			r->seq_ok = false;
		next = info.seq + info.seq_step;
		if (info.templates > 0)
			r->with_tmpl++;
		if ((info.templates > 0) != (r->dgrams % tmpl_pkts == 0) &&
		    info.version != 5)
			r->tmpl_ok = false;
		if (info.sampling != 0)
			r->sampling = info.sampling;
		r->dgrams++;
	}
}

static void
test_export(int version)
{
	struct flowrec recs[45];
	struct export_conf c;
	struct export *ex;
	const struct export_stats *st;
	struct tmpl_cache *tc = tmpl_cache_new(NULL);
	struct run *r = calloc(1, sizeof(*r));
	char dest[64], err[256];
	uint16_t port;
	int fd, rc;
	bool same = true;

	for (unsigned i = 0; i < 45; i++)
		sample_flow(&recs[i], i, i % 9 == 8, BASE_MS);	/* 5 IPv6 */
	if ((fd = receiver(&port)) == -1 || tc == NULL || r == NULL) {
		tap_skip("no UDP socket on 127.0.0.1");
		return;
	}
	snprintf(dest, sizeof(dest), "127.0.0.1:%u", port);
	export_conf_init(&c);
	c.version = version;
	c.dests[c.ndests++] = dest;
	c.tmpl_pkts = 2;
	c.max_size = 600;
	c.domain = 0x0102;
	c.sampling = 4;
	rc = export_new(&c, &ex, err, sizeof(err));
	tap_ok(rc == NFE_OK, "v%d: exporter to %s", version, dest);
	if (rc != NFE_OK) {
		tap_diag("%s", err);
		return;
	}
	export_start(ex, BASE_MS - 60000, BASE_MS);
	rc = export_flows(ex, BASE_MS, recs, 40);
	rc |= export_flows(ex, BASE_MS + 10, recs + 40, 5);
	export_tick(ex, BASE_MS + 20);			/* not due */
	export_tick(ex, BASE_MS + 10 + EXPORT_DEF_TMPL_MS);	/* due */
	drain(fd, tc, version == 5 ? 1 : 2, r);
	st = export_stats(ex);

	tap_ok(rc == NFE_OK && r->all_decoded && r->dgrams == st->datagrams &&
	    st->sends == st->datagrams && st->send_errors == 0,
	    "v%d: %zu datagrams sent, received and decoded", version,
	    r->dgrams);
	if (version == 5) {
		tap_ok(r->c.n == 40 && st->records == 40 && st->v6_dropped == 5,
		    "v5: 40 IPv4 records, 5 IPv6 counted as not exportable");
		tap_ok(r->dgrams == 3 && r->seq_ok,
		    "v5: 30 records at most per datagram, sequence counts flows");
		tap_ok(r->with_tmpl == 0 && r->sampling == 4 &&
		    r->c.recs[0].engine_type == 1 &&
		    r->c.recs[0].engine_id == 2,
		    "v5: sampling 4 and engine 1/2 in the header");
	} else {
		tap_ok(r->c.n == 45 && st->records == 45,
		    "v%d: all 45 records, IPv4 and IPv6", version);
		tap_ok(r->seq_ok && r->tmpl_ok && r->with_tmpl ==
		    st->templates && r->with_tmpl >= 3,
		    "v%d: sequence numbers, templates every 2nd datagram and "
		    "on time (%zu)", version, r->with_tmpl);
		tap_ok(r->sampling == 4, "v%d: sampling 4 announced", version);
	}
	for (size_t i = 0, k = 0; i < r->c.n; i++, k++) {
		const struct flowrec *got = &r->c.recs[i];

		if (version == 5 && recs[k].af == 6)
			k++;		/* v5 skipped it */
		if (k >= 45 || !addr_eq(&got->src, &recs[k].src) ||
		    !addr_eq(&got->dst, &recs[k].dst) ||
		    got->first_ms != recs[k].first_ms ||
		    got->last_ms != recs[k].last_ms ||
		    got->src_port != recs[k].src_port ||
		    got->dst_port != recs[k].dst_port ||
		    got->proto != recs[k].proto ||
		    got->tcp_flags != recs[k].tcp_flags)
			same = false;
		/* v5 clamps 64-bit counters to 32 bits (t_nf5 checks how) */
		if (version != 5 && (got->packets != recs[k].packets ||
		    got->bytes != recs[k].bytes))
			same = false;
	}
	tap_ok(same && r->c.n > 0, "v%d: every record's addresses, ports, "
	    "times and counters as given, in order", version);
	export_free(ex);
	tmpl_cache_free(tc);
	close(fd);
	free(r);
}

static void
test_refused(void)
{
	struct flowrec rec;
	struct export_conf c;
	struct export *ex;
	char dest[64], err[256];
	uint16_t port;
	int fd, rc = NFE_OK;

	/* a port that was bound a moment ago and is free now */
	if ((fd = receiver(&port)) == -1) {
		tap_skip("no UDP socket");
		return;
	}
	close(fd);
	snprintf(dest, sizeof(dest), "127.0.0.1:%u", port);
	sample_flow(&rec, 1, 0, BASE_MS);
	export_conf_init(&c);
	c.version = 5;
	c.dests[c.ndests++] = dest;
	if (export_new(&c, &ex, err, sizeof(err)) != NFE_OK) {
		tap_skip(err);
		return;
	}
	export_start(ex, BASE_MS - 1000, BASE_MS);
	for (int i = 0; i < 4; i++)
		if (export_flows(ex, BASE_MS, &rec, 1) != NFE_OK)
			rc = NFE_IO;
	tap_ok(rc == NFE_IO && export_stats(ex)->send_errors >= 1 &&
	    export_stats(ex)->datagrams == 4,
	    "refused port: send errors counted (%llu), exporter goes on",
	    (unsigned long long)export_stats(ex)->send_errors);
	export_free(ex);
}

int
main(void)
{
	tap_plan(6 + 4 + 3 * 6 + 1);
	test_parse();
	test_conf();
	test_export(5);
	test_export(9);
	test_export(10);
	test_refused();
	return tap_done();
}
