/*
 * probe/exportq.c -- the export thread and its bounded queue of
 * commands (see exportq.h).  One producer (the capture loop), one
 * consumer; a mutex and two condition variables.  The producer wakes
 * the consumer only when the queue was empty, and the consumer wakes
 * the producer only when it waits (queue full or sync), so a steady
 * stream costs no system call per batch.  Record buffers (NBUF) are
 * the queue's: a slot points at one, and the consumer puts it back on
 * the free stack when done.  At most SLOTS - 1 slots are queued when
 * take() returns, and the producer holds at most one buffer, so a free
 * one is always there for the slot being filled.
 */
#include "common/base/compat.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "common/base/nferr.h"
#include "probe/exportq.h"

enum cmd {
	CMD_START,
	CMD_FLOWS,
	CMD_TICK,
	CMD_TEMPLATES,
	CMD_STOP,
};

#define NBUF	(EXPORTQ_SLOTS + 1)

struct slot {
	enum cmd	 cmd;
	uint64_t	 now_ms;
	uint64_t	 boot_ms;	/* CMD_START */
	size_t		 n;		/* CMD_FLOWS */
	struct flowrec	*recs;		/* CMD_FLOWS: one of bufs */
};

struct exportq {
	struct export	*ex;		/* borrowed; the thread's */
	pthread_t	 thread;
	pthread_mutex_t	 mtx;
	pthread_cond_t	 work;		/* consumer waits for a command */
	pthread_cond_t	 room;		/* producer waits for room or idle */
	unsigned	 head, count;	/* slots queued: head..head+count */
	bool		 busy;		/* consumer is running a command */
	bool		 producer_waits;
	bool		 lent;		/* the producer holds a buffer */
	unsigned	 nfree;
	struct flowrec	*free[NBUF];	/* stack of empty buffers */
	struct slot	 slots[EXPORTQ_SLOTS];
	struct flowrec	 bufs[NBUF][EXPORTQ_BATCH];
};

static void
run(struct exportq *q, const struct slot *s)
{
	switch (s->cmd) {
	case CMD_START:
		export_start(q->ex, s->boot_ms, s->now_ms);
		break;
	case CMD_FLOWS:
		/* send errors are the exporter's to count (export_stats) */
		export_flows(q->ex, s->now_ms, s->recs, s->n);
		break;
	case CMD_TICK:
		export_tick(q->ex, s->now_ms);
		break;
	case CMD_TEMPLATES:
		export_force_templates(q->ex);
		break;
	case CMD_STOP:
		break;
	}
}

static void *
worker(void *arg)
{
	struct exportq *q = arg;
	struct slot *s;
	bool stop;

	pthread_mutex_lock(&q->mtx);
	for (;;) {
		while (q->count == 0)
			pthread_cond_wait(&q->work, &q->mtx);
		s = &q->slots[q->head];
		q->busy = true;
		pthread_mutex_unlock(&q->mtx);
		run(q, s);		/* the slot stays ours until released */
		stop = s->cmd == CMD_STOP;
		pthread_mutex_lock(&q->mtx);
		if (s->cmd == CMD_FLOWS)
			q->free[q->nfree++] = s->recs;
		q->head = (q->head + 1) % EXPORTQ_SLOTS;
		q->count--;
		q->busy = false;
		if (q->producer_waits)
			pthread_cond_signal(&q->room);
		if (stop)
			break;
	}
	pthread_mutex_unlock(&q->mtx);
	return NULL;
}

int
exportq_new(struct export *ex, struct exportq **out)
{
	struct exportq *q;
	sigset_t all, old;
	int rc;

	*out = NULL;
	if ((q = calloc(1, sizeof(*q))) == NULL)
		return NFE_NOMEM;
	q->ex = ex;
	for (unsigned i = 0; i < NBUF; i++)
		q->free[q->nfree++] = q->bufs[i];
	pthread_mutex_init(&q->mtx, NULL);
	pthread_cond_init(&q->work, NULL);
	pthread_cond_init(&q->room, NULL);
	/* signals stay with the capture loop, whose poll they interrupt */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(&q->thread, NULL, worker, q);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		pthread_cond_destroy(&q->room);
		pthread_cond_destroy(&q->work);
		pthread_mutex_destroy(&q->mtx);
		free(q);
		errno = rc;
		return NFE_IO;
	}
	*out = q;
	return NFE_OK;
}

/*
 * The next free slot, waiting for one, and (buf) an empty buffer for
 * it.  The consumer never touches either before give(), so the
 * producer fills them without the mutex.
 */
static struct slot *
take(struct exportq *q, struct flowrec **buf)
{
	struct slot *s;

	pthread_mutex_lock(&q->mtx);
	while (q->count == EXPORTQ_SLOTS) {
		q->producer_waits = true;
		pthread_cond_wait(&q->room, &q->mtx);
	}
	q->producer_waits = false;
	s = &q->slots[(q->head + q->count) % EXPORTQ_SLOTS];
	if (buf != NULL)	/* never empty here: see the top comment */
		*buf = q->free[--q->nfree];
	pthread_mutex_unlock(&q->mtx);
	return s;
}

/* Hand the slot from take() to the consumer. */
static void
give(struct exportq *q)
{
	pthread_mutex_lock(&q->mtx);
	if (q->count++ == 0)
		pthread_cond_signal(&q->work);
	pthread_mutex_unlock(&q->mtx);
}

static void
command(struct exportq *q, enum cmd cmd, uint64_t now_ms, uint64_t boot_ms)
{
	struct slot *s = take(q, NULL);

	s->cmd = cmd;
	s->now_ms = now_ms;
	s->boot_ms = boot_ms;
	s->n = 0;
	give(q);
}

void
exportq_free(struct exportq *q)
{
	if (q == NULL)
		return;
	command(q, CMD_STOP, 0, 0);
	pthread_join(q->thread, NULL);
	pthread_cond_destroy(&q->room);
	pthread_cond_destroy(&q->work);
	pthread_mutex_destroy(&q->mtx);
	free(q);
}

void
exportq_start(struct exportq *q, uint64_t boot_ms, uint64_t now_ms)
{
	command(q, CMD_START, now_ms, boot_ms);
}

void
exportq_flows(struct exportq *q, uint64_t now_ms, const struct flowrec *recs,
    size_t n)
{
	struct slot *s;
	struct flowrec *s_recs;
	size_t k;

	while (n > 0) {
		k = n < EXPORTQ_BATCH ? n : EXPORTQ_BATCH;
		s = take(q, &s_recs);
		s->recs = s_recs;
		memcpy(s->recs, recs, k * sizeof(*recs));
		s->cmd = CMD_FLOWS;
		s->now_ms = now_ms;
		s->n = k;
		give(q);
		recs += k;
		n -= k;
	}
}

struct flowrec *
exportq_buffer(struct exportq *q)
{
	struct flowrec *b = NULL;

	pthread_mutex_lock(&q->mtx);
	if (!q->lent) {		/* there is one: at most SLOTS are queued */
		q->lent = true;
		b = q->free[--q->nfree];
	}
	pthread_mutex_unlock(&q->mtx);
	return b;
}

struct flowrec *
exportq_handover(struct exportq *q, uint64_t now_ms, struct flowrec *recs,
    size_t n)
{
	struct flowrec *next;
	struct slot *s = take(q, &next);

	s->cmd = CMD_FLOWS;
	s->now_ms = now_ms;
	s->recs = recs;
	s->n = n;
	give(q);
	return next;
}

void
exportq_tick(struct exportq *q, uint64_t now_ms)
{
	command(q, CMD_TICK, now_ms, 0);
}

void
exportq_force_templates(struct exportq *q)
{
	command(q, CMD_TEMPLATES, 0, 0);
}

void
exportq_sync(struct exportq *q)
{
	pthread_mutex_lock(&q->mtx);
	while (q->count > 0 || q->busy) {
		q->producer_waits = true;
		pthread_cond_wait(&q->room, &q->mtx);
	}
	q->producer_waits = false;
	pthread_mutex_unlock(&q->mtx);
}
