/usr/sbin/softflowd -r /tmp/s4p/tmp.uLrxWXOl32/short4.pcap -n 127.0.0.1:52555 -v 9
