/usr/sbin/softflowd -r /tmp/tmp.TDUBpNFlZb/bulk.pcap -n 127.0.0.1:39586 -v 9
