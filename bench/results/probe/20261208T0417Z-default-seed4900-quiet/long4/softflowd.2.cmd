/usr/sbin/softflowd -r /tmp/s4p/tmp.uLrxWXOl32/long4.pcap -n 127.0.0.1:57794 -v 9
