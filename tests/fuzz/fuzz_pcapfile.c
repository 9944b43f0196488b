/*
 * tests/fuzz/fuzz_pcapfile.c -- libFuzzer target for flowprobe's own
 * classic-pcap reader (probe/pcapfile), differential: the input is a
 * capture file, read through libpcap and through the reader
 * (tests/pcapcmp.c), and any difference in packets or in the error
 * that ends the file aborts.  The input is also read by the reader
 * alone under each byte order and time unit and a small snapshot
 * length, whatever its header says, so records that libpcap's header
 * checks would refuse still reach the record parser.
 */
#include "common/base/compat.h"

#include <sys/mman.h>

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "common/base/nferr.h"
#include "probe/pcapfile.h"
#include "tests/pcapcmp.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int fd = -1;		/* one memfd, rewritten per input */

static void
alone(bool be, bool nano, uint32_t snap)
{
	struct pcapfile *pf;
	struct pcapfile_pkt pk;
	char err[320];
	volatile uint8_t sink = 0;

	if (pcapfile_open(fd, be, nano, snap, &pf) != NFE_OK)
		return;
	while (pcapfile_next(pf, &pk, err, sizeof(err)) == NFE_OK)
		if (pk.caplen > 0)	/* touch the borrowed bytes */
			sink ^= pk.data[0] ^ pk.data[pk.caplen - 1];
	(void)sink;
	pcapfile_free(pf);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pcapcmp_result r;

	if (fd == -1 && (fd = memfd_create("fuzz_pcapfile", 0)) == -1)
		abort();
	if (ftruncate(fd, 0) == -1 ||
	    (size > 0 && pwrite(fd, data, size, 0) != (ssize_t)size))
		abort();
	if (pcapcmp_fd(fd, &r) == 0 && r.verdict == PCAPCMP_DIFFER) {
		fprintf(stderr, "fuzz_pcapfile: readers differ: %s\n", r.why);
		abort();
	}
	for (int v = 0; v < 4; v++)
		alone(v & 1, (v & 2) != 0, v == 3 ? 64 : 65535);
	return 0;
}
