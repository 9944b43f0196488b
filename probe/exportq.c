/*
 * probe/exportq.c -- the export thread and its bounded queue of
 * commands (see exportq.h).  One producer (the capture loop), one
 * consumer; a mutex and two condition variables.  The producer wakes
 * the consumer only when the queue was empty, and the consumer wakes
 * the producer only when it waits (queue full or sync), so a steady
 * stream costs no system call per batch.
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

struct slot {
	enum cmd	 cmd;
	uint64_t	 now_ms;
	uint64_t	 boot_ms;	/* CMD_START */
	size_t		 n;		/* CMD_FLOWS */
	struct flowrec	 recs[EXPORTQ_BATCH];
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
	struct slot	 slots[EXPORTQ_SLOTS];
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
 * The next free slot, waiting for one.  The consumer never touches it
 * before give(), so the producer fills it without the mutex.
 */
static struct slot *
take(struct exportq *q)
{
	struct slot *s;

	pthread_mutex_lock(&q->mtx);
	while (q->count == EXPORTQ_SLOTS) {
		q->producer_waits = true;
		pthread_cond_wait(&q->room, &q->mtx);
	}
	q->producer_waits = false;
	s = &q->slots[(q->head + q->count) % EXPORTQ_SLOTS];
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
	struct slot *s = take(q);

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
	size_t k;

	while (n > 0) {
		k = n < EXPORTQ_BATCH ? n : EXPORTQ_BATCH;
		s = take(q);
		memcpy(s->recs, recs, k * sizeof(*recs));
		s->cmd = CMD_FLOWS;
		s->now_ms = now_ms;
		s->n = k;
		give(q);
		recs += k;
		n -= k;
	}
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
