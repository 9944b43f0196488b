/*
 * collector/listen.h -- flowcapd's UDP sockets: IPv4 and IPv6, a
 * receive buffer size, the kernel's drop counter (SO_RXQ_OVFL), and
 * batched reception with recvmmsg(2) that reports each datagram's
 * source address and port.
 *
 * With no bind address one dual-stack IPv6 socket (IPV6_V6ONLY off)
 * receives both families; if the host has no IPv6, an IPv4 socket is
 * opened instead.  Up to LISTEN_MAX_ADDRS explicit addresses may be
 * given, on the main port and on a second one (--sflow-port); every
 * datagram is told by its first bytes, whichever port it came on.  Receive times are taken once per batch (time_now_ms), which
 * is exact enough for flow files whose clock is the exporter's.
 */
#ifndef COLLECTOR_LISTEN_H
#define COLLECTOR_LISTEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/base/addr.h"

#define LISTEN_MAX_WORKERS	64	/* -W: sockets per address and port */
#define LISTEN_MAX_ADDRS	4	/* -b addresses */
#define LISTEN_MAX_SOCKS	(2 * LISTEN_MAX_ADDRS)	/* two ports */
#define LISTEN_BATCH		32	/* datagrams per recvmmsg call */
#define LISTEN_MAX_DGRAM	65535	/* largest UDP payload */

/* The sockets one thread reads (a worker's share with -W). */
struct listener {
	int		 fd[LISTEN_MAX_SOCKS];
	size_t		 nfd;
	uint16_t	 port;		/* bound port (useful with port 0) */
	uint16_t	 port2;		/* listen_add_port's bound port, 0 none */
	int		 steer_err;	/* l[0] of several: errno of a group
					   the steering program could not be
					   attached to; 0 all steered */
	uint32_t	 kdrops_last[LISTEN_MAX_SOCKS]; /* SO_RXQ_OVFL seen */
	uint32_t	 drops_last[LISTEN_MAX_SOCKS];	/* SO_MEMINFO seen */
	uint64_t	 drops_total;	/* kernel drops, all sockets */
};

/* One received datagram; data is borrowed from the batch. */
struct listen_msg {
	const uint8_t	*data;
	size_t		 len;
	struct nf_addr	 src;
	uint16_t	 sport;
	bool		 truncated;	/* larger than LISTEN_MAX_DGRAM */
};

struct listen_batch {
	struct listen_msg msg[LISTEN_BATCH];
	size_t		 n;
	uint64_t	 recv_ms;	/* arrival time of the batch, UTC ms */
	uint64_t	 kdrops;	/* new kernel drops since the last batch */
	void		*priv;		/* owned: buffers and headers */
};

/*
 * Open sockets bound to each of addrs[0..naddrs-1] (numeric IPv4 or
 * IPv6; naddrs 0 means both families on the wildcard address) on port,
 * nworkers (1..LISTEN_MAX_WORKERS) of each: l is an array of nworkers
 * listeners, l[i] worker i's sockets.  rcvbuf > 0 sets SO_RCVBUF
 * (SO_RCVBUFFORCE is tried first, so root may exceed rmem_max;
 * otherwise the kernel silently caps the size at net.core.rmem_max:
 * compare listen_rcvbuf()).  Sockets are non-blocking; a port another
 * socket has bound fails with EADDRINUSE.  Several workers' sockets on
 * one address share it through SO_REUSEPORT, steered by exporter
 * (collector/steer.h; l[0].steer_err says if the kernel refused the
 * program).  Returns NFE_OK, or NFE_INVAL / NFE_IO with a message in
 * err (and errno set for NFE_IO).
 */
int	listen_open(struct listener *l, size_t nworkers,
	    const char *const *addrs, size_t naddrs, uint16_t port,
	    int rcvbuf, char *err, size_t errlen);
/*
 * Open sockets on a second port, on the same addresses (sFlow's own
 * port), nworkers of each as listen_open did; port 0 picks a free one.
 * Its bound port goes to port2.  Returns as listen_open; on failure
 * the first port's sockets stay.
 */
int	listen_add_port(struct listener *l, size_t nworkers,
	    const char *const *addrs, size_t naddrs, uint16_t port,
	    int rcvbuf, const char *opt, char *err, size_t errlen);
void	listen_close(struct listener *l, size_t nworkers);

/*
 * Receive buffer granted on the first socket, in the units of a
 * request: SO_RCVBUF halved, since the kernel doubles what it grants
 * to leave room for its bookkeeping.  Asking n gives n, or
 * net.core.rmem_max when n was capped.
 */
int	listen_rcvbuf(const struct listener *l);

/*
 * Datagrams the kernel dropped on all sockets since they were opened
 * (socket buffer full), read now with SO_MEMINFO.  Returns NFE_OK, or
 * NFE_UNSUPP on a kernel without SO_MEMINFO (use the SO_RXQ_OVFL
 * counts of listen_recv instead).  Call from one thread only.
 */
int	listen_drops(struct listener *l, uint64_t *total);

int	listen_batch_init(struct listen_batch *b);
void	listen_batch_fini(struct listen_batch *b);

/*
 * Receive up to LISTEN_BATCH datagrams from socket i without waiting.
 * Returns the number received (0 if none is pending), or NFE_IO.
 */
int	listen_recv(struct listener *l, size_t i, struct listen_batch *b);

/*
 * Wait up to timeout_ms for any socket to become readable.  Returns a
 * bit mask of readable sockets (bit i for fd[i]), 0 on timeout or
 * interruption.
 */
unsigned listen_wait(const struct listener *l, int timeout_ms);

#endif /* COLLECTOR_LISTEN_H */
