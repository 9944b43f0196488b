/*
 * tests/t_listen.c -- collector/listen: binding (explicit IPv4 and
 * IPv6, the dual-stack default, port 0), batched reception with source
 * address and port, bad bind addresses, a port another socket holds
 * (refused: no sharing), and the kernel's drop count read at once
 * (SO_MEMINFO), also for drops no datagram followed.
 */
#include "common/base/compat.h"

#include <sys/socket.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "collector/listen.h"
#include "common/base/nferr.h"
#include "tap.h"

/* Send n datagrams "dgram-<i>" from a socket of family fam; returns its port. */
static uint16_t
send_some(int fam, const char *to, uint16_t port, int n)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
	socklen_t sl;
	char msg[32];
	int fd;
	uint16_t sport;

	memset(&ss, 0, sizeof(ss));
	if (fam == AF_INET) {
		sin->sin_family = AF_INET;
		inet_pton(AF_INET, to, &sin->sin_addr);
		sin->sin_port = htons(port);
		sl = sizeof(*sin);
	} else {
		sin6->sin6_family = AF_INET6;
		inet_pton(AF_INET6, to, &sin6->sin6_addr);
		sin6->sin6_port = htons(port);
		sl = sizeof(*sin6);
	}
	if ((fd = socket(fam, SOCK_DGRAM, 0)) == -1)
		return 0;
	for (int i = 0; i < n; i++) {
		snprintf(msg, sizeof(msg), "dgram-%d", i);
		sendto(fd, msg, strlen(msg), 0, (struct sockaddr *)&ss, sl);
	}
	sl = sizeof(ss);
	getsockname(fd, (struct sockaddr *)&ss, &sl);
	sport = ntohs(fam == AF_INET ? sin->sin_port : sin6->sin6_port);
	close(fd);
	return sport;
}

static int
drain(struct listener *l, struct listen_batch *b, struct nf_addr *src,
    uint16_t *sport, bool *intact)
{
	int total = 0, n;
	char want[32];

	*intact = true;
	for (int tries = 0; tries < 50 && total < 40; tries++) {
		if (listen_wait(l, 100) == 0)
			continue;
		for (size_t i = 0; i < l->nfd; i++) {
			if ((n = listen_recv(l, i, b)) <= 0)
				continue;
			for (int k = 0; k < n; k++) {
				snprintf(want, sizeof(want), "dgram-%d",
				    total + k);
				if (b->msg[k].len != strlen(want) ||
				    memcmp(b->msg[k].data, want,
				    b->msg[k].len) != 0)
					*intact = false;
			}
			*src = b->msg[0].src;
			*sport = b->msg[0].sport;
			total += n;
		}
	}
	return total;
}

int
main(void)
{
	struct listener l;
	struct listen_batch b;
	struct nf_addr src, want;
	const char *v4[] = { "127.0.0.1" }, *v6[] = { "::1" }, *bad[] = {
	    "localhost" };
	char err[256];
	uint16_t sport, sent;
	bool intact;

	tap_plan(18);
	listen_batch_init(&b);
	tap_is_int(listen_open(&l, 1, v4, 1, 0, 1 << 20, err, sizeof(err)),
	    NFE_OK, "bind 127.0.0.1 port 0");
	tap_ok(l.port != 0 && l.nfd == 1, "ephemeral port known");
	tap_ok(listen_rcvbuf(&l) >= 1 << 20, "SO_RCVBUF set");
	sent = send_some(AF_INET, "127.0.0.1", l.port, 40);
	tap_is_int(drain(&l, &b, &src, &sport, &intact), 40, "40 received");
	addr_parse("127.0.0.1", &want);
	tap_ok(intact && addr_eq(&src, &want) && sport == sent,
	    "contents, source address and port");
	listen_close(&l, 1);

	tap_is_int(listen_open(&l, 1, v6, 1, 0, 0, err, sizeof(err)), NFE_OK,
	    "bind ::1");
	sent = send_some(AF_INET6, "::1", l.port, 40);
	drain(&l, &b, &src, &sport, &intact);
	addr_parse("::1", &want);
	tap_ok(intact && addr_eq(&src, &want) && sport == sent,
	    "IPv6 source");
	listen_close(&l, 1);

	tap_is_int(listen_open(&l, 1, NULL, 0, 0, 0, err, sizeof(err)), NFE_OK,
	    "default: wildcard");
	sent = send_some(AF_INET, "127.0.0.1", l.port, 40);
	tap_is_int(drain(&l, &b, &src, &sport, &intact), 40,
	    "IPv4 on the default socket");
	addr_parse("127.0.0.1", &want);
	tap_ok(addr_eq(&src, &want) && addr_is_v4(&src),
	    "IPv4 source is v4-mapped");
	sent = send_some(AF_INET6, "::1", l.port, 40);
	drain(&l, &b, &src, &sport, &intact);
	addr_parse("::1", &want);
	tap_ok(intact && addr_eq(&src, &want) && sport == sent,
	    "IPv6 on the default socket");
	listen_close(&l, 1);

	tap_is_int(listen_open(&l, 1, bad, 1, 0, 0, err, sizeof(err)), NFE_INVAL,
	    "a name is refused");
	tap_ok(strstr(err, "localhost") != NULL, "message names the address");

	/* a port in use is refused, on the same and on the wildcard address */
	{
		struct listener l2;
		const char *any4[] = { "0.0.0.0" };
		uint64_t drops = 99;
		int got = 0, n;

		listen_open(&l, 1, v4, 1, 0, 4096, err, sizeof(err));
		tap_ok(listen_open(&l2, 1, v4, 1, l.port, 0, err, sizeof(err)) ==
		    NFE_IO && errno == EADDRINUSE && strstr(err,
		    "another collector") != NULL, "same address and port "
		    "refused: %s", err);
		tap_ok(listen_open(&l2, 1, any4, 1, l.port, 0, err, sizeof(err))
		    == NFE_IO && listen_open(&l2, 1, NULL, 0, l.port, 0, err,
		    sizeof(err)) == NFE_IO, "wildcard on that port refused");

		/*
		 * 400 datagrams into a buffer of 4 KB that nobody reads: the
		 * kernel drops most, and no datagram follows the drops.
		 */
		tap_ok(listen_drops(&l, &drops) == NFE_OK && drops == 0,
		    "no drops on a new socket");
		send_some(AF_INET, "127.0.0.1", l.port, 400);
		n = listen_drops(&l, &drops);
		tap_ok(n == NFE_OK && drops > 300, "drops seen at once: %llu",
		    (unsigned long long)drops);
		for (int tries = 0; tries < 20; tries++)
			while ((n = listen_recv(&l, 0, &b)) > 0)
				got += n;
		tap_is_int(got + (int)drops, 400,
		    "received + dropped = sent");
		listen_close(&l, 1);
	}
	listen_batch_fini(&b);
	return tap_done();
}
