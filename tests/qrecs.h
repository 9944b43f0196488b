/*
 * tests/qrecs.h -- five hand-checkable flow records shared by the query
 * unit tests.  They are the records tests/data/send5.py style v5 export
 * put through Debian's nfcapd/nfdump 1.7.1, whose output the tests hold
 * as the expected text (TZ=UTC).
 */
#ifndef TESTS_QRECS_H
#define TESTS_QRECS_H

#include <stdlib.h>
#include <time.h>

#include "common/base/addr.h"
#include "common/base/flowrec.h"

#define QRECS_N		5
#define QRECS_T0	UINT64_C(1795426759000)	/* 2026-11-23 09:39:19 UTC */

static inline void
qrecs_fill(struct flowrec r[QRECS_N])
{
	static const struct {
		const char	*s, *d;
		uint16_t	 sp, dp;
		uint8_t		 pr;
		uint64_t	 pk, by;
		uint8_t		 fl, tos;
	} sp[QRECS_N] = {
		{ "10.0.0.1", "192.0.2.10", 1234, 80, 6, 10, 15000, 0x1b, 0 },
		{ "10.0.0.2", "192.0.2.10", 40000, 53, 17, 1, 60, 0, 0 },
		{ "10.0.0.1", "198.51.100.7", 5555, 443, 6, 2000, 2500000,
		    0x12, 4 },
		{ "172.16.5.9", "10.0.0.1", 0, 0x0800, 1, 3, 252, 0, 0 },
		{ "10.0.0.3", "192.0.2.11", 1000, 22, 6, 123456, 987654321,
		    0x18, 0x20 },
	};

	setenv("TZ", "UTC", 1);
	tzset();
	for (int i = 0; i < QRECS_N; i++) {
		flowrec_init(&r[i]);
		addr_parse(sp[i].s, &r[i].src);
		addr_parse(sp[i].d, &r[i].dst);
		addr_parse("10.0.0.254", &r[i].nexthop);
		r[i].src_port = sp[i].sp;
		r[i].dst_port = sp[i].dp;
		r[i].proto = sp[i].pr;
		r[i].packets = sp[i].pk;
		r[i].bytes = sp[i].by;
		r[i].tcp_flags = sp[i].fl;
		r[i].tos = sp[i].tos;
		r[i].first_ms = QRECS_T0 + (uint64_t)i * 1000;
		r[i].last_ms = r[i].first_ms + (uint64_t)i * 5500;
		r[i].in_if = 3;
		r[i].out_if = 7;
		r[i].src_as = 64500 + (uint32_t)i;
		r[i].dst_as = 65000;
		r[i].engine_type = 1;
		r[i].engine_id = 2;
		r[i].direction = FLOWDIR_INGRESS;
	}
}

#endif /* TESTS_QRECS_H */
