#!/bin/sh
# tests/geoip.sh -- GeoIP and ASN lookups (common/enrich/geoip) against
# mmdblookup(1), on small MaxMind DB files written by tests/mkmmdb.pl
# with Debian's libmaxmind-db-writer-perl; and the refusals of a file
# that is not a MaxMind DB.
: "${top_srcdir:=.}" "${top_builddir:=.}"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
LOOKUP=$top_builddir/tests/geoip_lookup
n=0
fail=0
ok() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fail=1; fi
}
ADDRS="192.0.2.5 198.51.100.200 203.0.113.7 203.0.113.200 2001:db8:1::9 10.1.2.3 2001:db8:2::1"
echo "1..4"
why=
command -v mmdblookup >/dev/null 2>&1 || why="mmdblookup (mmdb-bin) not installed"
perl -MMaxMind::DB::Writer::Tree -e 1 2>/dev/null ||
    why="MaxMind::DB::Writer (libmaxmind-db-writer-perl) not installed"
if ! "$LOOKUP" /dev/null /dev/null 2>&1 | grep -q 'not a MaxMind DB'; then
	"$LOOKUP" /dev/null /dev/null 2>&1 | grep -q 'without libmaxminddb' &&
	    why="built without libmaxminddb"
fi
if [ -n "$why" ]; then
	for i in 1 2 3 4; do echo "ok $i # SKIP $why"; done
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
exit $fail
