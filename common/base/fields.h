/*
 * common/base/fields.h -- the field catalogue: what every layer knows
 * about each field of the flow record, read from one table
 * (common/base/fieldlist.h; how to add a field: docs/adding-a-field.md).
 *
 * One entry per field holds its record member, type and width; its
 * file column id and encoding; the IPFIX / v9 elements it is decoded
 * from and encoded to (and its NetFlow v5 position); its filter words
 * and comparison shape; its fmt: tokens; its -A and -s keys; its JSON
 * element and its CSV column.  struct flowrec, the file's columns, the
 * decoder's element dispatch, the filter's words, the aggregation and
 * statistics keys, every output format and the man pages' field lists
 * are all made from it.  Where a layer needs code of its own for a
 * field, the entry names a kind (an address, TCP flags, a duration, a
 * rate, ...) and the layer implements the kind, never the field.
 *
 * Two sorts of entries: stored fields (a member of struct flowrec and
 * a file column) and computed ones (the duration, bps, the exporter's
 * address, ...: values other layers derive from stored fields by their
 * kind).  Entries are numbered FLD_* in table order, which is also the
 * order of the JSON members.
 *
 * Everything here is constant data; no state.
 */
#ifndef COMMON_BASE_FIELDS_H
#define COMMON_BASE_FIELDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/base/addr.h"
#include "common/base/fieldlist.h"
#include "common/base/flowrec.h"

/* Catalogue indices, in table order. */
#define FLD_ENUM_F(ID, m, T, col, cname, ...)	FLD_##ID,
#define FLD_ENUM_V(ID, name, ...)		FLD_##ID,
#define FLD_NONE_(...)
enum fld_id {
	FLOW_FIELDS(FLD_ENUM_F, FLD_ENUM_V, FLD_NONE_)
	FLD_N				/* number of entries */
};

/*
 * File column ids, as stored on disk: given by each entry, never
 * renumbered or reused.  FCOL_NCOLS is one past the largest.
 */
#define FCOL_ENUM_F(ID, m, T, col, cname, ...)	FCOL_##ID = (col),
enum fcol_id {
	FLOW_FIELDS(FCOL_ENUM_F, FLD_NONE_, FLD_NONE_)
};
#define FCOL_SIZE_F(ID, m, T, col, cname, ...)	char c_##ID[(col) + 1];
union fcol_ncols_ {
	FLOW_FIELDS(FCOL_SIZE_F, FLD_NONE_, FLD_NONE_)
};
#define FCOL_NCOLS	((unsigned)sizeof(union fcol_ncols_))

/*
 * A set of columns: bit id for column id.  An integer type (so that
 * FCOL_BIT(a) | FCOL_BIT(b) is a constant), 128 bits wide: column ids
 * go up to FCOL_MAX_ID.  Past that, this becomes a bit array.
 */
typedef unsigned __int128 fcol_mask;
#define FCOL_MAX_ID	127
#define FCOL_BIT(id)	((fcol_mask)1 << (id))
#define FCOL_ALL_F(ID, m, T, col, cname, ...)	| FCOL_BIT(col)
#define FCOL_ALL	((fcol_mask)0 FLOW_FIELDS(FCOL_ALL_F, FLD_NONE_, FLD_NONE_))

/*
 * Columns 1..FCOL_LEGACY_LAST are those of format 1.0 as first
 * released: a writer stores them in every block, so files of records
 * without the newer fields stay byte for byte what they were.  Newer
 * columns are stored only in blocks where some record has a value
 * other than the field's default.
 */
#define FCOL_LEGACY_LAST	28
#define FCOL_LEGACY_F(ID, m, T, col, ...) \
	| ((col) <= FCOL_LEGACY_LAST ? FCOL_BIT(col) : 0)
#define FCOL_LEGACY	((fcol_mask)0 FLOW_FIELDS(FCOL_LEGACY_F, FLD_NONE_, \
	FLD_NONE_))

/* Storage type of a field. */
enum fld_type {
	FT_NONE,		/* computed: no member, no column */
	FT_U8, FT_U16, FT_U32, FT_U64,
	FT_ADDR,		/* struct nf_addr */
	FT_STR,			/* struct nf_str (flowrec.h) */
};

/*
 * What sort of value a field is, where layers need code of their own
 * (values, text, filter tests).  Stored kinds first, then the computed
 * ones (FK_DURATION and after), whose value a layer derives from the
 * columns in the entry's .reads.
 */
enum fld_kind {
	FK_NUM,			/* an unsigned number */
	FK_TSTART,		/* ms since 1970 UTC: first packet */
	FK_TEND,		/* ms since 1970 UTC: last packet */
	FK_TIME,		/* ms since 1970 UTC, another time */
	FK_COUNT,		/* a packet, byte or flow counter (summed) */
	FK_ADDR,		/* an address */
	FK_PROTO,		/* IP protocol: printed by name */
	FK_FLAGS,		/* TCP flags: printed as letters */
	FK_DIR,			/* flowDirection: 0 in, 1 out, 255 unknown */
	FK_XINDEX,		/* index into the file's exporter table */
	FK_FAMILY,		/* 4 or 6 */
	FK_STR,			/* a name */
	FK_MAC,			/* a MAC address, in the low 48 bits */
	FK_MPLS,		/* an MPLS label stack entry: label << 4 |
				   EXP << 1 | bottom-of-stack bit */
	FK_STR_NONE,		/* a name that may be missing (a flow's
				   user): "-" in text, null in JSON */
	FK_NATEVT,		/* a NAT event (RFC 8158): printed by
				   nfdump's name (fld_natevent_text) */
	FK_APPID,		/* an application id (RFC 6759): the
				   classification engine << 56 | the
				   selector; printed engine..selector */
	FK_DURATION,		/* last - first, ms (0 if negative) */
	FK_BPS,			/* bits per second */
	FK_PPS,			/* packets per second */
	FK_BPP,			/* bytes per packet */
	FK_ICMP_TYPE,		/* ICMP/ICMPv6 type: dst port >> 8 */
	FK_ICMP_CODE,		/* ICMP/ICMPv6 code: dst port & 0xff */
	FK_ROUTER,		/* the exporter's address (file's table) */
	FK_MPLS_LABEL,		/* label of the FK_MPLS entry it .reads */
	FK_MPLS_EXP,		/* EXP bits of the FK_MPLS entry it .reads */
	FK_MPLS_EOS,		/* label of the first of the FK_MPLS
				   entries it .reads with the
				   bottom-of-stack bit set; 0: none */
	FK_ABSENT,		/* an nfdump field flowkit does not store
				   yet: prints as 0; its entry becomes a
				   stored one when it is added */
};

/* How a stored column is laid out in a block (flowkit-file(5)). */
enum fld_enc {
	FE_NONE,
	FE_INT,			/* frame of reference, narrow widths */
	FE_INT_DELTA,		/* as FE_INT, of value - first_ms */
	FE_ADDR,		/* IPv4 packed, IPv6 or tagged */
	FE_STR,			/* per-block dictionary + indices */
};

/*
 * How one information element's bytes become the field and back
 * (decoders: common/codec/tfield.c).
 */
enum fld_iec {
	IEC_NONE,
	IEC_UINT,		/* unsigned, big-endian, 1..8 bytes */
	IEC_ADDR4,		/* IPv4 address, 4 bytes */
	IEC_ADDR6,		/* IPv6 address, 16 bytes */
	IEC_ADDR4_AF,		/* as IEC_ADDR4; says the flow is IPv4 */
	IEC_ADDR6_AF,		/* as IEC_ADDR6; says the flow is IPv6 */
	IEC_ADDR6_NZ,		/* as IEC_ADDR6; :: means "none" */
	IEC_SEC,		/* dateTimeSeconds */
	IEC_MS,			/* dateTimeMilliseconds */
	IEC_NTP,		/* dateTimeMicro/Nanoseconds (NTP, 8 bytes) */
	IEC_UPTIME,		/* ms of the exporter's sysUpTime */
	IEC_DELTA_US,		/* microseconds before the export time */
	IEC_DUR_MS,		/* a duration in ms */
	IEC_DUR_US,		/* a duration in us */
	IEC_ICMP_TC,		/* type << 8 | code, into the dst port of
				   an ICMP/ICMPv6 flow */
	IEC_ICMP_T,		/* the ICMP type alone */
	IEC_ICMP_C,		/* the ICMP code alone */
	IEC_STR,		/* a string (trailing NULs dropped) */
	IEC_MAC,		/* macAddress, 6 bytes, as an integer */
	IEC_MPLS,		/* an MPLS label stack section: 3 bytes of
				   octetArray, as an integer */
	IEC_APPID,		/* applicationId, octetArray: the engine
				   byte << 56 | the selector's last 7
				   bytes (FK_APPID) */
};

/* One element a field is decoded from and encoded to. */
struct fld_iebind {
	uint8_t		 fld;		/* FLD_* + 1; 0: element not bound */
	uint8_t		 conv;		/* enum fld_iec */
	uint8_t		 prio;		/* 0: always taken; 1, 2, ...: a
					   record's element of the lowest
					   number wins over the others */
};

/*
 * Element ids the binding map covers: those of common/codec/ie.c below
 * FLD_IE_REV, and from FLD_IE_REV on the RFC 5103 reverse elements
 * (enterprise number FLD_PEN_REVERSE; a reverse element has the id and
 * the type of its forward element): FLD_IE_REVERSE(1) is
 * reverseOctetDeltaCount.
 */
#define FLD_IE_REV		512
#define FLD_IE_LIMIT		(2 * FLD_IE_REV)
#define FLD_IE_REVERSE(ie)	(FLD_IE_REV + (ie))
#define FLD_PEN_REVERSE		29305u

/*
 * Filter word shapes (flowkit-filter(7)): what may follow the word.
 * The grammar has one rule per shape, none per field.
 */
enum fld_shape {
	FS_NONE,
	FS_ADDR,		/* ADDR | in [ADDR/PREFIX ...] */
	FS_NET,			/* PREFIX | ADDR MASK */
	FS_ADDRIP,		/* ip ADDR (next ip, router ip) */
	FS_NUMLIST,		/* [comp] NUMBER | in [NUMBER ...] */
	FS_NUMEQ,		/* NUMBER */
	FS_CMP,			/* [comp] NUMBER */
	FS_PROTO,		/* NAME | NUMBER */
	FS_FLAGS,		/* LETTERS | [comp] NUMBER */
	FS_ICMP,		/* NUMBER; implies proto icmp or icmp6 */
	FS_STR,			/* [=] STRING | in [STRING ...] */
	FS_MAC,			/* MAC; after [in|out] [src|dst] */
	FS_APPID,		/* ENGINE..SELECTOR | ENGINE:SELECTOR */
};

/* Which side a filter word names; unqualified words match either. */
enum fld_side {
	S_NONE,			/* one field, no src/dst/in/out */
	S_SRC, S_DST,		/* [src|dst] WORD */
	S_IN, S_OUT,		/* [in|out] WORD */
	S_IN1,			/* [in|out] WORD, WORD alone means in */
	S_IN_SRC, S_IN_DST,	/* [in] [src] WORD ... (MAC addresses: */
	S_OUT_SRC, S_OUT_DST,	/*  either qualifier may be left out) */
	S_N
};

struct fld_word {
	const char	*word;
	uint8_t		 shape;		/* enum fld_shape */
	uint8_t		 side;		/* enum fld_side */
};

/* fmt: token kinds (query/output.c). */
enum fld_tk {
	TK_NONE,
	TK_UINT,		/* number, right-aligned */
	TK_NUM,			/* number scaled (M, G, T) unless -N */
	TK_TIME,		/* local time, nfdump's layout */
	TK_TIME_RAW,		/* seconds.milliseconds since 1970 */
	TK_DURATION,		/* hh:mm:ss.mmm, or seconds with -N */
	TK_DURATION_S,		/* always seconds */
	TK_PROTO,		/* name (number with -N), left-aligned */
	TK_ADDR,		/* address, condensed unless -6 */
	TK_ADDR_PORT,		/* address:port (partner: the port) */
	TK_NET,			/* address/len (partner: the length) */
	TK_DPORT,		/* port, or type.code for ICMP */
	TK_FLAGS,		/* eight letters or dots */
	TK_DIR,			/* I, E or - */
	TK_PAIR,		/* value/partner, as nfdump's engine */
	TK_STR,			/* a name, left-aligned */
	TK_MAC,			/* aa:bb:cc:dd:ee:ff */
	TK_MPLS,		/* label-EXP-S, as nfdump */
	TK_APPID,		/* engine..selector, as nfdump's %nbid */
	TK_NATEVT,		/* a NAT event's name, as nfdump's %nevt */
};

struct fld_tok {
	const char	*tok;		/* "%sap" */
	const char	*header;	/* nfdump's header; its length is
					   the column's width */
	uint8_t		 kind;		/* enum fld_tk */
	uint8_t		 partner;	/* FLD_*, for the pair kinds */
};

/* -A key kinds (query/agg.c). */
enum fld_ak {
	AK_NONE,
	AK_VALUE,		/* the value, big-endian in its width */
	AK_ADDR,		/* an address, all 128 bits */
	AK_ADDRM,		/* an address; srcip4/24, srcip6/64 mask it */
	AK_NET,			/* address masked by its own length
				   (partner), and the length */
	AK_STR,			/* a name */
};

struct fld_agg {
	const char	*name;		/* -A key ("srcport") */
	uint8_t		 kind;		/* enum fld_ak */
	const char	*tok;		/* fmt: token printing it */
};

/* -s statistic: this field alone, and as one side of a pair. */
struct fld_stat {
	const char	*name, *title;	/* "srcport", "Src Port" */
	const char	*pair, *pair_title; /* "port", "Port"; or NULL */
};

/* When a JSON member is written (query/output_json.c). */
enum fld_jr {
	JR_NONE,		/* never */
	JR_ALWAYS,
	JR_KNOWN,		/* unless the value is the default */
	JR_ICMP,		/* only for ICMP/ICMPv6 flows */
	JR_OWN_FAMILY,		/* address named by its own family (an
				   unset one by the flow's) */
	JR_ROUTER,		/* only when the exporter is known */
	JR_JOINED,		/* as JR_KNOWN; but when the query joined
				   (flowq --sessions), null when unknown */
};

struct fld_json {
	uint16_t	 ie4, ie6;	/* element naming it (IPv4 / IPv6
					   flows; JR_OWN_FAMILY: addresses) */
	uint8_t		 rule;		/* enum fld_jr */
};

/* CSV column (nfdump's name and place). */
struct fld_csv {
	const char	*name;
	uint8_t		 pos;		/* 0-based place in the line */
	uint8_t		 partner;	/* FLD_* + 1 printed as value/partner,
					   or 0 */
};

#define FLD_MAX_WORDS	3
#define FLD_MAX_TOKS	3
#define FLD_MAX_AGGS	2

struct fld_desc {
	const char	*name;		/* member name (computed: its name) */
	const char	*colname;	/* file column name */
	const char	*doc;		/* one line, for the man pages */
	uint16_t	 off;		/* offsetof(struct flowrec, member) */
	uint8_t		 type;		/* enum fld_type */
	uint8_t		 size;		/* bytes of the member */
	uint16_t	 col;		/* file column id; 0: computed */
	uint8_t		 kind;		/* enum fld_kind */
	uint8_t		 enc;		/* enum fld_enc */
	uint64_t	 def;		/* default of an integer field */
	uint64_t	 max;		/* largest value the filter takes;
					   0: the type's */
	const char	*what;		/* the value in filter messages
					   ("AS number"); NULL: the word */
	fcol_mask	 reads;		/* computed: the columns it needs */
	struct {
		uint8_t	 off, len;	/* NetFlow v5 record; len 0: none */
	} v5;
	struct fld_word	 words[FLD_MAX_WORDS];
	struct fld_tok	 toks[FLD_MAX_TOKS];
	struct fld_agg	 agg[FLD_MAX_AGGS];
	struct fld_stat	 stat;
	struct fld_json	 json;
	struct fld_csv	 csv;
};

/* The catalogue, FLD_N entries in table order. */
extern const struct fld_desc fld_tab[FLD_N];

/* Entry i (i < FLD_N). */
static inline const struct fld_desc *
fld(unsigned i)
{
	return &fld_tab[i];
}

/* The entry stored in column id, or NULL if no entry is. */
const struct fld_desc *fld_by_col(unsigned id);

/* Index of the entry called name (its .name), or -1. */
int	fld_index(const char *name);

/*
 * The binding of information element ie (enterprise 0; from FLD_IE_REV
 * on, the reverse element of ie - FLD_IE_REV), or NULL if no field is
 * decoded from it.
 */
const struct fld_iebind *fld_by_ie(uint16_t ie);

/* The columns an entry reads: its own, or .reads for a computed one. */
fcol_mask fld_columns(unsigned i);

/* Largest value of an integer field (its .max, else its type's). */
uint64_t fld_max(unsigned i);

/* RFC 6759 classification engine: the selector is a PEN and an id. */
#define FLD_APPID_ENGINE_PEN	20

/*
 * An FK_APPID value as nfdump prints it (%nbid): engine..selector, or
 * for engine 20 (PANA-L7-PEN) engine..PEN..selector (the PEN in the 4
 * bytes after the engine byte, the selector in the last 3); the engine
 * right-aligned in two places when pad.  Returns buf.
 */
const char *fld_appid_text(uint64_t v, bool pad, char *buf, size_t len);

/*
 * A NAT event (natEvent, RFC 8158) by nfdump's short name: INVALID
 * (0), ADD, DELETE (the historic 1 and 2), EXHAUST, ADD44, DEL44,
 * ADD64, DEL64, ADD44BIB, DEL44BIB, ADD64BIB, DEL64BIB, PEXHAUST,
 * QUOTAEXH, ADDADDR, DELADDR, ADDPBLK, DELPBLK, THRESHLD (18); above,
 * "N-Unknown".  Returns buf.
 */
const char *fld_natevent_text(unsigned v, char *buf, size_t len);

/* The event a short name names (any case), or -1. */
int	fld_natevent_value(const char *name);

/* Integer value of stored field i of r (0 for other types). */
static inline uint64_t
fld_get_u64(const struct fld_desc *d, const struct flowrec *r)
{
	const uint8_t *p = (const uint8_t *)r + d->off;

	switch (d->type) {
	case FT_U8:
		return *p;
	case FT_U16:
		return *(const uint16_t *)(const void *)p;
	case FT_U32:
		return *(const uint32_t *)(const void *)p;
	case FT_U64:
		return *(const uint64_t *)(const void *)p;
	default:
		return 0;
	}
}

/* Store v (taken modulo the field's width) into integer field d of r. */
static inline void
fld_set_u64(const struct fld_desc *d, struct flowrec *r, uint64_t v)
{
	uint8_t *p = (uint8_t *)r + d->off;

	switch (d->type) {
	case FT_U8:
		*p = (uint8_t)v;
		break;
	case FT_U16:
		*(uint16_t *)(void *)p = (uint16_t)v;
		break;
	case FT_U32:
		*(uint32_t *)(void *)p = (uint32_t)v;
		break;
	case FT_U64:
		*(uint64_t *)(void *)p = v;
		break;
	default:
		break;
	}
}

/* Address field d of r (d->type FT_ADDR). */
static inline const struct nf_addr *
fld_get_addr(const struct fld_desc *d, const struct flowrec *r)
{
	return (const struct nf_addr *)(const void *)((const uint8_t *)r +
	    d->off);
}

static inline struct nf_addr *
fld_addr(const struct fld_desc *d, struct flowrec *r)
{
	return (struct nf_addr *)(void *)((uint8_t *)r + d->off);
}

/* String field d of r (d->type FT_STR). */
static inline const struct nf_str *
fld_get_str(const struct fld_desc *d, const struct flowrec *r)
{
	return (const struct nf_str *)(const void *)((const uint8_t *)r +
	    d->off);
}

static inline struct nf_str *
fld_str(const struct fld_desc *d, struct flowrec *r)
{
	return (struct nf_str *)(void *)((uint8_t *)r + d->off);
}

/* The lowest column id of a computed entry's .reads (0: none). */
static inline unsigned
fld_reads_first(const struct fld_desc *d)
{
	uint64_t lo = (uint64_t)d->reads, hi = (uint64_t)(d->reads >> 64);

	if (lo != 0)
		return (unsigned)__builtin_ctzll(lo);
	return hi != 0 ? 64u + (unsigned)__builtin_ctzll(hi) : 0;
}

/* True for a computed entry. */
static inline bool
fld_is_computed(const struct fld_desc *d)
{
	return d->type == FT_NONE;
}

/*
 * Computed integer values every layer agrees on (ICMP type and code,
 * the duration); rates differ by layer (nfdump computes them one way
 * for filters and another for output) and are done there.
 */
static inline bool
fld_is_icmp(const struct flowrec *r)
{
	return r->proto == 1 || r->proto == 58;
}

static inline uint64_t
fld_duration(uint64_t first_ms, uint64_t last_ms)
{
	return last_ms > first_ms ? last_ms - first_ms : 0;
}

#endif /* COMMON_BASE_FIELDS_H */
