/tmp/i12-snap/probe/flowprobe -r /tmp/tmp.cE6hqUqJtp/pareto.pcap -n 127.0.0.1:40394 -m 8192
