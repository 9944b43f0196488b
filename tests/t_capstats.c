/*
 * tests/t_capstats.c -- collector/capstats: each kind of loss (kernel
 * drops, queue drops, refused exporters) is named with its cure in the
 * statistics reply and in the one warning line of a rotation or exit;
 * no loss, no warning; differences between two snapshots.
 */
#include "common/base/compat.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collector/capstats.h"
#include "collector/collect.h"
#include "common/base/nferr.h"
#include "common/codec/tmpl.h"
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
	static struct rx_counters rx;
	static uint8_t big[200 * 1024];
	struct capstats_loss a, b, d;
	struct nf_addr src;
	char *text = NULL, buf[2048];
	size_t len = 0;
	FILE *f;
	int rc;

	tap_plan(9);
	log_init("t_capstats", LOG_DEST_STDERR, LOG_INFO);
	cf.rcvbuf = 65536;
	cf.port = 9995;
	cf.nsock = 1;
	c.conf = &cf;
	c.rx = &rx;
	c.q = dgq_new(DGQ_MIN_BYTES);
	c.tmpl = tmpl_cache_new(NULL);
	if (c.q == NULL || c.tmpl == NULL ||
	    exporter_table_init(&c.xt, 10) != NFE_OK)
		return 1;

	capstats_loss_now(&c, &a);
	tap_ok(!warn_text(&c, &a, buf, sizeof(buf)) && buf[0] == '\0',
	    "no loss: no warning");

	/* two datagrams too large for the queue, 7 kernel drops, 3 refused */
	addr_parse("192.0.2.1", &src);
	(void)dgq_push(c.q, big, sizeof(big), &src, 1, 0);
	(void)dgq_push(c.q, big, sizeof(big), &src, 1, 0);
	atomic_store(&rx.kdrops, 7);
	c.refused_datagrams = 3;
	c.refused_flows = 90;
	capstats_loss_now(&c, &b);
	capstats_loss_diff(&b, &a, &d);
	tap_ok(d.kdrops == 7 && d.qdrops == 2 && d.refused_datagrams == 3 &&
	    d.refused_flows == 90, "difference of two snapshots");

	tap_ok(warn_text(&c, &d, buf, sizeof(buf)) &&
	    strstr(buf, "flows.x: data lost: 7 datagrams dropped by the "
	    "kernel (socket receive buffer of 65536 bytes full): raise -B or "
	    "net.core.rmem_max; ") != NULL, "warning: kernel drops and cure");
	tap_ok(strstr(buf, "; 2 datagrams dropped by the receive queue "
	    "(262144 bytes full: the decoder fell behind): raise -Q; ") !=
	    NULL, "warning: queue drops and cure");
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
	tap_ok(strstr(text, "\nQueue: 0 of 262144 bytes used, 2 drops: 2 "
	    "datagrams dropped by the receive queue") != NULL &&
	    strstr(text, "raise -Q\n") != NULL, "statistics: queue drops");
	tap_ok(strstr(text, "\nExporters: 0 (at most 10), 3 datagrams "
	    "refused: 3 datagrams (90 flows) refused") != NULL &&
	    strstr(text, "raise --max-exporters\n") != NULL,
	    "statistics: refused exporters");
	if ((rc = tap_done()) != 0)
		fputs(text, stderr);
	free(text);
	exporter_table_fini(&c.xt);
	tmpl_cache_free(c.tmpl);
	dgq_free(c.q);
	return rc;
}
