## common/base/local.mk -- common/base/libbase.a: the flow record, its
## field catalogue, and the helpers every layer uses (error codes, checked byte reader and
## writer, addresses, time).  No state, no logging, no exit.

noinst_LIBRARIES += common/base/libbase.a
common_base_libbase_a_SOURCES = \
	common/base/compat.h \
	common/base/nferr.c common/base/nferr.h \
	common/base/buf.h \
	common/base/addr.c common/base/addr.h \
	common/base/flowrec.c common/base/flowrec.h \
	common/base/fieldlist.h common/base/fields.c common/base/fields.h \
	common/base/timeutil.c common/base/timeutil.h

unit_tests += tests/t_buf tests/t_addr tests/t_timeutil tests/t_misc \
	tests/t_fields
check_PROGRAMS += tests/t_buf tests/t_addr tests/t_timeutil tests/t_misc \
	tests/t_fields
tests_t_buf_LDADD = $(TEST_LIBS)
tests_t_addr_LDADD = $(TEST_LIBS)
tests_t_timeutil_LDADD = $(TEST_LIBS)
# nferr, flowrec, and two small modules of other folders: the export
# sequence tracker (codec/seq) and the log rate limiter (prog/log)
tests_t_misc_LDADD = $(TEST_LIBS)
# the field catalogue, and the codec and file columns made from it
tests_t_fields_SOURCES = tests/t_fields.c tests/nfcollect.h
tests_t_fields_LDADD = $(TEST_LIBS)
