## etc/local.mk -- what an installation runs with: the commented
## configuration files (flowkit.conf(5)) and the systemd units.  Their
## paths (sbindir, sysconfdir, localstatedir, runstatedir), the unit
## type (notify with libsystemd) and the user come from configure and
## are substituted at make time.

etc_generated = etc/flowcapd.conf etc/flowprobe.conf \
	etc/systemd/flowcapd.service etc/systemd/flowprobe@.service \
	etc/systemd/flowexpire.service
EXTRA_DIST += etc/flowcapd.conf.in etc/flowprobe.conf.in \
	etc/systemd/flowcapd.service.in etc/systemd/flowprobe@.service.in \
	etc/systemd/flowexpire.service.in etc/systemd/flowexpire.timer
CLEANFILES += $(etc_generated)
noinst_DATA = $(etc_generated)

etc_subst = $(SED) \
	-e 's|@sbindir[@]|$(sbindir)|g' \
	-e 's|@sysconfdir[@]|$(sysconfdir)|g' \
	-e 's|@localstatedir[@]|$(localstatedir)|g' \
	-e 's|@runstatedir[@]|$(runstatedir)|g' \
	-e 's|@SYSTEMD_SERVICE_TYPE[@]|$(SYSTEMD_SERVICE_TYPE)|g' \
	-e 's|@FLOWKIT_USER[@]|$(FLOWKIT_USER)|g'

$(etc_generated): Makefile
	$(AM_V_GEN)$(MKDIR_P) $(@D) && \
	$(etc_subst) $(srcdir)/$@.in >$@.tmp && mv $@.tmp $@
etc/flowcapd.conf: $(srcdir)/etc/flowcapd.conf.in
etc/flowprobe.conf: $(srcdir)/etc/flowprobe.conf.in
etc/systemd/flowcapd.service: $(srcdir)/etc/systemd/flowcapd.service.in
etc/systemd/flowprobe@.service: $(srcdir)/etc/systemd/flowprobe@.service.in
etc/systemd/flowexpire.service: $(srcdir)/etc/systemd/flowexpire.service.in

if HAVE_SYSTEMD_UNITDIR
systemdsystemunit_DATA = etc/systemd/flowcapd.service \
	etc/systemd/flowprobe@.service etc/systemd/flowexpire.service \
	etc/systemd/flowexpire.timer
endif

# The configuration files are installed only where none is: a local
# file is never overwritten, and uninstall removes only an unchanged one.
flowkitconfdir = $(sysconfdir)/flowkit
install-data-local: etc/flowcapd.conf etc/flowprobe.conf
	$(MKDIR_P) '$(DESTDIR)$(flowkitconfdir)'
	for f in flowcapd.conf flowprobe.conf; do \
		if test -f "$(DESTDIR)$(flowkitconfdir)/$$f"; then \
			echo "$(flowkitconfdir)/$$f exists: not replaced"; \
		else \
			$(INSTALL_DATA) etc/$$f "$(DESTDIR)$(flowkitconfdir)/$$f"; \
		fi; \
	done
uninstall-local:
	for f in flowcapd.conf flowprobe.conf; do \
		if cmp -s etc/$$f "$(DESTDIR)$(flowkitconfdir)/$$f"; then \
			rm -f "$(DESTDIR)$(flowkitconfdir)/$$f"; \
		fi; \
	done
	-rmdir '$(DESTDIR)$(flowkitconfdir)' 2>/dev/null

AM_DISTCHECK_CONFIGURE_FLAGS = \
	--with-systemdsystemunitdir='$$(prefix)/lib/systemd/system'

# systemd-analyze verify of every unit, their sandbox, and the
# configuration files above checked by the programs
script_tests += tests/systemd_units.sh
EXTRA_DIST += tests/systemd_units.sh
