#!/bin/sh
# tests/sink_kafka.sh -- flowcapd --sink kafka:// into librdkafka's mock
# cluster (tests/kmock: a Kafka-protocol broker set on 127.0.0.1), read
# back by kcat as an independent consumer.
#
# Three sinks at once: NDJSON keyed by source address with zstd,
# goflow2's protobuf unkeyed with lz4, and protobuf keyed by exporter.
# Mid-stream the brokers go down for 1 s, then refuse 8 produce requests
# (delivery reports fail: the sink sends those messages again).  Then
# every flow of flowcapd's files is in the first two topics exactly
# once: the NDJSON messages are byte for byte the lines of flowq -o
# ndjson over the same files; the protobuf messages, decoded by
# python3-protobuf from sink/flow.proto (compiled here by protoc), hold
# the same addresses, ports, protocol, counters, times and exporter;
# each source address went to one partition; the third topic's keys are
# the exporter's address.  (The mock keeps about 5 MB per partition, so
# the count is checked only where the flows spread over partitions.)  SKIPs only without kcat,
# protoc, python3-protobuf or a build with librdkafka.
: "${top_srcdir:=.}" "${top_builddir:=.}"
tmp=$(mktemp -d)
. "$top_srcdir/tests/flowcapd_lib.sh"
. "$top_srcdir/tests/sink_lib.sh"
KMOCK=$top_builddir/tests/kmock
NFBLAST=$top_builddir/bench/nfblast
KPID=
trap 'cleanup; [ -n "$KPID" ] && kill "$KPID" 2>/dev/null' EXIT
N=100000
PLAN=8
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
    --sink "kafka://$BOOT/flows-nd?format=ndjson&key=src&compress=zstd&name=knd&timeout=3" \
    --sink "kafka://$BOOT/flows-pb?format=protobuf&compress=lz4&name=kpb&timeout=3" \
    --sink "kafka://$BOOT/flows-kx?format=protobuf&key=exporter&name=kx&timeout=3" \
    --sink-drain 30
"$NFBLAST" -n "$N" -r 50000 127.0.0.1 "$PORT" >"$tmp/blast.out" 2>&1 &
bp=$!
sleep 0.5
echo down >&3
sleep 1
echo up >&3
sleep 0.3
echo "fail 8" >&3
wait $bp
sink_wait "$tmp/ctl" knd 60 && sink_wait "$tmp/ctl" kpb 60 &&
    sink_wait "$tmp/ctl" kx 60
r=$?
ok $r "the sinks catch up after the outage and the refused requests"
[ $r -eq 0 ] || "$FLOWCTL" -c "$tmp/ctl" sinks | sed 's/^/# /'
retries=$(( $(sink_stat "$tmp/ctl" knd retries) + $(sink_stat "$tmp/ctl" kpb retries) + $(sink_stat "$tmp/ctl" kx retries) ))
echo "# $retries retries; $(cat "$tmp/blast.out")"
capd_stop

TZ=UTC "$FLOWQ" -R "$d" -q -o ndjson >"$tmp/want"
n=$(wc -l <"$tmp/want")
ok $([ "$n" -ge $((N * 9 / 10)) ] && [ "$retries" -gt 0 ] &&
    grep -q "delivering again" "$CAPD_LOG"; echo $?) \
    "flowcapd stored the stream ($n of $N flows); refused messages were retried ($retries)"

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
