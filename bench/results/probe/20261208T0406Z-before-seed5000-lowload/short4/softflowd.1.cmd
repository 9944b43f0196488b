/usr/sbin/softflowd -r /tmp/s4-probe/benchtmp/tmp.piis5kDDbH/short4.pcap -n 127.0.0.1:44034 -v 9
