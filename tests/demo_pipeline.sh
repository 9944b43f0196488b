#!/bin/sh
# tests/demo_pipeline.sh -- the quick-start demo (called by demo.sh):
# generate a capture, turn it into flows with flowprobe, collect them
# with flowcapd on loopback, and ask flowq for the top talkers.
# Run from a built source tree.  Writes only under a temporary directory.
set -e
top=${top_builddir:-.}
for p in probe/flowprobe collector/flowcapd query/flowq; do
	if [ ! -x "$top/$p" ]; then
		echo "demo: $top/$p is not built yet" >&2
		exit 1
	fi
done
[ -x "$top/tests/gen_pcap" ] || make -C "$top" tests/gen_pcap >/dev/null
T=$(mktemp -d)
CAPD=
cleanup() {
	[ -n "$CAPD" ] && kill "$CAPD" 2>/dev/null || true
	rm -rf "$T"
}
trap cleanup EXIT INT TERM
PORT=$((20000 + $$ % 20000))

echo "== generating a capture (200000 packets, 20000 flows)"
"$top/tests/gen_pcap" bulk "$T/demo.pcap" 200000 20000 42
echo "== flowcapd -l $T/flows -p $PORT -b 127.0.0.1"
mkdir -p "$T/flows"
"$top/collector/flowcapd" -l "$T/flows" -p "$PORT" -b 127.0.0.1 -t 300 \
    2> "$T/flowcapd.log" &
CAPD=$!
sleep 1
echo "== flowprobe -r demo.pcap -n 127.0.0.1:$PORT -v 9"
"$top/probe/flowprobe" -r "$T/demo.pcap" -n "127.0.0.1:$PORT" -v 9 -Q 20000
sleep 2
kill -TERM "$CAPD"
wait "$CAPD" || true
CAPD=
echo "== flowq -R flows -s ip/bytes -n 10"
"$top/query/flowq" -R "$T/flows" -s ip/bytes -n 10
echo "== flowq -R flows -s dstport/flows -n 5 'proto tcp'"
"$top/query/flowq" -R "$T/flows" -q -s dstport/flows -n 5 'proto tcp'
