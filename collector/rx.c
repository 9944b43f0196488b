/*
 * collector/rx.c -- the receive thread (see rx.h).
 *
 * Each wake-up drains every readable socket in batches of
 * LISTEN_BATCH, up to RX_MAX_BATCHES per socket before looking at the
 * others, and publishes each batch with one dgq_commit.  After each
 * round the kernel's drop counter is read (SO_MEMINFO), so drops at
 * the end of a burst are counted even when nothing follows them.
 *
 * A real-time thread naps after a round that found datagrams (unless
 * it stopped at RX_MAX_BATCHES with more waiting): woken for every
 * datagram, it would preempt the decoder thousands of times a second
 * and take the CPU the decoder needs (measured: queue drops at 2.4M
 * flows/s on one CPU without the nap, none with it).  The nap is
 * rcvbuf / 8192 microseconds, at most RX_NAP_MAX_US: a small share
 * of the time a full-speed stream takes to fill the socket buffer.
 */
#include "common/base/compat.h"

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <time.h>

#include "collector/rx.h"
#include "common/base/nferr.h"
#include "common/base/timeutil.h"

#define RX_MAX_BATCHES	64

bool
rx_allowed(const struct nf_prefix *acl, size_t nacl, const struct nf_addr *src)
{
	if (nacl == 0)
		return true;
	for (size_t i = 0; i < nacl; i++)
		if (prefix_match(&acl[i], src))
			return true;
	return false;
}

static void
take_batch(struct rx *rx, const struct listen_batch *b)
{
	char abuf[ADDR_STRLEN];

	for (size_t k = 0; k < b->n; k++) {
		const struct listen_msg *m = &b->msg[k];

		if (!rx_allowed(rx->acl, rx->nacl, &m->src)) {
			atomic_fetch_add(&rx->cnt->refused, 1);
			if (log_ratelimit(&rx->rl, time_mono_ms()))
				log_msg(LOG_WARNING, "%s port %u: not in -A: "
				    "datagram dropped (%" PRIu64 " so far)",
				    addr_format(&m->src, abuf, sizeof(abuf)),
				    (unsigned)m->sport,
				    (uint64_t)atomic_load(&rx->cnt->refused));
			continue;
		}
		if (m->truncated) {
			atomic_fetch_add(&rx->cnt->oversize, 1);
			continue;
		}
		(void)dgq_push(rx->q, m->data, m->len, &m->src, m->sport,
		    b->recv_ms);
	}
	atomic_fetch_add(&rx->cnt->datagrams, b->n);
	if (!rx->meminfo && b->kdrops > 0)
		atomic_fetch_add(&rx->cnt->kdrops, b->kdrops);
	dgq_commit(rx->q);
}

static void
read_drops(struct rx *rx)
{
	uint64_t d;

	if (rx->meminfo && listen_drops(rx->l, &d) == NFE_OK)
		atomic_store(&rx->cnt->kdrops, d);
}

static void
nap(long us)
{
	struct timespec ts = { 0, us * 1000 };

	(void)clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, NULL);
}

static void *
rx_main(void *arg)
{
	struct rx *rx = arg;
	struct listen_batch b;
	unsigned mask;
	bool got, more;
	int n;

	if (listen_batch_init(&b) != NFE_OK) {
		log_msg(LOG_ERR, "receive thread: out of memory");
		return NULL;
	}
	while (!atomic_load(&rx->stop)) {
		mask = listen_wait(rx->l, 200);
		got = more = false;
		for (size_t i = 0; i < rx->l->nfd; i++) {
			if (!(mask & (1u << i)))
				continue;
			for (int k = 0; k < RX_MAX_BATCHES; k++) {
				if ((n = listen_recv(rx->l, i, &b)) <= 0)
					break;
				take_batch(rx, &b);
				got = true;
				if (n < LISTEN_BATCH)
					break;
				if (k == RX_MAX_BATCHES - 1)
					more = true;
			}
		}
		read_drops(rx);
		if (got && !more && rx->nap_us > 0)
			nap(rx->nap_us);
	}
	/* stopping: take what the kernel already holds, then leave */
	for (size_t i = 0; i < rx->l->nfd; i++)
		for (int k = 0; k < RX_MAX_BATCHES &&
		    (n = listen_recv(rx->l, i, &b)) > 0; k++)
			take_batch(rx, &b);
	read_drops(rx);
	listen_batch_fini(&b);
	return NULL;
}

/* Create the thread, as SCHED_FIFO when realtime; errno-style result. */
static int
create(struct rx *rx, pthread_t *th, bool realtime)
{
	pthread_attr_t a;
	struct sched_param sp = { .sched_priority = RX_RT_PRIORITY };
	int r;

	if ((r = pthread_attr_init(&a)) != 0)
		return r;
	if (realtime && ((r = pthread_attr_setinheritsched(&a,
	    PTHREAD_EXPLICIT_SCHED)) != 0 || (r =
	    pthread_attr_setschedpolicy(&a, SCHED_FIFO)) != 0 ||
	    (r = pthread_attr_setschedparam(&a, &sp)) != 0)) {
		pthread_attr_destroy(&a);
		return r;
	}
	r = pthread_create(th, &a, rx_main, rx);
	pthread_attr_destroy(&a);
	return r;
}

int
rx_start(struct rx *rx, pthread_t *th, bool *realtime)
{
	uint64_t d;
	sigset_t all, old;
	int r;

	rx->rl.interval_ms = 60000;
	rx->rl.burst = 10;
	atomic_init(&rx->stop, 0);
	rx->meminfo = listen_drops(rx->l, &d) == NFE_OK;
	if (rx->meminfo)
		atomic_store(&rx->cnt->kdrops, d);
	/* signals go to the decode/write thread, never to this one */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	*realtime = true;
	rx->nap_us = listen_rcvbuf(rx->l) / 8192;
	if (rx->nap_us > RX_NAP_MAX_US)
		rx->nap_us = RX_NAP_MAX_US;
	if ((r = create(rx, th, true)) == EPERM || r == EINVAL ||
	    r == ENOTSUP) {
		*realtime = false;
		rx->nap_us = 0;
		r = create(rx, th, false);
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return r == 0 ? NFE_OK : NFE_IO;
}

void
rx_stop(struct rx *rx, pthread_t th)
{
	atomic_store(&rx->stop, 1);
	pthread_join(th, NULL);
}
