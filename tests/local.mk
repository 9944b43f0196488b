## tests/local.mk -- the TAP library every unit test links.  The tests
## themselves live in tests/ but each folder's local.mk lists its own
## (unit tests, tools, end-to-end scripts, data, fuzz targets).

check_LIBRARIES = tests/libtap.a
tests_libtap_a_SOURCES = tests/tap.c tests/tap.h

TEST_LIBS = tests/libtap.a $(COMMON_LIBS)

# shell helper of the tests that run Debian's nfcapd as a judge
EXTRA_DIST += tests/nfcapd_lib.sh

# the option tables of flowcapd and flowprobe against their man pages,
# flowkit.conf(5) and --check's printout
unit_tests += tests/t_options
check_PROGRAMS += tests/t_options
tests_t_options_LDADD = tests/libtap.a $(PROBE_LIBS) $(COLLECTOR_LIBS) \
	$(PCAP_LIBS)
