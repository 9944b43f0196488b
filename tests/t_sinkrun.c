/*
 * tests/t_sinkrun.c -- what flowcapd says about a sink's lag before and
 * after the sink's first look at the data directory (collector/sinkrun.h,
 * collector/sinkset.c): "unknown" until the sink thread has read the
 * files once (a lag of 0 would read as "caught up"), then a number.
 * The sink posts to 127.0.0.1 port 9 (discard, nothing listens there):
 * it fails, which does not matter here.
 */
#include "common/base/compat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collector/sinkrun.h"
#include "common/base/nferr.h"
#include "common/ffile/ffile.h"
#include "ffgen.h"
#include "sink/sinkurl.h"
#include "tap.h"

#define T0	UINT64_C(1700000000000)
#define WAIT_MS	10000

static struct flowrec recs[100];

/* `flowctl sinks`'s text for s into buf. */
static void
print(struct sinkset *s, char *buf, size_t len)
{
	FILE *f = tmpfile();
	size_t n = 0;

	buf[0] = '\0';
	if (f == NULL)
		return;
	sinkset_print(s, f);
	rewind(f);
	n = fread(buf, 1, len - 1, f);
	buf[n] = '\0';
	fclose(f);
}

/* The lag line's value ("unknown", "1.234 s"). */
static const char *
lag_of(const char *text, char *val, size_t len)
{
	const char *p = strstr(text, "\n  lag:");
	size_t n;

	val[0] = '\0';
	if (p == NULL)
		return val;
	p += strlen("\n  lag:");
	p += strspn(p, " ");
	n = strcspn(p, "\n");
	snprintf(val, len, "%.*s", (int)(n < len ? n : len - 1), p);
	return val;
}

int
main(void)
{
	struct sinkurl u;
	struct sinkrun_stats st;
	struct sinkset set;
	struct ffile_wopts o;
	struct ffile_writer *w = NULL;
	char err[512], text[4096], lag[64], path[4200];
	const char *dir;
	int rc, waited = 0;
	double v = -1;

	tap_plan(4);
	ffgen_records(recs, NF_NELEM(recs), 5, FFGEN_V4, T0, 0);
	dir = ffgen_tmpdir();
	snprintf(path, sizeof(path), "%s/flows.202311141000", dir);
	ffile_wopts_init(&o);
	o.created_ms = T0;
	if (ffile_writer_open(path, &o, &w) == NFE_OK) {
		ffile_writer_add(w, recs, NF_NELEM(recs));
		ffile_writer_close(w);
	}
	if (sinkurl_parse("http://127.0.0.1:9/x?name=t", &u, err,
	    sizeof(err)) != NFE_OK)
		tap_diag("%s", err);
	memset(&set, 0, sizeof(set));
	rc = sinkrun_new(&u, dir, &set.v[0], err, sizeof(err));
	if (rc == NFE_UNSUPP) {
		for (int i = 0; i < 4; i++)
			tap_skip("this build has no HTTP sink (libcurl)");
		ffgen_cleanup();
		return tap_done();
	}
	tap_ok(rc == NFE_OK, "a sink on the directory (%s)",
	    rc == NFE_OK ? "ok" : err);
	if (rc != NFE_OK) {
		ffgen_cleanup();
		return tap_done();
	}
	set.n = 1;

	/* not started: it has not looked at the files */
	sinkrun_stats(set.v[0], &st);
	print(&set, text, sizeof(text));
	tap_ok(!st.lag_known && strcmp(lag_of(text, lag, sizeof(lag)),
	    "unknown") == 0,
	    "before the sink's first look the lag is unknown, not 0 (%s)",
	    lag);

	/* started: the thread reads the newest file at once */
	tap_ok(sinkrun_start(set.v[0]) == NFE_OK, "the sink thread starts");
	for (;;) {
		sinkrun_stats(set.v[0], &st);
		if (st.lag_known || waited >= WAIT_MS)
			break;
		usleep(20000);
		waited += 20;
	}
	print(&set, text, sizeof(text));
	lag_of(text, lag, sizeof(lag));
	if (sscanf(lag, "%lf s", &v) != 1)
		v = -1;
	tap_ok(st.lag_known && v >= 0 && strstr(lag, " s") != NULL,
	    "after it, the lag is a number of seconds (%s, after %d ms)",
	    lag, waited);
	sinkset_free(&set);
	ffgen_cleanup();
	return tap_done();
}
