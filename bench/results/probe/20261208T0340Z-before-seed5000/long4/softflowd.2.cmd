/usr/sbin/softflowd -r /tmp/s4-probe/benchtmp/tmp.mnSUtb0uWy/long4.pcap -n 127.0.0.1:43981 -v 9
