#!/bin/sh
# bench/bench_query.sh -- flowq against nfdump over the same archive
# (not a test).  One stream of N NetFlow v5 flows (bench/v5blast.py) is
# collected by nfcapd (-y: lz4) and by flowcapd (lz4); then, in one run,
# the same four queries go to both tools:
#   a full listing as csv to /dev/null, a filtered count,
#   -s srcip/bytes -n 10, and -A srcip,dstport to /dev/null.
# Prints records/s, bytes on disk and the ratio; under each query, the
# time of flowq reading nfcapd's files in place (nfdump's format).
# usage: bench/bench_query.sh [N (default 10000000)] [datagrams/s]
# BENCH_DIR=dir BENCH_KEEP=1 keep the archives; BENCH_REUSE=1 reuses them.
# Run from a built tree; writes under a temporary directory.
set -e
N=${1:-10000000}
RATE=${2:-20000}
B=$(cd "${top_builddir:-.}" && pwd)
S=$(cd "${top_srcdir:-.}" && pwd)
FLOWQ="$B/query/flowq"
CAPD="$B/collector/flowcapd"
for t in nfcapd nfdump /usr/bin/python3 "$FLOWQ" "$CAPD"; do
	command -v "$t" >/dev/null 2>&1 || { echo "bench: $t missing" >&2; exit 1; }
done
T=${BENCH_DIR:-$(mktemp -d)}
P1= P2=
trap '[ -n "$P1" ] && kill $P1 2>/dev/null; [ -n "$P2" ] && kill $P2 2>/dev/null; [ -z "$BENCH_KEEP" ] && rm -rf "$T"' EXIT INT TERM
TZ=UTC
export TZ
mkdir -p "$T/nf" "$T/fk"
if [ -n "$BENCH_REUSE" ] && ls "$T"/fk/flows.* >/dev/null 2>&1; then
	echo "reusing the archives in $T"
else
# both collectors on ports the kernel reports free: nfcapd through
# tests/nfcapd_lib.sh, flowcapd -p 0 (it logs the port it bound)
. "$S/tests/nfcapd_lib.sh"
nfcapd_start "$T/nf" "$T/nfcapd.log" -t 3600 -y -B 67108864 ||
    { echo "bench: nfcapd did not start" >&2; cat "$T/nfcapd.log" >&2; exit 1; }
P1=$NFCAPD_PID
"$CAPD" -l "$T/fk" -p 0 -b 127.0.0.1 -t 3600 -B 67108864 \
    >"$T/flowcapd.log" 2>&1 &
P2=$!
FKP=
for _i in $(seq 1 100); do
	FKP=$(sed -n 's/.*listening on port \([0-9]*\).*/\1/p' "$T/flowcapd.log")
	[ -n "$FKP" ] && break
	sleep 0.1
done
[ -n "$FKP" ] || { echo "bench: flowcapd did not start" >&2; cat "$T/flowcapd.log" >&2; exit 1; }
echo "sending $N v5 flows to nfcapd and flowcapd at $RATE datagrams/s"
/usr/bin/python3 "$S/bench/v5blast.py" "$N" "$RATE" "$NFCAPD_PORT" "$FKP"
sleep 3
kill -TERM $P1 $P2
wait $P1 2>/dev/null || true
wait $P2 2>/dev/null || true
P1= P2=
fi
nfbytes=$(cat "$T"/nf/nfcapd.2* | wc -c)
fkbytes=$(cat "$T"/fk/flows.* 2>/dev/null | wc -c)
nfrecs=$(nfdump -R "$T/nf" -o null 2>/dev/null | sed -n 's/^Total flows processed: \([0-9]*\).*/\1/p')
fkrecs=$("$FLOWQ" -R "$T/fk" -o null 2>/dev/null | sed -n 's/^Total records processed: \([0-9]*\).*/\1/p')
echo "records stored: nfcapd $nfrecs ($nfbytes bytes, $(echo "scale=1; $nfbytes / $nfrecs" | bc) B/flow)," \
    "flowcapd $fkrecs ($fkbytes bytes, $(echo "scale=1; $fkbytes / $fkrecs" | bc) B/flow)"

now() { date +%s.%N; }
run() {	# run NAME RECORDS CMD...: prints seconds
	name=$1; recs=$2; shift 2
	t0=$(now)
	"$@" > "$T/out.$name" 2>/dev/null
	t1=$(now)
	echo "$t0 $t1 $recs" | awk '{ d = $2 - $1; printf "%.3f %.0f\n", d, $3 / d }'
}
printf '%-28s %12s %14s %12s %14s %7s\n' query "nfdump s" "nfdump rec/s" "flowq s" "flowq rec/s" ratio
q() {	# q NAME ARGS...: the same arguments to both tools
	name=$1; shift
	a=$(run nf "$nfrecs" nfdump -R "$T/nf" "$@")
	fa=$(run fk "$fkrecs" "$FLOWQ" -R "$T/fk" "$@")
	echo "$name $a $fa" | awk '{ printf "%-28s %12s %14s %12s %14s %7.2f\n", $1, $2, $3, $4, $5, $2 / $4 }'
	fn=$(run fn "$nfrecs" "$FLOWQ" -R "$T/nf" "$@")
	echo "$a $fn" | awk '{ printf "%-28s flowq over nfcapd files: %.3f s, %.0f rec/s, %.2fx nfdump\n", "", $3, $4, $1 / $3 }'
	nb=$(sed -n 's/.*Bytes read: \([0-9]*\).*/\1/p' "$T/out.nf")
	fb=$(sed -n 's/.*Bytes read: \([0-9]*\).*/\1/p' "$T/out.fk")
	[ -n "$nb" ] && [ -n "$fb" ] &&
	    printf '%-28s bytes read: nfdump %s, flowq %s\n' "" "$nb" "$fb"
	return 0
}
q listing-csv -o csv -q
q filtered-count -o null "proto tcp and dst port 443 and bytes > 100k"
q top10-srcip-bytes -s srcip/bytes -n 10
q aggregate-srcip-dstport -A srcip,dstport -q
