#!/bin/sh
# cg.sh FP PCAP [args]: callgrind instruction count, all threads
FP=$1; P=$2; shift 2
B=/work/wt/s4-probe
T=$(mktemp -d)
$B/tests/udpsink -P $T/port -i 3600000 -t 3600000 -B 8388608 >/dev/null 2>&1 &
S=$!
for i in $(seq 1 100); do [ -s $T/port ] && break; sleep 0.05; done
valgrind --tool=callgrind --callgrind-out-file=$T/cg.out $FP -r $P -n 127.0.0.1:$(cat $T/port) "$@" 2>&1 >/dev/null | grep -o "Collected : [0-9]*"
kill $S; wait $S 2>/dev/null
rm -rf $T
