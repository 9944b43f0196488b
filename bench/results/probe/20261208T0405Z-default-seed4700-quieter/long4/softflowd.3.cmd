/usr/sbin/softflowd -r /tmp/s4p/tmp.pWz5YBaxbH/long4.pcap -n 127.0.0.1:50453 -v 9
