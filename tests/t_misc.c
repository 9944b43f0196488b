/*
 * tests/t_misc.c -- small common modules: nferr, seq, flowrec, log
 * rate limiter.
 */
#include "common/base/compat.h"

#include <stdio.h>
#include <string.h>

#include "common/base/flowrec.h"
#include "common/base/nferr.h"
#include "common/codec/seq.h"
#include "common/prog/log.h"
#include "tap.h"

static void
test_nferr(void)
{
	bool all = true;

	for (int c = 0; c >= NFE_MIN; c--)
		if (strcmp(nferr_str(c), "unknown error") == 0)
			all = false;
	tap_ok(all, "every code has a message");
	tap_is_str(nferr_str(1), "unknown error", "positive code");
	tap_is_str(nferr_str(NFE_MIN - 1), "unknown error", "below range");
	tap_is_str(nferr_str(NFE_TRUNC), "truncated input", "NFE_TRUNC text");
}

static void
test_seq(void)
{
	struct nf_seq s;
	uint32_t miss;

	memset(&s, 0, sizeof(s));
	tap_ok(seq_update(&s, 100, 30, &miss) == SEQ_FIRST, "first");
	tap_ok(seq_update(&s, 130, 10, &miss) == SEQ_OK, "in order");
	tap_ok(seq_update(&s, 150, 5, &miss) == SEQ_GAP && miss == 10,
	    "gap of 10");
	tap_ok(seq_update(&s, 10, 5, &miss) == SEQ_RESET && miss == 0,
	    "backwards is a reset");
	tap_is_uint(s.lost, 10, "lost counted");
	tap_is_uint(s.resets, 1, "reset counted");
	memset(&s, 0, sizeof(s));
	seq_update(&s, UINT32_MAX - 1, 1, NULL);
	tap_ok(seq_update(&s, UINT32_MAX, 2, NULL) == SEQ_OK, "near wrap");
	tap_ok(seq_update(&s, 1, 1, NULL) == SEQ_OK, "wraps through zero");
	tap_ok(seq_update(&s, 5, 1, &miss) == SEQ_GAP && miss == 3,
	    "gap after wrap");
}

static void
test_flowrec(void)
{
	struct flowrec a, b;
	char buf[512];

	flowrec_init(&a);
	tap_ok(a.flows == 1 && a.af == 4 && a.direction == FLOWDIR_UNKNOWN &&
	    addr_is_v4(&a.src), "init defaults");
	b = a;
	tap_ok(flowrec_equal(&a, &b), "equal copies");
	b.end_reason = FLOWEND_IDLE;
	tap_ok(!flowrec_equal(&a, &b), "one field differs");
	a.dst_port = 3 << 8 | 1;
	tap_ok(flowrec_icmp_type(&a) == 3 && flowrec_icmp_code(&a) == 1,
	    "icmp type/code from dst_port");
	flowrec_dump(&a, buf, sizeof(buf));
	tap_ok(strstr(buf, "0.0.0.0:0 -> 0.0.0.0:769") != NULL, "dump");
}

static void
test_ratelimit(void)
{
	struct log_rl rl = { .interval_ms = 1000, .burst = 3 };
	int allowed = 0;

	log_init("t_misc", LOG_DEST_STDERR, LOG_ERR);	/* keep quiet */
	for (int i = 0; i < 10; i++)
		allowed += log_ratelimit(&rl, 5000 + (uint64_t)i);
	tap_is_int(allowed, 3, "burst of 3 per window");
	tap_is_uint(rl.suppressed, 7, "7 suppressed");
	tap_ok(log_ratelimit(&rl, 6001), "new window allows again");
	tap_is_uint(rl.suppressed, 0, "suppressed count reset");
}

int
main(void)
{
	tap_no_plan();
	test_nferr();
	test_seq();
	test_flowrec();
	test_ratelimit();
	return tap_done();
}
