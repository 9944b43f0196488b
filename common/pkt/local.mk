## common/pkt/local.mk -- common/pkt/libpkt.a: the packet dissector
## shared by flowprobe (captured frames) and flowcapd (sFlow's sampled
## packet headers): link layers and encapsulations down to IP
## (pktlink), IP and transport headers to a flow key (pktdecode), the
## keyed hash of its fragment table (siphash.h); its unit test (the
## fuzz target, which also drives flowprobe's meter, is probe's).

noinst_LIBRARIES += common/pkt/libpkt.a
common_pkt_libpkt_a_SOURCES = \
	common/pkt/flowkey.h common/pkt/siphash.h \
	common/pkt/pktdecode.c common/pkt/pktdecode.h \
	common/pkt/pktlink.c common/pkt/pktlink.h

unit_tests += tests/t_pktdecode
check_PROGRAMS += tests/t_pktdecode
tests_t_pktdecode_LDADD = $(TEST_LIBS)

