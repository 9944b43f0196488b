/*
 * common/enrich/sessfile.h -- the session store on disk: a snapshot and
 * a journal next to flowcapd's data (flowkit-sessions(5), "Files").
 *
 * The snapshot holds every session of the store; it is written under a
 * temporary name, fsynced and renamed, so a crash leaves the previous
 * one.  The journal holds the events applied since the snapshot, one
 * checksummed record each; sessjournal_sync() makes them durable (a
 * RADIUS server answers only what it recorded, RFC 2866 2).  At start
 * the snapshot is loaded and the journal replayed; a torn last record is
 * dropped.  Replaying an event twice does no harm (sessdb.h), so a crash
 * between a snapshot and the journal's reset loses nothing.
 *
 *   snapshot := "FKSESS\0\1" u16 major u16 minor u64 written_ms
 *               prefix* u32 crc32(prefixes) "FKSEND\0\0"
 *   prefix   := u8 len u8 family(4|6) addr(4|16) u32 n session[n]
 *   session  := u64 start_ms u64 stop_ms u8 flags(1: open) u8 ulen user
 *               [open: u64 sid, nas(16), u32 timeout_s]
 *   journal  := "FKSJRN\0\1" record*
 *   record   := u32 len u32 crc32(event) event[len]
 *   event    := u8 kind u64 time_ms u64 start_ms u64 stop_ms u64 sid
 *               nas(16) u32 timeout_s u8 npfx (u8 len, addr(16))[npfx]
 *               u8 ulen user
 * All integers little-endian; addresses in network order.
 */
#ifndef COMMON_ENRICH_SESSFILE_H
#define COMMON_ENRICH_SESSFILE_H

#include <stddef.h>
#include <stdint.h>

#include "common/enrich/sessdb.h"

#define SESSFILE_MAJOR		1
#define SESSFILE_MINOR		0
#define SESSFILE_MAX_BYTES	((size_t)4 << 30)	/* refuse larger snapshots */
#define SESSJOURNAL_MAX_EVENT	(64 + 16 + 17 * SESSDB_MAX_PFX + 256)

/*
 * Write every session of db to path (via path.tmp).  Returns NFE_OK,
 * NFE_IO (errno set) or NFE_NOMEM.
 */
int	sessfile_save(const struct sessdb *db, const char *path, uint64_t now_ms);

/*
 * Load a snapshot into db.  *n is the number of sessions restored.
 * Returns NFE_OK, NFE_IO (errno set; ENOENT: no snapshot), NFE_FORMAT or
 * NFE_CORRUPT (not a snapshot, or damaged: nothing restored),
 * NFE_VERSION (a newer major version), or NFE_LIMIT (the store filled:
 * the sessions that fitted are kept).
 */
int	sessfile_load(struct sessdb *db, const char *path, size_t *n);

/* Encode / decode one event (the journal's record payload). */
int	sessjournal_encode(const struct sessdb_event *ev, uint8_t *buf,
	    size_t cap, size_t *len);
/* ev->user points into buf (borrowed).  NFE_OK, NFE_TRUNC or NFE_FORMAT. */
int	sessjournal_decode(const uint8_t *buf, size_t len,
	    struct sessdb_event *ev);

struct sessjournal;		/* opaque */

/*
 * Open (create) the journal at path, first replaying what it holds into
 * db (if db is not NULL); *replayed counts the events, and a damaged
 * tail is cut off.  Returns NFE_OK, NFE_IO, NFE_FORMAT (not a journal)
 * or NFE_NOMEM.
 */
int	sessjournal_open(const char *path, struct sessdb *db,
	    struct sessjournal **out, size_t *replayed);

/* Buffer one event.  NFE_OK, NFE_INVAL, or NFE_IO from a full buffer's write. */
int	sessjournal_append(struct sessjournal *j, const struct sessdb_event *ev);

/* Write what is buffered and fdatasync.  NFE_OK or NFE_IO. */
int	sessjournal_sync(struct sessjournal *j);

/* Empty the journal (after a snapshot).  NFE_OK or NFE_IO. */
int	sessjournal_reset(struct sessjournal *j);

/* Bytes in the journal file, buffered ones included. */
uint64_t sessjournal_size(const struct sessjournal *j);

void	sessjournal_close(struct sessjournal *j);

#endif /* COMMON_ENRICH_SESSFILE_H */
