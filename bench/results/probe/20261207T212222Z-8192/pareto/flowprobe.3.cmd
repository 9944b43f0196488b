/tmp/i12-snap/probe/flowprobe -r /tmp/tmp.cE6hqUqJtp/pareto.pcap -n 127.0.0.1:55763 -m 8192
