#!/bin/sh
# ab.sh PCAP N FP... : alternate builds N rounds, print each run
P=$1; N=$2; shift 2
for r in $(seq 1 $N); do for f in "$@"; do echo "$(basename $f) $(./ps.sh $f $P)"; done; done
