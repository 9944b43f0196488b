/usr/sbin/softflowd -r /tmp/s4-probe/benchtmp/tmp.mN43NE4EQp/long4.pcap -n 127.0.0.1:39510 -v 9
