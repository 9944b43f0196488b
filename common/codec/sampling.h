/*
 * common/codec/sampling.h -- the packet sampling rate one NetFlow v9 / IPFIX
 * record announces: the rule table of flowcapd(8), "Sampling", in one
 * pure function.
 *
 * The codecs (common/codec/tfield.c) feed every sampling element of a record
 * to samp_collect() and then ask samp_rate() what it means:
 *
 *   v9 / IPFIX   34 samplingInterval, 35 samplingAlgorithm,
 *                48 samplerId, 49 samplerMode, 50 samplerRandomInterval
 *   PSAMP        302 selectorId, 304 selectorAlgorithm, 305/306
 *   (RFC 5477)   samplingPacketInterval/Space, 307/308 samplingTime
 *                Interval/Space, 309 samplingSize, 310
 *                samplingPopulation, 311 samplingProbability
 *
 * Rules (selectorAlgorithm values: IANA PSAMP registry, RFC 5476 and
 * RFC 7014):
 *
 *   1. selectorAlgorithm (304) present: the algorithm decides.
 *        1 systematic count-based  (305 + 306) / 305   (306 absent: 0)
 *        3 random n-out-of-N       310 / 309
 *        4 uniform probabilistic   1 / 311
 *        2 time-based, 5 property match, 6-8 hash-based, 9 flow-state
 *          dependent: no packet rate (SAMP_NORATE)
 *        0 and > 9: unknown algorithm (SAMP_BAD)
 *      If the record lacks the algorithm's elements, rule 2 applies;
 *      failing that it is SAMP_BAD (incomplete).
 *   2. samplingInterval (34) / samplerRandomInterval (50) (50 wins if
 *      both): the rate itself; 35 and 49 only name the method.  A value
 *      of 0 announces no rate (SAMP_NORATE, not an error: v5 uses 0 for
 *      "unsampled").
 *   3. No 304: the elements present pick the algorithm: 309 and 310 as
 *      3; else 305 as 1; else 311 as 4; else 307/308 as 2.  306, or only
 *      one of 309/310, alone: SAMP_BAD (incomplete).
 *   4. None of these elements (35/49 alone included): SAMP_NONE.
 *
 * Rates are rounded to the nearest integer (half up).  Nonsense values
 * never divide by zero: 305 = 0, 309 = 0, 310 = 0, 310 < 309, 311 not in
 * (0, 1] (NaN included), or a rate above UINT32_MAX give SAMP_BAD with a
 * reason.  The sampler id is selectorId (302), else samplerId (48).
 *
 * Never logs; no state.
 */
#ifndef COMMON_CODEC_SAMPLING_H
#define COMMON_CODEC_SAMPLING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Which elements samp_collect() saw (struct samp_fields.present). */
#define SF_INTERVAL	0x0001	/* 34 */
#define SF_ALG35	0x0002	/* 35 */
#define SF_SAMPLER_ID	0x0004	/* 48 */
#define SF_MODE49	0x0008	/* 49 */
#define SF_RANDOM_IV	0x0010	/* 50 */
#define SF_SELECTOR_ID	0x0020	/* 302 */
#define SF_SELECTOR_ALG	0x0040	/* 304 */
#define SF_PKT_IV	0x0080	/* 305 */
#define SF_PKT_SPACE	0x0100	/* 306 */
#define SF_TIME_IV	0x0200	/* 307 */
#define SF_TIME_SPACE	0x0400	/* 308 */
#define SF_SIZE		0x0800	/* 309 */
#define SF_POPULATION	0x1000	/* 310 */
#define SF_PROBABILITY	0x2000	/* 311 */

/* selectorAlgorithm (304) values, IANA "PSAMP Parameters" */
#define SELALG_COUNT		1	/* systematic count-based */
#define SELALG_TIME		2	/* systematic time-based */
#define SELALG_N_OUT_OF_N	3	/* random n-out-of-N */
#define SELALG_PROBABILISTIC	4	/* uniform probabilistic */
#define SELALG_PROPERTY		5	/* property match filtering */
#define SELALG_HASH_CRC		8	/* 6-8: hash-based filtering */
#define SELALG_FLOW_STATE	9	/* RFC 7014 */

struct samp_fields {
	uint32_t	present;	/* SF_* */
	uint64_t	sampler_id;	/* 48 */
	uint64_t	selector_id;	/* 302 */
	uint32_t	interval;	/* 34 */
	uint32_t	random_iv;	/* 50 */
	uint32_t	pkt_iv, pkt_space;	/* 305, 306 */
	uint32_t	size, population;	/* 309, 310 */
	uint16_t	algorithm;	/* 304 */
	double		probability;	/* 311 */
};

enum samp_verdict {
	SAMP_NONE,	/* the record says nothing about sampling */
	SAMP_RATE,	/* rate is 1-in-N, N >= 1 */
	SAMP_NORATE,	/* sampling announced, but no packet rate */
	SAMP_BAD,	/* values that make no sense: no rate */
};

enum samp_why {
	SW_OK,
	SW_INTERVAL_ZERO,	/* 34/50 = 0 (NORATE) */
	SW_TIME_BASED,		/* algorithm 2 or 307/308 (NORATE) */
	SW_FILTERING,		/* algorithm 5..9 (NORATE) */
	SW_UNKNOWN_ALG,		/* 304 = 0 or > 9 */
	SW_INCOMPLETE,		/* an algorithm without its elements */
	SW_PKT_IV_ZERO,		/* 305 = 0 */
	SW_SIZE_ZERO,		/* 309 = 0 */
	SW_POP_ZERO,		/* 310 = 0 */
	SW_POP_BELOW_SIZE,	/* 310 < 309 */
	SW_PROB_RANGE,		/* 311 not in (0, 1] */
	SW_RATE_RANGE,		/* rate above UINT32_MAX */
};

struct samp_result {
	enum samp_verdict verdict;
	enum samp_why	why;
	uint32_t	rate;		/* SAMP_RATE only; else 0 */
	uint16_t	algorithm;	/* 304 as read or inferred; 0 none */
};

/* Element ids samp_collect() takes (cheap test for the hot path). */
bool	samp_is_field(uint16_t id);

/*
 * Note one IANA element (id, len bytes at p, already bounds-checked)
 * in f if it is a sampling element; others are ignored.  Integers may
 * be reduced-size (1..8 bytes); 311 may be float64 or float32.
 * Elements of any other length are ignored.
 */
void	samp_collect(struct samp_fields *f, uint16_t id, const uint8_t *p,
	    size_t len);

/* The sampler the record names: 302, else 48.  False if neither. */
bool	samp_id(const struct samp_fields *f, uint64_t *id);

/* Apply the rules above. */
struct samp_result samp_rate(const struct samp_fields *f);

/* Short text for a reason, e.g. "samplingSize is 0"; never NULL. */
const char *samp_why_str(enum samp_why why);

/* Name of a selectorAlgorithm value, e.g. "random n-out-of-N". */
const char *samp_alg_str(uint16_t alg);

#endif /* COMMON_CODEC_SAMPLING_H */
