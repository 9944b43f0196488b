/usr/sbin/softflowd -r /tmp/s4-probe/benchtmp/tmp.mnSUtb0uWy/pareto.pcap -n 127.0.0.1:42097 -v 9
