#!/bin/sh
# tests/sink_stuck.sh -- the pending bytes of a sink that cannot deliver
# count only what it has not delivered: files written after its stuck
# batch that hold no flows (rotations without traffic) are not pending.
#
# flowcapd with an HTTP sink to a port where nothing listens (every
# delivery fails, the cursor stays at the first flow) gets 2,000 flows,
# the file is rotated, and the pending bytes are read once they are
# steady.  Then three rotations without traffic: the pending bytes are
# the same (without the fix each empty file added its ~300 bytes).
# Then 500 more flows: the pending bytes grow (the figure is live).
# About 15 s.  SKIPs only without python3.
: "${top_srcdir:=.}" "${top_builddir:=.}"
tmp=$(mktemp -d)
. "$top_srcdir/tests/flowcapd_lib.sh"
. "$top_srcdir/tests/sink_lib.sh"
NFBLAST=$top_builddir/bench/nfblast
trap 'cleanup' EXIT
PLAN=3
echo "1..$PLAN"
if ! [ -x "$PY" ]; then
	for i in $(seq 1 $PLAN); do skip "python3 not installed"; done
	exit 0
fi

# steady CTL NAME: the sink's pending bytes once three readings 1.5 s
# apart agree (they are recomputed every 2 s; at most 30 s)
steady() {
	_prev= _same=0 _end=$(( $(date +%s) + 30 ))
	while [ "$(date +%s)" -lt "$_end" ]; do
		_p=$(sink_stat "$1" "$2" pending | sed 's/ .*//')
		if [ -n "$_p" ] && [ "$_p" = "$_prev" ]; then
			_same=$((_same + 1))
			[ $_same -ge 2 ] && break
		else
			_same=0
		fi
		_prev=$_p
		sleep 1.5
	done
	echo "$_p"
}

DEAD=$(free_tcp_port)
d=$tmp/data
mkdir -p "$d"
capd_start "$d" -t 3600 -c "$tmp/ctl" --sink-drain 1 \
    --sink "http://127.0.0.1:$DEAD/ingest?name=h"
"$NFBLAST" -n 2000 -r 20000 127.0.0.1 "$PORT" >"$tmp/blast.out" 2>&1
sleep 1.5	# the collector's 1 s flush: the flows are in a block
"$FLOWCTL" -c "$tmp/ctl" rotate >/dev/null
sink_wait_stat "$tmp/ctl" h retries "[1-9]*" 30
p1=$(steady "$tmp/ctl" h)
full=$(find "$d" -name 'flows.2*' ! -name '*.current' -exec cat {} + | wc -c)
ok $([ "${p1:-0}" -gt 0 ] && [ "$p1" = "$full" ]; echo $?) \
    "a failing sink: its whole first file is pending ($p1 bytes, the file $full)"

for i in 1 2 3; do
	"$FLOWCTL" -c "$tmp/ctl" rotate >/dev/null
	sleep 0.3
done
nf=$(find "$d" -name 'flows.2*' ! -name '*.current' | wc -l)
p2=$(steady "$tmp/ctl" h)
ok $([ "$nf" = 4 ] && [ "$p2" = "$p1" ]; echo $?) \
    "three files without flows after the stuck batch add nothing ($nf files completed; pending $p1, then $p2 bytes)"

"$NFBLAST" -n 500 -r 20000 127.0.0.1 "$PORT" >>"$tmp/blast.out" 2>&1
sleep 1.5
"$FLOWCTL" -c "$tmp/ctl" rotate >/dev/null
p3=$(steady "$tmp/ctl" h)
ok $([ "${p3:-0}" -gt "${p2:-0}" ]; echo $?) \
    "500 more flows: pending grows ($p2 -> $p3 bytes)"
capd_stop
exit $tap_fail
