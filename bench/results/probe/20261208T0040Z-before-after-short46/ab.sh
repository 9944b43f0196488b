#!/bin/sh
# ab.sh PCAP OUTDIR: alternating runs of base (main before), new default, new -m 65536
P=$1; O=$2; mkdir -p $O
cat $P >/dev/null
for n in 1 2 3; do
 for v in base new new65536; do
  case $v in base) B=/tmp/s3p-base; X=;; new) B=/tmp/s3p/snap; X=;; new65536) B=/tmp/s3p/snap; X="-m 65536";; esac
  T=$(mktemp -d)
  $B/tests/udpsink -P $T/port -i 3600000 -t 3600000 -B 8388608 >$T/sink 2>&1 &
  S=$!
  for i in $(seq 1 100); do [ -s $T/port ] && break; sleep 0.05; done
  echo "load $(cat /proc/loadavg)" > $O/$v.$n.load
  /usr/bin/time -f '%e %U %S %M' -o $O/$v.$n.time $B/probe/flowprobe -r $P -n 127.0.0.1:$(cat $T/port) $X 2>$O/$v.$n.err >/dev/null
  kill $S; wait $S 2>/dev/null; rm -rf $T
 done
done
for v in base new new65536; do
 cat $O/$v.*.time | awk -v v=$v 'NR==1||$1<w{w=$1} NR==1||$2+$3<c{c=$2+$3} $4>r{r=$4} END{printf "%s best wall %.2f s, best cpu %.2f s, peak rss %.1f MB\n", v, w, c, r/1024}'
done
cat $O/*.load | awk '{print $2}' | sort -n | sed -n '1p;$p' | tr '\n' ' '; echo "(load range)"
