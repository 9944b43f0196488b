/*
 * query/xmerge.c -- merging the exporter tables of several input files
 * into one for flowq -w (xmerge.h).
 */
#include "common/base/compat.h"

#include <stdlib.h>
#include <string.h>

#include "common/base/addr.h"
#include "common/prog/xmalloc.h"
#include "query/xmerge.h"

void
xmerge_init(struct xmerge *m)
{
	memset(m, 0, sizeof(*m));
}

void
xmerge_fini(struct xmerge *m)
{
	free(m->x);
	free(m->map);
	memset(m, 0, sizeof(*m));
}

void
xmerge_table(struct xmerge *m, const struct ffile_exporter *x, size_t n)
{
	if (n > m->mapcap) {
		m->map = xreallocarray(m->map, n, sizeof(*m->map));
		m->mapcap = n;
	}
	for (size_t i = m->nmap; i < n; i++)
		m->map[i] = XMERGE_NONE;
	m->nmap = n;
	m->local = x;
}

static bool
same(const struct ffile_exporter *a, const struct ffile_exporter *b)
{
	return addr_eq(&a->addr, &b->addr) && a->port == b->port &&
	    a->version == b->version && a->domain == b->domain;
}

uint16_t
xmerge_index(struct xmerge *m, uint16_t i)
{
	const struct ffile_exporter *e;
	size_t k;

	if (i >= m->nmap)
		return XMERGE_NONE;
	if (m->map[i] != XMERGE_NONE)
		return m->map[i];
	e = &m->local[i];
	for (k = 0; k < m->n; k++)
		if (same(&m->x[k], e))
			break;
	if (k == m->n) {
		if (m->n >= FFILE_MAX_EXPORTERS - 1)
			return XMERGE_NONE;
		if (m->n == m->cap) {
			m->cap = m->cap ? m->cap * 2 : 16;
			m->x = xreallocarray(m->x, m->cap, sizeof(*m->x));
		}
		m->x[m->n] = *e;
		memset(&m->x[m->n].stats, 0, sizeof(m->x[m->n].stats));
		m->n++;
		m->grew = true;
	}
	m->map[i] = (uint16_t)k;
	return m->map[i];
}

void
xmerge_end_file(struct xmerge *m)
{
	for (size_t i = 0; i < m->nmap; i++) {
		const struct ffile_xstats *s;
		struct ffile_xstats *d;

		if (m->map[i] == XMERGE_NONE)
			continue;
		d = &m->x[m->map[i]].stats;
		s = &m->local[i].stats;
		d->datagrams += s->datagrams;
		d->records += s->records;
		d->seq_gaps += s->seq_gaps;
		d->seq_lost += s->seq_lost;
		d->seq_resets += s->seq_resets;
		d->malformed += s->malformed;
		d->no_template += s->no_template;
		d->socket_drops += s->socket_drops;
		d->dropped += s->dropped;
		if (m->x[m->map[i]].sampling == 0)
			m->x[m->map[i]].sampling = m->local[i].sampling;
	}
	m->nmap = 0;
	m->local = NULL;
}
