## man/local.mk -- the field lists of the manual pages come from the
## field catalogue (common/base/fieldlist.h): man/mkfields prints them,
## "make update-man" writes them into the pages, and tests/man_fields.sh
## fails when a committed page differs.  The pages themselves are listed
## by the local.mk of the code they document.

check_PROGRAMS += man/mkfields
man_mkfields_SOURCES = man/mkfields.c
man_mkfields_LDADD = $(COMMON_LIBS)
script_tests += tests/man_fields.sh
EXTRA_DIST += tests/man_fields.sh man/update-fields.sh

FIELD_PAGES = man/flowq.1 man/flowkit-filter.7 man/flowkit-file.5 \
	man/flowcapd.8
update-man: man/mkfields
	cd $(srcdir) && $(SHELL) man/update-fields.sh \
	    $(abs_builddir)/man/mkfields $(FIELD_PAGES)
.PHONY: update-man
