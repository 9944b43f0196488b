#!/bin/sh
# tests/config.sh -- configuration files (flowkit.conf(5)) of flowcapd,
# flowprobe and flowexpire: every key read and applied (--check prints
# what the program would use: golden outputs, and the printout read back
# gives itself), the command line over the file (a repeatable list
# replaced), every kind of error with its file:line and exit status 255
# (1 for the command line), flowexpire reading flowcapd's file, and a
# running flowcapd reloading its file on SIGHUP: what it applied, what
# needs a restart, a broken file changing nothing, flowctl rotate.  The
# probe's reload (new timeouts) captures on lo and needs root: SKIP
# otherwise.
: "${top_srcdir:=.}" "${top_builddir:=.}"
tmp=$(mktemp -d) || exit 1
. "$top_srcdir/tests/flowcapd_lib.sh"
trap cleanup EXIT
trap 'exit 1' INT TERM
PROBE=$top_builddir/probe/flowprobe
EXPIRE=$top_builddir/collector/flowexpire
CTL=$top_builddir/probe/flowctl
DATA=$top_srcdir/tests/data

echo "1..31"

# the body of a --check printout (its first line names the file)
body() { sed 1d "$1"; }

# wait_log FILE PATTERN: until the pattern is in the file (5 s at most)
wait_log() {
	for _i in $(seq 1 50); do
		grep -q "$2" "$1" && return 0
		sleep 0.1
	done
	return 1
}

mkdir "$tmp/d" "$tmp/e"

# 1-3: flowcapd, every key away from its default
sed "s|@DIR@|$tmp/d|" "$DATA/config_flowcapd.conf" >"$tmp/all.conf"
"$CAPD" -C "$tmp/all.conf" --check >"$tmp/all.out" 2>&1
st=$?
body "$tmp/all.out" | sed "s|$tmp/d|@DIR@|" | diff - "$DATA/config_flowcapd.out" \
    >"$tmp/diff" 2>&1
ok $((st + $?)) "flowcapd: every key of the file is applied (--check)"
[ $st -eq 0 ] || sed 's/^/# /' "$tmp/all.out"
sed 's/^/# /' "$tmp/diff"
body "$tmp/all.out" >"$tmp/again.conf"
"$CAPD" -C "$tmp/again.conf" --check >"$tmp/again.out" 2>&1 &&
    body "$tmp/again.out" | cmp -s - "$tmp/again.conf"
ok $? "flowcapd: the printout read as a file gives itself"
head -1 "$tmp/all.out" | grep -q "^# flowcapd .*: configuration file $tmp/all.conf is valid$"
ok $? "flowcapd: --check names the file it read"

# 4-5: the command line overrides the file; a repeatable list is replaced
"$CAPD" -C "$tmp/all.conf" -p 7 -b 127.0.0.2 --compress none -v --check \
    >"$tmp/ov.out" 2>&1
grep -q '^port = 7$' "$tmp/ov.out" &&
    [ "$(grep -c '^bind = ' "$tmp/ov.out")" -eq 3 ] &&
    grep -q '^bind = 127.0.0.2$' "$tmp/ov.out" &&
    ! grep -q '^bind = ::1$' "$tmp/ov.out" &&
    grep -q '^compress = none$' "$tmp/ov.out"
ok $? "flowcapd: -p, -b and --compress override the file; -b replaces its bind list (-4/-6 stay)"
printf 'dir = %s\nport = 0\nbind = 127.0.0.1\n' "$tmp/d" >"$tmp/min.conf"
"$CAPD" -C "$tmp/min.conf" -l "$tmp/e" --check >"$tmp/min.out" 2>&1 &&
    grep -q "^dir = $tmp/e\$" "$tmp/min.out"
ok $? "flowcapd: -l overrides dir"

# 6-13: errors name the file and line; exit 255
err_case() {	# err_case DESCRIPTION PATTERN: the file is $tmp/bad.conf
	"$CAPD" -C "$tmp/bad.conf" --check >"$tmp/bad.out" 2>&1
	st=$?
	[ $st -eq 255 ] && grep -q "^flowcapd: $tmp/bad.conf:$2" "$tmp/bad.out"
	ok $? "flowcapd: $1 (exit $st)"
	[ $st -eq 255 ] || sed 's/^/# /' "$tmp/bad.out"
}
printf 'dir = %s\n\nprot = 9995\n' "$tmp/d" >"$tmp/bad.conf"
err_case "unknown key, with the nearest" "3: unknown key 'prot' (did you mean 'port'?)$"
printf 'dir = %s\nport = 1\nport = 2\n' "$tmp/d" >"$tmp/bad.conf"
err_case "duplicate key" "3: port: already set at line 2"
printf 'dir = %s\nrotate = 1\n' "$tmp/d" >"$tmp/bad.conf"
err_case "bad value" "2: rotate: 1 is out of range 2..86400$"
printf 'dir = %s\ndaemon = maybe\n' "$tmp/d" >"$tmp/bad.conf"
err_case "bad flag value" "2: daemon: 'maybe' is not yes or no$"
printf '# c\ndir %s\n' "$tmp/d" >"$tmp/bad.conf"
err_case "line without =" "2: expected 'key = value'"
printf 'dir = %s\nconfig = /x\n' "$tmp/d" >"$tmp/bad.conf"
err_case "command-line-only key" "2: config: only on the command line$"
printf 'port = 0\ndir = %s/nonexistent\n' "$tmp" >"$tmp/bad.conf"
err_case "a data directory that is not there" "2: dir: $tmp/nonexistent: No such file"
"$CAPD" -C "$tmp/none.conf" --check >"$tmp/bad.out" 2>&1
[ $? -eq 255 ] && grep -q "^flowcapd: $tmp/none.conf: No such file or directory$" "$tmp/bad.out"
ok $? "flowcapd: a missing -C file (exit 255)"

# 14: under systemd (stderr is the journal), the reason has its priority
printf 'dir = %s\nbogus = 1\n' "$tmp/d" >"$tmp/bad.conf"
sh -c 'JOURNAL_STREAM=$(stat -L -c "%d:%i" /dev/fd/2) exec "$0" -C "$1"' \
    "$CAPD" "$tmp/bad.conf" 2>"$tmp/j.out"
[ $? -eq 255 ] && grep -q "^<3>flowcapd: $tmp/bad.conf:2: unknown key 'bogus'$" "$tmp/j.out"
st=$?
ok $st "flowcapd: to the journal, the refusal is logged at priority err (<3>)"
[ $st -eq 0 ] || sed 's/^/# /' "$tmp/j.out"

# 15: a bad command line still exits 1, naming the option as spelled
"$CAPD" -C "$tmp/min.conf" --port x --check >"$tmp/c1" 2>&1
s1=$?
"$CAPD" -C "$tmp/min.conf" -p x --check >"$tmp/c2" 2>&1
s2=$?
[ $s1 -eq 1 ] && [ $s2 -eq 1 ] &&
    grep -q "^flowcapd: --port: 'x' is not a number$" "$tmp/c1" &&
    grep -q "^flowcapd: -p: 'x' is not a number$" "$tmp/c2"
ok $? "flowcapd: a bad command-line value exits 1 (--port / -p)"

# 15-18: flowprobe
sed "s|@DIR@|$tmp|" "$DATA/config_flowprobe.conf" >"$tmp/p.conf"
"$PROBE" -C "$tmp/p.conf" --check >"$tmp/p.out" 2>&1
st=$?
body "$tmp/p.out" | sed "s|$tmp|@DIR@|" | diff - "$DATA/config_flowprobe.out" \
    >"$tmp/diff" 2>&1
ok $((st + $?)) "flowprobe: every key of the file is applied (--check)"
[ $st -eq 0 ] || sed 's/^/# /' "$tmp/p.out"
sed 's/^/# /' "$tmp/diff"
body "$tmp/p.out" >"$tmp/p2.conf"
"$PROBE" -C "$tmp/p2.conf" --check >"$tmp/p2.out" 2>&1 &&
    body "$tmp/p2.out" | cmp -s - "$tmp/p2.conf"
ok $? "flowprobe: the printout read as a file gives itself"
printf 'read = %s/x.pcap\ncollector = 127.0.0.1:9995\ncollector = 127.0.0.1:9996\ntimeout = udp=30s\ntimeout = tcp=77s\nfilter = tcp\n' "$tmp" >"$tmp/p3.conf"
"$PROBE" -C "$tmp/p3.conf" -n 127.0.0.1:7 -t udp=5s --check udp port 53 \
    >"$tmp/p3.out" 2>&1 &&
    grep -q "^read = $tmp/x.pcap\$" "$tmp/p3.out" &&
    [ "$(grep -c '^collector = ' "$tmp/p3.out")" -eq 1 ] &&
    grep -q '^timeout = udp=5s$' "$tmp/p3.out" &&
    grep -q '^timeout = tcp=15s$' "$tmp/p3.out" &&
    grep -q '^filter = udp port 53$' "$tmp/p3.out"
ok $? "flowprobe: -n and -t replace the file's lists, operands replace its filter"
printf 'read = x.pcap\ntimeout = udp=5y\n' >"$tmp/pbad.conf"
"$PROBE" -C "$tmp/pbad.conf" --check >"$tmp/pbad.out" 2>&1
[ $? -eq 255 ] && grep -q "^flowprobe: $tmp/pbad.conf:2: timeout: timeout \"udp=5y\": bad time" "$tmp/pbad.out"
ok $? "flowprobe: a bad value names file:line (exit 255)"

# 19-21: flowexpire reads dir and the expire-* limits from flowcapd's file
mkdir "$tmp/x"
: >"$tmp/x/flows.202001010000"
: >"$tmp/x/flows.202001010005"
: >"$tmp/x/flows.$(date -u +%Y%m%d%H)00"
cat "$tmp/all.conf" >"$tmp/x.conf"
sed -i "s|^dir = .*|dir = $tmp/x|; s|^expire-size = .*|expire-size = 1T|; s|^expire-age = .*|expire-age = 1d|" "$tmp/x.conf"
"$EXPIRE" -C "$tmp/x.conf" -n >"$tmp/x.out" 2>&1 &&
    [ "$(grep -c '^would remove ' "$tmp/x.out")" -eq 2 ] &&
    grep -q "would remove $tmp/x/flows.202001010000 " "$tmp/x.out"
ok $? "flowexpire -C flowcapd.conf: its dir and expire-age, the collector's keys skipped"
sed -e '/^expire-size/d' -e '/^expire-age/d' "$tmp/x.conf" >"$tmp/x2.conf"
"$EXPIRE" -C "$tmp/x2.conf" >"$tmp/x2.out" 2>&1 &&
    grep -q "no expire-size or expire-age in $tmp/x2.conf: nothing to do" "$tmp/x2.out" &&
    [ -f "$tmp/x/flows.202001010000" ]
ok $? "flowexpire -C without limits: nothing to do, exit 0"
printf 'dir = %s\nexpire-sise = 1G\n' "$tmp/x" >"$tmp/x3.conf"
"$EXPIRE" -C "$tmp/x3.conf" >"$tmp/x3.out" 2>&1
[ $? -eq 255 ] && grep -q ":2: unknown key 'expire-sise' (did you mean 'expire-size'?)" "$tmp/x3.out"
ok $? "flowexpire -C: an unknown key names file:line (exit 255)"

# 22-28: a running collector reloads its file on SIGHUP
v5() {
	printf '0005000100000064%08x000000000000000%x00000000' \
	    "$(date +%s)" "$1"
	printf '0a0000010a0000fe000000000001000200000003000001f4'
	printf '00000032000000640400005000001b060000000000000000\n'
}
v5 1 >"$tmp/v5.hex"
mkdir "$tmp/r"
cat >"$tmp/r.conf" <<EOF
dir = $tmp/r
port = 0
bind = 127.0.0.1
ident = before
control = $tmp/r.ctl
EOF
CAPD_LOG=$tmp/r.log
"$CAPD" -C "$tmp/r.conf" >"$CAPD_LOG" 2>&1 &
CAPD_PID=$!
wait_log "$CAPD_LOG" 'listening on port'
PORT=$(sed -n 's/.*listening on port \([0-9]*\).*/\1/p' "$CAPD_LOG")
grep -q "; configuration $tmp/r.conf" "$CAPD_LOG"
ok $? "flowcapd: the start-up line names the configuration file"
send "$tmp/v5.hex"
sed -i -e 's/^ident = before/ident = after/' -e 's/^port = 0/port = 1/' \
    "$tmp/r.conf"
echo 'compress = zlib' >>"$tmp/r.conf"
kill -HUP "$CAPD_PID"
wait_log "$CAPD_LOG" 'changes applied' &&
    grep -q "reload: ident: now 'after'" "$CAPD_LOG" &&
    grep -q "reload: compress: now 'zlib'" "$CAPD_LOG" &&
    grep -q "reload: port: changed to '1': not applied, needs a restart" "$CAPD_LOG" &&
    grep -q "reload: $tmp/r.conf: 2 changes applied, 1 need a restart" "$CAPD_LOG"
ok $? "SIGHUP: ident and compress applied, port needs a restart; one line each and a count"
timeout 10 "$CTL" -c "$tmp/r.ctl" rotate >"$tmp/rot1" 2>&1
f1=$(sed -n 's/^\(.*\): completed, 1 flows$/\1/p' "$tmp/rot1")
[ -n "$f1" ] && [ -f "$f1" ] && grep -q '^writing .*\.current$' "$tmp/rot1"
ok $? "flowctl rotate: completes the file and names it and its flows"
[ -n "$f1" ] && "$FFDUMP" -q "$f1" | grep -q 'ident=before'
ok $? "the file opened before the reload keeps the old ident"
send "$tmp/v5.hex"
timeout 10 "$CTL" -c "$tmp/r.ctl" rotate >"$tmp/rot2" 2>&1
f2=$(sed -n 's/^\(.*\): completed, 1 flows$/\1/p' "$tmp/rot2")
[ -n "$f2" ] && "$FFDUMP" -q "$f2" | grep -q 'ident=after'
ok $? "the next file has the new ident"
printf 'dir = %s\nbogus = 1\n' "$tmp/r" >"$tmp/r.conf"
kill -HUP "$CAPD_PID"
wait_log "$CAPD_LOG" "reload: $tmp/r.conf:2: unknown key 'bogus': the running configuration is unchanged" &&
    kill -0 "$CAPD_PID" 2>/dev/null
ok $? "SIGHUP with a broken file: named, nothing changed, still collecting"
send "$tmp/v5.hex"
capd_stop
[ "$(records "$tmp/r" | wc -l)" -eq 3 ]
ok $? "nothing was lost across the reloads and rotations (3 flows)"

# 29: SIGHUP without a file
mkdir "$tmp/n"
capd_start "$tmp/n" -C /dev/null
kill -HUP "$CAPD_PID"
wait_log "$CAPD_LOG" 'reload: /dev/null: 0 changes applied, 0 need a restart'
ok $? "SIGHUP with an empty file: nothing to change"
capd_stop

# 30: the probe's timeouts change on SIGHUP
if [ "$(id -u)" != 0 ]; then
	skip "flowprobe reload needs root to capture on lo"
else
	printf 'timeout = udp=20s\n' >"$tmp/pr.conf"
	"$PROBE" -C "$tmp/pr.conf" -i lo -c "$tmp/pr.ctl" udp port 9 \
	    >"$tmp/pr.log" 2>&1 &
	ppid=$!
	for _i in $(seq 1 50); do
		[ -S "$tmp/pr.ctl" ] && break
		sleep 0.1
	done
	if [ ! -S "$tmp/pr.ctl" ]; then
		kill "$ppid" 2>/dev/null
		skip "flowprobe cannot capture on lo here: $(head -1 "$tmp/pr.log")"
	else
		printf 'timeout = udp=42s\ntimeout = active=1h\n' >"$tmp/pr.conf"
		kill -HUP "$ppid"
		wait_log "$tmp/pr.log" 'changes applied'
		timeout 10 "$CTL" -c "$tmp/pr.ctl" timeouts >"$tmp/pr.t" 2>&1
		grep -q '^udp *= 42.000s$' "$tmp/pr.t" &&
		    grep -q '^active *= 3600.000s$' "$tmp/pr.t" &&
		    grep -q 'reload: timeout: now as the file says' "$tmp/pr.log"
		ok $? "flowprobe: SIGHUP applies new timeouts (flowctl timeouts)"
		kill "$ppid"
		wait "$ppid"
	fi
fi
exit $tap_fail
