/*
 * bench/radblast.c -- RADIUS accounting load for the session benchmark.
 *
 *   radblast [-w window] [-s seconds] host port secret
 *
 * Sends Accounting-Requests (built and signed with flowkit's own codec,
 * common/enrich/radius.h) as fast as answers come back, keeping up to
 * window (default 128) unanswered: Start, Interim-Update and Stop of
 * subscribers user1, user2, ... with addresses from 100.64.0.0/10, for
 * seconds (default 5).  A request unanswered after one second is counted
 * lost and its identifier reused.  Prints "sent S answered A lost L
 * seconds T rate R/s" (answered requests per second).
 */
#include "common/base/compat.h"

#include <sys/socket.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/base/nferr.h"
#include "common/base/timeutil.h"
#include "common/enrich/radius.h"

int
main(int argc, char **argv)
{
	struct sockaddr_in sin;
	uint64_t sent_ms[256] = { 0 }, start, end, now;
	uint64_t sent = 0, answered = 0, lost = 0, seq = 0;
	unsigned window = 128, seconds = 5, out = 0;
	const uint8_t *secret;
	size_t slen;
	int fd, ch;

	while ((ch = getopt(argc, argv, "w:s:")) != -1) {
		switch (ch) {
		case 'w':
			window = (unsigned)atoi(optarg);
			break;
		case 's':
			seconds = (unsigned)atoi(optarg);
			break;
		default:
			goto usage;
		}
	}
	if (argc - optind != 3 || window < 1 || window > 255)
		goto usage;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)atoi(argv[optind + 1]));
	if (inet_pton(AF_INET, argv[optind], &sin.sin_addr) != 1)
		goto usage;
	secret = (const uint8_t *)argv[optind + 2];
	slen = strlen(argv[optind + 2]);
	if ((fd = socket(AF_INET, SOCK_DGRAM, 0)) < 0 ||
	    connect(fd, (struct sockaddr *)&sin, sizeof(sin)) != 0) {
		perror("radblast");
		return 1;
	}
	start = time_mono_ms();
	end = start + (uint64_t)seconds * 1000;
	while ((now = time_mono_ms()) < end || out > 0) {
		struct pollfd pfd = { fd, POLLIN, 0 };
		uint8_t buf[RADIUS_MAX_LEN];

		/* fill the window with new requests */
		for (unsigned id = 0; now < end && out < window && id < 256; id++) {
			struct radius_req q;
			uint32_t user = (uint32_t)(seq / 3) % 1000000;
			uint32_t status = (uint32_t)(seq % 3) + 1;	/* 1 2 3 */
			uint8_t ip[4] = { 100, (uint8_t)(64 + (user >> 16) % 64),
			    (uint8_t)(user >> 8), (uint8_t)user };
			char name[32], sid[32];
			size_t len;

			if (sent_ms[id] != 0)
				continue;
			snprintf(name, sizeof(name), "user%u", user);
			snprintf(sid, sizeof(sid), "S%" PRIu64, seq / 3);
			radius_req_init(&q, buf, sizeof(buf), RADIUS_ACCT_REQUEST,
			    (uint8_t)id);
			radius_req_u32(&q, RADIUS_ACCT_STATUS_TYPE,
			    status == 2 ? RADIUS_STATUS_INTERIM : status == 3 ?
			    RADIUS_STATUS_STOP : RADIUS_STATUS_START);
			radius_req_attr(&q, RADIUS_USER_NAME, name, strlen(name));
			radius_req_attr(&q, RADIUS_ACCT_SESSION_ID, sid, strlen(sid));
			radius_req_attr(&q, RADIUS_FRAMED_IP_ADDRESS, ip, 4);
			radius_req_attr(&q, RADIUS_NAS_IP_ADDRESS,
			    "\xc0\x00\x02\x01", 4);
			if (radius_req_sign(&q, secret, slen, &len) != NFE_OK ||
			    send(fd, buf, len, 0) < 0)
				break;
			sent_ms[id] = now;
			sent++;
			seq++;
			out++;
		}
		if (poll(&pfd, 1, 10) > 0) {
			ssize_t n;

			while ((n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT)) >= 20)
				if (buf[0] == RADIUS_ACCT_RESPONSE &&
				    sent_ms[buf[1]] != 0) {
					sent_ms[buf[1]] = 0;
					answered++;
					out--;
				}
		}
		now = time_mono_ms();
		for (unsigned id = 0; id < 256; id++)
			if (sent_ms[id] != 0 && now - sent_ms[id] > 1000) {
				sent_ms[id] = 0;
				lost++;
				out--;
			}
	}
	now = time_mono_ms();
	printf("sent %" PRIu64 " answered %" PRIu64 " lost %" PRIu64
	    " seconds %.2f rate %.0f/s\n", sent, answered, lost,
	    (now - start) / 1000.0, answered * 1000.0 / (double)(now - start));
	close(fd);
	return 0;
usage:
	fprintf(stderr, "usage: radblast [-w window] [-s seconds] host port "
	    "secret\n");
	return 2;
}
