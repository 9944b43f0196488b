#!/bin/sh
# tests/systemd_units.sh -- the systemd units (etc/systemd) and the
# installed configuration files (etc/*.conf): every unit passes
# systemd-analyze verify (run on copies whose ExecStart points at this
# build's programs), and a misspelt directive would be caught; the
# services keep an exposure score (systemd-analyze security) of at most
# 3.0 and the sandbox flowkit promises (dedicated user, capabilities,
# ProtectSystem=strict, PrivateTmp, NoNewPrivileges, a restart policy);
# the shipped configuration files check with --check.  Without
# systemd-analyze the unit cases SKIP.
: "${top_srcdir:=.}" "${top_builddir:=.}"
B=$(cd "$top_builddir" && pwd)
S=$(cd "$top_srcdir" && pwd)
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT
trap 'exit 1' INT TERM

n=0
fail=0
ok() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fail=1; fi
}
skip() { n=$((n + 1)); echo "ok $n # SKIP $1"; }

echo "1..12"

units="flowcapd.service flowexpire.service flowexpire.timer flowprobe@.service"
for u in $units; do
	src=$B/etc/systemd/$u
	[ -f "$src" ] || src=$S/etc/systemd/$u	# not generated
	sed -e "s|^ExecStart=[^ ]*/flowcapd|ExecStart=$B/collector/flowcapd|" \
	    -e "s|^ExecStart=[^ ]*/flowexpire|ExecStart=$B/collector/flowexpire|" \
	    -e "s|^ExecStart=[^ ]*/flowprobe|ExecStart=$B/probe/flowprobe|" \
	    "$src" >"$T/$u" || exit 1
done
mv "$T/flowprobe@.service" "$T/flowprobe@lo.service"

# verify UNIT: exit 0 and not a word about the unit (warnings about
# other units of this host, which systemd also loads, are not ours)
verify() {
	systemd-analyze verify --man=no "$T/$1" >"$T/v.out" 2>&1
	st=$?
	grep -F "${1%%@*}" "$T/v.out" >"$T/v.ours"
	[ $st -eq 0 ] && [ ! -s "$T/v.ours" ]
}

if ! command -v systemd-analyze >/dev/null 2>&1; then
	for i in 1 2 3 4 5 6 7 8; do skip "systemd-analyze not installed"; done
else
	# 1: the detector itself: a misspelt directive must be reported
	sed 's/^ProtectHome=/ProtectHomes=/' "$T/flowcapd.service" \
	    >"$T/typo.service"
	! verify typo.service
	ok $? "verify reports a misspelt directive (the check can fail)"
	# 2-5: each unit
	for u in flowcapd.service flowexpire.service flowexpire.timer \
	    flowprobe@lo.service; do
		verify "$u"
		st=$?
		ok $st "systemd-analyze verify $u"
		[ $st -eq 0 ] || sed 's/^/# /' "$T/v.out"
	done
	# 6-8: exposure of the services
	for u in flowcapd.service flowprobe@lo.service flowexpire.service; do
		if ! systemd-analyze security --offline=yes "$T/$u" \
		    >"$T/s.out" 2>&1; then
			if grep -q "unrecognized option" "$T/s.out"; then
				skip "systemd-analyze security --offline unsupported"
				continue
			fi
		fi
		score=$(sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p' "$T/s.out")
		[ -n "$score" ] && awk -v s="$score" 'BEGIN { exit !(s <= 3.0) }'
		ok $? "$u: exposure ${score:-?} (at most 3.0)"
	done
fi

# 9-10: the sandbox, as written
f=$B/etc/systemd/flowcapd.service
grep -q '^User=_flowkit$' "$f" && grep -q '^CapabilityBoundingSet=$' "$f" &&
    grep -q '^AmbientCapabilities=$' "$f" &&
    grep -q '^ProtectSystem=strict$' "$f" && grep -q '^StateDirectory=flowkit$' "$f" &&
    grep -q '^PrivateTmp=yes$' "$f" && grep -q '^NoNewPrivileges=yes$' "$f" &&
    grep -q '^Restart=on-failure$' "$f" && grep -q '^ExecReload=.*-HUP' "$f"
ok $? "flowcapd.service: own user, no capabilities, strict system, private /tmp, no new privileges, restarts, reloads"
f=$B/etc/systemd/flowprobe@.service
grep -q '^User=_flowkit$' "$f" &&
    grep -q '^CapabilityBoundingSet=CAP_NET_RAW CAP_NET_ADMIN$' "$f" &&
    grep -q '^AmbientCapabilities=CAP_NET_RAW CAP_NET_ADMIN$' "$f" &&
    grep -q '^ProtectSystem=strict$' "$f" && grep -q '^PrivateTmp=yes$' "$f" &&
    grep -q '^NoNewPrivileges=yes$' "$f" && grep -q '^Restart=on-failure$' "$f" &&
    grep -q '^ExecStart=.* -i %I ' "$f"
ok $? "flowprobe@.service: own user, CAP_NET_RAW and CAP_NET_ADMIN only, one instance per interface"

# 11-12: the configuration files an installation gets
"$B/collector/flowcapd" -C "$B/etc/flowcapd.conf" -l "$T" --check \
    >"$T/c.out" 2>&1 && grep -q '^port = 9995$' "$T/c.out" &&
    grep -q '^control = .*/flowkit/flowcapd.ctl$' "$T/c.out"
st=$?
ok $st "the installed flowcapd.conf checks (with its dir overridden)"
[ $st -eq 0 ] || sed 's/^/# /' "$T/c.out"
"$B/probe/flowprobe" -C "$B/etc/flowprobe.conf" -i lo --check \
    >"$T/p.out" 2>&1 && grep -q '^collector = 127.0.0.1:9995$' "$T/p.out"
st=$?
ok $st "the installed flowprobe.conf checks"
[ $st -eq 0 ] || sed 's/^/# /' "$T/p.out"
exit $fail
