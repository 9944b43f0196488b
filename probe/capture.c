/*
 * probe/capture.c -- libpcap open, filter and read; classic pcap files
 * are read by probe/pcapfile (see capture.h).
 */
#include "common/base/compat.h"

#include <sys/stat.h>

#include <net/if.h>

#include <errno.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/base/nferr.h"
#include "probe/capture.h"
#include "probe/pcapfile.h"

struct capture {
	pcap_t		*p;		/* owned */
	struct pcapfile	*pf;		/* owned; NULL: libpcap reads */
	struct bpf_program prog;	/* owned with pf, if filtering */
	bool		 filtering;	/* prog is set */
	bool		 live;
	uint32_t	 ifindex;
	capture_fn	*fn;		/* during capture_dispatch only */
	void		*arg;
};

/* "N:name" sets the ifIndex; a plain name asks the kernel. */
static const char *
split_iface(const char *spec, uint32_t *ifindex)
{
	const char *colon = strchr(spec, ':');
	unsigned long v;
	char *end;

	if (colon != NULL && colon != spec) {
		errno = 0;
		v = strtoul(spec, &end, 10);
		if (end == colon && errno == 0 && v <= UINT32_MAX) {
			*ifindex = (uint32_t)v;
			return colon + 1;
		}
	}
	*ifindex = if_nametoindex(spec);
	return spec;
}

static int
open_live(const struct capture_conf *c, struct capture *cap, char *err,
    size_t errlen)
{
	char ebuf[PCAP_ERRBUF_SIZE];
	const char *name;
	int rc;

	name = split_iface(c->iface, &cap->ifindex);
	if ((cap->p = pcap_create(name, ebuf)) == NULL) {
		snprintf(err, errlen, "interface %s: %s", name, ebuf);
		return NFE_IO;
	}
	pcap_set_snaplen(cap->p, c->snaplen > 0 ? c->snaplen :
	    CAPTURE_SNAPLEN);
	pcap_set_promisc(cap->p, c->promisc);
	/* blocks, not immediate mode: libpcap then uses TPACKET_V3 */
	pcap_set_immediate_mode(cap->p, 0);
	pcap_set_timeout(cap->p, CAPTURE_BLOCK_MS);
	pcap_set_buffer_size(cap->p, c->bufsize > 0 ? c->bufsize :
	    CAPTURE_BUFSIZE);
	if ((rc = pcap_activate(cap->p)) < 0) {
		const char *why = pcap_geterr(cap->p);

		if (why[0] == '\0' || strstr(why, pcap_statustostr(rc)) != NULL)
			snprintf(err, errlen, "interface %s: %s", name,
			    why[0] != '\0' ? why : pcap_statustostr(rc));
		else
			snprintf(err, errlen, "interface %s: %s: %s", name,
			    pcap_statustostr(rc), why);
		return NFE_IO;
	}
	if (pcap_setnonblock(cap->p, 1, ebuf) == -1) {
		snprintf(err, errlen, "interface %s: %s", name, ebuf);
		return NFE_IO;
	}
	cap->live = true;
	return NFE_OK;
}

/*
 * A classic pcap file named by its path (not "-": stdin may not start
 * at its beginning) goes to our reader; anything else stays with
 * libpcap, which has checked the file header either way.
 */
static void
use_pcapfile(struct capture *cap, const char *path)
{
	uint8_t hdr[PCAPFILE_HDRLEN];
	struct stat st;
	FILE *fp;
	bool bigend, nano;
	int fd;

	if (strcmp(path, "-") == 0 || (fp = pcap_file(cap->p)) == NULL ||
	    (fd = fileno(fp)) == -1 || fstat(fd, &st) == -1 ||
	    !S_ISREG(st.st_mode) ||
	    pread(fd, hdr, sizeof(hdr), 0) != (ssize_t)sizeof(hdr) ||
	    !pcapfile_supported(hdr, pcap_datalink(cap->p), &bigend, &nano))
		return;
	/* out of memory: libpcap reads instead */
	pcapfile_open(fd, bigend, nano, (uint32_t)pcap_snapshot(cap->p),
	    &cap->pf);
}

int
capture_open(const struct capture_conf *c, struct capture **out, char *err,
    size_t errlen)
{
	char ebuf[PCAP_ERRBUF_SIZE];
	struct bpf_program prog;
	struct capture *cap;
	int rc;

	*out = NULL;
	if ((c->iface == NULL) == (c->file == NULL)) {
		snprintf(err, errlen, "give exactly one of -i and -r");
		return NFE_INVAL;
	}
	if ((cap = calloc(1, sizeof(*cap))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NFE_NOMEM;
	}
	if (c->file != NULL) {
		if ((cap->p = pcap_open_offline(c->file, ebuf)) == NULL) {
			if (strstr(ebuf, c->file) != NULL)
				snprintf(err, errlen, "%s", ebuf);
			else
				snprintf(err, errlen, "%s: %s", c->file, ebuf);
			free(cap);
			return NFE_IO;
		}
		use_pcapfile(cap, c->file);
	} else if ((rc = open_live(c, cap, err, errlen)) != NFE_OK) {
		capture_close(cap);
		return rc;
	}
	if (c->filter != NULL && c->filter[0] != '\0') {
		if (pcap_compile(cap->p, &prog, c->filter, 1,
		    PCAP_NETMASK_UNKNOWN) == -1) {
			snprintf(err, errlen, "filter \"%s\": %s", c->filter,
			    pcap_geterr(cap->p));
			capture_close(cap);
			return NFE_INVAL;
		}
		rc = pcap_setfilter(cap->p, &prog);
		if (rc == -1) {
			snprintf(err, errlen, "filter \"%s\": %s", c->filter,
			    pcap_geterr(cap->p));
			pcap_freecode(&prog);
			capture_close(cap);
			return NFE_INVAL;
		}
		if (cap->pf != NULL) {
			cap->prog = prog;	/* pcap_offline_filter's */
			cap->filtering = true;
		} else
			pcap_freecode(&prog);
	}
	*out = cap;
	return NFE_OK;
}

void
capture_close(struct capture *cap)
{
	if (cap == NULL)
		return;
	if (cap->filtering)
		pcap_freecode(&cap->prog);
	pcapfile_free(cap->pf);
	if (cap->p != NULL)
		pcap_close(cap->p);
	free(cap);
}

int
capture_datalink(const struct capture *cap)
{
	return pcap_datalink(cap->p);
}

const char *
capture_datalink_name(const struct capture *cap)
{
	const char *n = pcap_datalink_val_to_name(pcap_datalink(cap->p));

	return n != NULL ? n : "unknown";
}

uint32_t
capture_ifindex(const struct capture *cap)
{
	return cap->ifindex;
}

bool
capture_is_live(const struct capture *cap)
{
	return cap->live;
}

int
capture_fd(const struct capture *cap)
{
	return cap->live ? pcap_get_selectable_fd(cap->p) : -1;
}

unsigned
capture_delay_ms(const struct capture *cap)
{
	return cap->live ? CAPTURE_BLOCK_MS : 0;
}

static void
on_frame(u_char *user, const struct pcap_pkthdr *h, const u_char *bytes)
{
	struct capture *cap = (struct capture *)user;
	uint64_t ts;

	ts = (uint64_t)h->ts.tv_sec * 1000000 + (uint64_t)h->ts.tv_usec;
	cap->fn(cap->arg, ts, bytes, h->caplen, h->len);
}

/* As pcap_dispatch() on a file: filtered-out packets do not count. */
static int
dispatch_pcapfile(struct capture *cap, int max, capture_fn *fn, void *arg,
    char *err, size_t errlen)
{
	struct pcapfile_pkt pk;
	struct pcap_pkthdr h;
	char msg[256];
	int n = 0, rc;

	while (n < max) {
		rc = pcapfile_next(cap->pf, &pk, msg, sizeof(msg));
		if (rc == NFE_EOF)
			return n > 0 ? n : NFE_EOF;
		if (rc != NFE_OK) {
			/* libpcap's text, and which record it is about */
			snprintf(err, errlen, "capture: record %llu at offset "
			    "%llu: %s", (unsigned long long)
			    pcapfile_records(cap->pf) + 1, (unsigned long long)
			    pcapfile_offset(cap->pf), msg);
			return NFE_IO;
		}
		if (cap->filtering) {
			memset(&h, 0, sizeof(h));
			h.caplen = pk.caplen;
			h.len = pk.wirelen;
			if (pcap_offline_filter(&cap->prog, &h, pk.data) == 0)
				continue;
		}
		fn(arg, pk.ts_us, pk.data, pk.caplen, pk.wirelen);
		n++;
	}
	return n;
}

int
capture_dispatch(struct capture *cap, int max, capture_fn *fn, void *arg,
    char *err, size_t errlen)
{
	int n;

	if (cap->pf != NULL)
		return dispatch_pcapfile(cap, max, fn, arg, err, errlen);
	cap->fn = fn;
	cap->arg = arg;
	n = pcap_dispatch(cap->p, max, on_frame, (u_char *)cap);
	if (n == PCAP_ERROR) {
		snprintf(err, errlen, "capture: %s", pcap_geterr(cap->p));
		return NFE_IO;
	}
	if (n == PCAP_ERROR_BREAK)
		return 0;
	if (n == 0 && !cap->live)
		return NFE_EOF;
	return n;
}

int
capture_stats(struct capture *cap, struct capture_stats *st)
{
	struct pcap_stat ps;

	memset(st, 0, sizeof(*st));
	if (!cap->live || pcap_stats(cap->p, &ps) == -1)
		return NFE_UNSUPP;
	st->received = ps.ps_recv;
	st->dropped = ps.ps_drop;
	st->if_dropped = ps.ps_ifdrop;
	return NFE_OK;
}
