/*
 * collector/rx.h -- flowcapd's receive thread: waits on the sockets,
 * takes batches with recvmmsg, drops sources outside -A, and copies
 * every datagram into the bounded queue.  It never touches a file, a
 * decoder or a lock other than the queue's wake-up, and never waits
 * for the queue: a datagram that does not fit is dropped and counted
 * there (queue drops).
 *
 * Scheduling: the decode/write thread may use a whole CPU for
 * milliseconds at a time (a block to compress, a file to close), and a
 * normal-priority receive thread sharing that CPU waits for the end of
 * its time slice while the socket buffer overflows.  So the receive
 * thread runs SCHED_FIFO at the lowest real-time priority where that
 * is allowed (root or CAP_SYS_NICE): it preempts the decoder as soon
 * as a datagram arrives, and since it only copies, it takes little
 * CPU (the kernel's real-time throttling still leaves 5% to others
 * under a flood); it naps briefly between rounds so that it takes
 * datagrams in batches rather than preempting the decoder for each
 * (rx.c).  Elsewhere it runs at normal priority and the socket buffer
 * absorbs the decoder's time slices.
 */
#ifndef COLLECTOR_RX_H
#define COLLECTOR_RX_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "collector/dgq.h"
#include "collector/listen.h"
#include "common/base/addr.h"
#include "common/prog/log.h"

#define RX_MAX_ACL	64	/* -A prefixes */
#define RX_RT_PRIORITY	1	/* SCHED_FIFO priority, the lowest */
#define RX_NAP_MAX_US	500	/* real-time thread's nap between rounds */

/*
 * What the receive thread counts: written there, read by the
 * decode/write thread (statistics, loss reports) without a lock.
 */
struct rx_counters {
	_Atomic uint64_t datagrams;	/* received */
	_Atomic uint64_t kdrops;	/* kernel drops (SO_RXQ_OVFL) */
	_Atomic uint64_t refused;	/* source outside -A */
	_Atomic uint64_t oversize;	/* truncated by the receive buffer */
};

struct rx {
	struct listener	*l;		/* borrowed */
	struct dgq	*q;		/* borrowed */
	struct rx_counters *cnt;	/* borrowed */
	const struct nf_prefix *acl;	/* borrowed; nacl 0: accept all */
	size_t		 nacl;
	atomic_int	 stop;
	bool		 meminfo;	/* kernel drops read with SO_MEMINFO */
	long		 nap_us;	/* pause after a round (real-time only) */
	struct log_rl	 rl;
};

/*
 * Start the thread (l, q, cnt, acl and nacl must be set), with every
 * signal blocked in it.  *realtime tells whether it got SCHED_FIFO.
 * Returns NFE_OK or NFE_IO.
 */
int	rx_start(struct rx *rx, pthread_t *th, bool *realtime);

/* Stop it after it has taken what the sockets hold, and join it. */
void	rx_stop(struct rx *rx, pthread_t th);

/* True if src is accepted by the -A list (an empty list accepts all). */
bool	rx_allowed(const struct nf_prefix *acl, size_t nacl,
	    const struct nf_addr *src);

#endif /* COLLECTOR_RX_H */
