/tmp/i12-snap/probe/flowprobe -r /tmp/tmp.cE6hqUqJtp/short46.pcap -n 127.0.0.1:51835 -m 8192
