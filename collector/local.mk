## collector/local.mk -- flowcapd: sockets, datagram queue, exporter
## state, decode loop, spool (rotation, recovery, -x), expiry.
## Everything but main.c goes into collector/libcollector.a so that
## tests can link the modules.

noinst_LIBRARIES += collector/libcollector.a
collector_libcollector_a_SOURCES = \
	collector/listen.c collector/listen.h \
	collector/dgq.c collector/dgq.h \
	collector/exporter.c collector/exporter.h \
	collector/spoolname.c collector/spoolname.h \
	collector/expire.c collector/expire.h \
	collector/spool.c collector/spool.h \
	collector/collect.c collector/collect.h \
	collector/rx.c collector/rx.h \
	collector/capstats.c collector/capstats.h \
	collector/capctl.c collector/capctl.h

COLLECTOR_LIBS = collector/libcollector.a $(COMMON_LIBS)

unit_tests += tests/t_dgq tests/t_exporter tests/t_spoolname
check_PROGRAMS += tests/t_dgq tests/t_exporter tests/t_spoolname
tests_t_dgq_LDADD = tests/libtap.a $(COLLECTOR_LIBS)
tests_t_exporter_LDADD = tests/libtap.a $(COLLECTOR_LIBS)
tests_t_spoolname_LDADD = tests/libtap.a $(COLLECTOR_LIBS)

unit_tests += tests/t_spool
check_PROGRAMS += tests/t_spool
tests_t_spool_SOURCES = tests/t_spool.c tests/ffgen.c tests/ffgen.h
tests_t_spool_LDADD = tests/libtap.a $(COLLECTOR_LIBS)

unit_tests += tests/t_listen
check_PROGRAMS += tests/t_listen
tests_t_listen_LDADD = tests/libtap.a $(COLLECTOR_LIBS)

sbin_PROGRAMS += collector/flowexpire
collector_flowexpire_SOURCES = collector/flowexpire.c
collector_flowexpire_LDADD = $(COLLECTOR_LIBS)

unit_tests += tests/t_flowexpire
check_PROGRAMS += tests/t_flowexpire
tests_t_flowexpire_LDADD = tests/libtap.a $(COLLECTOR_LIBS)

dist_man_MANS += man/flowexpire.8 man/flowcapd.8

# test helper: sends hex datagram files and hostile floods
check_PROGRAMS += tests/nfsend
tests_nfsend_LDADD = $(COMMON_LIBS)

sbin_PROGRAMS += collector/flowcapd
collector_flowcapd_SOURCES = collector/main.c
collector_flowcapd_LDADD = $(COLLECTOR_LIBS)

# test helper: prints a flow file through the ffile reader
check_PROGRAMS += tests/ffdump
tests_ffdump_LDADD = $(COMMON_LIBS)

# end-to-end tests (TAP shell scripts)
script_tests += tests/flowcapd_scapy.sh tests/flowcapd_ops.sh \
	tests/flowcapd_softflowd.sh tests/flowcapd_diskfull.sh
EXTRA_DIST += tests/flowcapd_scapy.sh tests/flowcapd_ops.sh \
	tests/flowcapd_softflowd.sh tests/flowcapd_diskfull.sh \
	tests/flowcapd_lib.sh tests/gen_scapy_collect.py

# sampling rates as routers announce them (flowcapd(8) "Sampling")
script_tests += tests/flowcapd_sampling.sh tests/flowcapd_pmacct.sh
EXTRA_DIST += tests/flowcapd_sampling.sh tests/flowcapd_pmacct.sh \
	tests/gen_scapy_sampling.py

unit_tests += tests/t_capstats
check_PROGRAMS += tests/t_capstats
tests_t_capstats_LDADD = tests/libtap.a $(COLLECTOR_LIBS)

script_tests += tests/flowcapd_burst.sh tests/flowcapd_instance.sh \
	tests/flowcapd_loss.sh
EXTRA_DIST += tests/flowcapd_burst.sh tests/flowcapd_instance.sh \
	tests/flowcapd_loss.sh
