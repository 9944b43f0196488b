## common/nfdump/local.mk -- common/nfdump/libnfdump.a: reading nfdump's
## flow files (layouts 1 and 2, every compression nfdump writes) into
## flow columns for flowq; its unit tests, judge test and fuzz target.
## LZO, BZ2 and ZSTD come from optional libraries (configure's summary
## says which were found); LZ4 is a base dependency.

noinst_LIBRARIES += common/nfdump/libnfdump.a
common_nfdump_libnfdump_a_SOURCES = \
	common/nfdump/nfdfile.c common/nfdump/nfdfile.h \
	common/nfdump/nfd_int.h \
	common/nfdump/nfdrec.c common/nfdump/nfdrec1.c \
	common/nfdump/nfdzip.c common/nfdump/nfdzip.h
common_nfdump_libnfdump_a_CFLAGS = $(AM_CFLAGS) $(LZO_CFLAGS) \
	$(BZ2_CFLAGS) $(ZSTD_CFLAGS)

NFDUMP_LIBS = common/nfdump/libnfdump.a $(LZO_LIBS) $(BZ2_LIBS) \
	$(ZSTD_LIBS)
