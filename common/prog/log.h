/*
 * common/prog/log.h -- logging for programs (stderr or syslog) with levels
 * and a rate limiter for per-datagram warnings.
 *
 * Only programs call this; no other common/ module may log.  Levels are
 * syslog's (LOG_ERR, LOG_WARNING, LOG_NOTICE, LOG_INFO, LOG_DEBUG).
 */
#ifndef COMMON_PROG_LOG_H
#define COMMON_PROG_LOG_H

#include <stdbool.h>
#include <stdint.h>
#include <syslog.h>

#include "common/base/compat.h"

#define LOG_DEST_STDERR	1
#define LOG_DEST_SYSLOG	2

/* Messages above maxlevel (e.g. LOG_DEBUG when maxlevel is LOG_INFO) are dropped. */
void	log_init(const char *ident, int dest, int maxlevel);
void	log_set_level(int maxlevel);
int	log_get_level(void);
void	log_msg(int level, const char *fmt, ...) NF_PRINTF(2, 3);

/*
 * err(3)'s convention: the plain form appends ": strerror(errno)", the
 * x form never does.
 */
/* log_msg at LOG_WARNING with ": strerror(errno)" appended. */
void	log_warn(const char *fmt, ...) NF_PRINTF(1, 2);
/* Log at LOG_ERR with ": strerror(errno)" appended, and exit(1). */
NF_NORETURN void log_fatal(const char *fmt, ...) NF_PRINTF(1, 2);
/* Log at LOG_ERR and exit(1); errno is not looked at. */
NF_NORETURN void log_fatalx(const char *fmt, ...) NF_PRINTF(1, 2);

/*
 * A rate limiter: at most burst messages per interval_ms.  Suppressed
 * messages are counted, and the next allowed message is preceded by a
 * line saying how many were suppressed.
 */
struct log_rl {
	uint64_t	interval_ms;	/* 0: defaults to 60000 */
	uint32_t	burst;		/* 0: defaults to 10 */
	uint64_t	window_start;
	uint32_t	in_window;
	uint64_t	suppressed;
};

/* True if a message may be logged now (now_ms: any monotonic clock). */
bool	log_ratelimit(struct log_rl *rl, uint64_t now_ms);

#endif /* COMMON_PROG_LOG_H */
