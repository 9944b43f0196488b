/*
 * common/codec/codec.h -- the table of export protocols: one entry of
 * operations per version (NetFlow v1, v5, v7, v9, IPFIX), so that a
 * program never switches on the version itself.
 *
 * An entry says how to recognise the version's datagrams (their first
 * bytes), how to read the exporter key and sequence from the header
 * without decoding (peek), how to decode a datagram and a data set that
 * was held until its template or sampling rate arrived, and, for the
 * versions flowkit exports, how to set up an encoder, encode one
 * datagram and tell when the templates are due.
 *
 * Adding a protocol is one more entry in codec.c plus its own decoder
 * file.  Recognition is by leading bytes, not by a 16-bit version
 * number, so that a protocol whose datagrams start differently fits:
 * sFlow v5 datagrams start with the 32-bit version 5 (00 00 00 05),
 * which no NetFlow/IPFIX version shares (v5 starts 00 05, and the
 * 16-bit value 0 is not a NetFlow version).  The version number of an
 * entry is what the collector keys exporters by and what the file's
 * exporter table stores (flowkit-file(5)); for a protocol without a
 * 16-bit NetFlow version it is a number no NetFlow version uses.
 *
 * The table is constant; nothing here keeps state.
 */
#ifndef COMMON_CODEC_CODEC_H
#define COMMON_CODEC_CODEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/base/flowrec.h"
#include "common/codec/nfdecode.h"
#include "common/codec/nfenc.h"

struct nf_codec;

/* What a datagram's header says, read without decoding the datagram. */
struct nf_peek {
	const struct nf_codec *codec;	/* the entry whose datagram it is */
	uint16_t	version;	/* codec->version */
	uint32_t	domain;		/* exporter key: v9 source id, IPFIX
					   observation domain, v5 engine_type
					   << 8 | engine_id; 0 for v1 and v7 */
	bool		whole;		/* the whole fixed header is there,
					   so seq and count were read */
	bool		has_seq;	/* whole, and the version has one */
	uint32_t	seq;		/* header sequence number */
	uint32_t	count;		/* records the header announces: v1/
					   v5/v7 flows, v9 records of every
					   kind; IPFIX: 0 (it gives a length);
					   sFlow: samples */
	bool		has_agent;	/* the datagram names its exporter */
	struct nf_addr	agent;		/* sFlow: the agent address, the
					   exporter key instead of the
					   datagram's source address */
};

/*
 * Read the exporter key (and, when the header is whole, the sequence
 * and count) of a datagram of this version.  Returns NFE_OK, or
 * NFE_TRUNC (pk->domain 0) when the datagram ends before the key does.
 * It does not judge the rest: that is decode's job.
 */
typedef int nf_peek_fn(const uint8_t *p, size_t len, struct nf_peek *pk);

typedef int nf_decode_fn(const uint8_t *p, size_t len,
	    const struct nf_decode_ctx *ctx, struct nf_dgram_info *info);

/*
 * Decode a data set a notmpl or norate callback kept (arguments as the
 * callback got them); see nf9_decode_held().
 */
typedef int nf_decode_held_fn(const struct nf_decode_ctx *ctx,
	    uint32_t domain, uint16_t template_id, const uint8_t *set,
	    size_t len, uint64_t export_ms, uint32_t sys_uptime_ms,
	    struct nf_dgram_info *info);

/*
 * Encode one datagram at now_ms from recs[0..n) into buf (cap bytes):
 * the templates first when templates_due() says so, then as many whole
 * records as fit.  *len is the datagram length (0: nothing to send),
 * *used the records consumed (written, or skipped because the version
 * cannot carry them: counted in e->skipped).  Returns NFE_OK, or an
 * error with *len 0 (NFE_LIMIT: the size limit cannot hold the
 * templates or one record).
 */
typedef int nf_encode_fn(struct nf_enc *e, uint64_t now_ms,
	    const struct flowrec *recs, size_t n, uint8_t *buf, size_t cap,
	    size_t *len, size_t *used);

struct nf_codec {
	const char	*name;		/* "NetFlow v5", "IPFIX": messages */
	uint16_t	 version;	/* exporter key, file exporter table */
	uint8_t		 magic[4];	/* a datagram starts with these */
	uint8_t		 magic_len;	/* 1..4 */
	bool		 templates;	/* template-based: decoding needs a
					   template cache, the encoder
					   sends templates */
	bool		 v4_only;	/* its records carry IPv4 only */
	nf_peek_fn	*peek;
	nf_decode_fn	*decode;
	nf_decode_held_fn *decode_held;	/* NULL: never holds a set */
	/* encoder; NULL where flowkit does not export the version */
	void		(*enc_init)(struct nf_enc *e, uint32_t domain,
			    uint64_t boot_ms);
	nf_encode_fn	*encode;
	bool		(*templates_due)(const struct nf_enc *e,
			    uint64_t now_ms);
};

extern const struct nf_codec nf_codec_v1, nf_codec_v5, nf_codec_v7,
	    nf_codec_v9, nf_codec_ipfix, nf_codec_sflow;

/* Every entry (*n of them), in the order sniffing tries them. */
const struct nf_codec *const *nf_codec_table(size_t *n);

/* The entry whose magic starts the datagram, or NULL. */
const struct nf_codec *nf_codec_sniff(const uint8_t *p, size_t len);

/* The entry of a version number (1, 5, 7, 9, 10, 9999 sFlow), or NULL. */
const struct nf_codec *nf_codec_by_version(uint16_t version);

/*
 * Recognise a datagram and peek at its header.  Returns NFE_OK with pk
 * filled; NFE_TRUNC (fewer than two bytes, the start of a longer magic
 * such as sFlow's, or the key is cut: pk->version set when known);
 * NFE_UNSUPP (no entry claims it: pk->version is the first two bytes).
 */
int	nf_peek(const uint8_t *p, size_t len, struct nf_peek *pk);

#endif /* COMMON_CODEC_CODEC_H */
