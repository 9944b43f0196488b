#!/bin/sh
# tests/flowcapd_burst.sh -- a collector on defaults loses nothing of a
# burst: softflowd -r replays a generated capture (300,000 packets,
# 152,201 flows) unpaced, as NetFlow v9 and as IPFIX, into a flowcapd
# started with no tuning at all (no -B, no -Q), and every flow softflowd
# says it exported is in the files; the rotation line reports no socket
# and no queue drops.  SKIP without softflowd.  Also the defaults
# themselves: as root a 16 MiB receive buffer and a real-time receive
# thread; without root (setpriv to nobody) one warning naming
# net.core.rmem_max and the size obtained when that sysctl is lower.
# About 5 seconds.
: "${top_srcdir:=.}" "${top_builddir:=.}"
tmp=$(mktemp -d) || exit 1
. "$top_srcdir/tests/flowcapd_lib.sh"
trap cleanup EXIT
trap 'exit 1' INT TERM

# stored DIR: records in every completed file
stored() {
	find "$1" -name 'flows.*' ! -name '*.current' -type f | sort |
	    xargs -r "$FFDUMP" -q | sed -n 's/^# file .* records=\([0-9]*\) .*/\1/p' |
	    awk '{s += $1} END {print s + 0}'
}

# start_default DIR [wrapper...]: flowcapd with nothing but -l, -p 0 and
# a loopback address; sets CAPD_PID, PORT, CAPD_LOG (DIR.log)
start_default() {
	d=$1
	shift
	CAPD_LOG=$d.log
	"$@" "$CAPD" -l "$d" -p 0 -b 127.0.0.1 >"$CAPD_LOG" 2>&1 &
	CAPD_PID=$!
	PORT=
	for _i in $(seq 1 100); do
		PORT=$(sed -n 's/.*listening on port \([0-9]*\).*/\1/p' "$CAPD_LOG")
		[ -n "$PORT" ] && return 0
		kill -0 "$CAPD_PID" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}

echo "1..6"

# 1-2: the defaults themselves
want=16777216
rmem=$(cat /proc/sys/net/core/rmem_max 2>/dev/null || echo 0)
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null &&
    id nobody >/dev/null 2>&1; then
	mkdir "$tmp/root"
	start_default "$tmp/root"
	capd_stop
	grep -q "receive buffer $want bytes, receive thread real-time" \
	    "$tmp/root.log" && ! grep -q "rmem_max" "$tmp/root.log"
	ok $? "as root: a $want-byte buffer and a real-time receive thread"
	mkdir "$tmp/user"
	chmod 755 "$tmp"
	chmod 777 "$tmp/user"
	start_default "$tmp/user" setpriv --reuid=nobody --regid=nogroup \
	    --clear-groups
	capd_stop
	if [ "$rmem" -lt "$want" ]; then
		[ "$(grep -c 'rmem_max' "$tmp/user.log")" -eq 1 ] &&
		    grep -q "socket receive buffer is $rmem bytes, not the $want asked by default: without root the kernel caps it at net.core.rmem_max ($rmem).*sysctl -w net.core.rmem_max=$want" "$tmp/user.log" &&
		    grep -q "receive buffer $rmem bytes, receive thread normal priority" "$tmp/user.log"
		ok $? "without root: one warning naming net.core.rmem_max ($rmem) and the size obtained"
	else
		! grep -q "rmem_max" "$tmp/user.log" &&
		    grep -q "receive buffer $want bytes" "$tmp/user.log"
		ok $? "without root, rmem_max $rmem: $want bytes and no warning"
	fi
else
	skip "needs root, setpriv and a nobody user"
	skip "needs root, setpriv and a nobody user"
fi

# 3-6: the burst
if ! command -v softflowd >/dev/null; then
	for i in 1 2 3 4; do skip "softflowd not installed"; done
	exit 0
fi
timeout 60 "$top_builddir/tests/gen_pcap" bulk "$tmp/cap.pcap" 300000 20000 1 ||
    { echo "Bail out! gen_pcap failed"; exit 1; }
for v in 9 10; do
	d=$tmp/v$v
	mkdir "$d"
	start_default "$d"
	timeout 60 softflowd -r "$tmp/cap.pcap" -n "127.0.0.1:$PORT" -v $v -6 \
	    >"$d.sf.log" 2>&1
	sent=$(sed -n 's/^Flows exported: \([0-9]*\).*/\1/p' "$d.sf.log")
	sleep 1
	capd_stop
	got=$(stored "$d")
	[ "${sent:-0}" -ge 75000 ] && [ "$got" -eq "$sent" ]
	ok $? "v$v: burst of ${sent:-?} flows into a default flowcapd: $got stored"
	grep -q 'socket drops 0, queue drops 0,' "$d.log" &&
	    ! grep -q 'data lost' "$d.log"
	ok $? "v$v: no socket or queue drops reported"
	if [ "$got" != "$sent" ]; then
		grep -E 'drops|lost|listening' "$d.log" | sed 's/^/# /'
	fi
done
exit 0
