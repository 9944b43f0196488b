/*
 * collector/sinkcursor.h -- where a sink of flowcapd stands in the data
 * directory: the position after the last delivered flow, persisted
 * after every delivered batch (flowkit-sink(7), "Cursor").
 *
 * A position names a flow file by its final name relative to the data
 * directory (the same whether the file is still *.current), the offset
 * of a block in it, and how many records of that block are delivered.
 * Block offsets do not change when the collector renames or recovers a
 * file, so a position stays valid across restarts.
 *
 * The file is <dir>/.flowcapd-sink-<name>.cursor, little-endian:
 *
 *    0  magic "FKSC"   4  u16 major (1)   6  u16 minor (0)
 *    8  u16 header length H (64; a newer minor may grow it, an older
 *       reader skips what it does not know)
 *   10  u16 path length P            12  u32 records of the block
 *                                        delivered
 *   16  u64 sink id                  24  u64 batches delivered
 *   32  i64 the file's slot (Unix s) 40  u64 block offset (0: start)
 *   48  u64 records delivered        56  u64 written at (ms since 1970)
 *    H  path (P bytes, relative, no NUL)
 *  H+P  u32 CRC-32C of every byte before it
 *
 * It is replaced atomically: written to <file>.tmp, fsynced, renamed,
 * and the directory fsynced, so a crash leaves the old or the new
 * position, never a torn one.  A newer major version is refused.
 */
#ifndef COLLECTOR_SINKCURSOR_H
#define COLLECTOR_SINKCURSOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SINKCURSOR_PREFIX	".flowcapd-sink-"
#define SINKCURSOR_SUFFIX	".cursor"
#define SINKCURSOR_PATH_MAX	1024	/* bytes of the relative path */
#define SINKCURSOR_FIXED	64	/* header length written */
#define SINKCURSOR_MAX_LEN	(SINKCURSOR_FIXED + SINKCURSOR_PATH_MAX + 4)

struct sinkcursor {
	char		file[SINKCURSOR_PATH_MAX + 1];	/* relative final
							   name; "" none */
	int64_t		slot_s;		/* the file's slot, from its name */
	uint64_t	off;		/* block holding the next record;
					   0: the file's start */
	uint32_t	rec;		/* records of that block delivered */
	uint64_t	sink_id;	/* batch ids are sink_id << 40 | seq */
	uint64_t	seq;		/* batches delivered */
	uint64_t	delivered;	/* records delivered */
	uint64_t	updated_ms;	/* when written */
};

/* The id of the batch after the last delivered one. */
static inline uint64_t
sinkcursor_next_batch(const struct sinkcursor *c)
{
	return c->sink_id << 40 | ((c->seq + 1) & ((UINT64_C(1) << 40) - 1));
}

/*
 * -1, 0, 1 as position a is before, at, after b (file slot, block
 * offset, record).
 */
int	sinkcursor_cmp(const struct sinkcursor *a, const struct sinkcursor *b);

/* "<dir>/.flowcapd-sink-<name>.cursor".  NFE_OK or NFE_LIMIT. */
int	sinkcursor_path(const char *dir, const char *name, char *buf,
	    size_t len);

/* Serialise c into buf (at least SINKCURSOR_MAX_LEN).  Returns the
 * length, 0 if c->file is too long. */
size_t	sinkcursor_encode(const struct sinkcursor *c, uint8_t *buf,
	    size_t cap);

/*
 * Parse len bytes.  Returns NFE_OK, NFE_TRUNC, NFE_FORMAT (bad magic,
 * bad path), NFE_CORRUPT (checksum) or NFE_VERSION (newer major).
 */
int	sinkcursor_decode(const uint8_t *p, size_t len, struct sinkcursor *c);

/*
 * Read the cursor at path.  Returns NFE_OK, NFE_EOF (no such file: a
 * new sink), or an error with a message naming the file and the fault.
 */
int	sinkcursor_load(const char *path, struct sinkcursor *c, char *err,
	    size_t errlen);

/*
 * Replace the cursor at path atomically and durably (see above).
 * Returns NFE_OK or NFE_IO with a message.
 */
int	sinkcursor_save(const char *path, const struct sinkcursor *c,
	    char *err, size_t errlen);

/*
 * Call fn for every cursor file directly in dir (the sinks of the
 * flowcapd writing there), with the sink's name.  Cursors that cannot
 * be read are passed with ok false and a message in err.  Returns the
 * number of cursor files, or -1 if dir cannot be read (errno set).
 */
typedef void sinkcursor_each_fn(void *arg, const char *name, bool ok,
	    const struct sinkcursor *c, const char *err);
long	sinkcursor_each(const char *dir, sinkcursor_each_fn *fn, void *arg);

#endif /* COLLECTOR_SINKCURSOR_H */
