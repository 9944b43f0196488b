/*
 * common/enrich/sessread.h -- session files, one line at a time
 * (flowkit-sessions(5), "SESSION FILES"): FreeRADIUS detail files and
 * flowkit's CSV and JSON-lines session records (CDRs).
 *
 * A file's format is taken from its first line that is not blank or a
 * comment: a FreeRADIUS record header (a ctime(3) date) makes it a
 * detail file, '{' a JSON-lines file, anything else CSV (whose first
 * line may be a header naming the columns).  Each call takes one line
 * (without its newline) and may produce one session event; a bad line
 * returns NFE_FORMAT with a message in err (the caller names the file
 * and line) and the next line is read as usual.
 *
 * A detail record becomes an event when its blank line (or the end of
 * the file, sessread_end) arrives, through the RADIUS rules of
 * radius_acct_event(): the time the server received it (Timestamp) is
 * the arrival time.  A CSV or JSON line with a stop is a whole session;
 * without one, a Start.
 *
 * JSON lines need jansson (configure); without it such a file is
 * refused line by line with NFE_UNSUPP.  No global state, no logging.
 */
#ifndef COMMON_ENRICH_SESSREAD_H
#define COMMON_ENRICH_SESSREAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/enrich/radius.h"
#include "common/enrich/sessdb.h"

#define SESSREAD_MAX_LINE	65536	/* longer lines are refused */
#define SESSREAD_MAX_COLS	32	/* CSV columns */

enum sessread_format {
	SESSREAD_UNKNOWN = 0,
	SESSREAD_DETAIL,
	SESSREAD_CSV,
	SESSREAD_JSON,
};

struct sessread {
	int		 format;	/* enum sessread_format, once known */
	/* CSV: column of each field, -1 if absent */
	int		 col_start, col_stop, col_addr, col_user, col_sid, col_nas;
	bool		 header_done;
	/* detail: the record being read */
	bool		 in_record;
	unsigned	 record_line;	/* line of its header */
	struct radius_acct acct;
	uint64_t	 received_ms;	/* Timestamp */
	struct nf_addr	 client;	/* Client-IP-Address, or zero */
	char		 user[256], sid[256];	/* the strings acct points to */
	/* the event's strings (CSV and JSON) */
	char		 ev_user[256];
	bool		 tz_utc;	/* detail dates without UTC/GMT: local */
};

void	sessread_init(struct sessread *r);

/*
 * Take one line.  Returns NFE_OK (*have set if ev holds an event, whose
 * strings live in r until the next call), NFE_FORMAT with a message in
 * err, or NFE_UNSUPP (a JSON line without jansson).
 */
int	sessread_line(struct sessread *r, const char *line, size_t len,
	    unsigned lineno, struct sessdb_event *ev, bool *have, char *err,
	    size_t errlen);

/* The end of the input: a detail record without its blank line. */
int	sessread_end(struct sessread *r, struct sessdb_event *ev, bool *have,
	    char *err, size_t errlen);

#endif /* COMMON_ENRICH_SESSREAD_H */
