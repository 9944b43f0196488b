#!/bin/sh
# bench/bench_needle.sh -- needle queries (issue 12 goal 4): flowq with
# the block index against nfdump 1.7, and against a flowq that reads
# every block (FLOWQ0: a build from before the index, reading the same
# files), on one archive (not a test).
#
#   sh bench/bench_needle.sh [N (default 10000000)]
#
# The archive is bench_query.sh's: one NetFlow v9 stream of N flows
# from bench/nfblast (mix $MIX, seed $SEED) with needles (-x: host
# 10.1.2.3 to 192.0.2.x in three stretches of 3000 flows at 25%, 50%
# and 75% of the stream, every hundredth flow), sent to nfcapd -y and
# flowcapd; so the host and the net appear in a few blocks only.
# BENCH_DIR=dir BENCH_REUSE=1 reuses an archive bench_query.sh (or an
# earlier run of this script) left there with BENCH_KEEP=1.
#
# BENCH_DIR may also hold an archive made by hand: nf/ with nfcapd
# files and fk/ with flowkit files (e.g. fk/ converted from nf/ with
# flowq -R nf -w fk/flows.X, so both hold the very same records).
#
# Queries (each tool with its defaults, -o null / the summary):
#   host      'host 10.1.2.3'
#   net       'net 192.0.2.0/24'
#   hostport  'host 10.1.2.3 and dst port 443'
#   absent    'host 203.0.113.9'
# For each: cold (echo 3 > /proc/sys/vm/drop_caches before the run;
# needs root, else only warm runs) and warm (right after the same
# tool's cold run), RUNS times each; wall, user and system seconds,
# rchar (bytes read through read/pread) and read_bytes (bytes from the
# disk) from /proc/PID/io (bench/runio.py).  Every raw run goes to
# $RESULTS/needle-MIX-sSEED-N-STAMP.txt with the load average.
set -e
N=${1:-10000000}
MIX=${MIX:-mixed}
SEED=${SEED:-42}
RUNS=${RUNS:-3}
B=$(cd "${top_builddir:-.}" && pwd)
S=$(cd "${top_srcdir:-.}" && pwd)
FLOWQ=${FLOWQ:-$B/query/flowq}
RESULTS=${RESULTS:-$S/bench/results}
T=${BENCH_DIR:?set BENCH_DIR to the archive directory (kept)}
for t in nfdump /usr/bin/python3 "$FLOWQ"; do
	command -v "$t" >/dev/null 2>&1 || { echo "bench: $t missing" >&2; exit 1; }
done
TZ=UTC
export TZ
if [ -z "$BENCH_REUSE" ] || ! ls "$T"/fk/flows.* >/dev/null 2>&1; then
	BENCH_KEEP=1 BENCH_DIR="$T" QUERIES=needle-host RUNS=1 MIX="$MIX" \
	    SEED="$SEED" RESULTS="$RESULTS" sh "$S/bench/bench_query.sh" "$N"
fi
mkdir -p "$RESULTS"
RAW="$RESULTS/needle-$MIX-s$SEED-$N-$(date -u +%Y%m%dT%H%M%S).txt"
cold=cold
[ -w /proc/sys/vm/drop_caches ] || cold=warm-only
nfb=$(cat "$T"/nf/nfcapd.2* | wc -c)
fkb=$(cat "$T"/fk/flows.* | wc -c)
fkr=$("$FLOWQ" -R "$T/fk" -o null 2>/dev/null | sed -n 's/^Total records processed: \([0-9]*\).*/\1/p')
{
echo "# bench_needle: mix $MIX seed $SEED N $N runs $RUNS $(date -u)"
echo "# $(uname -srm); $(nproc) CPUs; $(nfdump -V); flowq $(git -C "$S" describe --always --dirty 2>/dev/null); FLOWQ0=${FLOWQ0:-none}"
echo "# archive: nfcapd $nfb bytes, flowcapd $fkb bytes, $fkr records"
echo "# query tool cache run wall_s user_s sys_s rchar read_bytes exit passed"
} > "$RAW"
echo "archive: nfcapd $nfb bytes, flowcapd $fkb bytes, $fkr records"

# one QUERY TOOL CACHE RUN CMD...: one measured run, appended to $RAW
one() {
	qn=$1 tool=$2 cache=$3 run=$4
	shift 4
	[ "$cache" = cold ] && { sync; echo 3 > /proc/sys/vm/drop_caches; }
	m=$(python3 "$S/bench/runio.py" "$T/out" "$T/err" "$@")
	passed=$(sed -n -e 's/.*passed: \([0-9]*\).*/\1/p' \
	    -e 's/^Total flows processed: .*Passed: \([0-9]*\).*/\1/p' \
	    "$T/out" | head -1)
	echo "$qn $tool $cache $run $m ${passed:--} load $(cut -d' ' -f1 /proc/loadavg)" >> "$RAW"
}

query() {	# query NAME FILTER
	qn=$1 f=$2
	# each tool: a cold run, then the same run warm
	for r in $(seq 1 "$RUNS"); do
		for cache in $cold warm; do
			one "$qn" nfdump "$cache" "$r" nfdump -R "$T/nf" -o null "$f"
		done
		for cache in $cold warm; do
			one "$qn" flowq "$cache" "$r" "$FLOWQ" -R "$T/fk" -o null "$f"
		done
		[ -z "$FLOWQ0" ] && continue
		for cache in $cold warm; do
			one "$qn" flowq0 "$cache" "$r" "$FLOWQ0" -R "$T/fk" \
			    -o null "$f"
		done
	done
}
query host 'host 10.1.2.3'
query net 'net 192.0.2.0/24'
query hostport 'host 10.1.2.3 and dst port 443'
query absent 'host 203.0.113.9'

# best of RUNS by wall per query, tool and cache
echo "query    cache  tool      wall_s   cpu_s      rchar_MB  disk_MB  passed"
awk '!/^#/ {
	k = $1 " " $3 " " $2
	if (!(k in w) || $5 < w[k]) {
		w[k] = $5; c[k] = $6 + $7; rc[k] = $8; rb[k] = $9; p[k] = $11
	}
	if (!(k in seen)) { seen[k] = 1; order[++n] = k }
}
END {
	for (i = 1; i <= n; i++) {
		k = order[i]; split(k, a, " ")
		printf "%-8s %-6s %-8s %7.2f %7.2f %12.1f %8.1f %7s\n", a[1], a[2], a[3], w[k], c[k], rc[k] / 1e6, rb[k] / 1e6, p[k]
	}
}' "$RAW" | sort -s -k1,1 -k2,2 | tee -a "$RAW.summary"
echo "raw runs: $RAW"
