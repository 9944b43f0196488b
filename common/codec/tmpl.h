/*
 * common/codec/tmpl.h -- NetFlow v9 / IPFIX template cache and per-domain
 * option state.
 *
 * Templates are keyed by (exporter address, protocol version,
 * observation domain / source id, template id): v9 and IPFIX are
 * separate namespaces even for the same exporter and domain.  The
 * cache copies everything it keeps and never points into a datagram.
 *
 * Limits (struct tmpl_limits, defaults below) bound memory: at most
 * max_total templates (each about 1.1 KB, plus its decoder's plan of 12
 * bytes per field once data arrives: worst case about 11 MB with the
 * defaults), at most max_per_exporter of them for one exporter
 * address, TMPL_MAX_FIELDS fields per template, and max_opts option
 * state entries (about 100 bytes each).  When a limit is reached the
 * least recently used template (of that exporter, for the per-exporter
 * limit; of the whole cache otherwise) is evicted and counted in
 * tmpl_stats.evicted, so a flood of templates from one exporter evicts
 * its own templates first.  A template with more than TMPL_MAX_FIELDS
 * fields is refused by the decoders with NFE_LIMIT.
 *
 * Option state is what options data taught about an (exporter,
 * version, domain): the domain's sampling rate, up to TMPL_MAX_SAMPLERS
 * per-sampler rates (common/codec/sampling.h says how a record's elements
 * become a rate) and systemInitTimeMilliseconds.  It is saved and
 * loaded with the templates.
 *
 * tmpl_save() writes a versioned, checksummed little-endian file
 * atomically (temporary file, fsync, rename); tmpl_load() validates the
 * whole file before it changes the cache, so a hostile or damaged file
 * returns an error code and leaves the cache as it was.
 *
 * Not thread-safe: one cache per decoding thread, or a lock around it.
 */
#ifndef COMMON_CODEC_TMPL_H
#define COMMON_CODEC_TMPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/base/addr.h"

#define TMPL_MAX_FIELDS		128	/* fields (scope included) per template */
#define TMPL_MAX_RECLEN		65535	/* largest (minimum) record length */
#define TMPL_DEF_TOTAL		4096	/* default max_total */
#define TMPL_DEF_PER_EXPORTER	1024	/* default max_per_exporter */
#define TMPL_DEF_OPTS		1024	/* default max_opts */
#define TMPL_ID_MIN		256	/* lowest data template id (both protocols) */

struct tmpl_field {
	uint16_t	id;		/* element id, enterprise bit cleared */
	uint16_t	len;		/* bytes; IE_VARLEN (IPFIX only) = variable */
	uint32_t	pen;		/* enterprise number; 0 for IANA elements */
};

struct tmpl {
	uint16_t	id;		/* >= TMPL_ID_MIN */
	uint16_t	nfields;	/* 1..TMPL_MAX_FIELDS */
	uint16_t	scope_count;	/* options template: leading scope fields */
	bool		options;	/* options template (v9 set 1, IPFIX set 3) */
	bool		varlen;		/* has a variable-length field; set by
					   tmpl_finish() */
	uint32_t	min_len;	/* record length, counting 1 byte per
					   variable field; set by tmpl_finish() */
	struct tmpl_field fields[TMPL_MAX_FIELDS];
};

struct tmpl_key {
	struct nf_addr	exporter;
	uint32_t	domain;		/* v9 source id / IPFIX observation domain */
	uint16_t	version;	/* 9 or 10 */
	uint16_t	id;		/* template id */
};

#define TMPL_MAX_SAMPLERS	8	/* sampler ids remembered per domain */

struct tmpl_sampler {
	uint64_t	id;		/* samplerId (48) / selectorId (302) */
	uint32_t	rate;		/* 1-in-N; 0: known sampler without a
					   usable rate (common/codec/sampling.h) */
};

struct tmpl_opts {
	uint32_t	sampling;	/* 1-in-N for the whole domain (options
					   data without a sampler id); 0 none */
	bool		has_sampling;	/* update only: sampling replaces the
					   stored rate even when 0 */
	uint64_t	sys_init_ms;	/* systemInitTimeMilliseconds; 0 unknown */
	uint32_t	nsamplers;	/* valid entries in samplers[] */
	struct tmpl_sampler samplers[TMPL_MAX_SAMPLERS]; /* oldest first */
};

struct tmpl_limits {
	size_t		max_total;	/* 0: TMPL_DEF_TOTAL */
	size_t		max_per_exporter; /* 0: TMPL_DEF_PER_EXPORTER */
	size_t		max_opts;	/* 0: TMPL_DEF_OPTS */
};

struct tmpl_stats {
	uint64_t	templates;	/* held now */
	uint64_t	added;		/* new keys learned */
	uint64_t	replaced;	/* existing key, different layout */
	uint64_t	refreshed;	/* existing key, same layout */
	uint64_t	evicted;	/* pushed out by a limit (LRU) */
	uint64_t	withdrawn;	/* removed by IPFIX withdrawal */
	uint64_t	mismatched;	/* dropped: record length disagreed with
					   a data set */
	uint64_t	opts;		/* option state entries held now */
	uint64_t	opts_evicted;	/* option state pushed out by max_opts */
	uint64_t	opts_changed;	/* updates that changed a stored value */
};

struct tmpl_cache;		/* opaque */

/* New empty cache; lim may be NULL for the defaults.  NULL if no memory. */
struct tmpl_cache *tmpl_cache_new(const struct tmpl_limits *lim);

/* Free the cache and everything in it; NULL is a no-op. */
void	tmpl_cache_free(struct tmpl_cache *c);

/*
 * Compute t->min_len and t->varlen from the fields and check the
 * template for protocol version (9 or 10): returns NFE_OK, NFE_FORMAT
 * (id below TMPL_ID_MIN, no fields, record length 0 or above
 * TMPL_MAX_RECLEN, scope count past the fields, an IPFIX options
 * template without scope, a variable-length or enterprise field in v9)
 * or NFE_LIMIT (more than TMPL_MAX_FIELDS fields).
 */
int	tmpl_finish(struct tmpl *t, uint16_t version);

/*
 * Learn template t (copied; t must have passed tmpl_finish()) under
 * key->exporter/version/domain and t->id (key->id is ignored).  A
 * different layout under the same key replaces the old one.  May evict
 * the least recently used template to stay within the limits.  If
 * changed is not NULL it is set true when the layout is new or
 * different.  Returns NFE_OK, NFE_FORMAT (t not valid for the version)
 * or NFE_NOMEM.
 */
int	tmpl_put(struct tmpl_cache *c, const struct tmpl_key *key,
	    const struct tmpl *t, bool *changed);

/*
 * The template for key, or NULL.  The pointer is borrowed and valid
 * until the next call that changes the cache (put, withdraw, drop,
 * load, free).  Marks the template as recently used.
 */
const struct tmpl *tmpl_get(struct tmpl_cache *c, const struct tmpl_key *key);

/*
 * What a decoder derived from a template (its decode plan), kept with
 * it so that it is made once per template, not once per data set.
 * tmpl_aux: t's, or NULL (t: as tmpl_get() returned it, still valid).
 * tmpl_set_aux: key's template takes aux (malloc'ed, no pointers inside;
 * the cache frees it with free()), replacing any it had; aux is freed
 * at once if key has no template.  The cache frees it when the
 * template goes (withdrawn, dropped, evicted, kept out, the cache freed)
 * or is replaced by a different layout; a template repeated with the
 * same layout keeps it.
 */
void	*tmpl_aux(const struct tmpl *t);
void	tmpl_set_aux(struct tmpl_cache *c, const struct tmpl_key *key,
	    void *aux);

/* Remove key's template (IPFIX withdrawal); true if it was there. */
bool	tmpl_withdraw(struct tmpl_cache *c, const struct tmpl_key *key);

/*
 * Remove every template of (exporter, version, domain) (IPFIX
 * withdraw-all); if options_only, only the options templates (RFC 7011
 * 8.1, set id 3).  Returns how many were removed.
 */
size_t	tmpl_withdraw_all(struct tmpl_cache *c, const struct tmpl_key *key,
	    bool options_only);

/*
 * Remove key's template because its record length disagreed with a
 * data set (counted in stats.mismatched).  True if it was there.
 */
bool	tmpl_drop_mismatch(struct tmpl_cache *c, const struct tmpl_key *key);

/*
 * Option state of (key->exporter, key->version, key->domain), or NULL
 * if none is known.  Borrowed until the next change to the cache.
 */
const struct tmpl_opts *tmpl_opts_get(struct tmpl_cache *c,
	    const struct tmpl_key *key);

/*
 * Merge upd into the option state of (exporter, version, domain): its
 * sampling (when non-zero or has_sampling) and non-zero sys_init_ms
 * replace the stored ones, and each of its samplers is added or updated
 * (the oldest is forgotten when TMPL_MAX_SAMPLERS are known).  Counts
 * stats.opts_changed when a stored value changed or an entry was added.
 * Returns NFE_OK or NFE_NOMEM.
 */
int	tmpl_opts_update(struct tmpl_cache *c, const struct tmpl_key *key,
	    const struct tmpl_opts *upd);

/*
 * The rate that applies to a data record: that of sampler id when the
 * record names one (has_id) and it is known (even with rate 0), else
 * the domain's rate; 0 if none is known.  o may be NULL.
 */
uint32_t tmpl_opts_rate(const struct tmpl_opts *o, bool has_id, uint64_t id);

/*
 * True if a record naming sampler id must wait for options data to
 * learn its rate: the sampler is not known and the domain has no rate
 * to fall back on.  o may be NULL.
 */
bool	tmpl_opts_rate_unknown(const struct tmpl_opts *o, uint64_t id);

void	tmpl_get_stats(const struct tmpl_cache *c, struct tmpl_stats *st);

/*
 * The template file's bytes for the cache (what tmpl_save writes), in
 * *buf (owned by the caller: free it).  Lets a thread that cannot wait
 * for a disk hand its cache to one that writes.  Returns NFE_OK or
 * NFE_NOMEM.
 */
int	tmpl_image(const struct tmpl_cache *c, uint8_t **buf, size_t *len);

/* Write a tmpl_image() atomically, as tmpl_save does. */
int	tmpl_save_image(const uint8_t *buf, size_t len, const char *path);

/*
 * Remove the templates and option state of every exporter address for
 * which keep(addr, arg) is false (a cache split between threads by
 * exporter keeps its own share of a loaded file).  Returns how many
 * entries went; not counted as evictions.
 */
size_t	tmpl_keep(struct tmpl_cache *c,
	    bool (*keep)(const struct nf_addr *addr, void *arg), void *arg);

/*
 * Write every template and option state to path atomically: a
 * temporary file in the same directory, fsync, rename, fsync of the
 * directory.  Returns NFE_OK, NFE_IO (errno set) or NFE_NOMEM.
 */
int	tmpl_save(const struct tmpl_cache *c, const char *path);

/*
 * Read a file written by tmpl_save() and add its contents to the cache
 * (same keys are replaced; the file's least-recently-used order is
 * kept).  The whole file is validated first: NFE_IO (cannot read,
 * errno set), NFE_CORRUPT (bad magic, length, checksum or contents),
 * NFE_VERSION (newer major version) or NFE_NOMEM, and then the cache
 * is unchanged.  *loaded (may be NULL) is set to the templates read.
 */
int	tmpl_load(struct tmpl_cache *c, const char *path, size_t *loaded);

/* Same as tmpl_load() on a buffer in memory (used by the fuzzer). */
int	tmpl_load_mem(struct tmpl_cache *c, const uint8_t *p, size_t len,
	    size_t *loaded);

#endif /* COMMON_CODEC_TMPL_H */
