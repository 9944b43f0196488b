#!/bin/sh
# live.sh FLOWPROBE N [flowprobe args...]: N datagrams burst on lo, flowprobe -i lo counts
B=/work/wt/s4-pcap
FP=$1; N=$2; shift 2
T=/tmp/s4p/live
rm -f $T/port
$B/tests/udpsink -P $T/port -i 60000 -t 60000 -B 33554432 >/dev/null 2>&1 &
S=$!
for i in $(seq 1 100); do [ -s $T/port ] && break; sleep 0.05; done
PORT=$(cat $T/port)
[ -s $T/dg$N ] || { i=0; while [ $i -lt $N ]; do echo 0011223344556677; i=$((i+1)); done > $T/dg$N; }
$FP -i lo -d "$@" udp and dst port $PORT >$T/out 2>$T/err &
P=$!
sleep 1
/usr/bin/time -f "send %e s" $B/tests/nfsend 127.0.0.1 $PORT $T/dg$N >/dev/null
sleep 0.5
grep -E "VmHWM|RssFile|RssShmem|RssAnon" /proc/$P/status | tr "\n" " "
kill -TERM $P; wait $P
kill $S; wait $S 2>/dev/null
grep -E "^Packets (accounted|dropped)|received" $T/err | tr '\n' ' '; echo
