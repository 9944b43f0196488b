## common/codec/local.mk -- common/codec/libcodec.a: NetFlow v1/v5/v7,
## v9 and IPFIX decoders and encoders, the table of them (codec.c) and
## the version dispatcher, the shared encoder state, the
## information-element table, the template cache, the IE-to-record
## mapping, sampling rules and export sequence tracking; their unit,
## interop and fuzz tests.

noinst_LIBRARIES += common/codec/libcodec.a
common_codec_libcodec_a_SOURCES = \
	common/codec/codec.c common/codec/codec.h \
	common/codec/nfdecode.c common/codec/nfdecode.h \
	common/codec/nfenc.c common/codec/nfenc.h \
	common/codec/nf5.c common/codec/nf5.h \
	common/codec/nf9.c common/codec/nf9_enc.c common/codec/nf9.h \
	common/codec/ipfix.c common/codec/ipfix_enc.c common/codec/ipfix.h \
	common/codec/ie.c common/codec/ie.h \
	common/codec/tmpl.c common/codec/tmpl.h \
	common/codec/tfield.c common/codec/tfield.h \
	common/codec/tfplan.c common/codec/tfplan.h \
	common/codec/sampling.c common/codec/sampling.h \
	common/codec/seq.c common/codec/seq.h \
	common/codec/sflow.c common/codec/sflow.h

# unit tests
unit_tests += tests/t_nf5 tests/t_nfdecode tests/t_nf9 tests/t_ipfix \
	tests/t_ie tests/t_tmpl tests/t_sampling tests/t_codec tests/t_sflow \
	tests/t_tfplan tests/t_tfdecode
check_PROGRAMS += tests/t_nf5 tests/t_nfdecode tests/t_nf9 tests/t_ipfix \
	tests/t_ie tests/t_tmpl tests/t_sampling tests/t_codec tests/t_sflow \
	tests/t_tfplan tests/t_tfdecode
tests_t_nf5_LDADD = $(TEST_LIBS)
tests_t_nfdecode_LDADD = $(TEST_LIBS)
tests_t_nf9_SOURCES = tests/t_nf9.c tests/nfcollect.h
tests_t_nf9_LDADD = $(TEST_LIBS)
tests_t_ipfix_SOURCES = tests/t_ipfix.c tests/nfcollect.h
tests_t_ipfix_LDADD = $(TEST_LIBS)
tests_t_ie_LDADD = $(TEST_LIBS)
tests_t_tmpl_LDADD = $(TEST_LIBS)
tests_t_sampling_LDADD = $(TEST_LIBS)
tests_t_codec_SOURCES = tests/t_codec.c tests/nfcollect.h
tests_t_codec_LDADD = $(TEST_LIBS)
tests_t_sflow_LDADD = $(TEST_LIBS)
tests_t_tfplan_LDADD = $(TEST_LIBS)
tests_t_tfdecode_SOURCES = tests/t_tfdecode.c tests/nfcollect.h
tests_t_tfdecode_LDADD = $(TEST_LIBS)

# tools for the interop tests: datagram dump, v5 and v9/IPFIX encoders
check_PROGRAMS += tests/nfdump_dgram tests/nf5enc tests/nfcodec
tests_nfdump_dgram_LDADD = $(COMMON_LIBS)
tests_nf5enc_LDADD = $(COMMON_LIBS)
tests_nfcodec_SOURCES = tests/nfcodec.c tests/nfcollect.h
tests_nfcodec_LDADD = $(TEST_LIBS)

# scapy and tshark/nfdump as independent judges of decoder and encoders
script_tests += tests/scapy_nf5.sh tests/interop_nf5enc.sh \
	tests/scapy_codec.sh tests/interop_nf9enc.sh
EXTRA_DIST += tests/scapy_nf5.sh tests/interop_nf5enc.sh \
	tests/scapy_codec.sh tests/interop_nf9enc.sh \
	tests/gen_scapy_v5.py tests/scapy_codec.py \
	tests/data/nf5_scapy_v1.hex tests/data/nf5_scapy_v5.hex \
	tests/data/nf5_scapy.expected tests/data/nf5enc_scapy.expected \
	tests/data/nf5enc_tshark.expected tests/data/nf5enc_nfdump.expected

# libFuzzer targets (tests/fuzz/local.mk); fuzz_nfdecode runs nf_decode()
# and every decoder behind it with one template cache kept across inputs
if FUZZING
noinst_PROGRAMS += tests/fuzz/fuzz_nf5 tests/fuzz/fuzz_nfdecode \
	tests/fuzz/fuzz_nf9 tests/fuzz/fuzz_ipfix tests/fuzz/fuzz_tmpl_load \
	tests/fuzz/fuzz_sflow
endif
tests_fuzz_fuzz_nf5_SOURCES = tests/fuzz/fuzz_nf5.c
tests_fuzz_fuzz_nf5_LDFLAGS = -fsanitize=fuzzer
tests_fuzz_fuzz_nf5_LDADD = $(COMMON_LIBS)
tests_fuzz_fuzz_nfdecode_SOURCES = tests/fuzz/fuzz_nfdecode.c
tests_fuzz_fuzz_nfdecode_LDFLAGS = -fsanitize=fuzzer
tests_fuzz_fuzz_nfdecode_LDADD = $(COMMON_LIBS)
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
tests_fuzz_fuzz_sflow_SOURCES = tests/fuzz/fuzz_sflow.c
tests_fuzz_fuzz_sflow_LDFLAGS = -fsanitize=fuzzer
tests_fuzz_fuzz_sflow_LDADD = $(COMMON_LIBS)
