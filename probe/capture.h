/*
 * probe/capture.h -- libpcap input for flowprobe: a live interface or
 * a capture file, an optional BPF filter, and frame delivery.
 *
 * Live capture opens the interface promiscuous (unless asked not to),
 * with a snap length just large enough for the headers pktdecode reads
 * (CAPTURE_SNAPLEN), a kernel ring of CAPTURE_BUFSIZE (or as asked),
 * and non-blocking reads driven by poll() on capture_fd().  Packets
 * come in blocks (libpcap's TPACKET_V3 ring on Linux, not immediate
 * mode): the kernel hands over a block when it is full or
 * CAPTURE_BLOCK_MS after its first packet, so a busy link costs one
 * wakeup per block instead of one per few packets, and a packet reaches flowprobe at most that late (its
 * timestamp is the kernel's; capture_delay_ms() tells the caller how
 * far behind the clock packets may be).  Files are read as fast as the
 * caller asks.  The
 * interface name may carry softflowd's "N:" prefix to set the ifIndex
 * exported as the input interface; otherwise if_nametoindex() is used.
 * Nothing here logs: errors come back as text in the caller's buffer.
 */
#ifndef PROBE_CAPTURE_H
#define PROBE_CAPTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * The deepest link headers pktdecode walks: Ethernet with four tags
 * (30), sixteen MPLS labels (64), a control word and the pseudowire's
 * Ethernet (18), or PPPoE (8) instead of the labels; then IPv6 (40) and
 * a TCP header's flags (14): 166 bytes, so 256 leave room for IPv6
 * extension headers.  Headers cut by the snap length are counted as
 * truncated, never guessed at.
 */
#define CAPTURE_SNAPLEN		256
#define CAPTURE_BLOCK_MS	100	/* live: longest wait in the ring */
/*
 * live: the ring's size unless -B says otherwise.  libpcap's own 2 MiB
 * holds about 80 ms of 200k small packets/s (lo: 100k/s, each seen
 * twice); on a busy 2-core machine flowprobe was descheduled longer
 * than that in 4 of 10 bursts (up to 30k packets dropped), with 8 MiB
 * in none of 10.  It costs up to 6 MiB more resident memory, live only.
 */
#define CAPTURE_BUFSIZE		(8 * 1024 * 1024)

struct capture_conf {
	const char	*iface;		/* borrowed; live capture, or NULL */
	const char	*file;		/* borrowed; capture file, or NULL */
	const char	*filter;	/* borrowed; BPF expression, or NULL */
	bool		 promisc;	/* live only */
	int		 bufsize;	/* live only; bytes, 0: CAPTURE_BUFSIZE */
	int		 snaplen;	/* 0: CAPTURE_SNAPLEN */
};

struct capture_stats {
	uint64_t	received;	/* live: as the kernel reports them */
	uint64_t	dropped;	/* buffer overflow */
	uint64_t	if_dropped;	/* dropped by the interface */
};

/*
 * Called once per frame: time in microseconds since the epoch, caplen
 * bytes captured of wirelen.  frame is borrowed for the call.
 */
typedef void capture_fn(void *arg, uint64_t ts_us, const uint8_t *frame,
	    size_t caplen, size_t wirelen);

struct capture;			/* opaque */

/*
 * Open as conf says (exactly one of iface and file).  Returns NFE_OK,
 * NFE_INVAL (bad filter, both or neither source) or NFE_IO (cannot open
 * the file or the interface), with a message naming the culprit in err.
 */
int	capture_open(const struct capture_conf *conf, struct capture **out,
	    char *err, size_t errlen);
void	capture_close(struct capture *cap);

/* pcap_datalink() of the open capture (PKT_DLT_* in pktdecode.h). */
int	capture_datalink(const struct capture *cap);
const char *capture_datalink_name(const struct capture *cap);
/* ifIndex of the live interface; 0 for files. */
uint32_t capture_ifindex(const struct capture *cap);
bool	capture_is_live(const struct capture *cap);
/* Descriptor to poll for readability (live), or -1. */
int	capture_fd(const struct capture *cap);
/*
 * How long after its timestamp a packet may still be delivered, ms:
 * CAPTURE_BLOCK_MS live, 0 for files.
 */
unsigned capture_delay_ms(const struct capture *cap);

/*
 * Deliver up to max frames (max > 0) to fn.  Returns the number
 * delivered (0: nothing ready now, live), NFE_EOF at the end of a file,
 * or NFE_IO with a message in err.
 */
int	capture_dispatch(struct capture *cap, int max, capture_fn *fn,
	    void *arg, char *err, size_t errlen);

/* Live: kernel counters.  Returns NFE_OK, or NFE_UNSUPP for files. */
int	capture_stats(struct capture *cap, struct capture_stats *st);

#endif /* PROBE_CAPTURE_H */
