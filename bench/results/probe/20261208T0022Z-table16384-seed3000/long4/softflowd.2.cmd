/usr/sbin/softflowd -r /tmp/tmp.TDUBpNFlZb/long4.pcap -n 127.0.0.1:50123 -v 9
