/*
 * collector/main.c -- flowcapd: options, start-up in an order where
 * every refusal reaches the terminal (directory lock, sockets, control
 * socket, pidfile, then the background), signals, and the two threads
 * (receive; decode/write).  Daemon, pidfile and privilege drop are
 * common/prog/daemon's, as in flowprobe.
 *
 * Paths are made absolute at start and the process then works in the
 * data directory (foreground or -D alike), which is where -x commands
 * run.
 *
 * Options come from the command line and the configuration file
 * (collector/capopts, common/prog/optconf; flowkit.conf(5)).
 *
 * Signals: SIGTERM and SIGINT stop reception, decode what is queued and
 * complete the current file before exit; SIGHUP reads the configuration
 * file again, applies what may change while collecting and names what
 * needs a restart; SIGUSR1 (and flowctl rotate) completes the current
 * file now and starts a new one.  Only flags are set in handlers; the
 * work is done in the decode/write thread.
 */
#include "common/base/compat.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collector/capctl.h"
#include "collector/capopts.h"
#include "collector/collect.h"
#include "collector/listen.h"
#include "collector/worker.h"
#include "collector/sessions.h"
#include "collector/sinkrun.h"
#include "common/enrich/geofill.h"
#include "common/enrich/geoip.h"
#include "common/base/nferr.h"
#include "common/prog/ctl.h"
#include "common/prog/daemon.h"
#include "common/prog/notify.h"
#include "common/prog/optconf.h"
#include "common/prog/version.h"

#define LOCK_FILE	".flowcapd.lock"	/* one collector per directory */
#define CONF_FILE	SYSCONFDIR "/flowkit/flowcapd.conf"

static volatile sig_atomic_t got_stop;
static volatile sig_atomic_t got_reload;	/* SIGHUP */
static volatile sig_atomic_t got_rotate;	/* SIGUSR1 */

/* The running collector's configuration, for the reload (SIGHUP). */
struct capd {
	struct optconf	 oc;		/* settings as read */
	struct capopts	 o;		/* what they set */
	struct collect	*c;		/* borrowed */
	char		 lock[CAPOPTS_MAX_PATH + sizeof(LOCK_FILE) + 1];
};

static NF_NORETURN void
usage(int status)
{
	FILE *f = status == 0 ? stdout : stderr;

	fprintf(f,
"usage: flowcapd [-DhV46] [-C file] [-l dir] [-p port] [-b addr] [-B bytes]\n"
"                [-t secs] [-S layout] [-z codec[:level]] [-I ident] [-x cmd]\n"
"                [-s [-]rate] [-A prefix] [-R host[:port]] [-P pidfile]\n"
"                [-u user] [-F secs] [-Q bytes] [-W workers] [-H bytes]\n"
"                [-c socket]\n"
"                [--sflow-port port] [--max-exporters n]\n"
"                [--radius-acct [addr:]port]\n"
"                [--radius-secret file] [--sessions file|dir]\n"
"                [--session-timeout secs]\n"
"                [--session-keep secs] [--max-sessions n]\n"
"                [--max-nat-mappings n] [--sink url]...\n"
"                [--sink-drain secs] [--inside prefix] [--geoip file]\n"
"                [--asn-db file] [--check] [-v]\n"
"Each option has a long name, also its key in the configuration file\n"
"(" CONF_FILE " unless -C; see flowkit.conf(5)).\n"
"  -C, --config FILE      configuration file (the command line overrides it)\n"
"  -l, --dir DIR          data directory (required; -w is the same)\n"
"  -p, --port PORT        UDP port (default 9995; 0 picks a free one); NetFlow,\n"
"                         IPFIX and sFlow v5 are told apart by their bytes\n"
"      --sflow-port PORT  a second UDP port, for sFlow agents (default none;\n"
"                         6343 is sFlow's; 0 picks a free one)\n"
"  -b, --bind ADDR        bind address, IPv4 or IPv6, repeatable (default:\n"
"                         both families)\n"
"  -4, --ipv4 / -6, --ipv6  IPv4 only / IPv6 only\n"
"  -B, --rcvbuf BYTES     socket receive buffer (default 16M)\n"
"  -t, --rotate SECS      rotation interval, 2..86400 (default 300)\n"
"  -S, --subdirs N        subdirectory layout 0..8 (as nfcapd)\n"
"  -z, --compress CODEC   lz4[:1..12] (default lz4), zlib[:1..9] or none\n"
"  -I, --ident IDENT      ident stored in each file\n"
"  -x, --exec CMD         run on each completed file, in dir; %%f path, %%d dir,\n"
"                         %%t time, %%u unix time, %%i ident\n"
"  -s, --sampling RATE    sampling rate when none is announced; -RATE forces it\n"
"  -A, --allow PREFIX     accept only exporters in this prefix (repeatable)\n"
"  -R, --repeat DST       repeat every datagram to host:port (repeatable)\n"
"  -D, --daemon           go to the background\n"
"  -P, --pidfile FILE     pid file\n"
"  -u, --user USER        drop privileges to USER\n"
"  -F, --flush SECS       write the partial block at least this often\n"
"                         (default 5; 1 with --sink)\n"
"  -Q, --queue BYTES      decoded flows waiting for the writer, all workers\n"
"                         together (default 256M)\n"
"  -W, --workers N        threads that receive and decode, 1..64 (default 1);\n"
"                         one writer\n"
"  -H, --hold BYTES       flow data held in memory while the disk refuses\n"
"                         writes (default 256M; 0 holds none)\n"
"  -c, --control PATH     control socket for flowctl(8)\n"
"      --max-exporters N  exporters kept, 1..65536 (default 4096)\n"
"      --radius-acct [ADDR:]PORT  RADIUS accounting server (repeatable;\n"
"                         port 0 picks a free one)\n"
"      --radius-secret FILE  shared secrets: SECRET, or ADDR[/LEN] SECRET\n"
"      --sessions PATH    session file or directory (FreeRADIUS detail, CSV\n"
"                         or JSON-lines CDRs), followed as it grows\n"
"                         (repeatable)\n"
"      --session-timeout SECS  an open session without news ends\n"
"                         (default 86400)\n"
"      --session-keep SECS  closed sessions kept for late flows\n"
"                         (default 21600)\n"
"      --max-sessions N   sessions held, at most (default 16777216)\n"
"      --max-nat-mappings N  CGNAT mappings held, at most (default 8388608)\n"
"      --sink URL         stream flows to clickhouse://, kafka:// or\n"
"                         http(s):// (repeatable; flowkit-sink(7))\n"
"      --sink-drain SECS  at a stop, time to deliver what is left (default 5)\n"
"      --inside PREFIX    subscriber address space, for the join of flows\n"
"                         to users (repeatable; default: every address)\n"
"      --geoip FILE       MaxMind DB country database: countries of flows\n"
"      --asn-db FILE      MaxMind DB ASN database: AS organisations, and\n"
"                         AS numbers the exporter sent as 0\n"
"      --check            check the configuration, print it and exit\n"
"  -v, --verbose          more verbose\n"
"  -h, --help             this help      -V, --version  version and features\n");
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
parse(int argc, char **argv, struct capd *d)
{
	const struct optconf_item *it, *bad = NULL;
	const char *conf = CONF_FILE;
	char err[1024], warn[256];
	bool explicit_conf = false;
	int first, rc;

	optconf_init(&d->oc, capopts_table, capopts_ntable);
	if ((rc = optconf_argv(&d->oc, argc, argv, &first, err,
	    sizeof(err))) != NFE_OK) {
		if (rc == NFE_NOMEM)
			die(1, "out of memory");
		log_msg(LOG_ERR, "%s", err);
		usage(1);
	}
	for (size_t i = 0; i < d->oc.n; i++) {
		it = &d->oc.items[i];
		if (it->opt->id == 'h')
			usage(0);
		if (it->opt->id == 'V') {
			version_print(stdout, "flowcapd");
			exit(0);
		}
		if (it->opt->id == 'C') {
			conf = it->value;
			explicit_conf = true;
		}
	}
	if (first < argc)
		die(1, "unexpected argument '%s'", argv[first]);
	rc = optconf_read(&d->oc, conf, explicit_conf, err, sizeof(err));
	if (rc == NFE_NOMEM)
		die(1, "out of memory");
	if (rc != NFE_OK)
		die(OPTCONF_EXIT_FILE, "%s", err);
	capopts_init(&d->o);
	if (optconf_apply(&d->oc, capopts_apply, &d->o, &bad, err,
	    sizeof(err)) != NFE_OK) {
		char place[512];

		/* a --sink that cannot work is 255 (flowkit-sink(7)) */
		if (bad != NULL && bad->opt->id == CAPOPT_SINK)
			die(OPTCONF_EXIT_FILE, "%s: %s", optconf_place(bad,
			    place, sizeof(place)), err);
		die(optconf_exit_status(bad), "%s", err);
	}
	if (capopts_finish(&d->o, err, sizeof(err), warn, sizeof(warn)) !=
	    NFE_OK) {
		char place[512];

		/* the data directory: name the setting that gave it */
		it = optconf_last(&d->oc, optconf_find(capopts_table,
		    capopts_ntable, "dir"));
		if (it == NULL)
			die(1, "%s", err);
		die(optconf_exit_status(it), "%s: %s", optconf_place(it, place,
		    sizeof(place)), err);
	}
	if (warn[0] != '\0')
		log_msg(LOG_WARNING, "%s", warn);
	snprintf(d->lock, sizeof(d->lock), "%s/%s", d->o.dir, LOCK_FILE);
	if (d->o.check) {
		printf("# flowcapd %s: configuration %s%s is valid\n",
		    PACKAGE_VERSION, d->oc.path != NULL ? "file " : "",
		    d->oc.path != NULL ? d->oc.path : "(command line only)");
		capopts_print(&d->o, stdout);
		exit(0);
	}
}

/* Open the -R sockets (checked by parse). */
static void
open_repeaters(struct capopts *o)
{
	struct sockaddr_storage ss;
	char err[512];
	int fd;

	for (size_t i = 0; i < o->nrepeat; i++) {
		if (capopts_repeater_addr(o->repeat[i], &ss, err,
		    sizeof(err)) != NFE_OK)
			log_fatalx("-R %s", err);
		if ((fd = socket(ss.ss_family, SOCK_DGRAM | SOCK_CLOEXEC,
		    0)) == -1 || connect(fd, (struct sockaddr *)&ss,
		    ss.ss_family == AF_INET ? sizeof(struct sockaddr_in) :
		    sizeof(struct sockaddr_in6)) == -1)
			log_fatal("-R %s", o->repeat[i]);
		o->cc.repeat_fd[o->cc.nrepeat++] = fd;
	}
}

/*
 * SIGHUP, in the decode/write thread: read the file again, check all of
 * it, apply what may change while running and name what needs a
 * restart.  A file that does not check changes nothing.
 */
static void
reload(void *arg)
{
	struct capd *d = arg;
	struct optconf next;
	struct capopts staged;
	const struct optconf_item *bad = NULL;
	bool applied[64];
	char err[1024], warn[256], now[256];
	const char *v[1];
	size_t napplied = 0, nrestart = 0;

	if (d->oc.path == NULL) {
		log_msg(LOG_NOTICE, "reload: no configuration file in use "
		    "(%s not found at start): nothing to read", CONF_FILE);
		return;
	}
	notify_reloading();
	capopts_init(&staged);
	if (optconf_reread(&d->oc, &next, err, sizeof(err)) != NFE_OK ||
	    optconf_apply(&next, capopts_apply, &staged, &bad, err,
	    sizeof(err)) != NFE_OK ||
	    capopts_finish(&staged, err, sizeof(err), warn, sizeof(warn)) !=
	    NFE_OK) {
		log_msg(LOG_ERR, "reload: %s: the running configuration is "
		    "unchanged", err);
		optconf_fini(&next);
		capopts_fini(&staged);
		notify_ready(NULL);
		return;
	}
	for (size_t i = 0; i < capopts_ntable && i < NF_NELEM(applied); i++) {
		const struct optconf_opt *row = &capopts_table[i];

		applied[i] = false;
		if (!optconf_changed(&d->oc, &next, row))
			continue;
		if (optconf_values(&next, row, v, 1) > 0)
			snprintf(now, sizeof(now), "'%s'%s", v[0],
			    optconf_values(&next, row, v, 0) > 1 ? "..." : "");
		else
			snprintf(now, sizeof(now), "its default");
		if (!(row->flags & OPTCONF_RELOAD)) {
			log_msg(LOG_WARNING, "reload: %s: changed to %s: not "
			    "applied, needs a restart", row->name, now);
			nrestart++;
		} else if (capopts_reload(&d->o, &staged, row, d->c, err,
		    sizeof(err)) != NFE_OK) {
			log_msg(LOG_WARNING, "reload: %s: not applied: %s",
			    row->name, err);
			nrestart++;
		} else {
			log_msg(LOG_NOTICE, "reload: %s: now %s", row->name,
			    now);
			applied[i] = true;
			napplied++;
		}
	}
	if (optconf_commit(&d->oc, &next, applied) != NFE_OK)
		log_msg(LOG_ERR, "reload: out of memory");
	optconf_fini(&next);
	capopts_fini(&staged);
	log_msg(nrestart > 0 ? LOG_WARNING : LOG_NOTICE, "reload: %s: %zu "
	    "changes applied, %zu need a restart", d->oc.path, napplied,
	    nrestart);
	notify_ready(NULL);
}

static void
on_signal(int sig)
{
	if (sig == SIGHUP)
		got_reload = 1;
	else if (sig == SIGUSR1)
		got_rotate = 1;
	else
		got_stop = 1;
}

static void
setup_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	/* a file size limit must fail the write (EFBIG, held and retried
	 * like a full disk), not kill the collector */
	sigaction(SIGXFSZ, &sa, NULL);
}

/*
 * Warn once when the kernel granted less than the receive buffer asked
 * for: without root (SO_RCVBUFFORCE) it caps the size at
 * net.core.rmem_max.
 */
static void
check_rcvbuf(const struct capopts *o, int got)
{
	long max = -1;
	FILE *f;

	if (got < 0 || got >= o->rcvbuf)
		return;
	if ((f = fopen("/proc/sys/net/core/rmem_max", "r")) != NULL) {
		if (fscanf(f, "%ld", &max) != 1)
			max = -1;
		fclose(f);
	}
	log_msg(LOG_WARNING, "socket receive buffer is %d bytes, not the %d "
	    "asked%s: without root the kernel caps it at net.core.rmem_max "
	    "(%ld), and bursts that do not fit are lost: raise it (sysctl -w "
	    "net.core.rmem_max=%d) or run flowcapd as root", got, o->rcvbuf,
	    o->rcvbuf == CAPOPTS_DEF_RCVBUF ? " by default" : " with -B", max,
	    o->rcvbuf);
}

/* The workers' part of the start-up line and of the warnings. */
static void
log_workers(const struct capopts *o, const struct listener *l)
{
	size_t nw = o->cc.nworkers;

	if (nw > 1 && l[0].steer_err != 0)
		log_msg(LOG_WARNING, "-W %zu: the kernel refused the program "
		    "that sends each exporter's datagrams to one worker (%s): "
		    "a datagram another worker receives is handed over, a "
		    "copy each", nw, strerror(l[0].steer_err));
	if (l[0].port2 != 0)
		log_msg(LOG_NOTICE, "sFlow on port %u (--sflow-port)",
		    (unsigned)l[0].port2);
}

int
main(int argc, char **argv)
{
	static struct capd d;
	static struct collect c;
	static struct sessions sess;
	static struct geofill geo;
	struct geoip *gdb = NULL;
	static struct worker workers[LISTEN_MAX_WORKERS];
	static struct worker *wp[LISTEN_MAX_WORKERS];
	static struct worker_shared sh;
	static struct listener l[LISTEN_MAX_WORKERS];
	static struct sinkset sinks;
	static struct sinkurl url;
	struct capopts *o = &d.o;
	struct pidfile *pf = NULL, *lock = NULL;
	struct ctl *ctl = NULL;
	struct capstats_loss loss;
	char err[512], tpath[CAPOPTS_MAX_PATH + sizeof(COLLECT_TMPL_FILE) + 1];
	size_t nw, qbytes;
	int level, ready = -1;

	log_init("flowcapd", LOG_DEST_STDERR, LOG_INFO);
	parse(argc, argv, &d);
	level = o->verbose > 0 ? LOG_DEBUG : LOG_INFO;
	/* stderr until start-up is complete, also with -D */
	log_init("flowcapd", LOG_DEST_STDERR, level);
	nw = o->cc.nworkers;
	if (daemon_pidfile_write(d.lock, &lock, err, sizeof(err)) != NFE_OK)
		log_fatalx("-l %s: another flowcapd collects into this "
		    "directory: %s", o->dir, err);
	if (listen_open(l, nw, o->addrs, o->naddrs, o->port, o->rcvbuf, err,
	    sizeof(err)) != NFE_OK)
		log_fatalx("%s", err);
	if (o->sflow_port >= 0 && listen_add_port(l, nw, o->addrs, o->naddrs,
	    (uint16_t)o->sflow_port, o->rcvbuf, "--sflow-port", err,
	    sizeof(err)) != NFE_OK)
		log_fatalx("--sflow-port %d: %s", (int)o->sflow_port, err);
	check_rcvbuf(o, listen_rcvbuf(&l[0]));
	if (sessions_wanted(&o->sc) && sessions_init(&sess, &o->sc, err,
	    sizeof(err)) != NFE_OK)
		log_fatalx("%s", err);
	if ((o->geoip != NULL || o->asn_db != NULL) && (geoip_open(o->geoip,
	    o->asn_db, &gdb, err, sizeof(err)) != NFE_OK ||
	    geofill_init(&geo, gdb) != NFE_OK))
		log_fatalx("--geoip/--asn-db: %s", err);
	open_repeaters(o);
	if (o->ctl_path != NULL && ctl_open(o->ctl_path, capctl_command, &c,
	    &ctl, err, sizeof(err)) != NFE_OK)
		log_fatalx("-c %s", err);
	if (o->pidfile != NULL && daemon_pidfile_write(o->pidfile, &pf, err,
	    sizeof(err)) != NFE_OK)
		log_fatalx("-P %s", err);
	/* the workers, with their share of the queue and the templates */
	worker_shared_init(&sh, nw, wp, o->cc.max_exporters);
	worker_set_sampling(&sh, o->cc.sampling, o->cc.sampling_force);
	sh.acl = o->acl;
	sh.nacl = o->nacl;
	sh.repeat_fd = o->cc.repeat_fd;
	sh.nrepeat = o->cc.nrepeat;
	snprintf(tpath, sizeof(tpath), "%s/%s", o->dir, COLLECT_TMPL_FILE);
	qbytes = o->queue / nw;
	for (size_t i = 0; i < nw; i++) {
		wp[i] = &workers[i];
		if (worker_init(wp[i], (unsigned)i, &sh, &l[i], qbytes,
		    o->cc.max_exporters, tpath, err, sizeof(err)) != NFE_OK)
			log_fatalx("%s", err);
	}
	/* before -D: a sink that cannot work as asked is refused on the
	 * terminal (secrets are read now, before -u) */
	for (size_t i = 0; i < o->nsinks; i++) {
		if (sinkurl_parse(o->sinks[i], &url, err, sizeof(err)) !=
		    NFE_OK || sinkrun_new(&url, o->dir, &sinks.v[i], err,
		    sizeof(err)) != NFE_OK)
			die(OPTCONF_EXIT_FILE, "--sink %s", err);
		sinks.n++;
	}
	if (o->daemon) {
		if (daemon_detach(&ready) != NFE_OK)
			log_fatal("-D");
		if (daemon_pidfile_update(lock) != NFE_OK ||
		    daemon_pidfile_update(pf) != NFE_OK)
			log_fatal("cannot write the daemon's pid");
	}
	if (chdir(o->dir) == -1)
		log_fatal("%s", o->dir);
	setup_signals();
	/* before -u: a real-time worker needs root */
	o->cc.rx_realtime = true;
	for (size_t i = 0; i < nw; i++) {
		if (worker_start(wp[i], true) != NFE_OK)
			log_fatalx("cannot start worker %zu", i);
		o->cc.rx_realtime = o->cc.rx_realtime && wp[i]->realtime;
	}
	if (o->user != NULL && daemon_drop_privs(o->user, err, sizeof(err)) !=
	    NFE_OK)
		log_fatalx("-u %s", err);
	o->cc.port = l[0].port;
	o->cc.nsock = 0;
	for (size_t i = 0; i < nw; i++)
		o->cc.nsock += l[i].nfd;
	o->cc.rcvbuf = listen_rcvbuf(&l[0]);
	o->cc.steer_err = l[0].steer_err;
	if (collect_init(&c, &o->cc, &sh, err, sizeof(err)) != NFE_OK)
		log_fatalx("%s", err);
	c.ctl = ctl;
	if (sessions_wanted(&o->sc)) {
		if (sessions_start(&sess) != NFE_OK)
			log_fatalx("cannot start the sessions thread");
		c.sess = &sess;
	}
	if (gdb != NULL)
		c.geo = &geo;
	d.c = &c;
	c.reload = &got_reload;
	c.on_reload = reload;
	c.reload_arg = &d;
	log_workers(o, l);
	log_msg(LOG_NOTICE, "listening on port %u (%zu sockets, receive "
	    "buffer %d bytes, receive thread%s %s%s), writing %s every %u "
	    "s%s%s", (unsigned)l[0].port, o->cc.nsock, o->cc.rcvbuf,
	    nw > 1 ? "s" : "", o->cc.rx_realtime ? "real-time" :
	    "normal priority", nw > 1 ? ", one per worker (-W)" : "", o->dir,
	    o->cc.spool.interval, d.oc.path != NULL ? "; configuration " : "",
	    d.oc.path != NULL ? d.oc.path : "");
	if (o->daemon) {
		daemon_ready(ready);
		log_init("flowcapd", LOG_DEST_SYSLOG, log_get_level());
	}
	/* after the first file exists: a new sink starts with it */
	for (size_t i = 0; i < sinks.n; i++) {
		if (sinkrun_start(sinks.v[i]) != NFE_OK)
			log_fatalx("cannot start a thread for sink %s",
			    o->sink_names[i]);
		log_msg(LOG_NOTICE, "sink %s: %s", o->sink_names[i],
		    o->sinks[i]);
	}
	c.sinks = &sinks;
	notify_ready(NULL);
	notify_status("collecting on port %u into %s", (unsigned)l[0].port,
	    o->dir);

	collect_run(&c, &got_stop, &got_rotate);
	notify_stopping();

	for (size_t i = 0; i < nw; i++)
		worker_stop(wp[i]);
	for (size_t i = 0; i < nw; i++)
		worker_join(wp[i]);
	collect_drain(&c);
	collect_fini(&c);
	/* the last file is complete: the sinks may deliver it */
	sinkset_stop(&sinks, o->sink_drain * 1000);
	sinkset_free(&sinks);
	sessions_fini(&sess);
	if (gdb != NULL) {
		geofill_fini(&geo);
		geoip_close(gdb);
	}
	capstats_loss_now(&c, &loss);
	log_msg(LOG_NOTICE, "stopped: %" PRIu64 " datagrams received, %"
	    PRIu64 " socket drops, %" PRIu64 " queue drops, %" PRIu64
	    " refused by -A", capstats_received(&c), loss.kdrops, loss.qdrops,
	    loss.acl);
	ctl_close(ctl);
	for (size_t i = 0; i < nw; i++)
		worker_fini(wp[i]);
	worker_shared_fini(&sh);
	listen_close(l, nw);
	for (size_t i = 0; i < o->cc.nrepeat; i++)
		close(o->cc.repeat_fd[i]);
	daemon_pidfile_remove(pf);
	daemon_pidfile_release(lock);
	capopts_fini(o);
	optconf_fini(&d.oc);
	return 0;
}
