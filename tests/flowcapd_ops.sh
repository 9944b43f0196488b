#!/bin/sh
# tests/flowcapd_ops.sh -- flowcapd's operations: UTC slot names with -t
# and -S, -x with its placeholders, SIGUSR1 rotation, -A, a flood of
# malformed datagrams, kill -9 in the middle of a file and recovery at the
# next start, flowexpire, and bad flags.
: "${top_srcdir:=.}" "${top_builddir:=.}"
tmp=$(mktemp -d) || exit 1
. "$top_srcdir/tests/flowcapd_lib.sh"
trap cleanup EXIT
trap 'exit 1' INT TERM
EXPIRE=$top_builddir/collector/flowexpire

# one v5 datagram with two records (sampling interval 0), from the
# codec tests' hand-checked layout: header + 2 x 48 bytes
v5() {
	printf '0005000200000064%08x000000000000000%x00000000' \
	    "$(date +%s)" "$1"
	for r in 1 2; do
		printf '0a00000%d0a0000fe000000000001000200000003000001f4' $r
		printf '00000032000000640400005000001b060000000000000000'
	done
	echo
}
v5 1 >"$tmp/v5a.hex"

echo "1..27"

# 1-5: -t 2 -S 1 rotation names and -x
mkdir "$tmp/rot"
capd_start "$tmp/rot" -t 2 -S 1 -I edge1 \
    -x "echo %f %t %d %i >>$tmp/x.log"
for i in 1 2 3 4 5 6 7 8 9 10; do
	timeout 5 "$NFSEND" 127.0.0.1 "$PORT" "$tmp/v5a.hex" >/dev/null
	sleep 0.5
done
capd_stop
sleep 0.5
find "$tmp/rot" -name 'flows.*' -type f | sort >"$tmp/rot.files"
n=$(wc -l <"$tmp/rot.files")
[ "$n" -ge 3 ]
ok $? "-t 2 rotates: $n files in 5 seconds"
bad=0
while read -r f; do
	name=${f##*/}
	ts=${name#flows.}
	sec=$(printf %s "$ts" | cut -c13-14)
	dir=$(printf %s "$ts" | sed 's|^\(....\)\(..\)\(..\).*|\1/\2/\3|')
	case $f in "$tmp/rot/$dir/flows."??????????????) ;; *) bad=1 ;; esac
	[ $((1$sec % 2)) -eq 0 ] || bad=1
	when=$(printf %s "$ts" | sed 's|^\(....\)\(..\)\(..\)\(..\)\(..\)\(..\)$|\1-\2-\3 \4:\5:\6|')
	[ "$(TZ=UTC date -d "$when UTC" +%Y%m%d%H%M%S)" = "$ts" ] || bad=1
done <"$tmp/rot.files"
ok $bad "names are flows.YYYYMMDDhhmmss (UTC, even seconds) under YYYY/MM/DD"
! find "$tmp/rot" -name '*.current' | grep -q .
ok $? "no temporary file left after a clean stop"
n2=$(wc -l <"$tmp/x.log" 2>/dev/null || echo 0)
bad=0
while read -r f t d i; do
	[ -f "$f" ] && [ "$d" = "$tmp/rot" ] && [ "$i" = edge1 ] &&
	    [ "${f##*/}" = "flows.$t" ] || bad=1
done <"$tmp/x.log"
[ "$n2" -eq "$n" ] && [ $bad -eq 0 ]
ok $? "-x ran once per completed file with %f %t %d %i ($n2 runs)"
[ "$(records "$tmp/rot" | wc -l)" -eq 20 ]
ok $? "all 20 records of the 10 datagrams are in the rotated files"

# 6-8: SIGUSR1 rotates now; the second file of the slot is named with seconds
mkdir "$tmp/hup"
capd_start "$tmp/hup"
send "$tmp/v5a.hex"
kill -USR1 "$CAPD_PID"
sleep 0.5
send "$tmp/v5a.hex"
capd_stop
ls "$tmp/hup" | grep '^flows\.' >"$tmp/hup.files"
[ "$(wc -l <"$tmp/hup.files")" -eq 2 ] &&
    grep -q '^flows\.[0-9]\{12\}$' "$tmp/hup.files" &&
    grep -q '^flows\.[0-9]\{14\}$' "$tmp/hup.files"
ok $? "SIGUSR1: two files, the slot's name and one with seconds"
[ "$(records "$tmp/hup" | wc -l)" -eq 4 ]
ok $? "SIGUSR1 lost nothing"
[ "$(cat "$tmp/capd.pid" 2>/dev/null)" = "" ] || [ ! -f "$tmp/capd.pid" ]
ok $? "pid file removed at exit"

# 9-10: -A
mkdir "$tmp/acl"
capd_start "$tmp/acl" -A 127.0.0.1/32
timeout 5 "$NFSEND" -b 127.0.0.2 127.0.0.1 "$PORT" "$tmp/v5a.hex" \
    "$tmp/v5a.hex" >/dev/null
send "$tmp/v5a.hex"
capd_stop
[ "$(records "$tmp/acl" | wc -l)" -eq 2 ] &&
    ! records "$tmp/acl" | grep -q 127.0.0.2
ok $? "-A: only the allowed exporter's records are stored"
grep -q "refused by -A 2" "$CAPD_LOG"
ok $? "-A: the two datagrams from 127.0.0.2 are counted"

# 11: an IPv6 exporter, on a second socket bound to ::1 (same port);
# with -W N in $CAPD_FLAGS (flowcapd_workers.sh), N of each
capd_workers=$(echo " ${CAPD_FLAGS:-}" | sed -n 's/.* -W *\([0-9]*\).*/\1/p')
capd_workers=${capd_workers:-1}
mkdir "$tmp/v6"
capd_start "$tmp/v6" -b ::1
timeout 5 "$NFSEND" ::1 "$PORT" "$tmp/v5a.hex" >/dev/null
send "$tmp/v5a.hex"
capd_stop
[ "$(records "$tmp/v6" | grep -c 'from=::1/v5/0$')" -eq 2 ] &&
    [ "$(records "$tmp/v6" | grep -c 'from=127.0.0.1/v5/0$')" -eq 2 ] &&
    grep -q "($((2 * capd_workers)) sockets" "$CAPD_LOG"
ok $? "IPv4 and IPv6 exporters on two sockets sharing one port"

# 12-14: a flood of malformed datagrams
mkdir "$tmp/flood"
capd_start "$tmp/flood" -B 8M
timeout 60 "$NFSEND" -i 20 -g 3000:7 127.0.0.1 "$PORT" >/dev/null
send "$tmp/v5a.hex"
kill -0 "$CAPD_PID"
ok $? "flowcapd still running after 3000 hostile datagrams"
capd_stop
grep -q "totals: .* 3000 malformed datagrams" "$CAPD_LOG"
ok $? "every hostile datagram counted as malformed, exactly 3000"
grep -q "stopped: 3001 datagrams received, 0 socket drops, 0 queue drops" "$CAPD_LOG" &&
    [ "$(records "$tmp/flood" | wc -l)" -eq 2 ]
st=$?
ok $st "and the one good datagram after them was stored"
[ $st -eq 0 ] || sed 's/^/# /' "$CAPD_LOG" | tail -5

# 15-18: kill -9 in the middle of a file
mkdir "$tmp/crash"
capd_start "$tmp/crash"
for i in 1 2 3 4 5; do send "$tmp/v5a.hex"; done
# -F 1: blocks are written every second; wait until all ten records are
# in written blocks (bounded), then kill in the middle of the file
for _i in $(seq 1 100); do
	cur=$(find "$tmp/crash" -name '*.current')
	[ -n "$cur" ] && "$FFDUMP" -q "$cur" 2>/dev/null |
	    grep -q "records=10 " && break
	sleep 0.1
done
capd_stop KILL
cur=$(find "$tmp/crash" -name '*.current')
[ -n "$cur" ] && "$FFDUMP" "$cur" >"$tmp/crash.dump" 2>&1 &&
    grep -q "clean=0 records=10" "$tmp/crash.dump" &&
    [ "$(grep -c '^rec ' "$tmp/crash.dump")" -eq 10 ]
st=$?
ok $st "after kill -9 every written block of the temporary file is readable"
[ $st -eq 0 ] || sed 's/^/# /' "$tmp/crash.dump" | grep -v '^# rec'

capd_start "$tmp/crash"
grep -q "not closed cleanly: recovered [0-9]* blocks, 10 flows" "$CAPD_LOG"
st=$?
ok $st "restart recovers the leftover and says so"
[ $st -eq 0 ] || sed 's/^/# /' "$CAPD_LOG"
send "$tmp/v5a.hex"
capd_stop
! find "$tmp/crash" -name '*.current' | grep -q .
ok $? "no temporary file left behind"
"$FFDUMP" -q "$tmp"/crash/flows.* >"$tmp/crash.meta" 2>&1
[ "$(grep -c 'clean=1' "$tmp/crash.meta")" -eq 2 ] &&
    [ "$(records "$tmp/crash" | wc -l)" -eq 12 ]
ok $? "recovered file closed cleanly under its final name, next file beside it"

# 19-21: -D with -P, and -R repeating to a second flowcapd (free ports:
# both print theirs, the daemon before it detaches)
mkdir "$tmp/dmn" "$tmp/rep"
"$CAPD" -l "$tmp/rep" -p 0 -b 127.0.0.1 -F 1 >"$tmp/rep.log" 2>&1 &
REP=$!
p2=
for _i in $(seq 1 100); do
	p2=$(sed -n 's/.*listening on port \([0-9]*\).*/\1/p' "$tmp/rep.log")
	[ -n "$p2" ] && break
	sleep 0.1
done
timeout 20 "$CAPD" -D -P "$tmp/dmn.pid" -l "$tmp/dmn" -p 0 -b 127.0.0.1 -F 1 \
    -R "127.0.0.1:${p2:-9}" >"$tmp/dmn.log" 2>&1
st=$?
p1=$(sed -n 's/.*listening on port \([0-9]*\).*/\1/p' "$tmp/dmn.log")
dpid=$(cat "$tmp/dmn.pid" 2>/dev/null)
[ $st -eq 0 ] && [ -n "$dpid" ] && kill -0 "$dpid" 2>/dev/null &&
    [ -n "$p1" ] && [ -n "$p2" ]
ok $? "-D returns once started and the daemon's pid is in the -P file"
timeout 5 "$NFSEND" 127.0.0.1 "$p1" "$tmp/v5a.hex" "$tmp/v5a.hex" >/dev/null
sleep 0.5
[ -n "$dpid" ] && kill "$dpid"
kill "$REP"
for _i in $(seq 1 50); do
	kill -0 "$dpid" 2>/dev/null || kill -0 "$REP" 2>/dev/null || break
	sleep 0.1
done
[ "$(records "$tmp/dmn" | wc -l)" -eq 4 ] && [ ! -e "$tmp/dmn.pid" ]
ok $? "the daemon stored both datagrams and removed its pid file on SIGTERM"
[ "$(records "$tmp/rep" | wc -l)" -eq 4 ] &&
    [ "$(records "$tmp/rep" | sed 's/ from=.*//')" = \
    "$(records "$tmp/dmn" | sed 's/ from=.*//')" ]
ok $? "-R: the second collector stored the same records"

# 22: -u drops privileges after binding (root only)
if [ "$(id -u)" -eq 0 ] && id nobody >/dev/null 2>&1; then
	chmod 755 "$tmp"
	mkdir "$tmp/priv"
	chown nobody "$tmp/priv"
	capd_start "$tmp/priv" -u nobody
	send "$tmp/v5a.hex"
	owner=$(awk '/^Uid:/ {print $2}' "/proc/$CAPD_PID/status" 2>/dev/null)
	capd_stop
	f=$(find "$tmp/priv" -name 'flows.*' -type f | head -1)
	[ "$owner" = "$(id -u nobody)" ] && [ -n "$f" ] &&
	    [ "$(stat -c %U "$f")" = nobody ] &&
	    [ "$(records "$tmp/priv" | wc -l)" -eq 2 ]
	ok $? "-u nobody: runs and writes files as nobody"
else
	skip "-u needs root and a nobody user"
fi

# 23-24: flowexpire
"$EXPIRE" -l "$tmp/rot" -s 1 --dry-run >"$tmp/exp.out"
[ "$(grep -c '^would remove' "$tmp/exp.out")" -eq "$n" ] &&
    [ "$(find "$tmp/rot" -name 'flows.*' | wc -l)" -eq "$n" ]
ok $? "flowexpire --dry-run lists every file and removes none"
"$EXPIRE" -l "$tmp/rot" -s 1 >/dev/null
[ "$(find "$tmp/rot" -name 'flows.*' | wc -l)" -eq 0 ] &&
    [ -f "$tmp/rot/.flowcapd-templates" ] || [ ! -e "$tmp/rot/2026" ]
ok $? "flowexpire -s 1 removes every completed file"

# 25-27: bad flags
"$CAPD" -p 9 >/dev/null 2>"$tmp/e1"
[ $? -ne 0 ] && grep -q -- "-l" "$tmp/e1"
ok $? "no -l: non-zero exit, message names -l"
"$CAPD" -l "$tmp" -t 1 >/dev/null 2>"$tmp/e2"
[ $? -ne 0 ] && grep -q -- "-t: 1 is out of range" "$tmp/e2"
ok $? "-t 1: out of range"
"$CAPD" -l "$tmp" -z lzo >/dev/null 2>"$tmp/e3"
st1=$?
"$CAPD" -l "$tmp" -A 10.0.0.1/8 >/dev/null 2>"$tmp/e4"
st2=$?
[ $st1 -ne 0 ] && [ $st2 -ne 0 ] && grep -q -- "-z: 'lzo'" "$tmp/e3" &&
    grep -q -- "-A: '10.0.0.1/8'" "$tmp/e4"
ok $? "-z lzo and -A with host bits refused by name"
exit 0
