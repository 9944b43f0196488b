#!/bin/sh
# tests/geoip.sh -- GeoIP and ASN lookups (common/enrich/geoip) against
# mmdblookup(1), on small MaxMind DB files written by tests/mkmmdb.pl
# with Debian's libmaxmind-db-writer-perl; and the refusals of a file
# that is not a MaxMind DB.  Then the same answers in flows: written by
# flowcapd --geoip --asn-db, and added by flowq --geoip --asn-db to files
# written without them (countries %sc/%dc, AS numbers where the exporter
# sent 0, AS organisations %sasn/%dasn, -s srcgeo, the filter word geo).
: "${top_srcdir:=.}" "${top_builddir:=.}"
tmp=$(mktemp -d) || exit 1
. "$top_srcdir/tests/flowcapd_lib.sh"
trap cleanup EXIT
trap 'exit 1' INT TERM
LOOKUP=$top_builddir/tests/geoip_lookup
FLOWQ=$top_builddir/query/flowq
NT=10
ADDRS="192.0.2.5 198.51.100.200 203.0.113.7 203.0.113.200 2001:db8:1::9 10.1.2.3 2001:db8:2::1"
echo "1..$NT"
why=
command -v mmdblookup >/dev/null 2>&1 || why="mmdblookup (mmdb-bin) not installed"
perl -MMaxMind::DB::Writer::Tree -e 1 2>/dev/null ||
    why="MaxMind::DB::Writer (libmaxmind-db-writer-perl) not installed"
if ! "$LOOKUP" /dev/null /dev/null 2>&1 | grep -q 'not a MaxMind DB'; then
	"$LOOKUP" /dev/null /dev/null 2>&1 | grep -q 'without libmaxminddb' &&
	    why="built without libmaxminddb"
fi
if [ -n "$why" ]; then
	for i in $(seq 1 $NT); do skip "$why"; done
	exit 0
fi
perl "$top_srcdir/tests/mkmmdb.pl" "$tmp/cc.mmdb" "$tmp/as.mmdb"
ok $? "small country and ASN databases written"

# the judge: mmdblookup's answer for each address, in our line format
for a in $ADDRS; do
	cc=$(mmdblookup --file "$tmp/cc.mmdb" --ip "$a" country iso_code \
	    2>/dev/null | sed -n 's/.*"\(..\)" <utf8_string>.*/\1/p')
	[ -n "$cc" ] || cc=$(mmdblookup --file "$tmp/cc.mmdb" --ip "$a" \
	    registered_country iso_code 2>/dev/null |
	    sed -n 's/.*"\(..\)" <utf8_string>.*/\1/p')
	asn=$(mmdblookup --file "$tmp/as.mmdb" --ip "$a" \
	    autonomous_system_number 2>/dev/null | sed -n 's/^ *\([0-9][0-9]*\) <uint32>.*/\1/p')
	org=$(mmdblookup --file "$tmp/as.mmdb" --ip "$a" \
	    autonomous_system_organization 2>/dev/null |
	    sed -n 's/^ *"\(.*\)" <utf8_string>.*/\1/p')
	echo "$a ${cc:--} ${asn:--} ${org:--}"
done >"$tmp/want"
# shellcheck disable=SC2086
"$LOOKUP" "$tmp/cc.mmdb" "$tmp/as.mmdb" $ADDRS >"$tmp/got"
sed 's/^/# want: /' "$tmp/want"
diff "$tmp/want" "$tmp/got" >"$tmp/diff"
ok $? "every address: the country and AS mmdblookup finds"
sed 's/^/# /' "$tmp/diff"
grep -q '^203.0.113.200 US - -$' "$tmp/got" &&
    grep -q '^2001:db8:1::9 NL 64502 Example v6$' "$tmp/got"
ok $? "a registered country only; IPv6 with its AS and organisation"
echo garbage >"$tmp/bad.mmdb"
"$LOOKUP" "$tmp/bad.mmdb" "$tmp/as.mmdb" 192.0.2.1 2>"$tmp/err"
[ $? -ne 0 ] && grep -q "bad.mmdb: not a MaxMind DB" "$tmp/err"
ok $? "a file that is not a MaxMind DB: refused, naming it"

# flows between the addresses, each answer known from mmdblookup's
set -- 192.0.2.5 198.51.100.200 203.0.113.7 203.0.113.200 10.1.2.3 192.0.2.5
pairs=""
while [ $# -ge 2 ]; do pairs="$pairs $1,$2"; shift; done
pairs="$pairs 2001:db8:1::9,2001:db8:2::1 2001:db8:2::1,2001:db8:1::9"
t=1700000000000
: >"$tmp/flows.txt"
: >"$tmp/want.flows"
for p in $pairs; do
	a=${p%,*}
	b=${p#*,}
	echo "$t $((t + 1000)) $a 1000 $b 443" >>"$tmp/flows.txt"
	awk -v a="$a" -v b="$b" '
	    { cc[$1] = $2 == "-" ? "" : $2; as[$1] = $3 == "-" ? 0 : $3
	      o = $4; for (i = 5; i <= NF; i++) o = o " " $i
	      org[$1] = o == "-" ? "" : o }
	    END { print cc[a] "|" cc[b] "|" as[a] "|" as[b] "|" org[a] "|" org[b] }' \
	    "$tmp/want" >>"$tmp/want.flows"
	t=$((t + 1000))
done
python3 "$top_srcdir/tests/ipfix_flows.py" <"$tmp/flows.txt" >"$tmp/flows.hex"
FMT='fmt:%sc|%dc|%sas|%das|%sasn|%dasn'
trim() { sed 's/ *| */|/g; s/^ *//; s/ *$//'; }
mkdir "$tmp/g" "$tmp/p"
capd_start "$tmp/g" --geoip "$tmp/cc.mmdb" --asn-db "$tmp/as.mmdb" &&
    send "$tmp/flows.hex" && capd_stop
"$FLOWQ" -R "$tmp/g" -q -o "$FMT" | trim >"$tmp/got.g"
sed 's/^/# want: /' "$tmp/want.flows"
diff "$tmp/want.flows" "$tmp/got.g" | sed 's/^/# /'
cmp -s "$tmp/want.flows" "$tmp/got.g"
ok $? "flowcapd --geoip --asn-db: every flow's countries, AS numbers and organisations"
capd_start "$tmp/p" && send "$tmp/flows.hex" && capd_stop
"$FLOWQ" -R "$tmp/p" -q -o "$FMT" | trim >"$tmp/got.p0"
"$FLOWQ" -R "$tmp/p" -q -o "$FMT" --geoip "$tmp/cc.mmdb" \
    --asn-db "$tmp/as.mmdb" | trim >"$tmp/got.p"
diff "$tmp/want.flows" "$tmp/got.p" | sed 's/^/# /'
cmp -s "$tmp/want.flows" "$tmp/got.p" && ! grep -q '[A-Z]' "$tmp/got.p0"
ok $? "flowq --geoip --asn-db adds the same to files written without them"
n=$("$FLOWQ" -R "$tmp/g" -q -o 'fmt:%sa' 'geo DE' | wc -l)
m=$("$FLOWQ" -R "$tmp/g" -q -o 'fmt:%sa' 'src geo DE or dst geo US' | wc -l)
[ "$n" -eq 2 ] && [ "$m" -eq 2 ]
ok $? "filter 'geo DE': $n flows, 'src geo DE or dst geo US': $m"
"$FLOWQ" -R "$tmp/g" -s geo/flows -n 10 -N >"$tmp/s.out"
sed 's/^/# /' "$tmp/s.out"
awk '$5 == "FR" || $5 == "DE" || $5 == "NL" {print $5, $6}' "$tmp/s.out" |
    sort | tr '\n' ' ' | grep -q '^DE 2( *[0-9.]*) FR 2( *[0-9.]*) NL 2('
ok $? "-s geo/flows: FR, DE and NL in two flows each"
"$CAPD" -l "$tmp/g" -p 0 --geoip "$tmp/bad.mmdb" >"$tmp/o.log" 2>&1
[ $? -ne 0 ] && grep -q 'bad.mmdb: not a MaxMind DB' "$tmp/o.log"
ok $? "flowcapd --geoip of a file that is not a MaxMind DB: refused, naming it"
"$FLOWQ" -R "$tmp/g" --asn-db "$tmp/nonexistent.mmdb" >/dev/null 2>"$tmp/e"
[ $? -ne 0 ] && grep -q 'nonexistent.mmdb' "$tmp/e"
ok $? "flowq --asn-db of a missing file: refused, naming it"
exit $tap_fail
