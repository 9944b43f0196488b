/*
 * common/base/flowrec.h -- the normalized flow record every part of
 * flowkit speaks (docs/design.md, "The flow record").
 *
 * Host byte order throughout.  Times are UTC milliseconds since the
 * Unix epoch.  Addresses are 16 bytes with IPv4 mapped
 * (common/base/addr.h); af says which family the flow is.  The codecs
 * fill this record from any export version and the file format stores
 * it; nothing else keeps its own copy of flow fields.
 */
#ifndef COMMON_BASE_FLOWREC_H
#define COMMON_BASE_FLOWREC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "common/base/addr.h"
#include "common/base/fieldlist.h"

/* IPFIX flowEndReason values (IANA registry, RFC 5102 5.11.3) */
#define FLOWEND_UNKNOWN		0
#define FLOWEND_IDLE		1	/* idle timeout */
#define FLOWEND_ACTIVE		2	/* active timeout */
#define FLOWEND_EOF		3	/* end of flow detected (FIN/RST) */
#define FLOWEND_FORCED		4	/* forced end (shutdown, flush) */
#define FLOWEND_LACK		5	/* lack of resources (table full) */

/* flowDirection (IE 61) */
#define FLOWDIR_INGRESS		0
#define FLOWDIR_EGRESS		1
#define FLOWDIR_UNKNOWN		0xff

/* TCP flag bits as in the TCP header and NetFlow tcp_flags */
#define TCPF_FIN	0x01
#define TCPF_SYN	0x02
#define TCPF_RST	0x04
#define TCPF_PSH	0x08
#define TCPF_ACK	0x10
#define TCPF_URG	0x20
#define TCPF_ECE	0x40
#define TCPF_CWR	0x80

/*
 * A string value (a name: interface, VRF, subscriber, ...): len bytes
 * at p, not NUL-terminated, at most FLOWREC_STR_MAX of them; len 0 is
 * the empty string (p may then be NULL).  The bytes are borrowed from
 * whoever made the record and live as long as the record as it was
 * handed over: a decoder's datagram (during the sink call), a block's
 * dictionary (struct fcol: until the next decode into it), a query's
 * string pool (until the query ends).  Whoever keeps a record longer
 * copies its strings first; the file writer copies them into the
 * block's dictionary.
 */
struct nf_str {
	const char	*p;		/* borrowed; see above */
	uint32_t	 len;
};

#define FLOWREC_STR_MAX	255	/* longer names are cut, at a UTF-8
				   character boundary */

/*
 * Point s at the string of len bytes at p (borrowed) as a record keeps
 * it: up to the first NUL (exporters pad fixed-length string fields
 * with NULs), and cut to FLOWREC_STR_MAX bytes without splitting a
 * UTF-8 character.
 */
static inline void
flowrec_str_set(struct nf_str *s, const void *p, size_t len)
{
	const char *c = p;
	size_t n = 0;

	while (n < len && c[n] != '\0')
		n++;
	if (n > FLOWREC_STR_MAX) {
		n = FLOWREC_STR_MAX;
		/* back off continuation bytes (10xxxxxx) and their lead */
		while (n > 0 && ((unsigned char)c[n] & 0xc0) == 0x80)
			n--;
	}
	s->p = n > 0 ? c : NULL;
	s->len = (uint32_t)n;
}

/*
 * Length of the well-formed UTF-8 character at p (n bytes left), or 0
 * (RFC 3629: no overlong forms, no surrogates, nothing past U+10FFFF).
 * The one check flowq's JSON writer and the NDJSON sink escape names by.
 */
static inline size_t
flowrec_utf8_char(const uint8_t *p, size_t n)
{
	uint32_t c;
	size_t len;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		len = 2, c = p[0] & 0x1f;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		len = 3, c = p[0] & 0x0f;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		len = 4, c = p[0] & 0x07;
	else
		return 0;
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (p[i] & 0x3f);
	}
	if ((len == 3 && (c < 0x800 || (c >= 0xd800 && c <= 0xdfff))) ||
	    (len == 4 && (c < 0x10000 || c > 0x10ffff)))
		return 0;
	return len;
}

/*
 * The members come from the field catalogue (fieldlist.h): one per
 * stored field, named and typed there, with its meaning in the entry's
 * .doc.  They are laid out in five passes over the list, 8-byte types
 * first, so that the struct has no holes: FLOWREC_<pass>_<type>(m)
 * declares m only in its own type's pass.
 */
#define FLOWREC_8_U64(m)	uint64_t m;
#define FLOWREC_8_STR(m)	struct nf_str m;
#define FLOWREC_8_ADDR(m)
#define FLOWREC_8_U32(m)
#define FLOWREC_8_U16(m)
#define FLOWREC_8_U8(m)
#define FLOWREC_P8(ID, m, T, ...)	FLOWREC_8_##T(m)
#define FLOWREC_A_U64(m)
#define FLOWREC_A_STR(m)
#define FLOWREC_A_ADDR(m)	struct nf_addr m;
#define FLOWREC_A_U32(m)
#define FLOWREC_A_U16(m)
#define FLOWREC_A_U8(m)
#define FLOWREC_PA(ID, m, T, ...)	FLOWREC_A_##T(m)
#define FLOWREC_4_U64(m)
#define FLOWREC_4_STR(m)
#define FLOWREC_4_ADDR(m)
#define FLOWREC_4_U32(m)	uint32_t m;
#define FLOWREC_4_U16(m)
#define FLOWREC_4_U8(m)
#define FLOWREC_P4(ID, m, T, ...)	FLOWREC_4_##T(m)
#define FLOWREC_2_U64(m)
#define FLOWREC_2_STR(m)
#define FLOWREC_2_ADDR(m)
#define FLOWREC_2_U32(m)
#define FLOWREC_2_U16(m)	uint16_t m;
#define FLOWREC_2_U8(m)
#define FLOWREC_P2(ID, m, T, ...)	FLOWREC_2_##T(m)
#define FLOWREC_1_U64(m)
#define FLOWREC_1_STR(m)
#define FLOWREC_1_ADDR(m)
#define FLOWREC_1_U32(m)
#define FLOWREC_1_U16(m)
#define FLOWREC_1_U8(m)	uint8_t m;
#define FLOWREC_P1(ID, m, T, ...)	FLOWREC_1_##T(m)
#define FLOWREC_SKIP_(...)

struct flowrec {
	FLOW_FIELDS(FLOWREC_P8, FLOWREC_SKIP_, FLOWREC_SKIP_)
	FLOW_FIELDS(FLOWREC_PA, FLOWREC_SKIP_, FLOWREC_SKIP_)
	FLOW_FIELDS(FLOWREC_P4, FLOWREC_SKIP_, FLOWREC_SKIP_)
	FLOW_FIELDS(FLOWREC_P2, FLOWREC_SKIP_, FLOWREC_SKIP_)
	FLOW_FIELDS(FLOWREC_P1, FLOWREC_SKIP_, FLOWREC_SKIP_)
};

/*
 * Called once per decoded or read record.  rec is borrowed for the
 * duration of the call only.  A non-zero return stops the producer,
 * which returns that value.
 */
typedef int flowrec_sink_fn(void *arg, const struct flowrec *rec);

/*
 * A record with every field at its catalogue default: flows 1,
 * direction unknown (255), af 4, addresses ::ffff:0.0.0.0, strings
 * empty, everything else 0.
 */
extern const struct flowrec flowrec_defaults;

/* Set every field of r to its default. */
static inline void
flowrec_init(struct flowrec *r)
{
	*r = flowrec_defaults;
}

/*
 * A record's strings, for code that must carry them along with it
 * (struct nf_str); the macros expand only for string fields.
 */
#define FLOWREC_STRLEN_STR(m)	+ (size_t)r->m.len
#define FLOWREC_STRLEN_F(ID, m, T, ...)	FLOWREC_STRLEN_##T(m)
#define FLOWREC_STRLEN_U64(m)
#define FLOWREC_STRLEN_ADDR(m)
#define FLOWREC_STRLEN_U32(m)
#define FLOWREC_STRLEN_U16(m)
#define FLOWREC_STRLEN_U8(m)
#define FLOWREC_STRCPY_STR(m) \
	if (r->m.len > 0) { \
		memcpy(p, r->m.p, r->m.len); \
		r->m.p = p; \
		p += r->m.len; \
	}
#define FLOWREC_STRCPY_F(ID, m, T, ...)	FLOWREC_STRCPY_##T(m)
#define FLOWREC_STRCPY_U64(m)
#define FLOWREC_STRCPY_ADDR(m)
#define FLOWREC_STRCPY_U32(m)
#define FLOWREC_STRCPY_U16(m)
#define FLOWREC_STRCPY_U8(m)

/* Bytes of r's string values (0 when it has none). */
static inline size_t
flowrec_str_bytes(const struct flowrec *r)
{
	return 0 FLOW_FIELDS(FLOWREC_STRLEN_F, FLOWREC_SKIP_, FLOWREC_SKIP_);
}

/*
 * Copy r's string values to p (flowrec_str_bytes(r) bytes of room) and
 * point r at the copies; returns the byte after them.  For a record
 * that must outlive the buffer its strings point into.
 */
static inline char *
flowrec_str_move(struct flowrec *r, char *p)
{
	FLOW_FIELDS(FLOWREC_STRCPY_F, FLOWREC_SKIP_, FLOWREC_SKIP_)
	return p;
}

/* True if every field of a and b is equal (strings by content). */
bool	flowrec_equal(const struct flowrec *a, const struct flowrec *b);

/*
 * One-line debug text of every field, for test diagnostics.  Returns
 * buf.
 */
char	*flowrec_dump(const struct flowrec *r, char *buf, size_t len);

/* ICMP type/code as carried in dst_port (v5 convention). */
static inline uint8_t
flowrec_icmp_type(const struct flowrec *r)
{
	return (uint8_t)(r->dst_port >> 8);
}

static inline uint8_t
flowrec_icmp_code(const struct flowrec *r)
{
	return (uint8_t)r->dst_port;
}

#endif /* COMMON_BASE_FLOWREC_H */
