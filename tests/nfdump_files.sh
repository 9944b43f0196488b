#!/bin/sh
# tests/nfdump_files.sh -- flowq reads nfdump's files in place, judged by
# Debian's nfdump 1.7.1 over the same files:
#   - archives written by nfcapd with each compression it has (none,
#     -z LZO, -y LZ4, -j BZ2), fed by flowprobe's NetFlow v9 export of
#     a capture (IPv4 and IPv6): csv listing, -s statistics (every row,
#     so ties cannot reorder them), filtered summaries and the summary;
#   - the LZ4 archive with its blocks recompressed as ZSTD (Debian's
#     nfdump 1.7.1 cannot write or read ZSTD: judged against the
#     original's nfdump answer);
#   - files of tests/nfdgen with the fields flowprobe leaves empty
#     (interfaces, AS numbers, masks, next hops, VLANs, engine, flows
#     counts), layout 2 and layout 1 (nfdump 1.6), each compression;
#   - a directory mixing an nfdump file and a flowkit file, flowq -w
#     converting an archive, and damaged files (a cut file, a block
#     with a broken record): the rest read, the damage counted, exit 1.
# SKIPs without nfcapd/nfdump; a collector that writes nothing is an
# error.  About 10 s.  TAP output.

: "${top_srcdir:=.}" "${top_builddir:=.}"
B=$(cd "$top_builddir" && pwd)
FLOWQ="$B/query/flowq"
PROBE="$B/probe/flowprobe"
GENPCAP="$B/tests/gen_pcap"
NFDGEN="$B/tests/nfdgen"
NT=39

skip_all() {
	echo "1..$NT"
	i=1
	while [ $i -le $NT ]; do echo "ok $i # SKIP $1"; i=$((i + 1)); done
	exit 0
}
command -v nfcapd >/dev/null 2>&1 && command -v nfdump >/dev/null 2>&1 ||
    skip_all "nfcapd/nfdump not installed"
[ -x "$PROBE" ] && [ -x "$NFDGEN" ] || skip_all "flowprobe/nfdgen not built"

. "$top_srcdir/tests/nfcapd_lib.sh"
T=$(mktemp -d) || exit 1
PIDS=
cleanup() {
	for p in $PIDS; do kill "$p" 2>/dev/null; done
	rm -rf "$T"
}
trap cleanup EXIT INT TERM
TZ=UTC
export TZ

n=0
fail=0
echo "1..$NT"
ok() {		# ok STATUS NAME
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		fail=1
	fi
}
skip() {
	n=$((n + 1))
	echo "ok $n # SKIP $1"
}
same() {	# same NAME: $T/a (nfdump) against $T/b (flowq)
	if [ -s "$T/a" ] && cmp -s "$T/a" "$T/b"; then
		ok 0 "$1"
	else
		ok 1 "$1"
		diff "$T/a" "$T/b" | head -10 | sed 's/^/# /'
	fi
}

# The columns both print, nfdump's time text (flowq's is ISO 8601).
csvcols() {
	awk -F, -v iso="$1" '
	NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
	$0 == "" || $1 == "Summary" { exit }
	$1 == "ts" { next }
	{
		ts = $c["ts"]; te = $c["te"]
		if (iso) { ts = substr(ts, 1, 19); te = substr(te, 1, 19)
			sub("T", " ", ts); sub("T", " ", te) }
		print ts, te, $c["td"], $c["sa"], $c["da"], $c["sp"], $c["dp"],
		    $c["pr"], $c["flg"], $c["stos"], $c["ipkt"], $c["ibyt"],
		    $c["opkt"], $c["obyt"],
		    $c["in"], $c["out"], $c["sas"], $c["das"], $c["smk"],
		    $c["dmk"], $c["nh"], $c["svln"], $c["dvln"], $c["eng"],
		    (noRA ? "-" : $c["ra"])
	}' noRA="${2:-}" | sort
}
# -s tables: the data rows only (flowq -q keeps the table headers)
srows() { grep -E '^[0-9]{4}-' | sort; }

# judge SRC NAME: csv, three -s tables, filters and summary of nfdump
# and flowq over SRC (-r file or -R dir).  $noRA: leave out the ra
# column (layout 1, see flowq(1)).
judge() {
	src=$1 name=$2
	nfdump $src -o csv 2>/dev/null | csvcols 0 "$noRA" > "$T/a"
	"$FLOWQ" $src -o csv 2>/dev/null | csvcols 1 "$noRA" > "$T/b"
	same "$name: csv listing"
	: > "$T/a"
	: > "$T/b"
	for s in srcip/bytes dstport/flows proto/packets dstas/bytes \
	    inif/flows; do
		echo "# $s" >> "$T/a"
		echo "# $s" >> "$T/b"
		nfdump $src -s $s -n 0 -N -q 2>/dev/null | srows >> "$T/a"
		"$FLOWQ" $src -s $s -n 0 -N -q 2>/dev/null | srows >> "$T/b"
	done
	same "$name: -s srcip, dstport, proto, dstas, inif (every row)"
	: > "$T/a"
	: > "$T/b"
	for f in 'proto tcp and dst port 443' 'inet6' 'src net 10.0.0.0/10' \
	    'bytes > 20000 and packets < 200' 'not proto udp and tos 8' \
	    'src port > 30000 and dst port < 1024' 'in if 3 or out if 5' \
	    'next ip 10.255.254.7 or next ip 10.255.254.200'; do
		echo "# $f" >> "$T/a"
		echo "# $f" >> "$T/b"
		nfdump $src "$f" 2>/dev/null | grep '^Summary' >> "$T/a"
		"$FLOWQ" $src "$f" 2>/dev/null | grep '^Summary' >> "$T/b"
	done
	same "$name: eight filtered summaries"
	nfdump $src -o line 2>/dev/null | grep '^Summary' > "$T/a"
	"$FLOWQ" $src -o line 2>/dev/null | grep '^Summary' > "$T/b"
	same "$name: summary"
}

# ---- archives of Debian's nfcapd, one per compression --------------
"$GENPCAP" bulk "$T/cap.pcap" 6000 900 11 >/dev/null 2>&1 ||
    { echo "Bail out! gen_pcap failed"; exit 1; }
DEST=
for z in none z y j; do
	mkdir -p "$T/nf$z"
	if [ $z = none ]; then
		nfcapd_start "$T/nf$z" "$T/nfcapd.$z.log" -t 3600
	else
		nfcapd_start "$T/nf$z" "$T/nfcapd.$z.log" -t 3600 -$z
	fi || { echo "Bail out! nfcapd did not start"; exit 1; }
	PIDS="$PIDS $NFCAPD_PID"
	DEST="$DEST -n 127.0.0.1:$NFCAPD_PORT"
done
# shellcheck disable=SC2086
timeout 60 "$PROBE" -r "$T/cap.pcap" $DEST -v 9 -Q 2000 >/dev/null 2>&1
sleep 1
for p in $PIDS; do kill -TERM "$p"; done
for p in $PIDS; do wait "$p" 2>/dev/null; done
PIDS=
for z in none z y j; do
	if [ -z "$(ls "$T/nf$z" 2>/dev/null | grep '^nfcapd\.2')" ]; then
		echo "# nfcapd -$z wrote no file:"
		sed 's/^/#   /' "$T/nfcapd.$z.log"
		echo "Bail out! a collector wrote no file"
		exit 1
	fi
done
judge "-R $T/nfnone" "nfcapd, uncompressed"
judge "-R $T/nfz" "nfcapd -z (LZO)"
judge "-R $T/nfy" "nfcapd -y (LZ4)"
judge "-R $T/nfj" "nfcapd -j (BZ2)"

NFY=$(ls "$T"/nfy/nfcapd.2* | head -1)
nfdump -I -r "$NFY" 2>/dev/null > "$T/a"
"$FLOWQ" -I -r "$NFY" 2>/dev/null | sed -n '/^Ident/,/^Sequence failures/p' \
    > "$T/b"
same "-I: nfdump's file summary"

# ---- ZSTD: recompressed by nfdgen; the judge read the LZ4 original --
mkdir -p "$T/zstd"
"$NFDGEN" recompress "$NFY" zstd "$T/zstd/nfcapd.zstd"
case $? in
0)
	nfdump -r "$NFY" -o csv 2>/dev/null | csvcols 0 > "$T/a"
	"$FLOWQ" -r "$T/zstd/nfcapd.zstd" -o csv 2>/dev/null | csvcols 1 > "$T/b"
	same "ZSTD blocks: the records nfdump reads from the LZ4 original"
	nfdump -r "$NFY" -s srcip/bytes -n 0 -N -q 2>/dev/null | srows > "$T/a"
	"$FLOWQ" -r "$T/zstd/nfcapd.zstd" -s srcip/bytes -n 0 -N -q \
	    2>/dev/null | srows > "$T/b"
	same "ZSTD blocks: -s srcip/bytes as nfdump over the original"
	;;
2)
	skip "flowq built without libzstd"
	skip "flowq built without libzstd"
	;;
*)
	ok 1 "nfdgen recompress"
	ok 1 "nfdgen recompress"
	;;
esac

# ---- nfdgen files: every field flowkit has, layouts 2 and 1 ----------
for L in 2 1; do
	for z in lz4 none lzo bz2; do
		f="$T/gen$L$z"
		"$NFDGEN" build $L $z 4000 $L$L "$f" 900
		rc=$?
		if [ $rc -eq 2 ]; then
			skip "layout $L $z not built in"
			continue
		fi
		noRA=
		[ $L = 1 ] && noRA=1
		if [ $z = lz4 ]; then
			judge "-r $f" "nfdgen layout $L $z"
			continue
		fi
		nfdump -r "$f" -o csv 2>/dev/null | csvcols 0 "$noRA" > "$T/a"
		"$FLOWQ" -r "$f" -o csv 2>/dev/null | csvcols 1 "$noRA" > "$T/b"
		same "nfdgen layout $L $z: csv listing"
	done
done
noRA=
# layout 1 records without a router address: flowq names the file's
# exporter (nfdump prints 0.0.0.0); with one, both print it
"$FLOWQ" -r "$T/gen1lz4" -o csv 2>/dev/null | awk -F, '
	NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
	$1 == "Summary" { exit }
	$0 != "" { print $c["ra"] }' | sort | uniq -c | awk '{ print $2 }' \
	    > "$T/b"
printf '192.0.2.1\n198.51.100.7\n2001:db8::99\n' > "$T/a"
same "nfdgen layout 1: every record names one of the file's exporters"

# ---- a directory of nfdump and flowkit files; -w converts ------------
mkdir -p "$T/mixed"
cp "$T/gen2lz4" "$T/mixed/nfcapd.201001010000"
"$FLOWQ" -r "$NFY" -w "$T/mixed/flows.201001010005" 2>/dev/null
nfdump -r "$T/gen2lz4" -o csv 2>/dev/null | csvcols 0 > "$T/a"
nfdump -r "$NFY" -o csv 2>/dev/null | csvcols 0 >> "$T/a"
sort -o "$T/a" "$T/a"
"$FLOWQ" -R "$T/mixed" -o csv 2>/dev/null | csvcols 1 > "$T/b"
same "-R over an nfdump file and a flowkit file: the records of both"
"$FLOWQ" -R "$T/nfy" -w "$T/conv" 2>/dev/null
nfdump -R "$T/nfy" -o csv 2>/dev/null | csvcols 0 > "$T/a"
"$FLOWQ" -r "$T/conv" -o csv 2>/dev/null | csvcols 1 > "$T/b"
same "-R nfcapd_dir -w out: the converted file lists nfdump's records"
sz_nf=$(cat "$T"/nfy/nfcapd.2* | wc -c)
sz_fk=$(wc -c < "$T/conv")
echo "# sizes: nfcapd -y $sz_nf bytes, flowkit (lz4) $sz_fk bytes"
"$FLOWQ" -r "$T/conv" -I 2>/dev/null | grep -q '^Exporter 0: 127.0.0.1 ' &&
    [ "$("$FLOWQ" -r "$T/conv" -I | grep -c '^Exporter ')" = 1 ]
ok $? "-w: the converted file has nfcapd's one exporter"

# ---- damage ----------------------------------------------------------
"$NFDGEN" build 2 none 1000 5 "$T/dmg" 200
# block 3 of 5: its second record's size set to 0
off=40
for i in 1 2; do
	size=$(od -An -tu4 -j $((off + 4)) -N4 "$T/dmg" | tr -d ' ')
	off=$((off + 12 + size))
done
r1=$((off + 12))
s1=$(od -An -tu2 -j $((r1 + 2)) -N2 "$T/dmg" | tr -d ' ')
printf '\000\000' | dd of="$T/dmg" bs=1 seek=$((r1 + s1 + 2)) conv=notrunc \
    2>/dev/null
out=$("$FLOWQ" -r "$T/dmg" -o csv 2>"$T/err" | grep -c '^20')
rc=$?
"$FLOWQ" -r "$T/dmg" -o csv >/dev/null 2>&1
rc=$?
if [ "$out" = 800 ] && [ $rc = 1 ] && grep -q 'block 3 .*block skipped' "$T/err"; then
	ok 0 "a broken record: its block skipped and named, 800 of 1000 read, exit 1"
else
	ok 1 "a broken record: its block skipped and named, 800 of 1000 read, exit 1"
	echo "# $out records, exit $rc"; sed 's/^/# /' "$T/err"
fi
head -c $((off + 100)) "$NFY" > "$T/cut" 2>/dev/null
"$NFDGEN" build 2 lz4 1000 5 "$T/lz" 200
size=$(wc -c < "$T/lz")
head -c $((size * 2 / 3)) "$T/lz" > "$T/cut"
out=$("$FLOWQ" -r "$T/cut" -o csv 2>"$T/err" | grep -c '^20')
"$FLOWQ" -r "$T/cut" -o csv >/dev/null 2>&1
rc=$?
if [ "$out" -gt 0 ] && [ "$out" -lt 1000 ] && [ $((out % 200)) = 0 ] &&
    [ $rc = 1 ] && grep -q 'rest of the file is skipped' "$T/err"; then
	ok 0 "a cut file: its whole blocks read ($out records), the cut named, exit 1"
else
	ok 1 "a cut file: its whole blocks read, the cut named, exit 1"
	echo "# $out records, exit $rc"; sed 's/^/# /' "$T/err"
fi
exit $fail
