/usr/sbin/softflowd -r /tmp/tmp.TDUBpNFlZb/long46.pcap -n 127.0.0.1:42856 -v 9
