/usr/sbin/softflowd -r /tmp/tmp.JHqYhOFC4W/short4.pcap -n 127.0.0.1:53706 -v 9
