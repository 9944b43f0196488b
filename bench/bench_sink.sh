#!/bin/sh
# bench/bench_sink.sh -- the sinks' throughput and cost (not a test).
#
#   bench/bench_sink.sh [N (default 10000000)]
#
# 1. An archive of N flows: bench/nfblast's edge-router flows collected
#    by flowcapd (what the sinks deliver is what is on disk).
# 2. flowq --sink (one thread: read, decode, encode, send) of the whole
#    archive into
#      - Debian's clickhouse-server (RowBinary over HTTP, 1M-row INSERTs),
#      - librdkafka's mock cluster (tests/kmock), protobuf and NDJSON
#        (100k-message batches; the sink's default, no compression, and
#        lz4),
#    with flowq -o null beside them for the cost of reading alone.  For
#    each: wall seconds, flows/s, flowq's CPU seconds per million flows
#    (user + system of all its threads, librdkafka's included), the
#    destination's CPU per million flows, and the machine's load (1-minute
#    average) when the run ended: the machine may be shared.
# 3. Collection while a sink is saturated: flowcapd at the defaults with
#    a ClickHouse sink of 1000-row batches (far too small: the sink falls
#    behind), nfblast sending 4M flows at 400k flows/s; flowcapd's own
#    losses (socket, queue) are printed, with the sink's lag.
#
# Compare: ipfixcol2's maintainers report about 250k flows/s JSON into
# Kafka and "hundreds of thousands to a million" rows/s into ClickHouse
# (binary); neither ipfixcol2 nor goflow2 is packaged in Debian 12 to run
# beside it.  Run from a built tree (with libcurl, librdkafka, protobuf-c
# and tests/kmock built: make check builds it).  BENCH_DIR=dir
# BENCH_KEEP=1 keeps the archive, BENCH_REUSE=1 reuses it.
set -e
N=${1:-10000000}
B=$(cd "${top_builddir:-.}" && pwd)
S=$(cd "${top_srcdir:-.}" && pwd)
FLOWQ="$B/query/flowq"
CAPD="$B/collector/flowcapd"
NFBLAST="$B/bench/nfblast"
KMOCK="$B/tests/kmock"
FLOWCTL="$B/probe/flowctl"
for t in "$FLOWQ" "$CAPD" "$NFBLAST" "$KMOCK" "$FLOWCTL" clickhouse-server \
    /usr/bin/python3; do
	command -v "$t" >/dev/null 2>&1 || { echo "bench: $t missing" >&2; exit 1; }
done
T=${BENCH_DIR:-$(mktemp -d)}
tmp=$T
CP= KP= CH_PID=
cleanup_bench() {
	[ -n "$CP" ] && kill "$CP" 2>/dev/null
	[ -n "$KP" ] && kill "$KP" 2>/dev/null
	[ -n "$CH_PID" ] && kill -9 "$CH_PID" 2>/dev/null
	[ -z "$BENCH_KEEP" ] && rm -rf "$T"
	return 0	# not the test's status (BENCH_KEEP=1 exited 1)
}
trap cleanup_bench EXIT INT TERM
top_srcdir=$S
top_builddir=$B
. "$S/tests/sink_lib.sh"

# 1. the archive
start_capd() {	# start_capd DIR [flags...]: sets CP, PORT
	_d=$1
	shift
	"$CAPD" -l "$_d" -p 0 -b 127.0.0.1 "$@" >"$_d.log" 2>&1 &
	CP=$!
	PORT=
	for _i in $(seq 1 100); do
		# (the log may not exist yet: no failure under set -e)
		PORT=$(sed -n 's/.*listening on port \([0-9]*\).*/\1/p' \
		    "$_d.log" 2>/dev/null || true)
		[ -n "$PORT" ] && return 0
		sleep 0.1
	done
	echo "bench: flowcapd did not start" >&2
	cat "$_d.log" >&2
	exit 1
}
mkdir -p "$T/a"
if [ -n "$BENCH_REUSE" ] && ls "$T"/a/flows.* >/dev/null 2>&1; then
	echo "reusing the archive in $T/a"
else
	start_capd "$T/a" -t 3600 -B 67108864
	echo "collecting $N flows"
	"$NFBLAST" -n "$N" -r 1000000 -m 65000 127.0.0.1 "$PORT"
	sleep 2
	kill -TERM "$CP"
	wait "$CP" 2>/dev/null || true
	CP=
fi
n=$("$FLOWQ" -R "$T/a" -o null 2>/dev/null |
    sed -n 's/^Total records processed: \([0-9]*\).*/\1/p')
bytes=$(cat "$T"/a/flows.* | wc -c)
echo "archive: $n flows, $bytes bytes"

cpu_of() {	# cpu_of PID: user+system seconds so far
	awk '{ printf "%.2f\n", ($14 + $15) / 100 }' "/proc/$1/stat"
}
# run NAME DEST_PID CMD...: wall, flows/s, flowq CPU and destination CPU
# per million flows
printf '%-26s %8s %12s %16s %16s %6s\n' sink "wall s" "flows/s" "flowq CPU s/M" "dest CPU s/M" load
run() {
	name=$1 dpid=$2
	shift 2
	d0=0
	[ "$dpid" != - ] && d0=$(cpu_of "$dpid")
	/usr/bin/time -f '%e %U %S' -o "$T/time" "$@" >/dev/null 2>"$T/err.$name" ||
	    { echo "bench: $name failed:" >&2; tail -3 "$T/err.$name" >&2; }
	d1=0
	[ "$dpid" != - ] && d1=$(cpu_of "$dpid")
	read -r wall usr sys <"$T/time"
	load=$(cut -d' ' -f1 /proc/loadavg)
	echo "$name $wall $usr $sys $d0 $d1 $n $load" | awk '{
	    printf "%-26s %8.2f %12.0f %16.3f %16s %6s\n", $1, $2, $7 / $2,
	    ($3 + $4) * 1e6 / $7, ($6 > 0 ? sprintf("%.3f", ($6 - $5) * 1e6 / $7) : "-"), $8 }'
}

run read_only_flowq_-o_null - "$FLOWQ" -R "$T/a" -o null

# 2a. ClickHouse
ch_start "$T/ch" || exit 1
ch_query "DROP TABLE IF EXISTS b.flows" >/dev/null
run clickhouse_rowbinary "$CH_PID" "$FLOWQ" -R "$T/a" \
    --sink "clickhouse://127.0.0.1:$CH_PORT/b.flows?batch=1000000"
echo "# clickhouse holds $(ch_query 'SELECT count() FROM b.flows') flows"

# 2b. Kafka (the mock keeps about 5 MB per partition: nothing is read back)
rm -f "$T/kin"
mkfifo "$T/kin"
"$KMOCK" -p 8 b-pb b-nd b-pb0 b-nd0 <"$T/kin" >"$T/kout" 2>&1 &
KP=$!
exec 3>"$T/kin"
for _i in $(seq 1 50); do
	grep -q '^bootstrap' "$T/kout" && break
	sleep 0.1
done
BOOT=$(sed -n 's/^bootstrap //p' "$T/kout")
# first on the sink's defaults (no compression), then with lz4
run kafka_protobuf "$KP" "$FLOWQ" -R "$T/a" \
    --sink "kafka://$BOOT/b-pb0?format=protobuf"
run kafka_ndjson "$KP" "$FLOWQ" -R "$T/a" \
    --sink "kafka://$BOOT/b-nd0?format=ndjson"
run kafka_protobuf_lz4 "$KP" "$FLOWQ" -R "$T/a" \
    --sink "kafka://$BOOT/b-pb?format=protobuf&compress=lz4"
run kafka_ndjson_lz4 "$KP" "$FLOWQ" -R "$T/a" \
    --sink "kafka://$BOOT/b-nd?format=ndjson&compress=lz4"

# 3. collection while a sink is saturated
ch_query "DROP TABLE IF EXISTS b.live" >/dev/null
rm -rf "$T/live"
mkdir -p "$T/live"
start_capd "$T/live" -t 3600 -c "$T/ctl" \
    --sink "clickhouse://127.0.0.1:$CH_PORT/b.live?batch=1000&interval=0&name=slow"
out=$("$NFBLAST" -n 4000000 -r 400000 127.0.0.1 "$PORT")
sleep 1
lag=$(sink_stat "$T/ctl" slow lag)
pend=$(sink_stat "$T/ctl" slow pending)
sent=$(echo "$out" | sed -n 's/.*records \([0-9]*\).*/\1/p')
"$FLOWCTL" -c "$T/ctl" statistics >"$T/stats" 2>&1
kill -TERM "$CP"
wait "$CP" 2>/dev/null || true
CP=
stored=$("$FLOWQ" -R "$T/live" -o null 2>/dev/null |
    sed -n 's/^Total records processed: \([0-9]*\).*/\1/p')
echo "saturated sink (1000-row INSERTs): sent $sent flows, stored $stored;" \
    "$(grep -i 'socket drops\|queue:' "$T/stats" | tr '\n' ' ')"
echo "  the sink was $lag behind with $pend pending when sending ended"
echo quit >&3
