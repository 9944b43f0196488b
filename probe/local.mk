## probe/local.mk -- flowprobe and flowctl: capture, the flow table,
## metering packets into flows with their timeouts, export, the control
## socket client (the packet dissector is common/pkt's).  Everything
## but the mains goes into probe/libprobe.a so the unit tests can link
## it.

noinst_LIBRARIES += probe/libprobe.a
probe_libprobe_a_SOURCES = \
	probe/flowtable.c probe/flowtable.h \
	probe/meter.c probe/meter.h \
	probe/capture.c probe/capture.h \
	probe/pcapfile.c probe/pcapfile.h \
	probe/export.c probe/export.h \
	probe/exportq.c probe/exportq.h \
	probe/probeopts.c probe/probeopts.h \
	probe/xfields.c probe/xfields.h
probe_libprobe_a_CFLAGS = $(AM_CFLAGS) $(PCAP_CFLAGS)

PROBE_LIBS = probe/libprobe.a

sbin_PROGRAMS += probe/flowprobe probe/flowctl
probe_flowprobe_SOURCES = probe/main.c
probe_flowprobe_CFLAGS = $(AM_CFLAGS) $(PCAP_CFLAGS)
probe_flowprobe_LDADD = $(PROBE_LIBS) $(COMMON_LIBS) $(PCAP_LIBS) \
	$(SYSTEMD_LIBS)
probe_flowctl_SOURCES = probe/flowctl.c
probe_flowctl_LDADD = $(PROBE_LIBS) $(COMMON_LIBS)
dist_man_MANS += man/flowprobe.8 man/flowctl.8

# unit tests
unit_tests += tests/t_flowtable tests/t_meter tests/t_export \
	tests/t_exportq tests/t_pcapfile
check_PROGRAMS += tests/t_flowtable tests/t_meter tests/t_export \
	tests/t_exportq tests/t_pcapfile
tests_t_flowtable_LDADD = $(PROBE_LIBS) $(TEST_LIBS)
tests_t_meter_LDADD = $(PROBE_LIBS) $(TEST_LIBS)
tests_t_export_SOURCES = tests/t_export.c tests/nfcollect.h
tests_t_export_LDADD = $(PROBE_LIBS) $(TEST_LIBS)
tests_t_exportq_SOURCES = tests/t_exportq.c tests/nfcollect.h
tests_t_exportq_LDADD = $(PROBE_LIBS) $(TEST_LIBS)
tests_t_pcapfile_CFLAGS = $(AM_CFLAGS) $(PCAP_CFLAGS)
tests_t_pcapfile_LDADD = $(PROBE_LIBS) $(TEST_LIBS) $(PCAP_LIBS)

# capture generator (probe tests, the demo, the benchmark) and a UDP
# receiver for the export tests
check_PROGRAMS += tests/gen_pcap tests/udpsink
tests_gen_pcap_SOURCES = tests/gen_pcap.c tests/gen_pcap_links.c \
	tests/gen_pcap_demo.c tests/gen_pcap_mix.c tests/gen_pcap_variant.c \
	tests/pcapgen.c tests/pcapgen.h
tests_gen_pcap_LDADD = $(COMMON_LIBS)
tests_udpsink_LDADD = $(COMMON_LIBS)

# our classic-pcap reader against libpcap, packet by packet and error by
# error, over every capture the tests make, cut and corrupted
check_PROGRAMS += tests/pcapcmp
tests_pcapcmp_SOURCES = tests/pcapcmp_main.c tests/pcapcmp.c tests/pcapcmp.h
tests_pcapcmp_CFLAGS = $(AM_CFLAGS) $(PCAP_CFLAGS)
tests_pcapcmp_LDADD = $(PROBE_LIBS) $(COMMON_LIBS) $(PCAP_LIBS)
script_tests += tests/probe_pcapcmp.sh
EXTRA_DIST += tests/probe_pcapcmp.sh

# end-to-end tests: goldens, live capture, export, control socket; PPP,
# PPP serial, Cisco HDLC, PPPoE and MPLS with tshark as judge; our pcap
# reader against libpcap
# -b biflows in IPFIX, judged by tshark, softflowd -b and nfcapd/nfdump
script_tests += tests/probe_biflow.sh
EXTRA_DIST += tests/probe_biflow.sh tests/probe_recv.py
# -x: the extra fields in v9/IPFIX, judged by tshark and read back by
# flowcapd and flowq
script_tests += tests/probe_fields.sh
EXTRA_DIST += tests/probe_fields.sh tests/probe_fields.py
script_tests += tests/probe_flows.sh tests/probe_live.sh \
	tests/probe_linktypes.sh tests/probe_export.sh tests/probe_ctl.sh \
	tests/probe_readers.sh tests/probe_live_burst.sh
EXTRA_DIST += tests/probe_flows.sh tests/probe_live.sh \
	tests/probe_linktypes.sh tests/probe_export.sh tests/probe_ctl.sh \
	tests/probe_readers.sh tests/probe_live_burst.sh \
	tests/data/probe_basic.out tests/data/probe_vlan.out \
	tests/data/probe_l3.out tests/data/probe_timeouts.out \
	tests/data/probe_sll.out tests/data/probe_sll2.out \
	tests/data/probe_raw.out tests/data/probe_null.out \
	tests/data/probe_loop.out tests/data/probe_ipv4.out \
	tests/data/probe_ipv6.out \
	tests/data/probe_ppp.out tests/data/probe_pppserial.out \
	tests/data/probe_chdlc.out tests/data/probe_pppoe.out \
	tests/data/probe_pppether.out tests/data/probe_mpls.out

# the quick-start demo (demo.sh) is also a test: every flow stored, and
# the answers show the story its capture (gen_pcap demo) tells
script_tests += tests/demo_pipeline.sh
EXTRA_DIST += tests/demo_pipeline.sh

# libFuzzer targets (tests/fuzz/local.mk): the dissector and the meter
if FUZZING
noinst_PROGRAMS += tests/fuzz/fuzz_pktdecode
endif
tests_fuzz_fuzz_pktdecode_SOURCES = tests/fuzz/fuzz_pktdecode.c
tests_fuzz_fuzz_pktdecode_LDFLAGS = -fsanitize=fuzzer
tests_fuzz_fuzz_pktdecode_LDADD = $(PROBE_LIBS) $(COMMON_LIBS)
# and the classic-pcap reader, differential against libpcap
if FUZZING
noinst_PROGRAMS += tests/fuzz/fuzz_pcapfile
endif
tests_fuzz_fuzz_pcapfile_SOURCES = tests/fuzz/fuzz_pcapfile.c \
	tests/pcapcmp.c tests/pcapcmp.h
tests_fuzz_fuzz_pcapfile_CFLAGS = $(AM_CFLAGS) $(PCAP_CFLAGS)
tests_fuzz_fuzz_pcapfile_LDFLAGS = -fsanitize=fuzzer
tests_fuzz_fuzz_pcapfile_LDADD = $(PROBE_LIBS) $(COMMON_LIBS) $(PCAP_LIBS)
