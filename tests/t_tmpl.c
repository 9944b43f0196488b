/*
 * tests/t_tmpl.c -- template cache: validation, namespaces, replace,
 * LRU eviction under each limit, withdrawal, option state, and the
 * template file (round trip, corrupt, truncated and hostile files).
 */
#include "common/base/compat.h"

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "common/base/nferr.h"
#include "common/codec/ie.h"
#include "common/codec/tmpl.h"
#include "tap.h"

static struct tmpl
mk(uint16_t id, uint16_t nf, uint16_t base_len)
{
	struct tmpl t;

	memset(&t, 0, sizeof(t));
	t.id = id;
	t.nfields = nf;
	for (uint16_t i = 0; i < nf; i++) {
		t.fields[i].id = (uint16_t)(1 + i);
		t.fields[i].len = (uint16_t)(base_len + i % 3);
	}
	return t;
}

static struct tmpl_key
key(uint32_t exporter, uint16_t version, uint32_t domain, uint16_t id)
{
	struct tmpl_key k;

	memset(&k, 0, sizeof(k));
	addr_from_v4(&k.exporter, exporter);
	k.version = version;
	k.domain = domain;
	k.id = id;
	return k;
}

static void
test_finish(void)
{
	struct tmpl t;

	t = mk(256, 3, 4);
	tap_ok(tmpl_finish(&t, 9) == NFE_OK && t.min_len == 4 + 5 + 6 &&
	    !t.varlen, "finish: record length");
	t = mk(255, 3, 4);
	tap_is_int(tmpl_finish(&t, 9), NFE_FORMAT, "finish: id 255");
	t = mk(300, 0, 4);
	tap_is_int(tmpl_finish(&t, 10), NFE_FORMAT, "finish: no fields");
	t = mk(300, 2, 0);
	t.fields[1].len = 0;
	tap_is_int(tmpl_finish(&t, 10), NFE_FORMAT, "finish: zero length");
	t = mk(300, 2, 40000);
	tap_is_int(tmpl_finish(&t, 10), NFE_FORMAT, "finish: record longer "
	    "than 65535");
	t = mk(300, 2, 4);
	t.nfields = TMPL_MAX_FIELDS + 1;
	tap_is_int(tmpl_finish(&t, 10), NFE_LIMIT, "finish: too many fields");
	t = mk(300, 2, 4);
	t.fields[1].len = IE_VARLEN;
	tap_is_int(tmpl_finish(&t, 9), NFE_FORMAT, "finish: no varlen in v9");
	tap_ok(tmpl_finish(&t, 10) == NFE_OK && t.varlen && t.min_len == 5,
	    "finish: IPFIX varlen counts one byte");
	t = mk(300, 2, 4);
	t.options = true;
	tap_is_int(tmpl_finish(&t, 10), NFE_FORMAT, "finish: IPFIX options "
	    "need a scope");
	t.scope_count = 3;
	tap_is_int(tmpl_finish(&t, 10), NFE_FORMAT, "finish: scope past "
	    "the fields");
	t = mk(300, 2, 4);
	t.fields[0].pen = 9;
	tap_is_int(tmpl_finish(&t, 9), NFE_FORMAT, "finish: no enterprise "
	    "fields in v9");
	tap_is_int(tmpl_finish(&t, 11), NFE_FORMAT, "finish: version 11");
}

static void
test_basic(void)
{
	struct tmpl_cache *c = tmpl_cache_new(NULL);
	struct tmpl t = mk(256, 4, 2), t2 = mk(256, 5, 2);
	struct tmpl_key k9 = key(1, 9, 5, 256), k10 = key(1, 10, 5, 256);
	struct tmpl_key kd = key(1, 9, 6, 256), ke = key(2, 9, 5, 256);
	struct tmpl_stats st;
	const struct tmpl *g;
	bool changed;

	tap_ok(tmpl_put(c, &k9, &t, &changed) == NFE_OK && changed,
	    "put: new template");
	g = tmpl_get(c, &k9);
	tap_ok(g != NULL && g != &t && g->nfields == 4 && g->min_len == 11,
	    "get: a copy with its record length");
	tap_ok(tmpl_get(c, &k10) == NULL, "namespaces: IPFIX does not see v9");
	tap_ok(tmpl_get(c, &kd) == NULL, "namespaces: other domain");
	tap_ok(tmpl_get(c, &ke) == NULL, "namespaces: other exporter");
	tap_ok(tmpl_put(c, &k9, &t, &changed) == NFE_OK && !changed,
	    "put: same layout again is a refresh");
	tap_ok(tmpl_put(c, &k9, &t2, &changed) == NFE_OK && changed &&
	    tmpl_get(c, &k9)->nfields == 5, "put: changed layout replaces");
	tmpl_get_stats(c, &st);
	tap_ok(st.templates == 1 && st.added == 1 && st.refreshed == 1 &&
	    st.replaced == 1, "stats: added, refreshed, replaced");
	t.id = 12;
	tap_is_int(tmpl_put(c, &k9, &t, NULL), NFE_FORMAT, "put: invalid");
	tap_ok(tmpl_withdraw(c, &k9) && tmpl_get(c, &k9) == NULL &&
	    !tmpl_withdraw(c, &k9), "withdraw: gone, second time false");
	tmpl_cache_free(c);
	tmpl_cache_free(NULL);
}

static void
test_lru(void)
{
	struct tmpl_limits lim = { 6, 4, 2 };
	struct tmpl_cache *c = tmpl_cache_new(&lim);
	struct tmpl_key k;
	struct tmpl_stats st;
	struct tmpl_opts o = { .sampling = 10 };
	struct tmpl t;

	for (uint16_t id = 256; id < 260; id++) {
		t = mk(id, 2, 4);
		k = key(1, 10, 0, id);
		tmpl_put(c, &k, &t, NULL);
	}
	k = key(1, 10, 0, 256);
	(void)tmpl_get(c, &k);			/* 256 now most recent */
	t = mk(260, 2, 4);
	k = key(1, 10, 0, 260);
	tmpl_put(c, &k, &t, NULL);		/* evicts 257 */
	k = key(1, 10, 0, 257);
	tap_ok(tmpl_get(c, &k) == NULL, "lru: per-exporter bound evicts the "
	    "least recently used");
	k = key(1, 10, 0, 256);
	tap_ok(tmpl_get(c, &k) != NULL, "lru: a recently used one stays");
	for (uint16_t id = 256; id < 260; id++) {
		t = mk(id, 2, 4);
		k = key(2, 10, 0, id);
		tmpl_put(c, &k, &t, NULL);
	}
	tmpl_get_stats(c, &st);
	tap_ok(st.templates == 6 && st.evicted == 3, "lru: total bound "
	    "(%llu held, %llu evicted)", (unsigned long long)st.templates,
	    (unsigned long long)st.evicted);
	for (uint32_t d = 0; d < 5; d++) {
		k = key(1, 9, d, 0);
		tmpl_opts_update(c, &k, &o);
	}
	tmpl_get_stats(c, &st);
	k = key(1, 9, 4, 0);
	tap_ok(st.opts == 2 && st.opts_evicted == 3 &&
	    tmpl_opts_get(c, &k) != NULL, "opts: bounded, LRU");
	tmpl_cache_free(c);
}

static void
test_withdraw_all_and_opts(void)
{
	struct tmpl_cache *c = tmpl_cache_new(NULL);
	struct tmpl t;
	struct tmpl_key k;
	struct tmpl_opts o;
	const struct tmpl_opts *g;

	for (uint16_t id = 256; id < 262; id++) {
		t = mk(id, 2, 4);
		if (id % 2) {
			t.options = true;
			t.scope_count = 1;
		}
		k = key(1, 10, 9, id);
		tmpl_put(c, &k, &t, NULL);
		k = key(1, 10, 8, id);
		tmpl_put(c, &k, &t, NULL);
	}
	k = key(1, 10, 9, 3);
	tap_is_uint(tmpl_withdraw_all(c, &k, true), 3,
	    "withdraw all options templates of one domain");
	tap_is_uint(tmpl_withdraw_all(c, &k, false), 3,
	    "withdraw all the rest of that domain");
	k = key(1, 10, 8, 257);
	tap_ok(tmpl_get(c, &k) != NULL, "other domain untouched");
	k = key(7, 10, 8, 2);
	tap_is_uint(tmpl_withdraw_all(c, &k, false), 0, "unknown exporter");
	k = key(1, 9, 1, 0);
	tap_ok(tmpl_opts_get(c, &k) == NULL, "opts: none yet");
	o.sampling = 64;
	o.sys_init_ms = 0;
	tmpl_opts_update(c, &k, &o);
	o.sampling = 0;
	o.sys_init_ms = 12345;
	tmpl_opts_update(c, &k, &o);
	g = tmpl_opts_get(c, &k);
	tap_ok(g != NULL && g->sampling == 64 && g->sys_init_ms == 12345,
	    "opts: updates merge");
	memset(&o, 0, sizeof(o));
	for (uint32_t i = 0; i < TMPL_MAX_SAMPLERS + 2; i++) {
		o.nsamplers = 1;
		o.samplers[0].id = i;
		o.samplers[0].rate = 100 + i;
		tmpl_opts_update(c, &k, &o);
	}
	o.samplers[0].id = 5;
	o.samplers[0].rate = 555;
	tmpl_opts_update(c, &k, &o);
	g = tmpl_opts_get(c, &k);
	tap_ok(g->nsamplers == TMPL_MAX_SAMPLERS &&
	    tmpl_opts_rate(g, true, 0) == 64 && tmpl_opts_rate(g, true, 2) ==
	    102 && tmpl_opts_rate(g, true, 5) == 555 &&
	    tmpl_opts_rate(g, true, 9) == 109 && g->sampling == 64,
	    "opts: samplers bounded (oldest forgotten), updated in place; "
	    "unknown sampler id falls back to the domain rate");
	tap_ok(tmpl_opts_rate(g, false, 5) == 64 &&
	    tmpl_opts_rate(NULL, true, 5) == 0, "opts: rate without an id");
	tmpl_cache_free(c);
}

#define TFILE_OPT_LEN	36	/* option state entry without samplers */

static char dir[256];

static size_t
count_files(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t n = 0;

	while (d != NULL && (e = readdir(d)) != NULL)
		if (e->d_name[0] != '.')
			n++;
	if (d != NULL)
		closedir(d);
	return n;
}

static uint8_t *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *p = malloc(1 << 20);

	*len = fread(p, 1, 1 << 20, f);
	fclose(f);
	return p;
}

static void
fix_crc(uint8_t *p, size_t len)
{
	uint32_t crc = (uint32_t)crc32(0, p, (uInt)(len - 4));

	for (int i = 0; i < 4; i++)
		p[len - 4 + i] = (uint8_t)(crc >> (8 * i));
}

static void
test_file(void)
{
	struct tmpl_cache *c = tmpl_cache_new(NULL), *d;
	struct tmpl_key k;
	struct tmpl_opts o = { .sampling = 100,
	    .sys_init_ms = UINT64_C(1690000000000), .nsamplers = 2,
	    .samplers = { { 7, 64 }, { UINT64_C(1) << 40, 1000 } } };
	struct tmpl_stats st;
	struct tmpl t;
	const struct tmpl *g;
	char path[300];
	uint8_t *buf, *cp;
	size_t len, loaded, bad = 0;
	bool same = true;

	snprintf(path, sizeof(path), "%s/templates", dir);
	for (uint16_t id = 256; id < 356; id++) {
		t = mk(id, (uint16_t)(1 + id % 40), 2);
		if (id % 7 == 0) {
			t.fields[0].pen = 29305;
			t.fields[0].len = IE_VARLEN;
		}
		if (id % 5 == 0) {
			t.options = true;
			t.scope_count = 1;
		}
		k = key(id % 3, id % 7 == 0 ? 10 : (id % 2 ? 9 : 10), id % 4,
		    id);
		tmpl_put(c, &k, &t, NULL);
	}
	k = key(1, 10, 3, 0);
	tmpl_opts_update(c, &k, &o);
	tap_is_int(tmpl_save(c, path), NFE_OK, "save: ok");
	tap_is_uint(count_files(), 1, "save: no temporary file left");
	d = tmpl_cache_new(NULL);
	tap_ok(tmpl_load(d, path, &loaded) == NFE_OK && loaded == 100,
	    "load: 100 templates");
	for (uint16_t id = 256; id < 356; id++) {
		k = key(id % 3, id % 7 == 0 ? 10 : (id % 2 ? 9 : 10), id % 4,
		    id);
		g = tmpl_get(d, &k);
		t = mk(id, (uint16_t)(1 + id % 40), 2);
		if (g == NULL || g->nfields != t.nfields ||
		    g->options != (id % 5 == 0) ||
		    (id % 7 == 0 && g->fields[0].pen != 29305) ||
		    (id % 7 != 0 && memcmp(g->fields, t.fields,
		    t.nfields * sizeof(t.fields[0])) != 0))
			same = false;
	}
	tap_ok(same, "load: every template back, fields, options, PEN");
	k = key(1, 10, 3, 0);
	tap_ok(tmpl_opts_get(d, &k) != NULL &&
	    tmpl_opts_get(d, &k)->sampling == 100 &&
	    tmpl_opts_get(d, &k)->sys_init_ms == UINT64_C(1690000000000) &&
	    tmpl_opts_rate(tmpl_opts_get(d, &k), true, 7) == 64 &&
	    tmpl_opts_rate(tmpl_opts_get(d, &k), true, UINT64_C(1) << 40) ==
	    1000, "load: option state back, samplers included");
	tmpl_cache_free(d);

	buf = slurp(path, &len);
	cp = malloc(len);
	d = tmpl_cache_new(NULL);
	for (size_t cut = 0; cut < len; cut++)
		if (tmpl_load_mem(d, buf, cut, NULL) == NFE_OK)
			bad++;
	tap_is_uint(bad, 0, "truncated: every prefix refused");
	for (size_t i = 0; i < len; i += 3) {
		memcpy(cp, buf, len);
		cp[i] ^= 0x10;
		if (tmpl_load_mem(d, cp, len, NULL) != NFE_CORRUPT)
			bad++;
	}
	tap_is_uint(bad, 0, "bit flips: refused as NFE_CORRUPT");
	/* hostile contents behind a valid checksum */
	memcpy(cp, buf, len);
	cp[4] = 2;
	fix_crc(cp, len);
	tap_is_int(tmpl_load_mem(d, cp, len, NULL), NFE_VERSION,
	    "newer major version refused");
	memcpy(cp, buf, len);
	cp[8] = 0xff;				/* ntemplates 255 */
	fix_crc(cp, len);
	tap_is_int(tmpl_load_mem(d, cp, len, NULL), NFE_CORRUPT,
	    "template count larger than the file");
	memcpy(cp, buf, len);
	cp[16 + 22] = 0x10;			/* first template id 16 */
	cp[16 + 23] = 0x00;
	fix_crc(cp, len);
	tap_is_int(tmpl_load_mem(d, cp, len, NULL), NFE_CORRUPT,
	    "template id below 256 refused");
	memcpy(cp, buf, len);
	cp[16 + 20] = 11;			/* first version 11 */
	fix_crc(cp, len);
	tap_is_int(tmpl_load_mem(d, cp, len, NULL), NFE_CORRUPT,
	    "protocol version 11 refused");
	memcpy(cp, buf, len);
	cp[16 + 28] = 0xff;			/* nfields 255 */
	fix_crc(cp, len);
	tap_is_int(tmpl_load_mem(d, cp, len, NULL), NFE_CORRUPT,
	    "field count above the limit refused");
	memcpy(cp, buf, len);
	cp[len - 4 - (TFILE_OPT_LEN + 2 * 12) + 22] = TMPL_MAX_SAMPLERS + 1;
	fix_crc(cp, len);
	tap_is_int(tmpl_load_mem(d, cp, len, NULL), NFE_CORRUPT,
	    "sampler count above the limit refused");
	tmpl_get_stats(d, &st);
	tap_ok(st.templates == 0 && st.opts == 0, "a refused file leaves the "
	    "cache unchanged");
	tap_is_int(tmpl_load(d, "/nonexistent/templates", NULL), NFE_IO,
	    "missing file is NFE_IO");
	tap_is_int(tmpl_save(c, "/nonexistent/dir/templates"), NFE_IO,
	    "unwritable path is NFE_IO");
	free(buf);
	free(cp);
	tmpl_cache_free(d);
	tmpl_cache_free(c);
	unlink(path);
}

int
main(void)
{
	const char *tmp = getenv("TMPDIR");

	snprintf(dir, sizeof(dir), "%s/t_tmpl.XXXXXX", tmp ? tmp : "/tmp");
	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	tap_no_plan();
	test_finish();
	test_basic();
	test_lru();
	test_withdraw_all_and_opts();
	test_file();
	rmdir(dir);
	return tap_done();
}
