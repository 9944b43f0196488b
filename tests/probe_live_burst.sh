#!/bin/sh
# tests/probe_live_burst.sh -- flowprobe -i lo takes packets from the
# kernel in blocks (TPACKET_V3) and keeps their own timestamps: a burst
# of datagrams sent as fast as tests/nfsend can is one flow holding
# every datagram (or the kernel counts the missing ones as dropped), and
# the flow's first and last times fall inside the sending window.
# Needs root (CAP_NET_RAW) to capture on lo: SKIPs otherwise.  About 2 s.

: "${top_builddir:=..}"
PROBE=$top_builddir/probe/flowprobe
SEND=$top_builddir/tests/nfsend
SINK=$top_builddir/tests/udpsink
T=$(mktemp -d) || exit 1
pids=
trap 'for p in $pids; do kill "$p" 2>/dev/null; done; rm -rf "$T"' EXIT INT TERM

N=5000
echo "1..3"
skipall() {
	for i in 1 2 3; do echo "ok $i # SKIP $1"; done
	exit 0
}
[ "$(id -u)" = 0 ] || skipall "live capture on lo needs root"

# the datagrams' destination: a port a receiver of ours holds
timeout -k 5 60 "$SINK" -P "$T/port" -i 60000 -t 60000 >/dev/null &
pids="$pids $!"
i=0
while [ ! -s "$T/port" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
PORT=$(cat "$T/port")
timeout -k 5 60 "$PROBE" -i lo -d udp and dst port "$PORT" \
    >"$T/out" 2>"$T/err" &
PID=$!
pids="$pids $PID"
sleep 1
if ! kill -0 "$PID" 2>/dev/null; then
	grep -qiE 'permission|not permitted' "$T/err" &&
	    skipall "cannot capture on lo: $(head -1 "$T/err")"
	for i in 1 2 3; do echo "not ok $i - flowprobe -i lo ended early"; done
	sed 's/^/# /' "$T/err"
	exit 1
fi

i=0
while [ $i -lt $N ]; do echo 0011223344556677; i=$((i + 1)); done >"$T/dg"
t0=$(date +%s%3N)
"$SEND" 127.0.0.1 "$PORT" "$T/dg" >/dev/null
t1=$(date +%s%3N)
sleep 0.5				# longer than a block may wait
kill -TERM "$PID"
wait "$PID"
rc=$?
pids=

if [ $rc -eq 0 ]; then echo "ok 1 - exit 0 after SIGTERM"; else
	echo "not ok 1 - exit $rc after SIGTERM"; fi
acc=$(sed -n 's/^Packets accounted: \([0-9]*\) .*/\1/p' "$T/err")
drop=$(sed -n 's/^Packets dropped by libpcap: \([0-9]*\) .*/\1/p' "$T/err")
if [ -n "$acc" ] && [ -n "$drop" ] && [ "$acc" -le $N ] &&
    [ $((acc + drop)) -ge $N ] && [ "$acc" -gt 0 ]; then
	echo "ok 2 - $acc of $N datagrams accounted, $drop dropped by the kernel"
else
	echo "not ok 2 - $acc of $N datagrams accounted, $drop dropped"
	sed 's/^/# /' "$T/err"
fi
# one line: "first last proto=17 src > dst pkts=..."; times in s.ms
if [ "$(wc -l <"$T/out")" -eq 1 ] && awk -v t0="$t0" -v t1="$t1" \
    -v n="$acc" '{
	split($1, a, "."); split($2, b, ".")
	f = a[1] * 1000 + a[2]; l = b[1] * 1000 + b[2]
	ok = f >= t0 && l <= t1 && f <= l && $7 == "pkts=" n
    } END { exit !ok }' "$T/out"; then
	echo "ok 3 - one flow, first and last packet inside the sending window"
else
	echo "not ok 3 - one flow inside the sending window [$t0, $t1]"
	sed 's/^/# /' "$T/out"
fi
