/usr/sbin/softflowd -r /tmp/tmp.3PFLGhd5j3/short4.pcap -n 127.0.0.1:47276 -v 9
