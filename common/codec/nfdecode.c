/*
 * common/codec/nfdecode.c -- nf_decode(): sniff the export version in the
 * first two bytes of a datagram and hand it to the matching decoder
 * (common/codec/nfdecode.h has the contract).
 *
 * v1, v5 and v7 go to nf5.c, v9 to nf9.c and IPFIX (10) to ipfix.c (all
 * in common/codec/).  v9 and IPFIX need a template cache: without
 * ctx->tmpl they are refused with NFE_INVAL rather than crashing in
 * the decoder.  Any other version is NFE_UNSUPP.
 */
#include "common/base/compat.h"

#include <stdint.h>
#include <string.h>

#include "common/base/nferr.h"
#include "common/codec/ipfix.h"
#include "common/codec/nf5.h"
#include "common/codec/nf9.h"
#include "common/codec/nfdecode.h"

int
nf_decode(const uint8_t *p, size_t len, const struct nf_decode_ctx *ctx,
    struct nf_dgram_info *info)
{
	uint16_t version;

	memset(info, 0, sizeof(*info));
	if (len < 2)
		return NFE_TRUNC;
	version = (uint16_t)(p[0] << 8 | p[1]);
	switch (version) {
	case 1:
	case 5:
	case 7:
		return nf5_decode(p, len, ctx, info);
	case NF9_VERSION:
		if (ctx->tmpl == NULL) {
			info->version = version;
			return NFE_INVAL;
		}
		return nf9_decode(p, len, ctx, info);
	case IPFIX_VERSION:
		if (ctx->tmpl == NULL) {
			info->version = version;
			return NFE_INVAL;
		}
		return ipfix_decode(p, len, ctx, info);
	default:
		info->version = version;
		return NFE_UNSUPP;
	}
}
