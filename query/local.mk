## query/local.mk -- flowq.

## --- filter language (owner: filter) -------------------------------------
## query/libqfilter.a: the filter compiler and evaluator (query/filter.h).
## fgrammar.c/.h and fscan.c are generated and shipped in the tarball.
noinst_LIBRARIES += query/libqfilter.a
query_libqfilter_a_SOURCES = \
	query/fgrammar.y query/fscan.l \
	query/filter.c query/filter.h query/filter_int.h \
	query/fvalue.c query/feval.c
BUILT_SOURCES += query/fgrammar.h
QFILTER_LIBS = query/libqfilter.a $(COMMON_LIBS)

unit_tests += tests/t_filter
check_PROGRAMS += tests/t_filter
tests_t_filter_SOURCES = tests/t_filter.c
tests_t_filter_LDADD = query/libqfilter.a $(TEST_LIBS)
## --- end of filter block --------------------------------------------------
