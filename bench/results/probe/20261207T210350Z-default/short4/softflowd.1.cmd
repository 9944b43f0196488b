/usr/sbin/softflowd -r /tmp/tmp.ki1OBoGLg2/short4.pcap -n 127.0.0.1:43194 -v 9
