/*
 * query/main.c -- flowq: nfdump-compatible queries over flowkit flow
 * files and nfdump's own files (man/flowq.1).  Options, the filter text, the choice of sinks
 * (listing, -a/-A aggregation, -s statistics, -w), and -I / -v / -Z.
 *
 * Exit status: 0 success; 1 an input file could not be read or a
 * corrupt block was skipped (the answer covers the rest); 255 a bad
 * option, filter or format (nothing was read).
 */
#include "common/base/compat.h"

#include <errno.h>
#include <stdarg.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/base/nferr.h"
#include "common/base/timeutil.h"
#include "common/ffile/ffile.h"
#include "common/ffile/zcodec.h"
#include "common/nfdump/nfdfile.h"
#include "common/prog/version.h"
#include "common/prog/xmalloc.h"
#include "query/agg.h"
#include "query/filter.h"
#include "query/nfdinfo.h"
#include "query/output.h"
#include "query/scan.h"
#include "query/topn.h"

#define EXIT_USAGE	255
#define MAX_STATS	16

NF_NORETURN static void
usage(int status)
{
	fprintf(status == 0 ? stdout : stderr,
"usage: flowq [-r file|dir] [-R dir[/first:last]] [-M dir1:dir2] [-t window]\n"
"             [-c count] [-a | -A keys] [-s stat[:p][/order...]] [-n num]\n"
"             [-o format] [-O order] [-q] [-N] [-6] [-m] [-f filterfile]\n"
"             [-w file [-z codec]] [-W workers] [filter]\n"
"       flowq -I -r file ...     print file summaries from their trailers\n"
"       flowq -v file            verify a file block by block\n"
"       flowq -Z [filter]        check the filter and exit\n"
"       flowq -V | -h\n"
"formats: line long extended csv json ndjson null fmt:... (name6: -6)\n");
	exit(status);
}

NF_NORETURN NF_PRINTF(1, 2) static void
fatal(const char *fmt, ...)
{
	va_list ap;

	fputs("flowq: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(EXIT_USAGE);
}

static char *
read_file(const char *path)
{
	FILE *f;
	char *buf = NULL;
	size_t len = 0, n;
	char chunk[4096];

	if ((f = fopen(path, "r")) == NULL)
		fatal("%s: %s", path, strerror(errno));
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		buf = xreallocarray(buf, len + n + 1, 1);
		memcpy(buf + len, chunk, n);
		len += n;
	}
	fclose(f);
	if (buf == NULL)
		buf = xstrdup("");
	buf[len] = '\0';
	return buf;
}

static void
parse_window(const char *arg, uint64_t *from, uint64_t *to)
{
	char *s = xstrdup(arg), *dash;

	*from = 0;
	*to = UINT64_MAX;
	if ((dash = strchr(s, '-')) != NULL)
		*dash = '\0';
	if (time_parse(s, false, from) != NFE_OK)
		fatal("bad time window '%s': use YYYY/MM/DD.hh:mm:ss"
		    "[-YYYY/MM/DD.hh:mm:ss]", arg);
	if (dash != NULL && time_parse(dash + 1, false, to) != NFE_OK)
		fatal("bad time window '%s': use YYYY/MM/DD.hh:mm:ss"
		    "[-YYYY/MM/DD.hh:mm:ss]", arg);
	if (*to < *from)
		fatal("bad time window '%s': it ends before it starts", arg);
	free(s);
}

/* True if path starts like an nfdump file (nfd_sniff). */
static bool
nfd_is_file(const char *path)
{
	uint8_t h[4];
	FILE *f = fopen(path, "rb");
	bool yes;

	if (f == NULL)
		return false;
	yes = fread(h, 1, sizeof(h), f) == sizeof(h) && nfd_sniff(h, 4);
	fclose(f);
	return yes;
}

static int
print_info(const char *path)
{
	struct ffile_reader *r;
	const struct ffile_info *in;
	const struct ffile_totals *t;
	static const char *pn[FFILE_NPROTO] = { "tcp", "udp", "icmp", "other" };
	char err[256], ts[TIME_STRLEN], a[ADDR_STRLEN];
	int rc;

	if ((rc = ffile_open(path, FFILE_O_TOTALS, &r, err, sizeof(err))) !=
	    NFE_OK) {
		if (rc == NFE_FORMAT && nfd_is_file(path))
			return nfdinfo_print(path);
		fprintf(stderr, "flowq: %s: %s\n", path, err);
		return 1;
	}
	in = ffile_info(r);
	t = &in->totals;
	printf("File: %s\n", path);
	printf("Ident: %s\n", in->ident[0] != '\0' ? in->ident : "none");
	printf("Flows: %llu\n", (unsigned long long)t->flows);
	for (int i = 0; i < FFILE_NPROTO; i++)
		printf("Flows_%s: %llu\n", pn[i],
		    (unsigned long long)t->proto[i].flows);
	printf("Packets: %llu\n", (unsigned long long)t->packets);
	for (int i = 0; i < FFILE_NPROTO; i++)
		printf("Packets_%s: %llu\n", pn[i],
		    (unsigned long long)t->proto[i].packets);
	printf("Bytes: %llu\n", (unsigned long long)t->bytes);
	for (int i = 0; i < FFILE_NPROTO; i++)
		printf("Bytes_%s: %llu\n", pn[i],
		    (unsigned long long)t->proto[i].bytes);
	printf("First: %llu\nLast: %llu\nmsec_first: %u\nmsec_last: %u\n",
	    (unsigned long long)(t->first_ms / 1000),
	    (unsigned long long)(t->last_ms / 1000),
	    (unsigned)(t->first_ms % 1000), (unsigned)(t->last_ms % 1000));
	printf("Records: %llu\n", (unsigned long long)t->records);
	printf("Blocks: %zu\n", in->nblocks);
	printf("Version: %u.%u\n", in->major, in->minor);
	printf("Created: %s\n", time_format(in->created_ms, TIME_NFDUMP, false,
	    ts, sizeof(ts)));
	printf("Compression: %s\n", zcodec_name(in->codec));
	if (in->clean)
		printf("Closed: cleanly\n");
	else
		printf("Closed: not cleanly (%s); totals rebuilt from %zu "
		    "blocks\n", in->why_unclean, in->nblocks);
	printf("Exporters: %zu\n", in->nexporters);
	for (size_t i = 0; i < in->nexporters; i++) {
		const struct ffile_exporter *x = &in->exporters[i];

		printf("Exporter %zu: %s port %u v%u domain %u sampling %u "
		    "datagrams %llu records %llu sequence failures %llu "
		    "lost %llu malformed %llu\n", i,
		    addr_format(&x->addr, a, sizeof(a)), x->port, x->version,
		    x->domain, x->sampling,
		    (unsigned long long)x->stats.datagrams,
		    (unsigned long long)x->stats.records,
		    (unsigned long long)x->stats.seq_gaps,
		    (unsigned long long)x->stats.seq_lost,
		    (unsigned long long)x->stats.malformed);
	}
	ffile_close(r);
	return 0;
}

static int
verify(const char *path)
{
	struct ffile_reader *r;
	const struct ffile_info *in;
	struct ffile_blockbuf bb;
	struct fcol c;
	char err[256];
	size_t bad = 0;
	uint64_t recs = 0;
	bool clean;
	int rc;

	if ((rc = ffile_open(path, 0, &r, err, sizeof(err))) != NFE_OK) {
		if (rc == NFE_FORMAT && nfd_is_file(path))
			return nfdinfo_verify(path);
		fprintf(stderr, "flowq: %s: %s\n", path, err);
		return 1;
	}
	in = ffile_info(r);
	ffile_blockbuf_init(&bb);
	if (fcol_init(&c, FFILE_MAX_BLOCK_RECS) != NFE_OK)
		fatal("out of memory");
	for (size_t i = 0; i < in->nblocks; i++) {
		if (ffile_verify_block(r, i, &bb, &c, err, sizeof(err)) !=
		    NFE_OK) {
			printf("%s: block %zu: %s\n", path, i, err);
			bad++;
		} else
			recs += c.n;
	}
	if (!in->clean)
		printf("%s: not closed cleanly: %s\n", path, in->why_unclean);
	printf("%s: %zu blocks, %llu records: %s\n", path, in->nblocks,
	    (unsigned long long)recs, bad == 0 && in->clean ? "OK" :
	    bad == 0 ? "blocks OK, no trailer" : "CORRUPT");
	clean = in->clean;
	fcol_fini(&c);
	ffile_blockbuf_fini(&bb);
	ffile_close(r);
	return bad == 0 && clean ? 0 : 1;
}

static bool
is_text(enum out_kind k)
{
	return k == OUT_LINE || k == OUT_LONG || k == OUT_EXTENDED ||
	    k == OUT_FMT;
}

static struct output *
make_output(const char *spec, const struct out_opts *oo)
{
	struct output *o;
	char err[256];

	if (output_new(spec, oo, &o, err, sizeof(err)) != NFE_OK)
		fatal("%s", err);
	return o;
}

int
main(int argc, char **argv)
{
	const char *rfile = NULL, *rarg = NULL, *marg = NULL, *twin = NULL;
	const char *ospec = NULL, *aggarg = NULL, *ffile_arg = NULL;
	const char *wfile = NULL, *vfile = NULL, *zarg = NULL;
	const char *statargs[MAX_STATS];
	size_t nstatargs = 0, nlimit = 10;
	bool five = false, quiet = false, info = false, check = false;
	bool nset = false, wset = false, listing, began;
	struct out_opts oo = { false, false };
	struct scan_conf sc;
	struct scan_result res;
	struct scan_files files;
	struct filter *filter = NULL;
	struct agg_spec aspec;
	struct topn *stats[MAX_STATS];
	struct output *out = NULL, *rec_out = NULL;
	struct ffile_writer *w = NULL;
	struct ffile_wopts wo;
	enum agg_order order = AGG_ORDER_NONE;
	struct obuf b;
	char err[512], *ftext = NULL;
	unsigned long long ull;
	char *end;
	int ch, status = 0;

	memset(&sc, 0, sizeof(sc));
	while ((ch = getopt(argc, argv, "r:R:M:t:c:aA:s:n:o:O:qN6Iv:w:W:z:f:ZmhV"))
	    != -1) {
		switch (ch) {
		case 'r': rfile = optarg; break;
		case 'R': rarg = optarg; break;
		case 'M': marg = optarg; break;
		case 't': twin = optarg; break;
		case 'c':
			ull = strtoull(optarg, &end, 10);
			if (*end != '\0' || end == optarg || ull == 0)
				fatal("bad -c count '%s'", optarg);
			sc.limit = ull;
			break;
		case 'a': five = true; break;
		case 'A': aggarg = optarg; break;
		case 's':
			if (nstatargs == MAX_STATS)
				fatal("too many -s statistics (max %d)",
				    MAX_STATS);
			statargs[nstatargs++] = optarg;
			break;
		case 'n':
			ull = strtoull(optarg, &end, 10);
			if (*end != '\0' || end == optarg)
				fatal("bad -n number '%s'", optarg);
			nlimit = (size_t)ull;
			nset = true;
			break;
		case 'o': ospec = optarg; break;
		case 'O':
			if (agg_order_parse(optarg, &order) != NFE_OK)
				fatal("bad -O order '%s' (flows, packets, "
				    "bytes, pps, bps, bpp, tstart, tend)",
				    optarg);
			break;
		case 'q': quiet = true; break;
		case 'N': oo.plain = true; break;
		case '6': oo.v6full = true; break;
		case 'I': info = true; break;
		case 'v': vfile = optarg; break;
		case 'w': wfile = optarg; break;
		case 'W':
			ull = strtoull(optarg, &end, 10);
			if (*end != '\0' || end == optarg || ull > 256)
				fatal("bad -W worker count '%s' (0..256)",
				    optarg);
			sc.threads = (size_t)ull;
			wset = true;
			break;
		case 'z': zarg = optarg; break;
		case 'f': ffile_arg = optarg; break;
		case 'Z': check = true; break;
		case 'm': sc.time_order = true; break;
		case 'V':
			version_print(stdout, "flowq");
			return 0;
		case 'h': usage(0);
		default: usage(EXIT_USAGE);
		}
	}
	/* the filter: trailing arguments win over -f */
	if (optind < argc) {
		size_t len = 0;

		for (int i = optind; i < argc; i++)
			len += strlen(argv[i]) + 1;
		ftext = xmalloc(len + 1);
		ftext[0] = '\0';
		for (int i = optind; i < argc; i++) {
			strcat(ftext, argv[i]);
			if (i + 1 < argc)
				strcat(ftext, " ");
		}
	} else if (ffile_arg != NULL)
		ftext = read_file(ffile_arg);
	if (ftext != NULL && filter_compile(ftext, &filter, err, sizeof(err)) !=
	    NFE_OK)
		fatal("filter: %s", err);
	if (check) {
		filter_free(filter);
		free(ftext);
		return 0;
	}
	if (vfile != NULL)
		return verify(vfile);
	if (rfile == NULL && rarg == NULL && marg == NULL)
		fatal("no input: give -r, -R or -M (flowq -h for help)");
	if (scan_select(rfile, rarg, marg, &files, err, sizeof(err)) !=
	    NFE_OK)
		fatal("%s: %s", err, strerror(errno));
	if (files.n == 0)
		fatal("no flow files found");
	if (info) {
		for (size_t i = 0; i < files.n; i++)
			status |= print_info(files.paths[i]);
		scan_files_free(&files);
		return status;
	}
	if (twin != NULL) {
		parse_window(twin, &sc.from, &sc.to);
		sc.window = true;
	}
	if (five || aggarg != NULL || nstatargs > 0) {
		if (agg_parse(aggarg != NULL ? aggarg : "", aggarg == NULL,
		    &aspec, err, sizeof(err)) != NFE_OK)
			fatal("%s", err);
	}
	for (size_t i = 0; i < nstatargs; i++) {
		struct topn_stat st;

		if (topn_parse(statargs[i], &aspec, &st, err, sizeof(err)) !=
		    NFE_OK)
			fatal("%s", err);
		stats[i] = topn_new(&st);
	}
	out = make_output(ospec != NULL ? ospec : "line", &oo);
	if (nstatargs > 0) {
		rec_out = make_output(ospec != NULL &&
		    !is_text(output_kind(out)) ? ospec : aspec.fmt[0] != '\0' ?
		    aspec.fmt : "line", &oo);
	} else if (five || aggarg != NULL) {
		sc.agg = &aspec;
		sc.aggtab = aggtab_new(aspec.keylen);
		if (ospec == NULL && aspec.fmt[0] != '\0') {
			output_free(out);
			out = make_output(aspec.fmt, &oo);
		}
	} else
		sc.list = out;
	if (wfile != NULL) {
		ffile_wopts_init(&wo);
		if (zarg != NULL && zcodec_parse(zarg, &wo.codec, &wo.level) !=
		    NFE_OK)
			fatal("bad -z codec '%s' (lz4, zlib[:level], none)",
			    zarg);
		if (ffile_writer_open(wfile, &wo, &w) != NFE_OK)
			fatal("%s: %s", wfile, strerror(errno));
		sc.writer = w;
		if (nstatargs == 0 && sc.agg == NULL)
			sc.list = NULL;		/* -w writes instead */
	}
	if (!wset) {
		long ncpu = sysconf(_SC_NPROCESSORS_ONLN);

		sc.threads = ncpu > 1 ? (size_t)(ncpu > 64 ? 64 : ncpu) : 1;
	}
	sc.files = &files;
	sc.filter = filter;
	sc.stats = stats;
	sc.nstats = nstatargs;
	sc.progress = isatty(STDERR_FILENO) && files.n > 0;
	/* files found by walking a directory may be other things */
	sc.quiet_warn = rfile == NULL || files.n != 1 ||
	    strcmp(files.paths[0], rfile) != 0;
	obuf_init(&b);
	listing = nstatargs == 0 && (sc.list != NULL ||
	    (sc.agg != NULL && w == NULL));
	began = (listing || nstatargs > 0) && output_kind(out) == OUT_JSON;
	if (began || (listing && !quiet))
		output_begin(out, &b);
	output_emit(out, &b, stdout);
	if (scan_run(&sc, &res, stdout) != NFE_OK)
		status = 1;
	if (sc.agg != NULL) {
		size_t *idx, n;
		struct flowrec r;
		struct nf_addr ra;

		idx = aggtab_rank(sc.aggtab, order, nset ? nlimit : 0, &n);
		for (size_t i = 0; i < n; i++) {
			agg_record(&aspec, aggtab_key(sc.aggtab, idx[i]),
			    aggtab_val(sc.aggtab, idx[i]), &r, &ra);
			if (w != NULL)
				(void)ffile_writer_add(w, &r, 1);
			else
				output_record(out, &r, &ra, &b);
			if (b.len > 65536)
				output_emit(out, &b, stdout);
		}
		free(idx);
	}
	for (size_t i = 0; i < nstatargs; i++)
		topn_print(stats[i], out, rec_out, nlimit, &res.sum, &b);
	if (began)
		output_end(out, &b);
	if (!quiet && (w == NULL || nstatargs > 0))
		output_summary(out, &res.sum, &b);
	if (output_emit(out, &b, stdout) != 0 || fflush(stdout) != 0) {
		fprintf(stderr, "flowq: write error: %s\n", strerror(errno));
		status = 1;
	}
	if (w != NULL) {
		if (res.nexporters > 0)
			(void)ffile_writer_set_exporters(w, res.exporters,
			    res.nexporters);
		if (ffile_writer_close(w) != NFE_OK) {
			fprintf(stderr, "flowq: %s: %s\n", wfile,
			    strerror(errno));
			status = 1;
		}
	}
	if (res.bad_files > 0 || res.sum.blocks_corrupt > 0)
		status = 1;
	obuf_fini(&b);
	for (size_t i = 0; i < nstatargs; i++)
		topn_free(stats[i]);
	aggtab_free(sc.aggtab);
	output_free(out);
	output_free(rec_out);
	filter_free(filter);
	free(ftext);
	free(res.exporters);
	scan_files_free(&files);
	return status;
}
