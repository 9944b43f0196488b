/*
 * tests/pcapcmp.h -- one capture file read twice, through libpcap (the
 * judge, called as probe/capture.c calls it) and through flowprobe's own
 * classic-pcap reader (probe/pcapfile), packet by packet: time, lengths,
 * every captured byte, and the way the file ends (end of file, or the
 * same error text after the same packets).  Used by tests/pcapcmp (every
 * capture the tests make, cut and corrupted) and tests/fuzz/fuzz_pcapfile.
 */
#ifndef TESTS_PCAPCMP_H
#define TESTS_PCAPCMP_H

#include <stddef.h>
#include <stdint.h>

enum pcapcmp_verdict {
	PCAPCMP_SAME,		/* both readers agree */
	PCAPCMP_DIFFER,		/* they do not: why says where */
	PCAPCMP_REFUSED,	/* libpcap does not open it: flowprobe fails */
	PCAPCMP_LIBPCAP,	/* opened, but left to libpcap (pcapng, ...) */
};

struct pcapcmp_result {
	enum pcapcmp_verdict verdict;
	uint64_t	packets;	/* read alike before the end */
	char		end[320];	/* "EOF" or the common error text */
	char		why[512];	/* PCAPCMP_DIFFER: the first difference */
};

/*
 * Compare the file open at fd (borrowed; read from offset 0 with
 * positioned reads, and through a stdio stream on a dup of it).
 * Returns 0, or -1 if the comparison could not be made (out of memory,
 * dup/fdopen failing; why says so).
 */
int	pcapcmp_fd(int fd, struct pcapcmp_result *r);

#endif /* TESTS_PCAPCMP_H */
