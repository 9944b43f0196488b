## sink/local.mk -- sink/libsink.a: the sinks of flowcapd --sink and
## flowq --sink (flowkit-sink(7)): URL parsing, batch encoders
## (RowBinary, NDJSON, goflow2's protobuf), and the transports
## (libcurl for ClickHouse and HTTP, librdkafka for Kafka), each
## library optional.  Used by collector/ and query/; depends on
## common/ only.

noinst_LIBRARIES += sink/libsink.a
sink_libsink_a_SOURCES = \
	sink/sinkurl.c sink/sinkurl.h
SINK_LIBS = sink/libsink.a


unit_tests += tests/t_sinkurl
check_PROGRAMS += tests/t_sinkurl
tests_t_sinkurl_LDADD = $(SINK_LIBS) $(TEST_LIBS)
