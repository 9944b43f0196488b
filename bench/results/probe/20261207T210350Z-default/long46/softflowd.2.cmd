/usr/sbin/softflowd -r /tmp/tmp.ki1OBoGLg2/long46.pcap -n 127.0.0.1:50085 -v 9
