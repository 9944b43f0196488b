/*
 * common/codec/nfenc.h -- the state every encoder keeps for one exporter
 * (NetFlow v5, v9, IPFIX): its identity, boot time, template refresh,
 * sampling announcement, datagram size limit, sequence and counters.
 *
 * One struct for every version, so that a program holds one encoder
 * whatever version it exports (common/codec/codec.h has the table of
 * operations per version: enc_init, encode, templates_due).  Fields a
 * version has no use for are ignored by it: v5 has no templates and
 * its datagrams hold at most 30 records whatever max_size says.
 */
#ifndef COMMON_CODEC_NFENC_H
#define COMMON_CODEC_NFENC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/codec/tfplan.h"

#define NF_ENC_DEF_SIZE		1400	/* default datagram size limit */
#define NF_ENC_DEF_TMPL_PKTS	20	/* resend templates every N datagrams */
#define NF_ENC_DEF_TMPL_MS	60000	/* ... and at least every T ms */
#define NF_ENC_MAX_EXTRA	16	/* extra fields in the data templates */

/* One extra field of the data templates (v9, IPFIX). */
struct nf_enc_extra {
	uint16_t	fld;		/* catalogue entry, FLD_* (fields.h) */
	uint8_t		af;		/* 0: both templates; 4 or 6: only
					   that family's */
};

struct nf_enc {
	/* configuration: the version's enc_init sets defaults; change
	   before the first datagram */
	uint32_t	domain;		/* v9 source id, IPFIX observation
					   domain, v5 engine_type << 8 |
					   engine_id */
	uint64_t	boot_ms;	/* exporter start, UTC ms: sysUpTime 0,
					   IPFIX systemInitTimeMilliseconds */
	uint32_t	tmpl_pkts;	/* template refresh, datagrams (>= 1) */
	uint32_t	tmpl_ms;	/* template refresh, ms */
	uint32_t	sampling;	/* 1-in-N; > 1 is announced */
	size_t		max_size;	/* datagram size limit (v9, IPFIX) */
	bool		biflow;		/* IPFIX: templates with the RFC 5103
					   reverse packet and octet counts */
	/*
	 * v9, IPFIX: catalogue fields sent after the usual ones (and
	 * after biflow's reverse counters), each as the element its
	 * catalogue entry is encoded to (tf_spec_of_field); none: the
	 * templates are the fixed ones, byte for byte.
	 */
	struct nf_enc_extra extra[NF_ENC_MAX_EXTRA];
	size_t		nextra;
	/* state */
	uint32_t	seq;		/* header sequence of the next datagram,
					   by the version's rule: v5 flows,
					   v9 datagrams, IPFIX data records
					   sent before it */
	uint32_t	since_tmpl;	/* datagrams since templates were sent */
	uint64_t	tmpl_sent_ms;	/* when templates were last sent */
	bool		tmpl_sent;	/* templates sent at least once */
	uint64_t	datagrams;	/* datagrams produced */
	uint64_t	records;	/* flow records encoded into them */
	uint64_t	skipped;	/* records consumed but not encoded:
					   the version cannot carry them
					   (IPv6 in v5) */
	/* extra resolved to elements once (tf_tmpl_extend): [0] IPv4,
	   [1] IPv6 template */
	bool		xready;
	uint8_t		nx[2];
	struct {
		uint16_t id, len;
	}		x[2][NF_ENC_MAX_EXTRA];
	struct tf_plan	plan[2];	/* v9, IPFIX: the IPv4 and IPv6 data
					   templates, compiled at the first
					   datagram (tfplan.h) */
};

/*
 * Zero e and set the defaults (NF_ENC_DEF_*) with the exporter's domain
 * and boot time.  Each version's enc_init is this; it is shared because
 * the defaults are.
 */
void	nf_enc_init(struct nf_enc *e, uint32_t domain, uint64_t boot_ms);

/*
 * True if the next datagram must carry the templates: never sent,
 * tmpl_pkts datagrams or tmpl_ms ms since the last time, the clock went
 * back, or nf_enc_force_templates() was called.  (The v9 and IPFIX
 * templates_due operation.)
 */
bool	nf_enc_templates_due(const struct nf_enc *e, uint64_t now_ms);

/* For versions without templates (v5): never due. */
bool	nf_enc_no_templates(const struct nf_enc *e, uint64_t now_ms);

/* Make the next datagram carry the templates (e.g. on request). */
void	nf_enc_force_templates(struct nf_enc *e);

/*
 * After a datagram went out: count it, its records, and restart the
 * template refresh if it carried them.
 */
void	nf_enc_sent(struct nf_enc *e, uint64_t now_ms, bool with_templates,
	    size_t records);

#endif /* COMMON_CODEC_NFENC_H */
