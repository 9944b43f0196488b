#!/bin/sh
# tests/flowcapd_loss.sh -- what flowcapd cannot store is counted exactly
# and reported, with its cause and its cure, where an operator looks: the
# rotation line, flowctl statistics (-c) and the exit summary.
#  - kernel drops: flowcapd is stopped (SIGSTOP) with a small -B while
#    3000 datagrams arrive; afterwards received + dropped = sent, the
#    flows stored match, and each report says "raise -B or
#    net.core.rmem_max" (the drops come at the end of the burst, with no
#    datagram after them to carry SO_RXQ_OVFL);
#  - the exporter limit: 6000 exporters (one v5 datagram each, from
#    127.1.x.y) into a default flowcapd keep 4096 and refuse exactly
#    1904 datagrams (3808 flows), counted once each; --max-exporters 100
#    with 150 exporters refuses exactly 50; bad values are refused.
# About 6 seconds.
: "${top_srcdir:=.}" "${top_builddir:=.}"
tmp=$(mktemp -d) || exit 1
. "$top_srcdir/tests/flowcapd_lib.sh"
trap 'kill -CONT "$CAPD_PID" 2>/dev/null; cleanup' EXIT
trap 'exit 1' INT TERM
FLOWCTL=$top_builddir/probe/flowctl
PY=$(command -v python3 || echo /usr/bin/python3)

# v5 datagram with two records
printf '0005000200000064%08x00000000000000000000000000' "$(date +%s)" \
    >"$tmp/v5.hex"
for r in 1 2; do
	printf '0a00000%d0a0000fe000000000001000200000003000001f4' $r
	printf '00000032000000640400005000001b060000000000000000'
done >>"$tmp/v5.hex"
echo >>"$tmp/v5.hex"
for i in $(seq 1 3000); do cat "$tmp/v5.hex"; done >"$tmp/v5x3000.hex"

# stat NAME: the number after "NAME: " in the statistics reply
stat() {
	sed -n "s/^$1: \\([0-9]*\\).*/\\1/p" "$tmp/stats"
}

# settle FILE PATTERN: wait (at most ~10 s) until FILE has PATTERN; on a
# loaded machine a rotation or a tick can take longer than a fixed sleep
settle() {
	for i in $(seq 1 40); do
		grep -q "$2" "$1" 2>/dev/null && return 0
		sleep 0.25
	done
	return 1
}

echo "1..10"

# 1-4: kernel drops while the collector cannot run
mkdir "$tmp/k"
capd_start "$tmp/k" -B 64k -c "$tmp/k.ctl" || exit 0
kill -STOP "$CAPD_PID"
timeout 30 "$NFSEND" 127.0.0.1 "$PORT" "$tmp/v5x3000.hex" >/dev/null
kill -CONT "$CAPD_PID"
# The receive thread reads the kernel's drop count once per tick (100 ms)
# and drains the buffer first; on a loaded machine that can take longer
# than a fixed sleep, so ask until the two add up (at most ~10 s).
for i in $(seq 1 40); do
	sleep 0.25
	timeout 10 "$FLOWCTL" -c "$tmp/k.ctl" statistics >"$tmp/stats" 2>&1
	drops=$(stat "Socket drops (kernel)")
	recv=$(stat "Datagrams received")
	[ $((${recv:-0} + ${drops:-0})) -eq 3000 ] && [ "${drops:-0}" -gt 0 ] &&
	    break
done
[ "${drops:-0}" -gt 0 ] && [ $((recv + drops)) -eq 3000 ] &&
    grep -q "^Socket drops (kernel): $drops: $drops datagrams dropped by the kernel (socket receive buffer of 65536 bytes full): raise -B or net.core.rmem_max$" "$tmp/stats"
st=$?
ok $st "statistics: $recv received + ${drops:-?} dropped = 3000 sent, with the cure"
[ $st -eq 0 ] || sed 's/^/# /' "$tmp/stats"
kill -USR1 "$CAPD_PID"
settle "$CAPD_LOG" "socket drops [0-9]*, queue drops"
grep -q "socket drops $drops, queue drops 0," "$CAPD_LOG" &&
    grep -q "flows\.[0-9]*: data lost: $drops datagrams dropped by the kernel .*raise -B or net.core.rmem_max" "$CAPD_LOG"
ok $? "rotation line: $drops socket drops, and a warning with the cure"
capd_stop
grep -q "since start: data lost: $drops datagrams dropped by the kernel .*raise -B or net.core.rmem_max" "$CAPD_LOG" &&
    grep -q "stopped: $recv datagrams received, $drops socket drops" "$CAPD_LOG"
ok $? "exit summary: the same count, with the cure"
[ "$(records "$tmp/k" | wc -l)" -eq $((2 * recv)) ]
ok $? "every received datagram's flows stored ($((2 * recv)))"

# send_from N FIRST: one v5 datagram from each of N addresses 127.1.x.y
send_from() {
	timeout 60 "$PY" - "$PORT" "$1" "$tmp/v5.hex" <<'PYEOF'
import socket, sys, time
port, n = int(sys.argv[1]), int(sys.argv[2])
dg = bytes.fromhex(open(sys.argv[3]).read().strip())
for i in range(n):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.1.%d.%d" % (i // 250, i % 250 + 1), 0))
    s.sendto(dg, ("127.0.0.1", port))
    s.close()
    if i % 500 == 499:
        time.sleep(0.01)
PYEOF
}

# 5-8: the default exporter bound
mkdir "$tmp/x"
capd_start "$tmp/x" -c "$tmp/x.ctl"
send_from 6000
for i in $(seq 1 40); do
	sleep 0.25
	timeout 10 "$FLOWCTL" -c "$tmp/x.ctl" statistics >"$tmp/stats" 2>&1
	grep -q "^Exporters: 4096 (at most 4096), 1904 datagrams refused" \
	    "$tmp/stats" && break
done
grep -q "^Exporters: 4096 (at most 4096), 1904 datagrams refused: 1904 datagrams (3808 flows) refused from new exporters (exporter table full at 4096): raise --max-exporters$" "$tmp/stats"
st=$?
ok $st "statistics: 4096 exporters kept, 1904 datagrams (3808 flows) refused, with the cure"
[ $st -eq 0 ] || grep -E '^(Exp|Sock|Data)' "$tmp/stats" | sed 's/^/# /'
kill -USR1 "$CAPD_PID"
settle "$CAPD_LOG" "4096 exporters; socket drops"
grep -q "4096 exporters; socket drops 0, queue drops 0, refused by -A 0, refused (exporter table full) 1904," "$CAPD_LOG" &&
    grep -q "flows\.[0-9]*: data lost: 1904 datagrams (3808 flows) refused from new exporters (exporter table full at 4096): raise --max-exporters" "$CAPD_LOG"
ok $? "rotation line: 1904 refused (table full), and why"
capd_stop
grep -q "totals: 4096 exporters, 4096 datagrams decoded, 8192 flows decoded: 8192 stored in .* 1904 datagrams (3808 flows) refused from new exporters" "$CAPD_LOG" &&
    grep -q "since start: data lost: 1904 datagrams (3808 flows) refused" "$CAPD_LOG"
ok $? "exit summary: 1904 refused, counted once"
[ "$(records "$tmp/x" | wc -l)" -eq 8192 ]
ok $? "the 8192 flows of the 4096 kept exporters are stored"

# 9: --max-exporters
mkdir "$tmp/m"
capd_start "$tmp/m" --max-exporters 100
send_from 150
sleep 0.5
capd_stop
grep -q "totals: 100 exporters, 100 datagrams decoded, 200 flows decoded: 200 stored in .* 50 datagrams (100 flows) refused from new exporters" "$CAPD_LOG" &&
    [ "$(records "$tmp/m" | wc -l)" -eq 200 ]
ok $? "--max-exporters 100: 150 exporters, 100 kept, 50 refused"

# 10: bad values
st=0
for v in 0 65537 abc -5 ''; do
	timeout 5 "$CAPD" -l "$tmp/m" -p 0 -b 127.0.0.1 --max-exporters "$v" \
	    >/dev/null 2>"$tmp/e" && st=1
	grep -q -- "--max-exporters" "$tmp/e" || st=1
done
ok $st "--max-exporters 0, 65537, abc, -5 and '' refused by name"
exit 0
