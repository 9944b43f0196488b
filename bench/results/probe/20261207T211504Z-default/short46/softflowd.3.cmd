/usr/sbin/softflowd -r /tmp/tmp.3PFLGhd5j3/short46.pcap -n 127.0.0.1:46241 -v 9
