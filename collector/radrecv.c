/*
 * collector/radrecv.c -- RADIUS accounting server (radrecv.h).
 */
#include "common/base/compat.h"

#include <sys/socket.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <ctype.h>
#include <poll.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collector/radrecv.h"
#include "common/base/nferr.h"
#include "common/base/timeutil.h"
#include "common/enrich/strtab.h"

static int
secret_cmp(const void *a, const void *b)
{
	const struct radrecv_secret *x = a, *y = b;
	int lx = addr_is_v4(&x->pfx.addr) ? x->pfx.len + 96 : x->pfx.len;
	int ly = addr_is_v4(&y->pfx.addr) ? y->pfx.len + 96 : y->pfx.len;

	return ly - lx;
}

int
radrecv_secrets(struct radrecv *r, const char *path, char *err, size_t errlen)
{
	FILE *f;
	char line[1024];
	unsigned lineno = 0;
	bool have_default = false;

	if ((f = fopen(path, "r")) == NULL) {
		snprintf(err, errlen, "--radius-secret %s: %s", path,
		    strerror(errno));
		return NFE_IO;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		char *w1, *w2, *w3, *save = NULL, *hash;
		struct radrecv_secret *s;

		lineno++;
		if (strchr(line, '\n') == NULL && !feof(f)) {
			snprintf(err, errlen, "%s line %u: longer than %zu "
			    "bytes", path, lineno, sizeof(line) - 2);
			goto bad;
		}
		if ((hash = strchr(line, '#')) != NULL)
			*hash = '\0';
		if ((w1 = strtok_r(line, " \t\r\n", &save)) == NULL)
			continue;
		w2 = strtok_r(NULL, " \t\r\n", &save);
		w3 = strtok_r(NULL, " \t\r\n", &save);
		if (w3 != NULL) {
			snprintf(err, errlen, "%s line %u: expected SECRET or "
			    "ADDRESS[/LEN] SECRET (a secret may not hold "
			    "spaces)", path, lineno);
			goto bad;
		}
		if (r->nsecrets == RADRECV_MAX_SECRETS) {
			snprintf(err, errlen, "%s line %u: more than %d "
			    "secrets", path, lineno, RADRECV_MAX_SECRETS);
			goto bad;
		}
		s = realloc(r->secrets, (r->nsecrets + 1) * sizeof(*s));
		if (s == NULL) {
			snprintf(err, errlen, "%s: out of memory", path);
			goto bad;
		}
		r->secrets = s;
		s = &r->secrets[r->nsecrets];
		memset(s, 0, sizeof(*s));
		if (w2 == NULL) {
			if (have_default) {
				snprintf(err, errlen, "%s line %u: a second "
				    "secret for every NAS", path, lineno);
				goto bad;
			}
			have_default = true;
			/* ::/0 and, below, 0.0.0.0/0: every NAS */
			w2 = w1;
			s->pfx.len = 0;
		} else if (prefix_parse(w1, false, &s->pfx) != NFE_OK) {
			snprintf(err, errlen, "%s line %u: '%s' is not an "
			    "address or prefix (host bits must be zero)",
			    path, lineno, w1);
			goto bad;
		}
		if (strlen(w2) > RADIUS_MAX_SECRET) {
			snprintf(err, errlen, "%s line %u: a secret is at most "
			    "%d bytes", path, lineno, RADIUS_MAX_SECRET);
			goto bad;
		}
		memcpy(s->secret, w2, strlen(w2));
		s->len = strlen(w2);
		r->nsecrets++;
		if (w1 == w2) {		/* the default also for IPv4 */
			struct radrecv_secret *n = realloc(r->secrets,
			    (r->nsecrets + 1) * sizeof(*n));

			if (n == NULL) {
				snprintf(err, errlen, "%s: out of memory", path);
				goto bad;
			}
			r->secrets = n;
			n[r->nsecrets] = n[r->nsecrets - 1];
			addr_from_v4(&n[r->nsecrets].pfx.addr, 0);
			r->nsecrets++;
		}
	}
	fclose(f);
	if (r->nsecrets == 0) {
		snprintf(err, errlen, "%s: no secret in it", path);
		return NFE_INVAL;
	}
	qsort(r->secrets, r->nsecrets, sizeof(*r->secrets), secret_cmp);
	return NFE_OK;
bad:
	fclose(f);
	return NFE_INVAL;
}

static const struct radrecv_secret *
secret_of(const struct radrecv *r, const struct nf_addr *nas)
{
	for (size_t i = 0; i < r->nsecrets; i++)
		if (prefix_match(&r->secrets[i].pfx, nas))
			return &r->secrets[i];
	return NULL;
}

/* Split "[ADDR:]PORT", "[V6]:PORT", "ADDR" into addr (or "") and port. */
static int
parse_spec(const char *spec, char *addr, size_t alen, uint16_t *port)
{
	const char *p = NULL;
	char *end;
	unsigned long v;
	size_t n;

	*port = RADRECV_DEF_PORT;
	addr[0] = '\0';
	if (spec[0] == '[') {
		const char *rb = strchr(spec, ']');

		if (rb == NULL || (rb[1] != '\0' && rb[1] != ':'))
			return NFE_INVAL;
		n = (size_t)(rb - spec - 1);
		if (n >= alen)
			return NFE_INVAL;
		memcpy(addr, spec + 1, n);
		addr[n] = '\0';
		p = rb[1] == ':' ? rb + 2 : NULL;
	} else if (strspn(spec, "0123456789") == strlen(spec)) {
		p = spec;
	} else if ((p = strrchr(spec, ':')) != NULL && strchr(spec, ':') == p) {
		n = (size_t)(p - spec);
		if (n >= alen)
			return NFE_INVAL;
		memcpy(addr, spec, n);
		addr[n] = '\0';
		p++;
	} else {
		if (strlen(spec) >= alen)
			return NFE_INVAL;
		strcpy(addr, spec);
		p = NULL;
	}
	if (p != NULL) {
		errno = 0;
		v = strtoul(p, &end, 10);
		if (*p == '\0' || !isdigit((unsigned char)*p) || *end != '\0' ||
		    errno != 0 || v > 65535)
			return NFE_INVAL;
		*port = (uint16_t)v;
	}
	return NFE_OK;
}

int
radrecv_open(struct radrecv *r, const char *spec, char *err, size_t errlen)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
	struct listener *l;
	socklen_t sslen;
	char addr[64];
	uint16_t port;
	int fd, fam, off = 0, on = 1;

	if (r->nl == RADRECV_MAX_SOCKS) {
		snprintf(err, errlen, "--radius-acct: at most %d",
		    RADRECV_MAX_SOCKS);
		return NFE_INVAL;
	}
	if (parse_spec(spec, addr, sizeof(addr), &port) != NFE_OK) {
		snprintf(err, errlen, "--radius-acct %s: expected [ADDR:]PORT "
		    "or [IPV6]:PORT", spec);
		return NFE_INVAL;
	}
	memset(&ss, 0, sizeof(ss));
	if (addr[0] == '\0' || inet_pton(AF_INET6, addr, &sin6->sin6_addr) == 1)
		fam = AF_INET6;
	else if (inet_pton(AF_INET, addr, &sin->sin_addr) == 1)
		fam = AF_INET;
	else {
		snprintf(err, errlen, "--radius-acct %s: '%s' is not a numeric "
		    "IPv4 or IPv6 address", spec, addr);
		return NFE_INVAL;
	}
	if ((fd = socket(fam, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0)) < 0 &&
	    addr[0] == '\0' && errno == EAFNOSUPPORT) {
		fam = AF_INET;		/* a host without IPv6 */
		fd = socket(fam, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	}
	if (fd < 0) {
		snprintf(err, errlen, "--radius-acct %s: socket: %s", spec,
		    strerror(errno));
		return NFE_IO;
	}
	if (fam == AF_INET6) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		sslen = sizeof(*sin6);
		(void)setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY,
		    addr[0] == '\0' ? &off : &on, sizeof(int));
	} else {
		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		sslen = sizeof(*sin);
	}
	if (bind(fd, (struct sockaddr *)&ss, sslen) != 0) {
		int e = errno;

		snprintf(err, errlen, "--radius-acct %s: bind: %s%s", spec,
		    strerror(e), e == EADDRINUSE ? " (another RADIUS server "
		    "listens there)" : "");
		close(fd);
		errno = e;
		return NFE_IO;
	}
	sslen = sizeof(ss);
	(void)getsockname(fd, (struct sockaddr *)&ss, &sslen);
	l = &r->l[r->nl];
	memset(l, 0, sizeof(*l));
	for (size_t i = 0; i < LISTEN_MAX_SOCKS; i++)
		l->fd[i] = -1;
	l->fd[0] = fd;
	l->nfd = 1;
	l->port = ntohs(fam == AF_INET ? sin->sin_port : sin6->sin6_port);
	if (r->dup == NULL &&
	    (r->dup = calloc(RADRECV_DUP_SLOTS, sizeof(*r->dup))) == NULL) {
		snprintf(err, errlen, "--radius-acct: out of memory");
		return NFE_NOMEM;
	}
	if (r->batch.priv == NULL && listen_batch_init(&r->batch) != NFE_OK) {
		snprintf(err, errlen, "--radius-acct: out of memory");
		return NFE_NOMEM;
	}
	r->nl++;
	return NFE_OK;
}

uint16_t
radrecv_port(const struct radrecv *r, size_t i)
{
	return i < r->nl ? r->l[i].port : 0;
}

void
radrecv_close(struct radrecv *r)
{
	for (size_t i = 0; i < r->nl; i++)
		close(r->l[i].fd[0]);
	r->nl = 0;
	free(r->secrets);
	free(r->dup);
	listen_batch_fini(&r->batch);
	r->secrets = NULL;
	r->dup = NULL;
}

/* The cache slot of (source, port, identifier). */
static struct radrecv_dup *
dup_slot(struct radrecv *r, const struct listen_msg *m, uint8_t id)
{
	uint8_t key[19];

	memcpy(key, m->src.a, 16);
	key[16] = (uint8_t)(m->sport >> 8);
	key[17] = (uint8_t)m->sport;
	key[18] = id;
	return &r->dup[strtab_hash(key, sizeof(key), 7) &
	    (RADRECV_DUP_SLOTS - 1)];
}

static void
sendto_src(int fd, const struct listen_msg *m, const uint8_t *buf, size_t len)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
	socklen_t sl = sizeof(ss);

	if (getsockname(fd, (struct sockaddr *)&ss, &sl) != 0)
		return;
	if (ss.ss_family == AF_INET) {
		memset(sin, 0, sizeof(*sin));
		sin->sin_family = AF_INET;
		sin->sin_port = htons(m->sport);
		memcpy(&sin->sin_addr, m->src.a + 12, 4);
		sl = sizeof(*sin);
	} else {
		memset(sin6, 0, sizeof(*sin6));
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(m->sport);
		memcpy(&sin6->sin6_addr, m->src.a, 16);
		sl = sizeof(*sin6);
	}
	(void)sendto(fd, buf, len, 0, (struct sockaddr *)&ss, sl);
}

static void
warn(struct radrecv *r, const struct listen_msg *m, const char *what,
    uint64_t count)
{
	char a[ADDR_STRLEN];

	if (log_ratelimit(&r->rl, time_mono_ms()))
		log_msg(LOG_WARNING, "RADIUS from %s port %u: %s (%" PRIu64
		    " so far)", addr_format(&m->src, a, sizeof(a)),
		    (unsigned)m->sport, what, count);
}

/* What became of one request of the round. */
enum { R_DROP, R_REPLY, R_PENDING };

static size_t
handle(struct radrecv *r, size_t k, radrecv_apply_fn *apply,
    radrecv_commit_fn *commit, void *arg)
{
	struct radius_acct acct[LISTEN_BATCH];
	uint8_t fate[LISTEN_BATCH];
	const struct radrecv_secret *sec[LISTEN_BATCH];
	struct listener *l = &r->l[k];
	size_t pending = 0;
	int n = listen_recv(l, 0, &r->batch);

	if (n <= 0)
		return 0;
	for (int i = 0; i < n; i++) {
		const struct listen_msg *m = &r->batch.msg[i];
		struct radius_acct *a = &acct[i];
		struct radrecv_dup *d;
		int rc;

		fate[i] = R_DROP;
		r->cnt.requests++;
		if ((sec[i] = secret_of(r, &m->src)) == NULL) {
			r->cnt.unknown_nas++;
			warn(r, m, "no secret for this NAS in --radius-secret, "
			    "request dropped", r->cnt.unknown_nas);
			continue;
		}
		rc = m->truncated ? NFE_LIMIT : radius_parse(m->data, m->len, a);
		if (rc != NFE_OK) {
			char what[128];

			r->cnt.malformed++;
			snprintf(what, sizeof(what), "not a valid "
			    "Accounting-Request (%s), dropped", m->truncated ?
			    "too long" : nferr_str(rc));
			warn(r, m, what, r->cnt.malformed);
			continue;
		}
		if (radius_verify(m->data, a, sec[i]->secret, sec[i]->len) !=
		    NFE_OK) {
			r->cnt.bad_auth++;
			warn(r, m, "bad Request Authenticator (wrong secret?), "
			    "request dropped", r->cnt.bad_auth);
			continue;
		}
		d = dup_slot(r, m, a->id);
		if (d->seen_ms != 0 && r->batch.recv_ms - d->seen_ms <
		    RADRECV_DUP_MS && d->sport == m->sport && d->id == a->id &&
		    addr_eq(&d->src, &m->src) &&
		    memcmp(d->auth, a->auth, RADIUS_AUTH_LEN) == 0) {
			r->cnt.duplicates++;
			fate[i] = R_REPLY;	/* recorded before: answer again */
			continue;
		}
		if ((rc = apply(arg, a, &m->src, r->batch.recv_ms)) != NFE_OK) {
			if (rc == NFE_UNSUPP) {
				r->cnt.ignored++;
				fate[i] = R_PENDING;
				pending++;
				continue;
			}
			r->cnt.not_recorded++;
			warn(r, m, "request not recorded, not answered",
			    r->cnt.not_recorded);
			continue;
		}
		fate[i] = R_PENDING;
		pending++;
	}
	if (pending > 0 && commit(arg) != NFE_OK) {
		for (int i = 0; i < n; i++)
			if (fate[i] == R_PENDING) {
				fate[i] = R_DROP;
				r->cnt.not_recorded++;
			}
		warn(r, &r->batch.msg[0], "cannot record requests: not "
		    "answered", r->cnt.not_recorded);
	}
	for (int i = 0; i < n; i++) {
		const struct listen_msg *m = &r->batch.msg[i];
		uint8_t resp[RADIUS_HDR_LEN];
		size_t rlen;

		if (fate[i] == R_DROP)
			continue;
		if (fate[i] == R_PENDING) {
			struct radrecv_dup *d = dup_slot(r, m, acct[i].id);

			d->src = m->src;
			d->sport = m->sport;
			d->id = acct[i].id;
			memcpy(d->auth, acct[i].auth, RADIUS_AUTH_LEN);
			d->seen_ms = r->batch.recv_ms;
			r->cnt.accepted++;
		}
		if (radius_response(&acct[i], sec[i]->secret, sec[i]->len,
		    resp, sizeof(resp), &rlen) == NFE_OK)
			sendto_src(l->fd[0], m, resp, rlen);
	}
	return (size_t)n;
}

size_t
radrecv_round(struct radrecv *r, int timeout_ms, radrecv_apply_fn *apply,
    radrecv_commit_fn *commit, void *arg)
{
	struct pollfd pfd[RADRECV_MAX_SOCKS];
	size_t got = 0;

	if (r->nl == 0)
		return 0;
	for (size_t k = 0; k < r->nl; k++) {
		pfd[k].fd = r->l[k].fd[0];
		pfd[k].events = POLLIN;
		pfd[k].revents = 0;
	}
	if (poll(pfd, (nfds_t)r->nl, timeout_ms) <= 0)
		return 0;
	for (size_t k = 0; k < r->nl; k++) {
		if (!(pfd[k].revents & (POLLIN | POLLERR)))
			continue;
		for (size_t burst = 0; burst < 64; burst++) {
			size_t n = handle(r, k, apply, commit, arg);

			got += n;
			if (n < LISTEN_BATCH)
				break;
		}
	}
	return got;
}
