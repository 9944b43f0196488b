/*
 * common/enrich/strtab.h -- interned strings with reference counts (user
 * names of the session store).
 *
 * Each distinct string is held once and named by a small id (1 .. n;
 * 0 means "no string").  strtab_intern() takes a reference, strtab_unref()
 * drops one; a string whose count reaches zero is freed and its id
 * reused.  Strings may hold any byte except NUL and are at most
 * STRTAB_MAX_LEN bytes (the longest RADIUS attribute value).
 *
 * Memory: about 40 bytes per string plus the string itself, and a hash
 * index of 8 bytes per slot (at most twice the strings).  max_bytes in
 * strtab_init() bounds the string bytes; reaching it returns NFE_LIMIT.
 * No global state; one table belongs to one thread.
 */
#ifndef COMMON_ENRICH_STRTAB_H
#define COMMON_ENRICH_STRTAB_H

#include <stddef.h>
#include <stdint.h>

#define STRTAB_MAX_LEN	253

struct strtab_ent {
	char		*s;		/* owned; NUL-terminated; NULL: free id */
	uint64_t	 hash;
	uint32_t	 len;
	uint32_t	 refs;		/* free ids: next free id */
};

struct strtab {
	struct strtab_ent *ent;		/* owned; ent[0] unused */
	uint32_t	 nent;		/* ids handed out so far + 1 */
	uint32_t	 cap;
	uint32_t	 free_head;	/* first reusable id, 0: none */
	uint32_t	 live;		/* strings held */
	uint32_t	*slot;		/* owned; hash index of ids, 0: empty */
	uint32_t	 nslot;		/* power of two */
	size_t		 bytes;		/* string bytes held */
	size_t		 max_bytes;
};

void	strtab_init(struct strtab *t, size_t max_bytes);
void	strtab_fini(struct strtab *t);

/*
 * Find or add s (len bytes, no NUL inside) and take a reference.  Sets
 * *id.  Returns NFE_OK, NFE_INVAL (empty, too long or holding a NUL),
 * NFE_LIMIT (max_bytes or 2^31 strings) or NFE_NOMEM.
 */
int	strtab_intern(struct strtab *t, const char *s, size_t len, uint32_t *id);

/* Take one more reference to id (1 .. ); id 0 is ignored. */
void	strtab_ref(struct strtab *t, uint32_t id);

/* Drop a reference; the string is freed when none is left.  id 0: no-op. */
void	strtab_unref(struct strtab *t, uint32_t id);

/* The string of id, or NULL for 0 or a free id. */
const char *strtab_get(const struct strtab *t, uint32_t id);

/* Heap bytes held (for statistics). */
size_t	strtab_mem(const struct strtab *t);

/* 64-bit hash of bytes (FNV-1a with a final mix); also used for keys. */
uint64_t strtab_hash(const void *p, size_t len, uint64_t seed);

#endif /* COMMON_ENRICH_STRTAB_H */
