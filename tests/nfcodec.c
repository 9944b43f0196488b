/*
 * tests/nfcodec.c -- test helper for the v9 / IPFIX codecs.
 *
 *   nfcodec enc 9|10 NREC [SAMPLING [MAXSIZE]]
 *       encode NREC sample flows (IPv4 and IPv6 alternating every third
 *       record) and print each datagram as one line of hex;
 *   nfcodec dec [TEMPLATE-FILE]
 *       read datagrams as hex lines from stdin, decode them with one
 *       template cache (exporter 127.0.0.1) and print one line per
 *       datagram ("dgram ...") and per record ("rec ...") with every
 *       decoded field, for scripts to compare with what they sent;
 *       then save the template cache to TEMPLATE-FILE if given.
 *
 * Used by tests/scapy_codec.sh and for interoperability checks with
 * tshark and nfcapd.
 */
#include "common/base/compat.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/base/nferr.h"
#include "common/codec/ipfix.h"
#include "common/codec/nf9.h"
#include "common/codec/tmpl.h"
#include "nfcollect.h"

#define NOW_MS	UINT64_C(1700000000456)

static void
hexline(const uint8_t *p, size_t len)
{
	for (size_t i = 0; i < len; i++)
		printf("%02x", p[i]);
	printf("\n");
}

static int
enc(int version, size_t n, uint32_t sampling, size_t maxsize)
{
	struct flowrec *r = calloc(n ? n : 1, sizeof(*r));
	struct nf_enc e9;
	struct nf_enc e10;
	uint8_t buf[65536];
	size_t i = 0, len, used;
	int rc;

	if (r == NULL)
		return 1;
	for (size_t k = 0; k < n; k++)
		sample_flow(&r[k], (unsigned)k, k % 3 == 1, NOW_MS);
	nf_enc_init(&e9, 42, NOW_MS - 3600000);
	nf_enc_init(&e10, 42, NOW_MS - 3600000);
	e9.sampling = e10.sampling = sampling;
	if (maxsize != 0)
		e9.max_size = e10.max_size = maxsize;
	do {
		rc = version == 9 ?
		    nf9_encode(&e9, NOW_MS, r + i, n - i, buf, sizeof(buf),
		    &len, &used) :
		    ipfix_encode(&e10, NOW_MS, r + i, n - i, buf, sizeof(buf),
		    &len, &used);
		if (rc != NFE_OK) {
			fprintf(stderr, "nfcodec: encode: %s\n", nferr_str(rc));
			free(r);
			return 1;
		}
		if (len > 0)
			hexline(buf, len);
		i += used;
	} while (i < n);
	free(r);
	return 0;
}

static int
print_rec(void *arg, const struct flowrec *r)
{
	char buf[1024];

	(void)arg;
	printf("rec %s\n", flowrec_dump(r, buf, sizeof(buf)));
	return 0;
}

static int
unhex(const char *s, uint8_t *out, size_t cap, size_t *len)
{
	size_t n = 0;
	unsigned v;

	while (s[0] != '\0' && s[0] != '\n' && s[0] != '\r') {
		if (n >= cap || sscanf(s, "%2x", &v) != 1)
			return -1;
		out[n++] = (uint8_t)v;
		s += 2;
	}
	*len = n;
	return 0;
}

static int
dec(const char *save)
{
	static char line[140000];
	static uint8_t dg[65536];
	struct tmpl_cache *tc = tmpl_cache_new(NULL);
	struct nf_decode_ctx ctx;
	struct nf_dgram_info info;
	size_t len;
	int rc;

	memset(&ctx, 0, sizeof(ctx));
	addr_from_v4(&ctx.exporter, 0x7f000001);
	ctx.tmpl = tc;
	ctx.sink = print_rec;
	while (fgets(line, sizeof(line), stdin) != NULL) {
		if (unhex(line, dg, sizeof(dg), &len) != 0 || len < 2) {
			printf("dgram bad-hex\n");
			continue;
		}
		if (dg[1] == 9)
			rc = nf9_decode(dg, len, &ctx, &info);
		else
			rc = ipfix_decode(dg, len, &ctx, &info);
		printf("dgram rc=%s version=%u domain=%" PRIu32 " seq=%" PRIu32
		    " step=%" PRIu32 " export=%" PRIu64 " uptime=%" PRIu32
		    " records=%" PRIu32 " templates=%" PRIu32 " options=%"
		    PRIu32 " sampling=%" PRIu32 " notmpl=%" PRIu32 "\n",
		    nferr_str(rc), info.version, info.domain, info.seq,
		    info.seq_step, info.export_ms, info.sys_uptime_ms,
		    info.records, info.templates, info.options, info.sampling,
		    info.no_template);
	}
	if (save != NULL && (rc = tmpl_save(tc, save)) != NFE_OK) {
		fprintf(stderr, "nfcodec: %s: %s\n", save, nferr_str(rc));
		tmpl_cache_free(tc);
		return 1;
	}
	tmpl_cache_free(tc);
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc >= 4 && strcmp(argv[1], "enc") == 0)
		return enc(atoi(argv[2]), strtoul(argv[3], NULL, 10),
		    argc > 4 ? (uint32_t)strtoul(argv[4], NULL, 10) : 0,
		    argc > 5 ? strtoul(argv[5], NULL, 10) : 0);
	if ((argc == 2 || argc == 3) && strcmp(argv[1], "dec") == 0)
		return dec(argc == 3 ? argv[2] : NULL);
	fprintf(stderr, "usage: nfcodec enc 9|10 NREC [SAMPLING [MAXSIZE]]\n"
	    "       nfcodec dec [TEMPLATE-FILE] < hexlines\n");
	return 2;
}
