#!/bin/sh
# bench/bench_collector.sh -- flowcapd against Debian's nfcapd, fed the same
# NetFlow v9 stream (bench/nfblast: flowkit's encoder, synthetic edge-router
# flows) on loopback at rising rates, in one run.  Not a test.
#
#   sh bench/bench_collector.sh [seconds-per-step] [rates...]
#
# Reports per rate and collector: the rate asked and achieved by the
# sender, records sent and stored, loss, CPU
# seconds per million flows (user + system of the collector process), and
# then the highest loss-free rate of each.  Then bytes on disk per flow for
# each of flowcapd's codecs (lz4, zlib, none) and nfcapd's compressions
# (-z lzo, -y lz4, -j bz2, none), over the same 1 M flows at a loss-free
# rate.  Both collectors get the same socket buffer (-B 4000000) and a
# rotation interval longer than the run; DEFAULTS=yes gives neither a -B
# (what a user gets without tuning); SOCKBUF=bytes gives both that -B
# (SOCKBUF=8388608: flowcapd's default for both, as issue 12 measured).  BURST=yes adds an unpaced burst:
# softflowd -r of a generated 300,000-packet capture (152,201 flows) as
# v9 and as IPFIX into each collector, flows sent and stored.  In the rate steps both write
# lz4 (flowcapd's default, nfcapd -y), and when taskset is there the
# collector runs on CPU 1 and the sender on CPU 0, so that the sender's
# share of the machine does not decide the result (PIN=no lets the
# scheduler place them, as on a machine nobody tuned).  SIZES=no skips the
# size part; REPEAT=n keeps the best of n tries per step (default 2);
# DGSIZE=8900 sends jumbo datagrams (default 1400), which takes
# the kernel's per-datagram cost out and leaves the collectors' own work.
# SENDERS=n sends with n nfblast processes at once, each from its own
# address (127.0.0.2, ...: n exporters) with 1/n of the flows and of the
# rate; VERSION=10 sends IPFIX instead of v9; CAPD_FLAGS gives flowcapd
# more flags (e.g. "-W 2": then say so, and compare with -W 1 and
# nfcapd as is; with PIN=yes the collector has one CPU, so use PIN=no to
# let workers spread).  CAPD=, FFDUMP= and BLAST= name other binaries (a
# build of an older flowcapd, for instance).
# Run from the build directory (top_srcdir=DIR for a separate source
# tree).  Each collector listens on a port the kernel reports free.
# Every run's output is also kept in bench/results/ (RESULTS=dir
# elsewhere, RESULTS=no not at all).
: "${top_builddir:=.}" "${top_srcdir:=.}"
if [ -z "${BENCH_TEED:-}" ] && [ "${RESULTS:-}" != no ]; then
	rdir=${RESULTS:-$top_srcdir/bench/results}
	mkdir -p "$rdir" || exit 1
	out=$rdir/collector-$(date -u +%Y%m%dT%H%M%SZ)-$$.txt
	{
		echo "# bench_collector.sh $*"
		echo "# DEFAULTS=${DEFAULTS:-} SOCKBUF=${SOCKBUF:-} PIN=${PIN:-} SENDERS=${SENDERS:-} VERSION=${VERSION:-} DGSIZE=${DGSIZE:-} REPEAT=${REPEAT:-} CAPD_FLAGS=${CAPD_FLAGS:-} CAPD=${CAPD:-} BURST=${BURST:-} SIZES=${SIZES:-}"
		BENCH_TEED=1 sh "$0" "$@" 2>&1
	} | tee "$out"
	exit 0
fi
STEP=${1:-3}
[ $# -gt 0 ] && shift
RATES=${*:-"600000 800000 1000000 1200000 1400000 1600000 2000000"}
CAPD=${CAPD:-$top_builddir/collector/flowcapd}
FFDUMP=${FFDUMP:-$top_builddir/tests/ffdump}
BLAST=${BLAST:-$top_builddir/bench/nfblast}
NS=${SENDERS:-1}
PORT=
TCK=$(getconf CLK_TCK)
for p in "$CAPD" "$FFDUMP" "$BLAST"; do
	[ -x "$p" ] || { echo "missing $p: run make and make check first"; exit 1; }
done
command -v nfcapd >/dev/null || { echo "nfcapd (Debian nfdump) is needed"; exit 1; }
tmp=$(mktemp -d) || exit 1
PID=
trap '[ -n "$PID" ] && kill "$PID" 2>/dev/null; rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM

cpu_ticks() {			# user + system ticks of a process
	awk '{print $14 + $15}' "/proc/$1/stat"
}
sys_ticks() {			# system ticks of a process
	awk '{print $15}' "/proc/$1/stat"
}

PIN_C= PIN_S=
if [ "${PIN:-yes}" = yes ] && command -v taskset >/dev/null &&
    [ "$(nproc)" -ge 2 ]; then
	PIN_C="taskset -c 1"
	PIN_S="taskset -c 0"
fi

BUF="-B 4000000"
[ "${DEFAULTS:-no}" = yes ] && BUF=
[ -n "${SOCKBUF:-}" ] && BUF="-B $SOCKBUF"

# Each collector gets a port the kernel reports free: flowcapd -p 0 says
# which it bound, nfcapd goes through tests/nfcapd_lib.sh.
. "$top_srcdir/tests/nfcapd_lib.sh"
start() {			# start COLLECTOR DIR [flags]: sets PID, PORT
	c=$1 d=$2
	shift 2
	mkdir -p "$d"
	PORT=
	if [ "$c" = flowcapd ]; then
		: >"$d.log"
		# shellcheck disable=SC2086
		$PIN_C "$CAPD" -l "$d" -p 0 -b 127.0.0.1 $BUF -t 3600 \
		    ${CAPD_FLAGS:-} "$@" >"$d.log" 2>&1 &
		PID=$!
		for _i in $(seq 1 100); do
			PORT=$(sed -n 's/.*listening on port \([0-9]*\).*/\1/p' \
			    "$d.log")
			[ -n "$PORT" ] && break
			kill -0 "$PID" 2>/dev/null || break
			sleep 0.1
		done
	elif nfcapd_start "$d" "$d.log" $BUF -t 3600 "$@"; then
		PID=$NFCAPD_PID
		PORT=$NFCAPD_PORT
		# the same CPU as flowcapd gets (all threads, started ones too)
		[ -n "$PIN_C" ] && taskset -a -p -c 1 "$PID" >/dev/null
	fi
	[ -n "$PORT" ] || { echo "$c did not start:"; cat "$d.log"; exit 1; }
	sleep 1
}

stop() {
	kill "$PID"
	for _i in $(seq 1 300); do
		kill -0 "$PID" 2>/dev/null || break
		sleep 0.1
	done
	wait "$PID" 2>/dev/null
	PID=
}

# blast N RATE: N flows at RATE flows/s from $NS senders at once; prints
# "datagrams D records R seconds S" (sums; S the slowest sender's).
blast() {
	bp=
	for k in $(seq 1 "$NS"); do
		src=
		[ "$NS" -gt 1 ] && src="-b 127.0.0.$((k + 1))"
		vflag=
		[ "${VERSION:-9}" != 9 ] && vflag="-v $VERSION"
		# shellcheck disable=SC2086
		$PIN_S "$BLAST" -m "${DGSIZE:-1400}" $vflag -s "$k" $src \
		    -n $(($1 / NS)) -r $(($2 / NS)) 127.0.0.1 "$PORT" \
		    >"$tmp/blast.$k" &
		bp="$bp $!"
	done
	# shellcheck disable=SC2086
	wait $bp
	cat "$tmp"/blast.* | awk '{d += $2; r += $4; if ($6 > s) s = $6}
	    END {printf "datagrams %d records %d seconds %.3f\n", d, r, s}'
	rm -f "$tmp"/blast.*
}

stored() {			# stored COLLECTOR DIR: records in the files
	if [ "$1" = flowcapd ]; then
		find "$2" -name 'flows.*' -type f | xargs "$FFDUMP" -q |
		    sed -n 's/^# file .* records=\([0-9]*\) .*/\1/p' |
		    awk '{s += $1} END {print s + 0}'
	else
		find "$2" -name 'nfcapd.*' -type f | while read -r f; do
			nfdump -r "$f" -I 2>/dev/null |
			    sed -n 's/^Flows: *\([0-9]*\).*/\1/p'
		done | awk '{s += $1} END {print s + 0}'
	fi
}

echo "# flowcapd${CAPD_FLAGS:+ $CAPD_FLAGS} vs nfcapd $(nfcapd -V 2>&1 | head -1), $([ "${VERSION:-9}" = 9 ] && echo "NetFlow v9" || echo IPFIX) on loopback from $NS sender(s), $STEP s per step, ${DGSIZE:-1400}-byte datagrams, socket buffer: ${BUF:-defaults}"
echo "# $(nproc) cores; $(uname -r); load $(cut -d' ' -f1-3 /proc/loadavg); pinning: ${PIN_C:-none}"
printf "%-9s %10s %10s %10s %10s %8s %12s %5s %6s\n" collector rate achieved sent stored lost% cpu_s/Mflow sys% load1
best_f=0
best_n=0
for rate in $RATES; do
	n=$((rate * STEP))
	for c in flowcapd nfcapd; do
		# best of REPEAT tries: the machine may be shared
		got=-1
		for try in $(seq 1 "${REPEAT:-2}"); do
			d=$tmp/$c.$rate.$try
			if [ "$c" = flowcapd ]; then
				start "$c" "$d" -z lz4
			else
				start "$c" "$d" -y
			fi
			t0=$(cpu_ticks "$PID")
			s0=$(sys_ticks "$PID")
			out=$(blast "$n" "$rate")
			sleep 2
			t1=$(cpu_ticks "$PID")
			s1=$(sys_ticks "$PID")
			l1=$(cut -d' ' -f1 /proc/loadavg)
			stop
			g=$(stored "$c" "$d")
			# where flowcapd's losses went (socket or queue)
			[ "$c" = flowcapd ] && sed -n 's/.*flowcapd: stopped: /# flowcapd '"$rate"' try '"$try"': /p' "$d.log"
			rm -rf "$d"
			[ "$g" -le "$got" ] && continue
			got=$g
			sent=$(echo "$out" | awk '{print $4}')
			ach=$(echo "$out" | awk '{printf "%d", ($6 > 0 ? $4 / $6 : 0)}')
			ticks=$((t1 - t0))
			sticks=$((s1 - s0))
			load1=$l1
		done
		lost=$(awk -v s="$sent" -v g="$got" 'BEGIN {printf "%.3f", s ? 100 * (s - g) / s : 0}')
		cpu=$(awk -v t="$ticks" -v k="$TCK" -v g="$got" 'BEGIN {printf "%.3f", g ? t / k / (g / 1e6) : 0}')
		sysp=$(awk -v t="$ticks" -v s="$sticks" 'BEGIN {printf "%.0f", t ? 100 * s / t : 0}')
		printf "%-9s %10d %10d %10d %10d %8s %12s %5s %6s\n" "$c" "$rate" "$ach" \
		    "$sent" "$got" "$lost" "$cpu" "$sysp" "$load1"
		if [ "$got" -ge "$sent" ]; then
			[ "$c" = flowcapd ] && best_f=$rate
			[ "$c" = nfcapd ] && best_n=$rate
		fi
	done
done
echo "# highest loss-free rate (flows/s): flowcapd $best_f, nfcapd $best_n"

if [ "${BURST:-no}" = yes ]; then
	GEN=$top_builddir/tests/gen_pcap
	if ! command -v softflowd >/dev/null || [ ! -x "$GEN" ]; then
		echo "# burst: needs softflowd and tests/gen_pcap"
	else
		"$GEN" bulk "$tmp/burst.pcap" 300000 20000 1
		echo "# unpaced burst: softflowd -r, 300000 packets"
		printf "%-9s %-7s %10s %10s %8s\n" collector version sent stored lost%
		for v in 9 10; do
			for c in flowcapd nfcapd; do
				d=$tmp/burst.$c.$v
				start "$c" "$d"
				$PIN_S softflowd -r "$tmp/burst.pcap" -n "127.0.0.1:$PORT" \
				    -v "$v" -6 >"$d.sf" 2>&1
				sleep 2
				stop
				sent=$(sed -n 's/^Flows exported: \([0-9]*\).*/\1/p' "$d.sf")
				got=$(stored "$c" "$d")
				printf "%-9s %-7s %10d %10d %8s\n" "$c" "v$v" "$sent" \
				    "$got" "$(awk -v s="$sent" -v g="$got" \
				    'BEGIN {printf "%.3f", s ? 100 * (s - g) / s : 0}')"
				rm -rf "$d"
			done
		done
	fi
fi
[ "${SIZES:-yes}" = no ] && exit 0

echo "# bytes on disk per flow, 1000000 flows at 100000 flows/s"
printf "%-9s %-8s %10s %12s %10s\n" collector codec stored bytes bytes/flow
for spec in "flowcapd lz4 -z lz4" "flowcapd lz4:9 -z lz4:9" \
    "flowcapd zlib -z zlib" \
    "flowcapd none -z none" "nfcapd lzo -z" "nfcapd lz4 -y" \
    "nfcapd bz2 -j" "nfcapd none"; do
	set -- $spec
	c=$1 name=$2
	shift 2
	d=$tmp/size.$c.$name
	start "$c" "$d" "$@"
	"$BLAST" -n 1000000 -r 100000 127.0.0.1 "$PORT" >/dev/null
	sleep 2
	stop
	got=$(stored "$c" "$d")
	bytes=$(find "$d" -type f \( -name 'flows.*' -o -name 'nfcapd.*' \) \
	    -exec cat {} + | wc -c)
	printf "%-9s %-8s %10d %12d %10s\n" "$c" "$name" "$got" "$bytes" \
	    "$(awk -v b="$bytes" -v g="$got" 'BEGIN {printf "%.2f", g ? b / g : 0}')"
	rm -rf "$d"
done
