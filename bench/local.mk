## bench/local.mk -- benchmark scripts (not tests)

# flowcapd vs nfcapd (sh bench/bench_collector.sh from the build directory)
noinst_PROGRAMS += bench/nfblast
bench_nfblast_LDADD = $(COMMON_LIBS)
EXTRA_DIST += bench/bench_collector.sh
# flowq against nfdump (query)
EXTRA_DIST += bench/bench_query.sh bench/v5blast.py
