#!/bin/sh
# tests/flowcapd_strings.sh -- a string field through flowcapd: IPFIX
# datagrams whose records carry applicationName (IE 96, variable
# length: empty, short, 255 and 300 bytes, UTF-8) go to flowcapd with
# its defaults and with -W 2; every record's name is stored and listed
# by flowq as sent.  The names differ in every record and datagram, so
# a name that pointed into a receive buffer reused by a later datagram
# (instead of travelling with its record to the writer) shows up as a
# wrong name.  About 5 seconds.
: "${top_srcdir:=.}" "${top_builddir:=.}"
tmp=$(mktemp -d) || exit 1
. "$top_srcdir/tests/flowcapd_lib.sh"
trap cleanup EXIT
[ -n "$KEEP" ] && trap - EXIT
trap 'exit 1' INT TERM
FLOWQ=$top_builddir/query/flowq
PY=$(command -v python3)
if [ -z "$PY" ]; then
	skip "python3 missing (writes the datagrams)"
	echo "1..$tap_n"
	exit 0
fi

# 400 datagrams of 16 records, 6400 distinct names
"$PY" "$top_srcdir/tests/gen_ipfix_names.py" "$tmp/dg.hex" "$tmp/want"
ok $? "400 IPFIX datagrams with 6400 names written"

run() {		# run NAME [flowcapd flags]
	name=$1
	shift
	mkdir "$tmp/$name"
	capd_start "$tmp/$name" "$@" || { ok 1 "$name: flowcapd started"; return; }
	timeout 30 "$NFSEND" 127.0.0.1 "$PORT" "$tmp/dg.hex" >/dev/null
	sleep 0.5
	capd_stop
	f=$(find "$tmp/$name" -name 'flows.*' ! -name '*.current' -type f |
	    sort)
	# shellcheck disable=SC2086
	"$FLOWQ" -q -N -o 'fmt:%sa %sp %app|' -r $f 2>"$tmp/$name.err" |
	    sed 's/^ *//; s/  */ /g; s/ *|$/|/' | sort >"$tmp/$name.got"
	n=$(wc -l <"$tmp/$name.got")
	if cmp -s "$tmp/want" "$tmp/$name.got"; then
		ok 0 "$name: every one of $n records has the name sent"
	else
		ok 1 "$name: every record has the name sent ($n records)"
		diff "$tmp/want" "$tmp/$name.got" | head -10 | sed 's/^/# /'
	fi
	"$FLOWQ" -q -r $f 'app "app-399-*"' -o 'fmt:%sp' >"$tmp/$name.f"
	[ "$(wc -l <"$tmp/$name.f")" -eq 12 ]
	ok $? "$name: the filter finds the 12 app- names of the last datagram"
}

run defaults
run workers -W 2
echo "1..$tap_n"
exit $tap_fail
