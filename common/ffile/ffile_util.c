/*
 * common/ffile/ffile_util.c -- whole-file operations built on the public
 * reader API (ffile_read.c) and the writer's serialisers: rebuilding
 * totals, iterating every record, and repairing a file that was not
 * closed cleanly (flowkit-file(5), READING AND RECOVERY).  Never logs.
 */
#include "common/base/compat.h"

#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/base/nferr.h"
#include "common/ffile/fcol.h"
#include "common/ffile/ffile.h"
#include "common/ffile/ffile_int.h"

static int NF_PRINTF(4, 5)
fail(int code, char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err != NULL && errlen > 0) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return code;
}

int
ffile_scan_totals(const struct ffile_reader *r, struct ffile_totals *t,
    size_t *bad, char *err, size_t errlen)
{
	struct ffile_blockbuf b;
	struct fcol c;
	char e[256];
	size_t nbad = 0;
	int rc;

	memset(t, 0, sizeof(*t));
	if (bad != NULL)
		*bad = 0;
	if (fcol_init(&c, 1024) != NFE_OK)
		return fail(NFE_NOMEM, err, errlen, "out of memory");
	ffile_blockbuf_init(&b);
	for (size_t i = 0; i < ffile_info(r)->nblocks; i++) {
		rc = ffile_load_block(r, i, FFILE_TOTALS_MASK, &b, &c, e,
		    sizeof(e));
		if (rc == NFE_NOMEM) {
			fcol_fini(&c);
			ffile_blockbuf_fini(&b);
			return fail(rc, err, errlen, "%s", e);
		}
		if (rc != NFE_OK ||
		    (c.mask & FFILE_TOTALS_MASK) != FFILE_TOTALS_MASK) {
			if (nbad++ == 0)
				fail(rc, err, errlen, "%s", rc != NFE_OK ? e :
				    "columns missing");
			continue;
		}
		ffile_totals_add(t, &c);
	}
	fcol_fini(&c);
	ffile_blockbuf_fini(&b);
	if (bad != NULL)
		*bad = nbad;
	return NFE_OK;
}

int
ffile_foreach(const struct ffile_reader *r, uint64_t from, uint64_t to,
    flowrec_sink_fn *sink, void *arg, size_t *bad, char *err, size_t errlen)
{
	struct ffile_blockbuf b;
	struct flowrec rec;
	struct fcol c;
	char e[256];
	size_t nbad = 0;
	int rc = NFE_OK;

	if (bad != NULL)
		*bad = 0;
	if (fcol_init(&c, 1024) != NFE_OK)
		return fail(NFE_NOMEM, err, errlen, "out of memory");
	ffile_blockbuf_init(&b);
	for (size_t i = 0; i < ffile_info(r)->nblocks && rc == NFE_OK; i++) {
		if (!ffile_block_overlaps(r, i, from, to))
			continue;
		rc = ffile_load_block(r, i, FCOL_ALL, &b, &c, e, sizeof(e));
		if (rc == NFE_NOMEM) {
			fail(rc, err, errlen, "%s", e);
			break;
		}
		if (rc != NFE_OK) {
			if (nbad++ == 0)
				fail(rc, err, errlen, "%s", e);
			rc = NFE_OK;
			continue;
		}
		for (size_t k = 0; k < c.n && rc == NFE_OK; k++) {
			fcol_get(&c, k, &rec);
			rc = sink(arg, &rec);
		}
	}
	fcol_fini(&c);
	ffile_blockbuf_fini(&b);
	if (bad != NULL)
		*bad = nbad;
	return rc;
}

int
ffile_recover(const char *path, struct ffile_recovery *res, char *err,
    size_t errlen)
{
	struct ffile_reader *r;
	struct ffile_blockmeta *keep = NULL;
	struct ffile_blockbuf b;
	struct ffile_totals t;
	struct fcol c;
	uint8_t *xp = NULL, *tp = NULL;
	size_t xl = 0, tl = 0, nk = 0;
	uint64_t end, xoff;
	char e[256];
	int rc, fd = -1, en;

	memset(res, 0, sizeof(*res));
	memset(&t, 0, sizeof(t));
	if ((rc = ffile_open(path, 0, &r, err, errlen)) != NFE_OK)
		return rc;
	if (ffile_info(r)->clean) {
		res->was_clean = true;
		res->blocks = ffile_info(r)->nblocks;
		res->records = ffile_info(r)->records;
		ffile_close(r);
		return NFE_OK;
	}
	ffile_blockbuf_init(&b);
	if (fcol_init(&c, 1024) != NFE_OK ||
	    (ffile_info(r)->nblocks > 0 &&
	    (keep = calloc(ffile_info(r)->nblocks, sizeof(*keep))) == NULL)) {
		rc = fail(NFE_NOMEM, err, errlen, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < ffile_info(r)->nblocks; i++) {
		rc = ffile_verify_block(r, i, &b, &c, e, sizeof(e));
		if (rc == NFE_NOMEM) {
			fail(rc, err, errlen, "%s", e);
			goto out;
		}
		if (rc != NFE_OK) {
			res->bad_blocks++;
			continue;
		}
		keep[nk++] = *ffile_block(r, i);
		ffile_totals_add(&t, &c);
	}
	end = ffile_info(r)->data_end;
	res->cut_bytes = ffile_info(r)->file_size - end;
	rc = NFE_OK;
	rc = ffile_enc_exporters(ffile_info(r)->exporters,
	    ffile_info(r)->nexporters, &xp, &xl);
	if (rc != NFE_OK)
		goto out;
	xoff = end;
	rc = ffile_enc_trailer(&t, xoff, keep, nk, end + xl, &tp, &tl);
	if (rc != NFE_OK)
		goto out;
	if ((fd = open(path, O_WRONLY | O_CLOEXEC)) == -1 ||
	    ffile_pwrite_all(fd, xp, xl, end) != NFE_OK ||
	    ffile_pwrite_all(fd, tp, tl, end + xl) != NFE_OK ||
	    ftruncate(fd, (off_t)(end + xl + tl)) == -1 ||
	    fsync(fd) == -1) {
		en = errno;
		rc = fail(NFE_IO, err, errlen, "cannot write trailer: %s",
		    strerror(en));
		errno = en;
		goto out;
	}
	res->blocks = nk;
	res->records = t.records;
out:
	en = errno;
	if (fd != -1)
		close(fd);
	free(xp);
	free(tp);
	free(keep);
	fcol_fini(&c);
	ffile_blockbuf_fini(&b);
	ffile_close(r);
	errno = en;
	return rc;
}
