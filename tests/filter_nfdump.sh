#!/bin/sh
# tests/filter_nfdump.sh -- every expression in t_filter's accept table
# must pass `nfdump -Z` and every one in its reject table must fail it,
# except the deliberate differences listed below (flowkit-filter(7),
# "Differences from nfdump").  SKIPs without nfdump.
: "${top_builddir:=.}"
T="$top_builddir/tests/t_filter"

# Accepted by flowq, refused by nfdump 1.7.1:
accept_diff='net 10/8
flags s
flags EC
flags >= 64
min ttl 60 and max ttl >= 64
max  ttl < 64
flowlabel 12345
flowlabel > 0
vlanprio 3
cvlan 100
cvlan 200
src cvlan 200
dst cvlan 200
appid 13..80
appid 13:80
appid 13..81
not appid 13..80
appid 20..9..258
nat event add44
nat event ADD44'
# Refused by flowq, accepted by nfdump 1.7.1:
reject_diff='ip in [10.0.0.0/33]
packets > 18446744073709551616
bytes > 18446744073709552k
mask 129'

if ! command -v nfdump >/dev/null 2>&1; then
	echo "1..0 # SKIP nfdump not installed"
	exit 0
fi
if [ ! -x "$T" ]; then
	echo "1..1"
	echo "not ok 1 - $T not built"
	exit 0
fi

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
"$T" --accept >"$tmp/accept" && "$T" --reject >"$tmp/reject" || exit 1
n=$(($(wc -l <"$tmp/accept") + $(wc -l <"$tmp/reject")))
echo "1..$n"

i=0
check() {	# table expr
	i=$((i + 1))
	# the tables print newlines as \n
	expr=$(printf '%s' "$2" | sed 's/\\n/\
/g')
	if timeout 10 nfdump -Z "$expr" >/dev/null 2>&1; then
		nf=accept
	else
		nf=reject
	fi
	if [ "$1" = accept ]; then
		diffs=$accept_diff
	else
		diffs=$reject_diff
	fi
	if printf '%s\n' "$diffs" | grep -Fxq -- "$2"; then
		# a documented difference: nfdump must still disagree
		if [ "$nf" != "$1" ]; then
			printf '%s\n' "ok $i - '$2': flowq ${1}s, nfdump ${nf}s (documented)"
		else
			printf '%s\n' "not ok $i - '$2' is listed as a difference but nfdump agrees"
		fi
	elif [ "$nf" = "$1" ]; then
		printf '%s\n' "ok $i - '$2': both ${1}"
	else
		printf '%s\n' "not ok $i - '$2': flowq ${1}s, nfdump ${nf}s"
	fi
}

while IFS= read -r e; do check accept "$e"; done <"$tmp/accept"
while IFS= read -r e; do check reject "$e"; done <"$tmp/reject"
