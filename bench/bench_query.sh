#!/bin/sh
# bench/bench_query.sh -- flowq against nfdump over the same archive
# (not a test).
#
#   sh bench/bench_query.sh [N (default 10000000)]
#
# One NetFlow v9 stream of N flows (bench/nfblast, traffic mix $MIX,
# seed $SEED, with needles: -x) is sent once, every datagram to both
# collectors: nfcapd -y (lz4; nfdump 1.7.1's "-z lz4") and flowcapd
# (lz4, its default).  Both get the same socket buffer and a rotation
# longer than the run.  Then the queries of issue 12's table go to both
# tools with their defaults, each run $RUNS times (best of them kept,
# by wall clock):
#
#   csv-listing      -o csv -q                         > /dev/null
#   line-listing     -o line -q                        > /dev/null
#   filtered-count   -o null 'proto tcp and dst port 443 and bytes > 100k'
#   top-srcip-bytes  -s srcip/bytes -n 10
#   top-dstport-flows -s dstport/flows -n 10
#   agg-srcip-dstport -A srcip,dstport -q              > /dev/null
#   top-record-bytes -s record/bytes -n 10
#   needle-host      -o null 'host 10.1.2.3'
#   needle-net       -o null 'net 192.0.2.0/24'
#
# For each: wall and CPU seconds (user + system) of both, the wall ratio
# and the ratio per CPU second (nfdump CPU / flowq CPU), and the bytes
# each says it read.  NFQ=1 also times flowq reading nfcapd's files in
# place; FLOWQ0=path also times another flowq build (an earlier one:
# before/after in the same run).  Every raw run goes to $RESULTS/query-MIX-sSEED-N-STAMP.txt.
#
# Environment: MIX (edge, wide, mixed, long; default edge), SEED
# (default 1), RATE (flows/s sent, default 250000), RUNS (default 3),
# QUERIES (names above, default all), BENCH_DIR=dir BENCH_KEEP=1 keep
# the archives, BENCH_REUSE=1 reuses them, RESULTS (default
# $top_srcdir/bench/results).  Run from a built tree.  The machine
# should be otherwise idle: the script prints the load average before
# each query.
set -e
N=${1:-10000000}
MIX=${MIX:-edge}
SEED=${SEED:-1}
RATE=${RATE:-250000}
RUNS=${RUNS:-3}
QUERIES=${QUERIES:-"csv-listing line-listing filtered-count top-srcip-bytes top-dstport-flows agg-srcip-dstport top-record-bytes needle-host needle-net"}
B=$(cd "${top_builddir:-.}" && pwd)
S=$(cd "${top_srcdir:-.}" && pwd)
FLOWQ=${FLOWQ:-$B/query/flowq}
CAPD="$B/collector/flowcapd"
BLAST="$B/bench/nfblast"
RESULTS=${RESULTS:-$S/bench/results}
for t in nfcapd nfdump /usr/bin/time /usr/bin/python3 "$FLOWQ" "$CAPD" "$BLAST"; do
	command -v "$t" >/dev/null 2>&1 || { echo "bench: $t missing" >&2; exit 1; }
done
T=${BENCH_DIR:-$(mktemp -d)}
P1= P2=
trap '[ -n "$P1" ] && kill $P1 2>/dev/null; [ -n "$P2" ] && kill $P2 2>/dev/null; [ -z "$BENCH_KEEP" ] && rm -rf "$T"' EXIT INT TERM
TZ=UTC
export TZ
mkdir -p "$T/nf" "$T/fk" "$RESULTS"
RAW="$RESULTS/query-$MIX-s$SEED-$N-$(date -u +%Y%m%dT%H%M%S).txt"
if [ -n "$BENCH_REUSE" ] && ls "$T"/fk/flows.* >/dev/null 2>&1; then
	echo "reusing the archives in $T"
else
rm -f "$T"/nf/* "$T"/fk/*
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
echo "sending $N v9 flows (mix $MIX, seed $SEED, needles) to nfcapd and flowcapd at $RATE flows/s"
"$BLAST" -n "$N" -s "$SEED" -M "$MIX" -x -r "$RATE" 127.0.0.1 \
    "$NFCAPD_PORT" "$FKP"
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
{
echo "# bench_query: mix $MIX seed $SEED N $N rate $RATE runs $RUNS $(date -u)"
echo "# $(uname -srm); $(nproc) CPUs; $(nfdump -V); flowq $(git -C "$S" describe --always --dirty 2>/dev/null)"
echo "# records stored: nfcapd $nfrecs ($nfbytes bytes), flowcapd $fkrecs ($fkbytes bytes)"
echo "# query tool run wall_s user_s sys_s bytes_read"
} > "$RAW"
echo "records stored: nfcapd $nfrecs ($nfbytes bytes, $(echo "scale=1; $nfbytes / $nfrecs" | bc) B/flow)," \
    "flowcapd $fkrecs ($fkbytes bytes, $(echo "scale=1; $fkbytes / $fkrecs" | bc) B/flow)"
[ "$nfrecs" = "$fkrecs" ] || echo "WARNING: the archives differ: a collector lost datagrams"

# once NAME TOOL SINK CMD...: one timed run; appends to $RAW, prints
# "wall cpu bytes_read"
once() {
	name=$1 tool=$2 sink=$3 run=$4
	shift 4
	if [ "$sink" = null ]; then
		/usr/bin/time -f '%e %U %S' -o "$T/time" "$@" >/dev/null 2>"$T/err" || true
		: >"$T/out"
	else
		/usr/bin/time -f '%e %U %S' -o "$T/time" "$@" >"$T/out" 2>"$T/err" || true
	fi
	br=$(sed -n 's/.*Bytes read: \([0-9]*\).*/\1/p' "$T/out")
	set -- $(tail -1 "$T/time")
	echo "$name $tool $run $1 $2 $3 ${br:--}" >> "$RAW"
	echo "$1 $(echo "$2 + $3" | bc) ${br:--}"
}
# best NAME TOOL SINK CMD...: best of $RUNS by wall; prints "wall cpu
# bytes_read"
best() {
	bn=$1 bt=$2 bs=$3 b=
	shift 3
	for r in $(seq 1 "$RUNS"); do
		x=$(once "$bn" "$bt" "$bs" "$r" "$@")
		if [ -z "$b" ] || [ "$(echo "$x $b" | awk '{ print ($1 < $4) }')" = 1 ]; then
			b=$x
		fi
	done
	echo "$b"
}
printf '%-18s %9s %8s %9s %8s %7s %7s %12s %12s\n' query "nfdump s" "cpu s" \
    "flowq s" "cpu s" wall-x cpu-x "nf bytes" "fq bytes"
q() {	# q NAME SINK ARGS...: the same arguments to both tools
	name=$1 sink=$2
	shift 2
	case " $QUERIES " in *" $name "*) ;; *) return 0 ;; esac
	echo "# load before $name: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$RAW"
	a=$(best "$name" nfdump "$sink" nfdump -R "$T/nf" "$@")
	f=$(best "$name" flowq "$sink" "$FLOWQ" -R "$T/fk" "$@")
	echo "$name $a $f" | awk '{ printf "%-18s %9.2f %8.2f %9.2f %8.2f %7.2f %7.2f %12s %12s\n", $1, $2, $3, $5, $6, $2 / ($5 > 0 ? $5 : 0.001), $3 / ($6 > 0 ? $6 : 0.001), $4, $7 }'
	if [ -n "$FLOWQ0" ]; then
		z=$(best "$name" flowq0 "$sink" "$FLOWQ0" -R "$T/fk" "$@")
		echo "$z $f" | awk '{ printf "%-18s FLOWQ0 (before): %.2f s, %.2f cpu s; now %.2fx faster wall, %.2fx per CPU s\n", "", $1, $2, $1 / ($4 > 0 ? $4 : 0.001), $2 / ($5 > 0 ? $5 : 0.001) }'
	fi
	if [ -n "$NFQ" ]; then
		n=$(best "$name" flowq-nfcapd "$sink" "$FLOWQ" -R "$T/nf" "$@")
		echo "$a $n" | awk '{ printf "%-18s flowq over nfcapd files: %.2f s, %.2f cpu s, %.2fx nfdump\n", "", $4, $5, $1 / ($4 > 0 ? $4 : 0.001) }'
	fi
	return 0
}
q csv-listing null -o csv -q
q line-listing null -o line -q
q filtered-count file -o null "proto tcp and dst port 443 and bytes > 100k"
q top-srcip-bytes file -s srcip/bytes -n 10
q top-dstport-flows file -s dstport/flows -n 10
q agg-srcip-dstport null -A srcip,dstport -q
q top-record-bytes file -s record/bytes -n 10
q needle-host file -o null "host 10.1.2.3"
q needle-net file -o null "net 192.0.2.0/24"
echo "raw runs: $RAW"
