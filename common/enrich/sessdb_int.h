/*
 * common/enrich/sessdb_int.h -- the session store's tables, shared by
 * sessdb.c (events, expiry, walking) and sessdb_lookup.c (the join's hot
 * path).  Sessions live in one sorted array per prefix, so the sessions
 * of an address are read from adjacent memory.  Not for other modules.
 */
#ifndef COMMON_ENRICH_SESSDB_INT_H
#define COMMON_ENRICH_SESSDB_INT_H

#include <stdint.h>
#include <string.h>

#include "common/enrich/sessdb.h"
#include "common/enrich/strtab.h"

#define S_OPEN		UINT32_C(0x80000000)	/* in ivl.user: session is open */
#define S_USER(u)	((u) & ~S_OPEN)
#define TAIL_OPEN	UINT64_MAX

/* One session of a prefix: 32 bytes. */
struct ivl {
	uint64_t	 start;		/* ms, inclusive */
	uint64_t	 stop;		/* ms, exclusive; open: planned end */
	uint64_t	 tail;		/* max stop of this and every older session
					   of the prefix; TAIL_OPEN if one is open */
	uint32_t	 user;		/* strtab id | S_OPEN */
	uint32_t	 pad;
};

/* A prefix's sessions, newest first, in one allocation: the header
   and the newest sessions share the first cache line. */
struct ivls {
	uint32_t	 n, cap;
	uint64_t	 pad;
	struct ivl	 e[];
};

/* One prefix: 32 bytes, kept in the open-addressing table itself. */
struct pslot {
	struct nf_addr	 addr;		/* masked to alen */
	struct ivls	*v;		/* owned; NULL: slot empty */
	uint32_t	 pid;		/* stable id: pid2slot[pid] finds the slot */
	uint8_t		 alen;		/* absolute length: IPv4 /n is 96 + n */
	uint8_t		 pad[3];
};

/* One open session (a RADIUS session id): 64 bytes. */
struct oslot {
	uint64_t	 sid;		/* 0: slot empty */
	uint32_t	 timeout_s;
	uint16_t	 nas;		/* index into nas[] */
	uint8_t		 n;		/* prefixes used below */
	uint8_t		 pad;
	uint32_t	 pid[SESSDB_MAX_PFX];	/* the prefix */
	uint64_t	 start[SESSDB_MAX_PFX];	/* and the session's start */
};

struct sessdb {
	struct sessdb_conf conf;
	struct pslot	*ps;		/* owned; nps slots, a power of two */
	uint32_t	 nps, nprefix;
	uint32_t	*pid2slot;	/* owned; pidcap entries */
	uint32_t	 pidcap, pidused, pidfree;
	uint64_t	 nsess;
	struct oslot	*os;		/* owned; nos slots, a power of two */
	uint32_t	 nos, nopen;
	uint32_t	 ocur, pcur;	/* sessdb_expire_step cursors */
	struct strtab	 users;
	struct nf_addr	*nas;		/* owned; nnas known NAS addresses */
	uint32_t	 nnas, nascap;
	uint32_t	 lencount[2][129];	/* IPv4, IPv6 prefixes per absolute length */
	uint8_t		 lens4[33], nlens4;	/* IPv4 lengths present, longest first */
	uint8_t		 lens6[129], nlens6;	/* IPv6 lengths present, longest first */
	uint64_t	 mask[129][2];	/* absolute length -> address mask words */
	struct sessdb_stats st;
};

static inline uint64_t
pkey_hash(uint64_t lo, uint64_t hi, unsigned alen)
{
	uint64_t h;

	/* murmur3's fmix64 over both words: every input bit reaches the
	   low bits the table index takes */
	h = lo * UINT64_C(0x9e3779b97f4a7c15) ^ hi ^ alen;
	h ^= h >> 33;
	h *= UINT64_C(0xff51afd7ed558ccd);
	h ^= h >> 33;
	h *= UINT64_C(0xc4ceb9fe1a85ec53);
	h ^= h >> 33;
	return h;
}

static inline void
addr_words(const struct nf_addr *a, uint64_t *lo, uint64_t *hi)
{
	memcpy(lo, a->a, 8);
	memcpy(hi, a->a + 8, 8);
}

/* Slot index of (masked words, alen), or SESSDB_NIL. */
static inline uint32_t
pslot_find(const struct sessdb *db, uint64_t lo, uint64_t hi, unsigned alen)
{
	uint32_t m, i;

	if (db->nps == 0)
		return SESSDB_NIL;
	m = db->nps - 1;
	i = (uint32_t)pkey_hash(lo, hi, alen) & m;
	for (;;) {
		const struct pslot *p = &db->ps[i];
		uint64_t plo, phi;

		if (p->v == NULL)
			return SESSDB_NIL;
		addr_words(&p->addr, &plo, &phi);
		if (p->alen == alen && plo == lo && phi == hi)
			return i;
		i = (i + 1) & m;
	}
}

#endif /* COMMON_ENRICH_SESSDB_INT_H */
