#!/bin/sh
# tests/flowcapd_softflowd.sh -- softflowd exports a generated capture as
# NetFlow v5, v9 and IPFIX; flowcapd and Debian's nfcapd both collect the
# same export, and every flow's times, addresses, ports, protocol, packets,
# bytes, TCP flags and ToS read back from flowcapd's files (tests/ffdump)
# equal what nfdump reads from nfcapd's.  Also flowprobe's v9 and IPFIX
# export, judged the same way: an export from which nfcapd reads no flow
# fails.  SKIP without softflowd or nfcapd/nfdump.
: "${top_srcdir:=.}" "${top_builddir:=.}"
tmp=$(mktemp -d) || exit 1
. "$top_srcdir/tests/flowcapd_lib.sh"
. "$top_srcdir/tests/nfcapd_lib.sh"
trap '[ -n "$NFCAPD_PID" ] && kill "$NFCAPD_PID" 2>/dev/null; cleanup' EXIT
trap 'exit 1' INT TERM
PY=$(command -v python3 || echo /usr/bin/python3)

echo "1..5"
if ! command -v softflowd >/dev/null || ! command -v nfcapd >/dev/null ||
    ! command -v nfdump >/dev/null; then
	for i in 1 2 3 4 5; do skip "softflowd or nfcapd/nfdump not installed"; done
	exit 0
fi
timeout 60 "$top_builddir/tests/gen_pcap" bulk "$tmp/cap.pcap" 20000 300 1 ||
    { echo "Bail out! gen_pcap failed"; exit 1; }

# ffdump records -> nfdump's "fmt:%ts %te %sa %da %sp %dp %pr %pkt %byt %flg %tos"
cat >"$tmp/conv.py" <<'PYEOF'
import sys, time
def ts(ms):
    ms = int(ms)
    return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(ms // 1000)) + \
        ".%03d" % (ms % 1000)
for line in sys.stdin:
    f = dict(kv.split("=", 1) for kv in line.split() if "=" in kv)
    w = line.split()
    src, sp = w[3].rsplit(":", 1)
    dst, dp = w[5].rsplit(":", 1)
    fl = int(f["flags"], 16)
    flags = "".join(c if fl & (0x80 >> i) else "." for i, c in
                    enumerate("CEUAPRSF"))
    print(ts(f["first"]), ts(f["last"]), src, dst, sp, dp, f["proto"],
          f["pkts"], f["bytes"], flags, f["tos"])
PYEOF

# judge NAME VERSION CMD...: run CMD (with %P for the port) once towards
# flowcapd and once towards nfcapd, then compare every flow.
judge() {
	name=$1 v=$2
	shift 2
	d=$tmp/$name$v
	mkdir "$d" "$d.n"
	capd_start "$d" -B 4M || { ok 1 "$name -v $v: flowcapd starts"; return; }
	if ! nfcapd_start "$d.n" "$d.nfcapd.log" -t 3600 -B 4000000; then
		capd_stop
		ok 1 "$name -v $v: nfcapd starts"
		sed 's/^/# /' "$d.nfcapd.log"
		return
	fi
	for p in "$PORT" "$NFCAPD_PORT"; do
		cmd=
		for a in "$@"; do
			cmd="$cmd '$(printf %s "$a" | sed "s/%P/$p/")'"
		done
		eval timeout 60 "$cmd" >"$d.exp.log" 2>&1
	done
	sleep 1
	capd_stop
	kill "$NFCAPD_PID"
	for _i in $(seq 1 50); do
		kill -0 "$NFCAPD_PID" 2>/dev/null || break
		sleep 0.1
	done
	NFCAPD_PID=
	records "$d" | "$PY" "$tmp/conv.py" | sort >"$d.got"
	TZ=UTC nfdump -R "$d.n" -q -N -6 \
	    -o "fmt:%ts %te %sa %da %sp %dp %pr %pkt %byt %flg %tos" 2>/dev/null |
	    awk '$1 != "No" {$1=$1; print}' | sort >"$d.want"
	c=$(wc -l <"$d.want")
	if [ "$c" -eq 0 ]; then
		# the judge is there: an export it reads nothing from is wrong
		ok 1 "$name -v $v: nfcapd/nfdump read no flow of the export"
		sed 's/^/# /' "$d.exp.log" | tail -5
		tail -5 "$d.nfcapd.log" | sed 's/^/# nfcapd: /'
		return
	fi
	[ "$c" -gt 100 ] && diff -u "$d.want" "$d.got" >"$d.diff"
	st=$?
	ok $st "$name -v $v: all $c flows equal nfcapd/nfdump's, field by field"
	[ $st -eq 0 ] && return
	head -20 "$d.diff" | sed 's/^/# /'
	tail -3 "$CAPD_LOG" | sed 's/^/# /'
}

judge softflowd 5 softflowd -r "$tmp/cap.pcap" -n "127.0.0.1:%P" -v 5 -a
judge softflowd 9 softflowd -r "$tmp/cap.pcap" -n "127.0.0.1:%P" -v 9 -6 -a
judge softflowd 10 softflowd -r "$tmp/cap.pcap" -n "127.0.0.1:%P" -v 10 -6 \
    -A milli -a
FP=$top_builddir/probe/flowprobe
if [ -x "$FP" ]; then
	judge flowprobe 9 "$FP" -r "$tmp/cap.pcap" -n "127.0.0.1:%P" -v 9
	judge flowprobe 10 "$FP" -r "$tmp/cap.pcap" -n "127.0.0.1:%P" -v 10
else
	skip "flowprobe not built"
	skip "flowprobe not built"
fi
exit 0
