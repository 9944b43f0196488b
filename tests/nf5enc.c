/*
 * tests/nf5enc.c -- write one NetFlow v5 datagram made by nf5_encode()
 * from a fixed set of flow records, so that independent decoders
 * (scapy, tshark, nfcapd) can judge the encoder.  The records and
 * header values are listed below; tests/data/nf5enc_*.expected hold
 * what each judge must see, worked out by hand from them.
 *
 * usage: nf5enc FILE    (raw datagram bytes)
 */
#include "common/base/compat.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "common/base/addr.h"
#include "common/base/flowrec.h"
#include "common/base/nferr.h"
#include "common/codec/nf5.h"

#define EXPORT_MS	UINT64_C(1700000000250)	/* 2023-11-14T22:13:20.250Z */

static void
v4rec(struct flowrec *r, const char *src, uint16_t sport, const char *dst,
    uint16_t dport, uint8_t proto)
{
	flowrec_init(r);
	r->af = 4;
	addr_parse(src, &r->src);
	addr_parse(dst, &r->dst);
	r->src_port = sport;
	r->dst_port = dport;
	r->proto = proto;
}

int
main(int argc, char **argv)
{
	struct nf5_enc_params prm;
	struct nf5_enc_result res;
	struct flowrec recs[4], *r;
	uint8_t buf[NF5_MAX_DGRAM];
	FILE *f;
	int rc;

	if (argc != 2) {
		fprintf(stderr, "usage: nf5enc FILE\n");
		return 2;
	}
	memset(&prm, 0, sizeof(prm));
	prm.export_ms = EXPORT_MS;
	prm.boot_ms = EXPORT_MS - 86400250;	/* sysUptime 86400250 */
	prm.flow_seq = 777;
	prm.engine_type = 5;
	prm.engine_id = 6;
	prm.sampling_mode = NF5_SAMPLING_DETERMINISTIC;
	prm.sampling_interval = 64;

	r = &recs[0];			/* plain TCP */
	v4rec(r, "10.1.2.3", 33000, "93.184.216.34", 443, 6);
	addr_parse("10.1.2.1", &r->nexthop);
	r->in_if = 2;
	r->out_if = 3;
	r->packets = 12;
	r->bytes = 3456;
	r->first_ms = EXPORT_MS - 5000;
	r->last_ms = EXPORT_MS - 250;
	r->tcp_flags = 0x1b;
	r->dst_as = 15133;
	r->src_mask = 24;
	r->dst_mask = 24;

	r = &recs[1];			/* IPv6: v5 cannot carry it */
	flowrec_init(r);
	r->af = 6;
	addr_parse("2001:db8::1", &r->src);
	addr_parse("2001:db8::2", &r->dst);
	r->packets = 1;

	r = &recs[2];			/* UDP with values v5 must clamp */
	v4rec(r, "192.168.0.10", 53, "192.168.0.20", 40001, 17);
	addr_parse("2001:db8::fe", &r->nexthop);
	r->in_if = 70000;
	r->out_if = 1;
	r->packets = UINT64_C(1) << 33;
	r->bytes = UINT64_C(5000000000);
	r->first_ms = r->last_ms = EXPORT_MS - 1000;
	r->tos = 0x28;
	r->src_as = 4200000000u;
	r->dst_as = 64496;
	r->src_mask = 16;
	r->dst_mask = 16;

	r = &recs[3];			/* ICMP time exceeded */
	v4rec(r, "10.9.9.9", 0, "10.8.8.8", 11 << 8 | 0, 1);
	r->packets = 1;
	r->bytes = 56;
	r->first_ms = r->last_ms = EXPORT_MS;

	rc = nf5_encode(&prm, recs, 4, buf, sizeof(buf), &res);
	if (rc != NFE_OK || res.consumed != 4 || res.written != 3) {
		fprintf(stderr, "nf5enc: encode: %s\n", nferr_str(rc));
		return 1;
	}
	if ((f = fopen(argv[1], "wb")) == NULL ||
	    fwrite(buf, 1, res.len, f) != res.len || fclose(f) != 0) {
		perror(argv[1]);
		return 1;
	}
	return 0;
}
