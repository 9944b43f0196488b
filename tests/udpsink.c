/*
 * tests/udpsink.c -- a UDP receiver for flowprobe's export tests and
 * benchmark: counts datagrams and, optionally, writes each one into a
 * pcap file (raw IP link type, with made-up IPv4/IPv6 and UDP headers
 * around the payload) that tshark can dissect.
 *
 * usage: udpsink [-6] [-p port] [-P portfile] [-w file.pcap] [-n count]
 *                [-i idle_ms] [-t max_ms] [-B rcvbuf]
 *   Binds 127.0.0.1 (::1 with -6) on port (default 0: any free port)
 *   and writes the bound port to portfile (written under a temporary
 *   name, then renamed, so a reader never sees half of it).  Stops after
 *   count datagrams, after idle_ms without one once one came (default
 *   2000), after max_ms in all (default 60000), or on SIGTERM/SIGINT;
 *   then prints "datagrams N bytes B" and exits 0.
 */
#include "common/base/compat.h"

#include <sys/socket.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/base/buf.h"
#include "common/base/timeutil.h"

static volatile sig_atomic_t quit;

static void
on_signal(int sig)
{
	(void)sig;
	quit = 1;
}

static void
put_le32(FILE *f, uint32_t v)
{
	uint8_t b[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16),
	    (uint8_t)(v >> 24) };

	fwrite(b, 1, 4, f);
}

static uint16_t
ip_cksum(const uint8_t *p, size_t n)
{
	uint32_t sum = 0;

	for (size_t i = 0; i + 1 < n; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* One pcap record: IP + UDP header + payload, as if seen on lo. */
static void
write_pcap(FILE *f, bool v6, uint16_t sport, uint16_t dport,
    const uint8_t *p, size_t len)
{
	uint8_t h[48];
	struct wbuf w;
	uint64_t now = time_now_ms();
	size_t hl = v6 ? 48 : 28;

	wbuf_init(&w, h, sizeof(h));
	if (v6) {
		static const uint8_t lo6[16] = { [15] = 1 };

		wbuf_be32(&w, UINT32_C(6) << 28);
		wbuf_be16(&w, (uint16_t)(8 + len));
		wbuf_u8(&w, 17);
		wbuf_u8(&w, 64);
		wbuf_bytes(&w, lo6, 16);
		wbuf_bytes(&w, lo6, 16);
	} else {
		wbuf_u8(&w, 0x45);
		wbuf_u8(&w, 0);
		wbuf_be16(&w, (uint16_t)(20 + 8 + len));
		wbuf_be32(&w, 0);
		wbuf_u8(&w, 64);
		wbuf_u8(&w, 17);
		wbuf_be16(&w, 0);
		wbuf_be32(&w, INADDR_LOOPBACK);
		wbuf_be32(&w, INADDR_LOOPBACK);
		wbuf_patch_be16(&w, 10, ip_cksum(h, 20));
	}
	wbuf_be16(&w, sport);
	wbuf_be16(&w, dport);
	wbuf_be16(&w, (uint16_t)(8 + len));
	wbuf_be16(&w, 0);		/* no checksum (IPv4 allows it) */
	put_le32(f, (uint32_t)(now / 1000));
	put_le32(f, (uint32_t)(now % 1000 * 1000));
	put_le32(f, (uint32_t)(hl + len));
	put_le32(f, (uint32_t)(hl + len));
	fwrite(h, 1, hl, f);
	fwrite(p, 1, len, f);
}

static void
usage(void)
{
	fprintf(stderr, "usage: udpsink [-6] [-p port] [-P portfile] "
	    "[-w file.pcap] [-n count] [-i idle_ms] [-t max_ms] "
	    "[-B rcvbuf]\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	struct sockaddr_storage ss, from;
	struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
	struct sigaction sa;
	struct pollfd pfd;
	socklen_t sl;
	static uint8_t buf[65536];
	const char *portfile = NULL, *pcap = NULL;
	FILE *pf = NULL;
	uint64_t count = 0, idle = 2000, maxms = 60000, n = 0, bytes = 0;
	uint64_t start, last = 0, now;
	int ch, fd, port = 0, rcvbuf = 0;
	bool v6 = false;
	ssize_t r;

	while ((ch = getopt(argc, argv, "6B:i:n:p:P:t:w:")) != -1) {
		switch (ch) {
		case '6': v6 = true; break;
		case 'B': rcvbuf = atoi(optarg); break;
		case 'i': idle = strtoull(optarg, NULL, 10); break;
		case 'n': count = strtoull(optarg, NULL, 10); break;
		case 'p': port = atoi(optarg); break;
		case 'P': portfile = optarg; break;
		case 't': maxms = strtoull(optarg, NULL, 10); break;
		case 'w': pcap = optarg; break;
		default: usage();
		}
	}
	memset(&ss, 0, sizeof(ss));
	if (v6) {
		s6->sin6_family = AF_INET6;
		s6->sin6_addr = in6addr_loopback;
		s6->sin6_port = htons((uint16_t)port);
		sl = sizeof(*s6);
	} else {
		s4->sin_family = AF_INET;
		s4->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		s4->sin_port = htons((uint16_t)port);
		sl = sizeof(*s4);
	}
	if ((fd = socket(ss.ss_family, SOCK_DGRAM, 0)) == -1 ||
	    bind(fd, (struct sockaddr *)&ss, sl) == -1 ||
	    getsockname(fd, (struct sockaddr *)&ss, &sl) == -1) {
		perror("udpsink: socket");
		return 2;
	}
	if (rcvbuf > 0 && setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf,
	    sizeof(rcvbuf)) == -1)
		(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf,
		    sizeof(rcvbuf));
	port = ntohs(v6 ? s6->sin6_port : s4->sin_port);
	if (pcap != NULL) {
		if ((pf = fopen(pcap, "wb")) == NULL) {
			perror(pcap);
			return 2;
		}
		put_le32(pf, 0xa1b2c3d4);
		put_le32(pf, 2 | 4u << 16);
		put_le32(pf, 0);
		put_le32(pf, 0);
		put_le32(pf, 65535);
		put_le32(pf, 101);		/* LINKTYPE_RAW */
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	if (portfile != NULL) {
		char tmp[4096];
		FILE *f;

		snprintf(tmp, sizeof(tmp), "%s.tmp", portfile);
		if ((f = fopen(tmp, "w")) == NULL) {
			perror(tmp);
			return 2;
		}
		fprintf(f, "%d\n", port);
		fclose(f);
		rename(tmp, portfile);
	} else {
		printf("port %d\n", port);
		fflush(stdout);
	}
	start = time_mono_ms();
	pfd.fd = fd;
	pfd.events = POLLIN;
	while (!quit && (count == 0 || n < count)) {
		now = time_mono_ms();
		if (now - start >= maxms || (n > 0 && now - last >= idle))
			break;
		if (poll(&pfd, 1, 50) <= 0)
			continue;
		sl = sizeof(from);
		r = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from,
		    &sl);
		if (r < 0)
			continue;
		n++;
		bytes += (uint64_t)r;
		last = time_mono_ms();
		if (pf != NULL)
			write_pcap(pf, v6, ntohs(from.ss_family == AF_INET6 ?
			    ((struct sockaddr_in6 *)&from)->sin6_port :
			    ((struct sockaddr_in *)&from)->sin_port),
			    (uint16_t)port, buf, (size_t)r);
	}
	if (pf != NULL && fclose(pf) != 0) {
		perror(pcap);
		return 2;
	}
	printf("datagrams %" PRIu64 " bytes %" PRIu64 "\n", n, bytes);
	return 0;
}
