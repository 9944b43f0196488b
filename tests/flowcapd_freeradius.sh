#!/bin/sh
# tests/flowcapd_freeradius.sh -- a real FreeRADIUS server (Debian's
# freeradius 3.2), started here on loopback with a configuration of its
# own, proxies the accounting radclient sends it to flowcapd (which
# FreeRADIUS then checks: it answers radclient only after flowcapd's
# Accounting-Response), and writes its detail file, which a second
# flowcapd follows with --sessions while it grows.
: "${top_srcdir:=.}" "${top_builddir:=.}"
tmp=$(mktemp -d) || exit 1
. "$top_srcdir/tests/flowcapd_lib.sh"
FR_PID=
B_PID=
trap 'kill -9 $FR_PID $B_PID 2>/dev/null; cleanup' EXIT
trap 'exit 1' INT TERM
FLOWCTL=$top_builddir/probe/flowctl
NT=9

echo "1..$NT"
why=
command -v radclient >/dev/null 2>&1 || why="radclient (freeradius-utils) not installed"
command -v freeradius >/dev/null 2>&1 || why="freeradius not installed"
[ -f /usr/share/freeradius/dictionary ] || why="FreeRADIUS dictionaries not installed"
if [ -n "$why" ]; then
	for i in $(seq 1 $NT); do skip "$why"; done
	exit 0
fi

printf 's3cr3t\n' >"$tmp/secret"
mkdir "$tmp/a" "$tmp/b" "$tmp/raddb" "$tmp/radacct" "$tmp/run"
capd_start "$tmp/a" --radius-acct 127.0.0.1:0 --radius-secret "$tmp/secret" \
    -c "$tmp/a.ctl"
CAPPORT=$(sed -n 's/.*RADIUS accounting on port \([0-9]*\).*/\1/p' "$CAPD_LOG")
[ -n "$CAPPORT" ]
ok $? "flowcapd answers RADIUS on a free port"

printf '$INCLUDE /usr/share/freeradius/dictionary\n' >"$tmp/raddb/dictionary"
frconf() {	# frconf FRPORT: the whole configuration
	cat >"$tmp/raddb/radiusd.conf" <<CONF
prefix = /usr
exec_prefix = /usr
sysconfdir = /etc
localstatedir = /var
sbindir = /usr/sbin
logdir = $tmp/run
raddbdir = $tmp/raddb
radacctdir = $tmp/radacct
name = radiusd
confdir = \${raddbdir}
modconfdir = \${confdir}/mods-config
certdir = \${confdir}/certs
cadir = \${confdir}/certs
run_dir = $tmp/run
db_dir = \${raddbdir}
libdir = /usr/lib/freeradius
pidfile = \${run_dir}/radiusd.pid
max_request_time = 30
cleanup_delay = 5
max_requests = 1024
hostname_lookups = no
log {
	destination = stderr
}
security {
	allow_core_dumps = no
	max_attributes = 200
	reject_delay = 0
	status_server = no
}
proxy_requests = yes
home_server flowcapd {
	type = acct
	ipaddr = 127.0.0.1
	port = $CAPPORT
	secret = s3cr3t
	response_window = 5
	zombie_period = 40
	status_check = none
}
home_server_pool flowcapd_pool {
	type = fail-over
	home_server = flowcapd
}
realm flowcapd {
	acct_pool = flowcapd_pool
	nostrip
}
client nas {
	ipaddr = 127.0.0.1
	secret = nassecret
}
modules {
	always ok {
		rcode = ok
	}
	detail {
		filename = \${radacctdir}/192.0.2.1/detail
		header = "%t"
		permissions = 0600
	}
}
server default {
	listen {
		type = acct
		ipaddr = 127.0.0.1
		port = $1
	}
	preacct {
		update control {
			&Proxy-To-Realm := "flowcapd"
		}
	}
	accounting {
		ok
	}
	pre-proxy {
		detail
	}
	post-proxy {
		ok
	}
}
CONF
}
# a free port for FreeRADIUS: ask the kernel, retry if it was taken meanwhile
FRPORT=
for try in 1 2 3 4 5; do
	p=$(python3 -c 'import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	frconf "$p"
	: >"$tmp/fr.log"
	freeradius -d "$tmp/raddb" -n radiusd -f -X >"$tmp/fr.log" 2>&1 &
	FR_PID=$!
	for _i in $(seq 1 100); do
		grep -q 'Ready to process requests' "$tmp/fr.log" && break
		kill -0 "$FR_PID" 2>/dev/null || break
		sleep 0.1
	done
	if grep -q 'Ready to process requests' "$tmp/fr.log"; then
		FRPORT=$p
		break
	fi
	kill -9 "$FR_PID" 2>/dev/null
	wait "$FR_PID" 2>/dev/null
	FR_PID=
done
[ -n "$FRPORT" ]
ok $? "FreeRADIUS starts with its own configuration on a free port"
[ -n "$FRPORT" ] || { tail -20 "$tmp/fr.log" | sed 's/^/# /'; exit 1; }

acct() {	# acct ATTRS...: through FreeRADIUS, one try
	printf '%s\n' "$@" | timeout 20 radclient -r 1 -t 8 -q \
	    "127.0.0.1:$FRPORT" acct nassecret >/dev/null 2>&1
}
sessions() {	# sessions CTL: the Sessions line
	timeout 10 "$FLOWCTL" -c "$1" sessions | grep '^Sessions'
}
acct 'Acct-Status-Type = Start' 'User-Name = "alice"' \
    'Acct-Session-Id = "A1"' 'Framed-IP-Address = 100.64.0.1' \
    'NAS-IP-Address = 192.0.2.1' &&
acct 'Acct-Status-Type = Start' 'User-Name = "bob"' \
    'Acct-Session-Id = "B1"' 'Framed-IP-Address = 100.64.0.2' \
    'Delegated-IPv6-Prefix = 2001:db8:b0::/48' 'NAS-IP-Address = 192.0.2.1' &&
acct 'Acct-Status-Type = Interim-Update' 'User-Name = "alice"' \
    'Acct-Session-Id = "A1"' 'Framed-IP-Address = 100.64.0.1' \
    'NAS-IP-Address = 192.0.2.1' 'Acct-Session-Time = 60' &&
acct 'Acct-Status-Type = Stop' 'User-Name = "bob"' \
    'Acct-Session-Id = "B1"' 'Framed-IP-Address = 100.64.0.2' \
    'Delegated-IPv6-Prefix = 2001:db8:b0::/48' 'NAS-IP-Address = 192.0.2.1' \
    'Acct-Session-Time = 5'
r=$?
ok $r "radclient -> FreeRADIUS -> flowcapd: four requests answered end to end"
[ $r -eq 0 ] || tail -40 "$tmp/fr.log" | sed 's/^/# /'
line=$(sessions "$tmp/a.ctl")
echo "# $line"
case $line in "Sessions: 3 known, 1 open"*) r=0 ;; *) r=1 ;; esac
ok $r "flowcapd learnt them: alice open, bob's IPv4 and delegated prefix closed"
timeout 10 "$FLOWCTL" -c "$tmp/a.ctl" sessions |
    grep -q 'RADIUS: 4 requests, 4 accepted'
ok $? "four requests, four accepted"

[ -s "$tmp/radacct/192.0.2.1/detail" ]
ok $? "FreeRADIUS wrote its detail file"
"$CAPD" -l "$tmp/b" -p 0 -b 127.0.0.1 -c "$tmp/b.ctl" \
    --sessions "$tmp/radacct" >"$tmp/b.log" 2>&1 &
B_PID=$!
line=
for _i in $(seq 1 50); do
	line=$(sessions "$tmp/b.ctl" 2>/dev/null)
	case $line in "Sessions: 3 known, 1 open"*) break ;; esac
	sleep 0.2
done
echo "# $line"
case $line in "Sessions: 3 known, 1 open"*) r=0 ;; *) r=1 ;; esac
ok $r "a second flowcapd reading the detail file knows the same sessions"
[ $r -eq 0 ] || sed 's/^/# /' "$tmp/b.log"
acct 'Acct-Status-Type = Start' 'User-Name = "carol"' \
    'Acct-Session-Id = "C1"' 'Framed-IP-Address = 100.64.0.3' \
    'NAS-IP-Address = 192.0.2.1'
for _i in $(seq 1 50); do
	line=$(sessions "$tmp/b.ctl" 2>/dev/null)
	case $line in "Sessions: 4 known, 2 open"*) break ;; esac
	sleep 0.2
done
echo "# $line"
case $line in "Sessions: 4 known, 2 open"*) r=0 ;; *) r=1 ;; esac
ok $r "and follows the file as it grows (carol's Start)"
! grep -q 'line skipped' "$tmp/b.log"
ok $? "no line of FreeRADIUS's detail file was refused"
kill "$B_PID" 2>/dev/null
wait "$B_PID" 2>/dev/null
B_PID=
kill "$FR_PID" 2>/dev/null
wait "$FR_PID" 2>/dev/null
FR_PID=
capd_stop
exit $tap_fail
