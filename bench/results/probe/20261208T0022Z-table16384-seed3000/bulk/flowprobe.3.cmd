/tmp/s3p/snap/probe/flowprobe -r /tmp/tmp.TDUBpNFlZb/bulk.pcap -n 127.0.0.1:56994
