/usr/sbin/softflowd -r /tmp/s4p/tmp.pWz5YBaxbH/pareto.pcap -n 127.0.0.1:54723 -v 9
