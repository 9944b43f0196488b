/*
 * common/prog/notify.h -- telling the service manager how a daemon is
 * doing (sd_notify(3) from libsystemd): ready after start-up, reloading
 * on SIGHUP, a status line, stopping.  Under a unit of Type=notify
 * systemd waits for notify_ready() before it calls the service started,
 * so a daemon that cannot start fails its start job with its message in
 * the journal.  Built without libsystemd (configure --without-systemd),
 * or run outside systemd (no $NOTIFY_SOCKET), these do nothing.
 */
#ifndef COMMON_PROG_NOTIFY_H
#define COMMON_PROG_NOTIFY_H

#include "common/base/compat.h"

/* Start-up is complete; status (may be NULL) is a one-line summary. */
void	notify_ready(const char *status);

/* A reload begins (notify_ready() again when it is done). */
void	notify_reloading(void);

/* A free-form status line ("STATUS="), shown by systemctl status. */
void	notify_status(const char *fmt, ...) NF_PRINTF(1, 2);

/* The daemon is stopping. */
void	notify_stopping(void);

#endif /* COMMON_PROG_NOTIFY_H */
