/*
 * query/main.c -- flowq: nfdump-compatible queries over flowkit flow
 * files and nfdump's own files (man/flowq.1).
 *
 * A query goes through four steps: parse (the options into struct
 * qopts), plan (the filter, the files, the outputs and the stages of
 * query/stages.h: listing, -a/-A aggregation, -s statistics, -w),
 * run (headers, then the scan of query/scan.h feeding the stages) and
 * emit (each stage's result, the summary).  -I, -v and -Z stop early.
 *
 * Exit status: 0 success; 1 an input file could not be read or a
 * corrupt block was skipped (the answer covers the rest); 255 a bad
 * option, filter or format (nothing was read).
 *
 * This file builds two programs.  flowq proper (FLOWQ_SINK_HELPER
 * defined: the helper's installed path) does not link the sinks, whose
 * libraries (libcurl, librdkafka: about 40 shared objects) would cost
 * every query their loading; given --sink, it runs the helper with the
 * same arguments.  The helper, flowq-sink in $(pkglibexecdir), is this
 * file with the sinks (query/qsink.c).
 */
#include "common/base/compat.h"

#include <errno.h>
#include <stdarg.h>
#include <getopt.h>
#include <inttypes.h>
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
#ifndef FLOWQ_SINK_HELPER
#include "query/qsink.h"
#endif
#include "common/enrich/geoip.h"
#include "query/qjoin.h"
#include "query/scan.h"
#include "query/stages.h"
#include "query/topn.h"

#define EXIT_USAGE	255
#define MAX_STATS	16
#define OPT_SINK	256	/* getopt_long value of --sink */

/* long options of the join at query time and GeoIP (query/qjoin.h) */
enum { OPT_SESSIONS = OPT_SINK + 1, OPT_INSIDE, OPT_SESSION_TIMEOUT,
	OPT_GEOIP, OPT_ASN_DB };

NF_NORETURN static void
usage(int status)
{
	fprintf(status == 0 ? stdout : stderr,
"usage: flowq [-r file|dir] [-R dir[/first:last]] [-M dir1:dir2] [-t window]\n"
"             [-c count] [-a | -b | -B | -A keys] [-s stat[:p][/order...]]\n"
"             [-n num] [-o format] [-O order] [-q] [-N] [-6] [-m]\n"
"             [-f filterfile] [-w file [-z codec]] [-W workers]\n"
"             [--sink url] [--sessions file|dir ... [--inside prefix ...]\n"
"              [--session-timeout secs]] [--geoip file] [--asn-db file]\n"
"             [filter]\n"
"       flowq -I -r file ...     print file summaries from their trailers\n"
"       flowq -v file            verify a file block by block\n"
"       flowq -Z [filter]        check the filter and exit\n"
"       flowq -V | -h\n"
"formats: line long extended csv json ndjson null fmt:... (name6: -6)\n"
"--sink url: deliver the selected flows once to clickhouse://, kafka:// or\n"
"            http(s):// (flowkit-sink(7))\n");
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

static bool joined;		/* --sessions given */

static struct output *
make_output(const char *spec, const struct out_opts *oo)
{
	struct output *o;
	char err[256];

	if (output_new(spec, oo, &o, err, sizeof(err)) != NFE_OK)
		fatal("%s", err);
	if (joined)
		output_set_joined(o);
	return o;
}

/* ---- parse --------------------------------------------------------- */

/* The command line, as given. */
struct qopts {
	const char	*rfile, *rarg, *marg, *twin, *ospec, *aggarg;
	const char	*ffile_arg, *wfile, *vfile, *zarg;
	const char	*sinkarg;	/* --sink URL; NULL: none */
	const char	*statargs[MAX_STATS];
	size_t		 nstatargs;
	size_t		 nlimit;	/* -n */
	bool		 nset;
	bool		 five, quiet, info, check, time_order;
	uint8_t		 bidir;		/* -b, -B: enum agg_bidir */
	uint64_t	 count;		/* -c; 0: none */
	size_t		 threads;	/* -W */
	bool		 wset;
	struct out_opts	 oo;
	enum agg_order	 order;		/* -O */
	struct qjoin_conf qc;		/* --sessions, --inside, ... */
	const char	*geoip, *asn_db;	/* --geoip, --asn-db */
	char		*ftext;		/* owned: the filter text, or NULL */
};

static void
parse(int argc, char **argv, struct qopts *q)
{
	static const struct option longopts[] = {
		{ "sink", required_argument, NULL, OPT_SINK },
		{ "sessions", required_argument, NULL, OPT_SESSIONS },
		{ "inside", required_argument, NULL, OPT_INSIDE },
		{ "session-timeout", required_argument, NULL,
		    OPT_SESSION_TIMEOUT },
		{ "geoip", required_argument, NULL, OPT_GEOIP },
		{ "asn-db", required_argument, NULL, OPT_ASN_DB },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned long long ull;
	char *end;
	int ch;

	memset(q, 0, sizeof(*q));
	q->nlimit = 10;
	q->order = AGG_ORDER_NONE;
	while ((ch = getopt_long(argc, argv,
	    "r:R:M:t:c:abBA:s:n:o:O:qN6Iv:w:W:z:f:ZmhV", longopts, NULL)) != -1) {
		switch (ch) {
		case OPT_SESSIONS:
			if (q->qc.npaths == QJOIN_MAX_PATHS)
				fatal("too many --sessions (max %d)",
				    QJOIN_MAX_PATHS);
			q->qc.paths[q->qc.npaths++] = optarg;
			break;
		case OPT_INSIDE:
			if (q->qc.ninside == QJOIN_MAX_INSIDE)
				fatal("too many --inside (max %d)",
				    QJOIN_MAX_INSIDE);
			if (prefix_parse(optarg, false,
			    &q->qc.inside[q->qc.ninside]) != NFE_OK)
				fatal("bad --inside prefix '%s' (such as "
				    "100.64.0.0/10 or 2001:db8::/32)", optarg);
			q->qc.ninside++;
			break;
		case OPT_GEOIP: q->geoip = optarg; break;
		case OPT_ASN_DB: q->asn_db = optarg; break;
		case OPT_SESSION_TIMEOUT:
			ull = strtoull(optarg, &end, 10);
			if (*end != '\0' || end == optarg || ull == 0 ||
			    ull > UINT32_MAX)
				fatal("bad --session-timeout '%s' (seconds, "
				    "1..%" PRIu32 ")", optarg, UINT32_MAX);
			q->qc.timeout_ms = ull * 1000;
			break;

		case 'r': q->rfile = optarg; break;
		case 'R': q->rarg = optarg; break;
		case 'M': q->marg = optarg; break;
		case 't': q->twin = optarg; break;
		case 'c':
			ull = strtoull(optarg, &end, 10);
			if (*end != '\0' || end == optarg || ull == 0)
				fatal("bad -c count '%s'", optarg);
			q->count = ull;
			break;
		case 'a': q->five = true; break;
		case 'b': q->five = true; q->bidir = AGG_BIDIR; break;
		case 'B': q->five = true; q->bidir = AGG_BIDIR_GUESS; break;
		case 'A': q->aggarg = optarg; break;
		case 's':
			if (q->nstatargs == MAX_STATS)
				fatal("too many -s statistics (max %d)",
				    MAX_STATS);
			q->statargs[q->nstatargs++] = optarg;
			break;
		case 'n':
			ull = strtoull(optarg, &end, 10);
			if (*end != '\0' || end == optarg)
				fatal("bad -n number '%s'", optarg);
			q->nlimit = (size_t)ull;
			q->nset = true;
			break;
		case 'o': q->ospec = optarg; break;
		case 'O':
			if (agg_order_parse(optarg, &q->order) != NFE_OK)
				fatal("bad -O order '%s' (flows, packets, "
				    "bytes, pps, bps, bpp, tstart, tend)",
				    optarg);
			break;
		case 'q': q->quiet = true; break;
		case 'N': q->oo.plain = true; break;
		case '6': q->oo.v6full = true; break;
		case 'I': q->info = true; break;
		case 'v': q->vfile = optarg; break;
		case 'w': q->wfile = optarg; break;
		case 'W':
			ull = strtoull(optarg, &end, 10);
			if (*end != '\0' || end == optarg || ull > 256)
				fatal("bad -W worker count '%s' (0..256)",
				    optarg);
			q->threads = (size_t)ull;
			q->wset = true;
			break;
		case 'z': q->zarg = optarg; break;
		case 'f': q->ffile_arg = optarg; break;
		case 'Z': q->check = true; break;
		case 'm': q->time_order = true; break;
		case OPT_SINK: q->sinkarg = optarg; break;
		case 'V':
			version_print(stdout, "flowq");
			exit(0);
		case 'h': usage(0);
		default: usage(EXIT_USAGE);
		}
	}
	/* the filter: trailing arguments win over -f */
	if (optind < argc) {
		size_t len = 0;

		for (int i = optind; i < argc; i++)
			len += strlen(argv[i]) + 1;
		q->ftext = xmalloc(len + 1);
		q->ftext[0] = '\0';
		for (int i = optind; i < argc; i++) {
			strcat(q->ftext, argv[i]);
			if (i + 1 < argc)
				strcat(q->ftext, " ");
		}
	} else if (q->ffile_arg != NULL)
		q->ftext = read_file(q->ffile_arg);
}

/* ---- plan ---------------------------------------------------------- */

/* What the query does: its outputs, stages and scan. */
struct qplan {
	struct filter	*filter;	/* owned; NULL: everything */
	struct scan_files files;	/* owned */
	struct agg_spec	 aspec;
	struct output	*out;		/* owned: records and summary */
	struct output	*rec_out;	/* owned: -s record's records */
	struct stage	*stages[MAX_STATS + 3];	/* owned, in end() order */
	size_t		 nstages;
	bool		 framed;	/* output_begin/_end around it all */
	bool		 header;	/* output_begin before the scan */
	bool		 summary;	/* the summary lines at the end */
	struct scan_conf sc;
	struct qjoin	*qj;		/* owned; --sessions */
	struct geoip	*gdb;		/* owned; --geoip, --asn-db */
};

static void
plan_add(struct qplan *p, struct stage *s)
{
	p->stages[p->nstages++] = s;
}

/* The -w stage, or NULL; fatal if the file cannot be created. */
static struct stage *
plan_writer(const struct qopts *q, bool rows)
{
	struct ffile_writer *w;
	struct ffile_wopts wo;

	if (q->wfile == NULL)
		return NULL;
	ffile_wopts_init(&wo);
	if (q->zarg != NULL && zcodec_parse(q->zarg, &wo.codec, &wo.level) !=
	    NFE_OK)
		fatal("bad -z codec '%s' (lz4, zlib[:level], none)", q->zarg);
	if (ffile_writer_open(q->wfile, &wo, &w) != NFE_OK)
		fatal("%s: %s", q->wfile, strerror(errno));
	return stage_write_new(w, q->wfile, rows);
}

#ifdef FLOWQ_SINK_HELPER
/*
 * --sink: run the helper with the arguments flowq was given (argv, in
 * their original order).  The helper next to this program comes first
 * (the build tree: query/flowq-sink), then the installed one.  Returns
 * only on failure, fatal (255) naming the installed path.
 */
static void
exec_sink_helper(char **argv)
{
	char self[4096], near[4096 + 16];
	ssize_t n;
	char *slash;

	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n > 0) {
		self[n] = '\0';
		if ((slash = strrchr(self, '/')) != NULL) {
			*slash = '\0';
			snprintf(near, sizeof(near), "%s/flowq-sink", self);
			execv(near, argv);
		}
	}
	execv(FLOWQ_SINK_HELPER, argv);
	fatal("--sink needs %s: %s (it delivers the flows; see "
	    "flowkit-sink(7))", FLOWQ_SINK_HELPER, strerror(errno));
}
#endif

/* The --sink stage, or NULL; fatal (255) if the URL or build cannot. */
static struct stage *
plan_sink(const struct qopts *q)
{
#ifndef FLOWQ_SINK_HELPER
	struct qsink *qs;
	char err[600];
#endif

	if (q->sinkarg == NULL)
		return NULL;
	if (q->five || q->aggarg != NULL || q->wfile != NULL || q->time_order)
		fatal("--sink delivers the flows as stored: not with -a, -A, "
		    "-w or -m");
#ifdef FLOWQ_SINK_HELPER
	fatal("--sink: internal error: not handed to the helper");
	return NULL;
#else
	if (qsink_open(q->sinkarg, &qs, err, sizeof(err)) != NFE_OK)
		fatal("--sink %s", err);
	return qsink_stage(qs);
#endif
}

/*
 * The stages: -s statistics if any (then -a/-A only defines "record");
 * else -a/-A aggregation; else the listing unless -w or --sink takes
 * the records instead.
 */
static void
plan_stages(const struct qopts *q, struct qplan *p)
{
	bool agg = q->five || q->aggarg != NULL;
	struct stage *w, *sk = plan_sink(q);
	bool listing;

	if (agg || q->nstatargs > 0) {
		char err[512];

		if (agg_parse(q->aggarg != NULL ? q->aggarg : "",
		    q->aggarg == NULL, &p->aspec, err, sizeof(err)) != NFE_OK)
			fatal("%s", err);
		/* -b/-B: nfdump's listing; -s overrides them, as -a */
		if (q->bidir != AGG_BIDIR_NONE && q->nstatargs == 0) {
			p->aspec.bidir = q->bidir;
			snprintf(p->aspec.fmt, sizeof(p->aspec.fmt), "%s",
			    AGG_BIDIR_FMT);
		}
	}
	if (q->bidir != AGG_BIDIR_NONE && q->aggarg != NULL)
		fatal("-b and -B aggregate the five-tuple: not with -A");
	p->out = make_output(q->ospec != NULL ? q->ospec : "line", &q->oo);
	if (q->nstatargs > 0) {
		p->rec_out = make_output(q->ospec != NULL &&
		    !is_text(output_kind(p->out)) ? q->ospec :
		    p->aspec.fmt[0] != '\0' ? p->aspec.fmt : "line", &q->oo);
		for (size_t i = 0; i < q->nstatargs; i++) {
			struct topn_stat st;
			char err[512];

			if (topn_parse(q->statargs[i], &p->aspec, &st, err,
			    sizeof(err)) != NFE_OK)
				fatal("%s", err);
			plan_add(p, stage_topn_new(&st, p->out, p->rec_out,
			    q->nlimit));
		}
		agg = false;
	} else if (agg && q->ospec == NULL && p->aspec.fmt[0] != '\0') {
		output_free(p->out);
		p->out = make_output(p->aspec.fmt, &q->oo);
	}
	w = plan_writer(q, !agg);
	if (agg)
		plan_add(p, stage_agg_new(&p->aspec, q->order,
		    q->nset ? q->nlimit : 0, p->out, w));
	else if (q->nstatargs == 0 && w == NULL && sk == NULL)
		plan_add(p, stage_list_new(p->out, q->time_order));
	if (w != NULL)
		plan_add(p, w);
	if (sk != NULL)
		plan_add(p, sk);
	listing = q->nstatargs == 0 && w == NULL && sk == NULL;
	p->framed = (listing || q->nstatargs > 0) &&
	    output_kind(p->out) == OUT_JSON;
	p->header = p->framed || (listing && !q->quiet);
	p->summary = !q->quiet && ((w == NULL && sk == NULL) ||
	    q->nstatargs > 0);
}

/*
 * Everything before the scan.  Returns -1 to go on, or the exit status
 * when the query is done already (-Z, -v, -I).
 */
static int
plan(const struct qopts *q, struct qplan *p)
{
	struct scan_conf *sc = &p->sc;
	char err[512];
	int status = 0;

	memset(p, 0, sizeof(*p));
	if (q->ftext != NULL && filter_compile(q->ftext, &p->filter, err,
	    sizeof(err)) != NFE_OK)
		fatal("filter: %s", err);
	if (q->check)
		return 0;
	if (q->vfile != NULL)
		return verify(q->vfile);
	if (q->rfile == NULL && q->rarg == NULL && q->marg == NULL)
		fatal("no input: give -r, -R or -M (flowq -h for help)");
	if (scan_select(q->rfile, q->rarg, q->marg, &p->files, err,
	    sizeof(err)) != NFE_OK)
		fatal("%s: %s", err, strerror(errno));
	if (p->files.n == 0)
		fatal("no flow files found");
	if (q->info) {
		for (size_t i = 0; i < p->files.n; i++)
			status |= print_info(p->files.paths[i]);
		return status;
	}
	if (q->qc.npaths == 0 && (q->qc.ninside > 0 || q->qc.timeout_ms != 0))
		fatal("--inside and --session-timeout go with --sessions");
	if (q->qc.npaths > 0) {
		uint64_t bad;

		if (qjoin_open(&q->qc, &p->qj, &bad, err, sizeof(err)) !=
		    NFE_OK)
			fatal("%s", err);
		(void)qjoin_nat(p->qj, p->files.paths, p->files.n); /* CGNAT */
		sc->join = p->qj;
		joined = true;
	}
	if (q->geoip != NULL || q->asn_db != NULL) {
		if (geoip_open(q->geoip, q->asn_db, &p->gdb, err,
		    sizeof(err)) != NFE_OK)
			fatal("--geoip/--asn-db: %s", err);
		sc->geo = p->gdb;
	}
	if (q->twin != NULL) {
		parse_window(q->twin, &sc->from, &sc->to);
		sc->window = true;
	}
	plan_stages(q, p);
	sc->threads = q->threads;
	if (!q->wset) {
		long ncpu = sysconf(_SC_NPROCESSORS_ONLN);

		sc->threads = ncpu > 1 ? (size_t)(ncpu > 64 ? 64 : ncpu) : 1;
	}
	sc->limit = q->count;
	sc->files = &p->files;
	sc->filter = p->filter;
	sc->stages = p->stages;
	sc->nstages = p->nstages;
	sc->progress = isatty(STDERR_FILENO) && p->files.n > 0;
	/* files found by walking a directory may be other things */
	sc->quiet_warn = q->rfile == NULL || p->files.n != 1 ||
	    strcmp(p->files.paths[0], q->rfile) != 0;
	return -1;
}

static void
plan_free(struct qplan *p)
{
	for (size_t i = 0; i < p->nstages; i++)
		stage_free(p->stages[i]);
	output_free(p->out);
	output_free(p->rec_out);
	filter_free(p->filter);
	scan_files_free(&p->files);
	qjoin_free(p->qj);
	geoip_close(p->gdb);
}

/* ---- run ----------------------------------------------------------- */

/*
 * Headers, then the scan.  Returns the exit status so far, or -1 if the
 * scan could not run (no answer to give).
 */
static int
run(struct qplan *p, struct scan_result *res, struct obuf *b)
{
	char err[256];
	int r;

	if (p->header)
		output_begin(p->out, b);
	for (size_t i = 0; i < p->nstages; i++)
		if (p->stages[i]->ops->begin != NULL)
			p->stages[i]->ops->begin(p->stages[i], b);
	output_emit(p->out, b, stdout);
	r = scan_run(&p->sc, res, stdout, err, sizeof(err));
	if (r == NFE_OK)
		return 0;
	if (r != NFE_IO) {
		fprintf(stderr, "flowq: %s\n", err);
		return -1;
	}
	return 1;
}

/* ---- emit ---------------------------------------------------------- */

/* Each stage's result, the summary.  Returns the exit status so far. */
static int
emit(struct qplan *p, const struct scan_result *res, struct obuf *b)
{
	struct stage_done d;
	int status = 0;

	d.b = b;
	d.f = stdout;
	d.sum = &res->sum;
	d.exporters = res->exporters;
	d.nexporters = res->nexporters;
	for (size_t i = 0; i < p->nstages; i++)
		if (p->stages[i]->ops->end(p->stages[i], &d) != NFE_OK)
			status = 1;
	if (p->framed)
		output_end(p->out, b);
	if (p->summary)
		output_summary(p->out, &res->sum, b);
	if (output_emit(p->out, b, stdout) != 0 || fflush(stdout) != 0) {
		fprintf(stderr, "flowq: write error: %s\n", strerror(errno));
		status = 1;
	}
	if (res->bad_files > 0 || res->sum.blocks_corrupt > 0)
		status = 1;
	return status;
}

int
main(int argc, char **argv)
{
	struct qopts q;
	struct qplan p;
	struct scan_result res;
	struct obuf b;
	int status;

#ifdef FLOWQ_SINK_HELPER
	/* getopt_long reorders argv: the helper gets the original order */
	char **args = xcalloc((size_t)argc + 1, sizeof(*args));

	memcpy(args, argv, (size_t)argc * sizeof(*args));
#endif
	parse(argc, argv, &q);
#ifdef FLOWQ_SINK_HELPER
	if (q.sinkarg != NULL)
		exec_sink_helper(args);
	free(args);
#endif
	if ((status = plan(&q, &p)) < 0) {
		obuf_init(&b);
		if ((status = run(&p, &res, &b)) < 0)
			status = 1;
		else
			status |= emit(&p, &res, &b);
		obuf_fini(&b);
		free(res.exporters);
	}
	plan_free(&p);
	free(q.ftext);
	return status;
}
