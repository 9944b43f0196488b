/usr/sbin/softflowd -r /tmp/tmp.3PFLGhd5j3/bulk.pcap -n 127.0.0.1:42754 -v 9
