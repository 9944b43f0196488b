/usr/sbin/softflowd -r /tmp/tmp.JHqYhOFC4W/short4.pcap -n 127.0.0.1:54242 -v 9
