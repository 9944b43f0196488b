/*
 * common/codec/seq.h -- export sequence number tracking.
 *
 * Each protocol counts differently: v5 and v7 count flow records (the
 * header carries the number of flows seen before this datagram), v9
 * counts export packets (RFC 3954 5.1), IPFIX counts data records
 * (RFC 7011 3.1).  The decoder reports the sequence and the step its
 * protocol implies; this tracker turns them into gaps and resets.
 */
#ifndef COMMON_CODEC_SEQ_H
#define COMMON_CODEC_SEQ_H

#include <stdbool.h>
#include <stdint.h>

struct nf_seq {
	uint32_t	next;		/* expected next sequence number */
	bool		have;		/* next is valid */
	uint64_t	lost;		/* units (records/packets) missing */
	uint64_t	gaps;		/* datagrams that followed a gap */
	uint64_t	resets;		/* datagrams that went backwards */
};

enum seq_result {
	SEQ_FIRST,	/* first datagram seen */
	SEQ_OK,		/* exactly as expected */
	SEQ_GAP,	/* jumped ahead: *missing units lost */
	SEQ_RESET,	/* went backwards: exporter restart or reordering */
};

/*
 * Account one datagram carrying sequence seq and covering step units.
 * missing may be NULL.  Differences are taken modulo 2^32.
 */
enum seq_result seq_update(struct nf_seq *s, uint32_t seq, uint32_t step,
	    uint32_t *missing);

#endif /* COMMON_CODEC_SEQ_H */
