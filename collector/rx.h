/*
 * collector/rx.h -- flowcapd's receive thread: waits on the sockets,
 * takes batches with recvmmsg, drops sources outside -A, and copies
 * every datagram into the bounded queue.  It never touches a file, a
 * decoder or a lock other than the queue's wake-up.
 */
#ifndef COLLECTOR_RX_H
#define COLLECTOR_RX_H

#include <stdatomic.h>
#include <stddef.h>

#include "collector/collect.h"
#include "collector/dgq.h"
#include "collector/listen.h"
#include "common/addr.h"
#include "common/log.h"

#define RX_MAX_ACL	64	/* -A prefixes */

struct rx {
	struct listener	*l;		/* borrowed */
	struct dgq	*q;		/* borrowed */
	struct rx_counters *cnt;	/* borrowed */
	const struct nf_prefix *acl;	/* borrowed; nacl 0: accept all */
	size_t		 nacl;
	atomic_int	 stop;
	struct log_rl	 rl;
};

/* Thread body: arg is a struct rx; returns when rx->stop is set. */
void	*rx_main(void *arg);

/* True if src is accepted by the -A list (an empty list accepts all). */
bool	rx_allowed(const struct nf_prefix *acl, size_t nacl,
	    const struct nf_addr *src);

#endif /* COLLECTOR_RX_H */
