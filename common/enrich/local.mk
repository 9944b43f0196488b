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
	common/enrich/radius.c common/enrich/radius.h
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
