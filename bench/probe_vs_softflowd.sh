#!/bin/sh
# bench/probe_vs_softflowd.sh -- flowprobe -r against softflowd -r on the
# same generated capture (tests/gen_pcap bulk: mixed IPv4/IPv6, TCP and
# UDP), both exporting NetFlow v9 to a UDP sink on loopback, one after
# the other in one run.  Prints packets per second (wall clock and per
# CPU second, user + system, which is steadier on a shared machine),
# peak RSS, and the ratios.  Not a test.
#
#   bench/probe_vs_softflowd.sh [PACKETS [FLOWS [SEED]]]
#   (defaults 10000000 200000 1; run from the build directory, or set
#   top_builddir; the capture goes to $TMPDIR)
#
# If this flowprobe cannot export yet (-n refused), it runs without -n
# and says so.

set -e
: "${top_builddir:=.}"
PKTS=${1:-10000000} FLOWS=${2:-200000} SEED=${3:-1}
PROBE=$top_builddir/probe/flowprobe
GEN=$top_builddir/tests/gen_pcap
SFD=$(command -v softflowd || true)
[ -x "$PROBE" ] && [ -x "$GEN" ] || {
	echo "build first: make probe/flowprobe tests/gen_pcap" >&2; exit 1; }
T=$(mktemp -d)
SINK=
cleanup() { [ -n "$SINK" ] && kill "$SINK" 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT INT TERM

# a sink on a port the kernel picks; it writes the port to a file
python3 -c "
import os, socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(('127.0.0.1', 0))
with open(sys.argv[1] + '.tmp', 'w') as f:
    f.write('%d\\n' % s.getsockname()[1])
os.rename(sys.argv[1] + '.tmp', sys.argv[1])
while True:
    s.recv(65536)
" "$T/port" &
SINK=$!
for _i in $(seq 1 100); do
	[ -s "$T/port" ] && break
	sleep 0.1
done
PORT=$(cat "$T/port")

echo "generating $PKTS packets over $FLOWS concurrent flows (seed $SEED)"
"$GEN" bulk "$T/bulk.pcap" "$PKTS" "$FLOWS" "$SEED"
MAXF=$((FLOWS * 2))

EXP="-n 127.0.0.1:$PORT -v 9"
"$GEN" raw "$T/tiny.pcap"
if ! "$PROBE" -r "$T/tiny.pcap" $EXP >/dev/null 2>&1; then
	echo "note: this flowprobe cannot export yet; measured without -n"
	EXP=
fi

# run NAME CMD...: prints "wall user sys maxrss_kb"
measure() {
	/usr/bin/time -f '%e %U %S %M' -o "$T/time" "$@" >"$T/out" 2>&1 ||
	    { echo "failed: $*" >&2; cat "$T/out" >&2; exit 1; }
	cat "$T/time"
}
line() {	# name wall user sys rss
	awk -v n="$1" -v p="$PKTS" -v w="$2" -v u="$3" -v s="$4" -v r="$5" \
	    'BEGIN { printf "%-10s %8.2f s wall %8.2f s cpu %7.3f Mpps wall %7.3f Mpps cpu %8.1f MB peak RSS\n",
	    n, w, u + s, p / w / 1e6, p / (u + s) / 1e6, r / 1024 }'
}

set -- $(measure "$PROBE" -r "$T/bulk.pcap" -m "$MAXF" $EXP)
fw=$1 fu=$2 fs=$3 fr=$4
line flowprobe "$fw" "$fu" "$fs" "$fr"
grep -E "^(Packets accounted|Flows created|Number of active)" "$T/out" |
    sed 's/^/  /'
if [ -z "$SFD" ]; then
	echo "softflowd not installed: no comparison"
	exit 0
fi
set -- $(measure "$SFD" -r "$T/bulk.pcap" -n "127.0.0.1:$PORT" -v 9 -6 -a \
    -m "$MAXF")
sw=$1 su=$2 ss=$3 sr=$4
line softflowd "$sw" "$su" "$ss" "$sr"
grep -E "^(Packets processed|Flows expired)" "$T/out" | sed 's/^/  /'
awk -v fw="$fw" -v fc="$(echo "$fu $fs" | awk '{print $1 + $2}')" \
    -v sw="$sw" -v sc="$(echo "$su $ss" | awk '{print $1 + $2}')" \
    -v fr="$fr" -v sr="$sr" 'BEGIN {
	printf "ratio: %.1fx packets/s (wall), %.1fx packets per CPU second, flowprobe peak RSS %.2f of softflowd'"'"'s\n",
	    sw / fw, sc / fc, fr / sr }'
