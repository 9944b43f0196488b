/usr/sbin/softflowd -r /tmp/s4-probe/benchtmp/tmp.piis5kDDbH/long4.pcap -n 127.0.0.1:40371 -v 9
