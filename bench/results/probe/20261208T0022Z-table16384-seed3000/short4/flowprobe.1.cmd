/tmp/s3p/snap/probe/flowprobe -r /tmp/tmp.TDUBpNFlZb/short4.pcap -n 127.0.0.1:33457
