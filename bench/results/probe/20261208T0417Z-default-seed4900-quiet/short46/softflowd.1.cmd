/usr/sbin/softflowd -r /tmp/s4p/tmp.uLrxWXOl32/short46.pcap -n 127.0.0.1:33445 -v 9
