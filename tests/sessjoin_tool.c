/*
 * tests/sessjoin_tool.c -- the join of flows to users from session
 * files and CGNAT events, as flowq --sessions does it, on text input
 * (for tests/sessions_kat.sh):
 *
 *   sessjoin_tool [-i prefix]... [-n natfile] -s path [-s path]... flows
 *   sessjoin_tool -w out.flow flows
 *
 * flows: "first_ms last_ms src sport dst dport ..." per line; prints the
 * user of each flow ("-" for none), one per line.  natfile: "natEvent
 * time_ms inside outside lo hi step" per line.  Session file errors go
 * to stderr as "PATH line N: message".  -w writes the flows into a flow
 * file instead (for flowq --sessions), in their order.
 */
#include "common/base/compat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/base/addr.h"
#include "common/base/flowrec.h"
#include "common/base/nferr.h"
#include "common/enrich/natmap.h"
#include "common/enrich/sessdb.h"
#include "common/enrich/sessfollow.h"
#include "common/enrich/sessjoin.h"
#include "common/ffile/ffile.h"

static int
on_event(void *arg, const struct sessdb_event *ev)
{
	(void)sessdb_apply(arg, ev);
	return NFE_OK;
}

static void
on_error(void *arg, const char *path, unsigned line, const char *msg)
{
	(void)arg;
	fprintf(stderr, "%s line %u: %s\n", path, line, msg);
}

static void
load_nat(struct natmap *nm, const char *path)
{
	FILE *f = fopen(path, "r");
	char line[512];

	if (f == NULL) {
		perror(path);
		exit(1);
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		unsigned ev, lo, hi, step;
		unsigned long long t;
		char in[64], out[64];
		struct nf_addr ia, oa;
		struct natmap_event e;

		if (sscanf(line, "%u %llu %63s %63s %u %u %u", &ev, &t, in, out,
		    &lo, &hi, &step) != 7 || addr_parse(in, &ia) != NFE_OK ||
		    addr_parse(out, &oa) != NFE_OK) {
			fprintf(stderr, "%s: bad line %s", path, line);
			exit(1);
		}
		if (natmap_event_of((uint8_t)ev, t, &ia, 0, &oa, (uint16_t)lo,
		    (uint16_t)lo, (uint16_t)hi, (uint16_t)step, &e) == NFE_OK)
			natmap_apply(nm, &e);
	}
	fclose(f);
}

int
main(int argc, char **argv)
{
	const char *paths[16];
	size_t npaths = 0;
	struct sessdb_conf c;
	struct sessdb *db;
	struct natmap *nm = NULL;
	struct sessjoin j;
	struct sessfollow sf;
	const char *wpath = NULL;
	struct flowrec *recs = NULL;
	uint32_t *users;
	size_t n = 0, cap = 0;
	char line[512];
	FILE *f;
	int ch;

	sessdb_conf_default(&c);
	sessdb_new(&c, &db);
	memset(&j, 0, sizeof(j));
	j.db = db;
	while ((ch = getopt(argc, argv, "i:n:s:w:")) != -1) {
		struct nf_prefix p;

		switch (ch) {
		case 'i':
			if (prefix_parse(optarg, false, &p) != NFE_OK ||
			    sessjoin_inside(&j, &p) != NFE_OK) {
				fprintf(stderr, "bad -i %s\n", optarg);
				return 1;
			}
			break;
		case 'n':
			if (nm == NULL)
				natmap_new(NATMAP_DEF_MAX_MAPS,
				    NATMAP_DEF_TIMEOUT_MS, &nm);
			load_nat(nm, optarg);
			break;
		case 'w':
			wpath = optarg;
			break;
		case 's':
			if (npaths < NF_NELEM(paths))
				paths[npaths++] = optarg;
			break;
		default:
			return 2;
		}
	}
	if (optind + 1 != argc)
		return 2;
	j.nat = nm;
	sessfollow_init(&sf, paths, npaths, on_event, on_error, db);
	sessfollow_poll(&sf, true);
	sessfollow_fini(&sf);
	if ((f = fopen(argv[optind], "r")) == NULL) {
		perror(argv[optind]);
		return 1;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		unsigned long long t0, t1;
		unsigned sp, dp;
		char src[64], dst[64];

		if (n == cap) {
			cap = cap ? cap * 2 : 1024;
			recs = realloc(recs, cap * sizeof(*recs));
		}
		flowrec_init(&recs[n]);
		if (sscanf(line, "%llu %llu %63s %u %63s %u", &t0, &t1, src, &sp,
		    dst, &dp) != 6 || addr_parse(src, &recs[n].src) != NFE_OK ||
		    addr_parse(dst, &recs[n].dst) != NFE_OK) {
			fprintf(stderr, "%s: bad line %s", argv[optind], line);
			return 1;
		}
		recs[n].first_ms = t0;
		recs[n].last_ms = t1;
		recs[n].src_port = (uint16_t)sp;
		recs[n].dst_port = (uint16_t)dp;
		recs[n].af = addr_is_v4(&recs[n].src) ? 4 : 6;
		recs[n].proto = 6;
		recs[n].packets = 1;
		recs[n].bytes = 100;
		n++;
	}
	fclose(f);
	if (wpath != NULL) {
		struct ffile_wopts wo;
		struct ffile_writer *w;
		int rc;

		ffile_wopts_init(&wo);
		wo.ident = "sessjoin_tool";
		if ((rc = ffile_writer_open(wpath, &wo, &w)) != NFE_OK ||
		    (rc = ffile_writer_add(w, recs, n)) != NFE_OK ||
		    (rc = ffile_writer_close(w)) != NFE_OK) {
			fprintf(stderr, "%s: %s\n", wpath, nferr_str(rc));
			return 1;
		}
		free(recs);
		natmap_free(nm);
		sessdb_free(db);
		return 0;
	}
	users = calloc(n + 1, sizeof(*users));
	sessjoin_batch(&j, recs, n, users);
	for (size_t i = 0; i < n; i++)
		printf("%s\n", users[i] != 0 ? sessdb_user(db, users[i]) : "-");
	free(users);
	free(recs);
	natmap_free(nm);
	sessdb_free(db);
	return 0;
}
