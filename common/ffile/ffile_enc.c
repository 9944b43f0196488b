/*
 * common/ffile/ffile_enc.c -- the writer's fixed sections as bytes
 * (flowkit-file(5)): file header, exporter table, trailer and footer,
 * and the totals they carry.  Pure encoding into caller-owned or
 * malloc'd buffers, all through wbuf; plus the one write loop every
 * writer of flow files uses.  Blocks are encoded in ffile_write.c,
 * next to the column buffers they come from.
 */
#include "common/base/compat.h"

#include <sys/types.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/base/buf.h"
#include "common/base/nferr.h"
#include "common/ffile/crc32c.h"
#include "common/ffile/fcol.h"
#include "common/ffile/ffile.h"
#include "common/ffile/ffile_int.h"

int
ffile_pwrite_all(int fd, const void *p, size_t len, uint64_t off)
{
	const uint8_t *q = p;
	ssize_t r;

	while (len > 0) {
		r = pwrite(fd, q, len, (off_t)off);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return NFE_IO;
		}
		if (r == 0) {
			errno = ENOSPC;
			return NFE_IO;
		}
		q += r;
		len -= (size_t)r;
		off += (uint64_t)r;
	}
	return NFE_OK;
}

static uint64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

size_t
ffile_enc_header(const struct ffile_wopts *o, uint8_t buf[FF_HDR_BUF])
{
	struct wbuf b;
	size_t il;
	const char *ident = o->ident != NULL ? o->ident : "";

	il = strlen(ident);
	if (il > FFILE_IDENT_MAX)
		il = FFILE_IDENT_MAX;
	wbuf_init(&b, buf, FF_HDR_BUF);
	wbuf_bytes(&b, FF_MAGIC, FF_MAGIC_LEN);
	wbuf_le16(&b, FFILE_MAJOR);
	wbuf_le16(&b, FFILE_MINOR);
	wbuf_le32(&b, (uint32_t)(FF_HDR_FIXED + il + 4));
	wbuf_le64(&b, o->created_ms != 0 ? o->created_ms : now_ms());
	wbuf_u8(&b, (uint8_t)o->codec);
	wbuf_u8(&b, (uint8_t)o->level);
	wbuf_le16(&b, (uint16_t)il);
	wbuf_le32(&b, o->block_recs);
	wbuf_bytes(&b, ident, il);
	wbuf_le32(&b, crc32c(0, buf, wbuf_len(&b)));
	return wbuf_ok(&b) ? wbuf_len(&b) : 0;
}

static unsigned
proto_class(uint8_t p)
{
	switch (p) {
	case 6:
		return FFILE_P_TCP;
	case 17:
		return FFILE_P_UDP;
	case 1:
	case 58:
		return FFILE_P_ICMP;
	default:
		return FFILE_P_OTHER;
	}
}

void
ffile_totals_add(struct ffile_totals *t, const struct fcol *c)
{
	struct ffile_ptotals *p;
	uint64_t f;

	for (size_t i = 0; i < c->n; i++) {
		f = c->flows[i];
		p = &t->proto[proto_class(c->proto[i])];
		t->flows += f;
		t->packets += c->packets[i];
		t->bytes += c->bytes[i];
		p->flows += f;
		p->packets += c->packets[i];
		p->bytes += c->bytes[i];
		if (t->records == 0 && i == 0) {
			t->first_ms = c->first_ms[i];
			t->last_ms = c->last_ms[i];
		}
		if (c->first_ms[i] < t->first_ms)
			t->first_ms = c->first_ms[i];
		if (c->last_ms[i] > t->last_ms)
			t->last_ms = c->last_ms[i];
	}
	t->records += c->n;
}

void
ffile_totals_merge(struct ffile_totals *t, const struct ffile_totals *add)
{
	if (add->records == 0)
		return;
	if (t->records == 0 || add->first_ms < t->first_ms)
		t->first_ms = add->first_ms;
	if (t->records == 0 || add->last_ms > t->last_ms)
		t->last_ms = add->last_ms;
	t->records += add->records;
	t->flows += add->flows;
	t->packets += add->packets;
	t->bytes += add->bytes;
	for (int i = 0; i < FFILE_NPROTO; i++) {
		t->proto[i].flows += add->proto[i].flows;
		t->proto[i].packets += add->proto[i].packets;
		t->proto[i].bytes += add->proto[i].bytes;
	}
}

int
ffile_enc_exporters(const struct ffile_exporter *x, size_t n, uint8_t **out,
    size_t *len)
{
	struct wbuf b;
	size_t sz = FF_EXP_FIXED + n * FF_EXP_ENTRY_LEN + 4;
	uint8_t *p;

	*out = NULL;
	*len = 0;
	if ((p = malloc(sz)) == NULL)
		return NFE_NOMEM;
	wbuf_init(&b, p, sz);
	wbuf_bytes(&b, FF_EXP_MAGIC, 4);
	wbuf_le32(&b, (uint32_t)sz);
	wbuf_le32(&b, (uint32_t)n);
	wbuf_le16(&b, FF_EXP_ENTRY_LEN);
	wbuf_le16(&b, 0);
	for (size_t i = 0; i < n; i++) {
		const struct ffile_xstats *s = &x[i].stats;

		wbuf_bytes(&b, x[i].addr.a, 16);
		wbuf_le16(&b, x[i].port);
		wbuf_le16(&b, x[i].version);
		wbuf_le32(&b, x[i].domain);
		wbuf_le32(&b, x[i].sampling);
		wbuf_le32(&b, 0);
		wbuf_le64(&b, s->datagrams);
		wbuf_le64(&b, s->records);
		wbuf_le64(&b, s->seq_gaps);
		wbuf_le64(&b, s->seq_lost);
		wbuf_le64(&b, s->seq_resets);
		wbuf_le64(&b, s->malformed);
		wbuf_le64(&b, s->no_template);
		wbuf_le64(&b, s->socket_drops);
		wbuf_le64(&b, s->dropped);
	}
	wbuf_le32(&b, crc32c(0, p, wbuf_len(&b)));
	if (!wbuf_ok(&b) || wbuf_len(&b) != sz) {
		free(p);
		return NFE_INTERNAL;
	}
	*out = p;
	*len = sz;
	return NFE_OK;
}

int
ffile_enc_trailer(const struct ffile_totals *t, uint64_t exp_off,
    const struct ffile_blockmeta *idx, size_t nidx, uint64_t trailer_off,
    uint8_t **out, size_t *len)
{
	struct wbuf b;
	size_t tl = FF_TRL_FIXED + nidx * FF_IDX_ENTRY_LEN + 4;
	size_t sz = tl + FF_FOOTER_LEN;
	uint8_t *p;

	*out = NULL;
	*len = 0;
	if ((p = malloc(sz)) == NULL)
		return NFE_NOMEM;
	wbuf_init(&b, p, sz);
	wbuf_bytes(&b, FF_TRAILER_MAGIC, 4);
	wbuf_le32(&b, (uint32_t)tl);
	wbuf_le64(&b, t->records);
	wbuf_le64(&b, t->flows);
	wbuf_le64(&b, t->packets);
	wbuf_le64(&b, t->bytes);
	for (int i = 0; i < FFILE_NPROTO; i++) {
		wbuf_le64(&b, t->proto[i].flows);
		wbuf_le64(&b, t->proto[i].packets);
		wbuf_le64(&b, t->proto[i].bytes);
	}
	wbuf_le64(&b, t->first_ms);
	wbuf_le64(&b, t->last_ms);
	wbuf_le64(&b, exp_off);
	wbuf_le32(&b, (uint32_t)nidx);
	wbuf_le32(&b, FF_IDX_ENTRY_LEN);
	for (size_t i = 0; i < nidx; i++) {
		wbuf_le64(&b, idx[i].offset);
		wbuf_le32(&b, idx[i].length);
		wbuf_le32(&b, idx[i].nrec);
		wbuf_le64(&b, idx[i].min_first_ms);
		wbuf_le64(&b, idx[i].max_last_ms);
		wbuf_le32(&b, idx[i].idx_pos);
		wbuf_le32(&b, idx[i].idx_len);
		wbuf_le32(&b, idx[i].idx_crc);
		wbuf_le32(&b, 0);
	}
	wbuf_le32(&b, crc32c(0, p, wbuf_len(&b)));
	wbuf_le64(&b, trailer_off);
	wbuf_le32(&b, (uint32_t)tl);
	wbuf_bytes(&b, FF_FOOTER_MAGIC, 4);
	if (!wbuf_ok(&b) || wbuf_len(&b) != sz) {
		free(p);
		return NFE_INTERNAL;
	}
	*out = p;
	*len = sz;
	return NFE_OK;
}
