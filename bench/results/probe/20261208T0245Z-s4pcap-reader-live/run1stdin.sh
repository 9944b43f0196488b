#!/bin/sh
# run1stdin.sh FLOWPROBE PCAP [wrapper...]: flowprobe -r - < PCAP (libpcap reads) with a fresh udpsink
FP=$1; P=$2; shift 2
rm -f /tmp/s4p/port
/work/wt/s4-pcap/tests/udpsink -P /tmp/s4p/port -i 3600000 -t 3600000 -B 8388608 >/dev/null 2>&1 &
S=$!
for i in $(seq 1 100); do [ -s /tmp/s4p/port ] && break; sleep 0.05; done
"$@" $FP -r - -n 127.0.0.1:$(cat /tmp/s4p/port) < $P
kill $S; wait $S 2>/dev/null
