## probe/local.mk -- flowprobe: capture, packet decoding, flow table,
## expiry.  Everything but main.c goes into probe/libprobe.a so the unit
## tests can link the modules.

noinst_LIBRARIES += probe/libprobe.a
probe_libprobe_a_SOURCES = \
	probe/flowkey.h probe/siphash.h \
	probe/pktdecode.c probe/pktdecode.h \
	probe/pktlink.c probe/pktlink.h \
	probe/flowtable.c probe/flowtable.h \
	probe/expire.c probe/expire.h \
	probe/capture.c probe/capture.h

PROBE_LIBS = probe/libprobe.a

sbin_PROGRAMS += probe/flowprobe
probe_flowprobe_SOURCES = probe/main.c
probe_flowprobe_CFLAGS = $(AM_CFLAGS) $(PCAP_CFLAGS)
probe_flowprobe_LDADD = $(PROBE_LIBS) $(COMMON_LIBS) $(PCAP_LIBS)
probe_libprobe_a_CFLAGS = $(AM_CFLAGS) $(PCAP_CFLAGS)

unit_tests += tests/t_pktdecode
check_PROGRAMS += tests/t_pktdecode
tests_t_pktdecode_LDADD = $(PROBE_LIBS) $(TEST_LIBS)

unit_tests += tests/t_flowtable tests/t_expire
check_PROGRAMS += tests/t_flowtable tests/t_expire
tests_t_flowtable_LDADD = $(PROBE_LIBS) $(TEST_LIBS)
tests_t_expire_LDADD = $(PROBE_LIBS) $(TEST_LIBS)

# capture generator for the probe tests and the benchmark
check_PROGRAMS += tests/gen_pcap
tests_gen_pcap_SOURCES = tests/gen_pcap.c tests/gen_pcap_links.c \
	tests/gen_pcap_demo.c tests/pcapgen.c tests/pcapgen.h
tests_gen_pcap_LDADD = $(COMMON_LIBS)

# the quick-start demo (demo.sh) is also a test: every flow stored, and
# the answers show the story its capture (gen_pcap demo) tells
script_tests += tests/demo_pipeline.sh

script_tests += tests/probe_flows.sh tests/probe_live.sh
EXTRA_DIST += tests/probe_flows.sh tests/probe_live.sh \
	tests/data/probe_basic.out tests/data/probe_vlan.out \
	tests/data/probe_l3.out tests/data/probe_timeouts.out \
	tests/data/probe_sll.out tests/data/probe_sll2.out \
	tests/data/probe_raw.out tests/data/probe_null.out \
	tests/data/probe_loop.out tests/data/probe_ipv4.out \
	tests/data/probe_ipv6.out

# PPP, PPP serial, Cisco HDLC, PPPoE, MPLS: goldens and tshark as judge
script_tests += tests/probe_linktypes.sh
EXTRA_DIST += tests/probe_linktypes.sh \
	tests/data/probe_ppp.out tests/data/probe_pppserial.out \
	tests/data/probe_chdlc.out tests/data/probe_pppoe.out \
	tests/data/probe_pppether.out tests/data/probe_mpls.out

dist_man_MANS += man/flowprobe.8

# benchmark (not a test): bench/probe_vs_softflowd.sh from the build dir
EXTRA_DIST += bench/probe_vs_softflowd.sh

## ---- export and control (engineer "probexp") ----
probe_libprobe_a_SOURCES += probe/export.c probe/export.h

sbin_PROGRAMS += probe/flowctl
probe_flowctl_SOURCES = probe/flowctl.c
probe_flowctl_LDADD = $(PROBE_LIBS) $(COMMON_LIBS)
dist_man_MANS += man/flowctl.8

# UDP receiver for the export tests and the benchmark
check_PROGRAMS += tests/udpsink
tests_udpsink_LDADD = $(COMMON_LIBS)

script_tests += tests/probe_export.sh
EXTRA_DIST += tests/probe_export.sh
script_tests += tests/probe_ctl.sh
EXTRA_DIST += tests/probe_ctl.sh
unit_tests += tests/t_export
check_PROGRAMS += tests/t_export
tests_t_export_SOURCES = tests/t_export.c tests/nfcollect.h
tests_t_export_LDADD = $(PROBE_LIBS) $(TEST_LIBS)
## ---- end of export and control ----

# libFuzzer target (--enable-fuzzing): decoder and flow engine
if FUZZING
noinst_PROGRAMS += tests/fuzz/fuzz_pktdecode
endif
tests_fuzz_fuzz_pktdecode_SOURCES = tests/fuzz/fuzz_pktdecode.c
tests_fuzz_fuzz_pktdecode_LDFLAGS = -fsanitize=fuzzer
tests_fuzz_fuzz_pktdecode_LDADD = $(PROBE_LIBS) $(COMMON_LIBS)
