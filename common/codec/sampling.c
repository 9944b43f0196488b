/*
 * common/codec/sampling.c -- the sampling rule table (common/codec/sampling.h;
 * RFC 3954 section 8, RFC 5477 section 8.2 for the elements, RFC 5476
 * and the IANA PSAMP registry for selectorAlgorithm).
 *
 * Integer arithmetic in 64 bits, so no rate computation can overflow
 * or divide by zero; the one floating-point rule (1 / p) is range
 * checked before the division and the conversion.
 */
#include "common/base/compat.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "common/codec/ie.h"
#include "common/codec/sampling.h"

bool
samp_is_field(uint16_t id)
{
	switch (id) {
	case IE_SAMPLING_INTERVAL:
	case IE_SAMPLING_ALGORITHM:
	case IE_SAMPLER_ID:
	case IE_SAMPLER_MODE:
	case IE_SAMPLER_RANDOM_INTERVAL:
	case IE_SELECTOR_ID:
	case IE_SELECTOR_ALGORITHM:
	case IE_SAMPLING_PACKET_INTERVAL:
	case IE_SAMPLING_PACKET_SPACE:
	case IE_SAMPLING_TIME_INTERVAL:
	case IE_SAMPLING_TIME_SPACE:
	case IE_SAMPLING_SIZE:
	case IE_SAMPLING_POPULATION:
	case IE_SAMPLING_PROBABILITY:
		return true;
	default:
		return false;
	}
}

static uint64_t
be_uint(const uint8_t *p, size_t len)
{
	uint64_t v = 0;

	for (size_t i = 0; i < len; i++)
		v = v << 8 | p[i];
	return v;
}

/* float64, or float32 (reduced-size encoding, RFC 7011 6.2). */
static bool
be_float(const uint8_t *p, size_t len, double *d)
{
	uint64_t v = be_uint(p, len);

	if (len == 8) {
		memcpy(d, &v, sizeof(*d));
		return true;
	}
	if (len == 4) {
		uint32_t w = (uint32_t)v;
		float f;

		memcpy(&f, &w, sizeof(f));
		*d = f;
		return true;
	}
	return false;
}

static uint32_t
sat32(uint64_t v)
{
	return v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
}

void
samp_collect(struct samp_fields *f, uint16_t id, const uint8_t *p,
    size_t len)
{
	uint64_t v;

	if (id == IE_SAMPLING_PROBABILITY) {
		if (be_float(p, len, &f->probability))
			f->present |= SF_PROBABILITY;
		return;
	}
	if (len == 0 || len > 8)
		return;
	v = be_uint(p, len);
	switch (id) {
	case IE_SAMPLING_INTERVAL:
		f->interval = sat32(v);
		f->present |= SF_INTERVAL;
		break;
	case IE_SAMPLING_ALGORITHM:
		f->present |= SF_ALG35;
		break;
	case IE_SAMPLER_ID:
		f->sampler_id = v;
		f->present |= SF_SAMPLER_ID;
		break;
	case IE_SAMPLER_MODE:
		f->present |= SF_MODE49;
		break;
	case IE_SAMPLER_RANDOM_INTERVAL:
		f->random_iv = sat32(v);
		f->present |= SF_RANDOM_IV;
		break;
	case IE_SELECTOR_ID:
		f->selector_id = v;
		f->present |= SF_SELECTOR_ID;
		break;
	case IE_SELECTOR_ALGORITHM:
		f->algorithm = v > UINT16_MAX ? UINT16_MAX : (uint16_t)v;
		f->present |= SF_SELECTOR_ALG;
		break;
	case IE_SAMPLING_PACKET_INTERVAL:
		f->pkt_iv = sat32(v);
		f->present |= SF_PKT_IV;
		break;
	case IE_SAMPLING_PACKET_SPACE:
		f->pkt_space = sat32(v);
		f->present |= SF_PKT_SPACE;
		break;
	case IE_SAMPLING_TIME_INTERVAL:
		f->present |= SF_TIME_IV;
		break;
	case IE_SAMPLING_TIME_SPACE:
		f->present |= SF_TIME_SPACE;
		break;
	case IE_SAMPLING_SIZE:
		f->size = sat32(v);
		f->present |= SF_SIZE;
		break;
	case IE_SAMPLING_POPULATION:
		f->population = sat32(v);
		f->present |= SF_POPULATION;
		break;
	default:
		break;
	}
}

bool
samp_id(const struct samp_fields *f, uint64_t *id)
{
	if (f->present & SF_SELECTOR_ID) {
		*id = f->selector_id;
		return true;
	}
	if (f->present & SF_SAMPLER_ID) {
		*id = f->sampler_id;
		return true;
	}
	return false;
}

static struct samp_result
verdict(enum samp_verdict v, enum samp_why why, uint16_t alg)
{
	struct samp_result r;

	r.verdict = v;
	r.why = why;
	r.rate = 0;
	r.algorithm = alg;
	return r;
}

/* num / den rounded half up; den > 0.  SAMP_BAD above UINT32_MAX. */
static struct samp_result
ratio(uint64_t num, uint64_t den, uint16_t alg)
{
	struct samp_result r = verdict(SAMP_RATE, SW_OK, alg);
	uint64_t q = (num + den / 2) / den;	/* both below 2^33: no wrap */

	if (q > UINT32_MAX)
		return verdict(SAMP_BAD, SW_RATE_RANGE, alg);
	r.rate = (uint32_t)(q == 0 ? 1 : q);
	return r;
}

static struct samp_result
count_based(const struct samp_fields *f)
{
	if (f->pkt_iv == 0)
		return verdict(SAMP_BAD, SW_PKT_IV_ZERO, SELALG_COUNT);
	return ratio((uint64_t)f->pkt_iv + f->pkt_space, f->pkt_iv,
	    SELALG_COUNT);
}

static struct samp_result
n_out_of_n(const struct samp_fields *f)
{
	if (f->size == 0)
		return verdict(SAMP_BAD, SW_SIZE_ZERO, SELALG_N_OUT_OF_N);
	if (f->population == 0)
		return verdict(SAMP_BAD, SW_POP_ZERO, SELALG_N_OUT_OF_N);
	if (f->population < f->size)
		return verdict(SAMP_BAD, SW_POP_BELOW_SIZE, SELALG_N_OUT_OF_N);
	return ratio(f->population, f->size, SELALG_N_OUT_OF_N);
}

static struct samp_result
probabilistic(const struct samp_fields *f)
{
	struct samp_result r = verdict(SAMP_RATE, SW_OK, SELALG_PROBABILISTIC);
	double p = f->probability, n;

	/* written so that NaN fails too */
	if (!(p > 0.0 && p <= 1.0))
		return verdict(SAMP_BAD, SW_PROB_RANGE, SELALG_PROBABILISTIC);
	n = 1.0 / p + 0.5;
	if (!(n < 4294967296.0))
		return verdict(SAMP_BAD, SW_RATE_RANGE, SELALG_PROBABILISTIC);
	r.rate = (uint32_t)n;
	return r;
}

/* Rule 2: samplingInterval / samplerRandomInterval. */
static bool
interval_rule(const struct samp_fields *f, uint16_t alg,
    struct samp_result *r)
{
	uint32_t v;

	if (f->present & SF_RANDOM_IV)
		v = f->random_iv;
	else if (f->present & SF_INTERVAL)
		v = f->interval;
	else
		return false;
	if (v == 0)
		*r = verdict(SAMP_NORATE, SW_INTERVAL_ZERO, alg);
	else {
		*r = verdict(SAMP_RATE, SW_OK, alg);
		r->rate = v;
	}
	return true;
}

static struct samp_result
by_algorithm(const struct samp_fields *f)
{
	uint16_t alg = f->algorithm;
	uint32_t p = f->present;
	struct samp_result r;
	bool have;

	switch (alg) {
	case SELALG_COUNT:
		have = (p & SF_PKT_IV) != 0;
		break;
	case SELALG_N_OUT_OF_N:
		have = (p & (SF_SIZE | SF_POPULATION)) ==
		    (SF_SIZE | SF_POPULATION);
		break;
	case SELALG_PROBABILISTIC:
		have = (p & SF_PROBABILITY) != 0;
		break;
	case SELALG_TIME:
		return verdict(SAMP_NORATE, SW_TIME_BASED, alg);
	default:
		if (alg >= SELALG_PROPERTY && alg <= SELALG_FLOW_STATE)
			return verdict(SAMP_NORATE, SW_FILTERING, alg);
		return verdict(SAMP_BAD, SW_UNKNOWN_ALG, alg);
	}
	if (!have) {
		if (interval_rule(f, alg, &r))
			return r;
		return verdict(SAMP_BAD, SW_INCOMPLETE, alg);
	}
	if (alg == SELALG_COUNT)
		return count_based(f);
	if (alg == SELALG_N_OUT_OF_N)
		return n_out_of_n(f);
	return probabilistic(f);
}

struct samp_result
samp_rate(const struct samp_fields *f)
{
	uint32_t p = f->present;
	struct samp_result r;

	if (p & SF_SELECTOR_ALG)
		return by_algorithm(f);
	if (interval_rule(f, 0, &r))
		return r;
	if ((p & (SF_SIZE | SF_POPULATION)) == (SF_SIZE | SF_POPULATION))
		return n_out_of_n(f);
	if (p & SF_PKT_IV)
		return count_based(f);
	if (p & SF_PROBABILITY)
		return probabilistic(f);
	if (p & (SF_TIME_IV | SF_TIME_SPACE))
		return verdict(SAMP_NORATE, SW_TIME_BASED, SELALG_TIME);
	if (p & (SF_PKT_SPACE | SF_SIZE | SF_POPULATION))
		return verdict(SAMP_BAD, SW_INCOMPLETE, 0);
	return verdict(SAMP_NONE, SW_OK, 0);
}

const char *
samp_why_str(enum samp_why why)
{
	switch (why) {
	case SW_OK:
		return "rate announced";
	case SW_INTERVAL_ZERO:
		return "sampling interval 0 (unsampled)";
	case SW_TIME_BASED:
		return "time-based sampling has no packet rate";
	case SW_FILTERING:
		return "filtering selects by content, not by a rate";
	case SW_UNKNOWN_ALG:
		return "unknown selectorAlgorithm";
	case SW_INCOMPLETE:
		return "sampling elements incomplete";
	case SW_PKT_IV_ZERO:
		return "samplingPacketInterval is 0";
	case SW_SIZE_ZERO:
		return "samplingSize is 0";
	case SW_POP_ZERO:
		return "samplingPopulation is 0";
	case SW_POP_BELOW_SIZE:
		return "samplingPopulation below samplingSize";
	case SW_PROB_RANGE:
		return "samplingProbability not in (0, 1]";
	case SW_RATE_RANGE:
		return "rate above 4294967295";
	}
	return "unknown reason";
}

const char *
samp_alg_str(uint16_t alg)
{
	static const char *const names[] = {
		"none", "systematic count-based", "systematic time-based",
		"random n-out-of-N", "uniform probabilistic",
		"property match filtering", "hash-based filtering (BOB)",
		"hash-based filtering (IPSX)", "hash-based filtering (CRC)",
		"flow-state dependent selection",
	};

	if (alg < sizeof(names) / sizeof(names[0]))
		return names[alg];
	return "unassigned algorithm";
}
