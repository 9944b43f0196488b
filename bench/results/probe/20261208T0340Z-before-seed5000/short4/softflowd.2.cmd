/usr/sbin/softflowd -r /tmp/s4-probe/benchtmp/tmp.mnSUtb0uWy/short4.pcap -n 127.0.0.1:54241 -v 9
