/*
 * tests/pcapcmp.c -- libpcap and probe/pcapfile side by side over one
 * file (see pcapcmp.h).  Both are stepped together, so a file of any
 * size is compared in constant memory and the first difference is named
 * by packet number.
 */
#include "common/base/compat.h"

#include <errno.h>
#include <pcap/pcap.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "common/base/nferr.h"
#include "probe/pcapfile.h"
#include "tests/pcapcmp.h"

/* libpcap as capture.c opens it; NULL if it refuses (why in eb) */
static pcap_t *
open_libpcap(int fd, char *eb)
{
	FILE *fp;
	pcap_t *p;
	int fd2;

	if (lseek(fd, 0, SEEK_SET) == -1 || (fd2 = dup(fd)) == -1) {
		snprintf(eb, PCAP_ERRBUF_SIZE, "%s", strerror(errno));
		return NULL;
	}
	if ((fp = fdopen(fd2, "rb")) == NULL) {
		snprintf(eb, PCAP_ERRBUF_SIZE, "%s", strerror(errno));
		close(fd2);
		return NULL;
	}
	if ((p = pcap_fopen_offline(fp, eb)) == NULL)
		fclose(fp);
	return p;		/* pcap_close() closes fp */
}

static int
compare(pcap_t *p, struct pcapfile *pf, struct pcapcmp_result *r)
{
	struct pcap_pkthdr *h;
	struct pcapfile_pkt pk;
	const u_char *d;
	char ours[320];
	uint64_t ts;
	int lrc, orc;

	for (;;) {
		lrc = pcap_next_ex(p, &h, &d);
		orc = pcapfile_next(pf, &pk, ours, sizeof(ours));
		if (lrc == 1 && orc == NFE_OK) {
			ts = (uint64_t)h->ts.tv_sec * 1000000 +
			    (uint64_t)h->ts.tv_usec;
			if (ts != pk.ts_us || h->caplen != pk.caplen ||
			    h->len != pk.wirelen ||
			    memcmp(d, pk.data, h->caplen) != 0) {
				snprintf(r->why, sizeof(r->why), "packet %llu: "
				    "libpcap ts %llu caplen %u len %u, ours ts "
				    "%llu caplen %u len %u%s",
				    (unsigned long long)r->packets + 1,
				    (unsigned long long)ts, h->caplen, h->len,
				    (unsigned long long)pk.ts_us, pk.caplen,
				    pk.wirelen, h->caplen == pk.caplen ?
				    " (bytes differ)" : "");
				return PCAPCMP_DIFFER;
			}
			r->packets++;
			continue;
		}
		if (lrc == PCAP_ERROR_BREAK && orc == NFE_EOF) {
			snprintf(r->end, sizeof(r->end), "EOF");
			return PCAPCMP_SAME;
		}
		if (lrc == PCAP_ERROR && orc != NFE_OK && orc != NFE_EOF &&
		    strcmp(pcap_geterr(p), ours) == 0) {
			snprintf(r->end, sizeof(r->end), "%s", ours);
			return PCAPCMP_SAME;
		}
		snprintf(r->why, sizeof(r->why), "after packet %llu: libpcap "
		    "%s, ours %s", (unsigned long long)r->packets,
		    lrc == 1 ? "a packet" : lrc == PCAP_ERROR_BREAK ? "EOF" :
		    pcap_geterr(p), orc == NFE_OK ? "a packet" :
		    orc == NFE_EOF ? "EOF" : ours);
		return PCAPCMP_DIFFER;
	}
}

int
pcapcmp_fd(int fd, struct pcapcmp_result *r)
{
	char eb[PCAP_ERRBUF_SIZE];
	uint8_t hdr[PCAPFILE_HDRLEN];
	struct pcapfile *pf;
	bool be, nano;
	pcap_t *p;

	memset(r, 0, sizeof(*r));
	if ((p = open_libpcap(fd, eb)) == NULL) {
		r->verdict = PCAPCMP_REFUSED;
		snprintf(r->end, sizeof(r->end), "%s", eb);
		return 0;
	}
	if (pread(fd, hdr, sizeof(hdr), 0) != (ssize_t)sizeof(hdr) ||
	    !pcapfile_supported(hdr, pcap_datalink(p), &be, &nano)) {
		r->verdict = PCAPCMP_LIBPCAP;
		pcap_close(p);
		return 0;
	}
	if (pcapfile_open(fd, be, nano, (uint32_t)pcap_snapshot(p), &pf) !=
	    NFE_OK) {
		snprintf(r->why, sizeof(r->why), "out of memory");
		pcap_close(p);
		return -1;
	}
	r->verdict = compare(p, pf, r);
	pcapfile_free(pf);
	pcap_close(p);
	return 0;
}
