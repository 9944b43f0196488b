/*
 * common/prog/log.c -- program logging to stderr or syslog.
 *
 * When standard error is the systemd journal (a service's stream:
 * $JOURNAL_STREAM names its device and inode), each line starts with
 * its syslog priority ("<3>" for LOG_ERR, sd-daemon(3)), so the journal
 * files errors as errors and "journalctl -p err" finds a daemon's
 * reason for not starting.
 *
 * Process-wide state is allowed here, and only in common/prog
 * (docs/design.md, "What may depend on what"): programs set it once at
 * start-up.
 */
#include "common/base/compat.h"

#include <sys/stat.h>

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/prog/log.h"

static const char *log_ident = "flowkit";
static int log_dest = LOG_DEST_STDERR;
static int log_level = LOG_INFO;
static bool log_journal;	/* stderr is the journal: "<N>" prefixes */

/* True if $JOURNAL_STREAM ("dev:ino") is standard error. */
static bool
stderr_is_journal(void)
{
	const char *js = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat st;

	if (js == NULL || sscanf(js, "%llu:%llu", &dev, &ino) != 2 ||
	    fstat(2, &st) == -1)
		return false;
	return (unsigned long long)st.st_dev == dev &&
	    (unsigned long long)st.st_ino == ino;
}

void
log_init(const char *ident, int dest, int maxlevel)
{
	log_ident = ident;
	log_dest = dest;
	log_level = maxlevel;
	log_journal = dest == LOG_DEST_STDERR && stderr_is_journal();
	if (dest == LOG_DEST_SYSLOG)
		openlog(ident, LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

void
log_set_level(int maxlevel)
{
	log_level = maxlevel;
}

int
log_get_level(void)
{
	return log_level;
}

static void
log_vmsg(int level, const char *fmt, va_list ap, const char *suffix)
{
	char msg[1024];

	if (level > log_level)
		return;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (log_dest == LOG_DEST_SYSLOG) {
		syslog(level, "%s%s%s", msg, suffix ? ": " : "",
		    suffix ? suffix : "");
		return;
	}
	if (log_journal)
		fprintf(stderr, "<%d>", level);
	fprintf(stderr, "%s: %s%s%s\n", log_ident, msg, suffix ? ": " : "",
	    suffix ? suffix : "");
}

void
log_msg(int level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vmsg(level, fmt, ap, NULL);
	va_end(ap);
}

void
log_warn(const char *fmt, ...)
{
	va_list ap;
	int e = errno;

	va_start(ap, fmt);
	log_vmsg(LOG_WARNING, fmt, ap, strerror(e));
	va_end(ap);
}

void
log_fatal(const char *fmt, ...)
{
	va_list ap;
	int e = errno;

	va_start(ap, fmt);
	log_vmsg(LOG_ERR, fmt, ap, strerror(e));
	va_end(ap);
	exit(1);
}

void
log_fatalx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vmsg(LOG_ERR, fmt, ap, NULL);
	va_end(ap);
	exit(1);
}

bool
log_ratelimit(struct log_rl *rl, uint64_t now_ms)
{
	uint64_t interval = rl->interval_ms ? rl->interval_ms : 60000;
	uint32_t burst = rl->burst ? rl->burst : 10;

	if (rl->in_window == 0 || now_ms < rl->window_start ||
	    now_ms - rl->window_start >= interval) {
		if (rl->suppressed > 0)
			log_msg(LOG_WARNING, "%" PRIu64 " similar messages "
			    "suppressed", rl->suppressed);
		rl->window_start = now_ms;
		rl->in_window = 0;
		rl->suppressed = 0;
	}
	if (rl->in_window >= burst) {
		rl->suppressed++;
		return false;
	}
	rl->in_window++;
	return true;
}
