/usr/sbin/softflowd -r /tmp/tmp.TDUBpNFlZb/bulk.pcap -n 127.0.0.1:54299 -v 9
