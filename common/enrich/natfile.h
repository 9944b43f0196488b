/*
 * common/enrich/natfile.h -- the CGNAT mappings on disk: a snapshot and
 * a journal next to flowcapd's data, so a port block allocated before a
 * restart still maps its public ports back to the private address
 * after it (flowkit-sessions(5), "CGNAT").
 *
 * The snapshot holds every mapping of the map; it replaces the previous
 * one atomically (durable.h).  The journal holds the NAT events applied
 * since.  At start the snapshot is loaded and the journal replayed on
 * top (replaying an event twice does no harm: natmap.h).
 *
 * Both files are a header and fixed-size records, each with its own
 * CRC-32, so damage costs only the records it hits: the reader names
 * the file and byte offset of each bad record through err(), skips it
 * and loads the rest; a partial last record (a torn write) is named
 * too, and cut off a journal being opened.
 *
 *   header := magic(8) u16 major u16 minor u32 record_size(64)
 *             u64 written_ms                     (24 bytes)
 *             magic "FKNATS\0\1" snapshot, "FKNJRN\0\1" journal
 *   record := u8 kind u8 flags u16 port_lo u16 port_hi u16 step
 *             u64 start_ms u64 stop_ms outside(16) inside(16)
 *             u32 0 u32 crc32(the 60 bytes before)  (64 bytes)
 *   kind 1: a mapping (flags 1: still open) -- snapshot records;
 *   kind 2 / 3: an allocation / de-allocation at start_ms (stop_ms 0)
 *   -- journal records.
 * Integers little-endian; addresses as 16 bytes (IPv4 mapped).
 */
#ifndef COMMON_ENRICH_NATFILE_H
#define COMMON_ENRICH_NATFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/enrich/natmap.h"

#define NATFILE_MAJOR		1
#define NATFILE_MINOR		0
#define NATFILE_HDR		24
#define NATFILE_REC		64
#define NATFILE_MAX_BYTES	((size_t)4 << 30)	/* refuse larger files */

/* A damaged record: the file, its byte offset, what is wrong. */
typedef void natfile_error_fn(void *arg, const char *path, uint64_t off,
    const char *msg);

/* What a load or replay did. */
struct natfile_counts {
	size_t		 records;	/* good records read */
	size_t		 loaded;	/* mappings restored, events applied */
	size_t		 expired;	/* mappings that had ended: skipped */
	size_t		 refused;	/* the map refused them (limit, bad) */
	size_t		 damaged;	/* bad checksum, kind or fields */
	size_t		 truncated;	/* bytes of a partial last record */
};

/*
 * Write every mapping of nm to path (atomically).  NFE_OK, NFE_IO
 * (errno set) or NFE_NOMEM.
 */
int	natfile_save(const struct natmap *nm, const char *path,
	    uint64_t now_ms);

/*
 * The records of a snapshot or journal image p (len bytes; named name
 * in messages) into nm: mappings that ended at or before cutoff_ms are
 * skipped.  *good (may be NULL) is the length of the image's whole
 * records.  Returns NFE_OK (damaged records reported and counted),
 * NFE_FORMAT (not such a file: nothing read), NFE_VERSION (a newer
 * major version or another record size) or NFE_CORRUPT (a header cut
 * short).
 */
int	natfile_read(struct natmap *nm, const char *name, const uint8_t *p,
	    size_t len, bool journal, uint64_t cutoff_ms,
	    natfile_error_fn *err, void *arg, struct natfile_counts *c,
	    size_t *good);

/*
 * Load the snapshot at path: as natfile_read, and NFE_IO (errno set;
 * ENOENT: no snapshot) or NFE_LIMIT (larger than NATFILE_MAX_BYTES).
 */
int	natfile_load(struct natmap *nm, const char *path, uint64_t cutoff_ms,
	    natfile_error_fn *err, void *arg, struct natfile_counts *c);

struct natjournal;		/* opaque */

/*
 * Open (create) the journal at path, first replaying what it holds
 * into nm (as natfile_read); a partial last record is cut off.
 * NFE_OK, NFE_IO, NFE_FORMAT / NFE_VERSION (not a journal of ours:
 * left alone), NFE_NOMEM.
 */
int	natjournal_open(const char *path, struct natmap *nm,
	    uint64_t cutoff_ms, natfile_error_fn *err, void *arg,
	    struct natfile_counts *c, struct natjournal **out);

/* Buffer one event (a full buffer is written).  NFE_OK or NFE_IO. */
int	natjournal_append(struct natjournal *j, const struct natmap_event *ev);

/* Write what is buffered (it then survives the process).  NFE_OK or NFE_IO. */
int	natjournal_flush(struct natjournal *j);

/* Flush and fdatasync (it then survives the machine).  NFE_OK or NFE_IO. */
int	natjournal_sync(struct natjournal *j);

/* Empty the journal (after a snapshot).  NFE_OK or NFE_IO. */
int	natjournal_reset(struct natjournal *j);

/* Records in the journal, buffered ones included. */
uint64_t natjournal_records(const struct natjournal *j);

void	natjournal_close(struct natjournal *j);

#endif /* COMMON_ENRICH_NATFILE_H */
