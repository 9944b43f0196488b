#!/bin/sh
# cmp.sh FP PCAP OUT [args]: md5 of every datagram payload flowprobe sends, in order
FP=$1; P=$2; O=$3; shift 3
B=/work/wt/s4-probe
T=$(mktemp -d)
$B/tests/udpsink -P $T/port -w $T/out.pcap -i 3600000 -t 3600000 -B 33554432 >$T/sink 2>&1 &
S=$!
for i in $(seq 1 100); do [ -s $T/port ] && break; sleep 0.05; done
$FP -r $P -n 127.0.0.1:$(cat $T/port) "$@" >/dev/null 2>$T/err
sleep 1; kill $S; wait $S 2>/dev/null
tshark -r $T/out.pcap -T fields -e data 2>/dev/null | md5sum > $O
tshark -r $T/out.pcap -T fields -e data 2>/dev/null | wc -l >> $O
cat $T/sink >> $O
rm -rf $T
