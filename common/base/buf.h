/*
 * common/base/buf.h -- bounds-checked byte reader (struct rbuf) and writer
 * (struct wbuf) with sticky error flags.
 *
 * Every byte read from a datagram, a capture or a file goes through an
 * rbuf.  A read past the end sets the sticky flag, returns 0 and moves
 * nothing, so decoders can read a fixed header field by field and test
 * rbuf_ok() once before any value decides a loop bound, a size or an
 * index.  Invariant: off <= len, so len - off never underflows.
 * Getters are explicit about byte order: _be (network, wire) or _le
 * (disk).
 *
 * A wbuf writes into a caller-owned buffer of fixed capacity; a write
 * that does not fit sets the sticky flag and writes nothing.  Encoders
 * check wbuf_room() before starting a record, so a datagram never holds
 * half a record.
 */
#ifndef COMMON_BASE_BUF_H
#define COMMON_BASE_BUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct rbuf {
	const uint8_t	*p;	/* borrowed: caller keeps the bytes alive */
	size_t		 len;
	size_t		 off;	/* invariant: off <= len */
	bool		 bad;	/* sticky: set by the first failed read */
};

struct wbuf {
	uint8_t		*p;	/* borrowed */
	size_t		 cap;
	size_t		 len;	/* invariant: len <= cap */
	bool		 bad;	/* sticky: set by the first write that did not fit */
};

static inline void
rbuf_init(struct rbuf *r, const void *p, size_t len)
{
	r->p = p;
	r->len = len;
	r->off = 0;
	r->bad = false;
}

static inline bool
rbuf_ok(const struct rbuf *r)
{
	return !r->bad;
}

static inline size_t
rbuf_remaining(const struct rbuf *r)
{
	return r->len - r->off;
}

/* Current read position as a pointer; valid for rbuf_remaining() bytes. */
static inline const uint8_t *
rbuf_ptr(const struct rbuf *r)
{
	return r->p + r->off;
}

/* True if every unread byte is zero (set padding; also when none is left). */
static inline bool
rbuf_rest_is_zero(const struct rbuf *r)
{
	for (size_t i = r->off; i < r->len; i++)
		if (r->p[i] != 0)
			return false;
	return true;
}

static inline bool
rbuf_need(struct rbuf *r, size_t n)
{
	if (r->bad || r->len - r->off < n) {
		r->bad = true;
		return false;
	}
	return true;
}

static inline uint8_t
rbuf_u8(struct rbuf *r)
{
	if (!rbuf_need(r, 1))
		return 0;
	return r->p[r->off++];
}

static inline uint16_t
rbuf_be16(struct rbuf *r)
{
	const uint8_t *q;

	if (!rbuf_need(r, 2))
		return 0;
	q = r->p + r->off;
	r->off += 2;
	return (uint16_t)(q[0] << 8 | q[1]);
}

static inline uint32_t
rbuf_be32(struct rbuf *r)
{
	const uint8_t *q;

	if (!rbuf_need(r, 4))
		return 0;
	q = r->p + r->off;
	r->off += 4;
	return (uint32_t)q[0] << 24 | (uint32_t)q[1] << 16 |
	    (uint32_t)q[2] << 8 | q[3];
}

static inline uint64_t
rbuf_be64(struct rbuf *r)
{
	uint64_t hi, lo;

	if (!rbuf_need(r, 8))
		return 0;
	hi = rbuf_be32(r);
	lo = rbuf_be32(r);
	return hi << 32 | lo;
}

/* Big-endian unsigned integer of 1..8 bytes (reduced-size encoding). */
static inline uint64_t
rbuf_beN(struct rbuf *r, size_t n)
{
	uint64_t v = 0;

	if (n == 0 || n > 8 || !rbuf_need(r, n)) {
		r->bad = true;
		return 0;
	}
	for (size_t i = 0; i < n; i++)
		v = v << 8 | r->p[r->off + i];
	r->off += n;
	return v;
}

static inline uint16_t
rbuf_le16(struct rbuf *r)
{
	const uint8_t *q;

	if (!rbuf_need(r, 2))
		return 0;
	q = r->p + r->off;
	r->off += 2;
	return (uint16_t)(q[1] << 8 | q[0]);
}

static inline uint32_t
rbuf_le32(struct rbuf *r)
{
	const uint8_t *q;

	if (!rbuf_need(r, 4))
		return 0;
	q = r->p + r->off;
	r->off += 4;
	return (uint32_t)q[3] << 24 | (uint32_t)q[2] << 16 |
	    (uint32_t)q[1] << 8 | q[0];
}

static inline uint64_t
rbuf_le64(struct rbuf *r)
{
	uint64_t lo, hi;

	if (!rbuf_need(r, 8))
		return 0;
	lo = rbuf_le32(r);
	hi = rbuf_le32(r);
	return hi << 32 | lo;
}

/* Copy n bytes out; on failure dst is zeroed. */
static inline bool
rbuf_bytes(struct rbuf *r, void *dst, size_t n)
{
	if (!rbuf_need(r, n)) {
		memset(dst, 0, n);
		return false;
	}
	memcpy(dst, r->p + r->off, n);
	r->off += n;
	return true;
}

static inline bool
rbuf_skip(struct rbuf *r, size_t n)
{
	if (!rbuf_need(r, n))
		return false;
	r->off += n;
	return true;
}

/*
 * Carve the next n bytes into their own reader and advance past them.
 * A sub-reader cannot run past its slice; a failure marks both bad.
 */
static inline bool
rbuf_sub(struct rbuf *r, size_t n, struct rbuf *sub)
{
	if (!rbuf_need(r, n)) {
		rbuf_init(sub, r->p, 0);
		sub->bad = true;
		return false;
	}
	rbuf_init(sub, r->p + r->off, n);
	r->off += n;
	return true;
}

static inline void
wbuf_init(struct wbuf *w, void *p, size_t cap)
{
	w->p = p;
	w->cap = cap;
	w->len = 0;
	w->bad = false;
}

static inline bool
wbuf_ok(const struct wbuf *w)
{
	return !w->bad;
}

static inline size_t
wbuf_len(const struct wbuf *w)
{
	return w->len;
}

static inline size_t
wbuf_room(const struct wbuf *w)
{
	return w->bad ? 0 : w->cap - w->len;
}

/* Offset of the next byte, to patch a length field later. */
static inline size_t
wbuf_mark(const struct wbuf *w)
{
	return w->len;
}

static inline bool
wbuf_need(struct wbuf *w, size_t n)
{
	if (w->bad || w->cap - w->len < n) {
		w->bad = true;
		return false;
	}
	return true;
}

static inline void
wbuf_u8(struct wbuf *w, uint8_t v)
{
	if (wbuf_need(w, 1))
		w->p[w->len++] = v;
}

static inline void
wbuf_be16(struct wbuf *w, uint16_t v)
{
	if (!wbuf_need(w, 2))
		return;
	w->p[w->len++] = (uint8_t)(v >> 8);
	w->p[w->len++] = (uint8_t)v;
}

static inline void
wbuf_be32(struct wbuf *w, uint32_t v)
{
	if (!wbuf_need(w, 4))
		return;
	w->p[w->len++] = (uint8_t)(v >> 24);
	w->p[w->len++] = (uint8_t)(v >> 16);
	w->p[w->len++] = (uint8_t)(v >> 8);
	w->p[w->len++] = (uint8_t)v;
}

static inline void
wbuf_be64(struct wbuf *w, uint64_t v)
{
	if (!wbuf_need(w, 8))
		return;
	wbuf_be32(w, (uint32_t)(v >> 32));
	wbuf_be32(w, (uint32_t)v);
}

/*
 * Big-endian unsigned integer in n (1..8) bytes, high bytes dropped.
 * The common widths are written as fixed-size stores (which compilers
 * merge into one byte-swapped store): encoders call this per field.
 */
static inline void
wbuf_beN(struct wbuf *w, uint64_t v, size_t n)
{
	uint8_t *q;

	if (n == 0 || n > 8 || !wbuf_need(w, n)) {
		w->bad = true;
		return;
	}
	q = w->p + w->len;
	w->len += n;
	switch (n) {
	case 1:
		q[0] = (uint8_t)v;
		return;
	case 2:
		q[0] = (uint8_t)(v >> 8);
		q[1] = (uint8_t)v;
		return;
	case 4:
		q[0] = (uint8_t)(v >> 24);
		q[1] = (uint8_t)(v >> 16);
		q[2] = (uint8_t)(v >> 8);
		q[3] = (uint8_t)v;
		return;
	case 8:
		for (int i = 0; i < 8; i++)
			q[i] = (uint8_t)(v >> (56 - 8 * i));
		return;
	default:
		for (size_t i = n; i > 0; i--) {
			q[i - 1] = (uint8_t)v;
			v >>= 8;
		}
		return;
	}
}

static inline void
wbuf_le16(struct wbuf *w, uint16_t v)
{
	if (!wbuf_need(w, 2))
		return;
	w->p[w->len++] = (uint8_t)v;
	w->p[w->len++] = (uint8_t)(v >> 8);
}

static inline void
wbuf_le32(struct wbuf *w, uint32_t v)
{
	if (!wbuf_need(w, 4))
		return;
	for (int i = 0; i < 4; i++)
		w->p[w->len++] = (uint8_t)(v >> (8 * i));
}

static inline void
wbuf_le64(struct wbuf *w, uint64_t v)
{
	if (!wbuf_need(w, 8))
		return;
	for (int i = 0; i < 8; i++)
		w->p[w->len++] = (uint8_t)(v >> (8 * i));
}

static inline void
wbuf_bytes(struct wbuf *w, const void *src, size_t n)
{
	if (!wbuf_need(w, n))
		return;
	if (n > 0)
		memcpy(w->p + w->len, src, n);
	w->len += n;
}

static inline void
wbuf_zero(struct wbuf *w, size_t n)
{
	if (!wbuf_need(w, n))
		return;
	memset(w->p + w->len, 0, n);
	w->len += n;
}

/*
 * Reserve the next n bytes and count them as written: the caller fills
 * all n at once (an encoder writing a whole record at fixed offsets).
 * Returns NULL, and sets the flag, if they do not fit.
 */
static inline uint8_t *
wbuf_reserve(struct wbuf *w, size_t n)
{
	uint8_t *q;

	if (!wbuf_need(w, n))
		return NULL;
	q = w->p + w->len;
	w->len += n;
	return q;
}

/* Overwrite 2 bytes at a mark taken earlier; fails if not yet written. */
static inline void
wbuf_patch_be16(struct wbuf *w, size_t at, uint16_t v)
{
	if (w->bad || at > w->len || w->len - at < 2) {
		w->bad = true;
		return;
	}
	w->p[at] = (uint8_t)(v >> 8);
	w->p[at + 1] = (uint8_t)v;
}

static inline void
wbuf_patch_be32(struct wbuf *w, size_t at, uint32_t v)
{
	if (w->bad || at > w->len || w->len - at < 4) {
		w->bad = true;
		return;
	}
	w->p[at] = (uint8_t)(v >> 24);
	w->p[at + 1] = (uint8_t)(v >> 16);
	w->p[at + 2] = (uint8_t)(v >> 8);
	w->p[at + 3] = (uint8_t)v;
}

static inline void
wbuf_patch_le32(struct wbuf *w, size_t at, uint32_t v)
{
	if (w->bad || at > w->len || w->len - at < 4) {
		w->bad = true;
		return;
	}
	for (int i = 0; i < 4; i++)
		w->p[at + i] = (uint8_t)(v >> (8 * i));
}

#endif /* COMMON_BASE_BUF_H */
