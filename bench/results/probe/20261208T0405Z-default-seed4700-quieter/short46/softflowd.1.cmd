/usr/sbin/softflowd -r /tmp/s4p/tmp.pWz5YBaxbH/short46.pcap -n 127.0.0.1:37960 -v 9
