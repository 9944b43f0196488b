/*
 * common/base/timeutil.h -- UTC millisecond time helpers.
 *
 * All flowkit times are uint64_t milliseconds since 1970-01-01 UTC.
 * Conversions from the export protocols' clocks (sysUpTime offsets,
 * NTP-format timestamps) and to and from text live here.
 */
#ifndef COMMON_BASE_TIMEUTIL_H
#define COMMON_BASE_TIMEUTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TIME_NTP_UNIX_OFFSET	UINT64_C(2208988800) /* 1900 -> 1970, s */

enum time_style {
	TIME_NFDUMP,	/* "YYYY-MM-DD hh:mm:ss.mmm" (nfdump listings) */
	TIME_ISO,	/* "YYYY-MM-DDThh:mm:ss.mmmZ" or "...+hh:mm" */
	TIME_COMPACT,	/* "YYYYMMDDhhmm" (file names) */
};

/* Longest formatted time, with NUL. */
#define TIME_STRLEN	40

uint64_t time_now_ms(void);		/* CLOCK_REALTIME */
uint64_t time_mono_ms(void);		/* CLOCK_MONOTONIC */

/*
 * Format ms in UTC (utc true) or in the local zone of TZ.  TIME_ISO
 * ends in "Z" for UTC and in an explicit "+hh:mm" offset otherwise.
 * Returns buf.
 */
char	*time_format(uint64_t ms, enum time_style style, bool utc, char *buf,
	    size_t len);

/*
 * Parse a date and time.  Accepted forms (trailing parts may be left
 * out, and then count as zero / the first month or day):
 *   YYYY/MM/DD.hh:mm:ss[.mmm]      (nfdump -t)
 *   YYYY-MM-DD[Thh:mm[:ss[.mmm]]]  (ISO 8601), also with ' ' for 'T'
 * An ISO time may end in Z or +hh:mm / -hh:mm; otherwise the text is
 * read in UTC when utc is true and in the local zone of TZ when not.
 * Returns NFE_OK or NFE_INVAL.
 */
int	time_parse(const char *s, bool utc, uint64_t *ms);

/*
 * Absolute time of an event stamped with sysUpTime event_up, in a
 * datagram exported at export_ms when the exporter's sysUpTime was
 * sys_up (both in ms).  The difference is taken modulo 2^32, so a
 * sysUpTime that wrapped between the event and the export is handled;
 * an event stamped up to 2^31 ms after the export time is placed after
 * it.
 */
uint64_t time_from_uptime(uint64_t export_ms, uint32_t sys_up,
	    uint32_t event_up);

/* NTP-format (RFC 5905) seconds + fraction to Unix ms, and back. */
uint64_t time_from_ntp(uint32_t sec, uint32_t frac);
void	time_to_ntp(uint64_t ms, uint32_t *sec, uint32_t *frac);

#endif /* COMMON_BASE_TIMEUTIL_H */
