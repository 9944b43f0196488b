#!/bin/sh
# tests/flowcapd_instance.sh -- one collector per directory and per port,
# and the daemon's pidfile: a second flowcapd on the same data directory
# or on a port already bound refuses to start (non-zero exit, a message
# naming the other process or the port) and the first one goes on
# storing everything; the lock is free again after a clean stop.
# flowcapd -D -P rel.pid -c rel.ctl -l reldir in a scratch directory puts
# the pidfile and the control socket where they were asked for (not in
# /), -x commands run in the data directory, a held pidfile is refused
# with the holder's pid, a start-up failure after detaching reaches the
# terminal and the exit status.  About 4 seconds.
: "${top_srcdir:=.}" "${top_builddir:=.}"
# absolute: part of the test runs from a scratch directory
top_srcdir=$(cd "$top_srcdir" && pwd)
top_builddir=$(cd "$top_builddir" && pwd)
tmp=$(mktemp -d) || exit 1
. "$top_srcdir/tests/flowcapd_lib.sh"
DPID=
# daemons this run started (their command lines hold $tmp), even ones
# that should have been refused but were not
reap() {
	for p in /proc/[0-9]*; do
		cat "$p/cmdline" 2>/dev/null | tr '\0' ' ' | grep -q "$tmp" &&
		    kill -9 "${p#/proc/}" 2>/dev/null
	done
}
trap 'reap; cleanup' EXIT
trap 'exit 1' INT TERM
FLOWCTL=$top_builddir/probe/flowctl

printf '0005000200000064%08x00000000000000000000000000' "$(date +%s)" \
    >"$tmp/v5.hex"
for r in 1 2; do
	printf '0a00000%d0a0000fe000000000001000200000003000001f4' $r
	printf '00000032000000640400005000001b060000000000000000'
done >>"$tmp/v5.hex"
echo >>"$tmp/v5.hex"

echo "1..12"

# 1-4: same directory, same port
mkdir "$tmp/a" "$tmp/b"
capd_start "$tmp/a" || exit 0
first=$CAPD_PID
timeout 5 "$CAPD" -l "$tmp/a" -p 0 -b 127.0.0.1 >"$tmp/dir2.log" 2>&1
st=$?
[ $st -ne 0 ] && grep -q "another flowcapd collects into this directory" \
    "$tmp/dir2.log" && grep -q "(pid $first)" "$tmp/dir2.log"
ok $? "same directory: refused, exit $st, naming pid $first"
timeout 5 "$CAPD" -l "$tmp/b" -p "$PORT" -b 127.0.0.1 >"$tmp/port2.log" 2>&1
st1=$?
timeout 5 "$CAPD" -l "$tmp/b" -p "$PORT" >"$tmp/port3.log" 2>&1
st2=$?
[ $st1 -ne 0 ] && [ $st2 -ne 0 ] &&
    grep -q "port $PORT: Address already in use (another collector" \
    "$tmp/port2.log" && grep -q "port $PORT: Address already in use" \
    "$tmp/port3.log"
ok $? "same port (same address, and the wildcard): refused, exit $st1/$st2"
! find "$tmp/b" -name 'flows.*' | grep -q . && ! ls "$tmp/a" | grep -q -v \
    -e '^flows\.' -e '^\.flowcapd' 
ok $? "the refused ones wrote nothing"
send "$tmp/v5.hex"
send "$tmp/v5.hex"
capd_stop
[ "$(records "$tmp/a" | wc -l)" -eq 4 ]
ok $? "the first collector got every datagram"

# 5: the lock is free after a clean stop (the lock file stays, empty)
capd_start "$tmp/a"
st=$?
capd_stop
[ $st -eq 0 ] && [ -f "$tmp/a/.flowcapd.lock" ] && [ ! -s "$tmp/a/.flowcapd.lock" ]
ok $? "after a stop the directory can be used again"

# 6-11: -D with relative paths, run from a scratch directory
mkdir "$tmp/scratch" "$tmp/scratch/data"
cd "$tmp/scratch" || exit 1
timeout 10 "$CAPD" -D -P rel.pid -c rel.ctl -l data -p 0 -b 127.0.0.1 -t 2 \
    -x 'echo %f >>x-ran-here' >"$tmp/d.out" 2>&1
st=$?
DPID=$(cat rel.pid 2>/dev/null)
[ $st -eq 0 ] && [ -n "$DPID" ] && kill -0 "$DPID" 2>/dev/null &&
    [ "$DPID" != "$$" ] && [ ! -e /rel.pid ] &&
    grep -q "listening on port" "$tmp/d.out"
ok $? "-D -P rel.pid: exit 0 after start-up, pidfile here names the daemon"
[ -S rel.ctl ] && timeout 10 "$FLOWCTL" -c rel.ctl statistics >"$tmp/stats" 2>&1 &&
    grep -q "pid $DPID," "$tmp/stats" && [ ! -e /rel.ctl ]
ok $? "-c rel.ctl: the control socket is here and answers"
PORT=$(sed -n 's/.*listening on port \([0-9]*\).*/\1/p' "$tmp/d.out")
timeout 10 "$CAPD" -D -P rel.pid -l "$tmp/b" -p 0 -b 127.0.0.1 >"$tmp/d2.out" 2>&1
st=$?
[ $st -ne 0 ] && grep -q "rel.pid: already running (pid $DPID)" "$tmp/d2.out"
ok $? "a second -D with the same pidfile: refused on the terminal, exit $st"
timeout 10 "$CAPD" -D -l "$tmp/b" -p 0 -b 127.0.0.1 -u no-such-user-flowkit \
    >"$tmp/d3.out" 2>&1
st=$?
[ $st -ne 0 ] && grep -q "no-such-user-flowkit" "$tmp/d3.out"
ok $? "a failure after detaching (-u unknown): message and exit $st"
send "$tmp/v5.hex"
# -t 2: a file completes within 2 s; -x runs in the data directory
for _i in $(seq 1 50); do
	[ -s data/x-ran-here ] && break
	sleep 0.1
done
[ -s data/x-ran-here ] && [ ! -e x-ran-here ]
ok $? "-x commands run in the data directory"
kill "$DPID"
for _i in $(seq 1 50); do
	kill -0 "$DPID" 2>/dev/null || break
	sleep 0.1
done
kill -0 "$DPID" 2>/dev/null
alive=$?
DPID=
[ $alive -ne 0 ] && [ ! -e rel.pid ] && [ ! -e rel.ctl ] &&
    ! find data -name '*.current' | grep -q . &&
    [ "$(records data | wc -l)" -eq 2 ]
ok $? "SIGTERM: pidfile and socket removed, no .current left, flows stored"
cd "$tmp" || exit 1

# 12: the lock file of a directory owned by another process is not
# taken over even when that process cannot be signalled (a plain flock)
mkdir "$tmp/c"
flock "$tmp/c/.flowcapd.lock" sleep 3 &
FL=$!
sleep 0.3
timeout 5 "$CAPD" -l "$tmp/c" -p 0 -b 127.0.0.1 >"$tmp/c.log" 2>&1
st=$?
kill "$FL" 2>/dev/null
wait "$FL" 2>/dev/null
[ $st -ne 0 ] && grep -q "another flowcapd collects into this directory" \
    "$tmp/c.log"
ok $? "a lock held by any process is respected"
exit 0
