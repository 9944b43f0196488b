/*
 * probe/pcapfile.h -- flowprobe's own reader of classic pcap files
 * (pcap-savefile(5): a 24-byte file header, then per packet a 16-byte
 * record header and the captured bytes), for -r.
 *
 * Why not libpcap: libpcap reads a file through stdio, a few KiB per
 * read(2), and copies every record into its packet buffer before the
 * callback sees it.  This reader takes the file in large reads
 * (PCAPFILE_BUFSIZE) and hands out pointers into its own buffer, so a
 * packet's bytes are copied once, by the kernel.  libpcap still opens
 * every file (its checks and messages for the file header stay the
 * same), reads pcapng files and the rare classic variants (see
 * pcapfile_supported), compiles the BPF filter and captures live.
 *
 * Results are libpcap's, record by record: the same packets, times
 * (nanosecond files are cut to microseconds; seconds and fractions are
 * 32-bit fields read as libpcap reads them: signed in a file of the
 * host's byte order, unsigned in the other), lengths (a record
 * longer than the file's snapshot length is cut to it; one longer than
 * PCAPFILE_MAX_CAPLEN is an error), and the same error texts for a
 * file that ends inside a record header or a packet.  tests/t_pcapfile.c
 * holds the reader to libpcap on every variant and truncation.
 *
 * Memory: the buffer, PCAPFILE_BUFSIZE bytes, grown (up to
 * PCAPFILE_MAX_CAPLEN + 16) only for a record that does not fit.
 */
#ifndef PROBE_PCAPFILE_H
#define PROBE_PCAPFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PCAPFILE_HDRLEN		24		/* file header */
#define PCAPFILE_RECLEN		16		/* record header */
#define PCAPFILE_BUFSIZE	(256 * 1024)	/* bytes per read */
/* libpcap's MAXIMUM_SNAPLEN, its limit for every link type we read */
#define PCAPFILE_MAX_CAPLEN	262144

/* File header magic numbers, as read in the file's own byte order. */
#define PCAPFILE_MAGIC_US	0xa1b2c3d4	/* microsecond times */
#define PCAPFILE_MAGIC_NS	0xa1b23c4d	/* nanosecond times */

struct pcapfile_pkt {
	uint64_t	 ts_us;		/* as libpcap's ts: sec * 10^6 + usec */
	const uint8_t	*data;		/* borrowed until the next call */
	uint32_t	 caplen;	/* bytes at data */
	uint32_t	 wirelen;	/* length on the wire */
};

struct pcapfile;		/* opaque */

/*
 * Whether this reader takes a file with these first PCAPFILE_HDRLEN
 * bytes (hdr) and link type (pcap_datalink() of the open file):
 * classic pcap, either byte order, micro- or nanosecond times, version
 * 2.4, a link type flowprobe decodes.  Linux cooked captures written in
 * the other byte order than ours are left to libpcap, which rewrites
 * some of their frames (CAN identifiers).  *bigend (the file's byte
 * order) and *nano describe the file when the answer is true.
 */
bool	pcapfile_supported(const uint8_t hdr[PCAPFILE_HDRLEN], int dlt,
	    bool *bigend, bool *nano);

/*
 * Read records from fd (borrowed; positioned reads, so whoever else
 * holds it is not disturbed), starting after the file header, whose
 * byte order and time unit pcapfile_supported() gave.
 * snapshot is the file's snapshot length as libpcap adjusted it
 * (pcap_snapshot()).  Returns NFE_OK or NFE_NOMEM.
 */
int	pcapfile_open(int fd, bool bigend, bool nano, uint32_t snapshot,
	    struct pcapfile **out);
void	pcapfile_free(struct pcapfile *pf);

/*
 * The next packet.  Returns NFE_OK, NFE_EOF at a clean end of file,
 * NFE_TRUNC (the file ends inside a record), NFE_FORMAT (a record too
 * long to be real) or NFE_IO (read error; errno is set), each error
 * with libpcap's message in err.
 */
int	pcapfile_next(struct pcapfile *pf, struct pcapfile_pkt *pkt,
	    char *err, size_t errlen);

/*
 * Where the reader stands: the number of records read whole, and the
 * file offset of the next one, which after an error is the record the
 * error is about (libpcap's messages name neither).
 */
uint64_t pcapfile_records(const struct pcapfile *pf);
uint64_t pcapfile_offset(const struct pcapfile *pf);

#endif /* PROBE_PCAPFILE_H */
