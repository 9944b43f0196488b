/*
 * tests/t_capstats.c -- collector/capstats: each kind of loss (kernel
 * drops, queue drops, refused exporters) is named with its cure in the
 * statistics reply and in the one warning line of a rotation or exit;
 * no loss, no warning; differences between two snapshots; the workers'
 * counters are summed.
 */
#include "common/base/compat.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collector/capstats.h"
#include "collector/collect.h"
#include "collector/worker.h"
#include "common/base/nferr.h"
#include "tap.h"

/* Run capstats_loss_warn with stderr caught in buf; returns its result. */
static bool
warn_text(const struct collect *c, const struct capstats_loss *l, char *buf,
    size_t len)
{
	FILE *f = tmpfile();
	int save = dup(STDERR_FILENO);
	bool r;
	size_t n;

	fflush(stderr);
	dup2(fileno(f), STDERR_FILENO);
	r = capstats_loss_warn(c, "flows.x", l);
	fflush(stderr);
	dup2(save, STDERR_FILENO);
	close(save);
	rewind(f);
	n = fread(buf, 1, len - 1, f);
	buf[n] = '\0';
	fclose(f);
	return r;
}

int
main(void)
{
	static struct collect c;
	static struct collect_conf cf;
	static struct worker_shared sh;
	static struct worker w[2];
	struct worker *wp[2] = { &w[0], &w[1] };
	struct capstats_loss a, b, d;
	char *text = NULL, buf[2048], err[256];
	size_t len = 0;
	FILE *f;
	int rc;

	tap_plan(10);
	log_init("t_capstats", LOG_DEST_STDERR, LOG_INFO);
	cf.rcvbuf = 65536;
	cf.port = 9995;
	cf.nsock = 2;
	worker_shared_init(&sh, 2, wp, 10);
	for (unsigned i = 0; i < 2; i++)
		if (worker_init(&w[i], i, &sh, NULL, FQ_MIN_BYTES / 2, 10, NULL,
		    err, sizeof(err)) != NFE_OK)
			return 1;
	c.conf = &cf;
	c.sh = &sh;
	c.nw = 2;
	c.outs[0] = w[0].out;
	c.outs[1] = w[1].out;

	capstats_loss_now(&c, &a);
	tap_ok(!warn_text(&c, &a, buf, sizeof(buf)) && buf[0] == '\0',
	    "no loss: no warning");

	/* queue drops (2 datagrams, 40 flows), 7 kernel drops, 3 refused,
	   spread over the two workers */
	atomic_store(&w[0].cnt.qdrops, 1);
	atomic_store(&w[0].cnt.qdrop_flows, 15);
	atomic_store(&w[1].cnt.qdrops, 1);
	atomic_store(&w[1].cnt.qdrop_flows, 25);
	atomic_store(&w[0].cnt.kdrops, 4);
	atomic_store(&w[1].cnt.kdrops, 3);
	atomic_store(&w[1].cnt.refused_datagrams, 3);
	atomic_store(&w[1].cnt.refused_flows, 90);
	capstats_loss_now(&c, &b);
	capstats_loss_diff(&b, &a, &d);
	tap_ok(d.kdrops == 7 && d.qdrops == 2 && d.qdrop_flows == 40 &&
	    d.refused_datagrams == 3 && d.refused_flows == 90,
	    "difference of two snapshots, summed over the workers");

	tap_ok(warn_text(&c, &d, buf, sizeof(buf)) &&
	    strstr(buf, "flows.x: data lost: 7 datagrams dropped by the "
	    "kernel (socket receive buffer of 65536 bytes full): raise -B or "
	    "net.core.rmem_max; ") != NULL, "warning: kernel drops and cure");
	tap_ok(strstr(buf, "; 2 datagrams (40 flows) dropped by the queue to "
	    "the writer (524288 bytes full: the writer fell behind): raise "
	    "-Q; ") != NULL, "warning: queue drops and cure");
	tap_ok(strstr(buf, "; 3 datagrams (90 flows) refused from new "
	    "exporters (exporter table full at 10): raise --max-exporters\n")
	    != NULL, "warning: refused exporters and cure");
	tap_ok(strchr(buf, '\n') == buf + strlen(buf) - 1,
	    "one warning line for all of them");

	if ((f = open_memstream(&text, &len)) == NULL)
		return 1;
	capstats_print(&c, f);
	fclose(f);
	tap_ok(strstr(text, "\nSocket drops (kernel): 7: 7 datagrams dropped "
	    "by the kernel") != NULL && strstr(text, "raise -B or "
	    "net.core.rmem_max\n") != NULL, "statistics: kernel drops");
	tap_ok(strstr(text, "\nQueue: 0 of 524288 bytes used, 2 drops: 2 "
	    "datagrams (40 flows) dropped by the queue to the writer") !=
	    NULL && strstr(text, "raise -Q\n") != NULL,
	    "statistics: queue drops");
	tap_ok(strstr(text, "\nExporters: 0 (at most 10), 3 datagrams "
	    "refused: 3 datagrams (90 flows) refused") != NULL &&
	    strstr(text, "raise --max-exporters\n") != NULL,
	    "statistics: refused exporters");
	tap_ok(strstr(text, "(2 workers)\nWorkers: datagrams steered to "
	    "their exporter's worker by the kernel; 0 handed over") != NULL,
	    "statistics: the workers");
	if ((rc = tap_done()) != 0)
		fputs(text, stderr);
	free(text);
	for (unsigned i = 0; i < 2; i++)
		worker_fini(&w[i]);
	worker_shared_fini(&sh);
	return rc;
}
