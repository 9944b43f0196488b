#!/bin/sh
# ps.sh FP PCAP [args]: wall, user+sys, peak RSS of flowprobe -r to a fresh udpsink, and the load
FP=$1; P=$2; shift 2
B=/work/wt/s4-probe
T=$(mktemp -d)
$B/tests/udpsink -P $T/port -i 3600000 -t 3600000 -B 8388608 >/dev/null 2>&1 &
S=$!
for i in $(seq 1 100); do [ -s $T/port ] && break; sleep 0.05; done
/usr/bin/time -f "wall=%e user=%U sys=%S rss=%MkB" $FP -r $P -n 127.0.0.1:$(cat $T/port) "$@" 2>&1 >/dev/null | tail -1 | tr '\n' ' '
echo "load=$(cut -d' ' -f1 /proc/loadavg)"
kill $S; wait $S 2>/dev/null
rm -rf $T
