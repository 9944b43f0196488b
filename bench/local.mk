## bench/local.mk -- benchmarks (not tests): each runs our tool beside
## the established one; run them from the build directory.

# flowcapd vs nfcapd (sh bench/bench_collector.sh)
noinst_PROGRAMS += bench/nfblast
bench_nfblast_SOURCES = bench/nfblast.c bench/flowgen.c bench/flowgen.h
bench_nfblast_LDADD = $(COMMON_LIBS)
EXTRA_DIST += bench/bench_collector.sh
# flowq vs nfdump
EXTRA_DIST += bench/bench_query.sh bench/v5blast.py bench/bench_needle.sh \
	bench/runio.py
# flowprobe vs softflowd
EXTRA_DIST += bench/probe_vs_softflowd.sh

# flowcapd's decode/write path alone: CPU and instructions per flow of a
# fixed replay, without the network (bench/capreplay -h)
noinst_PROGRAMS += bench/capreplay
bench_capreplay_SOURCES = bench/capreplay.c bench/flowgen.c bench/flowgen.h
bench_capreplay_LDADD = $(COLLECTOR_LIBS)
# the session store at 1M subscribers / 10M sessions (sh bench/bench_sessions.sh)
noinst_PROGRAMS += bench/sessdb_bench
bench_sessdb_bench_LDADD = $(ENRICH_LIBS) $(COMMON_LIBS)
# RADIUS accounting load (sh bench/bench_sessions.sh)
noinst_PROGRAMS += bench/radblast
bench_radblast_LDADD = $(ENRICH_LIBS) $(COMMON_LIBS)
EXTRA_DIST += bench/bench_sessions.sh
# the sinks: flowq --sink into ClickHouse and the Kafka mock, and
# flowcapd beside a saturated sink (sh bench/bench_sink.sh)
EXTRA_DIST += bench/bench_sink.sh
# the NDJSON encoder alone: CPU and instructions per record (not a test)
noinst_PROGRAMS += bench/ndjson_bench
bench_ndjson_bench_LDADD = sink/libsink.a $(COMMON_LIBS)
