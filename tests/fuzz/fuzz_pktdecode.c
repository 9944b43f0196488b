/*
 * tests/fuzz/fuzz_pktdecode.c -- libFuzzer target for flowprobe's
 * packet decoder and flow accounting.  Input: one byte choosing the
 * link type, then the frame.  Checks beyond "no crash": only the four
 * documented outcomes, a rejected frame leaves a zeroed pkt, a decoded
 * one has a family, a zero pad byte, non-zero layer-3 length no
 * larger than claimed and an MPLS depth within the limit, with kept
 * labels only up to that depth; decoded packets then go through a small
 * persistent flow engine (64 flows) whose table never exceeds its limit.
 * pktdecode_frame_x (flowprobe -x), on decoders of its own, must give
 * the same outcome and pkt, no extras for a rejected frame and extras
 * within their ranges for a decoded one; its packets go through an
 * engine that keeps the extras.
 */
#include "common/base/compat.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/base/nferr.h"
#include "common/pkt/pktdecode.h"
#include "probe/meter.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Append only: a seed's first byte indexes this table. */
static const int dlts[] = {
	PKT_DLT_NULL, PKT_DLT_EN10MB, PKT_DLT_RAW, PKT_DLT_RAW_BSD,
	PKT_DLT_RAW_LT, PKT_DLT_LOOP, PKT_DLT_LINUX_SLL, PKT_DLT_IPV4,
	PKT_DLT_IPV6, PKT_DLT_LINUX_SLL2, PKT_DLT_PPP, PKT_DLT_PPP_SERIAL,
	PKT_DLT_PPP_ETHER, PKT_DLT_C_HDLC,
};

static struct pktdecode *pds[NF_NELEM(dlts)], *pdx[NF_NELEM(dlts)];
static struct meter *mt, *mtx;
static uint64_t clock_ms;

static int
sink(void *arg, const struct flowrec *recs, size_t n)
{
	(void)arg;
	for (size_t i = 0; i < n; i++)
		if (recs[i].packets == 0 || recs[i].first_ms > recs[i].last_ms)
			abort();
	return NFE_OK;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct pkt zero;
	static const struct pkt_extra xzero;
	struct sipkey sk = { 1, 2 };
	struct meter_conf c;
	struct pkt p, px;
	struct pkt_extra x;
	size_t idx;
	int rc, rcx;

	if (size < 1)
		return 0;
	if (mt == NULL) {
		for (size_t i = 0; i < NF_NELEM(dlts); i++)
			if (pktdecode_new(dlts[i], 0, &sk, &pds[i]) != NFE_OK ||
			    pktdecode_new(dlts[i], 0, &sk, &pdx[i]) != NFE_OK)
				abort();
		meter_conf_init(&c);
		c.max_flows = 64;
		if (meter_new(&c, &sk, sink, NULL, &mt) != NFE_OK)
			abort();
		c.extras = true;
		if (meter_new(&c, &sk, sink, NULL, &mtx) != NFE_OK)
			abort();
	}
	idx = data[0] % NF_NELEM(dlts);
	clock_ms += data[0] * 100;
	rc = pktdecode_frame(pds[idx], clock_ms, data + 1, size - 1, size - 1,
	    &p);
	rcx = pktdecode_frame_x(pdx[idx], clock_ms, data + 1, size - 1,
	    size - 1, &px, &x);
	if (rcx != rc || memcmp(&p, &px, sizeof(p)) != 0)
		abort();
	if (rc != NFE_OK && memcmp(&x, &xzero, sizeof(x)) != 0)
		abort();
	if (rc == NFE_OK) {
		if (x.vlan_prio > 7 || x.flow_label > 0xfffff ||
		    (x.has & ~(PKTX_MACS | PKTX_SRC_MAC | PKTX_PRIO)) != 0 ||
		    (x.flow_label != 0 && p.key.af != 6))
			abort();
		meter_packets_x(mtx, &px, &x, 1);
		if (meter_active(mtx) > 64)
			abort();
	}
	switch (rc) {
	case NFE_OK:
		if ((p.key.af != 4 && p.key.af != 6) || p.key.pad != 0 ||
		    p.bytes == 0 || p.mpls_depth > PKTDECODE_MAX_LABELS)
			abort();
		for (size_t i = p.mpls_depth; i < PKT_MPLS_LABELS; i++)
			if (p.mpls[i] != 0)
				abort();
		meter_packet(mt, &p);
		if (meter_active(mt) > 64)
			abort();
		break;
	case NFE_UNSUPP:
	case NFE_TRUNC:
	case NFE_FORMAT:
		if (memcmp(&p, &zero, sizeof(p)) != 0)
			abort();
		break;
	default:
		abort();
	}
	return 0;
}
