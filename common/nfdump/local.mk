## common/nfdump/local.mk -- common/nfdump/libnfdump.a: reading nfdump's
## flow files (layouts 1 and 2, every compression nfdump writes) into
## flow columns for flowq; its unit tests, judge test and fuzz target.
## LZO, BZ2 and ZSTD come from optional libraries (configure's summary
## says which were found); LZ4 is a base dependency.

noinst_LIBRARIES += common/nfdump/libnfdump.a
common_nfdump_libnfdump_a_SOURCES = \
	common/nfdump/nfdfile.c common/nfdump/nfdfile.h \
	common/nfdump/nfd_int.h \
	common/nfdump/nfdrec.c common/nfdump/nfdrec1.c \
	common/nfdump/nfdzip.c common/nfdump/nfdzip.h
common_nfdump_libnfdump_a_CFLAGS = $(AM_CFLAGS) $(LZO_CFLAGS) \
	$(BZ2_CFLAGS) $(ZSTD_CFLAGS)

NFDUMP_LIBS = common/nfdump/libnfdump.a $(LZO_LIBS) $(BZ2_LIBS) \
	$(ZSTD_LIBS)

# unit test; tests/nfdwrite.c writes nfdump files of both layouts with
# every compression built in (it is also tests/nfdgen, for the scripts)
unit_tests += tests/t_nfdfile
check_PROGRAMS += tests/t_nfdfile tests/nfdgen
tests_t_nfdfile_SOURCES = tests/t_nfdfile.c tests/nfdwrite.c tests/nfdwrite.h
tests_t_nfdfile_CFLAGS = $(AM_CFLAGS) $(LZO_CFLAGS) $(BZ2_CFLAGS) \
	$(ZSTD_CFLAGS)
tests_t_nfdfile_LDADD = tests/libtap.a $(NFDUMP_LIBS) $(COMMON_LIBS)
tests_nfdgen_SOURCES = tests/nfdgen.c tests/nfdwrite.c tests/nfdwrite.h
tests_nfdgen_CFLAGS = $(AM_CFLAGS) $(LZO_CFLAGS) $(BZ2_CFLAGS) \
	$(ZSTD_CFLAGS)
tests_nfdgen_LDADD = $(NFDUMP_LIBS) $(COMMON_LIBS)

# Debian's nfcapd and nfdump judge flowq over nfdump's files
script_tests += tests/nfdump_files.sh
EXTRA_DIST += tests/nfdump_files.sh

# libFuzzer target (tests/fuzz/local.mk)
if FUZZING
noinst_PROGRAMS += tests/fuzz/fuzz_nfdfile
endif
tests_fuzz_fuzz_nfdfile_SOURCES = tests/fuzz/fuzz_nfdfile.c
tests_fuzz_fuzz_nfdfile_LDFLAGS = -fsanitize=fuzzer
tests_fuzz_fuzz_nfdfile_LDADD = $(NFDUMP_LIBS) $(COMMON_LIBS)
