/usr/sbin/softflowd -r /tmp/tmp.JHqYhOFC4W/long4.pcap -n 127.0.0.1:44982 -v 9
