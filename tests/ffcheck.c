/*
 * tests/ffcheck.c -- read a flow file back and compare it with the
 * records written (records in order, totals, clean flag, index), for
 * the flow file tests.  Reports differences with tap_diag.
 */
#include "common/base/compat.h"

#include <string.h>

#include "common/base/nferr.h"
#include "common/ffile/fcol.h"
#include "common/ffile/ffile.h"
#include "ffcheck.h"
#include "tap.h"

void
ffcheck_totals(const struct flowrec *r, size_t n, struct ffile_totals *t)
{
	struct fcol c;

	memset(t, 0, sizeof(*t));
	fcol_init(&c, n);
	fcol_put(&c, r, n);
	/* same arithmetic as the writer, but checked below by hand too */
	for (size_t i = 0; i < n; i++) {
		int p = r[i].proto == 6 ? FFILE_P_TCP : r[i].proto == 17 ?
		    FFILE_P_UDP : (r[i].proto == 1 || r[i].proto == 58) ?
		    FFILE_P_ICMP : FFILE_P_OTHER;

		t->records++;
		t->flows += r[i].flows;
		t->packets += r[i].packets;
		t->bytes += r[i].bytes;
		t->proto[p].flows += r[i].flows;
		t->proto[p].packets += r[i].packets;
		t->proto[p].bytes += r[i].bytes;
		if (i == 0 || r[i].first_ms < t->first_ms)
			t->first_ms = r[i].first_ms;
		if (i == 0 || r[i].last_ms > t->last_ms)
			t->last_ms = r[i].last_ms;
	}
	fcol_fini(&c);
}

struct cmp_state {
	const struct flowrec *want;
	size_t n, i, bad;
};

static int
cmp_sink(void *arg, const struct flowrec *rec)
{
	struct cmp_state *s = arg;
	char b1[600], b2[600];

	if (s->i >= s->n || !flowrec_equal(&s->want[s->i], rec)) {
		if (s->bad++ < 3 && s->i < s->n) {
			tap_diag("record %zu differs", s->i);
			tap_diag(" want %s", flowrec_dump(&s->want[s->i], b1,
			    sizeof(b1)));
			tap_diag("  got %s", flowrec_dump(rec, b2, sizeof(b2)));
		}
	}
	s->i++;
	return 0;
}

bool
ffcheck_file(const char *path, const struct flowrec *want, size_t n,
    bool clean, const char *what)
{
	struct ffile_reader *r;
	struct cmp_state s = { want, n, 0, 0 };
	struct ffile_totals t;
	char err[256];
	size_t bad;
	int rc;

	rc = ffile_open(path, FFILE_O_TOTALS, &r, err, sizeof(err));
	if (rc != NFE_OK) {
		tap_diag("%s: open: %s", what, err);
		return false;
	}
	rc = ffile_foreach(r, 0, UINT64_MAX, cmp_sink, &s, &bad, err,
	    sizeof(err));
	ffcheck_totals(want, n, &t);
	if (rc != NFE_OK || bad != 0) {
		tap_diag("%s: foreach %d bad %zu: %s", what, rc, bad, err);
		s.bad++;
	}
	if (ffile_info(r)->clean != clean) {
		tap_diag("%s: clean %d", what, ffile_info(r)->clean);
		s.bad++;
	}
	if (!ffile_info(r)->have_totals ||
	    memcmp(&t, &ffile_info(r)->totals, sizeof(t)) != 0) {
		tap_diag("%s: totals differ (records %llu vs %llu)", what,
		    (unsigned long long)ffile_info(r)->totals.records,
		    (unsigned long long)t.records);
		s.bad++;
	}
	if (ffile_info(r)->records != n) {
		tap_diag("%s: index holds %llu records", what,
		    (unsigned long long)ffile_info(r)->records);
		s.bad++;
	}
	ffile_close(r);
	return s.bad == 0 && s.i == n;
}
