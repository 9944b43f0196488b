/usr/sbin/softflowd -r /tmp/tmp.3PFLGhd5j3/pareto.pcap -n 127.0.0.1:47989 -v 9
