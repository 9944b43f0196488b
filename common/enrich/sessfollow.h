/*
 * common/enrich/sessfollow.h -- session files and directories, read once
 * (flowq --sessions) or followed as they grow (flowcapd --sessions).
 *
 * A path is a file or a directory; a directory stands for the regular
 * files in it and in its subdirectories (two levels: FreeRADIUS keeps
 * one per NAS), in name order, names starting with '.' left out.  Each
 * file is read through sessread.h from where the last poll stopped; a
 * line is taken only once its newline is there (a file being written
 * ends in half a line), unless the poll is final.  A file replaced
 * (another inode) or cut shorter is read again from its start, which is
 * harmless: the store takes a session it already has as the same one.
 *
 * Events and errors go to the caller's functions; errors name the file
 * and line.  Reads at most SESSFOLLOW_MAX_READ bytes per file and poll,
 * so a huge new file does not hold up the caller.
 */
#ifndef COMMON_ENRICH_SESSFOLLOW_H
#define COMMON_ENRICH_SESSFOLLOW_H

#include <sys/types.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/enrich/sessread.h"

#define SESSFOLLOW_MAX_FILES	10000		/* files followed */
#define SESSFOLLOW_MAX_READ	(4u << 20)	/* bytes per file and poll */
#define SESSFOLLOW_DEPTH	2		/* subdirectory levels */

typedef int sessfollow_event_fn(void *arg, const struct sessdb_event *ev);
typedef void sessfollow_error_fn(void *arg, const char *path, unsigned line,
	    const char *msg);

struct sessfollow_file {
	char		*path;		/* owned */
	dev_t		 dev;
	ino_t		 ino;
	off_t		 off;		/* bytes taken (whole lines) */
	unsigned	 lineno;	/* lines taken */
	bool		 skipping;	/* inside a line that is too long */
	bool		 done;		/* a final poll has read it all */
	struct sessread	 rd;
};

struct sessfollow {
	char		**paths;	/* owned */
	bool		*said;		/* owned: paths[i]'s trouble reported */
	size_t		 npaths;
	struct sessfollow_file *f;	/* owned */
	size_t		 nf, fcap;
	sessfollow_event_fn *event;
	sessfollow_error_fn *error;
	void		*arg;
	char		*buf;		/* owned: read buffer */
	uint64_t	 lines, events, errors;
	bool		 limit_said;	/* SESSFOLLOW_MAX_FILES reported */
};

/* Returns NFE_OK or NFE_NOMEM.  The paths are copied. */
int	sessfollow_init(struct sessfollow *s, const char *const *paths,
	    size_t n, sessfollow_event_fn *event, sessfollow_error_fn *error,
	    void *arg);

/*
 * Read what is new.  final: the files are complete (a last line without
 * a newline counts, and each file's last detail record ends).  Missing
 * or unreadable paths are reported through error (line 0) each poll
 * while final, once otherwise.  Returns the events delivered.
 */
uint64_t sessfollow_poll(struct sessfollow *s, bool final);

void	sessfollow_fini(struct sessfollow *s);

#endif /* COMMON_ENRICH_SESSFOLLOW_H */
