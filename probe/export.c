/*
 * probe/export.c -- flowprobe's exporter: flow records -> NetFlow v5,
 * v9 or IPFIX datagrams -> connected UDP sockets (probe/export.h).
 *
 * The encoders in common/ build the datagrams; this module owns the
 * sockets, the shared encoder state, the v5 flow sequence, pacing and
 * the counters.  A send error is counted and logged through a rate
 * limiter; it never stops the probe.
 */
#include "common/base/compat.h"

#include <sys/socket.h>
#include <sys/types.h>

#include <netdb.h>

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/base/nferr.h"
#include "common/base/timeutil.h"
#include "common/codec/ipfix.h"
#include "common/codec/nf5.h"
#include "common/codec/nf9.h"
#include "common/prog/log.h"
#include "probe/export.h"

struct dest {
	char		 name[300];	/* as given, for messages */
	int		 fd;		/* owned; connected UDP socket */
	uint64_t	 errors;
};

struct export {
	struct export_conf conf;	/* dests[] not used after new */
	struct dest	 dests[EXPORT_MAX_DESTS];
	size_t		 ndests;
	bool		 started;
	uint64_t	 boot_ms;
	uint32_t	 v5_seq;	/* flows sent before the next v5 dgram */
	struct nf9_enc	 nf9;
	struct ipfix_enc ipfix;
	uint64_t	 next_send_ns;	/* pacing: earliest next send */
	struct log_rl	 rl;		/* send error messages */
	struct export_stats st;
	uint8_t		 buf[EXPORT_MAX_SIZE];
};

void
export_conf_init(struct export_conf *c)
{
	memset(c, 0, sizeof(*c));
	c->version = 9;
	c->max_size = EXPORT_DEF_SIZE;
	c->tmpl_pkts = EXPORT_DEF_TMPL_PKTS;
	c->tmpl_ms = EXPORT_DEF_TMPL_MS;
	c->sampling = 1;
}

static void
copy_part(char *dst, size_t dstlen, const char *s, size_t n)
{
	if (dstlen == 0)
		return;
	if (n >= dstlen)
		n = dstlen - 1;
	memcpy(dst, s, n);
	dst[n] = '\0';
}

int
export_parse_dest(const char *s, char *host, size_t hostlen, char *port,
    size_t portlen, char *err, size_t errlen)
{
	const char *colon, *h = s;
	size_t hl;

	if (s[0] == '[') {
		colon = strstr(s, "]:");
		if (colon == NULL || colon == s + 1) {
			snprintf(err, errlen, "%s: expected [IPv6]:port", s);
			return NFE_INVAL;
		}
		h = s + 1;
		hl = (size_t)(colon - h);
		colon++;
	} else {
		colon = strrchr(s, ':');
		if (colon == NULL || colon == s || strchr(s, ':') != colon) {
			snprintf(err, errlen, "%s: expected host:port or "
			    "[IPv6]:port", s);
			return NFE_INVAL;
		}
		hl = (size_t)(colon - s);
	}
	if (colon[1] == '\0') {
		snprintf(err, errlen, "%s: missing port", s);
		return NFE_INVAL;
	}
	copy_part(host, hostlen, h, hl);
	copy_part(port, portlen, colon + 1, strlen(colon + 1));
	return NFE_OK;
}

static int
open_dest(struct dest *d, const char *spec, char *err, size_t errlen)
{
	struct addrinfo hints, *res;
	char host[256], port[64];
	int rc, sz = EXPORT_DEF_SNDBUF;

	d->fd = -1;
	copy_part(d->name, sizeof(d->name), spec, strlen(spec));
	if ((rc = export_parse_dest(spec, host, sizeof(host), port,
	    sizeof(port), err, errlen)) != NFE_OK)
		return rc;
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_DGRAM;
	hints.ai_protocol = IPPROTO_UDP;
	if ((rc = getaddrinfo(host, port, &hints, &res)) != 0) {
		snprintf(err, errlen, "%s: %s", spec, gai_strerror(rc));
		return NFE_INVAL;
	}
	d->fd = socket(res->ai_family, SOCK_DGRAM | SOCK_CLOEXEC,
	    IPPROTO_UDP);
	if (d->fd == -1 || connect(d->fd, res->ai_addr, res->ai_addrlen)
	    == -1) {
		snprintf(err, errlen, "%s: %s", spec, strerror(errno));
		freeaddrinfo(res);
		return NFE_IO;
	}
	freeaddrinfo(res);
	/* best effort: a burst at the end of a file should not fail here */
	(void)setsockopt(d->fd, SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
	return NFE_OK;
}

int
export_new(const struct export_conf *c, struct export **out, char *err,
    size_t errlen)
{
	struct export *ex;
	int rc;

	*out = NULL;
	if (c->version != 5 && c->version != 9 && c->version != 10) {
		snprintf(err, errlen, "version %d: expected 5, 9 or 10",
		    c->version);
		return NFE_INVAL;
	}
	if (c->max_size < EXPORT_MIN_SIZE || c->max_size > EXPORT_MAX_SIZE) {
		snprintf(err, errlen, "datagram size %zu: expected %d to %d",
		    c->max_size, EXPORT_MIN_SIZE, EXPORT_MAX_SIZE);
		return NFE_INVAL;
	}
	if (c->ndests > EXPORT_MAX_DESTS) {
		snprintf(err, errlen, "at most %d destinations",
		    EXPORT_MAX_DESTS);
		return NFE_INVAL;
	}
	if ((ex = calloc(1, sizeof(*ex))) == NULL) {
		snprintf(err, errlen, "%s", nferr_str(NFE_NOMEM));
		return NFE_NOMEM;
	}
	ex->conf = *c;
	memset(ex->conf.dests, 0, sizeof(ex->conf.dests));
	if (ex->conf.tmpl_pkts == 0)
		ex->conf.tmpl_pkts = 1;
	if (ex->conf.tmpl_ms == 0 || ex->conf.tmpl_ms > UINT32_MAX)
		ex->conf.tmpl_ms = ex->conf.tmpl_ms == 0 ? 1 : UINT32_MAX;
	if (ex->conf.sampling == 0)
		ex->conf.sampling = 1;
	for (size_t i = 0; i < c->ndests; i++) {
		if ((rc = open_dest(&ex->dests[i], c->dests[i], err,
		    errlen)) != NFE_OK) {
			ex->ndests = i + 1;
			export_free(ex);
			return rc;
		}
		ex->ndests = i + 1;
	}
	*out = ex;
	return NFE_OK;
}

void
export_free(struct export *ex)
{
	if (ex == NULL)
		return;
	for (size_t i = 0; i < ex->ndests; i++)
		if (ex->dests[i].fd != -1)
			close(ex->dests[i].fd);
	free(ex);
}

static void
setup_encoders(struct export *ex)
{
	nf9_enc_init(&ex->nf9, ex->conf.domain, ex->boot_ms);
	ex->nf9.tmpl_pkts = ex->conf.tmpl_pkts;
	ex->nf9.tmpl_ms = (uint32_t)ex->conf.tmpl_ms;
	ex->nf9.sampling = ex->conf.sampling;
	ex->nf9.max_size = ex->conf.max_size;
	ipfix_enc_init(&ex->ipfix, ex->conf.domain, ex->boot_ms);
	ex->ipfix.tmpl_pkts = ex->conf.tmpl_pkts;
	ex->ipfix.tmpl_ms = (uint32_t)ex->conf.tmpl_ms;
	ex->ipfix.sampling = ex->conf.sampling;
	ex->ipfix.max_size = ex->conf.max_size;
}

static uint64_t
mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* -Q: wait until the next datagram may go. */
static void
pace(struct export *ex)
{
	struct timespec ts;
	uint64_t now, gap;

	if (ex->conf.rate == 0)
		return;
	gap = 1000000000u / ex->conf.rate;
	now = mono_ns();
	if (now < ex->next_send_ns) {
		ts.tv_sec = (time_t)((ex->next_send_ns - now) / 1000000000u);
		ts.tv_nsec = (long)((ex->next_send_ns - now) % 1000000000u);
		while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
			;
		now = ex->next_send_ns;
	}
	ex->next_send_ns = now + gap;
}

/* One datagram to every destination; false if any send failed. */
static bool
send_all(struct export *ex, size_t len)
{
	bool good = true;
	ssize_t r;

	pace(ex);
	ex->st.datagrams++;
	ex->st.bytes += len;
	for (size_t i = 0; i < ex->ndests; i++) {
		struct dest *d = &ex->dests[i];

		do
			r = send(d->fd, ex->buf, len, MSG_NOSIGNAL);
		while (r == -1 && errno == EINTR);
		if (r == (ssize_t)len) {
			ex->st.sends++;
			continue;
		}
		good = false;
		d->errors++;
		ex->st.send_errors++;
		if (log_ratelimit(&ex->rl, time_mono_ms()))
			log_msg(LOG_WARNING, "export to %s: %s (%" PRIu64
			    " send errors so far)", d->name, r == -1 ?
			    strerror(errno) : "short send", d->errors);
	}
	return good;
}

void
export_start(struct export *ex, uint64_t boot_ms, uint64_t now_ms)
{
	ex->boot_ms = boot_ms;
	ex->started = true;
	setup_encoders(ex);
	if (ex->conf.version != 5)
		export_flows(ex, now_ms, NULL, 0);
}

static bool
export_v5(struct export *ex, uint64_t now_ms, const struct flowrec *recs,
    size_t n)
{
	struct nf5_enc_params prm;
	struct nf5_enc_result res;
	bool good = true;
	uint32_t interval = ex->conf.sampling;

	memset(&prm, 0, sizeof(prm));
	prm.boot_ms = ex->boot_ms;
	prm.export_ms = now_ms;
	prm.engine_type = (uint8_t)(ex->conf.domain >> 8);
	prm.engine_id = (uint8_t)ex->conf.domain;
	if (interval > 1) {
		prm.sampling_mode = NF5_SAMPLING_DETERMINISTIC;
		prm.sampling_interval = interval > NF5_SAMPLING_INTERVAL_MAX ?
		    NF5_SAMPLING_INTERVAL_MAX : (uint16_t)interval;
	}
	while (n > 0) {
		prm.flow_seq = ex->v5_seq;
		if (nf5_encode(&prm, recs, n, ex->buf, sizeof(ex->buf),
		    &res) != NFE_OK || res.consumed == 0) {
			ex->st.encode_errors += n;
			break;
		}
		ex->st.v6_dropped += res.consumed - res.written;
		if (res.len > 0) {
			ex->v5_seq += (uint32_t)res.written;
			ex->st.records += res.written;
			if (!send_all(ex, res.len))
				good = false;
		}
		recs += res.consumed;
		n -= res.consumed;
	}
	return good;
}

static bool
export_tmpl(struct export *ex, uint64_t now_ms, const struct flowrec *recs,
    size_t n)
{
	bool good = true, due;
	size_t len, used;
	int rc;

	do {
		if (ex->conf.version == 9) {
			due = nf9_enc_templates_due(&ex->nf9, now_ms);
			rc = nf9_encode(&ex->nf9, now_ms, recs, n, ex->buf,
			    sizeof(ex->buf), &len, &used);
		} else {
			due = ipfix_enc_templates_due(&ex->ipfix, now_ms);
			rc = ipfix_encode(&ex->ipfix, now_ms, recs, n, ex->buf,
			    sizeof(ex->buf), &len, &used);
		}
		if (rc != NFE_OK) {
			/* cannot happen with max_size >= EXPORT_MIN_SIZE */
			ex->st.encode_errors++;
			used = 1;
			len = 0;
		}
		if (len > 0) {
			if (due)
				ex->st.templates++;
			ex->st.records += used;
			if (!send_all(ex, len))
				good = false;
		} else if (used == 0)
			break;
		recs += used;
		n -= used < n ? used : n;
	} while (n > 0);
	return good;
}

int
export_flows(struct export *ex, uint64_t now_ms, const struct flowrec *recs,
    size_t n)
{
	bool good;

	if (!ex->started) {
		uint64_t boot = n > 0 ? recs[0].first_ms : now_ms;

		for (size_t i = 1; i < n; i++)
			if (recs[i].first_ms < boot)
				boot = recs[i].first_ms;
		export_start(ex, boot / 1000 * 1000, now_ms);
	}
	if (ex->conf.version == 5)
		good = n == 0 || export_v5(ex, now_ms, recs, n);
	else
		good = export_tmpl(ex, now_ms, recs, n);
	return good ? NFE_OK : NFE_IO;
}

void
export_tick(struct export *ex, uint64_t now_ms)
{
	bool due;

	if (!ex->started || ex->conf.version == 5)
		return;
	if (ex->conf.version == 9)
		due = nf9_enc_templates_due(&ex->nf9, now_ms);
	else
		due = ipfix_enc_templates_due(&ex->ipfix, now_ms);
	if (due)
		export_tmpl(ex, now_ms, NULL, 0);
}

void
export_force_templates(struct export *ex)
{
	nf9_enc_force_templates(&ex->nf9);
	ipfix_enc_force_templates(&ex->ipfix);
}

const struct export_stats *
export_stats(const struct export *ex)
{
	return &ex->st;
}

int
export_version(const struct export *ex)
{
	return ex->conf.version;
}

size_t
export_ndests(const struct export *ex)
{
	return ex->ndests;
}

void
export_stats_print(const struct export *ex, FILE *fp)
{
	const struct export_stats *st = &ex->st;
	const char *name = ex->conf.version == 10 ? "IPFIX" :
	    ex->conf.version == 9 ? "NetFlow v9" : "NetFlow v5";

	fprintf(fp, "Export: %s to %zu destination%s: %" PRIu64
	    " datagrams (%" PRIu64 " with templates), %" PRIu64
	    " records, %" PRIu64 " bytes\n", name, ex->ndests,
	    ex->ndests == 1 ? "" : "s", st->datagrams, st->templates,
	    st->records, st->bytes);
	fprintf(fp, "Export sends: %" PRIu64 " (%" PRIu64 " send errors)\n",
	    st->sends, st->send_errors);
	for (size_t i = 0; i < ex->ndests; i++)
		if (ex->dests[i].errors > 0)
			fprintf(fp, "  %s: %" PRIu64 " send errors\n",
			    ex->dests[i].name, ex->dests[i].errors);
	if (ex->conf.version == 5)
		fprintf(fp, "IPv6 flows not exportable with NetFlow v5: %"
		    PRIu64 " (not sent)\n", st->v6_dropped);
	if (st->encode_errors > 0)
		fprintf(fp, "Records the encoder refused: %" PRIu64 "\n",
		    st->encode_errors);
}
