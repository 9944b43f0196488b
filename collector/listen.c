/*
 * collector/listen.c -- UDP sockets and batched reception for flowcapd.
 *
 * Must never block: sockets are non-blocking and listen_wait() is the
 * only place that sleeps.  The kernel's per-socket drop counter (the
 * "drops" column of /proc/net/udp) is read with SO_MEMINFO, which also
 * sees drops at the end of a burst that no datagram follows; where
 * that is missing it arrives as an SO_RXQ_OVFL control message on each
 * datagram.  Both are cumulative 32-bit counters; differences to the
 * last value seen are added up.
 *
 * No SO_REUSEADDR, and SO_REUSEPORT only inside one flowcapd: a port
 * that another process has bound is refused (EADDRINUSE), so two
 * collectors never split one exporter's datagrams (and its templates)
 * between them.  With several workers, the first socket of a group is
 * bound before it is marked SO_REUSEPORT, which keeps that refusal
 * (a taken port fails the plain bind, and a second flowcapd does the
 * same); the workers' other sockets then join it, and the steering
 * program (collector/steer.h) decides which member gets a datagram.
 */
#include "common/base/compat.h"

#include <sys/types.h>
#include <sys/socket.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collector/listen.h"
#include "collector/steer.h"
#include "common/base/nferr.h"
#include "common/base/timeutil.h"

#include <linux/sock_diag.h>

#ifndef SO_RXQ_OVFL
#define SO_RXQ_OVFL	40
#endif
#ifndef SO_MEMINFO
#define SO_MEMINFO	55
#endif

#define CMSG_SPACE_OVFL	64

struct batch_priv {
	struct mmsghdr		hdr[LISTEN_BATCH];
	struct iovec		iov[LISTEN_BATCH];
	struct sockaddr_storage	from[LISTEN_BATCH];
	uint8_t			ctl[LISTEN_BATCH][CMSG_SPACE_OVFL];
	uint8_t			*buf;	/* owned: LISTEN_BATCH * (MAX+1) */
};

/* How a socket takes part in a group of the workers' sockets. */
enum reuse {
	REUSE_NONE,		/* one worker: no sharing at all */
	REUSE_FIRST,		/* bound alone, so a taken port is refused;
				   SO_REUSEPORT set afterwards */
	REUSE_MEMBER		/* SO_REUSEPORT, then bound beside it */
};

/*
 * One socket on addr (NULL: the wildcard; dual: IPv6 and IPv4) and
 * port; *bound gets the port the kernel chose when port or *bound is 0.
 * opt names the option of the port, for messages.
 */
static int
open_one(struct listener *l, const char *addr, bool dual, uint16_t port,
    uint16_t *bound, const char *opt, int rcvbuf, enum reuse reuse,
    char *err, size_t errlen)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
	socklen_t sslen;
	int fd, on = 1, off = 0, fam;

	memset(&ss, 0, sizeof(ss));
	if (addr == NULL) {
		fam = dual ? AF_INET6 : AF_INET;
	} else if (inet_pton(AF_INET, addr, &sin->sin_addr) == 1) {
		fam = AF_INET;
	} else if (inet_pton(AF_INET6, addr, &sin6->sin6_addr) == 1) {
		fam = AF_INET6;
	} else {
		snprintf(err, errlen, "-b %s: not a numeric IPv4 or IPv6 "
		    "address", addr);
		return NFE_INVAL;
	}
	if (fam == AF_INET) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		sslen = sizeof(*sin);
	} else {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		sslen = sizeof(*sin6);
	}
	if ((fd = socket(fam, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0)) == -1) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		return NFE_IO;
	}
	if (fam == AF_INET6)
		(void)setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY,
		    addr == NULL ? &off : &on, sizeof(int));
	(void)setsockopt(fd, SOL_SOCKET, SO_RXQ_OVFL, &on, sizeof(on));
	if (rcvbuf > 0 && setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf,
	    sizeof(rcvbuf)) == -1 && setsockopt(fd, SOL_SOCKET, SO_RCVBUF,
	    &rcvbuf, sizeof(rcvbuf)) == -1) {
		snprintf(err, errlen, "-B %d: %s", rcvbuf, strerror(errno));
		close(fd);
		return NFE_IO;
	}
	if (reuse == REUSE_MEMBER && setsockopt(fd, SOL_SOCKET, SO_REUSEPORT,
	    &on, sizeof(on)) == -1) {
		snprintf(err, errlen, "SO_REUSEPORT: %s", strerror(errno));
		close(fd);
		return NFE_IO;
	}
	if (bind(fd, (struct sockaddr *)&ss, sslen) == -1) {
		int e = errno;

		snprintf(err, errlen, "bind %s port %u: %s%s%s%s",
		    addr != NULL ? addr : (fam == AF_INET6 ? "::" : "0.0.0.0"),
		    (unsigned)port, strerror(e), e == EADDRINUSE ?
		    " (another collector receives on this port: stop it or "
		    "choose another with " : "", e == EADDRINUSE ? opt : "",
		    e == EADDRINUSE ? ")" : "");
		close(fd);
		errno = e;
		return e == EAFNOSUPPORT ? NFE_UNSUPP : NFE_IO;
	}
	/* the port is ours: now the other workers' sockets may join it */
	if (reuse == REUSE_FIRST && setsockopt(fd, SOL_SOCKET, SO_REUSEPORT,
	    &on, sizeof(on)) == -1) {
		snprintf(err, errlen, "SO_REUSEPORT: %s", strerror(errno));
		close(fd);
		return NFE_IO;
	}
	if (port == 0 || *bound == 0) {
		sslen = sizeof(ss);
		if (getsockname(fd, (struct sockaddr *)&ss, &sslen) == 0)
			*bound = ntohs(fam == AF_INET ? sin->sin_port :
			    sin6->sin6_port);
	}
	l->fd[l->nfd++] = fd;
	return NFE_OK;
}

/*
 * One socket per worker on addr and *port, in one SO_REUSEPORT group
 * (worker i's socket is the group's member i) with the steering
 * program when there are several.
 */
static int
open_group(struct listener *l, size_t nw, const char *addr, bool dual,
    uint16_t *port, const char *opt, int rcvbuf, char *err, size_t errlen)
{
	int r;

	for (size_t w = 0; w < nw; w++) {
		r = open_one(&l[w], addr, dual, *port, port, opt, rcvbuf,
		    nw == 1 ? REUSE_NONE : w == 0 ? REUSE_FIRST : REUSE_MEMBER,
		    err, errlen);
		if (r != NFE_OK)
			return r;
	}
	if (nw > 1 && steer_attach(l[0].fd[l[0].nfd - 1], (unsigned)nw) != 0 &&
	    l[0].steer_err == 0)
		l[0].steer_err = errno;
	return NFE_OK;
}

/* Sockets on every address (or the wildcard) for one port. */
static int
open_port(struct listener *l, size_t nw, const char *const *addrs,
    size_t naddrs, uint16_t *port, const char *opt, int rcvbuf, char *err,
    size_t errlen)
{
	int r;

	if (naddrs > LISTEN_MAX_ADDRS) {
		snprintf(err, errlen, "-b: at most %d addresses",
		    LISTEN_MAX_ADDRS);
		return NFE_INVAL;
	}
	if (naddrs == 0) {
		r = open_group(l, nw, NULL, true, port, opt, rcvbuf, err,
		    errlen);
		/* no IPv6 on the host (the first socket fails alone) */
		if (r == NFE_UNSUPP || (r == NFE_IO && errno == EAFNOSUPPORT))
			r = open_group(l, nw, NULL, false, port, opt, rcvbuf,
			    err, errlen);
		return r;
	}
	for (size_t i = 0; i < naddrs; i++) {
		/* later sockets share the port the first one got */
		if ((r = open_group(l, nw, addrs[i], false, port, opt, rcvbuf,
		    err, errlen)) != NFE_OK)
			return r;
	}
	return NFE_OK;
}

int
listen_open(struct listener *l, size_t nworkers, const char *const *addrs,
    size_t naddrs, uint16_t port, int rcvbuf, char *err, size_t errlen)
{
	int r;

	if (nworkers < 1 || nworkers > LISTEN_MAX_WORKERS) {
		snprintf(err, errlen, "-W %zu: 1 to %d workers", nworkers,
		    LISTEN_MAX_WORKERS);
		return NFE_INVAL;
	}
	for (size_t w = 0; w < nworkers; w++) {
		memset(&l[w], 0, sizeof(l[w]));
		for (size_t i = 0; i < LISTEN_MAX_SOCKS; i++)
			l[w].fd[i] = -1;
	}
	l[0].port = port;
	if ((r = open_port(l, nworkers, addrs, naddrs, &l[0].port, "-p",
	    rcvbuf, err, errlen)) != NFE_OK)
		listen_close(l, nworkers);
	for (size_t w = 1; w < nworkers; w++)
		l[w].port = l[0].port;
	return r;
}

int
listen_add_port(struct listener *l, size_t nworkers,
    const char *const *addrs, size_t naddrs, uint16_t port, int rcvbuf,
    const char *opt, char *err, size_t errlen)
{
	size_t first[LISTEN_MAX_WORKERS];
	int r;

	for (size_t w = 0; w < nworkers; w++)
		first[w] = l[w].nfd;
	l[0].port2 = port;
	if ((r = open_port(l, nworkers, addrs, naddrs, &l[0].port2, opt,
	    rcvbuf, err, errlen)) != NFE_OK) {
		for (size_t w = 0; w < nworkers; w++)
			while (l[w].nfd > first[w])
				close(l[w].fd[--l[w].nfd]);
		l[0].port2 = 0;
	}
	for (size_t w = 1; w < nworkers; w++)
		l[w].port2 = l[0].port2;
	return r;
}

void
listen_close(struct listener *l, size_t nworkers)
{
	for (size_t w = 0; w < nworkers; w++) {
		for (size_t i = 0; i < l[w].nfd; i++)
			if (l[w].fd[i] != -1)
				close(l[w].fd[i]);
		l[w].nfd = 0;
	}
}

int
listen_rcvbuf(const struct listener *l)
{
	int v = 0;
	socklen_t len = sizeof(v);

	if (l->nfd == 0 || getsockopt(l->fd[0], SOL_SOCKET, SO_RCVBUF, &v,
	    &len) == -1)
		return -1;
	return v / 2;
}

int
listen_drops(struct listener *l, uint64_t *total)
{
	uint32_t mi[SK_MEMINFO_VARS];
	socklen_t len;

	for (size_t i = 0; i < l->nfd; i++) {
		len = sizeof(mi);
		if (getsockopt(l->fd[i], SOL_SOCKET, SO_MEMINFO, mi, &len) ==
		    -1 || len <= SK_MEMINFO_DROPS * sizeof(mi[0]))
			return NFE_UNSUPP;
		l->drops_total += (uint32_t)(mi[SK_MEMINFO_DROPS] -
		    l->drops_last[i]);
		l->drops_last[i] = mi[SK_MEMINFO_DROPS];
	}
	*total = l->drops_total;
	return NFE_OK;
}

int
listen_batch_init(struct listen_batch *b)
{
	struct batch_priv *p;

	memset(b, 0, sizeof(*b));
	if ((p = calloc(1, sizeof(*p))) == NULL)
		return NFE_NOMEM;
	if ((p->buf = malloc((size_t)LISTEN_BATCH *
	    (LISTEN_MAX_DGRAM + 1))) == NULL) {
		free(p);
		return NFE_NOMEM;
	}
	b->priv = p;
	return NFE_OK;
}

void
listen_batch_fini(struct listen_batch *b)
{
	struct batch_priv *p = b->priv;

	if (p != NULL) {
		free(p->buf);
		free(p);
	}
	b->priv = NULL;
}

static void
from_sockaddr(const struct sockaddr_storage *ss, struct nf_addr *a,
    uint16_t *port)
{
	const struct sockaddr_in *sin = (const struct sockaddr_in *)ss;
	const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)ss;

	memset(a, 0, sizeof(*a));
	*port = 0;
	if (ss->ss_family == AF_INET) {
		addr_from_v4_bytes(a, (const uint8_t *)&sin->sin_addr);
		*port = ntohs(sin->sin_port);
	} else if (ss->ss_family == AF_INET6) {
		/* a v4-mapped source on a dual-stack socket stays mapped */
		addr_from_v6(a, sin6->sin6_addr.s6_addr);
		*port = ntohs(sin6->sin6_port);
	}
}

int
listen_recv(struct listener *l, size_t i, struct listen_batch *b)
{
	struct batch_priv *p = b->priv;
	struct cmsghdr *cm;
	uint32_t ovfl;
	bool have_ovfl = false;
	int n;

	b->n = 0;
	b->kdrops = 0;
	for (size_t k = 0; k < LISTEN_BATCH; k++) {
		p->iov[k].iov_base = p->buf + k * (LISTEN_MAX_DGRAM + 1);
		p->iov[k].iov_len = LISTEN_MAX_DGRAM + 1;
		memset(&p->hdr[k], 0, sizeof(p->hdr[k]));
		p->hdr[k].msg_hdr.msg_name = &p->from[k];
		p->hdr[k].msg_hdr.msg_namelen = sizeof(p->from[k]);
		p->hdr[k].msg_hdr.msg_iov = &p->iov[k];
		p->hdr[k].msg_hdr.msg_iovlen = 1;
		p->hdr[k].msg_hdr.msg_control = p->ctl[k];
		p->hdr[k].msg_hdr.msg_controllen = sizeof(p->ctl[k]);
	}
	n = recvmmsg(l->fd[i], p->hdr, LISTEN_BATCH, MSG_DONTWAIT, NULL);
	if (n == -1) {
		if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
			return 0;
		return NFE_IO;
	}
	b->recv_ms = time_now_ms();
	for (int k = 0; k < n; k++) {
		struct listen_msg *m = &b->msg[k];
		struct msghdr *mh = &p->hdr[k].msg_hdr;

		m->data = p->iov[k].iov_base;
		m->len = p->hdr[k].msg_len;
		m->truncated = (mh->msg_flags & MSG_TRUNC) != 0 ||
		    m->len > LISTEN_MAX_DGRAM;
		if (m->len > LISTEN_MAX_DGRAM)
			m->len = LISTEN_MAX_DGRAM;
		from_sockaddr(&p->from[k], &m->src, &m->sport);
		for (cm = CMSG_FIRSTHDR(mh); cm != NULL;
		    cm = CMSG_NXTHDR(mh, cm)) {
			if (cm->cmsg_level == SOL_SOCKET &&
			    cm->cmsg_type == SO_RXQ_OVFL &&
			    cm->cmsg_len >= CMSG_LEN(sizeof(ovfl))) {
				memcpy(&ovfl, CMSG_DATA(cm), sizeof(ovfl));
				have_ovfl = true;
			}
		}
	}
	if (have_ovfl) {
		b->kdrops = (uint32_t)(ovfl - l->kdrops_last[i]);
		l->kdrops_last[i] = ovfl;
	}
	b->n = (size_t)n;
	return n;
}

unsigned
listen_wait(const struct listener *l, int timeout_ms)
{
	struct pollfd pfd[LISTEN_MAX_SOCKS];
	unsigned mask = 0;

	for (size_t i = 0; i < l->nfd; i++) {
		pfd[i].fd = l->fd[i];
		pfd[i].events = POLLIN;
		pfd[i].revents = 0;
	}
	if (poll(pfd, (nfds_t)l->nfd, timeout_ms) <= 0)
		return 0;
	for (size_t i = 0; i < l->nfd; i++)
		if (pfd[i].revents & (POLLIN | POLLERR))
			mask |= 1u << i;
	return mask;
}
