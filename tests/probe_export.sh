#!/bin/sh
# tests/probe_export.sh -- flowprobe's NetFlow v5, v9 and IPFIX export
# judged by independent decoders:
#   - tshark dissects every exported datagram (written to a pcap by
#     tests/udpsink) with no malformed packet and no expert error or
#     warning, finds every record flowprobe exported (count and octets),
#     sequence numbers by each protocol's rule, templates exactly every
#     -R datagrams, the -O source id / observation domain, and the -s
#     sampling rate in the v5 header and the v9/IPFIX options data;
#   - Debian's nfcapd receives the export and nfdump lists exactly the
#     flows flowprobe printed with -d for the same capture (times,
#     protocol, addresses, ports, packets, bytes, TCP flags, ToS);
#   - the summary counts the IPv6 flows v5 cannot carry; send errors are
#     counted, not fatal; IPv6 and several destinations work.
# Judges that are not installed make their checks SKIP.

: "${top_builddir:=..}" "${top_srcdir:=..}"
PROBE=$top_builddir/probe/flowprobe
GEN=$top_builddir/tests/gen_pcap
SINK=$top_builddir/tests/udpsink
T=$(mktemp -d) || exit 1
pids=
cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null; done
	rm -rf "$T"
}
trap cleanup EXIT
[ -n "$KEEP" ] && { trap - EXIT; echo "# keeping $T"; }
trap 'exit 1' INT TERM

n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); echo "not ok $n - $1"; }
check() { if eval "$2"; then ok "$1"; else notok "$1"; fi; }
skip() { n=$((n + 1)); echo "ok $n # SKIP $1"; }
have() { command -v "$1" >/dev/null 2>&1; }

"$GEN" basic "$T/basic.pcap" || exit 1
"$GEN" bulk "$T/bulk.pcap" 20000 2000 5 || exit 1

# start_sink NAME [udpsink args]: background udpsink, port in $port
start_sink() {
	name=$1
	shift
	rm -f "$T/$name.port"
	timeout 60 "$SINK" -P "$T/$name.port" -i 1500 "$@" >"$T/$name.sink" &
	pids="$pids $!"
	sinkpid=$!
	i=0
	while [ ! -s "$T/$name.port" ] && [ $i -lt 100 ]; do
		sleep 0.05
		i=$((i + 1))
	done
	port=$(cat "$T/$name.port")
}

# the flows of a -d dump, one normalized line each, sorted
norm_dump() {
	awk 'function hex(c) { return index("0123456789abcdef", c) - 1 }
	    { p = substr($3, 7)
	    s = $4; sp = s; sub(/:[0-9]+$/, "", s); sub(/.*:/, "", sp)
	    d = $6; dp = d; sub(/:[0-9]+$/, "", d); sub(/.*:/, "", dp)
	    gsub(/[][]/, "", s); gsub(/[][]/, "", d)
	    printf "%s %s %s %s %s %s %s %s %s %d %s\n", $1, $2, p, s, sp,
		d, dp, substr($7, 6), substr($8, 7),
		hex(substr($9, 9, 1)) * 16 + hex(substr($9, 10, 1)),
		substr($10, 5) }' "$@" | sort
}

# nfdump 'fmt:' lines (TZ=UTC, -N) in the same normalized form
norm_nfdump() {
	awk -F'|' 'function epoch(t,   y, m, d, a, era, yoe, doy, doe) {
		y = substr(t, 1, 4) + 0; m = substr(t, 6, 2) + 0
		d = substr(t, 9, 2) + 0
		if (m <= 2) y--
		era = int(y / 400); yoe = y - era * 400
		if (m > 2) mm = m - 3; else mm = m + 9
		doy = int((153 * mm + 2) / 5) + d - 1
		doe = yoe * 365 + int(yoe / 4) - int(yoe / 100) + doy
		a = era * 146097 + doe - 719468
		a = a * 86400 + substr(t, 12, 2) * 3600 + substr(t, 15, 2) * 60
		return sprintf("%d.%s", a + substr(t, 18, 2), substr(t, 21, 3))
	    }
	    { for (i = 1; i <= NF; i++) gsub(/^ +| +$/, "", $i)
	    dp = $7
	    if (dp ~ /\./) { split(dp, a, "."); dp = a[1] * 256 + a[2] }
	    f = 0
	    for (i = 1; i <= 8; i++) if (substr($10, i, 1) != ".")
		f += 2 ^ (8 - i)
	    printf "%s %s %s %s %s %s %s %s %s %d %s\n", epoch($1), epoch($2),
		$3, $4, $5, $6, dp, $8, $9, f, $11 }' "$@" | sort
}

# stat FILE: "D R" datagrams and records from flowprobe's summary
stat_dr() {
	sed -n 's/^Export: .*: \([0-9]*\) datagrams (.*), \([0-9]*\) records.*/\1 \2/p' "$1"
}

# ---- tshark ----
tshark_ok=false
have tshark && tshark_ok=true
for v in 5 9 10; do
	if ! $tshark_ok; then
		for i in 1 2 3 4 5; do skip "tshark not installed"; done
		continue
	fi
	start_sink ts$v -w "$T/ts$v.pcap" -B 8000000
	timeout 60 "$PROBE" -r "$T/bulk.pcap" -d -v $v -R 5 -O 77 -Q 5000 \
	    -n 127.0.0.1:$port >"$T/ts$v.d" 2>"$T/ts$v.err"
	rc=$?
	wait $sinkpid
	dr=$(stat_dr "$T/ts$v.err")
	dgrams=${dr% *} recs=${dr#* }
	check "v$v: flowprobe exits 0, every datagram arrives" \
	    '[ $rc = 0 ] && [ -n "$dgrams" ] && [ "$dgrams" -gt 20 ] &&
	     grep -q "^datagrams $dgrams " "$T/ts$v.sink" &&
	     grep -q "^Export sends: $dgrams (0 send errors)" "$T/ts$v.err"'
	tsh() { timeout 120 tshark -r "$T/ts$v.pcap" -d udp.port==$port,cflow "$@" 2>/dev/null; }
	tsh -V >"$T/ts$v.V"
	if [ "$(grep -c '^Cisco NetFlow/IPFIX$' "$T/ts$v.V")" = "$dgrams" ] &&
	    ! grep -q -E 'Malformed|Expert Info \((Error|Warning)' "$T/ts$v.V"
	then
		ok "v$v: tshark decodes $dgrams datagrams, nothing malformed, no expert warnings"
	else
		notok "v$v: tshark decodes every datagram cleanly"
		grep -E 'Malformed|Expert Info' "$T/ts$v.V" | sort | uniq -c | head | sed 's/^/# /'
	fi
	# every record: octets as flowprobe printed them (v5: IPv4 only)
	if [ $v = 5 ]; then
		grep -v '\[' "$T/ts$v.d" >"$T/ts$v.want"
	else
		cp "$T/ts$v.d" "$T/ts$v.want"
	fi
	tsh -T fields -e cflow.octets | tr ',' '\n' | grep . | sort -n >"$T/ts$v.oct"
	sed 's/.* bytes=\([0-9]*\) .*/\1/' "$T/ts$v.want" | sort -n >"$T/ts$v.woct"
	check "v$v: tshark finds all $(wc -l <"$T/ts$v.want") records with their octets" \
	    'cmp -s "$T/ts$v.oct" "$T/ts$v.woct" && [ "$recs" = "$(wc -l <"$T/ts$v.want")" ]'
	# sequence numbers, template refresh, source id, per frame
	tsh -T fields -E separator=';' -e cflow.sequence -e cflow.template_id \
	    -e cflow.octets -e cflow.source_id -e cflow.od_id -e cflow.count \
	    >"$T/ts$v.f"
	check "v$v: sequence numbers follow the protocol's rule" \
	    'awk -F";" -v v=$v "BEGIN { s = 0 }
		{ if (\$1 != s) bad = 1
		  nrec = \$3 == \"\" ? 0 : split(\$3, a, \",\")
		  if (v == 9) s++
		  else if (v == 5) s += \$6
		  else s += nrec + (\$2 != \"\" ? 1 : 0) }
		END { exit bad }" "$T/ts$v.f"'
	if [ $v = 5 ]; then
		check "v5: engine id from -O in every header" \
		    '[ "$(tsh -T fields -e cflow.engine_id | sort -u)" = 77 ]'
	else
		check "v$v: templates in exactly every 5th datagram, domain 77" \
		    'awk -F";" -v v=$v "{ t = \$2 != \"\"; if (t != ((NR - 1) % 5 == 0)) bad = 1
			id = v == 9 ? \$4 : \$5; sub(/,.*/, \"\", id)
			if (id != 77) bad = 1 }
			END { exit bad }" "$T/ts$v.f"'
	fi
done

# sampling announced: v5 header, v9 and IPFIX options data
if $tshark_ok; then
	for v in 5 9 10; do
		start_sink sa$v -w "$T/sa$v.pcap" -B 8000000
		timeout 60 "$PROBE" -r "$T/bulk.pcap" -s 10 -v $v -Q 5000 \
		    -n 127.0.0.1:$port 2>/dev/null
		wait $sinkpid
		tshark -r "$T/sa$v.pcap" -d udp.port==$port,cflow -T fields \
		    -E separator=';' -e cflow.samplingmode -e cflow.samplerate \
		    -e cflow.sampling_interval -e cflow.sampling_algorithm \
		    -e cflow.sampling_packet_interval \
		    -e cflow.sampling_packet_space 2>/dev/null |
		    LC_ALL=C sort -u >"$T/sa$v.f"
		case $v in
		5) want='1;10;;;;' ;;
		9) want=';;10;1;;
;;;;;' ;;
		10) want=';;;;1;9
;;;;;' ;;
		esac
		check "-s 10 -v $v: the rate is announced" \
		    '[ "$(cat "$T/sa$v.f")" = "$want" ]' ||
		    sed 's/^/# got /' "$T/sa$v.f"
	done
else
	for i in 1 2 3; do skip "tshark not installed"; done
fi

# ---- nfcapd + nfdump ----
# nfcapd on a port the kernel reports free (tests/nfcapd_lib.sh)
. "$top_srcdir/tests/nfcapd_lib.sh"
start_nfcapd() {
	mkdir -p "$1"
	nfcapd_start "$1" "$1.log" -t 3600 -B 2000000 || return 1
	nfpid=$NFCAPD_PID
	nport=$NFCAPD_PORT
	pids="$pids $nfpid"
}
if have nfcapd && have nfdump && [ -x "${PY:-/usr/bin/python3}" ]; then
	for v in 5 9 10; do
		if ! start_nfcapd "$T/nfc$v"; then
			notok "v$v: nfcapd would not start"
			sed 's/^/# /' "$T/nfc$v.log"
			continue
		fi
		timeout 60 "$PROBE" -r "$T/bulk.pcap" -d -v $v -Q 2000 \
		    -n 127.0.0.1:$nport >"$T/nf$v.d" 2>"$T/nf$v.err"
		"$PROBE" -r "$T/basic.pcap" -d -v $v -n 127.0.0.1:$nport \
		    >>"$T/nf$v.d" 2>/dev/null
		sleep 1
		kill -TERM $nfpid
		wait $nfpid
		TZ=UTC timeout 60 nfdump -R "$T/nfc$v" -q -N -6 \
		    -o 'fmt:%ts|%te|%pr|%sa|%sp|%da|%dp|%pkt|%byt|%flg|%tos' \
		    >"$T/nf$v.raw" 2>&1
		norm_nfdump "$T/nf$v.raw" >"$T/nf$v.got"
		if [ $v = 5 ]; then
			grep -v '\[' "$T/nf$v.d" | norm_dump >"$T/nf$v.want"
		else
			norm_dump "$T/nf$v.d" >"$T/nf$v.want"
		fi
		if [ -s "$T/nf$v.want" ] && cmp -s "$T/nf$v.want" "$T/nf$v.got"
		then
			ok "v$v: nfdump lists exactly the $(wc -l <"$T/nf$v.want") flows flowprobe reported"
		else
			notok "v$v: nfdump lists exactly the flows flowprobe reported"
			diff "$T/nf$v.want" "$T/nf$v.got" | head -10 | sed 's/^/# /'
			tail -5 "$T/nfc$v.log" | sed 's/^/# /'
		fi
	done
else
	for i in 1 2 3; do skip "nfcapd, nfdump or python3 not installed"; done
fi

# ---- summary, errors, destinations ----
timeout 60 "$PROBE" -r "$T/basic.pcap" -v 5 -n 127.0.0.1:9 >/dev/null \
    2>"$T/v5.err"
rc=$?
check "v5: the summary counts the 2 IPv6 flows it cannot export" \
    '[ $rc = 0 ] && grep -q "^IPv6 flows not exportable with NetFlow v5: 2 (not sent)$" "$T/v5.err" &&
     grep -q "^Export: NetFlow v5 to 1 destination: [0-9]* datagrams (0 with templates), 9 records" "$T/v5.err"'
# nothing listens on the discard port: refused sends are counted
timeout 60 "$PROBE" -r "$T/bulk.pcap" -v 9 -n 127.0.0.1:9 >/dev/null \
    2>"$T/err.err"
rc=$?
check "send errors are counted and not fatal" \
    '[ $rc = 0 ] && grep -q "^Export sends: [0-9]* ([1-9][0-9]* send errors)$" "$T/err.err" &&
     grep -q "^  127.0.0.1:9: [1-9][0-9]* send errors$" "$T/err.err"'
check "capture time drives the template refresh (60 s default)" \
    '"$PROBE" -r "$T/basic.pcap" -n 127.0.0.1:9 2>&1 |
     grep -q "^Export: NetFlow v9 to 1 destination: [0-9]* datagrams (2 with templates), 11 records"'

start_sink a -B 8000000
pa=$port sa=$sinkpid
if timeout 5 "$SINK" -6 -P "$T/probe6" -t 1 >/dev/null 2>&1; then
	start_sink b -6 -B 8000000
	pb="[::1]:$port"
else
	start_sink b -B 8000000
	pb="127.0.0.1:$port"
	echo "# no IPv6 loopback: second destination is IPv4"
fi
sb=$sinkpid
timeout 60 "$PROBE" -r "$T/bulk.pcap" -v 10 -Q 5000 -n 127.0.0.1:$pa -n "$pb" \
    2>"$T/two.err" >/dev/null
wait $sa $sb
dr=$(stat_dr "$T/two.err")
check "two destinations ($pb) each get every datagram" \
    '[ -n "$dr" ] && grep -q "^datagrams ${dr% *} " "$T/a.sink" &&
     grep -q "^datagrams ${dr% *} " "$T/b.sink" &&
     grep -q "^Export: IPFIX to 2 destinations" "$T/two.err"'

err() {	# description, expected text, args...
	d=$1 want=$2
	shift 2
	timeout 30 "$PROBE" "$@" >"$T/eo" 2>"$T/ee"
	rc=$?
	if [ $rc -ne 0 ] && grep -q -- "$want" "$T/ee"; then
		ok "error: $d"
	else
		notok "error: $d (exit $rc)"
		sed 's/^/# /' "$T/ee"
	fi
}
err "-M too small" "-M 100: expected a number from 512" -r "$T/basic.pcap" -M 100
err "unresolvable host" "-n no.such.host.invalid:2055" -r "$T/basic.pcap" -n no.such.host.invalid:2055
err "bad [IPv6]:port" "expected \[IPv6\]:port" -r "$T/basic.pcap" -n '[::1:2055'
err "bad -R time" "-R 5,xs: bad time" -r "$T/basic.pcap" -R 5,xs

echo "1..$n"
