/*
 * collector/rx.c -- the receive thread (see rx.h).
 *
 * Each wake-up drains every readable socket in batches of
 * LISTEN_BATCH, up to RX_MAX_BATCHES per socket before looking at the
 * others, and publishes each batch with one dgq_commit.
 */
#include "common/compat.h"

#include <inttypes.h>
#include <stdio.h>

#include "collector/rx.h"
#include "common/nferr.h"
#include "common/timeutil.h"

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
	if (b->kdrops > 0)
		atomic_fetch_add(&rx->cnt->kdrops, b->kdrops);
	dgq_commit(rx->q);
}

void *
rx_main(void *arg)
{
	struct rx *rx = arg;
	struct listen_batch b;
	unsigned mask;
	int n;

	if (listen_batch_init(&b) != NFE_OK) {
		log_msg(LOG_ERR, "receive thread: out of memory");
		return NULL;
	}
	rx->rl.interval_ms = 60000;
	rx->rl.burst = 10;
	while (!atomic_load(&rx->stop)) {
		if ((mask = listen_wait(rx->l, 200)) == 0)
			continue;
		for (size_t i = 0; i < rx->l->nfd; i++) {
			if (!(mask & (1u << i)))
				continue;
			for (int k = 0; k < RX_MAX_BATCHES; k++) {
				if ((n = listen_recv(rx->l, i, &b)) <= 0)
					break;
				take_batch(rx, &b);
				if (n < LISTEN_BATCH)
					break;
			}
		}
	}
	/* stopping: take what the kernel already holds, then leave */
	for (size_t i = 0; i < rx->l->nfd; i++)
		for (int k = 0; k < RX_MAX_BATCHES &&
		    (n = listen_recv(rx->l, i, &b)) > 0; k++)
			take_batch(rx, &b);
	listen_batch_fini(&b);
	return NULL;
}
