#!/bin/sh
# tests/flowcapd_scapy.sh -- flowcapd stores exactly what python3-scapy-built
# v5, v9 and IPFIX datagrams carry (options templates with sampling,
# variable-length and enterprise fields, data before its template), counts
# sequence gaps by each protocol's rule, applies -s, and keeps its templates
# across a restart between template and data.
: "${top_srcdir:=.}" "${top_builddir:=.}"
tmp=$(mktemp -d) || exit 1
. "$top_srcdir/tests/flowcapd_lib.sh"
trap cleanup EXIT
trap 'exit 1' INT TERM

echo "1..9"
if ! [ -x /usr/bin/python3 ] ||
    ! /usr/bin/python3 -c 'import scapy.layers.netflow' >/dev/null 2>&1; then
	for i in 1 2 3 4 5 6 7 8 9; do skip "python3-scapy not installed"; done
	exit 0
fi
timeout 60 /usr/bin/python3 "$top_srcdir/tests/gen_scapy_collect.py" "$tmp" ||
    { echo "Bail out! generator failed"; exit 1; }
g=$tmp

# 1-3: everything in one run
mkdir "$tmp/a"
capd_start "$tmp/a"
send "$g/v5.hex" "$g/v9_tmpl.hex" "$g/v9_data.hex" "$g/ipfix.hex"
capd_stop
records "$tmp/a" >"$tmp/a.out"
diff -u "$g/expected.txt" "$tmp/a.out" >"$tmp/a.diff"
ok $? "every field of 10 v5/v9/IPFIX records read back as sent, sampled counters scaled"
[ -s "$tmp/a.diff" ] && sed 's/^/# /' "$tmp/a.diff"
"$FFDUMP" -q "$tmp"/a/flows.* >"$tmp/a.meta"
grep -q "127.0.0.1 port=[0-9]* version=9 domain=42 sampling=100 datagrams=5 records=5 gaps=1 lost=3 resets=0 malformed=0 notmpl=1 dropped=0" "$tmp/a.meta"
ok $? "v9 exporter statistics in the trailer: 3 export packets lost in one gap, one set held"
grep -q "version=5 domain=772 sampling=10 datagrams=1 records=2 gaps=0 lost=0 resets=0 malformed=0 notmpl=0" "$tmp/a.meta" &&
    grep -q "version=10 domain=7 sampling=50 datagrams=3 records=3 .* malformed=0 notmpl=1 dropped=0" "$tmp/a.meta"
st=$?
ok $st "v5 and IPFIX exporter statistics in the trailer"
[ $st -eq 0 ] || sed 's/^/# /' "$tmp/a.meta"

# 4: -s -7 forces the rate
mkdir "$tmp/b"
capd_start "$tmp/b" -s -7
send "$g/v5.hex" "$g/v9_tmpl.hex" "$g/v9_data.hex" "$g/ipfix.hex"
capd_stop
records "$tmp/b" | diff -u "$g/expected_force7.txt" - >"$tmp/b.diff"
ok $? "-s -7 overrides announced rates: counters scaled by 7, rate 7 recorded"
[ -s "$tmp/b.diff" ] && sed 's/^/# /' "$tmp/b.diff"

# 5: -s 3 is only a default: announced rates win
mkdir "$tmp/c"
capd_start "$tmp/c" -s 3
send "$g/v5.hex" "$g/v9_tmpl.hex" "$g/v9_data.hex" "$g/ipfix.hex"
capd_stop
records "$tmp/c" | diff -u "$g/expected.txt" - >/dev/null
ok $? "-s 3 does not override announced rates"

# 6-8: restart between the templates and the data
mkdir "$tmp/d"
capd_start "$tmp/d"
send "$g/v9_tmpl.hex"
capd_stop
test -s "$tmp/d/.flowcapd-templates"
ok $? "templates persisted in the data directory"
capd_start "$tmp/d"
grep -q "templates loaded" "$CAPD_LOG"
ok $? "templates reloaded at start"
send "$g/v9_data.hex"
capd_stop
grep 'from=127.0.0.1/v9/' "$g/expected.txt" >"$tmp/d.want"
records "$tmp/d" | diff -u "$tmp/d.want" - >"$tmp/d.diff"
ok $? "data after the restart decodes with the saved templates and sampling"
[ -s "$tmp/d.diff" ] && sed 's/^/# /' "$tmp/d.diff"

# 9: a template refresh (same layouts) does not rewrite the template file
before=$(stat -c %Y.%s "$tmp/d/.flowcapd-templates")
sleep 1.1
capd_start "$tmp/d"
send "$g/v9_tmpl.hex"
sleep 1.2
capd_stop
[ "$(stat -c %Y.%s "$tmp/d/.flowcapd-templates")" = "$before" ]
ok $? "refreshed templates leave the saved file alone"
exit 0
