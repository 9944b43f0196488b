## common/prog/local.mk -- common/prog/libprog.a: services for programs
## only (logging, allocation that exits on failure, daemon start-up and
## pidfiles, the control socket, the option table that reads both the
## command line and the configuration file).  The one place in common/ with
## process-wide state; no other common/ folder calls it.

noinst_LIBRARIES += common/prog/libprog.a
common_prog_libprog_a_SOURCES = \
	common/prog/log.c common/prog/log.h \
	common/prog/xmalloc.c common/prog/xmalloc.h \
	common/prog/daemon.c common/prog/daemon.h \
	common/prog/ctl.c common/prog/ctl.h \
	common/prog/optconf.c common/prog/optconf.h \
	common/prog/version.c common/prog/version.h \
	common/prog/notify.c common/prog/notify.h
common_prog_libprog_a_CPPFLAGS = $(AM_CPPFLAGS) $(SYSTEMD_CFLAGS)

# control socket (ctl) and daemon helpers (daemon)
unit_tests += tests/t_ctl
check_PROGRAMS += tests/t_ctl
tests_t_ctl_LDADD = $(TEST_LIBS)

# one option table for the command line and the configuration file
unit_tests += tests/t_optconf
check_PROGRAMS += tests/t_optconf
tests_t_optconf_LDADD = $(TEST_LIBS)
