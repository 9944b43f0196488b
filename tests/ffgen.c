/*
 * tests/ffgen.c -- deterministic flow records and temp-file helpers for
 * the flow file tests.
 */
#include "common/base/compat.h"

#include <sys/stat.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/base/flowrec.h"
#include "ffgen.h"

static char tmpdir[256];
static char pathbuf[512];

static uint64_t
next(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	*s = x;
	return x;
}

static void
gen_addr(struct nf_addr *a, uint64_t *s, int v6, uint32_t net)
{
	uint8_t b[16];
	uint64_t v;

	if (!v6) {
		addr_from_v4(a, net | (uint32_t)(next(s) & 0xffff));
		return;
	}
	memset(b, 0, sizeof(b));
	b[0] = 0x20;
	b[1] = 0x01;
	b[2] = 0x0d;
	b[3] = 0xb8;
	b[7] = (uint8_t)(net >> 8);
	v = next(s);
	memcpy(b + 8, &v, 8);
	addr_from_v6(a, b);
}

void
ffgen_records(struct flowrec *r, size_t n, uint64_t seed, int fam,
    uint64_t t0, int extremes)
{
	static const uint16_t ports[] = { 53, 80, 443, 22, 123, 8080 };
	static const uint8_t protos[] = { 6, 6, 6, 17, 17, 1, 58, 47 };
	uint64_t s = seed * 2654435761u + 88172645463325252ULL, x;
	int v6;

	for (size_t i = 0; i < n; i++) {
		flowrec_init(&r[i]);
		x = next(&s);
		v6 = fam == FFGEN_V6 || (fam == FFGEN_MIXED && (x & 3) == 0);
		r[i].af = v6 ? 6 : 4;
		r[i].first_ms = t0 + i * 300000 / (n + 1) + (x >> 40) % 2000;
		r[i].last_ms = r[i].first_ms + (x & 1 ? 0 : (x >> 20) % 60000);
		r[i].packets = 1 + (x >> 8) % 100;
		r[i].bytes = r[i].packets * (40 + (x >> 16) % 1460);
		gen_addr(&r[i].src, &s, v6, 0x0a000000);
		gen_addr(&r[i].dst, &s, v6, 0xc0a80000);
		if (x & 0x10)
			gen_addr(&r[i].nexthop, &s, v6, 0x0a0000fe);
		r[i].in_if = (uint32_t)(x >> 32) % 8;
		r[i].out_if = (uint32_t)(x >> 36) % 8;
		r[i].src_as = (x & 0x100) ? 64512 + (uint32_t)(x >> 50) % 10 : 0;
		r[i].dst_as = (uint32_t)(x >> 44) % 70000;
		r[i].proto = protos[(x >> 3) % NF_NELEM(protos)];
		r[i].src_port = (uint16_t)(1024 + (next(&s) % 64000));
		r[i].dst_port = ports[(x >> 5) % NF_NELEM(ports)];
		if (r[i].proto == 1 || r[i].proto == 58)
			r[i].src_port = 0;
		r[i].tcp_flags = r[i].proto == 6 ? (uint8_t)(x >> 24) : 0;
		r[i].tos = (uint8_t)((x >> 28) & 0xfc);
		r[i].src_mask = v6 ? 64 : 24;
		r[i].dst_mask = v6 ? 48 : 16;
		r[i].src_vlan = (x & 0x200) ? 100 : 0;
		r[i].dst_vlan = 0;
		r[i].exporter = (uint16_t)((x >> 12) % 3);
		r[i].direction = (uint8_t)((x >> 14) & 1);
		r[i].end_reason = (uint8_t)(1 + (x >> 15) % 4);
		r[i].sampling = (x >> 33) % 5 == 0 ? 100 : 1;
		r[i].engine_type = 1;
		r[i].engine_id = (uint8_t)r[i].exporter;
		if (extremes && i % 97 == 5) {
			r[i].packets = UINT64_MAX;
			r[i].bytes = UINT64_MAX - i;
			r[i].flows = UINT32_MAX;
			r[i].in_if = UINT32_MAX;
			r[i].src_port = UINT16_MAX;
			r[i].tos = 0xff;
			r[i].last_ms = r[i].first_ms;
		}
		if (extremes && i % 101 == 7) {
			memset(&r[i].nexthop, 0, sizeof(r[i].nexthop));
			r[i].first_ms = 0;	/* far outlier */
		}
	}
}

const char *
ffgen_tmpdir(void)
{
	const char *base = getenv("TMPDIR");

	if (tmpdir[0] != '\0')
		return tmpdir;
	snprintf(tmpdir, sizeof(tmpdir), "%s/ffile.XXXXXX",
	    base != NULL && *base != '\0' ? base : "/tmp");
	if (mkdtemp(tmpdir) == NULL) {
		perror("mkdtemp");
		exit(1);
	}
	return tmpdir;
}

char *
ffgen_path(const char *name)
{
	snprintf(pathbuf, sizeof(pathbuf), "%s/%s", ffgen_tmpdir(), name);
	return pathbuf;
}

uint8_t *
ffgen_slurp(const char *path, size_t *len)
{
	FILE *f;
	uint8_t *p;
	long n;

	*len = 0;
	if ((f = fopen(path, "rb")) == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0 ||
	    (p = malloc((size_t)n + 1)) == NULL) {
		fclose(f);
		return NULL;
	}
	if (fread(p, 1, (size_t)n, f) != (size_t)n) {
		free(p);
		fclose(f);
		return NULL;
	}
	fclose(f);
	*len = (size_t)n;
	return p;
}

int
ffgen_spit(const char *path, const void *p, size_t len)
{
	FILE *f;
	int r = 0;

	if ((f = fopen(path, "wb")) == NULL)
		return -1;
	if (len > 0 && fwrite(p, 1, len, f) != len)
		r = -1;
	if (fclose(f) != 0)
		r = -1;
	return r;
}

void
ffgen_cleanup(void)
{
	char p[600];
	struct dirent *d;
	DIR *dir;

	if (tmpdir[0] == '\0' || (dir = opendir(tmpdir)) == NULL)
		return;
	while ((d = readdir(dir)) != NULL) {
		if (strcmp(d->d_name, ".") == 0 || strcmp(d->d_name, "..") == 0)
			continue;
		snprintf(p, sizeof(p), "%s/%s", tmpdir, d->d_name);
		unlink(p);
	}
	closedir(dir);
	rmdir(tmpdir);
}
