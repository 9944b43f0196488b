## tests/fuzz/local.mk -- libFuzzer targets, built only with
## --enable-fuzzing (clang).  Each target is tests/fuzz/fuzz_<name>
## with a seed corpus in tests/fuzz/corpus/<name>/; .ci/run runs every
## built tests/fuzz/fuzz_* for a bounded time.  A target is listed in
## the local.mk of the folder whose code it tests, as:
##   if FUZZING
##   noinst_PROGRAMS += tests/fuzz/fuzz_x
##   endif
##   tests_fuzz_fuzz_x_SOURCES = tests/fuzz/fuzz_x.c
##   tests_fuzz_fuzz_x_LDFLAGS = -fsanitize=fuzzer
##   tests_fuzz_fuzz_x_LDADD = $(COMMON_LIBS)

EXTRA_DIST += tests/fuzz/corpus
