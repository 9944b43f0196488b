/*
 * common/codec/codec.c -- the table of export protocols
 * (common/codec/codec.h): one entry per version, found by a datagram's
 * leading bytes or by version number.
 *
 * To add a protocol: write its peek and decode (and encoder, if flowkit
 * exports it) in a file of its own, define its entry here and list it in
 * codecs[].  Its magic must not be a prefix of another entry's, nor
 * another's a prefix of it (t_codec checks that).
 */
#include "common/base/compat.h"

#include <string.h>

#include "common/base/nferr.h"
#include "common/codec/codec.h"
#include "common/codec/ipfix.h"
#include "common/codec/nf5.h"
#include "common/codec/nf9.h"
#include "common/codec/sflow.h"

const struct nf_codec nf_codec_v1 = {
	.name = "NetFlow v1",
	.version = 1,
	.magic = { 0x00, 0x01 },
	.magic_len = 2,
	.v4_only = true,
	.peek = nf5_peek,
	.decode = nf5_decode,
};

const struct nf_codec nf_codec_v5 = {
	.name = "NetFlow v5",
	.version = 5,
	.magic = { 0x00, 0x05 },
	.magic_len = 2,
	.v4_only = true,
	.peek = nf5_peek,
	.decode = nf5_decode,
	.enc_init = nf_enc_init,
	.encode = nf5_enc_encode,
	.templates_due = nf_enc_no_templates,
};

const struct nf_codec nf_codec_v7 = {
	.name = "NetFlow v7",
	.version = 7,
	.magic = { 0x00, 0x07 },
	.magic_len = 2,
	.v4_only = true,
	.peek = nf5_peek,
	.decode = nf5_decode,
};

const struct nf_codec nf_codec_v9 = {
	.name = "NetFlow v9",
	.version = NF9_VERSION,
	.magic = { 0x00, NF9_VERSION },
	.magic_len = 2,
	.templates = true,
	.peek = nf9_peek,
	.decode = nf9_decode,
	.decode_held = nf9_decode_held,
	.enc_init = nf_enc_init,
	.encode = nf9_encode,
	.templates_due = nf_enc_templates_due,
};

const struct nf_codec nf_codec_ipfix = {
	.name = "IPFIX",
	.version = IPFIX_VERSION,
	.magic = { 0x00, IPFIX_VERSION },
	.magic_len = 2,
	.templates = true,
	.peek = ipfix_peek,
	.decode = ipfix_decode,
	.decode_held = ipfix_decode_held,
	.enc_init = nf_enc_init,
	.encode = ipfix_encode,
	.templates_due = nf_enc_templates_due,
};

/*
 * sFlow v5: a 32-bit version 5 (00 00 00 05), which no NetFlow version
 * starts with; exporters are agents (address in the datagram) and
 * sub-agents, under nfdump's version number for sFlow.  Decode only.
 */
const struct nf_codec nf_codec_sflow = {
	.name = "sFlow v5",
	.version = SFLOW_EXPORTER_VERSION,
	.magic = { 0x00, 0x00, 0x00, SFLOW_VERSION },
	.magic_len = 4,
	.peek = sflow_codec_peek,
	.decode = sflow_decode,
};

/* Every protocol flowcapd accepts, most common first. */
static const struct nf_codec *const codecs[] = {
	&nf_codec_ipfix, &nf_codec_v9, &nf_codec_v5, &nf_codec_v7,
	&nf_codec_v1, &nf_codec_sflow,
};

const struct nf_codec *
nf_codec_sniff(const uint8_t *p, size_t len)
{
	for (size_t i = 0; i < NF_NELEM(codecs); i++) {
		const struct nf_codec *c = codecs[i];

		if (len >= c->magic_len &&
		    memcmp(p, c->magic, c->magic_len) == 0)
			return c;
	}
	return NULL;
}

const struct nf_codec *const *
nf_codec_table(size_t *n)
{
	*n = NF_NELEM(codecs);
	return codecs;
}

const struct nf_codec *
nf_codec_by_version(uint16_t version)
{
	for (size_t i = 0; i < NF_NELEM(codecs); i++)
		if (codecs[i]->version == version)
			return codecs[i];
	return NULL;
}

int
nf_peek(const uint8_t *p, size_t len, struct nf_peek *pk)
{
	const struct nf_codec *c;

	memset(pk, 0, sizeof(*pk));
	if (len < 2)
		return NFE_TRUNC;
	if ((c = nf_codec_sniff(p, len)) == NULL) {
		pk->version = (uint16_t)(p[0] << 8 | p[1]);
		/* cut inside a longer magic (sFlow's four bytes) */
		for (size_t i = 0; i < NF_NELEM(codecs); i++)
			if (len < codecs[i]->magic_len &&
			    memcmp(p, codecs[i]->magic, len) == 0)
				return NFE_TRUNC;
		return NFE_UNSUPP;
	}
	pk->codec = c;
	pk->version = c->version;
	return c->peek(p, len, pk);
}
