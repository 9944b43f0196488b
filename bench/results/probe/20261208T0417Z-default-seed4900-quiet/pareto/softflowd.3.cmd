/usr/sbin/softflowd -r /tmp/s4p/tmp.uLrxWXOl32/pareto.pcap -n 127.0.0.1:40105 -v 9
