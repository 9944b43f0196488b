/*
 * probe/export.c -- flowprobe's exporter: flow records -> NetFlow v5,
 * v9 or IPFIX datagrams -> connected UDP sockets (probe/export.h).
 *
 * The encoders in common/codec build the datagrams, reached through the
 * codec table entry of the -v version (common/codec/codec.h), so nothing
 * here depends on the version; this module owns the sockets, the
 * encoder state (shared by every destination), pacing and the
 * counters.  A send error is counted and logged through a rate
 * limiter; it never stops the probe.
 *
 * Datagrams are encoded one after the other into one buffer and sent
 * together, one sendmmsg(2) per destination for as many as the buffer
 * holds (46 of the default 1400 bytes), because on a virtual machine
 * the system call, not the copy, is most of a datagram's cost.  With
 * -Q each datagram goes alone, paced.
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
#include "common/codec/codec.h"
#include "common/prog/log.h"
#include "probe/export.h"

struct dest {
	char		 name[300];	/* as given, for messages */
	int		 fd;		/* owned; connected UDP socket */
	uint64_t	 errors;
};

/* Datagrams encoded and not yet sent: offsets into buf. */
#define EXPORT_BURST	64

struct export {
	struct export_conf conf;	/* dests[] not used after new */
	struct dest	 dests[EXPORT_MAX_DESTS];
	size_t		 ndests;
	bool		 started;
	uint64_t	 boot_ms;
	const struct nf_codec *codec;	/* borrowed: the -v version's */
	struct nf_enc	 enc;
	uint64_t	 next_send_ns;	/* pacing: earliest next send */
	struct log_rl	 rl;		/* send error messages */
	struct export_stats st;
	size_t		 nburst;	/* datagrams waiting in buf */
	size_t		 fill;		/* bytes of buf they take */
	size_t		 off[EXPORT_BURST], len[EXPORT_BURST];
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

	const struct nf_codec *codec = nf_codec_by_version((uint16_t)c->version);

	*out = NULL;
	if (c->version < 0 || c->version > UINT16_MAX || codec == NULL ||
	    codec->encode == NULL) {
		snprintf(err, errlen, "version %d: expected 5, 9 or 10",
		    c->version);
		return NFE_INVAL;
	}
	if (c->nextra > NF_ENC_MAX_EXTRA || (c->nextra > 0 &&
	    !codec->templates)) {
		snprintf(err, errlen, "version %d: no place for extra fields "
		    "(v9 and IPFIX have)", c->version);
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
	ex->codec = codec;
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
setup_encoder(struct export *ex)
{
	ex->codec->enc_init(&ex->enc, ex->conf.domain, ex->boot_ms);
	ex->enc.tmpl_pkts = ex->conf.tmpl_pkts;
	ex->enc.tmpl_ms = (uint32_t)ex->conf.tmpl_ms;
	ex->enc.sampling = ex->conf.sampling;
	ex->enc.max_size = ex->conf.max_size;
	ex->enc.biflow = ex->conf.biflow;
	memcpy(ex->enc.extra, ex->conf.extra, sizeof(ex->enc.extra));
	ex->enc.nextra = ex->conf.nextra;
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

static void
send_error(struct export *ex, struct dest *d, int err)
{
	d->errors++;
	ex->st.send_errors++;
	if (log_ratelimit(&ex->rl, time_mono_ms()))
		log_msg(LOG_WARNING, "export to %s: %s (%" PRIu64 " send "
		    "errors so far)", d->name, err != 0 ? strerror(err) :
		    "short send", d->errors);
}

/*
 * The waiting datagrams to one destination, in order; each that fails
 * is counted once and skipped.  False if any failed.
 */
static bool
send_burst(struct export *ex, struct dest *d)
{
	bool good = true;
	size_t i = 0;
	ssize_t r;

#ifdef HAVE_SENDMMSG
	struct mmsghdr m[EXPORT_BURST];
	struct iovec iov[EXPORT_BURST];

	memset(m, 0, ex->nburst * sizeof(m[0]));
	for (size_t k = 0; k < ex->nburst; k++) {
		iov[k].iov_base = ex->buf + ex->off[k];
		iov[k].iov_len = ex->len[k];
		m[k].msg_hdr.msg_iov = &iov[k];
		m[k].msg_hdr.msg_iovlen = 1;
	}
	while (i < ex->nburst) {
		r = sendmmsg(d->fd, m + i, (unsigned)(ex->nburst - i),
		    MSG_NOSIGNAL);
		if (r == -1 && errno == EINTR)
			continue;
		if (r <= 0) {		/* datagram i failed */
			send_error(ex, d, r == -1 ? errno : 0);
			good = false;
			i++;
			continue;
		}
		for (ssize_t k = 0; k < r; k++, i++) {
			if (m[i].msg_len == ex->len[i])
				ex->st.sends++;
			else {
				send_error(ex, d, 0);
				good = false;
			}
		}
	}
#else
	for (; i < ex->nburst; i++) {
		do
			r = send(d->fd, ex->buf + ex->off[i], ex->len[i],
			    MSG_NOSIGNAL);
		while (r == -1 && errno == EINTR);
		if (r == (ssize_t)ex->len[i])
			ex->st.sends++;
		else {
			send_error(ex, d, r == -1 ? errno : 0);
			good = false;
		}
	}
#endif
	return good;
}

/* Send the waiting datagrams to every destination; false if any failed. */
static bool
flush(struct export *ex)
{
	bool good = true;

	if (ex->nburst == 0)
		return true;
	pace(ex);
	for (size_t i = 0; i < ex->ndests; i++)
		if (!send_burst(ex, &ex->dests[i]))
			good = false;
	ex->nburst = 0;
	ex->fill = 0;
	return good;
}

void
export_start(struct export *ex, uint64_t boot_ms, uint64_t now_ms)
{
	ex->boot_ms = boot_ms;
	ex->started = true;
	setup_encoder(ex);
	export_flows(ex, now_ms, NULL, 0);	/* the templates, if any */
}

/*
 * Encode recs[0..n) into datagrams and send each; with n == 0 only the
 * templates, when they are due.  False if any send failed.
 */
static bool
encode_send(struct export *ex, uint64_t now_ms, const struct flowrec *recs,
    size_t n)
{
	struct nf_enc *e = &ex->enc;
	bool good = true, due;
	uint64_t records, skipped;
	size_t len, used;

	do {
		/* room for a whole datagram, or send what waits first */
		if (ex->nburst == EXPORT_BURST ||
		    sizeof(ex->buf) - ex->fill < ex->conf.max_size)
			if (!flush(ex))
				good = false;
		due = ex->codec->templates_due(e, now_ms);
		records = e->records;
		skipped = e->skipped;
		if (ex->codec->encode(e, now_ms, recs, n, ex->buf + ex->fill,
		    sizeof(ex->buf) - ex->fill, &len, &used) != NFE_OK) {
			/* cannot happen with max_size >= EXPORT_MIN_SIZE */
			ex->st.encode_errors++;
			used = 1;
			len = 0;
		}
		ex->st.v6_dropped += e->skipped - skipped;
		if (len > 0) {
			if (due)
				ex->st.templates++;
			ex->st.records += e->records - records;
			ex->st.datagrams++;
			ex->st.bytes += len;
			ex->off[ex->nburst] = ex->fill;
			ex->len[ex->nburst++] = len;
			ex->fill += len;
			/* -Q paces each datagram */
			if (ex->conf.rate != 0 && !flush(ex))
				good = false;
		} else if (used == 0)
			break;
		recs += used;
		n -= used < n ? used : n;
	} while (n > 0);
	if (!flush(ex))
		good = false;
	return good;
}

int
export_flows(struct export *ex, uint64_t now_ms, const struct flowrec *recs,
    size_t n)
{
	if (!ex->started) {
		uint64_t boot = n > 0 ? recs[0].first_ms : now_ms;

		for (size_t i = 1; i < n; i++)
			if (recs[i].first_ms < boot)
				boot = recs[i].first_ms;
		export_start(ex, boot / 1000 * 1000, now_ms);
	}
	return encode_send(ex, now_ms, recs, n) ? NFE_OK : NFE_IO;
}

void
export_tick(struct export *ex, uint64_t now_ms)
{
	if (ex->started && ex->codec->templates_due(&ex->enc, now_ms))
		(void)encode_send(ex, now_ms, NULL, 0);
}

void
export_force_templates(struct export *ex)
{
	nf_enc_force_templates(&ex->enc);
}

bool
export_has_templates(const struct export *ex)
{
	return ex->codec->templates;
}

const struct export_stats *
export_stats(const struct export *ex)
{
	return &ex->st;
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
	const char *name = ex->codec->name;

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
	if (ex->codec->v4_only)
		fprintf(fp, "IPv6 flows not exportable with %s: %" PRIu64
		    " (not sent)\n", name, st->v6_dropped);
	if (st->encode_errors > 0)
		fprintf(fp, "Records the encoder refused: %" PRIu64 "\n",
		    st->encode_errors);
}
