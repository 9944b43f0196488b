#!/bin/sh
# tests/probe_readers.sh -- flowprobe -r reads classic pcap files with
# its own reader (probe/pcapfile) and everything else through libpcap:
# the same packets must give the same flows, statistics, filter results
# and errors whichever reader takes them.  Each capture is also read as
# big-endian, nanosecond and pcapng files (tests/gen_pcap variant) and
# from standard input (always libpcap); truncated files must fail with
# libpcap's message after the same flows, our reader naming the record
# the file ends in by its number and offset; so must a file with an
# impossible record length.  About 2 s.

: "${top_builddir:=..}" "${top_srcdir:=..}"
PROBE=$top_builddir/probe/flowprobe
GEN=$top_builddir/tests/gen_pcap
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT INT TERM

n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); echo "not ok $n - $1"; }
run() { timeout 60 "$PROBE" "$@"; }

echo "1..19"

# the statistics that depend on the packets read (not on the reader)
stats() { grep -E "^(Frames processed|IP packets|Fragments|Ignored frames|Packets accounted|Flows created)" "$1"; }

# same CASE DESC FILE ARGS...: FILE read like the classic original
same() {
	c=$1 d=$2 f=$3
	shift 3
	run -r "$f" -d "$@" >"$T/v.out" 2>"$T/v.err"
	rc=$?
	if [ $rc -eq 0 ] && cmp -s "$T/$c.ref" "$T/v.out" &&
	    [ "$(stats "$T/$c.referr")" = "$(stats "$T/v.err")" ]; then
		ok "$c: $d: same flows and statistics"
	else
		notok "$c: $d: same flows and statistics (exit $rc)"
		diff "$T/$c.ref" "$T/v.out" | head -5 | sed 's/^/# /'
		diff "$T/$c.referr" "$T/v.err" | head -5 | sed 's/^/# /'
	fi
}

"$GEN" mix "$T/mix.pcap" 30000 9 conc=2000 v6=30 vlan=20 || exit 1
for c in basic l3 vlan sll mix; do
	[ $c = mix ] || "$GEN" $c "$T/$c.pcap" || exit 1
	for v in be ns pcapng; do
		"$GEN" variant "$T/$c.$v" "$T/$c.pcap" $v || exit 1
	done
done

# 1-8: each capture in each format, and from standard input
for c in basic l3 vlan sll; do
	run -r "$T/$c.pcap" -d >"$T/$c.ref" 2>"$T/$c.referr"
	same $c "big-endian, nanosecond, pcapng files and stdin" "$T/$c.be"
	for v in ns pcapng; do
		run -r "$T/$c.$v" -d >"$T/$c.$v.out" 2>/dev/null
	done
	run -r - -d <"$T/$c.pcap" >"$T/$c.stdin.out" 2>/dev/null
	if cmp -s "$T/$c.ref" "$T/$c.ns.out" &&
	    cmp -s "$T/$c.ref" "$T/$c.pcapng.out" &&
	    cmp -s "$T/$c.ref" "$T/$c.stdin.out"; then
		ok "$c: nanosecond, pcapng and stdin: same flows"
	else
		notok "$c: nanosecond, pcapng and stdin: same flows"
	fi
done

# 9-14: mix: 30,000 packets, full frames, IPv6 and VLAN tags, with a filter
run -r "$T/mix.pcap" -d >"$T/mix.ref" 2>"$T/mix.referr"
same mix "big-endian" "$T/mix.be"
same mix "nanosecond" "$T/mix.ns"
same mix "pcapng (libpcap)" "$T/mix.pcapng"
F='tcp or (vlan and udp)'
run -r "$T/mix.pcap" -d "$F" >"$T/mixf.ref" 2>"$T/mixf.referr"
same mixf "filter, big-endian" "$T/mix.be" "$F"
same mixf "filter, pcapng (libpcap)" "$T/mix.pcapng" "$F"
if [ "$(grep -c . "$T/mixf.ref")" -gt 100 ] &&
    [ "$(grep -c . "$T/mixf.ref")" -lt "$(grep -c . "$T/mix.ref")" ]; then
	ok "mix: the filter keeps some flows and drops others"
else
	notok "mix: the filter keeps some flows and drops others"
fi

# 15-18: truncated files: our reader and libpcap (stdin) fail alike
size=$(wc -c <"$T/mix.pcap")
for cut in 1000 500003 $((size / 2 + 7)) $((size - 5)); do
	head -c "$cut" "$T/mix.pcap" >"$T/cut.pcap"
	run -r "$T/cut.pcap" -d >"$T/c1.out" 2>"$T/c1.err"
	r1=$?
	run -r - -d <"$T/cut.pcap" >"$T/c2.out" 2>"$T/c2.err"
	r2=$?
	# ours names the record: "record N at offset X: libpcap's text"
	e1=$(sed -n 's/^flowprobe: [^:]*: capture: record [0-9]* at offset [0-9]*: //p' "$T/c1.err")
	at=$(sed -n 's/^flowprobe: [^:]*: capture: record [0-9]* at offset \([0-9]*\): .*/\1/p' "$T/c1.err")
	e2=$(sed -n 's/^flowprobe: -: capture: //p' "$T/c2.err")
	# the record at that offset is what the cut left of it
	got=$(echo "$e1" | sed -n 's/.*only got \([0-9]*\)$/\1/p')
	case $e1 in
	*"header bytes"*) left=$got ;;
	*) left=$((16 + got)) ;;
	esac
	if [ $r1 -eq 1 ] && [ $r2 -eq 1 ] && [ -n "$e1" ] &&
	    [ "$e1" = "$e2" ] && cmp -s "$T/c1.out" "$T/c2.out" &&
	    [ -n "$at" ] && [ -n "$got" ] && [ $((at + left)) -eq "$cut" ]; then
		ok "cut at $cut bytes: exit 1, \"$e1\" as libpcap says, at the record at offset $at"
	else
		notok "cut at $cut bytes (exit $r1 and $r2)"
		sed 's/^/# ours: /' "$T/c1.err"
		sed 's/^/# libpcap: /' "$T/c2.err"
	fi
done

# 19: an impossible captured length in the third record: libpcap's text,
# and ours names the record and its offset
u32le() {	# FILE OFFSET: the little-endian 32-bit number there
	od -An -tu1 -j "$2" -N 4 "$1" |
	    awk '{ print $1 + 256 * ($2 + 256 * ($3 + 256 * $4)) }'
}
cp "$T/basic.pcap" "$T/bad.pcap"
off=24
for r in 1 2; do
	off=$((off + 16 + $(u32le "$T/bad.pcap" $((off + 8)))))
done
printf '\377\377\377\377' |
    dd of="$T/bad.pcap" bs=1 seek=$((off + 8)) conv=notrunc 2>/dev/null
run -r "$T/bad.pcap" -d >/dev/null 2>"$T/b1.err"
r1=$?
run -r - -d <"$T/bad.pcap" >/dev/null 2>"$T/b2.err"
r2=$?
e1=$(sed -n "s/^flowprobe: [^:]*: capture: record 3 at offset $off: //p" "$T/b1.err")
e2=$(sed -n 's/^flowprobe: -: capture: //p' "$T/b2.err")
if [ $r1 -eq 1 ] && [ $r2 -eq 1 ] && [ -n "$e1" ] && [ "$e1" = "$e2" ]; then
	ok "record 3 of 2^32-1 bytes: exit 1, \"record 3 at offset $off: $e1\""
else
	notok "record 3 of 2^32-1 bytes (exit $r1 and $r2)"
	sed 's/^/# ours: /' "$T/b1.err"
	sed 's/^/# libpcap: /' "$T/b2.err"
fi
