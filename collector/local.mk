## collector/local.mk -- flowcapd and flowexpire: sockets and their
## steering, the workers (receive, decode) and their queues, exporter
## state, the writer, the spool (rotation, recovery, -x), statistics
## and control, file expiry.  Everything but
## the mains goes into collector/libcollector.a so tests can link it.

noinst_LIBRARIES += collector/libcollector.a
collector_libcollector_a_SOURCES = \
	collector/listen.c collector/listen.h \
	collector/steer.c collector/steer.h \
	collector/fq.c collector/fq.h \
	collector/worker.c collector/wthread.c collector/worker.h \
	collector/exporter.c collector/exporter.h \
	collector/collect.c collector/collect.h \
	collector/spoolname.c collector/spoolname.h \
	collector/spool.c collector/spool.h \
	collector/capstats.c collector/capstats.h \
	collector/capctl.c collector/capctl.h \
	collector/capopts.c collector/capopts.h \
	collector/fileexpire.c collector/fileexpire.h \
	collector/radrecv.c collector/radrecv.h \
	collector/sessions.c collector/sessions.h \
	collector/sinkcursor.c collector/sinkcursor.h \
	collector/sinkfollow.c collector/sinkfollow.h \
	collector/sinkrun.c collector/sinkrun.h collector/sinkset.c

COLLECTOR_LIBS = collector/libcollector.a $(ENRICH_LIBS) $(SINK_LIBS) \
	$(COMMON_LIBS)

sbin_PROGRAMS += collector/flowcapd collector/flowexpire
collector_flowcapd_SOURCES = collector/main.c
collector_flowcapd_LDADD = $(COLLECTOR_LIBS) $(SYSTEMD_LIBS)
collector_flowexpire_SOURCES = collector/flowexpire.c
collector_flowexpire_LDADD = $(COLLECTOR_LIBS)
dist_man_MANS += man/flowcapd.8 man/flowexpire.8 man/flowkit.conf.5

# unit tests
unit_tests += tests/t_listen tests/t_fq tests/t_steer tests/t_exporter \
	tests/t_spoolname tests/t_spool tests/t_capstats tests/t_fileexpire \
	tests/t_collect tests/t_sinkcursor tests/t_sinkfollow tests/t_sinkrun
check_PROGRAMS += tests/t_listen tests/t_fq tests/t_steer tests/t_exporter \
	tests/t_spoolname tests/t_spool tests/t_capstats tests/t_fileexpire \
	tests/t_collect tests/t_sinkcursor tests/t_sinkfollow tests/t_sinkrun
tests_t_listen_LDADD = tests/libtap.a $(COLLECTOR_LIBS)
tests_t_fq_LDADD = tests/libtap.a $(COLLECTOR_LIBS)
tests_t_steer_LDADD = tests/libtap.a $(COLLECTOR_LIBS)
tests_t_exporter_LDADD = tests/libtap.a $(COLLECTOR_LIBS)
tests_t_spoolname_LDADD = tests/libtap.a $(COLLECTOR_LIBS)
tests_t_spool_SOURCES = tests/t_spool.c tests/ffgen.c tests/ffgen.h
tests_t_spool_LDADD = tests/libtap.a $(COLLECTOR_LIBS)
tests_t_capstats_LDADD = tests/libtap.a $(COLLECTOR_LIBS)
tests_t_fileexpire_LDADD = tests/libtap.a $(COLLECTOR_LIBS)
tests_t_collect_LDADD = tests/libtap.a $(COLLECTOR_LIBS)
tests_t_sinkcursor_LDADD = tests/libtap.a $(COLLECTOR_LIBS)
tests_t_sinkfollow_SOURCES = tests/t_sinkfollow.c tests/ffgen.c tests/ffgen.h
tests_t_sinkfollow_LDADD = tests/libtap.a $(COLLECTOR_LIBS)
tests_t_sinkrun_SOURCES = tests/t_sinkrun.c tests/ffgen.c tests/ffgen.h
tests_t_sinkrun_LDADD = tests/libtap.a $(COLLECTOR_LIBS)

# sends hex datagram files and hostile floods (tests/ffdump, the file
# dumper these tests read the results with, is in common/ffile/local.mk)
check_PROGRAMS += tests/nfsend
tests_nfsend_LDADD = $(COMMON_LIBS)

# end-to-end tests (TAP shell scripts); sampling rates as routers
# announce them (flowcapd(8) "Sampling"), judged by scapy and pmacct
script_tests += tests/config.sh tests/flowcapd_scapy.sh tests/flowcapd_ops.sh \
	tests/flowcapd_softflowd.sh tests/flowcapd_diskfull.sh \
	tests/flowcapd_sampling.sh tests/flowcapd_pmacct.sh \
	tests/flowcapd_burst.sh tests/flowcapd_instance.sh \
	tests/flowcapd_loss.sh tests/flowcapd_workers.sh
# the fields routers send (MACs, MPLS, NAT, ...) judged field by field
# by tshark and pmacct
script_tests += tests/fields_interop.sh
EXTRA_DIST += tests/fields_interop.sh tests/fields_interop.py
# a string field (IPFIX applicationName) through the collector
script_tests += tests/flowcapd_strings.sh
EXTRA_DIST += tests/flowcapd_strings.sh tests/gen_ipfix_names.py
# sFlow v5 from pmacct's sfprobe, judged by nfdump's sfcapd
script_tests += tests/flowcapd_sflow.sh
EXTRA_DIST += tests/flowcapd_sflow.sh tests/data/sflow_counters.hex
script_tests += tests/sink_clickhouse.sh tests/sink_expire.sh
EXTRA_DIST += tests/sink_clickhouse.sh tests/sink_lib.sh tests/sink_expire.sh
EXTRA_DIST += tests/config.sh tests/data/config_flowcapd.conf \
	tests/data/config_flowcapd.out tests/data/config_flowprobe.conf \
	tests/data/config_flowprobe.out \
	tests/flowcapd_scapy.sh tests/flowcapd_ops.sh \
	tests/flowcapd_softflowd.sh tests/flowcapd_diskfull.sh \
	tests/flowcapd_sampling.sh tests/flowcapd_pmacct.sh \
	tests/flowcapd_burst.sh tests/flowcapd_instance.sh \
	tests/flowcapd_loss.sh tests/flowcapd_workers.sh \
	tests/flowcapd_lib.sh tests/gen_scapy_collect.py \
	tests/gen_scapy_sampling.py
# RADIUS accounting against radclient (freeradius-utils)
script_tests += tests/flowcapd_radius.sh
script_tests += tests/flowcapd_cgnat.sh
EXTRA_DIST += tests/flowcapd_cgnat.sh
EXTRA_DIST += tests/flowcapd_radius.sh tests/radius_send.py
# FreeRADIUS proxying accounting to flowcapd, and its detail file followed
script_tests += tests/flowcapd_freeradius.sh
EXTRA_DIST += tests/flowcapd_freeradius.sh
