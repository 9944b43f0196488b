/usr/sbin/softflowd -r /tmp/s4p/tmp.pWz5YBaxbH/pareto.pcap -n 127.0.0.1:60161 -v 9
