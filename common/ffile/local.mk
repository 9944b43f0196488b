## common/ffile/local.mk -- common/ffile/libffile.a: the flow file
## format of flowkit-file(5): column encoding, block compression,
## checksum, writer and reader; its man page, unit tests, fuzz target
## and microbenchmark.

noinst_LIBRARIES += common/ffile/libffile.a
common_ffile_libffile_a_SOURCES = \
	common/ffile/ffile.h common/ffile/ffile_int.h \
	common/ffile/ffile_enc.c common/ffile/ffile_write.c \
	common/ffile/ffile_read.c common/ffile/ffile_util.c \
	common/ffile/fcol.c common/ffile/fcol.h \
	common/ffile/fidx.c common/ffile/fidx.h \
	common/ffile/fstr.c common/ffile/fstr.h \
	common/ffile/zcodec.c common/ffile/zcodec.h \
	common/ffile/crc32c.c common/ffile/crc32c.h

dist_man_MANS += man/flowkit-file.5

unit_tests += tests/t_ffile tests/t_ffile_corrupt tests/t_ffile_hold \
	tests/t_ffile_follow tests/t_strcol tests/t_colmask
check_PROGRAMS += tests/t_ffile tests/t_ffile_corrupt tests/t_ffile_hold \
	tests/t_ffile_follow tests/t_strcol tests/t_colmask
tests_t_ffile_SOURCES = tests/t_ffile.c tests/ffgen.c tests/ffgen.h \
	tests/ffcheck.c tests/ffcheck.h
tests_t_ffile_LDADD = $(TEST_LIBS)
tests_t_ffile_corrupt_SOURCES = tests/t_ffile_corrupt.c tests/ffgen.c \
	tests/ffgen.h
tests_t_ffile_corrupt_LDADD = $(TEST_LIBS)
tests_t_ffile_hold_SOURCES = tests/t_ffile_hold.c tests/ffgen.c \
	tests/ffgen.h tests/ffcheck.c tests/ffcheck.h
tests_t_ffile_hold_LDADD = $(TEST_LIBS)
tests_t_ffile_follow_SOURCES = tests/t_ffile_follow.c tests/ffgen.c \
	tests/ffgen.h
tests_t_ffile_follow_LDADD = $(TEST_LIBS)
tests_t_strcol_SOURCES = tests/t_strcol.c tests/ffgen.c tests/ffgen.h
tests_t_strcol_LDADD = $(TEST_LIBS)
tests_t_colmask_SOURCES = tests/t_colmask.c tests/ffgen.c tests/ffgen.h
tests_t_colmask_LDADD = $(TEST_LIBS)

# prints a flow file through the reader (the collector's tests use it)
check_PROGRAMS += tests/ffdump
tests_ffdump_LDADD = $(COMMON_LIBS)

# libFuzzer target (tests/fuzz/local.mk)
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
