/*
 * collector/capstats.c -- flowcapd's loss reports and statistics text
 * (collector/capstats.h).
 */
#include "common/base/compat.h"

#include <inttypes.h>
#include <stddef.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collector/capstats.h"
#include "collector/collect.h"
#include "collector/worker.h"
#include "common/base/timeutil.h"

/* A counter summed over the workers. */
#define SUM(c, field) sum_counter((c), offsetof(struct worker_counters, field))

static uint64_t
sum_counter(const struct collect *c, size_t off)
{
	uint64_t n = 0;

	for (size_t i = 0; i < c->nw; i++)
		n += atomic_load((_Atomic uint64_t *)(uintptr_t)
		    ((const char *)&c->sh->w[i]->cnt + off));
	return n;
}

static size_t
queue_bytes(const struct collect *c, bool used)
{
	size_t n = 0;

	for (size_t i = 0; i < c->nw; i++)
		n += used ? fq_used(c->outs[i]) : fq_capacity(c->outs[i]);
	return n;
}

uint64_t
capstats_unknown(const struct collect *c)
{
	return SUM(c, bad_header) + SUM(c, bad_unknown);
}

uint64_t
capstats_received(const struct collect *c)
{
	return SUM(c, datagrams);
}

void
capstats_loss_now(const struct collect *c, struct capstats_loss *l)
{
	l->kdrops = SUM(c, kdrops);
	l->qdrops = SUM(c, qdrops);
	l->qdrop_flows = SUM(c, qdrop_flows);
	l->acl = SUM(c, refused);
	l->refused_datagrams = SUM(c, refused_datagrams);
	l->refused_flows = SUM(c, refused_flows);
	l->hold_dropped = c->spool.hold.dropped;
	l->unwritten = c->spool.hold.discarded;
	l->nofile = c->spool.nofile;
}

void
capstats_loss_diff(const struct capstats_loss *a,
    const struct capstats_loss *b, struct capstats_loss *d)
{
	d->kdrops = a->kdrops - b->kdrops;
	d->qdrops = a->qdrops - b->qdrops;
	d->qdrop_flows = a->qdrop_flows - b->qdrop_flows;
	d->acl = a->acl - b->acl;
	d->refused_datagrams = a->refused_datagrams - b->refused_datagrams;
	d->refused_flows = a->refused_flows - b->refused_flows;
	d->hold_dropped = a->hold_dropped - b->hold_dropped;
	d->unwritten = a->unwritten - b->unwritten;
	d->nofile = a->nofile - b->nofile;
}

/* Cause and cure of each kind of loss, as the three reports word it. */
static void
print_kdrops(const struct collect *c, uint64_t n, FILE *f)
{
	fprintf(f, "%" PRIu64 " datagrams dropped by the kernel (socket "
	    "receive buffer of %d bytes full): raise -B or "
	    "net.core.rmem_max", n, c->conf->rcvbuf);
}

static void
print_qdrops(const struct collect *c, uint64_t n, uint64_t fl, FILE *f)
{
	fprintf(f, "%" PRIu64 " datagrams (%" PRIu64 " flows) dropped by the "
	    "queue to the writer (%zu bytes full: the writer fell behind): "
	    "raise -Q", n, fl, queue_bytes(c, false));
}

static void
print_refused(const struct collect *c, uint64_t dg, uint64_t fl, FILE *f)
{
	fprintf(f, "%" PRIu64 " datagrams (%" PRIu64 " flows) refused from "
	    "new exporters (exporter table full at %zu): raise "
	    "--max-exporters", dg, fl, c->sh->ids.max);
}

static void
print_hold_dropped(const struct collect *c, uint64_t n, FILE *f)
{
	fprintf(f, "%" PRIu64 " flows dropped while the disk refused writes "
	    "(hold limit of %" PRIu64 " bytes full): free disk space or "
	    "raise -H", n, c->spool.hold.limit);
}

static void
print_unwritten(uint64_t n, FILE *f)
{
	fprintf(f, "%" PRIu64 " flows held in memory not written: the disk "
	    "still refused writes at exit", n);
}

static void
print_nofile(uint64_t n, FILE *f)
{
	fprintf(f, "%" PRIu64 " flows without a file (none could be set "
	    "up; see the log)", n);
}

bool
capstats_loss_warn(const struct collect *c, const char *where,
    const struct capstats_loss *l)
{
	char *text = NULL;
	size_t len = 0;
	const char *sep = "";
	FILE *f;

	if (l->kdrops == 0 && l->qdrops == 0 && l->refused_datagrams == 0 &&
	    l->hold_dropped == 0 && l->unwritten == 0 && l->nofile == 0)
		return false;
	if ((f = open_memstream(&text, &len)) == NULL)
		return false;
	if (l->kdrops > 0) {
		print_kdrops(c, l->kdrops, f);
		sep = "; ";
	}
	if (l->qdrops > 0) {
		fputs(sep, f);
		print_qdrops(c, l->qdrops, l->qdrop_flows, f);
		sep = "; ";
	}
	if (l->refused_datagrams > 0) {
		fputs(sep, f);
		print_refused(c, l->refused_datagrams, l->refused_flows, f);
		sep = "; ";
	}
	if (l->hold_dropped > 0) {
		fputs(sep, f);
		print_hold_dropped(c, l->hold_dropped, f);
		sep = "; ";
	}
	if (l->unwritten > 0) {
		fputs(sep, f);
		print_unwritten(l->unwritten, f);
		sep = "; ";
	}
	if (l->nofile > 0) {
		fputs(sep, f);
		print_nofile(l->nofile, f);
	}
	if (fclose(f) == 0)
		log_msg(LOG_WARNING, "%s: data lost: %s", where, text);
	free(text);
	return true;
}

void
capstats_totals(const struct collect *c, struct capstats_totals *t)
{
	memset(t, 0, sizeof(*t));
	t->malformed = capstats_unknown(c);
	t->refused_datagrams = SUM(c, refused_datagrams);
	t->refused_flows = SUM(c, refused_flows);
	for (size_t i = 0; i < c->nknown; i++) {
		t->datagrams += c->known[i]->shown.total.datagrams;
		t->records += c->known[i]->shown.total.records;
		t->malformed += c->known[i]->shown.total.bad_datagrams;
	}
}

static void
print_exporter(const struct exporter *e, FILE *f)
{
	const struct exp_counters *t = &e->shown.total;

	fprintf(f, "  %s port %u: %" PRIu64 " datagrams, %" PRIu64
	    " flows, %" PRIu64 " lost in %" PRIu64 " sequence gaps, %"
	    PRIu64 " resets, %" PRIu64 " malformed, %" PRIu64 " without "
	    "template (%" PRIu64 " decoded later, %" PRIu64 " dropped), "
	    "sampling %u\n", e->name, (unsigned)e->shown.port, t->datagrams,
	    t->records, t->seq_lost, t->seq_gaps, t->seq_resets,
	    t->bad_datagrams, t->no_template, t->held_decoded,
	    t->held_dropped, (unsigned)e->shown.sampling);
	if (t->counter_samples > 0 || t->no_ip_samples > 0)
		fprintf(f, "    sFlow: %" PRIu64 " counter samples (counted, "
		    "not stored), %" PRIu64 " flow samples without an IP "
		    "packet\n", t->counter_samples, t->no_ip_samples);
}

/* Where the decoded flows are, and whether the disk takes writes. */
static void
print_disk(const struct collect *c, const struct capstats_totals *t,
    const struct capstats_loss *l, FILE *f)
{
	const struct spool *s = &c->spool;
	const char *path;
	uint64_t need;
	int err;

	/* each decoded flow is in exactly one of these counts */
	fprintf(f, "Flows decoded: %" PRIu64 ": %" PRIu64 " written to disk "
	    "(%" PRIu64 " in %" PRIu64 " completed files), %zu in blocks "
	    "being filled, %" PRIu64 " held in memory (%" PRIu64 " bytes, "
	    "-H %" PRIu64 "), %" PRIu64 " dropped (hold limit)", t->records,
	    s->hold.written, s->stored, s->files,
	    spool_pending(s), s->hold.records, s->hold.bytes,
	    s->hold.limit, l->hold_dropped);
	if (l->hold_dropped > 0) {
		fputs(": ", f);
		print_hold_dropped(c, l->hold_dropped, f);
	}
	if (l->nofile > 0) {
		fputs(", ", f);
		print_nofile(l->nofile, f);
	}
	if (s->stalled && spool_stall_info(s, &path, &err, &need))
		fprintf(f, "\nDisk: writes failing for %.1f s: %s: %s (%"
		    PRIu64 " bytes needed); %zu files wait to be completed",
		    (double)(time_mono_ms() - s->stall_mono) / 1000, path,
		    strerror(err), need, spool_waiting(s));
	else
		fprintf(f, "\nDisk: writing");
	fprintf(f, "\nFiles completed: %" PRIu64 "; current: %s\n", s->files,
	    s->cur != NULL ? s->cur->tmp : "none");
}

void
capstats_print(const struct collect *c, FILE *f)
{
	const struct collect_conf *cf = c->conf;
	struct capstats_totals t;
	struct capstats_loss l;
	uint64_t now = time_now_ms();

	capstats_totals(c, &t);
	capstats_loss_now(c, &l);
	fprintf(f, "flowcapd %s, pid %ld, up %" PRIu64 " s\n",
	    PACKAGE_VERSION, (long)getpid(),
	    (now - c->start_ms) / 1000);
	fprintf(f, "Listening: port %u, %zu sockets, receive buffer %d "
	    "bytes, receive thread%s %s (%zu worker%s)\n", (unsigned)cf->port,
	    cf->nsock, cf->rcvbuf, c->nw > 1 ? "s" : "", cf->rx_realtime ?
	    "real-time (SCHED_FIFO)" : "normal priority", c->nw,
	    c->nw > 1 ? "s" : "");
	if (c->nw > 1)
		fprintf(f, "Workers: datagrams steered to their exporter's "
		    "worker by %s; %" PRIu64 " handed over between workers "
		    "(%" PRIu64 " dropped: inbox full)\n", cf->steer_err == 0 ?
		    "the kernel" : "the workers", SUM(c, handed),
		    SUM(c, hand_drops));
	for (size_t i = 0; c->nw > 1 && i < c->nw; i++)
		fprintf(f, "  worker %zu: %" PRIu64 " datagrams received, %"
		    PRIu64 " exporters\n", i,
		    (uint64_t)atomic_load(&c->sh->w[i]->cnt.datagrams),
		    (uint64_t)atomic_load(&c->sh->w[i]->cnt.exporters));
	fprintf(f, "Datagrams received: %" PRIu64 " (%" PRIu64
	    " refused by -A, %" PRIu64 " truncated)\n", SUM(c, datagrams),
	    l.acl, SUM(c, oversize));
	fprintf(f, "Socket drops (kernel): %" PRIu64, l.kdrops);
	if (l.kdrops > 0) {
		fputs(": ", f);
		print_kdrops(c, l.kdrops, f);
	}
	fprintf(f, "\nQueue: %zu of %zu bytes used, %" PRIu64 " drops",
	    queue_bytes(c, true), queue_bytes(c, false), l.qdrops);
	if (l.qdrops > 0) {
		fputs(": ", f);
		print_qdrops(c, l.qdrops, l.qdrop_flows, f);
	}
	fprintf(f, "\nExporters: %" PRIu64 " (at most %zu), %" PRIu64
	    " datagrams refused", SUM(c, exporters), c->sh->ids.max,
	    l.refused_datagrams);
	if (l.refused_datagrams > 0) {
		fputs(": ", f);
		print_refused(c, l.refused_datagrams, l.refused_flows, f);
	}
	fprintf(f, "\nDatagrams decoded: %" PRIu64 ", malformed %" PRIu64
	    " (%" PRIu64 " from unknown sources)\n", t.datagrams,
	    t.malformed, capstats_unknown(c));
	print_disk(c, &t, &l, f);
	fprintf(f, "Templates: %" PRIu64 " held, %" PRIu64 " option "
	    "states\n", SUM(c, templates), SUM(c, opts));
	if (cf->nrepeat > 0)
		fprintf(f, "Repeater send errors: %" PRIu64 "\n",
		    SUM(c, repeat_errors));
	for (size_t i = 0; i < c->nknown; i++)
		print_exporter(c->known[i], f);
}
