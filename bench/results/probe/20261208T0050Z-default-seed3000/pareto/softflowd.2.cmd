/usr/sbin/softflowd -r /tmp/tmp.JHqYhOFC4W/pareto.pcap -n 127.0.0.1:57277 -v 9
