## common/enrich/local.mk -- common/enrich/libenrich.a: who is behind an
## address.  The session store and its persistence, the RADIUS
## accounting codec, session files (FreeRADIUS detail, CSV and JSON-lines
## CDRs), CGNAT mappings, the join of flows to users, GeoIP/ASN.  Uses
## base only; no logging, no exit.  Programs link $(ENRICH_LIBS) before
## $(COMMON_LIBS).

noinst_LIBRARIES += common/enrich/libenrich.a
common_enrich_libenrich_a_SOURCES = \
	common/enrich/strtab.c common/enrich/strtab.h \
	common/enrich/sessdb.c common/enrich/sessdb_lookup.c \
	common/enrich/sessdb.h common/enrich/sessdb_int.h \
	common/enrich/sessfile.c common/enrich/sessfile.h \
	common/enrich/durable.c common/enrich/durable.h \
	common/enrich/radius.c common/enrich/radius.h \
	common/enrich/sessread.c common/enrich/sessread.h \
	common/enrich/sessfollow.c common/enrich/sessfollow.h \
	common/enrich/natmap.c common/enrich/natmap.h \
	common/enrich/natfile.c common/enrich/natfile.h \
	common/enrich/sessjoin.c common/enrich/sessjoin.h \
	common/enrich/geoip.c common/enrich/geoip.h \
	common/enrich/geofill.c common/enrich/geofill.h
common_enrich_libenrich_a_CPPFLAGS = $(AM_CPPFLAGS) $(NETTLE_CFLAGS) \
	$(JANSSON_CFLAGS) $(MAXMINDDB_CFLAGS)

ENRICH_LIBS = common/enrich/libenrich.a $(NETTLE_LIBS) $(JANSSON_LIBS) \
	$(MAXMINDDB_LIBS)

unit_tests += tests/t_sessdb
check_PROGRAMS += tests/t_sessdb
tests_t_sessdb_LDADD = $(ENRICH_LIBS) $(TEST_LIBS)
unit_tests += tests/t_sessfile
check_PROGRAMS += tests/t_sessfile
tests_t_sessfile_LDADD = $(ENRICH_LIBS) $(TEST_LIBS)
unit_tests += tests/t_radius
check_PROGRAMS += tests/t_radius
tests_t_radius_LDADD = $(ENRICH_LIBS) $(TEST_LIBS)
dist_man_MANS += man/flowkit-sessions.5
unit_tests += tests/t_sessread tests/t_natmap tests/t_sessjoin tests/t_natfile
check_PROGRAMS += tests/t_sessread tests/t_natmap tests/t_sessjoin tests/t_natfile
tests_t_sessread_LDADD = $(ENRICH_LIBS) $(TEST_LIBS)
tests_t_natmap_LDADD = $(ENRICH_LIBS) $(TEST_LIBS)
tests_t_natfile_LDADD = $(ENRICH_LIBS) $(TEST_LIBS)
tests_t_sessjoin_LDADD = $(ENRICH_LIBS) $(TEST_LIBS)

# the generated known-answer set of the join (session files + CGNAT)
check_PROGRAMS += tests/sessjoin_tool
tests_sessjoin_tool_LDADD = $(ENRICH_LIBS) $(COMMON_LIBS)
script_tests += tests/sessions_kat.sh
EXTRA_DIST += tests/sessions_kat.sh tests/gen_sessions.py tests/ipfix_flows.py

# GeoIP/ASN against mmdblookup on databases written by tests/mkmmdb.pl
check_PROGRAMS += tests/geoip_lookup
tests_geoip_lookup_LDADD = $(ENRICH_LIBS) $(COMMON_LIBS)
script_tests += tests/geoip.sh
EXTRA_DIST += tests/geoip.sh tests/mkmmdb.pl

if FUZZING
noinst_PROGRAMS += tests/fuzz/fuzz_radius tests/fuzz/fuzz_sessread \
	tests/fuzz/fuzz_natfile
endif
tests_fuzz_fuzz_radius_SOURCES = tests/fuzz/fuzz_radius.c
tests_fuzz_fuzz_radius_LDFLAGS = -fsanitize=fuzzer
tests_fuzz_fuzz_radius_LDADD = $(ENRICH_LIBS) $(COMMON_LIBS)
tests_fuzz_fuzz_sessread_SOURCES = tests/fuzz/fuzz_sessread.c
tests_fuzz_fuzz_sessread_LDFLAGS = -fsanitize=fuzzer
tests_fuzz_fuzz_sessread_LDADD = $(ENRICH_LIBS) $(COMMON_LIBS)
tests_fuzz_fuzz_natfile_SOURCES = tests/fuzz/fuzz_natfile.c
tests_fuzz_fuzz_natfile_LDFLAGS = -fsanitize=fuzzer
tests_fuzz_fuzz_natfile_LDADD = $(ENRICH_LIBS) $(COMMON_LIBS)
