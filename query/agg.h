/*
 * query/agg.h -- aggregation of flow records by a key (nfdump -a, -A)
 * and the hash table that -s statistics share.
 *
 * struct aggtab is an open-addressing hash table keyed by fixed-length
 * byte strings (full 16-byte addresses: IPv6 keys are never truncated;
 * a string key is its length byte and FLOWREC_STR_MAX bytes, so keys
 * compare by content and tables of several threads merge as they are),
 * holding per-key counters: flows, packets, bytes, first and last time.
 * Keys are hashed with a per-table seed (shared by a table's copies
 * for the scan threads: aggtab_new_like).  Memory: about 48 bytes of
 * counters + the key length + 8 bytes of slot per distinct key.
 *
 * struct agg turns an -A key list ("srcip4/24,dstport,proto") into key
 * bytes and back into a flow record for printing.  Tables are not
 * thread-safe: each worker fills its own and agg_merge() combines them.
 */
#ifndef QUERY_AGG_H
#define QUERY_AGG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/base/addr.h"
#include "common/base/fields.h"
#include "common/base/flowrec.h"
#include "common/ffile/fcol.h"

#define AGG_KEY_MAX	1024		/* bytes of one key: a string key
					   takes 1 + FLOWREC_STR_MAX */
#define AGG_BLOCK_KEY_MAX 128		/* of a key read from the columns
					   (never a string key): the
					   batches' stride */
#define AGG_MAX_FIELDS	24

/*
 * Counters kept per key.  out_*: a biflow's reverse direction (records
 * from exporters that send it, or -b/-B); -s element statistics and
 * the summary count both directions, as nfdump does.
 */
struct aggval {
	uint64_t	flows, packets, bytes;
	uint64_t	first_ms, last_ms;
	uint64_t	out_packets, out_bytes;
};

/* The counters of row r of a block (out_*: 0 where it stores none). */
static inline void
aggval_of_row(struct aggval *v, const struct fcol *c, size_t r)
{
	v->flows = c->flows[r];
	v->packets = c->packets[r];
	v->bytes = c->bytes[r];
	v->first_ms = c->first_ms[r];
	v->last_ms = c->last_ms[r];
	v->out_packets = (c->mask & FCOL_BIT(FCOL_OUT_PACKETS)) ?
	    c->out_packets[r] : 0;
	v->out_bytes = (c->mask & FCOL_BIT(FCOL_OUT_BYTES)) ?
	    c->out_bytes[r] : 0;
}

struct aggtab;				/* opaque */

struct aggtab *aggtab_new(size_t keylen);
/*
 * An empty table of like's family: its key length and hash seed, so
 * that merging the two reuses the stored hashes on two threads (a scan
 * thread's copy of a stage's table).
 */
struct aggtab *aggtab_new_like(const struct aggtab *like);
void	aggtab_free(struct aggtab *t);
size_t	aggtab_count(const struct aggtab *t);
size_t	aggtab_keylen(const struct aggtab *t);
/* Add counters v (flows, packets, bytes, first, last) under key. */
void	aggtab_add(struct aggtab *t, const uint8_t *key,
	    const struct aggval *v);
/*
 * The same for n keys at once (key i at keys + i * stride, counters
 * v[i]), faster in a table bigger than the cache.
 */
void	aggtab_add_many(struct aggtab *t, const uint8_t *keys, size_t stride,
	    const struct aggval *v, size_t n);
/* The counters under key, or NULL. */
struct aggval *aggtab_find(struct aggtab *t, const uint8_t *key);
/*
 * Add every entry of src into dst (same key length); a big src is
 * merged on two threads (one per half of the table, query/aggtab.c).
 */
void	aggtab_merge(struct aggtab *dst, const struct aggtab *src);
/* The same, but src may be emptied (taken over whole if dst is empty). */
void	aggtab_absorb(struct aggtab *dst, struct aggtab *src);
/*
 * Entry i (0 <= i < count): the entries of each half of the table in
 * insertion order.  Adding to the table may renumber entries.
 */
const uint8_t *aggtab_key(const struct aggtab *t, size_t i);
const struct aggval *aggtab_val(const struct aggtab *t, size_t i);

/* Orders of -O and -s. */
enum agg_order {
	AGG_ORDER_NONE, AGG_ORDER_FLOWS, AGG_ORDER_PACKETS, AGG_ORDER_BYTES,
	AGG_ORDER_PPS, AGG_ORDER_BPS, AGG_ORDER_BPP, AGG_ORDER_TSTART,
	AGG_ORDER_TEND,
};

/* Parse an order name; NFE_OK or NFE_INVAL. */
int	agg_order_parse(const char *s, enum agg_order *o);
const char *agg_order_name(enum agg_order o);
/* The value an entry is ranked by (times rank ascending, as nfdump). */
uint64_t agg_order_value(const struct aggval *v, enum agg_order o);

/*
 * Indices of the entries sorted by order (descending; tstart/tend
 * ascending; NONE: by first seen), ties broken by key bytes so output
 * is deterministic.  If limit > 0 only the first limit are returned,
 * found with a bounded heap; the full ranking is a radix sort by value.  Returns a malloc'ed array (transferred)
 * and its length in *n.
 */
size_t	*aggtab_rank(const struct aggtab *t, enum agg_order o, size_t limit,
	    size_t *n);

/*
 * The -A keys are those of the field catalogue (common/base/fields.h:
 * each entry's .agg); a key is an entry and one of its .agg slots.
 */
struct agg_spec {
	struct {
		uint8_t		fld;	/* FLD_* */
		uint8_t		ak;	/* index into fld(fld)->agg */
		uint8_t		v4bits;	/* prefix kept, IPv4 (32: all) */
		uint8_t		v6bits;	/* IPv6 (128: all) */
	} fields[AGG_MAX_FIELDS];
	size_t		nfields;
	bool		has_addr;	/* an address family byte is keyed */
	size_t		keylen;
	char		fmt[320];	/* fmt: text for listing the result */
	uint8_t		bidir;		/* enum agg_bidir (-b, -B) */
};

/* -b and -B: conversations from unidirectional flows (query/bidir.c). */
enum agg_bidir {
	AGG_BIDIR_NONE,
	AGG_BIDIR,		/* -b: the first record seen is forward */
	AGG_BIDIR_GUESS,	/* -B: the client side guessed by port */
};

/*
 * Parse "-A" text (comma-separated keys, nfdump names, masks as
 * srcip4/24, dstip6/64) or, with five_tuple, the -a key set.  Returns
 * NFE_OK or NFE_INVAL with a message in err.
 */
int	agg_parse(const char *list, bool five_tuple, struct agg_spec *spec,
	    char *err, size_t errlen);
/* Key bytes of r (router: exporter address, may be NULL). */
void	agg_key(const struct agg_spec *spec, const struct flowrec *r,
	    const struct nf_addr *router, uint8_t *key);
/*
 * Whether agg_add_block() can read spec's keys from the columns of c:
 * every key a stored field (or the exporter) and its column present.
 */
bool	agg_block_ok(const struct agg_spec *spec, const struct fcol *c);
/*
 * Count the records rows[0..n) of c under their keys, as agg_key() and
 * aggtab_add() would one by one (x, nx: the file's exporter addresses).
 */
void	agg_add_block(const struct agg_spec *spec, struct aggtab *t,
	    const struct fcol *c, const uint32_t *rows, size_t n,
	    const struct nf_addr *x, size_t nx);
/*
 * A record for printing: key fields from key, counters from v.  A
 * string key field points into key (borrowed: keep key alive).
 */
void	agg_record(const struct agg_spec *spec, const uint8_t *key,
	    const struct aggval *v, struct flowrec *r, struct nf_addr *router);

/*
 * Add r (counters v) to t as -b/-B do (spec->bidir, the -a key set):
 * to its conversation if either direction is there, the reverse one
 * with v's directions exchanged; else as a new conversation, first
 * turned around by -B's port rule (query/bidir.c).
 */
void	agg_add_bidir(const struct agg_spec *spec, struct aggtab *t,
	    const struct flowrec *r, const struct nf_addr *router,
	    const struct aggval *v);
/* fmt: text of nfdump's bidirectional listing (-b, -B). */
#define AGG_BIDIR_FMT \
	"fmt:%ts %td %pr %sap <-> %dap %opkt %ipkt %obyt %ibyt %fl"

/* The columns the keys read (FCOL_BITs). */
fcol_mask agg_columns(const struct agg_spec *spec);

#endif /* QUERY_AGG_H */
