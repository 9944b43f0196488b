/usr/sbin/softflowd -r /tmp/s4-probe/benchtmp/tmp.piis5kDDbH/short46.pcap -n 127.0.0.1:43372 -v 9
