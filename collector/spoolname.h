/*
 * collector/spoolname.h -- where flowcapd puts its files: interval
 * slots, file names, nfcapd's -S subdirectory layouts, the temporary
 * name, and the -x command's placeholders.
 *
 * All times are UTC (nfcapd uses local time; we do not, so that a DST
 * change never makes two files with one name).  A file is named after
 * the start of its interval: flows.YYYYMMDDhhmm, plus ss when the
 * interval is shorter than 60 s, as nfcapd does.  While it is written
 * it is called <final name>.current in its final directory; readers
 * ignore *.current names.
 */
#ifndef COLLECTOR_SPOOLNAME_H
#define COLLECTOR_SPOOLNAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SPOOL_PREFIX		"flows."
#define SPOOL_TMP_SUFFIX	".current"
#define SPOOL_MIN_INTERVAL	2
#define SPOOL_MAX_INTERVAL	86400
#define SPOOL_MAX_LAYOUT	8

/* Start (Unix seconds) of the interval holding t_s; slots align to the epoch. */
int64_t	spool_slot(int64_t t_s, unsigned interval);

/*
 * Relative path "SUBDIRS/flows.YYYYMMDDhhmm[ss]" of the slot starting
 * at slot_s, for -S layout (0..8).  Returns NFE_OK or NFE_INVAL (bad
 * layout, buffer too small).
 */
int	spool_relpath(int64_t slot_s, unsigned interval, unsigned layout,
	    char *buf, size_t len);

/*
 * Parse a file name (last path component) "flows.YYYYMMDDhhmm[ss]",
 * optionally ending in ".current".  Sets *slot_s and *tmp.  Returns
 * false for any other name.
 */
bool	spool_parse_name(const char *name, int64_t *slot_s, bool *tmp);

/* What the -x command's placeholders stand for. */
struct spool_vars {
	const char	*path;		/* %f: the completed file's full path */
	const char	*dir;		/* %d: the data directory (-l) */
	int64_t		 slot_s;	/* %t: YYYYMMDDhhmm[ss]; %u: Unix s */
	unsigned	 interval;
	const char	*ident;		/* %i */
};

/*
 * Expand %f %d %t %u %i and %% in tmpl into buf.  A substituted value
 * made only of letters, digits and _-.,/:+=@ is inserted as it is (as
 * nfcapd does); any other value is single-quoted for /bin/sh.  Returns NFE_OK, NFE_INVAL (unknown
 * placeholder) or NFE_LIMIT (buf too small).
 */
int	spool_expand(const char *tmpl, const struct spool_vars *v, char *buf,
	    size_t len);

#endif /* COLLECTOR_SPOOLNAME_H */
