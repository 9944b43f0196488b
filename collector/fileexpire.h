/*
 * collector/fileexpire.h -- expiry of completed flow files by total size
 * and/or age, oldest first (what nfexpire does for nfcapd), used by
 * flowexpire(8).
 *
 * Files a sink of flowcapd has not delivered yet (at or after the
 * oldest sink cursor, keep_from) are kept, and counted in kept, unless
 * force is set; then they go like the others and each is reported as
 * undelivered, for its loud line.
 *
 * Only completed files (flows.YYYYMMDDhhmm[ss], collector/spoolname.h)
 * below the directory are considered: never *.current files, the
 * template file or anything else.  Age is taken from the file's name
 * (the start of its interval), so copying or touching a file does not
 * change when it expires.  Files that vanish meanwhile (another process
 * deleted them) are skipped, never retried in a loop.
 */
#ifndef COLLECTOR_FILEEXPIRE_H
#define COLLECTOR_FILEEXPIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FILEEXPIRE_MAX_DEPTH	4

struct fileexpire_conf {
	uint64_t	max_bytes;	/* 0: no size limit */
	uint64_t	max_age_s;	/* 0: no age limit */
	unsigned	watermark;	/* size limit: delete down to this % */
	bool		dry_run;	/* only report */
	int64_t		now_s;		/* the clock, Unix s */
	int64_t		keep_from;	/* 0: none; else files whose slot is
					   >= keep_from are not yet delivered
					   by a sink (flowkit-sink(7)) */
	bool		force;		/* remove those too (each reported
					   with undelivered set) */
};

struct fileexpire_result {
	size_t		files;		/* completed files found */
	uint64_t	bytes;
	size_t		removed;	/* files removed (or would be) */
	uint64_t	removed_bytes;
	size_t		errors;		/* unlink failures */
	size_t		kept;		/* files the limits would remove but a
					   sink has not delivered (kept) */
	uint64_t	kept_bytes;
	size_t		undelivered;	/* of removed: not delivered (force) */
};

/*
 * Called for each file removed (or that would be, in a dry run);
 * err is 0 or the errno of a failed unlink; undelivered: a sink had not
 * delivered it (removed because of force).
 */
typedef void fileexpire_report_fn(void *arg, const char *path, uint64_t size,
	    int64_t slot_s, int err, bool undelivered);

/*
 * Expire files below dir.  Returns NFE_OK, NFE_IO (dir unreadable;
 * errno set) or NFE_NOMEM.
 */
int	fileexpire_run(const char *dir, const struct fileexpire_conf *c,
	    fileexpire_report_fn *report, void *arg, struct fileexpire_result *res);

/*
 * Parse a size ("10G", "500M", "1T", "4096"; K/M/G/T powers of 1024,
 * an optional trailing B) or an age ("7d", "2w", "12h", "36" hours,
 * "30m" minutes, "90s").  Return NFE_OK or NFE_INVAL.
 */
int	fileexpire_parse_size(const char *s, uint64_t *bytes);
int	fileexpire_parse_age(const char *s, uint64_t *secs);

#endif /* COLLECTOR_FILEEXPIRE_H */
