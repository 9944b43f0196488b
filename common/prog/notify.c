/*
 * common/prog/notify.c -- sd_notify(3) for the daemons
 * (common/prog/notify.h).  Failures to notify are ignored, as
 * sd_notify's own contract intends: the daemon works without a manager.
 */
#include "common/base/compat.h"

#include <stdarg.h>
#include <stdio.h>

#ifdef HAVE_LIBSYSTEMD
#include <systemd/sd-daemon.h>
#endif

#include "common/prog/notify.h"

static void
send_state(const char *state)
{
#ifdef HAVE_LIBSYSTEMD
	(void)sd_notify(0, state);
#else
	(void)state;
#endif
}

void
notify_ready(const char *status)
{
	char buf[512];

	if (status != NULL) {
		snprintf(buf, sizeof(buf), "READY=1\nSTATUS=%s", status);
		send_state(buf);
	} else {
		send_state("READY=1");
	}
}

void
notify_reloading(void)
{
	send_state("RELOADING=1");
}

void
notify_status(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	n = snprintf(buf, sizeof(buf), "STATUS=");
	va_start(ap, fmt);
	vsnprintf(buf + n, sizeof(buf) - (size_t)n, fmt, ap);
	va_end(ap);
	send_state(buf);
}

void
notify_stopping(void)
{
	send_state("STOPPING=1");
}
