/usr/sbin/softflowd -r /tmp/s4-probe/benchtmp/tmp.IvvKMsM9xS/pareto.pcap -n 127.0.0.1:42603 -v 9
