/*
 * tests/nfsend.c -- test helper: send datagrams to host:port.
 *
 *   nfsend [-b srcaddr] [-i usec] [-g count[:seed]] host port [file ...]
 *
 * Each file holds one datagram per line as hex digits (spaces and
 * colons ignored; '#' starts a comment; blank lines are skipped).  A
 * file named "-" is standard input.  -g sends count deterministic
 * hostile datagrams after the files: random bytes, and headers of
 * every version (sFlow v5 too) whose counts, lengths and set ids are
 * wrong.  -b binds
 * the source address (e.g. 127.0.0.2 to play a second exporter), -i
 * sleeps between datagrams.  Prints "sent N" on stdout.
 */
#include "common/base/compat.h"

#include <sys/socket.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int fd = -1;
static struct sockaddr_storage dst;
static socklen_t dstlen;
static unsigned long gap_us;
static unsigned long nsent;

static void
die(const char *what)
{
	fprintf(stderr, "nfsend: %s: %s\n", what, strerror(errno));
	exit(2);
}

static int
to_sa(const char *host, unsigned port, struct sockaddr_storage *ss,
    socklen_t *len)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, host, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons((uint16_t)port);
		*len = sizeof(*sin);
		return 0;
	}
	if (inet_pton(AF_INET6, host, &sin6->sin6_addr) == 1) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons((uint16_t)port);
		*len = sizeof(*sin6);
		return 0;
	}
	return -1;
}

static void
send_one(const uint8_t *p, size_t len)
{
	if (sendto(fd, p, len, 0, (struct sockaddr *)&dst, dstlen) == -1)
		die("sendto");
	nsent++;
	if (gap_us > 0)
		usleep((useconds_t)gap_us);
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static void
send_file(const char *path)
{
	static uint8_t buf[65536];
	static char line[200000];
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
	size_t n;
	int hi, v;

	if (f == NULL)
		die(path);
	while (fgets(line, sizeof(line), f) != NULL) {
		n = 0;
		hi = -1;
		for (char *p = line; *p != '\0' && *p != '#'; p++) {
			if (isspace((unsigned char)*p) || *p == ':')
				continue;
			if ((v = hexval((unsigned char)*p)) < 0 ||
			    n >= sizeof(buf)) {
				fprintf(stderr, "nfsend: %s: bad hex\n", path);
				exit(2);
			}
			if (hi < 0) {
				hi = v;
			} else {
				buf[n++] = (uint8_t)(hi << 4 | v);
				hi = -1;
			}
		}
		if (hi >= 0) {
			fprintf(stderr, "nfsend: %s: odd number of hex "
			    "digits\n", path);
			exit(2);
		}
		if (n > 0)
			send_one(buf, n);
	}
	if (f != stdin)
		fclose(f);
}

static uint32_t
rnd(uint64_t *s)
{
	*s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
	return (uint32_t)(*s >> 33);
}

static void
put16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void
put32(uint8_t *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p + 2, v);
}

/*
 * An sFlow v5 header (IPv4 agent) of len >= 28 bytes whose samples do
 * not fit: kind 0 a sample count no datagram can hold, 1 a sample
 * length past the end, 2 a flow record longer than its sample, 3 more
 * flow records than the sample can hold.
 */
static size_t
sflow_bad(uint8_t *b, size_t len, unsigned kind, uint64_t *s)
{
	if (len < 28 + 8 + 32 + 8)
		len = 28 + 8 + 32 + 8;
	put32(b, 5);
	put32(b + 4, 1);
	put32(b + 24, kind == 0 ? 0x10000000u + rnd(s) % 1000 : 1);
	put32(b + 28, 1);			/* a flow sample */
	put32(b + 32, kind == 1 ? (uint32_t)len + rnd(s) % 100 :
	    (uint32_t)len - 36);
	put32(b + 36 + 28, kind == 3 ? 0x20000000u : 1);
	put32(b + 36 + 32, 1);			/* raw packet header */
	put32(b + 36 + 36, (uint32_t)len);	/* longer than the sample */
	return len;
}

/* One hostile datagram: kind chosen by i, contents by the generator. */
static size_t
garbage(uint8_t *b, size_t cap, unsigned long i, uint64_t *s)
{
	size_t len = rnd(s) % 1500;
	static const uint16_t versions[] = { 1, 5, 7, 9, 10 };

	if (len > cap)
		len = cap;
	for (size_t k = 0; k < len; k++)
		b[k] = (uint8_t)rnd(s);
	switch (i % 10) {
	case 0:			/* random bytes (maybe a random version) */
		break;
	case 1:			/* v5 whose count needs more bytes than sent */
		if (len < 24)
			len = 24;
		put16(b, 5);
		put16(b + 2, (uint32_t)(len - 24) / 48 + 1 + rnd(s) % 5);
		break;
	case 2:			/* v9 with a flowset length of 0..3 */
		if (len < 24)
			len = 24;
		put16(b, 9);
		put16(b + 20, rnd(s) % 2);
		put16(b + 22, rnd(s) % 4);
		break;
	case 3:			/* IPFIX whose length disagrees */
		if (len < 20)
			len = 20;
		put16(b, 10);
		put16(b + 2, (uint32_t)len + 1 + rnd(s) % 100);
		break;
	case 4:			/* IPFIX template set running past the end */
		if (len < 24)
			len = 24;
		put16(b, 10);
		put16(b + 2, (uint32_t)len);
		put16(b + 16, 2);
		put16(b + 18, (uint32_t)len);	/* 16 bytes too long */
		put16(b + 20, 256 + rnd(s) % 10);
		put16(b + 22, 60000);
		break;
	case 6:			/* sFlow whose lengths do not fit */
	case 7:
	case 8:
	case 9:
		len = sflow_bad(b, len < cap ? len : cap, i % 10 - 6, s);
		break;
	default:		/* a known version, truncated header */
		len = rnd(s) % 12;
		if (len < 2)
			len = 2;
		put16(b, versions[rnd(s) % 5]);
		break;
	}
	return len;
}

int
main(int argc, char **argv)
{
	struct sockaddr_storage src;
	socklen_t srclen;
	const char *bindaddr = NULL;
	unsigned long ngarbage = 0;
	uint64_t seed = 1;
	uint8_t buf[1500];
	char *end;
	int ch;

	while ((ch = getopt(argc, argv, "b:g:i:")) != -1) {
		switch (ch) {
		case 'b':
			bindaddr = optarg;
			break;
		case 'g':
			ngarbage = strtoul(optarg, &end, 10);
			if (*end == ':')
				seed = strtoull(end + 1, NULL, 10);
			break;
		case 'i':
			gap_us = strtoul(optarg, NULL, 10);
			break;
		default:
			fprintf(stderr, "usage: nfsend [-b srcaddr] [-i usec] "
			    "[-g count[:seed]] host port [file ...]\n");
			return 2;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 2 || to_sa(argv[0], (unsigned)atoi(argv[1]), &dst,
	    &dstlen) == -1) {
		fprintf(stderr, "nfsend: need a numeric host and a port\n");
		return 2;
	}
	if ((fd = socket(dst.ss_family, SOCK_DGRAM, 0)) == -1)
		die("socket");
	if (bindaddr != NULL) {
		if (to_sa(bindaddr, 0, &src, &srclen) == -1)
			die("bad -b address");
		if (bind(fd, (struct sockaddr *)&src, srclen) == -1)
			die("bind");
	}
	for (int i = 2; i < argc; i++)
		send_file(argv[i]);
	for (unsigned long i = 0; i < ngarbage; i++)
		send_one(buf, garbage(buf, sizeof(buf), i, &seed));
	printf("sent %lu\n", nsent);
	return 0;
}
