/usr/sbin/softflowd -r /tmp/s4-probe/benchtmp/tmp.IvvKMsM9xS/long4.pcap -n 127.0.0.1:46290 -v 9
