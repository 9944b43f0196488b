/*
 * sink/secret.h -- secrets for sinks (passwords, credential headers)
 * from an environment variable or a file, never from the command line.
 *
 * Messages name the variable or the file, never the value.  Secrets
 * are kept in memory owned by the caller and wiped by secret_free.
 */
#ifndef SINK_SECRET_H
#define SINK_SECRET_H

#include <stddef.h>

#define SECRET_MAX	65536	/* bytes read from a secret file */

/*
 * The secret in environment variable env (if env is non-empty) or in
 * file (if file is non-empty; one trailing newline removed).  *out gets
 * a malloc'd NUL-terminated copy (NULL when neither is given: not an
 * error).  Returns NFE_OK, NFE_INVAL (variable unset or empty, file
 * empty, unreadable, too long or holding a NUL byte; err names which)
 * or NFE_NOMEM.
 */
int	secret_read(const char *env, const char *file, char **out, char *err,
	    size_t errlen);

/* Wipe and free; NULL is a no-op. */
void	secret_free(char *s);

#endif /* SINK_SECRET_H */
