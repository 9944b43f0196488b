#!/bin/sh
# tests/sink_idle.sh -- what a caught-up sink says when no flows come:
# rotations without traffic leave files with no flows, and those are
# neither "pending" nor kept by flowexpire (the sink's cursor moves past
# a finished file once all of it is delivered).
#
# flowcapd with an HTTP sink into tests/sink_httpd.py gets 2,000 flows,
# the sink delivers them, then the file is rotated three times with no
# traffic (flowctl rotate).  Checked: `flowctl sinks` says pending 0
# bytes, lag 0, and the cursor stands in the newest file; flowexpire
# with a limit that wants every completed file removes them all and
# keeps none for the sink (exit 0); the exit line says pending 0 bytes.
# About 5 s.  SKIPs only without python3.
: "${top_srcdir:=.}" "${top_builddir:=.}"
tmp=$(mktemp -d)
. "$top_srcdir/tests/flowcapd_lib.sh"
. "$top_srcdir/tests/sink_lib.sh"
NFBLAST=$top_builddir/bench/nfblast
EXPIRE=$top_builddir/collector/flowexpire
HPID=
trap 'cleanup; [ -n "$HPID" ] && kill -9 "$HPID" 2>/dev/null' EXIT
PLAN=4
echo "1..$PLAN"
if ! [ -x "$PY" ]; then
	for i in $(seq 1 $PLAN); do skip "python3 not installed"; done
	exit 0
fi

"$PY" "$top_srcdir/tests/sink_httpd.py" 0 "$tmp/hport" "$tmp/got" tok \
    2>>"$tmp/httpd.log" &
HPID=$!
for i in $(seq 1 50); do
	[ -s "$tmp/hport" ] && break
	sleep 0.1
done
HPORT=$(cat "$tmp/hport" 2>/dev/null)
printf 'Authorization: Bearer tok\n' >"$tmp/hdr"
d=$tmp/data
mkdir -p "$d"
capd_start "$d" -t 3600 -c "$tmp/ctl" --sink-drain 10 \
    --sink "http://127.0.0.1:$HPORT/ingest?q.src=flowkit&header_file=$tmp/hdr&name=h"
"$NFBLAST" -n 2000 -r 20000 127.0.0.1 "$PORT" >"$tmp/blast.out" 2>&1
sink_wait_stat "$tmp/ctl" h delivered "2000 flows*" 30
for i in 1 2 3; do
	"$FLOWCTL" -c "$tmp/ctl" rotate >/dev/null
	sleep 0.3
done
newest=$(cd "$d" && ls flows.*.current 2>/dev/null | sed 's/\.current$//')
# pending bytes are recomputed every 2 s
sink_wait_stat "$tmp/ctl" h pending "0 bytes*" 10
sink_wait_stat "$tmp/ctl" h "cursor in" "$newest" 10
pend=$(sink_stat "$tmp/ctl" h pending)
cur=$(sink_stat "$tmp/ctl" h "cursor in")
lag=$(sink_stat "$tmp/ctl" h lag)
nf=$(find "$d" -name 'flows.2*' ! -name '*.current' | wc -l)
ok $([ "$pend" = "0 bytes on disk" ] && [ "$nf" = 3 ] &&
    [ "$lag" = "0.000 s" ]; echo $?) \
    "$nf files completed, 2 without flows, one being written: pending '$pend', lag '$lag'"
ok $([ -n "$newest" ] && [ "$cur" = "$newest" ]; echo $?) \
    "the cursor moved on to the newest file ($cur)"

"$EXPIRE" -l "$d" -s 1 >"$tmp/exp.out" 2>"$tmp/exp.err"
r=$?
left=$(find "$d" -name 'flows.2*' ! -name '*.current' | wc -l)
ok $([ $r = 0 ] && [ "$left" = 0 ] && ! grep -q "not delivered" "$tmp/exp.err"; echo $?) \
    "flowexpire keeps no empty file for the sink (exit $r, $left left)"
sed 's/^/# /' "$tmp/exp.err"
capd_stop
ok $(grep -q "at exit: sink h: delivered 2000 flows in .* pending 0 bytes, lag 0.0 s" "$CAPD_LOG"; echo $?) \
    "the exit line says pending 0 bytes, lag 0.0 s"
exit $tap_fail
