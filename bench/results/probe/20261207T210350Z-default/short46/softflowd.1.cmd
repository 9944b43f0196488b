/usr/sbin/softflowd -r /tmp/tmp.ki1OBoGLg2/short46.pcap -n 127.0.0.1:41359 -v 9
