#!/bin/sh
# tests/flowcapd_sampling.sh -- flowcapd applies the sampling rate that
# routers announce, by the rule table of flowcapd(8) "Sampling", to
# datagrams built with python3-scapy (tests/gen_scapy_sampling.py): the
# IOS-XR random sampler (selectorAlgorithm 3, samplingSize 1,
# samplingPopulation 256) with options and data in one datagram and with
# the data first, two samplers on one exporter, a rate change
# mid-stream, selectorId options with samplerId data, the other PSAMP
# algorithms and nonsense values, v9 34/35 and 48/49/50 (data before a
# sampler's options included), -s with rate-less samplers, data naming a
# sampler never announced, and sampler state across a restart.
# Takes about 4 seconds.  SKIPs when python3-scapy is missing.
: "${top_srcdir:=.}" "${top_builddir:=.}"
tmp=$(mktemp -d) || exit 1
. "$top_srcdir/tests/flowcapd_lib.sh"
trap cleanup EXIT
trap 'exit 1' INT TERM

N=16
echo "1..$N"
if ! [ -x /usr/bin/python3 ] ||
    ! /usr/bin/python3 -c 'import scapy.layers.netflow' >/dev/null 2>&1; then
	i=0
	while [ $i -lt $N ]; do skip "python3-scapy not installed"; i=$((i+1)); done
	exit 0
fi
timeout 60 /usr/bin/python3 "$top_srcdir/tests/gen_scapy_sampling.py" "$tmp" ||
    { echo "Bail out! generator failed"; exit 1; }
g=$tmp

# shape DOMAIN VERSION DESCRIPTION: the records of one exporter match
shape() {
	grep "from=127.0.0.1/v$2/$1\$" "$g/$want" >"$tmp/want.$1"
	grep "from=127.0.0.1/v$2/$1\$" "$tmp/got" >"$tmp/got.$1"
	[ -s "$tmp/want.$1" ] && diff -u "$tmp/want.$1" "$tmp/got.$1" \
	    >"$tmp/diff.$1"
	ok $? "$3"
	[ -s "$tmp/diff.$1" ] && sed 's/^/# /' "$tmp/diff.$1"
}

ALL="$g/xr_one.hex $g/xr_after.hex $g/two.hex $g/change.hex $g/mixed.hex
    $g/odd.hex $g/count.hex $g/v9_34.hex $g/v9_48.hex"

# 1-11: every shape in one run, each exporter on its own domain
mkdir "$tmp/a"
capd_start "$tmp/a"
# shellcheck disable=SC2086
send $ALL
capd_stop
records "$tmp/a" >"$tmp/got"
log=$CAPD_LOG
want=expected.txt
shape 21 10 "IOS-XR random sampler (304=3, 309=1, 310=256, 305=1), options and data in one datagram: rate 256"
shape 22 10 "IOS-XR shape, data one datagram before the options: held, then stored at 256"
grep -q "v10/22: .* (1 sets waited for a sampler's rate, 0 stored without" "$log"
ok $? "the wait is counted in the rotation line"
shape 23 10 "two samplers on one exporter: selector 1 at 1/100 (n-out-of-N), selector 2 at 1/10 (count-based)"
shape 24 10 "rate change mid-stream: 256, then 512 for the records decoded after the new options"
shape 25 10 "selectorId in the options, samplerId (48) in the data: rate 128"
shape 26 10 "uniform probabilistic 311=0.01: 100; time-based, hash-based, samplingSize 0, samplingProbability 0: no scale-up"
grep -q "v10/26: sampler 12: samplingSize is 0 (random n-out-of-N): no rate taken from it, counters not scaled up (2 sampling announcements that made no sense so far)" "$log"
st=$?
ok $st "nonsense values are counted and logged with the sampler and the reason"
[ $st -eq 0 ] || grep "v10/26" "$log" | sed 's/^/# /'
shape 29 10 "count-based without 304 (305=1, 306=255): 256"
shape 31 9 "v9 SAMPLING_INTERVAL 34 / SAMPLING_ALGORITHM 35: 100 for the source id"
shape 32 9 "v9 FLOW_SAMPLER_ID 48 / MODE 49 / RANDOM_INTERVAL 50 per sampler (64, 1000); data naming sampler 3 before its options held, then 32"

# 12: -s 7 applies to records without a usable announced rate only
mkdir "$tmp/b"
capd_start "$tmp/b" -s 7
send "$g/odd.hex" "$g/xr_one.hex"
capd_stop
records "$tmp/b" >"$tmp/got"
want=expected_s7.txt
shape 26 10 "-s 7: time-based, hash-based and nonsense samplers get 7; the probabilistic one keeps 100"

# 13: data naming a sampler never announced is stored at exit, unscaled
mkdir "$tmp/c"
capd_start "$tmp/c"
send "$g/orphan.hex"
capd_stop
records "$tmp/c" | diff -u "$g/expected_orphan.txt" - >"$tmp/c.diff" &&
    grep -q "v10/27: .* (1 sets waited for a sampler's rate, 1 stored without" "$CAPD_LOG"
st=$?
ok $st "records of a sampler never announced wait, and are stored without a rate at exit (none lost)"
[ $st -eq 0 ] || sed "s/^/# /" "$tmp/c.diff"

# 14-16: sampler state survives a restart between options and data
mkdir "$tmp/d"
capd_start "$tmp/d"
send "$g/xr_opts.hex"
capd_stop
before=$(stat -c %Y.%s "$tmp/d/.flowcapd-templates" 2>/dev/null)
[ -n "$before" ]
ok $? "sampler state saved in the template file"
sleep 1.1
capd_start "$tmp/d"
send "$g/xr_opts.hex"
sleep 1.2
[ "$(stat -c %Y.%s "$tmp/d/.flowcapd-templates")" = "$before" ]
ok $? "the same sampler announced again leaves the saved file alone"
capd_stop
capd_start "$tmp/d"
send "$g/xr_data.hex"
capd_stop
records "$tmp/d" | diff -u "$g/expected_xr.txt" - >"$tmp/d.diff"
ok $? "data after a restart gets the saved sampler's rate (256)"
[ -s "$tmp/d.diff" ] && sed 's/^/# /' "$tmp/d.diff"
exit $tap_fail
