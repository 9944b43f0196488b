/*
 * tests/pcapcmp_main.c -- tests/pcapcmp: read capture files through
 * libpcap and through flowprobe's own reader and compare (pcapcmp.h).
 *
 *   pcapcmp [-t STEP] [-c] FILE...
 *
 * Per file, one line: "FILE: ours, N packets, end: EOF|error text" when
 * both readers agree, "FILE: libpcap" when the file is left to libpcap
 * (pcapng and the rest), "FILE: refused: text" when libpcap does not
 * open it, "FILE: DIFFER: where" otherwise.
 *  -t STEP  also compare the file cut at every STEP-th length (and at
 *           one byte short of each end), from its whole length down to
 *           the file header;
 *  -c       also compare it with each of its first PCAPCMP_CORRUPT
 *           records' captured length made impossible or wrong in turn
 *           (one past the snapshot length, one past libpcap's maximum,
 *           2^32 - 1, one byte longer than the record, zero).
 * A summary line follows: "M comparisons, K differ".  Exit status 1 if
 * any comparison differs, 2 on a usage or I/O error.
 */
#include "common/base/compat.h"

#include <sys/mman.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "probe/pcapfile.h"
#include "tests/pcapcmp.h"

#define PCAPCMP_CORRUPT	64	/* records corrupted, from the first */

static unsigned long compared, differ;

/* Compare fd once; print the verdict if name is set or it differs. */
static enum pcapcmp_verdict
check(int fd, const char *name, const char *what)
{
	struct pcapcmp_result r;

	if (pcapcmp_fd(fd, &r) == -1) {
		fprintf(stderr, "pcapcmp: %s: %s\n", name, r.why);
		exit(2);
	}
	compared++;
	if (r.verdict == PCAPCMP_DIFFER) {
		differ++;
		printf("%s%s: DIFFER: %s\n", name, what, r.why);
	} else if (what[0] == '\0') {
		if (r.verdict == PCAPCMP_SAME)
			printf("%s: ours, %llu packets, end: %s\n", name,
			    (unsigned long long)r.packets, r.end);
		else if (r.verdict == PCAPCMP_LIBPCAP)
			printf("%s: libpcap\n", name);
		else
			printf("%s: refused: %s\n", name, r.end);
	}
	return r.verdict;
}

/* A scratch copy of the file that can be cut and patched. */
static int
scratch(const uint8_t *data, size_t len)
{
	int fd = memfd_create("pcapcmp", 0);

	if (fd == -1 || pwrite(fd, data, len, 0) != (ssize_t)len) {
		perror("pcapcmp: memfd");
		exit(2);
	}
	return fd;
}

static void
cuts(const char *name, const uint8_t *data, size_t len, size_t step)
{
	char what[64];
	int fd = scratch(data, len);

	/* longest first: each cut is one ftruncate of the copy */
	for (size_t cut = len; cut >= PCAPFILE_HDRLEN; cut--) {
		if (cut != len - 1 && cut != PCAPFILE_HDRLEN &&
		    (len - cut) % step != 0)
			continue;
		if (ftruncate(fd, (off_t)cut) == -1) {
			perror("pcapcmp: ftruncate");
			exit(2);
		}
		snprintf(what, sizeof(what), " cut at %zu", cut);
		check(fd, name, what);
	}
	close(fd);
}

static uint32_t
get32(const uint8_t *p, bool be)
{
	return be ? (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3] : (uint32_t)p[3] << 24 |
	    (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

static void
put32(uint8_t *p, uint32_t v, bool be)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(be ? v >> (24 - 8 * i) : v >> (8 * i));
}

static void
corrupt(const char *name, const uint8_t *data, size_t len)
{
	uint8_t b[4];
	char what[96];
	size_t off = PCAPFILE_HDRLEN;
	uint32_t snap, caplen, bad[5];
	bool be;
	int fd;

	if (len < PCAPFILE_HDRLEN)
		return;
	be = get32(data, true) == PCAPFILE_MAGIC_US ||
	    get32(data, true) == PCAPFILE_MAGIC_NS;
	snap = get32(data + 16, be);
	fd = scratch(data, len);
	for (int rec = 0; rec < PCAPCMP_CORRUPT &&
	    off + PCAPFILE_RECLEN <= len; rec++) {
		caplen = get32(data + off + 8, be);
		bad[0] = snap + 1;
		bad[1] = PCAPFILE_MAX_CAPLEN + 1;
		bad[2] = 0xffffffffu;
		bad[3] = caplen + 1;
		bad[4] = 0;
		for (size_t i = 0; i < NF_NELEM(bad); i++) {
			uint32_t v = bad[i];

			put32(b, v, be);
			if (pwrite(fd, b, 4, (off_t)off + 8) != 4)
				exit(2);
			snprintf(what, sizeof(what), " record %d (offset %zu) "
			    "caplen %u", rec + 1, off, v);
			check(fd, name, what);
		}
		if (pwrite(fd, data + off + 8, 4, (off_t)off + 8) != 4)
			exit(2);
		off += PCAPFILE_RECLEN + (size_t)caplen;
	}
	close(fd);
}

int
main(int argc, char **argv)
{
	struct stat st;
	size_t step = 0;
	bool corrupting = false;
	uint8_t *data;
	int c, fd;

	while ((c = getopt(argc, argv, "t:c")) != -1) {
		if (c == 't' && (step = strtoul(optarg, NULL, 10)) > 0)
			continue;
		if (c == 'c') {
			corrupting = true;
			continue;
		}
		fprintf(stderr, "usage: pcapcmp [-t STEP] [-c] FILE...\n");
		return 2;
	}
	for (int i = optind; i < argc; i++) {
		if ((fd = open(argv[i], O_RDONLY)) == -1 ||
		    fstat(fd, &st) == -1) {
			fprintf(stderr, "pcapcmp: %s: %s\n", argv[i],
			    strerror(errno));
			return 2;
		}
		if (check(fd, argv[i], "") != PCAPCMP_SAME ||
		    (step == 0 && !corrupting)) {
			close(fd);
			continue;
		}
		if ((data = malloc((size_t)st.st_size + 1)) == NULL ||
		    pread(fd, data, (size_t)st.st_size, 0) != st.st_size) {
			fprintf(stderr, "pcapcmp: %s: cannot read\n", argv[i]);
			return 2;
		}
		if (step > 0)
			cuts(argv[i], data, (size_t)st.st_size, step);
		if (corrupting)
			corrupt(argv[i], data, (size_t)st.st_size);
		free(data);
		close(fd);
	}
	printf("%lu comparisons, %lu differ\n", compared, differ);
	return differ > 0 ? 1 : 0;
}
