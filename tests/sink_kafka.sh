#!/bin/sh
# tests/sink_kafka.sh -- flowcapd --sink kafka:// into librdkafka's mock
# cluster (tests/kmock: a Kafka-protocol broker set on 127.0.0.1), read
# back by kcat as an independent consumer.
#
# Three sinks at once, at their default settings: NDJSON keyed by source
# address with zstd, goflow2's protobuf unkeyed with lz4, and protobuf
# keyed by exporter with lz4.  The brokers are down for the first second
# of the stream (the flows wait), then refuse 8 produce requests
# (delivery reports fail: the sink sends those messages again).  Then
# every flow of flowcapd's files is in each topic exactly once: the
# NDJSON messages are byte for byte the lines of flowq -o ndjson over
# the same files; the protobuf messages, decoded by python3-protobuf
# from sink/flow.proto (compiled here by protoc), hold the same
# addresses, ports, protocol, counters, times and exporter; each source
# address went to one partition; the third topic's keys are the
# exporter's address.
#
# The mock keeps only the newest 5 MB of each partition and drops older
# message sets silently (rdkafka_mock.c, max_size), and librdkafka's
# sticky partitioner puts an unkeyed batch into one partition: with
# 100,000 flows a partition could pass 5 MB and the oldest flows vanish
# from the broker after the sink was told they were stored.  So the
# stream is sized (50,000 flows, ~3 MB even all in one partition) and
# every partition is checked to start at offset 0 with no gap: a flow
# missing from a complete log was lost by the sink.  SKIPs only without
# kcat, protoc, python3-protobuf or a build with librdkafka.
: "${top_srcdir:=.}" "${top_builddir:=.}"
tmp=$(mktemp -d)
. "$top_srcdir/tests/flowcapd_lib.sh"
. "$top_srcdir/tests/sink_lib.sh"
KMOCK=$top_builddir/tests/kmock
NFBLAST=$top_builddir/bench/nfblast
KPID=
trap 'cleanup; [ -n "$KPID" ] && kill "$KPID" 2>/dev/null' EXIT
N=50000
PLAN=10
echo "1..$PLAN"

why=
command -v kcat >/dev/null 2>&1 || why="kcat not installed"
command -v protoc >/dev/null 2>&1 || why="protoc not installed"
"$PY" -c 'import google.protobuf' 2>/dev/null || why="python3-protobuf not installed"
[ -x "$KMOCK" ] || why="built without librdkafka (tests/kmock)"
if [ -n "$why" ]; then
	for i in $(seq 1 $PLAN); do skip "$why"; done
	exit 0
fi

# the brokers, driven through a fifo
mkfifo "$tmp/kin"
"$KMOCK" flows-nd flows-pb flows-kx <"$tmp/kin" >"$tmp/kout" 2>"$tmp/kerr" &
KPID=$!
exec 3>"$tmp/kin"
for i in $(seq 1 50); do
	grep -q '^bootstrap' "$tmp/kout" && break
	sleep 0.1
done
BOOT=$(sed -n 's/^bootstrap //p' "$tmp/kout")
ok $([ -n "$BOOT" ]; echo $?) "the mock cluster is up ($BOOT)"

d=$tmp/data
mkdir -p "$d"
capd_start "$d" -t 3600 -c "$tmp/ctl" \
    --sink "kafka://$BOOT/flows-nd?format=ndjson&key=src&compress=zstd&name=knd" \
    --sink "kafka://$BOOT/flows-pb?format=protobuf&compress=lz4&name=kpb" \
    --sink "kafka://$BOOT/flows-kx?format=protobuf&key=exporter&compress=lz4&name=kx" \
    --sink-drain 30
# the brokers go down once the sinks have their metadata and before any
# flow: no produce request is in flight when the connections drop (the
# mock does not deduplicate an idempotent producer's resent request)
for s in knd kpb kx; do
	sink_wait_stat "$tmp/ctl" $s state up 30
done
echo down >&3
"$NFBLAST" -n "$N" -r 25000 127.0.0.1 "$PORT" >"$tmp/blast.out" 2>&1 &
bp=$!
sleep 1
echo up >&3
sleep 0.3
echo "fail 8" >&3
wait $bp
# every flow on disk in a completed file, then each sink's cursor past
# all of them (lag 0 alone can be read before the collector's last block)
sleep 1.5
"$FLOWCTL" -c "$tmp/ctl" rotate >/dev/null
stored=$("$FLOWQ" -R "$d" -q -o fmt:%pr | wc -l)
sink_wait_delivered "$tmp/ctl" knd "$stored" 120 &&
    sink_wait_delivered "$tmp/ctl" kpb "$stored" 120 &&
    sink_wait_delivered "$tmp/ctl" kx "$stored" 120
r=$?
ok $r "the sinks deliver all $stored flows stored, after the outage and the refused requests"
[ $r -eq 0 ] || "$FLOWCTL" -c "$tmp/ctl" sinks | sed 's/^/# /'
retries=$(( $(sink_stat "$tmp/ctl" knd retries) + $(sink_stat "$tmp/ctl" kpb retries) + $(sink_stat "$tmp/ctl" kx retries) ))
echo "# $retries retries; $(cat "$tmp/blast.out")"
capd_stop

TZ=UTC "$FLOWQ" -R "$d" -q -o ndjson >"$tmp/want"
n=$(wc -l <"$tmp/want")
ok $([ "$n" -ge $((N * 9 / 10)) ] && [ "$retries" -gt 0 ] &&
    grep -q "delivering again" "$CAPD_LOG"; echo $?) \
    "flowcapd stored the stream ($n of $N flows); refused messages were retried ($retries)"

# the brokers kept every message they acknowledged (see above)
bad=
for t in flows-nd flows-pb flows-kx; do
	timeout 60 kcat -b "$BOOT" -C -t $t -o beginning -e -q -f '%p %o\n' \
	    >"$tmp/off.$t" 2>>"$tmp/kcat.err"
	"$PY" "$top_srcdir/tests/sink_check.py" offsets "$tmp/off.$t" |
	    sed "s/^# /# $t: /" >"$tmp/off.$t.log"
	grep -q 'starts at offset\|missing or repeated' "$tmp/off.$t.log" &&
	    bad="$bad $t"
	cat "$tmp/off.$t.log"
done
ok $([ -z "$bad" ]; echo $?) "the mock kept every message of each topic (offsets from 0, no gap)${bad:+: not$bad}"

timeout 60 kcat -b "$BOOT" -C -t flows-nd -o beginning -e -q -f '%s\n' \
    >"$tmp/got.nd" 2>"$tmp/kcat.err"
"$PY" "$top_srcdir/tests/sink_check.py" ndjson "$tmp/got.nd" "$tmp/want"
ok $? "ndjson: every flow once, each message a line of flowq -o ndjson"

timeout 60 kcat -b "$BOOT" -C -t flows-nd -o beginning -e -q -f '%p %s\n' \
    >"$tmp/got.ndp" 2>>"$tmp/kcat.err"
"$PY" "$top_srcdir/tests/sink_check.py" keys "$tmp/got.ndp" sourceIPv4Address
ok $? "key=src: each source address in one partition"

timeout 60 kcat -b "$BOOT" -C -t flows-pb -o beginning -e -q -f '%R%s' \
    >"$tmp/got.pb" 2>>"$tmp/kcat.err"
mkdir -p "$tmp/py"
protoc --python_out="$tmp/py" --proto_path="$top_srcdir" \
    "$top_srcdir/sink/flow.proto"
ok $? "protoc compiles sink/flow.proto"
"$PY" "$top_srcdir/tests/sink_check.py" protobuf "$tmp/got.pb" "$tmp/want" \
    "$tmp/py" delimited
ok $? "protobuf: every flow once, decoded by python3-protobuf"

timeout 60 kcat -b "$BOOT" -C -t flows-kx -o beginning -e -q -f '%R%s' \
    >"$tmp/got.kx" 2>>"$tmp/kcat.err"
"$PY" "$top_srcdir/tests/sink_check.py" protobuf "$tmp/got.kx" "$tmp/want" \
    "$tmp/py" delimited
ok $? "protobuf keyed by exporter: every flow once"

# the keys are the exporter's address (::ffff:127.0.0.1, 16 bytes)
timeout 60 kcat -b "$BOOT" -C -t flows-kx -o beginning -e -q -f '%k\n' |
    od -An -v -tx1 | tr -s ' \n' ' ' >"$tmp/keys"
want=" 00 00 00 00 00 00 00 00 00 00 ff ff 7f 00 00 01 0a"
ok $(awk -v w="$want" '{ n = split($0, a, " ") } END {
    s = ""; for (i = 1; i <= n; i++) { s = s " " a[i]; if (i % 17 == 0) { if (s != w) exit 1; s = "" } }
    exit (n > 0 && n % 17 == 0) ? 0 : 1 }' "$tmp/keys"; echo $?) \
    "key=exporter: every message keyed by the exporter's address"
echo quit >&3
exit $tap_fail
