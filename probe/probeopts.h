/*
 * probe/probeopts.h -- flowprobe's options: the one table that is both
 * its command line (getopt_long) and the keys of its configuration file
 * (common/prog/optconf, flowkit.conf(5)), the values they set, their
 * check (--check prints the result), and what SIGHUP may change.
 *
 * To add an option: a row in probeopts_table (probeopts.c) -- its long
 * name is also its configuration key; OPTCONF_REPEAT if it may repeat;
 * OPTCONF_RELOAD if a running probe can take a new value -- a field in
 * struct probeopts, a case in probeopts_apply() that checks the value
 * and sets the field without side effects, a line in probeopts_print(),
 * and for OPTCONF_RELOAD a case in the reload of probe/main.c.  Then the
 * usage text (main.c), flowprobe(8) and flowkit.conf(5).
 */
#ifndef PROBE_PROBEOPTS_H
#define PROBE_PROBEOPTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "common/prog/optconf.h"
#include "probe/capture.h"
#include "probe/export.h"
#include "probe/meter.h"

enum probeopt_id {
	PROBEOPT_CHECK = OPTCONF_LONG_ONLY,
	PROBEOPT_FILTER
};

extern const struct optconf_opt probeopts_table[];
extern const size_t probeopts_ntable;

struct probeopts {
	struct capture_conf cconf;
	struct meter_conf mconf;
	struct export_conf xconf;	/* -n -v -M -O -R -Q */
	bool		 dump;		/* -d: one text line per flow */
	bool		 biflow;	/* -b: as given (used with IPFIX) */
	unsigned	 xfields;	/* -x: groups (probe/xfields.h) */
	uint32_t	 sampling;	/* -s */
	const char	*filter_key;	/* borrowed: --filter / 'filter' */
	char		*filter;	/* owned: the BPF expression used */
	const char	*ctl_path;	/* borrowed: -c */
	bool		 daemonize;	/* -D */
	const char	*pid_path;	/* borrowed: -P */
	const char	*user;		/* borrowed: -u */
	bool		 check;		/* --check: print and exit */
};

/* Defaults for everything. */
void	probeopts_init(struct probeopts *o);

/* Free what o owns. */
void	probeopts_fini(struct probeopts *o);

/*
 * An optconf_apply_fn (arg is the struct probeopts): check one setting
 * and store it (values borrowed from the item).  Returns NFE_OK or
 * NFE_INVAL with a message in err.
 */
int	probeopts_apply(void *arg, const struct optconf_item *it, char *err,
	    size_t errlen);

/*
 * After every setting: the operands (argv[0..argc), a BPF expression
 * on the command line) override the 'filter' key; exactly one of -i
 * and -r; -D only with -i.  Returns NFE_OK, or NFE_INVAL with a message
 * in err; NFE_NOMEM.
 */
int	probeopts_finish(struct probeopts *o, int argc, char **argv, char *err,
	    size_t errlen);

/* The effective configuration as a configuration file (--check). */
void	probeopts_print(const struct probeopts *o, FILE *out);

#endif /* PROBE_PROBEOPTS_H */
