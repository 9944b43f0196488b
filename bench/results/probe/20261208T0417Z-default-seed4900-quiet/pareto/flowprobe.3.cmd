./probe/flowprobe -r /tmp/s4p/tmp.uLrxWXOl32/pareto.pcap -n 127.0.0.1:38271
