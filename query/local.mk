## query/local.mk -- flowq: the filter language (query/libqfilter.a),
## and the query engine (query/libquery.a): file scanning, output
## formats, aggregation, statistics.  fgrammar.c/.h and fscan.c are
## generated and shipped in the tarball.

noinst_LIBRARIES += query/libqfilter.a query/libquery.a
query_libqfilter_a_SOURCES = \
	query/fgrammar.y query/fscan.l \
	query/filter.c query/filter.h query/filter_int.h \
	query/fvalue.c query/feval.c query/fblock.c query/fwords.c query/fstr.c
BUILT_SOURCES += query/fgrammar.h
query_libquery_a_SOURCES = \
	query/obuf.c query/obuf.h \
	query/output.c query/output.h query/output_int.h \
	query/output_json.c \
	query/agg.c query/agg.h query/aggtab.c query/bidir.c \
	query/topn.c query/topn.h \
	query/scan.c query/scan.h \
	query/stage.h query/stages.c query/stages.h \
	query/xmerge.c query/xmerge.h \
	query/nfdinfo.c query/nfdinfo.h \
	query/qjoin.c query/qjoin.h
QUERY_LIBS = query/libquery.a query/libqfilter.a $(NFDUMP_LIBS) \
	$(ENRICH_LIBS) $(COMMON_LIBS)

# flowq does not link the sinks (their libraries would cost every query
# their loading); flowq --sink runs flowq-sink, the same main.c with them
bin_PROGRAMS += query/flowq
query_flowq_SOURCES = query/main.c
query_flowq_CPPFLAGS = $(AM_CPPFLAGS) \
	-DFLOWQ_SINK_HELPER='"$(pkglibexecdir)/flowq-sink"'
query_flowq_LDADD = $(QUERY_LIBS)
pkglibexec_PROGRAMS += query/flowq-sink
query_flowq_sink_SOURCES = query/main.c query/qsink.c query/qsink.h
query_flowq_sink_LDADD = query/libquery.a query/libqfilter.a \
	$(NFDUMP_LIBS) $(SINK_LIBS) $(ENRICH_LIBS) $(COMMON_LIBS)
dist_man_MANS += man/flowq.1 man/flowkit-filter.7

# unit tests
unit_tests += tests/t_filter tests/t_output tests/t_agg tests/t_topn \
	tests/t_stage tests/t_qblock
check_PROGRAMS += tests/t_filter tests/t_output tests/t_agg tests/t_topn \
	tests/t_stage tests/t_qblock
tests_t_filter_SOURCES = tests/t_filter.c
tests_t_filter_LDADD = query/libqfilter.a $(TEST_LIBS)
tests_t_output_SOURCES = tests/t_output.c tests/qrecs.h
tests_t_output_LDADD = query/libquery.a query/libqfilter.a $(TEST_LIBS)
tests_t_agg_SOURCES = tests/t_agg.c tests/qrecs.h
tests_t_agg_LDADD = query/libquery.a query/libqfilter.a $(TEST_LIBS)
tests_t_topn_SOURCES = tests/t_topn.c tests/qrecs.h
tests_t_topn_LDADD = query/libquery.a query/libqfilter.a $(TEST_LIBS)
tests_t_stage_SOURCES = tests/t_stage.c tests/ffgen.c tests/ffgen.h
tests_t_stage_LDADD = $(QUERY_LIBS) $(TEST_LIBS)
tests_t_qblock_SOURCES = tests/t_qblock.c tests/ffgen.c tests/ffgen.h
tests_t_qblock_LDADD = $(QUERY_LIBS) $(TEST_LIBS)
# the block index and the filter's decision from it; an old (1.0) file
unit_tests += tests/t_fblock
check_PROGRAMS += tests/t_fblock
tests_t_fblock_SOURCES = tests/t_fblock.c tests/ffgen.c tests/ffgen.h
tests_t_fblock_LDADD = query/libqfilter.a $(TEST_LIBS)
EXTRA_DIST += tests/data/ffile_v1_0.fk
script_tests += tests/flowq_needle.sh
EXTRA_DIST += tests/flowq_needle.sh
# flowq without the sink libraries; --sink through flowq-sink
script_tests += tests/flowq_sinkhelper.sh
EXTRA_DIST += tests/flowq_sinkhelper.sh

# writes the flow files the flowq tests read
check_PROGRAMS += tests/gen_flowfile
tests_gen_flowfile_SOURCES = tests/gen_flowfile.c tests/qrecs.h
tests_gen_flowfile_LDADD = $(COMMON_LIBS)

# end-to-end tests; nfcapd/nfdump as judge of the filter and of flowq
script_tests += tests/flowq.sh tests/nfdump_cross.sh \
	tests/filter_nfdump.sh tests/filter_nfdump_sem.sh tests/flowq_str.sh
EXTRA_DIST += tests/flowq.sh tests/flowq_lib.sh tests/nfdump_cross.sh tests/flowq_str.sh \
	tests/filter_nfdump.sh tests/filter_nfdump_sem.sh \
	tests/filter_nfsend.py
# -b/-B and biflow statistics, judged by nfdump -b/-B over nfcapd's files
script_tests += tests/flowq_bidir.sh
EXTRA_DIST += tests/flowq_bidir.sh
# golden outputs, listed by name: make cannot expand a glob in a VPATH build
EXTRA_DIST += \
	tests/data/flowq_str_agg.out \
	tests/data/flowq_str_aggjson.out \
	tests/data/flowq_str_bigfilter.out \
	tests/data/flowq_str_bigstat.out \
	tests/data/flowq_str_empty.out \
	tests/data/flowq_str_fmt.out \
	tests/data/flowq_str_json.out \
	tests/data/flowq_str_list.out \
	tests/data/flowq_str_ndjson.out \
	tests/data/flowq_str_notempty.out \
	tests/data/flowq_str_pattern.out \
	tests/data/flowq_str_quoted.out \
	tests/data/flowq_str_stat.out \
	tests/data/flowq_str_statcsv.out \
	tests/data/flowq_str_statjson.out \
	tests/data/flowq_str_twofiles.out \
	tests/data/flowq_str_value.out \
	tests/data/flowq_aggr.out \
	tests/data/flowq_aggr5.out \
	tests/data/flowq_aggrcsv.out \
	tests/data/flowq_bigstat.out \
	tests/data/flowq_count.out \
	tests/data/flowq_csv.out \
	tests/data/flowq_extended.out \
	tests/data/flowq_filter.out \
	tests/data/flowq_fmt.out \
	tests/data/flowq_info.out \
	tests/data/flowq_json.out \
	tests/data/flowq_line.out \
	tests/data/flowq_long.out \
	tests/data/flowq_ndjson.out \
	tests/data/flowq_nomatch.out \
	tests/data/flowq_plain.out \
	tests/data/flowq_quiet.out \
	tests/data/flowq_statbytes.out \
	tests/data/flowq_statcsv.out \
	tests/data/flowq_statjson.out \
	tests/data/flowq_statmulti.out \
	tests/data/flowq_statorders.out \
	tests/data/flowq_statrecord.out \
	tests/data/flowq_v6.out \
	tests/data/flowq_v6full.out \
	tests/data/flowq_window.out

# libFuzzer target (tests/fuzz/local.mk)
if FUZZING
noinst_PROGRAMS += tests/fuzz/fuzz_filter
endif
tests_fuzz_fuzz_filter_SOURCES = tests/fuzz/fuzz_filter.c
tests_fuzz_fuzz_filter_LDFLAGS = -fsanitize=fuzzer
tests_fuzz_fuzz_filter_LDADD = query/libqfilter.a $(COMMON_LIBS)
