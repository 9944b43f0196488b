/usr/sbin/softflowd -r /tmp/tmp.TDUBpNFlZb/short46.pcap -n 127.0.0.1:52432 -v 9
