/*
 * tests/t_natmap.c -- CGNAT mappings (common/enrich/natmap.h): port
 * blocks, NAT44 sessions, address bindings, de-allocation, steps,
 * overlap, limits and expiry.
 */
#include "common/base/compat.h"

#include <string.h>

#include "common/base/addr.h"
#include "common/base/nferr.h"
#include "common/enrich/natmap.h"
#include "tap.h"

#define S(x)	((uint64_t)(x) * 1000)

static struct nf_addr
A(const char *s)
{
	struct nf_addr a;

	addr_parse(s, &a);
	return a;
}

static int
ev(struct natmap *nm, uint8_t kind, uint64_t t, const char *in, const char *out,
    uint16_t port, uint16_t lo, uint16_t hi, uint16_t step)
{
	struct natmap_event e;
	struct nf_addr i = A(in), o = A(out);
	int r = natmap_event_of(kind, t, &i, 0, &o, port, lo, hi, step, &e);

	return r != NFE_OK ? r : natmap_apply(nm, &e);
}

static const char *
who(const struct natmap *nm, const char *out, uint16_t port, uint64_t t)
{
	static char buf[ADDR_STRLEN];
	struct nf_addr o = A(out), in;

	if (!natmap_lookup(nm, &o, port, t, &in))
		return "-";
	return addr_format(&in, buf, sizeof(buf));
}

int
main(void)
{
	struct natmap *nm;

	tap_no_plan();
	natmap_new(100, S(3600), &nm);
	ev(nm, NATEV_BLOCK_ALLOC, S(100), "10.0.0.5", "198.51.100.1", 0, 1024,
	    1535, 1);
	tap_is_str(who(nm, "198.51.100.1", 1100, S(150)), "10.0.0.5",
	    "port block: a port inside the block");
	tap_is_str(who(nm, "198.51.100.1", 1024, S(100)), "10.0.0.5",
	    "port block: its first port, at its start");
	tap_is_str(who(nm, "198.51.100.1", 1536, S(150)), "-",
	    "port block: the port after it");
	tap_is_str(who(nm, "198.51.100.1", 1100, S(99)), "-",
	    "port block: before the allocation");
	tap_is_str(who(nm, "198.51.100.2", 1100, S(150)), "-",
	    "another outside address");
	ev(nm, NATEV_BLOCK_FREE, S(200), "10.0.0.5", "198.51.100.1", 0, 1024,
	    1535, 1);
	tap_is_str(who(nm, "198.51.100.1", 1100, S(199)), "10.0.0.5",
	    "port block: until its de-allocation");
	tap_is_str(who(nm, "198.51.100.1", 1100, S(200)), "-",
	    "port block: not from its de-allocation on");
	ev(nm, NATEV_BLOCK_ALLOC, S(201), "10.0.0.6", "198.51.100.1", 0, 1024,
	    1535, 1);
	tap_is_str(who(nm, "198.51.100.1", 1100, S(250)), "10.0.0.6",
	    "the block handed to another subscriber a second later");
	ev(nm, NATEV_BLOCK_ALLOC, S(100), "10.0.0.7", "198.51.100.3", 0, 2000,
	    2999, 4);
	tap_is_str(who(nm, "198.51.100.3", 2004, S(150)), "10.0.0.7",
	    "a stepped block: a port on the step");
	tap_is_str(who(nm, "198.51.100.3", 2005, S(150)), "-",
	    "a stepped block: a port between steps");
	ev(nm, NATEV_NAT44_CREATE, S(100), "10.0.0.8", "198.51.100.4", 40000, 0,
	    0, 0);
	tap_is_str(who(nm, "198.51.100.4", 40000, S(110)), "10.0.0.8",
	    "NAT44 session create: its port");
	tap_is_str(who(nm, "198.51.100.4", 40001, S(110)), "-",
	    "NAT44 session: no other port");
	ev(nm, NATEV_NAT44_DELETE, S(120), "10.0.0.8", "198.51.100.4", 40000, 0,
	    0, 0);
	tap_is_str(who(nm, "198.51.100.4", 40000, S(121)), "-",
	    "NAT44 session delete");
	ev(nm, NATEV_BIND_CREATE, S(100), "10.0.0.9", "198.51.100.5", 0, 0, 0, 0);
	tap_is_str(who(nm, "198.51.100.5", 7, S(3000)), "10.0.0.9",
	    "address binding: any port");
	tap_is_str(who(nm, "198.51.100.5", 7, S(3700)), "-",
	    "an allocation without de-allocation ends after the timeout");
	tap_is_int(ev(nm, 3, S(100), "10.0.0.9", "198.51.100.5", 0, 0, 0, 0),
	    NFE_UNSUPP, "'addresses exhausted' maps nothing");
	tap_is_int(ev(nm, NATEV_BLOCK_ALLOC, S(100), "10.0.0.9", "198.51.100.6",
	    0, 0, 0, 0), NFE_UNSUPP, "a block event without its range");
	tap_is_int(ev(nm, NATEV_BLOCK_ALLOC, S(100), "10.0.0.9", "198.51.100.6",
	    0, 5000, 4000, 0), NFE_INVAL, "a range that ends before it starts");
	ev(nm, NATEV_BLOCK_FREE, S(100), "10.0.0.1", "198.51.100.9", 0, 1, 2, 0);
	tap_is_uint(natmap_stats(nm)->frees_unknown, 1,
	    "a de-allocation of nothing known is counted");
	tap_is_uint(natmap_count(nm), 5, "five mappings held (ended ones too)");
	natmap_expire(nm, S(210));
	tap_is_uint(natmap_count(nm), 3, "expiry drops the mappings ended "
	    "before the cutoff");
	natmap_free(nm);

	natmap_new(3, S(60), &nm);
	for (int i = 0; i < 3; i++)
		ev(nm, NATEV_BLOCK_ALLOC, S(i + 1), "10.0.0.1", "198.51.100.1", 0,
		    (uint16_t)(1000 * (i + 1)), (uint16_t)(1000 * (i + 1) + 99), 1);
	tap_is_int(ev(nm, NATEV_BLOCK_ALLOC, S(9), "10.0.0.1", "198.51.100.1", 0,
	    5000, 5099, 1), NFE_LIMIT, "the limit: NFE_LIMIT");
	tap_is_uint(natmap_stats(nm)->limit_drops, 1, "and counted");
	natmap_free(nm);
	return tap_done();
}
