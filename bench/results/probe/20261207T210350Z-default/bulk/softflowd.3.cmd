/usr/sbin/softflowd -r /tmp/tmp.ki1OBoGLg2/bulk.pcap -n 127.0.0.1:37477 -v 9
