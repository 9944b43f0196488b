# tests/sink_lib.sh -- shell helpers for the sink tests (sourced after
# tests/flowcapd_lib.sh): a free TCP port, ClickHouse 18.16 started on
# 127.0.0.1 from a configuration in the test's directory, HTTP queries
# to it, and waiting for a flowcapd sink to catch up.
# Needs: $tmp, python3 at /usr/bin/python3 (or $PY).
PY=${PY:-/usr/bin/python3}
FLOWCTL=$top_builddir/probe/flowctl
FLOWQ=$top_builddir/query/flowq
CH_PID=
CH_PORT=

free_tcp_port() {
	"$PY" -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
}

# ch_config DIR PORT: a server on 127.0.0.1:PORT (HTTP only) keeping its
# data in DIR; users "default" (no password) and "loader" (password
# "s3cret", for the sink's password_env).
ch_config() {
	mkdir -p "$1/data" "$1/tmp" "$1/log" "$1/user_files" "$1/format_schemas"
	cat >"$1/config.xml" <<EOF
<?xml version="1.0"?>
<yandex>
  <logger><level>warning</level><log>$1/log/server.log</log>
    <errorlog>$1/log/err.log</errorlog><console>0</console></logger>
  <http_port>$2</http_port>
  <listen_host>127.0.0.1</listen_host>
  <path>$1/data/</path>
  <tmp_path>$1/tmp/</tmp_path>
  <user_files_path>$1/user_files/</user_files_path>
  <format_schema_path>$1/format_schemas/</format_schema_path>
  <users_config>$1/users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <mark_cache_size>5368709</mark_cache_size>
</yandex>
EOF
	cat >"$1/users.xml" <<'EOF'
<?xml version="1.0"?>
<yandex>
  <profiles><default></default></profiles>
  <users>
    <default><password></password><networks><ip>127.0.0.1</ip></networks>
      <profile>default</profile><quota>default</quota></default>
    <loader><password>s3cret</password><networks><ip>127.0.0.1</ip></networks>
      <profile>default</profile><quota>default</quota></loader>
  </users>
  <quotas><default></default></quotas>
</yandex>
EOF
}

# ch_ping: 0 if the server answers /ping.
ch_ping() {
	"$PY" - "$CH_PORT" <<'EOF' 2>/dev/null
import sys, urllib.request
try:
    r = urllib.request.urlopen("http://127.0.0.1:%s/ping" % sys.argv[1], timeout=1)
    sys.exit(0 if r.read().startswith(b"Ok") else 1)
except Exception:
    sys.exit(1)
EOF
}

# ch_run DIR: start the server configured in DIR on CH_PORT; wait for it
# (at most 10 s).  Sets CH_PID.
ch_run() {
	clickhouse-server --config-file="$1/config.xml" >>"$1/log/stdout" 2>&1 &
	CH_PID=$!
	for _i in $(seq 1 100); do
		ch_ping && return 0
		kill -0 "$CH_PID" 2>/dev/null || break
		sleep 0.1
	done
	return 1
}

# ch_start DIR: configure and start on a free port (5 tries).
ch_start() {
	for _try in 1 2 3 4 5; do
		CH_PORT=$(free_tcp_port) || return 1
		ch_config "$1" "$CH_PORT"
		ch_run "$1" && return 0
		kill -9 "$CH_PID" 2>/dev/null
		wait "$CH_PID" 2>/dev/null
	done
	echo "# clickhouse-server did not start:"
	tail -5 "$1/log/err.log" "$1/log/stdout" 2>/dev/null | sed 's/^/#   /'
	return 1
}

ch_kill() {
	kill -9 "$CH_PID" 2>/dev/null
	wait "$CH_PID" 2>/dev/null
	CH_PID=
}

# ch_query SQL: the answer as TabSeparated on stdout; non-zero on error.
ch_query() {
	"$PY" - "$CH_PORT" "$1" <<'EOF'
import sys, urllib.request
req = urllib.request.Request("http://127.0.0.1:%s/" % sys.argv[1],
                             data=sys.argv[2].encode())
try:
    sys.stdout.write(urllib.request.urlopen(req, timeout=60).read().decode())
except urllib.error.HTTPError as e:
    sys.stderr.write(e.read().decode())
    sys.exit(1)
EOF
}

# sink_stat CTL NAME FIELD: one line of `flowctl sinks` for a sink.
sink_stat() {
	"$FLOWCTL" -c "$1" sinks 2>/dev/null |
	    awk -v s="sink $2" -v f="$3" '$0 == s { on = 1; next }
	        /^sink / { on = 0 }
	        on && index($0, "  " f ":") == 1 { sub("^  " f ": *", ""); print; exit }'
}

# sink_wait CTL NAME SECS: wait until the sink is up (it has delivered
# or made its table) and has no lag, twice in a row 0.2 s apart (at most
# SECS seconds): a sink just started says lag 0 before its first look
# at the files.
sink_wait() {
	_end=$(( $(date +%s) + $3 ))
	_seen=0
	while [ "$(date +%s)" -lt "$_end" ]; do
		if [ "$(sink_stat "$1" "$2" state)" = up ]; then
			case $(sink_stat "$1" "$2" lag) in
			0.000*) _seen=$((_seen + 1)) ;;
			*) _seen=0 ;;
			esac
		else
			_seen=0
		fi
		[ $_seen -ge 2 ] && return 0
		sleep 0.2
	done
	return 1
}

# sink_wait_stat CTL NAME FIELD PATTERN SECS: wait until the field
# matches the case pattern (at most SECS seconds).
sink_wait_stat() {
	_end=$(( $(date +%s) + $5 ))
	while [ "$(date +%s)" -lt "$_end" ]; do
		# shellcheck disable=SC2254
		case $(sink_stat "$1" "$2" "$3") in $4) return 0 ;; esac
		sleep 0.2
	done
	return 1
}

# sink_wait_delivered CTL NAME N SECS: wait until the sink's cursor has
# delivered at least N flows ever (at most SECS seconds).  The exact
# wait when the test knows what was stored: lag 0 alone can be read
# while the collector still holds its last block.
sink_wait_delivered() {
	_end=$(( $(date +%s) + $4 ))
	while [ "$(date +%s)" -lt "$_end" ]; do
		_n=$(sink_stat "$1" "$2" "delivered ever" | sed 's/ .*//')
		[ "${_n:-0}" -ge "$3" ] && return 0
		sleep 0.2
	done
	return 1
}
