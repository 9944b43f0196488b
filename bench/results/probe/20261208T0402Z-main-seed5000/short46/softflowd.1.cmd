/usr/sbin/softflowd -r /tmp/s4-probe/benchtmp/tmp.IvvKMsM9xS/short46.pcap -n 127.0.0.1:51948 -v 9
