/usr/sbin/softflowd -r /tmp/tmp.ki1OBoGLg2/short46.pcap -n 127.0.0.1:36277 -v 9
