./probe/flowprobe -r /tmp/s4p/tmp.uLrxWXOl32/bulk.pcap -n 127.0.0.1:60719
