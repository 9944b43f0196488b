# tests/nfcapd_lib.sh -- start Debian's nfcapd (or sfcapd) on a free
# port (sourced).
#
# nfcapd_start DIR LOG [nfcapd flags...]: nfcapd -w DIR -b 127.0.0.1 on a
# port the kernel has just reported free.  If another process takes that
# port first, nfcapd cannot bind and exits, and the next free port is
# tried (5 attempts, each bounded to 5 s).  On success sets NFCAPD_PID and
# NFCAPD_PORT and returns 0; otherwise returns 1 with nfcapd's last words
# in LOG.  Needs python3 ($PY if set).  sfcapd_start takes the same
# arguments and starts nfdump's sFlow collector instead.
NFCAPD_PID=
NFCAPD_PORT=

nfcapd_start() {
	_nd=$1 _nlog=$2
	shift 2
	NFCAPD_PID=
	NFCAPD_PORT=
	for _try in 1 2 3 4 5; do
		_np=$("${PY:-/usr/bin/python3}" -c 'import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])') || return 1
		: >"$_nlog"
		"${NFCAPD_BIN:-nfcapd}" -w "$_nd" -p "$_np" -b 127.0.0.1 "$@" \
		    >"$_nlog" 2>&1 &
		NFCAPD_PID=$!
		for _i in $(seq 1 50); do
			if grep -q '^Startup' "$_nlog"; then
				NFCAPD_PORT=$_np
				return 0
			fi
			kill -0 "$NFCAPD_PID" 2>/dev/null || break
			sleep 0.1
		done
		kill "$NFCAPD_PID" 2>/dev/null
		wait "$NFCAPD_PID" 2>/dev/null
		NFCAPD_PID=
	done
	return 1
}

sfcapd_start() {
	NFCAPD_BIN=sfcapd nfcapd_start "$@"
}
