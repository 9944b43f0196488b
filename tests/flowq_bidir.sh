#!/bin/sh
# tests/flowq_bidir.sh -- flowq -b / -B (conversations from unidirectional
# flows) judged by nfdump 1.7.1 -b / -B over the same nfcapd files, read in
# place: NetFlow v5 datagrams with both directions of conversations, the
# server's record first in about half of them, one direction only in
# others, repeated records, ports in each band of -B's rule (below 1024,
# 32768, 49152 and above), TCP, UDP, ICMP and GRE; then softflowd's v9
# export of a generated capture.  Also: filters and -s on the biflows
# flowcapd stores from softflowd -b (IPFIX reverse elements) equal
# nfdump's over nfcapd's files of the same export.  About 5 s.  SKIP
# without nfcapd/nfdump (and softflowd for the last checks).
: "${top_srcdir:=.}" "${top_builddir:=.}"
tmp=$(mktemp -d) || exit 1
. "$top_srcdir/tests/flowcapd_lib.sh"
. "$top_srcdir/tests/nfcapd_lib.sh"
trap '[ -n "$NFCAPD_PID" ] && kill "$NFCAPD_PID" 2>/dev/null; cleanup' EXIT
trap 'exit 1' INT TERM
PY=$(command -v python3 || echo /usr/bin/python3)
FLOWQ=$top_builddir/query/flowq

echo "1..9"
if ! command -v nfcapd >/dev/null || ! command -v nfdump >/dev/null; then
	for i in 1 2 3 4 5 6 7 8 9; do skip "nfcapd/nfdump not installed"; done
	exit 0
fi

# v5 datagrams, one hex line each: N conversations, seed S.
cat >"$tmp/conv.py" <<'PYEOF'
import random, struct, sys
n, seed = int(sys.argv[1]), int(sys.argv[2])
rnd = random.Random(seed)
bands = [(443, 50000), (53, 1024), (1023, 1024), (30000, 40000),
         (32767, 32768), (40000, 50000), (49151, 49152), (50000, 60000),
         (1000, 1010), (60001, 60000), (2000, 2000)]
recs = []
t0 = 1700000000
for i in range(n):
    a = 0x0a000000 | rnd.randrange(1, 1 << 16)
    b = 0xac100000 | rnd.randrange(1, 1 << 12)
    pr = rnd.choice([6, 6, 17, 17, 1, 47])
    sp, dp = rnd.choice(bands)
    if rnd.random() < 0.5:
        sp, dp = dp, sp
    if pr == 1:
        sp, dp = 0, rnd.choice([0x0800, 0x0000, 0x0303])
    elif pr == 47:
        sp = dp = 0
    fwd = (a, b, sp, dp)
    rev = (b, a, dp, sp)
    kind = rnd.random()
    conv = [fwd, rev] if kind < 0.7 else [fwd] if kind < 0.85 else \
        [fwd, rev, fwd]
    if rnd.random() < 0.5:
        conv.reverse()          # the server's record first
    for k in conv:
        pk = rnd.randrange(1, 5000)
        recs.append((k, pr, pk, pk * rnd.randrange(40, 1500),
                     rnd.randrange(0, 50000)))
out = open(sys.argv[3], "w")
uptime = 100000000
for j in range(0, len(recs), 30):
    chunk = recs[j:j + 30]
    d = struct.pack("!HHIIIIBBH", 5, len(chunk), uptime, t0 + 100, 0, j,
                    0, 0, 0)
    for (s, dst, sp, dp), pr, pk, by, off in chunk:
        first = uptime - 90000 + off
        d += struct.pack("!IIIHHIIIIHHBBBBHHBBH", s, dst, 0, 1, 2, pk, by,
                         first, first + 5000, sp, dp, 0, 0x10 if pr == 6
                         else 0, pr, 0, 0, 0, 24, 16, 0)
    out.write(d.hex() + "\n")
PYEOF

# collect DIR HEXFILE: nfcapd collects the datagrams into DIR.
collect() {
	mkdir -p "$1"
	nfcapd_start "$1" "$tmp/nfcapd.log" -t 3600 || return 1
	timeout 30 "$NFSEND" 127.0.0.1 "$NFCAPD_PORT" "$2" >/dev/null
	sleep 0.5
	kill "$NFCAPD_PID"
	for _i in $(seq 1 50); do
		kill -0 "$NFCAPD_PID" 2>/dev/null || break
		sleep 0.1
	done
	NFCAPD_PID=
	ls "$1"/nfcapd.* >/dev/null 2>&1
}

# same NAME ARGS...: flowq and nfdump print the same conversations.
same() {
	name=$1
	shift
	nfdump "$@" -q -N 2>/dev/null | sed 's/  */ /g' | sort >"$tmp/a"
	"$FLOWQ" "$@" -q -N 2>/dev/null | sed 's/  */ /g' | sort >"$tmp/b"
	c=$(wc -l <"$tmp/a")
	[ "$c" -gt 10 ] && cmp -s "$tmp/a" "$tmp/b"
	st=$?
	ok $st "$name ($c lines)"
	[ $st -eq 0 ] || diff "$tmp/a" "$tmp/b" | head -10 | sed 's/^/# /'
}

"$PY" "$tmp/conv.py" 3000 7 "$tmp/conv.hex"
if collect "$tmp/n1" "$tmp/conv.hex"; then
	same "-b over made-up conversations: nfdump's" -R "$tmp/n1" -b
	same "-B over made-up conversations: nfdump's" -R "$tmp/n1" -B
	same "-b with a filter: nfdump's" -R "$tmp/n1" -b 'proto udp'
	same "-B -O bytes: nfdump's order" -R "$tmp/n1" -B -O bytes -n 40
	# -b must pair records: fewer conversations than records
	r=$(nfdump -R "$tmp/n1" -q -N -o line 2>/dev/null | wc -l)
	c=$("$FLOWQ" -R "$tmp/n1" -b -q -N 2>/dev/null | wc -l)
	"$FLOWQ" -R "$tmp/n1" -b -q -N 2>/dev/null | sort >"$tmp/b1"
	"$FLOWQ" -R "$tmp/n1" -B -q -N 2>/dev/null | sort >"$tmp/b2"
	d=$(diff "$tmp/b1" "$tmp/b2" | grep -c '^<')
	[ "$c" -gt 0 ] && [ "$c" -lt $((r * 3 / 4)) ] && [ "$d" -gt 100 ]
	ok $? "-b joins directions: $r records, $c conversations; -B turns $d around"
else
	for i in 1 2 3 4 5; do ok 1 "nfcapd collects"; done
	sed 's/^/# /' "$tmp/nfcapd.log" | tail -3
fi

if ! command -v softflowd >/dev/null; then
	for i in 1 2 3 4; do skip "softflowd not installed"; done
	exit $tap_fail
fi
timeout 60 "$top_builddir/tests/gen_pcap" mix "$tmp/mix.pcap" 3000 1 \
    conc=100 || { echo "Bail out! gen_pcap failed"; exit 1; }
# softflowd (v9: two records per conversation) to nfcapd, then -b/-B
mkdir -p "$tmp/n2"
if nfcapd_start "$tmp/n2" "$tmp/nfcapd2.log" -t 3600; then
	timeout 60 softflowd -r "$tmp/mix.pcap" -v 9 \
	    -n "127.0.0.1:$NFCAPD_PORT" >/dev/null 2>&1
	sleep 0.5
	kill "$NFCAPD_PID"
	wait "$NFCAPD_PID" 2>/dev/null
	NFCAPD_PID=
	same "-b over softflowd v9 flows: nfdump's" -R "$tmp/n2" -b
	same "-B over softflowd v9 flows: nfdump's" -R "$tmp/n2" -B
else
	ok 1 "nfcapd starts"
	ok 1 "nfcapd starts"
fi
# softflowd -b (IPFIX biflows) to flowcapd and to nfcapd: filters on the
# out counters and -s statistics over the stored biflows are nfdump's
mkdir -p "$tmp/f3" "$tmp/n3"
if capd_start "$tmp/f3" && nfcapd_start "$tmp/n3" "$tmp/nfcapd3.log" \
    -t 3600; then
	for p in "$PORT" "$NFCAPD_PORT"; do
		timeout 60 softflowd -b -r "$tmp/mix.pcap" -v 10 \
		    -n "127.0.0.1:$p" >/dev/null 2>&1
	done
	sleep 1
	capd_stop
	kill "$NFCAPD_PID"
	wait "$NFCAPD_PID" 2>/dev/null
	NFCAPD_PID=
	: >"$tmp/a"
	: >"$tmp/b"
	for f in 'out packets > 5' 'out bytes < 1000 and packets > 2' \
	    'bytes > 2000 or out bytes > 2000'; do
		nfdump -R "$tmp/n3" -o 'fmt:%sa %da %sp %dp %ipkt %opkt %ibyt %obyt' \
		    -q -N "$f" 2>/dev/null | sed 's/  */ /g' | sort >>"$tmp/a"
		"$FLOWQ" -R "$tmp/f3" -o 'fmt:%sa %da %sp %dp %ipkt %opkt %ibyt %obyt' \
		    -q -N "$f" 2>/dev/null | sed 's/  */ /g' | sort >>"$tmp/b"
	done
	c=$(wc -l <"$tmp/a")
	[ "$c" -gt 50 ] && cmp -s "$tmp/a" "$tmp/b"
	st=$?
	ok $st "softflowd -b: flowcapd's biflows pass the filters nfdump's do ($c)"
	[ $st -eq 0 ] || diff "$tmp/a" "$tmp/b" | head -6 | sed 's/^/# /'
	# times, pps and bps left out: the two collectors stamp softflowd's
	# sysUpTime times apart (not a biflow matter)
	nopps() { awk '{ $1 = $2 = $3 = $(NF-1) = $(NF-2) = ""; print }'; }
	: >"$tmp/a"
	: >"$tmp/b"
	for s in dstport/flows dstport/bytes srcip/packets proto/bpp; do
		nfdump -R "$tmp/n3" -s $s -n 0 -N -q 2>/dev/null |
		    grep -E '^[0-9]{4}-' | nopps | sort >>"$tmp/a"
		"$FLOWQ" -R "$tmp/f3" -s $s -n 0 -N -q 2>/dev/null |
		    grep -E '^[0-9]{4}-' | nopps | sort >>"$tmp/b"
	done
	nfdump -R "$tmp/n3" -o line 2>/dev/null | grep '^Summary' | cut -d, -f1-3 \
	    >>"$tmp/a"
	"$FLOWQ" -R "$tmp/f3" -o line 2>/dev/null | grep '^Summary' | cut -d, -f1-3 \
	    >>"$tmp/b"
	c=$(wc -l <"$tmp/a")
	[ "$c" -gt 20 ] && cmp -s "$tmp/a" "$tmp/b"
	st=$?
	ok $st "softflowd -b: -s (by flows: forward, else both directions) and summary are nfdump's ($c lines)"
	[ $st -eq 0 ] || diff "$tmp/a" "$tmp/b" | head -6 | sed 's/^/# /'
else
	ok 1 "flowcapd and nfcapd start"
	ok 1 "flowcapd and nfcapd start"
fi
exit $tap_fail
