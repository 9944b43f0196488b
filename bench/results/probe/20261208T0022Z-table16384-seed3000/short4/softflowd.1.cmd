/usr/sbin/softflowd -r /tmp/tmp.TDUBpNFlZb/short4.pcap -n 127.0.0.1:56184 -v 9
