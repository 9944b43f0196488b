#!/bin/sh
# tests/probe_pcapcmp.sh -- flowprobe's own classic-pcap reader
# (probe/pcapfile) against libpcap, packet by packet (time, lengths,
# every byte) and error by error, through tests/pcapcmp: every capture
# the tests make with tests/gen_pcap (each case and link type, a mix
# and the bulk capture), each also big-endian and nanosecond, cut at
# every length (small ones) or at many (the mix), and with records whose
# captured length is impossible or wrong.  pcapng copies, and Linux
# cooked captures in the other byte order than the host's (libpcap
# rewrites some of their frames), must be left to libpcap.  About 2 s.

: "${top_builddir:=..}" "${top_srcdir:=..}"
GEN=$top_builddir/tests/gen_pcap
CMP=$top_builddir/tests/pcapcmp
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT INT TERM

n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); echo "not ok $n - $1"; }

CASES="basic vlan l3 timeouts ppp pppserial chdlc pppoe pppether mpls demo
    sll sll2 raw null loop ipv4 ipv6"
echo "1..7"

for c in $CASES; do
	"$GEN" $c "$T/$c.pcap" >/dev/null || exit 1
done
"$GEN" mix "$T/mix.pcap" 3000 77 conc=300 v6=30 vlan=20 >/dev/null || exit 1
"$GEN" bulk "$T/bulk.pcap" 3000 200 78 >/dev/null || exit 1
for c in $CASES mix bulk; do
	for v in be ns bens pcapng; do
		"$GEN" variant "$T/$c.$v" "$T/$c.pcap" $v || exit 1
	done
done

# judge OUT DESC: every comparison the same, and read by our reader
judge() {
	if [ "$(tail -n 1 "$1" | sed 's/.*, //')" = "0 differ" ] &&
	    ! grep -q -e DIFFER -e ': libpcap$' -e ': refused' "$1"; then
		ok "$2 ($(tail -n 1 "$1"))"
	else
		notok "$2"
		grep -e DIFFER -e ': libpcap$' -e ': refused' "$1" | head -5 |
		    sed 's/^/# /'
	fi
}

# gen_pcap writes little-endian files; the variant "be" swaps them
if [ "$(printf '\001\000' | od -An -tu2 | tr -d ' ')" = 1 ]; then
	swapped="be bens"		# little-endian host
else
	swapped="pcap ns"
fi
# ours COOKED|other: the variants our reader takes
ours() {
	for v in pcap be ns bens; do
		[ "$1" = cooked ] && case " $swapped " in *" $v "*) continue ;; esac
		echo $v
	done
}

# 1: each capture whole, in each byte order and time unit
files= nours=0 libpcap=
for c in $CASES mix bulk; do
	k=other
	case $c in sll|sll2) k=cooked ;; esac
	for v in pcap be ns bens; do
		if [ "$(ours $k | grep -x $v)" ]; then
			files="$files $T/$c.$v"
			nours=$((nours + 1))
		else
			libpcap="$libpcap $T/$c.$v"
		fi
	done
done
# shellcheck disable=SC2086
timeout 60 "$CMP" $files >"$T/whole.out" 2>&1
judge "$T/whole.out" "every generated capture, little- and big-endian, \
micro- and nanosecond: same packets and ends"

# 2: and at least one packet in each (not an empty comparison)
if ! grep ': ours, 0 packets' "$T/whole.out" >/dev/null &&
    [ "$(grep -c ': ours, [0-9]* packets, end: EOF' "$T/whole.out")" -eq \
    $nours ]; then
	ok "each file has packets and ends cleanly"
else
	notok "each file has packets and ends cleanly"
	grep -v 'end: EOF' "$T/whole.out" | head -3 | sed 's/^/# /'
fi

# 3: pcapng copies and cooked captures in the other byte order are
# libpcap's
files=$libpcap
for c in $CASES mix bulk; do
	files="$files $T/$c.pcapng"
done
# shellcheck disable=SC2086
timeout 60 "$CMP" $files >"$T/ng.out" 2>&1
if [ "$(grep -c ': libpcap$' "$T/ng.out")" -eq "$(echo $files | wc -w)" ]
then
	ok "pcapng copies and cooked captures in the other byte order are \
left to libpcap ($(echo $libpcap | wc -w) of the latter)"
else
	notok "pcapng copies and cooked captures in the other byte order are \
left to libpcap"
	grep -v ': libpcap$' "$T/ng.out" | head -3 | sed 's/^/# /'
fi

# 4-5: small captures cut at every length, in both byte orders
timeout 60 "$CMP" -t 1 "$T/basic.pcap" "$T/l3.ns" "$T/ipv4.pcap" \
    "$T/ipv6.be" "$T/mpls.bens" >"$T/cut.out" 2>&1
judge "$T/cut.out" "small captures cut at every length: same packets, \
same error"
if grep -q '^[0-9]* comparisons' "$T/cut.out" &&
    [ "$(sed -n 's/ comparisons.*//p' "$T/cut.out")" -gt 1000 ]; then
	ok "more than 1000 cuts compared"
else
	notok "more than 1000 cuts compared"
fi

# 6: the mix (full frames, records up to 1514 bytes) cut at many lengths
timeout 60 "$CMP" -t 4099 "$T/mix.pcap" "$T/mix.bens" >"$T/mixcut.out" 2>&1
judge "$T/mixcut.out" "the mix cut at every 4099th length"

# 7: impossible or wrong captured lengths in each of the first 64 records
timeout 60 "$CMP" -c "$T/basic.pcap" "$T/mix.be" "$T/demo.ns" \
    "$T/raw.pcap" >"$T/bad.out" 2>&1
judge "$T/bad.out" "corrupt record lengths: the same packets, then the \
same error"
