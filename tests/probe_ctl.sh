#!/bin/sh
# tests/probe_ctl.sh -- flowctl against a running flowprobe: timeouts,
# dump-flows, statistics, expire-all, delete-all, send-template,
# shutdown, unknown commands; SIGTERM exports everything; -r with -c
# ends on its own; -D, -P and -u (background, pidfile, privilege drop).
# The live cases capture UDP datagrams this test sends on the loopback
# interface, which needs root (CAP_NET_RAW): they SKIP otherwise.

: "${top_builddir:=..}" "${top_srcdir:=..}"
PROBE=$top_builddir/probe/flowprobe
CTL=$top_builddir/probe/flowctl
GEN=$top_builddir/tests/gen_pcap
SINK=$top_builddir/tests/udpsink
SEND=$top_builddir/tests/nfsend
T=$(mktemp -d) || exit 1
pids=
cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null; done
	[ -s "$T/d/pid" ] && kill "$(cat "$T/d/pid")" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); echo "not ok $n - $1"; }
check() { if eval "$2"; then ok "$1"; else notok "$1"; fi; }
skip() { n=$((n + 1)); echo "ok $n # SKIP $1"; }

# wait_for SECONDS COMMAND...: until COMMAND succeeds; false on timeout
wait_for() {
	w=$(($1 * 20))
	shift
	while [ $w -gt 0 ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.05
		w=$((w - 1))
	done
	return 1
}
ctl() { timeout 10 "$CTL" -c "$T/ctl" "$@"; }
# Bounded background commands this test signals itself (a variable,
# not a function: "func &" would fork a subshell and $! would name it).
# --foreground: timeout passes a signal to the command only, not to its
# process group (under ASan a signal reaching LeakSanitizer's exit-time
# tracer can deadlock it); -k: SIGKILL 5 s after any signal.
BG="timeout --foreground -k 5 60"
# send COUNT datagrams of 4 payload bytes (32 bytes of IP) from one port
send() {
	i=0
	while [ $i -lt "$1" ]; do echo 00112233; i=$((i + 1)); done |
	    "$SEND" 127.0.0.1 "$uport" - >/dev/null
}
# gone PID: exited (a zombie counts: the sandbox init may not reap)
gone() {
	! kill -0 "$1" 2>/dev/null || grep -q "^State:.*Z" "/proc/$1/status"
}
flows_are() { ctl dump-flows | grep -q "$1"; }

# ---- -r with -c: serves between batches, exits at the end of file ----
"$GEN" bulk "$T/bulk.pcap" 50000 2000 3 || exit 1
timeout 30 "$PROBE" -r "$T/bulk.pcap" -c "$T/rctl" >/dev/null 2>"$T/r.err"
rc=$?
check "-r with -c ends at end of file and removes the socket" \
    '[ $rc = 0 ] && [ ! -e "$T/rctl" ] &&
     grep -q "^Packets accounted: 50000 " "$T/r.err"'
timeout 10 "$CTL" -c "$T/rctl" statistics >/dev/null 2>"$T/c.err"
rc=$?
check "flowctl without a flowprobe: exit 1 and a message" \
    '[ $rc = 1 ] && grep -q "^flowctl: $T/rctl: No such file" "$T/c.err"'
timeout 10 "$CTL" >/dev/null 2>&1
check "flowctl without a command: usage, exit 2" '[ $? = 2 ]'

# ---- live on lo ----
# The datagrams' destination: a port the kernel gives a receiver this
# test holds open (tests/udpsink -p 0), so no other test sends to it.
uport=
start_uport() {
	$BG "$SINK" -P "$T/uport" -i 60000 -t 60000 >/dev/null &
	pids="$pids $!"
	wait_for 5 test -s "$T/uport" && uport=$(cat "$T/uport")
}
start_probe() {	# extra args...
	rm -f "$T/sink.port"
	$BG "$SINK" -P "$T/sink.port" -i 60000 -t 50000 \
	    -w "$T/sink.pcap" >"$T/sink.out" &
	sinkpid=$!
	pids="$pids $sinkpid"
	wait_for 5 test -s "$T/sink.port"
	$BG "$PROBE" -i lo -c "$T/ctl" -t udp=1h \
	    -n 127.0.0.1:"$(cat "$T/sink.port")" "$@" \
	    "udp and dst port $uport" >"$T/fp.out" 2>"$T/fp.err" &
	fppid=$!
	pids="$pids $fppid"
	wait_for 5 ctl timeouts
}
if [ "$(id -u)" != 0 ] || ! start_uport || ! start_probe; then
	echo "# live capture on lo not permitted here:"
	sed 's/^/# /' "$T/fp.err" 2>/dev/null
	for i in 1 2 3 4 5 6 7 8 9 10 11 12 13; do
		skip "live capture on lo needs root"
	done
	echo "1..$n"
	exit 0
fi

check "timeouts lists the -t values" \
    'ctl timeouts >"$T/to" && grep -q "^udp      = 3600.000s$" "$T/to" &&
     grep -q "^active   = 1800.000s$" "$T/to"'
send 3
wait_for 5 flows_are "pkts=3"
ctl dump-flows >"$T/df"
check "dump-flows shows the one active flow" \
    '[ "$(head -1 "$T/df")" = "# 1 active flows" ] && [ $(wc -l <"$T/df") = 2 ] &&
     grep -q "proto=17 127.0.0.1:[0-9]* > 127.0.0.1:$uport pkts=3 bytes=96 flags=0x00 tos=0 vlan=0 if=[0-9]* end=active$" "$T/df"'
ctl statistics >"$T/st"
check "statistics: packets, flows, export" \
    'grep -q "^Packets accounted: 3 (96 octets)$" "$T/st" &&
     grep -q "^Flows created: 1$" "$T/st" &&
     grep -q "^Ignored frames: 0 (0 non-IP, 0 truncated, 0 malformed)$" "$T/st" &&
     grep -q "^Packets dropped by libpcap: " "$T/st" &&
     grep -q "^Export: NetFlow v9 to 1 destination: 1 datagrams (1 with templates), 0 records" "$T/st"'
ctl bogus >"$T/bo"
rc=$?
check "an unknown command is an error (exit 1)" \
    '[ $rc = 1 ] && grep -q "^error: unknown command \"bogus\"$" "$T/bo"'
check "expire-all expires and exports the flow" \
    '[ "$(ctl expire-all)" = "expired 1 flows" ] && ctl statistics >"$T/st2" &&
     grep -q "^Number of active flows: 0 " "$T/st2" &&
     grep -q "^Flows expired: 1 (1 forced, 0 for lack of resources)$" "$T/st2" &&
     grep -q "^Export: NetFlow v9 to 1 destination: 2 datagrams (1 with templates), 1 records" "$T/st2"'
send 2
wait_for 5 flows_are "pkts=2"
check "delete-all drops the flow without exporting it" \
    '[ "$(ctl delete-all)" = "deleted 1 flows" ] && ctl statistics >"$T/st3" &&
     grep -q "^Flows deleted without export (delete-all): 1$" "$T/st3" &&
     grep -q " 1 records, " "$T/st3"'
send 1
wait_for 5 flows_are "pkts=1"
check "send-template: the next datagram carries the templates" \
    'ctl send-template >/dev/null && ctl expire-all >/dev/null &&
     ctl statistics | grep -q "^Export: .*: [0-9]* datagrams (2 with templates), 2 records"'
send 4
wait_for 5 flows_are "pkts=4"
check "shutdown: replies, exports the active flow and exits 0" \
    '[ "$(ctl shutdown)" = "shutting down" ] && wait $fppid &&
     grep -q "^Export: .*: [0-9]* datagrams (2 with templates), 3 records" "$T/fp.err" &&
     [ ! -e "$T/ctl" ]'
kill $sinkpid 2>/dev/null
wait $sinkpid
if command -v tshark >/dev/null 2>&1; then
	check "the collector side saw those 3 records (3, 1 and 4 packets)" \
	    '[ "$(tshark -r "$T/sink.pcap" -d udp.port==$(cat "$T/sink.port"),cflow \
		-T fields -e cflow.packets 2>/dev/null | grep . | tr "\n" " ")" = "3 1 4 " ]'
else
	skip "tshark not installed"
fi

# SIGTERM exports everything too; a second flowprobe cannot take the socket
start_probe -v 10
send 2
wait_for 5 flows_are "pkts=2"
timeout 10 "$PROBE" -i lo -c "$T/ctl" >/dev/null 2>"$T/dup.err"
rc=$?
check "a second flowprobe on the same socket is refused" \
    '[ $rc = 1 ] && grep -q "in use by another process" "$T/dup.err"'
kill -TERM $fppid
wait $fppid
rc=$?
check "SIGTERM: exit 0 after exporting the active flow" \
    '[ $rc = 0 ] && grep -q "^Export: IPFIX .* 1 records" "$T/fp.err" &&
     grep -q "^Flows expired: 1 (1 forced" "$T/fp.err"'
kill $sinkpid 2>/dev/null
wait $sinkpid

# -D -P -u: background, pidfile, privileges dropped, files removed at exit
chmod 711 "$T"
mkdir "$T/d" && chmod 777 "$T/d"
user=nobody
id "$user" >/dev/null 2>&1 || user=$(id -un)
timeout 10 "$PROBE" -D -i lo -c "$T/d/ctl" -P "$T/d/pid" -u "$user" \
    "udp and dst port $uport" 2>"$T/dmn.err"
rc=$?
wait_for 5 test -s "$T/d/pid"
dpid=$(cat "$T/d/pid" 2>/dev/null)
check "-D returns at once; the pidfile names the daemon, running as $user" \
    '[ $rc = 0 ] && [ -n "$dpid" ] && kill -0 "$dpid" &&
     [ "$(awk "/^Uid:/ { print \$2 }" /proc/$dpid/status)" = "$(id -u "$user")" ]'
check "flowctl shutdown ends the daemon; pidfile and socket are removed" \
    'timeout 10 "$CTL" -c "$T/d/ctl" shutdown >/dev/null &&
     wait_for 5 test ! -e "$T/d/pid" && wait_for 5 gone "$dpid" &&
     [ ! -e "$T/d/ctl" ]'

echo "1..$n"
