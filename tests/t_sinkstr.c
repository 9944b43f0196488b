/*
 * tests/t_sinkstr.c -- string fields in the sinks' NDJSON: the sink's
 * encoder (sink/ndjson.c) writes a record with a name byte for byte as
 * flowq -o ndjson does, for names with quotes, backslashes, control
 * bytes, UTF-8, bytes that are not UTF-8 (U+FFFD) and 255 bytes of
 * escapes; an empty name has no member.
 */
#include "common/base/compat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/base/fields.h"
#include "common/base/nferr.h"
#include "query/obuf.h"
#include "query/output.h"
#include "sink/ndjson.h"
#include "tap.h"

int
main(void)
{
	static const char *const fixed[] = {
		"", "http", "a \"quoted\" \\ name", "tab\there\n",
		"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80",
		"bad \xc3 \xff \xed\xa0\x80",
	};
	static const char want_user[] = "\"userName\": \"alice \\\"a\\\"\"";
	char name[FLOWREC_STR_MAX];
	struct ffile_exporter xs[1];
	struct flowrec r;
	struct sink_batch b = { &r, 1, xs, 1, 0 };
	struct out_opts oo;
	struct output *o;
	struct obuf ob;
	struct sbuf out;
	uint64_t x = 0x2545f4914f6cdd1dULL;
	size_t bad = 0, n, with = 0;
	char err[256];

	tap_no_plan();
	memset(xs, 0, sizeof(xs));
	addr_from_v4(&xs[0].addr, 0xc0000201);
	setenv("TZ", "UTC", 1);
	tzset();
	memset(&oo, 0, sizeof(oo));
	if (output_new("ndjson", &oo, &o, err, sizeof(err)) != NFE_OK) {
		tap_ok(false, "flowq's ndjson output: %s", err);
		return tap_done();
	}
	obuf_init(&ob);
	sbuf_init(&out);
	for (n = 0; n < 3000 && bad < 5; n++) {
		flowrec_init(&r);
		r.first_ms = UINT64_C(1700000000000) + n;
		r.last_ms = r.first_ms + 10;
		if (n < sizeof(fixed) / sizeof(fixed[0]))
			flowrec_str_set(&r.app_name, fixed[n], strlen(fixed[n]));
		else {
			/* random bytes, NULs left out (a name ends there) */
			size_t len;

			x = x * 6364136223846793005ULL + 1442695040888963407ULL;
			len = (size_t)((x >> 33) % (FLOWREC_STR_MAX + 1));

			for (size_t i = 0; i < len; i++) {
				x = x * 6364136223846793005ULL +
				    1442695040888963407ULL;
				name[i] = (char)((x >> 56) % 255 + 1);
			}
			r.app_name.p = name;
			r.app_name.len = (uint32_t)len;
		}
		with += r.app_name.len > 0;
		sbuf_reset(&out);
		ndjson_record(&b, 0, true, &out);
		obuf_reset(&ob);
		output_record(o, &r, &xs[0].addr, &ob);
		if (out.len != ob.len || memcmp(out.p, ob.p, ob.len) != 0) {
			tap_diag("sink:  %.*s", (int)out.len,
			    (const char *)out.p);
			tap_diag("flowq: %.*s", (int)ob.len, ob.p);
			bad++;
		}
	}
	tap_ok(bad == 0, "%zu records (%zu with a name): each sink line is "
	    "flowq -o ndjson's", n, with);
	sbuf_reset(&out);
	flowrec_init(&r);
	ndjson_record(&b, 0, true, &out);
	tap_ok(memmem(out.p, out.len, "applicationName", 15) == NULL,
	    "no name, no member");
	/* the subscriber a flowcapd joined at ingest (issue 11) */
	tap_ok(memmem(out.p, out.len, "userName", 8) == NULL,
	    "no user, no userName member");
	flowrec_str_set(&r.user, "alice \"a\"", 9);
	sbuf_reset(&out);
	ndjson_record(&b, 0, true, &out);
	obuf_reset(&ob);
	output_record(o, &r, &xs[0].addr, &ob);
	tap_ok(memmem(out.p, out.len, want_user, strlen(want_user)) != NULL &&
	    out.len == ob.len &&
	    memcmp(out.p, ob.p, ob.len) == 0,
	    "a user: the sink's userName member is flowq -o ndjson's");
	sbuf_fini(&out);
	obuf_fini(&ob);
	output_free(o);
	return tap_done();
}
