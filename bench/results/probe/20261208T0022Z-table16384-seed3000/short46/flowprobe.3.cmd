/tmp/s3p/snap/probe/flowprobe -r /tmp/tmp.TDUBpNFlZb/short46.pcap -n 127.0.0.1:42842
