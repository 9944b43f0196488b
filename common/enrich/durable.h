/*
 * common/enrich/durable.h -- file helpers shared by the stores that
 * flowcapd keeps next to its data (the session store, sessfile.h, and
 * the CGNAT mappings, natfile.h): whole writes, a file replaced
 * atomically (written under path.tmp, fsynced, renamed, directory
 * fsynced, so a crash leaves the old file or the new one, never half of
 * one), and a whole file mapped read-only.  No state; errno is kept for
 * the caller's message on NFE_IO.
 */
#ifndef COMMON_ENRICH_DURABLE_H
#define COMMON_ENRICH_DURABLE_H

#include <stddef.h>
#include <stdint.h>

/* Write n bytes (EINTR retried).  NFE_OK or NFE_IO. */
int	durable_write_all(int fd, const void *p, size_t n);

/*
 * Cut a journal back to its header: truncate fd to hdr bytes, write
 * from there on, and fdatasync.  NFE_OK or NFE_IO.
 */
int	durable_truncate(int fd, size_t hdr);

/* fsync the directory holding path, so a rename survives a crash. */
int	durable_sync_dir(const char *path);

/*
 * Start replacing path: open path.tmp (created, emptied, mode 0600);
 * tmp (tmplen bytes) receives its name.  NFE_OK or NFE_IO.
 */
int	durable_replace_open(const char *path, char *tmp, size_t tmplen,
	    int *fd);

/*
 * Finish it: if r is NFE_OK, fsync and close fd, rename tmp over path
 * and fsync the directory; otherwise (or on any failure) close fd and
 * remove tmp.  Returns r, or the NFE_IO of the step that failed.
 */
int	durable_replace_commit(int fd, int r, const char *tmp, const char *path);

/*
 * Map a whole file read-only (*p NULL for an empty file).  NFE_OK,
 * NFE_IO (errno set; ENOENT: no file) or NFE_LIMIT (larger than max).
 */
int	durable_map(const char *path, const uint8_t **p, size_t *len,
	    size_t max);
void	durable_unmap(const uint8_t *p, size_t len);

#endif /* COMMON_ENRICH_DURABLE_H */
