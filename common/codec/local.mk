## common/codec9.mk -- NetFlow v9 / IPFIX codecs, information-element
## table and template cache (issue 2, items 3-7: v9/IPFIX half).

common_libcommon_a_SOURCES += \
	common/ie.c common/ie.h \
	common/sampling.c common/sampling.h \
	common/tmpl.c common/tmpl.h \
	common/tfield.c common/tfield.h \
	common/nf9.c common/nf9_enc.c common/nf9.h \
	common/ipfix.c common/ipfix_enc.c common/ipfix.h

unit_tests += tests/t_nf9
check_PROGRAMS += tests/t_nf9
tests_t_nf9_SOURCES = tests/t_nf9.c tests/nfcollect.h
tests_t_nf9_LDADD = $(TEST_LIBS)

unit_tests += tests/t_ipfix
check_PROGRAMS += tests/t_ipfix
tests_t_ipfix_SOURCES = tests/t_ipfix.c tests/nfcollect.h
tests_t_ipfix_LDADD = $(TEST_LIBS)

unit_tests += tests/t_ie
check_PROGRAMS += tests/t_ie
tests_t_ie_LDADD = $(TEST_LIBS)

unit_tests += tests/t_tmpl
check_PROGRAMS += tests/t_tmpl
tests_t_tmpl_LDADD = $(TEST_LIBS)

unit_tests += tests/t_sampling
check_PROGRAMS += tests/t_sampling
tests_t_sampling_LDADD = $(TEST_LIBS)

check_PROGRAMS += tests/nfcodec
tests_nfcodec_SOURCES = tests/nfcodec.c tests/nfcollect.h
tests_nfcodec_LDADD = $(TEST_LIBS)

script_tests += tests/scapy_codec.sh
EXTRA_DIST += tests/scapy_codec.sh tests/scapy_codec.py
script_tests += tests/interop_nf9enc.sh
EXTRA_DIST += tests/interop_nf9enc.sh

## libFuzzer targets (tests/fuzz/local.mk); seeds in tests/fuzz/corpus/<name>/
if FUZZING
noinst_PROGRAMS += tests/fuzz/fuzz_nf9 tests/fuzz/fuzz_ipfix \
	tests/fuzz/fuzz_tmpl_load
endif
tests_fuzz_fuzz_nf9_SOURCES = tests/fuzz/fuzz_nf9.c \
	tests/fuzz/fuzz_tmplcodec.c tests/fuzz/fuzz_tmplcodec.h
tests_fuzz_fuzz_nf9_LDFLAGS = -fsanitize=fuzzer
tests_fuzz_fuzz_nf9_LDADD = $(COMMON_LIBS)
tests_fuzz_fuzz_ipfix_SOURCES = tests/fuzz/fuzz_ipfix.c \
	tests/fuzz/fuzz_tmplcodec.c tests/fuzz/fuzz_tmplcodec.h
tests_fuzz_fuzz_ipfix_LDFLAGS = -fsanitize=fuzzer
tests_fuzz_fuzz_ipfix_LDADD = $(COMMON_LIBS)
tests_fuzz_fuzz_tmpl_load_SOURCES = tests/fuzz/fuzz_tmpl_load.c
tests_fuzz_fuzz_tmpl_load_LDFLAGS = -fsanitize=fuzzer
tests_fuzz_fuzz_tmpl_load_LDADD = $(COMMON_LIBS)
