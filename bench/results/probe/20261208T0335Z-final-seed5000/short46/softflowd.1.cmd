/usr/sbin/softflowd -r /tmp/s4-probe/benchtmp/tmp.mN43NE4EQp/short46.pcap -n 127.0.0.1:59071 -v 9
