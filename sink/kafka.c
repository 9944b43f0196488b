/*
 * sink/kafka.c -- the Kafka sink through librdkafka: one message per
 * flow (NDJSON, or goflow2's protobuf FlowMessage), keyed by the
 * exporter, the source address or nothing, and a batch counted as
 * delivered only when every message's delivery report says so.
 *
 * The producer is idempotent when acks=all (librdkafka then retries
 * inside the session without duplicates or reordering).  A batch's
 * messages are encoded once into one buffer and handed to librdkafka
 * without a copy; the buffer lives until every report is back, so a
 * delivery never returns with messages in flight: on a timeout or a
 * cancel the rest is purged and its reports drained first.  When some
 * messages fail, the next delivery of the same batch produces only
 * those again.  A fatal producer error (idempotence state lost) makes
 * a new producer.  librdkafka's log lines are kept as the last error
 * instead of going to stderr.
 */
#include "common/base/compat.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/base/nferr.h"
#include "common/base/timeutil.h"
#include "sink/secret.h"
#include "sink/sink_int.h"

#ifdef HAVE_RDKAFKA
#include <librdkafka/rdkafka.h>

enum { M_TODO, M_FLIGHT, M_DONE, M_FAILED };

#define KAFKA_CHUNK	10000	/* messages per produce_batch call */
#define KAFKA_DRAIN_MS	10000	/* wait for reports after a purge */
#define KAFKA_WINDOW	(16u << 20)	/* bytes produced, not yet reported */
#define KAFKA_LINGER_MS	"100"	/* librdkafka's linger.ms unless given */

struct kf {
	rd_kafka_t	*rk;		/* owned */
	rd_kafka_topic_t *rkt;		/* owned */
	char		*password;	/* owned secret, may be NULL */
	struct sbuf	 msgs;		/* the batch's messages, back to back */
	size_t		*off;		/* owned: n + 1 offsets into msgs */
	uint8_t		*state;		/* owned: M_* per message */
	rd_kafka_message_t *rkm;	/* owned: KAFKA_CHUNK slots */
	size_t		 cap;
	uint64_t	 batch_id;	/* the batch off/state describe */
	size_t		 n;
	size_t		 next;		/* no M_TODO message before this */
	size_t		 todo, inflight, done;
	size_t		 inflight_bytes;
	rd_kafka_resp_err_t last_err;
	char		 log[256];	/* librdkafka's last log line */
};

static void
on_report(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque)
{
	struct kf *k = opaque;
	size_t i = (size_t)(uintptr_t)m->_private;

	(void)rk;
	if (i >= k->n || k->state[i] != M_FLIGHT)
		return;
	k->inflight--;
	k->inflight_bytes -= k->off[i + 1] - k->off[i];
	if (m->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
		k->state[i] = M_DONE;
		k->done++;
	} else {
		k->state[i] = M_FAILED;
		k->last_err = m->err;
	}
}

static void
on_log(const rd_kafka_t *rk, int level, const char *fac, const char *buf)
{
	struct kf *k = rd_kafka_opaque(rk);

	if (level <= 4 && k != NULL)
		snprintf(k->log, sizeof(k->log), "%s: %s", fac, buf);
}

static int
conf_set(rd_kafka_conf_t *c, const char *name, const char *value,
    char *err, size_t errlen)
{
	char e[256];

	if (rd_kafka_conf_set(c, name, value, e, sizeof(e)) !=
	    RD_KAFKA_CONF_OK) {
		snprintf(err, errlen, "kafka setting %s: %s", name, e);
		return NFE_INVAL;
	}
	return NFE_OK;
}

/*
 * A producer for s's URL in k->rk / k->rkt; with create false only the
 * settings are checked (at open, before flowcapd forks into the
 * background: librdkafka's threads would not survive the fork).
 */
static int
make_producer(struct sink *s, struct kf *k, bool create, char *err,
    size_t errlen)
{
	const struct sinkurl *u = &s->url;
	static const char *const codecs[] = {
		[SINK_COMP_NONE] = "none", [SINK_COMP_GZIP] = "gzip",
		[SINK_COMP_LZ4] = "lz4", [SINK_COMP_ZSTD] = "zstd",
		[SINK_COMP_SNAPPY] = "snappy",
	};
	char brokers[SINKURL_MAX_HOSTS * 280] = "", v[96], e[512];
	rd_kafka_conf_t *c = rd_kafka_conf_new();
	int rc = NFE_OK;

	for (size_t i = 0; i < u->nhosts; i++) {
		bool v6 = strchr(u->hosts[i].name, ':') != NULL;
		size_t o = strlen(brokers);

		snprintf(brokers + o, sizeof(brokers) - o, "%s%s%s%s:%u",
		    i > 0 ? "," : "", v6 ? "[" : "", u->hosts[i].name,
		    v6 ? "]" : "", u->hosts[i].port);
	}
	rc = conf_set(c, "bootstrap.servers", brokers, err, errlen);
	snprintf(v, sizeof(v), "flowkit-%s", u->name);
	if (rc == NFE_OK)
		rc = conf_set(c, "client.id", v, err, errlen);
	if (rc == NFE_OK)
		rc = conf_set(c, "acks", u->acks < 0 ? "all" : u->acks == 1 ?
		    "1" : "0", err, errlen);
	if (rc == NFE_OK)
		rc = conf_set(c, "enable.idempotence", u->acks < 0 ? "true" :
		    "false", err, errlen);
	if (rc == NFE_OK)
		rc = conf_set(c, "compression.codec", codecs[u->compress], err,
		    errlen);
	snprintf(v, sizeof(v), "%" PRIu32, u->timeout_ms);
	if (rc == NFE_OK)
		rc = conf_set(c, "message.timeout.ms", v, err, errlen);
	/* a whole batch must fit in the queue */
	snprintf(v, sizeof(v), "%" PRIu32, u->batch + KAFKA_CHUNK);
	if (rc == NFE_OK)
		rc = conf_set(c, "queue.buffering.max.messages", v, err,
		    errlen);
	if (rc == NFE_OK)
		rc = conf_set(c, "linger.ms", KAFKA_LINGER_MS, err, errlen);
	if (rc == NFE_OK && u->user[0] != '\0')
		rc = conf_set(c, "sasl.username", u->user, err, errlen);
	if (rc == NFE_OK && k->password != NULL)
		rc = conf_set(c, "sasl.password", k->password, err, errlen);
	for (size_t i = 0; i < u->nprops && rc == NFE_OK; i++)
		rc = conf_set(c, u->props[i].name, u->props[i].value, err,
		    errlen);
	if (rc != NFE_OK || !create) {
		rd_kafka_conf_destroy(c);
		return rc;
	}
	rd_kafka_conf_set_opaque(c, k);
	rd_kafka_conf_set_dr_msg_cb(c, on_report);
	rd_kafka_conf_set_log_cb(c, on_log);
	if ((k->rk = rd_kafka_new(RD_KAFKA_PRODUCER, c, e, sizeof(e))) ==
	    NULL) {
		rd_kafka_conf_destroy(c);
		snprintf(err, errlen, "kafka producer: %s", e);
		return NFE_INVAL;
	}
	if ((k->rkt = rd_kafka_topic_new(k->rk, u->topic, NULL)) == NULL) {
		snprintf(err, errlen, "kafka topic %s: %s", u->topic,
		    rd_kafka_err2str(rd_kafka_last_error()));
		rd_kafka_destroy(k->rk);
		k->rk = NULL;
		return NFE_INVAL;
	}
	return NFE_OK;
}

static void
drop_producer(struct kf *k)
{
	if (k->rkt != NULL)
		rd_kafka_topic_destroy(k->rkt);
	if (k->rk != NULL)
		rd_kafka_destroy(k->rk);
	k->rkt = NULL;
	k->rk = NULL;
}

static int
kf_open(struct sink *s, char *err, size_t errlen)
{
	struct kf *k;
	int rc;

	if ((k = calloc(1, sizeof(*k))) == NULL ||
	    (k->rkm = calloc(KAFKA_CHUNK, sizeof(*k->rkm))) == NULL) {
		free(k);
		snprintf(err, errlen, "out of memory");
		return NFE_NOMEM;
	}
	sbuf_init(&k->msgs);
	k->batch_id = UINT64_MAX;
	if ((rc = secret_read(s->url.password_env, s->url.password_file,
	    &k->password, err, errlen)) != NFE_OK ||
	    (rc = make_producer(s, k, false, err, errlen)) != NFE_OK) {
		secret_free(k->password);
		free(k->rkm);
		free(k);
		return rc;
	}
	s->drv = k;
	return NFE_OK;
}

/* Ask the brokers for the topic's metadata: are they reachable? */
static int
kf_prepare(struct sink *s, char *err, size_t errlen)
{
	struct kf *k = s->drv;
	const struct rd_kafka_metadata *md = NULL;
	rd_kafka_resp_err_t e;
	int rc;

	if (k->rk == NULL &&
	    (rc = make_producer(s, k, true, err, errlen)) != NFE_OK)
		return rc == NFE_NOMEM ? rc : NFE_FORMAT;

	e = rd_kafka_metadata(k->rk, 0, k->rkt, &md,
	    (int)(s->url.timeout_ms < 10000 ? s->url.timeout_ms : 10000));
	if (e != RD_KAFKA_RESP_ERR_NO_ERROR) {
		snprintf(err, errlen, "kafka metadata: %s%s%s",
		    rd_kafka_err2str(e), k->log[0] != '\0' ? " (" : "",
		    k->log[0] != '\0' ? k->log : "");
		if (k->log[0] != '\0')
			strncat(err, ")", errlen - strlen(err) - 1);
		return NFE_IO;
	}
	rd_kafka_metadata_destroy(md);
	return NFE_OK;
}

/* Encode b's messages unless they are already (a retry of b). */
static int
encode(struct sink *s, struct kf *k, const struct sink_batch *b)
{
	int rc;

	if (b->id == k->batch_id && b->n == k->n) {
		for (size_t i = 0; i < k->n; i++)
			if (k->state[i] == M_FAILED) {
				k->state[i] = M_TODO;
				k->todo++;
			}
		k->next = 0;
		return NFE_OK;
	}
	if (b->n + 1 > k->cap) {
		size_t *o = realloc(k->off, (b->n + 1) * sizeof(*o));
		uint8_t *st;

		if (o == NULL)
			return NFE_NOMEM;
		k->off = o;
		if ((st = realloc(k->state, b->n + 1)) == NULL)
			return NFE_NOMEM;
		k->state = st;
		k->cap = b->n + 1;
	}
	sbuf_reset(&k->msgs);
	k->batch_id = UINT64_MAX;
	for (size_t i = 0; i < b->n; i++) {
		k->off[i] = k->msgs.len;
		if ((rc = sink_encode_record(s, b, i, false, &k->msgs)) !=
		    NFE_OK)
			return rc;
	}
	k->off[b->n] = k->msgs.len;
	memset(k->state, M_TODO, b->n);
	k->n = b->n;
	k->todo = b->n;
	k->next = 0;
	k->done = 0;
	k->batch_id = b->id;
	return NFE_OK;
}

static const void *
msg_key(const struct sink *s, const struct sink_batch *b, size_t i,
    size_t *len)
{
	const struct flowrec *r = &b->recs[i];
	const struct ffile_exporter *x;

	*len = 16;
	switch (s->url.key) {
	case SINK_KEY_EXPORTER:
		if ((x = sink_exporter(b, r)) != NULL)
			return x->addr.a;
		break;
	case SINK_KEY_SRC:
		return r->src.a;
	case SINK_KEY_NONE:
		break;
	}
	*len = 0;
	return NULL;
}

/*
 * Produce the messages still to do while less than KAFKA_WINDOW bytes
 * wait for their reports; those the queue refuses wait for the next
 * call.  The window keeps librdkafka's queues short.  An idempotent
 * producer (acks=all) has one request in flight per partition (2.0.2
 * counts the messages in flight against its limit of 5 requests), and
 * a broker thread holding more ready messages than it may send polls
 * its socket with a zero timeout until the answer comes: 1.5M poll()
 * calls for 3M NDJSON flows when a whole batch was queued at once.
 */
static void
produce(struct sink *s, struct kf *k, const struct sink_batch *b)
{
	size_t i = k->next, refused = SIZE_MAX;

	while (i < k->n && k->inflight_bytes < KAFKA_WINDOW) {
		size_t cnt = 0, bytes = k->inflight_bytes, idx[KAFKA_CHUNK];

		for (; i < k->n && cnt < KAFKA_CHUNK && bytes < KAFKA_WINDOW;
		    i++) {
			rd_kafka_message_t *m = &k->rkm[cnt];
			size_t kl;

			if (k->state[i] != M_TODO)
				continue;
			memset(m, 0, sizeof(*m));
			m->payload = k->msgs.p + k->off[i];
			m->len = k->off[i + 1] - k->off[i];
			m->key = (void *)(uintptr_t)msg_key(s, b, i, &kl);
			m->key_len = kl;
			m->_private = (void *)(uintptr_t)i;
			bytes += m->len;
			idx[cnt++] = i;
		}
		if (cnt == 0)
			break;
		(void)rd_kafka_produce_batch(k->rkt, RD_KAFKA_PARTITION_UA, 0,
		    k->rkm, (int)cnt);
		for (size_t j = 0; j < cnt; j++) {
			if (k->rkm[j].err == RD_KAFKA_RESP_ERR_NO_ERROR) {
				k->state[idx[j]] = M_FLIGHT;
				k->inflight++;
				k->inflight_bytes += k->rkm[j].len;
				k->todo--;
			} else {
				k->last_err = k->rkm[j].err;	/* queue full:
								   next round */
				if (refused == SIZE_MAX)
					refused = idx[j];
			}
		}
		if (refused != SIZE_MAX)
			break;
	}
	k->next = refused != SIZE_MAX ? refused : i;
}

/* Purge what is queued or in flight and wait for its reports. */
static void
drain(struct kf *k)
{
	uint64_t end = time_mono_ms() + KAFKA_DRAIN_MS;

	rd_kafka_purge(k->rk, RD_KAFKA_PURGE_F_QUEUE |
	    RD_KAFKA_PURGE_F_INFLIGHT);
	while (k->inflight > 0 && time_mono_ms() < end)
		rd_kafka_poll(k->rk, 50);
	if (k->inflight > 0) {
		/*
		 * Reports that never came: destroying the producer stops
		 * every callback, so the buffer they point into may be
		 * reused.  The next delivery makes a new producer.
		 */
		drop_producer(k);
		for (size_t i = 0; i < k->n; i++)
			if (k->state[i] == M_FLIGHT)
				k->state[i] = M_FAILED;
		k->inflight = 0;
		k->inflight_bytes = 0;
	}
}

static int
failed(struct sink *s, struct kf *k, const char *what, char *err,
    size_t errlen)
{
	snprintf(err, errlen, "%s: %zu of %zu messages delivered; %s%s%s%s",
	    s->url.topic, k->done, k->n, what, k->last_err != 0 ? ": " : "",
	    k->last_err != 0 ? rd_kafka_err2str(k->last_err) : "",
	    k->log[0] != '\0' ? " (" : "");
	if (k->log[0] != '\0') {
		strncat(err, k->log, errlen - strlen(err) - 1);
		strncat(err, ")", errlen - strlen(err) - 1);
	}
	return SINK_RETRY;
}

static int
kf_deliver(struct sink *s, const struct sink_batch *b, char *err,
    size_t errlen)
{
	struct kf *k = s->drv;
	uint64_t deadline;
	char e[256];
	int rc;

	if (k->rk == NULL || rd_kafka_fatal_error(k->rk, e, sizeof(e)) !=
	    RD_KAFKA_RESP_ERR_NO_ERROR) {
		drop_producer(k);
		if ((rc = make_producer(s, k, true, err, errlen)) != NFE_OK)
			return SINK_RETRY;
	}
	if ((rc = encode(s, k, b)) != NFE_OK) {
		snprintf(err, errlen, "encoding: %s", nferr_str(rc));
		return SINK_RETRY;
	}
	k->last_err = RD_KAFKA_RESP_ERR_NO_ERROR;
	k->log[0] = '\0';
	s->last_bytes = k->msgs.len;
	deadline = time_mono_ms() + s->url.timeout_ms + 5000;
	for (;;) {
		produce(s, k, b);
		if (k->todo == 0 && k->inflight == 0)
			break;
		if (sink_cancelled(s) || time_mono_ms() > deadline) {
			drain(k);
			return failed(s, k, sink_cancelled(s) ? "stopped" :
			    "timed out", err, errlen);
		}
		/*
		 * Reports (and room in the window) come back by polling.
		 * Once every message is produced, a flush sends what waits
		 * for linger.ms at once: the tail of a batch does not wait.
		 */
		if (k->todo == 0)
			(void)rd_kafka_flush(k->rk, 50);
		else
			rd_kafka_poll(k->rk, k->inflight > 0 ? 20 : 50);
	}
	if (k->done == k->n)
		return SINK_DELIVERED;
	return failed(s, k, "delivery failed", err, errlen);
}

static void
kf_close(struct sink *s)
{
	struct kf *k = s->drv;

	if (k == NULL)
		return;
	if (k->rk != NULL && k->inflight > 0)
		drain(k);
	drop_producer(k);
	secret_free(k->password);
	sbuf_fini(&k->msgs);
	free(k->off);
	free(k->state);
	free(k->rkm);
	free(k);
	s->drv = NULL;
}

#else /* !HAVE_RDKAFKA */

static int
kf_open(struct sink *s, char *err, size_t errlen)
{
	snprintf(err, errlen, "%s: kafka sinks need librdkafka, which this "
	    "build of flowkit lacks (install librdkafka-dev and run "
	    "configure again)", s->url.text);
	return NFE_UNSUPP;
}

static int
kf_prepare(struct sink *s, char *err, size_t errlen)
{
	(void)s;
	(void)err;
	(void)errlen;
	return NFE_UNSUPP;
}

static int
kf_deliver(struct sink *s, const struct sink_batch *b, char *err,
    size_t errlen)
{
	(void)s;
	(void)b;
	(void)err;
	(void)errlen;
	return SINK_REFUSED;
}

static void
kf_close(struct sink *s)
{
	(void)s;
}

#endif

const struct sink_ops sink_kafka_ops = {
	kf_open, kf_prepare, kf_deliver, NULL, kf_close,
};
