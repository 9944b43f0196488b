/*
 * collector/main.c -- flowcapd: options, sockets, daemon and privilege
 * handling, signals, and the two threads (receive; decode/write).
 *
 * Signals: SIGTERM and SIGINT stop reception, decode what is queued and
 * complete the current file before exit; SIGHUP completes the current
 * file now and starts a new one.  Only flags are set in handlers.
 */
#include "common/compat.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <pthread.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collector/collect.h"
#include "collector/listen.h"
#include "collector/rx.h"
#include "collector/spoolname.h"
#include "common/nferr.h"
#include "common/xmalloc.h"
#include "common/zcodec.h"

#define DEF_PORT	9995
#define DEF_INTERVAL	300
#define DEF_QUEUE	(64 * 1024 * 1024)

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
	const char	*pidfile;
	const char	*user;
	int		 verbose;
	char		 dir[PATH_MAX];
};

static NF_NORETURN void
usage(int status)
{
	FILE *f = status == 0 ? stdout : stderr;

	fprintf(f,
"usage: flowcapd -l dir [-DhV46] [-p port] [-b addr] [-B bytes] [-t secs]\n"
"                [-S layout] [-z codec[:level]] [-I ident] [-x cmd]\n"
"                [-s [-]rate] [-A prefix] [-R host[:port]] [-P pidfile]\n"
"                [-u user] [-F secs] [-Q bytes] [-v]\n"
"  -l dir   data directory (required; -w is the same)\n"
"  -p port  UDP port (default 9995; 0 picks a free one)\n"
"  -b addr  bind address, IPv4 or IPv6, repeatable (default: both families)\n"
"  -4 / -6  IPv4 only / IPv6 only\n"
"  -B bytes socket receive buffer\n"
"  -t secs  rotation interval, 2..86400 (default 300)\n"
"  -S n     subdirectory layout 0..8 (as nfcapd)\n"
"  -z codec lz4[:1..12] (default lz4), zlib[:1..9] or none\n"
"  -I ident ident stored in each file\n"
"  -x cmd   run on each completed file; %%f path, %%d dir, %%t time, %%u unix\n"
"           time, %%i ident\n"
"  -s rate  sampling rate when none is announced; -s -rate forces it\n"
"  -A pfx   accept only exporters in this prefix (repeatable)\n"
"  -R dst   repeat every datagram to host:port (repeatable)\n"
"  -D       daemonize   -P file  pid file   -u user  drop privileges\n"
"  -F secs  write the partial block at least this often (default 5)\n"
"  -Q bytes receive queue size (default 64M)\n"
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
	cc->spool.interval = DEF_INTERVAL;
	cc->spool.codec = ZC_LZ4;
	while ((ch = getopt(argc, argv,
	    "46A:B:b:DF:hI:l:P:p:Q:R:S:s:t:u:Vvw:x:z:")) != -1) {
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
		case 'D':
			o->daemon = true;
			break;
		case 'F':
			cc->flush_ms = (unsigned)num('F', optarg, 1, 60,
			    false) * 1000;
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
			o->pidfile = optarg;
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
}

static void
daemonize(void)
{
	pid_t pid;
	int fd;

	if ((pid = fork()) == -1)
		log_fatalx("fork");
	if (pid > 0)
		_exit(0);
	if (setsid() == -1)
		log_fatalx("setsid");
	if ((pid = fork()) == -1)
		log_fatalx("fork");
	if (pid > 0)
		_exit(0);
	if (chdir("/") == -1)
		log_fatalx("chdir /");
	if ((fd = open("/dev/null", O_RDWR)) != -1) {
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		if (fd > 2)
			close(fd);
	}
}

static void
write_pidfile(const char *path)
{
	FILE *f;

	if ((f = fopen(path, "w")) == NULL)
		log_fatalx("pid file %s", path);
	fprintf(f, "%ld\n", (long)getpid());
	if (fclose(f) != 0)
		log_fatalx("pid file %s", path);
}

static void
drop_privileges(const char *user)
{
	struct passwd *pw;

	if ((pw = getpwnam(user)) == NULL)
		log_fatal("-u %s: no such user", user);
	if (setgroups(1, &pw->pw_gid) == -1 || setgid(pw->pw_gid) == -1 ||
	    setuid(pw->pw_uid) == -1)
		log_fatalx("-u %s: cannot drop privileges", user);
	if (pw->pw_uid != 0 && (setuid(0) != -1 || getuid() != pw->pw_uid))
		log_fatal("-u %s: privileges were not dropped", user);
}

int
main(int argc, char **argv)
{
	static struct opts o;
	static struct collect c;
	static struct rx_counters cnt;
	struct listener l;
	struct rx rx;
	struct dgq *q;
	pthread_t th;
	sigset_t all, old;
	char err[512];
	int level;

	parse(argc, argv, &o);
	level = o.verbose > 0 ? LOG_DEBUG : LOG_INFO;
	log_init("flowcapd", o.daemon ? LOG_DEST_SYSLOG : LOG_DEST_STDERR,
	    level);
	if (listen_open(&l, o.addrs, o.naddrs, o.port, o.rcvbuf, err,
	    sizeof(err)) != NFE_OK)
		log_fatal("%s", err);
	setup_signals();
	if (o.daemon)
		daemonize();
	if (o.pidfile != NULL)
		write_pidfile(o.pidfile);
	if (o.user != NULL)
		drop_privileges(o.user);
	if ((q = dgq_new(o.queue)) == NULL)
		log_fatal("out of memory for the receive queue");
	if (collect_init(&c, &o.cc, q, &cnt, err, sizeof(err)) != NFE_OK)
		log_fatal("%s", err);
	memset(&rx, 0, sizeof(rx));
	rx.l = &l;
	rx.q = q;
	rx.cnt = &cnt;
	rx.acl = o.acl;
	rx.nacl = o.nacl;
	atomic_init(&rx.stop, 0);
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	if (pthread_create(&th, NULL, rx_main, &rx) != 0)
		log_fatal("cannot start the receive thread");
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	log_msg(LOG_NOTICE, "listening on port %u (%zu sockets, receive "
	    "buffer %d bytes), writing %s every %u s", (unsigned)l.port,
	    l.nfd, listen_rcvbuf(&l), o.dir, o.cc.spool.interval);

	collect_run(&c, &got_stop, &got_hup);

	atomic_store(&rx.stop, 1);
	pthread_join(th, NULL);
	collect_drain(&c);
	collect_fini(&c);
	log_msg(LOG_NOTICE, "stopped: %llu datagrams received, %llu socket "
	    "drops, %llu queue drops, %llu refused by -A",
	    (unsigned long long)atomic_load(&cnt.datagrams),
	    (unsigned long long)atomic_load(&cnt.kdrops),
	    (unsigned long long)dgq_drops(q),
	    (unsigned long long)atomic_load(&cnt.refused));
	dgq_free(q);
	listen_close(&l);
	for (size_t i = 0; i < o.cc.nrepeat; i++)
		close(o.cc.repeat_fd[i]);
	if (o.pidfile != NULL)
		(void)unlink(o.pidfile);
	return 0;
}
