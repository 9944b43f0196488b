/usr/sbin/softflowd -r /tmp/s4-probe/benchtmp/tmp.piis5kDDbH/pareto.pcap -n 127.0.0.1:58874 -v 9
