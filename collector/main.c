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
 * Signals: SIGTERM and SIGINT stop reception, decode what is queued and
 * complete the current file before exit; SIGHUP completes the current
 * file now and starts a new one.  Only flags are set in handlers.
 */
#include "common/base/compat.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collector/capctl.h"
#include "collector/collect.h"
#include "collector/listen.h"
#include "collector/rx.h"
#include "collector/spoolname.h"
#include "common/base/nferr.h"
#include "common/ffile/zcodec.h"
#include "common/prog/ctl.h"
#include "common/prog/daemon.h"
#include "common/prog/xmalloc.h"

#define DEF_PORT	9995
#define DEF_INTERVAL	300
#define DEF_QUEUE	(64 * 1024 * 1024)
/*
 * Default socket receive buffer.  A burst of 150,000 flows from
 * softflowd -r, or 1.6M flows/s on a collector sharing one CPU with its
 * sender, needs 4-8 MiB when the receive thread cannot run at once (see
 * rx.h); 16 MiB leaves a margin.  The memory is the kernel's and is
 * only taken while datagrams wait.
 */
#define DEF_RCVBUF	(16 * 1024 * 1024)
#define LOCK_FILE	".flowcapd.lock"	/* one collector per directory */
#define OPT_MAX_EXPORTERS	256		/* getopt_long value */

static volatile sig_atomic_t got_stop;
static volatile sig_atomic_t got_hup;

struct opts {
	struct collect_conf cc;
	const char	*addrs[LISTEN_MAX_SOCKS];
	size_t		 naddrs;
	uint16_t	 port;
	int		 rcvbuf;
	size_t		 queue;
	struct nf_prefix acl[RX_MAX_ACL];
	size_t		 nacl;
	bool		 daemon;
	char		*pidfile;	/* owned, absolute */
	char		*ctl_path;	/* owned, absolute */
	const char	*user;
	int		 verbose;
	char		 dir[PATH_MAX];
	char		 lock[PATH_MAX + sizeof(LOCK_FILE) + 1];
};

static NF_NORETURN void
usage(int status)
{
	FILE *f = status == 0 ? stdout : stderr;

	fprintf(f,
"usage: flowcapd -l dir [-DhV46] [-p port] [-b addr] [-B bytes] [-t secs]\n"
"                [-S layout] [-z codec[:level]] [-I ident] [-x cmd]\n"
"                [-s [-]rate] [-A prefix] [-R host[:port]] [-P pidfile]\n"
"                [-u user] [-F secs] [-Q bytes] [-H bytes] [-c socket]\n"
"                [--max-exporters n] [-v]\n"
"  -l dir   data directory (required; -w is the same)\n"
"  -p port  UDP port (default 9995; 0 picks a free one)\n"
"  -b addr  bind address, IPv4 or IPv6, repeatable (default: both families)\n"
"  -4 / -6  IPv4 only / IPv6 only\n"
"  -B bytes socket receive buffer (default 16M)\n"
"  -t secs  rotation interval, 2..86400 (default 300)\n"
"  -S n     subdirectory layout 0..8 (as nfcapd)\n"
"  -z codec lz4[:1..12] (default lz4), zlib[:1..9] or none\n"
"  -I ident ident stored in each file\n"
"  -x cmd   run on each completed file, in dir; %%f path, %%d dir, %%t time,\n"
"           %%u unix time, %%i ident\n"
"  -s rate  sampling rate when none is announced; -s -rate forces it\n"
"  -A pfx   accept only exporters in this prefix (repeatable)\n"
"  -R dst   repeat every datagram to host:port (repeatable)\n"
"  -D       daemonize   -P file  pid file   -u user  drop privileges\n"
"  -F secs  write the partial block at least this often (default 5)\n"
"  -Q bytes receive queue size (default 64M)\n"
"  -H bytes flow data held in memory while the disk refuses writes\n"
"           (default 256M; 0 holds none)\n"
"  -c path  control socket for flowctl(8)\n"
"  --max-exporters n  exporters kept, 1..65536 (default 4096)\n"
"  -v       more verbose   -h help   -V version\n");
	exit(status);
}

static NF_NORETURN NF_PRINTF(2, 3) void
bad_opt(char opt, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "flowcapd: -%c: ", opt);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	exit(1);
}

/* Unsigned number with an optional k/m/g suffix (powers of 1024). */
static uint64_t
num(char opt, const char *s, uint64_t min, uint64_t max, bool suffix)
{
	char *end;
	unsigned long long v;

	errno = 0;
	if (*s == '-' || *s == '\0')
		bad_opt(opt, "'%s' is not a number", s);
	v = strtoull(s, &end, 10);
	if (suffix && *end != '\0' && end[1] == '\0') {
		switch (*end) {
		case 'k': case 'K': v = v > ULLONG_MAX >> 10 ? ULLONG_MAX :
		    v << 10; end++; break;
		case 'm': case 'M': v = v > ULLONG_MAX >> 20 ? ULLONG_MAX :
		    v << 20; end++; break;
		case 'g': case 'G': v = v > ULLONG_MAX >> 30 ? ULLONG_MAX :
		    v << 30; end++; break;
		default: break;
		}
	}
	if (errno != 0 || *end != '\0')
		bad_opt(opt, "'%s' is not a number", s);
	if (v < min || v > max)
		bad_opt(opt, "%s is out of range %llu..%llu", s,
		    (unsigned long long)min, (unsigned long long)max);
	return v;
}

/* A plain decimal number for a long option. */
static uint64_t
num_long(const char *name, const char *s, uint64_t min, uint64_t max)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (*s == '-' || *s == '\0' || errno != 0 || *end != '\0') {
		fprintf(stderr, "flowcapd: --%s: '%s' is not a number\n", name,
		    s);
		exit(1);
	}
	if (v < min || v > max) {
		fprintf(stderr, "flowcapd: --%s: %s is out of range %llu..%llu"
		    "\n", name, s, (unsigned long long)min,
		    (unsigned long long)max);
		exit(1);
	}
	return v;
}

/* -R host[:port], [v6]:port, host/port (nfcapd's form); default 9995. */
static int
open_repeater(const char *arg)
{
	char host[256], *p;
	struct sockaddr_storage ss;
	struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
	uint16_t port = DEF_PORT;
	const char *portstr = NULL;
	int fd;

	if (strlen(arg) >= sizeof(host))
		bad_opt('R', "'%s' is too long", arg);
	strcpy(host, arg);
	if (host[0] == '[') {
		if ((p = strchr(host, ']')) == NULL)
			bad_opt('R', "'%s': missing ]", arg);
		*p = '\0';
		memmove(host, host + 1, strlen(host + 1) + 1);
		if (p[1] == ':')
			portstr = arg + (p - host) + 3;
		else if (p[1] != '\0')
			bad_opt('R', "'%s': expected [addr]:port", arg);
	} else if ((p = strchr(host, '/')) != NULL ||
	    ((p = strchr(host, ':')) != NULL && strchr(p + 1, ':') == NULL)) {
		*p = '\0';
		portstr = arg + (p - host) + 1;
	}
	if (portstr != NULL)
		port = (uint16_t)num('R', portstr, 1, 65535, false);
	memset(&ss, 0, sizeof(ss));
	if (inet_pton(AF_INET, host, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
	} else if (inet_pton(AF_INET6, host, &sin6->sin6_addr) == 1) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
	} else {
		bad_opt('R', "'%s' is not a numeric address", host);
	}
	if ((fd = socket(ss.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1 ||
	    connect(fd, (struct sockaddr *)&ss, ss.ss_family == AF_INET ?
	    sizeof(*sin) : sizeof(*sin6)) == -1)
		bad_opt('R', "%s: %s", arg, strerror(errno));
	return fd;
}

/* A path made absolute now: the process later works in the data dir. */
static char *
abs_path(char opt, const char *path)
{
	char *p;

	if (path[0] == '\0')
		bad_opt(opt, "empty path");
	if ((p = daemon_abspath(path)) == NULL)
		bad_opt(opt, "out of memory");
	return p;
}

static const struct option long_opts[] = {
	{ "max-exporters", required_argument, NULL, OPT_MAX_EXPORTERS },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 }
};

static void
parse(int argc, char **argv, struct opts *o)
{
	struct collect_conf *cc = &o->cc;
	const char *dir = NULL;
	int64_t s;
	int ch, r;

	memset(o, 0, sizeof(*o));
	o->port = DEF_PORT;
	o->queue = DEF_QUEUE;
	o->rcvbuf = DEF_RCVBUF;
	cc->spool.interval = DEF_INTERVAL;
	cc->spool.codec = ZC_LZ4;
	cc->spool.hold_max = SPOOL_DEF_HOLD;
	while ((ch = getopt_long(argc, argv,
	    "46A:B:b:c:DF:H:hI:l:P:p:Q:R:S:s:t:u:Vvw:x:z:", long_opts,
	    NULL)) != -1) {
		switch (ch) {
		case '4':
		case '6':
			if (o->naddrs >= LISTEN_MAX_SOCKS)
				bad_opt((char)ch, "too many bind addresses");
			o->addrs[o->naddrs++] = ch == '4' ? "0.0.0.0" : "::";
			break;
		case 'A':
			if (o->nacl >= RX_MAX_ACL)
				bad_opt('A', "at most %d prefixes", RX_MAX_ACL);
			if (prefix_parse(optarg, false, &o->acl[o->nacl]) !=
			    NFE_OK)
				bad_opt('A', "'%s' is not an address or "
				    "prefix (host bits must be zero)", optarg);
			o->nacl++;
			break;
		case 'B':
			o->rcvbuf = (int)num('B', optarg, 1024, INT_MAX, true);
			break;
		case 'b':
			if (o->naddrs >= LISTEN_MAX_SOCKS)
				bad_opt('b', "at most %d addresses",
				    LISTEN_MAX_SOCKS);
			o->addrs[o->naddrs++] = optarg;
			break;
		case 'c':
			free(o->ctl_path);
			o->ctl_path = abs_path('c', optarg);
			break;
		case 'D':
			o->daemon = true;
			break;
		case 'F':
			cc->flush_ms = (unsigned)num('F', optarg, 1, 60,
			    false) * 1000;
			break;
		case 'H':
			cc->spool.hold_max = num('H', optarg, 0, UINT64_MAX,
			    true);
			break;
		case 'h':
			usage(0);
		case 'I':
			if (strlen(optarg) > FFILE_IDENT_MAX)
				bad_opt('I', "longer than %d bytes",
				    FFILE_IDENT_MAX);
			cc->spool.ident = optarg;
			break;
		case 'l':
		case 'w':
			dir = optarg;
			break;
		case 'P':
			free(o->pidfile);
			o->pidfile = abs_path('P', optarg);
			break;
		case 'p':
			o->port = (uint16_t)num('p', optarg, 0, 65535, false);
			break;
		case 'Q':
			o->queue = (size_t)num('Q', optarg, DGQ_MIN_BYTES,
			    DGQ_MAX_BYTES, true);
			break;
		case 'R':
			if (cc->nrepeat >= COLLECT_MAX_REPEAT)
				bad_opt('R', "at most %d repeaters",
				    COLLECT_MAX_REPEAT);
			cc->repeat_fd[cc->nrepeat++] = open_repeater(optarg);
			break;
		case 'S':
			cc->spool.layout = (unsigned)num('S', optarg, 0,
			    SPOOL_MAX_LAYOUT, false);
			break;
		case 's':
			if (optarg[0] == '-') {
				cc->sampling_force = true;
				optarg++;
			}
			cc->sampling = (uint32_t)num('s', optarg, 1,
			    UINT32_MAX, false);
			break;
		case 't':
			cc->spool.interval = (unsigned)num('t', optarg,
			    SPOOL_MIN_INTERVAL, SPOOL_MAX_INTERVAL, false);
			break;
		case 'u':
			o->user = optarg;
			break;
		case 'V':
			printf("flowcapd (%s) %s\n", PACKAGE_NAME,
			    PACKAGE_VERSION);
			exit(0);
		case 'v':
			o->verbose++;
			break;
		case 'x':
			cc->spool.xcmd = optarg;
			{
				struct spool_vars v = { "", "", 0, 300, "" };
				char tmp[8192];

				if (spool_expand(optarg, &v, tmp,
				    sizeof(tmp)) == NFE_INVAL)
					bad_opt('x', "unknown %% placeholder "
					    "in '%s' (use %%f %%d %%t %%u %%i "
					    "%%%%)", optarg);
			}
			break;
		case 'z':
			if ((r = zcodec_parse(optarg, &cc->spool.codec,
			    &cc->spool.level)) != NFE_OK)
				bad_opt('z', "'%s': expected lz4[:1..12], "
				    "zlib[:1..9] or none", optarg);
			break;
		case OPT_MAX_EXPORTERS:
			cc->max_exporters = (size_t)num_long("max-exporters",
			    optarg, 1, EXPORTER_MAX_LIMIT);
			break;
		default:
			usage(1);
		}
	}
	if (optind < argc) {
		fprintf(stderr, "flowcapd: unexpected argument '%s'\n",
		    argv[optind]);
		exit(1);
	}
	if (dir == NULL) {
		fprintf(stderr, "flowcapd: -l: a data directory is "
		    "required\n");
		usage(1);
	}
	if (realpath(dir, o->dir) == NULL)
		bad_opt('l', "%s: %s", dir, strerror(errno));
	{
		struct stat st;

		if (stat(o->dir, &st) == -1 || !S_ISDIR(st.st_mode))
			bad_opt('l', "%s: not a directory", dir);
	}
	cc->spool.dir = o->dir;
	snprintf(o->lock, sizeof(o->lock), "%s/%s", o->dir, LOCK_FILE);
	s = (int64_t)cc->spool.interval;
	if (86400 % s != 0 && s % 86400 != 0)
		fprintf(stderr, "flowcapd: -t %lld does not divide a day: "
		    "slots align to the Unix epoch\n", (long long)s);
}

static void
on_signal(int sig)
{
	if (sig == SIGHUP)
		got_hup = 1;
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
check_rcvbuf(const struct opts *o, int got)
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
	    o->rcvbuf == DEF_RCVBUF ? " by default" : " with -B", max,
	    o->rcvbuf);
}

int
main(int argc, char **argv)
{
	static struct opts o;
	static struct collect c;
	static struct rx_counters cnt;
	struct pidfile *pf = NULL, *lock = NULL;
	struct ctl *ctl = NULL;
	struct listener l;
	struct rx rx;
	struct dgq *q;
	pthread_t th;
	char err[512];
	int level, ready = -1;

	parse(argc, argv, &o);
	level = o.verbose > 0 ? LOG_DEBUG : LOG_INFO;
	/* stderr until start-up is complete, also with -D */
	log_init("flowcapd", LOG_DEST_STDERR, level);
	if (daemon_pidfile_write(o.lock, &lock, err, sizeof(err)) != NFE_OK)
		log_fatalx("-l %s: another flowcapd collects into this "
		    "directory: %s", o.dir, err);
	if (listen_open(&l, o.addrs, o.naddrs, o.port, o.rcvbuf, err,
	    sizeof(err)) != NFE_OK)
		log_fatalx("%s", err);
	check_rcvbuf(&o, listen_rcvbuf(&l));
	if (o.ctl_path != NULL && ctl_open(o.ctl_path, capctl_command, &c,
	    &ctl, err, sizeof(err)) != NFE_OK)
		log_fatalx("-c %s", err);
	if (o.pidfile != NULL && daemon_pidfile_write(o.pidfile, &pf, err,
	    sizeof(err)) != NFE_OK)
		log_fatalx("-P %s", err);
	if ((q = dgq_new(o.queue)) == NULL)
		log_fatalx("out of memory for the receive queue");
	if (o.daemon) {
		if (daemon_detach(&ready) != NFE_OK)
			log_fatal("-D");
		if (daemon_pidfile_update(lock) != NFE_OK ||
		    daemon_pidfile_update(pf) != NFE_OK)
			log_fatal("cannot write the daemon's pid");
	}
	if (chdir(o.dir) == -1)
		log_fatal("%s", o.dir);
	setup_signals();
	memset(&rx, 0, sizeof(rx));
	rx.l = &l;
	rx.q = q;
	rx.cnt = &cnt;
	rx.acl = o.acl;
	rx.nacl = o.nacl;
	/* before -u: a real-time receive thread needs root */
	if (rx_start(&rx, &th, &o.cc.rx_realtime) != NFE_OK)
		log_fatalx("cannot start the receive thread");
	if (o.user != NULL && daemon_drop_privs(o.user, err, sizeof(err)) !=
	    NFE_OK)
		log_fatalx("-u %s", err);
	o.cc.port = l.port;
	o.cc.nsock = l.nfd;
	o.cc.rcvbuf = listen_rcvbuf(&l);
	if (collect_init(&c, &o.cc, q, &cnt, err, sizeof(err)) != NFE_OK)
		log_fatalx("%s", err);
	c.ctl = ctl;
	log_msg(LOG_NOTICE, "listening on port %u (%zu sockets, receive "
	    "buffer %d bytes, receive thread %s), writing %s every %u s",
	    (unsigned)l.port, l.nfd, o.cc.rcvbuf, o.cc.rx_realtime ?
	    "real-time" : "normal priority", o.dir, o.cc.spool.interval);
	if (o.daemon) {
		daemon_ready(ready);
		log_init("flowcapd", LOG_DEST_SYSLOG, level);
	}

	collect_run(&c, &got_stop, &got_hup);

	rx_stop(&rx, th);
	collect_drain(&c);
	collect_fini(&c);
	log_msg(LOG_NOTICE, "stopped: %llu datagrams received, %llu socket "
	    "drops, %llu queue drops, %llu refused by -A",
	    (unsigned long long)atomic_load(&cnt.datagrams),
	    (unsigned long long)atomic_load(&cnt.kdrops),
	    (unsigned long long)dgq_drops(q),
	    (unsigned long long)atomic_load(&cnt.refused));
	ctl_close(ctl);
	dgq_free(q);
	listen_close(&l);
	for (size_t i = 0; i < o.cc.nrepeat; i++)
		close(o.cc.repeat_fd[i]);
	daemon_pidfile_remove(pf);
	daemon_pidfile_release(lock);
	free(o.pidfile);
	free(o.ctl_path);
	return 0;
}
