/tmp/s3p/snap/probe/flowprobe -r /tmp/tmp.TDUBpNFlZb/pareto.pcap -n 127.0.0.1:54633
