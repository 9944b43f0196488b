/usr/sbin/softflowd -r /tmp/tmp.TDUBpNFlZb/long4.pcap -n 127.0.0.1:33478 -v 9
