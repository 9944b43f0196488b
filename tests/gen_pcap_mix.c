/*
 * tests/gen_pcap_mix.c -- traffic mixes for flowprobe's benchmark
 * (bench/probe_vs_softflowd.sh): conversations as a mirror port sees
 * them, both directions, with full frames by default.
 *
 *   gen_pcap mix FILE PACKETS SEED [name=value ...]
 *     conc=N    conversations open at any time (default 20000)
 *     sizes=S   what a conversation is (default short):
 *                 short   DNS queries (about half), short TCP (a few
 *                         data segments) and one elephant in a
 *                         two thousand: about 4 packets per flow
 *                 long    mostly TCP bulk transfers (hundreds of
 *                         segments), some short TCP and DNS
 *                 pareto  DNS and TCP whose segment counts follow a
 *                         Pareto law (shape 1), so no size is typical
 *     v6=P      percent of conversations over IPv6 (default 25)
 *     vlan=P    percent of conversations behind an 802.1Q tag (default 10)
 *     pps=N     packets per second of capture time (default 100000)
 *     snap=N    keep N bytes of each frame, as tcpdump -s N (default 0:
 *               whole frames)
 *
 * Every packet belongs to one of conc open conversations, picked at
 * random (so conversations interleave as on a real link); a
 * conversation that has sent its last packet is replaced by a new one.
 * A TCP conversation is a handshake, a request, the server's data
 * segments with an ACK back for every second one, and a FIN exchange
 * (one in twenty ends with a RST instead); DNS is one query and one
 * answer to one of a few resolvers.  Clients are 10.0.0.0/8 (or
 * 2001:db8:1:<n>::/64), servers one of 4096 addresses in 172.16.0.0/12
 * (2001:db8:2::/64).  Deterministic for a given seed and options.
 */
#include "common/base/compat.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/pcapgen.h"

#define MIX_SERVERS	4096
#define MIX_RESOLVERS	4
#define MIX_MAX_SEGS	1000000		/* longest transfer, segments */

enum { K_DNS, K_TCP };

/* TCP script positions; data runs from P_DATA until left reaches 0. */
enum { P_SYN, P_SYNACK, P_ACK, P_REQ, P_DATA, P_FIN1, P_FIN2, P_LAST };

struct conv {
	uint32_t	cli, srv;	/* v4 address, or v6 host part */
	uint32_t	left;		/* data segments still to send */
	uint32_t	sent;		/* data segments sent */
	uint16_t	cport, sport;
	uint16_t	vid;		/* 0: untagged */
	uint8_t		kind, v6, pos, rst;
};

struct mixconf {
	uint64_t	conc, pps, snap;
	unsigned	v6, vlan;
	const char	*sizes;
};

static uint64_t rng_state;

static uint64_t
rng(void)
{
	uint64_t z = (rng_state += UINT64_C(0x9e3779b97f4a7c15));

	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

/* Uniform in [0, 1). */
static double
unif(void)
{
	return (double)(rng() >> 11) / 9007199254740992.0;
}

/* Geometric number of segments >= 1 with the given mean (by trials). */
static uint32_t
geometric(uint32_t mean)
{
	uint32_t n = 1;

	while (n < MIX_MAX_SEGS && rng() % mean != 0)
		n++;
	return n;
}

/*
 * Pareto with xmin 1 and shape 1 (P(n >= x) = 1/x), capped: heavy
 * tailed, mean about 14 under the cap.
 */
static uint32_t
pareto(void)
{
	double n = 1 / (1 - unif());

	return n >= MIX_MAX_SEGS ? MIX_MAX_SEGS : (uint32_t)n;
}

/* Draw the next conversation of the mix into c. */
static void
conv_new(const struct mixconf *mc, struct conv *c)
{
	uint64_t r = rng();
	double u = unif();

	memset(c, 0, sizeof(*c));
	c->v6 = r % 100 < mc->v6;
	c->vid = (r >> 8) % 100 < mc->vlan ? (uint16_t)(100 + (r >> 16) % 8) :
	    0;
	c->cli = (uint32_t)(rng() & 0xffffff);
	c->cport = (uint16_t)(32768 + (r >> 24) % 28000);
	c->kind = K_TCP;
	if (strcmp(mc->sizes, "long") == 0) {
		if (u < 0.10)
			c->kind = K_DNS;
		else if (u < 0.40)
			c->left = geometric(3);
		else
			c->left = geometric(500);
	} else if (strcmp(mc->sizes, "pareto") == 0) {
		if (u < 0.30)
			c->kind = K_DNS;
		else
			c->left = pareto();
	} else {
		if (u < 0.55)
			c->kind = K_DNS;
		else if (u < 0.9995)
			c->left = geometric(2);
		else
			c->left = geometric(3000);
	}
	if (c->kind == K_DNS) {
		c->srv = (uint32_t)((r >> 40) % MIX_RESOLVERS) + 53;
		c->sport = 53;
	} else {
		c->srv = (uint32_t)((r >> 40) % MIX_SERVERS);
		c->sport = (r >> 52) % 4 == 0 ? 80 : 443;
		c->rst = (r >> 56) % 20 == 0;
	}
}

/* Link and IP headers for one packet of c, from the client if up. */
static void
headers(struct frame *f, const struct conv *c, bool up, uint8_t proto,
    uint16_t iplen)
{
	uint32_t cli, srv;
	uint8_t a[16];

	link_hdr(f, c->v6 ? 6 : 4, c->vid != 0 ? &c->vid : NULL,
	    c->vid != 0 ? 1 : 0);
	if (!c->v6) {
		cli = UINT32_C(0x0a000000) | c->cli;
		srv = UINT32_C(0xac100000) | c->srv;
		ip4_hdr(f, up ? cli : srv, up ? srv : cli, proto, 0, iplen,
		    (uint16_t)rng(), 0x4000, 0);
		return;
	}
	wbuf_be32(&f->w, 6u << 28);
	wbuf_be16(&f->w, (uint16_t)(iplen - 40));
	wbuf_u8(&f->w, proto);
	wbuf_u8(&f->w, 64);
	if (up)
		ip6_addr(a, 0x00010000 | (c->cli >> 16), c->cli);
	else
		ip6_addr(a, 0x00020000, c->srv);
	wbuf_bytes(&f->w, a, 16);
	if (up)
		ip6_addr(a, 0x00020000, c->srv);
	else
		ip6_addr(a, 0x00010000 | (c->cli >> 16), c->cli);
	wbuf_bytes(&f->w, a, 16);
}

static void
put(const struct mixconf *mc, struct frame *f, uint64_t ts, size_t iplen)
{
	size_t have = wbuf_len(&f->w) - f->l3, len;

	if (iplen > have)
		wbuf_zero(&f->w, iplen - have);
	if (!wbuf_ok(&f->w)) {
		fprintf(stderr, "gen_pcap: frame too large\n");
		exit(1);
	}
	len = wbuf_len(&f->w);
	pcap_record(ts, f->buf, mc->snap != 0 && mc->snap < len ?
	    (size_t)mc->snap : len, len);
}

/*
 * Emit the next packet of c at ts.  Returns true when that was its
 * last packet.
 */
static bool
conv_step(const struct mixconf *mc, struct conv *c, uint64_t ts)
{
	struct frame f;
	uint16_t hl = c->v6 ? 40 : 20, len;
	uint8_t flags;
	bool up, last = false;

	if (c->kind == K_DNS) {
		up = c->pos == 0;
		len = (uint16_t)(hl + 8 + (up ? 30 + rng() % 40 :
		    80 + rng() % 300));
		headers(&f, c, up, 17, len);
		ports_hdr(&f, up ? c->cport : c->sport, up ? c->sport :
		    c->cport, (uint16_t)(len - hl));
		put(mc, &f, ts, len);
		return c->pos++ == 1;
	}
	len = (uint16_t)(hl + 20);
	switch (c->pos) {
	case P_SYN:
		up = true, flags = 0x02, len += 20;
		c->pos = P_SYNACK;
		break;
	case P_SYNACK:
		up = false, flags = 0x12, len += 20;
		c->pos = P_ACK;
		break;
	case P_ACK:
		up = true, flags = 0x10;
		c->pos = P_REQ;
		break;
	case P_REQ:
		up = true, flags = 0x18, len += (uint16_t)(80 + rng() % 500);
		c->pos = P_DATA;
		break;
	case P_DATA:
		/* every third packet of the data phase is the client's ACK */
		if (c->sent % 3 == 2) {
			up = true, flags = 0x10;
			c->sent++;
			break;
		}
		up = false, flags = 0x10;
		len += c->left > 1 ? 1460 : (uint16_t)(1 + rng() % 1460);
		c->sent++;
		if (--c->left == 0) {
			flags |= 0x08;
			c->pos = c->rst ? P_LAST : P_FIN1;
		}
		break;
	case P_FIN1:
		up = false, flags = 0x11;
		c->pos = P_FIN2;
		break;
	case P_FIN2:
		up = true, flags = 0x11;
		c->pos = P_LAST;
		break;
	default:
		up = !c->rst, flags = c->rst ? 0x14 : 0x10;
		last = true;
		break;
	}
	headers(&f, c, up, 6, len);
	tcp_hdr(&f, up ? c->cport : c->sport, up ? c->sport : c->cport,
	    flags);
	put(mc, &f, ts, len);
	return last;
}

static uint64_t
opt_num(const char *name, const char *v)
{
	unsigned long long n;
	char *end;

	errno = 0;
	n = strtoull(v, &end, 10);
	if (*v == '\0' || *end != '\0' || errno != 0) {
		fprintf(stderr, "gen_pcap mix: bad %s=%s\n", name, v);
		exit(2);
	}
	return n;
}

void
case_mix(uint64_t npkts, uint64_t seed, int nopts, char **opts)
{
	struct mixconf mc = { 20000, 100000, 0, 25, 10, "short" };
	struct conv *cv;
	uint64_t i, ts;

	for (int k = 0; k < nopts; k++) {
		char *eq = strchr(opts[k], '=');

		if (eq == NULL)
			goto bad;
		*eq++ = '\0';
		if (strcmp(opts[k], "conc") == 0)
			mc.conc = opt_num(opts[k], eq);
		else if (strcmp(opts[k], "pps") == 0)
			mc.pps = opt_num(opts[k], eq);
		else if (strcmp(opts[k], "snap") == 0)
			mc.snap = opt_num(opts[k], eq);
		else if (strcmp(opts[k], "v6") == 0)
			mc.v6 = (unsigned)opt_num(opts[k], eq);
		else if (strcmp(opts[k], "vlan") == 0)
			mc.vlan = (unsigned)opt_num(opts[k], eq);
		else if (strcmp(opts[k], "sizes") == 0 &&
		    (strcmp(eq, "short") == 0 || strcmp(eq, "long") == 0 ||
		    strcmp(eq, "pareto") == 0))
			mc.sizes = eq;
		else
			goto bad;
	}
	if (mc.conc == 0 || mc.pps == 0 || mc.v6 > 100 || mc.vlan > 100)
		goto bad;
	if ((cv = calloc(mc.conc, sizeof(*cv))) == NULL)
		exit(1);
	rng_state = seed;
	for (i = 0; i < mc.conc; i++)
		conv_new(&mc, &cv[i]);
	pcap_header(LT_EN10MB);
	for (i = 0; i < npkts; i++) {
		struct conv *c = &cv[rng() % mc.conc];

		ts = T0 + i * SEC / mc.pps;
		if (conv_step(&mc, c, ts))
			conv_new(&mc, c);
	}
	free(cv);
	return;
bad:
	fprintf(stderr, "gen_pcap mix: options are conc=N sizes=short|long|"
	    "pareto v6=PERCENT vlan=PERCENT pps=N snap=BYTES\n");
	exit(2);
}
