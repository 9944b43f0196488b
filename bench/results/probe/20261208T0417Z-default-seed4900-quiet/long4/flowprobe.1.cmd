./probe/flowprobe -r /tmp/s4p/tmp.uLrxWXOl32/long4.pcap -n 127.0.0.1:49563
