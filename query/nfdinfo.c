/*
 * query/nfdinfo.c -- flowq -I and -v for nfdump's files (nfdinfo.h),
 * through the reader of common/nfdump/nfdfile.h.
 */
#include "common/base/compat.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "common/base/addr.h"
#include "common/base/nferr.h"
#include "common/base/timeutil.h"
#include "common/ffile/fcol.h"
#include "common/ffile/ffile.h"
#include "common/nfdump/nfdfile.h"
#include "common/nfdump/nfdzip.h"
#include "query/nfdinfo.h"

static unsigned
pclass(uint8_t proto)
{
	return proto == 6 ? FFILE_P_TCP : proto == 17 ? FFILE_P_UDP :
	    proto == 1 || proto == 58 ? FFILE_P_ICMP : FFILE_P_OTHER;
}

/* Read every block: totals into *s; returns blocks skipped. */
static size_t
read_all(struct nfd_reader *rd, struct nfd_stat *s, const char *path,
    bool say)
{
	struct fcol c;
	char err[256];
	size_t bad = 0;
	int r;

	memset(s, 0, sizeof(*s));
	if (fcol_init(&c, 4096) != NFE_OK)
		return 1;
	while ((r = nfd_read(rd, &c, err, sizeof(err))) != NFE_EOF) {
		if (r != NFE_OK) {
			if (say)
				printf("%s: %s\n", path, err);
			bad++;
			continue;
		}
		for (size_t i = 0; i < c.n; i++) {
			unsigned k = pclass(c.proto[i]);

			s->flows += c.flows[i];
			s->packets += c.packets[i];
			s->bytes += c.bytes[i];
			s->proto_flows[k] += c.flows[i];
			s->proto_packets[k] += c.packets[i];
			s->proto_bytes[k] += c.bytes[i];
			if (s->first_ms == 0 || c.first_ms[i] < s->first_ms)
				s->first_ms = c.first_ms[i];
			if (c.last_ms[i] > s->last_ms)
				s->last_ms = c.last_ms[i];
		}
	}
	fcol_fini(&c);
	return bad;
}

int
nfdinfo_print(const char *path)
{
	static const char *pn[FFILE_NPROTO] = { "tcp", "udp", "icmp", "other" };
	const struct nfd_info *in;
	const struct ffile_exporter *x;
	struct nfd_reader *rd;
	struct nfd_stat rebuilt;
	const struct nfd_stat *s;
	char err[256], a[ADDR_STRLEN], ts[TIME_STRLEN];
	size_t nx, bad = 0;

	if (nfd_open(path, &rd, err, sizeof(err)) != NFE_OK) {
		fprintf(stderr, "flowq: %s: %s\n", path, err);
		return 1;
	}
	in = nfd_info(rd);
	s = &in->stat;
	if (!in->have_stat) {
		bad = read_all(rd, &rebuilt, path, false);
		s = &rebuilt;
	}
	printf("File: %s\n", path);
	printf("Ident: %s\n", in->ident[0] != '\0' ? in->ident : "none");
	printf("Flows: %" PRIu64 "\n", s->flows);
	for (int i = 0; i < FFILE_NPROTO; i++)
		printf("Flows_%s: %" PRIu64 "\n", pn[i], s->proto_flows[i]);
	printf("Packets: %" PRIu64 "\n", s->packets);
	for (int i = 0; i < FFILE_NPROTO; i++)
		printf("Packets_%s: %" PRIu64 "\n", pn[i], s->proto_packets[i]);
	printf("Bytes: %" PRIu64 "\n", s->bytes);
	for (int i = 0; i < FFILE_NPROTO; i++)
		printf("Bytes_%s: %" PRIu64 "\n", pn[i], s->proto_bytes[i]);
	printf("First: %" PRIu64 "\nLast: %" PRIu64 "\nmsec_first: %u\n"
	    "msec_last: %u\n", s->first_ms / 1000, s->last_ms / 1000,
	    (unsigned)(s->first_ms % 1000), (unsigned)(s->last_ms % 1000));
	printf("Sequence failures: %" PRIu64 "\n", s->seq_failures);
	printf("Format: nfdump layout %u", in->layout);
	if (in->layout == 2)
		printf(" (written by nfdump %u.%u.%u)",
		    (unsigned)(in->nfdversion >> 24 & 0x0f),
		    (unsigned)(in->nfdversion >> 16 & 0xff),
		    (unsigned)(in->nfdversion >> 8 & 0xff));
	printf("\n");
	if (in->created_ms != 0)
		printf("Created: %s\n", time_format(in->created_ms,
		    TIME_NFDUMP, false, ts, sizeof(ts)));
	printf("Compression: %s\n", nfdzip_name(in->compression));
	printf("Blocks: %zu\n", in->nblocks);
	if (!in->have_stat)
		printf("Statistics: none in the file; rebuilt from its blocks"
		    "%s\n", bad > 0 ? " (some damaged)" : "");
	if (in->cut)
		printf("Damaged: %s\n", in->why_cut);
	if (in->have_stat)		/* the exporter records are in blocks */
		(void)read_all(rd, &rebuilt, path, false);
	x = nfd_exporters(rd, &nx);
	printf("Exporters: %zu\n", nx);
	for (size_t i = 0; i < nx; i++)
		printf("Exporter %zu: %s v%u id %u sampling %u sequence "
		    "failures %" PRIu64 " packets %" PRIu64 " flows %" PRIu64
		    "\n", i, addr_format(&x[i].addr, a, sizeof(a)),
		    x[i].version, x[i].domain, x[i].sampling,
		    x[i].stats.seq_gaps, x[i].stats.datagrams,
		    x[i].stats.records);
	nfd_close(rd);
	return 0;
}

int
nfdinfo_verify(const char *path)
{
	struct nfd_reader *rd;
	struct nfd_stat s;
	const struct nfd_counts *k;
	const struct nfd_info *in;
	char err[256];
	size_t bad;

	if (nfd_open(path, &rd, err, sizeof(err)) != NFE_OK) {
		fprintf(stderr, "flowq: %s: %s\n", path, err);
		return 1;
	}
	in = nfd_info(rd);
	bad = read_all(rd, &s, path, true);
	k = nfd_counts(rd);
	if (in->cut)
		printf("%s: %s\n", path, in->why_cut);
	printf("%s: nfdump layout %u, %s, %zu blocks, %" PRIu64 " records: "
	    "%s\n", path, in->layout, nfdzip_name(in->compression),
	    k->blocks, k->records, bad == 0 && !in->cut ? "OK" : "CORRUPT");
	nfd_close(rd);
	return bad == 0 && !in->cut ? 0 : 1;
}
