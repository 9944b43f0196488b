#!/bin/sh
# tests/flowcapd_workers.sh -- flowcapd -W 2: two workers on SO_REUSEPORT
# sockets of one process, one writer.
#  1-7: four exporters (nfblast from 127.0.0.2-5, two v9 and two IPFIX,
#       steered two to each worker) at once, with two SIGUSR1 rotations
#       while they send, then SIGTERM: every flow sent is stored (exact
#       count), each exporter's datagrams and sequence accounting in the
#       files' exporter tables add up to what it sent with nothing lost,
#       both workers received (the kernel steered, none handed over), no
#       .current file is left;
#  8:   templates from one source port, data from five others, for eight
#       exporters: every record decoded, none held or dropped;
#  9-10: a second flowcapd (-W 2 or -W 1) on the port is refused, and
#       bad -W values are refused by name;
#  then flowcapd_sampling.sh, flowcapd_scapy.sh and flowcapd_diskfull.sh
#  run again with -W 2 (sampling state, held sets, the template file,
#  disk-full hold mode), their lines prefixed "-W 2:".
# About 45 seconds (most of it the three scripts run again).
: "${top_srcdir:=.}" "${top_builddir:=.}"
tmp=$(mktemp -d) || exit 1
. "$top_srcdir/tests/flowcapd_lib.sh"
trap cleanup EXIT
trap 'exit 1' INT TERM
FLOWCTL=$top_builddir/probe/flowctl
NFBLAST=$top_builddir/bench/nfblast
PY=$(command -v python3 || echo /usr/bin/python3)

# 1-7: four exporters at once
mkdir "$tmp/a"
capd_start "$tmp/a" -W 2 -c "$tmp/a.ctl" || exit 1
grep -q "receive threads .*one per worker (-W)" "$CAPD_LOG" &&
    ! grep -q "kernel refused" "$CAPD_LOG"
ok $? "start-up: one receive thread per worker, the steering program attached"
bpids=
for x in 2 3 4 5; do
	v=9
	[ $((x % 2)) -eq 0 ] || v=10
	timeout 30 "$NFBLAST" -v $v -n 40000 -r 40000 -s $x -b 127.0.0.$x \
	    127.0.0.1 "$PORT" >"$tmp/blast.$x" 2>&1 &
	bpids="$bpids $!"
done
sleep 0.3
kill -USR1 "$CAPD_PID"
sleep 0.3
kill -USR1 "$CAPD_PID"
# shellcheck disable=SC2086
wait $bpids
sleep 0.5
timeout 10 "$FLOWCTL" -c "$tmp/a.ctl" statistics >"$tmp/stats" 2>&1
capd_stop
sent=0
for x in 2 3 4 5; do
	n=$(sed -n 's/.*records \([0-9]*\).*/\1/p' "$tmp/blast.$x")
	sent=$((sent + ${n:-0}))
done
stored=$(records "$tmp/a" | wc -l)
[ "$sent" -eq 160000 ] && [ "$stored" -eq "$sent" ]
ok $? "every flow of four exporters stored: $stored of $sent"
# the files' exporter tables, added up per exporter
find "$tmp/a" -name 'flows.*' ! -name '*.current' -type f | sort |
    xargs -r "$FFDUMP" -q >"$tmp/a.q"
nfiles=$(grep -c '^# file ' "$tmp/a.q")
st=0
for x in 2 3 4 5; do
	dg=$(sed -n 's/.*datagrams \([0-9]*\).*/\1/p' "$tmp/blast.$x")
	got=$(awk -v a="127.0.0.$x" '$2 == "exporter" && $4 == a {
	    for (i = 5; i <= NF; i++) { split($i, kv, "="); s[kv[1]] += kv[2] }
	} END { printf "%d %d %d %d", s["datagrams"], s["records"],
	    s["lost"] + s["gaps"] + s["resets"], s["notmpl"] + s["dropped"] }' \
	    "$tmp/a.q")
	[ "$got" = "$dg 40000 0 0" ] || { st=1; echo "# 127.0.0.$x: sent $dg datagrams, files say (datagrams records lost+gaps+resets notmpl+dropped) $got"; }
done
ok $st "each exporter's datagrams and flows add up over $nfiles files, no sequence gap"
[ "$nfiles" -eq 3 ]
ok $? "two rotations while the workers received: $nfiles files"
w0=$(sed -n 's/^  worker 0: \([0-9]*\) datagrams received, \([0-9]*\) exporters$/\1 \2/p' "$tmp/stats")
w1=$(sed -n 's/^  worker 1: \([0-9]*\) datagrams received, \([0-9]*\) exporters$/\1 \2/p' "$tmp/stats")
[ "${w0#* }" = 2 ] && [ "${w1#* }" = 2 ] && [ "${w0% *}" -gt 0 ] &&
    [ "${w1% *}" -gt 0 ] &&
    grep -q "^Workers: datagrams steered to their exporter's worker by the kernel; 0 handed over" "$tmp/stats"
st=$?
ok $st "two exporters on each worker (${w0:-?} / ${w1:-?}), steered by the kernel, none handed over"
[ $st -eq 0 ] || sed 's/^/# /' "$tmp/stats"
grep -q "$sent flows decoded: $sent stored in" "$CAPD_LOG" &&
    grep -q "stopped: .* 0 socket drops, 0 queue drops" "$CAPD_LOG"
st=$?
ok $st "SIGTERM: exit summary says all $sent stored, nothing dropped"
[ $st -eq 0 ] || grep 'totals\|stopped' "$CAPD_LOG" | sed 's/^/# /'
[ -z "$(find "$tmp/a" -name '*.current')" ]
ok $? "SIGTERM: no .current file left"

# 8: templates from one source port, data from five others
mkdir "$tmp/b"
capd_start "$tmp/b" -W 2 || exit 1
timeout 30 "$PY" - "$PORT" <<'PYEOF'
import socket, struct, sys
port = int(sys.argv[1])
def hdr(count, seq):
    return struct.pack("!HHIIII", 9, count, 1000, 1700000000, seq, 7)
tmpl = struct.pack("!HHHH", 0, 4 + 4 + 5 * 4, 256, 5) + struct.pack(
    "!10H", 1, 4, 2, 4, 4, 1, 8, 4, 12, 4)
def data(k):
    recs = b"".join(struct.pack("!IIBII", 1000 + i, 10 + i, 6, 0x0a000000 + k,
                                0x0a0000fe) for i in range(4))
    body = recs + b"\0" * (-(4 + len(recs)) % 4)
    return struct.pack("!HH", 256, 4 + len(body)) + body
for x in range(8):
    a = "127.0.1.%d" % (x + 1)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((a, 0))
    s.sendto(hdr(1, 0) + tmpl, ("127.0.0.1", port))
    s.close()
    for k in range(5):
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind((a, 0))
        s.sendto(hdr(4, 1 + k) + data(k), ("127.0.0.1", port))
        s.close()
PYEOF
sleep 0.5
capd_stop
find "$tmp/b" -name 'flows.*' ! -name '*.current' -type f | sort |
    xargs -r "$FFDUMP" -q >"$tmp/b.q"
[ "$(records "$tmp/b" | wc -l)" -eq 160 ] &&
    [ "$(grep -c '^# exporter .*datagrams=6 records=20 gaps=0 lost=0 resets=0 malformed=0 notmpl=0 dropped=0$' "$tmp/b.q")" -eq 8 ]
st=$?
ok $st "templates and data on different source ports: 8 exporters x 20 records, none held or lost"
[ $st -eq 0 ] || sed 's/^/# /' "$tmp/b.q"

# 9-10: the port stays one process's; bad -W
mkdir "$tmp/c" "$tmp/c2"
capd_start "$tmp/c" -W 2 || exit 1
timeout 5 "$CAPD" -l "$tmp/c2" -p "$PORT" -b 127.0.0.1 -W 2 \
    >"$tmp/c2.log" 2>&1
r2=$?
timeout 5 "$CAPD" -l "$tmp/c2" -p "$PORT" -b 127.0.0.1 >"$tmp/c3.log" 2>&1
r3=$?
capd_stop
[ $r2 -eq 1 ] && [ $r3 -eq 1 ] &&
    grep -q "Address already in use" "$tmp/c2.log" &&
    grep -q "Address already in use" "$tmp/c3.log"
ok $? "a second flowcapd on the port (-W 2: exit $r2, -W 1: exit $r3) is refused"
st=0
for v in 0 65 abc -1; do
	"$CAPD" -l "$tmp/c2" -W "$v" >/dev/null 2>"$tmp/w.err" && st=1
	grep -q -- "-W\|workers" "$tmp/w.err" || st=1
done
ok $st "-W 0, 65, abc and -1 refused by name"

# the scripts again, with -W 2: their results, renumbered
for t in sampling scapy diskfull; do
	CAPD_FLAGS="-W 2" sh "$top_srcdir/tests/flowcapd_$t.sh" \
	    >"$tmp/sub.$t" 2>&1
	grep -q '^1\.\.[0-9]' "$tmp/sub.$t" || {
		ok 1 "-W 2: flowcapd_$t.sh ran"
		sed 's/^/# /' "$tmp/sub.$t"
		continue
	}
	while IFS= read -r line; do
		case $line in
		"ok "*|"not ok "*) ;;
		*) echo "$line" | sed 's/^#*/#/'; continue ;;
		esac
		tap_n=$((tap_n + 1))
		case $line in "not ok "*) tap_fail=1 ;; esac
		echo "$line" | sed 's/^\(\(not \)*ok\) [0-9]* -* */\1 '$tap_n' - -W 2: flowcapd_'$t': /'
	done <"$tmp/sub.$t"
done
echo "1..$tap_n"
exit $tap_fail
