/usr/sbin/softflowd -r /tmp/tmp.TDUBpNFlZb/pareto.pcap -n 127.0.0.1:46319 -v 9
