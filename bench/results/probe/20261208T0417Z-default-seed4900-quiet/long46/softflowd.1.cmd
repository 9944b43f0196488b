/usr/sbin/softflowd -r /tmp/s4p/tmp.uLrxWXOl32/long46.pcap -n 127.0.0.1:51242 -v 9
