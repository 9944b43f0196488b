#!/bin/sh
# replay.sh TOOL PCAP PPS: TOOL (flowprobe|flowprobe-2MiB|softflowd) on its defaults captures lo while tcpreplay
# sends PCAP at PPS; one line: tool, load, packets seen/dropped, CPU s (utime+stime), VmHWM kB
B=/work/wt/s4-pcap
TOOL=$1; P=$2; PPS=$3
T=/tmp/s4p/live
F='not (host 127.0.0.1 or host ::1)'
rm -f $T/sport
$B/tests/udpsink -P $T/sport -i 60000 -t 60000 -B 33554432 >/dev/null 2>&1 &
S=$!
for i in $(seq 1 100); do [ -s $T/sport ] && break; sleep 0.05; done
SPORT=$(cat $T/sport)
if [ $TOOL = flowprobe-2MiB ]; then
	$B/probe/flowprobe -B 2097152 -i lo -n 127.0.0.1:$SPORT "$F" >$T/r.out 2>$T/r.err &
elif [ $TOOL = flowprobe ]; then
	$B/probe/flowprobe -i lo -n 127.0.0.1:$SPORT "$F" >$T/r.out 2>$T/r.err &
else
	rm -f $T/sfd.ctl
	softflowd -i lo -d -v 9 -n 127.0.0.1:$SPORT -c $T/sfd.ctl -p $T/sfd.pid "$F" >$T/r.out 2>$T/r.err &
fi
Q=$!
sleep 1.5
l=$(cut -d' ' -f1 /proc/loadavg)
tcpreplay -q -i lo --pps=$PPS $P > $T/tr.out 2>&1
sleep 0.6
cpu=$(awk '{printf "%.2f", ($14+$15)/100}' /proc/$Q/stat)
hwm=$(awk '/VmHWM/{print $2}' /proc/$Q/status)
if [ $TOOL = softflowd ]; then
	softflowctl -c $T/sfd.ctl statistics > $T/r.stat 2>&1
	seen=$(sed -n 's/^Packets processed: \([0-9]*\).*/\1/p' $T/r.stat)
	drop=$(sed -n 's/^Packets dropped by libpcap: \([0-9]*\).*/\1/p' $T/r.stat)
fi
kill -TERM $Q; wait $Q 2>/dev/null
if [ $TOOL != softflowd ]; then
	seen=$(sed -n 's/^Frames processed: \([0-9]*\).*/\1/p' $T/r.err)
	drop=$(sed -n 's/^Packets dropped by libpcap: \([0-9]*\).*/\1/p' $T/r.err)
fi
kill $S; wait $S 2>/dev/null
rate=$(grep -o "Rated: [0-9.]* Bps, [0-9.]* Mbps, [0-9.]* pps" $T/tr.out | sed 's/.*Mbps, //')
echo "$TOOL load $l seen $seen dropped $drop cpu_s $cpu vmhwm_kB $hwm sent_at $rate"
