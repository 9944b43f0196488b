/*
 * probe/main.c -- flowprobe: packets from an interface or a capture
 * file into unidirectional flows, expired as routers do (probe/meter.h)
 * and handed to an exporter, or printed one line per flow with -d.
 *
 * With -r the capture's timestamps are the clock: at end of file every
 * flow is expired (forced), a statistics block goes to stderr and the
 * exit status is 0, and the same file always gives the same flows in
 * the same order (the hash secret changes placement, never results).
 * SIGINT and SIGTERM end the capture the same way.  Bad options, an
 * unreadable file, an unusable interface or a bad filter end the
 * program with a message naming the culprit and exit status 1 (255 for
 * a bad configuration file).  Options come from the command line and
 * the configuration file (probe/probeopts, flowkit.conf(5)); SIGHUP
 * reads the file again and applies new timeouts.
 *
 * The seam to the exporter is meter_export_fn: a batch of finished
 * `const struct flowrec' at a time (see on_records()), handed to the
 * export thread (probe/exportq.h), which encodes and sends it.
 */
#include "common/base/compat.h"

#include <sys/random.h>

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/base/addr.h"
#include "common/base/nferr.h"
#include "common/base/timeutil.h"
#include "common/pkt/pktdecode.h"
#include "common/prog/ctl.h"
#include "common/prog/daemon.h"
#include "common/prog/log.h"
#include "common/prog/notify.h"
#include "common/prog/optconf.h"
#include "common/prog/version.h"
#include "probe/capture.h"
#include "probe/export.h"
#include "probe/exportq.h"
#include "probe/meter.h"
#include "probe/probeopts.h"

#define PROBE_DISPATCH		1024	/* frames per capture_dispatch */

#define CONF_FILE	SYSCONFDIR "/flowkit/flowprobe.conf"

/* 1: expire and export everything, then exit; 2: exit at once */
static volatile sig_atomic_t quit;
static volatile sig_atomic_t got_reload;	/* SIGHUP */

struct probe {
	struct optconf	 oc;		/* settings as read */
	struct probeopts o;		/* what they set */
	uint64_t	 ipcount;	/* for 1-in-N sampling */
	uint64_t	 sampled_out;
	struct capture	*cap;		/* owned */
	struct pktdecode *pd;		/* owned */
	struct meter	*meter;		/* owned */
	size_t		 npkts;		/* decoded, not yet accounted */
	struct pkt	 pkts[METER_PKT_BATCH];
	struct pkt_extra *xpkts;	/* owned; -x only: pkts' extras */
	capture_fn	*frame_fn;	/* on_frame, or on_frame_x with -x */
	struct export	*exp;		/* owned; NULL without -n */
	struct exportq	*xq;		/* owned; runs exp once started */
	bool		 exp_started;	/* boot time set, templates sent */
	uint64_t	 frame_ms;	/* latest frame time seen (-r clock) */
	const char	*ctl_path;	/* -c; borrowed (o) or owned (-D) */
	char		*ctl_abs;	/* owned */
	struct ctl	*ctl;		/* owned */
	const char	*pid_path;	/* -P; borrowed (o) or owned (-D) */
	char		*pid_abs;	/* owned */
	struct pidfile	*pf;		/* owned */
	bool		 discard;	/* delete-all: drop, do not export */
	uint64_t	 deleted;	/* flows dropped by delete-all */
};

static NF_NORETURN void
usage(int status)
{
	fprintf(status == 0 ? stdout : stderr,
"usage: flowprobe [-bdDhNV] [-C file] [-i [ifindex:]interface | -r file]\n"
"                 [-c socket] [-P pidfile] [-u user]\n"
"                 [-n host:port] [-v 5|9|10] [-x fields] [-t name=time]\n"
"                 [-T full|proto|ip]\n"
"                 [-m maxflows] [-s N] [-B bytes] [-M bytes] [-O domain]\n"
"                 [-R datagrams[,time]] [-Q rate] [--check] [bpf expression]\n"
"Each option has a long name, also its key in the configuration file\n"
"(" CONF_FILE " unless -C; see flowkit.conf(5)).\n"
"  -C, --config FILE         configuration file (the command line overrides\n"
"                            it)\n"
"  -i, --interface IF        live capture (promiscuous unless -N)\n"
"  -r, --read FILE           read a capture file; its timestamps are the clock\n"
"  -n, --collector H:P       export to host:port ([IPv6]:port), repeatable\n"
"  -v, --export-version V    export version 5, 9 (default) or 10 (IPFIX)\n"
"  -b, --biflow              IPFIX: one record per conversation, with the\n"
"                            reverse counters (RFC 5103)\n"
"  -x, --export-fields LIST  v9/IPFIX: also export mac, vlan, ttl, flowlabel,\n"
"                            mpls (comma-separated; all; default none)\n"
"  -M, --datagram-size BYTES v9/IPFIX datagram size limit (default 1400)\n"
"  -O, --domain ID           v9 source id / IPFIX observation domain / v5\n"
"                            engine\n"
"  -R, --template-refresh N[,T]  resend templates every N datagrams (20) and\n"
"                            T (60s)\n"
"  -Q, --max-rate RATE       at most RATE export datagrams per second\n"
"  -d, --dump                print each expired flow as one line on stdout\n"
"  -t, --timeout N=T         timeout: tcp tcp.rst tcp.fin udp icmp general idle\n"
"                            active|maxlife expint; T is N[s|m|h|d|w]...\n"
"  -T, --track-level LEVEL   flow key: full (default), proto, ip\n"
"  -m, --max-flows N         at most N flows (default %u)\n"
"  -s, --sampling N          account 1 in N IP packets\n"
"  -B, --capture-buffer BYTES  capture buffer size\n"
"  -N, --no-promisc          not promiscuous\n"
"      --filter EXPR         BPF expression (as the operands, which win)\n"
"  -c, --control PATH        control socket for flowctl(8)\n"
"  -D, --daemon              run in the background (live capture only)\n"
"  -P, --pidfile FILE        write the process id to FILE\n"
"  -u, --user USER           run as USER once the capture and sockets are open\n"
"      --check               check the configuration, print it and exit\n"
"  -h, --help / -V, --version  help / version and features\n",
	    (unsigned)FLOWTABLE_DEFAULT_FLOWS);
	exit(status);
}

/* A refusal at start: logged as an error (the journal's too), then exit. */
static NF_NORETURN NF_PRINTF(2, 3) void
die(int status, const char *fmt, ...)
{
	char msg[1536];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	log_msg(LOG_ERR, "%s", msg);
	exit(status);
}

/*
 * Command line, then the configuration file under it; exits with a
 * message (status 255 for the file, 1 for the command line) when a
 * setting is wrong.  -h and -V are answered before the file is read.
 */
static void
parse_args(struct probe *pr, int argc, char **argv)
{
	const struct optconf_item *it, *bad = NULL;
	const char *conf = CONF_FILE;
	bool explicit_conf = false;
	char err[1024];
	int first, rc;

	optconf_init(&pr->oc, probeopts_table, probeopts_ntable);
	if ((rc = optconf_argv(&pr->oc, argc, argv, &first, err,
	    sizeof(err))) != NFE_OK) {
		if (rc == NFE_NOMEM)
			die(1, "out of memory");
		log_msg(LOG_ERR, "%s", err);
		usage(1);
	}
	for (size_t i = 0; i < pr->oc.n; i++) {
		it = &pr->oc.items[i];
		if (it->opt->id == 'h')
			usage(0);
		if (it->opt->id == 'V') {
			version_print(stdout, "flowprobe");
			exit(0);
		}
		if (it->opt->id == 'C') {
			conf = it->value;
			explicit_conf = true;
		}
	}
	rc = optconf_read(&pr->oc, conf, explicit_conf, err, sizeof(err));
	if (rc == NFE_NOMEM)
		die(1, "out of memory");
	if (rc != NFE_OK)
		die(OPTCONF_EXIT_FILE, "%s", err);
	probeopts_init(&pr->o);
	if (optconf_apply(&pr->oc, probeopts_apply, &pr->o, &bad, err,
	    sizeof(err)) != NFE_OK)
		die(optconf_exit_status(bad), "%s", err);
	if ((rc = probeopts_finish(&pr->o, argc - first, argv + first, err,
	    sizeof(err))) != NFE_OK)
		die(1, "%s", rc == NFE_NOMEM ? "out of memory" : err);
	if (pr->o.check) {
		printf("# flowprobe %s: configuration %s%s is valid\n",
		    PACKAGE_VERSION, pr->oc.path != NULL ? "file " : "",
		    pr->oc.path != NULL ? pr->oc.path : "(command line only)");
		probeopts_print(&pr->o, stdout);
		exit(0);
	}
	pr->ctl_path = pr->o.ctl_path;
	pr->pid_path = pr->o.pid_path;
}

/*
 * SIGHUP: read the file again, check all of it, apply the timeouts and
 * name what needs a restart.  A file that does not check changes
 * nothing.
 */
static void
reload(struct probe *pr)
{
	struct optconf next;
	struct probeopts staged;
	const struct optconf_item *bad = NULL;
	bool applied[64];
	char err[1024];
	size_t napplied = 0, nrestart = 0;

	if (pr->oc.path == NULL) {
		log_msg(LOG_NOTICE, "reload: no configuration file in use "
		    "(%s not found at start): nothing to read", CONF_FILE);
		return;
	}
	notify_reloading();
	probeopts_init(&staged);
	if (optconf_reread(&pr->oc, &next, err, sizeof(err)) != NFE_OK ||
	    optconf_apply(&next, probeopts_apply, &staged, &bad, err,
	    sizeof(err)) != NFE_OK) {
		log_msg(LOG_ERR, "reload: %s: the running configuration is "
		    "unchanged", err);
		optconf_fini(&next);
		notify_ready(NULL);
		return;
	}
	for (size_t i = 0; i < probeopts_ntable && i < NF_NELEM(applied);
	    i++) {
		const struct optconf_opt *row = &probeopts_table[i];

		applied[i] = false;
		if (!optconf_changed(&pr->oc, &next, row))
			continue;
		switch (row->id) {
		case 't':
			meter_set_timeouts(pr->meter, &staged.mconf);
			pr->o.mconf = *meter_conf(pr->meter);
			log_msg(LOG_NOTICE, "reload: timeout: now as the file "
			    "says (flowctl timeouts lists them)");
			applied[i] = true;
			napplied++;
			break;
		default:
			log_msg(LOG_WARNING, "reload: %s: changed: not applied, "
			    "needs a restart", row->name);
			nrestart++;
			break;
		}
	}
	if (optconf_commit(&pr->oc, &next, applied) != NFE_OK)
		log_msg(LOG_ERR, "reload: out of memory");
	optconf_fini(&next);
	probeopts_fini(&staged);
	log_msg(nrestart > 0 ? LOG_WARNING : LOG_NOTICE, "reload: %s: %zu "
	    "changes applied, %zu need a restart", pr->oc.path, napplied,
	    nrestart);
	notify_ready(NULL);
}

static const char *
reason_name(uint8_t r)
{
	static const char *const names[] = { "unknown", "idle", "active",
	    "eof", "forced", "lack" };

	return r < NF_NELEM(names) ? names[r] : "unknown";
}

static void
print_endpoint(FILE *fp, const struct flowrec *r, const struct nf_addr *a,
    uint16_t port)
{
	char buf[ADDR_STRLEN];

	addr_format(a, buf, sizeof(buf));
	if (r->af == 6)
		fprintf(fp, "[%s]:%u", buf, port);
	else
		fprintf(fp, "%s:%u", buf, port);
}

/* -d and dump-flows: one line per flow; documented in flowprobe(8). */
static void
dump_record(FILE *fp, const struct flowrec *r)
{
	fprintf(fp, "%" PRIu64 ".%03u %" PRIu64 ".%03u proto=%u ",
	    r->first_ms / 1000, (unsigned)(r->first_ms % 1000),
	    r->last_ms / 1000, (unsigned)(r->last_ms % 1000), r->proto);
	print_endpoint(fp, r, &r->src, r->src_port);
	fprintf(fp, " > ");
	print_endpoint(fp, r, &r->dst, r->dst_port);
	fprintf(fp, " pkts=%" PRIu64 " bytes=%" PRIu64 " flags=0x%02x tos=%u "
	    "vlan=%u if=%" PRIu32 " end=%s\n", r->packets, r->bytes,
	    r->tcp_flags, r->tos, r->src_vlan, r->in_if,
	    r->end_reason == FLOWEND_UNKNOWN ? "active" :
	    reason_name(r->end_reason));
}

/* The export seam: every finished flow passes through here. */
static int
on_records(void *arg, const struct flowrec *recs, size_t n)
{
	struct probe *pr = arg;

	if (pr->discard) {
		pr->deleted += n;
		return NFE_OK;
	}
	if (pr->o.dump)
		for (size_t i = 0; i < n; i++)
			dump_record(stdout, &recs[i]);
	if (pr->xq != NULL)
		exportq_flows(pr->xq, meter_now(pr->meter), recs, n);
	return NFE_OK;
}

/*
 * The export seam without a copy (meter_set_handover, when there is an
 * export thread): as on_records, then the batch goes to the export
 * thread as it is, and the meter fills the empty buffer it gets back.
 */
static struct flowrec *
on_handover(void *arg, struct flowrec *recs, size_t n)
{
	struct probe *pr = arg;

	if (pr->discard) {
		pr->deleted += n;
		return recs;
	}
	if (pr->o.dump)
		for (size_t i = 0; i < n; i++)
			dump_record(stdout, &recs[i]);
	return exportq_handover(pr->xq, meter_now(pr->meter), recs, n);
}

_Static_assert(METER_BATCH <= EXPORTQ_BATCH,
    "a meter batch fits an export queue buffer");

static void
account_pending(struct probe *pr)
{
	if (pr->xpkts != NULL)
		meter_packets_x(pr->meter, pr->pkts, pr->xpkts, pr->npkts);
	else
		meter_packets(pr->meter, pr->pkts, pr->npkts);
	pr->npkts = 0;
}

/*
 * One frame, decoded straight into the batch (the slot counts only if
 * it is kept); with x, its extras too (-x).  Inlined into on_frame and
 * on_frame_x, so that a probe without -x does not test for them.
 */
static inline __attribute__((always_inline)) void
frame(struct probe *pr, uint64_t ts_us, const uint8_t *bytes, size_t caplen,
    size_t wirelen, bool x)
{
	uint64_t ts_ms = ts_us / 1000;
	int rc;

	if (ts_ms > pr->frame_ms)
		pr->frame_ms = ts_ms;
	if (pr->exp != NULL && !pr->exp_started) {
		/*
		 * -r: the exporter booted one second before the capture's
		 * first second (no flow time is sysUpTime 0, which nfdump
		 * reads as "no time").
		 */
		exportq_start(pr->xq, ts_us / 1000000 * 1000 - 1000,
		    ts_us / 1000);
		pr->exp_started = true;
	}
	if (x)
		rc = pktdecode_frame_x(pr->pd, ts_ms, bytes, caplen, wirelen,
		    &pr->pkts[pr->npkts], &pr->xpkts[pr->npkts]);
	else
		rc = pktdecode_frame(pr->pd, ts_ms, bytes, caplen, wirelen,
		    &pr->pkts[pr->npkts]);
	if (rc != NFE_OK)
		return;
	if (pr->o.sampling > 1 && ++pr->ipcount % pr->o.sampling != 0) {
		pr->sampled_out++;
		return;
	}
	if (++pr->npkts == METER_PKT_BATCH)
		account_pending(pr);
}

static void
on_frame(void *arg, uint64_t ts_us, const uint8_t *bytes, size_t caplen,
    size_t wirelen)
{
	frame(arg, ts_us, bytes, caplen, wirelen, false);
}

static void
on_frame_x(void *arg, uint64_t ts_us, const uint8_t *bytes, size_t caplen,
    size_t wirelen)
{
	frame(arg, ts_us, bytes, caplen, wirelen, true);
}

static void
on_signal(int sig)
{
	if (sig == SIGHUP)
		got_reload = 1;
	else
		quit = 1;
}

static void
print_stats(struct probe *pr, FILE *fp)
{
	const struct pktdecode_stats *ds = pktdecode_stats(pr->pd);
	struct capture_stats cs;

	fprintf(fp, "Frames processed: %" PRIu64 " (%s)\n", ds->frames,
	    capture_datalink_name(pr->cap));
	if (capture_stats(pr->cap, &cs) == NFE_OK)
		fprintf(fp, "Packets received by libpcap: %" PRIu64 "\n"
		    "Packets dropped by libpcap: %" PRIu64 " (%" PRIu64
		    " by the interface)\n", cs.received, cs.dropped,
		    cs.if_dropped);
	fprintf(fp, "IP packets: %" PRIu64 " (%" PRIu64 " IPv4, %" PRIu64
	    " IPv6), %" PRIu64 " sampled out\n", ds->ip4 + ds->ip6, ds->ip4,
	    ds->ip6, pr->sampled_out);
	fprintf(fp, "Fragments: %" PRIu64 " (%" PRIu64 " later ones matched "
	    "to their first, %" PRIu64 " not)\n", ds->fragments,
	    ds->frags_matched, ds->frags_unmatched);
	fprintf(fp, "Ignored frames: %" PRIu64 " (%" PRIu64 " non-IP, %"
	    PRIu64 " truncated, %" PRIu64 " malformed)\n",
	    ds->nonip + ds->truncated + ds->malformed, ds->nonip,
	    ds->truncated, ds->malformed);
	meter_stats_print(pr->meter, fp);
	if (pr->deleted > 0)
		fprintf(fp, "Flows deleted without export (delete-all): %"
		    PRIu64 "\n", pr->deleted);
	if (pr->exp != NULL) {
		if (pr->xq != NULL)
			exportq_sync(pr->xq);
		export_stats_print(pr->exp, fp);
	}
}

static int
dump_one(void *arg, const struct flowrec *r)
{
	dump_record(arg, r);
	return 0;
}

/* flowctl commands (common/prog/ctl table); see flowctl(8). */
static int
cmd_statistics(void *arg, const char *args, FILE *out)
{
	(void)args;
	print_stats(arg, out);
	return 0;
}

static int
cmd_dump_flows(void *arg, const char *args, FILE *out)
{
	struct probe *pr = arg;

	(void)args;
	fprintf(out, "# %zu active flows\n", meter_active(pr->meter));
	meter_foreach(pr->meter, dump_one, out);
	return 0;
}

static int
cmd_expire_all(void *arg, const char *args, FILE *out)
{
	struct probe *pr = arg;
	uint64_t before = meter_stats(pr->meter)->expired;

	(void)args;
	meter_expire_all(pr->meter, FLOWEND_FORCED);
	fprintf(out, "expired %" PRIu64 " flows\n",
	    meter_stats(pr->meter)->expired - before);
	return 0;
}

static int
cmd_delete_all(void *arg, const char *args, FILE *out)
{
	struct probe *pr = arg;
	uint64_t before = pr->deleted;

	(void)args;
	pr->discard = true;
	meter_expire_all(pr->meter, FLOWEND_FORCED);
	pr->discard = false;
	fprintf(out, "deleted %" PRIu64 " flows\n", pr->deleted - before);
	return 0;
}

static int
cmd_timeouts(void *arg, const char *args, FILE *out)
{
	struct probe *pr = arg;

	(void)args;
	meter_conf_print(meter_conf(pr->meter), out);
	return 0;
}

static int
cmd_send_template(void *arg, const char *args, FILE *out)
{
	struct probe *pr = arg;

	(void)args;
	if (pr->exp == NULL || !export_has_templates(pr->exp)) {
		fprintf(out, "error: no v9 or IPFIX export\n");
		return 0;
	}
	exportq_force_templates(pr->xq);
	fprintf(out, "templates go with the next datagram\n");
	return 0;
}

static int
cmd_shutdown(void *arg, const char *args, FILE *out)
{
	(void)arg;
	(void)args;
	quit = 1;
	fprintf(out, "shutting down\n");
	return 0;
}

static int
cmd_exit(void *arg, const char *args, FILE *out)
{
	(void)arg;
	(void)args;
	quit = 2;
	fprintf(out, "exiting\n");
	return 0;
}

static const struct ctl_cmd ctl_commands[] = {
	{ "statistics", "counters: packets, drops, flows, expiries, export",
	    cmd_statistics },
	{ "dump-flows", "list the active flows", cmd_dump_flows },
	{ "expire-all", "expire and export every active flow now",
	    cmd_expire_all },
	{ "delete-all", "drop every active flow without exporting it",
	    cmd_delete_all },
	{ "timeouts", "show the timeouts", cmd_timeouts },
	{ "send-template", "send the v9/IPFIX templates with the next "
	    "datagram", cmd_send_template },
	{ "shutdown", "expire and export everything, then exit",
	    cmd_shutdown },
	{ "exit", "exit at once, exporting nothing", cmd_exit },
};

static int
ctl_command(void *arg, const char *cmd, FILE *out)
{
	account_pending(arg);
	return ctl_dispatch(ctl_commands, NF_NELEM(ctl_commands), arg, cmd,
	    out);
}

static void
run_file(struct probe *pr)
{
	char err[512];
	int n;

	while (!quit) {
		n = capture_dispatch(pr->cap, PROBE_DISPATCH, pr->frame_fn,
		    pr, err, sizeof(err));
		if (n == NFE_EOF)
			break;
		if (n < 0)
			log_fatalx("%s: %s", pr->o.cconf.file, err);
		if (pr->xq != NULL && pr->exp_started)
			exportq_tick(pr->xq, pr->frame_ms);
		if (pr->ctl != NULL)
			ctl_serve(pr->ctl);
	}
	account_pending(pr);
}

static void
run_live(struct probe *pr)
{
	struct pollfd pfd[2];
	char err[512];
	uint64_t now, last_tick = 0;
	int n;

	pfd[0].fd = capture_fd(pr->cap);
	pfd[0].events = POLLIN;
	pfd[1].fd = pr->ctl != NULL ? ctl_fd(pr->ctl) : -1;
	pfd[1].events = POLLIN;
	while (!quit) {
		if (poll(pfd, 2, 1000) == -1 && errno != EINTR)
			log_fatal("poll");
		do {
			n = capture_dispatch(pr->cap, PROBE_DISPATCH,
			    pr->frame_fn, pr, err, sizeof(err));
			if (n < 0)
				log_fatalx("%s", err);
		} while (n == PROBE_DISPATCH && !quit);
		account_pending(pr);
		/*
		 * The meter's clock follows real time, less the longest a
		 * packet may wait in the capture ring: a packet still on
		 * its way is then never older than the clock, so it is
		 * accounted at its own time and its flow is not expired
		 * before it arrives.
		 */
		now = time_now_ms() - capture_delay_ms(pr->cap);
		if (now > meter_now(pr->meter))
			meter_expire(pr->meter, now);
		/* template refresh is counted in seconds: a tick a second */
		if (pr->xq != NULL && meter_now(pr->meter) >= last_tick + 1000) {
			last_tick = meter_now(pr->meter);
			exportq_tick(pr->xq, last_tick);
		}
		if (pr->ctl != NULL && pfd[1].revents != 0)
			ctl_serve(pr->ctl);
		if (got_reload) {
			got_reload = 0;
			reload(pr);
		}
	}
}

/*
 * Control socket, background, pidfile, privileges: after the capture
 * and the export sockets are open, so -u can drop root.
 */
static void
setup_daemon(struct probe *pr)
{
	char err[512];
	int ready = -1;

	if (pr->o.daemonize) {
		/* the daemon runs in /: keep the paths it needs usable */
		if (pr->ctl_path != NULL)
			pr->ctl_path = pr->ctl_abs =
			    daemon_abspath(pr->ctl_path);
		if (pr->pid_path != NULL)
			pr->pid_path = pr->pid_abs =
			    daemon_abspath(pr->pid_path);
		if ((pr->ctl_path == NULL && pr->ctl_abs != NULL) ||
		    (pr->pid_path == NULL && pr->pid_abs != NULL))
			log_fatalx("out of memory");
	}
	if (pr->ctl_path != NULL && ctl_open(pr->ctl_path, ctl_command, pr,
	    &pr->ctl, err, sizeof(err)) != NFE_OK)
		log_fatalx("-c %s", err);
	/* before detaching, so that a refusal reaches the terminal */
	if (pr->pid_path != NULL && daemon_pidfile_write(pr->pid_path,
	    &pr->pf, err, sizeof(err)) != NFE_OK)
		log_fatalx("-P %s", err);
	if (pr->o.daemonize) {
		if (daemon_detach(&ready) != NFE_OK)
			log_fatal("-D");
		if (daemon_pidfile_update(pr->pf) != NFE_OK)
			log_fatal("-P %s", pr->pid_path);
	}
	if (pr->o.user != NULL && daemon_drop_privs(pr->o.user, err,
	    sizeof(err)) != NFE_OK)
		log_fatalx("-u %s", err);
	if (pr->o.daemonize) {
		daemon_ready(ready);
		log_init("flowprobe", LOG_DEST_SYSLOG, LOG_INFO);
	}
}

int
main(int argc, char **argv)
{
	struct probe pr;
	struct sipkey sk;
	struct sigaction sa;
	char err[512];
	int rc;

	memset(&pr, 0, sizeof(pr));
	log_init("flowprobe", LOG_DEST_STDERR, LOG_INFO);
	parse_args(&pr, argc, argv);
	if (getrandom(&sk, sizeof(sk), 0) != (ssize_t)sizeof(sk))
		log_fatal("getrandom");

	if (capture_open(&pr.o.cconf, &pr.cap, err, sizeof(err)) != NFE_OK)
		log_fatalx("%s", err);
	if (!pktdecode_dlt_supported(capture_datalink(pr.cap)))
		log_fatalx("%s: unsupported link type %d (%s)",
		    pr.o.cconf.file != NULL ? pr.o.cconf.file : pr.o.cconf.iface,
		    capture_datalink(pr.cap), capture_datalink_name(pr.cap));
	if ((rc = pktdecode_new(capture_datalink(pr.cap),
	    capture_ifindex(pr.cap), &sk, &pr.pd)) != NFE_OK)
		log_fatalx("packet decoder: %s", nferr_str(rc));
	if ((rc = meter_new(&pr.o.mconf, &sk, on_records, &pr, &pr.meter)) !=
	    NFE_OK)
		log_fatalx("flow table of %" PRIu32 " flows: %s",
		    pr.o.mconf.max_flows, nferr_str(rc));
	pr.frame_fn = on_frame;
	if (pr.o.mconf.extras) {
		if ((pr.xpkts = calloc(METER_PKT_BATCH,
		    sizeof(*pr.xpkts))) == NULL)
			log_fatalx("-x: out of memory");
		pr.frame_fn = on_frame_x;
	}

	if (pr.o.xconf.ndests > 0 &&
	    export_new(&pr.o.xconf, &pr.exp, err, sizeof(err)) != NFE_OK)
		log_fatalx("-n %s", err);
	if (pr.exp != NULL && capture_is_live(pr.cap)) {
		/* the meter's clock: real time less the capture delay */
		uint64_t now = time_now_ms() - capture_delay_ms(pr.cap);

		export_start(pr.exp, now - 1000, now);
		pr.exp_started = true;
	}

	setup_daemon(&pr);
	/* after setup_daemon's fork: a thread would not survive it */
	if (pr.exp != NULL && (rc = exportq_new(pr.exp, &pr.xq)) != NFE_OK) {
		if (rc == NFE_NOMEM)
			log_fatalx("export thread: out of memory");
		log_fatal("export thread");
	}
	if (pr.xq != NULL)
		meter_set_handover(pr.meter, on_handover,
		    exportq_buffer(pr.xq));
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);

	notify_ready(NULL);
	if (capture_is_live(pr.cap)) {
		notify_status("capturing on %s, %zu collectors",
		    pr.o.cconf.iface, pr.o.xconf.ndests);
		run_live(&pr);
	} else {
		run_file(&pr);
	}
	notify_stopping();

	if (quit != 2) {
		account_pending(&pr);
		meter_expire_all(pr.meter, FLOWEND_FORCED);
	}
	meter_set_handover(pr.meter, NULL, NULL);  /* all handed over */
	exportq_free(pr.xq);		/* everything queued is sent */
	pr.xq = NULL;
	fflush(stdout);
	print_stats(&pr, stderr);
	ctl_close(pr.ctl);
	daemon_pidfile_remove(pr.pf);
	free(pr.ctl_abs);
	free(pr.pid_abs);
	meter_free(pr.meter);
	free(pr.xpkts);
	export_free(pr.exp);
	pktdecode_free(pr.pd);
	capture_close(pr.cap);
	probeopts_fini(&pr.o);
	optconf_fini(&pr.oc);
	return 0;
}
