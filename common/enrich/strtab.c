/*
 * common/enrich/strtab.c -- interned, reference-counted strings
 * (strtab.h).  Open addressing with linear probing over an index of ids;
 * deletion shifts the following cluster back, so no tombstones build up.
 */
#include "common/base/compat.h"

#include <stdlib.h>
#include <string.h>

#include "common/base/nferr.h"
#include "common/enrich/strtab.h"

#define STRTAB_MAX_IDS	(UINT32_C(1) << 31)

uint64_t
strtab_hash(const void *p, size_t len, uint64_t seed)
{
	const uint8_t *b = p;
	uint64_t h = UINT64_C(0xcbf29ce484222325) ^ seed;

	for (size_t i = 0; i < len; i++) {
		h ^= b[i];
		h *= UINT64_C(0x100000001b3);
	}
	/* splitmix64 finaliser: spreads FNV's weak low bits */
	h ^= h >> 30;
	h *= UINT64_C(0xbf58476d1ce4e5b9);
	h ^= h >> 27;
	h *= UINT64_C(0x94d049bb133111eb);
	h ^= h >> 31;
	return h;
}

void
strtab_init(struct strtab *t, size_t max_bytes)
{
	memset(t, 0, sizeof(*t));
	t->nent = 1;
	t->max_bytes = max_bytes;
}

void
strtab_fini(struct strtab *t)
{
	if (t->ent != NULL)
		for (uint32_t i = 1; i < t->nent; i++)
			free(t->ent[i].s);
	free(t->ent);
	free(t->slot);
	memset(t, 0, sizeof(*t));
}

static int
rehash(struct strtab *t, uint32_t nslot)
{
	uint32_t *slot, mask = nslot - 1;

	if ((slot = calloc(nslot, sizeof(*slot))) == NULL)
		return NFE_NOMEM;
	for (uint32_t id = 1; id < t->nent; id++) {
		uint32_t i;

		if (t->ent[id].s == NULL)
			continue;
		i = (uint32_t)t->ent[id].hash & mask;
		while (slot[i] != 0)
			i = (i + 1) & mask;
		slot[i] = id;
	}
	free(t->slot);
	t->slot = slot;
	t->nslot = nslot;
	return NFE_OK;
}

static uint32_t
find(const struct strtab *t, const char *s, size_t len, uint64_t h,
    uint32_t *where)
{
	uint32_t mask = t->nslot - 1, i = (uint32_t)h & mask;

	while (t->slot[i] != 0) {
		const struct strtab_ent *e = &t->ent[t->slot[i]];

		if (e->hash == h && e->len == len && memcmp(e->s, s, len) == 0) {
			*where = i;
			return t->slot[i];
		}
		i = (i + 1) & mask;
	}
	*where = i;
	return 0;
}

int
strtab_intern(struct strtab *t, const char *s, size_t len, uint32_t *id)
{
	uint64_t h;
	uint32_t where, nid;
	char *copy;
	int r;

	*id = 0;
	if (len == 0 || len > STRTAB_MAX_LEN || memchr(s, '\0', len) != NULL)
		return NFE_INVAL;
	h = strtab_hash(s, len, 0);
	if (t->nslot != 0 && (nid = find(t, s, len, h, &where)) != 0) {
		t->ent[nid].refs++;
		*id = nid;
		return NFE_OK;
	}
	if (t->bytes + len + 1 > t->max_bytes || t->live >= STRTAB_MAX_IDS)
		return NFE_LIMIT;
	if ((size_t)(t->live + 1) * 2 > t->nslot &&
	    (r = rehash(t, t->nslot == 0 ? 64 : t->nslot * 2)) != NFE_OK)
		return r;
	if (t->free_head == 0 && t->nent >= t->cap) {
		uint32_t ncap = t->cap == 0 ? 64 : t->cap * 2;
		struct strtab_ent *ne = realloc(t->ent, ncap * sizeof(*ne));

		if (ne == NULL)
			return NFE_NOMEM;
		t->ent = ne;
		t->cap = ncap;
		if (t->nent == 1)
			memset(&t->ent[0], 0, sizeof(t->ent[0]));
	}
	if ((copy = malloc(len + 1)) == NULL)
		return NFE_NOMEM;
	memcpy(copy, s, len);
	copy[len] = '\0';
	if (t->free_head != 0) {
		nid = t->free_head;
		t->free_head = t->ent[nid].refs;
	} else
		nid = t->nent++;
	t->ent[nid].s = copy;
	t->ent[nid].hash = h;
	t->ent[nid].len = (uint32_t)len;
	t->ent[nid].refs = 1;
	(void)find(t, s, len, h, &where);
	t->slot[where] = nid;
	t->live++;
	t->bytes += len + 1;
	*id = nid;
	return NFE_OK;
}

void
strtab_ref(struct strtab *t, uint32_t id)
{
	if (id != 0 && id < t->nent && t->ent[id].s != NULL)
		t->ent[id].refs++;
}

/* Remove slot i and shift the rest of its cluster back (linear probing). */
static void
slot_delete(struct strtab *t, uint32_t i)
{
	uint32_t mask = t->nslot - 1, j = i;

	for (;;) {
		uint32_t home;

		j = (j + 1) & mask;
		if (t->slot[j] == 0)
			break;
		home = (uint32_t)t->ent[t->slot[j]].hash & mask;
		/* move j to i unless its home lies cyclically in (i, j] */
		if (((j - home) & mask) >= ((j - i) & mask)) {
			t->slot[i] = t->slot[j];
			i = j;
		}
	}
	t->slot[i] = 0;
}

void
strtab_unref(struct strtab *t, uint32_t id)
{
	struct strtab_ent *e;
	uint32_t where;

	if (id == 0 || id >= t->nent || t->ent[id].s == NULL)
		return;
	e = &t->ent[id];
	if (--e->refs > 0)
		return;
	if (find(t, e->s, e->len, e->hash, &where) == id)
		slot_delete(t, where);
	t->bytes -= e->len + 1;
	free(e->s);
	e->s = NULL;
	e->refs = t->free_head;
	t->free_head = id;
	t->live--;
}

const char *
strtab_get(const struct strtab *t, uint32_t id)
{
	if (id == 0 || id >= t->nent)
		return NULL;
	return t->ent[id].s;
}

size_t
strtab_mem(const struct strtab *t)
{
	/* malloc rounds each string up to 16 bytes plus 8 of overhead */
	return (size_t)t->cap * sizeof(*t->ent) + (size_t)t->nslot * 4 +
	    t->bytes + (size_t)t->live * 16;
}
