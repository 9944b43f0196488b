#!/bin/sh
# ab.sh ROUNDS PCAP OUT BIN...: alternating runs, one line per run: bin wall user sys rss load1
R=$1; P=$2; OUT=$3; shift 3
for r in $(seq 1 $R); do
  for b in "$@"; do
    /tmp/s4p/run1.sh $b $P /usr/bin/time -f "$(basename $b) %e %U %S %M" -o /tmp/s4p/t.out >/dev/null 2>&1
    echo "$(cat /tmp/s4p/t.out) $(cut -d' ' -f1 /proc/loadavg)" >> $OUT
  done
done
