/usr/sbin/softflowd -r /tmp/s4p/tmp.pWz5YBaxbH/bulk.pcap -n 127.0.0.1:45956 -v 9
