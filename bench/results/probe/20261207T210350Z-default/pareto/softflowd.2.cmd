/usr/sbin/softflowd -r /tmp/tmp.ki1OBoGLg2/pareto.pcap -n 127.0.0.1:55824 -v 9
