/usr/sbin/softflowd -r /tmp/s4-probe/benchtmp/tmp.mN43NE4EQp/pareto.pcap -n 127.0.0.1:46678 -v 9
