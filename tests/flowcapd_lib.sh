# tests/flowcapd_lib.sh -- shell helpers for flowcapd's TAP tests (sourced).
# Needs: $tmp (a mktemp -d directory).  Sets CAPD, NFSEND, FFDUMP, and after
# capd_start: CAPD_PID, PORT.
: "${top_srcdir:=.}" "${top_builddir:=.}"
CAPD=$top_builddir/collector/flowcapd
NFSEND=$top_builddir/tests/nfsend
FFDUMP=$top_builddir/tests/ffdump
CAPD_PID=
PORT=
capd_n=0
tap_n=0
tap_fail=0

ok() {		# ok COND-STATUS DESCRIPTION
	tap_n=$((tap_n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $tap_n - $2"
	else
		echo "not ok $tap_n - $2"
		tap_fail=1
	fi
}

skip() {
	tap_n=$((tap_n + 1))
	echo "ok $tap_n # SKIP $1"
}

cleanup() {
	[ -n "$CAPD_PID" ] && kill -9 "$CAPD_PID" 2>/dev/null
	rm -rf "$tmp"
}

# capd_start DIR [flags...]: start flowcapd on 127.0.0.1, a free port.
# $CAPD_FLAGS (unset: none) go first: flowcapd_workers.sh runs whole
# scripts again with -W 2.
capd_start() {
	d=$1
	shift
	capd_n=$((capd_n + 1))
	CAPD_LOG=$tmp/capd.$capd_n.log
	: >"$CAPD_LOG"
	# shellcheck disable=SC2086
	"$CAPD" -l "$d" -p 0 -b 127.0.0.1 -F 1 -P "$tmp/capd.pid" ${CAPD_FLAGS:-} \
	    "$@" \
	    >"$CAPD_LOG" 2>&1 &
	CAPD_PID=$!
	PORT=
	for _i in $(seq 1 100); do
		PORT=$(sed -n 's/.*listening on port \([0-9]*\).*/\1/p' \
		    "$CAPD_LOG")
		[ -n "$PORT" ] && return 0
		kill -0 "$CAPD_PID" 2>/dev/null || break
		sleep 0.1
	done
	echo "# flowcapd did not start:"
	sed 's/^/#   /' "$CAPD_LOG"
	return 1
}

# capd_stop [SIGNAL]: stop it and wait (bounded).
capd_stop() {
	kill -"${1:-TERM}" "$CAPD_PID" 2>/dev/null
	for _i in $(seq 1 100); do
		kill -0 "$CAPD_PID" 2>/dev/null || break
		sleep 0.1
	done
	kill -9 "$CAPD_PID" 2>/dev/null
	wait "$CAPD_PID" 2>/dev/null
	CAPD_PID=
}

# send FILE...: hex datagram files to the running flowcapd.
send() {
	timeout 30 "$NFSEND" 127.0.0.1 "$PORT" "$@" >/dev/null
	sleep 0.3
}

# records DIR: every record of every completed file, sorted, without "rec ".
records() {
	find "$1" -name 'flows.*' ! -name '*.current' -type f | sort |
	    xargs -r "$FFDUMP" | sed -n 's/^rec //p' | sort
}
