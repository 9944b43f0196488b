/usr/sbin/softflowd -r /tmp/tmp.ki1OBoGLg2/long4.pcap -n 127.0.0.1:44603 -v 9
