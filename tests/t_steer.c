/*
 * tests/t_steer.c -- collector/steer and the workers' sockets of
 * collector/listen: the kernel delivers each exporter's datagrams to
 * the socket of the worker steer_owner() names (2 and 3 workers, 19
 * source addresses, several source ports each: a template and its data
 * from different ports meet in one worker); the hash itself on known
 * values (IPv4, IPv6, consecutive addresses in turn); and the port
 * stays refused to a plain socket and to another set of workers'
 * sockets, while a socket that asks for SO_REUSEPORT itself (any
 * program of the same user may) joins but receives nothing.
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
#include "collector/steer.h"
#include "common/base/nferr.h"
#include "tap.h"

/* One datagram from src (127.0.0.x) and a fresh port to 127.0.0.1:port. */
static bool
send_from(const char *src, uint16_t port)
{
	struct sockaddr_in a, to;
	int fd;
	bool ok;

	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	inet_pton(AF_INET, src, &a.sin_addr);
	memset(&to, 0, sizeof(to));
	to.sin_family = AF_INET;
	inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
	to.sin_port = htons(port);
	if ((fd = socket(AF_INET, SOCK_DGRAM, 0)) == -1)
		return false;
	ok = bind(fd, (struct sockaddr *)&a, sizeof(a)) == 0 &&
	    sendto(fd, "x", 1, 0, (struct sockaddr *)&to, sizeof(to)) == 1;
	close(fd);
	return ok;
}

/* Which worker's sockets got datagrams now: -1 none, -2 several. */
static int
who_got(struct listener *l, size_t nw, struct listen_batch *b,
    const struct nf_addr *want, int *n)
{
	int got = -1;

	*n = 0;
	for (int tries = 0; tries < 20 && *n == 0; tries++) {
		usleep(5000);
		for (size_t w = 0; w < nw; w++) {
			int k;

			while ((k = listen_recv(&l[w], 0, b)) > 0) {
				for (int i = 0; i < k; i++)
					if (!addr_eq(&b->msg[i].src, want))
						return -3;
				*n += k;
				got = got == -1 || got == (int)w ? (int)w : -2;
			}
		}
	}
	return got;
}

/* A foreign SO_REUSEPORT socket on the workers' port gets nothing. */
static bool
intruder(struct listener *l, size_t nw, struct listen_batch *b)
{
	struct sockaddr_in a;
	char src[32], buf[16];
	int fd, on = 1, theirs = 0, ours = 0, k;

	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
	a.sin_port = htons(l[0].port);
	if ((fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0)) == -1)
		return false;
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &on, sizeof(on)) != 0 ||
	    bind(fd, (struct sockaddr *)&a, sizeof(a)) != 0) {
		close(fd);
		return true;		/* refused outright: fine too */
	}
	for (int x = 2; x < 42; x++) {
		snprintf(src, sizeof(src), "127.0.0.%d", x);
		(void)send_from(src, l[0].port);
	}
	usleep(50000);
	while (recv(fd, buf, sizeof(buf), 0) > 0)
		theirs++;
	for (size_t w = 0; w < nw; w++)
		while ((k = listen_recv(&l[w], 0, b)) > 0)
			ours += k;
	close(fd);
	if (theirs != 0 || ours != 40)
		tap_diag("intruder got %d, workers %d", theirs, ours);
	return theirs == 0 && ours == 40;
}

static void
test_kernel(size_t nw)
{
	struct listener l[3], l2[3];
	struct listen_batch b;
	const char *v4[] = { "127.0.0.1" };
	char err[256], src[32];
	struct nf_addr a;
	int agree = 0, spread[3] = { 0, 0, 0 }, n, got;
	bool ok;

	listen_batch_init(&b);
	if (listen_open(l, nw, v4, 1, 0, 1 << 20, err, sizeof(err)) !=
	    NFE_OK) {
		tap_ok(false, "%zu workers' sockets: %s", nw, err);
		tap_ok(false, "refused to others");
		listen_batch_fini(&b);
		return;
	}
	tap_ok(l[0].steer_err == 0, "%zu workers: the steering program is "
	    "attached (%s)", nw, strerror(l[0].steer_err));
	for (int x = 2; x <= 20; x++) {
		snprintf(src, sizeof(src), "127.0.0.%d", x);
		addr_parse(src, &a);
		/* five source ports: all must reach one worker */
		for (int k = 0; k < 5; k++)
			(void)send_from(src, l[0].port);
		got = who_got(l, nw, &b, &a, &n);
		if (got >= 0 && n == 5 && (unsigned)got == steer_owner(&a,
		    (unsigned)nw)) {
			agree++;
			spread[got]++;
		} else {
			tap_diag("%s: worker %d got %d datagrams, owner %u",
			    src, got, n, steer_owner(&a, (unsigned)nw));
		}
	}
	tap_ok(agree == 19, "%zu workers: the kernel delivers each of 19 "
	    "exporters' datagrams (5 source ports each) to its owner's socket "
	    "(%d agree)", nw, agree);
	ok = spread[0] > 0 && spread[1] > 0 && (nw < 3 || spread[2] > 0);
	tap_ok(ok, "every worker owns some of them (%d %d %d)", spread[0],
	    spread[1], spread[2]);
	/* the port is not shared with anyone else */
	ok = listen_open(l2, 1, v4, 1, l[0].port, 0, err, sizeof(err)) ==
	    NFE_IO && errno == EADDRINUSE && strstr(err, "another collector")
	    != NULL;
	tap_ok(ok, "a plain socket on the port is refused: %s", err);
	ok = listen_open(l2, nw, v4, 1, l[0].port, 0, err, sizeof(err)) ==
	    NFE_IO && errno == EADDRINUSE;
	tap_ok(ok, "another set of %zu workers' sockets is refused", nw);
	tap_ok(intruder(l, nw, &b), "%zu workers: a socket that sets "
	    "SO_REUSEPORT joins the port but gets none of 40 datagrams", nw);
	listen_close(l, nw);
	listen_batch_fini(&b);
}

static void
test_hash(void)
{
	struct nf_addr a, b6;
	unsigned in_turn = 0;
	char s[32];

	/* 127.0.0.2: 0x7f000002 ^ 0x00007f00 = 0x7f007f02,
	   ^ 0x007f007f = 0x7f7f7f7d */
	addr_parse("127.0.0.2", &a);
	tap_ok(steer_owner(&a, 2) == 0x7f7f7f7du % 2 &&
	    steer_owner(&a, 3) == 0x7f7f7f7du % 3 &&
	    steer_owner(&a, 7) == 0x7f7f7f7du % 7 && steer_owner(&a, 1) == 0,
	    "IPv4 hash by hand");
	/* 2001:db8::1: words 0x20010db8 ^ 0 ^ 0 ^ 1 = 0x20010db9;
	   ^ 0x00002001 = 0x20012db8; ^ 0x0020012d = 0x20212c95 */
	addr_parse("2001:db8::1", &b6);
	tap_ok(steer_owner(&b6, 5) == 0x20212c95u % 5 &&
	    steer_owner(&b6, 2) == 1,
	    "IPv6 hash by hand");
	for (int x = 1; x <= 8; x++) {
		snprintf(s, sizeof(s), "10.0.0.%d", x);
		addr_parse(s, &a);
		if (steer_owner(&a, 2) == (unsigned)(x + 1) % 2)
			in_turn++;
	}
	tap_ok(in_turn == 8 || in_turn == 0, "consecutive addresses take the "
	    "two workers in turn");
}

int
main(void)
{
	tap_plan(15);
	test_hash();
	test_kernel(2);
	test_kernel(3);
	return tap_done();
}
