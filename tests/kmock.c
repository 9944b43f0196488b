/*
 * tests/kmock.c -- a Kafka-protocol broker for the tests: librdkafka's
 * mock cluster (rdkafka_mock.h) on 127.0.0.1, ephemeral ports.
 *
 *   kmock [-b brokers] [-p partitions] topic...
 *
 * Creates the topics, prints "bootstrap HOST:PORT,..." on stdout, then
 * reads commands from stdin, one per line, answering "ok" to each:
 *   down   every broker stops answering (as a network outage)
 *   up     they answer again
 *   fail N the next N produce requests fail with
 *          TOPIC_AUTHORIZATION_FAILED (not retried by the producer:
 *          the messages' delivery reports fail)
 *   quit   (or end of input) stop
 * Exits after at most 600 s in any case.
 */
#include "common/base/compat.h"

#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#define KMOCK_MAX_S	600

int
main(int argc, char **argv)
{
	rd_kafka_mock_cluster_t *mc;
	rd_kafka_conf_t *conf;
	rd_kafka_t *rk;
	char err[512], line[64];
	int brokers = 3, parts = 4, ch;
	time_t end = time(NULL) + KMOCK_MAX_S;

	while ((ch = getopt(argc, argv, "b:p:")) != -1) {
		switch (ch) {
		case 'b':
			brokers = atoi(optarg);
			break;
		case 'p':
			parts = atoi(optarg);
			break;
		default:
			fprintf(stderr, "usage: kmock [-b brokers] "
			    "[-p partitions] topic...\n");
			return 2;
		}
	}
	signal(SIGPIPE, SIG_IGN);
	conf = rd_kafka_conf_new();
	/* the handle only owns the cluster: keep its logs quiet */
	rd_kafka_conf_set(conf, "log_level", "0", err, sizeof(err));
	if ((rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof(err))) ==
	    NULL) {
		fprintf(stderr, "kmock: %s\n", err);
		return 1;
	}
	if ((mc = rd_kafka_mock_cluster_new(rk, brokers)) == NULL) {
		fprintf(stderr, "kmock: cannot make a mock cluster\n");
		return 1;
	}
	for (int i = optind; i < argc; i++)
		if (rd_kafka_mock_topic_create(mc, argv[i], parts,
		    brokers < 3 ? brokers : 3) != RD_KAFKA_RESP_ERR_NO_ERROR) {
			fprintf(stderr, "kmock: cannot create topic %s\n",
			    argv[i]);
			return 1;
		}
	printf("bootstrap %s\n", rd_kafka_mock_cluster_bootstraps(mc));
	fflush(stdout);
	for (;;) {
		struct pollfd p = { 0, POLLIN, 0 };

		if (time(NULL) > end)
			break;
		if (poll(&p, 1, 1000) <= 0)
			continue;
		if (fgets(line, sizeof(line), stdin) == NULL)
			break;
		line[strcspn(line, "\r\n")] = '\0';
		if (strcmp(line, "quit") == 0)
			break;
		if (strncmp(line, "fail ", 5) == 0) {
			rd_kafka_resp_err_t errs[64];
			int n = atoi(line + 5);

			if (n < 0 || n > 64)
				n = 64;
			for (int k = 0; k < n; k++)
				errs[k] =
				    RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED;
			rd_kafka_mock_push_request_errors_array(mc, 0 /* Produce */,
			    (size_t)n, errs);
		}
		for (int b = 1; b <= brokers; b++) {
			if (strcmp(line, "down") == 0)
				rd_kafka_mock_broker_set_down(mc, b);
			else if (strcmp(line, "up") == 0)
				rd_kafka_mock_broker_set_up(mc, b);
		}
		printf("ok %s\n", line);
		fflush(stdout);
	}
	rd_kafka_mock_cluster_destroy(mc);
	rd_kafka_destroy(rk);
	return 0;
}
