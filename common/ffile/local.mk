## common/ffile.mk -- the flow file format (issue 4): checksum,
## compression shim, column encoding, writer and reader; its man page,
## unit test and fuzz target.

common_libcommon_a_SOURCES += \
	common/crc32c.c common/crc32c.h \
	common/zcodec.c common/zcodec.h \
	common/fcol.c common/fcol.h \
	common/ffile.h common/ffile_int.h \
	common/ffile_enc.c common/ffile_write.c common/ffile_read.c common/ffile_util.c

unit_tests += tests/t_ffile
check_PROGRAMS += tests/t_ffile
tests_t_ffile_SOURCES = tests/t_ffile.c tests/ffgen.c tests/ffgen.h \
	tests/ffcheck.c tests/ffcheck.h
tests_t_ffile_LDADD = $(TEST_LIBS)

unit_tests += tests/t_ffile_corrupt
check_PROGRAMS += tests/t_ffile_corrupt
tests_t_ffile_corrupt_SOURCES = tests/t_ffile_corrupt.c tests/ffgen.c \
	tests/ffgen.h
tests_t_ffile_corrupt_LDADD = $(TEST_LIBS)

unit_tests += tests/t_ffile_hold
check_PROGRAMS += tests/t_ffile_hold
tests_t_ffile_hold_SOURCES = tests/t_ffile_hold.c tests/ffgen.c \
	tests/ffgen.h tests/ffcheck.c tests/ffcheck.h
tests_t_ffile_hold_LDADD = $(TEST_LIBS)

if FUZZING
noinst_PROGRAMS += tests/fuzz/fuzz_ffile
endif
tests_fuzz_fuzz_ffile_SOURCES = tests/fuzz/fuzz_ffile.c
tests_fuzz_fuzz_ffile_LDFLAGS = -fsanitize=fuzzer
tests_fuzz_fuzz_ffile_LDADD = $(COMMON_LIBS)

# microbenchmark, built by `make check` but not run as a test
check_PROGRAMS += tests/ffile_bench
tests_ffile_bench_SOURCES = tests/ffile_bench.c tests/ffgen.c tests/ffgen.h
tests_ffile_bench_LDADD = $(COMMON_LIBS)

dist_man_MANS += man/flowkit-file.5
