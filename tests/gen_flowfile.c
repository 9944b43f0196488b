/*
 * tests/gen_flowfile.c -- write deterministic flow files for flowq's
 * tests and benchmark, through the common/ffile writer.
 *
 *   gen_flowfile OUT                 the five records of tests/qrecs.h,
 *                                    exporter 127.0.0.1
 *   gen_flowfile -6 OUT              the same plus two IPv6 flows
 *   gen_flowfile -n N [-b B] [-t T0] [-z codec] OUT
 *                                    N pseudo-random records (fixed LCG
 *                                    seed), B per block, from T0 (unix s)
 *   gen_flowfile -C OUT              the five records, then the file cut
 *                                    in its last block (corrupt tail)
 *   -S (with any of the above)       records carry application names
 *                                    (the string column): the five get
 *                                    qrecs_apps[], -n records one of
 *                                    1000 names or none
 *   -E (with -n)                     records carry what enrichment and
 *                                    newer exporters add: a user (2 of
 *                                    3), countries and AS organisations,
 *                                    incoming MACs, an MPLS label, a
 *                                    NAT source, VRFs, TTLs
 */
#include "common/base/compat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/base/nferr.h"
#include "common/ffile/ffile.h"
#include "common/ffile/zcodec.h"
#include "qrecs.h"

static uint64_t lcg = UINT64_C(0x2545F4914F6CDD1D);

static uint32_t
rnd(void)
{
	lcg = lcg * UINT64_C(6364136223846793005) + UINT64_C(1442695040888963407);
	return (uint32_t)(lcg >> 33);
}

/* -S: names of the five records (tests/flowq_str.sh prints them). */
static const char *const qrecs_apps[QRECS_N] = {
	"http", "", "ssh \"admin\", v2", "caf\xc3\xa9", "http",
};
static char bulk_app[16];

static void
bulk(struct flowrec *r, uint64_t t0, uint64_t i)
{
	uint32_t h = rnd();

	flowrec_init(r);
	addr_from_v4(&r->src, 0x0a000000u | (h % 4096));
	addr_from_v4(&r->dst, 0xc0a80000u | (rnd() % 65536));
	addr_from_v4(&r->nexthop, 0x0a0000feu);
	r->proto = (uint8_t)((h >> 12) % 10 < 7 ? 6 : (h >> 12) % 10 < 9 ? 17 :
	    1);
	r->src_port = (uint16_t)(1024 + rnd() % 60000);
	r->dst_port = (uint16_t)((const uint16_t[]){ 80, 443, 53, 22, 25, 123,
	    8080, 993 }[rnd() % 8]);
	r->packets = 1 + rnd() % 1000;
	r->bytes = r->packets * (40 + rnd() % 1400);
	r->first_ms = t0 * 1000 + i / 4;
	r->last_ms = r->first_ms + rnd() % 60000;
	r->tcp_flags = r->proto == 6 ? (uint8_t)(rnd() & 0x3f) : 0;
	r->in_if = 1 + rnd() % 8;
	r->out_if = 1 + rnd() % 8;
	r->src_as = 64500 + rnd() % 100;
	r->dst_as = 65000 + rnd() % 100;
	r->tos = (uint8_t)(rnd() % 4 * 8);
}

/* -S: one of 1000 names in 3 of 4 records. */
static void
bulk_name(struct flowrec *r)
{
	uint32_t h = rnd();

	if (h % 4 == 0)
		return;
	snprintf(bulk_app, sizeof(bulk_app), "app-%u", h / 4 % 1000);
	r->app_name.p = bulk_app;
	r->app_name.len = (uint32_t)strlen(bulk_app);
}

/* -E: the catalogue's newer fields, derived from the record's index. */
static char enr_user[16], enr_org[16];

static void
bulk_enriched(struct flowrec *r, uint64_t i)
{
	static const char *const cc[] = { "FR", "DE", "US", "JP", "" };

	if (i % 3 != 0) {
		snprintf(enr_user, sizeof(enr_user), "user%u",
		    (unsigned)(i % 37));
		flowrec_str_set(&r->user, enr_user, strlen(enr_user));
	}
	flowrec_str_set(&r->src_geo, cc[i % 5], strlen(cc[i % 5]));
	flowrec_str_set(&r->dst_geo, cc[(i / 5) % 5], strlen(cc[(i / 5) % 5]));
	snprintf(enr_org, sizeof(enr_org), "Org %u", (unsigned)(i % 11));
	flowrec_str_set(&r->src_as_org, enr_org, strlen(enr_org));
	r->in_src_mac = UINT64_C(0x020000000000) | (i % 4096);
	r->in_dst_mac = UINT64_C(0x0a1b2c3d4e5f);
	r->mpls1 = (uint32_t)((16 + i % 1000) << 4 | (i % 8) << 1 | 1);
	addr_from_v4(&r->nat_src, 0xcb007100u | (uint32_t)(i % 256));
	r->nat_src_port = (uint16_t)(1024 + i % 50000);
	r->in_vrf = (uint32_t)(i % 5);
	r->min_ttl = (uint8_t)(32 + i % 32);
	r->max_ttl = 64;
}

int
main(int argc, char **argv)
{
	struct ffile_writer *w;
	struct ffile_wopts wo;
	struct ffile_exporter x;
	struct flowrec recs[QRECS_N], r;
	uint64_t n = 0, t0 = 1795426759;
	bool v6 = false, cut = false, names = false, enriched = false;
	int ch, rc;

	ffile_wopts_init(&wo);
	wo.created_ms = QRECS_T0;
	while ((ch = getopt(argc, argv, "6CESn:b:t:z:")) != -1) {
		switch (ch) {
		case '6': v6 = true; break;
		case 'C': cut = true; break;
		case 'E': enriched = true; break;
		case 'S': names = true; break;
		case 'n': n = strtoull(optarg, NULL, 10); break;
		case 'b': wo.block_recs = (uint32_t)strtoul(optarg, NULL, 10);
			break;
		case 't': t0 = strtoull(optarg, NULL, 10); break;
		case 'z':
			if (zcodec_parse(optarg, &wo.codec, &wo.level) !=
			    NFE_OK)
				return 2;
			break;
		default:
			fprintf(stderr, "usage: gen_flowfile [-6CES] [-n N] "
			    "[-b B] [-t T0] [-z codec] OUT\n");
			return 2;
		}
	}
	if (optind + 1 != argc)
		return 2;
	wo.ident = "gen_flowfile";
	if ((rc = ffile_writer_open(argv[optind], &wo, &w)) != NFE_OK) {
		fprintf(stderr, "%s: %s\n", argv[optind], nferr_str(rc));
		return 1;
	}
	memset(&x, 0, sizeof(x));
	addr_parse("127.0.0.1", &x.addr);
	x.version = 5;
	x.port = 9995;
	ffile_writer_set_exporters(w, &x, 1);
	if (n > 0) {
		for (uint64_t i = 0; i < n; i++) {
			bulk(&r, t0, i);
			if (names)
				bulk_name(&r);
			if (enriched)
				bulk_enriched(&r, i);
			if (ffile_writer_add(w, &r, 1) != NFE_OK)
				return 1;
		}
	} else {
		qrecs_fill(recs);
		for (size_t i = 0; names && i < QRECS_N; i++)
			flowrec_str_set(&recs[i].app_name, qrecs_apps[i],
			    strlen(qrecs_apps[i]));
		ffile_writer_add(w, recs, QRECS_N);
		if (v6) {
			r = recs[0];
			r.af = 6;
			addr_parse("2001:db8:1000:cafe:20e:35ff:fec0:fed5",
			    &r.src);
			addr_parse("2001:db8::53", &r.dst);
			addr_parse("fe80::1", &r.nexthop);
			r.proto = 17;
			r.src_port = 5353;
			r.dst_port = 53;
			r.tcp_flags = 0;
			r.first_ms += 5000;
			r.last_ms = r.first_ms + 250;
			ffile_writer_add(w, &r, 1);
			r.proto = 58;
			r.src_port = 0;
			r.dst_port = 128 << 8;
			r.packets = 4;
			r.bytes = 416;
			r.first_ms += 1000;
			ffile_writer_add(w, &r, 1);
		}
	}
	if (ffile_writer_close(w) != NFE_OK)
		return 1;
	if (cut) {
		FILE *f = fopen(argv[optind], "r+");
		long len;

		if (f == NULL || fseek(f, 0, SEEK_END) != 0)
			return 1;
		len = ftell(f);
		fclose(f);
		if (truncate(argv[optind], len / 2) != 0)
			return 1;
	}
	return 0;
}
