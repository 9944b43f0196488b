/*
 * query/scan.h -- flowq's file selection and block scan.
 *
 * scan_select() turns -r / -R / -M arguments into a list of flow files
 * in time order (by file name: flows.YYYYMMDDhhmm sorts by time).
 * scan_run() reads every block of every file that can overlap the -t
 * window (others are skipped by the block index, without I/O) and, with
 * a filter, whose own index (common/ffile/fidx.h, read alone) says a
 * record may pass (query/fblock.c), decodes
 * only the columns the filter and the sinks need, evaluates the filter
 * column-wise, and hands each passing record to the stages (stage.h:
 * the listing, formatted per block and emitted in file order, the
 * aggregation, the -s statistics, the -w writer).  Corrupt blocks are
 * skipped with a warning and counted.
 *
 * A file that is not a flowkit flow file but an nfdump file (nfcapd,
 * sfcapd, nfdump -w; common/nfdump/nfdfile.h) is read in place, on one
 * thread, block by block in file order: it has no block index or time
 * ranges to skip by.  Records handed to the -w writer get their
 * exporter index in one table merged over all files (query/xmerge.h).
 *
 * With threads > 1, the blocks of each file are shared out to worker
 * threads, each with its own clone of every stage and a partial
 * summary (merged at the end); block text is formatted into one buffer
 * per block and written in block order, at most 4 * threads blocks
 * ahead.  -c, and any stage that cannot be cloned (-m, -w of plain
 * records), run on one thread.
 */
#ifndef QUERY_SCAN_H
#define QUERY_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "common/ffile/ffile.h"
#include "query/output.h"
#include "query/stage.h"

struct filter;
struct qjoin;
struct geoip;

struct scan_files {
	char		**paths;	/* owned, each owned */
	size_t		 n;
};

/*
 * Fill files from -r FILE (rfile), -R DIR[/first:last] (rarg) and
 * -M dir1:dir2 (marg; with -M, -R names first[:last] inside each
 * directory).  Directories are walked recursively; hidden files,
 * "*.current" files and nfcapd's "nfcapd.current.PID" are left out.  Returns NFE_OK, NFE_IO (errno set,
 * path in err) or NFE_INVAL (message in err).
 */
int	scan_select(const char *rfile, const char *rarg, const char *marg,
	    struct scan_files *files, char *err, size_t errlen);
void	scan_files_free(struct scan_files *files);

#define SCAN_MAX_STAGES	32

struct scan_conf {
	const struct scan_files *files;
	uint64_t	 from, to;	/* -t window; 0, UINT64_MAX: none */
	bool		 window;
	const struct filter *filter;	/* borrowed; NULL: everything */
	uint64_t	 limit;		/* -c; 0: none */
	struct stage	**stages;	/* borrowed: where passing records go */
					/* (at most SCAN_MAX_STAGES) */
	size_t		 nstages;
	bool		 progress;	/* progress line on stderr */
	bool		 quiet_warn;	/* do not warn about non-flow files */
	size_t		 threads;	/* worker threads; <= 1: none */
	const struct qjoin *join;	/* borrowed; --sessions, or NULL */
	const struct geoip *geo;	/* borrowed; --geoip/--asn-db, or
					   NULL */
};

struct scan_result {
	struct out_summary sum;
	unsigned	 bad_files;	/* could not be opened / read */
	bool		 write_failed;	/* writing the listing failed */
	struct ffile_exporter *exporters; /* owned: every file's exporters
					   as one table, the indexes of the
					   records given to the stages'
					   row->wx */
	size_t		 nexporters;
};

/*
 * Run the scan: every passing record to every stage (stage.h), block
 * text written to out in block order, the workers' stage clones merged
 * into conf->stages.  Warnings (unreadable files, corrupt blocks) go to
 * stderr and are counted in res.  Returns NFE_OK; NFE_IO if writing
 * out failed (the scan went on); NFE_NOMEM, NFE_LIMIT (too many
 * stages) or NFE_INTERNAL if the scan
 * could not run (message in err, res incomplete).
 */
int	scan_run(const struct scan_conf *conf, struct scan_result *res,
	    FILE *out, char *err, size_t errlen);

#endif /* QUERY_SCAN_H */
