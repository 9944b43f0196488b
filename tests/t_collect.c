/*
 * tests/t_collect.c -- flowcapd's data path (collector/worker.c and the
 * writer, collector/collect.c) without sockets or threads: datagrams go
 * to worker_datagram() as a worker takes them from its sockets, the
 * writer takes the messages in the same thread, and the files are read
 * back.
 *
 * Checked: each record names its exporter in the file's exporter table
 * (the batch is stamped per datagram, also when a datagram fills the
 * batch several times before its exporter exists); counters are scaled
 * by the announced rate; the table lists every exporter that sent in
 * the file's interval, with its counters; a full exporter table refuses
 * new exporters and counts their datagrams and flows; malformed input
 * from unknown sources creates no exporter; records decoded from a
 * held set after a rotation name their exporter in the new file; and
 * with two workers, datagrams that reach the worker that does not own
 * their exporter (templates through one, data through the other, as
 * when the kernel cannot steer) are handed to the owner and decoded
 * there, every flow stored once, one exporter, its sequence intact.
 */
#include "common/base/compat.h"

#include <sys/stat.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collector/collect.h"
#include "collector/steer.h"
#include "collector/worker.h"
#include "common/base/nferr.h"
#include "common/base/timeutil.h"
#include "common/codec/codec.h"
#include "common/ffile/fcol.h"
#include "common/ffile/ffile.h"
#include "common/ffile/zcodec.h"
#include "common/prog/log.h"
#include "tap.h"

#define A1	0xc0000201	/* 192.0.2.1: v5, rate 10 */
#define A2	0xc0000202	/* 192.0.2.2: v9 */
#define A3	0xc0000203	/* 192.0.2.3: v9, one big datagram */
#define A4	0xc0000204	/* 192.0.2.4: IPFIX, waits for a rate */
#define MAXREC	2048

/*
 * A flow with distinct values (as tests/nfcollect.h sample_flow, which
 * this file cannot include: its struct names are the collector's).
 */
static void
sample_flow(struct flowrec *r, unsigned seed, int v6, uint64_t base_ms)
{
	uint8_t a[16];

	flowrec_init(r);
	if (v6) {
		r->af = 6;
		for (int i = 0; i < 16; i++)
			a[i] = (uint8_t)(0x20 + i + seed);
		addr_from_v6(&r->src, a);
		a[15] ^= 0x55;
		addr_from_v6(&r->dst, a);
	} else {
		addr_from_v4(&r->src, 0x0a000001 + seed);
		addr_from_v4(&r->dst, 0xc0a80102 + (seed << 8));
	}
	r->first_ms = base_ms - 5000 - seed * 7;
	r->last_ms = base_ms - 100 - seed;
	r->packets = UINT64_C(0x100000000) + seed * 3 + 1;
	r->bytes = UINT64_C(0x2540be400) + seed * 1500 + 40;
	r->src_port = (uint16_t)(1024 + seed);
	r->dst_port = 443;
	r->proto = 6;
}

struct setup {
	char		 dir[64];
	struct collect_conf cc;
	struct worker_shared sh;
	struct worker	 w[2];
	struct worker	*wp[2];
	size_t		 nw;
	struct collect	 c;
};

/* What one file held. */
struct file {
	struct ffile_exporter x[8];
	size_t		 nx;
	struct flowrec	*r;		/* owned: MAXREC */
	size_t		 n;
};

/* nw workers and the writer, all run by this thread */
static bool
start_n(struct setup *s, size_t max_exporters, size_t nw)
{
	char err[256];

	memset(s, 0, sizeof(*s));
	snprintf(s->dir, sizeof(s->dir), "/tmp/t_collect.XXXXXX");
	if (mkdtemp(s->dir) == NULL)
		return false;
	s->cc.spool.dir = s->dir;
	s->cc.spool.interval = 3600;
	s->cc.spool.codec = ZC_LZ4;
	s->cc.spool.hold_max = SPOOL_DEF_HOLD;
	s->cc.max_exporters = max_exporters;
	s->cc.nworkers = nw;
	s->nw = nw;
	worker_shared_init(&s->sh, nw, s->wp, max_exporters);
	s->sh.drain = collect_drain_cb;
	s->sh.drain_arg = &s->c;
	for (size_t i = 0; i < nw; i++) {
		s->wp[i] = &s->w[i];
		if (worker_init(&s->w[i], (unsigned)i, &s->sh, NULL,
		    FQ_MIN_BYTES, max_exporters, NULL, err, sizeof(err)) !=
		    NFE_OK) {
			tap_diag("worker_init: %s", err);
			return false;
		}
	}
	if (collect_init(&s->c, &s->cc, &s->sh, err, sizeof(err)) !=
	    NFE_OK) {
		tap_diag("collect_init: %s", err);
		return false;
	}
	return true;
}

static bool
start(struct setup *s, size_t max_exporters)
{
	return start_n(s, max_exporters, 1);
}

/* When each datagram came in: the n-th fed is this plus n ms. */
#define RECV_BASE_MS	UINT64_C(1700000000000)
static uint64_t nfed;

/* A datagram from src taken by worker w, then the writer's turn. */
static void
feed_to(struct setup *s, size_t w, const uint8_t *p, size_t len,
    uint32_t src, uint16_t sport)
{
	struct nf_addr a;

	addr_from_v4(&a, src);
	worker_datagram(&s->w[w], p, len, &a, sport, RECV_BASE_MS + nfed++);
	worker_publish(&s->w[w]);
	for (size_t i = 0; i < s->nw; i++) {
		(void)worker_inbox(&s->w[i]);
		worker_publish(&s->w[i]);
	}
	collect_drain_cb(&s->c);
}

static void
feed(struct setup *s, const uint8_t *p, size_t len, uint32_t src)
{
	feed_to(s, 0, p, len, src, 4000);
}

/* The end of the run: the workers finish (held sets), the file is done. */
static void
stop(struct setup *s)
{
	collect_drain(&s->c);
	collect_fini(&s->c);
}

/* Encode recs with a fresh encoder of codec c and feed every datagram. */
static size_t
feed_flows(struct setup *s, const struct nf_codec *c, uint32_t src,
    const struct flowrec *recs, size_t n, uint32_t rate, size_t max_size)
{
	static uint8_t dg[65536];
	struct nf_enc e;
	size_t i = 0, len, used, nd = 0;
	uint64_t now = time_now_ms();

	c->enc_init(&e, 3, now - 60000);
	e.sampling = rate;
	e.max_size = max_size;
	while (i < n) {
		if (c->encode(&e, now, recs + i, n - i, dg, sizeof(dg), &len,
		    &used) != NFE_OK || used == 0)
			break;
		if (len > 0) {
			feed(s, dg, len, src);
			nd++;
		}
		i += used;
	}
	return nd;
}

/* The files in s->dir, oldest name first (at most 2). */
static size_t
list_files(const struct setup *s, char names[2][512])
{
	struct dirent *de;
	DIR *d = opendir(s->dir);
	size_t n = 0;

	if (d == NULL)
		return 0;
	while ((de = readdir(d)) != NULL)
		if (strncmp(de->d_name, "flows.", 6) == 0 && n < 2 &&
		    strstr(de->d_name, ".current") == NULL)
			snprintf(names[n++], sizeof(names[0]), "%s/%s", s->dir,
			    de->d_name);
	closedir(d);
	if (n == 2 && strcmp(names[0], names[1]) > 0) {
		char t[512];

		memcpy(t, names[0], sizeof(t));
		memcpy(names[0], names[1], sizeof(t));
		memcpy(names[1], t, sizeof(t));
	}
	return n;
}

static bool
read_file(const char *path, struct file *f)
{
	const struct ffile_info *in;
	struct ffile_reader *r;
	struct ffile_blockbuf b;
	struct fcol c;
	char err[256];
	bool ok = true;

	memset(f, 0, sizeof(*f));
	if ((f->r = calloc(MAXREC, sizeof(*f->r))) == NULL ||
	    ffile_open(path, 0, &r, err, sizeof(err)) != NFE_OK) {
		tap_diag("%s: %s", path, err);
		return false;
	}
	in = ffile_info(r);
	for (size_t i = 0; i < in->nexporters && i < NF_NELEM(f->x); i++)
		f->x[f->nx++] = in->exporters[i];
	ffile_blockbuf_init(&b);
	fcol_init(&c, 1024);
	for (size_t i = 0; i < in->nblocks && ok; i++) {
		if (ffile_load_block(r, i, FCOL_ALL, &b, &c, err,
		    sizeof(err)) != NFE_OK) {
			tap_diag("%s: %s", path, err);
			ok = false;
			break;
		}
		for (size_t k = 0; k < c.n && f->n < MAXREC; k++)
			fcol_get(&c, k, &f->r[f->n++]);
	}
	fcol_fini(&c);
	ffile_blockbuf_fini(&b);
	ffile_close(r);
	return ok;
}

static void
finish(struct setup *s)
{
	char cmd[128];

	for (size_t i = 0; i < s->nw; i++)
		worker_fini(&s->w[i]);
	worker_shared_fini(&s->sh);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", s->dir);
	if (system(cmd) != 0)
		tap_diag("could not remove %s", s->dir);
}

/* Index of the exporter with address a in f's table, or -1. */
static int
xindex(const struct file *f, uint32_t a)
{
	for (size_t i = 0; i < f->nx; i++)
		if (addr_v4(&f->x[i].addr) == a)
			return (int)i;
	return -1;
}

static void
test_stamps(void)
{
	static struct flowrec v5[5], v9[12], big[700];
	static struct setup s;
	struct file f;
	char names[2][512];
	uint8_t junk[40] = { 0, 9, 0, 1 };
	uint8_t bad[20] = { 0, 8 };
	size_t n1 = 0, n2 = 0, n3 = 0, bad_idx = 0, big_dg, bad_recv = 0;
	size_t big_recv = 0;
	uint64_t fed0 = nfed, big_at;
	int i1, i2, i3;

	if (!start(&s, 0)) {
		tap_ok(false, "collector set up");
		return;
	}
	for (unsigned i = 0; i < NF_NELEM(v5); i++)
		sample_flow(&v5[i], i, 0, time_now_ms());
	for (unsigned i = 0; i < NF_NELEM(v9); i++)
		sample_flow(&v9[i], 100 + i, i % 4 == 3, time_now_ms());
	for (unsigned i = 0; i < NF_NELEM(big); i++)
		sample_flow(&big[i], 200 + i, 0, time_now_ms());
	feed_flows(&s, &nf_codec_v5, A1, v5, NF_NELEM(v5), 10, 0);
	feed_flows(&s, &nf_codec_v9, A2, v9, NF_NELEM(v9), 0, 400);
	/* 700 records in one datagram: the batch fills twice before the
	   new exporter is known */
	big_at = nfed;
	big_dg = feed_flows(&s, &nf_codec_v9, A3, big, NF_NELEM(big), 0,
	    65000);
	feed(&s, junk, sizeof(junk), 0xc0000263);	/* truncated v9 */
	feed(&s, bad, sizeof(bad), 0xc0000264);		/* version 8 */
	tap_ok(s.w[0].xt.n == 3 && s.c.nknown == 3 &&
	    atomic_load(&s.w[0].cnt.bad_unknown) == 1 &&
	    atomic_load(&s.w[0].cnt.bad_header) == 1, "three exporters; a "
	    "malformed datagram and a bad header from unknown sources create "
	    "none");
	stop(&s);
	if (list_files(&s, names) != 1 || !read_file(names[0], &f)) {
		tap_ok(false, "one file written and read back");
		finish(&s);
		return;
	}
	i1 = xindex(&f, A1);
	i2 = xindex(&f, A2);
	i3 = xindex(&f, A3);
	tap_ok(f.nx == 3 && i1 >= 0 && i2 >= 0 && i3 >= 0,
	    "the file's exporter table lists the three exporters");
	for (size_t k = 0; k < f.n; k++) {
		const struct flowrec *r = &f.r[k];

		/* every record: when its datagram came in */
		if (r->received_ms < RECV_BASE_MS + fed0 ||
		    r->received_ms >= RECV_BASE_MS + nfed)
			bad_recv++;
		if (r->exporter == i1 && r->sampling == 10 &&
		    r->packets == UINT32_MAX * UINT64_C(10))
			n1++;		/* v5 clamps packets to 2^32 - 1 */
		else if (r->exporter == i2 && r->sampling == 0 &&
		    r->src_port >= 1124 && r->src_port < 1136)
			n2++;
		else if (r->exporter == i3 && r->src_port >= 1224 &&
		    r->src_port < 1924) {
			n3++;
			big_recv += r->received_ms == RECV_BASE_MS + big_at;
		}
		else
			bad_idx++;
	}
	tap_ok(n1 == NF_NELEM(v5) && bad_idx == 0, "v5 records name their "
	    "exporter, counters scaled by the announced 1-in-10");
	tap_ok(n2 == NF_NELEM(v9), "v9 records (IPv4 and IPv6, several "
	    "datagrams) name their exporter");
	tap_ok(big_dg == 1 && n3 == NF_NELEM(big), "700 records of one "
	    "datagram (%zu datagrams) name their new exporter", big_dg);
	tap_ok(bad_recv == 0 && big_recv == NF_NELEM(big), "every record "
	    "carries when its datagram came in (%zu wrong; %zu of the 700 "
	    "from their one datagram)", bad_recv, big_recv);
	tap_ok(f.x[i1].stats.records == NF_NELEM(v5) &&
	    f.x[i1].stats.datagrams == 1 && f.x[i1].sampling == 10 &&
	    f.x[i3].stats.records == NF_NELEM(big) &&
	    f.x[i3].stats.datagrams == 1 && f.x[i1].version == 5 &&
	    f.x[i2].version == 9 && f.x[i1].domain == 3,
	    "per-file counters, version, domain and rate in the table");
	free(f.r);
	finish(&s);
}

static void
test_refused(void)
{
	static struct flowrec v9[6];
	static struct setup s;

	if (!start(&s, 1)) {
		tap_ok(false, "collector set up");
		return;
	}
	for (unsigned i = 0; i < NF_NELEM(v9); i++)
		sample_flow(&v9[i], i, 0, time_now_ms());
	feed_flows(&s, &nf_codec_v9, A1, v9, NF_NELEM(v9), 0, 1400);
	feed_flows(&s, &nf_codec_v9, A2, v9, NF_NELEM(v9), 0, 1400);
	tap_ok(s.w[0].xt.n == 1 &&
	    atomic_load(&s.w[0].cnt.refused_datagrams) == 1 &&
	    atomic_load(&s.w[0].cnt.refused_flows) == NF_NELEM(v9) &&
	    s.w[0].xt.all[0]->shown.total.records == NF_NELEM(v9),
	    "--max-exporters 1: the second exporter's datagram and flows are "
	    "refused and counted");
	stop(&s);
	finish(&s);
}

/*
 * IPFIX, domain 5: a template (sourceIPv4Address, destinationIPv4Address,
 * packetDeltaCount, selectorId) and one record naming selector 9, whose
 * rate nothing has announced: the set waits for it.
 */
static size_t
make_waiting(uint8_t *p, uint32_t secs)
{
	static const uint8_t m[68] = {
		0x00, 0x0a, 0x00, 0x44, 0, 0, 0, 0,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05,
		0x00, 0x02, 0x00, 0x18, 0x01, 0x00, 0x00, 0x04,
		0x00, 0x08, 0x00, 0x04, 0x00, 0x0c, 0x00, 0x04,
		0x00, 0x02, 0x00, 0x08, 0x01, 0x2e, 0x00, 0x08,
		0x01, 0x00, 0x00, 0x1c,
		0x0a, 0x09, 0x09, 0x09, 0x0a, 0x08, 0x08, 0x08,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x07,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x09,
	};

	memcpy(p, m, sizeof(m));
	p[4] = (uint8_t)(secs >> 24);
	p[5] = (uint8_t)(secs >> 16);
	p[6] = (uint8_t)(secs >> 8);
	p[7] = (uint8_t)secs;
	return sizeof(m);
}

static void
test_held_after_rotation(void)
{
	static struct flowrec v9[3];
	static struct setup s;
	struct file f1, f2;
	char names[2][512];
	uint8_t m[68];
	int i4;

	if (!start(&s, 0)) {
		tap_ok(false, "collector set up");
		return;
	}
	for (unsigned i = 0; i < NF_NELEM(v9); i++)
		sample_flow(&v9[i], i, 0, time_now_ms());
	feed_flows(&s, &nf_codec_v9, A2, v9, NF_NELEM(v9), 0, 1400);
	feed(&s, m, make_waiting(m, (uint32_t)(time_now_ms() / 1000)), A4);
	tap_ok(s.w[0].xt.n == 2 && s.w[0].xt.all[1]->held_n == 1 &&
	    s.w[0].xt.all[1]->shown.total.rate_held == 1,
	    "IPFIX set naming an unannounced selector is held");
	collect_tick(&s.c, true);		/* rotate: file 1 done */
	/* exit: the set is stored without a rate, in file 2 */
	stop(&s);
	if (list_files(&s, names) != 2 || !read_file(names[0], &f1) ||
	    !read_file(names[1], &f2)) {
		tap_ok(false, "two files written and read back");
		finish(&s);
		return;
	}
	tap_ok(f1.n == NF_NELEM(v9) && f1.nx == 2 && xindex(&f1, A2) >= 0 &&
	    xindex(&f1, A4) >= 0, "file 1: the v9 records; both exporters "
	    "sent in its interval");
	i4 = xindex(&f2, A4);
	tap_ok(f2.n == 1 && f2.nx == 1 && i4 == 0 && f2.r[0].exporter == 0 &&
	    addr_v4(&f2.r[0].src) == 0x0a090909 && f2.r[0].packets == 7 &&
	    f2.x[0].stats.records == 1, "file 2: the held record names its "
	    "exporter, which joined file 2's table with it");
	free(f1.r);
	free(f2.r);
	finish(&s);
}

/* An exporter that sends only templates is in the file, with counters. */
static void
test_templates_only(void)
{
	static struct flowrec v9[2];
	static struct setup s;
	static uint8_t dg[1500];
	struct nf_enc e;
	struct file f1, f2;
	char names[2][512];
	size_t len, used;
	uint64_t now = time_now_ms();
	int i2;

	if (!start(&s, 0)) {
		tap_ok(false, "collector set up");
		return;
	}
	for (unsigned i = 0; i < NF_NELEM(v9); i++)
		sample_flow(&v9[i], i, 0, now);
	nf_codec_v9.enc_init(&e, 3, now - 60000);
	nf_codec_v9.encode(&e, now, v9, 2, dg, sizeof(dg), &len, &used);
	feed(&s, dg, len, A2);
	collect_tick(&s.c, true);
	nf_enc_force_templates(&e);
	nf_codec_v9.encode(&e, now, NULL, 0, dg, sizeof(dg), &len, &used);
	feed(&s, dg, len, A2);
	stop(&s);
	if (list_files(&s, names) != 2 || !read_file(names[0], &f1) ||
	    !read_file(names[1], &f2)) {
		tap_ok(false, "two files written and read back");
		finish(&s);
		return;
	}
	i2 = xindex(&f2, A2);
	tap_ok(f1.n == 2 && f2.n == 0 && i2 == 0 &&
	    f2.x[0].stats.datagrams == 1 && f2.x[0].stats.records == 0,
	    "a templates-only datagram lists its exporter in the new file");
	free(f1.r);
	free(f2.r);
	finish(&s);
}

/*
 * Two workers; the datagrams of one v9 exporter arrive through both (as
 * when the kernel cannot steer), its templates and sampling options
 * through the one that does not own it: every datagram is decoded by
 * the owner, in order.
 */
static void
test_handover(void)
{
	static struct flowrec v9[400];
	static struct setup s;
	static uint8_t dg[1500];
	struct nf_enc e;
	struct file f;
	struct nf_addr a;
	char names[2][512];
	size_t len, used, i = 0, nd = 0, nscaled = 0;
	uint64_t now = time_now_ms();
	unsigned own;

	if (!start_n(&s, 0, 2)) {
		tap_ok(false, "collector set up");
		return;
	}
	addr_from_v4(&a, A2);
	own = steer_owner(&a, 2);
	for (unsigned k = 0; k < NF_NELEM(v9); k++)
		sample_flow(&v9[k], k, k % 5 == 0, now);
	nf_codec_v9.enc_init(&e, 3, now - 60000);
	e.sampling = 100;
	e.max_size = 400;
	e.tmpl_pkts = 1000;		/* templates in the first only */
	while (i < NF_NELEM(v9)) {
		if (nf_codec_v9.encode(&e, now, v9 + i, NF_NELEM(v9) - i, dg,
		    sizeof(dg), &len, &used) != NFE_OK || used == 0)
			break;
		/* the first (templates, sampling) through the other worker,
		   then the two in turn, from two source ports */
		feed_to(&s, (nd + 1 + own) % 2, dg, len, A2,
		    (uint16_t)(4000 + nd % 2));
		nd++;
		i += used;
	}
	tap_ok(i == NF_NELEM(v9) && s.w[own].xt.n == 1 &&
	    s.w[1 - own].xt.n == 0 && atomic_load(&s.w[1 - own].cnt.handed) ==
	    (nd + 1) / 2 && atomic_load(&s.w[own].cnt.handed) == 0,
	    "%zu datagrams: the owner has the exporter, the other worker "
	    "handed it %zu", nd, (size_t)atomic_load(&s.w[1 - own].cnt.handed));
	stop(&s);
	if (list_files(&s, names) != 1 || !read_file(names[0], &f)) {
		tap_ok(false, "one file written and read back");
		finish(&s);
		return;
	}
	for (size_t k = 0; k < f.n; k++)
		if (f.r[k].sampling == 100 && f.r[k].exporter == 0 &&
		    f.r[k].packets == (UINT64_C(0x100000000) +
		    (f.r[k].src_port - 1024) * 3 + 1) * 100)
			nscaled++;
	tap_ok(f.n == NF_NELEM(v9) && nscaled == NF_NELEM(v9),
	    "every flow stored once, scaled by the rate its options announced "
	    "through the other worker (%zu of %zu)", nscaled, f.n);
	tap_ok(f.nx == 1 && f.x[0].stats.datagrams == nd &&
	    f.x[0].stats.records == NF_NELEM(v9) && f.x[0].stats.seq_gaps == 0 &&
	    f.x[0].stats.seq_lost == 0 && f.x[0].stats.no_template == 0 &&
	    f.x[0].sampling == 100, "one exporter in the file, every datagram "
	    "counted, its sequence without gaps, no set without template");
	free(f.r);
	finish(&s);
}

int
main(void)
{
	tap_no_plan();
	log_init("t_collect", LOG_DEST_STDERR, LOG_ERR);
	test_stamps();
	test_refused();
	test_held_after_rotation();
	test_templates_only();
	test_handover();
	return tap_done();
}
