/usr/sbin/softflowd -r /tmp/s4-probe/benchtmp/tmp.mnSUtb0uWy/short46.pcap -n 127.0.0.1:58154 -v 9
