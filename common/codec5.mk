## common/codec5.mk -- NetFlow v1/v5/v7 codec (common/nf5.c), the
## version dispatcher (common/nfdecode.c), their tests, the datagram
## dump tool and fuzz targets.

common_libcommon_a_SOURCES += common/nf5.c common/nf5.h common/nfdecode.c

unit_tests += tests/t_nf5 tests/t_nfdecode
check_PROGRAMS += tests/t_nf5 tests/t_nfdecode tests/nfdump_dgram tests/nf5enc
tests_t_nf5_LDADD = $(TEST_LIBS)
tests_t_nfdecode_LDADD = $(TEST_LIBS)
tests_nfdump_dgram_LDADD = $(COMMON_LIBS)
tests_nf5enc_LDADD = $(COMMON_LIBS)

script_tests += tests/scapy_nf5.sh tests/interop_nf5enc.sh
EXTRA_DIST += tests/scapy_nf5.sh tests/interop_nf5enc.sh \
	tests/gen_scapy_v5.py \
	tests/data/nf5_scapy_v1.hex tests/data/nf5_scapy_v5.hex \
	tests/data/nf5_scapy.expected tests/data/nf5enc_scapy.expected \
	tests/data/nf5enc_tshark.expected tests/data/nf5enc_nfdump.expected

if FUZZING
noinst_PROGRAMS += tests/fuzz/fuzz_nf5
endif
tests_fuzz_fuzz_nf5_SOURCES = tests/fuzz/fuzz_nf5.c
tests_fuzz_fuzz_nf5_LDFLAGS = -fsanitize=fuzzer
tests_fuzz_fuzz_nf5_LDADD = $(COMMON_LIBS)

# nf_decode() and every decoder behind it, one template cache kept
# across inputs
if FUZZING
noinst_PROGRAMS += tests/fuzz/fuzz_nfdecode
endif
tests_fuzz_fuzz_nfdecode_SOURCES = tests/fuzz/fuzz_nfdecode.c
tests_fuzz_fuzz_nfdecode_LDFLAGS = -fsanitize=fuzzer
tests_fuzz_fuzz_nfdecode_LDADD = $(COMMON_LIBS)
