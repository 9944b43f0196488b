/usr/sbin/softflowd -r /tmp/s4-probe/benchtmp/tmp.IvvKMsM9xS/short4.pcap -n 127.0.0.1:49187 -v 9
