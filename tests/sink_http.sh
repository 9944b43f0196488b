#!/bin/sh
# tests/sink_http.sh -- flowcapd --sink http:// into a small log store
# (tests/sink_httpd.py) that answers every 6th POST "429 Too Many
# Requests", and dies once right after keeping a POST's lines but before
# answering; it is started again on the same port.
#
# Checked: every flow of flowcapd's files reaches the store (each line
# byte for byte a line of flowq -o ndjson), the only repeats are the
# one batch whose answer was lost (at least once, at most one batch
# repeated), the token comes from header_file and gzip bodies are
# inflated by the store, the 429s and the outage show as retries and a
# recovery line; and the refusals at start: a malformed URL (exit 255,
# naming the part) and a secret that cannot be read (exit 255, naming
# the variable).  SKIPs only without python3.
: "${top_srcdir:=.}" "${top_builddir:=.}"
tmp=$(mktemp -d)
. "$top_srcdir/tests/flowcapd_lib.sh"
. "$top_srcdir/tests/sink_lib.sh"
NFBLAST=$top_builddir/bench/nfblast
HPID=
trap 'cleanup; [ -n "$HPID" ] && kill -9 "$HPID" 2>/dev/null' EXIT
N=30000
BATCH=500
PLAN=10
echo "1..$PLAN"
if ! [ -x "$PY" ]; then
	for i in $(seq 1 $PLAN); do skip "python3 not installed"; done
	exit 0
fi

# 1-3: refusals at start
"$CAPD" -l "$tmp" -p 0 -b 127.0.0.1 --sink 'http://127.0.0.1:99999/x' \
    >"$tmp/bad.out" 2>&1
r=$?
ok $([ $r = 255 ] && grep -q "port '99999'" "$tmp/bad.out"; echo $?) \
    "a malformed URL: exit 255 naming the port ($(head -1 "$tmp/bad.out"))"
"$CAPD" -l "$tmp" -p 0 -b 127.0.0.1 \
    --sink 'http://127.0.0.1:1/x?header_env=FLOWKIT_NO_SUCH_VAR' \
    >"$tmp/bad.out" 2>&1
r=$?
ok $([ $r = 255 ] && grep -q "FLOWKIT_NO_SUCH_VAR is not set" "$tmp/bad.out"; echo $?) \
    "a secret that cannot be read: exit 255 naming the variable"
"$CAPD" -l "$tmp" -p 0 -b 127.0.0.1 \
    --sink 'http://127.0.0.1:1/x?header=Authorization:Bearer%20sesame' \
    >"$tmp/bad.out" 2>&1
r=$?
ok $([ $r = 255 ] && ! grep -q sesame "$tmp/bad.out"; echo $?) \
    "a token on the command line is refused and not echoed"

# the store
hstart() {	# hstart PORT [options]: sets HPID, HPORT
	rm -f "$tmp/hport"
	_p=$1
	shift
	"$PY" "$top_srcdir/tests/sink_httpd.py" "$_p" "$tmp/hport" "$tmp/got" \
	    tok123 "$@" 2>>"$tmp/httpd.log" &
	HPID=$!
	for _i in $(seq 1 50); do
		[ -s "$tmp/hport" ] && break
		sleep 0.1
	done
	HPORT=$(cat "$tmp/hport" 2>/dev/null)
}
: >"$tmp/got"
hstart 0 --busy 6 --die 13
printf 'Authorization: Bearer tok123\n' >"$tmp/hdr"
d=$tmp/data
mkdir -p "$d"
capd_start "$d" -t 3600 -c "$tmp/ctl" --sink-drain 30 \
    --sink "http://127.0.0.1:$HPORT/ingest?q.src=flowkit&header_file=$tmp/hdr&batch=$BATCH&compress=gzip&name=h"
"$NFBLAST" -n "$N" -r 15000 127.0.0.1 "$PORT" >"$tmp/blast.out" 2>&1 &
bp=$!
# the store dies at its 13th POST; start it again on the same port
for i in $(seq 1 100); do
	kill -0 "$HPID" 2>/dev/null || break
	sleep 0.1
done
died=
if ! kill -0 "$HPID" 2>/dev/null; then
	wait "$HPID" 2>/dev/null
	died=$?
else
	kill -9 "$HPID" 2>/dev/null
	wait "$HPID" 2>/dev/null
fi
sleep 1
hstart "$HPORT" --busy 6
ok $([ "$died" = 3 ] && [ -n "$HPORT" ]; echo $?) \
    "the store died after keeping a POST, and came back on port $HPORT"
wait $bp
sink_wait "$tmp/ctl" h 60
r=$?
ok $r "the sink catches up"
[ $r -eq 0 ] || "$FLOWCTL" -c "$tmp/ctl" sinks | sed 's/^/# /'
retries=$(sink_stat "$tmp/ctl" h retries)
capd_stop
kill -TERM "$HPID" 2>/dev/null
wait "$HPID" 2>/dev/null
HPID=
sed 's/^/# httpd: /' "$tmp/httpd.log"

TZ=UTC "$FLOWQ" -R "$d" -q -o ndjson >"$tmp/want"
n=$(wc -l <"$tmp/want")
ok $([ "$n" -ge $((N * 9 / 10)) ]; echo $?) "flowcapd stored the stream ($n of $N flows)"
"$PY" "$top_srcdir/tests/sink_check.py" atleast "$tmp/got" "$tmp/want" $BATCH
ok $? "every flow reached the store; repeats only within the one unanswered batch"
ok $(grep -q "'bad': 0" "$tmp/httpd.log" && ! grep -q '^400' "$tmp/httpd.log"; echo $?) \
    "every POST had the token from header_file, the content type and a good gzip body"
ok $([ "${retries:-0}" -gt 2 ] && grep -q "sink h: delivering again" "$CAPD_LOG"; echo $?) \
    "429s and the outage show as retries ($retries) and a recovery line"
# 10: latency at the defaults (no -F, no interval=): a flow sent to
# flowcapd is in the store within 2 s, while another exporter trickles
# 300 flows/s in (so that the collector is never idle).  Five probes,
# each a NetFlow v5 datagram with one flow from 198.51.100.N.
probe_hex() {	# probe_hex N: the datagram as hex
	now=$(date +%s)
	printf '00050001%08x%08x%08x%08x00000000' 3600000 "$now" 0 "$1"
	printf 'c63364%02xc0000201000000000001000200000001000000400036ee000036ee80' "$1"
	printf '04d200500000060000000000181800\n' | sed 's/$/00/'
}
: >"$tmp/got"
hstart 0
d2=$tmp/data2
mkdir -p "$d2"
"$CAPD" -l "$d2" -p 0 -b 127.0.0.1 -c "$tmp/ctl2" \
    --sink "http://127.0.0.1:$HPORT/ingest?q.src=flowkit&header_file=$tmp/hdr" \
    >"$tmp/capd2.log" 2>&1 &
CAPD_PID=$!
for i in $(seq 1 50); do
	PORT=$(sed -n 's/.*listening on port \([0-9]*\).*/\1/p' "$tmp/capd2.log")
	[ -n "$PORT" ] && break
	sleep 0.1
done
"$NFBLAST" -n 3600 -r 300 127.0.0.1 "$PORT" >/dev/null 2>&1 &
bp=$!
sleep 1
worst=0 seen=0
for probe in 1 2 3 4 5; do
	probe_hex "$probe" >"$tmp/probe.hex"
	t0=$(date +%s%N)
	"$NFSEND" 127.0.0.1 "$PORT" "$tmp/probe.hex" >/dev/null
	for i in $(seq 1 250); do
		grep -q "\"198\.51\.100\.$probe\"" "$tmp/got" && break
		sleep 0.02
	done
	ms=$(( ($(date +%s%N) - t0) / 1000000 ))
	grep -q "\"198\.51\.100\.$probe\"" "$tmp/got" && seen=$((seen + 1))
	[ "$ms" -gt "$worst" ] && worst=$ms
	echo "# probe $probe: $ms ms"
	sleep 0.$((probe * 37 % 10))
done
wait $bp
capd_stop
ok $([ "$seen" = 5 ] && [ "$worst" -le 2000 ]; echo $?) \
    "datagram to sink within 2 s at the defaults, with traffic (worst of 5: $worst ms)"
exit $tap_fail
