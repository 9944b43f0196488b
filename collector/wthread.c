/*
 * collector/wthread.c -- a worker's thread (collector/worker.h): the
 * receive loop around worker_datagram.
 *
 * A round takes every readable socket in batches of LISTEN_BATCH (up to
 * WORKER_MAX_BATCHES per socket before looking at the others), decodes
 * each datagram where recvmmsg put it, takes what other workers handed
 * over, publishes the messages to the writer and rings its bell once.
 * After a round that found datagrams the thread naps, unless a socket
 * still had more (then the next round starts at once) -- but it naps
 * even then when the queue to the writer is more than half full, so
 * that a writer sharing its CPU gets to run.  After an empty round it
 * sleeps in poll(2) until a socket, or its inbox, has something.
 *
 * The nap is rcvbuf / 8192 microseconds, at most WORKER_NAP_MAX_US: a
 * small share of the time a full-speed stream takes to fill the socket
 * buffer (with the 16 MiB default and 1400-byte datagrams, about 30 ms
 * at 2.4M flows/s).  Measured (note i12-collector): without it, a round
 * finds a datagram or two, and the wake-ups, system calls and the
 * writer's wake-ups cost more than the decoding.
 *
 * Kernel drops are read with SO_MEMINFO every WORKER_TICK_MS and at the
 * end, which also sees drops at the end of a burst that no datagram
 * follows.
 */
#include "common/base/compat.h"

#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "collector/worker.h"
#include "common/base/nferr.h"
#include "common/base/timeutil.h"

static void
add(_Atomic uint64_t *c, uint64_t n)
{
	atomic_store_explicit(c, atomic_load_explicit(c, memory_order_relaxed)
	    + n, memory_order_relaxed);
}

/* Decode a batch as it lies in the receive buffers. */
static void
take_batch(struct worker *w, const struct listen_batch *b)
{
	const struct worker_shared *sh = w->sh;
	char abuf[ADDR_STRLEN];

	for (size_t k = 0; k < b->n; k++) {
		const struct listen_msg *m = &b->msg[k];

		if (!worker_allowed(sh->acl, sh->nacl, &m->src)) {
			add(&w->cnt.refused, 1);
			if (log_ratelimit(&w->rl, w->mono_ms))
				log_msg(LOG_WARNING, "%s port %u: not in -A: "
				    "datagram dropped (%" PRIu64 " so far)",
				    addr_format(&m->src, abuf, sizeof(abuf)),
				    (unsigned)m->sport,
				    (uint64_t)atomic_load(&w->cnt.refused));
			continue;
		}
		if (m->truncated) {
			add(&w->cnt.oversize, 1);
			continue;
		}
		worker_datagram(w, m->data, m->len, &m->src, m->sport,
		    b->recv_ms);
	}
	add(&w->cnt.datagrams, b->n);
	if (!w->meminfo && b->kdrops > 0)
		add(&w->cnt.kdrops, b->kdrops);
}

static void
read_drops(struct worker *w)
{
	uint64_t d;

	if (w->meminfo && listen_drops(w->l, &d) == NFE_OK)
		atomic_store(&w->cnt.kdrops, d);
}

static void
nap(long us)
{
	struct timespec ts = { 0, us * 1000 };

	(void)clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, NULL);
}

/* Sleep until a socket or the inbox is readable, or timeout_ms. */
static void
wait_input(struct worker *w, int timeout_ms)
{
	struct pollfd pfd[LISTEN_MAX_SOCKS + 1];
	nfds_t n = 0;

	for (size_t i = 0; i < w->l->nfd; i++) {
		pfd[n].fd = w->l->fd[i];
		pfd[n++].events = POLLIN;
	}
	if (w->inbox_fd >= 0) {
		pfd[n].fd = w->inbox_fd;
		pfd[n++].events = POLLIN;
	}
	(void)poll(pfd, n, timeout_ms);
}

/*
 * One round over the sockets and the inbox.  Returns the datagrams
 * taken; *more is set if a socket stopped at WORKER_MAX_BATCHES.
 */
static size_t
round_once(struct worker *w, struct listen_batch *b, bool *more)
{
	size_t got = 0;
	int n;

	*more = false;
	for (size_t i = 0; i < w->l->nfd; i++) {
		for (int k = 0; k < WORKER_MAX_BATCHES; k++) {
			if ((n = listen_recv(w->l, i, b)) <= 0)
				break;
			take_batch(w, b);
			got += (size_t)n;
			if (n < LISTEN_BATCH)
				break;
			if (k == WORKER_MAX_BATCHES - 1)
				*more = true;
		}
	}
	if (w->inbox != NULL && !fq_empty(w->inbox))
		got += worker_inbox(w);
	if (got > 0)
		worker_publish(w);
	return got;
}

static void *
worker_main(void *arg)
{
	struct worker *w = arg;
	struct listen_batch b;
	bool more;
	size_t got;

	if (listen_batch_init(&b) != NFE_OK) {
		log_msg(LOG_ERR, "worker %u: out of memory", w->index);
		return NULL;
	}
	while (!atomic_load_explicit(&w->stop, memory_order_relaxed)) {
		w->mono_ms = time_mono_ms();
		got = round_once(w, &b, &more);
		if (w->mono_ms - w->tick_mono >= WORKER_TICK_MS) {
			read_drops(w);
			worker_tick(w);
			worker_publish(w);
		}
		if (got == 0)
			wait_input(w, WORKER_TICK_MS);
		else if (w->nap_us > 0 && (!more ||
		    fq_used(w->out) > fq_capacity(w->out) / 2))
			nap(w->nap_us);
	}
	/* stopping: take what the kernel already holds, then leave */
	w->mono_ms = time_mono_ms();
	for (size_t i = 0; i < w->l->nfd; i++) {
		int n;

		for (int k = 0; k < WORKER_MAX_BATCHES &&
		    (n = listen_recv(w->l, i, &b)) > 0; k++)
			take_batch(w, &b);
	}
	worker_publish(w);
	read_drops(w);
	listen_batch_fini(&b);
	return NULL;
}

/* Create the thread, as SCHED_FIFO when realtime; errno-style result. */
static int
create(struct worker *w, bool realtime)
{
	pthread_attr_t a;
	struct sched_param sp = { .sched_priority = WORKER_RT_PRIORITY };
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
	r = pthread_create(&w->th, &a, worker_main, w);
	pthread_attr_destroy(&a);
	return r;
}

int
worker_start(struct worker *w, bool realtime)
{
	uint64_t d;
	sigset_t all, old;
	long nap_us;
	int r;

	atomic_store(&w->stop, 0);
	w->meminfo = listen_drops(w->l, &d) == NFE_OK;
	if (w->meminfo)
		atomic_store(&w->cnt.kdrops, d);
	nap_us = listen_rcvbuf(w->l) / 8192;
	w->nap_us = nap_us > WORKER_NAP_MAX_US ? WORKER_NAP_MAX_US : nap_us;
	/* signals go to the writer's thread, never to this one */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	w->realtime = realtime;
	if (!realtime || (r = create(w, true)) == EPERM || r == EINVAL ||
	    r == ENOTSUP) {
		w->realtime = false;
		r = create(w, false);
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	w->running = r == 0;
	return r == 0 ? NFE_OK : NFE_IO;
}

void
worker_stop(struct worker *w)
{
	atomic_store(&w->stop, 1);
}

void
worker_join(struct worker *w)
{
	if (w->running)
		pthread_join(w->th, NULL);
	w->running = false;
}
