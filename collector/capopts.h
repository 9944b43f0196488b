/*
 * collector/capopts.h -- flowcapd's options: the one table that is both
 * its command line (getopt_long) and the keys of its configuration file
 * (common/prog/optconf, flowkit.conf(5)), the values they set, their
 * check (--check prints the result), and what SIGHUP may change.
 *
 * To add an option: a row in capopts_table (capopts.c) -- its long
 * name is also its configuration key; OPTCONF_REPEAT if it may repeat;
 * OPTCONF_RELOAD if a running collector can take a new value -- a
 * field in struct capopts, a case in capopts_apply() that checks the
 * value and sets the field without side effects (no socket opened, no
 * file touched: the same code checks a reloaded file), a line in
 * capopts_print(), and for OPTCONF_RELOAD a case in capopts_reload().
 * Then the usage text (main.c), flowcapd(8) and flowkit.conf(5).
 */
#ifndef COLLECTOR_CAPOPTS_H
#define COLLECTOR_CAPOPTS_H

#include <sys/socket.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "collector/collect.h"
#include "collector/listen.h"
#include "collector/worker.h"
#include "collector/sessions.h"
#include "collector/sinkrun.h"
#include "common/base/addr.h"
#include "common/prog/optconf.h"

/* ids of the long-only options (short ones use their letter) */
enum capopt_id {
	CAPOPT_MAX_EXPORTERS = OPTCONF_LONG_ONLY,
	CAPOPT_CHECK,
	CAPOPT_EXPIRE_SIZE,
	CAPOPT_EXPIRE_AGE,
	CAPOPT_EXPIRE_WATERMARK,
	CAPOPT_RADIUS_ACCT,
	CAPOPT_RADIUS_SECRET,
	CAPOPT_SESSIONS,
	CAPOPT_SESSION_TIMEOUT,
	CAPOPT_SESSION_KEEP,
	CAPOPT_MAX_SESSIONS,
	CAPOPT_MAX_NAT,
	CAPOPT_SFLOW_PORT,
	CAPOPT_SINK,
	CAPOPT_SINK_DRAIN,
	CAPOPT_INSIDE,
	CAPOPT_GEOIP,
	CAPOPT_ASN_DB
};

extern const struct optconf_opt capopts_table[];
extern const size_t capopts_ntable;

#define CAPOPTS_DEF_PORT	9995
#define CAPOPTS_DEF_INTERVAL	300
/*
 * Default -Q.  The queues hold decoded flows (struct flowrec, 248 bytes
 * today), not datagrams (about 75 bytes a flow on the wire, what the
 * 64M queue before -W held): 256M keeps as many flows waiting for a
 * writer that another program starves (measured: note i12-collector).
 * Only the part a backlog reaches is ever touched.
 */
#define CAPOPTS_DEF_QUEUE	((size_t)256 * 1024 * 1024)
#define CAPOPTS_DEF_WORKERS	1
/*
 * Default socket receive buffer.  A burst of 150,000 flows from
 * softflowd -r, or 1.6M flows/s on a collector sharing one CPU with its
 * sender, needs 4-8 MiB when the receive thread cannot run at once (see
 * worker.h); 16 MiB leaves a margin.  The memory is the kernel's and is
 * only taken while datagrams wait.
 */
#define CAPOPTS_DEF_RCVBUF	(16 * 1024 * 1024)
#define CAPOPTS_DEF_WATERMARK	95	/* flowexpire -w */
#define CAPOPTS_MAX_PATH	4096
#define CAPOPTS_SINK_FLUSH_MS	1000	/* -F with --sink: datagram to
					   sink within 2 s */
#define CAPOPTS_DEF_SINK_DRAIN	5	/* s to deliver what is left at exit */

struct capopts {
	struct collect_conf cc;
	const char	*addrs[LISTEN_MAX_ADDRS];	/* borrowed: -b -4 -6 */
	size_t		 naddrs;
	uint16_t	 port;
	int32_t		 sflow_port;	/* --sflow-port; -1: none */
	int		 rcvbuf;
	size_t		 queue;
	struct nf_prefix acl[WORKER_MAX_ACL];
	size_t		 nacl;
	const char	*repeat[COLLECT_MAX_REPEAT];	/* borrowed: -R, checked;
							   main opens them */
	size_t		 nrepeat;
	bool		 daemon;
	char		*pidfile;	/* owned, absolute */
	char		*ctl_path;	/* owned, absolute */
	const char	*user;		/* borrowed */
	int		 verbose;
	const char	*dir_arg;	/* borrowed: -l as given */
	char		 dir[CAPOPTS_MAX_PATH];	/* resolved by capopts_finish */
	bool		 check;		/* --check: print and exit */
	/* flowexpire's limits, kept in flowcapd.conf: checked here */
	uint64_t	 expire_size;	/* bytes, 0 none */
	uint64_t	 expire_age;	/* seconds, 0 none */
	unsigned	 expire_watermark;
	/* the session store (collector/sessions.h); paths owned, absolute */
	struct sessions_conf sc;
	char		*secret;
	char		*sess_files[SESSIONS_MAX_FILES];
	/* the sinks (collector/sinkrun.h, flowkit-sink(7)): URLs checked
	 * here, parsed again by main */
	const char	*sinks[SINKRUN_MAX];	/* borrowed */
	char		 sink_names[SINKRUN_MAX][SINKURL_NAME_MAX + 1];
	size_t		 nsinks;
	unsigned	 sink_drain;	/* --sink-drain s */
	bool		 flush_given;	/* -F: not the sinks' default */
	/* GeoIP/ASN databases (common/enrich/geofill.h); owned, absolute */
	char		*geoip, *asn_db;
};

/* Defaults for everything. */
void	capopts_init(struct capopts *o);

/* Free what o owns. */
void	capopts_fini(struct capopts *o);

/*
 * An optconf_apply_fn (arg is the struct capopts): check one setting
 * and store it.  Values are borrowed from the item (optconf keeps
 * them).  Returns NFE_OK or NFE_INVAL with a message in err.
 */
int	capopts_apply(void *arg, const struct optconf_item *it, char *err,
	    size_t errlen);

/*
 * After every setting: the data directory is required and must be a
 * directory (resolved to an absolute path).  Returns NFE_OK or
 * NFE_INVAL with a message in err.  A warning that does not stop the
 * collector (an interval that does not divide a day) goes to warn (""
 * if none).
 */
int	capopts_finish(struct capopts *o, char *err, size_t errlen, char *warn,
	    size_t warnlen);

/*
 * A -R target (host[:port], [v6]:port or host/port, numeric, default
 * port 9995) as a socket address.  Returns NFE_OK or NFE_INVAL with a
 * message in err.
 */
int	capopts_repeater_addr(const char *arg, struct sockaddr_storage *ss,
	    char *err, size_t errlen);

/*
 * The effective configuration as a configuration file (--check): every
 * key, in table order, with its value or a comment for an unset one.
 */
void	capopts_print(const struct capopts *o, FILE *out);

/*
 * SIGHUP: take the new value of the reloadable option row from staged
 * (a capopts read from the new file and finished) into run, the running
 * collector's options, and make it effective (c: the running collector,
 * borrowed).  Runs in the decode/write thread.  Returns NFE_OK, or
 * NFE_INVAL with a message in err if it could not apply it after all.
 */
int	capopts_reload(struct capopts *run, const struct capopts *staged,
	    const struct optconf_opt *row, struct collect *c, char *err,
	    size_t errlen);

#endif /* COLLECTOR_CAPOPTS_H */
