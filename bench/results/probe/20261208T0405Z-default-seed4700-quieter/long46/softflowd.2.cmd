/usr/sbin/softflowd -r /tmp/s4p/tmp.pWz5YBaxbH/long46.pcap -n 127.0.0.1:38741 -v 9
