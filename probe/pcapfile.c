/*
 * probe/pcapfile.c -- classic pcap records in large reads (see
 * pcapfile.h).  Record layout (pcap-savefile(5)): seconds, microseconds
 * or nanoseconds, captured length, length on the wire, 32 bits each in
 * the file's byte order, then the captured bytes.
 */
#include "common/base/compat.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/base/buf.h"
#include "common/base/nferr.h"
#include "probe/pcapfile.h"
#include "common/pkt/pktdecode.h"

struct pcapfile {
	int		 fd;		/* borrowed */
	bool		 swapped_for_host; /* the file's byte order is not
					   ours (libpcap's "swapped") */
	bool		 nano;
	bool		 eof;		/* read(2) said so */
	uint32_t	 snapshot;
	uint64_t	 foff;		/* file offset of buf[len] */
	uint64_t	 nrec;		/* records returned */
	uint8_t		*buf;		/* owned; bufsize bytes */
	size_t		 bufsize;
	size_t		 off, len;	/* unread bytes: buf[off..len) */
};

static bool
host_is_big_endian(void)
{
	const uint16_t one = 1;
	uint8_t first;

	memcpy(&first, &one, 1);
	return first == 0;
}

bool
pcapfile_supported(const uint8_t hdr[PCAPFILE_HDRLEN], int dlt,
    bool *bigend, bool *nano)
{
	struct rbuf r;
	uint32_t magic;
	uint16_t major, minor;
	bool be;

	rbuf_init(&r, hdr, PCAPFILE_HDRLEN);
	magic = rbuf_le32(&r);
	if (magic == PCAPFILE_MAGIC_US || magic == PCAPFILE_MAGIC_NS)
		be = false;
	else if (__builtin_bswap32(magic) == PCAPFILE_MAGIC_US ||
	    __builtin_bswap32(magic) == PCAPFILE_MAGIC_NS)
		be = true;
	else
		return false;
	major = be ? rbuf_be16(&r) : rbuf_le16(&r);
	minor = be ? rbuf_be16(&r) : rbuf_le16(&r);
	/* 2.3 and older may have caplen and len swapped: libpcap's job */
	if (major != 2 || minor != 4)
		return false;
	if (!pktdecode_dlt_supported(dlt))
		return false;
	/*
	 * libpcap rewrites SocketCAN identifiers in cooked captures
	 * written in the other byte order than ours.
	 */
	if (be != host_is_big_endian() && (dlt == PKT_DLT_LINUX_SLL ||
	    dlt == PKT_DLT_LINUX_SLL2))
		return false;
	*bigend = be;
	*nano = (be ? __builtin_bswap32(magic) : magic) == PCAPFILE_MAGIC_NS;
	return true;
}

int
pcapfile_open(int fd, bool bigend, bool nano, uint32_t snapshot,
    struct pcapfile **out)
{
	struct pcapfile *pf;

	*out = NULL;
	if ((pf = calloc(1, sizeof(*pf))) == NULL)
		return NFE_NOMEM;
	if ((pf->buf = malloc(PCAPFILE_BUFSIZE)) == NULL) {
		free(pf);
		return NFE_NOMEM;
	}
	pf->bufsize = PCAPFILE_BUFSIZE;
	pf->fd = fd;
	pf->swapped_for_host = bigend != host_is_big_endian();
	pf->nano = nano;
	pf->snapshot = snapshot;
	pf->foff = PCAPFILE_HDRLEN;
	*out = pf;
	return NFE_OK;
}

void
pcapfile_free(struct pcapfile *pf)
{
	if (pf == NULL)
		return;
	free(pf->buf);
	free(pf);
}

/*
 * Make at least want unread bytes available, unless the file ends
 * first.  Returns NFE_OK (check len - off for what came), NFE_NOMEM or
 * NFE_IO.
 */
static int
fill(struct pcapfile *pf, size_t want)
{
	uint8_t *nb;
	ssize_t n;

	if (pf->len - pf->off >= want || pf->eof)
		return NFE_OK;
	if (pf->off > 0) {
		memmove(pf->buf, pf->buf + pf->off, pf->len - pf->off);
		pf->len -= pf->off;
		pf->off = 0;
	}
	if (want > pf->bufsize) {
		if ((nb = realloc(pf->buf, want)) == NULL)
			return NFE_NOMEM;
		pf->buf = nb;
		pf->bufsize = want;
	}
	while (pf->len < want) {
		n = pread(pf->fd, pf->buf + pf->len, pf->bufsize - pf->len,
		    (off_t)pf->foff);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			return NFE_IO;
		if (n == 0) {
			pf->eof = true;
			break;
		}
		pf->len += (size_t)n;
		pf->foff += (uint64_t)n;
	}
	return NFE_OK;
}

static int
fill_err(int rc, char *err, size_t errlen)
{
	if (rc == NFE_IO)
		snprintf(err, errlen, "error reading dump file: %s",
		    strerror(errno));
	else
		snprintf(err, errlen, "out of memory");
	return rc;
}

int
pcapfile_next(struct pcapfile *pf, struct pcapfile_pkt *pkt, char *err,
    size_t errlen)
{
	struct rbuf r;
	uint32_t h[PCAPFILE_RECLEN / 4], caplen, wirelen, keep;
	int32_t sec, frac;
	size_t have = pf->len - pf->off;
	int rc;

	/* the usual case, a whole record in the buffer, reads nothing */
	if (have < PCAPFILE_RECLEN) {
		if ((rc = fill(pf, PCAPFILE_RECLEN)) != NFE_OK)
			return fill_err(rc, err, errlen);
		have = pf->len - pf->off;
		if (have == 0)
			return NFE_EOF;
		if (have < PCAPFILE_RECLEN) {
			snprintf(err, errlen, "truncated dump file; tried to "
			    "read %d header bytes, only got %zu",
			    PCAPFILE_RECLEN, have);
			return NFE_TRUNC;
		}
	}
	rbuf_init(&r, pf->buf + pf->off, have);
	/* the four header fields in one copy, swapped if the file's
	   byte order is not ours (have >= PCAPFILE_RECLEN) */
	rbuf_bytes(&r, h, sizeof(h));
	if (pf->swapped_for_host)
		for (size_t i = 0; i < NF_NELEM(h); i++)
			h[i] = __builtin_bswap32(h[i]);
	sec = (int32_t)h[0];
	frac = (int32_t)h[1];
	caplen = h[2];
	wirelen = h[3];
	if (caplen > PCAPFILE_MAX_CAPLEN) {
		if (caplen > pf->snapshot)
			snprintf(err, errlen, "invalid packet capture length "
			    "%u, bigger than snaplen of %u", caplen,
			    pf->snapshot);
		else
			snprintf(err, errlen, "invalid packet capture length "
			    "%u, bigger than maximum of %u", caplen,
			    PCAPFILE_MAX_CAPLEN);
		return NFE_FORMAT;
	}
	/* libpcap keeps the first snapshot bytes of a longer record */
	keep = caplen > pf->snapshot ? pf->snapshot : caplen;
	if (rbuf_remaining(&r) < caplen) {
		if ((rc = fill(pf, PCAPFILE_RECLEN + (size_t)caplen)) != NFE_OK)
			return fill_err(rc, err, errlen);
		have = pf->len - pf->off - PCAPFILE_RECLEN;
		if (have < caplen) {
			snprintf(err, errlen, "truncated dump file; tried to "
			    "read %u captured bytes, only got %zu", have < keep ?
			    keep : caplen, have);
			return NFE_TRUNC;
		}
		/* fill() moved the record: read past its header again */
		rbuf_init(&r, pf->buf + pf->off, PCAPFILE_RECLEN +
		    (size_t)caplen);
		rbuf_skip(&r, PCAPFILE_RECLEN);
	}
	/*
	 * libpcap's time fields are signed 32-bit (struct pcap_timeval),
	 * and nanoseconds become microseconds by division, as it does:
	 * signed in a file of our byte order, unsigned in a swapped one.
	 */
	if (pf->swapped_for_host) {
		/* libpcap byte-swaps into unsigned values instead */
		pkt->ts_us = (uint64_t)(uint32_t)sec * 1000000 +
		    (pf->nano ? (uint32_t)frac / 1000 : (uint32_t)frac);
	} else {
		if (pf->nano)
			frac /= 1000;
		pkt->ts_us = (uint64_t)((int64_t)sec * 1000000 + frac);
	}
	pkt->data = rbuf_ptr(&r);
	pkt->caplen = keep;
	pkt->wirelen = wirelen;
	pf->off += PCAPFILE_RECLEN + (size_t)caplen;
	pf->nrec++;
	return NFE_OK;
}

uint64_t
pcapfile_records(const struct pcapfile *pf)
{
	return pf->nrec;
}

uint64_t
pcapfile_offset(const struct pcapfile *pf)
{
	return pf->foff - (pf->len - pf->off);
}
