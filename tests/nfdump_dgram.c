/*
 * tests/nfdump_dgram.c -- decode export datagrams from files with
 * nf_decode() and print what came out as space-separated key=value
 * pairs (times in ISO 8601 UTC): a "rec" line per record as the sink
 * receives it, then a "dgram" line with the datagram's facts, for
 * tests that compare against hand-written expectations.
 *
 * usage: nfdump_dgram [-x] FILE...
 *   Each FILE holds one datagram: raw bytes, or with -x hex text
 *   (whitespace ignored, '#' starts a comment to end of line).  The
 *   files are decoded in order as if sent by one exporter (127.0.0.1),
 *   through one template cache, so a v9/IPFIX template in one file
 *   serves the data in the next.
 * Exit status: 0 if every datagram decoded, 1 if one did not, 2 on a
 * usage or I/O error.
 */
#include "common/base/compat.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "common/base/addr.h"
#include "common/base/flowrec.h"
#include "common/base/nferr.h"
#include "common/base/timeutil.h"
#include "common/codec/nfdecode.h"
#include "common/codec/tmpl.h"

#define MAX_DGRAM	65536

static int
print_rec(void *arg, const struct flowrec *r)
{
	char t1[TIME_STRLEN], t2[TIME_STRLEN];
	char s[ADDR_STRLEN], d[ADDR_STRLEN], n[ADDR_STRLEN];

	(void)arg;
	printf("rec first=%s last=%s af=%u src=%s sport=%u dst=%s dport=%u "
	    "proto=%u pkts=%" PRIu64 " bytes=%" PRIu64 " flags=0x%02x tos=%u "
	    "nexthop=%s in=%" PRIu32 " out=%" PRIu32 " srcas=%" PRIu32
	    " dstas=%" PRIu32 " smask=%u dmask=%u engine=%u/%u"
	    " sampling=%" PRIu32 "\n",
	    time_format(r->first_ms, TIME_ISO, true, t1, sizeof(t1)),
	    time_format(r->last_ms, TIME_ISO, true, t2, sizeof(t2)),
	    r->af, addr_format(&r->src, s, sizeof(s)), r->src_port,
	    addr_format(&r->dst, d, sizeof(d)), r->dst_port, r->proto,
	    r->packets, r->bytes, r->tcp_flags, r->tos,
	    addr_format(&r->nexthop, n, sizeof(n)), r->in_if, r->out_if,
	    r->src_as, r->dst_as, r->src_mask, r->dst_mask, r->engine_type,
	    r->engine_id, r->sampling);
	return NFE_OK;
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Read one datagram file into buf; returns its length or -1. */
static long
load(const char *path, bool hex, uint8_t *buf, size_t cap)
{
	FILE *f;
	size_t n = 0;
	int c, hi = -1, v;

	if ((f = fopen(path, hex ? "r" : "rb")) == NULL) {
		fprintf(stderr, "nfdump_dgram: %s: %s\n", path,
		    strerror(errno));
		return -1;
	}
	if (!hex)
		n = fread(buf, 1, cap, f);
	while (hex && (c = getc(f)) != EOF) {
		if (c == '#') {
			while ((c = getc(f)) != EOF && c != '\n')
				continue;
			continue;
		}
		if (isspace(c))
			continue;
		if ((v = hexval(c)) < 0 || (hi < 0 && n >= cap)) {
			fprintf(stderr, "nfdump_dgram: %s: bad hex or too "
			    "long\n", path);
			fclose(f);
			return -1;
		}
		if (hi < 0)
			hi = v;
		else {
			buf[n++] = (uint8_t)(hi << 4 | v);
			hi = -1;
		}
	}
	if (ferror(f) || hi >= 0) {
		fprintf(stderr, "nfdump_dgram: %s: read error or odd hex\n",
		    path);
		fclose(f);
		return -1;
	}
	fclose(f);
	return (long)n;
}

int
main(int argc, char **argv)
{
	static uint8_t buf[MAX_DGRAM];
	struct nf_decode_ctx ctx;
	struct nf_dgram_info info;
	char t[TIME_STRLEN];
	bool hex = false;
	int ch, rc, status = 0;
	long len;

	while ((ch = getopt(argc, argv, "x")) != -1) {
		switch (ch) {
		case 'x':
			hex = true;
			break;
		default:
			fprintf(stderr, "usage: nfdump_dgram [-x] FILE...\n");
			return 2;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "usage: nfdump_dgram [-x] FILE...\n");
		return 2;
	}
	memset(&ctx, 0, sizeof(ctx));
	ctx.sink = print_rec;
	addr_from_v4(&ctx.exporter, 0x7f000001);
	if ((ctx.tmpl = tmpl_cache_new(NULL)) == NULL) {
		fprintf(stderr, "nfdump_dgram: out of memory\n");
		return 2;
	}
	for (int i = optind; i < argc; i++) {
		if ((len = load(argv[i], hex, buf, sizeof(buf))) < 0) {
			tmpl_cache_free(ctx.tmpl);
			return 2;
		}
		rc = nf_decode(buf, (size_t)len, &ctx, &info);
		printf("dgram rc=%s version=%u records=%" PRIu32
		    " has_seq=%d seq=%" PRIu32 " seq_step=%" PRIu32
		    " domain=%" PRIu32 " sampling=%" PRIu32 " export=%s"
		    " uptime=%" PRIu32 " trailing=%" PRIu32 "\n",
		    rc == NFE_OK ? "ok" : nferr_str(rc), info.version,
		    info.records, info.has_seq, info.seq, info.seq_step,
		    info.domain, info.sampling,
		    time_format(info.export_ms, TIME_ISO, true, t, sizeof(t)),
		    info.sys_uptime_ms, info.trailing);
		if (rc != NFE_OK)
			status = 1;
	}
	tmpl_cache_free(ctx.tmpl);
	return status;
}
