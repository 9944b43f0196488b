## tests/local.mk -- unit tests (TAP) for common/ and shared test helpers.
## Program directories add their own tests in their local.mk.

check_LIBRARIES = tests/libtap.a
tests_libtap_a_SOURCES = tests/tap.c tests/tap.h

TEST_LIBS = tests/libtap.a $(COMMON_LIBS)

unit_tests += tests/t_buf tests/t_addr tests/t_timeutil tests/t_misc
check_PROGRAMS += tests/t_buf tests/t_addr tests/t_timeutil tests/t_misc
tests_t_buf_LDADD = $(TEST_LIBS)
tests_t_addr_LDADD = $(TEST_LIBS)
tests_t_timeutil_LDADD = $(TEST_LIBS)
tests_t_misc_LDADD = $(TEST_LIBS)

# control socket (common/ctl) and daemon helpers (common/daemon)
unit_tests += tests/t_ctl
check_PROGRAMS += tests/t_ctl
tests_t_ctl_LDADD = $(TEST_LIBS)
