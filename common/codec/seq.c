/*
 * common/codec/seq.c -- export sequence number tracking.
 */
#include "common/base/compat.h"

#include <stddef.h>

#include "common/codec/seq.h"

enum seq_result
seq_update(struct nf_seq *s, uint32_t seq, uint32_t step, uint32_t *missing)
{
	enum seq_result res;
	uint32_t d = 0;

	if (!s->have) {
		res = SEQ_FIRST;
	} else if (seq == s->next) {
		res = SEQ_OK;
	} else {
		d = seq - s->next;			/* mod 2^32 */
		if (d < UINT32_C(1) << 31) {
			s->lost += d;
			s->gaps++;
			res = SEQ_GAP;
		} else {
			d = 0;
			s->resets++;
			res = SEQ_RESET;
		}
	}
	if (missing != NULL)
		*missing = d;
	s->next = seq + step;				/* wraps on purpose */
	s->have = true;
	return res;
}
