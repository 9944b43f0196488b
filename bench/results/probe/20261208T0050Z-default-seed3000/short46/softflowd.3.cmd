/usr/sbin/softflowd -r /tmp/tmp.JHqYhOFC4W/short46.pcap -n 127.0.0.1:44783 -v 9
