## common/local.mk -- common/libcommon.a: record, buffers, addresses,
## time, codecs, template cache, file format.  Modules add themselves
## to common_libcommon_a_SOURCES.

noinst_LIBRARIES += common/libcommon.a
common_libcommon_a_SOURCES = \
	common/compat.h \
	common/nferr.c common/nferr.h \
	common/buf.h \
	common/addr.c common/addr.h \
	common/flowrec.c common/flowrec.h \
	common/timeutil.c common/timeutil.h \
	common/seq.c common/seq.h \
	common/nfdecode.h \
	common/log.c common/log.h \
	common/daemon.c common/daemon.h \
	common/ctl.c common/ctl.h \
	common/xmalloc.c common/xmalloc.h
